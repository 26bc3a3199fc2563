-- EC-ENC-03: traffic to the cache is encrypted in transit (TLS).
-- Semantics: docs/founding-controls.md#ec-enc-03-encryption-in-transit-is-on

local require = require

local result = require "result"

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
  2. Move every client to TLS, then refuse plaintext:
       aws elasticache modify-replication-group --replication-group-id <id> \
         --transit-encryption-mode required
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
  TLS, keep the old cache until the new one is verified, then delete it.]],
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
}
