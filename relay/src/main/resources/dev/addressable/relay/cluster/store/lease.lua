-- A poll's lease on a channel, taken after a read: the poll whose read.lua refused its lease (the
-- channel held its most receivers) found something in a topic after all and is answered at once,
-- so it holds a lease like any answered poll until it gives it back. ARGV[17] the poll's ms.
local base = KEYS[1]
if redis.call('EXISTS', base .. ':m') == 0 then return {0} end
take(base .. ':r', NOW + tonumber(ARGV[17]) + 2000)
return {1}
