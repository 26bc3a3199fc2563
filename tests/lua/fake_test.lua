-- The fakes must behave as docs/policy-api.md and docs/inventory-model.md
-- say the engine does, or the policy tests prove nothing.
local fake = require "fake"
local check = require "check"
local eq = check.eq

local function policy(check)
  return { id = "T-1", title = "t", severity = "low", resource = "cache", check = check }
end

local tests = {}

tests["inventory tables are read-only"] = function()
  local cache = fake.cache({})
  local ok, err = pcall(function() cache.id = "x" end)
  assert(not ok and err:find("read-only", 1, true), err)
  ok = pcall(function() cache.transit_encryption.enabled = false end)
  assert(not ok, "nested tables are read-only too")
  eq(cache.transit_encryption.enabled, true)
  eq(getmetatable(cache), "read-only inventory table")
end

tests["inventory tables read like plain ones"] = function()
  local cache = fake.cache({ ports = { 6379, 6380 } })
  eq(#cache.ports, 2)
  local seen = {}
  for i, port in ipairs(cache.ports) do seen[i] = port end
  eq(seen[2], 6380)
  local keys = 0
  for _ in pairs(cache.transit_encryption) do keys = keys + 1 end
  eq(keys, 2)
  assert(rawequal(cache.ports, cache.ports), "the same proxy on every read")
end

tests["reading a missing field aborts as unknown"] = function()
  local cache = fake.cache({ ports = fake.missing("no node info") })
  local res = fake.run(policy(function(c) return "pass", tostring(#c.ports) end), cache, fake.ctx())
  eq(res.status, "unknown") eq(res.reason, "no node info")
end

tests["pcall does not turn touched missing data into a pass"] = function()
  local cache = fake.cache({ ports = fake.missing("no node info") })
  local res = fake.run(policy(function(c)
    pcall(function() return c.ports end)
    return "pass"
  end), cache, fake.ctx())
  eq(res.status, "unknown")
end

tests["a fail decided from the data that was there stands"] = function()
  local cache = fake.cache({ ports = fake.missing("no node info") })
  local res = fake.run(policy(function(c)
    pcall(function() return c.ports end)
    return "fail", "TLS is off", { TransitEncryptionEnabled = false }
  end), cache, fake.ctx())
  eq(res.status, "fail") eq(res.evidence.TransitEncryptionEnabled, false)
end

tests["available tells without aborting"] = function()
  local cache = fake.cache({ ports = fake.missing("x"), subnet_group_name = fake.NIL })
  local ctx = fake.ctx()
  assert(not ctx.available(cache, "ports"))
  assert(ctx.available(cache, "subnet_group_name"), "nil is known to be absent, not missing")
  eq(cache.subnet_group_name, nil)
  local res = fake.run(policy(function(c, x)
    if x.available(c, "ports") then return "fail", "x" end
    return "pass"
  end), cache, ctx)
  eq(res.status, "pass", "available does not count as touching")
end

tests["joins follow the inventory"] = function()
  local inv = fake.inventory({ security_groups = { fake.sg({ id = "sg-app" }) } })
  eq(fake.cache({}, inv).security_groups[1].GroupId, "sg-app")
  local ctx = fake.ctx(inv)
  assert(not ctx.available(fake.cache({ security_group_ids = { "sg-gone" } }, inv), "security_groups"))
  local partial = fake.inventory({ incomplete = { security_groups = "partial: NextToken left" } })
  local res = fake.run(policy(function(c) return "pass", tostring(#c.security_groups) end),
                       fake.cache({}, partial), fake.ctx(partial))
  eq(res.status, "unknown")
  assert(res.reason:find("security_groups were not collected in eu-west-1", 1, true), res.reason)
end

tests["ctx.get and ctx.list"] = function()
  local inv = fake.inventory({ vpcs = { { VpcId = "vpc-1" } }, incomplete = { users = "missing" } })
  local ctx = fake.ctx(inv)
  eq(ctx.get("vpcs", "vpc-1").VpcId, "vpc-1")
  eq(ctx.get("vpcs", "vpc-9"), nil, "complete and absent: nil")
  eq(#ctx.list("vpcs"), 1)
  local ok, err = pcall(ctx.list, "users")
  assert(not ok and fake.is_abort(err), "incomplete aborts")
  ok, err = pcall(ctx.get, "nonsense", "x")
  assert(not ok and not fake.is_abort(err) and err:find("unknown collection"), tostring(err))
end

tests["route_table_for_subnet: explicit, else the VPC's main"] = function()
  local inv = fake.inventory({
    subnets = { fake.subnet({ id = "subnet-a", vpc = "vpc-1" }), fake.subnet({ id = "subnet-b", vpc = "vpc-2" }) },
    route_tables = {
      fake.route_table({ id = "rtb-main1", vpc = "vpc-1", main = true }),
      fake.route_table({ id = "rtb-main2", vpc = "vpc-2", main = true }),
      fake.route_table({ id = "rtb-x", vpc = "vpc-1", subnets = { "subnet-x" } }),
    },
  })
  local ctx = fake.ctx(inv)
  eq(ctx.route_table_for_subnet("subnet-x").RouteTableId, "rtb-x")
  eq(ctx.route_table_for_subnet("subnet-a").RouteTableId, "rtb-main1")
  eq(ctx.route_table_for_subnet("subnet-b").RouteTableId, "rtb-main2", "its own VPC's main table")
  eq(ctx.route_table_for_subnet("subnet-z", "vpc-2").RouteTableId, "rtb-main2", "vpc given")
  local ok, err = pcall(ctx.route_table_for_subnet, "subnet-z")
  assert(not ok and fake.is_abort(err), "unknown subnet")
  ok, err = pcall(ctx.route_table_for_subnet, "subnet-z", "vpc-9")
  assert(not ok and fake.is_abort(err) and err.reason:find("no route table governs"), tostring(err))
end

tests["prefix_list_cidrs"] = function()
  local inv = fake.inventory({ prefix_lists = { ["pl-1"] = { "203.0.113.0/24" } } })
  local ctx = fake.ctx(inv)
  eq(ctx.prefix_list_cidrs("pl-1")[1], "203.0.113.0/24")
  local ok, err = pcall(ctx.prefix_list_cidrs, "pl-2")
  assert(not ok and fake.is_abort(err), "entries not collected")
end

tests["run normalises both result forms and catches non-results"] = function()
  local ctx = fake.ctx()
  local cache = fake.cache({})
  eq(fake.run(policy(function() return { status = "fail", reason = "r" } end), cache, ctx).status, "fail")
  eq(fake.run(policy(function() return "not_applicable", "r" end), cache, ctx).status, "not_applicable")
  eq(fake.run(policy(function() return "maybe" end), cache, ctx).status, "error")
  eq(fake.run(policy(function() error("boom") end), cache, ctx).status, "error")
  local res = fake.run(policy(function(_, x) x.unknown("say why") end), cache, ctx)
  eq(res.status, "unknown") eq(res.reason, "say why")
end

tests["params: defaults overridden"] = function()
  local decl = policy(function() end)
  decl.params = { trusted_cidrs = {}, limit = 3 }
  local ctx = fake.ctx(nil, { policy = decl, params = { limit = 5 } })
  eq(ctx.params.limit, 5) eq(#ctx.params.trusted_cidrs, 0) eq(ctx.control.id, "T-1")
end

return tests
