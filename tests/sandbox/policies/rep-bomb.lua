-- Sandbox test: a string.rep memory bomb
return { id = "S-REP", title = "sandbox: S-REP", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local s = string.rep("x", 1 << 30)
    return "fail", "ESCAPED: " .. #s
  end }
