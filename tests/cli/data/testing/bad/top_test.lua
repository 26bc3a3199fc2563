-- ecpolicy test must refuse this file (exit 2).
return {
  contol = "T-TLS", policy = "../policies/T-TLS.lua", fixture = { regions = { ["us-east-1"] = { replication_groups = {}, serverless_caches = {},
    cache_clusters = { { CacheClusterId = "c-1", Engine = "redis" } } } } },
  cases = { { name = "x", expect = {} } },
}
