-- EC-NET-05: the cache uses no catch-all security group (its VPC's
-- default group, or an all-traffic rule from CIDR sources). Plans give the
-- cache a group of its own. The shared account (fixtures/EC-NET-network)
-- is described in docs/controls/network.md#the-test-account.

local REPLACE = { "manual", "manual" }

local function create_text(id, vpc, admit)
  return "Create it in " .. vpc .. ": `aws ec2 create-security-group --group-name " .. id
    .. "-dedicated --description \"" .. id .. " only\" --vpc-id " .. vpc .. " --region us-east-1 "
    .. "--query GroupId --output text`; the id it prints is <new-sg-id> below. " .. admit
end

-- A region with one Redis OSS cluster behind sg-x (all traffic from
-- 0.0.0.0/0) in vpc-x; opts.vpcs: the vpcs collection (nil: not collected),
-- opts.no_port: no CacheNodes.
local function one_cache(opts)
  local cluster = { CacheClusterId = "rc-x", Engine = "redis", EngineVersion = "7.1.0",
                    CacheClusterStatus = "available", CacheSubnetGroupName = "sng-x",
                    SecurityGroups = { { SecurityGroupId = "sg-x", Status = "active" } } }
  if not opts.no_port then
    cluster.CacheNodes = { { CacheNodeId = "0001", Endpoint = { Address = "rc-x.example", Port = 6379 } } }
  end
  return { regions = { ["us-east-1"] = {
    cache_clusters = { cluster }, replication_groups = {}, serverless_caches = {},
    cache_subnet_groups = { { CacheSubnetGroupName = "sng-x", VpcId = "vpc-x",
                              Subnets = { { SubnetIdentifier = "subnet-x" } } } },
    subnets = { { SubnetId = "subnet-x", VpcId = "vpc-x", CidrBlock = "10.9.0.0/24" } },
    security_groups = { { GroupId = "sg-x", GroupName = "debug", VpcId = "vpc-x", IpPermissions = {
      { IpProtocol = "-1", IpRanges = { { CidrIp = "0.0.0.0/0" } } } } } },
    vpcs = opts.vpcs, prefix_list_entries = {},
  } } }
end

local VPC_X = { VpcId = "vpc-x", CidrBlock = "10.9.0.0/16",
                Ipv6CidrBlockAssociationSet = { { Ipv6CidrBlock = "2600:1f18:9::/56" } } }

return {
  control = "EC-NET-05",
  fixture = "fixtures/EC-NET-network",
  cases = {
    {
      name = "the test account: default groups and an all-traffic rule",
      expect = {
        -- The default group's members keep the cache port through a reference.
        ["rc-default-sng"] = { status = "fail", reason = "sg-0dfltdefault (default): the VPC's default security group",
          evidence = { { group_id = "sg-0dfltdefault", group_name = "default",
                         why = "the VPC's default security group" } },
          plan = { kind = "in_place", actions = REPLACE, warnings = 2,
            steps = { { instructions = create_text("rc-default-sng", "vpc-0dflt",
                          "Then admit, on the cache's ports only, the trusted sources sg-0dfltdefault admit "
                          .. "today: `aws ec2 authorize-security-group-ingress --group-id <new-sg-id> --region "
                          .. "us-east-1 --ip-permissions 'IpProtocol=tcp,FromPort=6379,ToPort=6379,"
                          .. "UserIdGroupPairs=[{GroupId=sg-0dfltdefault}]'`.") },
                      { backout = { action = "ModifyCacheCluster", params = {
                          CacheClusterId = "rc-default-sng", SecurityGroupIds = { "sg-0dfltdefault" },
                          ApplyImmediately = true } } } } } },
        ["rc-isolated"] = { status = "fail", reason = "sg-0proddefault (default)", plan = { actions = REPLACE } },
        -- sg-0cache stays; the VPN range keeps the cache port only.
        ["rg-catchall"] = { status = "fail",
          reason = "ingress rule 1 allows all traffic (IpProtocol -1) from CIDR sources",
          plan = { actions = REPLACE,
            steps = { { title = "Create the security group rg-catchall-dedicated for rg-catchall alone" },
                      { title = "Give rg-catchall rg-catchall-dedicated in place of sg-0all",
                        backout = { action = "ModifyReplicationGroup",
                                    params = { SecurityGroupIds = { "sg-0all", "sg-0cache" } } } } } } },
        ["rc-classic"] = { status = "not_applicable", reason = "not in a VPC" },
        ["mc-classic"] = "not_applicable",
        ["*"] = "pass",
      },
    },
    {
      name = "nothing trusted to carry: the VPC's own ranges",
      fixture = one_cache({ vpcs = { VPC_X } }),
      expect = { ["rc-x"] = { status = "fail", reason = "sg-x (debug)",
        plan = { warnings = 3, steps = { { instructions = create_text("rc-x", "vpc-x",
          "Then admit, on the cache's ports only, the trusted sources sg-x admit today: `aws ec2 "
          .. "authorize-security-group-ingress --group-id <new-sg-id> --region us-east-1 --ip-permissions "
          .. "'IpProtocol=tcp,FromPort=6379,ToPort=6379,IpRanges=[{CidrIp=10.9.0.0/16}],"
          .. "Ipv6Ranges=[{CidrIpv6=2600:1f18:9::/56}]'`.") }, {} } } } },
    },
    {
      name = "nothing trusted and the VPC not in the inventory: the real clients, by hand",
      fixture = one_cache({ vpcs = {} }),
      expect = { ["rc-x"] = { status = "fail", plan = { warnings = 2 } } },
    },
    {
      name = "nothing trusted and the cache's ports not collected",
      fixture = one_cache({ vpcs = { VPC_X }, no_port = true }),
      expect = { ["rc-x"] = { status = "fail", plan = { warnings = 2 } } },
    },
    {
      name = "a region whose security groups could not be read",
      fixture = (function()
        local f = one_cache({})
        f.regions["us-east-1"].security_groups = nil
        f.regions["us-east-1"].errors = { security_groups = "access_denied" }
        return f
      end)(),
      expect = { ["rc-x"] = { status = "unknown", reason = "security groups" } },
    },
    {
      name = "a cache in a VPC that reports no security group: unknown, not a pass",
      fixture = (function()
        local f = one_cache({})
        f.regions["us-east-1"].cache_clusters[1].SecurityGroups = nil
        return f
      end)(),
      expect = { ["rc-x"] = { status = "unknown", reason = "reports no security group ids" } },
    },
    {
      name = "a region whose serverless caches could not be read",
      fixture = { regions = { ["eu-west-1"] = { cache_clusters = {}, replication_groups = {},
                                                errors = { serverless_caches = "timeout" } } } },
      expect = { ["eu-west-1"] = "unknown" },
    },
  },
}
