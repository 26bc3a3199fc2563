return { params = { ["EC-NET-04"] = { trusted_cidrs = "203.0.113.0/24" } } }
