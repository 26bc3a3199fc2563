-- EC-ENC-04: TLS is required, not just preferred.
-- Semantics: docs/founding-controls.md#ec-enc-04-tls-is-required-not-just-preferred;
-- plans: docs/controls/encryption.md#ec-enc-04-tls-is-required-not-just-preferred

local require = require

local migration = require "migration"
local plan = require "plan"
local result = require "result"

return {
  id = "EC-ENC-04",
  title = "Cache requires TLS, not just prefers it",
  severity = "high",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  refs = {
    cis_db = "5.1",
    fsbp = "none",
    config = "none",
    prowler = "none",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption-enable.html",
    },
  },
  rationale = [[
In preferred mode a cache accepts TLS and plaintext connections alike, so
a client that is misconfigured, or an attacker, still talks in clear. Tools
that only check TransitEncryptionEnabled pass such a cache.]],
  remediation = [[
- Mode preferred, on a replication group: once every client uses TLS on
  the group's TLS endpoints (aws elasticache describe-replication-groups
  --replication-group-id <id>: ConfigurationEndpoint with cluster mode,
  else NodeGroups[].PrimaryEndpoint and ReaderEndpoint; their DNS names
  differ from the old non-TLS ones),
    aws elasticache modify-replication-group --replication-group-id <id> \
      --transit-encryption-mode required
  Send only this field. It deletes the old non-TLS endpoints: a client
  still using their names can no longer connect. Backout: whether required
  can go back to preferred is not documented; check before relying on it.
- TLS off: first the two steps of EC-ENC-03 (--transit-encryption-enabled
  --transit-encryption-mode preferred, move clients to TLS, then
  --transit-encryption-mode required), which need Valkey 7.2+ or Redis OSS
  7.0+ on a replication group; upgrade or migrate otherwise.
- Standalone clusters and Memcached cannot change TLS settings in place:
  migrate to a new cache created with TLS required, move clients to the new
  endpoint, keep the old one until the new one is verified, then delete it.

`ecpolicy plan` gives the preferred-to-required step (or, for a standalone
cluster, the migration). For TLS off it offers nothing here: EC-ENC-03's
plan turns TLS on and ends in required.]],
  check = function(cache)
    if cache.kind == "serverless_cache" then
      return result.pass("serverless caches always require TLS")
    end
    local transit = cache.transit_encryption
    if not transit.enabled then
      return result.fail("in-transit encryption (TLS) is off", { TransitEncryptionEnabled = false })
    end
    local mode = transit.mode
    if mode == "required" then
      return result.pass("TLS is required")
    end
    if mode == "preferred" then
      return result.fail("TLS mode is preferred: plaintext clients are still accepted",
                         { TransitEncryptionEnabled = true, TransitEncryptionMode = "preferred" })
    end
    if mode == nil then
      if cache.engine == "memcached" then
        return result.pass("TLS is on, and Memcached has no preferred mode")
      end
      return result.unknown("TLS is on but its mode (TransitEncryptionMode) was not reported")
    end
    return result.unknown("unrecognised TransitEncryptionMode " .. mode)
  end,
  -- TLS off: EC-ENC-03's plan turns it on and ends in required, so this
  -- control offers none (one plan per fix).  Preferred: the second step.
  remediate = function(cache, _, ctx)
    if not cache.transit_encryption.enabled then
      return nil, "TLS is off: EC-ENC-03's plan turns it on and ends in required mode"
    end
    if cache.engine == "memcached" then
      return migration.to_memcached_cluster(cache, ctx, { TransitEncryptionEnabled = true },
        { summary = "Rebuild " .. cache.id .. " as a Memcached cluster with TLS", suffix = "tls" })
    end
    if cache.kind ~= "replication_group" then
      -- A standalone cluster cannot change TLS in place.
      return migration.to_replication_group(cache, ctx, { TransitEncryptionEnabled = true },
        { summary = "Rebuild " .. cache.id .. " as a replication group that requires TLS",
          suffix = "tls" })
    end
    local id = cache.id
    return plan.new {
      summary = "Require TLS on " .. id,
      preconditions = { "every client of " .. id .. " connects with TLS to the group's TLS endpoints, "
        .. "not to the old non-TLS endpoint names: the change drops plaintext connections and deletes "
        .. "the old endpoints" },
      warnings = {
        "Requiring TLS deletes " .. id .. "'s old non-TLS endpoints, whose DNS names differ from the "
          .. "TLS ones: a client still using an old name cannot connect afterwards, TLS or not. The TLS "
          .. "endpoints are in aws elasticache describe-replication-groups --replication-group-id " .. id
          .. " (ConfigurationEndpoint with cluster mode, else NodeGroups[].PrimaryEndpoint and "
          .. "ReaderEndpoint).",
        "Whether required can go back to preferred (the backout) is not documented "
          .. "by AWS: test it on a copy before relying on it.",
      },
      steps = {
        plan.modify(cache, { TransitEncryptionMode = "required" }, { TransitEncryptionMode = "preferred" },
                    { title = "Require TLS on " .. id .. ": plaintext connections are dropped and the old "
                        .. "non-TLS endpoints deleted" }),
      },
    }
  end,
}
