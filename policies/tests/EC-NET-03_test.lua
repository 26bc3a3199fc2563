-- EC-NET-03: none of the cache's subnets is public. Plans migrate into
-- private subnets, or change the subnets of the cache's own subnet group
-- in place when private_subnet_ids lists them. The shared account
-- (fixtures/EC-NET-network) is described in
-- docs/controls/network.md#the-test-account.

local MIGRATE_CLUSTER = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                          "DeleteCacheCluster" }
local MIGRATE_GROUP = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                        "DeleteReplicationGroup" }
local MIGRATE_MEMCACHED = { "CreateCacheCluster", "manual", "manual", "DeleteCacheCluster" }
local MIGRATE_SERVERLESS = { "CreateServerlessCacheSnapshot", "manual", "CreateServerlessCache",
                             "manual", "manual", "manual", "DeleteServerlessCache" }

local PRIVATE = { "subnet-0priva", "subnet-0privb" }

local function private_subnet(id, met)
  return { text = id .. " is a private subnet of vpc-0prod", met = met }
end

-- One public subnet group used by two standalone clusters and by a
-- replication group whose members are not next to each other in the
-- cluster list.
local function in_sng(id, group_id)
  return { CacheClusterId = id, Engine = "redis", CacheSubnetGroupName = "sng-shared", ReplicationGroupId = group_id }
end
local SHARED = { regions = { ["us-east-1"] = {
  cache_clusters = { in_sng("rc-a"), in_sng("rg-x-001", "rg-x"), in_sng("rc-b"), in_sng("rg-x-002", "rg-x") },
  replication_groups = { { ReplicationGroupId = "rg-x", MemberClusters = { "rg-x-001", "rg-x-002" } } },
  serverless_caches = {},
  cache_subnet_groups = { { CacheSubnetGroupName = "sng-shared", VpcId = "vpc-1",
                            Subnets = { { SubnetIdentifier = "subnet-pub" } } } },
  subnets = { { SubnetId = "subnet-pub", VpcId = "vpc-1" }, { SubnetId = "subnet-priv", VpcId = "vpc-1" } },
  route_tables = {
    { RouteTableId = "rtb-main", VpcId = "vpc-1", Associations = { { Main = true } },
      Routes = { { DestinationCidrBlock = "10.1.0.0/16", GatewayId = "local" } } },
    { RouteTableId = "rtb-pub", VpcId = "vpc-1",
      Associations = { { Main = false, SubnetId = "subnet-pub", RouteTableAssociationId = "rtbassoc-pub" } },
      Routes = { { DestinationCidrBlock = "10.1.0.0/16", GatewayId = "local" },
                 { DestinationCidrBlock = "0.0.0.0/0", GatewayId = "igw-1" } } },
  } } } }
local UNDOCUMENTED = "ElastiCache does not document whether a subnet that holds nodes may leave"

local function shared_too(owner)
  return owner .. " uses the subnet group sng-shared too: it changes as well."
end

