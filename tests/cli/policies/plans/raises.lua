return {
  id = "T-PLAN-RAISES", title = "plans", severity = "high", resource = "cache",
  check = function() return "fail", "always" end,
  remediate = function() error("boom") end,
}
