-- EC-NET-07: an IPv6 or dual-stack cache is not reachable from the IPv6
-- internet. Its nodes' IPv6 addresses are globally routable, so it fails
-- only when both hold: a subnet of the cache routes ::/0 to an internet
-- gateway, and a security-group rule on one of its ports admits ::/0 or
-- another public IPv6 range.
-- Semantics and plans: docs/controls/network.md#ec-net-07-an-ipv6-cache-is-not-reachable-from-the-ipv6-internet

local ipairs, require = ipairs, require
local string_format = string.format

local cidr = require "cidr"
local exposure = require "exposure"
local migration = require "migration"
local result = require "result"
local routing = require "routing"

-- True when some subnet of the cache has an IPv6 range: without one, its
-- nodes cannot have IPv6 addresses, whatever network type is reported.
local function has_ipv6_subnet(cache)
  for _, subnet in ipairs(cache.subnets) do
    for _, association in ipairs(subnet.Ipv6CidrBlockAssociationSet or {}) do
      local state = association.Ipv6CidrBlockState
      if not state or state.State == "associated" then return true end
    end
  end
  return false
end

local function source_evidence(grant)
  return {
    group_id = grant.group_id, protocol = grant.protocol, from_port = grant.from_port,
    to_port = grant.to_port, port = grant.port, cidr = grant.cidr,
    prefix_list_id = grant.prefix_list_id,
  }
end

