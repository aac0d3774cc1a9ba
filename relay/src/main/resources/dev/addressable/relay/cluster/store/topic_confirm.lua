-- A subscriber confirmed the topic up to a cursor: ARGV[17] epoch, ARGV[18] seq. Returns {e, raised a or -1}.
local base = KEYS[1]
local v = live_topic(base, incarnation())
return {v[1], confirm_topic(base, v, ARGV[17], tonumber(ARGV[18]))}
