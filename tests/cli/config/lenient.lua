return { fail_on = "critical", skip = { "EC-NET-0[12]" } }
