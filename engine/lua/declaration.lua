-- Policy declarations: checking what a policy file returned, and merging
-- its parameters with --config and --param.  Engine code; it reads the
-- declaration with rawget so no metamethod of the policy runs here.
-- The declaration contract is docs/policy-api.md.

local rawget, rawlen, next, type, tostring, tonumber = rawget, rawlen, next,
  type, tostring, tonumber
local math_type, tointeger = math.type, math.tointeger
local sort, concat = table.sort, table.concat

-- Declarations come from policies: walk them raw, so that no __pairs,
-- __index or __len of theirs runs inside the engine.
local function pairs(t) return next, t, nil end
local function ipairs(t)
  local i, n = 0, rawlen(t)
  return function()
    i = i + 1
    if i <= n then return i, rawget(t, i) end
  end
end

local M = {}

local severities = { info = 1, low = 2, medium = 3, high = 4, critical = 5 }
M.severities = severities

local fields = {
  id = "string", title = "string", severity = "string", resource = "string",
  check = "function", params = "table", refs = "table", rationale = "string",
  remediation = "string", needs = "table", remediate = "function",
}
local required = { "id", "title", "severity", "resource", "check" }

local function fail(file, field, fmt, ...)
  error(("%s: field '%s': " .. fmt):format(file, field, ...), 0)
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = tostring(k) end
  sort(keys)
  return keys
end

