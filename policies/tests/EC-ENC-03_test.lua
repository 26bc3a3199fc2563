-- EC-ENC-03: TLS is on; in place on Valkey 7.2+ / Redis OSS 7.0+ groups, else a migration.
-- The shared account (fixtures/EC-ENC-caches) is described in
-- docs/controls/encryption.md#the-test-account.

local MIGRATE_CLUSTER = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                          "DeleteCacheCluster" }
local MIGRATE_GROUP = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                        "DeleteReplicationGroup" }
local MIGRATE_MEMCACHED = { "CreateCacheCluster", "manual", "manual", "DeleteCacheCluster" }
local IN_PLACE = { "ModifyReplicationGroup", "manual", "ModifyReplicationGroup" }

-- A replication group whose one member does not report its engine version.
local VERSIONLESS = { regions = { ["eu-west-1"] = {
  cache_clusters = { { CacheClusterId = "rg-quiet-001", ReplicationGroupId = "rg-quiet", Engine = "valkey" } },
  replication_groups = { { ReplicationGroupId = "rg-quiet", MemberClusters = { "rg-quiet-001" },
                           TransitEncryptionEnabled = false } },
  serverless_caches = {} } } }

return {
  control = "EC-ENC-03",
  fixture = "fixtures/EC-ENC-caches",
  cases = {
    {
      name = "every kind of cache, and the plan each needs",
      expect = {
        ["rg-valkey-plain"] = { status = "fail", reason = "in-transit encryption (TLS) is off",
          evidence = { TransitEncryptionEnabled = false },
          plan = { kind = "in_place", actions = IN_PLACE, warnings = 3,
            preconditions = { { text = "the group runs Valkey 7.2+ or Redis OSS 7.0+ (it is 7.2.6)", met = true },
                              { text = "every client of rg-valkey-plain can connect with TLS (and trusts "
                                  .. "the ElastiCache certificate)" } },
            steps = {
              { params = { ReplicationGroupId = "rg-valkey-plain", TransitEncryptionEnabled = true,
                           TransitEncryptionMode = "preferred", ApplyImmediately = true },
                wait = { waiter = "ReplicationGroupAvailable" },
                backout = { title = "Stay in preferred mode" } },
              { title = "Move every client of rg-valkey-plain to TLS" },
              { title = "Require TLS on rg-valkey-plain: plaintext connections are dropped and the old "
                  .. "non-TLS endpoints deleted",
                params = { ReplicationGroupId = "rg-valkey-plain", TransitEncryptionMode = "required",
                           ApplyImmediately = true },
                backout = { params = { ReplicationGroupId = "rg-valkey-plain",
                                       TransitEncryptionMode = "preferred", ApplyImmediately = true } } },
            } } },
        ["rg-plain"] = { status = "fail",
          plan = { kind = "migration", actions = MIGRATE_GROUP, warnings = 5,
            steps = { {}, {},
              { params = { ReplicationGroupId = "rg-plain-tls", TransitEncryptionEnabled = true,
                           AtRestEncryptionEnabled = false, EngineVersion = "6.2.6" } },
              {}, {}, {} } } },
        ["rc-plain"] = { status = "fail",
          plan = { kind = "migration", actions = MIGRATE_CLUSTER,
            steps = { { params = { CacheClusterId = "rc-plain" } }, {},
              { params = { ReplicationGroupId = "rc-plain-tls", TransitEncryptionEnabled = true,
                           NumCacheClusters = 1 } },
              {}, {}, {} } } },
        ["mc-old"] = { status = "fail",
          plan = { kind = "migration", actions = MIGRATE_MEMCACHED,
            steps = {
              { params = { CacheClusterId = "mc-old-tls", Engine = "memcached", EngineVersion = "1.6.12",
                           TransitEncryptionEnabled = true, NumCacheNodes = 2, AZMode = "cross-az",
                           Port = 11211 } },
              {}, {},
              { params = { CacheClusterId = "mc-old" } },
            } } },
        ["mc-plain"] = { status = "fail", plan = { kind = "migration", actions = MIGRATE_MEMCACHED } },
        ["rg-preferred"] = { status = "pass", reason = "TLS is on (mode preferred)" },
        ["mc-tls"] = { status = "pass", reason = "TLS is on" },
        ["sl-default"] = { status = "pass", reason = "serverless caches always use TLS" },
        ["*"] = "pass",
      },
    },
    {
      name = "a group whose engine version is not reported gets the in-place plan, to be checked",
      fixture = VERSIONLESS,
      expect = { ["rg-quiet"] = { status = "fail", plan = { kind = "in_place", actions = IN_PLACE,
        preconditions = { { text = "the group runs Valkey 7.2+ or Redis OSS 7.0+ (its version was not "
                            .. "reported: check it)" }, {} } } } },
    },
    {
      name = "a cluster that does not report TransitEncryptionEnabled",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = { { CacheClusterId = "rc-quiet", Engine = "redis", EngineVersion = "7.1.0" } },
        replication_groups = {}, serverless_caches = {} } } },
      expect = { ["rc-quiet"] = { status = "unknown", reason = "TransitEncryptionEnabled" } },
    },
    {
      name = "a region whose serverless caches were not collected",
      fixture = { regions = { ["eu-west-1"] = { cache_clusters = {}, replication_groups = {} } } },
      expect = { ["eu-west-1"] = "unknown" },
    },
  },
}
