-- EC-ENC-02: a node-based cache is encrypted at rest with a customer-managed
-- KMS key, optionally one of params.approved_kms_keys.
-- Semantics and plans: docs/controls/encryption.md#ec-enc-02-at-rest-encryption-uses-a-customer-managed-kms-key

local require = require

local migration = require "migration"
local result = require "result"

return {
  id = "EC-ENC-02",
  title = "Cache is encrypted at rest with a customer-managed KMS key",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  params = { approved_kms_keys = {}, kms_key_id = "" },
  refs = {
    cis_db = "5.3",
    config = "elasticache-repl-grp-encrypted-at-rest",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
      "https://docs.aws.amazon.com/config/latest/developerguide/elasticache-repl-grp-encrypted-at-rest.html",
    },
  },
  rationale = [[
With the AWS-owned default key, AWS alone controls the key that protects the
cache's disks and backups: nobody in the account can audit its use in
CloudTrail, restrict it with a key policy, rotate it on their own schedule,
or revoke it. A customer-managed KMS key gives those controls; the
approved_kms_keys parameter (key ids, key ARNs, alias names or alias ARNs)
limits caches to the keys your organisation has sanctioned, as the AWS
Config rule's approvedKMSKeyIds does.]],
  remediation = [[
The key of a cache is fixed when it is created: no Modify call has
KmsKeyId. The fix is the migration of EC-ENC-01, with the key:

1. aws elasticache create-snapshot --replication-group-id <id> \
     --snapshot-name <snapshot> --kms-key-id <key-arn>
   (a standalone cluster: --cache-cluster-id <id>)
2. Wait until describe-snapshots --snapshot-name <snapshot> shows the
   snapshot available (there is no waiter).
3. aws elasticache create-replication-group --replication-group-id <new-id> \
     --snapshot-name <snapshot> --at-rest-encryption-enabled --kms-key-id <key-arn> \
     ...the current node type, engine version, subnet group, security groups,
     parameter group, port, replicas, TLS and auth settings...
   aws elasticache wait replication-group-available --replication-group-id <new-id>
4. Move clients to the new endpoint, verify, and only then delete the old
   cache (delete-replication-group / delete-cache-cluster with
   --final-snapshot-identifier). Pointing clients back is the backout until
   then.

`ecpolicy plan` builds these steps with the cache's settings carried over,
once it knows the key: set kms_key_id, or approved_kms_keys (its first entry
is used). Serverless caches are EC-ENC-06's.]],
  check = function(cache, ctx)
    if cache.kind == "serverless_cache" then
      return result.not_applicable("serverless caches are checked by EC-ENC-06")
    end
    if cache.engine == "memcached" then
      return result.not_applicable(
        "node-based Memcached keeps data in memory only and has no at-rest encryption setting")
    end
    local at_rest = cache.at_rest_encryption
    if not at_rest.enabled then
      return result.fail("at-rest encryption is off, so no customer-managed key protects the data",
                         { AtRestEncryptionEnabled = false })
    end
    local key = at_rest.kms_key_id
    if key == nil and cache.kind == "cache_cluster" then
      -- describe-cache-clusters has no KmsKeyId member: the key is not told.
      return result.unknown("a standalone cache cluster does not report its KMS key (KmsKeyId)")
    end
    if key == nil then
      return result.fail("encrypted at rest with the AWS-owned default key, not a customer-managed key",
                         { AtRestEncryptionEnabled = true, kms_key = "AWS-owned default" })
    end
    return migration.judge_key(key, ctx.params.approved_kms_keys)
  end,
  remediate = function(cache, _, ctx)
    local key, approved = migration.target_key(ctx.params)
    if not key then
      return nil, "no key to migrate to: set EC-ENC-02.kms_key_id (or approved_kms_keys) to plan the migration"
    end
    return migration.to_replication_group(cache, ctx,
      { AtRestEncryptionEnabled = true, KmsKeyId = key },
      { summary = "Rebuild " .. cache.id .. " as a replication group encrypted with " .. key,
        suffix = "cmk", preconditions = { approved } })
  end,
}
