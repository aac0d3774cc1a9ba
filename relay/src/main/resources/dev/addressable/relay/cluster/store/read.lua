-- Store.readAndLease, channel part (CLUSTER.md section 6): the channel live (made anew if need be),
-- switched, read by the rules of section 4, handed out (rt), confirmed (a) and leased in one step,
-- so a send before it is in the read and one after it sees the lease.
-- ARGV[17] lease ms (0: none, -1: a stream's renewable lease), ARGV[18] '1' if the cursor confirms,
-- ARGV[19] cursor epoch ('' to start at the end), ARGV[20] cursor seq, ARGV[21] most messages,
-- ARGV[22] most bytes, ARGV[23] the most receivers a channel may hold at once (--max-polls-per-channel):
-- a poll's lease is refused past it, counted over every node's leases, unless the read found
-- something to answer (the poll leaves at once), ARGV[24] '1' to give back first one lease a
-- poll that left still holds at this node (its release folded into this read). Returns {e, seq
-- read through, missed, raised a or -1, followed topics, entries, 1 if the poll's lease was
-- refused, 1 if the channel is still leaving (a read within LEAVE_SETTLE of a leave)}.
local base = KEYS[1]
local inc = incarnation()
local v = live_channel(base, inc)
if ARGV[24] == '1' then give_back(base .. ':r') end
local e0, c = ARGV[19], tonumber(ARGV[20])
local from, missed = position(v, e0, c)
local out, last, gone = read(base .. ':l', from, tonumber(v[2]), tonumber(ARGV[21]), tonumber(ARGV[22]))
if #out > 0 and last > tonumber(redis.call('HGET', base .. ':m', 'rt') or 0) then
  redis.call('HSET', base .. ':m', 'rt', last)
end
local raised = -1
if ARGV[18] == '1' and e0 ~= '' then
  local cc = confirmable(v, e0, c)
  if cc >= 0 then raised = confirm(base, v, cc) end
end
local len = tonumber(ARGV[17])
local refused = 0
if len > 0 and #out == 0 and not (missed or gone) then
  local r, holding = redis.call('HGETALL', base .. ':r'), 0
  for i = 2, #r, 2 do
    local ok, n = live(r[i])
    if ok then holding = holding + n end
  end
  if holding >= tonumber(ARGV[23]) then refused = 1 end
end
if len ~= 0 and refused == 0 then
  take(base .. ':r', len < 0 and NOW + LEASE or NOW + len + 2000)
end
local leaving = proven(base)
return {v[1], last, (missed or gone) and 1 or 0, raised, redis.call('HGETALL', base .. ':t'), out, refused,
  leaving and 1 or 0}
