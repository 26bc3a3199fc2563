-- Sandbox test: nested inventory tables are read-only too
return { id = "S-NESTED", title = "sandbox: S-NESTED", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local ok = pcall(function() cache.security_groups[1].GroupName = "x" end)
    local ok2 = pcall(function() table.insert(cache.ports, 1) end)
    local ok3 = pcall(function() cache.raw.ARN = "x" end)
    local ok4 = pcall(setmetatable, cache, {})
    if ok or ok2 or ok3 or ok4 then return "fail", "ESCAPED: changed nested data" end
    return "pass", "read-only"
  end }
