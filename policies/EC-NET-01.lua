-- EC-NET-01: the cache runs in a VPC, not on EC2-Classic.
-- Semantics: docs/founding-controls.md#ec-net-01-the-cache-is-in-a-vpc;
-- plans: docs/controls/network.md#ec-net-01-the-cache-is-in-a-vpc

local ipairs, require = ipairs, require

local migration = require "migration"
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
  -- Only the plan reads them: where the new cache goes.
  params = { target_subnet_group = "", target_security_group_ids = {} },
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
     (or aws elasticache delete-replication-group --replication-group-id <old-id>)
`ecpolicy plan` builds these steps with the cache's settings carried over,
into the subnet group and security groups the target_subnet_group and
target_security_group_ids parameters name.]],
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
  -- Every fail is a node-based cache outside a VPC: a migration into one.
  -- Until the parameters say where, placeholders that ElastiCache refuses
  -- (braces and spaces) stand in, so an unedited plan stops at the create.
  remediate = function(cache, _, ctx)
    local params = ctx.params
    local group, groups = params.target_subnet_group, {}
    for i, id in ipairs(params.target_security_group_ids) do groups[i] = id end
    local preconditions = {}
    if group == "" then
      group = "{a cache subnet group of private subnets}"
      preconditions[#preconditions + 1] = { met = false, text = "CacheSubnetGroupName in the "
        .. "create step is a placeholder: set EC-NET-01.target_subnet_group, or edit the step" }
    end
    if #groups == 0 then
      groups = { "{a security group of the target VPC}" }
      preconditions[#preconditions + 1] = { met = false, text = "SecurityGroupIds in the create "
        .. "step is a placeholder: set EC-NET-01.target_security_group_ids, or edit the step" }
    end
    local opts = {
      summary = "Rebuild " .. cache.id .. " in a VPC", suffix = "vpc", preconditions = preconditions,
      warnings = { "The cache security groups of " .. cache.id .. " do not carry over: VPC "
        .. "security groups replace them, and must admit the clients." },
    }
    local settings = { CacheSubnetGroupName = group, SecurityGroupIds = groups }
    if cache.engine == "memcached" then
      return migration.to_memcached_cluster(cache, ctx, settings, opts)
    end
    return migration.to_replication_group(cache, ctx, settings, opts)
  end,
}
