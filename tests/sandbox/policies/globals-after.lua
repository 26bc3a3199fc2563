-- Sandbox test: globals of another policy are not visible
return { id = "S-GLOBALS2", title = "sandbox: S-GLOBALS2", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local ok = pcall(function() return leaked_global end)
    if ok then return "fail", "ESCAPED: saw another policy global" end
    return "pass", "ok"
  end }
