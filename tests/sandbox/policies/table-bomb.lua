-- Sandbox test: a table-growth memory bomb
return { id = "S-TABLE", title = "sandbox: S-TABLE", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local t = {}
    for i = 1, math.maxinteger do t[i] = { i } end
    return "fail", "ESCAPED"
  end }
