-- Migrations: what to do when AWS fixes a setting at create time.
--
-- At-rest encryption, the KMS key, TLS on standalone clusters and on
-- Memcached cannot change on an existing cache (shared research,
-- controls.md section 2).  The fix is a new cache built with the setting,
-- seeded from a snapshot of the old one, carrying over everything else the
-- inventory reports, then a manual cut-over and verification, and only
-- then the deletion of the old cache.  This module builds those plans
-- (docs/remediation.md) and holds the KMS-key matching that the
-- customer-managed-key controls share.  Semantics: docs/stdlib.md#migration.

local error, ipairs, pairs, require, select, tostring, type = error, ipairs, pairs, require,
  select, tostring, type
local string_format, table_concat, sort = string.format, table.concat, table.sort

local plan = require "plan"
local result = require "result"
local version = require "version"

local M = {}

-- ReplicationGroupId, CacheClusterId and ServerlessCacheName all fit in 40.
local ID_MAX = 40
local SNAPSHOT_NAME_MAX = 255

-- Oldest engines with each setting at create time: the API reference of
-- CreateReplicationGroup.AtRestEncryptionEnabled (Redis OSS 3.2.6, 4.x and
-- later), docs in-transit-encryption-enable.html (3.2.6, 4.0.10 and
-- later), in-transit-encryption.html (Memcached 1.6.12).
M.MEMCACHED_TLS_MIN = "1.6.12"

local function bad(fn, fmt, ...)
  error(string_format("migration.%s: " .. fmt, fn, ...), 3)
end

-- need(fn, what, v, "string" | "table"): a non-empty string, or a table.
local function need(fn, what, v, want)
  if type(v) == want and v ~= "" then return end
  error(string_format("migration.%s: %s must be a %s, got %s", fn, what,
                      want == "string" and "non-empty string" or want,
                      v == "" and "an empty string" or type(v)), 3)
end

---------------------------------------------------------------------------
-- Names

