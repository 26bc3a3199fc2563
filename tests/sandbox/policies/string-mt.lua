-- Sandbox test: the string metatable is out of reach
return { id = "S-STRMT", title = "sandbox: S-STRMT", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local mt = getmetatable("")
    if mt then mt.__index.rep = nil; return "fail", "ESCAPED: got the string metatable" end
    return "pass", "no metatable: " .. tostring(mt)
  end }
