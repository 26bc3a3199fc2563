---@meta routing
-- LuaLS types of stdlib/routing.lua: public-subnet detection
-- (docs/stdlib.md#routing).  A subnet is public when its route table sends
-- a default route (0.0.0.0/0 or ::/0) to an igw- gateway that is not
-- blackholed.

---@class ecpolicy.routing.Evidence
---@field subnet_id string
---@field route_table_id string the governing table
---@field association "explicit"|"main"
---@field destination? string the internet route's destination, when public
---@field gateway_id? string its gateway, when public

---@class ecpolicy.routing
local routing = {}

--- The first route of the table that makes its subnets public (for family 4
--- or 6 only, when given) and its destination as written, or nil.  Raises
--- on a non-table, another family, or a destination that is not a CIDR.
---@param route_table ecpolicy.aws.RouteTable
---@param family? 4|6
---@return ecpolicy.aws.Route? route
---@return string? destination
function routing.internet_route(route_table, family) end

--- How a table that governs the subnet does so: "explicit" when its
--- Associations name the subnet, else "main".
---@param route_table ecpolicy.aws.RouteTable
---@param subnet_id string
---@return "explicit"|"main"
function routing.association(route_table, subnet_id) end

--- Decides one subnet through ctx.route_table_for_subnet (vpc_id: the
--- subnet's VPC when known, nil to let ctx find it), for one family when
--- given.  Aborts as unknown when the route tables (or subnets) are
--- incomplete.
---@param subnet_id string
---@param ctx ecpolicy.Context
---@param vpc_id? string
---@param family? 4|6
---@return boolean is_public
---@return ecpolicy.routing.Evidence evidence
function routing.public_subnet(subnet_id, ctx, vpc_id, family) end

return routing
