-- EC-PAT-02: the cache runs at least the minimum engine version of its
-- engine (params.min_versions). Serverless caches are judged on their
-- major version: AWS keeps their minor and patch versions current.
-- Semantics: docs/controls/operations.md#ec-pat-02-the-engine-version-is-supported

local concat, error, pairs, require, sort, type =
  table.concat, error, pairs, require, table.sort, type
local string_format = string.format

local plan = require "plan"
local result = require "result"
local version = require "version"

local ENGINE_NAMES = { redis = "Redis OSS", valkey = "Valkey", memcached = "Memcached" }

local function engine_name(engine)
  return ENGINE_NAMES[engine] or engine
end

-- The minimum for the cache's engine, or nil when the table names none.
local function minimum_for(engine, ctx)
  local min = ctx.params.min_versions[engine]
  if min ~= nil and (type(min) ~= "string" or min == "") then
    error(string_format("EC-PAT-02: min_versions.%s must be a version string such as \"7.2\"", engine), 0)
  end
  return min
end

local function engines_named(ctx)
  local names = {}
  for engine in pairs(ctx.params.min_versions) do names[#names + 1] = engine end
  sort(names)
  return #names > 0 and concat(names, ", ") or "none"
end

-- The first n components of v ("1.6.12", 2 -> "1.6").
local function leading(v, n)
  local parts, out = version.parts(v), {}
  for i = 1, n do out[i] = parts[i] or 0 end
  return concat(out, ".")
end

local function component_count(v)
  return #version.parts(v)
end

-- A serverless cache is compared on its major version (AWS keeps its minor
-- and patch versions current): MajorEngineVersion ("7"; Memcached "1.6"),
-- else the same number of leading components of its full version, against
-- the minimum cut to as many components.
local function serverless_versions(cache, min)
  local major = cache.raw.MajorEngineVersion
  if major == nil then
    local full = cache.engine_version
    if full == nil then return nil, min end
    major = leading(full, cache.engine == "memcached" and 2 or 1)
  end
  return major, leading(min, component_count(major))
end

-- The EngineVersion to ask for: Valkey and Redis OSS 6+ take
-- major.minor (ElastiCache manages their patch versions); Memcached and
-- older Redis OSS the version as given.
local function node_target(engine, min)
  if engine ~= "memcached" and version.major(min) >= 6 then return leading(min, 2) end
  return min
end

local NO_DOWNGRADE = "ElastiCache upgrades engines only, it cannot downgrade one: going back means "
  .. "a new cache at the old version (a new endpoint)"

-- A snapshot to restore from if the new version misbehaves, and a wait
-- for it: the modify call is refused while the snapshot is being taken,
-- and the cache's own waiter may return before the snapshot has started.
local function snapshot_steps(cache)
  local name = cache.id .. "-before-upgrade"
  local kept = "creates a snapshot only; delete it once the upgrade is verified"
  local title = "Snapshot " .. cache.id .. " before the upgrade"
  local snapshot, describe
  if cache.kind == "serverless_cache" then
    snapshot = plan.call("elasticache", "CreateServerlessCacheSnapshot",
                         { ServerlessCacheName = cache.id, ServerlessCacheSnapshotName = name },
                         { title = title, no_backout = kept })
    describe = "aws elasticache describe-serverless-cache-snapshots --serverless-cache-snapshot-name "
      .. name .. "' until its Status"
  else
    snapshot = plan.call("elasticache", "CreateSnapshot",
                         { [plan.id_param(cache)] = cache.id, SnapshotName = name },
                         { title = title, no_backout = kept })
    describe = "aws elasticache describe-snapshots --snapshot-name " .. name .. "' until its SnapshotStatus"
  end
  return snapshot, plan.manual("Wait for the snapshot " .. name,
                               "Run '" .. describe .. " is available.",
                               { no_backout = "waiting changes nothing" })
end

return {
  id = "EC-PAT-02",
  title = "Cache runs at least the minimum supported engine version",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  params = { min_versions = { redis = "6.0", valkey = "7.2", memcached = "1.6.12" } },
  refs = {
    cis_db = "5.4",
    config = "elasticache-supported-engine-version",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/VersionManagement.html",
      "https://docs.aws.amazon.com/config/latest/developerguide/elasticache-supported-engine-version.html",
    },
  },
  rationale = [[
Old engine versions stop getting fixes. ElastiCache ended standard
support for Redis OSS 4 and 5 on January 31, 2026 (Extended Support, at a
charge, only covers critical fixes), and features that protect a cache
need recent engines: TLS on Memcached needs 1.6.12, in-place TLS on a
replication group Valkey 7.2 or Redis OSS 7.0, RBAC Redis OSS 6.0.]],
  remediation = [[
Upgrade in place (upgrades only; no engine can be downgraded). Take a
snapshot first, then:
  aws elasticache modify-replication-group --replication-group-id <id> \
    --engine-version <version> --apply-immediately
  aws elasticache modify-cache-cluster --cache-cluster-id <id> \
    --engine-version <version> --apply-immediately
  aws elasticache modify-serverless-cache --serverless-cache-name <name> \
    --major-engine-version <major>
If the upgrade crosses a parameter group family (redis5.0 -> redis6.x,
memcached1.5 -> memcached1.6) and the cache uses a custom parameter
group, create one of the new family and pass it in the same call
(--cache-parameter-group-name). Redis OSS can also move to Valkey (add
--engine valkey). Upgrading Memcached empties the cache (it has no
persistence). A Global datastore is upgraded as a whole with
modify-global-replication-group. Backout: none in place; restore the
snapshot into a new cache at the old version.]],
  check = function(cache, ctx)
    local engine = cache.engine
    if engine == "" then
      return result.unknown("the cache's engine is not reported")
    end
    local min = minimum_for(engine, ctx)
    if min == nil then
      return result.not_applicable(string_format("min_versions sets no minimum for %s (it has: %s)",
                                                 engine_name(engine), engines_named(ctx)))
    end
    local current, wanted = cache.engine_version, min
    if cache.kind == "serverless_cache" then current, wanted = serverless_versions(cache, min) end
    if current == nil then
      return result.unknown("the engine version is not reported for this cache")
    end
    local evidence = { Engine = engine, EngineVersion = current, min_version = wanted }
    local what = string_format("%s %s", engine_name(engine), current)
    if version.at_least(current, wanted) then
      return result.pass(string_format("%s is at least %s", what, wanted), evidence)
    end
    return result.fail(string_format("%s is older than the minimum %s", what, wanted), evidence)
  end,
  remediate = function(cache, finding, ctx)
    local engine = cache.engine
    local min = minimum_for(engine, ctx)
    local name = engine_name(engine)
    local serverless = cache.kind == "serverless_cache"
    local steps, warnings, change, target = {}, {}
    if serverless then
      target = finding.evidence.min_version
      change = { MajorEngineVersion = target }
      warnings[1] = "AWS performs major upgrades of serverless caches without downtime"
    else
      target = node_target(engine, min)
      change = { EngineVersion = target }
    end
    if engine == "memcached" and not serverless then
      warnings[#warnings + 1] = "upgrading Memcached is destructive: every node restarts empty "
        .. "(a cold cache), and there is no backup to take first"
    else
      steps[1], steps[2] = snapshot_steps(cache)
    end
    if not serverless and engine ~= "memcached" then
      warnings[#warnings + 1] = "nodes are replaced during the upgrade; ElastiCache tries to keep the data, "
        .. "and a cache without replicas is unavailable meanwhile"
    end
    warnings[#warnings + 1] = NO_DOWNGRADE .. (#steps > 0 and ", restored from the snapshot of step 1" or "")
    warnings[#warnings + 1] = "test the application on " .. name .. " " .. target
      .. " first: a newer engine can behave differently"
    local preconditions = {
      string_format("%s %s is offered in this Region (aws elasticache describe-cache-engine-versions "
                    .. "--engine %s)", name, target, engine),
    }
    if not serverless then
      preconditions[#preconditions + 1] = "if the upgrade crosses a parameter group family and the cache "
        .. "uses a custom parameter group: one of the new family exists, added to the call as CacheParameterGroupName"
      local global = cache.raw.GlobalReplicationGroupInfo
      if global and global.GlobalReplicationGroupId then
        preconditions[#preconditions + 1] = {
          text = "the group is not in a Global datastore (it is in " .. global.GlobalReplicationGroupId
            .. ", which is upgraded as a whole with modify-global-replication-group)",
          met = false,
        }
      end
    end
    steps[#steps + 1] = plan.modify(cache, change, nil, { no_backout = NO_DOWNGRADE })
    return plan.new {
      summary = string_format("Upgrade %s to %s %s", cache.id, name, target),
      preconditions = preconditions,
      warnings = warnings,
      steps = steps,
    }
  end,
}
