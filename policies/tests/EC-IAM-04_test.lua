-- EC-IAM-04: no user of the cache's RBAC user groups gets in without a password.
-- Semantics: docs/controls/identity.md#ec-iam-04-no-password-less-user-can-get-in

local function group(id, user_groups, extra)
  local g = { ReplicationGroupId = id, Engine = "valkey", Status = "available",
              MemberClusters = { id .. "-001" }, AuthTokenEnabled = false,
              TransitEncryptionEnabled = true, UserGroupIds = user_groups }
  for k, v in pairs(extra or {}) do g[k] = v end
  return g
end

local function member(group_id)
  return { CacheClusterId = group_id .. "-001", ReplicationGroupId = group_id, Engine = "valkey",
           EngineVersion = "8.0.1", CacheClusterStatus = "available" }
end

local function user(id, name, kind, access, extra)
  local u = { UserId = id, UserName = name, Status = "active", Engine = "redis",
              AccessString = access, Authentication = { Type = kind }, UserGroupIds = {} }
  for k, v in pairs(extra or {}) do u[k] = v end
  return u
end

local function user_group(id, users, caches)
  return { UserGroupId = id, Status = "active", Engine = "redis", UserIds = users,
           ReplicationGroups = caches or {} }
end

local CACHES = {
  { "rg-open-default", { "ug-open" } },
  { "rg-open-too", { "ug-open" } },
  { "rg-custom-default", { "ug-custom" } },
  { "rg-safe", { "ug-safe" } },
  { "rg-no-group", {} },
  { "rg-missing-group", { "ug-gone" } },
  { "rg-missing-user", { "ug-dangling" } },
  { "rg-unreported", { "ug-unreported" } },
  { "rg-mixed", { "ug-dangling", "ug-custom" } },
  { "rg-no-user-ids", { "ug-no-user-ids" } },
  { "rg-two-groups", { "ug-open", "ug-reporting" } },
}

local groups, members = {}, {}
for i, c in ipairs(CACHES) do
  groups[i], members[i] = group(c[1], c[2]), member(c[1])
end
members[#members + 1] = { CacheClusterId = "cc-redis", Engine = "redis", EngineVersion = "7.0.7",
                          CacheClusterStatus = "available" }
members[#members + 1] = { CacheClusterId = "cc-memcached", Engine = "memcached",
                          EngineVersion = "1.6.22", CacheClusterStatus = "available" }

local caches = {
  cache_clusters = members,
  replication_groups = groups,
  serverless_caches = {
    { ServerlessCacheName = "sl-safe", Engine = "valkey", MajorEngineVersion = "8",
      Status = "available", UserGroupId = "ug-safe" },
    { ServerlessCacheName = "sl-memcached", Engine = "memcached", MajorEngineVersion = "1.6",
      Status = "available" },
  },
}

local region = {
  users = {
    -- AWS's own default user, as every region has it.
    user("default", "default", "no-password", "on ~* +@all", { UserGroupIds = { "ug-open" } }),
    user("app", "app", "password", "on ~app:* +@all", { UserGroupIds = { "ug-open", "ug-custom", "ug-safe" } }),
    user("reporting", "reader", "no-password", "on ~* -@all +@read",
         { UserGroupIds = { "ug-open", "ug-safe-elsewhere" } }),
    -- Being modified still counts: its access is live meanwhile.
    user("my-default", "default", "no-password", "on ~* +@all",
         { Status = "modifying", UserGroupIds = { "ug-custom" } }),
    user("safe-default", "default", "no-password", "off ~* +@all"),
    user("iam-app", "iam-app", "iam", "on ~* +@all"),
    -- The last on/off rule wins.
    user("switched-off", "switched-off", "no-password", "on ~* +@all off"),
    -- Users being deleted do not count.
    user("leaving", "leaving", "no-password", "on ~* +@all", { Status = "deleting" }),
    { UserId = "unreported", UserName = "unreported", Status = "active", Engine = "redis",
      AccessString = "on ~* +@all" },
  },
  user_groups = {
    user_group("ug-open", { "default", "app", "reporting" }, { "rg-open-default", "rg-open-too" }),
    user_group("ug-custom", { "my-default", "app" }, { "rg-custom-default", "rg-mixed" }),
    user_group("ug-safe", { "safe-default", "app", "iam-app", "switched-off", "leaving" }, { "rg-safe" }),
    user_group("ug-dangling", { "safe-default", "ghost" }, { "rg-missing-user", "rg-mixed" }),
    user_group("ug-unreported", { "safe-default", "unreported" }, { "rg-unreported" }),
    { UserGroupId = "ug-no-user-ids", Status = "active", Engine = "redis" },
    user_group("ug-reporting", { "safe-default", "reporting" }, { "rg-two-groups" }),
  },
}
for k, v in pairs(caches) do region[k] = v end

local function without(name)
  local out = {}
  for k, v in pairs(region) do if k ~= name then out[k] = v end end
  return out
end