local function is_sequence(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  for i = 1, n do if rawget(t, i) == nil then return false end end
  return true
end

-- A private copy of parameter data; anything that is not data is refused.
local function copy_data(v, file, field, depth)
  local tv = type(v)
  if tv == "string" or tv == "number" or tv == "boolean" then return v end
  if tv ~= "table" then
    fail(file, field, "parameters hold data only, not a %s", tv)
  end
  if depth > 8 then fail(file, field, "nested too deeply") end
  local out = {}
  for k, x in pairs(v) do
    if type(k) ~= "string" and math_type(k) ~= "integer" then
      fail(file, field, "keys must be strings or integers")
    end
    out[k] = copy_data(x, file, field .. "." .. tostring(k), depth + 1)
  end
  return out
end

local function check_refs(refs, file)
  for k, v in pairs(refs) do
    if type(k) ~= "string" then fail(file, "refs", "keys must be strings") end
    if type(v) == "table" then
      for i, s in ipairs(v) do
        if type(s) ~= "string" then
          fail(file, "refs." .. k, "item %d is a %s, not a string", i, type(s))
        end
      end
    elseif type(v) ~= "string" then
      fail(file, "refs." .. k, "expected a string or a list of strings, got a %s", type(v))
    end
  end
end

-- Check a declaration; return the engine's own description of it.
function M.validate(decl, file, collections)
  if type(decl) ~= "table" then
    error(("%s: the file must return a declaration table, got %s"):format(
      file, decl == nil and "nothing" or "a " .. type(decl)), 0)
  end
  for k in pairs(decl) do
    if type(k) ~= "string" or not fields[k] then
      local known = sorted_keys(fields)
      error(("%s: unknown field '%s' (a declaration has: %s)"):format(
        file, tostring(k), concat(known, ", ")), 0)
    end
  end
  for _, f in ipairs(required) do
    if rawget(decl, f) == nil then fail(file, f, "is required") end
  end
  for f, want in pairs(fields) do
    local v = rawget(decl, f)
    if v ~= nil and type(v) ~= want then
      fail(file, f, "expected a %s, got a %s", want, type(v))
    end
  end
  local id = rawget(decl, "id")
  if not id:match("^[%w][%w._-]*$") then
    fail(file, "id", "'%s' is not an id (letters, digits, '.', '_', '-')", id)
  end
  if rawget(decl, "title") == "" then fail(file, "title", "is empty") end
  local sev = rawget(decl, "severity")
  if not severities[sev] then
    fail(file, "severity", "'%s' is not one of info, low, medium, high, critical", sev)
  end
  local resource = rawget(decl, "resource")
  if resource ~= "cache" and not collections[resource] then
    fail(file, "resource", "'%s' is neither \"cache\" nor a collection (%s)",
      resource, concat(sorted_keys(collections), ", "))
  end
  local needs = rawget(decl, "needs") or {}
  for i, n in ipairs(needs) do
    if not collections[n] then
      fail(file, "needs", "item %d, '%s', is not a collection", i, tostring(n))
    end
  end
  local refs = rawget(decl, "refs") or {}
  check_refs(refs, file)
  local params = {}
  for name, v in pairs(rawget(decl, "params") or {}) do
    if type(name) ~= "string" or not name:match("^[%a_][%w_]*$") then
      fail(file, "params", "'%s' is not a parameter name", tostring(name))
    end
    params[name] = copy_data(v, file, "params." .. name, 0)
  end
  return {
    id = id, title = rawget(decl, "title"), severity = sev,
    resource = resource, check = rawget(decl, "check"), params = params,
    refs = copy_data(refs, file, "refs", 0),
    rationale = rawget(decl, "rationale"),
    remediation = rawget(decl, "remediation"),
    remediate = rawget(decl, "remediate"),
    needs = copy_data(needs, file, "needs", 0), file = file,
  }
end

local truths = { ["true"] = true, yes = true, on = true, ["1"] = true,
                 ["false"] = false, no = false, off = false, ["0"] = false }

local function coerce_scalar(default, text, where)
  local t = type(default)
  if t == "string" then return text end
  if t == "boolean" then
    local b = truths[text:lower()]
    if b == nil then error(where .. ": expected true or false, got '" .. text .. "'", 0) end
    return b
  end
  local n = tonumber(text)
  if not n then error(where .. ": expected a number, got '" .. text .. "'", 0) end
  if math_type(default) == "integer" then
    if math_type(n) ~= "integer" then
      if n ~= n // 1 then error(where .. ": expected an integer, got '" .. text .. "'", 0) end
      n = tointeger(n)
    end
  end
  return n
end

-- A command-line value ("a,b,c" for lists) in the type of the default.
local function coerce_text(default, text, where)
  if type(default) ~= "table" then return coerce_scalar(default, text, where) end
  if not is_sequence(default) then
    error(where .. ": this parameter is a table; set it in a --config file", 0)
  end
  local out, model = {}, default[1] or ""
  for item in text:gmatch("[^,]+") do
    item = item:match("^%s*(.-)%s*$")
    if item ~= "" then out[#out + 1] = coerce_scalar(model, item, where) end
  end
  return out
end

local function same_shape(default, value, where)
  local td, tv = type(default), type(value)
  if td == "number" and tv == "number" then
    if math_type(default) == "integer" and math_type(value) ~= "integer" then
      error(where .. ": expected an integer", 0)
    end
    return
  end
  if td ~= tv then error(("%s: expected a %s, got a %s"):format(where, td, tv), 0) end
  if td == "table" and is_sequence(default) and rawlen(default) > 0 then
    for i, x in ipairs(value) do
      same_shape(default[1], x, ("%s[%d]"):format(where, i))
    end
  end
end

-- The description an override names; an unknown id is an error.
local function target(descs, o)
  local d = descs[o.control]
  if not d then
    error(("%s: no loaded control has the id '%s'"):format(o.origin, o.control), 0)
  end
  return d
end

-- Apply overrides {control, name, value, text, origin} to the descriptions
-- (by id); unknown controls or parameters are errors.
function M.apply_params(descs, overrides)
  for _, o in ipairs(overrides) do
    local d = target(descs, o)
    local default = d.params[o.name]
    if default == nil then
      local names = sorted_keys(d.params)
      error(("%s: control %s has no parameter '%s' (%s)"):format(o.origin,
        o.control, o.name, #names > 0 and "it has: " .. concat(names, ", ")
        or "it has none"), 0)
    end
    local where = ("%s: %s.%s"):format(o.origin, o.control, o.name)
    local value
    if o.text ~= nil then
      value = coerce_text(default, o.text, where)
    else
      same_shape(default, o.value, where)
      value = copy_data(o.value, o.origin, o.control .. "." .. o.name, 0)
    end
    d.params[o.name] = value
  end
end

-- Severity overrides {control, severity, origin}.
function M.apply_severity(descs, overrides)
  for _, o in ipairs(overrides) do
    local d = target(descs, o)
    if not severities[o.severity] then
      error(("%s: '%s' is not a severity"):format(o.origin, tostring(o.severity)), 0)
    end
    d.severity = o.severity
  end
end

return M
