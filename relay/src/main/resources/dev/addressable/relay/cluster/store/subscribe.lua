-- Store.subscribe, channel step (the topic's end pair was read first): ARGV[17] topic id,
-- ARGV[18] where following begins, "e.s". Returns {1} if newly followed, {0} if already.
local base = KEYS[1]
live_channel(base, incarnation())
local t = base .. ':t'
local added = 0
if redis.call('HEXISTS', t, ARGV[17]) == 0 then
  if redis.call('HLEN', t) >= MAX_TOPICS then
    error({err = 'TOOMANYTOPICS ' .. MAX_TOPICS})
  end
  redis.call('HSET', t, ARGV[17], ARGV[18])
  added = 1
end
proven(base)
return {added}
