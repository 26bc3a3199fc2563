-- EC-IAM-05: the AUTH token was rotated within max_age_days.
-- Semantics: docs/controls/identity.md#ec-iam-05-the-auth-token-was-rotated-recently

local function group(id, token, changed)
  return { ReplicationGroupId = id, Engine = "redis", Status = "available",
           MemberClusters = { id .. "-001" }, AuthTokenEnabled = token,
           AuthTokenLastModifiedDate = changed, TransitEncryptionEnabled = true }
end

local function member(group_id)
  return { CacheClusterId = group_id .. "-001", ReplicationGroupId = group_id, Engine = "redis",
           EngineVersion = "7.1.0", CacheClusterStatus = "available" }
end

local function cluster(id, engine, token, changed)
  return { CacheClusterId = id, Engine = engine, EngineVersion = engine == "redis" and "6.2.6" or "1.6.22",
           CacheClusterStatus = "available", AuthTokenEnabled = token,
           AuthTokenLastModifiedDate = changed, TransitEncryptionEnabled = true }
end

local GROUPS = {
  { "rg-fresh", true, "2025-12-02T00:00:00.000Z" },   -- 30 days before the tests' now
  { "rg-stale", true, "2025-06-15T08:30:00Z" },       -- 199.6 days
  { "rg-boundary", true, "2025-10-03T00:00:00Z" },    -- exactly 90 days
  { "rg-future", true, "2026-02-01T00:00:00Z" },
  { "rg-no-date", true, nil },
  { "rg-no-token", false, nil },
}

local groups, members = {}, {}
for i, g in ipairs(GROUPS) do
  groups[i], members[i] = group(g[1], g[2], g[3]), member(g[1])
end
members[#members + 1] = cluster("cc-stale", "redis", true, "2024-01-01T00:00:00Z")
members[#members + 1] = cluster("cc-memcached", "memcached", false, nil)
members[#members + 1] = { CacheClusterId = "cc-unreported", Engine = "redis", EngineVersion = "6.2.6",
                          CacheClusterStatus = "available" }

local ROTATE = { "ModifyReplicationGroup", "manual", "ModifyReplicationGroup" }

return {
  control = "EC-IAM-05",
  fixture = {
    regions = {
      ["us-east-1"] = {
        cache_clusters = members, replication_groups = groups,
        serverless_caches = { { ServerlessCacheName = "sl-valkey", Engine = "valkey",
                                MajorEngineVersion = "8", Status = "available" } },
      },
    },
  },
  cases = {
    {
      name = "every kind, at the default 90 days",
      expect = {
        ["rg-fresh"] = { status = "pass", reason = "changed 2025-12-02T00:00:00.000Z, 30 days ago",
                         evidence = { age_days = 30, max_age_days = 90, now = "2026-01-01T00:00:00Z" } },
        ["rg-boundary"] = { status = "pass", reason = "90 days ago" },
        ["rg-future"] = { status = "pass", reason = "after the time of the run (2026-01-01T00:00:00Z)" },
        ["rg-stale"] = {
          status = "fail", reason = "last changed 2025-06-15T08:30:00Z, 199 days ago (more than 90)",
          evidence = { AuthTokenLastModifiedDate = "2025-06-15T08:30:00Z", age_days = 199 },
          plan = {
            kind = "in_place", actions = ROTATE, warnings = 2,
            preconditions = { { met = true }, { met = true } },
            steps = {
              { params = { ReplicationGroupId = "rg-stale", AuthToken = "<REPLACE/NEW-AUTH-TOKEN>",
                           AuthTokenUpdateStrategy = "ROTATE" } },
              {},
              { params = { AuthToken = "<REPLACE/NEW-AUTH-TOKEN>", AuthTokenUpdateStrategy = "SET" },
                backout = { params = { ReplicationGroupId = "rg-stale", AuthToken = "<REPLACE/CURRENT-AUTH-TOKEN>",
                                       AuthTokenUpdateStrategy = "ROTATE", ApplyImmediately = true },
                            wait = { waiter = "ReplicationGroupAvailable" } } },
            },
          },
        },
        ["cc-stale"] = {
          status = "fail",
          plan = { kind = "in_place", actions = { "ModifyCacheCluster", "manual", "ModifyCacheCluster" } },
        },
        ["rg-no-date"] = { status = "unknown", reason = "AuthTokenLastModifiedDate is not reported" },
        ["cc-unreported"] = { status = "unknown", reason = "does not report AuthTokenEnabled" },
        ["rg-no-token"] = { status = "not_applicable", reason = "no AUTH token" },
        ["cc-memcached"] = { status = "not_applicable", reason = "Memcached has no AUTH" },
        ["sl-valkey"] = { status = "not_applicable", reason = "serverless caches have no AUTH token" },
      },
    },
    {
      name = "a longer maximum, and a later time",
      params = { max_age_days = 365 },
      now = "2026-06-30T00:00:00Z",
      expect = {
        ["rg-fresh"] = "pass", ["rg-boundary"] = "pass", ["rg-future"] = { status = "pass", reason = "149 days ago" },
        ["rg-stale"] = { status = "fail", reason = "379 days ago (more than 365)" },
        ["cc-stale"] = { status = "fail", reason = "911 days ago (more than 365)" },
        ["rg-no-date"] = "unknown", ["cc-unreported"] = "unknown",
        ["rg-no-token"] = "not_applicable", ["cc-memcached"] = "not_applicable",
        ["sl-valkey"] = "not_applicable",
      },
    },
    {
      name = "a maximum that is not positive is an error where a token is on",
      params = { max_age_days = 0 },
      expect = {
        ["*"] = { status = "error", reason = "max_age_days must be a positive number of days" },
        ["rg-no-token"] = "not_applicable", ["cc-memcached"] = "not_applicable",
        ["sl-valkey"] = "not_applicable", ["cc-unreported"] = "unknown",
      },
    },
    {
      name = "a region whose replication groups could not be read",
      fixture = {
        regions = {
          ["eu-west-1"] = {
            cache_clusters = {}, serverless_caches = {},
            errors = { replication_groups = "partial" },
          },
        },
      },
      expect = { ["eu-west-1"] = { status = "unknown", reason = "replication groups in eu-west-1 are incomplete" } },
    },
  },
}
