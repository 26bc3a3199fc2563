---@meta nacl
-- LuaLS types of stdlib/nacl.lua: which network ACL governs a subnet and
-- what its inbound entries admit to a TCP port (docs/stdlib.md#nacl).
-- Malformed entries raise, naming the ACL and the rule.  ctx, where
-- optional, keys the memos for the run; without it they are the acl
-- table's, and go with it.

--- An inbound entry of any protocol, as plain data.
---@class ecpolicy.nacl.Entry
---@field rule_number integer
---@field rule_action "allow"|"deny"
---@field protocol string as written ("6", "-1", "17", ...)
---@field from_port? integer only where tcp
---@field to_port? integer only where tcp
---@field cidr string the CidrBlock or Ipv6CidrBlock, as written
---@field family 4|6
---@field tcp boolean the entry carries TCP ("6" or "-1")

--- An allow entry that admits some of the sources.
---@class ecpolicy.nacl.Hit
---@field network_acl_id string
---@field rule_number integer
---@field rule_action "allow"
---@field protocol "6"|"-1"
---@field from_port integer
---@field to_port integer
---@field cidr string
---@field family 4|6
---@field port integer the port asked about
---@field admitted string the lowest block of the sources the entry lets in, canonical
---@field admitted_blocks integer how many blocks it lets in

---@class ecpolicy.nacl
local nacl = {}

--- The ACL whose Associations name the subnet ("associated"), else the
--- default ACL of its VPC ("default"; vpc_id, else the subnet's VpcId).
--- Aborts as unknown when network_acls (or subnets) is incomplete, when no
--- ACL governs the subnet, or when two claim it; so it never returns nil.
---@param subnet_id string
---@param ctx ecpolicy.Context
---@param vpc_id? string
---@return ecpolicy.aws.NetworkAcl acl
---@return "associated"|"default" association
function nacl.for_subnet(subnet_id, ctx, vpc_id) end

--- The inbound entries of every protocol, in rule order.
---@param acl ecpolicy.aws.NetworkAcl
---@param ctx? ecpolicy.Context
---@return ecpolicy.nacl.Entry[]
function nacl.ingress(acl, ctx) end

--- 0-65535 cut where a TCP inbound entry's range starts or ends: every port
--- of one range meets the same entries.
---@param acl ecpolicy.aws.NetworkAcl
---@param ctx? ecpolicy.Context
---@return { from: integer, to: integer }[]
function nacl.port_ranges(acl, ctx) end

--- Every inbound allow entry that admits some of sources to TCP port, in
--- rule order; later hits admit what the earlier ones did not reach.  Pass
--- the same sources table each time (results are remembered by it).
---@param acl ecpolicy.aws.NetworkAcl
---@param port integer
---@param sources ecpolicy.cidr.Cidr[]
---@param ctx? ecpolicy.Context
---@return ecpolicy.nacl.Hit[]
function nacl.admitted(acl, port, sources, ctx) end

--- Every address outside the private ranges and outside trusted_cidrs
--- (nil for none), in the families of network_type ("ipv4", "ipv6";
--- "dual_stack" or nil: both); the same table for the same arguments.
---@param trusted_cidrs? ecpolicy.cidr.Cidr[]
---@param network_type? string
---@return ecpolicy.cidr.Block[]
function nacl.public_space(trusted_cidrs, network_type) end

return nacl
