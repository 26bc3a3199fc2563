-- Sandbox test: the environment is its own and protected
return { id = "S-GLOBALS", title = "sandbox: S-GLOBALS", severity = "low", resource = "cache",
  check = function(cache, ctx)
    assert(not pcall(setmetatable, _G, nil), "could replace the env metatable")
    local ok, err = pcall(function() return undefined_thing end)
    assert(not ok and tostring(err):find("undefined global"), "undefined global did not raise")
    leaked_global = "from S-GLOBALS"
    return "pass", "ok"
  end }
