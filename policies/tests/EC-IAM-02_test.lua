-- EC-IAM-02: Valkey and Redis OSS 6.0+ caches use RBAC.
-- Semantics: docs/controls/identity.md#ec-iam-02-valkey-and-redis-oss-60-use-rbac

local function cluster(id, engine, version, group_id)
  return { CacheClusterId = id, Engine = engine, EngineVersion = version,
           CacheClusterStatus = "available", CacheSubnetGroupName = "sng-private",
           ReplicationGroupId = group_id, AuthTokenEnabled = false,
           TransitEncryptionEnabled = true, AtRestEncryptionEnabled = true,
           CacheNodeType = "cache.t4g.small", CacheNodes = { { Endpoint = { Port = 6379 } } } }
end

local function group(id, engine, version, extra)
  local g = { ReplicationGroupId = id, Engine = engine, Status = "available",
              MemberClusters = { id .. "-001" }, AuthTokenEnabled = false,
              TransitEncryptionEnabled = true, UserGroupIds = {} }
  for k, v in pairs(extra or {}) do g[k] = v end
  return g, cluster(id .. "-001", engine, version, id)
end

local function serverless(name, engine, user_group)
  return { ServerlessCacheName = name, Engine = engine, MajorEngineVersion = "8",
           Status = "available", UserGroupId = user_group }
end

