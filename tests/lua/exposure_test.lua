local exposure = require "exposure"
local fake = require "fake"
local check = require "check"
local eq = check.eq

-- A cache on `ports` behind the given security groups, and its ctx.
local function setup(groups, opts)
  opts = opts or {}
  local ids = {}
  for i, sg in ipairs(groups) do ids[i] = sg.GroupId end
  local inv = fake.inventory({ security_groups = groups, prefix_lists = opts.prefix_lists,
                               incomplete = opts.incomplete })
  local cache = fake.cache({ security_group_ids = ids, ports = opts.ports or { 6379 } }, inv)
  return cache, fake.ctx(inv)
end

local function cidrs_of(grants)
  local out = {}
  for i, grant in ipairs(grants) do out[i] = grant.cidr or ("sg:" .. grant.group) end
  return table.concat(out, " ")
end

local tests = {}

tests["a grant carries the rule, the port and the source"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", name = "app", rules = {
    fake.rule({ from = 6379, cidrs = { "0.0.0.0/0" } }),
  } }) })
  local grants = exposure.grants(cache, ctx)
  eq(#grants, 1)
  local g = grants[1]
  eq(g.group_id, "sg-1") eq(g.group_name, "app") eq(g.protocol, "tcp")
  eq(g.from_port, 6379) eq(g.to_port, 6379) eq(g.port, 6379) eq(g.all_ports, false)
  eq(g.source_type, "cidr") eq(g.cidr, "0.0.0.0/0") eq(g.prefix_list_id, nil)
  eq(g.certain, true)
end

tests["only rules that cover a cache port count"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", rules = {
    fake.rule({ from = 22, cidrs = { "198.51.100.1/32" } }),
    fake.rule({ from = 6000, to = 7000, cidrs = { "198.51.100.2/32" } }),
    fake.rule({ from = 6380, cidrs = { "198.51.100.3/32" } }),
  } }) })
  eq(cidrs_of(exposure.grants(cache, ctx)), "198.51.100.2/32")
end

tests["all-traffic and FromPort -1 rules cover every port"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", rules = {
    fake.rule({ protocol = "-1", cidrs = { "198.51.100.1/32" } }),
    fake.rule({ protocol = "tcp", from = -1, to = -1, cidrs = { "198.51.100.2/32" } }),
    fake.rule({ protocol = "6", from = 0, to = 65535, cidrs = { "198.51.100.3/32" } }),
  } }) })
  local grants = exposure.grants(cache, ctx)
  eq(cidrs_of(grants), "198.51.100.1/32 198.51.100.2/32 198.51.100.3/32")
  for _, g in ipairs(grants) do
    assert(g.all_ports and g.from_port == 0 and g.to_port == 65535, g.cidr)
  end
  eq(grants[1].protocol, "-1")
end

tests["udp, icmp and other protocols are ignored"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", rules = {
    fake.rule({ protocol = "udp", from = 6379, cidrs = { "0.0.0.0/0" } }),
    fake.rule({ protocol = "icmp", from = -1, cidrs = { "0.0.0.0/0" } }),
    fake.rule({ protocol = "50", cidrs = { "0.0.0.0/0" } }),
  } }) })
  eq(#exposure.grants(cache, ctx), 0)
end

tests["ipv6 ranges, prefix lists and referenced groups"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", rules = {
    fake.rule({ from = 6379, ipv6 = { "::/0" }, prefix_lists = { "pl-office" },
                groups = { "sg-clients" } }),
  } }) }, { prefix_lists = { ["pl-office"] = { "203.0.113.0/24", "2001:db8::/32" } } })
  local grants = exposure.grants(cache, ctx)
  eq(cidrs_of(grants), "::/0 203.0.113.0/24 2001:db8::/32 sg:sg-clients")
  eq(grants[2].prefix_list_id, "pl-office")
  eq(grants[3].prefix_list_id, "pl-office")
  eq(grants[4].source_type, "security_group")
  eq(grants[4].cidr, nil)
end

