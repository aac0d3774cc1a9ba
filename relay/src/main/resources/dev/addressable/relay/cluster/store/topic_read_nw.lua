#!lua flags=no-writes
-- A topic's part of a read while Redis is full (an OOM answer to topic_read.lua): the same read,
-- writing nothing (no lease, no subscriber record, no lazy switch); a topic Redis forgot cannot
-- be made anew (OOM). Takes topic_read.lua's arguments and ignores those that write.
-- Returns {e, seq read through, missed, entries}.
local base = KEYS[1]
incarnation()
local v = redis.call('HMGET', base .. ':m', 'e', 's', 'g', 'pe', 'ps', 'pc')
if not v[1] then
  error({err = 'OOM Redis is full and this topic is gone: it cannot be made anew now'})
end
local from, missed = tonumber(v[2]), false
if ARGV[17] ~= '' then
  from, missed = position(v, ARGV[17], tonumber(ARGV[18]))
end
local out, last, gone = read(base .. ':l', from, tonumber(v[2]), tonumber(ARGV[19]), tonumber(ARGV[20]))
return {v[1], last, (missed or gone) and 1 or 0, out}
