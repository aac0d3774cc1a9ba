-- Store.leave: the channel's receiver said it is leaving (its tab closes or navigates away). A
-- live channel is seen now and marked (lv): it counts offline as soon as no lease holds it,
-- without the grace period, until a receiver connects, or proves its key LEAVE_SETTLE or more
-- after the leave (connected(), proven()).
-- The nodes holding leases on it are hinted ('l C H') to give back at once the poll leases they
-- still owe (OwedReleases); this node does so after the script. Never makes a channel live.
-- Returns {1} if the channel is live, else {0}.
local base = KEYS[1]
if not alive(base) then return {0} end
redis.call('HSET', base .. ':m', 'ls', NOW, 'lv', NOW)
hint(base .. ':r', 'l ' .. SUBJECT)
offline_if_left(base)
return {1}
