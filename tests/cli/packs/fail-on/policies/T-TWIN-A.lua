return { id = "T-TWIN-A", title = "a", severity = "low", resource = "cache", check = function() return "pass" end }
