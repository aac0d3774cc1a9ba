-- Store.unsubscribe, channel step: ARGV[17] topic id. Returns {1} if it was followed.
local base = KEYS[1]
live_channel(base, incarnation())
local removed = redis.call('HDEL', base .. ':t', ARGV[17])
proven(base)
return {removed}
