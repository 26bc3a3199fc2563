-- UTC timestamps of the inventory model ("YYYY-MM-DDTHH:MM:SS[.fff]Z") as
-- seconds since the epoch, the other way round, and the days between two
-- times.
--
-- Policies have no os.time (the sandbox has no os), so this is calendar
-- arithmetic: the proleptic Gregorian calendar, days of 86400 seconds (no
-- leap seconds, as in POSIX time and in the engine's own parser,
-- engine/collect/timestamp.c), years 0000 to 9999.

local error, type, tonumber, tostring = error, type, tonumber, tostring
local string_format, string_match = string.format, string.match
local math_floor, math_huge = math.floor, math.huge

local M = {}

local DAY = 86400
M.SECONDS_PER_DAY = DAY

-- The first and last second of the years 0000 to 9999.
local FIRST, LAST = -62167219200, 253402300799

-- Raise at the line that called the time.* function fn.  level counts
-- bad_at as 1: bad (called by fn itself) and helpers called by fn both
-- put that line at 4.
local function bad_at(level, fn, fmt, ...)
  error(string_format("time.%s: " .. fmt, fn, ...), level)
end

local function bad(fn, fmt, ...) bad_at(4, fn, fmt, ...) end

local function is_leap(y)
  return y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)
end

local MONTH_DAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

local function days_in_month(y, m)
  if m == 2 and is_leap(y) then return 29 end
  return MONTH_DAYS[m]
end

-- Days since 1970-01-01 (H. Hinnant's days_from_civil: eras of 400 years,
-- years that start in March so the leap day comes last).  Lua's // floors,
-- so years before 1970 need no special case.
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local yoe = y - era * 400
  local doy = (153 * (m > 2 and m - 3 or m + 9) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

local function civil_from_days(z)
  z = z + 719468
  local era = z // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local m = mp < 10 and mp + 3 or mp - 9
  return yoe + era * 400 + (m <= 2 and 1 or 0), m, doy - (153 * mp + 2) // 5 + 1
end

local FORM = "^(%d%d%d%d)%-(%d%d)%-(%d%d)T(%d%d):(%d%d):(%d%d)(.-)Z$"

-- Seconds since the epoch, or nil and why text is not a timestamp.
local function seconds_of(text)
  local y, mo, d, h, mi, s, fraction = string_match(text, FORM)
  if not y then return nil, "expected YYYY-MM-DDTHH:MM:SS[.fff]Z (UTC)" end
  if fraction ~= "" and not string_match(fraction, "^%.%d+$") then
    return nil, "expected digits after the seconds' decimal point, then Z"
  end
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  h, mi, s = tonumber(h), tonumber(mi), tonumber(s)
  if mo < 1 or mo > 12 then return nil, "month " .. mo .. " is not 1-12" end
  if d < 1 or d > days_in_month(y, mo) then
    return nil, string_format("day %d is not in %04d-%02d", d, y, mo)
  end
  if h > 23 or mi > 59 or s > 59 then
    return nil, string_format("%02d:%02d:%02d is not a time of day", h, mi, s)
  end
  local seconds = days_from_civil(y, mo, d) * DAY + h * 3600 + mi * 60 + s
  if fraction ~= "" then seconds = seconds + tonumber("0" .. fraction) end
  return seconds
end

-- parse(text) -> seconds since 1970-01-01T00:00:00Z: an integer, or a
-- float when text has a fraction of a second.
function M.parse(text)
  if type(text) ~= "string" then
    bad("parse", "expected a timestamp string, got %s", type(text))
  end
  local seconds, why = seconds_of(text)
  if not seconds then bad("parse", "invalid timestamp %q: %s", text, why) end
  return seconds
end

-- A time given as seconds or as a timestamp string, in seconds.
local function seconds_arg(fn, what, t)
  if type(t) == "number" then
    if t ~= t or t == math_huge or t == -math_huge then
      bad_at(4, fn, "%s is not a finite number of seconds", what)
    end
    return t
  end
  if type(t) ~= "string" then
    bad_at(4, fn, "%s must be seconds or a timestamp string, got %s", what, type(t))
  end
  local seconds, why = seconds_of(t)
  if not seconds then bad_at(4, fn, "%s: invalid timestamp %q: %s", what, t, why) end
  return seconds
end

-- format(seconds) -> "YYYY-MM-DDTHH:MM:SSZ", with ".fff" (milliseconds,
-- truncated) when seconds has a fraction.
function M.format(seconds)
  if type(seconds) ~= "number" or seconds ~= seconds then
    bad("format", "expected seconds since the epoch, got %s",
        type(seconds) == "number" and "NaN" or type(seconds))
  end
  if seconds < FIRST or seconds >= LAST + 1 then
    bad("format", "%s seconds is outside the years 0000-9999", tostring(seconds))
  end
  local whole = math_floor(seconds)
  local y, m, d = civil_from_days(whole // DAY)
  local rest = whole % DAY
  local text = string_format("%04d-%02d-%02dT%02d:%02d:%02d", y, m, d,
                             rest // 3600, rest % 3600 // 60, rest % 60)
  if seconds == whole then return text .. "Z" end
  -- A double holds about microseconds at today's epochs: round to them
  -- first, so "...46.607Z" parsed and formatted stays .607.
  local millis = math_floor((seconds - whole) * 1e6 + 0.5) // 1000
  if millis > 999 then millis = 999 end
  return string_format("%s.%03dZ", text, millis)
end

-- days_between(from, to) -> the days from `from` to `to`, with their
-- fraction (negative when `to` is the earlier).  Each is seconds since the
-- epoch (ctx.now is) or a timestamp string.
function M.days_between(from, to)
  local a = seconds_arg("days_between", "from", from)
  local b = seconds_arg("days_between", "to", to)
  return (b - a) / DAY
end

return M
