-- Store.confirm, channel part: the channel live (made anew if need be), the confirmation recorded
-- and hinted to waiting senders. ARGV[17] cursor epoch, ARGV[18] cursor seq.
-- Returns {e, raised a or -1, followed topics}.
local base = KEYS[1]
local inc = incarnation()
local v = live_channel(base, inc)
local e0, c = ARGV[17], tonumber(ARGV[18])
if e0 == v[1] and c > tonumber(v[2]) then
  error({err = 'BADCURSOR the cursor is ahead of this channel\'s inbox: it was not handed out here'})
end
local cc = confirmable(v, e0, c)
local raised = -1
if cc >= 0 then raised = confirm(base, v, cc) end
proven(base)
return {v[1], raised, redis.call('HGETALL', base .. ':t')}
