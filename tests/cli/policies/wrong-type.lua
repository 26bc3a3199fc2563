return { id = "T-TYPE", title = "check is a string", severity = "low",
         resource = "cache", check = "pass" }
