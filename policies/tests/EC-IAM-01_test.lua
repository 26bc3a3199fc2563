-- EC-IAM-01: Redis OSS before 6.0 requires an AUTH token.
-- Semantics: docs/controls/identity.md#ec-iam-01-redis-oss-before-60-requires-an-auth-token

local function cluster(id, engine, version, extra)
  local c = { CacheClusterId = id, Engine = engine, EngineVersion = version,
              CacheClusterStatus = "available", CacheSubnetGroupName = "sng-private",
              AuthTokenEnabled = false, TransitEncryptionEnabled = false }
  for k, v in pairs(extra or {}) do c[k] = v end
  return c
end

local function member(id, group_id, version)
  return cluster(id, "redis", version, { ReplicationGroupId = group_id })
end

local function group(id, members, extra)
  local g = { ReplicationGroupId = id, Status = "available", MemberClusters = members,
              AuthTokenEnabled = false, TransitEncryptionEnabled = true }
  for k, v in pairs(extra or {}) do g[k] = v end
  return g
end

local every_kind = {
  regions = {
    ["us-east-1"] = {
      cache_clusters = {
        cluster("redis4-open", "redis", "4.0.10"),
        cluster("redis5-token", "redis", "5.0.0", { AuthTokenEnabled = true, TransitEncryptionEnabled = true }),
        cluster("redis-unversioned", "redis", nil),
        cluster("redis7-open", "redis", "7.0.7"),
        cluster("memcached", "memcached", "1.6.22"),
        member("rg-redis5-001", "rg-redis5", "5.0.6"),
        member("rg-redis6x-001", "rg-redis6x", "6.x"),
        member("rg-valkey-001", "rg-valkey", "7.2.4"),
      },
      replication_groups = {
        group("rg-redis5", { "rg-redis5-001" }),
        group("rg-redis6x", { "rg-redis6x-001" }),
        group("rg-valkey", { "rg-valkey-001" }, { Engine = "valkey" }),
        group("rg-members-missing", { "rg-members-missing-001" }),
      },
      serverless_caches = {
        { ServerlessCacheName = "sl-redis", Engine = "redis", MajorEngineVersion = "7", Status = "available" },
      },
    },
  },
}

local ENABLE = { "ModifyReplicationGroup", "manual", "ModifyReplicationGroup" }

return {
  control = "EC-IAM-01",
  fixture = every_kind,
  cases = {
    {
      name = "every kind and engine",
      expect = {
        ["rg-redis5"] = {
          status = "fail", reason = "Redis OSS 5.0.6 without an AUTH token",
          evidence = { EngineVersion = "5.0.6", AuthTokenEnabled = false },
          plan = {
            kind = "in_place", actions = ENABLE, warnings = 2,
            preconditions = { { met = true }, { met = true } },
            steps = {
              { params = { ReplicationGroupId = "rg-redis5", AuthToken = "<REPLACE/NEW-AUTH-TOKEN>",
                           AuthTokenUpdateStrategy = "ROTATE", ApplyImmediately = true },
                wait = { waiter = "ReplicationGroupAvailable" } },
              {},
              { params = { ReplicationGroupId = "rg-redis5", AuthToken = "<REPLACE/NEW-AUTH-TOKEN>",
                           AuthTokenUpdateStrategy = "SET", ApplyImmediately = true } },
            },
          },
        },
        ["redis4-open"] = {
          status = "fail", reason = "Redis OSS 4.0.10 without an AUTH token",
          plan = { kind = "in_place", actions = { "ModifyCacheCluster", "manual", "ModifyCacheCluster" },
                   preconditions = { { met = false }, { met = false } } },
        },
        ["redis5-token"] = { status = "pass", reason = "Redis OSS 5.0.0 with an AUTH token" },
        ["redis-unversioned"] = { status = "unknown", reason = "the engine version is not reported" },
        ["rg-members-missing"] = { status = "unknown", reason = "rg-members-missing-001" },
        ["redis7-open"] = { status = "not_applicable", reason = "Redis OSS 7.0.7 has RBAC" },
        ["rg-redis6x"] = { status = "not_applicable", reason = "Redis OSS 6.x has RBAC" },
        ["rg-valkey"] = { status = "not_applicable", reason = "Valkey" },
        ["memcached"] = { status = "not_applicable", reason = "Memcached has no AUTH" },
        ["sl-redis"] = { status = "not_applicable", reason = "serverless caches use RBAC" },
      },
    },
    {
      name = "AuthTokenEnabled or TransitEncryptionEnabled not reported",
      fixture = {
        regions = {
          ["us-east-1"] = {
            cache_clusters = {
              { CacheClusterId = "redis5-token-unreported", Engine = "redis", EngineVersion = "5.0.6" },
              { CacheClusterId = "redis5-tls-unreported", Engine = "redis", EngineVersion = "5.0.6",
                AuthTokenEnabled = false },
            },
            replication_groups = {}, serverless_caches = {},
          },
        },
      },
      expect = {
        ["redis5-token-unreported"] = { status = "unknown", reason = "does not report AuthTokenEnabled" },
        -- TLS not known: the plan says so, without a met it cannot tell.
        ["redis5-tls-unreported"] = { status = "fail", plan = { kind = "in_place", actions = {
          "ModifyCacheCluster", "manual", "ModifyCacheCluster" }, preconditions = { { met = true }, {} } } },
      },
    },
    {
      name = "a region whose replication groups could not be read",
      fixture = {
        regions = {
          ["eu-west-1"] = {
            cache_clusters = { cluster("eu-redis5", "redis", "5.0.6", { AuthTokenEnabled = true }) },
            serverless_caches = {},
            errors = { replication_groups = "throttled" },
          },
        },
      },
      expect = { ["eu-west-1"] = "unknown", ["eu-redis5"] = "pass" },
    },
  },
}
