local time = require "time"
local check = require "check"
local eq, raises = check.eq, check.raises

local tests = {}

-- Known epochs, from POSIX time (date -u -d ... +%s).
local KNOWN = {
  { "1970-01-01T00:00:00Z", 0 },
  { "1969-12-31T23:59:59Z", -1 },
  { "2000-02-29T00:00:00Z", 951782400 },
  { "2000-03-01T00:00:00Z", 951868800 },
  { "2015-02-02T01:21:46Z", 1422840106 },
  { "2026-01-01T00:00:00Z", 1767225600 },
  { "2038-01-19T03:14:08Z", 2147483648 },
  { "2100-03-01T00:00:00Z", 4107542400 },
  { "0000-01-01T00:00:00Z", -62167219200 },
  { "9999-12-31T23:59:59Z", 253402300799 },
}

tests["parse gives POSIX seconds"] = function()
  for _, case in ipairs(KNOWN) do
    local got = time.parse(case[1])
    eq(got, case[2], case[1])
    eq(math.type(got), "integer", case[1] .. " without a fraction is an integer")
  end
end

tests["format is parse's inverse"] = function()
  for _, case in ipairs(KNOWN) do
    eq(time.format(case[2]), case[1], tostring(case[2]))
  end
  for seconds = -86400 * 800, 86400 * 800, 86400 * 7 + 3661 do
    eq(time.parse(time.format(seconds)), seconds, "round trip of " .. seconds)
  end
end

tests["leap years: every fourth, not centuries, but every fourth century"] = function()
  eq(time.parse("2024-03-01T00:00:00Z") - time.parse("2024-02-28T00:00:00Z"), 2 * 86400)
  eq(time.parse("2100-03-01T00:00:00Z") - time.parse("2100-02-28T00:00:00Z"), 86400)
  eq(time.parse("2000-03-01T00:00:00Z") - time.parse("2000-02-28T00:00:00Z"), 2 * 86400)
  raises("day 29 is not in 2100-02", time.parse, "2100-02-29T00:00:00Z")
  raises("day 29 is not in 2025-02", time.parse, "2025-02-29T00:00:00Z")
  eq(time.format(time.parse("2024-02-29T12:00:00Z")), "2024-02-29T12:00:00Z")
end

tests["fractions of a second"] = function()
  local t = time.parse("2015-02-02T01:21:46.607Z")
  eq(math.type(t), "float")
  eq(math.floor(t), 1422840106)
  eq(time.format(t), "2015-02-02T01:21:46.607Z", "milliseconds survive the double")
  eq(time.format(1422840106.5), "2015-02-02T01:21:46.500Z")
  eq(time.format(-0.5), "1969-12-31T23:59:59.500Z", "before the epoch, floor not truncation")
  eq(time.parse("2015-02-02T01:21:46.6Z"), 1422840106.6, "any number of digits")
  eq(time.format(1422840106.0), "2015-02-02T01:21:46Z", "a whole float prints no fraction")
end

tests["only the model's form is a timestamp"] = function()
  raises("expected YYYY-MM-DDTHH:MM:SS[.fff]Z (UTC)", time.parse, "2015-02-02T01:21:46+00:00")
  raises("expected YYYY-MM-DDTHH:MM:SS[.fff]Z", time.parse, "2015-02-02 01:21:46Z")
  raises("expected YYYY-MM-DDTHH:MM:SS[.fff]Z", time.parse, "2015-02-02T01:21Z")
  raises("expected YYYY-MM-DDTHH:MM:SS[.fff]Z", time.parse, "2015-02-02T01:21:46")
  raises("expected YYYY-MM-DDTHH:MM:SS[.fff]Z", time.parse, " 2015-02-02T01:21:46Z")
  raises("expected digits after the seconds' decimal point", time.parse, "2015-02-02T01:21:46.Z")
  raises("expected digits after the seconds' decimal point", time.parse, "2015-02-02T01:21:467Z")
  raises("month 13 is not 1-12", time.parse, "2015-13-01T00:00:00Z")
  raises("month 0 is not 1-12", time.parse, "2015-00-01T00:00:00Z")
  raises("day 0 is not in 2015-01", time.parse, "2015-01-00T00:00:00Z")
  raises("day 31 is not in 2015-04", time.parse, "2015-04-31T00:00:00Z")
  raises("24:00:00 is not a time of day", time.parse, "2015-04-30T24:00:00Z")
  raises("23:59:60 is not a time of day", time.parse, "2015-04-30T23:59:60Z")
  raises('invalid timestamp "yesterday"', time.parse, "yesterday")
  raises("expected a timestamp string, got number", time.parse, 1422840106)
  raises("expected a timestamp string, got nil", time.parse, nil)
end

tests["days_between: from the first to the second, with the fraction"] = function()
  local now = time.parse("2026-01-01T00:00:00Z")
  eq(time.days_between("2025-10-03T00:00:00Z", now), 90.0)
  eq(time.days_between(now, "2025-10-03T00:00:00Z"), -90.0, "negative when the second is earlier")
  eq(time.days_between("2025-12-31T12:00:00Z", "2026-01-01T00:00:00Z"), 0.5)
  eq(time.days_between(now, now + 86400 * 365), 365.0, "seconds work as well as text")
  eq(time.days_between("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"), 366.0, "a leap year")
end

tests["bad arguments raise, naming the function and the argument"] = function()
  raises("time.days_between: from: invalid timestamp \"soon\"", time.days_between, "soon", 0)
  raises("time.days_between: to must be seconds or a timestamp string, got table",
         time.days_between, 0, {})
  raises("time.days_between: from is not a finite number of seconds", time.days_between, 0 / 0, 0)
  raises("time.days_between: to is not a finite number of seconds", time.days_between, 0, math.huge)
  raises("time.format: expected seconds since the epoch, got string", time.format, "0")
  raises("time.format: expected seconds since the epoch, got NaN", time.format, 0 / 0)
  raises("outside the years 0000-9999", time.format, 253402300800)
  raises("outside the years 0000-9999", time.format, -62167219201)
end

tests["errors point at the caller's line"] = function()
  local ok, err = pcall(function() local t = time.parse("nope") return t end)
  assert(not ok and err:find("time_test.lua:%d+: time.parse"), err)
  ok, err = pcall(function() local d = time.days_between("nope", 0) return d end)
  assert(not ok and err:find("time_test.lua:%d+: time.days_between"), err)
end

return tests
