-- The reaper's step for one item of the agenda (CLUSTER.md section 7), KEYS[1] the item's base,
-- ARGV[17] its kind. Idempotent: two reapers running it at once cannot double an event, since
-- each step changes what it found before it emits.
-- 'x': drop the log's expired head (message.expired for those nobody got), due again when the
--      new head expires. Returns {1}.
-- 'p': a channel's presence. Held by a lease: due again when the last lease ends ({2}). Seen
--      within the grace period, and its receiver did not say it leaves (lv): due when the grace
--      ends ({2}). Else offline (channel.offline once), due again at its idle expiry ({3}); past
--      that its unread messages are reported ({4}).
-- {0}: the base is gone; the item leaves the agenda.
local base, kind = KEYS[1], ARGV[17]
local m = base .. ':m'
local member = kind .. ':' .. base
if redis.call('EXISTS', m) == 0 then
  redis.call('ZREM', AGENDA, member)
  return {0}
end
if kind == 'x' then
  trim(base, 100)
  local due = head_expiry(base .. ':l')
  if due then
    redis.call('ZADD', AGENDA, math.max(due, NOW), member)
  else
    redis.call('ZREM', AGENDA, member)
  end
  return {1}
end
local latest = 0
local r = redis.call('HGETALL', base .. ':r')
for i = 2, #r, 2 do
  local x, n = lease_of(r[i])
  if x > NOW and n > 0 and x > latest then latest = x end
end
if latest > 0 then
  schedule('p', base, latest)
  return {2}
end
local v = redis.call('HMGET', m, 'ls', 'on', 'lv')
local ls = tonumber(v[1] or 0)
if not v[3] and ls + GRACE > NOW then
  schedule('p', base, ls + GRACE)
  return {2}
end
if v[2] then
  redis.call('HDEL', m, 'on')
  event(base, 'channel.offline')
end
if ls + IDLE > NOW then
  schedule('p', base, ls + IDLE)
  return {3}
end
drop_unread(base)
redis.call('ZREM', AGENDA, member)
return {4}
