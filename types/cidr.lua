---@meta cidr
-- LuaLS types of stdlib/cidr.lua: IPv4/IPv6 CIDR arithmetic
-- (docs/stdlib.md#cidr).  Functions that take a CIDR take a string or a
-- parsed block; an invalid one raises, naming it.

--- A parsed block.  It prints in canonical form with tostring, and two
--- blocks of the same network compare equal with ==; its other fields are
--- private.
---@class ecpolicy.cidr.Block
---@field family 4|6
---@field prefix integer the prefix length

---@alias ecpolicy.cidr.Cidr string|ecpolicy.cidr.Block

---@class ecpolicy.cidr
local cidr = {}

--- RFC 1918 and RFC 4193, the ranges is_private knows.
---@type string[]
cidr.PRIVATE_RANGES = {}

--- Parses one CIDR or host address (host bits cleared: "10.1.2.3/8" is
--- 10.0.0.0/8).  The one function here that does not raise: anything that
--- is not a valid CIDR string gives nil and a message naming it.
---@param text any
---@return ecpolicy.cidr.Block? block
---@return string? err
function cidr.parse(text) end

--- True for a block returned by parse, false for anything else.
---@param value any
---@return boolean
function cidr.is_cidr(value) end

---@param c ecpolicy.cidr.Cidr
---@return 4|6
function cidr.family(c) end

---@param c ecpolicy.cidr.Cidr
---@return integer
function cidr.prefix_length(c) end

--- The canonical text, always with the prefix length (RFC 5952 for IPv6).
---@param c ecpolicy.cidr.Cidr
---@return string
function cidr.tostring(c) end

--- A total order for sorting: IPv4 before IPv6, then by address, then
--- shorter prefixes first.
---@param a ecpolicy.cidr.Cidr
---@param b ecpolicy.cidr.Cidr
---@return -1|0|1
function cidr.compare(a, b) end

--- True when every address of inner is in outer; families never mix.
---@param outer ecpolicy.cidr.Cidr
---@param inner ecpolicy.cidr.Cidr
---@return boolean
function cidr.contains(outer, inner) end

---@param a ecpolicy.cidr.Cidr
---@param b ecpolicy.cidr.Cidr
---@return boolean
function cidr.overlaps(a, b) end

--- True for a prefix length of 0: 0.0.0.0/0 or ::/0.
---@param c ecpolicy.cidr.Cidr
---@return boolean
function cidr.is_any(c) end

--- Every entry parsed; raises on the first invalid one, naming label (default
--- "CIDR list"), its index and its value, and when list is not a table.
---@param list ecpolicy.cidr.Cidr[]
---@param label? string
---@return ecpolicy.cidr.Block[]
function cidr.parse_all(list, label) end

--- true and the first entry of list that contains c (as given), or false.
---@param c ecpolicy.cidr.Cidr
---@param list ecpolicy.cidr.Cidr[]
---@return boolean found
---@return ecpolicy.cidr.Cidr? entry
function cidr.within_any(c, list) end

--- The one of the two blocks that lies inside the other, or nil when they
--- are disjoint.
---@param a ecpolicy.cidr.Cidr
---@param b ecpolicy.cidr.Cidr
---@return ecpolicy.cidr.Block?
function cidr.intersection(a, b) end

--- The addresses of c outside every block of others, as disjoint blocks in
--- compare order; blocks of the other family change nothing.  others is
--- required: nil raises ({} excludes nothing).
---@param c ecpolicy.cidr.Cidr
---@param others ecpolicy.cidr.Cidr|ecpolicy.cidr.Cidr[]
---@return ecpolicy.cidr.Block[]
function cidr.exclude(c, others) end

--- True when the block lies wholly inside one of PRIVATE_RANGES.
---@param c ecpolicy.cidr.Cidr
---@return boolean
function cidr.is_private(c) end

--- tostring for input that may be invalid: the canonical text, or nil and a
--- message.
---@param text any
---@return string? text
---@return string? err
function cidr.normalize(text) end

return cidr
