-- Trust the partner office, fail only on high findings, re-rate TLS.
return {
  fail_on = "high",
  severity = { ["EC-ENC-03"] = "critical" },
  params = { ["EC-NET-04"] = { trusted_cidrs = { "203.0.113.0/24" } } },
}
