-- Sandbox test: a non-string error object
return { id = "S-ERROBJ", title = "sandbox: S-ERROBJ", severity = "low", resource = "cache",
  check = function(cache, ctx)
    error({ code = 1 })
  end }
