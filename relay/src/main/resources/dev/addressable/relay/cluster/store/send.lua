-- Store.append, CLUSTER.md section 5: liveness (a dead channel stores nothing: {0}), mid de-dup
-- ({2, e, s} of the first send), the lazy switch, append and trim, hints to leased nodes.
-- ARGV[17] data, ARGV[18] stored bytes, ARGV[19] ttl ms (0: the age limit), ARGV[20] mid or ''.
-- Returns {1, e, s, receivers reached at other nodes, 1 if this node holds a lease}.
local base = KEYS[1]
local inc = incarnation()
if not alive(base) then return {0} end
local mid = ARGV[20]
if mid ~= '' then
  local seen = redis.call('GET', base .. ':i:' .. mid)
  if seen then
    local e, s = string.match(seen, '^(.*)%.(%d+)$')
    return {2, e, tonumber(s), 0, 0}
  end
end
local v = switch(base .. ':m', inc)
local s = append(base, ARGV[17], tonumber(ARGV[18]), tonumber(ARGV[19]))
if mid ~= '' then
  redis.call('SET', base .. ':i:' .. mid, v[1] .. '.' .. s, 'PX', MID_WINDOW)
end
local reached, here = hint(base .. ':r', 'm ' .. SUBJECT)
return {1, v[1], s, reached, here}
