return {
  id = "T-PLAN-NOT-DATA", title = "plans", severity = "high", resource = "cache",
  check = function() return "fail", "always" end,
  remediate = function() return { summary = "s", steps = { { title = print } } } end,
}
