return { name = "odd", version = "1", ecpolicy = "~> 1" }
