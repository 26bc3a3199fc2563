-- The shards (node groups) of a replication group and their replicas:
-- which shards have none, adding one where missing (with its backout),
-- whether replicas stand in another Availability Zone than their primary,
-- and the node types that cannot fail over. For EC-REL-02 (automatic
-- failover) and EC-REL-03 (Multi-AZ), and for packs that check the same.
--
-- Everything is read from the group's own record (raw.NodeGroups, with
-- NodeGroupMembers and their PreferredAvailabilityZone, raw.CacheNodeType):
-- no other collection is needed.

local ipairs = ipairs
local string_format, string_match = string.format, string.match

local plan = require "plan"

local M = {}

-- The ids of the shards with no replica (the primary is one member) and
-- the number of shards; nil when the record does not list the members.
function M.shards_without_replica(group)
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

-- IncreaseReplicaCount to one replica in each shard of lacking:
-- NewReplicaCount when that is every shard, else ReplicaConfiguration for
-- just those. Backout: DecreaseReplicaCount of the same shards to none.
function M.add_replicas(group, lacking, shard_count)
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
-- cannot be told (zones not reported, or a shard has no replica yet and
-- ElastiCache will pick the new one's zone). A shard with members in two
-- zones has, whichever member is the primary (even one whose zone is not
-- reported), a node elsewhere: which member is the primary is not needed.
function M.in_other_zones(group)
  local shards = group.raw.NodeGroups
  if shards == nil or #shards == 0 then return nil end
  local known = true
  for _, shard in ipairs(shards) do
    local members = shard.NodeGroupMembers or {}
    local seen, spread, every_zone = nil, false, true
    for _, member in ipairs(members) do
      local zone = member.PreferredAvailabilityZone
      if zone == nil then
        every_zone = false
      elseif seen == nil then
        seen = zone
      elseif zone ~= seen then
        spread = true
      end
    end
    if not spread then
      if every_zone and #members >= 2 then return false end
      known = false
    end
  end
  if known then return true end
  return nil
end

-- The precondition that the node type is not T1 (cache.t1.*), which has
-- neither automatic failover nor Multi-AZ (the CacheNodeType notes of the
-- ElastiCache API); met is nil when the record has no node type. what
-- names the feature in the text.
function M.node_type_precondition(group, what)
  local node_type = group.raw.CacheNodeType
  local met
  if node_type then met = string_match(node_type, "^cache%.t1%.") == nil end
  return { text = string_format("the node type is not T1 (cache.t1.*), which has no %s", what), met = met }
end

-- The preconditions and first steps that give every shard a replica:
-- a step adding them (and its warning) when some shard has none, else a
-- precondition that says every shard has one (met unknown when the
-- record does not list the members). Appended to the lists given.
function M.ensure_replicas(group, preconditions, steps, warnings, note)
  local lacking, shard_count = M.shards_without_replica(group)
  if lacking ~= nil and #lacking > 0 then
    steps[#steps + 1] = M.add_replicas(group, lacking, shard_count)
    warnings[#warnings + 1] = string_format("%d shard(s) get a replica: a new node of the group's node type, "
                                            .. "billed as such; it copies the shard's data from its primary%s",
                                            #lacking, note or "")
  else
    preconditions[#preconditions + 1] = { text = "every shard has at least one replica",
                                          met = lacking and true or nil }
  end
end

return M