local groups, members = {}, {}
for _, g in ipairs({
  { "rg-valkey-open", "valkey", "8.0.1" },
  { "rg-redis7-token", "redis", "7.1.0", { AuthTokenEnabled = true } },
  { "rg-valkey-plain", "valkey", "7.2.4", { TransitEncryptionEnabled = false } },
  { "rg-rbac", "valkey", "8.0.1", { UserGroupIds = { "ug-app" } } },
  { "rg-approved", "redis", "6.2.6", { UserGroupIds = { "ug-approved" } } },
  { "rg-redis5", "redis", "5.0.6" },
}) do
  groups[#groups + 1], members[#members + 1] = group(g[1], g[2], g[3], g[4])
end
members[#members + 1] = cluster("cc-redis7", "redis", "7.0.7")
members[#members + 1] = cluster("cc-redis5", "redis", "5.0.6")
members[#members + 1] = cluster("cc-unversioned", "redis", nil)
members[#members + 1] = cluster("cc-memcached", "memcached", "1.6.22")

local every_kind = {
  regions = {
    ["us-east-1"] = {
      cache_clusters = members,
      replication_groups = groups,
      serverless_caches = {
        serverless("sl-valkey-open", "valkey"), serverless("sl-rbac", "redis", "ug-app"),
        serverless("sl-memcached", "memcached"),
      },
    },
  },
}

-- The plan that creates a user group: users, the group, a wait, the
-- attach, moving clients, and swapping the default user out.
local function creating(attach, token)
  local actions = { "CreateUser", "CreateUser", "CreateUserGroup", "manual", attach, "manual",
                    "ModifyUserGroup" }
  if token then table.insert(actions, 3, "CreateUser") end
  return actions
end

return {
  control = "EC-IAM-02",
  fixture = every_kind,
  cases = {
    {
      name = "every kind and engine, any user group allowed",
      expect = {
        ["rg-valkey-open"] = {
          status = "fail", reason = "no RBAC user group is attached", evidence = { UserGroupIds = {} },
          plan = {
            kind = "in_place", actions = creating("ModifyReplicationGroup"), warnings = 3,
            preconditions = { { met = true }, { met = true } },
            steps = {
              { params = { UserId = "rg-valkey-open-app", UserName = "rg-valkey-open-app", Engine = "redis",
                           AccessString = "on ~* +@all",
                           AuthenticationMode = { Type = "password", Passwords = { "<REPLACE/APP-USER-PASSWORD>" } } },
                backout = { action = "DeleteUser", params = { UserId = "rg-valkey-open-app" } } },
              { params = { UserId = "rg-valkey-open-default-off", UserName = "default",
                           AccessString = "off -@all",
                           AuthenticationMode = { Type = "no-password-required" } } },
              { params = { UserGroupId = "rg-valkey-open-users", Engine = "redis",
                           UserIds = { "default", "rg-valkey-open-app" } },
                backout = { action = "DeleteUserGroup" } },
              {},
              { params = { ReplicationGroupId = "rg-valkey-open", UserGroupIdsToAdd = { "rg-valkey-open-users" },
                           ApplyImmediately = true },
                backout = { params = { ReplicationGroupId = "rg-valkey-open",
                                       UserGroupIdsToRemove = { "rg-valkey-open-users" } } } },
              {},
              { params = { UserGroupId = "rg-valkey-open-users", UserIdsToAdd = { "rg-valkey-open-default-off" },
                           UserIdsToRemove = { "default" } },
                backout = { params = { UserIdsToAdd = { "default" },
                                       UserIdsToRemove = { "rg-valkey-open-default-off" } } } },
            },
          },
        },
        -- From an AUTH token: a default user whose password is the token
        -- keeps token clients working, and the attach drops the token.
        ["rg-redis7-token"] = {
          status = "fail",
          plan = {
            actions = creating("ModifyReplicationGroup", true),
            steps = {
              {}, {},
              { params = { UserId = "rg-redis7-token-default-token", UserName = "default",
                           AuthenticationMode = { Type = "password", Passwords = { "<REPLACE/CURRENT-AUTH-TOKEN>" } } } },
              { params = { UserIds = { "rg-redis7-token-default-token", "rg-redis7-token-app" } } },
              {},
              { params = { UserGroupIdsToAdd = { "rg-redis7-token-users" }, AuthTokenUpdateStrategy = "DELETE" },
                backout = { params = { RemoveUserGroups = true, AuthToken = "<REPLACE/CURRENT-AUTH-TOKEN>",
                                       AuthTokenUpdateStrategy = "ROTATE" } } },
              {},
              { params = { UserIdsToRemove = { "rg-redis7-token-default-token" } } },
            },
          },
        },
        ["rg-valkey-plain"] = { status = "fail", plan = { preconditions = { { met = false }, { met = true } } } },
        ["sl-valkey-open"] = {
          status = "fail",
          plan = {
            kind = "in_place", actions = creating("ModifyServerlessCache"),
            steps = { {}, {}, {}, {},
                      { params = { ServerlessCacheName = "sl-valkey-open", UserGroupId = "sl-valkey-open-users" },
                        backout = { params = { ServerlessCacheName = "sl-valkey-open", RemoveUserGroup = true } } },
                      {}, {} },
          },
        },
        -- A standalone cluster cannot take a user group: rebuilt as a
        -- replication group with TLS, then RBAC on it; the old one is
        -- deleted last.
        ["cc-redis7"] = {
          status = "fail", reason = "a standalone cluster cannot have an RBAC user group",
          plan = {
            kind = "migration",
            actions = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                        "CreateUser", "CreateUser", "CreateUserGroup", "manual", "ModifyReplicationGroup",
                        "manual", "ModifyUserGroup", "DeleteCacheCluster" },
            steps = { { params = { CacheClusterId = "cc-redis7" } }, {},
                      { params = { ReplicationGroupId = "cc-redis7-rbac", TransitEncryptionEnabled = true,
                                   CacheNodeType = "cache.t4g.small", Engine = "redis" } },
                      {}, {}, {}, {}, { params = { UserGroupId = "cc-redis7-rbac-users" } }, {},
                      { params = { ReplicationGroupId = "cc-redis7-rbac",
                                   UserGroupIdsToAdd = { "cc-redis7-rbac-users" } } },
                      {}, {}, { params = { CacheClusterId = "cc-redis7" } } },
          },
        },
        ["rg-rbac"] = { status = "pass", reason = "user group ug-app attached" },
        ["rg-approved"] = "pass",
        ["sl-rbac"] = "pass",
        ["rg-redis5"] = { status = "not_applicable", reason = "Redis OSS 5.0.6 has no RBAC" },
        ["cc-redis5"] = "not_applicable",
        ["cc-unversioned"] = { status = "unknown", reason = "the engine version is not reported" },
        ["cc-memcached"] = { status = "not_applicable", reason = "Memcached has no RBAC" },
        ["sl-memcached"] = "not_applicable",
      },
    },
    {
      name = "only allowed user groups",
      params = { allowed_user_groups = { "ug-approved", "ug-spare" } },
      expect = {
        ["rg-rbac"] = {
          status = "fail", reason = "user group ug-app is not in allowed_user_groups",
          evidence = { UserGroupIds = { "ug-app" }, disallowed = { "ug-app" },
                       allowed_user_groups = { "ug-approved", "ug-spare" } },
          plan = {
            kind = "in_place", actions = { "ModifyReplicationGroup" }, warnings = 1,
            preconditions = { { met = true }, { met = true }, {} },
            steps = { { params = { ReplicationGroupId = "rg-rbac", UserGroupIdsToAdd = { "ug-approved" },
                                   UserGroupIdsToRemove = { "ug-app" } },
                        backout = { params = { UserGroupIdsToAdd = { "ug-app" },
                                               UserGroupIdsToRemove = { "ug-approved" } } } } },
          },
        },
        ["sl-rbac"] = {
          status = "fail",
          plan = { actions = { "ModifyServerlessCache" },
                   steps = { { params = { ServerlessCacheName = "sl-rbac", UserGroupId = "ug-approved" },
                               backout = { params = { UserGroupId = "ug-app" } } } } },
        },
        ["rg-valkey-open"] = {
          status = "fail",
          plan = { actions = { "ModifyReplicationGroup" },
                   steps = { { params = { UserGroupIdsToAdd = { "ug-approved" } },
                               backout = { params = { UserGroupIdsToRemove = { "ug-approved" } } } } } },
        },
        ["rg-redis7-token"] = {
          status = "fail",
          plan = { actions = { "ModifyReplicationGroup" },
                   steps = { { params = { UserGroupIdsToAdd = { "ug-approved" }, AuthTokenUpdateStrategy = "DELETE" } } } },
        },
        ["rg-valkey-plain"] = "fail",
        ["sl-valkey-open"] = {
          status = "fail",
          plan = { actions = { "ModifyServerlessCache" },
                   steps = { { backout = { params = { RemoveUserGroup = true } } } } },
        },
        ["cc-redis7"] = {
          status = "fail",
          plan = { kind = "migration",
                   actions = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                               "ModifyReplicationGroup", "DeleteCacheCluster" },
                   preconditions = { { met = true }, { met = true }, { met = true }, { met = true }, {} },
                   steps = { {}, {}, {}, {}, {},
                             { params = { ReplicationGroupId = "cc-redis7-rbac",
                                          UserGroupIdsToAdd = { "ug-approved" } } }, {} } },
        },
        ["rg-approved"] = { status = "pass", reason = "user group ug-approved attached" },
        ["rg-redis5"] = "not_applicable", ["cc-redis5"] = "not_applicable",
        ["cc-unversioned"] = "unknown", ["cc-memcached"] = "not_applicable",
        ["sl-memcached"] = "not_applicable",
      },
    },
    {
      name = "a region whose serverless caches could not be read",
      fixture = {
        regions = {
          ["eu-west-1"] = {
            cache_clusters = {}, replication_groups = {},
            errors = { serverless_caches = "access_denied" },
          },
        },
      },
      expect = { ["eu-west-1"] = { status = "unknown", reason = "serverless caches could not be collected" } },
    },
  },
}
