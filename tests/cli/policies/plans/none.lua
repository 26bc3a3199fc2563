return {
  id = "T-PLAN-NONE", title = "plans", severity = "high", resource = "cache",
  check = function() return "fail", "always" end,
  remediate = function() return nil end,
}
