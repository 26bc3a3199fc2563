-- EC-ENC-01: encryption at rest is on; plans migrate to an encrypted group.
-- The shared account (fixtures/EC-ENC-caches) is described in
-- docs/controls/encryption.md#the-test-account.

local KEY = "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-3333-4aaa-8bbb-000000000003"

local MIGRATE_CLUSTER = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                          "DeleteCacheCluster" }
local MIGRATE_GROUP = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                        "DeleteReplicationGroup" }

return {
  control = "EC-ENC-01",
  fixture = "fixtures/EC-ENC-caches",
  cases = {
    {
      name = "every kind of cache, migrations with the AWS-owned key",
      expect = {
        ["rc-plain"] = { status = "fail", reason = "at-rest encryption is off",
          plan = { kind = "migration", actions = MIGRATE_CLUSTER, warnings = 5,
            steps = {
              { params = { CacheClusterId = "rc-plain", SnapshotName = "rc-plain-enc-seed" } },
              {},
              { params = { ReplicationGroupId = "rc-plain-enc", SnapshotName = "rc-plain-enc-seed",
                           AtRestEncryptionEnabled = true, TransitEncryptionEnabled = false,
                           NumCacheClusters = 1, Port = 6380, Engine = "redis", EngineVersion = "7.1.0",
                           CacheNodeType = "cache.m6g.large", CacheSubnetGroupName = "sng-private",
                           SecurityGroupIds = { "sg-cache" }, PreferredCacheClusterAZs = { "us-east-1a" } },
                wait = { waiter = "ReplicationGroupAvailable" },
                backout = { action = "DeleteReplicationGroup", params = { ReplicationGroupId = "rc-plain-enc" } } },
              {}, {},
              { params = { CacheClusterId = "rc-plain", FinalSnapshotIdentifier = "rc-plain-final" } },
            } } },
        ["rg-plain"] = { status = "fail",
          plan = { kind = "migration", actions = MIGRATE_GROUP,
            steps = {
              { params = { ReplicationGroupId = "rg-plain", SnapshotName = "rg-plain-enc-seed" } },
              {},
              { params = { ReplicationGroupId = "rg-plain-enc", NumCacheClusters = 2,
                           AutomaticFailoverEnabled = true, MultiAZEnabled = true,
                           CacheParameterGroupName = "default.redis6.2", SnapshotRetentionLimit = 3,
                           ReplicationGroupDescription = "rg-plain cache" } },
              {}, {},
              { params = { ReplicationGroupId = "rg-plain", FinalSnapshotIdentifier = "rg-plain-final" },
                wait = { waiter = "ReplicationGroupDeleted" } },
            } } },
        ["rg-valkey-plain"] = { status = "fail", plan = { kind = "migration", actions = MIGRATE_GROUP } },
        ["rc-tls"] = { status = "pass", reason = "encrypted at rest" },
        ["rg-preferred"] = "pass",
        ["rg-cmk"] = { status = "pass", reason = "with KMS key arn:aws:kms:" },
        ["sl-default"] = { status = "pass", reason = "serverless caches are always encrypted" },
        ["sl-cmk"] = "pass",
        ["sl-memcached"] = "pass",
        ["mc-old"] = { status = "not_applicable", reason = "node-based Memcached" },
        ["mc-plain"] = "not_applicable",
        ["mc-tls"] = "not_applicable",
      },
    },
    {
      name = "with kms_key_id, one migration satisfies EC-ENC-02 too",
      params = { kms_key_id = KEY },
      expect = {
        ["rg-valkey-plain"] = { status = "fail",
          plan = { kind = "migration", actions = MIGRATE_GROUP, warnings = 4,
            steps = {
              { params = { ReplicationGroupId = "rg-valkey-plain", KmsKeyId = KEY } },
              {},
              { params = { ReplicationGroupId = "rg-valkey-plain-enc", Engine = "valkey",
                           EngineVersion = "7.2.6", AtRestEncryptionEnabled = true, KmsKeyId = KEY,
                           NumCacheClusters = 1 } },
              {}, {}, {},
            } } },
        ["rc-plain"] = "fail", ["rg-plain"] = "fail",
        ["mc-old"] = "not_applicable", ["mc-plain"] = "not_applicable", ["mc-tls"] = "not_applicable",
        ["*"] = "pass",
      },
    },
    {
      name = "a region whose cache clusters could not be read",
      fixture = { regions = { ["eu-west-1"] = {
        replication_groups = {}, serverless_caches = {}, errors = { cache_clusters = "access_denied" } } } },
      expect = { ["eu-west-1"] = "unknown" },
    },
    {
      name = "a group that does not report AtRestEncryptionEnabled",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = { { CacheClusterId = "rg-quiet-001", ReplicationGroupId = "rg-quiet",
                             Engine = "redis", EngineVersion = "7.1.0" } },
        replication_groups = { { ReplicationGroupId = "rg-quiet", MemberClusters = { "rg-quiet-001" } } },
        serverless_caches = {} } } },
      expect = { ["rg-quiet"] = { status = "unknown", reason = "AtRestEncryptionEnabled" } },
    },
  },
}
