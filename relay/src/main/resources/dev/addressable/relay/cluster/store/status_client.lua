-- Store.status and Store.exists for a client (KEYS[1] is <P>{C}:ch): online if any channel is,
-- last seen when the latest was (see status.lua). {0} without a live channel, else {1, online,
-- last seen}.
local ch = KEYS[1]
local any, online, last = false, false, 0
for _, name in ipairs(redis.call('HKEYS', ch)) do
  local base = sibling(ch, name)
  if alive(base) then
    any = true
    local v = redis.call('HMGET', base .. ':m', 'ls', 'lv')
    local seen = tonumber(v[1])
    if held(base .. ':r') then
      online, seen = true, NOW
    elseif not v[2] and seen + GRACE > NOW then
      online = true
    end
    last = math.max(last, seen)
  end
end
if not any then return {0} end
return {1, online and 1 or 0, last}
