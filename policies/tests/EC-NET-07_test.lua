-- EC-NET-07: an IPv6 or dual-stack cache is not reachable from the IPv6
-- internet (a ::/0 route to an internet gateway and a public IPv6 source
-- on its port, both). The shared account (fixtures/EC-NET-network) is
-- described in docs/controls/network.md#the-test-account.

local MIGRATE_CLUSTER = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                          "DeleteCacheCluster" }
local MIGRATE_GROUP = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                        "DeleteReplicationGroup" }
local MIGRATE_MEMCACHED = { "CreateCacheCluster", "manual", "manual", "DeleteCacheCluster" }
local MIGRATE_SERVERLESS = { "CreateServerlessCacheSnapshot", "manual", "CreateServerlessCache",
                             "manual", "manual", "manual", "DeleteServerlessCache" }

-- One dual-stack Redis OSS cluster in subnet-x (route: ::/0 to gateway, or
-- none), behind sg-x admitting source on 6379. opts: no_port (no
-- CacheNodes), network_type, ipv6_subnet (default true), omit (a
-- collection left out).
local function one_cache(gateway, source, opts)
  opts = opts or {}
  local cluster = { CacheClusterId = "rc-x", Engine = "redis", EngineVersion = "7.1.0",
                    CacheClusterStatus = "available", CacheSubnetGroupName = "sng-x",
                    NetworkType = opts.network_type, AtRestEncryptionEnabled = false,
                    TransitEncryptionEnabled = false, AuthTokenEnabled = false,
                    SecurityGroups = { { SecurityGroupId = "sg-x", Status = "active" } } }
  if opts.network_type == nil and not opts.no_type then cluster.NetworkType = "dual_stack" end
  if not opts.no_port then
    cluster.CacheNodes = { { CacheNodeId = "0001", Endpoint = { Address = "rc-x.example", Port = 6379 } } }
  end
  local routes = { { DestinationCidrBlock = "10.9.0.0/16", GatewayId = "local", State = "active" } }
  if gateway then
    routes[2] = { DestinationIpv6CidrBlock = "::/0", GatewayId = gateway, State = "active" }
  end
  local subnet = { SubnetId = "subnet-x", VpcId = "vpc-x", CidrBlock = "10.9.0.0/24" }
  if opts.ipv6_subnet ~= false then
    subnet.Ipv6CidrBlockAssociationSet = { { Ipv6CidrBlock = "2600:1f18:1:2::/64",
                                             Ipv6CidrBlockState = { State = "associated" } } }
  end
  local region = {
    cache_clusters = { cluster }, replication_groups = {}, serverless_caches = {},
    cache_subnet_groups = { { CacheSubnetGroupName = "sng-x", VpcId = "vpc-x",
                              Subnets = { { SubnetIdentifier = "subnet-x" } } } },
    subnets = { subnet },
    route_tables = { { RouteTableId = "rtb-x", VpcId = "vpc-x", Routes = routes,
                       Associations = { { Main = true, RouteTableId = "rtb-x",
                                          RouteTableAssociationId = "rtbassoc-x" } } } },
    security_groups = { { GroupId = "sg-x", GroupName = "x", VpcId = "vpc-x", IpPermissions = {
      { IpProtocol = "tcp", FromPort = 6379, ToPort = 6379, Ipv6Ranges = { { CidrIpv6 = source } } } } } },
  }
  if opts.omit then region[opts.omit] = nil end
  return { regions = { ["us-east-1"] = region } }
end

