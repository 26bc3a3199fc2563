-- EC-PAT-01: minor engine upgrades are automatic, on an engine where the
-- setting works.
-- Semantics: docs/controls/operations.md#ec-pat-01-auto-minor-version-upgrade-is-on

local function cluster(id, engine, version, auto, group_id)
  return { CacheClusterId = id, Engine = engine, EngineVersion = version, CacheClusterStatus = "available",
           AutoMinorVersionUpgrade = auto, ReplicationGroupId = group_id }
end

local function group(id, engine, auto, members)
  return { ReplicationGroupId = id, Status = "available", Engine = engine, AutoMinorVersionUpgrade = auto,
           MemberClusters = members }
end

local fixture = {
  regions = {
    ["us-east-1"] = {
      cache_clusters = {
        cluster("redis7-on", "redis", "7.1.0", true),
        cluster("redis7-off", "redis", "7.1.0", false),
        cluster("redis5-on", "redis", "5.0.6", true),
        cluster("redis5-off", "redis", "5.0.6", false),
        cluster("redis-unreported", "redis", "7.1.0", nil),
        cluster("redis-no-version", "redis", nil, true),
        cluster("redis-no-version-off", "redis", nil, false),
        cluster("memcached", "memcached", "1.6.22", true),
        cluster("rg-valkey-001", "valkey", "8.0.1", true, "rg-valkey"),
        cluster("rg-redis6x-001", "redis", "6.x", false, "rg-redis6x"),
        cluster("rg-member-setting-001", "redis", "6.2.6", true, "rg-member-setting"),
      },
      replication_groups = {
        group("rg-valkey", "valkey", true, { "rg-valkey-001" }),
        group("rg-redis6x", "redis", false, { "rg-redis6x-001" }),
        -- the group does not report the setting: its first member's counts
        group("rg-member-setting", "redis", nil, { "rg-member-setting-001" }),
      },
      serverless_caches = { { ServerlessCacheName = "serverless", Engine = "redis", Status = "available" } },
    },
    -- members not collected: the group's own setting decides, its version is unknown
    ["eu-west-1"] = {
      replication_groups = { group("rg-eu-valkey", "valkey", true, { "rg-eu-valkey-001" }),
                             group("rg-eu-redis", "redis", true, { "rg-eu-redis-001" }),
                             group("rg-eu-redis-off", "redis", false, { "rg-eu-redis-off-001" }) },
      serverless_caches = {},
      errors = { cache_clusters = "timeout" },
    },
  },
}

local function turn_on(action, id_member, id, engine_met)
  return {
    status = "fail", reason = "auto minor version upgrade is off",
    evidence = { AutoMinorVersionUpgrade = false },
    plan = { kind = "in_place", actions = { action }, warnings = 1,
             preconditions = { { met = engine_met } },
             steps = { { params = { [id_member] = id, AutoMinorVersionUpgrade = true, ApplyImmediately = true },
                         backout = { params = { AutoMinorVersionUpgrade = false } } } } },
  }
end

return {
  control = "EC-PAT-01",
  fixture = fixture,
  cases = {
    {
      name = "the setting on every kind and engine version",
      expect = {
        ["redis7-on"] = { status = "pass", reason = "auto minor version upgrade is on (Redis OSS 7.1.0)" },
        ["redis7-off"] = turn_on("ModifyCacheCluster", "CacheClusterId", "redis7-off", true),
        ["redis5-on"] = { status = "fail", reason = "Redis OSS 5.0.6 ignores it",
                          evidence = { AutoMinorVersionUpgrade = true, EngineVersion = "5.0.6" }, plan = false },
        -- Turning the setting on would change nothing there: no plan.
        ["redis5-off"] = { status = "fail", reason = "auto minor version upgrade is off",
                           evidence = { AutoMinorVersionUpgrade = false }, plan = false },
        ["redis-unreported"] = { status = "unknown", reason = "AutoMinorVersionUpgrade is not reported" },
        ["redis-no-version"] = { status = "unknown", reason = "the engine version is not reported" },
        ["redis-no-version-off"] = { status = "fail", plan = { preconditions = { {
          text = "the engine is Valkey 7.2+ or Redis OSS 6.0+ (before that the setting is ignored)" } } } },
        ["memcached"] = { status = "not_applicable", reason = "not to Memcached" },
        ["rg-valkey"] = { status = "pass", reason = "(Valkey 8.0.1)" },
        ["rg-redis6x"] = turn_on("ModifyReplicationGroup", "ReplicationGroupId", "rg-redis6x", true),
        ["rg-member-setting"] = "pass",
        ["serverless"] = { status = "not_applicable", reason = "AWS applies minor and patch versions" },
        ["eu-west-1/rg-eu-valkey"] = { status = "pass", reason = "auto minor version upgrade is on (Valkey)" },
        ["eu-west-1/rg-eu-redis"] = "unknown",
        ["eu-west-1/rg-eu-redis-off"] = { status = "fail", plan = { preconditions = { {
          text = "the engine is Valkey 7.2+ or Redis OSS 6.0+ (before that the setting is ignored)" } } } },
        ["eu-west-1"] = "unknown",
      },
    },
  },
}
