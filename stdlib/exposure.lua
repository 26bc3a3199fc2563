-- Security-group exposure of a cache on the ports it really listens on.
--
-- A grant is one source admitted by one ingress rule to one cache port:
-- a plain table, safe to put in evidence as it is.

local error, ipairs, require, tostring, type = error, ipairs, require, tostring,
  type
local string_format, table_concat = string.format, table.concat

local cidr = require "cidr"
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

-- One filter per trusted list (by its entries, in order).
local filters = {}

local function untrusted_filter(list)
  local parts = {}
  for i, entry in ipairs(list) do parts[i] = tostring(entry) end
  local key = table_concat(parts, ",")
  local filter = filters[key]
  if not filter then
    local trusted = cidr.parse_all(list, "trusted_cidrs")
    filter = { key = key, groups = false, keep = function(block)
      return not cidr.is_private(block) and not cidr.within_any(block, trusted)
    end }
    filters[key] = filter
  end
  return filter
end

-- untrusted(cache, ctx, trusted_cidrs) -> the grants whose CIDR is neither
-- private nor inside one of trusted_cidrs. Referenced security groups are
-- trusted. trusted_cidrs is checked first, so a bad entry is reported even
-- when no rule would have needed it.
function M.untrusted(cache, ctx, trusted_cidrs)
  return collect(cache, ctx, untrusted_filter(trusted_cidrs or EMPTY))
end

-- True when the rule names a CIDR source of any kind (IPv4, IPv6 or a
-- prefix list), whatever the addresses are.
function M.has_cidr_source(permission)
  return #(permission.IpRanges or EMPTY) > 0
      or #(permission.Ipv6Ranges or EMPTY) > 0
      or #(permission.PrefixListIds or EMPTY) > 0
end

return M
