-- Sandbox test: no raw access, debug, collector, package or coroutines
return { id = "S-RAW", title = "sandbox: S-RAW", severity = "low", resource = "cache",
  check = function()
    -- Reading an undefined global raises in a policy, so probe with pcall.
    local function absent(name) return not pcall(function() return _G[name] end) end
    for _, name in ipairs { "rawset", "rawget", "rawlen", "debug", "collectgarbage",
                            "package", "coroutine", "io", "os", "dofile", "loadfile" } do
      if not absent(name) then return "fail", "ESCAPED: " .. name .. " is there" end
    end
    return "pass", "no raw access"
  end }
