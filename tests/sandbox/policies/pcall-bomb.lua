-- Sandbox test: a memory bomb whose failure is caught
return { id = "S-PCALLMEM", title = "sandbox: S-PCALLMEM", severity = "low", resource = "cache",
  check = function(cache, ctx)
    for _ = 1, 100 do pcall(string.rep, "x", 1 << 30) end
    return "pass", "ESCAPED: survived the bomb"
  end }
