return { id = "T-FLAT", title = "a pack without policies/", severity = "low", resource = "cache", check = function() return "pass" end }
