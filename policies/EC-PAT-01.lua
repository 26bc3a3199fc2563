-- EC-PAT-01: the cache takes minor engine upgrades automatically
-- (AutoMinorVersionUpgrade), on an engine where that setting works
-- (Valkey 7.2+, Redis OSS 6.0+). Serverless caches and Memcached are not
-- applicable.
-- Semantics: docs/controls/operations.md#ec-pat-01-auto-minor-version-upgrade-is-on

local require = require
local string_format = string.format

local plan = require "plan"
local result = require "result"
local version = require "version"

-- The ElastiCache API: "If you are running Valkey 7.2 or Redis OSS engine
-- version 6.0 or later, set this parameter to yes to opt-in to the next
-- auto minor version upgrade campaign. This parameter is disabled for
-- previous versions." Every Valkey release is 7.2 or later.
local REDIS_MIN = "6.0"

local function engine_name(cache)
  return cache.engine == "valkey" and "Valkey" or "Redis OSS"
end

-- true/false when the engine version says whether the setting works; nil
-- when the version is not known.
local function setting_works(cache, ctx)
  if cache.engine ~= "redis" then return true end
  if not ctx.available(cache, "engine_version") or cache.engine_version == nil then return nil end
  return version.at_least(cache.engine_version, REDIS_MIN)
end

return {
  id = "EC-PAT-01",
  title = "Cache takes minor engine upgrades automatically",
  severity = "high",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  refs = {
    cis_db = "5.4",
    fsbp = "ElastiCache.2",
    config = "elasticache-auto-minor-version-upgrade-check",
    prowler = "elasticache_redis_cluster_auto_minor_version_upgrades",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/VersionManagement.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html",
      "https://docs.aws.amazon.com/config/latest/developerguide/elasticache-auto-minor-version-upgrade-check.html",
    },
  },
  rationale = [[
Minor engine versions carry security fixes. A node-based cache that does
not take them automatically stays on a vulnerable version until someone
upgrades it by hand.]],
  remediation = [[
In place, on Valkey and on Redis OSS 6.0 or later:
  aws elasticache modify-replication-group --replication-group-id <id> \
    --auto-minor-version-upgrade --apply-immediately
  aws elasticache modify-cache-cluster --cache-cluster-id <id> \
    --auto-minor-version-upgrade --apply-immediately
The upgrades then run in the maintenance window
(PreferredMaintenanceWindow). Backout: --no-auto-minor-version-upgrade.
Redis OSS before 6.0 ignores the setting: upgrade the engine first
(EC-PAT-02; upgrades only, no downgrade). Serverless caches get minor
and patch versions from AWS without a setting; Memcached has no automatic
minor upgrades.]],
  check = function(cache, ctx)
    if cache.kind == "serverless_cache" then
      return result.not_applicable(
        "AWS applies minor and patch versions to serverless caches itself, without downtime: there is no setting")
    end
    if cache.engine == "memcached" then
      return result.not_applicable(
        "AutoMinorVersionUpgrade applies to Valkey 7.2+ and Redis OSS 6.0+ only, not to Memcached")
    end
    local on = cache.auto_minor_version_upgrade
    if on == nil then
      return result.unknown("AutoMinorVersionUpgrade is not reported for this cache")
    end
    local evidence = { AutoMinorVersionUpgrade = on }
    if not on then
      return result.fail("auto minor version upgrade is off", evidence)
    end
    local works = setting_works(cache, ctx)
    if works == nil then
      return result.unknown("auto minor version upgrade is on, but the engine version is not reported: "
                            .. "Redis OSS before 6.0 ignores the setting")
    end
    if not works then
      evidence.EngineVersion = cache.engine_version
      return result.fail(string_format(
        "auto minor version upgrade is on, but Redis OSS %s ignores it (it works from %s): "
          .. "the engine gets no automatic minor upgrades", cache.engine_version, REDIS_MIN), evidence)
    end
    if ctx.available(cache, "engine_version") and cache.engine_version then
      return result.pass(string_format("auto minor version upgrade is on (%s %s)", engine_name(cache),
                                       cache.engine_version), evidence)
    end
    return result.pass("auto minor version upgrade is on (" .. engine_name(cache) .. ")", evidence)
  end,
  remediate = function(cache, _, ctx)
    if cache.auto_minor_version_upgrade then
      return nil, "the setting is already on; the fix is an engine upgrade to 6.0 or later (EC-PAT-02's plan)"
    end
    -- Turning the setting on where the engine ignores it changes nothing,
    -- and the check would still fail.
    local works = setting_works(cache, ctx)
    if works == false then
      return nil, string_format("Redis OSS %s ignores the setting (it works from %s): upgrade the engine "
                                .. "to %s or later first (EC-PAT-02's plan), then turn it on",
                                cache.engine_version, REDIS_MIN, REDIS_MIN)
    end
    return plan.new {
      summary = string_format("Turn on auto minor version upgrade for %s", cache.id),
      preconditions = {
        { text = "the engine is Valkey 7.2+ or Redis OSS 6.0+ (before that the setting is ignored)",
          met = works },
      },
      warnings = {
        "minor upgrades then run in the maintenance window (PreferredMaintenanceWindow) and can "
          .. "restart nodes: a cache without replicas is briefly unavailable",
      },
      steps = {
        plan.modify(cache, { AutoMinorVersionUpgrade = true }, { AutoMinorVersionUpgrade = false }),
      },
    }
  end,
}
