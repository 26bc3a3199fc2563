-- EC-NET-01: the cache runs in a VPC, not on EC2-Classic.
-- Semantics: docs/founding-controls.md#ec-net-01-the-cache-is-in-a-vpc

local ipairs, require = ipairs, require

local result = require "result"

-- The EC2-Classic cache security groups, for the evidence. A group's live
-- on its members; if those were not collected the fail still stands, so
-- they are read only when available.
local function classic_security_groups(cache, ctx)
  local records = { cache.raw }
  if cache.kind == "replication_group" then
    records = ctx.available(cache, "members") and cache.members or {}
  end
  local names, seen = {}, {}
  for _, record in ipairs(records) do
    for _, group in ipairs(record.CacheSecurityGroups or {}) do
      local name = group.CacheSecurityGroupName
      if name and not seen[name] then
        seen[name] = true
        names[#names + 1] = name
      end
    end
  end
  return names
end

return {
  id = "EC-NET-01",
  title = "Cache runs in a VPC",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  refs = {
    cis_db = { "5.1", "5.5" },
    fsbp = "none",
    config = "none",
    prowler = "none",
    docs = { "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/accessing-elasticache.html" },
  },
  rationale = [[
A cache outside a VPC (EC2-Classic placement: no cache subnet group) is
guarded only by legacy cache security groups, and none of the VPC controls
(security groups, route tables, network ACLs) apply to it. ElastiCache is
designed to be reached from inside a VPC.]],
  remediation = [[
No change in place: no Modify call takes a cache subnet group, so a cache
cannot be moved into a VPC. Migrate:

1. Create a cache subnet group from private subnets of the target VPC:
     aws elasticache create-cache-subnet-group --cache-subnet-group-name <name> \
       --cache-subnet-group-description "<text>" --subnet-ids <subnet-id> <subnet-id>
2. Valkey / Redis OSS: snapshot the cache and create a new replication group
   from the snapshot in that subnet group (set encryption now: it cannot be
   added later):
     aws elasticache create-snapshot --cache-cluster-id <cluster-id> --snapshot-name <snapshot>
     aws elasticache create-replication-group --replication-group-id <new-id> \
       --replication-group-description "<text>" --snapshot-name <snapshot> \
       --engine <redis|valkey> --cache-node-type <node-type> \
       --cache-subnet-group-name <name> --security-group-ids <sg-id> \
       --at-rest-encryption-enabled --transit-encryption-enabled
   (use --replication-group-id <group-id> instead of --cache-cluster-id to
   snapshot a replication group). Memcached keeps no snapshots: create a new
   cluster with aws elasticache create-cache-cluster --cache-subnet-group-name
   <name> --security-group-ids <sg-id> ... and let it warm up.
3. Move clients to the new endpoint. Keep the old cache until the new one
   is verified: pointing clients back at it is the backout.
4. Delete the old cache:
     aws elasticache delete-cache-cluster --cache-cluster-id <old-id>
     (or aws elasticache delete-replication-group --replication-group-id <old-id>)]],
  check = function(cache, ctx)
    if cache.kind == "serverless_cache" then
      return result.pass("serverless caches always run in a VPC")
    end
    if cache.in_vpc then
      return result.pass("the cache runs in a VPC")
    end
    return result.fail("the cache runs outside a VPC (EC2-Classic placement: no cache subnet group)",
                       { in_vpc = false, CacheSecurityGroups = classic_security_groups(cache, ctx) })
  end,
}