local OPEN = {
  status = "fail",
  reason = "users that get in without a password: default in user group ug-open (the default user",
  evidence = {
    { user_group_id = "ug-open", user_id = "default", user_name = "default", status = "active",
      authentication = "no-password", access_string = "on ~* +@all", user_group_ids = { "ug-open" } },
    { user_group_id = "ug-open", user_id = "reporting", user_name = "reader",
      access_string = "on ~* -@all +@read" },
  },
  plan = {
    kind = "in_place", actions = { "manual", "CreateUser", "ModifyUserGroup", "ModifyUser" },
    preconditions = { { met = true }, { met = true } },
    -- placeholders, the default swap, reporting in another group, ug-open on two caches
    warnings = 4,
    steps = {
      {},
      { params = { UserId = "ug-open-default-off", UserName = "default", AccessString = "off -@all" },
        backout = { action = "DeleteUser", params = { UserId = "ug-open-default-off" } } },
      { params = { UserGroupId = "ug-open", UserIdsToAdd = { "ug-open-default-off" },
                   UserIdsToRemove = { "default" } },
        backout = { params = { UserIdsToAdd = { "default" }, UserIdsToRemove = { "ug-open-default-off" } } } },
      { params = { UserId = "reporting",
                   AuthenticationMode = { Type = "password", Passwords = { "<REPLACE/NEW-PASSWORD-FOR-reporting>" } } },
        backout = { params = { UserId = "reporting", AuthenticationMode = { Type = "no-password-required" } } } },
    },
  },
}

return {
  control = "EC-IAM-04",
  fixture = { regions = { ["us-east-1"] = region } },
  cases = {
    {
      name = "users of every kind, on every kind of cache",
      expect = {
        ["rg-open-default"] = OPEN,
        ["rg-open-too"] = { status = "fail", plan = { actions = OPEN.plan.actions } },
        ["rg-custom-default"] = {
          status = "fail", reason = "my-default in user group ug-custom (the default user",
          plan = {
            kind = "in_place", actions = { "manual", "ModifyUser" }, warnings = 1,
            preconditions = { { met = false } },
            steps = { {}, { params = { UserId = "my-default", AccessString = "off ~* +@all" },
                            backout = { params = { UserId = "my-default", AccessString = "on ~* +@all" } } } },
          },
        },
        ["rg-safe"] = { status = "pass", reason = "every user of user group ug-safe is off or needs a password" },
        ["sl-safe"] = "pass",
        ["rg-mixed"] = { status = "fail", reason = "my-default in user group ug-custom",
                         plan = { actions = { "manual", "ModifyUser" } } },
        ["rg-missing-group"] = { status = "unknown", reason = "user group ug-gone is attached but not among" },
        ["rg-missing-user"] = { status = "unknown", reason = "user ghost of user group ug-dangling is not among" },
        ["rg-unreported"] = { status = "unknown", reason = "user unreported does not report its Authentication.Type" },
        ["rg-no-user-ids"] = { status = "unknown", reason = "user group ug-no-user-ids does not report its UserIds" },
        -- reporting is in both groups: it is reported twice, changed once.
        ["rg-two-groups"] = {
          status = "fail", reason = "reporting in user group ug-open (user name reader, \"on ~* -@all +@read\"); "
            .. "reporting in user group ug-reporting",
          plan = { actions = { "manual", "CreateUser", "ModifyUserGroup", "ModifyUser" } },
        },
        ["rg-no-group"] = { status = "not_applicable", reason = "no RBAC user group is attached" },
        ["cc-redis"] = "not_applicable",
        ["cc-memcached"] = { status = "not_applicable", reason = "Memcached has no RBAC users" },
        ["sl-memcached"] = "not_applicable",
      },
    },
    {
      name = "users not collected: caches with a user group are unknown",
      fixture = { regions = { ["us-east-1"] = without("users") } },
      expect = {
        ["*"] = { status = "unknown", reason = "users were not collected in us-east-1" },
        ["rg-missing-group"] = "unknown", ["rg-no-user-ids"] = "unknown", ["rg-two-groups"] = "unknown",
        ["rg-no-group"] = "not_applicable", ["cc-redis"] = "not_applicable",
        ["cc-memcached"] = "not_applicable", ["sl-memcached"] = "not_applicable",
      },
    },
    {
      name = "user groups could not be read",
      fixture = { regions = { ["us-east-1"] = (function()
        local r = without("user_groups")
        r.errors = { user_groups = "access_denied" }
        return r
      end)() } },
      expect = {
        ["*"] = { status = "unknown", reason = "user groups could not be collected in us-east-1" },
        ["rg-no-group"] = "not_applicable", ["cc-redis"] = "not_applicable",
        ["cc-memcached"] = "not_applicable", ["sl-memcached"] = "not_applicable",
      },
    },
    {
      name = "a region whose replication groups were not collected",
      fixture = { regions = { ["eu-west-1"] = { cache_clusters = {}, serverless_caches = {},
                                                users = {}, user_groups = {} } } },
      expect = { ["eu-west-1"] = { status = "unknown", reason = "replication groups were not collected" } },
    },
  },
}
