-- Network ACLs: which one governs a subnet, and which sources its inbound
-- entries let through to a TCP port.
--
-- A network ACL is stateless and ordered: an inbound packet takes the
-- first entry (lowest RuleNumber) whose protocol, port range and CIDR
-- match it, and is denied when none does (the "*" entries, 32767 and
-- 32768, say so explicitly). What an ACL admits from a set of sources is
-- decided exactly: walking the entries in order, each one that matches
-- the port takes its CIDR out of the sources still undecided; an allow
-- entry that takes anything admits what it took. Sets of addresses are
-- lists of disjoint CIDR blocks (cidr.exclude), so a deny of
-- 0.0.0.0/1 before an allow of 0.0.0.0/0 leaves exactly 128.0.0.0/1.

local error, ipairs, pairs, require, setmetatable = error, ipairs, pairs, require, setmetatable
local tostring, type = tostring, type
local string_format, table_concat, table_sort = string.format, table.concat, table.sort
local math_tointeger = math.tointeger

local cidr = require "cidr"
local ports = require "ports"

local M = {}

local EMPTY = {}

---------------------------------------------------------------------------
-- Which ACL governs a subnet

-- One index per region's network_acls list (ctx.key of the list is
-- stable for the run): subnet -> the ACL whose Associations name it,
-- VPC -> its default ACL, and the subnets or VPCs claimed twice.
local indexes = {}

local function claim(map, conflicts, key, acl, what)
  local earlier = map[key]
  if earlier == nil then
    map[key] = acl
  elseif earlier.NetworkAclId ~= acl.NetworkAclId and not conflicts[key] then
    conflicts[key] = string_format("%s is claimed by both network ACLs %s and %s", what,
                                   tostring(earlier.NetworkAclId), tostring(acl.NetworkAclId))
  end
end

local function index_of(ctx)
  local list = ctx.list("network_acls")
  local key = ctx.key(list)
  local index = indexes[key]
  if index then return index end
  index = { by_subnet = {}, default_by_vpc = {}, conflicts = {} }
  for _, acl in ipairs(list) do
    for _, association in ipairs(acl.Associations or EMPTY) do
      local subnet_id = association.SubnetId
      if subnet_id then
        claim(index.by_subnet, index.conflicts, subnet_id, acl, "subnet " .. subnet_id)
      end
    end
    if acl.IsDefault == true and acl.VpcId then
      claim(index.default_by_vpc, index.conflicts, acl.VpcId, acl,
            "the default network ACL of " .. acl.VpcId)
    end
  end
  indexes[key] = index
  return index
end

-- for_subnet(subnet_id, ctx, vpc_id) -> acl, association: the ACL whose
-- Associations name the subnet ("associated"), else the default ACL of
-- the subnet's VPC ("default"; vpc_id when given, else the subnet's
-- VpcId). Aborts as unknown when network_acls (or, to find the VPC,
-- subnets) is incomplete, when no ACL governs the subnet, or when two
-- claim it.
function M.for_subnet(subnet_id, ctx, vpc_id)
  if type(subnet_id) ~= "string" then
    error("nacl.for_subnet: subnet_id must be a string, got " .. type(subnet_id), 2)
  end
  local index = index_of(ctx)
  local conflict = index.conflicts[subnet_id]
  if conflict then ctx.unknown(conflict) end
  local acl = index.by_subnet[subnet_id]
  if acl then return acl, "associated" end
  if vpc_id == nil then
    local subnet = ctx.get("subnets", subnet_id)
    if subnet == nil then
      ctx.unknown(string_format("subnet %s is not among the collected subnets", subnet_id))
    end
    vpc_id = subnet.VpcId
  end
  conflict = index.conflicts[vpc_id]
  if conflict then ctx.unknown(conflict) end
  acl = index.default_by_vpc[vpc_id]
  if acl then return acl, "default" end
  ctx.unknown(string_format("no network ACL governs subnet %s: no ACL names it and VPC %s has "
                            .. "no default network ACL among the collected ones",
                            subnet_id, tostring(vpc_id)))
end

---------------------------------------------------------------------------
-- The inbound entries

local function bad_entry(acl_id, entry, why)
  error(string_format("nacl: %s entry %s: %s", tostring(acl_id), tostring(entry.RuleNumber), why), 0)
end

local function port_bound(acl_id, entry, value, what)
  local n = type(value) == "number" and math_tointeger(value) or nil
  if n == nil or n < ports.MIN or n > ports.MAX then
    bad_entry(acl_id, entry, string_format("PortRange.%s is not a port: %s", what, tostring(value)))
  end
  return n
end

