return { fail_on = "high", paramz = {} }
