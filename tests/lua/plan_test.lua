local plan = require "plan"
local check = require "check"
local eq = check.eq

-- raises(fragment, fn, ...): as check.raises, and the error points at this
-- file, where the policy's line would be, not into plan.lua.  fn is called
-- from here, not tail-called, so that this line is on the stack.
local function raises(fragment, fn, ...)
  local args = table.pack(...)
  local err = check.raises(fragment, function()
    local r = fn(table.unpack(args, 1, args.n)) return r
  end)
  if not err:find("plan_test.lua:", 1, true) then
    error(("error %q does not point at plan_test.lua"):format(err), 2)
  end
  return err
end

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

tests["every argument error points at the policy's line, from helpers too"] = function()
  raises("plan.call: opts must be a table, got number", plan.call, "ec2", "X", {}, 5)
  raises("plan.call: opts.no_backout must be a non-empty string, got number",
         plan.call, "ec2", "X", {}, { no_backout = 5 })
  raises("plan.call: opts.backout must be a table, got string",
         plan.call, "ec2", "X", {}, { backout = "b" })
  raises("plan.call: opts.wait must be a table, got string",
         plan.call, "ec2", "X", {}, { wait = "w" })
  raises("plan.manual: title must be a non-empty string, got nil", plan.manual)
  raises("plan.manual: unknown option 'title' (options: backout, no_backout)",
         plan.manual, "t", "i", { title = "x" })
  raises("plan.manual: opts.no_backout must be a non-empty string, got an empty string",
         plan.manual, "t", "i", { no_backout = "" })
  raises("plan.manual: give backout or no_backout, not both",
         plan.manual, "t", "i", { backout = {}, no_backout = "n" })
  raises("plan.id_param: cache must be a table, got nil", plan.id_param)
  raises("plan.waiter: cache.kind must be cache_cluster", plan.waiter, { kind = "x" })
  raises("plan.modify: cache must be a table, got string", plan.modify, "rg-1", { A = 1 })
  raises("plan.modify: changes must be a table, got nil", plan.modify, cluster, nil)
  raises("plan.modify: previous must be a table, got number", plan.modify, cluster, { A = 1 }, 0)
  raises("plan.modify: opts must be a table, got string", plan.modify, cluster, { A = 1 }, nil, "o")
  raises("plan.modify: changes has a key that is not a member name", plan.modify, cluster, { 1 })
  raises("plan.modify: opts.no_backout must be a non-empty string, got boolean",
         plan.modify, cluster, { A = 1 }, nil, { no_backout = true })
  raises("plan.modify: give backout or no_backout, not both",
         plan.modify, cluster, { A = 1 }, nil, { backout = {}, no_backout = "n" })
  raises("plan.new: the plan must be a table, got nil", plan.new)
  raises("plan.new: summary must be a non-empty string, got an empty string",
         plan.new, { summary = "" })
  raises("plan.new: steps must be a table, got nil", plan.new, { summary = "s" })
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
