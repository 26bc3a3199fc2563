local migration = require "migration"
local fake = require "fake"
local check = require "check"
local eq, raises = check.eq, check.raises

local KEY = "arn:aws:kms:eu-west-1:123456789012:key/1111aaaa-2222-bbbb-3333-cccc4444dddd"
local KEY_ID = "1111aaaa-2222-bbbb-3333-cccc4444dddd"

-- A member cluster of a replication group, as describe-cache-clusters has it.
local function member(id, extra)
  local m = {
    CacheClusterId = id, Engine = "redis", EngineVersion = "7.1.0",
    CacheNodeType = "cache.r7g.large", CacheSubnetGroupName = "app-cache",
    CacheParameterGroup = { CacheParameterGroupName = "app-redis7" },
    PreferredMaintenanceWindow = "sun:05:00-sun:06:00",
    NotificationConfiguration = { TopicArn = "arn:aws:sns:eu-west-1:123456789012:ops", TopicStatus = "active" },
    SecurityGroups = { { SecurityGroupId = "sg-app", Status = "active" } },
  }
  for k, v in pairs(extra or {}) do m[k] = v end
  return m
end

local LOGS = {
  { LogType = "slow-log", DestinationType = "cloudwatch-logs", LogFormat = "json", Status = "active",
    DestinationDetails = { CloudWatchLogsDetails = { LogGroup = "/cache/slow" } } },
  { LogType = "engine-log", DestinationType = "kinesis-firehose", LogFormat = "text", Status = "disabling",
    DestinationDetails = { KinesisFirehoseDetails = { DeliveryStream = "old" } } },
}

-- A cluster-mode-disabled group of two nodes, TLS preferred, RBAC.
local function group(overrides, raw_extra)
  local raw = {
    ReplicationGroupId = "rg-app", Description = "orders cache", MemberClusters = { "rg-app-001", "rg-app-002" },
    CacheNodeType = "cache.r7g.large", ClusterEnabled = false, ClusterMode = "disabled",
    SnapshotRetentionLimit = 5, SnapshotWindow = "03:00-04:00", DataTiering = "disabled",
    IpDiscovery = "ipv4",
    NodeGroups = { { NodeGroupId = "0001", NodeGroupMembers = { {}, {} } } },
  }
  for k, v in pairs(raw_extra or {}) do raw[k] = v end
  local spec = {
    kind = "replication_group", raw = raw,
    members = { member("rg-app-001"), member("rg-app-002") },
    transit_encryption = { enabled = true, mode = "preferred" },
    at_rest_encryption = { enabled = false },
    auth = { token_enabled = false, user_group_ids = { "ug-app" } },
    automatic_failover = "enabled", multi_az = "enabled", network_type = "ipv4",
    auto_minor_version_upgrade = true, log_delivery = LOGS,
    tags = { team = "orders", ["aws:cloudformation:stack-name"] = "x" },
  }
  for k, v in pairs(overrides or {}) do spec[k] = v end
  return fake.cache(spec)
end

local function standalone(overrides)
  local raw = member("cc-app", { PreferredAvailabilityZone = "eu-west-1b", SnapshotRetentionLimit = 0 })
  local spec = {
    kind = "cache_cluster", raw = raw, log_delivery = {}, tags = {},
    transit_encryption = { enabled = false }, at_rest_encryption = { enabled = false },
    auth = { token_enabled = false, user_group_ids = {} },
  }
  for k, v in pairs(overrides or {}) do spec[k] = v end
  return fake.cache(spec)
end

local function actions(p)
  local out = {}
  for i, step in ipairs(p.steps) do out[i] = step.action or "manual" end
  return table.concat(out, " ")
end

local function has(list, fragment)
  for _, text in ipairs(list) do
    if type(text) == "table" then text = text.text end
    if text:find(fragment, 1, true) then return true end
  end
  return false
end

