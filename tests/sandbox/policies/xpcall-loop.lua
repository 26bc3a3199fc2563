-- Sandbox test: an endless loop with an error handler that loops
return { id = "S-XPCALL", title = "sandbox: S-XPCALL", severity = "low", resource = "cache",
  check = function(cache, ctx)
    while true do
      xpcall(function() while true do end end, function() while true do end end)
    end
  end }
