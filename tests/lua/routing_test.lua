local fake = require "fake"
local routing = require "routing"
local check = require "check"
local eq = check.eq

local function table_with(routes)
  return fake.readonly(fake.route_table({ id = "rtb-1", routes = routes }))
end

local tests = {}

tests["internet_route: default routes to an igw"] = function()
  local route, destination = routing.internet_route(table_with({ { "0.0.0.0/0", "igw-1" } }))
  eq(route.GatewayId, "igw-1") eq(destination, "0.0.0.0/0")
  route, destination = routing.internet_route(table_with({ { ipv6 = "::/0", gateway = "igw-2" } }))
  eq(route.GatewayId, "igw-2") eq(destination, "::/0")
end

tests["internet_route: what does not make a subnet public"] = function()
  eq(routing.internet_route(table_with({})), nil, "only the local route")
  eq(routing.internet_route(table_with({ { ipv6 = "::/0", gateway = "eigw-1" } })), nil, "egress-only")
  eq(routing.internet_route(table_with({ { "0.0.0.0/0", nat = "nat-1" } })), nil, "NAT gateway")
  eq(routing.internet_route(table_with({ { "0.0.0.0/0", "vgw-1" } })), nil, "VPN gateway")
  eq(routing.internet_route(table_with({ { "0.0.0.0/0", "igw-1", state = "blackhole" } })), nil,
     "blackhole")
  eq(routing.internet_route(table_with({ { "198.51.100.0/24", "igw-1" } })), nil,
     "a narrower route to an igw is not the default route")
  eq(routing.internet_route(fake.readonly({ RouteTableId = "rtb-0" })), nil, "no Routes at all")
end

tests["internet_route: destinations are compared as CIDRs"] = function()
  local route, destination = routing.internet_route(table_with({ { ipv6 = "::0/0", gateway = "igw-1" } }))
  assert(route, "::0/0 is ::/0")
  eq(destination, "::0/0", "reported as written")
  local prefix_list_route = fake.readonly({ Routes = {
    { DestinationPrefixListId = "pl-1", GatewayId = "igw-1", State = "active" } } })
  eq(routing.internet_route(prefix_list_route), nil, "a prefix-list destination is not the default route")
  local ok, err = pcall(routing.internet_route, table_with({ { "0.0.0.0/00", "igw-1" } }))
  assert(not ok and err:find('"0.0.0.0/00"', 1, true), tostring(err))
end

tests["internet_route: the first qualifying route wins"] = function()
  local route = routing.internet_route(table_with({
    { "0.0.0.0/0", "igw-dead", state = "blackhole" },
    { ipv6 = "::/0", gateway = "igw-live" },
  }))
  eq(route.GatewayId, "igw-live")
end

local function network()
  return fake.inventory({
    subnets = {
      fake.subnet({ id = "subnet-pub" }), fake.subnet({ id = "subnet-priv" }),
      fake.subnet({ id = "subnet-main" }), fake.subnet({ id = "subnet-other", vpc = "vpc-2" }),
    },
    route_tables = {
      fake.route_table({ id = "rtb-main", vpc = "vpc-1", main = true,
                         routes = { { "0.0.0.0/0", nat = "nat-1" } } }),
      fake.route_table({ id = "rtb-pub", vpc = "vpc-1", subnets = { "subnet-pub" },
                         routes = { { "0.0.0.0/0", "igw-1" } } }),
      fake.route_table({ id = "rtb-priv", vpc = "vpc-1", subnets = { "subnet-priv" } }),
      fake.route_table({ id = "rtb-main2", vpc = "vpc-2", main = true,
                         routes = { { ipv6 = "::/0", gateway = "igw-2" } } }),
    },
  })
end

tests["public_subnet: explicit association"] = function()
  local ctx = fake.ctx(network())
  local public, evidence = routing.public_subnet("subnet-pub", ctx, "vpc-1")
  assert(public)
  eq(evidence.subnet_id, "subnet-pub") eq(evidence.route_table_id, "rtb-pub")
  eq(evidence.association, "explicit") eq(evidence.destination, "0.0.0.0/0")
  eq(evidence.gateway_id, "igw-1")
  public, evidence = routing.public_subnet("subnet-priv", ctx, "vpc-1")
  assert(not public)
  eq(evidence.route_table_id, "rtb-priv") eq(evidence.association, "explicit")
  eq(evidence.destination, nil)
end

