return { name = "flat", version = "1" }
