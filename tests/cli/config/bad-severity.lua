return { severity = { ["EC-ENC-03"] = "urgent" } }
