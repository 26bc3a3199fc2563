-- EC-NET-04: the cache's security groups admit its ports only from trusted
-- sources (private ranges, params.trusted_cidrs, referenced groups).
-- Semantics: docs/founding-controls.md#ec-net-04-security-groups-admit-the-caches-ports-only-from-trusted-sources

local ipairs, require = ipairs, require
local string_format, table_concat = string.format, table.concat

local exposure = require "exposure"
local result = require "result"

-- The evidence of one source: what the contract lists, nothing more.
local function source_evidence(grant)
  return {
    group_id = grant.group_id, protocol = grant.protocol,
    from_port = grant.from_port, to_port = grant.to_port, port = grant.port,
    cidr = grant.cidr, prefix_list_id = grant.prefix_list_id,
  }
end

local function evidence_of(grants)
  local out = {}
  for i, grant in ipairs(grants) do out[i] = source_evidence(grant) end
  return out
end

local function split_by_certainty(grants)
  local certain, uncertain = {}, {}
  for _, grant in ipairs(grants) do
    if grant.certain then certain[#certain + 1] = grant else uncertain[#uncertain + 1] = grant end
  end
  return certain, uncertain
end

local function sources_text(n)
  return n == 1 and "1 untrusted source is" or (n .. " untrusted sources are")
end

-- unknown_ports: the words to use when the cache's ports were not collected.
local function ports_text(cache, ctx, unknown_ports)
  if not ctx.available(cache, "ports") then
    return unknown_ports .. " (the cache's ports were not collected)"
  end
  local list = {}
  for i, port in ipairs(cache.ports) do list[i] = port end
  return (#list == 1 and "to the cache's port " or "to the cache's ports ") .. table_concat(list, ", ")
end

return {
  id = "EC-NET-04",
  title = "Cache security groups admit the cache's ports only from trusted sources",
  severity = "high",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches",
            "security_groups", "prefix_list_entries" },
  params = { trusted_cidrs = {} },
  refs = {
    cis_db = { "5.1", "5.2" },
    fsbp = "none",
    config = "none",
    prowler = {
      "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_redis_6379",
      "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_memcached_11211",
    },
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/accessing-elasticache.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/network-type.html",
    },
  },
  rationale = [[
The security groups are what really decides who reaches a cache. A rule
that admits 0.0.0.0/0, ::/0 or any public range on a cache port lets in
whatever can route to the VPC (peering, Transit Gateway, VPN, or the
internet itself for IPv6 nodes), and a cache that trusts the network (no
AUTH, no TLS) then serves it. Rules are judged on the ports the cache
really listens on, with IPv6 ranges, prefix-list entries and all-traffic
rules included. Sources outside RFC 1918 / RFC 4193 that you do trust go
in the trusted_cidrs parameter.]],
  remediation = [[
Fix the rule, or give the cache other groups.

- The open rule, when the group is not shared with other resources (check
  with aws ec2 describe-network-interfaces --filters Name=group-id,Values=<sg-id>):
  first admit the real clients, then revoke the open source. Record the
  rule first (aws ec2 describe-security-group-rules --filters
  Name=group-id,Values=<sg-id>): re-authorizing it is the backout.
    aws ec2 authorize-security-group-ingress --group-id <sg-id> \
      --ip-permissions 'IpProtocol=tcp,FromPort=<port>,ToPort=<port>,UserIdGroupPairs=[{GroupId=<client-sg-id>}]'
    aws ec2 revoke-security-group-ingress --group-id <sg-id> \
      --ip-permissions 'IpProtocol=tcp,FromPort=<from>,ToPort=<to>,IpRanges=[{CidrIp=<cidr>}]'
  (an all-traffic rule: IpProtocol=-1 without ports; IPv6:
  Ipv6Ranges=[{CidrIpv6=<cidr>}]; a prefix list:
  PrefixListIds=[{PrefixListId=<pl-id>}], or remove the entry from a list
  you own with aws ec2 modify-managed-prefix-list --prefix-list-id <pl-id>
  --current-version <n> --remove-entries Cidr=<cidr>; or
  --security-group-rule-ids <sgr-id> instead of --ip-permissions.)
- A shared group: create a dedicated one and attach it. --security-group-ids
  replaces the whole list, so record the current list first (it is the
  backout) and pass every group the cache keeps:
    standalone cluster: aws elasticache modify-cache-cluster --cache-cluster-id <id> \
      --security-group-ids <sg-id> <sg-id> --apply-immediately
    replication group (change it on the group, not on its members):
      aws elasticache modify-replication-group --replication-group-id <id> \
      --security-group-ids <sg-id> <sg-id> --apply-immediately
    serverless (one field per call): aws elasticache modify-serverless-cache \
      --serverless-cache-name <name> --security-group-ids <sg-id> <sg-id>]],
  check = function(cache, ctx)
    if not cache.in_vpc then
      return result.not_applicable("the cache is not in a VPC (see EC-NET-01)")
    end
    if #cache.security_group_ids == 0 then
      return result.unknown("the cache reports no security group ids")
    end
    local untrusted = exposure.untrusted(cache, ctx, ctx.params.trusted_cidrs)
    local certain, uncertain = split_by_certainty(untrusted)
    if #certain > 0 then
      local first = certain[1]
      local via = first.prefix_list_id and (" (via prefix list " .. first.prefix_list_id .. ")") or ""
      local more = #certain > 1 and string_format("; %d untrusted sources in all", #certain) or ""
      return result.fail(string_format("%s admits %s%s %s%s", first.group_id, first.cidr, via,
                                       ports_text(cache, ctx, "on rules covering every port"),
                                       more),
                         evidence_of(certain))
    end
    if #uncertain > 0 then
      return result.unknown(string_format(
        "the cache's ports were not collected, and %s admitted on port ranges narrower than all "
        .. "ports: they may or may not cover the cache's port", sources_text(#uncertain)),
        evidence_of(uncertain))
    end
    return result.pass(string_format("only trusted sources are admitted %s",
                                     ports_text(cache, ctx, "on any port")))
  end,
}
