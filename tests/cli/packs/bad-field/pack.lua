return { name = "bad", version = "1", colour = "red" }
