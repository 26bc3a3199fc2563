-- Fakes of what the engine gives a policy: read-only inventory tables with
-- missing markers, an inventory of raw collections, a ctx, and run(), which
-- calls a check the way the engine does (docs/policy-api.md,
-- docs/inventory-model.md). Only the documented behaviour is faked:
--
-- * reading a missing field aborts the check as unknown, and once a check
--   has touched missing data a pass it returns becomes unknown (pcall in
--   the check does not help); fail and not_applicable stand;
-- * assigning to an inventory table raises;
-- * ctx.get/list/route_table_for_subnet/prefix_list_cidrs abort when their
--   collection is incomplete.
--
-- Raw records are built with the AWS CLI member names, so tests read like
-- the JSON the engine loads.

local error, getmetatable, ipairs, next, pairs, pcall = error, getmetatable, ipairs, next, pairs, pcall
local select, setmetatable, tostring, type = select, setmetatable, tostring, type
local string_format = string.format

local M = {}

---------------------------------------------------------------------------
-- Missing markers and the abort they cause

local MISSING = {}
MISSING.__tostring = function(marker) return "<missing: " .. marker.reason .. ">" end

-- missing(reason) -> a marker to put where a value could not be known.
function M.missing(reason)
  return setmetatable({ reason = reason or "the data was not collected" }, MISSING)
end

local function is_missing(value)
  return getmetatable(value) == MISSING
end
M.is_missing = is_missing

-- Stands for nil in overrides, to remove a default field.
M.NIL = setmetatable({}, { __tostring = function() return "<nil>" end })

local ABORT = {}
ABORT.__tostring = function(abort) return "unknown: " .. abort.reason end

-- The reason of the first missing read of the current run, if any.
local touched = nil

local function abort(reason)
  touched = touched or reason
  error(setmetatable({ reason = reason }, ABORT), 0)
end

function M.is_abort(err)
  return getmetatable(err) == ABORT
end

---------------------------------------------------------------------------
-- Read-only proxies

local raw_of = setmetatable({}, { __mode = "k" })
local proxy_of = setmetatable({}, { __mode = "k" })
local PROXY = {}

local function wrap(value)
  if type(value) ~= "table" or is_missing(value) or raw_of[value] then return value end
  local proxy = proxy_of[value]
  if proxy == nil then
    proxy = setmetatable({}, PROXY)
    raw_of[proxy] = value
    proxy_of[value] = proxy
  end
  return proxy
end

local function read(value)
  if is_missing(value) then abort(value.reason) end
  return wrap(value)
end

PROXY.__index = function(proxy, key)
  return read(raw_of[proxy][key])
end
PROXY.__newindex = function(_, key)
  error("attempt to modify a read-only inventory table (field " .. tostring(key) .. ")", 2)
end
PROXY.__len = function(proxy)
  return #raw_of[proxy]
end
PROXY.__pairs = function(proxy)
  local raw = raw_of[proxy]
  local function step(_, key)
    local next_key, value = next(raw, key)
    if next_key == nil then return nil end
    return next_key, read(value)
  end
  return step, proxy, nil
end
PROXY.__metatable = "read-only inventory table"

-- readonly(t) -> a read-only view of t (deeply); missing markers in it
-- abort when read.
M.readonly = wrap

-- The raw table behind a proxy, for assertions in tests only.
function M.raw(t)
  return raw_of[t] or t
end

---------------------------------------------------------------------------
-- Raw record builders (AWS CLI member names)

local function list_of(items, build)
  local out = {}
  for i, item in ipairs(items or {}) do out[i] = build(item) end
  return out
end

