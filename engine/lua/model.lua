-- The inventory model: indexes over the raw collections, the caches view,
-- and the context that policies query.  Engine code: it runs with the full
-- base library, builds ordinary tables, and hands policies read-only
-- views of them (ecp.wrap).  The field contract is docs/inventory-model.md.

local ecp = ...
local ipairs, pairs, type, tostring = ipairs, pairs, type, tostring
local sort, concat = table.sort, table.concat
local lower = string.lower

local M = {}

local status_words = {
  access_denied = "access was denied",
  throttled = "the API kept throttling",
  timeout = "the API timed out",
  malformed = "the reply was malformed",
  error = "the call failed",
}

local labels = {
  vpcs = "VPCs",
  network_acls = "network ACLs",
}

local function label(name)
  return labels[name] or name:gsub("_", " ")
end

-- Why a collection that is not ok cannot be relied on.
local function why_not(region, c)
  local base
  if c.status == "missing" then
    base = ("%s were not collected in %s"):format(label(c.name), region)
  elseif c.status == "partial" then
    base = ("%s in %s are incomplete"):format(label(c.name), region)
  else
    base = ("%s could not be collected in %s: %s"):format(
      label(c.name), region, status_words[c.status] or c.status)
  end
  if c.message then base = base .. " (" .. c.message .. ")" end
  return base
end

local function missing(reason) return ecp.missing(reason) end

-- Collections per region, each with an index by id when it is usable.
local function index_region(region, colls, catalog)
  local out = {}
  for _, info in ipairs(catalog) do
    local c = colls[info.name] or { status = "missing" }
    c.name = info.name
    if c.status == "missing" and not c.message then
      c.message = info.cli_name .. ".json is absent"
    end
    local by_id = {}
    for _, item in ipairs(c.items or {}) do
      local id = item[info.id_member]
      if by_id[id] then
        error(("%s: %s: duplicate %s '%s'"):format(
          c.source or region, info.cli_name, info.id_member, tostring(id)), 0)
      end
      by_id[id] = item
    end
    c.by_id = by_id
    c.ok = c.status == "ok"
    out[info.name] = c
  end
  return out
end

-- Route tables: explicit subnet associations and each VPC's main table.
local function route_indexes(rts)
  local by_subnet, main_by_vpc = {}, {}
  for _, rt in ipairs(rts.items or {}) do
    for _, a in ipairs(rt.Associations or {}) do
      if a.SubnetId then by_subnet[a.SubnetId] = rt end
      if a.Main and rt.VpcId then main_by_vpc[rt.VpcId] = rt end
    end
  end
  return by_subnet, main_by_vpc
end

-- Join ids to records of a collection: the list, or a missing marker.
local function join(region, c, ids, what, owner)
  if not c.ok and not c.items then return missing(why_not(region, c)) end
  local out = {}
  for i, id in ipairs(ids) do
    local rec = c.by_id[id]
    if not rec then
      local why = ("%s %s (used by %s) is not among the collected %s"):format(
        what, id, owner, label(c.name))
      if not c.ok then why = why .. "; " .. why_not(region, c) end
      return missing(why)
    end
    out[i] = rec
  end
  return out
end

local function add_port(set, ep)
  if type(ep) == "table" and type(ep.Port) == "number" then
    set[ep.Port] = true
  end
end

