-- The incarnation check (CLUSTER.md section 4), atomic, so that however many nodes notice one
-- change of Redis, the first rotates the token and the others find r and p already equal.
--
-- KEYS[1]  the incarnation hash, <prefix>{g}:inc: t token, pt previous token, d continuity of that
--          change (1/0), r run_id, p master_replid, k fingerprint of the relay secret
-- ARGV[1]  run_id and ARGV[2] master_replid, as the node read them from INFO
-- ARGV[3]  a fresh token from the node (scripts make no randomness)
-- ARGV[4]  continuity of a change seen now: 1 for a single primary with appendfsync always
-- ARGV[5]  the node's secret fingerprint
-- ARGV[6]  the token the node saw last, or '' (the previous token if the key is gone)
--
-- Returns {t, pt, d, outcome}; outcome is 'same', 'rotated', 'created' (the key was missing: a
-- flush, or a restart that kept nothing, so d is 0) or 'foreign' (another secret owns the key;
-- nothing is written).
local inc = KEYS[1]
local k = redis.call('HGET', inc, 'k')
if k and k ~= ARGV[5] then
  return {'', '', '0', 'foreign'}
end
local cur = redis.call('HMGET', inc, 't', 'pt', 'd', 'r', 'p')
if not cur[1] then
  redis.call('HSET', inc, 't', ARGV[3], 'pt', ARGV[6], 'd', '0', 'r', ARGV[1], 'p', ARGV[2], 'k', ARGV[5])
  return {ARGV[3], ARGV[6], '0', 'created'}
end
if cur[4] == ARGV[1] and cur[5] == ARGV[2] then
  return {cur[1], cur[2] or '', cur[3] or '0', 'same'}
end
redis.call('HSET', inc, 'pt', cur[1], 't', ARGV[3], 'd', ARGV[4], 'r', ARGV[1], 'p', ARGV[2], 'k', ARGV[5])
return {ARGV[3], cur[1], ARGV[4], 'rotated'}
