-- Engine version comparison for dotted numeric versions ("7.0.7", "6.2",
-- "1.6.12", "7").
--
-- Missing components count as 0, so "7" == "7.0" == "7.0.0".
-- A component that is not all digits ("x" in "6.x", as ElastiCache reports
-- some Redis OSS 6 groups) counts as the lowest value a place can hold, 0:
-- "6.x" is the 6 family at its least, so "6.x" == "6.0", "6.x" < "6.0.1",
-- at_least("6.x", "6") is true and at_least("6.x", "6.2") is false. A
-- check that needs a minimum therefore never passes on a version it cannot
-- be sure of.

local error, tonumber, type = error, tonumber, type
local string_gmatch, string_match = string.gmatch, string.match
local math_max, math_tointeger = math.max, math.tointeger

local M = {}

local function components(v, level)
  if type(v) == "number" and math_tointeger(v) then
    return { math_tointeger(v) }
  end
  if type(v) ~= "string" or v == "" then
    error("version: expected a version string such as \"7.0.7\", got "
          .. (type(v) == "string" and "an empty string" or type(v)), level + 1)
  end
  local parts = {}
  for part in string_gmatch(v .. ".", "([^.]*)%.") do
    parts[#parts + 1] = string_match(part, "^%d+$") and tonumber(part) or 0
  end
  return parts
end

-- parts(v) -> the list of numeric components ("6.x" -> { 6, 0 }).
function M.parts(v)
  return components(v, 2)
end

local function compare_parts(pa, pb)
  for i = 1, math_max(#pa, #pb) do
    local x, y = pa[i] or 0, pb[i] or 0
    if x ~= y then return x < y and -1 or 1 end
  end
  return 0
end

-- compare(a, b) -> -1, 0 or 1.
function M.compare(a, b)
  return compare_parts(components(a, 2), components(b, 2))
end

function M.at_least(v, min)
  return compare_parts(components(v, 2), components(min, 2)) >= 0
end

-- major(v) -> the first component as an integer ("7.1" -> 7).
function M.major(v)
  return components(v, 2)[1]
end

return M
