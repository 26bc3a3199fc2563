-- Builders for check results: { status = ..., reason = ..., evidence = ... }.
--
-- Arguments are checked here, where the policy line that passed them is
-- one level up, so a wrong call fails with a message pointing at it
-- instead of a vague "not a result" from the engine later.

local error, pairs, tostring, type = error, pairs, tostring, type
local math_type = math.type
local string_format = string.format

local M = {}

-- Evidence becomes JSON, so its keys are strings or integers and its
-- values strings, numbers, booleans or tables of those, without cycles.
local function evidence_problem(value, path, open)
  local kind = type(value)
  if kind == "string" or kind == "boolean" then return nil end
  if kind == "number" then
    if value ~= value or value == 1 / 0 or value == -1 / 0 then
      return path .. " is not a finite number"
    end
    return nil
  end
  if kind ~= "table" then return path .. " is a " .. kind end
  if open[value] then return path .. " refers back to itself" end
  open[value] = true
  for key, item in pairs(value) do
    local key_kind = type(key)
    if key_kind ~= "string" and math_type(key) ~= "integer" then
      open[value] = nil
      return path .. " has a " .. key_kind .. " key"
    end
    local label = key_kind == "string" and (path .. "." .. key) or (path .. "[" .. tostring(key) .. "]")
    local problem = evidence_problem(item, label, open)
    if problem then
      open[value] = nil
      return problem
    end
  end
  open[value] = nil
  return nil
end

local function check_reason(fn, reason, required)
  if reason == nil and not required then return end
  if type(reason) ~= "string" or reason == "" then
    error(string_format("result.%s: reason must be a non-empty string, got %s", fn,
                        type(reason) == "string" and "an empty string" or type(reason)), 4)
  end
end

local function check_evidence(fn, evidence)
  if evidence == nil then return end
  if type(evidence) ~= "table" then
    error(string_format("result.%s: evidence must be a table, got %s", fn, type(evidence)), 4)
  end
  local problem = evidence_problem(evidence, "evidence", {})
  if problem then error(string_format("result.%s: %s", fn, problem), 4) end
end

-- Error levels count build's caller (M.*) and then the policy; the M.*
-- functions must not tail-call build, or the policy's frame is lost.
local function build(fn, status, reason, evidence, reason_required)
  check_reason(fn, reason, reason_required)
  check_evidence(fn, evidence)
  return { status = status, reason = reason, evidence = evidence }
end

-- A pass may go without a reason; every other status must say why.
function M.pass(reason, evidence)
  local built = build("pass", "pass", reason, evidence, false)
  return built
end

function M.fail(reason, evidence)
  local built = build("fail", "fail", reason, evidence, true)
  return built
end

function M.not_applicable(reason, evidence)
  local built = build("not_applicable", "not_applicable", reason, evidence, true)
  return built
end

function M.unknown(reason, evidence)
  local built = build("unknown", "unknown", reason, evidence, true)
  return built
end

M.STATUSES = { "pass", "fail", "not_applicable", "unknown" }

return M
