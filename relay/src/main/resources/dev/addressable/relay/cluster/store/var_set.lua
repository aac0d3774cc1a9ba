-- Store.setVariable: sets it for good (EVENT_TTL after its last use), hints the leased nodes and
-- drops their leases. Returns {waiters reached elsewhere, 1 if this node holds a lease}; {0, 0}
-- if it was set already.
local k = KEYS[1]
if redis.call('EXISTS', k) == 1 then
  redis.call('PEXPIRE', k, EVENT_TTL)
  return {0, 0}
end
redis.call('SET', k, '1', 'PX', EVENT_TTL)
local reached, here = hint(k .. ':r', 'e ' .. SUBJECT)
redis.call('DEL', k .. ':r')
return {reached, here}
