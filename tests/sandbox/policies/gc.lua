-- Sandbox test: finalizers are refused
return { id = "S-GC", title = "sandbox: S-GC", severity = "low", resource = "cache",
  check = function(cache, ctx)
    setmetatable({}, { __gc = function() while true do end end })
    return "fail", "ESCAPED: set a finalizer"
  end }
