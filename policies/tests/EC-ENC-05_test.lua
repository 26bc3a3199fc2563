-- EC-ENC-05: Memcached encrypts in transit; plans rebuild the cluster with TLS.
-- The shared account (fixtures/EC-ENC-caches) is described in
-- docs/controls/encryption.md#the-test-account.

local MIGRATE_MEMCACHED = { "CreateCacheCluster", "manual", "manual", "DeleteCacheCluster" }

return {
  control = "EC-ENC-05",
  fixture = "fixtures/EC-ENC-caches",
  cases = {
    {
      name = "Memcached clusters old and new, serverless Memcached, and the rest",
      expect = {
        ["mc-old"] = { status = "fail", reason = "Memcached 1.5.16 cannot have it (1.6.12+ can)",
          evidence = { TransitEncryptionEnabled = false, EngineVersion = "1.5.16" },
          plan = { kind = "migration", actions = MIGRATE_MEMCACHED, warnings = 5,
            steps = {
              { params = { CacheClusterId = "mc-old-tls", Engine = "memcached", EngineVersion = "1.6.12",
                           TransitEncryptionEnabled = true, NumCacheNodes = 2, AZMode = "cross-az",
                           CacheNodeType = "cache.m6g.large", CacheSubnetGroupName = "sng-private",
                           SecurityGroupIds = { "sg-cache" }, Port = 11211 },
                wait = { waiter = "CacheClusterAvailable", params = { CacheClusterId = "mc-old-tls" } },
                backout = { action = "DeleteCacheCluster", params = { CacheClusterId = "mc-old-tls" } } },
              { title = "Move every client from mc-old to mc-old-tls" },
              { title = "Verify mc-old-tls before anything is deleted" },
              { params = { CacheClusterId = "mc-old" },
                wait = { waiter = "CacheClusterDeleted", params = { CacheClusterId = "mc-old" } } },
            } } },
        ["mc-plain"] = { status = "fail", reason = "in-transit encryption (TLS) is off",
          evidence = { TransitEncryptionEnabled = false },
          plan = { kind = "migration", actions = MIGRATE_MEMCACHED, warnings = 3,
            steps = { { params = { CacheClusterId = "mc-plain-tls", EngineVersion = "1.6.17",
                                   CacheParameterGroupName = "default.memcached1.6", NumCacheNodes = 3 } },
                      {}, {}, {} } } },
        ["mc-tls"] = { status = "pass", reason = "TLS is on" },
        ["sl-memcached"] = { status = "pass", reason = "serverless Memcached always uses TLS" },
        ["rg-plain"] = { status = "not_applicable", reason = "not Memcached" },
        ["*"] = "not_applicable",
      },
    },
    {
      name = "a Memcached cluster that does not report TransitEncryptionEnabled",
      fixture = { regions = { ["eu-west-1"] = {
        cache_clusters = { { CacheClusterId = "mc-quiet", Engine = "memcached", EngineVersion = "1.6.22" } },
        replication_groups = {}, serverless_caches = {} } } },
      expect = { ["mc-quiet"] = { status = "unknown", reason = "TransitEncryptionEnabled" } },
    },
    {
      name = "a region whose cache clusters were not collected",
      fixture = { regions = { ["eu-west-1"] = { replication_groups = {}, serverless_caches = {} } } },
      expect = { ["eu-west-1"] = "unknown" },
    },
  },
}
