-- EC-LOG-01: slow-log or engine-log delivery is active.
-- Semantics: docs/controls/operations.md#ec-log-01-slow-log-or-engine-log-delivery-is-on

local function log(log_type, status, extra)
  local entry = { LogType = log_type, Status = status, DestinationType = "cloudwatch-logs", LogFormat = "text",
                  DestinationDetails = { CloudWatchLogsDetails = { LogGroup = "/team/" .. log_type } } }
  for k, v in pairs(extra or {}) do entry[k] = v end
  return entry
end

local function cluster(id, engine, version, logs, group_id)
  return { CacheClusterId = id, Engine = engine, EngineVersion = version, CacheClusterStatus = "available",
           LogDeliveryConfigurations = logs, ReplicationGroupId = group_id }
end

local function group(id, logs)
  return { ReplicationGroupId = id, Status = "available", Engine = "valkey", MemberClusters = { id .. "-001" },
           LogDeliveryConfigurations = logs }
end

local firehose = { LogType = "engine-log", Status = "error", DestinationType = "kinesis-firehose", LogFormat = "json",
                   DestinationDetails = { KinesisFirehoseDetails = { DeliveryStream = "cache-logs" } },
                   Message = "Firehose stream not found" }

local fixture = {
  regions = {
    ["us-east-1"] = {
      cache_clusters = {
        cluster("redis-none", "redis", "7.1.0", {}),
        cluster("redis-slow", "redis", "7.1.0", { log("slow-log", "active") }),
        cluster("redis-both", "redis", "7.1.0", { log("slow-log", "active"), log("engine-log", "active") }),
        cluster("redis5-none", "redis", "5.0.6", {}),
        cluster("redis60-none", "redis", "6.0.5", {}),
        cluster("redis-no-version", "redis", nil, {}),
        cluster("redis-disabling", "redis", "7.1.0", { log("slow-log", "disabling") }),
        cluster("memcached", "memcached", "1.6.22", {}),
        cluster("rg-engine-001", "valkey", "8.0.1", {}, "rg-engine"),
        cluster("rg-failed-001", "valkey", "8.0.1", {}, "rg-failed"),
        cluster("rg-enabling-001", "valkey", "8.0.1", {}, "rg-enabling"),
        cluster("rg-modifying-001", "valkey", "8.0.1", {}, "rg-modifying"),
        cluster("rg-firehose-001", "valkey", "8.0.1", {}, "rg-firehose"),
      },
      replication_groups = {
        group("rg-engine", { log("engine-log", "active") }),
        group("rg-failed", { log("slow-log", "error", { Message = "Access denied" }) }),
        group("rg-enabling", { log("slow-log", "enabling") }),
        group("rg-modifying", { log("engine-log", "modifying"), log("slow-log", "error") }),
        group("rg-firehose", { firehose }),
      },
      serverless_caches = { { ServerlessCacheName = "serverless", Engine = "valkey", Status = "available" } },
    },
  },
}

local slow_to = function(id)
  return { LogType = "slow-log", Enabled = true, DestinationType = "cloudwatch-logs", LogFormat = "json",
           DestinationDetails = { CloudWatchLogsDetails = { LogGroup = "/aws/elasticache/" .. id .. "/slow-log" } } }
end

local own_group = { CloudWatchLogsDetails = { LogGroup = "/org/redis-none" } }

local permissions = "the caller may set up log delivery (logs:CreateLogDelivery, logs:GetLogDelivery, "
  .. "logs:UpdateLogDelivery, logs:DeleteLogDelivery, logs:ListLogDeliveries)"

