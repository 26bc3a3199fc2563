-- EC-ENC-06: a serverless cache is encrypted with a customer-managed KMS key,
-- optionally one of params.approved_kms_keys (as in EC-ENC-02).
-- Semantics and plans: docs/controls/encryption.md#ec-enc-06-serverless-caches-use-a-customer-managed-kms-key

local require = require

local migration = require "migration"
local result = require "result"

return {
  id = "EC-ENC-06",
  title = "Serverless cache is encrypted with a customer-managed KMS key",
  severity = "low",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  params = { approved_kms_keys = {}, kms_key_id = "" },
  refs = {
    cis_db = "5.3",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateServerlessCache.html",
    },
  },
  rationale = [[
Serverless caches are always encrypted at rest and in transit, but unless a
KmsKeyId was given at creation they use a key AWS owns: its use cannot be
audited in CloudTrail, restricted by a key policy, or revoked by the account.
No other tool we know checks serverless caches at all.]],
  remediation = [[
A serverless cache's key is set when it is created; modify-serverless-cache
cannot change it. Rebuild it from a snapshot:

1. aws elasticache create-serverless-cache-snapshot --serverless-cache-name <name> \
     --serverless-cache-snapshot-name <snapshot> --kms-key-id <key-arn>
2. Wait until describe-serverless-cache-snapshots shows it available.
3. aws elasticache create-serverless-cache --serverless-cache-name <new-name> \
     --engine <engine> --kms-key-id <key-arn> \
     --snapshot-arns-to-restore <snapshot-arn> ...the current usage limits,
     subnets, security groups, user group, backup settings...
4. Wait until describe-serverless-caches shows it available, move clients
   to the new endpoint, verify, then
   aws elasticache delete-serverless-cache --serverless-cache-name <name> \
     --final-snapshot-name <final>

`ecpolicy plan` builds these steps once it knows the key: set kms_key_id, or
approved_kms_keys (its first entry is used). Node-based caches are
EC-ENC-02's.]],
  check = function(cache, ctx)
    if cache.kind ~= "serverless_cache" then
      return result.not_applicable("not a serverless cache: EC-ENC-02 checks node-based caches")
    end
    local key = cache.at_rest_encryption.kms_key_id
    if key == nil then
      return result.fail("encrypted with the AWS-owned default key, not a customer-managed key",
                         { kms_key = "AWS-owned default" })
    end
    return migration.judge_key(key, ctx.params.approved_kms_keys)
  end,
  remediate = function(cache, _, ctx)
    local key, approved = migration.target_key(ctx.params)
    if not key then
      return nil, "no key to migrate to: set EC-ENC-06.kms_key_id (or approved_kms_keys) to plan the migration"
    end
    return migration.to_serverless_cache(cache, ctx, { KmsKeyId = key },
      { summary = "Rebuild " .. cache.id .. " as a serverless cache encrypted with " .. key,
        suffix = "cmk", preconditions = { approved } })
  end,
}
