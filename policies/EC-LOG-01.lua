-- EC-LOG-01: the cache delivers its slow log or engine log (an active
-- LogDeliveryConfigurations entry); params.required_log_types can require
-- both. Memcached and serverless caches have no log delivery.
-- Semantics: docs/controls/operations.md#ec-log-01-slow-log-or-engine-log-delivery-is-on

local concat, error, ipairs, require, tostring = table.concat, error, ipairs, require, tostring
local string_format, string_gmatch, string_gsub = string.format, string.gmatch, string.gsub

local plan = require "plan"
local result = require "result"
local version = require "version"

local LOG_TYPES = { "slow-log", "engine-log" }
local KNOWN_TYPES = { ["slow-log"] = true, ["engine-log"] = true }
local FORMATS = { json = true, text = true }

-- Log delivery guide: slow log from Redis OSS 6.0, engine log from 6.2;
-- every Valkey release has both.
local REDIS_MIN = { ["slow-log"] = "6.0", ["engine-log"] = "6.2" }

-- Statuses (LogDeliveryConfigurationStatus) of a change under way: the
-- plan waits for them instead of sending another.
local CHANGING = { enabling = true, modifying = true }

local STATE_WORDS = {
  enabling = "is being turned on, not active yet",
  modifying = "is being modified, not active",
  disabling = "is being turned off",
}

local PLACEHOLDERS = { id = true, log_type = true }

-- The parameters, checked on every check call, so that a wrong setting is
-- an error in the report and not a plan that fails later.
-- required_log_types {} means at least one of the two.
local function settings(ctx)
  local params = ctx.params
  for i, t in ipairs(params.required_log_types) do
    if not KNOWN_TYPES[t] then
      error(string_format("EC-LOG-01: required_log_types[%d] must be slow-log or engine-log, got %s",
                          i, tostring(t)), 0)
    end
  end
  if not FORMATS[params.log_format] then
    error("EC-LOG-01: log_format must be json or text, got " .. tostring(params.log_format), 0)
  end
  for key in string_gmatch(params.log_group, "{([^}]*)}") do
    if not PLACEHOLDERS[key] then
      error("EC-LOG-01: log_group has an unknown placeholder {" .. key .. "} (known: {id}, {log_type})", 0)
    end
  end
  return params
end

local function by_type(cache)
  local entries = {}
  for _, entry in ipairs(cache.log_delivery) do entries[entry.LogType] = entry end
  return entries
end

local function state_text(log_type, entry)
  if entry == nil then return log_type .. " delivery is not configured" end
  local status = entry.Status
  if status == "error" then
    return string_format("%s delivery failed (%s)", log_type, entry.Message or "no message")
  end
  return string_format("%s delivery %s", log_type, STATE_WORDS[status] or ("is " .. tostring(status)))
end

local function destination_text(entry)
  local details = entry.DestinationDetails or {}
  local name = (details.CloudWatchLogsDetails or {}).LogGroup
    or (details.KinesisFirehoseDetails or {}).DeliveryStream
  return name and (entry.DestinationType .. " " .. name) or entry.DestinationType or "destination not reported"
end

local function evidence_of(cache, required)
  local listed = {}
  for i, entry in ipairs(cache.log_delivery) do
    listed[i] = { LogType = entry.LogType, Status = entry.Status,
                  DestinationType = entry.DestinationType, Message = entry.Message }
  end
  if #required == 0 then
    return { LogDeliveryConfigurations = listed, required_log_types = LOG_TYPES, require = "any" }
  end
  return { LogDeliveryConfigurations = listed, required_log_types = required, require = "all" }
end

-- The types the plan turns on; nil when a change is already under way.
local function types_to_enable(entries, required)
  if #required > 0 then
    local todo = {}
    for _, t in ipairs(required) do
      local entry = entries[t]
      local status = entry and entry.Status
      if status ~= "active" and not CHANGING[status] then todo[#todo + 1] = t end
    end
    return #todo > 0 and todo or nil
  end
  for _, t in ipairs(LOG_TYPES) do
    if entries[t] and CHANGING[entries[t].Status] then return nil end
  end
  for _, t in ipairs(LOG_TYPES) do
    if entries[t] then return { t } end   -- failed or being turned off: retry it
  end
  return { "slow-log" }
end

-- A plain copy of a reported destination, to send back as it was.
local function copy_destination(details)
  local cw, firehose = details.CloudWatchLogsDetails, details.KinesisFirehoseDetails
  if cw then return { CloudWatchLogsDetails = { LogGroup = cw.LogGroup } } end
  return firehose and { KinesisFirehoseDetails = { DeliveryStream = firehose.DeliveryStream } }
end

local function log_group_name(cache, log_type, log_group)
  return (string_gsub(log_group, "{([%w_]+)}", { id = cache.id, log_type = log_type }))
end

local function engine_supports(cache, ctx, log_type)
  if cache.engine == "valkey" then return true end
  if not ctx.available(cache, "engine_version") or cache.engine_version == nil then return nil end
  return version.at_least(cache.engine_version, REDIS_MIN[log_type])
end

return {
  id = "EC-LOG-01",
  title = "Cache delivers its slow log or engine log",
  severity = "low",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  params = { required_log_types = {}, log_group = "/aws/elasticache/{id}/{log_type}",
             log_format = "json" },
  refs = {
    cis_db = { "5.6", "5.9" },
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Log_Delivery.html",
    },
  },
  rationale = [[
Without log delivery, the engine's own record of what happened (the
engine log: its internal events, such as backups starting and replicas
failing to sync; the slow log: commands that ran long, with their client
addresses) stays on the nodes, where it is overwritten and lost with them,
and cannot be searched or kept for an investigation.]],
  remediation = [[
In place, on Valkey and Redis OSS (slow log from 6.0, engine log from
6.2), for a replication group or a standalone cluster:
  aws logs create-log-group --log-group-name /aws/elasticache/<id>/slow-log
  aws elasticache modify-replication-group --replication-group-id <id> \
    --log-delivery-configurations '[{"LogType":"slow-log","DestinationType":"cloudwatch-logs",
      "DestinationDetails":{"CloudWatchLogsDetails":{"LogGroup":"/aws/elasticache/<id>/slow-log"}},
      "LogFormat":"json","Enabled":true}]' --apply-immediately
