-- The nine founding policies against docs/founding-controls.md, run on
-- fake caches the way the engine runs them (fake.run).
local fake = require "fake"
local check = require "check"
local eq = check.eq

-- luacheck: globals load_policy
-- The real runner provides load_policy(path); the dev runner's loadfile
-- loads a policy into a sandbox of its own.
local loaded = {}
local function policy(id)
  if loaded[id] == nil then
    local path = "policies/" .. id .. ".lua"
    if load_policy then
      loaded[id] = load_policy(path)
    else
      local chunk = assert(loadfile(path))
      loaded[id] = chunk()
    end
  end
  return loaded[id]
end

-- run(id, cache_overrides, inventory_spec, ctx_opts) -> result
local function run(id, overrides, inventory_spec, ctx_opts)
  local inv = fake.inventory(inventory_spec or {})
  local decl = policy(id)
  ctx_opts = ctx_opts or {}
  ctx_opts.policy = decl
  return fake.run(decl, fake.cache(overrides, inv), fake.ctx(inv, ctx_opts))
end

local function expect(res, status, what)
  if res.status ~= status then
    error(("%s: got %s (%s), want %s"):format(what or "status", tostring(res.status),
                                               tostring(res.reason), status), 2)
  end
  if status ~= "pass" and (type(res.reason) ~= "string" or res.reason == "") then
    error((what or "status") .. ": a " .. status .. " without a reason", 2)
  end
  return res
end

local IDS = { "EC-NET-01", "EC-NET-02", "EC-NET-03", "EC-NET-04", "EC-NET-05",
              "EC-ENC-01", "EC-ENC-03", "EC-ENC-04", "EC-IAM-03" }

-- Security Hub's where it has the control, else Prowler's, else the
-- research's proposal (shared research, controls.md section 1).
local SEVERITY = {
  ["EC-NET-01"] = "medium", ["EC-NET-02"] = "high", ["EC-NET-03"] = "medium",
  ["EC-NET-04"] = "high", ["EC-NET-05"] = "medium", ["EC-ENC-01"] = "medium",
  ["EC-ENC-03"] = "medium", ["EC-ENC-04"] = "high", ["EC-IAM-03"] = "high",
}

local FIELDS = { id = "string", title = "string", severity = "string", resource = "string",
                 check = "function", params = "table", refs = "table", rationale = "string",
                 remediation = "string", needs = "table", remediate = "function" }
local REQUIRED = { "id", "title", "severity", "resource", "check" }
local REF_KEYS = { cis_db = true, fsbp = true, config = true, prowler = true, docs = true }
local COLLECTIONS = {
  cache_clusters = true, replication_groups = true, serverless_caches = true,
  cache_subnet_groups = true, users = true, user_groups = true, snapshots = true,
  security_groups = true, vpcs = true, subnets = true, route_tables = true,
  network_acls = true, managed_prefix_lists = true, prefix_list_entries = true,
}

local function check_declaration(id, decl)
  for field, value in pairs(decl) do
    local want = FIELDS[field]
    assert(want, id .. ": unknown field " .. tostring(field))
    eq(type(value), want, id .. "." .. field .. " type")
  end
  for _, field in ipairs(REQUIRED) do assert(decl[field] ~= nil, id .. ": no " .. field) end
  eq(decl.id, id, "id matches the file name")
  eq(decl.severity, SEVERITY[id], id .. " severity")
  eq(decl.resource, "cache", id .. " resource")
  assert(decl.rationale and decl.remediation and decl.refs and decl.needs, id .. ": incomplete")
  for _, collection in ipairs(decl.needs) do
    assert(COLLECTIONS[collection], id .. ": needs an unknown collection " .. collection)
  end
  for key, value in pairs(decl.refs) do
    assert(REF_KEYS[key], id .. ": unknown ref " .. key)
    if type(value) == "table" then
      for _, item in ipairs(value) do eq(type(item), "string", id .. ".refs." .. key) end
    else
      eq(type(value), "string", id .. ".refs." .. key)
    end
  end
  for key in pairs(REF_KEYS) do assert(decl.refs[key], id .. ": refs." .. key .. " (say none)") end
end

-- Text that must appear in a remediation, in this order.
local function mentions_in_order(text, ...)
  local at = 1
  for i = 1, select("#", ...) do
    local fragment = select(i, ...)
    local found = text:find(fragment, at, true)
    if not found then error(("remediation lacks %q (after position %d)"):format(fragment, at), 2) end
    at = found + #fragment
  end
