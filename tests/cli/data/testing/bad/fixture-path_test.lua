-- ecpolicy test must refuse this file (exit 2).
return {
  control = "T-TLS", policy = "../policies/T-TLS.lua", fixture = "fixtures/none.json",
  cases = { { name = "x", expect = {} } },
}
