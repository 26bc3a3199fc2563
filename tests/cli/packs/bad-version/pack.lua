return { name = "future", version = "1", ecpolicy = ">= 99" }
