-- EC-NET-02: the cache does not use the cache subnet group named
-- "default"; the plan migrates it out. The shared account
-- (fixtures/EC-NET-network) is described in
-- docs/controls/network.md#the-test-account.

local MIGRATE_CLUSTER = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                          "DeleteCacheCluster" }
local MIGRATE_GROUP = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                        "DeleteReplicationGroup" }
local MIGRATE_MEMCACHED = { "CreateCacheCluster", "manual", "manual", "DeleteCacheCluster" }

local function in_default(id, engine, group_id)
  return { CacheClusterId = id, ReplicationGroupId = group_id, Engine = engine,
           EngineVersion = engine == "memcached" and "1.6.22" or "7.1.0",
           CacheClusterStatus = "available", CacheSubnetGroupName = "default",
           AtRestEncryptionEnabled = false, TransitEncryptionEnabled = false, AuthTokenEnabled = false,
           SecurityGroups = { { SecurityGroupId = "sg-d", Status = "active" } } }
end

return {
  control = "EC-NET-02",
  fixture = "fixtures/EC-NET-network",
  cases = {
    {
      name = "the test account",
      expect = {
        ["rc-default-sng"] = { status = "fail", reason = "the cache subnet group named default",
          evidence = { subnet_group_name = "default" },
          plan = { kind = "migration", actions = MIGRATE_CLUSTER,
            preconditions = { {}, { met = false, text = "CacheSubnetGroupName in the create step is a "
              .. "placeholder: set EC-NET-02.target_subnet_group to a subnet group of private subnets, "
              .. "or edit the step" } },
            steps = { {}, {}, { params = { ReplicationGroupId = "rc-default-sng-sng",
              CacheSubnetGroupName = "{a cache subnet group of private subnets}" } }, {}, {}, {} } } },
        ["rc-private"] = { status = "pass", reason = "the cache subnet group sng-private" },
        ["sl-valkey"] = { status = "not_applicable", reason = "serverless caches have no cache subnet group" },
        ["sl-mc-open"] = "not_applicable", ["sl-v6"] = "not_applicable",
        ["rc-classic"] = { status = "not_applicable", reason = "not in a VPC" },
        ["mc-classic"] = "not_applicable",
        ["*"] = "pass",
      },
    },
    {
      name = "target_subnet_group names the new cache's subnet group",
      params = { target_subnet_group = "sng-private" },
      expect = {
        ["rc-default-sng"] = { status = "fail", plan = {
          preconditions = { {}, { text = "the cache subnet group sng-private holds private subnets of the "
            .. "VPC of the security groups the new cache keeps" } },
          steps = { {}, {}, { params = { CacheSubnetGroupName = "sng-private" } }, {}, {}, {} } } },
        ["sl-valkey"] = "not_applicable", ["sl-mc-open"] = "not_applicable", ["sl-v6"] = "not_applicable",
        ["rc-classic"] = "not_applicable", ["mc-classic"] = "not_applicable",
        ["*"] = "pass",
      },
    },
    {
      name = "a Memcached cluster and a replication group in default",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = { in_default("mc-d", "memcached"), in_default("rg-d-001", "redis", "rg-d") },
        replication_groups = { { ReplicationGroupId = "rg-d", Status = "available", Engine = "redis",
                                 MemberClusters = { "rg-d-001" }, AtRestEncryptionEnabled = false,
                                 TransitEncryptionEnabled = false, AuthTokenEnabled = false } },
        serverless_caches = {} } } },
      expect = {
        ["mc-d"] = { status = "fail", plan = { kind = "migration", actions = MIGRATE_MEMCACHED } },
        ["rg-d"] = { status = "fail", plan = { kind = "migration", actions = MIGRATE_GROUP } },
      },
    },
    {
      name = "a region whose cache clusters could not be read",
      fixture = { regions = { ["eu-west-1"] = { replication_groups = {}, serverless_caches = {},
                                                errors = { cache_clusters = "partial" } } } },
      expect = { ["eu-west-1"] = "unknown" },
    },
  },
}
