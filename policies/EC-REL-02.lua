-- EC-REL-02: a replication group fails over to a replica automatically
-- (AutomaticFailover "enabled"). Standalone clusters and serverless caches
-- are not applicable.
-- Semantics: docs/controls/operations.md#ec-rel-02-automatic-failover-is-on

local ipairs, require = ipairs, require
local string_format, string_match = string.format, string.match

local plan = require "plan"
local result = require "result"

-- The node groups (shards) that have no replica, from the group's own
-- NodeGroups[].NodeGroupMembers (the primary is one member); nil when the
-- record does not list its members.
local function shards_without_replica(group)
  local shards = group.raw.NodeGroups
  if shards == nil or #shards == 0 then return nil end
  local lacking = {}
  for _, shard in ipairs(shards) do
    local members = shard.NodeGroupMembers
    if members == nil then return nil end
    if #members < 2 then lacking[#lacking + 1] = shard.NodeGroupId end
  end
  return lacking, #shards
end

-- IncreaseReplicaCount to one replica in every shard that has none:
-- NewReplicaCount when that is every shard, else ReplicaConfiguration for
-- just those shards. Backout: the same shards back to no replica.
local function add_replicas(group, lacking, shard_count)
  local id = group.id
  local function counts(n)
    local p = { ReplicationGroupId = id, ApplyImmediately = true }
    if #lacking == shard_count then
      p.NewReplicaCount = n
    else
      local shards = {}
      for i, shard_id in ipairs(lacking) do
        shards[i] = { NodeGroupId = shard_id, NewReplicaCount = n }
      end
      p.ReplicaConfiguration = shards
    end
    return p
  end
  local wait = plan.waiter(group)
  return plan.call("elasticache", "IncreaseReplicaCount", counts(1), {
    title = "Add a replica to every shard of " .. id .. " that has none",
    wait = wait,
    backout = plan.call("elasticache", "DecreaseReplicaCount", counts(0), {
      title = "Remove the replicas added to " .. id, wait = wait,
    }),
  })
end

-- Multi-AZ with automatic failover is not supported on T1 nodes (the
-- CacheNodeType notes of the ElastiCache API).
local function node_type_precondition(group)
  local node_type = group.raw.CacheNodeType
  local met
  if node_type then met = string_match(node_type, "^cache%.t1%.") == nil end
  return { text = "the node type is not T1 (cache.t1.*), which has no automatic failover", met = met }
end

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
    local preconditions = { node_type_precondition(group) }
    if group.automatic_failover == "disabling" then
      preconditions[#preconditions + 1] = {
        text = "the change that is turning automatic failover off has finished (the group is available)",
        met = false,
      }
    end
    local lacking, shard_count = shards_without_replica(group)
    if lacking == nil then
      preconditions[#preconditions + 1] = { text = "every shard has at least one replica" }
    elseif #lacking > 0 then
      steps[1] = add_replicas(group, lacking, shard_count)
      warnings[1] = string_format("%d shard(s) get a replica: a new node of the group's node type, "
                                  .. "billed as such; it copies the shard's data from its primary", #lacking)
    else
      preconditions[#preconditions + 1] = { text = "every shard has at least one replica", met = true }
    end
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
