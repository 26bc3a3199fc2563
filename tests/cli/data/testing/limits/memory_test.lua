-- The memory limit holds while coverage traces every line.  It runs with
-- a time limit far above what the bomb needs to reach the memory limit,
-- so a slow machine cannot turn one into the other.
return {
  control = "T-LIMITS",
  policy = "T-LIMITS.lua",
  fixture = { regions = { ["us-east-1"] = {
    cache_clusters = { { CacheClusterId = "bomb", Engine = "redis" } },
    replication_groups = {}, serverless_caches = {} } } },
  cases = {
    { name = "the memory limit", expect = { bomb = { status = "error", reason = "memory limit" } } },
  },
}
