-- EC-NET-03: none of the cache's subnets routes to an internet gateway.
-- Semantics: docs/founding-controls.md#ec-net-03-none-of-its-subnets-is-public;
-- plans: docs/controls/network.md#ec-net-03-none-of-its-subnets-is-public

local ipairs, require = ipairs, require
local string_format, table_concat = string.format, table.concat

local migration = require "migration"
local plan = require "plan"
local result = require "result"
local routing = require "routing"

-- The caches of a region by cache subnet group name ("kind id", each
-- once, in collection order: a replication group's member clusters stand
-- for the group, wherever they are in the list), from the raw clusters,
-- once per collection record.
local group_users = {}

local function users_of_group(ctx, name)
  local clusters = ctx.list("cache_clusters")
  local users = group_users[ctx.key(clusters)]
  if not users then
    users = {}
    local seen = {}
    for _, cluster in ipairs(clusters) do
      local group = cluster.CacheSubnetGroupName
      if group then
        local owner = cluster.ReplicationGroupId and ("replication_group " .. cluster.ReplicationGroupId)
          or ("cache_cluster " .. cluster.CacheClusterId)
        local list, listed = users[group], seen[group]
        if not list then
          list, listed = {}, {}
          users[group], seen[group] = list, listed
        end
        if not listed[owner] then
          listed[owner] = true
          list[#list + 1] = owner
        end
      end
    end
    group_users[ctx.key(clusters)] = users
  end
  return users[name] or {}
end

-- In place: the cache's own subnet group gets the given subnets instead.
-- Each must be a private subnet of the cache's VPC; the inventory tells.
local function new_subnets_plan(cache, ctx, subnet_ids)
  local name, vpc_id = cache.subnet_group_name, cache.vpc_id
  local preconditions = {}
  for _, id in ipairs(subnet_ids) do
    local subnet = ctx.get("subnets", id)
    local public = subnet and routing.public_subnet(id, ctx, vpc_id)
    preconditions[#preconditions + 1] = {
      text = string_format("%s is a private subnet of %s", id, vpc_id),
      met = subnet ~= nil and subnet.VpcId == vpc_id and not public,
    }
  end
  local current = {}
  for i, id in ipairs(cache.subnet_ids) do current[i] = id end
  local warnings = {
    "ElastiCache does not document whether a subnet that holds nodes may leave its subnet "
      .. "group, nor that existing nodes move: try it on a copy first, and expect nodes to stay "
      .. "where they are until they are replaced.",
  }
  local self = cache.kind .. " " .. cache.id
  for _, owner in ipairs(users_of_group(ctx, name)) do
    if owner ~= self then
      warnings[#warnings + 1] = owner .. " uses the subnet group " .. name .. " too: it changes as well."
    end
  end
  local new = {}
  for i, id in ipairs(subnet_ids) do new[i] = id end
  return plan.new {
    summary = "Give the subnet group " .. name .. " of " .. cache.id .. " private subnets only",
    preconditions = preconditions,
    warnings = warnings,
    steps = {
      plan.call("elasticache", "ModifyCacheSubnetGroup", { CacheSubnetGroupName = name, SubnetIds = new },
        { title = "Replace the subnets of " .. name .. " with " .. table_concat(new, ", "),
          backout = plan.call("elasticache", "ModifyCacheSubnetGroup",
            { CacheSubnetGroupName = name, SubnetIds = current },
            { title = "Give " .. name .. " back its subnets " .. table_concat(current, ", ") }) }),
    },
  }
end

return {
  id = "EC-NET-03",
  title = "None of the cache's subnets is public (routes to an internet gateway)",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches",
            "cache_subnet_groups", "subnets", "route_tables" },
  -- Only the plan reads them: the subnet group a new cache goes in, or the
  -- private subnets that replace the public ones.
  params = { target_subnet_group = "", private_subnet_ids = {} },
  refs = {
    cis_db = "5.1",
    fsbp = "none",
    config = "none",
    prowler = "elasticache_cluster_uses_public_subnet",
    docs = { "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/accessing-elasticache.html" },
  },
  rationale = [[
A subnet whose route table sends 0.0.0.0/0 or ::/0 to an internet gateway
is public. IPv4 cache nodes there are still reached on private addresses,
so this is a placement smell rather than exposure by itself; but IPv6 and
dual-stack nodes have globally routable addresses, and then only the
security groups stand between the cache and the internet.]],
  remediation = [[
The cache's subnet group and VPC cannot be changed in place (no Modify call
takes them). What can change:

- The routing of the subnet, if nothing else in it needs the internet
  route. Record the current association first (aws ec2 describe-route-tables
  --filters Name=association.subnet-id,Values=<subnet-id>); that is the
  backout. Then move the subnet to a private route table:
    explicit association: aws ec2 replace-route-table-association \
      --association-id <rtbassoc-id> --route-table-id <private-rtb-id>
    main table:           aws ec2 associate-route-table --subnet-id <subnet-id> \
      --route-table-id <private-rtb-id>
  Deleting the igw route from a shared table (aws ec2 delete-route
  --route-table-id <rtb-id> --destination-cidr-block 0.0.0.0/0) changes
  every subnet that uses that table: check them first.
- The subnets of the cache's own subnet group, within the same VPC
  (the list replaces the old one; whether a subnet that holds nodes may be
  removed is not documented, so test it first):
    aws elasticache modify-cache-subnet-group --cache-subnet-group-name <name> \
      --subnet-ids <private-subnet-id> <private-subnet-id>
  Serverless caches cannot change their SubnetIds.
- Otherwise migrate: snapshot (aws elasticache create-snapshot), create a new
  cache from it in a subnet group of private subnets (aws elasticache
  create-replication-group --snapshot-name <snapshot> --cache-subnet-group-name
  <name> ...), move clients to the new endpoint, keep the old cache until the
  new one is verified, then delete it.
`ecpolicy plan` gives the in-place change of the subnet group when the
private_subnet_ids parameter lists the subnets to use (for a serverless
cache, the subnets of the new cache), and otherwise the migration into the
subnet group target_subnet_group names.]],
  check = function(cache, ctx)
    if not cache.in_vpc then
      return result.not_applicable("the cache is not in a VPC (see EC-NET-01)")
    end
    local subnet_ids = cache.subnet_ids
    if #subnet_ids == 0 then
      return result.unknown("the cache reports no subnet ids: nothing to decide on")
    end
    -- Without vpc_id the ctx finds each subnet's VPC itself.
    local vpc_id = ctx.available(cache, "vpc_id") and cache.vpc_id or nil
    local public = {}
    for _, subnet_id in ipairs(subnet_ids) do
      local is_public, evidence = routing.public_subnet(subnet_id, ctx, vpc_id)
      if is_public then public[#public + 1] = evidence end
    end
    if #public > 0 then
      local first = public[1]
      local more = #public > 1 and string_format(" (%d of its %d subnets are public)",
                                                 #public, #subnet_ids) or ""
      local via = first.association == "main" and "its VPC's main route table"
        or "its route table"
      return result.fail(string_format("subnet %s routes %s to %s (%s %s)%s",
                                       first.subnet_id, first.destination, first.gateway_id,
                                       via, first.route_table_id, more),
                         public)
    end
    return result.pass(string_format("none of the cache's %d subnets routes to an internet gateway",
                                     #subnet_ids))
  end,
  -- Every fail is a cache in a VPC with a public subnet.
  remediate = function(cache, _, ctx)
    local params = ctx.params
    local subnets = {}
    for i, id in ipairs(params.private_subnet_ids) do subnets[i] = id end
    if #subnets > 0 and cache.kind ~= "serverless_cache" then
      return new_subnets_plan(cache, ctx, subnets)
    end
    local warnings = { "In place instead: move the public subnets to a route table without the "
      .. "internet route (aws ec2 replace-route-table-association), if nothing else in them needs "
      .. "it; deleting the route from a shared table changes every subnet on it." }
    local opts = { summary = "Rebuild " .. cache.id .. " in private subnets", suffix = "private",
                   warnings = warnings }
    if cache.kind == "serverless_cache" then
      if #subnets == 0 then
        subnets = { "{a private subnet}" }
        opts.preconditions = { { met = false, text = "SubnetIds in the create step is a "
          .. "placeholder: set EC-NET-03.private_subnet_ids, or edit the step" } }
      end
      return migration.to_serverless_cache(cache, ctx, { SubnetIds = subnets }, opts)
    end
    local group = params.target_subnet_group
    if group == "" then
      group = "{a cache subnet group of private subnets}"
      opts.preconditions = { { met = false, text = "CacheSubnetGroupName in the create step is a "
        .. "placeholder: set EC-NET-03.target_subnet_group, or edit the step" } }
    end
    local settings = { CacheSubnetGroupName = group }
    if cache.engine == "memcached" then
      return migration.to_memcached_cluster(cache, ctx, settings, opts)
    end
    return migration.to_replication_group(cache, ctx, settings, opts)
  end,
}
