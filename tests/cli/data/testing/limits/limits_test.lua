return {
  control = "T-LIMITS",
  policy = "T-LIMITS.lua",
  fixture = { regions = { ["us-east-1"] = {
    cache_clusters = { { CacheClusterId = "loop", Engine = "redis" } },
    replication_groups = {}, serverless_caches = {} } } },
  cases = {
    { name = "the time limit", expect = { loop = { status = "error", reason = "time limit" } } },
    { name = "the memory limit",
      fixture = { regions = { ["us-east-1"] = {
        cache_clusters = { { CacheClusterId = "bomb", Engine = "redis" } },
        replication_groups = {}, serverless_caches = {} } } },
      expect = { bomb = { status = "error", reason = "memory limit" } } },
  },
}