end

local tests = {}

tests["declarations are valid"] = function()
  for _, id in ipairs(IDS) do check_declaration(id, policy(id)) end
  local params = policy("EC-NET-04").params
  eq(type(params.trusted_cidrs), "table") eq(#params.trusted_cidrs, 0)
end

tests["remediations say what really works"] = function()
  local enc01 = policy("EC-ENC-01").remediation
  mentions_in_order(enc01, "cannot be turned on for an existing cache", "create-snapshot",
                    "create-replication-group", "--at-rest-encryption-enabled",
                    "Keep the old cache until the new one is verified", "delete-replication-group")
  local enc03 = policy("EC-ENC-03").remediation
  mentions_in_order(enc03, "Valkey 7.2+ or Redis OSS 7.0+", "modify-replication-group",
                    "--transit-encryption-enabled --transit-encryption-mode preferred",
                    "--transit-encryption-mode required", "standalone cluster", "Memcached",
                    "no in-place change")
  assert(not enc03:find("modify-cache-cluster --", 1, true), "no TLS on modify-cache-cluster")
  mentions_in_order(policy("EC-ENC-04").remediation, "--transit-encryption-mode required")
  mentions_in_order(policy("EC-IAM-03").remediation, "--auth-token-update-strategy ROTATE",
                    "--auth-token-update-strategy SET")
  mentions_in_order(policy("EC-IAM-03").remediation, "--user-group-ids-to-add")
  for _, id in ipairs({ "EC-NET-04", "EC-NET-05" }) do
    local text = policy(id).remediation
    mentions_in_order(text, "replaces the whole list", "modify-cache-cluster",
                      "modify-replication-group", "one field per call", "modify-serverless-cache")
    mentions_in_order(text, "revoke-security-group-ingress")
  end
  for _, id in ipairs({ "EC-NET-01", "EC-NET-02", "EC-NET-03" }) do
    assert(policy(id).remediation:find("cannot", 1, true), id .. " says what cannot change")
    assert(not policy(id).remediation:find("--cache-subnet-group-name <name> --apply", 1, true))
  end
end

tests["EC-NET-01"] = function()
  local id = "EC-NET-01"
  expect(run(id, { kind = "serverless_cache" }), "pass")
  expect(run(id, {}), "pass")
  local res = expect(run(id, { kind = "cache_cluster", in_vpc = false, subnet_group_name = fake.NIL,
                               raw = { CacheSecurityGroups = { { CacheSecurityGroupName = "legacy",
                                                                  Status = "active" } } } }), "fail")
  eq(res.evidence.in_vpc, false) eq(res.evidence.CacheSecurityGroups[1], "legacy")
  res = expect(run(id, { in_vpc = false, members = fake.missing("cache_clusters partial") }), "fail",
               "a group outside a VPC fails even when its members are missing")
  eq(#res.evidence.CacheSecurityGroups, 0)
  expect(run(id, { in_vpc = fake.missing("a member is missing") }), "unknown")
end

tests["EC-NET-02"] = function()
  local id = "EC-NET-02"
  expect(run(id, { kind = "serverless_cache" }), "not_applicable")
  expect(run(id, { in_vpc = false, subnet_group_name = fake.NIL }), "not_applicable")
  local res = expect(run(id, { subnet_group_name = "default" }), "fail")
  eq(res.evidence.subnet_group_name, "default")
  expect(run(id, { subnet_group_name = "app-cache" }), "pass")
  expect(run(id, { subnet_group_name = "Default" }), "pass", "only the group named default")
  expect(run(id, { subnet_group_name = fake.missing("members missing") }), "unknown")
end

local function routed_network(extra_tables)
  local tables = {
    fake.route_table({ id = "rtb-main", vpc = "vpc-1", main = true }),
    fake.route_table({ id = "rtb-pub", vpc = "vpc-1", subnets = { "subnet-pub" },
                       routes = { { "0.0.0.0/0", "igw-1" } } }),
    fake.route_table({ id = "rtb-v6", vpc = "vpc-1", subnets = { "subnet-v6" },
                       routes = { { ipv6 = "::/0", gateway = "igw-1" } } }),
    fake.route_table({ id = "rtb-eigw", vpc = "vpc-1", subnets = { "subnet-eigw" },
                       routes = { { ipv6 = "::/0", gateway = "eigw-1" }, { "0.0.0.0/0", nat = "nat-1" } } }),
    fake.route_table({ id = "rtb-dead", vpc = "vpc-1", subnets = { "subnet-dead" },
                       routes = { { "0.0.0.0/0", "igw-1", state = "blackhole" } } }),
  }
  for _, t in ipairs(extra_tables or {}) do tables[#tables + 1] = t end
  local subnets = {}
  for i, id in ipairs({ "subnet-a", "subnet-b", "subnet-pub", "subnet-v6", "subnet-eigw", "subnet-dead" }) do
    subnets[i] = fake.subnet({ id = id })
  end
  return { route_tables = tables, subnets = subnets }
end

tests["EC-NET-03"] = function()
  local id = "EC-NET-03"
  expect(run(id, { in_vpc = false }), "not_applicable")
  expect(run(id, { subnet_ids = {} }), "unknown", "no subnet ids")
  expect(run(id, { subnet_ids = { "subnet-a", "subnet-b" } }, routed_network()), "pass",
         "main table without an igw route")
  expect(run(id, { subnet_ids = { "subnet-eigw", "subnet-dead" } }, routed_network()), "pass",
         "egress-only, NAT and blackhole routes do not make a subnet public")
  local res = expect(run(id, { subnet_ids = { "subnet-a", "subnet-pub", "subnet-v6" } },
                         routed_network()), "fail")
  eq(#res.evidence, 2)
  local first = res.evidence[1]
  eq(first.subnet_id, "subnet-pub") eq(first.route_table_id, "rtb-pub")
  eq(first.association, "explicit") eq(first.destination, "0.0.0.0/0") eq(first.gateway_id, "igw-1")
  eq(res.evidence[2].destination, "::/0")
  local public_main = { fake.route_table({ id = "rtb-main2", vpc = "vpc-2", main = true,
                                           routes = { { "0.0.0.0/0", "igw-2" } } }) }
  res = expect(run(id, { vpc_id = "vpc-2", subnet_ids = { "subnet-x" } }, routed_network(public_main)),
               "fail", "the main table of the cache's own VPC")
  eq(res.evidence[1].association, "main") eq(res.evidence[1].route_table_id, "rtb-main2")
  expect(run(id, { subnet_ids = { "subnet-a" } }, { incomplete = { route_tables = "throttled" } }),
         "unknown")
  expect(run(id, { kind = "serverless_cache", subnet_ids = { "subnet-pub" } }, routed_network()),
         "fail", "serverless caches are checked too")
  expect(run(id, { vpc_id = fake.missing("subnet group missing"), subnet_ids = { "subnet-a" } },
             routed_network()), "pass", "without vpc_id each subnet's own VPC is used")
end

-- A cache behind `rules` in one group sg-cache: the arguments of run()
-- after the id (so it must be run's last argument).
local function behind(rules, cache_overrides, extra, ctx_opts)
  local spec = extra or {}
  spec.security_groups = { fake.sg({ id = "sg-cache", name = "cache", rules = rules }) }
  local overrides = cache_overrides or {}
  overrides.security_group_ids = overrides.security_group_ids or { "sg-cache" }
  return overrides, spec, ctx_opts
end

tests["EC-NET-04: open sources fail with their evidence"] = function()
  local id = "EC-NET-04"
  local res = expect(run(id, behind({ fake.rule({ from = 6379, cidrs = { "0.0.0.0/0" } }) })), "fail")
  eq(#res.evidence, 1)
  local e = res.evidence[1]
  eq(e.group_id, "sg-cache") eq(e.protocol, "tcp") eq(e.from_port, 6379) eq(e.to_port, 6379)
  eq(e.port, 6379) eq(e.cidr, "0.0.0.0/0") eq(e.prefix_list_id, nil)
  local keys = 0
  for _ in pairs(e) do keys = keys + 1 end
  eq(keys, 6, "only the contract's fields")
  res = expect(run(id, behind({ fake.rule({ protocol = "-1", ipv6 = { "::/0" } }) })), "fail")
  eq(res.evidence[1].cidr, "::/0") eq(res.evidence[1].protocol, "-1")
  res = expect(run(id, behind({ fake.rule({ from = 6379, prefix_lists = { "pl-1" } }) }, nil,
                             { prefix_lists = { ["pl-1"] = { "10.0.0.0/8", "198.51.100.0/24" } } })),
               "fail")
  eq(#res.evidence, 1) eq(res.evidence[1].prefix_list_id, "pl-1")
  eq(res.evidence[1].cidr, "198.51.100.0/24")
  expect(run(id, behind({ fake.rule({ from = 6379, cidrs = { "10.0.0.0/7" } }) })), "fail",
         "partly private is not trusted")
  expect(run(id, behind({ fake.rule({ from = 6380, cidrs = { "0.0.0.0/0" } }) },
                        { kind = "serverless_cache" })), "fail", "the serverless reader port")
end

tests["EC-NET-04: trusted sources pass"] = function()
  local id = "EC-NET-04"
  expect(run(id, behind({ fake.rule({ from = 6379, cidrs = { "10.0.0.0/16" }, ipv6 = { "fd00::/8" },
                                      groups = { "sg-clients" } }) })), "pass")
  expect(run(id, behind({ fake.rule({ from = 6379, cidrs = { "203.0.113.0/24" } }) })), "fail")
  expect(run(id, behind({ fake.rule({ from = 6379, cidrs = { "203.0.113.0/24" } }) }, nil, nil,
                        { params = { trusted_cidrs = { "203.0.113.0/24" } } })), "pass", "trusted_cidrs")
  expect(run(id, behind({ fake.rule({ from = 22, cidrs = { "0.0.0.0/0" } }),
                         fake.rule({ protocol = "udp", from = 6379, cidrs = { "0.0.0.0/0" } }) })),
         "pass", "other ports and udp do not reach the cache")
  expect(run(id, behind({ fake.rule({ from = 6379, cidrs = { "0.0.0.0/0" } }) },
                        { ports = { 11211 }, engine = "memcached" })), "pass", "the real port counts")
end

tests["EC-NET-04: the other outcomes"] = function()
  local id = "EC-NET-04"
  expect(run(id, { in_vpc = false }), "not_applicable")
  expect(run(id, { security_group_ids = {} }), "unknown", "no security group ids")
  expect(run(id, {}, { incomplete = { security_groups = "access_denied" } }), "unknown")
  local res = run(id, behind({ fake.rule({ from = 6379, cidrs = { "0.0.0.0/0" } }) }, nil, nil,
                             { params = { trusted_cidrs = { "office" } } }))
  eq(res.status, "error", "a bad trusted_cidrs entry")
  assert(res.reason:find('"office"', 1, true), res.reason)
end

tests["EC-NET-04: ports missing"] = function()
  local id = "EC-NET-04"
  local missing = fake.missing("describe-cache-clusters ran without --show-cache-node-info")
  local res = expect(run(id, behind({ fake.rule({ protocol = "-1", cidrs = { "0.0.0.0/0" } }) },
                                    { ports = missing })), "fail", "an all-ports rule still fails")
  eq(res.evidence[1].port, nil)
  expect(run(id, behind({ fake.rule({ from = 0, to = 65535, cidrs = { "0.0.0.0/0" } }) },
                        { ports = missing })), "fail", "0..65535 is all ports")
  res = expect(run(id, behind({ fake.rule({ from = 6379, cidrs = { "0.0.0.0/0" } }) },
                              { ports = missing })), "unknown", "a narrower rule may miss the port")
  eq(#res.evidence, 1)
  expect(run(id, behind({ fake.rule({ from = 6379, cidrs = { "10.0.0.0/8" } }) }, { ports = missing })),
         "pass", "no untrusted source at all passes")
end

tests["EC-NET-05"] = function()
  local id = "EC-NET-05"
  expect(run(id, { in_vpc = false }), "not_applicable")
  expect(run(id, behind({ fake.rule({ from = 6379, cidrs = { "0.0.0.0/0" } }) })), "pass",
         "an open tcp rule is EC-NET-04's business")
  expect(run(id, behind({ fake.rule({ protocol = "-1", groups = { "sg-clients" } }) })), "pass",
         "all traffic from a referenced group only")
  local res = expect(run(id, behind({ fake.rule({ protocol = "-1", cidrs = { "10.0.0.0/8" } }) })),
                     "fail", "all traffic from any CIDR")
  eq(res.evidence[1].group_id, "sg-cache") eq(res.evidence[1].group_name, "cache")
  assert(res.evidence[1].why:find("IpProtocol -1", 1, true), res.evidence[1].why)
  expect(run(id, behind({ fake.rule({ protocol = "-1", prefix_lists = { "pl-1" } }) })), "fail")
  expect(run(id, behind({ fake.rule({ protocol = "-1", ipv6 = { "fd00::/8" } }) })), "fail")
  local default_sg = { security_groups = { fake.sg({ id = "sg-def", name = "default", rules = {
    fake.rule({ protocol = "-1", groups = { "sg-def" } }) } }) } }
  res = expect(run(id, { security_group_ids = { "sg-def" } }, default_sg), "fail", "the default group")
  eq(res.evidence[1].group_name, "default")
  assert(res.evidence[1].why:find("default security group", 1, true), res.evidence[1].why)
  expect(run(id, {}, { incomplete = { security_groups = "missing" } }), "unknown")
end

tests["EC-ENC-01"] = function()
  local id = "EC-ENC-01"
  expect(run(id, { kind = "serverless_cache" }), "pass")
  expect(run(id, { kind = "serverless_cache", engine = "memcached" }), "pass",
         "serverless Memcached is encrypted")
  expect(run(id, { kind = "cache_cluster", engine = "memcached" }), "not_applicable")
  expect(run(id, { at_rest_encryption = { enabled = true, kms_key_id = "arn:aws:kms:k" } }), "pass")
  local res = expect(run(id, { at_rest_encryption = { enabled = false } }), "fail")
  eq(res.evidence.AtRestEncryptionEnabled, false)
  expect(run(id, { kind = "cache_cluster", at_rest_encryption = { enabled = false } }), "fail")
  expect(run(id, { at_rest_encryption = { enabled = fake.missing("not reported") } }), "unknown")
end

tests["EC-ENC-03"] = function()
  local id = "EC-ENC-03"
  expect(run(id, { kind = "serverless_cache", transit_encryption = { enabled = true } }), "pass")
  expect(run(id, {}), "pass")
  expect(run(id, { transit_encryption = { enabled = true, mode = "preferred" } }), "pass",
         "preferred is EC-ENC-04's business")
  local res = expect(run(id, { transit_encryption = { enabled = false } }), "fail")
  eq(res.evidence.TransitEncryptionEnabled, false)
  expect(run(id, { kind = "cache_cluster", engine = "memcached", transit_encryption = { enabled = false } }),
         "fail", "Memcached too")
  expect(run(id, { transit_encryption = { enabled = fake.missing("not reported") } }), "unknown")
end

tests["EC-ENC-04"] = function()
  local id = "EC-ENC-04"
  expect(run(id, { kind = "serverless_cache" }), "pass")
  expect(run(id, { transit_encryption = { enabled = false } }), "fail")
  expect(run(id, { transit_encryption = { enabled = true, mode = "required" } }), "pass")
  local res = expect(run(id, { transit_encryption = { enabled = true, mode = "preferred" } }), "fail")
  eq(res.evidence.TransitEncryptionMode, "preferred")
  expect(run(id, { kind = "cache_cluster", engine = "memcached", transit_encryption = { enabled = true } }),
         "pass", "Memcached has no preferred mode")
  expect(run(id, { transit_encryption = { enabled = true } }), "unknown", "no mode on Redis")
  expect(run(id, { transit_encryption = { enabled = true, mode = "sometimes" } }), "unknown")
  expect(run(id, { transit_encryption = { enabled = fake.missing("x") } }), "unknown")
end

tests["EC-IAM-03"] = function()
  local id = "EC-IAM-03"
  expect(run(id, { kind = "cache_cluster", engine = "memcached" }), "not_applicable")
  expect(run(id, { kind = "serverless_cache", engine = "memcached" }), "not_applicable")
  expect(run(id, { auth = { token_enabled = false, user_group_ids = { "ug-1" } } }), "pass")
  expect(run(id, { auth = { token_enabled = true, user_group_ids = {} } }), "pass")
  local res = expect(run(id, { auth = { token_enabled = false, user_group_ids = {} } }), "fail")
  eq(res.evidence.AuthTokenEnabled, false)
  assert(res.reason:find("default user", 1, true), res.reason)
  expect(run(id, { kind = "serverless_cache", auth = { token_enabled = false, user_group_ids = {} } }),
         "fail", "serverless without a user group")
  expect(run(id, { auth = { token_enabled = fake.missing("x"), user_group_ids = { "ug-1" } } }), "pass",
         "RBAC decides without touching the token")
  expect(run(id, { auth = { token_enabled = fake.missing("x"), user_group_ids = {} } }), "unknown")
end

return tests
