-- Sandbox test: catching a missing-data abort cannot turn it into a pass
return { id = "S-UNKNOWN", title = "sandbox: S-UNKNOWN", severity = "low", resource = "cache",
  check = function(cache, ctx)
    pcall(ctx.unknown, "the test says so")
    return "pass", "ESCAPED: passed after unknown"
  end }
