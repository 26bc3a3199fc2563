-- EC-NET-03: none of the cache's subnets routes to an internet gateway.
-- Semantics: docs/founding-controls.md#ec-net-03-none-of-its-subnets-is-public

local ipairs, require = ipairs, require
local string_format = string.format

local result = require "result"
local routing = require "routing"

return {
  id = "EC-NET-03",
  title = "None of the cache's subnets is public (routes to an internet gateway)",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches",
            "cache_subnet_groups", "subnets", "route_tables" },
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
  new one is verified, then delete it.]],
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
}
