-- Differences against a control without remediate and without evidence.
return {
  control = "T-PLAIN",
  policy = "../policies/T-PLAIN.lua",
  fixture = { regions = { ["us-east-1"] = {
    cache_clusters = { { CacheClusterId = "c-1", Engine = "redis" } },
    replication_groups = {}, serverless_caches = {} } } },
  cases = {
    { name = "a plan from a control that has no remediate",
      expect = { ["c-1"] = { status = "fail", plan = { kind = "in_place" } } } },
    { name = "evidence from a result that has none",
      expect = { ["c-1"] = { status = "fail", evidence = { Port = 6379 } } } },
    { name = "two keys for one result",
      expect = { ["c-1"] = "fail", ["us-east-1/c-1"] = "fail" } },
    { name = "the * key with another status",
      expect = { ["*"] = { status = "pass" } } },
  },
}
