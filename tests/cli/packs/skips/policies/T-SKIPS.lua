return { id = "T-SKIPS", title = "a pack that skips a built-in", severity = "low", resource = "cache", check = function() return "pass" end }
