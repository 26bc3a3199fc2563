-- EC-REL-02: replication groups fail over automatically.
-- Semantics: docs/controls/operations.md#ec-rel-02-automatic-failover-is-on

local function node(id, zone)
  return { CacheClusterId = id, CacheNodeId = "0001", PreferredAvailabilityZone = zone }
end

-- A group whose shards are lists of member ids; every member in zone a.
local function group(id, failover, shards, extra)
  local g = { ReplicationGroupId = id, Status = "available", Engine = "redis",
              AutomaticFailover = failover, MultiAZ = "disabled", CacheNodeType = "cache.r7g.large",
              MemberClusters = {}, NodeGroups = {} }
  for i, shard in ipairs(shards) do
    local members = {}
    for j, member_id in ipairs(shard) do
      members[j] = node(member_id, "us-east-1a")
      g.MemberClusters[#g.MemberClusters + 1] = member_id
    end
    g.NodeGroups[i] = { NodeGroupId = string.format("%04d", i), Status = "available",
                        NodeGroupMembers = members }
  end
  for k, v in pairs(extra or {}) do g[k] = v end
  return g
end

local function members_of(groups)
  local clusters = {}
  for _, g in ipairs(groups) do
    for _, id in ipairs(g.MemberClusters) do
      clusters[#clusters + 1] = { CacheClusterId = id, Engine = "redis", EngineVersion = "7.1.0",
                                  ReplicationGroupId = g.ReplicationGroupId }
    end
  end
  return clusters
end

local groups = {
  group("rg-on", "enabled", { { "rg-on-1", "rg-on-2" } }),
  group("rg-off-replicated", "disabled", { { "rg-or-1", "rg-or-2" } }),
  group("rg-off-single", "disabled", { { "rg-os-1" } }),
  group("rg-off-sharded", "disabled", { { "rg-sh-1" }, { "rg-sh-2", "rg-sh-3" } }, { ClusterEnabled = true }),
  group("rg-enabling", "enabling", { { "rg-en-1", "rg-en-2" } }),
  group("rg-disabling", "disabling", { { "rg-di-1", "rg-di-2" } }),
  group("rg-t1", "disabled", { { "rg-t1-1", "rg-t1-2" } }, { CacheNodeType = "cache.t1.micro" }),
  group("rg-unreported", nil, { { "rg-un-1", "rg-un-2" } }),
}
-- A group that does not list its shards' members: the plan cannot count replicas.
groups[#groups + 1] = { ReplicationGroupId = "rg-no-shards", Status = "available", Engine = "redis",
                        AutomaticFailover = "disabled", MemberClusters = { "rg-ns-1" } }

local clusters = members_of(groups)
clusters[#clusters + 1] = { CacheClusterId = "redis-solo", Engine = "redis", EngineVersion = "7.1.0" }
clusters[#clusters + 1] = { CacheClusterId = "memcached", Engine = "memcached", EngineVersion = "1.6.22" }

local modify = "ModifyReplicationGroup"

return {
  control = "EC-REL-02",
  fixture = {
    regions = {
      ["us-east-1"] = {
        cache_clusters = clusters,
        replication_groups = groups,
        serverless_caches = { { ServerlessCacheName = "serverless", Engine = "valkey", Status = "available" } },
      },
    },
  },
  cases = {
    {
      name = "every failover state, and the replicas each plan needs",
      expect = {
        ["rg-on"] = { status = "pass", evidence = { AutomaticFailover = "enabled" } },
        ["rg-off-replicated"] = {
          status = "fail", reason = "automatic failover is disabled",
          plan = { kind = "in_place", actions = { modify }, warnings = 1,
                   preconditions = { { met = true }, { text = "every shard has at least one replica", met = true } },
                   steps = { { params = { ReplicationGroupId = "rg-off-replicated", AutomaticFailoverEnabled = true,
                                          ApplyImmediately = true },
                               backout = { params = { AutomaticFailoverEnabled = false } } } } },
        },
        ["rg-off-single"] = {
          status = "fail",
          plan = { actions = { "IncreaseReplicaCount", modify }, warnings = 2,
                   steps = { { params = { ReplicationGroupId = "rg-off-single", NewReplicaCount = 1,
                                          ApplyImmediately = true },
                               backout = { action = "DecreaseReplicaCount",
                                           params = { NewReplicaCount = 0, ApplyImmediately = true } } },
                             {} } },
        },
        ["rg-off-sharded"] = {
          status = "fail",
          plan = { actions = { "IncreaseReplicaCount", modify },
                   steps = { { params = { ReplicaConfiguration = { { NodeGroupId = "0001", NewReplicaCount = 1 } } },
                               backout = { params = { ReplicaConfiguration = {
                                 { NodeGroupId = "0001", NewReplicaCount = 0 } } } } },
                             {} } },
        },
        ["rg-enabling"] = { status = "fail", reason = "still being turned on", plan = false },
        ["rg-disabling"] = {
          status = "fail", reason = "automatic failover is disabling",
          plan = { actions = { modify }, preconditions = { { met = true }, { met = false }, { met = true } } },
        },
        ["rg-t1"] = { status = "fail", plan = { preconditions = { { met = false }, { met = true } } } },
        ["rg-no-shards"] = {
          status = "fail",
          plan = { actions = { modify },
                   preconditions = { { text = "the node type is not T1 (cache.t1.*), which has no automatic failover" },
                                     { text = "every shard has at least one replica" } } },
        },
        ["rg-unreported"] = { status = "unknown", reason = "AutomaticFailover is not reported" },
        ["redis-solo"] = { status = "not_applicable", reason = "a standalone cluster has one node" },
        ["memcached"] = { status = "not_applicable", reason = "Memcached has no replicas" },
        ["serverless"] = { status = "not_applicable", reason = "fail over automatically" },
      },
    },
    {
      name = "a region whose replication groups were not collected",
      fixture = {
        regions = {
          ["eu-west-1"] = {
            cache_clusters = { { CacheClusterId = "redis-eu", Engine = "redis", EngineVersion = "7.1.0" } },
            serverless_caches = {},
          },
        },
      },
      expect = { ["eu-west-1"] = "unknown", ["redis-eu"] = "not_applicable" },
    },
  },
}
