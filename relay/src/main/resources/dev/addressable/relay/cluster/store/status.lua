-- Store.status and Store.exists for a channel: {0} if not live, else {1, online, last seen}.
-- Online while a lease holds it, and for the grace period after it was last seen unless its
-- receiver said it leaves (lv).
local base = KEYS[1]
if not alive(base) then return {0} end
if held(base .. ':r') then return {1, 1, NOW} end
local v = redis.call('HMGET', base .. ':m', 'ls', 'lv')
local ls = tonumber(v[1])
return {1, (not v[2] and ls + GRACE > NOW) and 1 or 0, ls}
