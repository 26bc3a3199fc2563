---@meta replicas
-- LuaLS types of stdlib/replicas.lua: the shards of a replication group and
-- their replicas, read from the group's own record (docs/stdlib.md#replicas).

---@class ecpolicy.replicas
local replicas = {}

--- The ids of the shards (node groups) with no replica, and how many shards
--- there are; nil when the record does not list the shards' members.
---@param group ecpolicy.Cache a replication group
---@return string[]|nil lacking
---@return integer? shard_count
function replicas.shards_without_replica(group) end

--- The IncreaseReplicaCount step that gives each shard of `lacking` one
--- replica (NewReplicaCount when that is every shard, else
--- ReplicaConfiguration), with DecreaseReplicaCount as its backout.
---@param group ecpolicy.Cache
---@param lacking string[] shard ids, from shards_without_replica
---@param shard_count integer
---@return ecpolicy.CallStep
function replicas.add_replicas(group, lacking, shard_count) end

--- Whether every shard has a node in another Availability Zone than its
--- primary's: false as soon as one has not, nil when it cannot be told.
---@param group ecpolicy.Cache
---@return boolean|nil
function replicas.in_other_zones(group) end

--- The precondition that the node type is not T1 (cache.t1.*), which has
--- no `what` ("automatic failover", "Multi-AZ"); met is nil when the node
--- type is not reported.
---@param group ecpolicy.Cache
---@param what string
---@return ecpolicy.Precondition
function replicas.node_type_precondition(group, what) end

--- Append to the lists what gives every shard a replica: the
--- add_replicas step and a warning (ending with `note`) when some shard has
--- none, else the precondition "every shard has at least one replica".
---@param group ecpolicy.Cache
---@param preconditions ecpolicy.Precondition[]
---@param steps (ecpolicy.CallStep|ecpolicy.ManualStep)[]
---@param warnings string[]
---@param note? string
---@return nil
function replicas.ensure_replicas(group, preconditions, steps, warnings, note) end

return replicas