(modify-cache-cluster --cache-cluster-id <id> for a standalone cluster;
DestinationType kinesis-firehose with KinesisFirehoseDetails.DeliveryStream
for Firehose). Log delivery changes need --apply-immediately, and the
caller needs logs:CreateLogDelivery and related permissions. Backout: the
same call with '[{"LogType":"slow-log","Enabled":false}]'. Memcached and
serverless caches have no log delivery.]],
  check = function(cache, ctx)
    local required = settings(ctx).required_log_types
    if cache.kind == "serverless_cache" then
      return result.not_applicable("serverless caches have no log delivery")
    end
    if cache.engine == "memcached" then
      return result.not_applicable("log delivery (slow log, engine log) is for Valkey and Redis OSS only")
    end
    local entries = by_type(cache)
    local function active(t)
      return entries[t] ~= nil and entries[t].Status == "active"
    end
    if #required == 0 then
      for _, t in ipairs(LOG_TYPES) do
        if active(t) then
          return result.pass(string_format("%s delivery is active (%s)", t, destination_text(entries[t])),
                             evidence_of(cache, required))
        end
      end
      return result.fail(string_format("no slow-log or engine-log delivery is active (%s; %s)",
                                       state_text("slow-log", entries["slow-log"]),
                                       state_text("engine-log", entries["engine-log"])),
                         evidence_of(cache, required))
    end
    local missing = {}
    for _, t in ipairs(required) do
      if not active(t) then missing[#missing + 1] = state_text(t, entries[t]) end
    end
    if #missing == 0 then
      local verb = #required == 1 and " delivery is active" or " delivery are active"
      return result.pass(concat(required, " and ") .. verb, evidence_of(cache, required))
    end
    return result.fail(string_format("required log delivery is not active: %s", concat(missing, "; ")),
                       evidence_of(cache, required))
  end,
  remediate = function(cache, _, ctx)
    local entries = by_type(cache)
    local params = settings(ctx)
    local todo = types_to_enable(entries, params.required_log_types)
    if todo == nil then return nil end   -- a change is under way: wait for it
    local format = params.log_format
    local steps, requests, undo, created = {}, {}, {}, {}
    local preconditions = {
      "the caller may set up log delivery (logs:CreateLogDelivery, logs:GetLogDelivery, "
        .. "logs:UpdateLogDelivery, logs:DeleteLogDelivery, logs:ListLogDeliveries)",
    }
    for i, t in ipairs(todo) do
      local entry = entries[t]
      local request = { LogType = t, Enabled = true }
      local reported = entry and entry.DestinationType and entry.DestinationDetails
        and copy_destination(entry.DestinationDetails)
      if reported then
        -- retry the destination already chosen for this log type
        request.DestinationType, request.DestinationDetails = entry.DestinationType, reported
        request.LogFormat = entry.LogFormat or format
      else
        local group = log_group_name(cache, t, params.log_group)
        request.DestinationType = "cloudwatch-logs"
        request.DestinationDetails = { CloudWatchLogsDetails = { LogGroup = group } }
        request.LogFormat = format
        if not created[group] then
          created[group] = true
          steps[#steps + 1] = plan.manual("Create the CloudWatch Logs log group " .. group,
            "Run 'aws logs create-log-group --log-group-name " .. group .. "' (skip it if the group exists), "
              .. "and set its retention (aws logs put-retention-policy).",
            { backout = plan.manual("Delete the log group " .. group,
                "If the plan created it, run 'aws logs delete-log-group --log-group-name " .. group .. "'.") })
        end
      end
      if entry and entry.Status == "error" then
        preconditions[#preconditions + 1] = "the cause of the failed " .. t .. " delivery is fixed: "
          .. (entry.Message or "see its Message")
      elseif entry and entry.Status == "disabling" then
        preconditions[#preconditions + 1] = { text = "turning " .. t .. " delivery off has finished", met = false }
      end
      preconditions[#preconditions + 1] = {
        text = string_format("the engine has %s delivery (Valkey, or Redis OSS %s or later)", t, REDIS_MIN[t]),
        met = engine_supports(cache, ctx, t),
      }
      requests[i], undo[i] = request, { LogType = t, Enabled = false }
    end
    steps[#steps + 1] = plan.modify(cache, { LogDeliveryConfigurations = requests },
                                           { LogDeliveryConfigurations = undo })
    local warnings = {
      "CloudWatch Logs charges apply to delivered logs (vended logs), even when they go to Firehose",
    }
    if todo[1] == "slow-log" then
      warnings[2] = "slow-log entries name commands and client addresses: restrict who can read the destination"
    end
    return plan.new {
      summary = string_format("Deliver the %s of %s", concat(todo, " and "), cache.id),
      preconditions = preconditions,
      warnings = warnings,
      steps = steps,
    }
  end,
}
