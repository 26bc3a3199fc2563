return { title = "no id", severity = "low", resource = "cache",
         check = function() return "pass" end }
