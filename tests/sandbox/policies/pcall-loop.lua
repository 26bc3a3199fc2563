-- Sandbox test: an endless loop inside pcall
return { id = "S-PCALLLOOP", title = "sandbox: S-PCALLLOOP", severity = "low", resource = "cache",
  check = function(cache, ctx)
    while true do pcall(function() while true do end end) end
  end }
