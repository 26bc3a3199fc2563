-- EC-IAM-01: Redis OSS before 6.0, which has no RBAC, requires an AUTH token.
-- Semantics: docs/controls/identity.md#ec-iam-01-redis-oss-before-60-requires-an-auth-token

local require = require

local access = require "access"
local result = require "result"
local version = require "version"

return {
  id = "EC-IAM-01",
  title = "Redis OSS caches before 6.0 require an AUTH token",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  refs = {
    cis_db = "5.1",
    fsbp = "ElastiCache.6",
    config = "elasticache-repl-grp-redis-auth-enabled",
    prowler = "elasticache_redis_replication_group_auth_enabled",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html",
      "https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html",
      "https://docs.aws.amazon.com/config/latest/developerguide/elasticache-repl-grp-redis-auth-enabled.html",
    },
  },
  rationale = [[
Redis OSS before 6.0 has no users: without an AUTH token, every client
that reaches the port has full access to the data. The token is the only
authentication such a cache can have.]],
  remediation = [[
Turn AUTH on in place (Redis OSS 5.0.6 or later; TLS must be on first, see
EC-ENC-03), in two steps, on a replication group or a standalone cluster:
  1. aws elasticache modify-replication-group --replication-group-id <id> \
       --auth-token <token> --auth-token-update-strategy ROTATE --apply-immediately
     (standalone: modify-cache-cluster --cache-cluster-id <id>). The token is
     optional now: clients with and without it both work.
  2. Move every client to the token, then require it, with the same token:
       ... --auth-token <token> --auth-token-update-strategy SET --apply-immediately
SET is refused before ROTATE, and a required token cannot be made optional
again. Below 5.0.6, upgrade the engine first. TLS can be turned on in place
only on replication groups on Redis OSS 7.0+, so a cache below 6.0 without
TLS needs an engine upgrade (after which RBAC, EC-IAM-02, is the better
choice) or a migration to a new cache with TLS and a token.]],
  check = function(cache)
    if cache.kind == "serverless_cache" then
      return result.not_applicable("serverless caches use RBAC, not AUTH tokens (EC-IAM-02)")
    end
    if cache.engine ~= "redis" then
      return result.not_applicable(cache.engine == "valkey"
        and "Valkey (7.2 and later) has RBAC: see EC-IAM-02"
        or "Memcached has no AUTH")
    end
    local v = cache.engine_version
    if v == nil then
      return result.unknown("the engine version is not reported: whether the cache is "
                            .. "below Redis OSS 6.0 cannot be told")
    end
    if version.at_least(v, "6.0") then
      return result.not_applicable("Redis OSS " .. v .. " has RBAC: see EC-IAM-02")
    end
    if cache.auth.token_enabled then
      return result.pass("Redis OSS " .. v .. " with an AUTH token")
    end
    return result.fail("Redis OSS " .. v .. " without an AUTH token: any client that "
                       .. "reaches the port has full access",
                       { EngineVersion = v, AuthTokenEnabled = false })
  end,
  remediate = function(cache, _, ctx)
    return access.token_plan(cache, ctx, "enable")
  end,
}
