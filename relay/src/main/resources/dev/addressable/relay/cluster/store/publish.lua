-- Store.publish (CLUSTER.md section 7): one append to the topic's log (the topic made anew if
-- forgotten), one hint per node with subscribers, carrying the message if it is small.
-- ARGV[17..20] as in send.lua.
-- Returns {1 or 2 (dup), e, s, nodes reached elsewhere, 1 if this node has a lease, subscribers}.
local base = KEYS[1]
local inc = incarnation()
local mid = ARGV[20]
local v = live_topic(base, inc)
redis.call('ZREMRANGEBYSCORE', base .. ':s', '-inf', NOW)
local subscribers = redis.call('ZCARD', base .. ':s')
if mid ~= '' then
  local seen = redis.call('GET', base .. ':i:' .. mid)
  if seen then
    local e, s = string.match(seen, '^(.*)%.(%d+)$')
    return {2, e, tonumber(s), 0, 0, subscribers}
  end
end
local s = append(base, ARGV[17], tonumber(ARGV[18]), tonumber(ARGV[19]))
if mid ~= '' then
  redis.call('SET', base .. ':i:' .. mid, v[1] .. '.' .. s, 'PX', MID_WINDOW)
end
-- A small message rides in the hint ("T topic e s ts expiry data"): a node answers the
-- subscribers waiting just before it without reading the topic. A larger one is announced only.
local data = ARGV[17]
local message = #data <= INLINE_MAX
  and table.concat({'T', SUBJECT, v[1], s, NOW, expiry_of(tonumber(ARGV[19])), data}, ' ')
  or 't ' .. SUBJECT
local reached, here = hint(base .. ':n', message)
return {1, v[1], s, reached, here, subscribers}
