-- Shared by every store script (RedisStore prepends it). Conventions, CLUSTER.md sections 3-5:
-- KEYS[1] the subject's base key (a channel <P>{C}:h:H, a topic <P>{t:T}, a variable <P>{ev:N},
--         or a client's channel hash <P>{C}:ch), KEYS[2] the incarnation hash <P>{g}:inc.
-- ARGV[1] now in ms, or '' to take Redis TIME (always '' in production: one clock for the cluster;
--         tests pass their own clock), ARGV[2] a fresh epoch candidate, ARGV[3] this node's id,
-- ARGV[4] the key prefix, ARGV[5..15] settings (below), ARGV[16] the subject as hints name it,
-- ARGV[17..] the script's own. Keys of one subject share its hash tag; only {g} keys are shared.
local P, NODE, CAND, SUBJECT = ARGV[4], ARGV[3], ARGV[2], ARGV[16]
local IDLE, GRACE = tonumber(ARGV[5]), tonumber(ARGV[6])
local MAX_N, MAX_B, MAX_AGE = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local LEASE, TOPIC_TTL, EVENT_TTL = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
local MAX_CH, MAX_TOPICS, MID_WINDOW = tonumber(ARGV[13]), tonumber(ARGV[14]), tonumber(ARGV[15])
local NOW
if ARGV[1] ~= '' then
  NOW = tonumber(ARGV[1])
else
  local t = redis.call('TIME')
  NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- Events for the app's webhook (CLUSTER.md section 7), written only when this node has one:
