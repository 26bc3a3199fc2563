-- EC-NET-08: the network ACLs of the cache's subnets do not admit its
-- ports from public sources, decided exactly. The shared account
-- (fixtures/EC-NET-network) is described in
-- docs/controls/network.md#the-test-account.

local CREATE = "CreateNetworkAclEntry"

local function creates(n)
  local out = {}
  for i = 1, n do out[i] = CREATE end
  return out
end

-- A region with one Redis OSS cluster on port (nil: no CacheNodes) in
-- subnet-x, governed by a network ACL with the given inbound entries.
local function one_acl(entries, opts)
  opts = opts or {}
  local acl_entries = {}
  for i, e in ipairs(entries) do
    local raw = { RuleNumber = e[1], RuleAction = e[2], Protocol = e.protocol or "6", Egress = false }
    if e[3]:find(":", 1, true) then raw.Ipv6CidrBlock = e[3] else raw.CidrBlock = e[3] end
    if e.ports then raw.PortRange = { From = e.ports[1], To = e.ports[2] } end
    acl_entries[i] = raw
  end
  acl_entries[#acl_entries + 1] = { RuleNumber = 32767, RuleAction = "deny", Protocol = "-1",
                                    Egress = false, CidrBlock = "0.0.0.0/0" }
  local cluster = { CacheClusterId = "rc-x", Engine = "redis", EngineVersion = "7.1.0",
                    CacheClusterStatus = "available", CacheSubnetGroupName = "sng-x",
                    SecurityGroups = { { SecurityGroupId = "sg-x", Status = "active" } },
                    NetworkType = opts.network_type }
  if opts.port ~= false then
    cluster.CacheNodes = { { CacheNodeId = "0001", Endpoint = { Address = "rc-x.example", Port = opts.port or 6379 } } }
  end
  local acls = { { NetworkAclId = "acl-x", VpcId = "vpc-x", IsDefault = false,
                   Associations = { { NetworkAclAssociationId = "aclassoc-x", NetworkAclId = "acl-x",
                                      SubnetId = "subnet-x" } },
                   Entries = acl_entries } }
  for _, extra in ipairs(opts.acls or {}) do acls[#acls + 1] = extra end
  return { regions = { ["us-east-1"] = {
    cache_clusters = { cluster }, replication_groups = {}, serverless_caches = {},
    cache_subnet_groups = { { CacheSubnetGroupName = "sng-x", VpcId = "vpc-x",
                              Subnets = { { SubnetIdentifier = "subnet-x" } } } },
    subnets = { { SubnetId = "subnet-x", VpcId = "vpc-x", CidrBlock = "10.9.0.0/24" } },
    network_acls = acls,
  } } }
end

return {
  control = "EC-NET-08",
  fixture = "fixtures/EC-NET-network",
  cases = {
    {
      name = "the test account: exact evaluation on every kind of cache",
      expect = {
        -- acl-0private denies the cache ports ahead of its ephemeral-port allows.
        ["rc-private"] = { status = "pass", reason = "to port 6380" },
        ["rg-private"] = "pass", ["rg-catchall"] = "pass", ["rc-office"] = "pass",
        ["rc-vendor"] = "pass",
        ["sl-valkey"] = { status = "pass", reason = "to port 6379, 6380" },
        ["rc-classic"] = { status = "not_applicable", reason = "not in a VPC" },
        ["mc-classic"] = "not_applicable",
        ["mc-open"] = { status = "fail", reason = "network ACL acl-0proddefault (subnets subnet-0puba) "
            .. "lets public sources reach port 11211: rule 100 allows all traffic from 0.0.0.0/0",
          evidence = {
            { network_acl_id = "acl-0proddefault", association = "default", is_default = true,
              subnet_ids = { "subnet-0puba" }, rule_number = 100, protocol = "-1", from_port = 0,
              to_port = 65535, cidr = "0.0.0.0/0", port = 11211, admitted = "0.0.0.0/5" },
          },
          plan = { kind = "in_place", actions = creates(4), warnings = 2,
            steps = {
              { params = { NetworkAclId = "acl-0proddefault", RuleNumber = 96, RuleAction = "allow",
                           Protocol = "6", Egress = false, CidrBlock = "10.0.0.0/8",
                           PortRange = { From = 11211, To = 11211 } },
                backout = { action = "DeleteNetworkAclEntry",
                            params = { NetworkAclId = "acl-0proddefault", RuleNumber = 96, Egress = false } } },
              { params = { RuleNumber = 97, CidrBlock = "172.16.0.0/12" } },
              { params = { RuleNumber = 98, CidrBlock = "192.168.0.0/16" } },
              { params = { RuleNumber = 99, RuleAction = "deny", CidrBlock = "0.0.0.0/0" } },
            } } },
        -- Rule 90 denies 0.0.0.0/1 first: only the upper half reaches rule 100.
        ["rc-v6edge"] = { status = "fail", reason = "rule 100 allows tcp 0-65535 from 0.0.0.0/0 "
            .. "(public sources such as 128.0.0.0/3)",
          plan = { kind = "in_place", actions = creates(4),
            steps = { { params = { RuleNumber = 96 } }, { params = { RuleNumber = 97 } },
                      { params = { RuleNumber = 98 } },
                      { params = { RuleNumber = 99, RuleAction = "deny", CidrBlock = "0.0.0.0/0",
                                   PortRange = { From = 6379, To = 6379 } } } } } },
        ["mc-v6"] = { status = "fail", reason = "reach port 11211" },
        ["rc-default-sng"] = { status = "fail", reason = "acl-0dflt (subnets subnet-0dflta, subnet-0dfltb)",
          evidence = { { association = "associated", is_default = true } },
          plan = { kind = "in_place", actions = creates(4) } },
        ["rc-isolated"] = { status = "fail", evidence = { { association = "default" }, {} } },
        ["rg-open"] = { status = "fail", plan = { kind = "in_place", actions = creates(6) } },
        -- Two ports, one run: the entries cover 11211-11212.
        -- IPv4 only, as mc-open: rule 101's ::/0 cannot reach them.
        ["sl-mc-open"] = { status = "fail", reason = "2 allowing entries in all",
          plan = { kind = "in_place", actions = creates(4),
            steps = { { params = { PortRange = { From = 11211, To = 11212 } } }, {}, {}, {} } } },
        ["sl-v6"] = { status = "fail", reason = "2 allowing entries in all",
          plan = { actions = creates(4),
                   steps = { { params = { PortRange = { From = 6379, To = 6380 } } }, {}, {}, {} } } },
      },
    },
    {
      name = "an entry for the cache port alone that admits only public sources becomes a deny",
      fixture = one_acl({ { 100, "allow", "198.51.100.0/24", ports = { 6379, 6379 } } }),
      expect = {
        ["rc-x"] = { status = "fail", reason = "rule 100 allows tcp 6379-6379 from 198.51.100.0/24",
          plan = { kind = "in_place", actions = { "ReplaceNetworkAclEntry" },
            steps = { { params = { NetworkAclId = "acl-x", RuleNumber = 100, RuleAction = "deny",
                                   Protocol = "6", Egress = false, CidrBlock = "198.51.100.0/24",
                                   PortRange = { From = 6379, To = 6379 } },
                        backout = { action = "ReplaceNetworkAclEntry",
                                    params = { RuleNumber = 100, RuleAction = "allow" } } } } } },
      },
    },
    {
      name = "a public source you trust is not public",
      fixture = one_acl({ { 100, "allow", "198.51.100.0/24", ports = { 6379, 6379 } } }),
      params = { trusted_cidrs = { "198.51.100.0/24" } },
      expect = { ["rc-x"] = { status = "pass", reason = "to port 6379" } },
    },
    {
      name = "an IPv4-only cache is not reached by an entry that allows only IPv6",
      fixture = one_acl({ { 100, "allow", "::/0", protocol = "-1" } }, { network_type = "ipv4" }),
      expect = { ["rc-x"] = { status = "pass", reason = "to port 6379" } },
    },
    {
      name = "a dual-stack cache is",
      fixture = one_acl({ { 100, "allow", "::/0", protocol = "-1" } }, { network_type = "dual_stack" }),
      expect = { ["rc-x"] = { status = "fail", reason = "rule 100 allows all traffic from ::/0" } },
    },
    {
      name = "trusted ranges inside the allowing entry are kept by entries of their own",
      fixture = one_acl({ { 50, "allow", "10.0.0.0/8", ports = { 6379, 6379 } },
                          { 60, "allow", "0.0.0.0/0", ports = { 22, 22 } },
                          { 100, "allow", "0.0.0.0/0", protocol = "-1" } }),
      params = { trusted_cidrs = { "203.0.113.0/24", "10.1.0.0/16" } },
      expect = {
        ["rc-x"] = { status = "fail",
          plan = { actions = creates(5),
            steps = { { params = { RuleNumber = 95, CidrBlock = "10.0.0.0/8" } },
                      { params = { RuleNumber = 96, CidrBlock = "172.16.0.0/12" } },
                      { params = { RuleNumber = 97, CidrBlock = "192.168.0.0/16" } },
                      { params = { RuleNumber = 98, CidrBlock = "203.0.113.0/24" } },
                      { params = { RuleNumber = 99, RuleAction = "deny" } } } } },
      },
    },
    {
      name = "no free rule number ahead of the allowing entry: a manual step says so",
      fixture = one_acl({ { 99, "allow", "10.0.0.0/8", ports = { 6379, 6379 } },
                          { 100, "allow", "0.0.0.0/0", protocol = "-1" } }),
      expect = {
        ["rc-x"] = { status = "fail",
          plan = { kind = "in_place", actions = { "manual" },
            steps = { { title = "Make room before entry 100 of acl-x" } } } },
      },
    },
    {
      name = "the cache's ports not collected: every port open fails, without a plan",
      fixture = one_acl({ { 100, "allow", "0.0.0.0/0", protocol = "-1" } }, { port = false }),
      expect = { ["rc-x"] = { status = "fail", reason = "reach every port (the cache's ports were not collected)",
                              plan = false } },
    },
    {
      name = "the cache's ports not collected: some ports open is unknown",
      fixture = one_acl({ { 100, "allow", "0.0.0.0/0", ports = { 6379, 6379 } } }, { port = false }),
      expect = { ["rc-x"] = { status = "unknown", reason = "admits public sources on ports 6379-6379" } },
    },
    {
      name = "the cache's ports not collected: no port open passes",
      fixture = one_acl({ { 100, "allow", "10.0.0.0/8", protocol = "-1" } }, { port = false }),
      expect = { ["rc-x"] = { status = "pass", reason = "on any port" } },
    },
    {
      name = "a subnet two ACLs claim is unknown",
      fixture = one_acl({}, { acls = { { NetworkAclId = "acl-y", VpcId = "vpc-x", IsDefault = false,
        Associations = { { NetworkAclAssociationId = "aclassoc-y", NetworkAclId = "acl-y",
                           SubnetId = "subnet-x" } }, Entries = {} } } }),
      expect = { ["rc-x"] = { status = "unknown", reason = "claimed by both network ACLs acl-x and acl-y" } },
    },
    {
      name = "network ACLs that could not be read",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = { { CacheClusterId = "rc-y", Engine = "redis", CacheSubnetGroupName = "sng-y",
                             CacheNodes = { { CacheNodeId = "0001", Endpoint = { Address = "y", Port = 6379 } } } } },
        replication_groups = {}, serverless_caches = {},
        cache_subnet_groups = { { CacheSubnetGroupName = "sng-y", VpcId = "vpc-y",
                                  Subnets = { { SubnetIdentifier = "subnet-y" } } } },
        subnets = {}, errors = { network_acls = "access_denied" } } } },
      expect = { ["rc-y"] = { status = "unknown", reason = "network ACLs" } },
    },
    {
      name = "a serverless cache that reports no subnets",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = {}, replication_groups = {}, network_acls = {}, subnets = {},
        cache_subnet_groups = {},
        serverless_caches = { { ServerlessCacheName = "sl-y", Engine = "valkey", SubnetIds = {},
                                SecurityGroupIds = { "sg-y" },
                                Endpoint = { Address = "sl-y.example", Port = 6379 } } } } } },
      expect = { ["sl-y"] = { status = "unknown", reason = "reports no subnet ids" } },
    },
    {
      name = "a region whose serverless caches were not collected",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = {}, replication_groups = {}, network_acls = {}, subnets = {},
        cache_subnet_groups = {},
        errors = { serverless_caches = "throttled" } } } },
      expect = { ["eu-west-1"] = "unknown" },
    },
  },
}
