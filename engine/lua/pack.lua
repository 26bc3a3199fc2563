-- Rule-pack manifests (pack.lua): checking what the file returned and the
-- ecpolicy version it asks for.  Engine code; raw reads only, so nothing
-- of the pack's runs here.  The format is docs/packs.md.

local next, rawget, type, tostring, tonumber = next, rawget, type, tostring,
  tonumber
local concat, sort = table.concat, table.sort

local M = {}

local fields = { name = "string", version = "string", description = "string",
                 ecpolicy = "string", settings = "table" }
-- A pack tunes controls; it does not decide the run's gate or narrow
-- what other packs run.
local settings_allowed = { params = true, severity = true, skip = true }

local function bad(file, field, fmt, ...)
  error(("%s: field '%s': " .. fmt):format(file, field, ...), 0)
end

local function parts(v)
  local out = {}
  for p in v:gmatch("[^.]+") do
    local n = tonumber(p)
    if not n or n ~= n // 1 or n < 0 then return nil end
    out[#out + 1] = n
  end
  if #out == 0 or #out > 4 then return nil end
  return out
end

local function compare(a, b)
  for i = 1, math.max(#a, #b) do
    local x, y = a[i] or 0, b[i] or 0
    if x ~= y then return x < y and -1 or 1 end
  end
  return 0
end

local tests = {
  [">="] = function(c) return c >= 0 end, [">"] = function(c) return c > 0 end,
  ["<="] = function(c) return c <= 0 end, ["<"] = function(c) return c < 0 end,
  ["="] = function(c) return c == 0 end,
}

-- Does version satisfy ">= 0.1, < 2"?  nil and why for a bad requirement.
function M.satisfies(version, requirement)
  local have = parts(version)
  for clause in requirement:gmatch("[^,]+") do
    local op, want = clause:match("^%s*([<>=]=?)%s*([%d.]+)%s*$")
    local wanted = want and parts(want)
    if not op or not tests[op] or not wanted then
      return nil, ("'%s' is not a version requirement (like \">= 0.1, < 2\")"):format(clause)
    end
    if not tests[op](compare(have, wanted)) then return false end
  end
  return true
end

-- config: the engine's config module, which reads the settings.
function M.read(t, file, ecpolicy_version, config)
  if type(t) ~= "table" then
    error(("%s: the file must return the pack's manifest table"):format(file), 0)
  end
  for k in next, t do
    if type(k) ~= "string" or not fields[k] then
      local names = {}
      for n in next, fields do names[#names + 1] = n end
      sort(names)
      error(("%s: unknown field '%s' (a manifest has: %s)"):format(file,
        tostring(k), concat(names, ", ")), 0)
    end
  end
  for f, want in next, fields do
    local v = rawget(t, f)
    if v ~= nil and type(v) ~= want then
      bad(file, f, "expected a %s, got a %s", want, type(v))
    end
  end
  local name = rawget(t, "name")
  if name == nil then bad(file, "name", "is required") end
  if not name:match("^[%w][%w._-]*$") then
    bad(file, "name", "'%s' is not a pack name (letters, digits, '.', '_', '-')", name)
  end
  if rawget(t, "version") == nil then bad(file, "version", "is required") end
  local requirement = rawget(t, "ecpolicy")
  if requirement then
    local ok, why = M.satisfies(ecpolicy_version, requirement)
    if ok == nil then bad(file, "ecpolicy", "%s", why) end
    if not ok then
      error(("%s: pack %s needs ecpolicy %s; this is ecpolicy %s"):format(file,
        name, requirement, ecpolicy_version), 0)
    end
  end
  local settings = rawget(t, "settings") or {}
  for k in next, settings do
    if not settings_allowed[k] then
      bad(file, "settings", "'%s' is not a pack setting (a pack sets params, severity and skip)",
          tostring(k))
    end
  end
  local read = config.read(settings, file .. ": settings")
  return { name = name, version = rawget(t, "version"),
           description = rawget(t, "description"), settings = read }
end

return M
