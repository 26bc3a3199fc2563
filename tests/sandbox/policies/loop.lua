-- Sandbox test: an endless loop
return { id = "S-LOOP", title = "sandbox: S-LOOP", severity = "low", resource = "cache",
  check = function(cache, ctx)
    while true do end
  end }