-- One inbound entry as plain data. Only entries that carry TCP ("6",
-- "-1") get a port range: "-1" covers every port, "6" its PortRange.
local function entry_data(acl_id, entry)
  local number = math_tointeger(entry.RuleNumber)
  if number == nil then bad_entry(acl_id, entry, "RuleNumber is not an integer") end
  local action = entry.RuleAction
  if action ~= "allow" and action ~= "deny" then
    bad_entry(acl_id, entry, "RuleAction is not allow or deny: " .. tostring(action))
  end
  local text = entry.CidrBlock or entry.Ipv6CidrBlock
  if text == nil then bad_entry(acl_id, entry, "it has neither CidrBlock nor Ipv6CidrBlock") end
  local block, err = cidr.parse(text)
  if not block then bad_entry(acl_id, entry, err) end
  local data = {
    rule_number = number, rule_action = action, protocol = tostring(entry.Protocol),
    cidr = text, family = block.family, block = block, tcp = ports.carries_tcp(entry.Protocol),
  }
  if data.tcp then
    if ports.all_traffic(entry.Protocol) then
      data.from_port, data.to_port = ports.MIN, ports.MAX
    else
      local range = entry.PortRange
      if range == nil then bad_entry(acl_id, entry, "protocol 6 without a PortRange") end
      data.from_port = port_bound(acl_id, entry, range.From, "From")
      data.to_port = port_bound(acl_id, entry, range.To, "To")
      if data.from_port > data.to_port then
        bad_entry(acl_id, entry, "PortRange.From is above PortRange.To")
      end
    end
  end
  return data
end

local function by_rule_number(a, b)
  return a.rule_number < b.rule_number
end

-- ACL key -> its inbound entries in rule order.  The key is ctx.key(acl),
-- the engine's record, stable for the run; without ctx it is the view
-- itself, which a policy may build afresh each time: the memos hold their
-- keys weakly, so a view's entries and hits go with it.
local entry_memo = setmetatable({}, { __mode = "k" })

