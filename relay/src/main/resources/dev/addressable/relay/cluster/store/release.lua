-- Store.release for a channel: one holder fewer at this node. ARGV[17] how long ago the receiver
-- left, in ms: 0 when it leaves now (the channel is seen now); more for a poll's lease given back
-- late, when no next poll took it (OwedReleases): the channel was seen then, and one reported
-- offline meanwhile stays offline. A channel whose receiver said it leaves (leave.lua) goes
-- offline with its last lease.
local base = KEYS[1]
local m = base .. ':m'
if redis.call('EXISTS', m) == 0 then return {0} end
give_back(base .. ':r')
local ago = tonumber(ARGV[17]) or 0
if ago <= 0 then
  touch(base)
  offline_if_left(base)
  return {1}
end
local left = NOW - ago
if left > tonumber(redis.call('HGET', m, 'ls') or 0) then
  redis.call('HSET', m, 'ls', left)
end
if EVENTS and redis.call('HEXISTS', m, 'on') == 1 then
  schedule('p', base, left + GRACE)
end
offline_if_left(base)
return {1}
