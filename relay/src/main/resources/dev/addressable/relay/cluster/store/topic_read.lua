-- A topic's part of a read (KEYS[1] is <P>{t:T}), made anew if the store forgot it; also its end
-- pair (most messages 0) for open and subscribe. ARGV[17] cursor epoch ('' for the end),
-- ARGV[18] cursor seq, ARGV[19] most messages, ARGV[20] most bytes, ARGV[21] this node's lease
-- on the topic in ms (0: none, -1: the renewable one), ARGV[22] the reading channel "C/H" to
-- count as a subscriber until its idle expiry, or '', ARGV[23] how many channels this node serves
-- that follow the topic (its publishes report them as delivered), ARGV[24] '1' if the cursor
-- confirms receipt (as topic_confirm does, folded into the read of a poll that comes back),
-- ARGV[25..] more reading channels, counted as ARGV[22] is (reads of one position share a script).
-- Returns {e, seq read through, missed, entries, raised a or -1}.
local base = KEYS[1]
local v = live_topic(base, incarnation())
local raised = -1
if ARGV[24] == '1' then raised = confirm_topic(base, v, ARGV[17], tonumber(ARGV[18])) end
local from, missed = tonumber(v[2]), false
if ARGV[17] ~= '' then
  from, missed = position(v, ARGV[17], tonumber(ARGV[18]))
end
local out, last, gone = read(base .. ':l', from, tonumber(v[2]), tonumber(ARGV[19]), tonumber(ARGV[20]))
-- Handed out, so that an expiry after it is no event: through what this read returns, and
-- through the reader's own cursor (a message that rode in a hint reached it without a read).
local handed = #out > 0 and last or ((ARGV[17] ~= '' and not missed) and from or 0)
if EVENTS and handed > tonumber(redis.call('HGET', base .. ':m', 'rt') or 0) then
  redis.call('HSET', base .. ':m', 'rt', handed)
end
local len = tonumber(ARGV[21])
if len ~= 0 then
  local x = lease_of(redis.call('HGET', base .. ':n', NODE))
  local until_ = math.max(x, len < 0 and NOW + LEASE or NOW + len + 2000)
  redis.call('HSET', base .. ':n', NODE, until_ .. ':' .. math.max(1, tonumber(ARGV[23] or 1)))
  redis.call('PEXPIRE', base .. ':n', KEEP)
end
if ARGV[22] ~= '' then
  local idle = NOW + IDLE
  local members = {idle, ARGV[22]}
  for i = 25, #ARGV do
    members[#members + 1] = idle
    members[#members + 1] = ARGV[i]
  end
  redis.call('ZADD', base .. ':s', unpack(members))
  redis.call('PEXPIRE', base .. ':s', TOPIC_TTL)
end
return {v[1], last, (missed or gone) and 1 or 0, out, raised}
