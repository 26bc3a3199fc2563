---@meta ports
-- LuaLS types of stdlib/ports.lua: port ranges and the protocols of EC2
-- security-group rules (docs/stdlib.md#ports).  Ports are integers 0-65535
-- (integer-valued floats such as 6379.0 are accepted); covers, overlap and
-- rule_range raise on anything else.

---@class ecpolicy.ports
local ports = {}

---@type integer
ports.MIN = 0
---@type integer
ports.MAX = 65535

--- True for "-1", "tcp" and "6" (numbers and any case are accepted).
---@param protocol string|number|nil
---@return boolean
function ports.carries_tcp(protocol) end

--- True for "-1": every protocol on every port.
---@param protocol string|number|nil
---@return boolean
function ports.all_traffic(protocol) end

---@param from integer
---@param to integer
---@param port integer
---@return boolean
function ports.covers(from, to, port) end

--- The range both share, or nil when they are disjoint.
---@param a_from integer
---@param a_to integer
---@param b_from integer
---@param b_to integer
---@return integer? from
---@return integer? to
function ports.overlap(a_from, a_to, b_from, b_to) end

--- True for exactly 0, 65535 (not checked: any other values give false).
---@param from any
---@param to any
---@return boolean
function ports.is_all(from, to) end

--- The ports an IpPermission opens: 0, 65535 for "-1" and protocols other
--- than tcp/udp (or an unset or -1 bound), nil for ICMP.  Raises on a
--- non-table, a missing IpProtocol, a bad port or FromPort above ToPort.
---@param permission ecpolicy.aws.IpPermission
---@return integer? from
---@return integer? to
function ports.rule_range(permission) end

return ports
