-- EC-ENC-07: manual snapshots are encrypted with a customer-managed KMS key,
-- optionally one of params.approved_kms_keys (as in EC-ENC-02).
-- Semantics and plans: docs/controls/encryption.md#ec-enc-07-manual-snapshots-use-a-customer-managed-kms-key

local require, tostring = require, tostring

local migration = require "migration"
local result = require "result"

return {
  id = "EC-ENC-07",
  title = "Manual snapshot is encrypted with a customer-managed KMS key",
  severity = "low",
  resource = "snapshots",
  needs = { "snapshots" },
  params = { approved_kms_keys = {}, kms_key_id = "" },
  refs = {
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CopySnapshot.html",
    },
  },
  rationale = [[
A manual snapshot is a full copy of the cache's data that outlives the
cache: it stays until someone deletes it, can be restored into a new cache
or exported to S3. Without a customer-managed key it is either unencrypted
(a snapshot of a cache without at-rest encryption) or protected by a key
the account cannot audit, restrict or revoke. Automatic snapshots follow
their cache's encryption, which EC-ENC-01 and EC-ENC-02 check.]],
  remediation = [[
A snapshot's encryption cannot change, but a copy can have its own key:

1. aws elasticache copy-snapshot --source-snapshot-name <name> \
     --target-snapshot-name <new-name> --kms-key-id <key-arn>
2. Wait until describe-snapshots --snapshot-name <new-name> shows it
   available (there is no waiter), and check its KmsKeyId.
3. Change what refers to <name> (restore scripts, runbooks) to <new-name>.
4. Only then: aws elasticache delete-snapshot --snapshot-name <name>
   (no backout: a deleted snapshot is gone; the copy holds the same data).

`ecpolicy plan` builds these steps once it knows the key: set kms_key_id, or
approved_kms_keys (its first entry is used).]],
  check = function(snapshot, ctx)
    local source = snapshot.SnapshotSource
    if source == "automated" then
      return result.not_applicable("an automatic snapshot follows its cache's encryption "
                                   .. "(EC-ENC-01, EC-ENC-02)")
    end
    if source ~= "manual" then
      return result.unknown("the snapshot does not report whether it is manual or automatic "
                            .. "(SnapshotSource " .. tostring(source) .. ")")
    end
    local key = snapshot.KmsKeyId
    if key == nil then
      return result.fail("no customer-managed KMS key: the snapshot is unencrypted or uses the "
                         .. "AWS-owned default key", { SnapshotSource = "manual", kms_key = "none" })
    end
    return migration.judge_key(key, ctx.params.approved_kms_keys)
  end,
  remediate = function(snapshot, _, ctx)
    local key, approved = migration.target_key(ctx.params)
    if not key then return nil end  -- no key to copy with: see the remediation text
    return migration.copy_snapshot(snapshot, ctx, key,
      { summary = "Replace snapshot " .. snapshot.SnapshotName .. " by a copy encrypted with " .. key,
        suffix = "cmk", preconditions = { approved } })
  end,
}
