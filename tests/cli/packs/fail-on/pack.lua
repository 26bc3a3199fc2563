return { name = "gate", version = "1", settings = { fail_on = "high" } }
