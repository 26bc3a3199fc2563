-- EC-ENC-03: traffic to the cache is encrypted in transit (TLS).
-- Semantics: docs/founding-controls.md#ec-enc-03-encryption-in-transit-is-on;
-- plans: docs/controls/encryption.md#ec-enc-03-encryption-in-transit-is-on

local require = require

local migration = require "migration"
local plan = require "plan"
local result = require "result"
local version = require "version"

-- In-place TLS changes need a replication group on Valkey 7.2+ or Redis
-- OSS 7.0+ (docs in-transit-encryption.html; shared research, controls.md
-- section 2).  nil: the version is not reported.
local function tls_in_place(cache)
  local v = cache.engine_version
  if v == nil then return nil end
  return version.at_least(v, cache.engine == "valkey" and "7.2" or "7.0")
end

local function in_place_plan(cache, supported)
  local id = cache.id
  local versions = "the group runs Valkey 7.2+ or Redis OSS 7.0+"
  return plan.new {
    summary = "Turn TLS on in place on " .. id .. ": preferred first, required once clients use TLS",
    preconditions = {
      supported == nil and (versions .. " (its version was not reported: check it)")
        or { text = versions .. " (it is " .. cache.engine_version .. ")", met = true },
      "every client of " .. id .. " can connect with TLS (and trusts the ElastiCache certificate)",
    },
    warnings = {
      "Until the last step, " .. id .. " accepts plaintext clients too (EC-ENC-04 fails meanwhile).",
      "Turning TLS on gives " .. id .. " new TLS endpoints, with other DNS names than the current ones: "
        .. "clients must move to them, with TLS. The old non-TLS endpoints stay in preferred mode and are "
        .. "deleted when TLS becomes required (the last step): a client still using an old name then "
        .. "cannot connect. TLS costs some CPU and latency.",
      "Whether TLS can be turned off again, or required go back to preferred, is not documented "
        .. "by AWS: test a backout on a copy before relying on it.",
    },
    steps = {
      plan.modify(cache, { TransitEncryptionEnabled = true, TransitEncryptionMode = "preferred" }, nil,
        { title = "Turn TLS on for " .. id .. ", still accepting plaintext (preferred)",
          backout = plan.manual("Stay in preferred mode",
          "Leave " .. id .. " in preferred mode: plaintext clients keep working, so nothing "
            .. "breaks. Do not count on turning TLS off again in place.") }),
      plan.manual("Move every client of " .. id .. " to TLS",
        "Read the group's new TLS endpoints (aws elasticache describe-replication-groups "
          .. "--replication-group-id " .. id .. ": ConfigurationEndpoint with cluster mode, else "
          .. "NodeGroups[].PrimaryEndpoint and ReaderEndpoint; their DNS names differ from the old "
          .. "ones). Reconfigure every client to connect with TLS to those endpoints (not to an old "
          .. "name, nor to a node's own name, which can change too), and check that none still "
          .. "connects in plaintext or to an old endpoint before the next step, which deletes the "
          .. "old endpoints.",
        { backout = plan.manual("Let clients use plaintext again",
          "While the group is in preferred mode, clients may go back to plaintext connections on "
            .. "the old endpoints, which stay until TLS is required.") }),
      plan.modify(cache, { TransitEncryptionMode = "required" }, { TransitEncryptionMode = "preferred" },
                  { title = "Require TLS on " .. id .. ": plaintext connections are dropped and the old "
                      .. "non-TLS endpoints deleted" }),
    },
  }
end

