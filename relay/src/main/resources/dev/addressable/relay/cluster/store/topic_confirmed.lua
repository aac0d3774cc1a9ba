-- Store.confirmed for a topic: {e, a}, or {} if the store does not hold it; the asking node waits
-- for a receipt and is registered for hints, as in confirmed.lua.
local base = KEYS[1]
if redis.call('EXISTS', base .. ':m') == 0 then return {} end
local v = switch(base .. ':m', incarnation())
redis.call('HSET', base .. ':w', NODE, NOW + 11000)
redis.call('PEXPIRE', base .. ':w', TOPIC_TTL)
return {v[1], tonumber(redis.call('HGET', base .. ':m', 'a') or 0)}
