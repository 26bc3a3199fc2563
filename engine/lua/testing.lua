-- ecpolicy test: checking what a test file returned, and comparing the
-- results of a case with what it expects.  Engine code; the contract is
-- docs/testing.md.  Test files are read raw (rawget, next), as declarations
-- are, so no metamethod of theirs runs here, and what is kept of them is
-- a copy.

local rawget, rawlen, next, type, tostring, error = rawget, rawlen, next,
  type, tostring, error
local math_type = math.type
local sort, concat = table.sort, table.concat
local find, format, gsub, sub = string.find, string.format, string.gsub,
  string.sub

local M = {}

local statuses = { pass = true, fail = true, not_applicable = true,
                   unknown = true, error = true }
local status_list = "pass, fail, not_applicable, unknown, error"

local file_fields = { control = "string", policy = "string",
                      fixture = "fixture", params = "table",
                      now = "time", cases = "table" }
local case_fields = { name = "string", fixture = "fixture", params = "table",
                      now = "time", expect = "table" }
local expect_fields = { status = true, reason = true, evidence = true,
                        plan = true }
local plan_fields = { kind = true, actions = true, warnings = true,
                      summary = true, steps = true, preconditions = true }
local plan_kinds = { in_place = true, migration = true }

local function sorted_keys(t)
  local keys = {}
  for k in next, t do keys[#keys + 1] = k end
  sort(keys, function(a, b)
    if type(a) == type(b) and (type(a) == "string" or type(a) == "number") then
      return a < b
    end
    return type(a) < type(b)
  end)
  return keys
end

local function names(fields)
  local out = {}
  for _, k in next, sorted_keys(fields) do out[#out + 1] = k end
  return concat(out, ", ")
end

-- "a.b", "a[2]", 'a["rg-plain"]': how a place in the file is written.
local function sub_path(path, k)
  if math_type(k) == "integer" then return format("%s[%d]", path, k) end
  if type(k) == "string" and find(k, "^[%a_][%w_]*$") then
    return path == "" and k or path .. "." .. k
  end
  return format("%s[%q]", path, tostring(k))
end

local function is_list(t)
  local n = 0
  for _ in next, t do n = n + 1 end
  return n == rawlen(t)
end

-- A string as messages show it: quoted, control characters escaped.
local function quote(s)
  s = gsub(tostring(s), '[%c"\\]', function(ch)
    if ch == '"' or ch == "\\" then return "\\" .. ch end
    if ch == "\n" then return "\\n" end
    return format("\\x%02x", ch:byte())
  end)
  return '"' .. s .. '"'
end

local Check = {}
Check.__index = Check

function Check:bad(where, fmt, ...)
  error(format("%s: %s: " .. fmt, self.file, where, ...), 0)
end

-- A private copy of data; anything else is refused where it is.
function Check:data(v, where, depth)
  local t = type(v)
  if t == "string" or t == "boolean" then return v end
  if t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then
      self:bad(where, "not a finite number")
    end
    return v
  end
  if t ~= "table" then self:bad(where, "expected data, got a %s", t) end
  if depth > 32 then self:bad(where, "nested too deeply") end
  local out = {}
  for k, x in next, v do
    if type(k) ~= "string" and math_type(k) ~= "integer" then
      self:bad(where, "keys must be strings or integers, not a %s", type(k))
    end
    out[k] = self:data(x, sub_path(where, k), depth + 1)
  end
  return out
end

function Check:fields(t, where, allowed, what)
  for k in next, t do
    if type(k) ~= "string" or not allowed[k] then
      self:bad(sub_path(where, k), "unknown field (%s has: %s)", what,
               names(allowed))
    end
  end
  for k, want in next, allowed do
    local v = rawget(t, k)
    local ok = v == nil or want == true or type(v) == want
      or (want == "fixture" and (type(v) == "string" or type(v) == "table"))
      or (want == "time" and (type(v) == "string" or type(v) == "number"))
    if not ok then
      local wanted = want == "fixture" and "a path or a table"
        or want == "time" and "a timestamp string or seconds"
        or "a " .. want
      self:bad(sub_path(where, k), "expected %s, got a %s", wanted, type(v))
    end
  end
end

function Check:plan(p, where)
  if p == false then return false end
  if type(p) ~= "table" then
    self:bad(where, "expected false (no plan) or a table the plan must match, got a %s",
             type(p))
  end
  self:fields(p, where, plan_fields, "a plan expectation")
  local out = self:data(p, where, 0)
  if out.kind ~= nil and not plan_kinds[out.kind] then
    self:bad(where .. ".kind", "expected \"in_place\" or \"migration\", got %s",
             tostring(out.kind))
  end
  if out.actions ~= nil then
    if type(out.actions) ~= "table" or not is_list(out.actions) then
      self:bad(where .. ".actions", "expected a list of API actions")
    end
    for i, a in next, out.actions do
      if type(a) ~= "string" then
        self:bad(format("%s.actions[%d]", where, i), "expected a string, got a %s", type(a))
      end
    end
  end
  local warnings = out.warnings
  if type(warnings) == "table" then
    if not is_list(warnings) then
      self:bad(where .. ".warnings", "expected a list of texts, one per warning")
    end
    for i, text in next, warnings do
      if type(text) ~= "string" then
        self:bad(format("%s.warnings[%d]", where, i), "expected a string, got a %s", type(text))
      end
    end
  elseif warnings ~= nil and (math_type(warnings) ~= "integer" or warnings < 0) then
    self:bad(where .. ".warnings", "expected how many warnings at least (a whole number), "
             .. "or a list of texts, one per warning")
  end
  return out
end

function Check:expectation(key, v, where)
  if type(key) ~= "string" or key == "" then
    self:bad(where, "keys name resources: strings such as \"rg-plain\" or \"us-east-1/rg-plain\"")
  end
  where = format("%s[%q]", where, key)
  local bare = type(v) == "string"
  if bare then v = { status = v } end
  if type(v) ~= "table" then
    self:bad(where, "expected a status or a table { status = ... }, got a %s", type(v))
  end
  self:fields(v, where, expect_fields, "an expectation")
  local status = rawget(v, "status")
  local status_where = bare and where or where .. ".status"
  if status == nil then self:bad(status_where, "is required") end
  if not statuses[status] then
    self:bad(status_where, "%s is not a status (%s)", format("%q", tostring(status)),
             status_list)
  end
  local e = { key = key, status = status, where = where }
  local reason = rawget(v, "reason")
  if reason ~= nil and type(reason) ~= "string" then
    self:bad(where .. ".reason", "expected a string, got a %s", type(reason))
  end
  e.reason = reason
  local evidence = rawget(v, "evidence")
  if evidence ~= nil then
    if type(evidence) ~= "table" then
      self:bad(where .. ".evidence", "expected a table, got a %s", type(evidence))
    end
    e.evidence = self:data(evidence, where .. ".evidence", 0)
  end
  local plan = rawget(v, "plan")
  if plan ~= nil then
    if status ~= "fail" then
      self:bad(where .. ".plan", "only a fail has a plan, and this expects %s", status)
    end
    e.plan = self:plan(plan, where .. ".plan")
  end
  return e
end

function Check:expect(t, where)
  local out, star = {}, nil
  for _, key in next, sorted_keys(t) do
    if type(key) ~= "string" then
      self:bad(sub_path(where, key), "keys name resources: strings such as \"rg-plain\"")
    end
    local e = self:expectation(key, rawget(t, key), where)
    if key == "*" then star = e else out[#out + 1] = e end
  end
  return out, star
end

-- Parameter overrides for declaration.apply_params: the file's, with the
-- case's over them, each naming where it was set.
function Check:params(file_params, case_params, where, control)
  local merged = {}
  local function add(t, origin)
    for name, value in next, t do
      if type(name) ~= "string" then
        self:bad(origin, "parameter names are strings, not a %s", type(name))
      end
      merged[name] = { control = control, name = name, value = value,
                       origin = self.file .. ": " .. origin }
    end
  end
  if file_params then add(file_params, "params") end
  if case_params then add(case_params, where .. ".params") end
  local out = {}
  for _, name in next, sorted_keys(merged) do out[#out + 1] = merged[name] end
  return out
end

-- The overrides of a pack's settings (as config.read gives them) that
-- tune one control: its parameters, and its severity.
function M.pack_overrides(settings, control)
  local params, severity = {}, {}
  for _, o in ipairs(settings.params) do
    if o.control == control then params[#params + 1] = o end
  end
  for _, o in ipairs(settings.severity) do
    if o.control == control then severity[#severity + 1] = o end
  end
  return params, severity
end

-- Check a test file's table; return the plain description of its cases.
function M.check(t, file)
  local c = setmetatable({ file = file }, Check)
  if type(t) ~= "table" then
    error(format("%s: the file must return a test table { control = ..., cases = { ... } }, got %s",
                 file, t == nil and "nothing" or "a " .. type(t)), 0)
  end
  c:fields(t, "", file_fields, "a test file")
  local control = rawget(t, "control")
  if control == nil then c:bad("control", "is required (the id of the control under test)") end
  local cases = rawget(t, "cases")
  if cases == nil then c:bad("cases", "is required (a list of cases)") end
  if not is_list(cases) or rawlen(cases) == 0 then
    c:bad("cases", "expected a list of at least one case")
  end
  local spec = { control = control, policy = rawget(t, "policy"), cases = {} }
  local file_params = rawget(t, "params")
  local seen = {}
  for i = 1, rawlen(cases) do
    local where = format("cases[%d]", i)
    local k = rawget(cases, i)
    if type(k) ~= "table" then c:bad(where, "expected a table, got a %s", type(k)) end
    c:fields(k, where, case_fields, "a case")
    local name = rawget(k, "name")
    if name == nil then c:bad(where .. ".name", "is required (what the case shows)") end
    if seen[name] then
      c:bad(where .. ".name", "%q is also the name of %s", name, seen[name])
    end
    seen[name] = where
    if rawget(k, "expect") == nil then
      c:bad(where .. ".expect", "is required (the result each resource must get)")
    end
    local fixture, fixture_where = rawget(k, "fixture"), where .. ".fixture"
    if fixture == nil then fixture, fixture_where = rawget(t, "fixture"), "fixture" end
    if fixture == nil then
      c:bad(where, "no fixture: give one in the case or in the file")
    end
    local now, now_where = rawget(k, "now"), where .. ".now"
    if now == nil then now, now_where = rawget(t, "now"), "now" end
    local expect, star = c:expect(rawget(k, "expect"), where .. ".expect")
    spec.cases[i] = {
      name = name, title = quote(name), where = where, fixture = fixture, fixture_where = fixture_where,
      now = now, now_where = now_where, expect = expect, star = star,
      params = c:params(file_params, rawget(k, "params"), where, control),
    }
  end
  return spec
end

-- ---- comparing ----------------------------------------------------------

local function short(s)
  if #s > 80 then s = sub(s, 1, 77) .. "..." end
  return quote(s)
end

-- A value as a test file would write it, kept short.
local function show(v, depth)
  depth = depth or 0
  if type(v) == "string" then return quote(v) end
  if type(v) ~= "table" then return tostring(v) end
  if depth > 2 then return "{...}" end
  local parts = {}
  if is_list(v) then
    for i = 1, #v do parts[i] = show(v[i], depth + 1) end
  else
    for _, k in next, sorted_keys(v) do
      local name = type(k) == "string" and find(k, "^[%a_][%w_]*$") and k
        or "[" .. show(k) .. "]"
      parts[#parts + 1] = name .. " = " .. show(v[k], depth + 1)
    end
  end
  local text = "{ " .. concat(parts, ", ") .. " }"
  if #parts == 0 then text = "{}" end
  if #text > 120 then text = sub(text, 1, 116) .. "...}" end
  return text
end

-- Does got hold what want says?  Tables: every key of want, with a value
-- that matches in the same way; lists: the same length, item by item.
local function match(want, got, path, out)
  if type(want) ~= "table" then
    if want ~= got then
      out[#out + 1] = format("%s: expected %s, got %s", path, show(want), show(got))
    end
    return
  end
  if type(got) ~= "table" then
    out[#out + 1] = format("%s: expected %s, got %s", path, show(want), show(got))
    return
  end
  local n = rawlen(want)
  if (n > 0 and is_list(want)) or (next(want) == nil and #got > 0 and is_list(got)) then
    if not is_list(got) or #got ~= n then
      out[#out + 1] = format("%s: expected a list of %d, got %s", path, n, show(got))
      return
    end
    for i = 1, n do match(want[i], got[i], format("%s[%d]", path, i), out) end
    return
  end
  for _, k in next, sorted_keys(want) do
    local p = sub_path(path, k)
    if got[k] == nil then
      out[#out + 1] = format("%s: missing (expected %s)", p, show(want[k]))
    else
      match(want[k], got[k], p, out)
    end
  end
end

local function plan_actions(plan)
  local out = {}
  for i, step in ipairs(plan.steps or {}) do out[i] = step.action or "manual" end
  return out
end

local function compare_plan(want, r, out)
  local plan = r.plan
  if want == false then
    if plan then
      out[#out + 1] = format("plan: expected none, got one (%s)", short(plan.summary or ""))
    end
    return
  end
  if not plan then
    if r.plan_error then return end        -- reported for every result
    out[#out + 1] = r.has_plan_fn
      and "plan: expected one, got none (remediate returned nil)"
      or "plan: expected one, but the control has no remediate"
    return
  end
  if want.kind and plan.kind ~= want.kind then
    out[#out + 1] = format("plan.kind: expected %s, got %s", want.kind, tostring(plan.kind))
  end
  if want.actions then
    local got = plan_actions(plan)
    if concat(got, ",") ~= concat(want.actions, ",") or #got ~= #want.actions then
      out[#out + 1] = format("plan.actions: expected %s, got %s", show(want.actions), show(got))
    end
  end
  local warnings = plan.warnings or {}
  if type(want.warnings) == "table" then
    -- Exactly that many, each containing its text, in order.
    local n = #want.warnings
    if #warnings ~= n then
      local got = {}
      for i, text in ipairs(warnings) do got[i] = short(text) end
      out[#out + 1] = format("plan.warnings: expected %d, got %d%s", n, #warnings,
                             #got > 0 and " (" .. concat(got, ", ") .. ")" or "")
    else
      for i = 1, n do
        if not find(warnings[i], want.warnings[i], 1, true) then
          out[#out + 1] = format("plan.warnings[%d]: expected it to contain %s, got %s", i,
                                 quote(want.warnings[i]), quote(warnings[i]))
        end
      end
    end
  elseif want.warnings then
    local n = #warnings
    if n < want.warnings then
      out[#out + 1] = format("plan.warnings: expected at least %d, got %d", want.warnings, n)
    end
  end
  for _, k in ipairs({ "summary", "steps", "preconditions" }) do
    if want[k] ~= nil then match(want[k], plan[k], "plan." .. k, out) end
  end
end

local function compare_one(e, r, out)
  if r.status ~= e.status then
    out[#out + 1] = format("status: expected %s, got %s (%s)", e.status, r.status,
                           short(r.reason))
    return
  end
  if e.reason and not find(r.reason, e.reason, 1, true) then
    out[#out + 1] = format("reason: expected it to contain %s, got %s", quote(e.reason),
                           quote(r.reason))
  end
  if e.evidence then
    if r.evidence == nil then
      out[#out + 1] = format("evidence: expected %s, got none", show(e.evidence))
    else
      match(e.evidence, r.evidence, "evidence", out)
    end
  end
  if e.plan ~= nil then compare_plan(e.plan, r, out) end
end

-- The names a key may give a result (docs/testing.md, "Expectations").
local function result_names(r)
  return { r.id, r.kind .. ":" .. r.id, r.region .. "/" .. r.id,
           r.region .. "/" .. r.kind .. ":" .. r.id }
end

-- How a difference names a result no key named: by its region and id,
-- with its kind when that alone is not enough; a region by its name.
local function labels(results)
  local count, out = {}, {}
  for _, r in ipairs(results) do
    local k = r.region .. "/" .. r.id
    count[k] = (count[k] or 0) + 1
  end
  for i, r in ipairs(results) do
    if r.kind == "region" then
      out[i] = r.region
    elseif count[r.region .. "/" .. r.id] > 1 then
      out[i] = r.region .. "/" .. r.kind .. ":" .. r.id
    else
      out[i] = r.region .. "/" .. r.id
    end
  end
  return out
end

-- The differences between a case's expectations and its results, one
-- line each ("rg-plain: status: expected fail, got pass (...)").
function M.compare(case, results)
  local by_name = {}
  for i, r in ipairs(results) do
    for _, n in ipairs(result_names(r)) do
      local list = by_name[n] or {}
      if list[#list] ~= i then list[#list + 1] = i end
      by_name[n] = list
    end
  end
  local label = labels(results)
  local claimed, keys_out = {}, {}
  for _, e in ipairs(case.expect) do
    local hits = by_name[e.key] or {}
    if #hits == 0 then
      keys_out[#keys_out + 1] = format("%s: no result for this key", e.key)
    elseif #hits > 1 then
      local which = {}
      for j, i in ipairs(hits) do
        which[j] = label[i]
        claimed[i] = claimed[i] or false
      end
      keys_out[#keys_out + 1] = format("%s: matches %d results (%s); add the region or the kind",
                                       e.key, #hits, concat(which, ", "))
    elseif claimed[hits[1]] then
      keys_out[#keys_out + 1] = format("%s: names the same result as %s", e.key,
                                       claimed[hits[1]].key)
    else
      claimed[hits[1]] = e
    end
  end
  local out = {}
  for i, r in ipairs(results) do
    local e = claimed[i]
    local name = e and e.key or label[i]
    local diffs = {}
    if e == nil and case.star then e = case.star end
    if e == nil then
      diffs[1] = format("unexpected result: %s (%s)", r.status, short(r.reason))
    elseif e then
      compare_one(e, r, diffs)
    end
    if r.plan_error then diffs[#diffs + 1] = "remediate: " .. r.plan_error end
    for _, d in ipairs(diffs) do out[#out + 1] = name .. ": " .. d end
  end
  for _, d in ipairs(keys_out) do out[#out + 1] = d end
  return out
end

return M