return {
  control = "EC-NET-03",
  fixture = "fixtures/EC-NET-network",
  cases = {
    {
      name = "the test account: migrations into private subnets",
      expect = {
        ["rc-v6edge"] = { status = "fail", reason = "subnet subnet-0v6puba routes ::/0 to igw-0prod",
          evidence = { { subnet_id = "subnet-0v6puba", route_table_id = "rtb-0v6edge",
                         association = "explicit", destination = "::/0", gateway_id = "igw-0prod" } },
          plan = { kind = "migration", actions = MIGRATE_CLUSTER,
            preconditions = { {}, { met = false, text = "CacheSubnetGroupName in the create step is a "
              .. "placeholder: set EC-NET-03.target_subnet_group, or edit the step" } },
            steps = { {}, {}, { params = { ReplicationGroupId = "rc-v6edge-private",
              CacheSubnetGroupName = "{a cache subnet group of private subnets}" } }, {}, {}, {} } } },
        ["rc-default-sng"] = { status = "fail", reason = "its VPC's main route table rtb-0dfltmain) "
          .. "(2 of its 2 subnets are public)", plan = { actions = MIGRATE_CLUSTER } },
        ["rg-open"] = { status = "fail", plan = { kind = "migration", actions = MIGRATE_GROUP } },
        ["mc-open"] = { status = "fail", plan = { kind = "migration", actions = MIGRATE_MEMCACHED } },
        ["mc-v6"] = "fail",
        ["sl-mc-open"] = { status = "fail",
          plan = { kind = "migration", actions = MIGRATE_SERVERLESS,
            preconditions = { {}, { met = false, text = "SubnetIds in the create step is a placeholder: "
              .. "set EC-NET-03.private_subnet_ids, or edit the step" } },
            steps = { {}, {}, { params = { ServerlessCacheName = "sl-mc-open-private",
                                           SubnetIds = { "{a private subnet}" } } }, {}, {}, {}, {} } } },
        ["sl-v6"] = "fail",
        ["rc-isolated"] = { status = "pass", reason = "none of the cache's 1 subnets" },
        ["rc-classic"] = { status = "not_applicable", reason = "not in a VPC" },
        ["mc-classic"] = "not_applicable",
        ["*"] = "pass",
      },
    },
    {
      name = "target_subnet_group names the new cache's subnet group",
      params = { target_subnet_group = "sng-private" },
      expect = {
        ["rg-open"] = { status = "fail", plan = { preconditions = { {} },
          steps = { {}, {}, { params = { CacheSubnetGroupName = "sng-private" } }, {}, {}, {} } } },
        ["rc-v6edge"] = "fail", ["rc-default-sng"] = "fail", ["mc-open"] = "fail", ["mc-v6"] = "fail",
        ["sl-mc-open"] = "fail", ["sl-v6"] = "fail",
        ["rc-classic"] = "not_applicable", ["mc-classic"] = "not_applicable",
        ["*"] = "pass",
      },
    },
    {
      name = "private_subnet_ids: the subnet group changes in place; serverless caches still migrate",
      params = { private_subnet_ids = PRIVATE },
      expect = {
        ["rg-open"] = { status = "fail",
          plan = { kind = "in_place", actions = { "ModifyCacheSubnetGroup" }, warnings = 2,
            preconditions = { private_subnet("subnet-0priva", true), private_subnet("subnet-0privb", true) },
            steps = { { params = { CacheSubnetGroupName = "sng-public", SubnetIds = PRIVATE },
                        backout = { action = "ModifyCacheSubnetGroup",
                                    params = { CacheSubnetGroupName = "sng-public",
                                               SubnetIds = { "subnet-0puba", "subnet-0privb" } } } } } } },
        ["mc-open"] = { status = "fail", plan = { kind = "in_place", warnings = 2 } },
        ["rc-v6edge"] = { status = "fail", plan = { kind = "in_place", warnings = 2 } },
        ["sl-mc-open"] = { status = "fail", plan = { kind = "migration", actions = MIGRATE_SERVERLESS,
          steps = { {}, {}, { params = { SubnetIds = PRIVATE } }, {}, {}, {}, {} } } },
        ["rc-default-sng"] = "fail", ["mc-v6"] = "fail", ["sl-v6"] = "fail",
        ["rc-classic"] = "not_applicable", ["mc-classic"] = "not_applicable",
        ["*"] = "pass",
      },
    },
    {
      name = "private_subnet_ids that are not private subnets of the cache's VPC",
      params = { private_subnet_ids = { "subnet-0puba", "subnet-0dflta", "subnet-0gone" } },
      expect = {
        ["rg-open"] = { status = "fail", plan = { preconditions = {
          private_subnet("subnet-0puba", false), private_subnet("subnet-0dflta", false),
          private_subnet("subnet-0gone", false) } } },
        ["rc-v6edge"] = "fail", ["rc-default-sng"] = "fail", ["mc-open"] = "fail", ["mc-v6"] = "fail",
        ["sl-mc-open"] = "fail", ["sl-v6"] = "fail",
        ["rc-classic"] = "not_applicable", ["mc-classic"] = "not_applicable",
        ["*"] = "pass",
      },
    },
    {
      name = "every other cache on the subnet group is warned about once, members apart or not",
      fixture = SHARED,
      params = { private_subnet_ids = { "subnet-priv" } },
      expect = {
        ["rc-a"] = { status = "fail", plan = { kind = "in_place",
          warnings = { UNDOCUMENTED, shared_too("replication_group rg-x"), shared_too("cache_cluster rc-b") } } },
        ["rc-b"] = { status = "fail", plan = {
          warnings = { UNDOCUMENTED, shared_too("cache_cluster rc-a"), shared_too("replication_group rg-x") } } },
        ["rg-x"] = { status = "fail", plan = {
          warnings = { UNDOCUMENTED, shared_too("cache_cluster rc-a"), shared_too("cache_cluster rc-b") } } },
      },
    },
    {
      name = "route tables that could not be read",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = { { CacheClusterId = "rc-y", Engine = "redis", CacheSubnetGroupName = "sng-y" } },
        replication_groups = {}, serverless_caches = {}, subnets = {},
        cache_subnet_groups = { { CacheSubnetGroupName = "sng-y", VpcId = "vpc-y",
                                  Subnets = { { SubnetIdentifier = "subnet-y" } } } },
        errors = { route_tables = "access_denied" } } } },
      expect = { ["rc-y"] = { status = "unknown", reason = "route tables" } },
    },
    {
      name = "a cache that reports no subnets",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = {}, replication_groups = {}, subnets = {}, route_tables = {},
        serverless_caches = { { ServerlessCacheName = "sl-y", Engine = "valkey", SubnetIds = {},
                                SecurityGroupIds = {}, Endpoint = { Address = "y", Port = 6379 } } } } } },
      expect = { ["sl-y"] = { status = "unknown", reason = "reports no subnet ids" } },
    },
  },
}
