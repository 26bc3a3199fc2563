-- ecpolicy test must refuse this file (exit 2).
return {
  control = "T-TLS", policy = "../policies/T-TLS.lua", fixture = { regions = { ["us-east-1"] = { replication_groups = {}, serverless_caches = {},
    cache_clusters = { { CacheClusterId = "c-1", Engine = "redis" } } } } },
  cases = { { name = "x", expect = { ["c-1"] = { status = "fail", plan = { warnings = { "a text", 2 } } } } } },
}
