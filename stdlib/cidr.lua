-- IPv4 and IPv6 CIDR blocks, parsed from strings and compared exactly.
--
-- A parsed block is a table { family = 4 | 6, prefix = n } plus two
-- private 64-bit words (hi, lo) holding the network address with its
-- host bits cleared. IPv4 addresses sit left-aligned in hi, so both
-- families share one masking and containment path. Lua integers are
-- signed, so addresses are compared with math.ult, never with <.

local error, getmetatable, ipairs, setmetatable = error, getmetatable, ipairs, setmetatable
local tonumber, type = tonumber, type
local string_find, string_format = string.find, string.format
local string_byte, string_match, string_sub = string.byte, string.match, string.sub
local table_concat, table_sort = table.concat, table.sort
local math_ult = math.ult

local M = {}

local CIDR = {}
CIDR.__name = "cidr"

local MAX_PREFIX = { [4] = 32, [6] = 128 }

-- n leading one bits in a 64-bit word, for 0 <= n <= 64.
local function leading_ones(n)
  if n <= 0 then return 0 end
  if n >= 64 then return -1 end
  return -1 << (64 - n)
end

local function masks(prefix)
  return leading_ones(prefix), leading_ones(prefix - 64)
end

-- The masks are kept in the block (private, like hi and lo): containment
-- tests run for every source of every rule.
local function new(family, prefix, hi, lo)
  local hi_mask, lo_mask = masks(prefix)
  return setmetatable({ family = family, prefix = prefix,
                        hi = hi & hi_mask, lo = lo & lo_mask,
                        hi_mask = hi_mask, lo_mask = lo_mask }, CIDR)
end

-- A decimal number without sign, spaces or leading zeros ("0" is fine):
-- "010" is octal to some parsers, so it is refused rather than guessed.
local function parse_decimal(text, max)
  if not string_match(text, "^%d+$") then return nil end
  if #text > 1 and string_sub(text, 1, 1) == "0" then return nil end
  if #text > 3 then return nil end
  local n = tonumber(text)
  if n > max then return nil end
  return n
end

