-- Store.release for a variable: one waiter fewer at this node.
give_back(KEYS[1] .. ':r')
return {1}
