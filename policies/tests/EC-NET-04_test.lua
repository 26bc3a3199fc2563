-- EC-NET-04: security groups admit the cache's ports only from trusted
-- sources. Plans revoke the exact source where no other cache uses the
-- group, and give the cache a group of its own where one does. The shared
-- account (fixtures/EC-NET-network) is described in
-- docs/controls/network.md#the-test-account.

local REPLACE = { "manual", "manual" }

local function revoke(group_id, permission)
  return { action = "RevokeSecurityGroupIngress",
           params = { GroupId = group_id, IpPermissions = { permission } } }
end

-- A region with one Redis OSS cluster behind sg-x, whose rules are given;
-- port nil leaves CacheNodes out (ports not collected).
local function one_cache(rules, port)
  local cluster = { CacheClusterId = "rc-x", Engine = "redis", EngineVersion = "7.1.0",
                    CacheClusterStatus = "available", CacheSubnetGroupName = "sng-x",
                    SecurityGroups = { { SecurityGroupId = "sg-x", Status = "active" } } }
  if port then
    cluster.CacheNodes = { { CacheNodeId = "0001", Endpoint = { Address = "rc-x.example", Port = port } } }
  end
  return { regions = { ["us-east-1"] = {
    cache_clusters = { cluster }, replication_groups = {}, serverless_caches = {},
    cache_subnet_groups = { { CacheSubnetGroupName = "sng-x", VpcId = "vpc-x",
                              Subnets = { { SubnetIdentifier = "subnet-x" } } } },
    subnets = { { SubnetId = "subnet-x", VpcId = "vpc-x", CidrBlock = "10.9.0.0/24" } },
    security_groups = { { GroupId = "sg-x", GroupName = "x", VpcId = "vpc-x", IpPermissions = rules } },
  } } }
end

