return { id = "T-DUP", title = "first", severity = "low", resource = "cache",
         check = function() return "pass" end }