-- KEYS[3] the event stream <P>{g}:wh the reaper delivers, KEYS[4] its agenda <P>{g}:due, a
-- sorted set of "p:<channel base>" (check presence) and "x:<log base>" (expire the log's head),
-- each scored by when it is due.
local EVENTS, AGENDA = KEYS[3], KEYS[4]
-- The largest message (bytes of data) a topic's hint carries to the nodes (publish.lua).
local INLINE_MAX = 8192
-- Keys outlive what they hold by a margin: logical expiry (ls, lease and message times) decides,
-- TTLs only collect what nobody touches any more.
local KEEP = IDLE + LEASE + 60000

local function incarnation()
  local v = redis.call('HMGET', KEYS[2], 't', 'pt', 'd')
  if not v[1] then
    error({err = 'NOINC the incarnation key is missing'})
  end
  return v
end

-- A lease value is "expiry:count"; live while the expiry is ahead and someone holds it.
local function lease_of(v)
  local x, n = string.match(v or '', '^(%d+):(%d+)$')
  return tonumber(x or 0), tonumber(n or 0)
end

local function live(v)
  local x, n = lease_of(v)
  return x > NOW and n > 0, n
end

-- One more holder at this node, until at least expiry.
local function take(key, expiry)
  local x, n = lease_of(redis.call('HGET', key, NODE))
  if x <= NOW then n = 0 end
  redis.call('HSET', key, NODE, math.max(x, expiry) .. ':' .. (n + 1))
end

local function give_back(key)
  local x, n = lease_of(redis.call('HGET', key, NODE))
  if n <= 1 then
    redis.call('HDEL', key, NODE)
  else
    redis.call('HSET', key, NODE, x .. ':' .. (n - 1))
  end
end

local function held(key)
  local r = redis.call('HGETALL', key)
  for i = 2, #r, 2 do
    if live(r[i]) then return true end
  end
  return false
end

-- Hints the nodes holding leases in key (but this one): returns receivers reached elsewhere and
-- whether this node holds one. A node nobody listens for (PUBLISH answered 0) loses its lease.
local function hint(key, message)
  local r = redis.call('HGETALL', key)
  local reached, here = 0, 0
  for i = 1, #r, 2 do
    local ok, n = live(r[i + 1])
    if not ok then
      redis.call('HDEL', key, r[i])
    elseif r[i] == NODE then
      here = 1
    elseif redis.call('PUBLISH', P .. 'n:' .. r[i], message) > 0 then
      reached = reached + n
    else
      redis.call('HDEL', key, r[i])
    end
  end
  return reached, here
end

-- Receipt waiters (node -> expiry): hinted while they wait, forgotten after.
local function hint_waiters(key, message)
  local w = redis.call('HGETALL', key)
  for i = 1, #w, 2 do
    if tonumber(w[i + 1]) <= NOW then
      redis.call('HDEL', key, w[i])
    elseif w[i] ~= NODE and redis.call('PUBLISH', P .. 'n:' .. w[i], message) == 0 then
      redis.call('HDEL', key, w[i])
    end
  end
end

-- The lazy epoch switch of section 4: returns the meta {e, s, g, pe, ps, pc}, or nil if absent.
local function switch(m, inc)
  local v = redis.call('HMGET', m, 'e', 's', 'g', 'pe', 'ps', 'pc')
  if not v[1] then return nil end
  if v[3] ~= inc[1] then
    local pc = (v[3] == inc[2] and inc[3] == '1') and '1' or '0'
    redis.call('HSET', m, 'pe', v[1], 'ps', v[2], 'pc', pc, 'e', CAND, 'g', inc[1])
    v = {CAND, v[2], inc[1], v[1], v[2], pc}
  end
  return v
end

-- Read rules for a cursor (e0, c) against meta v: returns the seq to read after and whether the
-- reader missed something; raises BADCURSOR for a cursor ahead in the log's own epoch.
local function position(v, e0, c)
  local s = tonumber(v[2])
  if e0 == '' then return s, false end
  if e0 == v[1] then
    if c > s then error({err = 'BADCURSOR the cursor is ahead of this log: it was not handed out here'}) end
    return c, false
  end
  if v[4] and e0 == v[4] then
    local ps = tonumber(v[5])
    if c <= ps then return c, v[6] ~= '1' end
    return ps, true
  end
  return 0, true
end

-- An event for the webhook about the channel or topic at base (<P>{C}:h:H or <P>{t:T}), with
-- more fields after the owner's, if this node has a webhook.
local function event(base, kind, ...)
  if not EVENTS then return end
  local c, h = string.match(base, '{([^}]*)}:h:([^:{}]*)$')
  if c then
    redis.call('XADD', EVENTS, '*', 'type', kind, 'ts', NOW, 'client', c, 'channel', h, ...)
  else
    redis.call('XADD', EVENTS, '*', 'type', kind, 'ts', NOW, 'topic', string.match(base, '{t:([^}]*)}$') or '', ...)
  end
end

-- A message of the log at base left before any receiver got it (its seq past rt, the seq
-- handed out): a message.expired event, with reason 'expired' or 'overflow'.
local function dropped(base, seq, reason, rt)
  if seq > rt then event(base, 'message.expired', 'seq', seq, 'reason', reason) end
end

-- The agenda item (kind 'p' or 'x') for a base, due at the given time.
local function schedule(kind, base, due)
  if AGENDA then redis.call('ZADD', AGENDA, due, kind .. ':' .. base) end
end

-- The expiry of the log's oldest entry, or nil if it is empty.
local function head_expiry(l)
  local h = redis.call('XRANGE', l, '-', '+', 'COUNT', 1)
  if #h == 0 then return nil end
  local f = h[1][2]
  for j = 1, #f, 2 do
    if f[j] == 'x' then return tonumber(f[j + 1]) end
  end
  return nil
end

-- Trims the head of log base:l (meta base:m): past the count, past the bytes (the newest
-- stays), and up to most_expired entries whose time ran out. Drops never handed out are events.
-- b: the log's stored bytes, if the caller has them (an append just counted them); else read.
local function trim(base, most_expired, b)
  local m, l = base .. ':m', base .. ':l'
  b = b or tonumber(redis.call('HGET', m, 'b') or 0)
  local rt = EVENTS and tonumber(redis.call('HGET', m, 'rt') or 0) or 0
  local len = redis.call('XLEN', l)
  local expired, cut = 0, nil
  local batch = redis.call('XRANGE', l, '-', '+', 'COUNT', math.max(len - MAX_N, 0) + most_expired)
  local i = 1
  while i <= #batch do
    local f = batch[i][2]
    local n, x = 0, 0
    for j = 1, #f, 2 do
      if f[j] == 'n' then n = tonumber(f[j + 1]) elseif f[j] == 'x' then x = tonumber(f[j + 1]) end
    end
    local reason = (len > MAX_N or (b > MAX_B and len > 1)) and 'overflow' or nil
    if not reason and x <= NOW and expired < most_expired then
      reason = 'expired'
      expired = expired + 1
    end
    if not reason then break end
    cut = batch[i][1]
    dropped(base, tonumber(string.match(cut, '^(%d+)')), reason, rt)
    len, b = len - 1, b - n
    i = i + 1
    if i > #batch and (len > MAX_N or b > MAX_B) and len > 1 then
      batch = redis.call('XRANGE', l, '(' .. cut, '+', 'COUNT', 16)
      i = 1
    end
  end
  if cut then
    local seq = tonumber(string.match(cut, '^(%d+)'))
    redis.call('XTRIM', l, 'MINID', (seq + 1) .. '-0')
    redis.call('HSET', m, 'b', b)
  end
end

-- When a message stored now with a sender's ttl (0: none) expires.
local function expiry_of(ttl)
  return NOW + ((ttl > 0 and ttl < MAX_AGE) and ttl or MAX_AGE)
end

-- Appends one message to the log at base (its meta switched already), trims it, returns its
-- seq. With events on, the log's head is on the agenda for when it expires.
local function append(base, data, bytes, ttl)
  local m, l = base .. ':m', base .. ':l'
  local s = redis.call('HINCRBY', m, 's', 1)
  redis.call('XADD', l, s .. '-0', 'd', data, 't', NOW, 'x', expiry_of(ttl), 'n', bytes)
  local b = redis.call('HINCRBY', m, 'b', bytes)
  redis.call('PEXPIRE', l, MAX_AGE + 5000)
  trim(base, 8, b)
  if AGENDA then
    local due = head_expiry(l)
    if due then redis.call('ZADD', AGENDA, 'LT', due, 'x:' .. base) end
  end
  return s
end

-- Every message of the channel or topic at base that no receiver got, as message.expired
-- events: its log is being forgotten. Marks them reported.
local function drop_unread(base)
  if not EVENTS then return end
  local m = base .. ':m'
  local v = redis.call('HMGET', m, 'rt', 's')
  local rt, s = tonumber(v[1] or 0), tonumber(v[2] or 0)
  if s <= rt then return end
  for _, e in ipairs(redis.call('XRANGE', base .. ':l', '(' .. rt .. '-0', '+', 'COUNT', MAX_N)) do
    dropped(base, tonumber(string.match(e[1], '^(%d+)')), 'expired', rt)
  end
  redis.call('HSET', m, 'rt', s)
end

-- Reads log l after seq from: entries {seq, data, ts, expiry} (expired ones skipped), the seq read
-- through, and whether anything after from was gone.
local function read(l, from, top, limit, maxbytes)
  local out, last, missed, size = {}, from, false, 0
  if limit <= 0 or from >= top then return out, last, missed end
  local entries = redis.call('XRANGE', l, '(' .. from .. '-0', '+', 'COUNT', limit)
  if #entries == 0 then
    return out, top, true
  end
  local first = tonumber(string.match(entries[1][1], '^(%d+)'))
  if first > from + 1 then
    missed, last = true, first - 1
  end
  for _, e in ipairs(entries) do
    local seq = tonumber(string.match(e[1], '^(%d+)'))
    local f, d, t, x, n = e[2], nil, nil, nil, 0
    for j = 1, #f, 2 do
      local k = f[j]
      if k == 'd' then d = f[j + 1] elseif k == 't' then t = f[j + 1] elseif k == 'x' then x = f[j + 1]
      elseif k == 'n' then n = tonumber(f[j + 1]) end
    end
    if tonumber(x) <= NOW then
      missed, last = true, seq
    else
      if #out > 0 and size + n > maxbytes then break end
      out[#out + 1] = {seq, d, t, x}
      size = size + n
      last = seq
    end
  end
  return out, last, missed
end

-- Channels. A channel is live while its meta exists and it was seen within IDLE or a lease holds
-- it; a dead one is gone for senders even before its keys expire.
local function alive(base)
  local ls = redis.call('HGET', base .. ':m', 'ls')
  if not ls then return false end
  return tonumber(ls) + IDLE > NOW or held(base .. ':r')
end

-- The channel's client hash, <P>{C}:ch, from the channel's base <P>{C}:h:H, and a sibling's base.
local function client_hash(base)
  return string.match(base, '^(.*):h:[^:]*$') .. ':ch'
end

local function sibling(ch, name)
  return string.sub(ch, 1, -3) .. 'h:' .. name
end

-- Makes the channel live anew (a new epoch, an empty inbox, leftovers deleted first so stream
-- ids grow again), within the client's channel limit; dead siblings leave the client's hash.
local function create(base, inc)
  local ch = client_hash(base)
  local name = string.match(base, ':h:([^:]*)$')
  local others = 0
  for _, n in ipairs(redis.call('HKEYS', ch)) do
    if n ~= name then
      if alive(sibling(ch, n)) then others = others + 1 else redis.call('HDEL', ch, n) end
    end
  end
  if others >= MAX_CH then
    error({err = 'TOOMANYCHANNELS this client has ' .. others .. ' live channels, the most allowed; close tabs or wait for idle ones to expire'})
  end
  if EVENTS then
    if redis.call('HGET', base .. ':m', 'on') then event(base, 'channel.offline') end
    drop_unread(base)
  end
  redis.call('DEL', base .. ':m', base .. ':l', base .. ':r', base .. ':w', base .. ':t')
  redis.call('HSET', base .. ':m', 'e', CAND, 's', 0, 'g', inc[1], 'a', 0, 'rt', 0, 'b', 0, 'ls', NOW)
  redis.call('HSET', ch, name, 1)
end

-- The channel live (made anew if need be) and switched: its meta.
local function live_channel(base, inc)
  if not alive(base) then create(base, inc) end
  return switch(base .. ':m', inc)
end

-- A receiver was here: seen now, and every key of the channel kept a while longer. With events
-- on, a channel not online before is now (channel.online) and its presence is checked after the
-- grace period; one whose receiver said it leaves (lv, leave.lua) is not reported online by a
-- lease kept or given back, and its presence is checked at once.
local function touch(base)
  local m = base .. ':m'
  redis.call('HSET', m, 'ls', NOW)
  if EVENTS then
    local leaving = redis.call('HEXISTS', m, 'lv') == 1
    if not leaving and redis.call('HSETNX', m, 'on', 1) == 1 then event(base, 'channel.online') end
    schedule('p', base, leaving and NOW or NOW + GRACE)
  end
  for _, s in ipairs({':m', ':t', ':r', ':w'}) do
    redis.call('PEXPIRE', base .. s, KEEP)
  end
  redis.call('PEXPIRE', client_hash(base), KEEP)
end

-- For this long after a leave (lv), a request of the channel's receiver other than a connect does
-- not end it: it is taken for one the leaving page sent before its leave, still on its way (an
-- ack, a poll). Store.leave's second, as the memory store's Channel.LEAVE_SETTLE_MILLIS.
local LEAVE_SETTLE = 1000

-- A receiver proved its key (read, confirm, subscribe, unsubscribe): a leave its channel's
-- receiver said LEAVE_SETTLE or more ago is over (a reload came back); the channel is touched.
-- Returns whether the channel is still leaving (the request is taken for the leaving page's).
local function proven(base)
  local lv = redis.call('HGET', base .. ':m', 'lv')
  if lv and NOW - tonumber(lv) >= LEAVE_SETTLE then
    redis.call('HDEL', base .. ':m', 'lv')
    lv = false
  end
  touch(base)
  return lv and true or false
end

-- A receiver connected (open): a leave said before is over, however recent; the channel is touched.
local function connected(base)
  redis.call('HDEL', base .. ':m', 'lv')
  touch(base)
end

-- A channel whose receiver said it leaves (lv) is offline as soon as no lease holds it, without
-- the grace period: channel.offline now, once ('on' goes; the reaper's check then finds it gone).
local function offline_if_left(base)
  local m = base .. ':m'
  if EVENTS and redis.call('HEXISTS', m, 'lv') == 1 and not held(base .. ':r') and redis.call('HDEL', m, 'on') == 1 then
    event(base, 'channel.offline')
  end
end

-- Raises the channel's confirmed seq a to c (a seq of the meta's own epoch) and hints waiting
-- senders' nodes: returns the new a, or -1 if it did not rise.
local function confirm(base, v, c)
  local a = tonumber(redis.call('HGET', base .. ':m', 'a') or 0)
  if c <= a then return -1 end
  redis.call('HSET', base .. ':m', 'a', c)
  hint_waiters(base .. ':w', 'r ' .. SUBJECT .. ' ' .. v[1] .. ' ' .. c)
  return c
end

-- The seq of the meta's own epoch that a cursor (e0, c) confirms, or -1.
local function confirmable(v, e0, c)
  if e0 == v[1] then return c end
  if v[4] and e0 == v[4] and c <= tonumber(v[5]) then return c end -- an ack in pe counts up to ps
  return -1
end

-- Topics: created on first use, kept TOPIC_TTL after the last.
local function live_topic(base, inc)
  local v = switch(base .. ':m', inc)
  if not v then
    redis.call('DEL', base .. ':l')
    redis.call('HSET', base .. ':m', 'e', CAND, 's', 0, 'g', inc[1], 'a', 0, 'b', 0)
    v = {CAND, '0', inc[1]}
  end
  for _, s in ipairs({':m', ':w', ':s'}) do
    redis.call('PEXPIRE', base .. s, TOPIC_TTL)
  end
  return v
end

-- A subscriber confirmed the topic (v its live pair) up to epoch e0, seq c: raises 'a' and
-- hints the topic's waiting senders. Returns the raised seq, or -1 if 'a' stays.
local function confirm_topic(base, v, e0, c)
  c = confirmable(v, e0, c)
  if c < 0 or c > tonumber(v[2]) then return -1 end
  if c <= tonumber(redis.call('HGET', base .. ':m', 'a') or 0) then return -1 end
  redis.call('HSET', base .. ':m', 'a', c)
  hint_waiters(base .. ':w', 'R ' .. SUBJECT .. ' ' .. v[1] .. ' ' .. c)
  return c
end
