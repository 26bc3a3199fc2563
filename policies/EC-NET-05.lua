-- EC-NET-05: the cache uses no catch-all security group: not its VPC's
-- default group, and none with an all-traffic rule from CIDR sources.
-- Semantics: docs/founding-controls.md#ec-net-05-no-catch-all-security-group

local ipairs, require, tostring = ipairs, require, tostring
local string_format, table_concat = string.format, table.concat

local exposure = require "exposure"
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

return {
  id = "EC-NET-05",
  title = "Cache uses no catch-all security group",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches", "security_groups" },
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
}
