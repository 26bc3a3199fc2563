-- EC-ENC-07: manual snapshots use a customer-managed KMS key; plans copy the
-- snapshot with the key and delete the original last.

local KEY_A = "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-4aaa-8bbb-000000000001"
local KEY_B = "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-2222-4aaa-8bbb-000000000002"

local function snapshot(name, source, key, status)
  return { SnapshotName = name, SnapshotSource = source, SnapshotStatus = status or "available",
           ReplicationGroupId = "rg-orders", Engine = "redis", EngineVersion = "7.1.0", KmsKeyId = key }
end

local SNAPSHOTS = { regions = {
  ["us-east-1"] = { snapshots = {
    snapshot("before-upgrade", "manual"),
    snapshot("copying-now", "manual", nil, "copying"),
    snapshot("with-key-a", "manual", KEY_A),
    snapshot("aws-managed", "manual", "arn:aws:kms:us-east-1:111122223333:alias/aws/elasticache"),
    snapshot("automatic.rg-orders.2026-01-01", "automated"),
    snapshot("no-source"),
  } },
  ["eu-west-1"] = { errors = { snapshots = "access_denied" } },
} }

local COPY = { "CopySnapshot", "manual", "manual", "DeleteSnapshot" }

-- The results that do not depend on the parameters.
local function with_fixed(expect)
  expect["automatic.rg-orders.2026-01-01"] = { status = "not_applicable", reason = "follows its cache" }
  expect["no-source"] = { status = "unknown", reason = "SnapshotSource nil" }
  expect["aws-managed"] = { status = "fail", reason = "AWS managed key" }
  expect["eu-west-1"] = "unknown"
  return expect
end

return {
  control = "EC-ENC-07",
  fixture = SNAPSHOTS,
  cases = {
    {
      name = "manual and automatic snapshots, without a key to copy with",
      expect = with_fixed({
        ["before-upgrade"] = { status = "fail", reason = "unencrypted or uses the AWS-owned default key",
                               evidence = { SnapshotSource = "manual" }, plan = false },
        ["copying-now"] = { status = "fail", plan = false },
        ["with-key-a"] = { status = "pass", reason = "customer-managed KMS key " .. KEY_A },
      }),
    },
    {
      name = "kms_key_id: copy with the key, verify, then delete the original",
      params = { kms_key_id = KEY_A },
      expect = with_fixed({
        ["before-upgrade"] = { status = "fail",
          plan = { kind = "migration", actions = COPY, warnings = 3,
            preconditions = { { text = "before-upgrade is available", met = true }, {} },
            steps = {
              { params = { SourceSnapshotName = "before-upgrade", TargetSnapshotName = "before-upgrade-cmk",
                           KmsKeyId = KEY_A },
                backout = { action = "DeleteSnapshot", params = { SnapshotName = "before-upgrade-cmk" } } },
              { title = "Wait until snapshot before-upgrade-cmk is available" },
              { title = "Verify before-upgrade-cmk and move what refers to before-upgrade" },
              { params = { SnapshotName = "before-upgrade" } },
            } } },
        ["copying-now"] = { status = "fail", plan = { preconditions = {
          { text = "copying-now is available (it is copying)", met = false }, {} } } },
        ["with-key-a"] = "pass",
      }),
    },
    {
      name = "approved_kms_keys: another key fails, and plans copy with the first entry",
      params = { approved_kms_keys = { KEY_B } },
      expect = with_fixed({
        ["with-key-a"] = { status = "fail", reason = "is not one of approved_kms_keys",
          plan = { kind = "migration", actions = COPY,
                   steps = { { params = { KmsKeyId = KEY_B } }, {}, {}, {} } } },
        ["before-upgrade"] = "fail", ["copying-now"] = "fail",
      }),
    },
  },
}
