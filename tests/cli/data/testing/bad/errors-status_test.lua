-- ecpolicy test must refuse this file (exit 2).
return {
  control = "T-TLS", policy = "../policies/T-TLS.lua",
  fixture = { regions = { ["us-east-1"] = { errors = { users = "denied" } } } },
  cases = { { name = "x", expect = {} } },
}
