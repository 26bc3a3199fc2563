-- EC-NET-04: the cache's security groups admit its ports only from trusted
-- sources (private ranges, params.trusted_cidrs, referenced groups).
-- Semantics: docs/founding-controls.md#ec-net-04-security-groups-admit-the-caches-ports-only-from-trusted-sources;
-- plans: docs/controls/network.md#ec-net-04-security-groups-admit-the-caches-ports-only-from-trusted-sources

local ipairs, require = ipairs, require
local string_format, table_concat = string.format, table.concat

local exposure = require "exposure"
local plan = require "plan"
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

-- The certain grants, by group, in the order they came.
local function by_group(grants)
  local order, groups = {}, {}
  for _, grant in ipairs(grants) do
    local list = groups[grant.group_id]
    if not list then
      list = {}
      groups[grant.group_id] = list
      order[#order + 1] = grant.group_id
    end
    list[#list + 1] = grant
  end
  return order, groups
end

local function same_rule(a, b)
  return a.group_id == b.group_id and a.protocol == b.protocol and a.from_port == b.from_port
     and a.to_port == b.to_port
end

-- The trusted entries of the prefix list behind an open grant, as the
-- plain CIDR ranges of one rule (the rule keeps admitting them once the
-- list is revoked), or nil when the list holds none.
local function kept_entries(open, trusted)
  local v4, v6, seen = {}, {}, {}
  for _, grant in ipairs(trusted) do
    if grant.prefix_list_id == open.prefix_list_id and same_rule(grant, open)
       and not seen[grant.cidr] then
      seen[grant.cidr] = true
      local description = "from prefix list " .. open.prefix_list_id
      if grant.cidr:find(":", 1, true) then
        v6[#v6 + 1] = { CidrIpv6 = grant.cidr, Description = description }
      else
        v4[#v4 + 1] = { CidrIp = grant.cidr, Description = description }
      end
    end
  end
  if #v4 + #v6 == 0 then return nil end
  return { IpRanges = v4[1] and v4 or nil, Ipv6Ranges = v6[1] and v6 or nil }
end

-- A revoke matches rules without their descriptions.
local function without_descriptions(permission)
  local function bare(list, field)
    if not list then return nil end
    local out = {}
    for i, range in ipairs(list) do out[i] = { [field] = range[field] } end
    return out
  end
  return { IpProtocol = permission.IpProtocol, FromPort = permission.FromPort,
           ToPort = permission.ToPort, IpRanges = bare(permission.IpRanges, "CidrIp"),
           Ipv6Ranges = bare(permission.Ipv6Ranges, "CidrIpv6") }
end

local function ingress_call(action, group_id, permission, title)
  return plan.call("ec2", action, { GroupId = group_id, IpPermissions = { permission } },
                   { title = title })
end

-- Revoke each open source of a group that no other cache uses; a prefix
-- list's trusted entries are authorized as CIDRs first.
local function revoke_steps(sg, open, trusted, steps)
  local done = {}
  for _, grant in ipairs(open) do
    local source = grant.prefix_list_id or grant.cidr
    local key = table_concat({ grant.protocol, grant.from_port, grant.to_port, source }, " ")
    if not done[key] then
      done[key] = true
      local revoke, restore = exposure.permission_of(sg, grant)
      local kept = grant.prefix_list_id and kept_entries(grant, trusted)
      if kept then
        local copy = { IpProtocol = revoke.IpProtocol, FromPort = revoke.FromPort,
                       ToPort = revoke.ToPort, IpRanges = kept.IpRanges, Ipv6Ranges = kept.Ipv6Ranges }
        steps[#steps + 1] = plan.call("ec2", "AuthorizeSecurityGroupIngress",
          { GroupId = sg.GroupId, IpPermissions = { copy } },
          { title = "Admit the trusted entries of " .. grant.prefix_list_id .. " to " .. sg.GroupId
              .. " as CIDRs",
            backout = ingress_call("RevokeSecurityGroupIngress", sg.GroupId,
                                   without_descriptions(copy),
                                   "Revoke the copied entries of " .. grant.prefix_list_id) })
      end
      steps[#steps + 1] = plan.call("ec2", "RevokeSecurityGroupIngress",
        { GroupId = sg.GroupId, IpPermissions = { revoke } },
        { title = string_format("Revoke %s from %s (%s %s-%s)", source, sg.GroupId, grant.protocol,
                                grant.from_port, grant.to_port),
          backout = ingress_call("AuthorizeSecurityGroupIngress", sg.GroupId, restore,
                                 "Authorize " .. source .. " on " .. sg.GroupId .. " again") })
    end
  end
end

local function sources_of(grants)
  local list, seen = {}, {}
  for _, grant in ipairs(grants) do
    if not seen[grant.cidr] then
      seen[grant.cidr] = true
      list[#list + 1] = grant.cidr
    end
  end
  return table_concat(list, ", ")
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
  -- A fail has certain untrusted grants. A group no other cache uses gets
  -- its open sources revoked; groups that other caches use are replaced,
  -- on this cache only, by a group of its own.
  remediate = function(cache, _, ctx)
    local trusted_cidrs = ctx.params.trusted_cidrs
    local open = split_by_certainty(exposure.untrusted(cache, ctx, trusted_cidrs))
    local trusted = exposure.trusted(cache, ctx, trusted_cidrs)
    local groups = {}
    for _, sg in ipairs(cache.security_groups) do groups[sg.GroupId] = sg end
    local order, open_by_group = by_group(open)
    local steps, shared, warnings = {}, {}, {}
    for _, group_id in ipairs(order) do
      local others = exposure.other_caches(cache, ctx, group_id)
      if #others > 0 then
        shared[#shared + 1] = group_id
        warnings[#warnings + 1] = string_format(
          "%s is also used by %s: it is left as it is and replaced on %s only; those caches "
          .. "get their own EC-NET-04 plans.", group_id, table_concat(others, ", "), cache.id)
      else
        revoke_steps(groups[group_id], open_by_group[group_id], trusted, steps)
        warnings[#warnings + 1] = string_format(
          "No other cache uses %s, but other resources may (EC2 instances, Lambda functions, "
          .. "load balancers; the inventory holds caches only): they lose these sources too. "
          .. "Check first with `aws ec2 describe-network-interfaces --filters "
          .. "Name=group-id,Values=%s --region %s`.", group_id, group_id, cache.region)
      end
    end
    if #shared > 0 then
      local carried = {}
      for _, grant in ipairs(trusted) do
        for _, group_id in ipairs(shared) do
          if grant.group_id == group_id then carried[#carried + 1] = grant end
        end
      end
      for _, step in ipairs(exposure.replacement(cache, ctx, shared, carried)) do
        steps[#steps + 1] = step
      end
    end
    warnings[#warnings + 1] = "Clients at " .. sources_of(open) .. " lose access to " .. cache.id
      .. ": admit real clients by security group, or add a range you trust to trusted_cidrs, first."
    return plan.new {
      summary = string_format("Stop admitting %s to %s", sources_of(open), cache.id),
      steps = steps,
      warnings = warnings,
    }
  end,
}