return {
  id = "EC-ENC-03",
  title = "Cache encrypts traffic in transit (TLS)",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  refs = {
    cis_db = { "5.1", "5.3" },
    fsbp = "ElastiCache.5",
    config = "elasticache-repl-grp-encrypted-in-transit",
    prowler = "elasticache_redis_cluster_in_transit_encryption_enabled",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption-enable.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html",
      "https://docs.aws.amazon.com/config/latest/developerguide/elasticache-repl-grp-encrypted-in-transit.html",
    },
  },
  rationale = [[
Without TLS, anyone on the network path reads and alters cache traffic,
AUTH tokens and RBAC passwords included: AUTH and RBAC both need TLS.]],
  remediation = [[
What can change in place depends on the cache:

- A replication group on Valkey 7.2+ or Redis OSS 7.0+: two steps with
  modify-replication-group (not modify-cache-cluster, which has no
  encryption options). Send only these fields: repeating
  --transit-encryption-enabled in unrelated calls fails on groups with
  access control.
  1. Turn TLS on, still accepting plaintext clients:
       aws elasticache modify-replication-group --replication-group-id <id> \
         --transit-encryption-enabled --transit-encryption-mode preferred
     This gives the group new TLS endpoints, with other DNS names; the old
     ones stay for now. Read them with
       aws elasticache describe-replication-groups --replication-group-id <id>
     (ConfigurationEndpoint with cluster mode, else NodeGroups[].PrimaryEndpoint
     and ReaderEndpoint).
  2. Move every client to the new endpoints with TLS, then refuse plaintext:
       aws elasticache modify-replication-group --replication-group-id <id> \
         --transit-encryption-mode required
     This deletes the old non-TLS endpoints: a client still using their
     names can no longer connect.
  Turning TLS straight to required would cut off every plaintext client.
  Backout: stay in preferred; whether required can go back to preferred is
  not documented, so check before relying on it.
- A replication group on an older engine: upgrade it first
  (aws elasticache modify-replication-group --replication-group-id <id>
  --engine-version <version> --apply-immediately; upgrades only, no
  downgrade), or migrate as below.
- A standalone cluster (Valkey / Redis OSS outside a replication group) or
  Memcached: no in-place change; TLS is set only at create time. Migrate:
  create a new cache with TLS (Valkey / Redis OSS: aws elasticache
  create-snapshot, then create-replication-group --snapshot-name <snapshot>
  --transit-encryption-enabled ...; Memcached 1.6.12+: aws elasticache
  create-cache-cluster --engine memcached --engine-version <1.6.12+>
  --transit-encryption-enabled ...), move clients to the new endpoint with
  TLS, keep the old cache until the new one is verified, then delete it.

`ecpolicy plan` builds whichever applies, with the cache's settings carried
over into a migration (Memcached data is not: it has no snapshots).]],
  check = function(cache)
    if cache.kind == "serverless_cache" then
      return result.pass("serverless caches always use TLS")
    end
    local transit = cache.transit_encryption
    if transit.enabled then
      if transit.mode then return result.pass("TLS is on (mode " .. transit.mode .. ")") end
      return result.pass("TLS is on")
    end
    return result.fail("in-transit encryption (TLS) is off", { TransitEncryptionEnabled = false })
  end,
  remediate = function(cache, _, ctx)
    if cache.engine == "memcached" then
      return migration.to_memcached_cluster(cache, ctx, { TransitEncryptionEnabled = true },
        { summary = "Rebuild " .. cache.id .. " as a Memcached cluster with TLS", suffix = "tls" })
    end
    local supported = cache.kind == "replication_group" and tls_in_place(cache)
    if supported ~= false then return in_place_plan(cache, supported) end
    local warnings
    if cache.kind == "replication_group" then
      warnings = { "Instead of migrating: upgrade " .. cache.id .. " in place to "
        .. (cache.engine == "valkey" and "Valkey 7.2+" or "Redis OSS 7.0+") .. " (modify-replication-"
        .. "group --engine-version, upgrades only), then turn TLS on in place: no new cache, though "
        .. "clients still move to the group's new TLS endpoints." }
    end
    return migration.to_replication_group(cache, ctx, { TransitEncryptionEnabled = true },
      { summary = "Rebuild " .. cache.id .. " as a replication group with TLS", suffix = "tls",
        warnings = warnings })
  end,
}
