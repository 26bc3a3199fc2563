return {
  id = "T-PLAN-NO-REMEDIATE", title = "plans", severity = "high", resource = "cache",
  check = function() return "fail", "always" end,
}
