-- Sandbox test: require refuses paths
return { id = "S-REQPATH", title = "sandbox: S-REQPATH", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local m = require "../../etc/passwd"
    return "fail", "ESCAPED: " .. tostring(m)
  end }
