return { params = { ["EC-NOPE-1"] = { x = 1 } } }
