-- EC-PAT-02: the engine version is at least min_versions[engine].
-- Semantics: docs/controls/operations.md#ec-pat-02-the-engine-version-is-supported

local function cluster(id, engine, version, group_id)
  return { CacheClusterId = id, Engine = engine, EngineVersion = version, CacheClusterStatus = "available",
           ReplicationGroupId = group_id }
end

local function serverless(name, engine, major, full)
  return { ServerlessCacheName = name, Engine = engine, MajorEngineVersion = major, FullEngineVersion = full,
           Status = "available" }
end

local fixture = {
  regions = {
    ["us-east-1"] = {
      cache_clusters = {
        cluster("redis5", "redis", "5.0.6"),
        cluster("redis6x", "redis", "6.x"),
        cluster("redis7", "redis", "7.1.0"),
        cluster("memcached-old", "memcached", "1.5.16"),
        cluster("memcached-new", "memcached", "1.6.22"),
        cluster("no-version", "redis", nil),
        cluster("no-engine", nil, "7.1.0"),
        cluster("rg-old-001", "redis", "4.0.10", "rg-old"),
        cluster("rg-global-001", "redis", "5.0.6", "rg-global"),
        cluster("rg-valkey-001", "valkey", "7.2.6", "rg-valkey"),
      },
      replication_groups = {
        { ReplicationGroupId = "rg-old", Status = "available", Engine = "redis", MemberClusters = { "rg-old-001" } },
        { ReplicationGroupId = "rg-global", Status = "available", Engine = "redis",
          MemberClusters = { "rg-global-001" },
          GlobalReplicationGroupInfo = { GlobalReplicationGroupId = "ldgnf-global-sessions",
                                         GlobalReplicationGroupMemberRole = "primary" } },
        { ReplicationGroupId = "rg-valkey", Status = "available", Engine = "valkey",
          MemberClusters = { "rg-valkey-001" } },
      },
      serverless_caches = {
        serverless("sl-valkey", "valkey", "8", "8.0"),
        serverless("sl-memcached", "memcached", "1.6", "1.6.22"),
        serverless("sl-redis-full-only", "redis", nil, "7.1"),
        serverless("sl-no-version", "redis", nil, nil),
        -- no such version is offered; it shows the comparison on the major version
        serverless("sl-redis-old", "redis", nil, "6.2"),
      },
    },
  },
}

local offered = "Redis OSS 6.0 is offered in this Region (aws elasticache describe-cache-engine-versions "
  .. "--engine redis)"
local parameter_group = "if the upgrade crosses a parameter group family and the cache uses a custom "
  .. "parameter group: one of the new family exists, added to the call as CacheParameterGroupName"
local no_downgrade = "ElastiCache upgrades engines only, it cannot downgrade one: going back means "
  .. "a new cache at the old version (a new endpoint)"

