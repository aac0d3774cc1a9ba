-- Store.status and Store.exists for a channel: {0} if not live, else {1, online, last seen}.
local base = KEYS[1]
if not alive(base) then return {0} end
if held(base .. ':r') then return {1, 1, NOW} end
local ls = tonumber(redis.call('HGET', base .. ':m', 'ls'))
return {1, (ls + GRACE > NOW) and 1 or 0, ls}
