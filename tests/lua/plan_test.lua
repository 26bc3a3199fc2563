local plan = require "plan"
local check = require "check"
local eq, raises = check.eq, check.raises

local tests = {}

local group = { kind = "replication_group", id = "rg-1" }
local cluster = { kind = "cache_cluster", id = "cc-1" }
local serverless = { kind = "serverless_cache", id = "sl-1" }

tests["call: an API step with its defaults"] = function()
  local s = plan.call("ec2", "RevokeSecurityGroupIngress", { GroupId = "sg-1" },
                      { no_backout = "nothing to undo" })
  eq(s.service, "ec2") eq(s.action, "RevokeSecurityGroupIngress")
  eq(s.effect, "in_place", "in place unless said otherwise")
  eq(s.title, "revoke security group ingress", "a title from the action")
  eq(s.no_backout, "nothing to undo") eq(s.backout, nil)
end

tests["call: arguments are checked where the policy passed them"] = function()
  raises('plan.call: service must be "elasticache" or "ec2", got rds', plan.call, "rds", "X", {})
  raises("plan.call: action must be a non-empty string, got an empty string", plan.call, "ec2", "", {})
  raises("plan.call: params must be a table, got nil", plan.call, "ec2", "X")
  raises("plan.call: unknown option 'efect' (options: backout, effect, no_backout, title, wait)",
         plan.call, "ec2", "X", {}, { efect = "migration" })
  raises('plan.call: opts.effect must be "in_place" or "migration", got sideways',
         plan.call, "ec2", "X", {}, { effect = "sideways" })
  raises("plan.call: give backout or no_backout, not both", plan.call, "ec2", "X", {},
         { backout = {}, no_backout = "n" })
  local err = raises("plan.call", function() local s = plan.call("rds", "X", {}) return s end)
  assert(err:find("plan_test.lua:", 1, true), "names the calling line: " .. err)
end

tests["manual: a step for people"] = function()
  local b = plan.manual("Move back", "Point clients at the old endpoint.")
  local s = plan.manual("Move clients", "Point clients at the new endpoint.", { backout = b })
  eq(s.title, "Move clients") eq(s.instructions, "Point clients at the new endpoint.")
  eq(s.backout, b)
  raises("plan.manual: instructions must be a non-empty string", plan.manual, "t")
end

tests["id_param and waiter follow the cache's kind"] = function()
  eq(plan.id_param(group), "ReplicationGroupId")
  eq(plan.id_param(cluster), "CacheClusterId")
  eq(plan.id_param(serverless), "ServerlessCacheName")
  eq(plan.waiter(group).waiter, "ReplicationGroupAvailable")
  eq(plan.waiter(cluster).params.CacheClusterId, "cc-1")
  eq(plan.waiter(serverless), nil, "AWS has no waiter for serverless caches")
  raises("cache.kind must be cache_cluster, replication_group or serverless_cache, got snapshot",
         plan.id_param, { kind = "snapshot" })
end

tests["modify: only the changes, the identifier, ApplyImmediately, a wait, the backout"] = function()
  local s = plan.modify(group, { SnapshotRetentionLimit = 7 }, { SnapshotRetentionLimit = 0 })
  eq(s.action, "ModifyReplicationGroup")
  eq(s.params.ReplicationGroupId, "rg-1") eq(s.params.SnapshotRetentionLimit, 7)
  eq(s.params.ApplyImmediately, true)
  eq(s.wait.waiter, "ReplicationGroupAvailable")
  eq(s.backout.action, "ModifyReplicationGroup")
  eq(s.backout.params.SnapshotRetentionLimit, 0)
  eq(s.backout.title, "Restore SnapshotRetentionLimit on replication group rg-1")
  local n = 0
  for _ in pairs(s.params) do n = n + 1 end
  eq(n, 3, "nothing else is sent")
end

tests["modify: serverless caches take no ApplyImmediately and have no waiter"] = function()
  local s = plan.modify(serverless, { SnapshotRetentionLimit = 7 }, { SnapshotRetentionLimit = 1 })
  eq(s.action, "ModifyServerlessCache") eq(s.params.ServerlessCacheName, "sl-1")
  eq(s.params.ApplyImmediately, nil) eq(s.wait, nil)
end

tests["modify: a backout of its own, or a title for the one previous makes"] = function()
  local s = plan.modify(cluster, { AutoMinorVersionUpgrade = true }, { AutoMinorVersionUpgrade = false },
                        { backout_title = "Stop automatic upgrades" })
  eq(s.backout.title, "Stop automatic upgrades")
  s = plan.modify(cluster, { EngineVersion = "7.1" }, nil, { no_backout = "engines cannot be downgraded" })
  eq(s.no_backout, "engines cannot be downgraded") eq(s.backout, nil)
  raises("plan.modify: previous gives the backout", plan.modify, cluster, { A = 1 }, { A = 0 },
         { no_backout = "x" })
  raises("plan.modify: opts.backout_title needs previous", plan.modify, cluster, { A = 1 }, nil,
         { backout_title = "x", no_backout = "y" })
  raises("plan.modify: changes is empty", plan.modify, cluster, {}, {})
end

tests["new: the plan's own fields are checked, steps by the engine"] = function()
  local p = plan.new { summary = "s", steps = { plan.manual("t", "i", { no_backout = "n" }) } }
  eq(p.summary, "s")
  raises("plan.new: unknown field 'step'", plan.new, { summary = "s", step = {} })
  raises("plan.new: steps is empty: a plan has at least one step", plan.new, { summary = "s", steps = {} })
  raises("plan.new: steps[1] must be a step table, got string", plan.new, { summary = "s", steps = { "x" } })
  raises("plan.new: summary must be a non-empty string", plan.new, { steps = {} })
end

return tests
