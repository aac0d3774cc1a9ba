-- The reaper's lease (KEYS[1] is <P>{g}:reaper): one node at a time does the cluster's periodic
-- work. ARGV[17] the lease in ms. Returns {1} if this node held it and renewed it, {2} if it took
-- it now (it was free: the last holder left or stopped renewing), {0} if another node holds it.
local holder = redis.call('GET', KEYS[1])
if holder == NODE then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[17]))
  return {1}
end
if not holder then
  redis.call('SET', KEYS[1], NODE, 'PX', tonumber(ARGV[17]))
  return {2}
end
return {0}
