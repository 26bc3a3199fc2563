-- Sandbox test: io is not there
return { id = "S-IO", title = "sandbox: S-IO", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local f = io.open("/etc/passwd")
    return "fail", "ESCAPED: read " .. tostring(f)
  end }
