-- Sandbox test: sees untouched libraries after another policy tampered
return { id = "S-AFTER", title = "sandbox: S-AFTER", severity = "low", resource = "cache",
  check = function(cache, ctx)
    local cidr = require "cidr"
    if cidr.is_private("0.0.0.0/0") then return "fail", "ESCAPED: saw the tampered stdlib" end
    if ("x"):rep(3) ~= "xxx" or table.concat({ "a", "b" }) ~= "ab" then
      return "fail", "ESCAPED: saw tampered libraries"
    end
    if cache.id ~= "orders" then return "fail", "ESCAPED: saw a changed inventory" end
    return "pass", "untouched"
  end }
