#!lua flags=no-writes
-- Store.readAndLease while Redis is full (an OOM answer to read.lua; CLUSTER.md section 8): the
-- same read, writing nothing, so receivers still get what is stored. No lease (the safety net's
-- position check finds new messages instead of hints), no confirmation, no lazy switch (the
-- meta's epoch is read as it stands: its pairs still name the same messages), and a channel that
-- is gone cannot be made anew (OOM). ARGV[17] cursor epoch ('' for the end), ARGV[18] cursor
-- seq, ARGV[19] most messages, ARGV[20] most bytes. Returns what read.lua returns, with no
-- confirmation raised.
local base = KEYS[1]
incarnation()
if not alive(base) then
  error({err = 'OOM Redis is full and this channel is gone: it cannot be made anew now'})
end
local v = redis.call('HMGET', base .. ':m', 'e', 's', 'g', 'pe', 'ps', 'pc')
local from, missed = position(v, ARGV[17], tonumber(ARGV[18]))
local out, last, gone = read(base .. ':l', from, tonumber(v[2]), tonumber(ARGV[19]), tonumber(ARGV[20]))
return {v[1], last, (missed or gone) and 1 or 0, -1, redis.call('HGETALL', base .. ':t'), out}