-- new_name("rg-orders", "enc") -> "rg-orders-enc", cut so it fits in
-- max_len (40 by default) without a trailing hyphen.
function M.new_name(id, suffix, max_len)
  need("new_name", "id", id, "string")
  need("new_name", "suffix", suffix, "string")
  max_len = max_len or ID_MAX
  local base = id:sub(1, max_len - #suffix - 1):gsub("%-+$", "")
  return base .. "-" .. suffix
end

---------------------------------------------------------------------------
-- KMS keys

-- A key reference in any of its forms -> kind ("key" or "alias"), name,
-- and region and account when it is an ARN.
local function parse_key(text)
  local region, account, kind, name = text:match("^arn:[%w%-]+:kms:([%w%-]*):(%d*):(%l+)/(.+)$")
  if region then return kind, name, region, account end
  local alias = text:match("^alias/(.+)$")
  if alias then return "alias", alias end
  return "key", text
end

-- True when a and b name the same key: equal text, or the same key id
-- (or alias) with one side an ARN, or both ARNs of the same region and
-- account.  An alias never matches a key id: without KMS data the alias
-- cannot be resolved.
function M.same_key(a, b)
  need("same_key", "a", a, "string")
  need("same_key", "b", b, "string")
  if a == b then return true end
  local kind_a, name_a, region_a, account_a = parse_key(a)
  local kind_b, name_b, region_b, account_b = parse_key(b)
  if kind_a ~= kind_b or name_a ~= name_b then return false end
  if region_a and region_b then return region_a == region_b and account_a == account_b end
  return true
end

-- The first entry of approved that names kms_key_id, or nil.
function M.approved_key(kms_key_id, approved)
  need("approved_key", "approved", approved, "table")
  for i, entry in ipairs(approved) do
    if type(entry) ~= "string" or entry == "" then
      bad("approved_key", "approved_kms_keys[%d] must be a non-empty string, got %s", i,
          entry == "" and "an empty string" or type(entry))
    end
    if M.same_key(kms_key_id, entry) then return entry end
  end
  return nil
end

-- True for an alias of an AWS managed key (alias/aws/...), which is not a
-- customer-managed key.
function M.aws_managed(kms_key_id)
  local kind, name = parse_key(kms_key_id)
  return kind == "alias" and name:sub(1, 4) == "aws/"
end

-- The result for a resource encrypted with kms_key_id: fail for an AWS
-- managed alias or a key outside a non-empty approved list, else pass.
function M.judge_key(kms_key_id, approved)
  need("judge_key", "kms_key_id", kms_key_id, "string")
  if M.aws_managed(kms_key_id) then
    return result.fail("KMS key " .. kms_key_id .. " is an AWS managed key, not a customer-managed one",
                       { KmsKeyId = kms_key_id })
  end
  if approved ~= nil and #approved > 0 then
    if not M.approved_key(kms_key_id, approved) then
      local list = {}
      for i, entry in ipairs(approved) do list[i] = entry end
      return result.fail("KMS key " .. kms_key_id .. " is not one of approved_kms_keys",
                         { KmsKeyId = kms_key_id, approved_kms_keys = list })
    end
    return result.pass("encrypted with the approved customer-managed KMS key " .. kms_key_id)
  end
  return result.pass("encrypted with the customer-managed KMS key " .. kms_key_id)
end

-- The key a plan encrypts with: params.kms_key_id, else the first of
-- params.approved_kms_keys, else nil; and, when approved_kms_keys is not
-- empty, the precondition that the key is one of them.
function M.target_key(params)
  local key = params.kms_key_id
  local approved = params.approved_kms_keys or {}
  if key == nil or key == "" then key = approved[1] end
  if type(key) ~= "string" or key == "" then return nil end
  if #approved == 0 then return key end
  return key, { text = key .. " is one of approved_kms_keys",
                met = M.approved_key(key, approved) ~= nil }
end

---------------------------------------------------------------------------
-- What a new cache carries over

-- A plain copy of inventory data (read-only views are not plan data).
local function copy(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = copy(x) end
  return out
end

local function nonempty(list)
  if list ~= nil and #list > 0 then return copy(list) end
  return nil
end

-- The cache's tags as a Tags list, without the aws: ones users cannot set.
local function tag_list(cache, ctx, notes)
  if not ctx.available(cache, "tags") then
    notes[#notes + 1] = "the tags of " .. cache.id .. " were not collected, so none are copied"
    return nil
  end
  local keys = {}
  for key in pairs(cache.tags) do
    if key:sub(1, 4) ~= "aws:" then keys[#keys + 1] = key end
  end
  if #keys == 0 then return nil end
  sort(keys)
  local out = {}
  for i, key in ipairs(keys) do out[i] = { Key = key, Value = cache.tags[key] } end
  return out
end

local LIVE_LOGS = { active = true, enabling = true, modifying = true }

-- LogDeliveryConfigurations (as reported) -> the request form create takes.
local function log_requests(entries)
  local out = {}
  for _, e in ipairs(entries) do
    if LIVE_LOGS[e.Status] then
      out[#out + 1] = { LogType = e.LogType, DestinationType = e.DestinationType,
                        DestinationDetails = copy(e.DestinationDetails),
                        LogFormat = e.LogFormat, Enabled = true }
    end
  end
  return out[1] and out or nil
end

local function single_port(cache, ctx, notes)
  if ctx.available(cache, "ports") and #cache.ports == 1 then return cache.ports[1] end
  notes[#notes + 1] = "the port of " .. cache.id .. " is not known as one port, so the new cache "
    .. "gets the engine's default port unless you add Port to the create step"
  return nil
end

local function topic_of(record)
  local n = record.NotificationConfiguration
  return n and n.TopicArn
end

local function group_name_of(record)
  local g = record.CacheParameterGroup
  return g and g.CacheParameterGroupName
end

local function enabled_flag(text)
  if text == nil then return nil end
  return text == "enabled" or text == "enabling"
end

-- Settings every node-based cache carries the same way; node is the
-- cluster itself or a group's first member.
local function node_settings(cache, ctx, node, notes)
  local engine_version = node.EngineVersion
  return {
    Engine = cache.engine, EngineVersion = engine_version,
    CacheNodeType = cache.raw.CacheNodeType or node.CacheNodeType,
    CacheParameterGroupName = group_name_of(node),
    CacheSubnetGroupName = cache.subnet_group_name,
    SecurityGroupIds = nonempty(cache.security_group_ids),
    Port = single_port(cache, ctx, notes),
    PreferredMaintenanceWindow = node.PreferredMaintenanceWindow,
    NotificationTopicArn = topic_of(node),
    AutoMinorVersionUpgrade = cache.auto_minor_version_upgrade,
    NetworkType = cache.network_type,
    IpDiscovery = cache.raw.IpDiscovery or node.IpDiscovery,
    Tags = tag_list(cache, ctx, notes),
  }
end

-- Shards and replicas of a replication group, in CreateReplicationGroup's
-- terms: NumCacheClusters without cluster mode; NumNodeGroups and
-- ReplicasPerNodeGroup with it, or NodeGroupConfiguration when the shards
-- have different replica counts.
local function add_shape(s, group, notes)
  if not group.ClusterEnabled then
    s.NumCacheClusters = #group.MemberClusters
    return
  end
  local node_groups, counts = group.NodeGroups or {}, {}
  local listed, uniform = #node_groups > 0, true
  for i, ng in ipairs(node_groups) do
    counts[i] = #(ng.NodeGroupMembers or {}) - 1
    listed = listed and counts[i] >= 0
    uniform = uniform and counts[i] == counts[1]
  end
  if not listed then
    notes[#notes + 1] = "the shards of " .. group.ReplicationGroupId .. " do not list their "
      .. "nodes, so the shard and replica counts are AWS's defaults unless you add them"
  elseif uniform then
    s.NumNodeGroups, s.ReplicasPerNodeGroup = #node_groups, counts[1]
  else
    local config = {}
    for i, ng in ipairs(node_groups) do
      config[i] = { NodeGroupId = ng.NodeGroupId, Slots = ng.Slots, ReplicaCount = counts[i] }
    end
    s.NodeGroupConfiguration = config
  end
end

-- Encryption and authentication, as the cache has them now.  The AUTH
-- token cannot be read from AWS: a placeholder the API refuses (spaces
-- and braces are not allowed in a token) stands for it, so a plan run
-- unedited stops at the create step instead of creating an open cache.
local function add_security(s, cache, preconditions)
  local at_rest, transit, auth = cache.at_rest_encryption, cache.transit_encryption, cache.auth
  s.AtRestEncryptionEnabled = at_rest.enabled
  if at_rest.enabled then s.KmsKeyId = at_rest.kms_key_id end
  s.TransitEncryptionEnabled = transit.enabled
  -- Only preferred is carried: required is what TLS on create means, and
  -- engines before Valkey 7.2 / Redis OSS 7.0 take no mode at all.
  if transit.enabled and transit.mode == "preferred" then s.TransitEncryptionMode = "preferred" end
  s.UserGroupIds = nonempty(auth.user_group_ids)
  if auth.token_enabled then
    s.AuthToken = "{the AUTH token of " .. cache.id .. "}"
    preconditions[#preconditions + 1] = {
      text = "AuthToken in the create step is a placeholder: put the current AUTH token of "
        .. cache.id .. " there (AWS never returns it); unedited, the create step fails",
      met = false,
    }
  end
end

-- The settings that change replace what was carried; TLS settings, and
-- at-rest settings, travel together (a new TransitEncryptionEnabled drops
-- the carried mode, a new AtRestEncryptionEnabled the carried key).
local function apply(s, settings)
  if settings.TransitEncryptionEnabled ~= nil then s.TransitEncryptionMode = nil end
  if settings.AtRestEncryptionEnabled ~= nil then s.KmsKeyId = nil end
  for k, v in pairs(settings) do s[k] = v end
  return s
end

-- The CreateReplicationGroup parameters (without the new id and the
-- snapshot) that rebuild cache (a replication group or a standalone
-- Valkey / Redis OSS cluster), with settings applied; notes on what could
-- not be carried; and preconditions.
function M.replication_group_settings(cache, ctx, settings)
  need("replication_group_settings", "cache", cache, "table")
  need("replication_group_settings", "settings", settings or {}, "table")
  local notes, preconditions = {}, {}
  local s
  if cache.kind == "replication_group" then
    local group = cache.raw
    s = node_settings(cache, ctx, cache.members[1], notes)
    s.ReplicationGroupDescription = group.Description ~= "" and group.Description or nil
    s.AutomaticFailoverEnabled = enabled_flag(cache.automatic_failover)
    s.MultiAZEnabled = enabled_flag(cache.multi_az)
    s.DataTieringEnabled = enabled_flag(group.DataTiering)
    s.ClusterMode = group.ClusterMode
    s.SnapshotRetentionLimit, s.SnapshotWindow = group.SnapshotRetentionLimit, group.SnapshotWindow
    add_shape(s, group, notes)
  elseif cache.kind == "cache_cluster" and cache.engine ~= "memcached" then
    local cluster = cache.raw
    s = node_settings(cache, ctx, cluster, notes)
    s.NumCacheClusters = 1
    local zone = cluster.PreferredAvailabilityZone
    if zone and zone ~= "Multiple" then s.PreferredCacheClusterAZs = { zone } end
    s.SnapshotRetentionLimit, s.SnapshotWindow = cluster.SnapshotRetentionLimit, cluster.SnapshotWindow
  else
    bad("replication_group_settings", "%s %s cannot become a replication group",
        tostring(cache.kind), tostring(cache.engine))
  end
  s.ReplicationGroupDescription = s.ReplicationGroupDescription or ("Migrated from " .. cache.id)
  s.LogDeliveryConfigurations = log_requests(cache.log_delivery)
  add_security(s, cache, preconditions)
  return apply(s, settings or {}), notes, preconditions
end

---------------------------------------------------------------------------
-- Steps every migration shares

local function aws(region, words)
  return "aws elasticache " .. words .. " --region " .. region
end

local function wait_manually(what, command, field, region)
  return plan.manual(
    "Wait until " .. what .. " is available",
    "ElastiCache has no waiter for this: repeat `" .. aws(region, command)
      .. " --query '" .. field .. "' --output text` until it prints available.",
    { no_backout = "waiting changes nothing" })
end

-- seeded: the new cache starts from a snapshot of the old one, so writes
-- between the snapshot and the move are what could be lost (a Memcached
-- cluster starts empty: there is no snapshot step to speak of).
local function cut_over(old_id, new_id, endpoint_command, region, tls, seeded)
  local writes = seeded
    and " To lose no writes, stop writes to " .. old_id .. " before the snapshot step and resume "
      .. "them on " .. new_id .. "."
    or ""
  return plan.manual(
    "Move every client from " .. old_id .. " to " .. new_id,
    "Read the new endpoint with `" .. aws(region, endpoint_command) .. "` and point every "
      .. "client at it" .. (tls and ", with TLS" or "") .. ", with the same credentials." .. writes,
    { backout = plan.manual("Point clients back at " .. old_id,
      "Point every client back at the endpoint of " .. old_id .. ", which is kept unchanged "
        .. "until the last step. Writes made to " .. new_id .. " meanwhile are not in it.") })
end

local function describe_settings(settings)
  local names = {}
  for k in pairs(settings) do names[#names + 1] = k end
  sort(names)
  for i, k in ipairs(names) do
    local v = settings[k]
    -- A list (SecurityGroupIds, SubnetIds) by its items, not its address.
    if type(v) == "table" then
      local items = {}
      for j, item in ipairs(v) do items[j] = tostring(item) end
      v = "[" .. table_concat(items, ", ") .. "]"
    end
    names[i] = k .. " = " .. tostring(v)
  end
  return table_concat(names, ", ")
end

local function verify(new_id, what, describe_command, region, settings)
  return plan.manual(
    "Verify " .. new_id .. " before anything is deleted",
    "Check with `" .. aws(region, describe_command) .. "` that " .. new_id .. " reports "
      .. describe_settings(settings) .. "; that its data is there (" .. what .. "); and that "
      .. "clients work against it without errors. Do not go on until they do.",
    { no_backout = "verifying changes nothing" })
end

local function join_lists(...)
  local out = {}
  for i = 1, select("#", ...) do
    for _, item in ipairs((select(i, ...)) or {}) do out[#out + 1] = item end
  end
  return out
end

local function common_warnings(old_id, new_id, kind_words, seeded)
  return {
    "The new " .. kind_words .. " " .. new_id .. " has a new endpoint: every client must move "
      .. "to it; " .. old_id .. " keeps serving until the last step deletes it.",
    "Both caches run, and are billed, from the create step until " .. old_id
      .. " is deleted: plan for twice the cost during the migration.",
    seeded and ("Writes made to " .. old_id .. " after its snapshot is taken are not in "
      .. new_id .. ": stop writes before the snapshot step, or accept losing them.")
      or ("No data is carried over: Memcached has no snapshots, so " .. new_id
      .. " starts empty and fills as clients use it (expect cache misses and load on what "
      .. "the cache fronts)."),
  }
end

local function available(name, status)
  if status == nil then return name .. " is available" end
  if status == "available" then return { text = name .. " is available", met = true } end
  return { text = name .. " is available (it is " .. status .. ")", met = false }
end

local function availability(cache)
  return available(cache.id, cache.status)
end

local function key_precondition(key, region)
  return "KMS key " .. key .. " is an enabled, symmetric customer-managed key in " .. region
    .. " whose key policy lets the caller and ElastiCache use it"
end

local function new_plan(fn, opts, steps, preconditions, warnings)
  need(fn, "opts", opts, "table")
  need(fn, "opts.summary", opts.summary, "string")
  return plan.new {
    summary = opts.summary,
    preconditions = join_lists(preconditions, opts.preconditions),
    warnings = join_lists(warnings, opts.warnings),
    steps = steps,
  }
end

-- Preconditions of the encryption settings on the new group: a VPC, and
-- on Redis OSS a version that has them.
local function engine_preconditions(cache, s, out)
  if s.AtRestEncryptionEnabled or s.TransitEncryptionEnabled then
    out[#out + 1] = { text = cache.id .. " is in a VPC (encryption at rest and in transit need one)",
                      met = cache.in_vpc }
  end
  if s.Engine ~= "redis" or s.EngineVersion == nil then return end
  local v = s.EngineVersion
  local old_but_ok = version.compare(v, "3.2.6") == 0
  if s.AtRestEncryptionEnabled then
    out[#out + 1] = { text = "Redis OSS 3.2.6 or 4.0+ for at-rest encryption (it is " .. v .. ")",
                      met = old_but_ok or version.at_least(v, "4.0") }
  end
  if s.TransitEncryptionEnabled then
    out[#out + 1] = { text = "Redis OSS 3.2.6 or 4.0.10+ for TLS (it is " .. v .. ")",
                      met = old_but_ok or version.at_least(v, "4.0.10") }
  end
end

-- The API of each node-based kind a migration creates or deletes.
local NODE_KINDS = {
  replication_group = { id = "ReplicationGroupId", words = "replication group",
                        create = "CreateReplicationGroup", delete = "DeleteReplicationGroup",
                        available = "ReplicationGroupAvailable", deleted = "ReplicationGroupDeleted" },
  cache_cluster = { id = "CacheClusterId", words = "cache cluster",
                    create = "CreateCacheCluster", delete = "DeleteCacheCluster",
                    available = "CacheClusterAvailable", deleted = "CacheClusterDeleted" },
}

-- Create the new cache (params hold its id), wait for it; backout: delete it.
local function create_node_cache(kind, params, title)
  local k = NODE_KINDS[kind]
  local new_id = params[k.id]
  return plan.call("elasticache", k.create, params, {
    title = title, effect = "migration",
    wait = { waiter = k.available, params = { [k.id] = new_id } },
    backout = plan.call("elasticache", k.delete, { [k.id] = new_id },
      { title = "Delete the new " .. k.words .. " " .. new_id, effect = "migration",
        wait = { waiter = k.deleted, params = { [k.id] = new_id } } }) })
end

-- The last step: the old cache goes, its data kept in the final snapshot
-- when there is one (Memcached has no snapshots).
local function delete_old_cache(cache, final, no_backout)
  local k = NODE_KINDS[cache.kind]
  return plan.call("elasticache", k.delete, { [k.id] = cache.id, FinalSnapshotIdentifier = final }, {
    title = "Delete the old " .. k.words .. " " .. cache.id .. (final and ", keeping a final snapshot" or ""),
    effect = "migration", wait = { waiter = k.deleted, params = { [k.id] = cache.id } },
    no_backout = no_backout })
end

---------------------------------------------------------------------------
-- The migrations

-- A replication group or a standalone Valkey / Redis OSS cluster, rebuilt
-- as a new replication group from a snapshot, with settings (the
-- CreateReplicationGroup members that change).  opts: summary (required),
-- suffix of the new id (default "new"), preconditions, warnings.
function M.to_replication_group(cache, ctx, settings, opts)
  need("to_replication_group", "settings", settings, "table")
  opts = opts or {}
  local old_id, region = cache.id, cache.region
  local new_id = M.new_name(old_id, opts.suffix or "new")
  local seed = M.new_name(new_id, "seed", SNAPSHOT_NAME_MAX)
  local final = M.new_name(old_id, "final", SNAPSHOT_NAME_MAX)
  local params, notes, preconditions = M.replication_group_settings(cache, ctx, settings)
  params.ReplicationGroupId, params.SnapshotName = new_id, seed
  local from_group = cache.kind == "replication_group"

  local pre = { availability(cache) }
  if settings.KmsKeyId then pre[#pre + 1] = key_precondition(settings.KmsKeyId, region) end
  engine_preconditions(cache, params, pre)

  local warnings = common_warnings(old_id, new_id, "replication group", true)
  warnings[#warnings + 1] = "The snapshots " .. seed .. " and " .. final .. " stay, and are "
    .. "billed, until you delete them; " .. final .. " is encrypted as " .. old_id .. " was, "
    .. "so EC-ENC-07 reports it unless it has a customer-managed key."
  local global = from_group and cache.raw.GlobalReplicationGroupInfo
  if global and global.GlobalReplicationGroupId then
    warnings[#warnings + 1] = old_id .. " is a member of global datastore "
      .. global.GlobalReplicationGroupId .. "; " .. new_id .. " is not: add it to the "
      .. "datastore, or migrate the datastore as a whole."
  end

  local describe = "describe-replication-groups --replication-group-id " .. new_id
  local steps = {
    plan.call("elasticache", "CreateSnapshot",
      { [plan.id_param(cache)] = old_id, SnapshotName = seed, KmsKeyId = settings.KmsKeyId },
      { title = "Snapshot " .. old_id .. " as " .. seed, effect = "migration",
        backout = plan.call("elasticache", "DeleteSnapshot", { SnapshotName = seed },
                            { title = "Delete the snapshot " .. seed, effect = "migration" }) }),
    wait_manually("snapshot " .. seed, "describe-snapshots --snapshot-name " .. seed,
                  "Snapshots[0].SnapshotStatus", region),
    create_node_cache("replication_group", params,
                      "Create the replication group " .. new_id .. " from " .. seed),
    cut_over(old_id, new_id, describe, region, params.TransitEncryptionEnabled, true),
    verify(new_id, "compare the key counts of INFO keyspace on both", describe, region, settings),
    delete_old_cache(cache, final, "deletes " .. old_id .. " once " .. new_id .. " is verified; "
      .. "its data stays in the final snapshot " .. final .. ", from which a cache can be restored"),
  }
  for _, note in ipairs(notes) do warnings[#warnings + 1] = "Not carried over: " .. note .. "." end
  return new_plan("to_replication_group", opts, steps, join_lists(pre, preconditions), warnings)
end

-- A Memcached cluster rebuilt as a new one with settings (CreateCacheCluster
-- members).  TLS needs Memcached 1.6.12+: an older EngineVersion is raised
-- to that.  Memcached has no snapshots: the new cluster starts empty.
function M.to_memcached_cluster(cache, ctx, settings, opts)
  need("to_memcached_cluster", "settings", settings, "table")
  if cache.kind ~= "cache_cluster" or cache.engine ~= "memcached" then
    bad("to_memcached_cluster", "%s %s is not a Memcached cluster", tostring(cache.kind), cache.id)
  end
  opts = opts or {}
  local old_id, region, cluster = cache.id, cache.region, cache.raw
  local new_id = M.new_name(old_id, opts.suffix or "new")
  local notes = {}
  local params = node_settings(cache, ctx, cluster, notes)
  params.CacheClusterId = new_id
  params.NumCacheNodes = cluster.NumCacheNodes
  local zone = cluster.PreferredAvailabilityZone
  if zone == "Multiple" then params.AZMode = "cross-az"
  elseif zone then params.PreferredAvailabilityZone = zone end
  params.TransitEncryptionEnabled = cache.transit_encryption.enabled
  apply(params, settings)

  local warnings = common_warnings(old_id, new_id, "cluster", false)
  local old_version = cluster.EngineVersion
  if params.TransitEncryptionEnabled and params.EngineVersion
     and not version.at_least(params.EngineVersion, M.MEMCACHED_TLS_MIN) then
    params.EngineVersion = M.MEMCACHED_TLS_MIN
    warnings[#warnings + 1] = "EngineVersion goes from " .. tostring(old_version) .. " to "
      .. M.MEMCACHED_TLS_MIN .. ", the first with TLS; a newer one may suit better "
      .. "(aws elasticache describe-cache-engine-versions --engine memcached)."
  end
  local parts_old, parts_new = version.parts(old_version or "0"), version.parts(params.EngineVersion or "0")
  if params.CacheParameterGroupName and (parts_old[1] ~= parts_new[1] or parts_old[2] ~= parts_new[2]) then
    params.CacheParameterGroupName = nil
    notes[#notes + 1] = "the parameter group of " .. old_id .. " is for Memcached " .. tostring(old_version)
      .. ", so the new cluster gets the default group of its version"
  end
  for _, note in ipairs(notes) do warnings[#warnings + 1] = "Not carried over: " .. note .. "." end

  local describe = "describe-cache-clusters --cache-cluster-id " .. new_id
  local steps = {
    create_node_cache("cache_cluster", params, "Create the Memcached cluster " .. new_id),
    cut_over(old_id, new_id, describe, region, params.TransitEncryptionEnabled, false),
    verify(new_id, "it starts empty: compare hit rates once clients use it", describe, region, settings),
    delete_old_cache(cache, nil, "Memcached has no snapshots: the data of " .. old_id .. " is gone "
      .. "once it is deleted, which is why clients move and " .. new_id .. " is verified first"),
  }
  return new_plan("to_memcached_cluster", opts, steps, { availability(cache) }, warnings)
end

local function partition_of(region)
  if region:sub(1, 3) == "cn-" then return "aws-cn" end
  if region:sub(1, 7) == "us-gov-" then return "aws-us-gov" end
  return "aws"
end

-- The ARN a serverless snapshot named name will have, from the cache's
-- ARN or from ctx.account; nil when neither is known.
local function serverless_snapshot_arn(cache, ctx, name)
  local prefix = cache.arn and cache.arn:match("^(arn:[^:]+:elasticache:[^:]+:%d+:)")
  if not prefix and ctx.account then
    prefix = "arn:" .. partition_of(cache.region) .. ":elasticache:" .. cache.region .. ":"
      .. ctx.account .. ":"
  end
  return prefix and (prefix .. "serverlesscachesnapshot:" .. name)
end

-- A serverless cache rebuilt from its snapshot as a new one with settings
-- (CreateServerlessCache members).  nil when the snapshot's ARN cannot be
-- told (no cache ARN and no account id).
function M.to_serverless_cache(cache, ctx, settings, opts)
  need("to_serverless_cache", "settings", settings, "table")
  if cache.kind ~= "serverless_cache" then
    bad("to_serverless_cache", "%s %s is not a serverless cache", tostring(cache.kind), cache.id)
  end
  opts = opts or {}
  local old_id, region, raw = cache.id, cache.region, cache.raw
  local new_id = M.new_name(old_id, opts.suffix or "new")
  local seed = M.new_name(new_id, "seed", SNAPSHOT_NAME_MAX)
  local final = M.new_name(old_id, "final", SNAPSHOT_NAME_MAX)
  local seed_arn = serverless_snapshot_arn(cache, ctx, seed)
  if not seed_arn then return nil end
  local notes = {}
  local params = apply({
    ServerlessCacheName = new_id, Engine = raw.Engine, MajorEngineVersion = raw.MajorEngineVersion,
    Description = raw.Description ~= "" and raw.Description or nil,
    CacheUsageLimits = copy(raw.CacheUsageLimits), KmsKeyId = raw.KmsKeyId,
    SecurityGroupIds = nonempty(raw.SecurityGroupIds), SubnetIds = nonempty(raw.SubnetIds),
    UserGroupId = raw.UserGroupId, SnapshotRetentionLimit = raw.SnapshotRetentionLimit,
    DailySnapshotTime = raw.DailySnapshotTime, NetworkType = raw.NetworkType,
    Tags = tag_list(cache, ctx, notes), SnapshotArnsToRestore = { seed_arn },
  }, settings)

  local pre = { availability(cache) }
  if settings.KmsKeyId then pre[#pre + 1] = key_precondition(settings.KmsKeyId, region) end
  local warnings = common_warnings(old_id, new_id, "serverless cache", true)
  warnings[#warnings + 1] = "The snapshots " .. seed .. " and " .. final .. " stay, and are "
    .. "billed, until you delete them."
  for _, note in ipairs(notes) do warnings[#warnings + 1] = "Not carried over: " .. note .. "." end

  local describe = "describe-serverless-caches --serverless-cache-name " .. new_id
  local steps = {
    plan.call("elasticache", "CreateServerlessCacheSnapshot",
      { ServerlessCacheName = old_id, ServerlessCacheSnapshotName = seed, KmsKeyId = settings.KmsKeyId },
      { title = "Snapshot " .. old_id .. " as " .. seed, effect = "migration",
        backout = plan.call("elasticache", "DeleteServerlessCacheSnapshot",
          { ServerlessCacheSnapshotName = seed },
          { title = "Delete the snapshot " .. seed, effect = "migration" }) }),
    wait_manually("snapshot " .. seed,
                  "describe-serverless-cache-snapshots --serverless-cache-snapshot-name " .. seed,
                  "ServerlessCacheSnapshots[0].Status", region),
    plan.call("elasticache", "CreateServerlessCache", params,
      { title = "Create the serverless cache " .. new_id .. " from " .. seed, effect = "migration",
        backout = plan.call("elasticache", "DeleteServerlessCache", { ServerlessCacheName = new_id },
          { title = "Delete the new serverless cache " .. new_id, effect = "migration" }) }),
    wait_manually("serverless cache " .. new_id, describe, "ServerlessCaches[0].Status", region),
    cut_over(old_id, new_id, describe, region, true, true),
    verify(new_id, "compare the key counts of INFO keyspace on both", describe, region, settings),
    plan.call("elasticache", "DeleteServerlessCache",
      { ServerlessCacheName = old_id, FinalSnapshotName = final },
      { title = "Delete the old serverless cache " .. old_id .. ", keeping a final snapshot",
        effect = "migration",
        no_backout = "deletes " .. old_id .. " once " .. new_id .. " is verified; its data stays "
          .. "in the final snapshot " .. final }),
  }
  return new_plan("to_serverless_cache", opts, steps, pre, warnings)
end

-- A manual snapshot copied under a new name with kms_key_id, then the
-- original deleted, last, once the copy is verified.
function M.copy_snapshot(snapshot, ctx, kms_key_id, opts)
  need("copy_snapshot", "snapshot", snapshot, "table")
  need("copy_snapshot", "kms_key_id", kms_key_id, "string")
  opts = opts or {}
  local name, region = snapshot.SnapshotName, ctx.region
  local target = M.new_name(name, opts.suffix or "copy", SNAPSHOT_NAME_MAX)
  local pre = { available(name, snapshot.SnapshotStatus), key_precondition(kms_key_id, region) }
  local warnings = {
    "The copy has a new name, " .. target .. ": restores, scripts and retention rules that name "
      .. name .. " must name " .. target .. ".",
    "Both snapshots are stored, and billed, until " .. name .. " is deleted in the last step.",
    "Tags of " .. name .. " are not copied; add them to the copy if you use them.",
  }
  local steps = {
    plan.call("elasticache", "CopySnapshot",
      { SourceSnapshotName = name, TargetSnapshotName = target, KmsKeyId = kms_key_id },
      { title = "Copy " .. name .. " to " .. target .. ", encrypted with " .. kms_key_id,
        effect = "migration",
        backout = plan.call("elasticache", "DeleteSnapshot", { SnapshotName = target },
                            { title = "Delete the copy " .. target, effect = "migration" }) }),
    wait_manually("snapshot " .. target, "describe-snapshots --snapshot-name " .. target,
                  "Snapshots[0].SnapshotStatus", region),
    plan.manual("Verify " .. target .. " and move what refers to " .. name,
      "Check with `" .. aws(region, "describe-snapshots --snapshot-name " .. target) .. "` that "
        .. "KmsKeyId is " .. kms_key_id .. ", and change every restore script, runbook and "
        .. "retention rule that names " .. name .. " to name " .. target .. ".",
      { no_backout = "the original is still there" }),
    plan.call("elasticache", "DeleteSnapshot", { SnapshotName = name },
      { title = "Delete the original snapshot " .. name, effect = "migration",
        no_backout = "a deleted snapshot cannot be recovered; this comes last, once the "
          .. "copy " .. target .. ", which holds the same data, is verified" }),
  }
  return new_plan("copy_snapshot", opts, steps, pre, warnings)
end

return M