local function ingress_of(acl, ctx)
  if type(acl) ~= "table" then error("nacl: expected a network ACL, got " .. type(acl), 3) end
  local key = ctx and ctx.key(acl) or acl
  local entries = entry_memo[key]
  if entries then return entries, key end
  entries = {}
  local acl_id = acl.NetworkAclId
  for _, entry in ipairs(acl.Entries or EMPTY) do
    local egress = entry.Egress
    if type(egress) ~= "boolean" then bad_entry(acl_id, entry, "Egress is not a boolean") end
    if not egress then entries[#entries + 1] = entry_data(acl_id, entry) end
  end
  table_sort(entries, by_rule_number)
  entry_memo[key] = entries
  return entries, key
end

local PUBLIC_FIELDS = { "rule_number", "rule_action", "protocol", "from_port", "to_port", "cidr",
                        "family", "tcp" }

local function public_copy(data)
  local out = {}
  for _, field in ipairs(PUBLIC_FIELDS) do out[field] = data[field] end
  return out
end

-- ingress(acl, ctx) -> the ACL's inbound entries in rule order, every
-- protocol, as { rule_number, rule_action, protocol, from_port, to_port,
-- cidr, family, tcp } (ports only for entries that carry TCP). ctx is
-- optional; with it the parse is remembered for the run, without it for as
-- long as the acl table lives.
function M.ingress(acl, ctx)
  local entries = ingress_of(acl, ctx)
  local out = {}
  for i, data in ipairs(entries) do out[i] = public_copy(data) end
  return out
end

-- port_ranges(acl, ctx) -> { { from, to }, ... }: 0-65535 cut where a TCP
-- inbound entry's port range starts or ends, so that every port of one
-- range meets the same entries. Deciding one port of each range decides
-- them all.
function M.port_ranges(acl, ctx)
  local starts, seen = { ports.MIN }, { [ports.MIN] = true }
  local function cut(port)
    if port <= ports.MAX and not seen[port] then
      seen[port] = true
      starts[#starts + 1] = port
    end
  end
  for _, data in ipairs((ingress_of(acl, ctx))) do
    if data.tcp then
      cut(data.from_port)
      cut(data.to_port + 1)
    end
  end
  table_sort(starts)
  local out = {}
  for i, from in ipairs(starts) do
    out[i] = { from = from, to = (starts[i + 1] or ports.MAX + 1) - 1 }
  end
  return out
end

---------------------------------------------------------------------------
-- What reaches a port

-- The blocks of set inside block, and those outside it.
local function split(set, block)
  local inside, outside = {}, {}
  for _, b in ipairs(set) do
    if cidr.contains(block, b) then
      inside[#inside + 1] = b
    elseif cidr.contains(b, block) then
      inside[#inside + 1] = block
      for _, rest in ipairs(cidr.exclude(b, block)) do outside[#outside + 1] = rest end
    else
      outside[#outside + 1] = b
    end
  end
  return inside, outside
end

local function by_family(sources)
  local left = { [4] = {}, [6] = {} }
  for _, source in ipairs(sources) do
    local family = left[source.family]
    family[#family + 1] = source
  end
  return left
end

-- The allow entries that admit part of sources on port, in rule order.
local function walk(entries, port, sources)
  local left = by_family(sources)
  local hits = {}
  for _, data in ipairs(entries) do
    local undecided = left[data.family]
    if data.tcp and #undecided > 0 and data.from_port <= port and port <= data.to_port then
      local taken, rest = split(undecided, data.block)
      if #taken > 0 then
        left[data.family] = rest
        if data.rule_action == "allow" then
          local hit = public_copy(data)
          hit.tcp = nil
          hit.port = port
          hit.admitted = cidr.tostring(taken[1])
          hit.admitted_blocks = #taken
          hits[#hits + 1] = hit
        end
      end
    end
  end
  return hits
end

-- Parsed, sorted sources, remembered by the list's identity.
local source_memo = setmetatable({}, { __mode = "k" })

local function parsed_sources(sources)
  if type(sources) ~= "table" then
    error("nacl.admitted: sources must be a list of CIDRs, got " .. type(sources), 3)
  end
  local parsed = source_memo[sources]
  if parsed then return parsed end
  parsed = cidr.parse_all(sources, "sources")
  local blocks = {}
  for _, block in ipairs(parsed) do
    for _, piece in ipairs(cidr.exclude(block, blocks)) do blocks[#blocks + 1] = piece end
  end
  table_sort(blocks, function(a, b) return cidr.compare(a, b) < 0 end)
  source_memo[sources] = blocks
  return blocks
end

local hit_memo = setmetatable({}, { __mode = "k" })  -- ACL key -> sources -> port -> hits

local function copy_hits(hits, acl_id)
  local out = {}
  for i, hit in ipairs(hits) do
    local c = { network_acl_id = acl_id }
    for k, v in pairs(hit) do c[k] = v end
    out[i] = c
  end
  return out
end

-- admitted(acl, port, sources, ctx) -> { hit, ... }: for TCP traffic to
-- port from the addresses of sources (a list of CIDRs of either family),
-- every inbound allow entry that admits some of them, in rule order, each
-- as { network_acl_id, rule_number, rule_action, protocol, from_port,
-- to_port, cidr, family, port, admitted, admitted_blocks }: admitted is
-- the lowest block of what the entry lets in, admitted_blocks how many
-- blocks that is. Later hits admit sources the earlier ones did not
-- reach. Pass the same sources table every time (it is remembered by
-- identity); ctx is optional and keys the memos for the run (without it
-- they are the acl table's, and go with it).
function M.admitted(acl, port, sources, ctx)
  local entries, key = ingress_of(acl, ctx)
  local n = type(port) == "number" and math_tointeger(port) or nil
  if n == nil or n < ports.MIN or n > ports.MAX then
    error("nacl.admitted: port must be an integer 0-65535, got " .. tostring(port), 2)
  end
  local blocks = parsed_sources(sources)
  local by_sources = hit_memo[key]
  if not by_sources then
    by_sources = setmetatable({}, { __mode = "k" })
    hit_memo[key] = by_sources
  end
  local by_port = by_sources[sources]
  if not by_port then
    by_port = {}
    by_sources[sources] = by_port
  end
  local hits = by_port[n]
  if not hits then
    hits = walk(entries, n, blocks)
    by_port[n] = hits
  end
  return copy_hits(hits, acl.NetworkAclId)
end

---------------------------------------------------------------------------
-- The public address space

local public_memo = {}     -- network type and trusted list text -> the list of blocks

-- The address families a cache of this NetworkType has addresses in: an
-- IPv4-only cache cannot be reached over IPv6, nor an IPv6-only one over
-- IPv4, and a network type never changes.  Unknown: both.
local FAMILIES = { ipv4 = { "0.0.0.0/0" }, ipv6 = { "::/0" } }
local BOTH = { "0.0.0.0/0", "::/0" }

-- public_space(trusted_cidrs, network_type) -> { block, ... }: every
-- address outside the private ranges (cidr.PRIVATE_RANGES, as
-- cidr.is_private judges) and outside trusted_cidrs (nil for none), in the
-- families of network_type ("ipv4", "ipv6"; "dual_stack" or nil: both).
-- The same table comes back for the same arguments, fit for admitted's
-- memo. An invalid trusted entry raises, naming it.
function M.public_space(trusted_cidrs, network_type)
  local list = trusted_cidrs or EMPTY
  local parts = {}
  for i, entry in ipairs(list) do parts[i] = tostring(entry) end
  local families = FAMILIES[network_type] or BOTH
  local key = table_concat(families, " ") .. "|" .. table_concat(parts, ",")
  local space = public_memo[key]
  if space then return space end
  local excluded = cidr.parse_all(cidr.PRIVATE_RANGES, "private ranges")
  for _, block in ipairs(cidr.parse_all(list, "trusted_cidrs")) do excluded[#excluded + 1] = block end
  space = {}
  for _, whole in ipairs(families) do
    for _, block in ipairs(cidr.exclude(whole, excluded)) do space[#space + 1] = block end
  end
  public_memo[key] = space
  return space
end

return M