-- The public IPv6 sources the groups admit to the cache's ports: those
-- surely on a port, and those on a narrower rule when the ports are not
-- known (EC-NET-04's rule).
local function ipv6_sources(cache, ctx)
  local certain, uncertain = {}, {}
  for _, grant in ipairs(exposure.untrusted(cache, ctx, ctx.params.trusted_cidrs)) do
    if cidr.family(grant.cidr) == 6 then
      local list = grant.certain and certain or uncertain
      list[#list + 1] = source_evidence(grant)
    end
  end
  return certain, uncertain
end

-- The subnets of the cache whose route table sends ::/0 to an internet
-- gateway (routing.public_subnet evidence).
local function ipv6_public_subnets(cache, ctx)
  local vpc_id = ctx.available(cache, "vpc_id") and cache.vpc_id or nil
  local public = {}
  for _, subnet_id in ipairs(cache.subnet_ids) do
    local is_public, evidence = routing.public_subnet(subnet_id, ctx, vpc_id, 6)
    if is_public then public[#public + 1] = evidence end
  end
  return public
end

local NO_SOURCE = "no security-group rule admits a public IPv6 source to the cache's ports"
local NO_ROUTE = "none of the cache's subnets routes ::/0 to an internet gateway"

-- Both conditions, each read only when the other did not already decide:
-- the one whose data is at hand goes first, so that a pass it decides is
-- not lost to the other's missing data.
local function judge(cache, ctx, network_type)
  local certain, uncertain, subnets
  if ctx.available(cache, "security_groups") then
    certain, uncertain = ipv6_sources(cache, ctx)
    if #certain + #uncertain == 0 then return result.pass(NO_SOURCE) end
    subnets = ipv6_public_subnets(cache, ctx)
    if #subnets == 0 then return result.pass(NO_ROUTE) end
  else
    subnets = ipv6_public_subnets(cache, ctx)
    if #subnets == 0 then return result.pass(NO_ROUTE) end
    certain, uncertain = ipv6_sources(cache, ctx)   -- aborts: the groups are missing
  end
  local route = subnets[1]
  local evidence = { network_type = network_type, subnets = subnets }
  if #certain > 0 then
    local source = certain[1]
    evidence.sources = certain
    return result.fail(string_format(
      "%s cache reachable from the IPv6 internet: %s admits %s to port %s, and subnet %s routes "
      .. "%s to %s (%s)", network_type, source.group_id, source.cidr,
      source.port or (source.from_port .. "-" .. source.to_port), route.subnet_id,
      route.destination, route.gateway_id, route.route_table_id), evidence)
  end
  evidence.sources = uncertain
  return result.unknown(string_format(
    "subnet %s routes ::/0 to %s, and %s admits %s on ports %d-%d, but the cache's ports were "
    .. "not collected: they may or may not be among them", route.subnet_id, route.gateway_id,
    uncertain[1].group_id, uncertain[1].cidr, uncertain[1].from_port, uncertain[1].to_port),
    evidence)
end

return {
  id = "EC-NET-07",
  title = "IPv6 and dual-stack caches are not reachable from the IPv6 internet",
  severity = "high",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches", "cache_subnet_groups",
            "subnets", "route_tables", "security_groups", "prefix_list_entries" },
  params = { trusted_cidrs = {} },
  refs = {
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/network-type.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/accessing-elasticache.html",
    },
  },
  rationale = [[
An IPv4 cache is reached on private addresses even in a public subnet. An
IPv6 or dual-stack cache is not: its nodes' IPv6 addresses are globally
routable, so a ::/0 route to an internet gateway plus a security group
that admits ::/0 (or any public IPv6 range) on the cache's port puts it on
the internet. No other tool checks this path.]],
  remediation = [[
The network type cannot change on an existing cache ("Switching between
network types on newly created clusters is also not supported"), so the
plan is a migration to a new IPv4 cache. Faster, and in place, is to
close one of the two conditions:

- Revoke the public IPv6 rule (EC-NET-04's plan does exactly that):
    aws ec2 revoke-security-group-ingress --group-id <sg-id> \
      --ip-permissions 'IpProtocol=tcp,FromPort=<port>,ToPort=<port>,Ipv6Ranges=[{CidrIpv6=::/0}]'
- Or route the subnets' IPv6 traffic through an egress-only internet
  gateway instead (this changes every subnet on the route table):
    aws ec2 replace-route --route-table-id <rtb-id> --destination-ipv6-cidr-block ::/0 \
      --egress-only-internet-gateway-id <eigw-id>

Migration (ecpolicy plan builds it): snapshot, create a new cache with
--network-type ipv4 (and --ip-discovery ipv4) in the same subnet group,
move clients to the new endpoint, keep the old cache until the new one is
verified, delete it. Memcached clusters have no snapshots: the new one
starts empty.]],
  check = function(cache, ctx)
    if not cache.in_vpc then
      return result.not_applicable("the cache is not in a VPC (see EC-NET-01): it has no IPv6")
    end
    local network_type = cache.network_type
    if network_type == nil then
      if has_ipv6_subnet(cache) then
        return result.unknown("the network type is not reported, and the cache's subnets have "
                              .. "IPv6 ranges: it may be dual-stack")
      end
      return result.not_applicable("no network type is reported, and none of the cache's subnets "
                                   .. "has an IPv6 range: it is IPv4 only")
    end
    -- Any other type (ipv6, dual_stack, or one AWS adds later) may give
    -- the nodes IPv6 addresses: judged, which never passes by mistake.
    if network_type == "ipv4" then
      return result.not_applicable("the cache is IPv4 only (network type ipv4)")
    end
    if #cache.subnet_ids == 0 then
      return result.unknown("the cache reports no subnet ids: nothing to decide on")
    end
    return judge(cache, ctx, network_type)
  end,
  -- Every fail is an IPv6 or dual-stack cache in a VPC: rebuild it as IPv4.
  remediate = function(cache, _, ctx)
    local opts = {
      summary = "Rebuild " .. cache.id .. " as an IPv4 cache",
      suffix = "ipv4",
      warnings = {
        "In place and faster: revoking the public IPv6 rule (EC-NET-04's plan) or moving the "
          .. "subnets' ::/0 route to an egress-only gateway closes this without a migration.",
        "Clients must reach the new cache over IPv4.",
      },
    }
    if cache.kind == "serverless_cache" then
      local native = nil
      if ctx.available(cache, "subnets") then
        native = false
        for _, subnet in ipairs(cache.subnets) do native = native or subnet.Ipv6Native == true end
      end
      opts.preconditions = { { text = "the cache's subnets have IPv4 ranges (none is IPv6-only)",
                               met = native == false or nil } }
      return migration.to_serverless_cache(cache, ctx, { NetworkType = "ipv4" }, opts)
    end
    local supported = ctx.available(cache, "subnet_group") and cache.subnet_group
      and cache.subnet_group.SupportedNetworkTypes
    if supported then
      local ipv4 = false
      for _, kind in ipairs(supported) do ipv4 = ipv4 or kind == "ipv4" end
      opts.preconditions = { { text = "the subnet group " .. cache.subnet_group_name
                                 .. " supports ipv4", met = ipv4 } }
    end
    local settings = { NetworkType = "ipv4", IpDiscovery = "ipv4" }
    if cache.engine == "memcached" then
      return migration.to_memcached_cluster(cache, ctx, settings, opts)
    end
    return migration.to_replication_group(cache, ctx, settings, opts)
  end,
}
