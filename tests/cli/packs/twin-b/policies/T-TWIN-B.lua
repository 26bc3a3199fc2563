return { id = "T-TWIN-B", title = "a", severity = "low", resource = "cache", check = function() return "pass" end }
