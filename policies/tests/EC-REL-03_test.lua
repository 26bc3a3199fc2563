-- EC-REL-03: replication groups are Multi-AZ.
-- Semantics: docs/controls/operations.md#ec-rel-03-multi-az-is-on

-- A group whose shards are lists of { member id, zone }.
local function group(id, multi_az, failover, shards, extra)
  local g = { ReplicationGroupId = id, Status = "available", Engine = "valkey", MultiAZ = multi_az,
              AutomaticFailover = failover, CacheNodeType = "cache.r7g.large",
              MemberClusters = {}, NodeGroups = {} }
  for i, shard in ipairs(shards) do
    local members = {}
    for j, m in ipairs(shard) do
      members[j] = { CacheClusterId = m[1], CacheNodeId = "0001", PreferredAvailabilityZone = m[2] }
      g.MemberClusters[#g.MemberClusters + 1] = m[1]
    end
    g.NodeGroups[i] = { NodeGroupId = string.format("%04d", i), Status = "available",
                        NodeGroupMembers = members }
  end
  for k, v in pairs(extra or {}) do g[k] = v end
  return g
end

local groups = {
  group("rg-multi-az", "enabled", "enabled", { { { "ma-1", "us-east-1a" }, { "ma-2", "us-east-1b" } } }),
  group("rg-failover-only", "disabled", "enabled",
        { { { "fo-1", "us-east-1a" }, { "fo-2", "us-east-1b" } },
          { { "fo-3", "us-east-1b" }, { "fo-4", "us-east-1c" } } }, { ClusterEnabled = true }),
  group("rg-neither", "disabled", "disabled", { { { "ne-1", "us-east-1a" } } }),
  group("rg-one-zone", "disabled", "enabled", { { { "oz-1", "us-east-1a" }, { "oz-2", "us-east-1a" } } }),
  group("rg-half-replicated", "disabled", "enabled",
        { { { "hr-1", "us-east-1a" } }, { { "hr-2", "us-east-1a" }, { "hr-3", "us-east-1b" } } },
        { ClusterEnabled = true }),
  group("rg-enabling", "disabled", "enabling", { { { "en-1", "us-east-1a" }, { "en-2", "us-east-1b" } } }),
  group("rg-no-zones", "disabled", "enabled", { { { "nz-1" }, { "nz-2" } } }, { CacheNodeType = nil }),
  group("rg-unreported", nil, "enabled", { { { "un-1", "us-east-1a" }, { "un-2", "us-east-1b" } } }),
}
groups[#groups + 1] = { ReplicationGroupId = "rg-no-shards", Status = "available", Engine = "valkey",
                        MultiAZ = "disabled", AutomaticFailover = "enabled", MemberClusters = { "ns-1" } }

local clusters = {
  { CacheClusterId = "valkey-solo", Engine = "valkey", EngineVersion = "8.0.1" },
  { CacheClusterId = "memcached", Engine = "memcached", EngineVersion = "1.6.22" },
}
for _, g in ipairs(groups) do
  for _, id in ipairs(g.MemberClusters) do
    clusters[#clusters + 1] = { CacheClusterId = id, Engine = "valkey", EngineVersion = "8.0.1",
                                ReplicationGroupId = g.ReplicationGroupId }
  end
end

local modify = "ModifyReplicationGroup"
local not_t1 = "the node type is not T1 (cache.t1.*), which has no Multi-AZ"
local zones = "every shard has a node in another Availability Zone than its primary's"
local replicas = "every shard has at least one replica"

return {
  control = "EC-REL-03",
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
      name = "Multi-AZ states, and what each plan must add first",
      expect = {
        ["rg-multi-az"] = { status = "pass", evidence = { MultiAZ = "enabled" } },
        ["rg-failover-only"] = {
          status = "fail", reason = "Multi-AZ is disabled",
          evidence = { MultiAZ = "disabled", AutomaticFailover = "enabled" },
          plan = { kind = "in_place", actions = { modify }, warnings = 1,
                   preconditions = { { met = true }, { met = true }, { met = true } },
                   steps = { { params = { ReplicationGroupId = "rg-failover-only", MultiAZEnabled = true,
                                          ApplyImmediately = true },
                               backout = { params = { MultiAZEnabled = false } } } } },
        },
        ["rg-neither"] = {
          status = "fail",
          plan = { actions = { "IncreaseReplicaCount", modify }, warnings = 2,
                   preconditions = { { met = true }, { text = zones } },
                   steps = { { params = { NewReplicaCount = 1 } },
                             { params = { MultiAZEnabled = true, AutomaticFailoverEnabled = true },
                               backout = { params = { MultiAZEnabled = false,
                                                      AutomaticFailoverEnabled = false } } } } },
        },
        ["rg-one-zone"] = {
          status = "fail",
          plan = { actions = { modify }, preconditions = { { met = true }, { met = true }, { met = false } } },
        },
        ["rg-half-replicated"] = {
          status = "fail",
          plan = { actions = { "IncreaseReplicaCount", modify },
                   steps = { { params = { ReplicaConfiguration = {
                               { NodeGroupId = "0001", NewReplicaCount = 1 } } } }, {} } },
        },
        ["rg-enabling"] = {
          status = "fail",
          plan = { actions = { modify },
                   preconditions = { { met = true },
                                     { text = "automatic failover has finished turning on (it is 'enabling')",
                                       met = false },
                                     { met = true }, { met = true } } },
        },
        ["rg-no-zones"] = {
          status = "fail",
          plan = { preconditions = { { text = not_t1 }, { met = true }, { text = zones } } },
        },
        ["rg-no-shards"] = {
          status = "fail",
          plan = { actions = { modify },
                   preconditions = { { text = not_t1 }, { text = replicas }, { text = zones } } },
        },
        ["rg-unreported"] = { status = "unknown", reason = "MultiAZ is not reported" },
        ["valkey-solo"] = { status = "not_applicable", reason = "Multi-AZ is a replication-group setting" },
        ["memcached"] = { status = "not_applicable", reason = "PreferredAvailabilityZones" },
        ["serverless"] = { status = "not_applicable", reason = "replicate data across Availability Zones" },
      },
    },
    {
      name = "a region whose replication groups could not be read",
      fixture = {
        regions = {
          ["eu-west-1"] = {
            cache_clusters = {},
            serverless_caches = {},
            errors = { replication_groups = "throttled" },
          },
        },
      },
      expect = { ["eu-west-1"] = "unknown" },
    },
  },
}
