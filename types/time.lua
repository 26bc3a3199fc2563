---@meta time
-- LuaLS types of stdlib/time.lua: the model's UTC timestamps
-- ("YYYY-MM-DDTHH:MM:SS[.fff]Z") and seconds since the epoch, for the
-- years 0000-9999 (docs/stdlib.md#time).  Bad arguments raise, naming them.

---@class ecpolicy.time
local time = {}

---@type integer
time.SECONDS_PER_DAY = 86400

--- Seconds since 1970-01-01T00:00:00Z: an integer, or a float when text has
--- a fraction of a second.
---@param text string
---@return number seconds
function time.parse(text) end

--- "YYYY-MM-DDTHH:MM:SSZ", with ".fff" (milliseconds, truncated) when
--- seconds has a fraction.
---@param seconds number
---@return string
function time.format(seconds) end

--- The days from `from` to `to`, with their fraction; negative when `to` is
--- the earlier.  Each is seconds (such as ctx.now) or a timestamp string.
---@param from number|string
---@param to number|string
---@return number days
function time.days_between(from, to) end

return time
