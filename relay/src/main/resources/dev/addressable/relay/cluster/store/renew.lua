-- Renews this node's lease on a channel it holds streams on: ARGV[17] how many it holds.
local base = KEYS[1]
if redis.call('EXISTS', base .. ':m') == 0 then return {0} end
local x, n = lease_of(redis.call('HGET', base .. ':r', NODE))
if x <= NOW then n = 0 end
n = math.max(n, tonumber(ARGV[17]))
redis.call('HSET', base .. ':r', NODE, math.max(x, NOW + LEASE) .. ':' .. n)
touch(base)
return {1}
