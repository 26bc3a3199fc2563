return { severity = { ["EC-NOPE-2"] = "high" } }
