-- The --config file: a Lua chunk that returns a table of settings (it runs
-- with no functions at all in its environment, so it can only be data).
-- Engine code: checks the table and hands the runner plain settings.
-- Documented in docs/config.md.

local next, rawget, rawlen, type, tostring = next, rawget, rawlen, type,
  tostring
local concat, sort = table.concat, table.sort

local M = {}

local known = { fail_on = true, only = true, skip = true, severity = true,
                params = true }
local severities = { info = true, low = true, medium = true, high = true,
                     critical = true }

local function bad(file, where, fmt, ...)
  error(("%s: %s: " .. fmt):format(file, where, ...), 0)
end

local function keys(t)
  local out = {}
  for k in next, t do out[#out + 1] = tostring(k) end
  sort(out)
  return out
end

local function string_list(v, file, where)
  if type(v) ~= "table" then bad(file, where, "expected a list of strings") end
  local out = {}
  for i = 1, rawlen(v) do
    local s = rawget(v, i)
    if type(s) ~= "string" then
      bad(file, ("%s[%d]"):format(where, i), "expected a string, got a %s", type(s))
    end
    out[i] = s
  end
  for k in next, v do
    if type(k) ~= "number" then bad(file, where, "expected a list, found key '%s'", tostring(k)) end
  end
  return out
end

function M.read(t, file)
  if type(t) ~= "table" then
    error(("%s: the file must return a table of settings"):format(file), 0)
  end
  for k in next, t do
    if not known[k] then
      bad(file, tostring(k), "unknown setting (settings are: %s)", concat(keys(known), ", "))
    end
  end
  local out = { only = {}, skip = {}, severity = {}, params = {} }
  local fail_on = rawget(t, "fail_on")
  if fail_on ~= nil then
    if fail_on ~= "none" and not severities[fail_on] then
      bad(file, "fail_on", "'%s' is not a severity (info, low, medium, high, critical, none)",
        tostring(fail_on))
    end
    out.fail_on = fail_on
  end
  if rawget(t, "only") ~= nil then out.only = string_list(t.only, file, "only") end
  if rawget(t, "skip") ~= nil then out.skip = string_list(t.skip, file, "skip") end
  local sev = rawget(t, "severity")
  if sev ~= nil then
    if type(sev) ~= "table" then bad(file, "severity", "expected a table of control id = severity") end
    for id, s in next, sev do
      if type(id) ~= "string" or not severities[s] then
        bad(file, "severity." .. tostring(id), "expected a severity, got '%s'", tostring(s))
      end
      out.severity[#out.severity + 1] = { control = id, severity = s, origin = file }
    end
    sort(out.severity, function(a, b) return a.control < b.control end)
  end
  local params = rawget(t, "params")
  if params ~= nil then
    if type(params) ~= "table" then bad(file, "params", "expected a table of control id = { name = value }") end
    local ids = keys(params)
    for _, id in next, ids do
      local p = params[id]
      if type(p) ~= "table" then bad(file, "params." .. id, "expected a table of name = value") end
      for _, name in next, keys(p) do
        out.params[#out.params + 1] = { control = id, name = name, value = p[name],
                                        origin = file }
      end
    end
  end
  return out
end

return M
