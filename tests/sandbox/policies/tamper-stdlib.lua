-- Sandbox test: changes its own copy of the stdlib and libraries
return { id = "S-TAMPER", title = "sandbox: S-TAMPER", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local cidr = require "cidr"
    cidr.is_private = function() return true end
    string.rep = nil
    table.concat = nil
    return "pass", "tampered"
  end }
