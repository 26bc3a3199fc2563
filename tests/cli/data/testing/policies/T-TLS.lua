-- A test policy for ecpolicy test: TLS on replication groups, with a
-- remediate that plans, offers nothing, fails, or returns a bad plan.
local plan = require "plan"

return {
  id = "T-TLS",
  title = "Caches use TLS",
  severity = "medium",
  resource = "cache",
  params = { mode = "required", allow = {} },
  check = function(cache, ctx)
    for _, id in ipairs(ctx.params.allow) do
      if id == cache.id then return "pass", "allowed by the allow parameter" end
    end
    if cache.engine == "memcached" then
      return "not_applicable", "Memcached is not checked here"
    end
    if cache.transit_encryption.enabled then
      return "pass", "TLS is on"
    end
    return "fail", "in-transit encryption (TLS) is off",
      { TransitEncryptionEnabled = false, Ports = cache.ports, Mode = ctx.params.mode }
  end,
  remediate = function(cache, _, ctx)
    if cache.id == "rg-broken" then error("remediate broke on purpose") end
    if cache.id == "rg-bad" then return { summary = "a plan without steps" } end
    if cache.kind ~= "replication_group" then return nil end
    return plan.new {
      summary = "Turn on TLS on " .. cache.id,
      warnings = { "clients must reconnect with TLS" },
      steps = {
        plan.modify(cache, { TransitEncryptionEnabled = true,
                             TransitEncryptionMode = ctx.params.mode },
                    { TransitEncryptionEnabled = false }),
      },
    }
  end,
}
