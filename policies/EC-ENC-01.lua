-- EC-ENC-01: data at rest is encrypted.
-- Semantics: docs/founding-controls.md#ec-enc-01-encryption-at-rest-is-on;
-- plans: docs/controls/encryption.md#ec-enc-01-encryption-at-rest-is-on

local require = require

local migration = require "migration"
local result = require "result"

return {
  id = "EC-ENC-01",
  title = "Cache is encrypted at rest",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  -- Only the plan reads it: the key the new group is encrypted with.
  params = { kms_key_id = "" },
  refs = {
    cis_db = { "5.1", "5.3" },
    fsbp = "ElastiCache.4",
    config = "elasticache-repl-grp-encrypted-at-rest",
    prowler = "elasticache_redis_cluster_rest_encryption_enabled",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html",
      "https://docs.aws.amazon.com/config/latest/developerguide/elasticache-repl-grp-encrypted-at-rest.html",
    },
  },
  rationale = [[
Without at-rest encryption, the data that Valkey / Redis OSS writes to disk
(swap, backups, snapshots exported to S3) is stored in clear.]],
  remediation = [[
At-rest encryption cannot be turned on for an existing cache: no Modify
call has the option (modify-cache-cluster rejects
--at-rest-encryption-enabled as an unknown option), and the value is fixed
when the replication group is created. The fix is a migration to a new,
encrypted replication group, with a new endpoint:

1. Snapshot the cache:
     aws elasticache create-snapshot --replication-group-id <group-id> --snapshot-name <snapshot>
   (a standalone cluster: --cache-cluster-id <cluster-id>)
2. Create an encrypted replication group from the snapshot (turn on TLS
   now too; a customer-managed key is optional):
     aws elasticache create-replication-group --replication-group-id <new-id> \
       --replication-group-description "<text>" --snapshot-name <snapshot> \
       --engine <redis|valkey> --cache-node-type <node-type> \
       --cache-subnet-group-name <subnet-group> --security-group-ids <sg-id> \
       --at-rest-encryption-enabled [--kms-key-id <key-arn>] --transit-encryption-enabled
     aws elasticache wait replication-group-available --replication-group-id <new-id>
3. Move clients to the new endpoint. Writes made to the old cache after the
   snapshot are not in the new one: stop writes, or snapshot again, before
   the cutover.
4. Keep the old cache until the new one is verified: pointing clients back
   at it is the only backout, since encryption cannot be undone in place
   either. Then delete it:
     aws elasticache delete-replication-group --replication-group-id <old-id>
   (a standalone cluster: aws elasticache delete-cache-cluster --cache-cluster-id <old-id>)

`ecpolicy plan` builds these steps with the cache's own settings carried
over. With the kms_key_id parameter set, the new group uses that
customer-managed key, so the one migration satisfies EC-ENC-02 too.]],
  check = function(cache)
    if cache.kind == "serverless_cache" then
      return result.pass("serverless caches are always encrypted at rest")
    end
    if cache.engine == "memcached" then
      return result.not_applicable(
        "node-based Memcached keeps data in memory only and has no at-rest encryption setting")
    end
    local at_rest = cache.at_rest_encryption
    if at_rest.enabled then
      if at_rest.kms_key_id then
        return result.pass("encrypted at rest with KMS key " .. at_rest.kms_key_id)
      end
      return result.pass("encrypted at rest")
    end
    return result.fail("at-rest encryption is off", { AtRestEncryptionEnabled = false })
  end,
  -- Only valkey / redis caches with encryption off fail: a migration.
  remediate = function(cache, _, ctx)
    local key = migration.target_key(ctx.params)
    local warnings
    if not key then
      warnings = { "The new group uses the AWS-owned default key, so EC-ENC-02 still fails "
        .. "on it; set EC-ENC-01.kms_key_id to a customer-managed key to migrate once for both." }
    end
    return migration.to_replication_group(cache, ctx,
      { AtRestEncryptionEnabled = true, KmsKeyId = key },
      { summary = "Rebuild " .. cache.id .. " as a replication group encrypted at rest",
        suffix = "enc", warnings = warnings })
  end,
}
