-- A control that is not the pack's: found among the built-in ones.
return {
  control = "EC-ENC-01",
  fixture = { regions = { ["us-east-1"] = {
    serverless_caches = { { ServerlessCacheName = "sls-1", Engine = "valkey" } },
    replication_groups = {}, cache_clusters = {} } } },
  cases = { { name = "a serverless cache", expect = { ["sls-1"] = "pass" } } },
}
