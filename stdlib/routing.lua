-- Public-subnet detection from VPC route tables.
--
-- A subnet is public when the route table that governs it sends the
-- default route (IPv4 or IPv6) to an internet gateway. NAT gateways,
-- egress-only internet gateways (eigw-), virtual private gateways and
-- blackholed routes do not make a subnet public. Asked about one family,
-- only that family's default route counts (an IPv6 node is reached over
-- "::/0 -> igw-", whatever the IPv4 routes say).

local error, ipairs, require, tostring, type = error, ipairs, require, tostring, type
local string_format, string_sub = string.format, string.sub

local cidr = require "cidr"

local M = {}

local EMPTY = {}

local function is_internet_gateway(gateway_id)
  return type(gateway_id) == "string" and string_sub(gateway_id, 1, 4) == "igw-"
end

local function is_default(destination)
  if destination == nil then return false end
  local block, err = cidr.parse(destination)
  if block == nil then error("routing: route destination: " .. err, 0) end
  return cidr.is_any(block)
end

-- The route's default destination ("0.0.0.0/0" or "::/0" as written), or
-- nil; family 4 or 6 looks at that family's destination only. Parsing
-- rather than comparing text also catches "::0/0".
local function default_destination(route, family)
  if family ~= 6 and is_default(route.DestinationCidrBlock) then
    return route.DestinationCidrBlock
  end
  if family ~= 4 and is_default(route.DestinationIpv6CidrBlock) then
    return route.DestinationIpv6CidrBlock
  end
  return nil
end

local function check_family(fn, family)
  if family ~= nil and family ~= 4 and family ~= 6 then
    error(string_format("routing.%s: family must be 4, 6 or nil, got %s", fn, tostring(family)), 3)
  end
end

-- internet_route(route_table [, family]) -> the first route that makes a
-- subnet public (for that family only, when given) and its destination,
-- or nil.
function M.internet_route(route_table, family)
  if type(route_table) ~= "table" then
    error("routing.internet_route: expected a route table, got " .. type(route_table), 2)
  end
  check_family("internet_route", family)
  for _, route in ipairs(route_table.Routes or EMPTY) do
    if route.State ~= "blackhole" and is_internet_gateway(route.GatewayId) then
      local destination = default_destination(route, family)
      if destination then return route, destination end
    end
  end
  return nil
end

-- "explicit" when the table names the subnet in its Associations; a table
-- that governs a subnet without naming it does so as its VPC's main table.
function M.association(route_table, subnet_id)
  for _, association in ipairs(route_table.Associations or EMPTY) do
    if association.SubnetId == subnet_id then return "explicit" end
  end
  return "main"
end

-- internet_route of each route table, once per family: many subnets
-- share a table.
local routes = { [0] = {}, [4] = {}, [6] = {} }

-- public_subnet(subnet_id, ctx, vpc_id [, family]) -> is_public, evidence.
-- vpc_id is the subnet's VPC when the caller knows it (nil: ctx looks it
-- up); family 4 or 6 counts only that family's default route.
function M.public_subnet(subnet_id, ctx, vpc_id, family)
  if type(subnet_id) ~= "string" then
    error("routing.public_subnet: subnet_id must be a string, got " .. type(subnet_id), 2)
  end
  check_family("public_subnet", family)
  -- The engine also says how the table governs the subnet; a ctx that
  -- does not is answered from the table's own Associations.
  local route_table, association = ctx.route_table_for_subnet(subnet_id, vpc_id)
  if route_table == nil then
    ctx.unknown(string_format("no route table governs subnet %s", subnet_id))
  end
  local evidence = {
    subnet_id = subnet_id,
    route_table_id = route_table.RouteTableId,
    association = association or M.association(route_table, subnet_id),
  }
  local key = ctx.key and ctx.key(route_table) or route_table
  local memo = routes[family or 0]
  local found = memo[key]
  if found == nil then
    local route, destination = M.internet_route(route_table, family)
    found = route and { route = route, destination = destination } or false
    memo[key] = found
  end
  if not found then return false, evidence end
  local route, destination = found.route, found.destination
  evidence.destination = destination
  evidence.gateway_id = route.GatewayId
  return true, evidence
end

return M
