-- A subscriber confirmed the topic up to a cursor: ARGV[17] epoch, ARGV[18] seq. Returns {e, raised a or -1}.
local base = KEYS[1]
local v = live_topic(base, incarnation())
local c = confirmable(v, ARGV[17], tonumber(ARGV[18]))
if c < 0 or c > tonumber(v[2]) then return {v[1], -1} end
if c <= tonumber(redis.call('HGET', base .. ':m', 'a') or 0) then return {v[1], -1} end
redis.call('HSET', base .. ':m', 'a', c)
hint_waiters(base .. ':w', 'R ' .. SUBJECT .. ' ' .. v[1] .. ' ' .. c)
return {v[1], c}
