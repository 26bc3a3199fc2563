return { id = "T-STATUS", title = "invalid status", severity = "low",
         resource = "cache", check = function() return "passed" end }
