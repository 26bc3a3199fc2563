-- Every kind of expectation, all met.
local result = require "result"     -- test files may use the stdlib

local function group(id, tls, port)
  return { ReplicationGroupId = id, TransitEncryptionEnabled = tls, MemberClusters = { id .. "-001" } },
         { CacheClusterId = id .. "-001", ReplicationGroupId = id, Engine = "redis",
           CacheNodes = { { CacheNodeId = "0001", Endpoint = { Address = id .. ".example", Port = port } } } }
end

local tls_group, tls_member = group("rg-tls", true, 6379)
local plain_group, plain_member = group("rg-plain", false, 6380)
assert(type(result.pass) == "function")

return {
  control = "T-TLS",
  policy = "../policies/T-TLS.lua",
  fixture = {
    account = "123456789012",
    regions = {
      ["us-east-1"] = {
        replication_groups = { tls_group, plain_group },
        cache_clusters = {
          tls_member, plain_member,
          { CacheClusterId = "mc-1", Engine = "memcached", PendingModifiedValues = {} },  -- {}: an empty object
          { CacheClusterId = "c-plain", Engine = "redis", TransitEncryptionEnabled = false,
            CacheClusterCreateTime = "2024-03-01T10:00:00.000000+00:00",
            CacheNodes = { { CacheNodeId = "0001", Endpoint = { Port = 6379 } } } },
        },
        serverless_caches = {},
      },
    },
  },
  cases = {
    {
      name = "keys by id, kind and region; reason, evidence and plan",
      expect = {
        ["rg-tls"] = "pass",
        ["replication_group:rg-plain"] = {
          status = "fail", reason = "(TLS) is off",
          evidence = { Ports = { 6380 }, Mode = "required" },
          plan = { kind = "in_place", actions = { "ModifyReplicationGroup" }, warnings = 1,
                   summary = "Turn on TLS on rg-plain" },
        },
        ["us-east-1/mc-1"] = "not_applicable",
        ["us-east-1/cache_cluster:c-plain"] = { status = "fail", plan = false },
      },
    },
    {
      name = "warning texts, each a substring of its warning",
      expect = {
        ["rg-tls"] = "pass",
        ["rg-plain"] = { status = "fail", plan = { warnings = { "reconnect with TLS" } } },
        ["mc-1"] = "not_applicable",
        ["c-plain"] = { status = "fail", plan = false },
      },
    },
    {
      name = "parameters of the case, and the * key",
      params = { allow = { "rg-plain", "c-plain" }, mode = "preferred" },
      expect = { ["mc-1"] = "not_applicable", ["c-plain"] = { status = "pass", reason = "allowed" },
                 ["*"] = "pass" },
    },
    {
      name = "a region whose clusters were not collected",
      fixture = {
        regions = {
          ["eu-west-1"] = {
            replication_groups = {},
            serverless_caches = {},
            errors = { cache_clusters = "access_denied" },
          },
        },
      },
      expect = { ["eu-west-1"] = { status = "unknown", reason = "access was denied" } },
    },
    {
      name = "a partial collection keeps its records",
      fixture = {
        regions = {
          ["eu-west-1"] = {
            replication_groups = { tls_group },
            cache_clusters = { tls_member },
            serverless_caches = {},
            errors = { replication_groups = "partial" },
          },
        },
      },
      expect = { ["region:eu-west-1"] = "unknown", ["eu-west-1/rg-tls"] = "pass" },
    },
  },
}
