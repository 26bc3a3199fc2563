-- Sandbox test: require finds no C modules or libraries
return { id = "S-REQ", title = "sandbox: S-REQ", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local os = require "os"
    return "fail", "ESCAPED: " .. tostring(os)
  end }
