-- Renews or rewrites this node's lease on a channel it holds (the safety net of CLUSTER.md
-- section 6): ARGV[17] how many receivers it holds there, ARGV[18] for how long in ms (-1: the
-- stream lease). A lease a send dropped (its PUBLISH reached nobody while pub/sub was down) is
-- written anew. Returns {0} if the channel is gone, else {1, e, s}: its top pair.
local base = KEYS[1]
local m = redis.call('HMGET', base .. ':m', 'e', 's')
if not m[1] then return {0} end
local x, n = lease_of(redis.call('HGET', base .. ':r', NODE))
if x <= NOW then n = 0 end
n = math.max(n, tonumber(ARGV[17]))
local len = tonumber(ARGV[18])
redis.call('HSET', base .. ':r', NODE, math.max(x, len < 0 and NOW + LEASE or NOW + len) .. ':' .. n)
touch(base)
return {1, m[1], tonumber(m[2])}
