local replicas = require "replicas"
local fake = require "fake"
local check = require "check"
local eq = check.eq

local tests = {}

local function node(zone) return { PreferredAvailabilityZone = zone } end

-- A replication group whose NodeGroups are the shards given.
local function group(shards, raw_extra)
  local raw = { ReplicationGroupId = "rg", CacheNodeType = "cache.r7g.large", NodeGroups = shards }
  for k, v in pairs(raw_extra or {}) do raw[k] = v end
  return fake.cache({ kind = "replication_group", id = "rg", raw = raw })
end

tests["shards_without_replica: the shards of one member, and the count"] = function()
  local lacking, n = replicas.shards_without_replica(group({
    { NodeGroupId = "0001", NodeGroupMembers = { node("a"), node("b") } },
    { NodeGroupId = "0002", NodeGroupMembers = { node("a") } },
    { NodeGroupId = "0003", NodeGroupMembers = {} },
  }))
  eq(table.concat(lacking, " "), "0002 0003") eq(n, 3)
  lacking, n = replicas.shards_without_replica(group({ { NodeGroupId = "0001", NodeGroupMembers = { {}, {} } } }))
  eq(#lacking, 0) eq(n, 1)
end

tests["shards_without_replica: nil when the members are not listed"] = function()
  eq(replicas.shards_without_replica(group(nil)), nil)
  eq(replicas.shards_without_replica(group({})), nil)
  eq(replicas.shards_without_replica(group({ { NodeGroupId = "0001" } })), nil)
end

tests["add_replicas: every shard by count, some by configuration, each undone"] = function()
  local all = replicas.add_replicas(group({}), { "0001" }, 1)
  eq(all.action, "IncreaseReplicaCount") eq(all.params.NewReplicaCount, 1)
  eq(all.params.ReplicaConfiguration, nil) eq(all.params.ApplyImmediately, true)
  eq(all.backout.action, "DecreaseReplicaCount") eq(all.backout.params.NewReplicaCount, 0)
  eq(all.wait.waiter, "ReplicationGroupAvailable") eq(all.wait.params.ReplicationGroupId, "rg")
  local some = replicas.add_replicas(group({}), { "0002", "0003" }, 3)
  eq(some.params.NewReplicaCount, nil)
  eq(#some.params.ReplicaConfiguration, 2)
  eq(some.params.ReplicaConfiguration[2].NodeGroupId, "0003")
  eq(some.params.ReplicaConfiguration[2].NewReplicaCount, 1)
  eq(some.backout.params.ReplicaConfiguration[1].NewReplicaCount, 0)
end

tests["in_other_zones: true, false, or nil when it cannot be told"] = function()
  eq(replicas.in_other_zones(group({ { NodeGroupMembers = { node("a"), node("b") } },
                                     { NodeGroupMembers = { node("b"), node("b"), node("c") } } })), true)
  eq(replicas.in_other_zones(group({ { NodeGroupMembers = { node("a"), node("b") } },
                                     { NodeGroupMembers = { node("c"), node("c") } } })), false)
  -- One shard known to share a zone is false even if another is unknown.
  eq(replicas.in_other_zones(group({ { NodeGroupMembers = { node("a"), {} } },
                                     { NodeGroupMembers = { node("c"), node("c") } } })), false)
  eq(replicas.in_other_zones(group({ { NodeGroupMembers = { node("a"), {} } } })), nil)
  eq(replicas.in_other_zones(group({ { NodeGroupMembers = { node("a") } } })), nil)
  eq(replicas.in_other_zones(group(nil)), nil)
end

tests["in_other_zones: two zones in a shard settle it, a zone missing or not"] = function()
  -- Nodes in a and b: whichever is the primary, even the one without a
  -- zone, one of them is elsewhere.
  eq(replicas.in_other_zones(group({ { NodeGroupMembers = { node("a"), node("b"), {} } } })), true)
  eq(replicas.in_other_zones(group({ { NodeGroupMembers = { {}, node("a"), node("b") } } })), true)
  eq(replicas.in_other_zones(group({ { NodeGroupMembers = { node("a"), node("b"), {} } },
                                     { NodeGroupMembers = { node("c"), node("a") } } })), true)
  -- One zone known and one missing: the missing one may be the same zone.
  eq(replicas.in_other_zones(group({ { NodeGroupMembers = { {}, node("a") } } })), nil)
  eq(replicas.in_other_zones(group({ { NodeGroupMembers = { {}, node("a"), node("a") } } })), nil)
  eq(replicas.in_other_zones(group({ { NodeGroupMembers = { node("a"), node("b"), {} } },
                                     { NodeGroupMembers = { node("c"), {} } } })), nil)
end

tests["node_type_precondition: T1 cannot, others can, unknown when not told"] = function()
  local p = replicas.node_type_precondition(group({}, { CacheNodeType = "cache.t1.micro" }), "Multi-AZ")
  eq(p.met, false) eq(p.text, "the node type is not T1 (cache.t1.*), which has no Multi-AZ")
  eq(replicas.node_type_precondition(group({}, { CacheNodeType = "cache.t4g.small" }), "x").met, true)
  -- false stands for absent: a pairs() copy cannot carry a nil.
  eq(replicas.node_type_precondition(group({}, { CacheNodeType = false }), "x").met, nil)
end

tests["ensure_replicas: a step and a warning, or the precondition"] = function()
  local pre, steps, warnings = {}, {}, {}
  replicas.ensure_replicas(group({ { NodeGroupId = "0001", NodeGroupMembers = { node("a") } } }),
                           pre, steps, warnings, ". Note")
  eq(#pre, 0) eq(#steps, 1) eq(steps[1].action, "IncreaseReplicaCount")
  eq(warnings[1]:match("^1 shard%(s%) get a replica") ~= nil, true)
  eq(warnings[1]:sub(-6), ". Note")
  pre, steps, warnings = { "first" }, {}, {}
  replicas.ensure_replicas(group({ { NodeGroupId = "0001", NodeGroupMembers = { node("a"), node("b") } } }),
                           pre, steps, warnings)
  eq(#pre, 2) eq(pre[2].text, "every shard has at least one replica") eq(pre[2].met, true)
  eq(#steps, 0) eq(#warnings, 0)
  pre = {}
  replicas.ensure_replicas(group(nil), pre, {}, {})
  eq(pre[1].met, nil)
end

return tests
