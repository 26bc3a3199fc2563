-- Always fails; its plan is two API steps on the replication group.
local plan = require "plan"
return {
  id = "T-PLAN-GOOD", title = "plans", severity = "high", resource = "cache",
  check = function() return "fail", "always" end,
  remediate = function(cache)
    return plan.new {
      summary = "Two steps",
      warnings = { "a warning" },
      preconditions = { { text = "met one", met = true }, "to check" },
      steps = {
        plan.modify(cache, { SnapshotRetentionLimit = 14 }, { SnapshotRetentionLimit = cache.backup_retention }),
        plan.call("ec2", "RevokeSecurityGroupIngress", {
          GroupId = "sg-0orders",
          IpPermissions = { { IpProtocol = "tcp", FromPort = 6379, ToPort = 6379,
                              IpRanges = { { CidrIp = "0.0.0.0/0" } } } },
        }, { title = "Revoke the open rule", backout = plan.call("ec2", "AuthorizeSecurityGroupIngress", {
          GroupId = "sg-0orders",
          IpPermissions = { { IpProtocol = "tcp", FromPort = 6379, ToPort = 6379,
                              IpRanges = { { CidrIp = "0.0.0.0/0", Description = "it's back" } } } },
        }) }),
      },
    }
  end,
}
