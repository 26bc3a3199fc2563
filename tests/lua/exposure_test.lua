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


tests["trusted: what untrusted leaves out, groups included"] = function()
  local cache, ctx = setup({ fake.sg({ id = "sg-1", rules = {
    fake.rule({ from = 6379, cidrs = { "10.0.0.0/16", "0.0.0.0/0", "203.0.113.0/24" },
                ipv6 = { "fd00::/8", "::/0" }, groups = { "sg-clients" } }),
  } }) })
  eq(cidrs_of(exposure.trusted(cache, ctx)), "10.0.0.0/16 fd00::/8 sg:sg-clients")
  eq(cidrs_of(exposure.trusted(cache, ctx, { "203.0.113.0/24" })),
     "10.0.0.0/16 203.0.113.0/24 fd00::/8 sg:sg-clients")
  eq(cidrs_of(exposure.untrusted(cache, ctx, { "203.0.113.0/24" })), "0.0.0.0/0 ::/0",
     "the two filters of one list stay apart")
end

tests["other_caches: who else uses a group, from the raw collections"] = function()
  local function cluster(id, group_id, sgs)
    local list = {}
    for i, sg in ipairs(sgs) do list[i] = { SecurityGroupId = sg, Status = "active" } end
    return { CacheClusterId = id, ReplicationGroupId = group_id, SecurityGroups = list }
  end
  local inv = fake.inventory({
    security_groups = { fake.sg({ id = "sg-shared" }), fake.sg({ id = "sg-own" }) },
    cache_clusters = {
      cluster("rg-app-001", "rg-app", { "sg-shared", "sg-own" }),
      cluster("rg-app-002", "rg-app", { "sg-shared", "sg-own" }),
      cluster("cc-other", nil, { "sg-shared" }),
      { CacheClusterId = "cc-classic" },
    },
    serverless_caches = { { ServerlessCacheName = "sc-other", SecurityGroupIds = { "sg-shared" } } },
  })
  local ctx = fake.ctx(inv)
  local rg = fake.cache({ kind = "replication_group", id = "rg-app",
                          security_group_ids = { "sg-shared", "sg-own" } }, inv)
  eq(table.concat(exposure.other_caches(rg, ctx, "sg-shared"), ","),
     "cache_cluster cc-other,serverless_cache sc-other")
  eq(#exposure.other_caches(rg, ctx, "sg-own"), 0, "its own members are the group itself")
  eq(#exposure.other_caches(rg, ctx, "sg-unused"), 0)
  local incomplete = fake.inventory({ incomplete = { serverless_caches = "throttled" } })
  local ok, err = pcall(exposure.other_caches, rg, fake.ctx(incomplete), "sg-shared")
  assert(not ok and fake.is_abort(err), tostring(err))
end

tests["permission_of: the exact rule entry of one source"] = function()
  local sg = fake.readonly(fake.sg({ id = "sg-1", rules = {
    fake.rule({ from = 6379, cidrs = { "10.0.0.0/16" } }),
    { IpProtocol = "tcp", FromPort = 6000, ToPort = 6999,
      IpRanges = { { CidrIp = "0.0.0.0/0", Description = "ops" }, { CidrIp = "10.0.0.0/8" } } },
    { IpProtocol = "-1", Ipv6Ranges = { { CidrIpv6 = "::/0" } },
      PrefixListIds = { { PrefixListId = "pl-1", Description = "office" } },
      UserIdGroupPairs = { { GroupId = "sg-app", UserId = "123456789012" } } },
  } }))
  local revoke, restore = exposure.permission_of(sg, {
    group_id = "sg-1", protocol = "tcp", from_port = 6000, to_port = 6999, source_type = "cidr",
    cidr = "0.0.0.0/0" })
  eq(revoke.IpProtocol, "tcp") eq(revoke.FromPort, 6000) eq(revoke.ToPort, 6999)
  eq(#revoke.IpRanges, 1) eq(revoke.IpRanges[1].CidrIp, "0.0.0.0/0")
  eq(revoke.IpRanges[1].Description, nil, "a revoke does not need the description")
  eq(restore.IpRanges[1].Description, "ops", "the backout puts it back")
  local all = { group_id = "sg-1", protocol = "-1", from_port = 0, to_port = 65535 }
  all.source_type, all.cidr = "cidr", "::/0"
  revoke = exposure.permission_of(sg, all)
  eq(revoke.Ipv6Ranges[1].CidrIpv6, "::/0") eq(revoke.FromPort, nil, "-1 has no ports")
  all.cidr, all.prefix_list_id = "203.0.113.0/24", "pl-1"
  revoke, restore = exposure.permission_of(sg, all)
  eq(revoke.PrefixListIds[1].PrefixListId, "pl-1") eq(restore.PrefixListIds[1].Description, "office")
  all.cidr, all.prefix_list_id, all.source_type, all.group = nil, nil, "security_group", "sg-app"
  eq(exposure.permission_of(sg, all).UserIdGroupPairs[1].GroupId, "sg-app")
  eq(exposure.permission_of(sg, { protocol = "tcp", from_port = 6379, to_port = 6380,
                                  source_type = "cidr", cidr = "10.0.0.0/16" }), nil,
     "another port range is another rule")
end

local function manual_text(step) return step.instructions end

tests["replacement: a group of the cache's own, by hand, with an API backout"] = function()
  local inv = fake.inventory({ security_groups = {
    fake.sg({ id = "sg-open" }), fake.sg({ id = "sg-keep" }) } })
  local ctx = fake.ctx(inv)
  local rg = fake.cache({ kind = "replication_group", id = "rg-app",
                          security_group_ids = { "sg-keep", "sg-open" } }, inv)
  local carried = {
    { source_type = "cidr", cidr = "10.0.0.0/16", port = 6379, from_port = 6379, to_port = 6379 },
    { source_type = "cidr", cidr = "fd00::/8", port = 6379, from_port = 6379, to_port = 6379 },
    { source_type = "security_group", group = "sg-app", port = 6379 },
    { source_type = "cidr", cidr = "10.0.0.0/16", port = 6379 },
    { source_type = "cidr", cidr = "10.1.0.0/16", from_port = 0, to_port = 65535 },
  }
  local steps = exposure.replacement(rg, ctx, { "sg-open" }, carried)
  eq(#steps, 2)
  local create = manual_text(steps[1])
  assert(create:find("--group-name rg-app-dedicated", 1, true), create)
  assert(create:find("--vpc-id vpc-1", 1, true), create)
  assert(create:find("'IpProtocol=tcp,FromPort=6379,ToPort=6379,IpRanges=[{CidrIp=10.0.0.0/16}],"
    .. "Ipv6Ranges=[{CidrIpv6=fd00::/8}],UserIdGroupPairs=[{GroupId=sg-app}]' "
    .. "'IpProtocol=tcp,FromPort=0,ToPort=65535,IpRanges=[{CidrIp=10.1.0.0/16}]'", 1, true), create)
  assert(steps[1].backout.instructions:find("delete-security-group", 1, true))
  local give = manual_text(steps[2])
  assert(give:find("modify-replication-group --replication-group-id rg-app --security-group-ids "
    .. "<new-sg-id> sg-keep --apply-immediately", 1, true), give)
  assert(give:find("wait replication-group-available", 1, true), give)
  local back = steps[2].backout
  eq(back.action, "ModifyReplicationGroup") eq(back.params.ReplicationGroupId, "rg-app")
  eq(table.concat(back.params.SecurityGroupIds, " "), "sg-keep sg-open") eq(back.params.ApplyImmediately, true)
  eq(back.wait.waiter, "ReplicationGroupAvailable")

  local sc = fake.cache({ kind = "serverless_cache", id = "sc-app", security_group_ids = { "sg-open" },
                          vpc_id = fake.missing("subnets not collected") }, inv)
  steps = exposure.replacement(sc, ctx, { "sg-open" }, {})
  assert(manual_text(steps[1]):find("--vpc-id <vpc-id>", 1, true), "VPC not known")
  assert(manual_text(steps[1]):find("No trusted source is admitted today", 1, true))
  give = manual_text(steps[2])
  assert(give:find("modify-serverless-cache --serverless-cache-name sc-app --security-group-ids "
    .. "<new-sg-id> --region eu-west-1", 1, true), give)
  assert(give:find("one field per call", 1, true), give)
  eq(steps[2].backout.action, "ModifyServerlessCache") eq(steps[2].backout.params.ApplyImmediately, nil)
  eq(steps[2].backout.wait, nil)
  local cc = fake.cache({ kind = "cache_cluster", id = "cc-app", security_group_ids = { "sg-open" } }, inv)
  eq(exposure.replacement(cc, ctx, { "sg-open" }, {})[2].backout.action, "ModifyCacheCluster")
end

return tests
