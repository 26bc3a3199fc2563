-- EC-NET-01: the cache runs in a VPC; the plan migrates it into one. The
-- shared account (fixtures/EC-NET-network) is described in
-- docs/controls/network.md#the-test-account.

local MIGRATE_CLUSTER = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                          "DeleteCacheCluster" }
local MIGRATE_GROUP = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                        "DeleteReplicationGroup" }
local MIGRATE_MEMCACHED = { "CreateCacheCluster", "manual", "manual", "DeleteCacheCluster" }

local SUBNET_GROUP_PLACEHOLDER = { met = false, text = "CacheSubnetGroupName in the create step is a "
  .. "placeholder: set EC-NET-01.target_subnet_group, or edit the step" }
local GROUPS_PLACEHOLDER = { met = false, text = "SecurityGroupIds in the create step is a placeholder: "
  .. "set EC-NET-01.target_security_group_ids, or edit the step" }

return {
  control = "EC-NET-01",
  fixture = "fixtures/EC-NET-network",
  cases = {
    {
      name = "the test account: EC2-Classic caches fail, with placeholders in their plans",
      expect = {
        ["rc-classic"] = { status = "fail", reason = "outside a VPC",
          evidence = { in_vpc = false, CacheSecurityGroups = { "legacy" } },
          plan = { kind = "migration", actions = MIGRATE_CLUSTER,
            preconditions = { {}, SUBNET_GROUP_PLACEHOLDER, GROUPS_PLACEHOLDER },
            steps = { {}, {}, { params = { ReplicationGroupId = "rc-classic-vpc",
              CacheSubnetGroupName = "{a cache subnet group of private subnets}",
              SecurityGroupIds = { "{a security group of the target VPC}" } } }, {}, {}, {} } } },
        ["mc-classic"] = { status = "fail",
          plan = { kind = "migration", actions = MIGRATE_MEMCACHED,
            steps = { { params = { CacheClusterId = "mc-classic-vpc" } }, {}, {}, {} } } },
        ["sl-valkey"] = { status = "pass", reason = "serverless caches always run in a VPC" },
        ["rc-private"] = { status = "pass", reason = "the cache runs in a VPC" },
        ["*"] = "pass",
      },
    },
    {
      name = "the parameters say where the new cache goes",
      params = { target_subnet_group = "sng-private", target_security_group_ids = { "sg-0cache" } },
      expect = {
        ["rc-classic"] = { status = "fail",
          plan = { preconditions = { {} }, steps = { {}, {}, { params = {
            CacheSubnetGroupName = "sng-private", SecurityGroupIds = { "sg-0cache" } } }, {}, {}, {} } } },
        ["mc-classic"] = "fail",
        ["*"] = "pass",
      },
    },
    {
      name = "a replication group whose members are outside a VPC",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = { { CacheClusterId = "rg-old-001", ReplicationGroupId = "rg-old", Engine = "redis",
                             EngineVersion = "6.2.6", CacheClusterStatus = "available",
                             AtRestEncryptionEnabled = false, TransitEncryptionEnabled = false,
                             AuthTokenEnabled = false,
                             CacheSecurityGroups = { { CacheSecurityGroupName = "old", Status = "active" } } } },
        replication_groups = { { ReplicationGroupId = "rg-old", Status = "available", Engine = "redis",
                                 MemberClusters = { "rg-old-001" }, AtRestEncryptionEnabled = false,
                                 TransitEncryptionEnabled = false, AuthTokenEnabled = false } },
        serverless_caches = {} } } },
      expect = { ["rg-old"] = { status = "fail", evidence = { CacheSecurityGroups = { "old" } },
                                plan = { kind = "migration", actions = MIGRATE_GROUP } } },
    },
    {
      name = "a region whose replication groups could not be read",
      fixture = { regions = { ["eu-west-1"] = { cache_clusters = {}, serverless_caches = {},
                                                errors = { replication_groups = "throttled" } } } },
      expect = { ["eu-west-1"] = "unknown" },
    },
  },
}