local function precondition(p, fragment)
  for _, item in ipairs(p.preconditions) do
    if type(item) == "table" and item.text:find(fragment, 1, true) then return item end
  end
  error("no precondition mentioning " .. fragment, 2)
end

local tests = {}

tests["new names fit the id limits"] = function()
  eq(migration.new_name("rg-app", "enc"), "rg-app-enc")
  local long = string.rep("a", 38) .. "-b"
  eq(#migration.new_name(long, "enc"), 40)
  eq(migration.new_name(long, "enc"), string.rep("a", 36) .. "-enc")
  eq(migration.new_name(string.rep("a", 35) .. "-xyz", "enc"), string.rep("a", 35) .. "-enc",
     "no trailing hyphen before the suffix")
  eq(migration.new_name("snap", "cmk", 255), "snap-cmk")
  raises("suffix must be a non-empty string", migration.new_name, "rg", "")
end

tests["KMS key forms match sensibly"] = function()
  assert(migration.same_key(KEY, KEY))
  assert(migration.same_key(KEY, KEY_ID), "a key ARN and its key id")
  assert(migration.same_key(KEY_ID, KEY))
  assert(not migration.same_key(KEY, "arn:aws:kms:us-east-1:123456789012:key/" .. KEY_ID),
         "the same id in another region is another key")
  assert(not migration.same_key(KEY, "arn:aws:kms:eu-west-1:999999999999:key/" .. KEY_ID))
  assert(migration.same_key("alias/cache", "arn:aws:kms:eu-west-1:123456789012:alias/cache"))
  assert(not migration.same_key("alias/cache", KEY), "an alias cannot be resolved to a key")
  assert(not migration.same_key(KEY_ID, "alias/" .. KEY_ID))
  assert(not migration.same_key(KEY, "arn:aws:kms:eu-west-1:123456789012:key/other"))
  eq(migration.approved_key(KEY, { "alias/x", KEY_ID }), KEY_ID)
  eq(migration.approved_key(KEY, { "alias/x" }), nil)
  raises("approved_kms_keys[2] must be a non-empty string", migration.approved_key, KEY, { "a", 7 })
  raises("approved must be a table", migration.approved_key, KEY, "a")
  assert(migration.aws_managed("alias/aws/elasticache"))
  assert(migration.aws_managed("arn:aws:kms:eu-west-1:123456789012:alias/aws/elasticache"))
  assert(not migration.aws_managed("alias/awsome"))
  assert(not migration.aws_managed(KEY))
end

tests["judge_key: customer-managed, approved, AWS managed"] = function()
  eq(migration.judge_key(KEY).status, "pass")
  eq(migration.judge_key(KEY, {}).status, "pass")
  local res = migration.judge_key(KEY, { KEY_ID })
  eq(res.status, "pass") assert(res.reason:find("approved", 1, true))
  res = migration.judge_key(KEY, { "alias/other" })
  eq(res.status, "fail") eq(res.evidence.KmsKeyId, KEY) eq(res.evidence.approved_kms_keys[1], "alias/other")
  res = migration.judge_key("alias/aws/elasticache")
  eq(res.status, "fail") assert(res.reason:find("AWS managed", 1, true))
  raises("kms_key_id must be a non-empty string", migration.judge_key, nil)
end

tests["target_key: kms_key_id, else the first approved key"] = function()
  eq(migration.target_key({ kms_key_id = "" }), nil)
  eq(migration.target_key({ kms_key_id = KEY }), KEY)
  eq(migration.target_key({ kms_key_id = "", approved_kms_keys = {} }), nil)
  local key, pre = migration.target_key({ kms_key_id = "", approved_kms_keys = { "alias/a", "alias/b" } })
  eq(key, "alias/a") eq(pre.met, true)
  key, pre = migration.target_key({ kms_key_id = KEY, approved_kms_keys = { "alias/a" } })
  eq(key, KEY) eq(pre.met, false, "a key outside the approved list is flagged")
end

tests["a replication group carries its settings over"] = function()
  local cache = group()
  local s, notes, pre = migration.replication_group_settings(cache, fake.ctx(),
    { AtRestEncryptionEnabled = true, KmsKeyId = KEY })
  eq(s.ReplicationGroupDescription, "orders cache")
  eq(s.Engine, "redis") eq(s.EngineVersion, "7.1.0") eq(s.CacheNodeType, "cache.r7g.large")
  eq(s.CacheParameterGroupName, "app-redis7") eq(s.CacheSubnetGroupName, "app-cache")
  eq(#s.SecurityGroupIds, 1) eq(s.SecurityGroupIds[1], "sg-app") eq(s.Port, 6379)
  eq(s.PreferredMaintenanceWindow, "sun:05:00-sun:06:00")
  eq(s.NotificationTopicArn, "arn:aws:sns:eu-west-1:123456789012:ops")
  eq(s.AutomaticFailoverEnabled, true) eq(s.MultiAZEnabled, true) eq(s.DataTieringEnabled, false)
  eq(s.ClusterMode, "disabled") eq(s.NumCacheClusters, 2) eq(s.NumNodeGroups, nil)
  eq(s.SnapshotRetentionLimit, 5) eq(s.SnapshotWindow, "03:00-04:00")
  eq(s.NetworkType, "ipv4") eq(s.IpDiscovery, "ipv4") eq(s.AutoMinorVersionUpgrade, true)
  eq(#s.LogDeliveryConfigurations, 1, "only live log deliveries")
  local log = s.LogDeliveryConfigurations[1]
  eq(log.LogType, "slow-log") eq(log.Enabled, true) eq(log.Status, nil)
  eq(log.DestinationDetails.CloudWatchLogsDetails.LogGroup, "/cache/slow")
  eq(#s.Tags, 1, "aws: tags cannot be set") eq(s.Tags[1].Key, "team") eq(s.Tags[1].Value, "orders")
  eq(s.TransitEncryptionEnabled, true) eq(s.TransitEncryptionMode, "preferred")
  eq(s.UserGroupIds[1], "ug-app") eq(s.AuthToken, nil)
  eq(s.AtRestEncryptionEnabled, true) eq(s.KmsKeyId, KEY)
  eq(#notes, 0) eq(#pre, 0)
  assert(getmetatable(s.SecurityGroupIds) == nil, "plain data, not read-only views")
end

tests["TLS and at-rest settings travel together"] = function()
  local cache = group({ at_rest_encryption = { enabled = true, kms_key_id = KEY } })
  local s = migration.replication_group_settings(cache, fake.ctx(), { TransitEncryptionEnabled = true })
  eq(s.TransitEncryptionMode, nil, "a new TLS setting drops the carried mode")
  eq(s.KmsKeyId, KEY, "the key is carried when at-rest does not change")
  s = migration.replication_group_settings(cache, fake.ctx(), { AtRestEncryptionEnabled = true })
  eq(s.KmsKeyId, nil, "a new at-rest setting drops the carried key")
  eq(s.TransitEncryptionMode, "preferred")
  s = migration.replication_group_settings(group({ transit_encryption = { enabled = true, mode = "required" } }),
                                           fake.ctx(), {})
  eq(s.TransitEncryptionEnabled, true)
  eq(s.TransitEncryptionMode, nil, "required is what TLS on create means; older engines take no mode")
end

tests["cluster mode: shards and replicas"] = function()
  local shards = { { NodeGroupId = "0001", Slots = "0-8191", NodeGroupMembers = { {}, {}, {} } },
                   { NodeGroupId = "0002", Slots = "8192-16383", NodeGroupMembers = { {}, {}, {} } } }
  local s = migration.replication_group_settings(
    group({}, { ClusterEnabled = true, ClusterMode = "enabled", NodeGroups = shards }), fake.ctx(), {})
  eq(s.NumNodeGroups, 2) eq(s.ReplicasPerNodeGroup, 2) eq(s.NumCacheClusters, nil)
  shards[2].NodeGroupMembers = { {} }
  s = migration.replication_group_settings(
    group({}, { ClusterEnabled = true, NodeGroups = shards }), fake.ctx(), {})
  eq(s.NumNodeGroups, nil) eq(#s.NodeGroupConfiguration, 2)
  eq(s.NodeGroupConfiguration[2].ReplicaCount, 0) eq(s.NodeGroupConfiguration[1].Slots, "0-8191")
  local notes
  s, notes = migration.replication_group_settings(
    group({}, { ClusterEnabled = true, NodeGroups = { { NodeGroupId = "0001" } } }), fake.ctx(), {})
  eq(s.NumNodeGroups, nil) eq(s.ReplicasPerNodeGroup, nil)
  assert(has(notes, "do not list their nodes"), notes[1])
end

tests["what cannot be carried is said"] = function()
  local cache = group({ ports = fake.missing("no ports"), tags = fake.missing("no tags"),
                        auth = { token_enabled = true, user_group_ids = {} } },
                      { Description = "" })
  local s, notes, pre = migration.replication_group_settings(cache, fake.ctx(), {})
  eq(s.Port, nil) eq(s.Tags, nil) eq(s.ReplicationGroupDescription, "Migrated from rg-app")
  assert(has(notes, "port of rg-app is not known")) assert(has(notes, "tags of rg-app were not collected"))
  eq(s.AuthToken, "{the AUTH token of rg-app}", "a placeholder the API refuses")
  eq(pre[1].met, false) assert(pre[1].text:find("placeholder", 1, true))
end

tests["a standalone cluster becomes a one-node replication group"] = function()
  local s = migration.replication_group_settings(standalone(), fake.ctx(), { AtRestEncryptionEnabled = true })
  eq(s.NumCacheClusters, 1) eq(s.PreferredCacheClusterAZs[1], "eu-west-1b")
  eq(s.SnapshotRetentionLimit, 0) eq(s.CacheNodeType, "cache.r7g.large")
  eq(s.UserGroupIds, nil) eq(s.LogDeliveryConfigurations, nil) eq(s.Tags, nil)
  eq(s.TransitEncryptionEnabled, false) eq(s.AtRestEncryptionEnabled, true)
  s = migration.replication_group_settings(
    standalone({ raw = member("cc-app", { PreferredAvailabilityZone = "Multiple" }) }), fake.ctx(), {})
  eq(s.PreferredCacheClusterAZs, nil)
  raises("cannot become a replication group", migration.replication_group_settings,
         fake.cache({ kind = "cache_cluster", engine = "memcached" }), fake.ctx(), {})
end

tests["to_replication_group: snapshot, create, cut over, verify, delete"] = function()
  local p = migration.to_replication_group(group(), fake.ctx(),
    { AtRestEncryptionEnabled = true, KmsKeyId = KEY }, { summary = "Encrypt", suffix = "enc" })
  eq(actions(p), "CreateSnapshot manual CreateReplicationGroup manual manual DeleteReplicationGroup")
  local snap, create, delete = p.steps[1], p.steps[3], p.steps[6]
  eq(snap.params.ReplicationGroupId, "rg-app") eq(snap.params.SnapshotName, "rg-app-enc-seed")
  eq(snap.params.KmsKeyId, KEY) eq(snap.effect, "migration") eq(snap.backout.action, "DeleteSnapshot")
  eq(create.params.ReplicationGroupId, "rg-app-enc") eq(create.params.SnapshotName, "rg-app-enc-seed")
  eq(create.wait.waiter, "ReplicationGroupAvailable") eq(create.backout.action, "DeleteReplicationGroup")
  eq(create.backout.params.ReplicationGroupId, "rg-app-enc")
  eq(delete.params.ReplicationGroupId, "rg-app") eq(delete.params.FinalSnapshotIdentifier, "rg-app-final")
  eq(delete.wait.waiter, "ReplicationGroupDeleted") assert(delete.no_backout)
  assert(p.steps[2].instructions:find("describe-snapshots --snapshot-name rg-app-enc-seed --region eu-west-1", 1, true))
  assert(p.steps[4].instructions:find("with TLS", 1, true)) assert(p.steps[4].backout)
  assert(p.steps[4].instructions:find("before the snapshot step", 1, true), "writes after the snapshot")
  assert(p.steps[5].instructions:find("KmsKeyId = " .. KEY, 1, true))
  for _, fragment in ipairs({ "new endpoint", "every client must move", "billed",
                              "after its snapshot is taken", "EC-ENC-07" }) do
    assert(has(p.warnings, fragment), "warning about " .. fragment)
  end
  eq(precondition(p, "is available").met, true)
  eq(precondition(p, "in a VPC").met, true)
  assert(has(p.preconditions, "KMS key " .. KEY))
end

tests["the verify step names a list setting by its items"] = function()
  local p = migration.to_replication_group(group(), fake.ctx(),
    { SecurityGroupIds = { "sg-new", "sg-ops" } }, { summary = "Move", suffix = "mv" })
  local text = p.steps[5].instructions
  assert(text:find("SecurityGroupIds = [sg-new, sg-ops]", 1, true), text)
  assert(not text:find("table: ", 1, true), "no table address: " .. text)
end

tests["to_replication_group from a standalone cluster deletes a cluster"] = function()
  local p = migration.to_replication_group(standalone({ status = "modifying" }), fake.ctx(),
    { TransitEncryptionEnabled = true }, { summary = "TLS", suffix = "tls",
      warnings = { "extra warning" }, preconditions = { "extra precondition" } })
  eq(p.steps[1].params.CacheClusterId, "cc-app") eq(p.steps[1].params.KmsKeyId, nil)
  eq(p.steps[6].action, "DeleteCacheCluster") eq(p.steps[6].params.FinalSnapshotIdentifier, "cc-app-final")
  eq(p.steps[6].wait.waiter, "CacheClusterDeleted")
  eq(precondition(p, "is available").met, false, "the cluster is modifying")
  eq(precondition(p, "4.0.10+ for TLS").met, true)
  assert(has(p.warnings, "extra warning")) assert(has(p.preconditions, "extra precondition"))
  raises("opts.summary must be a non-empty string", migration.to_replication_group, standalone(),
         fake.ctx(), {}, {})
end

tests["engine versions too old for the setting are flagged"] = function()
  local old = standalone({ raw = member("cc-app", { EngineVersion = "3.2.4" }) })
  local p = migration.to_replication_group(old, fake.ctx(),
    { AtRestEncryptionEnabled = true, TransitEncryptionEnabled = true }, { summary = "x" })
  eq(precondition(p, "for at-rest encryption").met, false)
  eq(precondition(p, "for TLS").met, false)
  p = migration.to_replication_group(standalone({ raw = member("cc-app", { EngineVersion = "3.2.6" }),
                                                  status = fake.NIL }),
    fake.ctx(), { AtRestEncryptionEnabled = true, TransitEncryptionEnabled = true }, { summary = "x" })
  eq(precondition(p, "for at-rest encryption").met, true, "3.2.6 has both")
  eq(precondition(p, "for TLS").met, true)
  assert(has(p.preconditions, "cc-app is available"), "status unknown: a plain precondition")
end

tests["a global datastore member is warned about"] = function()
  local p = migration.to_replication_group(
    group({}, { GlobalReplicationGroupInfo = { GlobalReplicationGroupId = "ldgnf-global" } }),
    fake.ctx(), { AtRestEncryptionEnabled = true }, { summary = "x" })
  assert(has(p.warnings, "global datastore ldgnf-global"))
end

local function memcached(overrides)
  local raw = { CacheClusterId = "mc-app", Engine = "memcached", EngineVersion = "1.6.6",
                CacheNodeType = "cache.m6g.large", NumCacheNodes = 3, PreferredAvailabilityZone = "Multiple",
                CacheParameterGroup = { CacheParameterGroupName = "app-mc16" } }
  local spec = { kind = "cache_cluster", id = "mc-app", engine = "memcached", engine_version = "1.6.6",
                 raw = raw, ports = { 11211 }, tags = {}, transit_encryption = { enabled = false } }
  for k, v in pairs(overrides or {}) do spec[k] = v end
  return fake.cache(spec)
end

tests["to_memcached_cluster: a new, empty cluster with TLS"] = function()
  local p = migration.to_memcached_cluster(memcached(), fake.ctx(), { TransitEncryptionEnabled = true },
                                           { summary = "TLS", suffix = "tls" })
  eq(actions(p), "CreateCacheCluster manual manual DeleteCacheCluster")
  local create = p.steps[1].params
  eq(create.CacheClusterId, "mc-app-tls") eq(create.Engine, "memcached") eq(create.NumCacheNodes, 3)
  eq(create.AZMode, "cross-az") eq(create.Port, 11211) eq(create.TransitEncryptionEnabled, true)
  eq(create.EngineVersion, "1.6.12", "raised to the first version with TLS")
  eq(create.CacheParameterGroupName, "app-mc16", "same 1.6 family: kept")
  eq(p.steps[1].wait.waiter, "CacheClusterAvailable") eq(p.steps[1].backout.action, "DeleteCacheCluster")
  eq(p.steps[4].params.CacheClusterId, "mc-app") eq(p.steps[4].params.FinalSnapshotIdentifier, nil)
  assert(p.steps[4].no_backout:find("no snapshots", 1, true))
  eq(p.steps[2].instructions:find("snapshot", 1, true), nil, "the cut-over names no snapshot step")
  assert(has(p.warnings, "No data is carried over")) assert(has(p.warnings, "1.6.6 to 1.6.12"))
  assert(has(p.warnings, "new endpoint")) assert(has(p.warnings, "billed"))

  local old = memcached({ raw = { CacheClusterId = "mc-app", Engine = "memcached", EngineVersion = "1.4.34",
    NumCacheNodes = 1, PreferredAvailabilityZone = "eu-west-1a",
    CacheParameterGroup = { CacheParameterGroupName = "default.memcached1.4" } } })
  p = migration.to_memcached_cluster(old, fake.ctx(), { TransitEncryptionEnabled = true }, { summary = "TLS" })
  create = p.steps[1].params
  eq(create.CacheParameterGroupName, nil, "a 1.4 group does not fit 1.6") eq(create.AZMode, nil)
  eq(create.PreferredAvailabilityZone, "eu-west-1a") eq(create.CacheClusterId, "mc-app-new")
  assert(has(p.warnings, "parameter group of mc-app"))
  raises("is not a Memcached cluster", migration.to_memcached_cluster, group(), fake.ctx(), {}, { summary = "x" })
end

local function serverless(overrides)
  local raw = { ServerlessCacheName = "sc-app", Engine = "valkey", MajorEngineVersion = "8",
                Description = "", KmsKeyId = nil, SecurityGroupIds = { "sg-app" }, SubnetIds = { "subnet-a" },
                UserGroupId = "ug-app", SnapshotRetentionLimit = 3, DailySnapshotTime = "04:00",
                CacheUsageLimits = { DataStorage = { Maximum = 10, Unit = "GB" } } }
  local spec = { kind = "serverless_cache", raw = raw, tags = { team = "orders" } }
  for k, v in pairs(overrides or {}) do spec[k] = v end
  return fake.cache(spec)
end

tests["to_serverless_cache: snapshot, restore with the key, cut over"] = function()
  local p = migration.to_serverless_cache(serverless(), fake.ctx(), { KmsKeyId = KEY },
                                          { summary = "CMK", suffix = "cmk" })
  eq(actions(p), "CreateServerlessCacheSnapshot manual CreateServerlessCache manual manual manual "
     .. "DeleteServerlessCache")
  eq(p.steps[1].params.KmsKeyId, KEY) eq(p.steps[1].backout.action, "DeleteServerlessCacheSnapshot")
  local create = p.steps[3].params
  eq(create.ServerlessCacheName, "sc-app-cmk") eq(create.KmsKeyId, KEY) eq(create.Description, nil)
  eq(create.SnapshotArnsToRestore[1],
     "arn:aws:elasticache:eu-west-1:123456789012:serverlesscachesnapshot:sc-app-cmk-seed")
  eq(create.CacheUsageLimits.DataStorage.Maximum, 10) eq(create.UserGroupId, "ug-app")
  eq(create.Tags[1].Key, "team")
  eq(p.steps[7].params.FinalSnapshotName, "sc-app-final")
  assert(has(p.warnings, "new endpoint")) assert(has(p.warnings, "after its snapshot is taken"))

  p = migration.to_serverless_cache(serverless({ arn = fake.NIL, region = "cn-north-1" }),
    fake.ctx(nil, { account = "210987654321" }), { KmsKeyId = KEY }, { summary = "CMK" })
  eq(p.steps[3].params.SnapshotArnsToRestore[1],
     "arn:aws-cn:elasticache:cn-north-1:210987654321:serverlesscachesnapshot:sc-app-new-seed")
  p = migration.to_serverless_cache(serverless({ arn = fake.NIL }),
    fake.ctx(nil, { account = "210987654321" }), { KmsKeyId = KEY }, { summary = "CMK" })
  assert(p.steps[3].params.SnapshotArnsToRestore[1]:find("^arn:aws:elasticache:eu%-west%-1:210987654321:"))
  p = migration.to_serverless_cache(serverless({ arn = fake.NIL, region = "us-gov-west-1" }),
    fake.ctx(nil, { account = "210987654321" }), { KmsKeyId = KEY }, { summary = "CMK" })
  assert(p.steps[3].params.SnapshotArnsToRestore[1]:find("^arn:aws%-us%-gov:elasticache:us%-gov%-west%-1:"))
  eq(migration.to_serverless_cache(serverless({ arn = fake.NIL }), fake.ctx(), { KmsKeyId = KEY },
                                   { summary = "CMK" }), nil, "no ARN, no account: no plan")
  raises("is not a serverless cache", migration.to_serverless_cache, group(), fake.ctx(), {}, {})
end

tests["copy_snapshot: copy with the key, verify, delete the original last"] = function()
  local snapshot = fake.readonly({ SnapshotName = "nightly", SnapshotStatus = "available" })
  local p = migration.copy_snapshot(snapshot, fake.ctx(), KEY, { summary = "Copy", suffix = "cmk" })
  eq(actions(p), "CopySnapshot manual manual DeleteSnapshot")
  eq(p.steps[1].params.SourceSnapshotName, "nightly") eq(p.steps[1].params.TargetSnapshotName, "nightly-cmk")
  eq(p.steps[1].params.KmsKeyId, KEY) eq(p.steps[1].backout.params.SnapshotName, "nightly-cmk")
  eq(p.steps[4].params.SnapshotName, "nightly") assert(p.steps[4].no_backout)
  eq(precondition(p, "nightly is available").met, true)
  assert(has(p.warnings, "new name"))
  p = migration.copy_snapshot(fake.readonly({ SnapshotName = "n" }), fake.ctx(), KEY, { summary = "Copy" })
  assert(has(p.preconditions, "n is available")) eq(p.steps[1].params.TargetSnapshotName, "n-copy")
  raises("kms_key_id must be a non-empty string", migration.copy_snapshot, snapshot, fake.ctx(), "", {})
end

return tests