-- rule{ protocol = "tcp", from = 6379, to = 6379, cidrs = {..}, ipv6 = {..},
--       prefix_lists = {..}, groups = {..} } -> an IpPermission
function M.rule(spec)
  return {
    IpProtocol = spec.protocol or "tcp",
    FromPort = spec.from,
    ToPort = spec.to or spec.from,
    IpRanges = list_of(spec.cidrs, function(c) return { CidrIp = c } end),
    Ipv6Ranges = list_of(spec.ipv6, function(c) return { CidrIpv6 = c } end),
    PrefixListIds = list_of(spec.prefix_lists, function(id) return { PrefixListId = id } end),
    UserIdGroupPairs = list_of(spec.groups, function(id)
      return { GroupId = id, UserId = "123456789012" }
    end),
  }
end

-- sg{ id = "sg-1", name = "app", vpc = "vpc-1", rules = { rule{..} } }
function M.sg(spec)
  return {
    GroupId = spec.id, GroupName = spec.name or spec.id, VpcId = spec.vpc or "vpc-1",
    OwnerId = "123456789012", Description = spec.name or spec.id,
    IpPermissions = spec.rules or {}, IpPermissionsEgress = {},
  }
end

-- route{ "0.0.0.0/0", "igw-1" }, route{ ipv6 = "::/0", gateway = "eigw-1" },
-- route{ "0.0.0.0/0", nat = "nat-1" }, state = "blackhole"
local function route(spec)
  local out = {
    DestinationCidrBlock = spec.ipv6 == nil and (spec[1] or spec.destination) or nil,
    DestinationIpv6CidrBlock = spec.ipv6,
    GatewayId = spec[2] or spec.gateway,
    NatGatewayId = spec.nat,
    State = spec.state or "active",
    Origin = "CreateRoute",
  }
  return out
end

