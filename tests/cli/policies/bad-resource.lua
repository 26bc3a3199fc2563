return { id = "T-RES", title = "no such resource", severity = "low",
         resource = "caches", check = function() return "pass" end }
