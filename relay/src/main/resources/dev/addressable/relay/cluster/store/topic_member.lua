-- A channel joins (ARGV[18] '1') or leaves ('0') the topic's subscriber set: ARGV[17] "C/H".
local base = KEYS[1]
live_topic(base, incarnation())
if ARGV[18] == '1' then
  redis.call('ZADD', base .. ':s', NOW + IDLE, ARGV[17])
  redis.call('PEXPIRE', base .. ':s', TOPIC_TTL)
else
  redis.call('ZREM', base .. ':s', ARGV[17])
end
return {1}
