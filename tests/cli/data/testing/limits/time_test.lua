-- The time limit holds while coverage traces every line: a loop that
-- catches its own errors.
return {
  control = "T-LIMITS",
  policy = "T-LIMITS.lua",
  fixture = { regions = { ["us-east-1"] = {
    cache_clusters = { { CacheClusterId = "loop", Engine = "redis" } },
    replication_groups = {}, serverless_caches = {} } } },
  cases = {
    { name = "the time limit", expect = { loop = { status = "error", reason = "time limit" } } },
  },
}
