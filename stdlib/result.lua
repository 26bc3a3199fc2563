-- Builders for check results: { status = ..., reason = ..., evidence = ... }.
--
-- Arguments are checked here, where the policy line that passed them is
-- one level up, so a wrong call fails with a message pointing at it
-- instead of a vague "not a result" from the engine later.

local error, type = error, type
local string_format = string.format

local M = {}

local function check_reason(fn, reason, required)
  if reason == nil and not required then return end
  if type(reason) ~= "string" or reason == "" then
    error(string_format("result.%s: reason must be a non-empty string, got %s", fn,
                        type(reason) == "string" and "an empty string" or type(reason)), 4)
  end
end

-- Only the kind is checked here; what is inside is checked by the engine
-- as it writes the evidence out (a function or a NaN in it makes the
-- result an error naming where), so evidence is walked once, in C.
local function check_evidence(fn, evidence)
  if evidence == nil then return end
  if type(evidence) ~= "table" then
    error(string_format("result.%s: evidence must be a table, got %s", fn, type(evidence)), 4)
  end
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
