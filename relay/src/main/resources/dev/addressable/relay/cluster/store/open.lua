-- Store.open: the channel live (made anew if need be), seen now, and any leave over. Returns {e, s,
-- followed topics}.
local inc = incarnation()
local v = live_channel(KEYS[1], inc)
connected(KEYS[1])
return {v[1], v[2], redis.call('HGETALL', KEYS[1] .. ':t')}
