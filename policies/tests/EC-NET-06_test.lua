-- EC-NET-06: the cache does not listen on its engine's default port; the
-- plan migrates to another port. The shared account
-- (fixtures/EC-NET-network) is described in
-- docs/controls/network.md#the-test-account.

local MIGRATE_CLUSTER = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                          "DeleteCacheCluster" }
local MIGRATE_GROUP = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                        "DeleteReplicationGroup" }
local MIGRATE_MEMCACHED = { "CreateCacheCluster", "manual", "manual", "DeleteCacheCluster" }

-- The precondition on the groups, after "<id> is available".
local function groups_admit(port, met)
  return { {}, { text = "a rule of the cache's security groups admits port " .. port, met = met } }
end

return {
  control = "EC-NET-06",
  fixture = "fixtures/EC-NET-network",
  cases = {
    {
      name = "the test account: default ports fail, serverless caches cannot choose",
      expect = {
        ["rc-private"] = { status = "pass", reason = "listens on 6380, not on the default 6379" },
        ["rc-office"] = { status = "fail", reason = "listens on 6379, the default port of Redis OSS",
          evidence = { port = 6379, default_port = 6379, ports = { 6379 } },
          plan = { kind = "migration", actions = MIGRATE_CLUSTER, preconditions = groups_admit(6380, false),
                   steps = { { params = { CacheClusterId = "rc-office", SnapshotName = "rc-office-port6380-seed" } },
                             {}, { params = { ReplicationGroupId = "rc-office-port6380", Port = 6380 } },
                             {}, {}, {} } } },
        ["rg-private"] = { status = "fail", reason = "the default port of Valkey",
          plan = { kind = "migration", actions = MIGRATE_GROUP, preconditions = groups_admit(6380, true),
                   steps = { {}, {}, { params = { ReplicationGroupId = "rg-private-port6380", Port = 6380,
                                                  Engine = "valkey", NumCacheClusters = 2 } }, {}, {}, {} } } },
        ["mc-open"] = { status = "fail", reason = "listens on 11211, the default port of Memcached",
          plan = { kind = "migration", actions = MIGRATE_MEMCACHED, preconditions = groups_admit(11212, true),
                   steps = { { params = { CacheClusterId = "mc-open-port11212", Port = 11212 } }, {}, {}, {} } } },
        ["mc-classic"] = { status = "fail", plan = { preconditions = groups_admit(11212, false) } },
        ["rc-classic"] = "fail", ["mc-v6"] = "fail", ["rc-default-sng"] = "fail",
        ["rc-isolated"] = "fail", ["rc-v6edge"] = "fail", ["rc-vendor"] = "fail",
        ["rg-catchall"] = "fail", ["rg-open"] = "fail",
        ["sl-valkey"] = { status = "not_applicable", reason = "serverless caches cannot choose their port" },
        ["sl-mc-open"] = "not_applicable", ["sl-v6"] = "not_applicable",
      },
    },
    {
      name = "new_port chooses the port of the new cache",
      params = { new_port = 7000 },
      expect = {
        ["rg-private"] = { status = "fail",
          plan = { summary = "Rebuild rg-private on port 7000", preconditions = groups_admit(7000, false),
                   steps = { {}, {}, { params = { ReplicationGroupId = "rg-private-port7000", Port = 7000 } },
                             {}, {}, {} } } },
        ["mc-open"] = { status = "fail", plan = { steps = { { params = { Port = 7000 } }, {}, {}, {} } } },
        ["rc-private"] = "pass", ["sl-valkey"] = "not_applicable", ["sl-mc-open"] = "not_applicable",
        ["sl-v6"] = "not_applicable", ["*"] = "fail",
      },
    },
    {
      name = "security groups not collected: the plan cannot tell whether they admit the new port",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = { { CacheClusterId = "rc-y", Engine = "redis", EngineVersion = "7.1.0",
                             CacheClusterStatus = "available", CacheSubnetGroupName = "sng-y",
                             AtRestEncryptionEnabled = false, TransitEncryptionEnabled = false,
                             AuthTokenEnabled = false,
                             SecurityGroups = { { SecurityGroupId = "sg-y", Status = "active" } },
                             CacheNodes = { { CacheNodeId = "0001", Endpoint = { Address = "y", Port = 6379 } } } } },
        replication_groups = {}, serverless_caches = {} } } },
      expect = { ["rc-y"] = { status = "fail",
                              plan = { preconditions = { {}, {
                                text = "a rule of the cache's security groups admits port 6380" } } } } },
    },
    {
      name = "an engine or ports not reported",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = {
          { CacheClusterId = "rc-noengine", CacheClusterStatus = "available",
            CacheNodes = { { CacheNodeId = "0001", Endpoint = { Address = "a", Port = 6379 } } } },
          { CacheClusterId = "rc-noports", Engine = "redis", CacheClusterStatus = "available" },
        },
        replication_groups = {}, serverless_caches = {} } } },
      expect = { ["rc-noengine"] = { status = "unknown", reason = "its default port is not known" },
                 ["rc-noports"] = { status = "unknown", reason = "rc-noports" } },
    },
    {
      name = "a region whose cache clusters could not be read",
      fixture = { regions = { ["eu-west-1"] = { replication_groups = {}, serverless_caches = {},
                                                errors = { cache_clusters = "access_denied" } } } },
      expect = { ["eu-west-1"] = "unknown" },
    },
  },
}
