-- ACME-TAG-01 on every kind of cache: tagged, untagged, tags not collected.
local function cluster(id, arn)
  return { CacheClusterId = id, Engine = "redis", EngineVersion = "7.1.0", ARN = arn,
           CacheClusterStatus = "available" }
end

local ARN = "arn:aws:elasticache:eu-west-1:111122223333:cluster:"

return {
  control = "ACME-TAG-01",
  fixture = {
    regions = {
      ["eu-west-1"] = {
        cache_clusters = { cluster("tagged", ARN .. "tagged"), cluster("half", ARN .. "half"),
                           cluster("bare", ARN .. "bare") },
        replication_groups = {},
        serverless_caches = {},
        tags = {
          { ResourceARN = ARN .. "tagged", Tags = { { Key = "owner", Value = "payments" },
                                                    { Key = "data-class", Value = "internal" } } },
          { ResourceARN = ARN .. "half", Tags = { { Key = "owner", Value = "payments" },
                                                  { Key = "data-class", Value = "" } } },
        },
      },
    },
  },
  cases = {
    {
      name = "tags present, empty and absent",
      expect = {
        tagged = "pass",
        half = { status = "fail", reason = "missing tags: data-class",
                 plan = { kind = "in_place", actions = { "AddTagsToResource" } } },
        bare = { status = "fail", reason = "missing tags: owner, data-class",
                 evidence = { missing = { "owner", "data-class" } } },
      },
    },
    {
      name = "a team that only asks for an owner",
      params = { required_tags = { "owner" } },
      expect = { tagged = "pass", half = "pass", bare = "fail" },
    },
    {
      name = "a cache without an ARN gets no plan",
      fixture = { regions = { ["eu-west-1"] = { cache_clusters = { cluster("no-arn") },
                                                replication_groups = {}, serverless_caches = {},
                                                tags = {} } } },
      expect = { ["no-arn"] = { status = "fail", plan = false } },
    },
    {
      name = "tags not collected: unknown, never a pass",
      fixture = { regions = { ["eu-west-1"] = { cache_clusters = { cluster("tagged", ARN .. "tagged") },
                                                replication_groups = {}, serverless_caches = {},
                                                errors = { tags = "access_denied" } } } },
      expect = { tagged = "unknown" },
    },
  },
}
