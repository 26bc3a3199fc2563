-- Always fails; its remediate loops past the time limit.
return {
  id = "T-PLAN-LOOPS", title = "plans", severity = "high", resource = "cache",
  check = function() return "fail", "always" end,
  remediate = function() while true do end end,
}
