return { id = "T-SEV", title = "bad severity", severity = "severe",
         resource = "cache", check = function() return "pass" end }
