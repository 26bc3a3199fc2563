-- No policy = ...: the control is found among the pack's own policies,
-- tuned by the pack's settings; the pack's modules can be required here.
local words = require "testing_pack_words"

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
    { name = "the pack's settings",
      expect = { ["sls-1"] = { status = "pass", reason = words.serverless .. ", from-pack high" },
                 ["c-1"] = { status = "fail", plan = false } } },
    { name = "the case's parameters over the pack's",
      params = { label = "from-case" },
      expect = { ["sls-1"] = { status = "pass", reason = "from-case high" }, ["c-1"] = "fail" } },
  },
}
