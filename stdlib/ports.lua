-- Port ranges and the protocols of EC2 security-group rules.
--
-- Ranges are inclusive integer pairs (from, to) within 0..65535. Port
-- numbers from JSON may arrive as floats (6379.0); they are accepted when
-- they hold an integer value.

local error, tostring, type = error, tostring, type
local math_tointeger = math.tointeger
local string_format, string_lower = string.format, string.lower

local M = {}

M.MIN, M.MAX = 0, 65535

local TCP = { ["-1"] = true, tcp = true, ["6"] = true }
-- ICMP "ports" are types and codes, not ports.
local NO_PORTS = { icmp = true, ["1"] = true, icmpv6 = true, ["58"] = true }
-- Only these use FromPort..ToPort; EC2 opens every port for any other
-- protocol number, whatever the rule says.
local RANGED = { tcp = true, ["6"] = true, udp = true, ["17"] = true }

-- EC2 prints protocols as strings ("tcp", "-1", "50"); numbers are
-- tolerated and names compared in lower case.
local function protocol_key(protocol)
  if type(protocol) == "number" then
    local n = math_tointeger(protocol)
    return n and tostring(n) or nil
  end
  if type(protocol) == "string" then return string_lower(protocol) end
  return nil
end

local function port_number(value, what, level)
  local n = type(value) == "number" and math_tointeger(value) or nil
  if n == nil or n < M.MIN or n > M.MAX then
    error(string_format("ports: %s must be an integer 0-65535, got %s", what, tostring(value)),
          level + 1)
  end
  return n
end

-- True for IpProtocol values whose traffic includes TCP: "-1" (all
-- traffic), "tcp" and its number "6".
function M.carries_tcp(protocol)
  return TCP[protocol_key(protocol)] == true
end

-- True for IpProtocol "-1": every protocol on every port.
function M.all_traffic(protocol)
  return protocol_key(protocol) == "-1"
end

function M.covers(from, to, port)
  from = port_number(from, "from", 2)
  to = port_number(to, "to", 2)
  port = port_number(port, "port", 2)
  return from <= port and port <= to
end

-- The range two ranges share, or nil when they are disjoint.
function M.overlap(a_from, a_to, b_from, b_to)
  a_from, a_to = port_number(a_from, "a_from", 2), port_number(a_to, "a_to", 2)
  b_from, b_to = port_number(b_from, "b_from", 2), port_number(b_to, "b_to", 2)
  local from = a_from > b_from and a_from or b_from
  local to = a_to < b_to and a_to or b_to
  if from > to then return nil end
  return from, to
end

function M.is_all(from, to)
  return from == M.MIN and to == M.MAX
end

-- An unset bound, or -1, cannot limit the range, so the rule is taken to
-- cover every port rather than guessed narrower.
local function unbounded(value)
  return value == nil or value == -1
end

-- rule_range(permission) -> from, to: the ports an EC2 IpPermission opens,
-- or nil for ICMP rules (no ports). "-1" and protocols other than tcp/udp
-- open every port whatever FromPort/ToPort say.
function M.rule_range(permission)
  if type(permission) ~= "table" then
    error("ports.rule_range: expected an IpPermission table, got " .. type(permission), 2)
  end
  local key = protocol_key(permission.IpProtocol)
  if key == nil then
    error("ports.rule_range: IpProtocol must be a string, got "
          .. tostring(permission.IpProtocol), 2)
  end
  if NO_PORTS[key] then return nil end
  if not RANGED[key] then return M.MIN, M.MAX end
  local from_port, to_port = permission.FromPort, permission.ToPort
  if unbounded(from_port) or unbounded(to_port) then return M.MIN, M.MAX end
  local from = port_number(from_port, "FromPort", 2)
  local to = port_number(to_port, "ToPort", 2)
  if from > to then
    error(string_format("ports.rule_range: FromPort %d is above ToPort %d", from, to), 2)
  end
  return from, to
end

return M
