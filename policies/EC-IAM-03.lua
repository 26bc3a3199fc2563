-- EC-IAM-03: clients must authenticate (RBAC user group or AUTH token).
-- Semantics: docs/founding-controls.md#ec-iam-03-clients-must-authenticate
-- Plans: docs/controls/identity.md#ec-iam-03-clients-must-authenticate

local require = require
local table_concat = table.concat

local access = require "access"
local result = require "result"

local function user_group_list(groups)
  local ids = {}
  for i = 1, #groups do ids[i] = groups[i] end
  return table_concat(ids, ", ")
end

return {
  id = "EC-IAM-03",
  title = "Clients must authenticate to the cache",
  severity = "high",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  refs = {
    cis_db = "5.1",
    fsbp = "none",
    config = "none",
    prowler = "none",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html",
    },
  },
  rationale = [[
With neither an RBAC user group nor an AUTH token, the default user
accepts every client that can reach the port, with full access. IAM
policies govern only the control plane (the elasticache:* API), not who
may read and write the data; IAM authentication of clients goes through
RBAC users too.]],
  remediation = [[
Both AUTH and RBAC need TLS: turn it on first (EC-ENC-03).

- RBAC (Valkey, Redis OSS 6+), the better choice: create users and a user
  group; the group must hold a user whose user name is "default", which you
  should create switched off ("off" in its access string), then attach it:
    aws elasticache create-user --user-id <user-id> --user-name <name> \
      --engine <redis|valkey> --passwords <password> --access-string "<access-string>"
    aws elasticache create-user-group --user-group-id <group-id> \
      --engine <redis|valkey> --user-ids <default-user-id> <user-id>
    replication group: aws elasticache modify-replication-group \
      --replication-group-id <id> --user-group-ids-to-add <group-id> --apply-immediately
      (from an AUTH token, add --auth-token-update-strategy DELETE to the same call)
    serverless: aws elasticache modify-serverless-cache \
      --serverless-cache-name <name> --user-group-id <group-id>
  For IAM authentication (Valkey 7.2+ / Redis OSS 7.0+), create the users
  with --authentication-mode Type=iam.
- AUTH token (Valkey 7.2+, Redis OSS 5.0.6+), in two steps:
  1. aws elasticache modify-replication-group --replication-group-id <id> \
       --auth-token <token> --auth-token-update-strategy ROTATE --apply-immediately
     (the token is optional now: clients with and without it both work)
  2. Move every client to the token, then make it required:
     aws elasticache modify-replication-group --replication-group-id <id> \
       --auth-token <token> --auth-token-update-strategy SET --apply-immediately
  SET is refused before ROTATE. A standalone cluster takes the same two
  steps with modify-cache-cluster --cache-cluster-id <id>, but it cannot
  turn TLS on in place or attach user groups: without TLS, migrate.]],
  check = function(cache)
    if cache.engine == "memcached" then
      return result.not_applicable("Memcached has no AUTH or RBAC")
    end
    local auth = cache.auth
    local groups = auth.user_group_ids
    if groups and #groups > 0 then
      return result.pass("RBAC: user group(s) " .. user_group_list(groups) .. " attached")
    end
    if auth.token_enabled then
      return result.pass("an AUTH token is required")
    end
    return result.fail(
      "no AUTH token and no RBAC user group: the default user accepts any client that can reach the port",
      { AuthTokenEnabled = false, UserGroupIds = {} })
  end,
  -- RBAC where the cache can take a user group (replication groups on
  -- Valkey or Redis OSS 6.0+, serverless caches), else an AUTH token,
  -- which every version from Redis OSS 5.0.6 takes (the plan says so
  -- when the version is not known).  A standalone cluster without TLS
  -- cannot take a token in place either (TLS is set at create time): if
  -- its engine has RBAC, it is rebuilt as a replication group with TLS
  -- and RBAC.
  remediate = function(cache, _, ctx)
    local rbac = ctx.available(cache, "engine_version") and access.rbac_capable(cache)
    if cache.kind == "serverless_cache" or (cache.kind == "replication_group" and rbac) then
      return access.rbac_plan(cache, ctx)
    end
    if cache.kind == "cache_cluster" and rbac
        and ctx.available(cache.transit_encryption, "enabled")
        and not cache.transit_encryption.enabled then
      return access.rbac_migration(cache, ctx)
    end
    return access.token_plan(cache, ctx, "enable")
  end,
}