tests["one grant per covered cache port"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", rules = {
    fake.rule({ from = 6379, to = 6380, cidrs = { "0.0.0.0/0" } }),
  } }) }, { ports = { 6379, 6380 } })
  local grants = exposure.grants(cache, ctx)
  eq(#grants, 2) eq(grants[1].port, 6379) eq(grants[2].port, 6380)
end

tests["untrusted: public sources only"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", rules = {
    fake.rule({ from = 6379, cidrs = { "10.0.0.0/16", "172.16.5.0/24", "192.168.0.0/16",
                                       "0.0.0.0/0", "10.0.0.0/7", "100.64.0.0/10" },
                ipv6 = { "fd00::/8", "::/0", "fe80::/10" }, groups = { "sg-clients" } }),
  } }) })
  eq(cidrs_of(exposure.untrusted(cache, ctx)), "0.0.0.0/0 10.0.0.0/7 100.64.0.0/10 ::/0 fe80::/10")
end

tests["untrusted: trusted_cidrs widen what is trusted"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", rules = {
    fake.rule({ from = 6379, cidrs = { "203.0.113.0/25", "203.0.112.0/23" }, ipv6 = { "2001:db8:1::/48" } }),
  } }) })
  local trusted = { "203.0.113.0/24", "2001:db8::/32" }
  eq(cidrs_of(exposure.untrusted(cache, ctx, trusted)), "203.0.112.0/23", "wider than trusted")
  eq(#exposure.untrusted(cache, ctx, fake.readonly(trusted)), 1, "read-only params work")
end

tests["untrusted: prefix-list entries are judged one by one"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", rules = {
    fake.rule({ from = 6379, prefix_lists = { "pl-mixed" } }),
  } }) }, { prefix_lists = { ["pl-mixed"] = { "10.1.0.0/16", "198.51.100.0/24" } } })
  local bad = exposure.untrusted(cache, ctx)
  eq(#bad, 1) eq(bad[1].cidr, "198.51.100.0/24") eq(bad[1].prefix_list_id, "pl-mixed")
end

tests["invalid CIDRs raise, naming the value"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", rules = {
    fake.rule({ from = 6379, cidrs = { "10.0.0.0/33" } }),
  } }) })
  local ok, err = pcall(exposure.untrusted, cache, ctx)
  assert(not ok and err:find('"10.0.0.0/33"', 1, true) and err:find("sg-1", 1, true), err)
  ok = pcall(exposure.grants, cache, ctx)
  assert(not ok, "grants checks too")
  local clean = setup({ fake.sg({ id = "sg-2" }) })
  ok, err = pcall(exposure.untrusted, clean, ctx, { "203.0.113.0/24", "office" })
  assert(not ok and err:find('trusted_cidrs[2]: invalid CIDR "office"', 1, true), err)
end

tests["ports missing: every port counts, certain only on all-port rules"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", rules = {
    fake.rule({ from = 22, cidrs = { "198.51.100.1/32" } }),
    fake.rule({ protocol = "-1", cidrs = { "198.51.100.2/32" } }),
    fake.rule({ from = 0, to = 65535, cidrs = { "198.51.100.3/32" } }),
    fake.rule({ protocol = "udp", from = 0, to = 65535, cidrs = { "198.51.100.4/32" } }),
  } }) }, { ports = fake.missing("describe-cache-clusters ran without --show-cache-node-info") })
  local grants = exposure.grants(cache, ctx)
  eq(cidrs_of(grants), "198.51.100.1/32 198.51.100.2/32 198.51.100.3/32")
  eq(grants[1].certain, false) eq(grants[1].port, nil)
  eq(grants[2].certain, true) eq(grants[3].certain, true)
end

tests["missing prefix-list entries abort as unknown"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", rules = {
    fake.rule({ from = 6379, prefix_lists = { "pl-absent" } }),
  } }) })
  local ok, err = pcall(exposure.grants, cache, ctx)
  assert(not ok and fake.is_abort(err), tostring(err))
end

tests["a rule without IpPermissions lists is fine"] = function()
  local cache, ctx = setup({ { GroupId = "sg-bare", GroupName = "bare" },
                             { GroupId = "sg-2", IpPermissions = { { IpProtocol = "-1" } } } })
  eq(#exposure.grants(cache, ctx), 0)
end

tests["has_cidr_source"] = function()
  assert(exposure.has_cidr_source(fake.rule({ cidrs = { "10.0.0.0/8" } })))
  assert(exposure.has_cidr_source(fake.rule({ ipv6 = { "::/0" } })))
  assert(exposure.has_cidr_source(fake.rule({ prefix_lists = { "pl-1" } })))
  assert(not exposure.has_cidr_source(fake.rule({ groups = { "sg-1" } })))
  assert(not exposure.has_cidr_source({ IpProtocol = "-1" }))
end

return tests
