-- A migration with a step done by hand.
local plan = require "plan"
return {
  id = "T-PLAN-MANUAL", title = "plans", severity = "high", resource = "cache",
  check = function() return "fail", "always" end,
  remediate = function(cache)
    return plan.new {
      summary = "Make a new one",
      steps = {
        plan.call("elasticache", "CreateSnapshot", { ReplicationGroupId = cache.id, SnapshotName = cache.id .. "-copy" },
                  { effect = "migration", backout = plan.call("elasticache", "DeleteSnapshot", { SnapshotName = cache.id .. "-copy" }) }),
        plan.manual("Move the clients", "Point every client at the new endpoint.",
                    { backout = plan.manual("Move them back", "Point every client at the old endpoint.") }),
      },
    }
  end,
}