tests["public_subnet: the main table of the subnet's own VPC"] = function()
  local ctx = fake.ctx(network())
  local public, evidence = routing.public_subnet("subnet-main", ctx, "vpc-1")
  assert(not public, "vpc-1's main table only has a NAT route")
  eq(evidence.association, "main") eq(evidence.route_table_id, "rtb-main")
  public, evidence = routing.public_subnet("subnet-other", ctx)
  assert(public, "vpc-2's main table routes ::/0 to an igw")
  eq(evidence.association, "main") eq(evidence.route_table_id, "rtb-main2")
  eq(evidence.destination, "::/0")
end

tests["public_subnet: association from the table when ctx does not say"] = function()
  local ctx = fake.ctx(network())
  local real = ctx.route_table_for_subnet
  ctx.route_table_for_subnet = function(...) return (real(...)) end
  local _, evidence = routing.public_subnet("subnet-pub", ctx, "vpc-1")
  eq(evidence.association, "explicit")
  _, evidence = routing.public_subnet("subnet-main", ctx, "vpc-1")
  eq(evidence.association, "main")
end

tests["public_subnet: incomplete route tables abort as unknown"] = function()
  local inv = fake.inventory({ incomplete = { route_tables = "access_denied" } })
  local ok, err = pcall(routing.public_subnet, "subnet-a", fake.ctx(inv), "vpc-1")
  assert(not ok and fake.is_abort(err), tostring(err))
end

tests["public_subnet: a ctx that returns nil gives unknown"] = function()
  local ctx = fake.ctx()
  ctx.route_table_for_subnet = function() return nil end
  local ok, err = pcall(routing.public_subnet, "subnet-a", ctx)
  assert(not ok and fake.is_abort(err) and err.reason:find("subnet-a", 1, true), tostring(err))
end

tests["bad arguments raise"] = function()
  local ok, err = pcall(routing.internet_route, nil)
  assert(not ok and err:find("expected a route table", 1, true), err)
  ok, err = pcall(routing.public_subnet, nil, fake.ctx())
  assert(not ok and err:find("subnet_id must be a string", 1, true), err)
end


tests["internet_route: one family only"] = function()
  local dual = table_with({ { "0.0.0.0/0", "igw-4" }, { ipv6 = "::/0", gateway = "igw-6" } })
  eq(routing.internet_route(dual, 6).GatewayId, "igw-6")
  eq(routing.internet_route(dual, 4).GatewayId, "igw-4")
  eq(routing.internet_route(dual).GatewayId, "igw-4", "either family: the first route")
  local v4_only = table_with({ { "0.0.0.0/0", "igw-4" }, { ipv6 = "::/0", gateway = "eigw-1" } })
  eq(routing.internet_route(v4_only, 6), nil, "egress-only IPv6 is not public")
  local _, destination = routing.internet_route(table_with({ { ipv6 = "::0/0", gateway = "igw-6" } }), 6)
  eq(destination, "::0/0")
  check.raises("family must be 4, 6 or nil, got 5", routing.internet_route, dual, 5)
end

tests["public_subnet: one family only, remembered apart"] = function()
  local inv = fake.inventory({
    subnets = { fake.subnet({ id = "subnet-v4" }), fake.subnet({ id = "subnet-v6" }) },
    route_tables = {
      fake.route_table({ id = "rtb-v4", subnets = { "subnet-v4" }, routes = { { "0.0.0.0/0", "igw-1" } } }),
      fake.route_table({ id = "rtb-v6", subnets = { "subnet-v6" },
                         routes = { { "0.0.0.0/0", nat = "nat-1" }, { ipv6 = "::/0", gateway = "igw-1" } } }),
    },
  })
  local ctx = fake.ctx(inv)
  assert(routing.public_subnet("subnet-v4", ctx, "vpc-1"))
  assert(not routing.public_subnet("subnet-v4", ctx, "vpc-1", 6), "IPv4 route only")
  assert(routing.public_subnet("subnet-v4", ctx, "vpc-1", 4))
  local public, evidence = routing.public_subnet("subnet-v6", ctx, "vpc-1", 6)
  assert(public) eq(evidence.destination, "::/0")
  assert(not routing.public_subnet("subnet-v6", ctx, "vpc-1", 4), "NAT only for IPv4")
  check.raises("family must be 4, 6 or nil", routing.public_subnet, "subnet-v6", ctx, "vpc-1", "6")
end

return tests
