return { version = "1" }
