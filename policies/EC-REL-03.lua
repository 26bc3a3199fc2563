-- EC-REL-03: a replication group is Multi-AZ (MultiAZ "enabled"): its
-- replicas stand in other Availability Zones and one takes over when the
-- primary's zone fails. Standalone clusters and serverless caches are not
-- applicable.
-- Semantics: docs/controls/operations.md#ec-rel-03-multi-az-is-on

local ipairs, require = ipairs, require
local string_format, string_match = string.format, string.match

local plan = require "plan"
local result = require "result"

-- The node groups (shards) that have no replica, from the group's own
-- NodeGroups[].NodeGroupMembers (the primary is one member); nil when the
-- record does not list its members. (EC-REL-02 has the same helpers: a
-- policy cannot load another.)
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

-- Whether every shard has a node outside its primary's Availability Zone:
-- false as soon as one shard's nodes share a single zone; nil when that
-- cannot be told (zones not reported, or a shard is to get a replica whose
-- zone ElastiCache will pick).
local function replicas_in_other_zones(group)
  local shards = group.raw.NodeGroups
  if shards == nil or #shards == 0 then return nil end
  local known = true
  for _, shard in ipairs(shards) do
    local members = shard.NodeGroupMembers or {}
    local zones, first, spread = #members >= 2, members[1] and members[1].PreferredAvailabilityZone, false
    for _, member in ipairs(members) do
      local zone = member.PreferredAvailabilityZone
      if zone == nil then zones = false elseif zone ~= first then spread = true end
    end
    if zones and not spread then return false end
    known = known and zones
  end
  if known then return true end
  return nil
end

-- Multi-AZ with automatic failover is not supported on T1 nodes (the
-- CacheNodeType notes of the ElastiCache API).
local function node_type_precondition(group)
  local node_type = group.raw.CacheNodeType
  local met
  if node_type then met = string_match(node_type, "^cache%.t1%.") == nil end
  return { text = "the node type is not T1 (cache.t1.*), which has no Multi-AZ", met = met }
end

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
    local preconditions = { node_type_precondition(group) }
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
    local lacking, shard_count = shards_without_replica(group)
    if lacking == nil then
      preconditions[#preconditions + 1] = { text = "every shard has at least one replica" }
    elseif #lacking > 0 then
      steps[1] = add_replicas(group, lacking, shard_count)
      warnings[1] = string_format("%d shard(s) get a replica: a new node of the group's node type, "
                                  .. "billed as such; it copies the shard's data from its primary. "
                                  .. "ElastiCache picks its Availability Zone: check that it is not "
                                  .. "the primary's", #lacking)
    else
      preconditions[#preconditions + 1] = { text = "every shard has at least one replica", met = true }
    end
    preconditions[#preconditions + 1] = {
      text = "every shard has a node in another Availability Zone than its primary's",
      met = replicas_in_other_zones(group),
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
