return {
  id = "T-PLAN-NO-BACKOUT", title = "plans", severity = "high", resource = "cache",
  check = function() return "fail", "always" end,
  remediate = function(cache)
    return { summary = "s", steps = { { title = "t", service = "elasticache", action = "ModifyReplicationGroup",
                                        effect = "in_place", params = { ReplicationGroupId = cache.id } } } }
  end,
}
