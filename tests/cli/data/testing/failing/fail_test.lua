-- Every kind of difference: each case fails, and says why.
local function group(id, tls)
  return { ReplicationGroupId = id, TransitEncryptionEnabled = tls, MemberClusters = { id .. "-001" } },
         { CacheClusterId = id .. "-001", ReplicationGroupId = id, Engine = "redis",
           CacheNodes = { { CacheNodeId = "0001", Endpoint = { Port = 6379 } } } }
end
local g1, m1 = group("rg-plain", false)
local g2, m2 = group("rg-broken", false)
local g3, m3 = group("rg-bad", false)

return {
  control = "T-TLS",
  policy = "../policies/T-TLS.lua",
  fixture = {
    regions = {
      ["us-east-1"] = {
        replication_groups = { g1 },
        cache_clusters = { m1, { CacheClusterId = "mc-1", Engine = "memcached" } },
        serverless_caches = {},
      },
      ["us-west-2"] = {
        replication_groups = {},
        cache_clusters = { { CacheClusterId = "mc-1", Engine = "memcached" } },
        serverless_caches = {},
      },
    },
  },
  cases = {
    { name = "a wrong status",
      expect = { ["rg-plain"] = "pass", ["us-east-1/mc-1"] = "not_applicable",
                 ["us-west-2/mc-1"] = "not_applicable" } },
    { name = "an unexpected result and a key with no result",
      expect = { ["rg-plain"] = "fail", ["us-west-2/mc-1"] = "not_applicable",
                 ["rg-gone"] = "pass" } },
    { name = "an ambiguous key",
      expect = { ["rg-plain"] = "fail", ["mc-1"] = "not_applicable" } },
    { name = "reason and evidence",
      expect = {
        ["rg-plain"] = { status = "fail", reason = "TLS is off",
                         evidence = { Mode = "preferred", Ports = { 6379, 6380 }, Missing = true } },
        ["*"] = "not_applicable",
      } },
    { name = "plan expectations",
      expect = {
        ["rg-plain"] = { status = "fail",
                         plan = { kind = "migration", actions = { "CreateSnapshot" }, warnings = 2 } },
        ["*"] = "not_applicable",
      } },
    { name = "warning texts: how many",
      expect = { ["rg-plain"] = { status = "fail", plan = { warnings = { "reconnect", "a second warning" } } },
                 ["*"] = "not_applicable" } },
    { name = "warning texts: what each says",
      expect = { ["rg-plain"] = { status = "fail", plan = { warnings = { "clients need not reconnect" } } },
                 ["*"] = "not_applicable" } },
    { name = "a plan where none was expected",
      expect = { ["rg-plain"] = { status = "fail", plan = false }, ["*"] = "not_applicable" } },
    { name = "a plan expected where the control offers none",
      fixture = { regions = { ["us-east-1"] = {
        replication_groups = {}, serverless_caches = {},
        cache_clusters = { { CacheClusterId = "c-plain", Engine = "redis", TransitEncryptionEnabled = false,
                             CacheNodes = { { CacheNodeId = "0001", Endpoint = { Port = 6379 } } } } } } } },
      expect = { ["c-plain"] = { status = "fail", plan = {} } } },
    { name = "a remediate that raises and one that returns a bad plan",
      fixture = { regions = { ["us-east-1"] = {
        replication_groups = { g2, g3 }, cache_clusters = { m2, m3 }, serverless_caches = {} } } },
      expect = { ["rg-broken"] = "fail", ["rg-bad"] = "fail" } },
  },
}