local function port_list(set, owner)
  local ports = {}
  for p in pairs(set) do ports[#ports + 1] = p end
  if #ports == 0 then
    return missing(("%s reports no endpoint port (for clusters, save "
      .. "describe-cache-clusters with --show-cache-node-info)"):format(owner))
  end
  sort(ports)
  return ports
end

local function cluster_ports(set, c)
  add_port(set, c.ConfigurationEndpoint)
  for _, node in ipairs(c.CacheNodes or {}) do add_port(set, node.Endpoint) end
end

local function reported(value, owner, member)
  if value == nil then
    return missing(("%s does not report %s"):format(owner, member))
  end
  return value
end

-- Tags as a map, from the bulk tags of the region (GetResources).
local function tags_of(region, idx, arn)
  local c = idx.tags
  if not c.ok then return missing(why_not(region, c)) end
  local out = {}
  local rec = arn and c.by_id[arn]
  for _, t in ipairs(rec and rec.Tags or {}) do
    if t.Key then out[t.Key] = t.Value or "" end
  end
  return out
end

local function group_ids(sgs)
  local ids = {}
  for _, m in ipairs(sgs or {}) do ids[#ids + 1] = m.SecurityGroupId end
  return ids
end

-- Subnet group, VPC and subnets of a node-based cache.
local function place(v, region, idx, group_name)
  if not group_name or group_name == "" then
    v.in_vpc = false
    v.subnet_ids, v.security_group_ids, v.security_groups = {}, {}, {}
    return
  end
  v.in_vpc = true
  v.subnet_group_name = group_name
  local sgroups = idx.cache_subnet_groups
  local joined = join(region, sgroups, { group_name }, "cache subnet group",
                      v.kind .. " " .. v.id)
  if ecp.is_missing(joined) then
    v.subnet_group, v.vpc_id, v.subnet_ids, v.subnets =
      joined, joined, joined, joined
    return
  end
  local g = joined[1]
  v.subnet_group = g
  v.vpc_id = g.VpcId
  local ids = {}
  for _, s in ipairs(g.Subnets or {}) do ids[#ids + 1] = s.SubnetIdentifier end
  v.subnet_ids = ids
  v.subnets = join(region, idx.subnets, ids, "subnet", "cache subnet group "
                   .. group_name)
end

local function security(v, region, idx, ids)
  v.security_group_ids = ids
  v.security_groups = join(region, idx.security_groups, ids, "security group",
                           v.kind .. " " .. v.id)
end

local function encryption_and_auth(v, rec, owner, user_groups)
  v.transit_encryption = {
    enabled = reported(rec.TransitEncryptionEnabled, owner,
                       "TransitEncryptionEnabled"),
    mode = rec.TransitEncryptionMode,
  }
  v.at_rest_encryption = {
    enabled = reported(rec.AtRestEncryptionEnabled, owner,
                       "AtRestEncryptionEnabled"),
    kms_key_id = rec.KmsKeyId,
  }
  v.auth = {
    token_enabled = reported(rec.AuthTokenEnabled, owner, "AuthTokenEnabled"),
    token_last_modified = rec.AuthTokenLastModifiedDate,
    user_group_ids = user_groups or {},
  }
  v.backup_retention = rec.SnapshotRetentionLimit
end

-- Settings every node-based cache reports the same way.
local function operations(v, rec)
  v.network_type = rec.NetworkType
  v.auto_minor_version_upgrade = rec.AutoMinorVersionUpgrade
  v.log_delivery = rec.LogDeliveryConfigurations or {}
end

local function cluster_view(c, region, idx)
  local v = {
    kind = "cache_cluster", id = c.CacheClusterId, arn = c.ARN,
    region = region, engine = lower(c.Engine or ""),
    engine_version = c.EngineVersion, status = c.CacheClusterStatus, raw = c,
  }
  local owner = "cache cluster " .. v.id
  local set = {}
  cluster_ports(set, c)
  v.ports = port_list(set, owner)
  place(v, region, idx, c.CacheSubnetGroupName)
  if v.in_vpc then security(v, region, idx, group_ids(c.SecurityGroups)) end
  encryption_and_auth(v, c, owner, {})
  operations(v, c)
  v.tags = tags_of(region, idx, v.arn)
  return v
end

local function group_view(g, region, idx)
  local v = {
    kind = "replication_group", id = g.ReplicationGroupId, arn = g.ARN,
    region = region, status = g.Status, raw = g,
  }
  local owner = "replication group " .. v.id
  local set = {}
  add_port(set, g.ConfigurationEndpoint)
  for _, ng in ipairs(g.NodeGroups or {}) do
    add_port(set, ng.PrimaryEndpoint)
    add_port(set, ng.ReaderEndpoint)
    for _, m in ipairs(ng.NodeGroupMembers or {}) do add_port(set, m.ReadEndpoint) end
  end

  local members
  if #(g.MemberClusters or {}) == 0 then
    members = missing(owner .. " lists no member clusters")
  else
    members = join(region, idx.cache_clusters, g.MemberClusters,
                   "member cluster", owner)
  end
  v.members = members
  if ecp.is_missing(members) then
    v.engine = lower(g.Engine or "redis")
    v.engine_version = members
    v.in_vpc, v.subnet_group_name, v.subnet_group = members, members, members
    v.vpc_id, v.subnet_ids, v.subnets = members, members, members
    v.security_group_ids, v.security_groups = members, members
  else
    local first = members[1]
    -- Memcached has no replication groups, so an engine the record does
    -- not state is Redis OSS.
    v.engine = lower(g.Engine or first.Engine or "redis")
    v.engine_version = first.EngineVersion
    local ids, seen, outside = {}, {}, false
    for _, m in ipairs(members) do
      cluster_ports(set, m)
      if not m.CacheSubnetGroupName or m.CacheSubnetGroupName == "" then
        outside = true
      end
      for _, id in ipairs(group_ids(m.SecurityGroups)) do
        if not seen[id] then seen[id] = true; ids[#ids + 1] = id end
      end
    end
    place(v, region, idx, not outside and first.CacheSubnetGroupName or nil)
    if v.in_vpc then security(v, region, idx, ids) end
  end
  v.ports = port_list(set, owner)
  encryption_and_auth(v, g, owner, g.UserGroupIds)
  operations(v, g)
  if v.auto_minor_version_upgrade == nil and not ecp.is_missing(members) then
    v.auto_minor_version_upgrade = members[1].AutoMinorVersionUpgrade
  end
  if v.network_type == nil and not ecp.is_missing(members) then
    v.network_type = members[1].NetworkType
  end
  v.automatic_failover = g.AutomaticFailover
  v.multi_az = g.MultiAZ
  v.tags = tags_of(region, idx, v.arn)
  return v
end

local function serverless_view(s, region, idx)
  local v = {
    kind = "serverless_cache", id = s.ServerlessCacheName, arn = s.ARN,
    region = region, engine = lower(s.Engine or ""),
    engine_version = s.FullEngineVersion or s.MajorEngineVersion,
    status = s.Status, raw = s, in_vpc = true,
  }
  local set = {}
  add_port(set, s.Endpoint)
  add_port(set, s.ReaderEndpoint)
  v.ports = port_list(set, "serverless cache " .. v.id)
  v.subnet_ids = s.SubnetIds or {}
  v.subnets = join(region, idx.subnets, v.subnet_ids, "subnet",
                   "serverless cache " .. v.id)
  if ecp.is_missing(v.subnets) then
    v.vpc_id = v.subnets
  elseif v.subnets[1] then
    v.vpc_id = v.subnets[1].VpcId
  end
  security(v, region, idx, s.SecurityGroupIds or {})
  v.transit_encryption = { enabled = true, mode = "required" }
  v.at_rest_encryption = { enabled = true, kms_key_id = s.KmsKeyId }
  v.auth = { token_enabled = false, user_group_ids = { s.UserGroupId } }
  v.backup_retention = s.SnapshotRetentionLimit
  v.network_type = s.NetworkType
  v.log_delivery = {}
  v.tags = tags_of(region, idx, v.arn)
  return v
end

local function by_id(a, b)
  if a.id == b.id then return a.kind < b.kind end
  return a.id < b.id
end

local cache_sources = { "cache_clusters", "replication_groups",
                        "serverless_caches" }

local function build_caches(model)
  local caches, gaps = {}, {}
  for _, region in ipairs(model.regions) do
    local idx = model.colls[region]
    local here = {}
    for _, c in ipairs(idx.cache_clusters.items or {}) do
      if not c.ReplicationGroupId then here[#here + 1] = cluster_view(c, region, idx) end
    end
    for _, g in ipairs(idx.replication_groups.items or {}) do
      here[#here + 1] = group_view(g, region, idx)
    end
    for _, s in ipairs(idx.serverless_caches.items or {}) do
      here[#here + 1] = serverless_view(s, region, idx)
    end
    sort(here, by_id)
    for _, v in ipairs(here) do caches[#caches + 1] = v end
    local why = {}
    for _, name in ipairs(cache_sources) do
      if not idx[name].ok then why[#why + 1] = why_not(region, idx[name]) end
    end
    if #why > 0 then
      gaps[#gaps + 1] = { region = region, reason = concat(why, "; ") }
    end
  end
  return caches, gaps
end

local function singular(name)
  if name == "prefix_list_entries" then return "prefix_list_entries" end
  return (name:gsub("s$", ""))
end

-- Resources of a raw collection, for policies with resource = <collection>.
local function collection_resources(model, name, id_member)
  local list, gaps = {}, {}
  for _, region in ipairs(model.regions) do
    local c = model.colls[region][name]
    local here = {}
    for _, item in ipairs(c.items or {}) do
      local arn = item.ARN or item.SecurityGroupArn or item.SubnetArn
      here[#here + 1] = { kind = singular(name), id = item[id_member],
                          arn = arn, region = region, item = item }
    end
    sort(here, by_id)
    for _, r in ipairs(here) do list[#list + 1] = r end
    if not c.ok then gaps[#gaps + 1] = { region = region, reason = why_not(region, c) } end
  end
  return list, gaps
end

function M.build(raw)
  local model = { regions = raw.regions, colls = {}, routes = {},
                  account_id = raw.account and raw.account.Account,
                  catalog = raw.catalog, id_member = {}, resources_cache = {} }
  for _, info in ipairs(raw.catalog) do model.id_member[info.name] = info.id_member end
  for _, region in ipairs(raw.regions) do
    local idx = index_region(region, raw.collections[region] or {}, raw.catalog)
    model.colls[region] = idx
    local by_subnet, main_by_vpc = route_indexes(idx.route_tables)
    model.routes[region] = { by_subnet = by_subnet, main_by_vpc = main_by_vpc }
  end
  model.caches, model.cache_gaps = build_caches(model)
  return setmetatable(model, { __index = M })
end

-- What a policy with this resource iterates over, and the regions where
-- it cannot see everything.
function M:resources(name)
  if name == "cache" then return self.caches, self.cache_gaps end
  local cached = self.resources_cache[name]
  if not cached then
    cached = { collection_resources(self, name, self.id_member[name]) }
    self.resources_cache[name] = cached
  end
  return cached[1], cached[2]
end

function M:counts()
  local out = { caches = #self.caches, by_kind = {} }
  for _, c in ipairs(self.caches) do
    out.by_kind[c.kind] = (out.by_kind[c.kind] or 0) + 1
  end
  return out
end

-- The context of one policy (docs/policy-api.md, "The context").  The
-- runner sets ctx.region before each check.
function M:context(control, params, now)
  local model = self
  local ctx = { params = params, control = control, account = self.account_id,
                now = now, available = ecp.available, unknown = ecp.unknown,
                key = ecp.key }

  local function usable(name)
    local colls = model.colls[ctx.region]
    local c = colls and colls[name]
    if not c then
      error(("no collection named '%s'"):format(tostring(name)), 3)
    end
    if not c.ok then ecp.unknown(why_not(ctx.region, c)) end
    return c
  end

  function ctx.get(name, id)
    return ecp.wrap(usable(name).by_id[id])
  end

  function ctx.list(name)
    return ecp.wrap(usable(name).items)
  end

  function ctx.route_table_for_subnet(subnet_id, vpc_id)
    usable("route_tables")
    local routes = model.routes[ctx.region]
    local rt = routes.by_subnet[subnet_id]
    if rt then return ecp.wrap(rt), "explicit" end
    if vpc_id == nil then
      local subnet = usable("subnets").by_id[subnet_id]
      if not subnet then
        ecp.unknown(("subnet %s is not among the collected subnets in %s")
          :format(tostring(subnet_id), ctx.region))
      end
      vpc_id = subnet.VpcId
    end
    rt = routes.main_by_vpc[vpc_id]
    if rt then return ecp.wrap(rt), "main" end
    ecp.unknown(("no route table governs subnet %s: it has no explicit "
      .. "association and VPC %s has no main route table among the "
      .. "collected route tables"):format(tostring(subnet_id), tostring(vpc_id)))
  end

  local cidr_lists = {}
  function ctx.prefix_list_cidrs(id)
    local c = usable("prefix_list_entries")
    local cached = cidr_lists[ctx.region .. "\0" .. tostring(id)]
    if cached then return cached end
    local item = c.by_id[id]
    if not item then
      ecp.unknown(("the entries of managed prefix list %s were not collected "
        .. "in %s (get-managed-prefix-list-entries-%s.json is absent)")
        :format(tostring(id), ctx.region, tostring(id)))
    end
    local cidrs = {}
    for _, e in ipairs(item.Entries or {}) do cidrs[#cidrs + 1] = e.Cidr end
    cached = ecp.wrap(cidrs)
    cidr_lists[ctx.region .. "\0" .. tostring(id)] = cached
    return cached
  end

  return ctx
end

return M
