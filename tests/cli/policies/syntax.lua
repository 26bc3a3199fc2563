return { id = "T-SYN", title = "syntax error" severity = "low" }
