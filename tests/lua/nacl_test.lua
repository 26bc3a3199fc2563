local fake = require "fake"
local nacl = require "nacl"
local check = require "check"
local eq = check.eq

-- entry{ 100, "allow", "0.0.0.0/0", protocol = "-1" | "6", ports = { from, to },
--        egress = false }: a raw NetworkAclEntry as the AWS CLI prints it.
local function entry(spec)
  local e = {
    RuleNumber = spec[1], RuleAction = spec[2], Protocol = spec.protocol or "6",
    Egress = spec.egress or false,
  }
  local text = spec[3]
  if text:find(":", 1, true) then e.Ipv6CidrBlock = text else e.CidrBlock = text end
  if spec.ports then e.PortRange = { From = spec.ports[1], To = spec.ports[2] } end
  return e
end

-- The two "*" entries AWS lists in every ACL.
local function with_defaults(entries)
  entries[#entries + 1] = entry({ 32767, "deny", "0.0.0.0/0", protocol = "-1" })
  entries[#entries + 1] = entry({ 32768, "deny", "::/0", protocol = "-1" })
  return entries
end

local function acl(id, entries, opts)
  opts = opts or {}
  local associations = {}
  for i, subnet_id in ipairs(opts.subnets or {}) do
    associations[i] = { NetworkAclAssociationId = "aclassoc-" .. subnet_id,
                        NetworkAclId = id, SubnetId = subnet_id }
  end
  return { NetworkAclId = id, VpcId = opts.vpc or "vpc-1", IsDefault = opts.default or false,
           Associations = associations, Entries = with_defaults(entries or {}) }
end

local function view(t) return fake.readonly(t) end

local PUBLIC = nacl.public_space()

local function first(hits) return hits[1] end

local tests = {}

tests["public_space: everything but the private ranges and the trusted"] = function()
  local space = nacl.public_space()
  eq(space, nacl.public_space({}), "one table for one list")
  eq(#space, 31 + 7)
  eq(tostring(space[1]), "0.0.0.0/5") eq(tostring(space[#space]), "fe00::/7")
  local trusted = nacl.public_space({ "203.0.113.0/24" })
  eq(#trusted, #space - 1 + (24 - 5), "203.0.113.0/24 splits its block, 200.0.0.0/5")
  check.raises("trusted_cidrs[1]: invalid CIDR", nacl.public_space, { "office" })
end

tests["public_space: only the families of the cache's network type"] = function()
  local v4, v6 = nacl.public_space(nil, "ipv4"), nacl.public_space(nil, "ipv6")
  eq(#v4, 31) eq(#v6, 7)
  eq(tostring(v4[#v4]), "224.0.0.0/3") eq(tostring(v6[1]), "::/1")
  eq(v4, nacl.public_space({}, "ipv4"), "one table for one list and type")
  eq(#nacl.public_space(nil, "dual_stack"), 38, "dual stack: both")
end

tests["admitted: the default ACL lets everything in"] = function()
  local default = view(acl("acl-1", {
    entry({ 100, "allow", "0.0.0.0/0", protocol = "-1" }),
    entry({ 101, "allow", "::/0", protocol = "-1" }),
  }))
  local hits = nacl.admitted(default, 6379, PUBLIC)
  eq(#hits, 2)
  eq(hits[1].network_acl_id, "acl-1") eq(hits[1].rule_number, 100) eq(hits[1].protocol, "-1")
  eq(hits[1].from_port, 0) eq(hits[1].to_port, 65535) eq(hits[1].port, 6379)
  eq(hits[1].cidr, "0.0.0.0/0") eq(hits[1].admitted, "0.0.0.0/5") eq(hits[1].admitted_blocks, 31)
  eq(hits[1].family, 4) eq(hits[1].rule_action, "allow")
  eq(hits[2].rule_number, 101) eq(hits[2].admitted, "::/1") eq(hits[2].family, 6)
end

tests["admitted: nothing but the default deny"] = function()
  eq(#nacl.admitted(view(acl("acl-1", {})), 6379, PUBLIC), 0)
end

tests["admitted: private and trusted sources are not public"] = function()
  local private = view(acl("acl-1", {
    entry({ 100, "allow", "10.0.0.0/8", ports = { 6379, 6379 } }),
    entry({ 110, "allow", "172.16.0.0/12", protocol = "-1" }),
    entry({ 120, "allow", "fd00::/8", ports = { 0, 65535 } }),
    entry({ 130, "allow", "203.0.113.0/24", ports = { 6379, 6379 } }),
  }))
  eq(#nacl.admitted(private, 6379, PUBLIC), 1, "the /24 is public")
  eq(#nacl.admitted(private, 6379, nacl.public_space({ "203.0.113.0/24" })), 0, "trusted")
  eq(#nacl.admitted(private, 6379, nacl.public_space({ "203.0.113.0/25", "203.0.113.128/25" })), 0,
     "trusted in two halves")
  local hit = first(nacl.admitted(private, 6379, nacl.public_space({ "203.0.113.0/25" })))
  eq(hit.admitted, "203.0.113.128/25", "exactly the half not trusted")
end

tests["admitted: denies before an allow are subtracted exactly"] = function()
  local entries = {
    entry({ 90, "deny", "0.0.0.0/1", protocol = "-1" }),
    entry({ 95, "deny", "128.0.0.0/1", ports = { 6379, 6380 } }),
    entry({ 100, "allow", "0.0.0.0/0", ports = { 1024, 65535 } }),
  }
  local closed = view(acl("acl-1", entries))
  eq(#nacl.admitted(closed, 6379, PUBLIC), 0, "both halves denied first")
  local hit = first(nacl.admitted(closed, 6381, PUBLIC))
  eq(hit.rule_number, 100) eq(hit.admitted, "128.0.0.0/3", "only the upper half reaches 100")
  eq(hit.from_port, 1024) eq(hit.to_port, 65535)
  -- A deny that leaves one public address open.
  local leaky = view(acl("acl-2", {
    entry({ 10, "deny", "0.0.0.0/1", protocol = "-1" }),
    entry({ 20, "deny", "128.0.0.0/2", protocol = "-1" }),
    entry({ 30, "deny", "192.0.0.0/3", protocol = "-1" }),
    entry({ 40, "deny", "224.0.0.0/4", protocol = "-1" }),
    entry({ 50, "deny", "240.0.0.0/5", protocol = "-1" }),
    entry({ 60, "deny", "248.0.0.0/6", protocol = "-1" }),
    entry({ 70, "deny", "252.0.0.0/7", protocol = "-1" }),
    entry({ 80, "deny", "254.0.0.0/8", protocol = "-1" }),
    entry({ 90, "deny", "255.0.0.0/9", protocol = "-1" }),
    entry({ 100, "allow", "0.0.0.0/0", protocol = "-1" }),
  }))
  hit = first(nacl.admitted(leaky, 6379, PUBLIC))
  eq(hit.admitted, "255.128.0.0/9") eq(hit.admitted_blocks, 1)
end

tests["admitted: first match wins, also against later denies"] = function()
  local late_deny = view(acl("acl-1", {
    entry({ 100, "allow", "0.0.0.0/0", ports = { 6379, 6379 } }),
    entry({ 200, "deny", "0.0.0.0/0", protocol = "-1" }),
  }))
  eq(first(nacl.admitted(late_deny, 6379, PUBLIC)).rule_number, 100)
  -- Entries are read in RuleNumber order, not list order.
  local unordered = view(acl("acl-2", {
    entry({ 200, "allow", "0.0.0.0/0", protocol = "-1" }),
    entry({ 100, "deny", "0.0.0.0/0", ports = { 6379, 6379 } }),
  }))
  eq(#nacl.admitted(unordered, 6379, PUBLIC), 0)
  eq(first(nacl.admitted(unordered, 6380, PUBLIC)).rule_number, 200)
end

tests["admitted: a private allow before a public one does not hide it"] = function()
  local layered = view(acl("acl-1", {
    entry({ 100, "allow", "10.0.0.0/8", protocol = "-1" }),
    entry({ 200, "allow", "0.0.0.0/0", ports = { 6379, 6379 } }),
    entry({ 300, "allow", "198.51.100.0/24", ports = { 6379, 6379 } }),
  }))
  local hits = nacl.admitted(layered, 6379, PUBLIC)
  eq(#hits, 1, "300 is reached by nothing 200 left") eq(hits[1].rule_number, 200)
end

tests["admitted: only protocols that carry TCP, only their ports"] = function()
  local mixed = view(acl("acl-1", {
    entry({ 100, "allow", "0.0.0.0/0", protocol = "17", ports = { 6379, 6379 } }),
    entry({ 110, "allow", "0.0.0.0/0", protocol = "1" }),
    entry({ 120, "allow", "::/0", protocol = "58" }),
    entry({ 130, "allow", "0.0.0.0/0", ports = { 8000, 8999 } }),
  }))
  eq(#nacl.admitted(mixed, 6379, PUBLIC), 0)
  eq(#nacl.admitted(mixed, 8000, PUBLIC), 1)
  eq(#nacl.admitted(mixed, 8999, PUBLIC), 1)
  eq(#nacl.admitted(mixed, 9000, PUBLIC), 0)
end

tests["admitted: egress entries are ignored"] = function()
  local outbound = view(acl("acl-1", {
    entry({ 100, "allow", "0.0.0.0/0", protocol = "-1", egress = true }),
  }))
  eq(#nacl.admitted(outbound, 6379, PUBLIC), 0)
end

tests["admitted: sources given by the caller, either family, overlapping"] = function()
  local open = view(acl("acl-1", {
    entry({ 100, "allow", "0.0.0.0/0", protocol = "-1" }),
    entry({ 101, "allow", "::/0", protocol = "-1" }),
  }))
  local sources = { "198.51.100.0/24", "198.51.100.128/25", "2001:db8::/32" }
  local hits = nacl.admitted(open, 6379, sources)
  eq(#hits, 2) eq(hits[1].admitted, "198.51.100.0/24") eq(hits[1].admitted_blocks, 1)
  eq(hits[2].admitted, "2001:db8::/32")
  eq(#nacl.admitted(open, 6379, {}), 0, "no sources")
  hits[1].rule_number = 0
  eq(nacl.admitted(open, 6379, sources)[1].rule_number, 100, "hits are copies")
end

tests["admitted: remembered per ACL with ctx.key"] = function()
  local raw = acl("acl-1", { entry({ 100, "allow", "0.0.0.0/0", protocol = "-1" }) })
  -- Two distinct views of one record, each counting its reads of Entries;
  -- ctx.key maps both to the record, as the engine's does.
  local reads = 0
  local function counting_view()
    return setmetatable({}, { __index = function(_, k)
      if k == "Entries" then reads = reads + 1 end
      return raw[k]
    end })
  end
  local a, b = counting_view(), counting_view()
  local ctx = { key = function(t) return (t == a or t == b) and raw or t end }
  eq(#nacl.admitted(a, 6379, PUBLIC, ctx), 1)
  eq(reads, 1, "Entries reads after the first call")
  -- The record changes behind the views: only a memo still sees the allow.
  raw.Entries = with_defaults({})
  eq(#nacl.admitted(b, 6379, PUBLIC, ctx), 1, "hits of the other view, one key: the memo's")
  eq(#nacl.admitted(b, 6380, PUBLIC, ctx), 1, "another port: the entries are remembered")
  eq(#nacl.ingress(b, ctx), 3, "ingress shares the memo")
  eq(reads, 1, "Entries reads after the calls through the other view")
  eq(#nacl.admitted(b, 6379, PUBLIC), 0, "without ctx the view is its own key")
  eq(reads, 2, "Entries reads once the view is its own key")
end

tests["admitted: without ctx the memos do not keep the acl table alive"] = function()
  -- The sandbox has no collectgarbage: make garbage until the collector
  -- has had time to run several cycles.
  local alive = setmetatable({}, { __mode = "k" })
  do
    local a = acl("acl-1", { entry({ 100, "allow", "0.0.0.0/0", protocol = "-1" }) })
    alive[a] = true
    eq(#nacl.admitted(a, 6379, PUBLIC), 1)
    eq(#nacl.ingress(a), 3)
  end
  for i = 1, 200 do
    if next(alive) == nil then return end
    for _ = 1, 1000 do local _ = { i } end
  end
  error("a view passed without ctx is still held after 200000 tables of garbage")
end

tests["admitted: malformed entries raise"] = function()
  local function bad(e, fragment)
    local broken = view(acl("acl-x", { e }))
    check.raises(fragment, nacl.admitted, broken, 6379, PUBLIC)
  end
  bad(entry({ 100, "allow", "0.0.0.0/0" }), "acl-x entry 100: protocol 6 without a PortRange")
  bad(entry({ 100, "permit", "0.0.0.0/0", protocol = "-1" }), "RuleAction is not allow or deny")
  bad(entry({ 100, "allow", "0.0.0.0/33", protocol = "-1" }), 'invalid CIDR "0.0.0.0/33"')
  bad(entry({ 100, "allow", "0.0.0.0/0", ports = { 7000, 6000 } }), "From is above")
  bad(entry({ 100, "allow", "0.0.0.0/0", ports = { 0, 70000 } }), "PortRange.To is not a port")
  bad({ RuleNumber = 100, RuleAction = "allow", Protocol = "-1", Egress = false },
      "neither CidrBlock nor Ipv6CidrBlock")
  bad({ RuleNumber = 100, RuleAction = "allow", Protocol = "-1", CidrBlock = "0.0.0.0/0" },
      "Egress is not a boolean")
  bad({ RuleNumber = "x", RuleAction = "allow", Protocol = "-1", CidrBlock = "0.0.0.0/0",
        Egress = false }, "RuleNumber is not an integer")
  local ok = view(acl("acl-y", {}))
  check.raises("port must be an integer 0-65535, got 70000", nacl.admitted, ok, 70000, PUBLIC)
  check.raises("sources must be a list of CIDRs", nacl.admitted, ok, 6379, "0.0.0.0/0")
  check.raises("sources[1]: invalid CIDR", nacl.admitted, ok, 6379, { "x" })
  check.raises("expected a network ACL", nacl.admitted, nil, 6379, PUBLIC)
end

tests["ingress: every inbound entry in rule order"] = function()
  local a = view(acl("acl-1", {
    entry({ 200, "allow", "0.0.0.0/0", protocol = "17", ports = { 53, 53 } }),
    entry({ 100, "allow", "10.0.0.0/8", ports = { 6379, 6380 } }),
    entry({ 100, "allow", "0.0.0.0/0", protocol = "-1", egress = true }),
  }))
  local list = nacl.ingress(a)
  eq(#list, 4)
  eq(list[1].rule_number, 100) eq(list[1].from_port, 6379) eq(list[1].to_port, 6380)
  eq(list[1].tcp, true) eq(list[1].family, 4)
  eq(list[2].rule_number, 200) eq(list[2].tcp, false) eq(list[2].from_port, nil)
  eq(list[3].rule_number, 32767) eq(list[4].rule_number, 32768) eq(list[4].family, 6)
end

tests["port_ranges: cut where TCP entries start and end"] = function()
  local a = view(acl("acl-1", {
    entry({ 100, "allow", "10.0.0.0/8", ports = { 6379, 6380 } }),
    entry({ 110, "allow", "0.0.0.0/0", protocol = "17", ports = { 53, 53 } }),
    entry({ 120, "allow", "0.0.0.0/0", ports = { 0, 1023 } }),
    entry({ 130, "allow", "0.0.0.0/0", ports = { 65000, 65535 } }),
  }))
  local ranges = nacl.port_ranges(a)
  local text = {}
  for i, r in ipairs(ranges) do text[i] = r.from .. "-" .. r.to end
  eq(table.concat(text, " "), "0-1023 1024-6378 6379-6380 6381-64999 65000-65535")
  eq(#nacl.port_ranges(view(acl("acl-2", {}))), 1, "the all-traffic defaults cut nothing")
end

-- A network where subnet-a is named by acl-a, subnet-b by no one (its
-- VPC's default acl-default), and subnet-c sits in vpc-2 with no default.
local function network(extra)
  local acls = {
    acl("acl-a", {}, { subnets = { "subnet-a" } }),
    acl("acl-default", {}, { default = true, subnets = { "subnet-d" } }),
  }
  for _, a in ipairs(extra or {}) do acls[#acls + 1] = a end
  return fake.inventory({
    network_acls = acls,
    subnets = { fake.subnet({ id = "subnet-a" }), fake.subnet({ id = "subnet-b" }),
                fake.subnet({ id = "subnet-c", vpc = "vpc-2" }) },
  })
end

local function aborts(fragment, fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok and fake.is_abort(err), "expected an unknown abort, got " .. tostring(err))
  if not err.reason:find(fragment, 1, true) then
    error(("abort %q lacks %q"):format(err.reason, fragment), 2)
  end
end

tests["for_subnet: named, else the VPC's default"] = function()
  local ctx = fake.ctx(network())
  local a, how = nacl.for_subnet("subnet-a", ctx, "vpc-1")
  eq(a.NetworkAclId, "acl-a") eq(how, "associated")
  a, how = nacl.for_subnet("subnet-d", ctx)
  eq(a.NetworkAclId, "acl-default") eq(how, "associated", "the default ACL names it")
  a, how = nacl.for_subnet("subnet-b", ctx)
  eq(a.NetworkAclId, "acl-default") eq(how, "default", "VPC found from the subnet")
  a, how = nacl.for_subnet("subnet-x", ctx, "vpc-1")
  eq(how, "default", "the cache's VPC, without looking the subnet up")
  aborts("VPC vpc-2 has no default network ACL", nacl.for_subnet, "subnet-c", ctx)
  aborts("subnet subnet-z is not among the collected subnets", nacl.for_subnet, "subnet-z", ctx)
  check.raises("subnet_id must be a string", nacl.for_subnet, nil, ctx)
end

tests["for_subnet: claimed twice is unknown"] = function()
  local ctx = fake.ctx(network({
    acl("acl-b", {}, { subnets = { "subnet-a" } }),
    acl("acl-default2", {}, { default = true, vpc = "vpc-1" }),
  }))
  aborts("subnet subnet-a is claimed by both network ACLs acl-a and acl-b", nacl.for_subnet,
         "subnet-a", ctx, "vpc-1")
  aborts("the default network ACL of vpc-1 is claimed by both", nacl.for_subnet, "subnet-b", ctx,
         "vpc-1")
end

tests["for_subnet: incomplete collections abort"] = function()
  local inv = fake.inventory({ incomplete = { network_acls = "describe-network-acls.json is absent" } })
  aborts("network_acls were not collected", nacl.for_subnet, "subnet-a", fake.ctx(inv), "vpc-1")
  inv = fake.inventory({ network_acls = { acl("acl-d", {}, { default = true }) },
                         incomplete = { subnets = "access_denied" } })
  aborts("subnets were not collected", nacl.for_subnet, "subnet-a", fake.ctx(inv))
end

return tests
