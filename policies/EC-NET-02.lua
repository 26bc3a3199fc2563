-- EC-NET-02: the cache does not use the cache subnet group named "default".
-- Semantics: docs/founding-controls.md#ec-net-02-its-subnet-group-is-not-the-one-named-default;
-- plans: docs/controls/network.md#ec-net-02-its-subnet-group-is-not-the-one-named-default

local require = require

local migration = require "migration"
local result = require "result"

-- Stands for the subnet group until the parameter names one: ElastiCache
-- refuses braces and spaces in a name, so an unedited plan stops at the
-- create step.
local PLACEHOLDER = "{a cache subnet group of private subnets}"

return {
  id = "EC-NET-02",
  title = "Cache does not use the default cache subnet group",
  severity = "high",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  -- Only the plan reads it: the cache subnet group the new cache goes in.
  params = { target_subnet_group = "" },
  refs = {
    cis_db = "5.1",
    fsbp = "ElastiCache.7",
    config = "elasticache-subnet-group-check",
    prowler = "none",
    docs = {
      "https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html",
      "https://docs.aws.amazon.com/config/latest/developerguide/elasticache-subnet-group-check.html",
    },
  },
  rationale = [[
The subnet group named "default" is made from the default VPC's subnets,
which are public by default (a route to an internet gateway). A cache in it
was placed without a decision about which subnets should hold it.]],
  remediation = [[
No change in place: a cache cannot be moved to another subnet group
(modify-cache-cluster and modify-replication-group have no subnet-group
parameter).
(Editing the subnets of "default" with modify-cache-subnet-group does not
help: the group keeps its name.) Migrate:

1. Create a dedicated subnet group from private subnets:
     aws elasticache create-cache-subnet-group --cache-subnet-group-name <name> \
       --cache-subnet-group-description "<text>" --subnet-ids <subnet-id> <subnet-id>
2. Snapshot and create a new replication group from the snapshot in it:
     aws elasticache create-snapshot --replication-group-id <group-id> --snapshot-name <snapshot>
     aws elasticache create-replication-group --replication-group-id <new-id> \
       --replication-group-description "<text>" --snapshot-name <snapshot> \
       --engine <redis|valkey> --cache-node-type <node-type> \
       --cache-subnet-group-name <name> --security-group-ids <sg-id> \
       --at-rest-encryption-enabled --transit-encryption-enabled
   (a standalone cluster: create-snapshot --cache-cluster-id <cluster-id>;
   Memcached has no snapshots: create a new cluster with create-cache-cluster
   --cache-subnet-group-name <name> and let it warm up).
3. Move clients to the new endpoint; keep the old cache until the new one is
   verified (pointing clients back is the backout), then delete it with
   aws elasticache delete-replication-group --replication-group-id <old-id>
   (or delete-cache-cluster --cache-cluster-id <old-id>).
`ecpolicy plan` builds these steps with the cache's settings carried over,
into the subnet group the target_subnet_group parameter names.]],
  check = function(cache)
    if cache.kind == "serverless_cache" then
      return result.not_applicable("serverless caches have no cache subnet group")
    end
    if not cache.in_vpc then
      return result.not_applicable("the cache is not in a VPC (see EC-NET-01)")
    end
    local name = cache.subnet_group_name
    -- The engine's model counts a cache as in a VPC because it names a
    -- subnet group, so this guards data from elsewhere (a fake ctx) only.
    if name == nil then
      return result.unknown("the cache is in a VPC but no cache subnet group name was reported")
    end
    if name == "default" then
      return result.fail("the cache uses the cache subnet group named default",
                         { subnet_group_name = name })
    end
    return result.pass("the cache uses the cache subnet group " .. name)
  end,
  -- Every fail is a node-based cache in "default": a migration.
  remediate = function(cache, _, ctx)
    local target = ctx.params.target_subnet_group
    local precondition = { text = "the cache subnet group " .. target .. " holds private subnets "
      .. "of the VPC of the security groups the new cache keeps" }
    if target == "" then
      target = PLACEHOLDER
      precondition = { text = "CacheSubnetGroupName in the create step is a placeholder: set "
        .. "EC-NET-02.target_subnet_group to a subnet group of private subnets, or edit the step",
        met = false }
    end
    local opts = { summary = "Rebuild " .. cache.id .. " outside the default cache subnet group",
                   suffix = "sng", preconditions = { precondition } }
    local settings = { CacheSubnetGroupName = target }
    if cache.engine == "memcached" then
      return migration.to_memcached_cluster(cache, ctx, settings, opts)
    end
    return migration.to_replication_group(cache, ctx, settings, opts)
  end,
}
