-- Sandbox test: evidence that is not data is refused, saying where
return { id = "S-EVIDENCE", title = "sandbox: S-EVIDENCE", severity = "low", resource = "cache",
  check = function()
    return "fail", "bad evidence", { rules = { { port = 6379 }, { port = 0 / 0 } } }
  end }
