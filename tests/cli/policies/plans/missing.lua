return {
  id = "T-PLAN-MISSING", title = "plans", severity = "high", resource = "cache",
  check = function() return "fail", "always" end,
  remediate = function(_, _, ctx) return { summary = tostring(#ctx.list("users")), steps = {} } end,
}
