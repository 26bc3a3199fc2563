return { name = "twin", version = "1" }
