-- ecpolicy test must refuse this file (exit 2).
return {
  control = "EC-NOPE-99", fixture = { regions = { ["us-east-1"] = { replication_groups = {}, serverless_caches = {},
    cache_clusters = { { CacheClusterId = "c-1", Engine = "redis" } } } } },
  cases = { { name = "x", expect = {} } },
}
