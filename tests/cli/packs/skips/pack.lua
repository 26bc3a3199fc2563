return { name = "skips", version = "1", settings = { skip = { "EC-NET-07" } } }
