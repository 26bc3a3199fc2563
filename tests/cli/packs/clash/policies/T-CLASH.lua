return { id = "T-CLASH", title = "a", severity = "low", resource = "cache", check = function() return "pass" end }
