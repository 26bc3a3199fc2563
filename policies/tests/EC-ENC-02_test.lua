-- EC-ENC-02: at rest with a customer-managed KMS key, optionally an approved one.
-- The shared account (fixtures/EC-ENC-caches) is described in
-- docs/controls/encryption.md#the-test-account.

local KEY_A = "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-4aaa-8bbb-000000000001"
local KEY_A_ID = "0a1b2c3d-1111-4aaa-8bbb-000000000001"
local KEY_B_ID = "0a1b2c3d-2222-4aaa-8bbb-000000000002"

local MIGRATE_GROUP = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                        "DeleteReplicationGroup" }

-- The results that do not depend on the parameters.
local function with_fixed(expect)
  expect["rc-plain"] = expect["rc-plain"] or "fail"
  expect["rc-tls"] = { status = "unknown", reason = "does not report its KMS key" }
  expect["rg-plain"] = expect["rg-plain"] or "fail"
  expect["rg-valkey-plain"] = expect["rg-valkey-plain"] or "fail"
  expect["rg-preferred"] = expect["rg-preferred"] or "fail"
  expect["*"] = "not_applicable"
  return expect
end

return {
  control = "EC-ENC-02",
  fixture = "fixtures/EC-ENC-caches",
  cases = {
    {
      name = "without a key to migrate to, findings have no plan",
      expect = with_fixed({
        ["rc-plain"] = { status = "fail", reason = "at-rest encryption is off",
                         evidence = { AtRestEncryptionEnabled = false }, plan = false },
        ["rg-preferred"] = { status = "fail", reason = "AWS-owned default key",
                             evidence = { AtRestEncryptionEnabled = true }, plan = false },
        ["rg-cmk"] = { status = "pass", reason = "customer-managed KMS key " .. KEY_A },
        ["mc-old"] = { status = "not_applicable", reason = "node-based Memcached" },
        ["sl-default"] = { status = "not_applicable", reason = "EC-ENC-06" },
      }),
    },
    {
      name = "kms_key_id: the migration carries every setting over",
      params = { kms_key_id = KEY_A },
      expect = with_fixed({
        ["rg-preferred"] = { status = "fail",
          plan = { kind = "migration", actions = MIGRATE_GROUP, warnings = 4,
            steps = {
              { params = { ReplicationGroupId = "rg-preferred", SnapshotName = "rg-preferred-cmk-seed",
                           KmsKeyId = KEY_A } },
              {},
              { params = { ReplicationGroupId = "rg-preferred-cmk", AtRestEncryptionEnabled = true,
                           KmsKeyId = KEY_A, TransitEncryptionEnabled = true,
                           TransitEncryptionMode = "preferred", UserGroupIds = { "ug-app" },
                           Engine = "valkey", EngineVersion = "8.0.1", NumCacheClusters = 2,
                           Tags = { { Key = "team", Value = "payments" } },
                           LogDeliveryConfigurations = { { LogType = "slow-log", Enabled = true,
                             DestinationType = "cloudwatch-logs", LogFormat = "json",
                             DestinationDetails = { CloudWatchLogsDetails = {
                               LogGroup = "/elasticache/rg-preferred" } } } } } },
              {}, {}, {},
            } } },
        ["rg-cmk"] = "pass",
      }),
    },
    {
      name = "approved_kms_keys: a key outside the list fails, and plans use its first entry",
      params = { approved_kms_keys = { KEY_B_ID } },
      expect = with_fixed({
        ["rg-cmk"] = { status = "fail", reason = "is not one of approved_kms_keys",
                       evidence = { KmsKeyId = KEY_A, approved_kms_keys = { KEY_B_ID } },
          plan = { kind = "migration", actions = MIGRATE_GROUP,
            steps = {
              { params = { KmsKeyId = KEY_B_ID } },
              {},
              { params = { ReplicationGroupId = "rg-cmk-cmk", KmsKeyId = KEY_B_ID, NumNodeGroups = 2,
                           ReplicasPerNodeGroup = 1, ClusterMode = "enabled",
                           CacheParameterGroupName = "default.redis7.cluster.on",
                           AuthToken = "{the AUTH token of rg-cmk}", TransitEncryptionEnabled = true } },
              {}, {}, {},
            } } },
      }),
    },
    {
      name = "approved keys match by key id, key ARN or alias",
      params = { approved_kms_keys = { "alias/cache", KEY_A_ID } },
      expect = with_fixed({ ["rg-cmk"] = { status = "pass", reason = "approved customer-managed KMS key" } }),
    },
    {
      name = "a kms_key_id outside approved_kms_keys is flagged before the migration",
      params = { approved_kms_keys = { KEY_B_ID }, kms_key_id = KEY_A },
      expect = with_fixed({ ["rg-cmk"] = { status = "fail", plan = { kind = "migration",
        preconditions = {
          { text = "rg-cmk is available", met = true },
          { text = "KMS key " .. KEY_A .. " is an enabled, symmetric customer-managed key in us-east-1 "
            .. "whose key policy lets the caller and ElastiCache use it" },
          { text = "rg-cmk is in a VPC (encryption at rest and in transit need one)", met = true },
          { met = true }, { met = true },
          { met = false },  -- the AUTH token placeholder
          { text = KEY_A .. " is one of approved_kms_keys", met = false },
        } } } }),
    },
    {
      name = "an AWS managed key is not customer-managed",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = { { CacheClusterId = "rg-managed-001", ReplicationGroupId = "rg-managed",
                             Engine = "redis", EngineVersion = "7.1.0" } },
        replication_groups = { { ReplicationGroupId = "rg-managed", MemberClusters = { "rg-managed-001" },
                                 AtRestEncryptionEnabled = true,
                                 KmsKeyId = "arn:aws:kms:eu-west-1:111122223333:alias/aws/elasticache" } },
        serverless_caches = {} } } },
      expect = { ["rg-managed"] = { status = "fail", reason = "is an AWS managed key", plan = false } },
    },
    {
      name = "a region whose replication groups could not be read",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = {}, serverless_caches = {}, errors = { replication_groups = "throttled" } } } },
      expect = { ["eu-west-1"] = "unknown" },
    },
  },
}
