-- Sandbox test: dofile and loadfile are not there
return { id = "S-DOFILE", title = "sandbox: S-DOFILE", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local f = loadfile or dofile
    return "fail", "ESCAPED: " .. tostring(f("/etc/passwd"))
  end }
