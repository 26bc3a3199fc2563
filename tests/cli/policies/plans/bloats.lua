-- Always fails; its remediate runs past the memory limit.
return {
  id = "T-PLAN-BLOATS", title = "plans", severity = "high", resource = "cache",
  check = function() return "fail", "always" end,
  remediate = function()
    local t = {}
    for i = 1, 1e9 do t[i] = ("x"):rep(4096) .. i end
  end,
}
