local version = require "version"
local check = require "check"
local eq = check.eq

local tests = {}

tests["numeric comparison, not text"] = function()
  eq(version.compare("7.0.7", "7.0.7"), 0)
  eq(version.compare("6.2", "7.0"), -1)
  eq(version.compare("7.0", "6.2"), 1)
  eq(version.compare("1.6.12", "1.6.6"), 1, "12 > 6, though '1' < '6' as text")
  eq(version.compare("10.0", "9.9"), 1)
  eq(version.compare("5.0.6", "5.0.10"), -1)
end

tests["missing components count as 0"] = function()
  eq(version.compare("7", "7.0.0"), 0)
  eq(version.compare("7", "7.0.1"), -1)
  eq(version.compare("7.2", "7.1.9"), 1)
  eq(version.compare(7, "7.0"), 0, "an integer is a one-part version")
end

tests["a non-numeric component is the lowest value of its place"] = function()
  eq(version.compare("6.x", "6.0"), 0, "6.x is the 6 family at its least")
  eq(version.compare("6.x", "6"), 0)
  eq(version.compare("6.x", "6.0.1"), -1, "so 6.x < 6.0.1")
  eq(version.compare("6.x", "6.2"), -1)
  eq(version.compare("6.x", "5.0.6"), 1, "the major still counts")
  assert(version.at_least("6.x", "6"))
  assert(version.at_least("6.x", "6.0"))
  assert(not version.at_least("6.x", "6.2"), "not sure it is 6.2: not at least")
  eq(version.major("6.x"), 6)
  local parts = version.parts("6.x")
  eq(#parts, 2) eq(parts[1], 6) eq(parts[2], 0)
end

tests["at_least"] = function()
  assert(version.at_least("7.2", "7.2"))
  assert(version.at_least("7.2.4", "7.2"))
  assert(version.at_least("8.0", "7.2"))
  assert(not version.at_least("7.1", "7.2"))
  assert(version.at_least("1.6.12", "1.6.12"))
  assert(not version.at_least("1.6.6", "1.6.12"))
  eq(version.major("7.1.0"), 7)
end

tests["bad arguments raise"] = function()
  local ok, err = pcall(version.compare, nil, "7")
  assert(not ok and err:find("expected a version string", 1, true), err)
  ok, err = pcall(version.at_least, "", "7")
  assert(not ok and err:find("an empty string", 1, true), err)
  ok, err = pcall(version.compare, "7", {})
  assert(not ok and err:find("got table", 1, true), err)
end

return tests
