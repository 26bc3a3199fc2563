-- No policy = ...: the control is found among the pack's own policies.
return {
  control = "T-PACK",
  fixture = {
    regions = {
      ["us-east-1"] = {
        serverless_caches = { { ServerlessCacheName = "sls-1", Engine = "valkey" } },
        replication_groups = {},
        cache_clusters = { { CacheClusterId = "c-1", Engine = "redis" } },
      },
    },
  },
  cases = {
    { name = "kinds", expect = { ["sls-1"] = "pass", ["c-1"] = { status = "fail", plan = false } } },
  },
}
