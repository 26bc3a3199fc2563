-- EC-NET-05: the cache uses no catch-all security group: not its VPC's
-- default group, and none with an all-traffic rule from CIDR sources.
-- Semantics: docs/founding-controls.md#ec-net-05-no-catch-all-security-group;
-- plans: docs/controls/network.md#ec-net-05-no-catch-all-security-group

local ipairs, require, tostring = ipairs, require, tostring
local string_format, table_concat = string.format, table.concat

local cidr = require "cidr"
local exposure = require "exposure"
local plan = require "plan"
local ports = require "ports"
local result = require "result"

-- A group is shared by many caches: judge each one once (ctx.key stays the
-- same for a record through the run).
local judged = {}

local function catch_all_reasons(sg, ctx)
  local key = ctx.key(sg)
  if judged[key] then return judged[key] end
  local reasons = {}
  if sg.GroupName == "default" then
    reasons[#reasons + 1] = "the VPC's default security group"
  end
  for i, permission in ipairs(sg.IpPermissions or {}) do
    if ports.all_traffic(permission.IpProtocol) and exposure.has_cidr_source(permission) then
      reasons[#reasons + 1] = string_format(
        "ingress rule %d allows all traffic (IpProtocol -1) from CIDR sources", i)
    end
  end
  judged[key] = reasons
  return reasons
end

local function catch_all_ids(cache, ctx)
  local ids = {}
  for _, sg in ipairs(cache.security_groups) do
    if #catch_all_reasons(sg, ctx) > 0 then ids[#ids + 1] = sg.GroupId end
  end
  return ids
end

-- What the dedicated group admits: the trusted sources (referenced groups,
-- the default group's members through its self-reference, private CIDRs)
-- that the catch-all groups admit to the cache's ports today; public
-- sources are EC-NET-04's to judge and are not carried.
local function carried_sources(cache, ctx, drop_ids)
  local dropping = {}
  for _, id in ipairs(drop_ids) do dropping[id] = true end
  local carried = {}
  for _, grant in ipairs(exposure.trusted(cache, ctx, {})) do
    if dropping[grant.group_id] then carried[#carried + 1] = grant end
  end
  return carried
end

-- Failing that, the VPC's own ranges on each of the cache's ports.
local function vpc_sources(cache, ctx)
  if not (ctx.available(cache, "ports") and ctx.available(cache, "vpc_id") and cache.vpc_id) then
    return {}
  end
  local vpc = ctx.get("vpcs", cache.vpc_id)
  if vpc == nil then return {} end
  local blocks = { vpc.CidrBlock }
  for _, association in ipairs(vpc.Ipv6CidrBlockAssociationSet or {}) do
    blocks[#blocks + 1] = association.Ipv6CidrBlock
  end
  local out = {}
  for _, port in ipairs(cache.ports) do
    for _, block in ipairs(blocks) do
      if cidr.parse(block) then out[#out + 1] = { source_type = "cidr", cidr = block, port = port } end
    end
  end
  return out
end

return {
  id = "EC-NET-05",
  title = "Cache uses no catch-all security group",
  severity = "medium",
  resource = "cache",
  -- vpcs: only the plan reads it, for the VPC's ranges.
  needs = { "cache_clusters", "replication_groups", "serverless_caches", "security_groups",
            "prefix_list_entries", "vpcs" },
  refs = {
    cis_db = "5.1",
    fsbp = "none",
    config = "none",
    prowler = "none",
    docs = "none",
  },
  rationale = [[
The VPC's default security group is attached to anything launched without
a group of its own, and it admits every member of itself; an all-traffic
(-1) rule opens every protocol and port. A cache in either shares its
network access with unrelated resources, and rules added for them open the
cache too. A cache should have a group of its own that admits its port
only.]],
  remediation = [[
Give the cache a dedicated group that admits only its port from its
clients, then take the catch-all group off the cache.

1. aws ec2 create-security-group --group-name <name> --description "<text>" --vpc-id <vpc-id>
   aws ec2 authorize-security-group-ingress --group-id <new-sg-id> \
     --ip-permissions 'IpProtocol=tcp,FromPort=<port>,ToPort=<port>,UserIdGroupPairs=[{GroupId=<client-sg-id>}]'
2. --security-group-ids replaces the whole list: record the current list
   first (it is the backout) and pass every group the cache keeps:
     standalone cluster: aws elasticache modify-cache-cluster --cache-cluster-id <id> \
       --security-group-ids <new-sg-id> --apply-immediately
     replication group (on the group, not its members):
       aws elasticache modify-replication-group --replication-group-id <id> \
       --security-group-ids <new-sg-id> --apply-immediately
     serverless (one field per call): aws elasticache modify-serverless-cache \
       --serverless-cache-name <name> --security-group-ids <new-sg-id>
An all-traffic rule in a group that is not shared can instead be replaced
in place: authorize the tcp rule for the port, then
  aws ec2 revoke-security-group-ingress --group-id <sg-id> \
    --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=<cidr>}]'
The default group itself cannot be deleted; it only has to leave the cache.]],
  check = function(cache, ctx)
    if not cache.in_vpc then
      return result.not_applicable("the cache is not in a VPC (see EC-NET-01)")
    end
    -- A cache in a VPC always has a group; a record that names none is
    -- data not seen, never a pass (as EC-NET-04).
    if #cache.security_group_ids == 0 then
      return result.unknown("the cache reports no security group ids")
    end
    local offenders = {}
    for _, sg in ipairs(cache.security_groups) do
      local reasons = catch_all_reasons(sg, ctx)
      if #reasons > 0 then
        offenders[#offenders + 1] = {
          group_id = sg.GroupId, group_name = sg.GroupName, why = table_concat(reasons, "; "),
        }
      end
    end
    if #offenders > 0 then
      local first = offenders[1]
      local more = #offenders > 1 and string_format(" (%d of its %d security groups are catch-all)",
                                                    #offenders, #cache.security_groups) or ""
      return result.fail(string_format("%s (%s): %s%s", first.group_id, tostring(first.group_name),
                                       first.why, more), offenders)
    end
    return result.pass("none of the cache's security groups is a default or all-traffic group")
  end,
  -- Every fail has catch-all groups on a cache in a VPC: replace them on
  -- this cache with a group of its own. The groups themselves stay (the
  -- default group cannot be deleted, and others may use them).
  remediate = function(cache, _, ctx)
    local drop_ids = catch_all_ids(cache, ctx)
    local carried = carried_sources(cache, ctx, drop_ids)
    local warnings = {
      table_concat(drop_ids, ", ") .. (#drop_ids == 1 and " stays as it is" or " stay as they are")
        .. " for whatever else uses " .. (#drop_ids == 1 and "it" or "them") .. "; only " .. cache.id
        .. " leaves.",
      "Public sources the groups admit are not carried over (EC-NET-04 judges them); clients "
        .. "admitted only by a rule for another port or protocol lose access.",
    }
    if #carried == 0 then
      carried = vpc_sources(cache, ctx)
      if #carried > 0 then
        warnings[#warnings + 1] = "The groups admit no trusted source to the cache's ports, so "
          .. "the new group admits the VPC's own ranges; narrow them to the real clients."
      end
    end
    return plan.new {
      summary = "Give " .. cache.id .. " a security group of its own in place of "
        .. table_concat(drop_ids, ", "),
      steps = exposure.replacement(cache, ctx, drop_ids, carried),
      warnings = warnings,
    }
  end,
}