-- route_table{ id = "rtb-1", vpc = "vpc-1", main = true,
--              subnets = { "subnet-a" }, routes = { {..} } }
function M.route_table(spec)
  local associations = {}
  if spec.main then
    associations[#associations + 1] = {
      Main = true, RouteTableId = spec.id,
      RouteTableAssociationId = "rtbassoc-main-" .. spec.id,
    }
  end
  for _, subnet_id in ipairs(spec.subnets or {}) do
    associations[#associations + 1] = {
      Main = false, RouteTableId = spec.id, SubnetId = subnet_id,
      RouteTableAssociationId = "rtbassoc-" .. subnet_id,
    }
  end
  local routes = { { DestinationCidrBlock = "10.0.0.0/16", GatewayId = "local",
                     State = "active", Origin = "CreateRouteTable" } }
  for _, spec_route in ipairs(spec.routes or {}) do routes[#routes + 1] = route(spec_route) end
  return { RouteTableId = spec.id, VpcId = spec.vpc or "vpc-1",
           Associations = associations, Routes = routes }
end

function M.subnet(spec)
  return { SubnetId = spec.id, VpcId = spec.vpc or "vpc-1",
           CidrBlock = spec.cidr or "10.0.1.0/24", AvailabilityZone = "eu-west-1a" }
end

---------------------------------------------------------------------------
-- Inventory

local ID_MEMBER = {
  cache_clusters = "CacheClusterId", replication_groups = "ReplicationGroupId",
  serverless_caches = "ServerlessCacheName", cache_subnet_groups = "CacheSubnetGroupName",
  users = "UserId", user_groups = "UserGroupId", snapshots = "SnapshotName",
  security_groups = "GroupId", vpcs = "VpcId", subnets = "SubnetId",
  route_tables = "RouteTableId", network_acls = "NetworkAclId",
  managed_prefix_lists = "PrefixListId", prefix_list_entries = "PrefixListId",
}

-- inventory{ region = "eu-west-1", security_groups = { sg{..} }, ...,
--            prefix_lists = { ["pl-1"] = { "203.0.113.0/24" } },
--            incomplete = { route_tables = "describe-route-tables.json is absent" } }
-- Collections not given are complete and empty.
function M.inventory(spec)
  local inv = { region = spec.region or "eu-west-1", items = {}, by_id = {},
                incomplete = spec.incomplete or {} }
  for collection, id_member in pairs(ID_MEMBER) do
    local items = spec[collection] or {}
    local index = {}
    for _, item in ipairs(items) do index[item[id_member]] = item end
    inv.items[collection], inv.by_id[collection] = items, index
  end
  for id, cidrs in pairs(spec.prefix_lists or {}) do
    local entry = { PrefixListId = id, Entries = list_of(cidrs, function(c) return { Cidr = c } end) }
    local entries = inv.items.prefix_list_entries
    entries[#entries + 1] = entry
    inv.by_id.prefix_list_entries[id] = entry
  end
  -- Route-table joins are indexed once, as the engine's are.
  inv.explicit_table, inv.main_table = {}, {}
  for _, route_table in ipairs(inv.items.route_tables) do
    for _, association in ipairs(route_table.Associations or {}) do
      if association.SubnetId then inv.explicit_table[association.SubnetId] = route_table end
      if association.Main then inv.main_table[route_table.VpcId] = route_table end
    end
  end
  return inv
end

local function incomplete_reason(inv, collection)
  if ID_MEMBER[collection] == nil then error("fake: unknown collection " .. tostring(collection), 3) end
  local why = inv.incomplete[collection]
  if why == nil then return nil end
  return string_format("%s were not collected in %s: %s", collection, inv.region, why)
end

local function require_complete(inv, collection)
  local why = incomplete_reason(inv, collection)
  if why then abort(why) end
end

-- The raw records for ids, or a missing marker (as the caches view joins).
local function join(inv, collection, ids)
  if inv == nil then return {} end
  local why = incomplete_reason(inv, collection)
  if why then return M.missing(why) end
  local records = {}
  for i, id in ipairs(ids) do
    local record = inv.by_id[collection][id]
    if record == nil then return M.missing(string_format("%s has no %s", collection, id)) end
    records[i] = record
  end
  return records
end

---------------------------------------------------------------------------
-- Caches

local function defaults(kind)
  local cache = {
    kind = kind, region = "eu-west-1", engine = "redis", engine_version = "7.1.0",
    status = "available", ports = { 6379 }, in_vpc = true,
    subnet_group_name = "app-cache", vpc_id = "vpc-1", subnet_ids = { "subnet-a" },
    security_group_ids = { "sg-app" },
    transit_encryption = { enabled = true, mode = "required" },
    at_rest_encryption = { enabled = true, kms_key_id = nil },
    auth = { token_enabled = false, user_group_ids = { "ug-app" } },
    backup_retention = 1, raw = {},
  }
  if kind == "replication_group" then
    cache.id, cache.members = "rg-app", {}
  elseif kind == "cache_cluster" then
    cache.id = "cc-app"
    cache.auth.user_group_ids = {}
    cache.auth.token_enabled = true
  elseif kind == "serverless_cache" then
    cache.id, cache.engine, cache.engine_version = "sc-app", "valkey", "8"
    cache.ports = { 6379, 6380 }
    cache.subnet_group_name = nil
    cache.auth.token_enabled = false
  else
    error("fake: unknown cache kind " .. tostring(kind), 3)
  end
  cache.arn = "arn:aws:elasticache:eu-west-1:123456789012:" .. kind .. ":" .. cache.id
  return cache
end

-- cache(overrides, inventory) -> a read-only cache record. overrides may
-- set any field (fake.NIL removes one, fake.missing(...) marks it
-- missing); security_groups and subnets are joined from inventory unless
-- given.
function M.cache(overrides, inv)
  overrides = overrides or {}
  local cache = defaults(overrides.kind or "replication_group")
  for key, value in pairs(overrides) do
    if value == M.NIL then cache[key] = nil else cache[key] = value end
  end
  if overrides.security_groups == nil and not is_missing(cache.security_group_ids) then
    cache.security_groups = join(inv, "security_groups", cache.security_group_ids)
  end
  if overrides.subnets == nil and not is_missing(cache.subnet_ids) then
    cache.subnets = join(inv, "subnets", cache.subnet_ids)
  end
  return wrap(cache)
end

---------------------------------------------------------------------------
-- ctx

-- ctx(inventory, { policy = declaration, params = { .. }, region = .. })
function M.ctx(inv, opts)
  inv = inv or M.inventory({})
  opts = opts or {}
  local policy = opts.policy or {}
  local params = {}
  for name, default in pairs(policy.params or {}) do params[name] = default end
  for name, value in pairs(opts.params or {}) do params[name] = value end

  local ctx = {
    params = wrap(params),
    control = wrap({ id = policy.id, title = policy.title, severity = policy.severity }),
    region = opts.region or inv.region,
    account = opts.account,
    now = opts.now or 1767225600,
  }

  function ctx.get(collection, id)
    require_complete(inv, collection)
    return wrap(inv.by_id[collection][id])
  end

  function ctx.list(collection)
    require_complete(inv, collection)
    return wrap(inv.items[collection])
  end

  function ctx.route_table_for_subnet(subnet_id, vpc_id)
    require_complete(inv, "route_tables")
    local explicit = inv.explicit_table[subnet_id]
    if explicit then return wrap(explicit), "explicit" end
    if vpc_id == nil then
      require_complete(inv, "subnets")
      local subnet = inv.by_id.subnets[subnet_id]
      if subnet == nil then abort("subnets has no " .. tostring(subnet_id)) end
      vpc_id = subnet.VpcId
    end
    local main = inv.main_table[vpc_id]
    if main == nil then
      abort(string_format("no route table governs subnet %s (VPC %s has no main route table)",
                          tostring(subnet_id), tostring(vpc_id)))
    end
    return wrap(main), "main"
  end

  function ctx.prefix_list_cidrs(prefix_list_id)
    require_complete(inv, "prefix_list_entries")
    local item = inv.by_id.prefix_list_entries[prefix_list_id]
    if item == nil then
      abort("the entries of prefix list " .. tostring(prefix_list_id) .. " were not collected")
    end
    return wrap(list_of(item.Entries, function(entry) return entry.Cidr end))
  end

  function ctx.available(t, field)
    local raw = raw_of[t] or t
    return type(raw) == "table" and not is_missing(raw[field])
  end

  function ctx.unknown(reason)
    abort(reason)
  end

  -- As the engine's: the record behind a view, stable as a table key.
  function ctx.key(t)
    return raw_of[t] or t
  end

  return ctx
end

---------------------------------------------------------------------------
-- Running a check as the engine does

local STATUSES = { pass = true, fail = true, not_applicable = true, unknown = true }

local function as_result(...)
  local first = ...
  if type(first) == "table" then
    if select("#", ...) > 1 then return nil, "a result table followed by more values" end
    return { status = first.status, reason = first.reason, evidence = first.evidence }
  end
  local status, reason, evidence = ...
  return { status = status, reason = reason, evidence = evidence }
end

local function check_result(res)
  if not STATUSES[res.status] then
    return "status " .. tostring(res.status) .. " is not a result status"
  end
  if res.reason ~= nil and type(res.reason) ~= "string" then return "reason is not a string" end
  if res.evidence ~= nil and type(res.evidence) ~= "table" then return "evidence is not a table" end
  return nil
end

local function finish(ok, ...)
  local first_touch = touched
  touched = nil
  if not ok then
    local err = ...
    if M.is_abort(err) then return { status = "unknown", reason = err.reason } end
    return { status = "error", reason = tostring(err) }
  end
  local res, why = as_result(...)
  why = why or check_result(res)
  if why then return { status = "error", reason = "not a result: " .. why } end
  if res.status == "pass" and first_touch then
    return { status = "unknown", reason = first_touch }
  end
  return res
end

-- run(policy, cache, ctx) -> { status, reason, evidence }, with "error"
-- for a check that raised or returned something that is not a result.
function M.run(policy, resource, ctx)
  touched = nil
  return finish(pcall(policy.check, resource, ctx))
end

return M