return {
  control = "EC-NET-07",
  fixture = "fixtures/EC-NET-network",
  cases = {
    {
      name = "the test account: every kind of cache",
      expect = {
        ["rc-v6edge"] = { status = "fail",
          reason = "dual_stack cache reachable from the IPv6 internet: sg-0openv6 admits ::/0 to port "
            .. "6379, and subnet subnet-0v6puba routes ::/0 to igw-0prod (rtb-0v6edge)",
          evidence = { network_type = "dual_stack",
            subnets = { { subnet_id = "subnet-0v6puba", route_table_id = "rtb-0v6edge",
                          association = "explicit", destination = "::/0", gateway_id = "igw-0prod" } },
            sources = { { group_id = "sg-0openv6", protocol = "tcp", from_port = 6379, to_port = 6379,
                          port = 6379, cidr = "::/0" } } },
          plan = { kind = "migration", actions = MIGRATE_CLUSTER,
            preconditions = { { text = "rc-v6edge is available", met = true },
                              { text = "the subnet group sng-v6edge supports ipv4", met = true } },
            steps = { {}, {}, { params = { ReplicationGroupId = "rc-v6edge-ipv4", NetworkType = "ipv4",
                                           IpDiscovery = "ipv4", CacheSubnetGroupName = "sng-v6edge" } },
                      {}, {}, {} } } },
        ["rg-open"] = { status = "fail", reason = "subnet subnet-0puba routes ::/0 to igw-0prod",
                        plan = { kind = "migration", actions = MIGRATE_GROUP } },
        ["mc-v6"] = { status = "fail", reason = "sg-0wide admits 2001:db8::/32 to port 11211",
                      plan = { kind = "migration", actions = MIGRATE_MEMCACHED,
                               steps = { { params = { CacheClusterId = "mc-v6-ipv4", NetworkType = "ipv4" } },
                                         {}, {}, {} } } },
        ["sl-v6"] = { status = "fail", reason = "sg-0wide admits 2001:db8::/32 to port 6379",
                      plan = { kind = "migration", actions = MIGRATE_SERVERLESS,
                               preconditions = { {}, { text = "the cache's subnets have IPv4 ranges "
                                 .. "(none is IPv6-only)", met = true } },
                               steps = { {}, {}, { params = { ServerlessCacheName = "sl-v6-ipv4",
                                                              NetworkType = "ipv4" } }, {}, {}, {}, {} } } },
        -- Dual-stack in private subnets, and no public IPv6 source.
        ["rg-private"] = { status = "pass", reason = "no security-group rule admits a public IPv6 source" },
        ["rc-classic"] = { status = "not_applicable", reason = "not in a VPC" },
        ["mc-classic"] = "not_applicable",
        ["rc-isolated"] = { status = "not_applicable", reason = "none of the cache's subnets has an IPv6 range" },
        ["sl-valkey"] = { status = "not_applicable", reason = "IPv4 only" },
        ["*"] = "not_applicable",
      },
    },
    {
      name = "an IPv6 range you trust is not public",
      params = { trusted_cidrs = { "2001:db8::/32" } },
      expect = { ["mc-v6"] = "pass", ["sl-v6"] = "pass", ["rc-v6edge"] = "fail", ["rg-open"] = "fail",
                 ["rg-private"] = "pass", ["*"] = "not_applicable" },
    },
    {
      name = "a public IPv6 source but no ::/0 route to an internet gateway",
      fixture = one_cache("eigw-x", "::/0"),
      expect = { ["rc-x"] = { status = "pass", reason = "none of the cache's subnets routes ::/0" } },
    },
    {
      name = "an IPv6-only cache is judged the same way",
      fixture = one_cache("igw-x", "::/0", { network_type = "ipv6" }),
      expect = { ["rc-x"] = { status = "fail", reason = "ipv6 cache reachable",
                              plan = { actions = MIGRATE_CLUSTER } } },
    },
    {
      name = "no network type reported, on a subnet with an IPv6 range",
      fixture = one_cache("igw-x", "::/0", { no_type = true }),
      expect = { ["rc-x"] = { status = "unknown", reason = "the network type is not reported" } },
    },
    {
      name = "security groups not collected: the route decides a pass",
      fixture = one_cache(nil, "::/0", { omit = "security_groups" }),
      expect = { ["rc-x"] = { status = "pass", reason = "none of the cache's subnets routes ::/0" } },
    },
    {
      name = "security groups not collected behind a public IPv6 route",
      fixture = one_cache("igw-x", "::/0", { omit = "security_groups" }),
      expect = { ["rc-x"] = { status = "unknown", reason = "security groups" } },
    },
    {
      name = "route tables not collected behind a public IPv6 source",
      fixture = one_cache("igw-x", "::/0", { omit = "route_tables" }),
      expect = { ["rc-x"] = { status = "unknown", reason = "route tables" } },
    },
    {
      name = "the cache's ports not collected, a rule for one port",
      fixture = one_cache("igw-x", "::/0", { no_port = true }),
      expect = { ["rc-x"] = { status = "unknown",
                              reason = "sg-x admits ::/0 on ports 6379-6379, but the cache's ports were not collected" } },
    },
    {
      name = "a dual-stack serverless cache that reports no subnets",
      fixture = { regions = { ["us-east-1"] = {
        cache_clusters = {}, replication_groups = {}, subnets = {}, route_tables = {},
        security_groups = { { GroupId = "sg-y", GroupName = "y", VpcId = "vpc-y", IpPermissions = {} } },
        serverless_caches = { { ServerlessCacheName = "sl-y", Engine = "valkey", NetworkType = "dual_stack",
                                SubnetIds = {}, SecurityGroupIds = { "sg-y" },
                                Endpoint = { Address = "sl-y.example", Port = 6379 } } } } } },
      expect = { ["sl-y"] = { status = "unknown", reason = "reports no subnet ids" } },
    },
    {
      name = "a region whose replication groups could not be read",
      fixture = { regions = { ["eu-west-1"] = { cache_clusters = {}, serverless_caches = {},
                                                errors = { replication_groups = "access_denied" } } } },
      expect = { ["eu-west-1"] = "unknown" },
    },
  },
}