return {
  control = "EC-LOG-01",
  fixture = fixture,
  cases = {
    {
      name = "at least one of the two logs, on every kind",
      expect = {
        ["redis-none"] = {
          status = "fail", reason = "no slow-log or engine-log delivery is active (slow-log delivery is not "
            .. "configured; engine-log delivery is not configured)",
          evidence = { LogDeliveryConfigurations = {}, require = "any" },
          plan = { kind = "in_place", actions = { "manual", "ModifyCacheCluster" }, warnings = 2,
                   preconditions = { { text = permissions }, { met = true } },
                   steps = { { title = "Create the CloudWatch Logs log group /aws/elasticache/redis-none/slow-log",
                               backout = { title = "Delete the log group /aws/elasticache/redis-none/slow-log" } },
                             { params = { CacheClusterId = "redis-none", ApplyImmediately = true,
                                          LogDeliveryConfigurations = { slow_to("redis-none") } },
                               backout = { params = { LogDeliveryConfigurations = {
                                 { LogType = "slow-log", Enabled = false } } } } } } },
        },
        ["redis-slow"] = { status = "pass", reason = "slow-log delivery is active (cloudwatch-logs /team/slow-log)" },
        ["redis-both"] = "pass",
        ["redis5-none"] = { status = "fail", plan = { preconditions = { {}, { met = false } } } },
        ["redis60-none"] = { status = "fail", plan = { preconditions = { {}, { met = true } } } },
        ["redis-no-version"] = {
          status = "fail",
          plan = { preconditions = { {}, {
            text = "the engine has slow-log delivery (Valkey, or Redis OSS 6.0 or later)" } } },
        },
        ["redis-disabling"] = {
          status = "fail", reason = "slow-log delivery is being turned off",
          plan = { actions = { "ModifyCacheCluster" },
                   preconditions = { {}, { text = "turning slow-log delivery off has finished", met = false },
                                     { met = true } },
                   steps = { { params = { LogDeliveryConfigurations = { {
                     LogType = "slow-log", Enabled = true, DestinationType = "cloudwatch-logs", LogFormat = "text",
                     DestinationDetails = { CloudWatchLogsDetails = { LogGroup = "/team/slow-log" } } } } } } } },
        },
        ["memcached"] = { status = "not_applicable", reason = "Valkey and Redis OSS only" },
        ["rg-engine"] = { status = "pass", reason = "engine-log delivery is active" },
        ["rg-failed"] = {
          status = "fail", reason = "slow-log delivery failed (Access denied)",
          plan = { actions = { "ModifyReplicationGroup" }, warnings = 2,
                   preconditions = { {}, { text = "the cause of the failed slow-log delivery is fixed: Access denied" },
                                     { met = true } } },
        },
        ["rg-enabling"] = { status = "fail", reason = "slow-log delivery is being turned on, not active yet",
                            plan = false },
        ["rg-modifying"] = { status = "fail", reason = "engine-log delivery is being modified, not active",
                             plan = false },
        ["rg-firehose"] = {
          status = "fail", reason = "engine-log delivery failed (Firehose stream not found)",
          plan = { actions = { "ModifyReplicationGroup" }, warnings = 1,
                   steps = { { params = { LogDeliveryConfigurations = { {
                     LogType = "engine-log", Enabled = true, DestinationType = "kinesis-firehose", LogFormat = "json",
                     DestinationDetails = { KinesisFirehoseDetails = { DeliveryStream = "cache-logs" } } } } } } } },
        },
        ["serverless"] = { status = "not_applicable", reason = "serverless caches have no log delivery" },
      },
    },
    {
      name = "both logs required, to one log group of our own",
      params = { required_log_types = { "slow-log", "engine-log" }, log_group = "/org/{id}", log_format = "text" },
      expect = {
        ["redis-none"] = {
          status = "fail", reason = "required log delivery is not active: slow-log delivery is not configured; "
            .. "engine-log delivery is not configured",
          evidence = { require = "all", required_log_types = { "slow-log", "engine-log" } },
          plan = { actions = { "manual", "ModifyCacheCluster" },
                   preconditions = { {}, { met = true }, { met = true } },
                   steps = { { title = "Create the CloudWatch Logs log group /org/redis-none" },
                             { params = { LogDeliveryConfigurations = {
                               { LogType = "slow-log", LogFormat = "text", DestinationDetails = own_group },
                               { LogType = "engine-log", LogFormat = "text", DestinationDetails = own_group } } },
                               backout = { params = { LogDeliveryConfigurations = {
                                 { LogType = "slow-log", Enabled = false },
                                 { LogType = "engine-log", Enabled = false } } } } } } },
        },
        ["redis-slow"] = { status = "fail", reason = "engine-log delivery is not configured",
                           plan = { summary = "Deliver the engine-log of redis-slow" } },
        ["redis-both"] = { status = "pass", reason = "slow-log and engine-log delivery are active" },
        ["redis5-none"] = "fail",
        ["redis60-none"] = { status = "fail", plan = { preconditions = { {}, { met = true }, { met = false } } } },
        ["redis-no-version"] = "fail",
        ["redis-disabling"] = "fail",
        ["memcached"] = "not_applicable",
        ["rg-engine"] = "fail",
        ["rg-failed"] = "fail",
        ["rg-enabling"] = { status = "fail", plan = { summary = "Deliver the engine-log of rg-enabling" } },
        ["rg-modifying"] = { status = "fail", plan = { summary = "Deliver the slow-log of rg-modifying" } },
        ["rg-firehose"] = "fail",
        ["serverless"] = "not_applicable",
      },
    },
    {
      name = "one log required",
      params = { required_log_types = { "engine-log" } },
      expect = {
        ["redis-both"] = { status = "pass", reason = "engine-log delivery is active" },
        ["rg-engine"] = "pass",
        ["rg-enabling"] = "fail", ["rg-modifying"] = { status = "fail", plan = false },
        ["memcached"] = "not_applicable", ["serverless"] = "not_applicable",
        ["*"] = "fail",
      },
    },
    {
      name = "a log type that does not exist",
      params = { required_log_types = { "audit-log" } },
      expect = { ["*"] = { status = "error", reason = "required_log_types[1] must be slow-log or engine-log" } },
    },
    {
      name = "a log group with a placeholder that does not exist",
      params = { log_group = "/org/{account}" },
      expect = { ["*"] = { status = "error", reason = "log_group has an unknown placeholder {account}" } },
    },
    {
      name = "a log format that does not exist",
      params = { log_format = "xml" },
      expect = { ["*"] = { status = "error", reason = "log_format must be json or text, got xml" } },
    },
  },
}
