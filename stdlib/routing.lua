-- Public-subnet detection from VPC route tables.
--
-- A subnet is public when the route table that governs it sends the
-- default route (IPv4 or IPv6) to an internet gateway. NAT gateways,
-- egress-only internet gateways (eigw-), virtual private gateways and
-- blackholed routes do not make a subnet public.

local error, ipairs, require, type = error, ipairs, require, type
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
-- nil. Parsing rather than comparing text also catches "::0/0".
local function default_destination(route)
  if is_default(route.DestinationCidrBlock) then return route.DestinationCidrBlock end
  if is_default(route.DestinationIpv6CidrBlock) then return route.DestinationIpv6CidrBlock end
  return nil
end

-- internet_route(route_table) -> the first route that makes a subnet
-- public and its destination, or nil.
function M.internet_route(route_table)
  if type(route_table) ~= "table" then
    error("routing.internet_route: expected a route table, got " .. type(route_table), 2)
  end
  for _, route in ipairs(route_table.Routes or EMPTY) do
    if route.State ~= "blackhole" and is_internet_gateway(route.GatewayId) then
      local destination = default_destination(route)
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

-- internet_route of each route table, once: many subnets share a table.
local routes = {}

-- public_subnet(subnet_id, ctx, vpc_id) -> is_public, evidence. vpc_id is
-- the subnet's VPC when the caller knows it (nil: ctx looks it up).
function M.public_subnet(subnet_id, ctx, vpc_id)
  if type(subnet_id) ~= "string" then
    error("routing.public_subnet: subnet_id must be a string, got " .. type(subnet_id), 2)
  end
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
  local found = routes[key]
  if found == nil then
    local route, destination = M.internet_route(route_table)
    found = route and { route = route, destination = destination } or false
    routes[key] = found
  end
  if not found then return false, evidence end
  local route, destination = found.route, found.destination
  evidence.destination = destination
  evidence.gateway_id = route.GatewayId
  return true, evidence
end

return M
