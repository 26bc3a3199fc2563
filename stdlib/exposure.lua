-- Security-group exposure of a cache on the ports it really listens on.
--
-- A grant is one source admitted by one ingress rule to one cache port:
-- a plain table, safe to put in evidence as it is.

local error, ipairs, require, tostring, type = error, ipairs, require, tostring,
  type
local string_format, table_concat = string.format, table.concat

local cidr = require "cidr"
local plan = require "plan"
local ports = require "ports"

local M = {}

local EMPTY = {}

-- ctx.prefix_list_cidrs gives CIDR strings; entries shaped like the raw
-- record ({ Cidr = "..." }) are accepted too.
local function entry_cidr(entry)
  if type(entry) == "table" then return entry.Cidr end
  return entry
end

-- Memos that live as long as this module (one policy's copy of it): a
-- security group is shared by many caches, so its rules are read, and
-- their CIDRs parsed and judged, once per group rather than once per
-- cache.  Groups are keyed by ctx.key, which is stable for the run where
-- a read-only view may be re-created.
local parsed = {}          -- CIDR text -> block
local groups = {}          -- ctx.key(group) -> filter key -> group entry

local function parse_cached(text, where)
  local block = parsed[text]
  if block == nil then
    local err
    block, err = cidr.parse(text)
    if not block then error(string_format("exposure: %s in %s", err, where), 0) end
    parsed[text] = block
  end
  return block
end

-- A filter says which CIDR sources to keep: the key names it in the memos
-- (one per trusted list), keep(text, where) decides.  Verdicts are
-- remembered per CIDR text, and a prefix list's kept entries per list:
-- the same lists and ranges recur across rules and groups.
local verdicts = {}        -- filter key -> CIDR text -> keep?
local list_memo = {}       -- filter key -> ctx.key(list) -> kept entries

local function kept(filter, text, where)
  local by_text = verdicts[filter.key]
  if not by_text then
    by_text = {}
    verdicts[filter.key] = by_text
  end
  local v = by_text[text]
  if v == nil then
    v = filter.keep(parse_cached(text, where))
    by_text[text] = v
  end
  return v
end

-- The entries of a prefix list that the filter keeps.
local function kept_entries(filter, ctx, id)
  local list = ctx.prefix_list_cidrs(id)
  local by_list = list_memo[filter.key]
  if not by_list then
    by_list = {}
    list_memo[filter.key] = by_list
  end
  local key = ctx.key(list)
  local out = by_list[key]
  if out then return out end
  out = {}
  for _, entry in ipairs(list) do
    local text = entry_cidr(entry)
    if kept(filter, text, "prefix list " .. id) then out[#out + 1] = text end
  end
  by_list[key] = out
  return out
end

-- The sources of one rule that the filter keeps: { source_type, cidr,
-- prefix_list_id, group, description }.  Referenced groups are kept only
-- by a filter that keeps everything.
local function rule_sources(permission, group_id, ctx, filter)
  local sources = {}
  local function add_cidr(text, description, prefix_list_id)
    sources[#sources + 1] = {
      source_type = "cidr", cidr = text, prefix_list_id = prefix_list_id,
      description = description,
    }
  end
  for _, range in ipairs(permission.IpRanges or EMPTY) do
    if kept(filter, range.CidrIp, group_id .. " IpRanges") then
      add_cidr(range.CidrIp, range.Description, nil)
    end
  end
  for _, range in ipairs(permission.Ipv6Ranges or EMPTY) do
    if kept(filter, range.CidrIpv6, group_id .. " Ipv6Ranges") then
      add_cidr(range.CidrIpv6, range.Description, nil)
    end
  end
  for _, ref in ipairs(permission.PrefixListIds or EMPTY) do
    local id = ref.PrefixListId
    for _, text in ipairs(kept_entries(filter, ctx, id)) do
      add_cidr(text, ref.Description, id)
    end
  end
  if filter.groups then
    for _, pair in ipairs(permission.UserIdGroupPairs or EMPTY) do
      sources[#sources + 1] = {
        source_type = "security_group", group = pair.GroupId or pair.GroupName,
        description = pair.Description,
      }
    end
  end
  return sources
end

-- The group's TCP rules, each with its range and the sources the filter
-- keeps.  Computed once per (group, filter); a missing prefix list raises
-- before anything is remembered, so the next cache that reaches it aborts
-- as unknown too.
local function group_entry(sg, ctx, filter)
  local group_id = sg.GroupId or "?"
  local key = ctx.key(sg)
  local by_filter = groups[key]
  if not by_filter then
    by_filter = {}
    groups[key] = by_filter
  end
  local entry = by_filter[filter.key]
  if entry then return entry end
  entry = { group_id = sg.GroupId, group_name = sg.GroupName, rules = {} }
  for _, permission in ipairs(sg.IpPermissions or EMPTY) do
    if ports.carries_tcp(permission.IpProtocol) then
      local from, to = ports.rule_range(permission)
      local sources = rule_sources(permission, group_id, ctx, filter)
      if #sources > 0 then
        entry.rules[#entry.rules + 1] = {
          protocol = permission.IpProtocol, from = from, to = to,
          all_ports = ports.is_all(from, to), sources = sources,
        }
      end
    end
  end
  by_filter[filter.key] = entry
  return entry
end

-- The cache ports a rule covers. When the cache's ports are not known the
-- rule may cover any of them: one entry, false, stands for "some port".
local function covered_ports(known_ports, from, to)
  if known_ports == nil then return { false } end
  local covered = {}
  for _, port in ipairs(known_ports) do
    if ports.covers(from, to, port) then covered[#covered + 1] = port end
  end
  return covered
end

-- Ports missing (or an empty list, which would hide every rule) means
-- every port is considered; see EC-NET-04 in founding-controls.md.
local function known_ports(cache, ctx)
  if not ctx.available(cache, "ports") then return nil end
  local list = cache.ports
  if #list == 0 then return nil end
  return list
end

local function new_grant(entry, rule, port, source, certain)
  return {
    group_id = entry.group_id, group_name = entry.group_name,
    protocol = rule.protocol, from_port = rule.from, to_port = rule.to,
    port = port or nil, all_ports = rule.all_ports,
    source_type = source.source_type, cidr = source.cidr,
    prefix_list_id = source.prefix_list_id, group = source.group,
    description = source.description, certain = certain,
  }
end

-- The (rule, source, port) triples of a group entry for one set of cache
-- ports, in rule, source, port order; remembered per set, since caches
-- share their ports as much as their groups.
local function triples(entry, cache_ports, signature)
  local by_ports = entry.by_ports
  if not by_ports then
    by_ports = {}
    entry.by_ports = by_ports
  end
  local list = by_ports[signature]
  if list then return list end
  list = {}
  for _, rule in ipairs(entry.rules) do
    local covered = covered_ports(cache_ports, rule.from, rule.to)
    for _, source in ipairs(rule.sources) do
      for _, port in ipairs(covered) do
        list[#list + 1] = { rule = rule, source = source, port = port }
      end
    end
  end
  by_ports[signature] = list
  return list
end

-- The grants of the sources the filter keeps, over every rule of the
-- cache's groups, in group, rule, source, port order.  Each call returns
-- fresh grant tables: a policy may change them without changing another
-- cache's.
local function collect(cache, ctx, filter)
  local cache_ports = known_ports(cache, ctx)
  local signature = cache_ports and table_concat(cache_ports, ",") or "?"
  local grants = {}
  for _, sg in ipairs(cache.security_groups) do
    local entry = group_entry(sg, ctx, filter)
    for _, t in ipairs(triples(entry, cache_ports, signature)) do
      local certain = cache_ports ~= nil or t.rule.all_ports
      grants[#grants + 1] = new_grant(entry, t.rule, t.port, t.source, certain)
    end
  end
  return grants
end

local KEEP_ALL = { key = "\0all", groups = true, keep = function() return true end }

-- grants(cache, ctx) -> every source admitted to one of the cache's ports
-- over TCP, in security-group, rule, source, port order.
function M.grants(cache, ctx)
  return collect(cache, ctx, KEEP_ALL)
end

-- Two filters per trusted list (by its entries, in order): the sources
-- untrusted keeps, and those it leaves out.
local filters = {}

local function filters_of(list)
  local parts = {}
  for i, entry in ipairs(list) do parts[i] = tostring(entry) end
  local key = table_concat(parts, ",")
  local pair = filters[key]
  if not pair then
    local trusted = cidr.parse_all(list, "trusted_cidrs")
    local function is_trusted(block)
      return cidr.is_private(block) or (cidr.within_any(block, trusted))
    end
    pair = {
      untrusted = { key = key, groups = false, keep = function(block) return not is_trusted(block) end },
      trusted = { key = "\1" .. key, groups = true, keep = is_trusted },
    }
    filters[key] = pair
  end
  return pair
end

-- untrusted(cache, ctx, trusted_cidrs) -> the grants whose CIDR is neither
-- private nor inside one of trusted_cidrs. Referenced security groups are
-- trusted. trusted_cidrs is checked first, so a bad entry is reported even
-- when no rule would have needed it.
function M.untrusted(cache, ctx, trusted_cidrs)
  return collect(cache, ctx, filters_of(trusted_cidrs or EMPTY).untrusted)
end

-- trusted(cache, ctx, trusted_cidrs) -> the grants untrusted leaves out:
-- referenced security groups, private CIDRs and CIDRs inside
-- trusted_cidrs, in the same order as grants.
function M.trusted(cache, ctx, trusted_cidrs)
  return collect(cache, ctx, filters_of(trusted_cidrs or EMPTY).trusted)
end

-- True when the rule names a CIDR source of any kind (IPv4, IPv6 or a
-- prefix list), whatever the addresses are.
function M.has_cidr_source(permission)
  return #(permission.IpRanges or EMPTY) > 0
      or #(permission.Ipv6Ranges or EMPTY) > 0
      or #(permission.PrefixListIds or EMPTY) > 0
end


---------------------------------------------------------------------------
-- Fixing it: who else uses a group, the exact rule to revoke, and a group
-- of the cache's own

-- The caches of a region by security-group id, from the raw collections
-- (a replication group's member clusters stand for the group), once per
-- pair of collection records.
local users_memo = {}

local function users_of(ctx)
  local clusters, serverless = ctx.list("cache_clusters"), ctx.list("serverless_caches")
  local by_serverless = users_memo[ctx.key(clusters)]
  if not by_serverless then
    by_serverless = {}
    users_memo[ctx.key(clusters)] = by_serverless
  end
  local users = by_serverless[ctx.key(serverless)]
  if users then return users end
  users = {}
  local function add(group_id, owner)
    local entry = users[group_id]
    if not entry then
      entry = { seen = {} }
      users[group_id] = entry
    end
    if not entry.seen[owner] then
      entry.seen[owner] = true
      entry[#entry + 1] = owner
    end
  end
  for _, cluster in ipairs(clusters) do
    local owner = cluster.ReplicationGroupId and ("replication_group " .. cluster.ReplicationGroupId)
      or ("cache_cluster " .. tostring(cluster.CacheClusterId))
    for _, membership in ipairs(cluster.SecurityGroups or EMPTY) do
      if membership.SecurityGroupId then add(membership.SecurityGroupId, owner) end
    end
  end
  for _, cache in ipairs(serverless) do
    for _, group_id in ipairs(cache.SecurityGroupIds or EMPTY) do
      add(group_id, "serverless_cache " .. tostring(cache.ServerlessCacheName))
    end
  end
  by_serverless[ctx.key(serverless)] = users
  return users
end

-- other_caches(cache, ctx, group_id) -> the other caches of ctx.region
-- that use the group, as "kind id" strings in collection order. Reads
-- cache_clusters and serverless_caches (aborting as unknown when either
-- is incomplete); other kinds of resources are not in the inventory.
function M.other_caches(cache, ctx, group_id)
  local self = cache.kind .. " " .. cache.id
  local out = {}
  for _, owner in ipairs(users_of(ctx)[group_id] or EMPTY) do
    if owner ~= self then out[#out + 1] = owner end
  end
  return out
end

-- Where a grant's source sits in an IpPermission: member, field, value.
local function source_member(grant)
  if grant.prefix_list_id then return "PrefixListIds", "PrefixListId", grant.prefix_list_id end
  if grant.source_type == "security_group" then return "UserIdGroupPairs", "GroupId", grant.group end
  if grant.cidr:find(":", 1, true) then return "Ipv6Ranges", "CidrIpv6", grant.cidr end
  return "IpRanges", "CidrIp", grant.cidr
end

local function one_source(permission, member, source)
  return { IpProtocol = permission.IpProtocol, FromPort = permission.FromPort,
           ToPort = permission.ToPort, [member] = { source } }
end

-- permission_of(sg, grant) -> revoke, restore: the IpPermissions entry of
-- sg's rule that gave grant, with grant's source alone (protocol and
-- ports as written: RevokeSecurityGroupIngress wants them exact), and the
-- same with the source's Description, to authorize it back; nil when no
-- rule of sg gave it.
function M.permission_of(sg, grant)
  local member, field, value = source_member(grant)
  for _, permission in ipairs(sg.IpPermissions or EMPTY) do
    if permission.IpProtocol == grant.protocol then
      local from, to = ports.rule_range(permission)
      if from == grant.from_port and to == grant.to_port then
        for _, source in ipairs(permission[member] or EMPTY) do
          if source[field] == value then
            return one_source(permission, member, { [field] = value }),
                   one_source(permission, member, { [field] = value, Description = source.Description })
          end
        end
      end
    end
  end
  return nil
end

-- How each kind of cache changes its groups, in the aws CLI words of the
-- manual step (the API call of the backout is plan.modify's).
local MODIFY = {
  cache_cluster = { command = "modify-cache-cluster", id = "--cache-cluster-id",
                    waiter = "cache-cluster-available" },
  replication_group = { command = "modify-replication-group", id = "--replication-group-id",
                        waiter = "replication-group-available" },
  serverless_cache = { command = "modify-serverless-cache", id = "--serverless-cache-name" },
}

-- The --ip-permissions shorthand admitting the carried grants over TCP,
-- one entry per port (or rule range, where the port is not known).
local function permissions_text(carried)
  local order, by_range = {}, {}
  for _, grant in ipairs(carried) do
    local from, to = grant.port or grant.from_port, grant.port or grant.to_port
    local range_key = from .. "-" .. to
    local entry = by_range[range_key]
    if not entry then
      entry = { from = from, to = to, IpRanges = {}, Ipv6Ranges = {}, UserIdGroupPairs = {}, seen = {} }
      by_range[range_key] = entry
      order[#order + 1] = entry
    end
    local member, field, value = source_member({ source_type = grant.source_type,
                                                 cidr = grant.cidr, group = grant.group })
    if not entry.seen[value] then
      entry.seen[value] = true
      local list = entry[member]
      list[#list + 1] = "{" .. field .. "=" .. value .. "}"
    end
  end
  local out = {}
  for i, entry in ipairs(order) do
    local parts = { string_format("IpProtocol=tcp,FromPort=%d,ToPort=%d", entry.from, entry.to) }
    for _, member in ipairs({ "IpRanges", "Ipv6Ranges", "UserIdGroupPairs" }) do
      if #entry[member] > 0 then
        parts[#parts + 1] = member .. "=[" .. table_concat(entry[member], ",") .. "]"
      end
    end
    out[i] = "'" .. table_concat(parts, ",") .. "'"
  end
  return table_concat(out, " ")
end

local function copy_list(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = v end
  return out
end

-- replacement(cache, ctx, drop_ids, carried) -> steps: create a security group
-- of the cache's own that admits the carried grants (tcp, on their ports),
-- then give it to the cache in place of the groups drop_ids names. Both
-- are manual: the new group's id is known only once it exists. The
-- second one's backout is the API call that gives the cache back its
-- current list (SecurityGroupIds replaces the whole set).
function M.replacement(cache, ctx, drop_ids, carried)
  local region = cache.region
  local vpc_id = ctx.available(cache, "vpc_id") and cache.vpc_id or "<vpc-id>"
  local name = cache.id .. "-dedicated"
  local current = copy_list(cache.security_group_ids)
  local dropping, keeping = {}, {}
  for _, id in ipairs(drop_ids) do dropping[id] = true end
  for _, id in ipairs(current) do
    if not dropping[id] then keeping[#keeping + 1] = id end
  end
  local admit
  if #carried > 0 then
    admit = "Then admit, on the cache's ports only, the trusted sources " .. table_concat(drop_ids, ", ")
      .. " admit today: `aws ec2 authorize-security-group-ingress --group-id <new-sg-id> --region "
      .. region .. " --ip-permissions " .. permissions_text(carried) .. "`."
  else
    admit = "No trusted source is admitted today: admit the cache's real clients, for example "
      .. "`aws ec2 authorize-security-group-ingress --group-id <new-sg-id> --region " .. region
      .. " --ip-permissions 'IpProtocol=tcp,FromPort=<port>,ToPort=<port>,"
      .. "UserIdGroupPairs=[{GroupId=<client-sg-id>}]'`."
  end
  local how = MODIFY[cache.kind]
  local ids = table_concat(keeping, " ")
  local modify = string_format("aws elasticache %s %s %s --security-group-ids <new-sg-id>%s%s%s --region %s",
                               how.command, how.id, cache.id, ids ~= "" and " " or "", ids,
                               how.waiter and " --apply-immediately" or "", region)
  local wait = how.waiter and string_format(", then `aws elasticache wait %s %s %s --region %s`",
                                            how.waiter, how.id, cache.id, region) or ""
  return {
    plan.manual("Create the security group " .. name .. " for " .. cache.id .. " alone",
      "Create it in " .. vpc_id .. ": `aws ec2 create-security-group --group-name " .. name
        .. " --description \"" .. cache.id .. " only\" --vpc-id " .. vpc_id .. " --region " .. region
        .. " --query GroupId --output text`; the id it prints is <new-sg-id> below. " .. admit,
      { backout = plan.manual("Delete the security group " .. name,
          "Once " .. cache.id .. " has its groups back: `aws ec2 delete-security-group --group-id "
            .. "<new-sg-id> --region " .. region .. "`.") }),
    plan.manual("Give " .. cache.id .. " " .. name .. " in place of " .. table_concat(drop_ids, ", "),
      "SecurityGroupIds replaces the whole set, so name every group the cache keeps: `" .. modify
        .. "`" .. wait .. (how.waiter and "." or " (a serverless cache changes one field per call)."),
      { backout = plan.modify(cache, { SecurityGroupIds = current }, nil,
          { title = "Give " .. cache.id .. " back its security groups " .. table_concat(current, ", ") }) }),
  }
end

return M
