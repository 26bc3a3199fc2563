-- EC-REL-03: a replication group is Multi-AZ (MultiAZ "enabled"): its
-- replicas stand in other Availability Zones and one takes over when the
-- primary's zone fails. Standalone clusters and serverless caches are not
-- applicable.
-- Semantics: docs/controls/operations.md#ec-rel-03-multi-az-is-on

local require = require
local string_format = string.format

local plan = require "plan"
local replicas = require "replicas"
local result = require "result"

return {
  id = "EC-REL-03",
  title = "Replication group is Multi-AZ",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  refs = {
    cis_db = "5.12",
    prowler = "elasticache_redis_cluster_multi_az_enabled",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
    },
  },
  rationale = [[
With Multi-AZ off, a replication group does not fail over to a replica
in another Availability Zone when its primary's zone fails: the loss of
one zone takes the cache down.]],
  remediation = [[
In place, on a replication group with at least one replica in every
shard. Multi-AZ needs automatic failover, so turn both on in one call:
  aws elasticache modify-replication-group --replication-group-id <id> \
    --automatic-failover-enabled --multi-az-enabled --apply-immediately
A shard without a replica needs one first (increase-replica-count
--new-replica-count 1 --apply-immediately; see EC-REL-02); put replicas
in other Availability Zones than their primary. T1 nodes cannot be
Multi-AZ. Backout: --no-multi-az-enabled (and
--no-automatic-failover-enabled if it was off before). Standalone
clusters have one node; serverless caches replicate across zones by
themselves.]],
  check = function(cache)
    if cache.kind == "serverless_cache" then
      return result.not_applicable(
        "serverless caches replicate data across Availability Zones automatically: there is no setting")
    end
    if cache.kind == "cache_cluster" then
      if cache.engine == "memcached" then
        return result.not_applicable(
          "Memcached has no replicas: spread its nodes over zones with PreferredAvailabilityZones instead")
      end
      return result.not_applicable(
        "a standalone cluster has one node and no replica: Multi-AZ is a replication-group setting")
    end
    local state = cache.multi_az
    if state == nil then
      return result.unknown("MultiAZ is not reported for this replication group")
    end
    if state == "enabled" then
      return result.pass("Multi-AZ is on", { MultiAZ = state })
    end
    return result.fail(string_format("Multi-AZ is %s", state),
                       { MultiAZ = state, AutomaticFailover = cache.automatic_failover })
  end,
  remediate = function(group)
    local steps, warnings = {}, {}
    local preconditions = { replicas.node_type_precondition(group, "Multi-AZ") }
    local changes, previous = { MultiAZEnabled = true }, { MultiAZEnabled = false }
    local failover = group.automatic_failover
    if failover == "enabling" then
      preconditions[#preconditions + 1] = {
        text = "automatic failover has finished turning on (it is 'enabling')", met = false,
      }
    elseif failover ~= "enabled" then
      -- Multi-AZ needs automatic failover: both in the same call.
      changes.AutomaticFailoverEnabled, previous.AutomaticFailoverEnabled = true, false
    end
    replicas.ensure_replicas(group, preconditions, steps, warnings,
      ". ElastiCache picks its Availability Zone: check that it is not the primary's")
    preconditions[#preconditions + 1] = {
      text = "every shard has a node in another Availability Zone than its primary's",
      met = replicas.in_other_zones(group),
    }
    steps[#steps + 1] = plan.modify(group, changes, previous)
    warnings[#warnings + 1] = "on failover clients must reconnect; those that write through a node endpoint "
      .. "instead of the primary endpoint must follow the new primary"
    return plan.new {
      summary = "Turn on Multi-AZ for replication group " .. group.id,
      preconditions = preconditions,
      warnings = warnings,
      steps = steps,
    }
  end,
}
