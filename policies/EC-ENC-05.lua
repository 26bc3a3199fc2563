-- EC-ENC-05: node-based Memcached clusters encrypt traffic in transit (TLS).
-- Semantics and plans: docs/controls/encryption.md#ec-enc-05-memcached-encrypts-in-transit

local require = require

local migration = require "migration"
local result = require "result"
local version = require "version"

return {
  id = "EC-ENC-05",
  title = "Memcached cache encrypts traffic in transit (TLS)",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  refs = {
    cis_db = "5.3",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/mem-ug/in-transit-encryption-mc.html",
    },
  },
  rationale = [[
Memcached has no authentication of its own: whoever reaches the port reads
and writes every key, and without TLS anyone on the network path sees the
traffic too. The usual controls (Security Hub ElastiCache.5, Prowler) look at
Valkey / Redis OSS replication groups only, so plaintext Memcached clusters
go unreported.]],
  remediation = [[
TLS on Memcached is set only when the cluster is created ("You cannot toggle
in-transit encryption on and off by modifying a cluster"), and needs
Memcached 1.6.12 or later. Memcached has no snapshots, so the new cluster
starts empty:

1. aws elasticache create-cache-cluster --cache-cluster-id <new-id> \
     --engine memcached --engine-version <1.6.12 or later> --transit-encryption-enabled \
     ...the current node type, node count, subnet group, security groups, port...
   aws elasticache wait cache-cluster-available --cache-cluster-id <new-id>
2. Move clients to the new endpoint, with TLS, and verify.
3. aws elasticache delete-cache-cluster --cache-cluster-id <old-id>
   (no backout: its data is gone, so it comes last).

Serverless Memcached always uses TLS.]],
  check = function(cache)
    if cache.engine ~= "memcached" then
      return result.not_applicable("not Memcached: EC-ENC-03 checks TLS on Valkey and Redis OSS")
    end
    if cache.kind == "serverless_cache" then
      return result.pass("serverless Memcached always uses TLS")
    end
    if cache.transit_encryption.enabled then return result.pass("TLS is on") end
    local v = cache.engine_version
    if v and not version.at_least(v, migration.MEMCACHED_TLS_MIN) then
      return result.fail("in-transit encryption (TLS) is off, and Memcached " .. v
                           .. " cannot have it (1.6.12+ can)",
                         { TransitEncryptionEnabled = false, EngineVersion = v })
    end
    return result.fail("in-transit encryption (TLS) is off", { TransitEncryptionEnabled = false })
  end,
  remediate = function(cache, _, ctx)
    return migration.to_memcached_cluster(cache, ctx, { TransitEncryptionEnabled = true },
      { summary = "Rebuild " .. cache.id .. " as a Memcached cluster with TLS", suffix = "tls" })
  end,
}
