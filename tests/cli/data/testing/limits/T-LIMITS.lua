-- The sandbox's limits hold while coverage traces every line: a loop that
-- catches its own errors, and a memory bomb.
return {
  id = "T-LIMITS",
  title = "Limits",
  severity = "low",
  resource = "cache",
  check = function(cache)
    if cache.id == "loop" then
      while true do pcall(function() while true do end end) end
    end
    local t = {}
    for i = 1, 1e9 do t[i] = ("x"):rep(4096) .. i end
    return "pass"
  end,
}