local function parse_ipv4(text)
  local a, b, c, d = string_match(text, "^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if not a then return nil, "not a dotted-quad IPv4 address" end
  local value = 0
  for _, octet in ipairs({ a, b, c, d }) do
    local n = parse_decimal(octet, 255)
    if not n then return nil, "octet '" .. octet .. "' is not 0-255 without leading zeros" end
    value = (value << 8) | n
  end
  return value
end

-- Appends the 16-bit groups of one side of "::" to groups. The last piece
-- may be a dotted IPv4 address (two groups) when ipv4_allowed says it ends
-- the whole address.
local function parse_groups(part, ipv4_allowed, groups)
  if part == "" then return true end
  local pieces = {}
  local start = 1
  while true do
    local colon = string_find(part, ":", start, true)
    if not colon then
      pieces[#pieces + 1] = string_sub(part, start)
      break
    end
    pieces[#pieces + 1] = string_sub(part, start, colon - 1)
    start = colon + 1
  end
  for i, piece in ipairs(pieces) do
    if piece == "" then return nil, "empty group (a single ':' at an end, or ':::')" end
    if string_find(piece, ".", 1, true) then
      if not (ipv4_allowed and i == #pieces) then
        return nil, "an embedded IPv4 address may only end the address"
      end
      local value, err = parse_ipv4(piece)
      if not value then return nil, "embedded IPv4: " .. err end
      groups[#groups + 1] = value >> 16
      groups[#groups + 1] = value & 0xffff
    elseif string_match(piece, "^%x%x?%x?%x?$") then
      groups[#groups + 1] = tonumber(piece, 16)
    else
      return nil, "group '" .. piece .. "' is not 1-4 hex digits"
    end
  end
  return true
end

local function parse_ipv6(text)
  if string_find(text, "%", 1, true) then return nil, "zone ids are not allowed" end
  local gap = string_find(text, "::", 1, true)
  local head, tail = text, nil
  if gap then
    head, tail = string_sub(text, 1, gap - 1), string_sub(text, gap + 2)
    if string_find(tail, "::", 1, true) then return nil, "'::' appears more than once" end
  end
  local before, after = {}, {}
  local ok, err = parse_groups(head, tail == nil, before)
  if not ok then return nil, err end
  if tail then
    ok, err = parse_groups(tail, true, after)
    if not ok then return nil, err end
  end
  local explicit = #before + #after
  if tail == nil and explicit ~= 8 then
    return nil, "has " .. explicit .. " groups instead of 8"
  end
  if tail and explicit > 7 then return nil, "'::' must stand for at least one group" end
  local groups = before
  for _ = 1, 8 - explicit do groups[#groups + 1] = 0 end
  for _, group in ipairs(after) do groups[#groups + 1] = group end
  local hi = (groups[1] << 48) | (groups[2] << 32) | (groups[3] << 16) | groups[4]
  local lo = (groups[5] << 48) | (groups[6] << 32) | (groups[7] << 16) | groups[8]
  return hi, lo
end

local function invalid(text, why)
  return nil, string_format("invalid CIDR %q: %s", text, why)
end

-- One octet or prefix of the common "a.b.c.d/n" form: digits without a
-- leading zero, at most max; nil for anything else.
local function quick_number(digits, max)
  if #digits > 1 and string_byte(digits, 1) == 48 then return nil end
  local n = tonumber(digits)
  if n > max then return nil end
  return n
end

-- "a.b.c.d/n", which nearly every security-group source is, in one match;
-- nil sends anything else (or anything wrong) to the full parser, which
-- also words the errors.
local function quick_ipv4(text)
  local a, b, c, d, p = string_match(text, "^(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)/(%d%d?)$")
  if not a then return nil end
  a, b, c, d = quick_number(a, 255), quick_number(b, 255), quick_number(c, 255), quick_number(d, 255)
  p = quick_number(p, 32)
  if not (a and b and c and d and p) then return nil end
  return new(4, p, ((a << 24) | (b << 16) | (c << 8) | d) << 32, 0)
end

-- parse(text) -> block, or nil and a message naming the text.
function M.parse(text)
  if type(text) ~= "string" then
    return nil, "invalid CIDR: expected a string, got " .. type(text)
  end
  local quick = quick_ipv4(text)
  if quick then return quick end
  local address, prefix_text = text, nil
  local slash = string_find(text, "/", 1, true)
  if slash then
    address, prefix_text = string_sub(text, 1, slash - 1), string_sub(text, slash + 1)
    if string_find(prefix_text, "/", 1, true) then return invalid(text, "more than one '/'") end
  end
  local family, hi, lo
  if string_find(address, ":", 1, true) then
    local why
    hi, why = parse_ipv6(address)
    if not hi then return invalid(text, why) end
    family, lo = 6, why
  else
    local value, why = parse_ipv4(address)
    if not value then return invalid(text, why) end
    family, hi, lo = 4, value << 32, 0
  end
  local max = MAX_PREFIX[family]
  local prefix = max
  if prefix_text then
    prefix = parse_decimal(prefix_text, max)
    if not prefix then
      return invalid(text, "prefix length '" .. prefix_text .. "' is not 0-" .. max)
    end
  end
  return new(family, prefix, hi, lo)
end

local function is_block(value)
  return getmetatable(value) == CIDR
end

-- A block, or the parse of a string; anything else raises, naming it.
local function coerce(value, level)
  if is_block(value) then return value end
  local block, err = M.parse(value)
  if not block then error(err, level + 1) end
  return block
end

M.is_cidr = is_block

function M.family(c)
  return coerce(c, 2).family
end

function M.prefix_length(c)
  return coerce(c, 2).prefix
end

local function ipv4_text(value)
  return string_format("%d.%d.%d.%d", (value >> 24) & 0xff, (value >> 16) & 0xff,
                       (value >> 8) & 0xff, value & 0xff)
end

local function groups_of(block)
  local groups = {}
  for i = 0, 3 do groups[i + 1] = (block.hi >> (48 - 16 * i)) & 0xffff end
  for i = 0, 3 do groups[i + 5] = (block.lo >> (48 - 16 * i)) & 0xffff end
  return groups
end

-- The first longest run of two or more zero groups (RFC 5952 4.2), or nil.
local function longest_zero_run(groups)
  local best_start, best_len = nil, 1
  local i = 1
  while i <= 8 do
    if groups[i] == 0 then
      local j = i
      while j < 8 and groups[j + 1] == 0 do j = j + 1 end
      if j - i + 1 > best_len then best_start, best_len = i, j - i + 1 end
      i = j + 1
    else
      i = i + 1
    end
  end
  return best_start, best_len
end

local function hex_groups(groups, first, last)
  local out = {}
  for i = first, last do out[#out + 1] = string_format("%x", groups[i]) end
  return table_concat(out, ":")
end

local function ipv6_text(block)
  -- IPv4-mapped addresses keep their dotted tail, as RFC 5952 5 recommends.
  if block.hi == 0 and (block.lo >> 32) == 0xffff then
    return "::ffff:" .. ipv4_text(block.lo & 0xffffffff)
  end
  local groups = groups_of(block)
  local start, len = longest_zero_run(groups)
  if not start then return hex_groups(groups, 1, 8) end
  return hex_groups(groups, 1, start - 1) .. "::" .. hex_groups(groups, start + len, 8)
end

-- The canonical text: network address (host bits cleared), lower case,
-- RFC 5952 compression for IPv6, always with the prefix length.
function M.tostring(c)
  local block = coerce(c, 2)
  local address
  if block.family == 4 then
    address = ipv4_text(block.hi >> 32)
  else
    address = ipv6_text(block)
  end
  return address .. "/" .. block.prefix
end

CIDR.__tostring = M.tostring

-- Total order: IPv4 before IPv6, then by network address (unsigned), then
-- shorter prefixes first. For sorting evidence deterministically.
function M.compare(a, b)
  a, b = coerce(a, 2), coerce(b, 2)
  if a.family ~= b.family then return a.family < b.family and -1 or 1 end
  if a.hi ~= b.hi then return math_ult(a.hi, b.hi) and -1 or 1 end
  if a.lo ~= b.lo then return math_ult(a.lo, b.lo) and -1 or 1 end
  if a.prefix ~= b.prefix then return a.prefix < b.prefix and -1 or 1 end
  return 0
end

CIDR.__eq = function(a, b)
  return a.family == b.family and a.prefix == b.prefix and a.hi == b.hi and a.lo == b.lo
end

local function block_contains(outer, inner)
  if outer.family ~= inner.family or outer.prefix > inner.prefix then return false end
  return (inner.hi & outer.hi_mask) == outer.hi and (inner.lo & outer.lo_mask) == outer.lo
end

-- True when every address of inner is in outer. Families never mix.
function M.contains(outer, inner)
  return block_contains(coerce(outer, 2), coerce(inner, 2))
end

-- CIDR blocks are either nested or disjoint, so they overlap exactly when
-- one contains the other.
function M.overlaps(a, b)
  a, b = coerce(a, 2), coerce(b, 2)
  return block_contains(a, b) or block_contains(b, a)
end

function M.is_any(c)
  return coerce(c, 2).prefix == 0
end

-- parse_all(list, label) -> list of blocks; raises on the first entry that
-- is not a valid CIDR, naming the label, the position and the value.
function M.parse_all(list, label)
  label = label or "CIDR list"
  if type(list) ~= "table" then
    error(string_format("%s must be a list of CIDR strings, got %s", label, type(list)), 2)
  end
  local blocks = {}
  for i, entry in ipairs(list) do
    if is_block(entry) then
      blocks[i] = entry
    else
      local block, err = M.parse(entry)
      if not block then error(string_format("%s[%d]: %s", label, i, err), 2) end
      blocks[i] = block
    end
  end
  return blocks
end

-- within_any(c, list) -> true and the first entry of list that contains c,
-- or false.
function M.within_any(c, list)
  local block = coerce(c, 2)
  if type(list) ~= "table" then
    error("cidr.within_any: list must be a table, got " .. type(list), 2)
  end
  for i, entry in ipairs(list) do
    local outer, err = entry, nil
    if not is_block(entry) then outer, err = M.parse(entry) end
    if not outer then error(string_format("cidr.within_any: list[%d]: %s", i, err), 2) end
    if block_contains(outer, block) then return true, entry end
  end
  return false
end

-- The block of the two that lies inside the other, or nil when they are
-- disjoint (two CIDR blocks never overlap partly).
function M.intersection(a, b)
  a, b = coerce(a, 2), coerce(b, 2)
  if block_contains(a, b) then return b end
  if block_contains(b, a) then return a end
  return nil
end

-- The blocks of outer that are not in inner, for inner strictly inside
-- outer: at each prefix length on the way down to inner, the half that
-- does not hold inner.
local function split_around(outer, inner, out)
  for k = outer.prefix + 1, inner.prefix do
    local hi, lo = inner.hi, inner.lo
    if k <= 64 then hi = hi ~ (1 << (64 - k)) else lo = lo ~ (1 << (128 - k)) end
    out[#out + 1] = new(outer.family, k, hi, lo)
  end
end

local function less(a, b)
  return M.compare(a, b) < 0
end

-- exclude(c, others) -> the blocks, disjoint and in address order, that
-- cover exactly the addresses of c outside every block of others (one
-- CIDR or a list of them; nil is an error, not "none"). Blocks of the
-- other family change nothing.
function M.exclude(c, others)
  local rest = { coerce(c, 2) }
  if type(others) == "string" or is_block(others) then
    others = { others }
  elseif type(others) ~= "table" then
    error("cidr.exclude: others must be a CIDR or a list of CIDRs, got " .. type(others), 2)
  end
  for i, entry in ipairs(others) do
    local cut, err = entry, nil
    if not is_block(entry) then cut, err = M.parse(entry) end
    if not cut then error(string_format("cidr.exclude: others[%d]: %s", i, err), 2) end
    local kept = {}
    for _, block in ipairs(rest) do
      if block_contains(block, cut) then
        if block.prefix < cut.prefix then split_around(block, cut, kept) end
      elseif not block_contains(cut, block) then
        kept[#kept + 1] = block
      end
    end
    rest = kept
  end
  table_sort(rest, less)
  return rest
end

-- RFC 1918 and RFC 4193. A copy for readers; is_private uses its own parse.
M.PRIVATE_RANGES = { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7" }

local PRIVATE = M.parse_all(M.PRIVATE_RANGES, "private ranges")

-- Wholly inside a private range. A block that only overlaps one (such as
-- 10.0.0.0/7) reaches public addresses too, so it is not private.
-- IPv4-mapped IPv6 (::ffff:10.0.0.0/104) is IPv6, and not in fc00::/7.
function M.is_private(c)
  local block = coerce(c, 2)
  for _, range in ipairs(PRIVATE) do
    if block_contains(range, block) then return true end
  end
  return false
end

-- normalize(text) -> the canonical text, or nil and a message.
function M.normalize(text)
  local block, err = M.parse(text)
  if not block then return nil, err end
  return M.tostring(block)
end

return M
