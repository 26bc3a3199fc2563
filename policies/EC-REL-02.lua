-- EC-REL-02: a replication group fails over to a replica automatically
-- (AutomaticFailover "enabled"). Standalone clusters and serverless caches
-- are not applicable.
-- Semantics: docs/controls/operations.md#ec-rel-02-automatic-failover-is-on

local require = require
local string_format = string.format

local plan = require "plan"
local replicas = require "replicas"
local result = require "result"

return {
  id = "EC-REL-02",
  title = "Replication group fails over to a replica automatically",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  refs = {
    fsbp = "ElastiCache.3",
    config = "elasticache-repl-grp-auto-failover-enabled",
    prowler = "elasticache_redis_cluster_automatic_failover_enabled",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html",
      "https://docs.aws.amazon.com/config/latest/developerguide/elasticache-repl-grp-auto-failover-enabled.html",
    },
  },
  rationale = [[
Without automatic failover, a failed primary leaves the group unable to
take writes until someone promotes a replica by hand or the node is
replaced: an outage that an attacker who can crash a node, or plain
hardware failure, turns into lost availability.]],
  remediation = [[
In place, on a replication group that has at least one replica in every
shard (node group):
  aws elasticache modify-replication-group --replication-group-id <id> \
    --automatic-failover-enabled --apply-immediately
A shard without a replica needs one first, also in place:
  aws elasticache increase-replica-count --replication-group-id <id> \
    --new-replica-count 1 --apply-immediately
(cluster mode enabled, only some shards: --replica-configuration
NodeGroupId=<shard>,NewReplicaCount=1). T1 nodes cannot fail over.
Backout: --no-automatic-failover-enabled (turn Multi-AZ off first if it
is on), then decrease-replica-count for the replicas added. Standalone
clusters cannot fail over (they have one node); serverless caches fail
over by themselves.]],
  check = function(cache)
    if cache.kind == "serverless_cache" then
      return result.not_applicable(
        "serverless caches replicate across Availability Zones and fail over automatically: there is no setting")
    end
    if cache.kind == "cache_cluster" then
      if cache.engine == "memcached" then
        return result.not_applicable("Memcached has no replicas to fail over to")
      end
      return result.not_applicable(
        "a standalone cluster has one node and no replica: automatic failover is a replication-group setting")
    end
    local state = cache.automatic_failover
    if state == nil then
      return result.unknown("AutomaticFailover is not reported for this replication group")
    end
    local evidence = { AutomaticFailover = state }
    if state == "enabled" then
      return result.pass("automatic failover is on", evidence)
    end
    if state == "enabling" then
      return result.fail("automatic failover is still being turned on (enabling): it is not on yet", evidence)
    end
    return result.fail(string_format("automatic failover is %s", state), evidence)
  end,
  remediate = function(group)
    -- "enabling": the change is already under way; there is nothing to do.
    if group.automatic_failover == "enabling" then return nil end
    local steps, warnings = {}, {}
    local preconditions = { replicas.node_type_precondition(group, "automatic failover") }
    if group.automatic_failover == "disabling" then
      preconditions[#preconditions + 1] = {
        text = "the change that is turning automatic failover off has finished (the group is available)",
        met = false,
      }
    end
    replicas.ensure_replicas(group, preconditions, steps, warnings)
    steps[#steps + 1] = plan.modify(group, { AutomaticFailoverEnabled = true },
                                           { AutomaticFailoverEnabled = false })
    warnings[#warnings + 1] = "on failover clients must reconnect; those that write through a node endpoint "
      .. "instead of the primary endpoint must follow the new primary"
    return plan.new {
      summary = "Turn on automatic failover for replication group " .. group.id,
      preconditions = preconditions,
      warnings = warnings,
      steps = steps,
    }
  end,
}
