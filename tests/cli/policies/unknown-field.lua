return { id = "T-FIELD", title = "typo", severity = "low", resource = "cache",
         rationle = "misspelt", check = function() return "pass" end }
