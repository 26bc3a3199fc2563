-- EC-IAM-03: clients must authenticate (RBAC user group or AUTH token).
-- Semantics: docs/founding-controls.md#ec-iam-03-clients-must-authenticate
-- Plans: docs/controls/identity.md#ec-iam-03-clients-must-authenticate

local function cluster(id, engine, version, extra)
  local c = { CacheClusterId = id, Engine = engine, EngineVersion = version,
              CacheClusterStatus = "available", CacheSubnetGroupName = "sng-private",
              AuthTokenEnabled = false, TransitEncryptionEnabled = true }
  for k, v in pairs(extra or {}) do c[k] = v end
  return c
end

local function group(id, engine, extra)
  local g = { ReplicationGroupId = id, Engine = engine, Status = "available",
              MemberClusters = { id .. "-001" }, AuthTokenEnabled = false,
              TransitEncryptionEnabled = true, UserGroupIds = {} }
  for k, v in pairs(extra or {}) do g[k] = v end
  return g
end

local function serverless(name, engine, user_group)
  return { ServerlessCacheName = name, Engine = engine, MajorEngineVersion = "7",
           Status = "available", UserGroupId = user_group }
end

local every_kind = {
  regions = {
    ["us-east-1"] = {
      cache_clusters = {
        cluster("cc-redis7-open", "redis", "7.0.7"),
        cluster("cc-valkey-plain", "valkey", "7.2.4", { TransitEncryptionEnabled = false,
                AtRestEncryptionEnabled = false, CacheNodeType = "cache.t4g.small" }),
        cluster("cc-redis7-token", "redis", "7.0.7", { AuthTokenEnabled = true }),
        cluster("cc-memcached", "memcached", "1.6.22"),
        cluster("rg-valkey-open-001", "valkey", "8.0.1", { ReplicationGroupId = "rg-valkey-open" }),
        cluster("rg-redis5-open-001", "redis", "5.0.6", { ReplicationGroupId = "rg-redis5-open" }),
        cluster("rg-token-001", "redis", "6.2.6", { ReplicationGroupId = "rg-token" }),
        cluster("rg-rbac-001", "valkey", "7.2.4", { ReplicationGroupId = "rg-rbac" }),
        { CacheClusterId = "cc-unreported", Engine = "redis", EngineVersion = "7.0.7" },
      },
      replication_groups = {
        group("rg-valkey-open", "valkey"),
        group("rg-redis5-open", "redis"),
        group("rg-token", "redis", { AuthTokenEnabled = true }),
        group("rg-rbac", "valkey", { UserGroupIds = { "ug-app" } }),
        group("rg-members-missing", "redis"),
      },
      serverless_caches = {
        serverless("sl-open", "valkey"), serverless("sl-rbac", "redis", "ug-app"),
        serverless("sl-memcached", "memcached"),
      },
    },
  },
}

local TOKEN = { "ModifyReplicationGroup", "manual", "ModifyReplicationGroup" }

return {
  control = "EC-IAM-03",
  fixture = every_kind,
  cases = {
    {
      name = "every kind: RBAC where the cache takes a user group, else an AUTH token",
      expect = {
        ["rg-valkey-open"] = {
          status = "fail", reason = "no AUTH token and no RBAC user group",
          evidence = { AuthTokenEnabled = false, UserGroupIds = {} },
          plan = { kind = "in_place", actions = { "CreateUser", "CreateUser", "CreateUserGroup", "manual",
                                                  "ModifyReplicationGroup", "manual", "ModifyUserGroup" } },
        },
        ["sl-open"] = {
          status = "fail",
          plan = { kind = "in_place", actions = { "CreateUser", "CreateUser", "CreateUserGroup", "manual",
                                                  "ModifyServerlessCache", "manual", "ModifyUserGroup" } },
        },
        ["rg-redis5-open"] = {
          status = "fail",
          plan = { kind = "in_place", actions = TOKEN, preconditions = { { met = true }, { met = true } },
                   steps = { { params = { AuthTokenUpdateStrategy = "ROTATE" } }, {},
                             { params = { AuthTokenUpdateStrategy = "SET" } } } },
        },
        -- A standalone cluster cannot take a user group: AUTH it is.
        ["cc-redis7-open"] = {
          status = "fail",
          plan = { kind = "in_place", actions = { "ModifyCacheCluster", "manual", "ModifyCacheCluster" } },
        },
        -- Without TLS, which it cannot turn on in place, it cannot take a
        -- token either: rebuilt as a replication group with TLS and RBAC.
        ["cc-valkey-plain"] = {
          status = "fail",
          plan = { kind = "migration",
                   actions = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                               "CreateUser", "CreateUser", "CreateUserGroup", "manual",
                               "ModifyReplicationGroup", "manual", "ModifyUserGroup", "DeleteCacheCluster" },
                   steps = { {}, {}, { params = { ReplicationGroupId = "cc-valkey-plain-rbac",
                                                  TransitEncryptionEnabled = true } },
                             {}, {}, {}, {}, {}, {}, {}, {}, {}, {} } },
        },
        -- The version is not known (members not collected): the AUTH plan,
        -- which the version precondition qualifies without deciding it.
        ["rg-members-missing"] = {
          status = "fail", plan = { actions = TOKEN, preconditions = { {}, { met = true } } },
        },
        ["cc-redis7-token"] = { status = "pass", reason = "an AUTH token is required" },
        ["rg-token"] = "pass",
        ["rg-rbac"] = { status = "pass", reason = "RBAC: user group(s) ug-app attached" },
        ["sl-rbac"] = "pass",
        ["cc-unreported"] = { status = "unknown", reason = "does not report AuthTokenEnabled" },
        ["cc-memcached"] = { status = "not_applicable", reason = "Memcached has no AUTH or RBAC" },
        ["sl-memcached"] = "not_applicable",
      },
    },
    {
      name = "a region whose clusters could not be read",
      fixture = {
        regions = {
          ["eu-west-1"] = {
            replication_groups = {}, serverless_caches = { serverless("sl-eu", "valkey", "ug-eu") },
            errors = { cache_clusters = "timeout" },
          },
        },
      },
      expect = { ["eu-west-1"] = "unknown", ["sl-eu"] = "pass" },
    },
  },
}
