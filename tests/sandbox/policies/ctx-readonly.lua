-- Sandbox test: the context is read-only
return { id = "S-CTX", title = "sandbox: S-CTX", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local ok = pcall(function() ctx.params.x = 1 end)
    local ok2 = pcall(function() ctx.region = "elsewhere" end)
    if ok or ok2 then return "fail", "ESCAPED: changed the context" end
    return "pass", "read-only"
  end }
