-- EC-REL-01: automatic backups are kept at least params.min_retention_days
-- days (SnapshotRetentionLimit). Node-based Memcached has no backups;
-- serverless Memcached has.
-- Semantics: docs/controls/operations.md#ec-rel-01-automatic-backups-are-kept-long-enough

local error, ipairs, math_type, require, tostring = error, ipairs, math.type, require, tostring
local string_format = string.format

local plan = require "plan"
local result = require "result"

-- SnapshotRetentionLimit accepts 0 (off) to 35 days (ModifyServerlessCache
-- says so; the node-based limit is the same, as Security Hub's
-- snapshotRetentionPeriod range 1-35 reflects).
local MAX_DAYS = 35

local function minimum_days(ctx)
  local days = ctx.params.min_retention_days
  if math_type(days) ~= "integer" or days < 1 or days > MAX_DAYS then
    error(string_format("EC-REL-01: min_retention_days must be an integer from 1 to %d, got %s",
                        MAX_DAYS, tostring(days)), 0)
  end
  return days
end

local function days_text(n)
  return n == 1 and "1 day" or (n .. " days")
end

-- Whether a replication group has cluster mode on: ModifyReplicationGroup
-- refuses SnapshottingClusterId for such a group.
local function cluster_mode(group)
  local raw = group.raw
  return raw.ClusterEnabled == true or raw.ClusterMode == "enabled" or #(raw.NodeGroups or {}) > 1
end

-- The member cluster a replication group without cluster mode is to take
-- its daily backups from: the one its record names, else a replica (so the
-- backup's load falls on a replica, not on the primary), else its first
-- member; nil when the record names no member at all.
local function snapshotting_cluster(group)
  local raw = group.raw
  if raw.SnapshottingClusterId then return raw.SnapshottingClusterId end
  local primary, first
  for _, shard in ipairs(raw.NodeGroups or {}) do
    for _, member in ipairs(shard.NodeGroupMembers or {}) do
      local id = member.CacheClusterId
      if id ~= nil then
        if member.CurrentRole == "replica" then return id end
        if member.CurrentRole == "primary" then primary = id end
        first = first or id
      end
    end
  end
  local names = raw.MemberClusters or {}
  if primary ~= nil then
    for _, id in ipairs(names) do
      if id ~= primary then return id end
    end
  end
  return names[1] or first
end

return {
  id = "EC-REL-01",
  title = "Cache keeps automatic backups for at least the minimum retention",
  severity = "high",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  params = { min_retention_days = 1 },
  refs = {
    cis_db = "5.13",
    fsbp = "ElastiCache.1",
    config = { "elasticache-redis-cluster-automatic-backup-check",
               "elasticache-automatic-backup-check-enabled" },
    prowler = "elasticache_redis_cluster_backup_enabled",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html",
      "https://docs.aws.amazon.com/config/latest/developerguide/elasticache-redis-cluster-automatic-backup-check.html",
    },
  },
  rationale = [[
Without automatic backups, data lost to a failed node, a bad deployment
or a destructive command (FLUSHALL) cannot be restored; ransomware that
reaches the cache wipes it for good. A retention of several days leaves
time to notice the loss before the last good backup expires.]],
  remediation = [[
In place, on every kind of cache that has backups (Valkey, Redis OSS,
serverless Memcached): set the retention, in days (1 to 35; 0 turns
backups off):
  aws elasticache modify-replication-group --replication-group-id <id> \
    --snapshot-retention-limit <days> --apply-immediately
  aws elasticache modify-cache-cluster --cache-cluster-id <id> \
    --snapshot-retention-limit <days> --apply-immediately
  aws elasticache modify-serverless-cache --serverless-cache-name <name> \
    --snapshot-retention-limit <days>
(a serverless cache takes one changed field per call). Turning backups on
(from 0) for a replication group without cluster mode also needs the
member cluster to take them from, preferably a replica:
  --snapshotting-cluster-id <member-cluster-id>
(AWS refuses the retention alone there, and refuses the member for a
group with cluster mode on). The daily backup runs in the snapshot
window (SnapshotWindow; serverless DailySnapshotTime).
Backout: the same call with the previous retention. Node-based Memcached
keeps no backups at all: there is nothing to turn on.]],
  check = function(cache, ctx)
    local min = minimum_days(ctx)
    if cache.engine == "memcached" and cache.kind ~= "serverless_cache" then
      return result.not_applicable(
        "node-based Memcached clusters have no backups (only Valkey, Redis OSS and serverless Memcached do)")
    end
    local days = cache.backup_retention
    if days == nil then
      return result.unknown("SnapshotRetentionLimit is not reported for this cache: its backup retention is not known")
    end
    local evidence = { SnapshotRetentionLimit = days, min_retention_days = min }
    if days >= min then
      return result.pass(string_format("automatic backups are kept %s (at least %s)",
                                       days_text(days), days_text(min)), evidence)
    end
    if days == 0 then
      return result.fail("automatic backups are off (SnapshotRetentionLimit 0)", evidence)
    end
    return result.fail(string_format("automatic backups are kept %s, fewer than %s",
                                     days_text(days), days_text(min)), evidence)
  end,
  remediate = function(cache, _, ctx)
    local min = minimum_days(ctx)
    local node_based = cache.kind ~= "serverless_cache"
    local warnings = {
      string_format("ElastiCache takes a backup every day in the cache's %s and keeps each for %s; "
                    .. "backup storage is billed per GB-month",
                    node_based and "SnapshotWindow" or "DailySnapshotTime", days_text(min)),
    }
    if node_based then
      warnings[2] = "the backup uses node CPU and memory while it runs "
        .. "(see 'Performance impact of backups' in the ElastiCache user guide)"
    end
    local changes, opts = { SnapshotRetentionLimit = min }, nil
    -- Turning backups on (from 0) for a replication group without cluster
    -- mode needs SnapshottingClusterId as well: AWS refuses the retention
    -- alone ("InvalidParameterCombination: Must specify both
    -- SnapshotRetentionLimit and SnapshottingClusterId to turn on
    -- snapshots"). A cluster-mode group must not be sent one.
    if cache.kind == "replication_group" and cache.backup_retention == 0 and not cluster_mode(cache) then
      local source = snapshotting_cluster(cache)
      if source == nil then
        return nil, "the replication group's record names no member cluster, and turning its backups on "
          .. "needs one to take them from (SnapshottingClusterId)"
      end
      changes.SnapshottingClusterId = source
      opts = { backout_title = "Restore SnapshotRetentionLimit on replication group " .. cache.id }
      warnings[#warnings + 1] = string_format("the daily backup is taken from member cluster %s "
                                              .. "(SnapshottingClusterId); edit the step to use another member",
                                              source)
    end
    return plan.new {
      summary = string_format("Keep automatic backups for %s", days_text(min)),
      steps = {
        plan.modify(cache, changes, { SnapshotRetentionLimit = cache.backup_retention }, opts),
      },
      warnings = warnings,
    }
  end,
}
