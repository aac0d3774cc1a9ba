-- Store.awaitVariable (KEYS[1] is <P>{ev:N}): {1} if set; else {0}, with this node leased for
-- ARGV[17] ms (0: no lease) so that setting it hints this node.
local k = KEYS[1]
if redis.call('EXISTS', k) == 1 then
  redis.call('PEXPIRE', k, EVENT_TTL)
  return {1}
end
local len = tonumber(ARGV[17])
if len > 0 then
  take(k .. ':r', NOW + len + 2000)
  redis.call('PEXPIRE', k .. ':r', len + 60000)
end
return {0}
