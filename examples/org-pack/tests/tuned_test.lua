-- The built-in EC-NET-04 as this pack tunes it: the partner range is trusted.
local function group(id, cidr)
  return { GroupId = id, GroupName = id, VpcId = "vpc-1",
           IpPermissions = { { IpProtocol = "tcp", FromPort = 6379, ToPort = 6379,
                               IpRanges = { { CidrIp = cidr } } } } }
end

local function cluster(id, sg)
  return { CacheClusterId = id, Engine = "redis", EngineVersion = "7.1.0",
           CacheSubnetGroupName = "private",
           CacheNodes = { { CacheNodeId = "0001", Endpoint = { Address = id .. ".example", Port = 6379 } } },
           SecurityGroups = { { SecurityGroupId = sg, Status = "active" } } }
end

return {
  control = "EC-NET-04",
  fixture = {
    regions = {
      ["eu-west-1"] = {
        cache_clusters = { cluster("partner", "sg-partner"), cluster("elsewhere", "sg-elsewhere") },
        replication_groups = {}, serverless_caches = {},
        cache_subnet_groups = { { CacheSubnetGroupName = "private", VpcId = "vpc-1" } },
        security_groups = { group("sg-partner", "198.51.100.0/24"), group("sg-elsewhere", "203.0.113.0/24") },
        prefix_list_entries = {},
      },
    },
  },
  cases = {
    {
      name = "the pack's trusted range passes, any other public range fails",
      expect = { partner = "pass", elsewhere = { status = "fail", reason = "203.0.113.0/24" } },
    },
  },
}
