-- EC-REL-01: automatic backups kept at least min_retention_days.
-- Semantics: docs/controls/operations.md#ec-rel-01-automatic-backups-are-kept-long-enough

local function cluster(id, engine, version, retention)
  return { CacheClusterId = id, Engine = engine, EngineVersion = version,
           CacheClusterStatus = "available", SnapshotRetentionLimit = retention }
end

local function group(id, retention, members)
  return { ReplicationGroupId = id, Status = "available", Engine = "valkey",
           MemberClusters = members, SnapshotRetentionLimit = retention }
end

local function member(id, group_id)
  local c = cluster(id, "valkey", "8.0.1", nil)
  c.ReplicationGroupId = group_id
  return c
end

-- A group with its shards as NodeGroups: each shard a list of
-- { CacheClusterId, CurrentRole } pairs (role nil: not reported).
local function sharded(id, retention, shards, extra)
  local g = group(id, retention, {})
  local node_groups = {}
  for i, shard in ipairs(shards) do
    local members = {}
    for j, m in ipairs(shard) do
      g.MemberClusters[#g.MemberClusters + 1] = m[1]
      members[j] = { CacheClusterId = m[1], CacheNodeId = "0001", CurrentRole = m[2] }
    end
    node_groups[i] = { NodeGroupId = string.format("%04d", i), NodeGroupMembers = members }
  end
  g.NodeGroups = node_groups
  for k, v in pairs(extra or {}) do g[k] = v end
  return g
end

local function serverless(name, engine, retention)
  return { ServerlessCacheName = name, Engine = engine, MajorEngineVersion = "8",
           Status = "available", SnapshotRetentionLimit = retention }
end

local every_kind = {
  regions = {
    ["us-east-1"] = {
      cache_clusters = {
        cluster("redis-off", "redis", "7.1.0", 0),
        cluster("redis-five", "redis", "7.1.0", 5),
        cluster("redis-unreported", "redis", "7.1.0", nil),
        cluster("memcached", "memcached", "1.6.22", nil),
        member("rg-off-001", "rg-off"), member("rg-week-001", "rg-week"),
      },
      replication_groups = { group("rg-off", 0, { "rg-off-001" }), group("rg-week", 7, { "rg-week-001" }) },
      serverless_caches = { serverless("sl-valkey-off", "valkey", 0), serverless("sl-memcached", "memcached", 1) },
    },
  },
}

return {
  control = "EC-REL-01",
  fixture = every_kind,
  cases = {
    {
      name = "every kind at the default minimum of one day",
      expect = {
        ["redis-off"] = { status = "fail", reason = "automatic backups are off",
                          evidence = { SnapshotRetentionLimit = 0, min_retention_days = 1 },
                          plan = { kind = "in_place", actions = { "ModifyCacheCluster" }, warnings = 2,
                                   steps = { { params = { CacheClusterId = "redis-off", SnapshotRetentionLimit = 1,
                                                          ApplyImmediately = true },
                                               backout = { params = { CacheClusterId = "redis-off",
                                                                      SnapshotRetentionLimit = 0,
                                                                      ApplyImmediately = true } } } } } },
        ["redis-five"] = { status = "pass", reason = "kept 5 days (at least 1 day)" },
        ["redis-unreported"] = { status = "unknown", reason = "SnapshotRetentionLimit is not reported" },
        ["memcached"] = { status = "not_applicable", reason = "node-based Memcached" },
        -- No roles reported: the first member takes the backups.
        ["rg-off"] = { status = "fail", plan = { kind = "in_place", actions = { "ModifyReplicationGroup" },
                                                 steps = { { params = { SnapshottingClusterId = "rg-off-001" } } } } },
        ["rg-week"] = "pass",
        ["sl-valkey-off"] = { status = "fail",
                              plan = { kind = "in_place", actions = { "ModifyServerlessCache" }, warnings = 1,
                                       steps = { { params = { ServerlessCacheName = "sl-valkey-off",
                                                              SnapshotRetentionLimit = 1 } } } } },
        ["sl-memcached"] = { status = "pass", reason = "kept 1 day" },
      },
    },
    {
      name = "a stricter minimum fails a shorter retention",
      params = { min_retention_days = 7 },
      expect = {
        ["redis-off"] = "fail",
        ["redis-five"] = { status = "fail", reason = "kept 5 days, fewer than 7 days",
                           plan = { steps = { { params = { SnapshotRetentionLimit = 7 },
                                                backout = { params = { SnapshotRetentionLimit = 5 } } } } } },
        ["redis-unreported"] = "unknown",
        ["memcached"] = "not_applicable",
        ["rg-off"] = "fail",
        ["rg-week"] = { status = "pass", reason = "kept 7 days (at least 7 days)" },
        ["sl-valkey-off"] = "fail",
        ["sl-memcached"] = { status = "fail", reason = "kept 1 day, fewer than 7 days" },
      },
    },
    {
      name = "turning on a group's backups names the member they are taken from, without cluster mode only",
      fixture = {
        regions = {
          ["us-east-1"] = {
            cache_clusters = {},
            replication_groups = {
              -- Without cluster mode: a replica is picked, not the primary
              -- listed first.
              sharded("rg-replica", 0, { { { "rg-replica-001", "primary" }, { "rg-replica-002", "replica" } } },
                      { ClusterEnabled = false, ClusterMode = "disabled" }),
              -- The member the record already names wins.
              sharded("rg-named", 0, { { { "rg-named-001", "primary" }, { "rg-named-002", "replica" },
                                         { "rg-named-003", "replica" } } },
                      { ClusterEnabled = false, SnapshottingClusterId = "rg-named-003" }),
              -- Only the primary's role is reported: another member.
              sharded("rg-primary-known", 0, { { { "rg-primary-known-001", nil },
                                                 { "rg-primary-known-002", "primary" } } },
                      { ClusterEnabled = false }),
              -- Backups already on: the retention alone.
              sharded("rg-short", 1, { { { "rg-short-001", "primary" }, { "rg-short-002", "replica" } } },
                      { ClusterEnabled = false }),
              -- Cluster mode: AWS refuses SnapshottingClusterId.
              sharded("rg-cluster", 0, { { { "rg-cluster-0001-001" }, { "rg-cluster-0001-002" } },
                                         { { "rg-cluster-0002-001" }, { "rg-cluster-0002-002" } } },
                      { ClusterEnabled = true, ClusterMode = "enabled" }),
              sharded("rg-one-shard-cluster", 0, { { { "rg-one-shard-cluster-0001-001" } } },
                      { ClusterEnabled = true }),
              -- No member named anywhere: no plan.
              group("rg-no-members", 0, {}),
            },
            serverless_caches = {},
          },
        },
      },
      params = { min_retention_days = 3 },
      expect = {
        ["rg-replica"] = { status = "fail", plan = {
          kind = "in_place", actions = { "ModifyReplicationGroup" }, warnings = 3,
          steps = { { title = "Set SnapshotRetentionLimit, SnapshottingClusterId on replication group rg-replica",
                      params = { ReplicationGroupId = "rg-replica", SnapshotRetentionLimit = 3,
                                 SnapshottingClusterId = "rg-replica-002", ApplyImmediately = true },
                      backout = { title = "Restore SnapshotRetentionLimit on replication group rg-replica",
                                  params = { ReplicationGroupId = "rg-replica", SnapshotRetentionLimit = 0,
                                             ApplyImmediately = true } } } } } },
        ["rg-named"] = { status = "fail", plan = {
          steps = { { params = { SnapshotRetentionLimit = 3, SnapshottingClusterId = "rg-named-003" } } } } },
        ["rg-primary-known"] = { status = "fail", plan = {
          steps = { { params = { SnapshottingClusterId = "rg-primary-known-001" } } } } },
        -- The title lists every member name the step sends.
        ["rg-short"] = { status = "fail", plan = {
          steps = { { title = "Set SnapshotRetentionLimit on replication group rg-short",
                      params = { SnapshotRetentionLimit = 3 },
                      backout = { params = { SnapshotRetentionLimit = 1 } } } } } },
        ["rg-cluster"] = { status = "fail", plan = {
          kind = "in_place", actions = { "ModifyReplicationGroup" },
          steps = { { title = "Set SnapshotRetentionLimit on replication group rg-cluster",
                      params = { ReplicationGroupId = "rg-cluster", SnapshotRetentionLimit = 3 },
                      backout = { params = { SnapshotRetentionLimit = 0 } } } } } },
        ["rg-one-shard-cluster"] = { status = "fail", plan = {
          steps = { { title = "Set SnapshotRetentionLimit on replication group rg-one-shard-cluster" } } } },
        ["rg-no-members"] = { status = "fail", plan = false },
      },
    },
    {
      name = "a minimum outside 1-35 is an error on every cache",
      params = { min_retention_days = 36 },
      expect = { ["*"] = { status = "error", reason = "min_retention_days must be an integer from 1 to 35" } },
    },
    {
      name = "a region whose clusters could not be read",
      fixture = {
        regions = {
          ["eu-west-1"] = {
            replication_groups = {},
            serverless_caches = { serverless("sl-eu", "valkey", 3) },
            errors = { cache_clusters = "access_denied" },
          },
        },
      },
      expect = { ["eu-west-1"] = "unknown", ["sl-eu"] = "pass" },
    },
  },
}
