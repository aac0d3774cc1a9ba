-- Store.release for a channel: one holder fewer at this node; the channel is seen now.
local base = KEYS[1]
if redis.call('EXISTS', base .. ':m') == 0 then return {0} end
give_back(base .. ':r')
touch(base)
return {1}
