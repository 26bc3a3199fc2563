-- EC-ENC-04: TLS is required, not just preferred; the plan is the second TLS step.
-- The shared account (fixtures/EC-ENC-caches) is described in
-- docs/controls/encryption.md#the-test-account.

-- Standalone clusters that report TLS in preferred mode (a case AWS has no
-- in-place change for), a Redis OSS cluster with TLS but no mode, and one
-- with a mode this control does not know.
local STANDALONE = { regions = { ["eu-west-1"] = {
  cache_clusters = {
    { CacheClusterId = "rc-preferred", Engine = "redis", EngineVersion = "7.1.0", NumCacheNodes = 1,
      TransitEncryptionEnabled = true, TransitEncryptionMode = "preferred", AtRestEncryptionEnabled = true,
      AuthTokenEnabled = false, CacheSubnetGroupName = "sng-private" },
    { CacheClusterId = "mc-preferred", Engine = "memcached", EngineVersion = "1.6.22", NumCacheNodes = 1,
      TransitEncryptionEnabled = true, TransitEncryptionMode = "preferred" },
    { CacheClusterId = "rc-no-mode", Engine = "redis", EngineVersion = "6.2.6", TransitEncryptionEnabled = true },
    { CacheClusterId = "rc-new-mode", Engine = "redis", EngineVersion = "8.0.0", TransitEncryptionEnabled = true,
      TransitEncryptionMode = "strict" },
  },
  replication_groups = {}, serverless_caches = {} } } }

return {
  control = "EC-ENC-04",
  fixture = "fixtures/EC-ENC-caches",
  cases = {
    {
      name = "preferred mode gets the second step; TLS off is EC-ENC-03's plan",
      expect = {
        ["rg-preferred"] = { status = "fail", reason = "TLS mode is preferred",
          evidence = { TransitEncryptionEnabled = true, TransitEncryptionMode = "preferred" },
          plan = { kind = "in_place", actions = { "ModifyReplicationGroup" }, warnings = 2,
            steps = { {
              title = "Require TLS on rg-preferred: plaintext connections are dropped and the old non-TLS "
                .. "endpoints deleted",
              params = { ReplicationGroupId = "rg-preferred", TransitEncryptionMode = "required",
                         ApplyImmediately = true },
              wait = { waiter = "ReplicationGroupAvailable", params = { ReplicationGroupId = "rg-preferred" } },
              backout = { params = { ReplicationGroupId = "rg-preferred", TransitEncryptionMode = "preferred",
                                     ApplyImmediately = true } } } } } },
        ["rg-plain"] = { status = "fail", reason = "TLS) is off", plan = false },
        ["rg-valkey-plain"] = { status = "fail", plan = false },
        ["rc-plain"] = { status = "fail", plan = false },
        ["mc-old"] = { status = "fail", plan = false },
        ["mc-plain"] = { status = "fail", plan = false },
        ["mc-tls"] = { status = "pass", reason = "Memcached has no preferred mode" },
        ["rg-cmk"] = { status = "pass", reason = "TLS is required" },
        ["sl-memcached"] = { status = "pass", reason = "serverless caches always require TLS" },
        ["*"] = "pass",
      },
    },
    {
      name = "standalone clusters in preferred mode can only be rebuilt",
      fixture = STANDALONE,
      expect = {
        ["rc-preferred"] = { status = "fail",
          plan = { kind = "migration",
            actions = { "CreateSnapshot", "manual", "CreateReplicationGroup", "manual", "manual",
                        "DeleteCacheCluster" },
            steps = { {}, {},
              { params = { ReplicationGroupId = "rc-preferred-tls", TransitEncryptionEnabled = true,
                           AtRestEncryptionEnabled = true } },
              {}, {}, {} } } },
        ["mc-preferred"] = { status = "fail",
          plan = { kind = "migration", actions = { "CreateCacheCluster", "manual", "manual", "DeleteCacheCluster" },
            steps = { { params = { CacheClusterId = "mc-preferred-tls", TransitEncryptionEnabled = true,
                                   EngineVersion = "1.6.22" } }, {}, {}, {} } } },
        ["rc-no-mode"] = { status = "unknown", reason = "TransitEncryptionMode" },
        ["rc-new-mode"] = { status = "unknown", reason = "unrecognised TransitEncryptionMode strict" },
      },
    },
    {
      name = "a region whose cache clusters were read only in part",
      fixture = { regions = { ["eu-west-1"] = {
        replication_groups = {}, serverless_caches = {}, errors = { cache_clusters = "partial" } } } },
      expect = { ["eu-west-1"] = "unknown" },
    },
  },
}
