-- ecpolicy test must refuse this file (exit 2).
return {
  control = "T-TLS", policy = "../policies/T-TLS.lua",
  fixture = { regions = { useast1 = {} } },
  cases = { { name = "x", expect = {} } },
}
