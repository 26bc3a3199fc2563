return { id = "T-NOTHING", title = "returns nothing", severity = "low",
         resource = "cache", check = function() end }
