-- EC-ENC-06: serverless caches use a customer-managed KMS key; plans restore
-- a snapshot into a new cache with the key.
-- The shared account (fixtures/EC-ENC-caches) is described in
-- docs/controls/encryption.md#the-test-account.

local KEY_A = "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-4aaa-8bbb-000000000001"
local KEY_B = "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-2222-4aaa-8bbb-000000000002"

local SEED_ARN = "arn:aws:elasticache:us-east-1:111122223333:serverlesscachesnapshot:sl-default-cmk-seed"

local MIGRATE = { "CreateServerlessCacheSnapshot", "manual", "CreateServerlessCache", "manual", "manual",
                  "manual", "DeleteServerlessCache" }

-- A serverless cache whose record has no ARN.
local NO_ARN = { regions = { ["eu-west-1"] = {
  cache_clusters = {}, replication_groups = {},
  serverless_caches = { { ServerlessCacheName = "sl-no-arn", Engine = "valkey", MajorEngineVersion = "8",
                          Status = "available" } } } } }

return {
  control = "EC-ENC-06",
  fixture = "fixtures/EC-ENC-caches",
  cases = {
    {
      name = "without a key to migrate to, findings have no plan",
      expect = {
        ["sl-default"] = { status = "fail", reason = "AWS-owned default key", plan = false },
        ["sl-memcached"] = { status = "fail", plan = false },
        ["sl-cmk"] = { status = "pass", reason = "customer-managed KMS key " .. KEY_B },
        ["rg-cmk"] = { status = "not_applicable", reason = "EC-ENC-02" },
        ["*"] = "not_applicable",
      },
    },
    {
      name = "kms_key_id: snapshot, restore with the key, cut over, delete",
      params = { kms_key_id = KEY_A },
      expect = {
        ["sl-default"] = { status = "fail",
          plan = { kind = "migration", actions = MIGRATE, warnings = 4,
            steps = {
              { params = { ServerlessCacheName = "sl-default", ServerlessCacheSnapshotName = "sl-default-cmk-seed",
                           KmsKeyId = KEY_A },
                backout = { action = "DeleteServerlessCacheSnapshot" } },
              {},
              { params = { ServerlessCacheName = "sl-default-cmk", Engine = "valkey", MajorEngineVersion = "8",
                           KmsKeyId = KEY_A, UserGroupId = "ug-app", SecurityGroupIds = { "sg-cache" },
                           SubnetIds = { "subnet-a", "subnet-b" }, SnapshotRetentionLimit = 1,
                           DailySnapshotTime = "04:00", Description = "sl-default cache",
                           CacheUsageLimits = { DataStorage = { Maximum = 10, Unit = "GB" },
                                                ECPUPerSecond = { Maximum = 5000 } },
                           SnapshotArnsToRestore = { SEED_ARN } },
                backout = { action = "DeleteServerlessCache",
                            params = { ServerlessCacheName = "sl-default-cmk" } } },
              {}, {}, {},
              { params = { ServerlessCacheName = "sl-default", FinalSnapshotName = "sl-default-final" } },
            } } },
        ["sl-memcached"] = { status = "fail", plan = { kind = "migration", actions = MIGRATE,
          steps = { {}, {}, { params = { Engine = "memcached", MajorEngineVersion = "1.6" } }, {}, {}, {}, {} } } },
        ["sl-cmk"] = "pass",
        ["*"] = "not_applicable",
      },
    },
    {
      name = "approved_kms_keys: the other key fails, and plans use the first entry",
      params = { approved_kms_keys = { "alias/cache-keys", KEY_A } },
      expect = {
        ["sl-cmk"] = { status = "fail", reason = "is not one of approved_kms_keys",
          plan = { kind = "migration", actions = MIGRATE,
            preconditions = { { met = true }, {}, { text = "alias/cache-keys is one of approved_kms_keys",
                                                    met = true } },
            steps = { { params = { KmsKeyId = "alias/cache-keys" } }, {},
                      { params = { KmsKeyId = "alias/cache-keys" } }, {}, {}, {}, {} } } },
        ["sl-default"] = "fail", ["sl-memcached"] = "fail",
        ["*"] = "not_applicable",
      },
    },
    {
      name = "without the cache's ARN, the snapshot ARN comes from the account id",
      fixture = { account = "210987654321", regions = NO_ARN.regions },
      params = { kms_key_id = KEY_A },
      expect = { ["sl-no-arn"] = { status = "fail", plan = { steps = { {}, {},
        { params = { SnapshotArnsToRestore = {
          "arn:aws:elasticache:eu-west-1:210987654321:serverlesscachesnapshot:sl-no-arn-cmk-seed" } } },
        {}, {}, {}, {} } } } },
    },
    {
      name = "without ARN or account id there is no plan",
      fixture = NO_ARN,
      params = { kms_key_id = KEY_A },
      expect = { ["sl-no-arn"] = { status = "fail", plan = false } },
    },
    {
      name = "a region whose serverless caches could not be read",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = {}, replication_groups = {}, errors = { serverless_caches = "timeout" } } } },
      expect = { ["eu-west-1"] = "unknown" },
    },
  },
}
