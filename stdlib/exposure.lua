-- Security-group exposure of a cache on the ports it really listens on.
--
-- A grant is one source admitted by one ingress rule to one cache port:
-- a plain table, safe to put in evidence as it is.

local error, ipairs, require, type = error, ipairs, require, type
local string_format = string.format

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

-- One parse per distinct CIDR text per call: prefix lists repeat across
-- rules and groups.
local function parse_cached(memo, text, where)
  local block = memo[text]
  if block == nil then
    local err
    block, err = cidr.parse(text)
    if not block then error(string_format("exposure: %s in %s", err, where), 0) end
    memo[text] = block
  end
  return block
end

-- Every source of one rule: { source_type, cidr, prefix_list_id, group,
-- description, block }. Prefix lists are resolved once per call.
local function rule_sources(permission, group_id, ctx, state)
  local sources = {}
  local function add_cidr(text, description, prefix_list_id, where)
    sources[#sources + 1] = {
      source_type = "cidr", cidr = text, prefix_list_id = prefix_list_id,
      description = description,
      block = parse_cached(state.blocks, text, where),
    }
  end
  for _, range in ipairs(permission.IpRanges or EMPTY) do
    add_cidr(range.CidrIp, range.Description, nil, group_id .. " IpRanges")
  end
  for _, range in ipairs(permission.Ipv6Ranges or EMPTY) do
    add_cidr(range.CidrIpv6, range.Description, nil, group_id .. " Ipv6Ranges")
  end
  for _, ref in ipairs(permission.PrefixListIds or EMPTY) do
    local id = ref.PrefixListId
    local entries = state.prefix_lists[id]
    if entries == nil then
      entries = ctx.prefix_list_cidrs(id)
      state.prefix_lists[id] = entries
    end
    for _, entry in ipairs(entries) do
      add_cidr(entry_cidr(entry), ref.Description, id, "prefix list " .. id)
    end
  end
  for _, pair in ipairs(permission.UserIdGroupPairs or EMPTY) do
    sources[#sources + 1] = {
      source_type = "security_group", group = pair.GroupId or pair.GroupName,
      description = pair.Description,
    }
  end
  return sources
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

local function new_grant(sg, permission, from, to, port, source, certain)
  return {
    group_id = sg.GroupId, group_name = sg.GroupName,
    protocol = permission.IpProtocol, from_port = from, to_port = to,
    port = port or nil, all_ports = ports.is_all(from, to),
    source_type = source.source_type, cidr = source.cidr,
    prefix_list_id = source.prefix_list_id, group = source.group,
    description = source.description, certain = certain,
  }
end

-- The grants and, at the same index, each one's parsed CIDR (false for a
-- security-group source).
local function collect(cache, ctx)
  local cache_ports = known_ports(cache, ctx)
  local state = { blocks = {}, prefix_lists = {} }
  local grants, blocks = {}, {}
  for _, sg in ipairs(cache.security_groups) do
    for _, permission in ipairs(sg.IpPermissions or EMPTY) do
      if ports.carries_tcp(permission.IpProtocol) then
        local from, to = ports.rule_range(permission)
        local covered = covered_ports(cache_ports, from, to)
        if #covered > 0 then
          local certain = cache_ports ~= nil or ports.is_all(from, to)
          local sources = rule_sources(permission, sg.GroupId or "?", ctx, state)
          for _, source in ipairs(sources) do
            for _, port in ipairs(covered) do
              grants[#grants + 1] = new_grant(sg, permission, from, to, port, source, certain)
              blocks[#grants] = source.block or false
            end
          end
        end
      end
    end
  end
  return grants, blocks
end

-- grants(cache, ctx) -> every source admitted to one of the cache's ports
-- over TCP, in security-group, rule, source, port order.
function M.grants(cache, ctx)
  local grants = collect(cache, ctx)
  return grants
end

-- untrusted(cache, ctx, trusted_cidrs) -> the grants whose CIDR is neither
-- private nor inside one of trusted_cidrs. Referenced security groups are
-- trusted. trusted_cidrs is checked first, so a bad entry is reported even
-- when no rule would have needed it.
function M.untrusted(cache, ctx, trusted_cidrs)
  local trusted = cidr.parse_all(trusted_cidrs or EMPTY, "trusted_cidrs")
  local grants, blocks = collect(cache, ctx)
  local out = {}
  for i, grant in ipairs(grants) do
    local block = blocks[i]
    if block and not cidr.is_private(block) and not cidr.within_any(block, trusted) then
      out[#out + 1] = grant
    end
  end
  return out
end

-- True when the rule names a CIDR source of any kind (IPv4, IPv6 or a
-- prefix list), whatever the addresses are.
function M.has_cidr_source(permission)
  return #(permission.IpRanges or EMPTY) > 0
      or #(permission.Ipv6Ranges or EMPTY) > 0
      or #(permission.PrefixListIds or EMPTY) > 0
end

return M
