return {
  control = "T-COVER",
  policy = "T-COVER.lua",
  fixture = {
    regions = {
      ["us-east-1"] = {
        replication_groups = { { ReplicationGroupId = "rg-1" } },
        cache_clusters = {},
        serverless_caches = {},
      },
    },
  },
  cases = {
    { name = "a group passes", expect = { ["rg-1"] = { status = "pass", reason = "group rg-1" } } },
  },
}