return {
  control = "EC-PAT-02",
  fixture = fixture,
  cases = {
    {
      name = "the default minimums on every kind",
      expect = {
        ["redis5"] = {
          status = "fail", reason = "Redis OSS 5.0.6 is older than the minimum 6.0",
          evidence = { Engine = "redis", EngineVersion = "5.0.6", min_version = "6.0" },
          plan = { kind = "in_place", actions = { "CreateSnapshot", "manual", "ModifyCacheCluster" }, warnings = 3,
                   steps = { { params = { CacheClusterId = "redis5", SnapshotName = "redis5-before-upgrade" },
                               no_backout = "creates a snapshot only; delete it once the upgrade is verified" },
                             { title = "Wait for the snapshot redis5-before-upgrade" },
                             { params = { CacheClusterId = "redis5", EngineVersion = "6.0", ApplyImmediately = true },
                               no_backout = no_downgrade } } },
        },
        ["redis6x"] = { status = "pass", reason = "Redis OSS 6.x is at least 6.0" },
        ["redis7"] = "pass",
        ["memcached-old"] = {
          status = "fail", reason = "Memcached 1.5.16 is older than the minimum 1.6.12",
          plan = { actions = { "ModifyCacheCluster" }, warnings = 3,
                   steps = { { params = { EngineVersion = "1.6.12" } } } },
        },
        ["memcached-new"] = "pass",
        ["no-version"] = { status = "unknown", reason = "the engine version is not reported" },
        ["no-engine"] = { status = "unknown", reason = "the cache's engine is not reported" },
        ["rg-old"] = {
          status = "fail",
          plan = { actions = { "CreateSnapshot", "manual", "ModifyReplicationGroup" },
                   preconditions = { { text = offered }, { text = parameter_group } },
                   steps = { { params = { ReplicationGroupId = "rg-old" } }, {},
                             { params = { ReplicationGroupId = "rg-old", EngineVersion = "6.0" } } } },
        },
        ["rg-global"] = {
          status = "fail",
          plan = { preconditions = { { text = offered }, { text = parameter_group },
                                     { met = false } } },
        },
        ["rg-valkey"] = { status = "pass", reason = "Valkey 7.2.6 is at least 7.2" },
        ["sl-valkey"] = { status = "pass", reason = "Valkey 8 is at least 7",
                          evidence = { EngineVersion = "8", min_version = "7" } },
        ["sl-memcached"] = { status = "pass", reason = "Memcached 1.6 is at least 1.6" },
        ["sl-redis-full-only"] = { status = "pass", reason = "Redis OSS 7 is at least 6" },
        ["sl-no-version"] = "unknown",
        ["sl-redis-old"] = { status = "pass", reason = "Redis OSS 6 is at least 6" },
      },
    },
    {
      name = "raised minimums, and an engine the table leaves out",
      params = { min_versions = { redis = "7.1.4", valkey = "8.1" } },
      expect = {
        ["redis5"] = { status = "fail", plan = { steps = { {}, {}, { params = { EngineVersion = "7.1" } } } } },
        ["redis6x"] = { status = "fail", reason = "Redis OSS 6.x is older than the minimum 7.1.4" },
        ["redis7"] = { status = "fail", reason = "Redis OSS 7.1.0 is older than the minimum 7.1.4" },
        ["memcached-old"] = { status = "not_applicable",
                              reason = "min_versions sets no minimum for Memcached (it has: redis, valkey)" },
        ["memcached-new"] = "not_applicable",
        ["no-version"] = "unknown",
        ["no-engine"] = "unknown",
        ["rg-old"] = "fail",
        ["rg-global"] = "fail",
        ["rg-valkey"] = "fail",
        ["sl-valkey"] = { status = "pass", reason = "Valkey 8 is at least 8" },
        ["sl-memcached"] = "not_applicable",
        ["sl-redis-full-only"] = { status = "pass", reason = "Redis OSS 7 is at least 7" },
        ["sl-redis-old"] = {
          status = "fail", reason = "Redis OSS 6 is older than the minimum 7",
          plan = { actions = { "CreateServerlessCacheSnapshot", "manual", "ModifyServerlessCache" }, warnings = 3,
                   steps = { { params = { ServerlessCacheName = "sl-redis-old",
                                          ServerlessCacheSnapshotName = "sl-redis-old-before-upgrade" } },
                             { instructions = "Run 'aws elasticache describe-serverless-cache-snapshots "
                                 .. "--serverless-cache-snapshot-name sl-redis-old-before-upgrade' until its "
                                 .. "Status is available." },
                             { params = { ServerlessCacheName = "sl-redis-old", MajorEngineVersion = "7" } } } },
        },
        ["sl-no-version"] = "unknown",
      },
    },
    {
      name = "a minimum that is not a version string",
      params = { min_versions = { redis = "" } },
      expect = {
        ["redis5"] = { status = "error", reason = "min_versions.redis must be a version string" },
        ["redis6x"] = "error", ["redis7"] = "error", ["no-version"] = "error", ["rg-old"] = "error",
        ["rg-global"] = "error", ["sl-redis-full-only"] = "error", ["sl-no-version"] = "error",
        ["sl-redis-old"] = "error",
        ["no-engine"] = "unknown",
        ["memcached-old"] = "not_applicable", ["memcached-new"] = "not_applicable",
        ["rg-valkey"] = "not_applicable", ["sl-valkey"] = "not_applicable", ["sl-memcached"] = "not_applicable",
      },
    },
    {
      name = "a region whose serverless caches could not be read",
      fixture = {
        regions = {
          ["eu-west-1"] = {
            cache_clusters = { cluster("valkey-eu", "valkey", "8.0.1") },
            replication_groups = {},
            errors = { serverless_caches = "partial" },
            serverless_caches = { serverless("sl-eu", "valkey", "7", "7.2") },
          },
        },
      },
      expect = { ["eu-west-1"] = "unknown", ["valkey-eu"] = "pass", ["sl-eu"] = "pass" },
    },
  },
}
