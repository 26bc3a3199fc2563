-- Sandbox test: the inventory is read-only
return { id = "S-WRITE", title = "sandbox: S-WRITE", severity = "low", resource = "cache",
  check = function(cache, ctx)
    cache.id = "changed"
    return "fail", "ESCAPED: wrote the inventory"
  end }
