-- Store.appendToClient: one append per live channel of the client (KEYS[1] is <P>{C}:ch), one
-- PUBLISH per node, one mid for the fan-out. ARGV[17..20] as in send.lua.
-- Returns {0} without a live channel, else {1 or 2 (dup), then per channel name, e, s, reached, here}.
local ch = KEYS[1]
local inc = incarnation()
local mid = ARGV[20]
local midkey = string.sub(ch, 1, -3) .. 'ci:' .. mid
if mid ~= '' then
  local seen = redis.call('GET', midkey)
  if seen then
    local out = {2}
    for name, e, s in string.gmatch(seen, '(%S+) (%S+) (%d+)') do
      for _, x in ipairs({name, e, tonumber(s), 0, 0}) do out[#out + 1] = x end
    end
    return out
  end
end
local out, nodes, stored = {1}, {}, {}
for _, name in ipairs(redis.call('HKEYS', ch)) do
  local base = sibling(ch, name)
  if alive(base) then
    local v = switch(base .. ':m', inc)
    local s = append(base, ARGV[17], tonumber(ARGV[18]), tonumber(ARGV[19]))
    local r = redis.call('HGETALL', base .. ':r')
    local reached, here = 0, 0
    for i = 1, #r, 2 do
      local ok, n = live(r[i + 1])
      if not ok then
        redis.call('HDEL', base .. ':r', r[i])
      elseif r[i] == NODE then
        here = 1
      else
        nodes[r[i]] = (nodes[r[i]] or '') .. ' ' .. name
        reached = reached + n
      end
    end
    for _, x in ipairs({name, v[1], s, reached, here}) do out[#out + 1] = x end
    stored[#stored + 1] = name .. ' ' .. v[1] .. ' ' .. s
  else
    redis.call('HDEL', ch, name)
  end
end
if #out == 1 then return {0} end
for node, names in pairs(nodes) do
  if redis.call('PUBLISH', P .. 'n:' .. node, 'k ' .. SUBJECT .. names) == 0 then
    for name in string.gmatch(names, '%S+') do
      redis.call('HDEL', sibling(ch, name) .. ':r', node)
    end
  end
end
if mid ~= '' then
  redis.call('SET', midkey, table.concat(stored, ' '), 'PX', MID_WINDOW)
end
return out
