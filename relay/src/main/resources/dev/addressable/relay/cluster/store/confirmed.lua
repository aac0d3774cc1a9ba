-- Store.confirmed for a channel: {e, a}, or {} if it is not live. The asking node is a sender
-- waiting for a receipt (Receipts asks first, then waits): it is registered in w for 11 s, so
-- confirmations are hinted to it.
local base = KEYS[1]
if not alive(base) then return {} end
local v = switch(base .. ':m', incarnation())
redis.call('HSET', base .. ':w', NODE, NOW + 11000)
redis.call('PEXPIRE', base .. ':w', KEEP)
return {v[1], tonumber(redis.call('HGET', base .. ':m', 'a') or 0)}