return {
  control = "EC-NET-04",
  fixture = "fixtures/EC-NET-network",
  cases = {
    {
      name = "the test account: every kind of cache",
      expect = {
        ["rc-vendor"] = { status = "fail", reason = "sg-0vendor admits 198.51.100.0/24 to the cache's port 6379",
          evidence = { { group_id = "sg-0vendor", protocol = "tcp", from_port = 6379, to_port = 6379,
                         port = 6379, cidr = "198.51.100.0/24" } },
          plan = { kind = "in_place", actions = { "RevokeSecurityGroupIngress" }, warnings = 2,
            steps = { { params = { GroupId = "sg-0vendor", IpPermissions = {
                          { IpProtocol = "tcp", FromPort = 6379, ToPort = 6379,
                            IpRanges = { { CidrIp = "198.51.100.0/24" } } } } },
                        backout = { action = "AuthorizeSecurityGroupIngress", params = { IpPermissions = {
                          { IpRanges = { { CidrIp = "198.51.100.0/24", Description = "vendor monitoring" } } } } } } } } } },
        -- The prefix list's trusted entry is kept as a CIDR, then the list goes.
        ["rc-office"] = { status = "fail", reason = "(via prefix list pl-0a1b2c3d4e5f60718)",
          plan = { kind = "in_place",
            actions = { "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress" },
            steps = {
              { params = { GroupId = "sg-0office", IpPermissions = { { IpProtocol = "tcp", FromPort = 6379,
                  ToPort = 6379, IpRanges = { { CidrIp = "10.100.0.0/16",
                    Description = "from prefix list pl-0a1b2c3d4e5f60718" } } } } },
                backout = { action = "RevokeSecurityGroupIngress", params = { IpPermissions = {
                  { IpRanges = { { CidrIp = "10.100.0.0/16" } } } } } } },
              revoke("sg-0office", { IpProtocol = "tcp", FromPort = 6379, ToPort = 6379,
                                     PrefixListIds = { { PrefixListId = "pl-0a1b2c3d4e5f60718" } } }),
            } } },
        -- sg-0open is its own; sg-0openv6 is rc-v6edge's too.
        ["rg-open"] = { status = "fail", reason = "2 untrusted sources in all",
          plan = { kind = "in_place", actions = { "RevokeSecurityGroupIngress", "manual", "manual" },
                   warnings = 3,
                   steps = { {}, { title = "Create the security group rg-open-dedicated for rg-open alone" },
                             { title = "Give rg-open rg-open-dedicated in place of sg-0openv6",
                               backout = { action = "ModifyReplicationGroup",
                                           params = { ReplicationGroupId = "rg-open", ApplyImmediately = true,
                                                      SecurityGroupIds = { "sg-0open", "sg-0openv6" } },
                                           wait = { waiter = "ReplicationGroupAvailable" } } } } } },
        ["rc-v6edge"] = { status = "fail", reason = "sg-0openv6 admits ::/0",
          plan = { kind = "in_place", actions = REPLACE,
                   steps = { {}, { backout = { action = "ModifyCacheCluster",
                                               params = { SecurityGroupIds = { "sg-0openv6" } } } } } } },
        ["mc-open"] = { status = "fail", plan = { actions = REPLACE } },
        ["sl-mc-open"] = { status = "fail", reason = "to the cache's ports 11211, 11212",
          plan = { actions = REPLACE, steps = { {}, { backout = { action = "ModifyServerlessCache",
            params = { ServerlessCacheName = "sl-mc-open", SecurityGroupIds = { "sg-0mcopen" } } } } } } },
        ["mc-v6"] = { status = "fail", plan = { actions = REPLACE } },
        ["sl-v6"] = { status = "fail", plan = { actions = REPLACE } },
        ["rc-private"] = { status = "pass", reason = "to the cache's port 6380" },
        ["rg-private"] = "pass", ["rg-catchall"] = "pass", ["sl-valkey"] = "pass",
        ["rc-default-sng"] = "pass", ["rc-isolated"] = "pass",
        ["rc-classic"] = "not_applicable", ["mc-classic"] = "not_applicable",
      },
    },
    {
      name = "trusted_cidrs: a vendor range you trust",
      params = { trusted_cidrs = { "198.51.100.0/24" } },
      expect = { ["rc-vendor"] = "pass", ["rc-private"] = "pass", ["rg-private"] = "pass",
                 ["rg-catchall"] = "pass", ["sl-valkey"] = "pass", ["rc-default-sng"] = "pass",
                 ["rc-isolated"] = "pass", ["rc-classic"] = "not_applicable",
                 ["mc-classic"] = "not_applicable", ["*"] = "fail" },
    },
    {
      name = "ports not collected: an all-traffic rule fails and is revoked as written",
      fixture = one_cache({ { IpProtocol = "-1", IpRanges = { { CidrIp = "0.0.0.0/0" } } } }),
      expect = { ["rc-x"] = { status = "fail", reason = "on rules covering every port",
        plan = { actions = { "RevokeSecurityGroupIngress" },
                 steps = { revoke("sg-x", { IpProtocol = "-1", IpRanges = { { CidrIp = "0.0.0.0/0" } } }) } } } },
    },
    {
      name = "ports not collected: a narrower rule may or may not be the cache's",
      fixture = one_cache({ { IpProtocol = "tcp", FromPort = 6379, ToPort = 6379,
                              IpRanges = { { CidrIp = "0.0.0.0/0" } } } }),
      expect = { ["rc-x"] = { status = "unknown", reason = "1 untrusted source is admitted" } },
    },
    {
      name = "a shared group whose other trusted sources are carried over",
      fixture = (function()
        local f = one_cache({ { IpProtocol = "tcp", FromPort = 6379, ToPort = 6380,
                                IpRanges = { { CidrIp = "0.0.0.0/0" }, { CidrIp = "10.9.0.0/16" } },
                                UserIdGroupPairs = { { GroupId = "sg-app", UserId = "111122223333" } } } }, 6379)
        local region = f.regions["us-east-1"]
        region.serverless_caches = { { ServerlessCacheName = "sl-other", Engine = "valkey",
                                       SecurityGroupIds = { "sg-x" }, SubnetIds = { "subnet-x" },
                                       Endpoint = { Address = "sl-other.example", Port = 6379 } } }
        return f
      end)(),
      expect = {
        ["rc-x"] = { status = "fail", plan = { actions = REPLACE, steps = { {
          instructions = "Create it in vpc-x: `aws ec2 create-security-group --group-name rc-x-dedicated "
            .. "--description \"rc-x only\" --vpc-id vpc-x --region us-east-1 --query GroupId --output text`; "
            .. "the id it prints is <new-sg-id> below. Then admit, on the cache's ports only, the trusted "
            .. "sources sg-x admit today: `aws ec2 authorize-security-group-ingress --group-id <new-sg-id> "
            .. "--region us-east-1 --ip-permissions 'IpProtocol=tcp,FromPort=6379,ToPort=6379,"
            .. "IpRanges=[{CidrIp=10.9.0.0/16}],UserIdGroupPairs=[{GroupId=sg-app}]'`." }, {} } } },
        ["sl-other"] = { status = "fail", plan = { actions = REPLACE } },
      },
    },
    {
      name = "a cache in a VPC that reports no security group",
      fixture = (function()
        local f = one_cache({}, 6379)
        f.regions["us-east-1"].cache_clusters[1].SecurityGroups = {}
        return f
      end)(),
      expect = { ["rc-x"] = { status = "unknown", reason = "reports no security group ids" } },
    },
    {
      name = "an IPv6 prefix list: its private entries are kept as IPv6 ranges",
      fixture = (function()
        local f = one_cache({ { IpProtocol = "tcp", FromPort = 6379, ToPort = 6379,
                                PrefixListIds = { { PrefixListId = "pl-0f1e2d3c4b5a69788" } } } }, 6379)
        f.regions["us-east-1"].prefix_list_entries = {
          ["pl-0f1e2d3c4b5a69788"] = { { Cidr = "2001:db8::/32" }, { Cidr = "fd00::/8" } } }
        return f
      end)(),
      expect = { ["rc-x"] = { status = "fail", reason = "admits 2001:db8::/32",
        plan = { actions = { "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress" },
                 steps = { { params = { IpPermissions = { { Ipv6Ranges = { { CidrIpv6 = "fd00::/8",
                   Description = "from prefix list pl-0f1e2d3c4b5a69788" } } } } } }, {} } } } },
    },
  },
}
