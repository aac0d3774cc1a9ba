-- The agenda items due now (KEYS[1] is the agenda <P>{g}:due), at most ARGV[17] of them, the
-- earliest first: members "<kind>:<base>" for reap.lua.
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', NOW, 'LIMIT', 0, tonumber(ARGV[17]))
