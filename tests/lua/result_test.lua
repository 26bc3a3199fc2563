local result = require "result"
local check = require "check"
local eq, raises = check.eq, check.raises

local tests = {}

tests["builders"] = function()
  local r = result.pass("TLS is on")
  eq(r.status, "pass") eq(r.reason, "TLS is on") eq(r.evidence, nil)
  r = result.fail("TLS is off", { TransitEncryptionEnabled = false })
  eq(r.status, "fail") eq(r.evidence.TransitEncryptionEnabled, false)
  eq(result.not_applicable("Memcached has no AUTH").status, "not_applicable")
  eq(result.unknown("mode not reported").status, "unknown")
  eq(result.pass().reason, nil, "a pass needs no reason")
end

tests["reason must be a non-empty string"] = function()
  raises("result.fail: reason must be a non-empty string, got nil", result.fail)
  raises("got number", result.unknown, 42)
  raises("got an empty string", result.not_applicable, "")
  raises("result.pass: reason must be a non-empty string, got table", result.pass, {})
end

tests["the error points at the caller"] = function()
  -- Not a tail call: `return result.fail(...)` replaces the caller's frame,
  -- and then no level can name the policy line.
  local function policy_line()
    local r = result.fail(nil)
    return r
  end
  local err = raises("reason must be", policy_line)
  assert(err:find("result_test.lua:", 1, true), "names the calling file: " .. err)
end

tests["evidence must be a table"] = function()
  raises("evidence must be a table, got string", result.fail, "x", "sg-1")
  -- What is inside is the engine's to check, as it writes the report
  -- (tests/sandbox: S-EVIDENCE).
  local shared = { "sg-1" }
  local r = result.fail("x", { a = shared, b = shared })
  eq(r.evidence.a, shared, "a table used twice is kept as it is")
end

return tests
