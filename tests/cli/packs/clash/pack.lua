return { name = "clash", version = "1" }
