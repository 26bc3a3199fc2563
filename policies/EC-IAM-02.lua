-- EC-IAM-02: Valkey and Redis OSS 6.0+ caches use RBAC: an (allowed) user
-- group is attached.
-- Semantics: docs/controls/identity.md#ec-iam-02-valkey-and-redis-oss-60-use-rbac

local ipairs, require = ipairs, require
local table_concat = table.concat

local access = require "access"
local result = require "result"

local function copy(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = v end
  return out
end

-- The attached groups that are not allowed (none when any group is).
local function disallowed(groups, allowed)
  if #allowed == 0 then return {} end
  local ok = {}
  for _, id in ipairs(allowed) do ok[id] = true end
  local out = {}
  for _, id in ipairs(groups) do
    if not ok[id] then out[#out + 1] = id end
  end
  return out
end

return {
  id = "EC-IAM-02",
  title = "Valkey and Redis OSS 6.0+ caches use RBAC (an allowed user group is attached)",
  severity = "high",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  params = { allowed_user_groups = {} },
  refs = {
    cis_db = "5.1",
    config = "elasticache-rbac-auth-enabled",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html",
      "https://docs.aws.amazon.com/config/latest/developerguide/elasticache-rbac-auth-enabled.html",
    },
  },
  rationale = [[
RBAC gives each client its own user, password and access string, where an
AUTH token is one shared secret with full access. Without a user group,
a Valkey or Redis OSS 6+ cache lets every client in as the default user,
with no credentials or with the one token. RBAC is also the only access
control serverless caches have.]],
  remediation = [[
RBAC needs TLS (EC-ENC-03) and a user group, which must contain a user
named "default"; create that one disabled ("off -@all"):
  aws elasticache create-user --user-id <id> --user-name <name> --engine redis \
    --authentication-mode Type=password,Passwords=<password> --access-string "<rules>"
  aws elasticache create-user-group --user-group-id <group> --engine redis \
    --user-ids <default-user-id> <user-id>
Then attach it:
- replication group: aws elasticache modify-replication-group \
    --replication-group-id <id> --user-group-ids-to-add <group> --apply-immediately
  (from an AUTH token, add --auth-token-update-strategy DELETE to that call;
  to replace a group, add --user-group-ids-to-remove <old> to it)
- serverless: aws elasticache modify-serverless-cache \
    --serverless-cache-name <name> --user-group-id <group>
To move clients without cutting any off, attach the group with a default
user that still lets them in (AWS's "default", or one whose password is
the current AUTH token), move clients to named users, then swap in the
disabled default user (modify-user-group --user-ids-to-add ...
--user-ids-to-remove ...): `ecpolicy plan` writes these steps out.
A standalone cluster cannot have a user group (there is no such parameter
for clusters): migrate it to a replication group (create-snapshot, then
create-replication-group --snapshot-name ... --transit-encryption-enabled),
move clients to its endpoint, attach a user group to it as above, and
delete the old cluster once the new group is verified.]],
  check = function(cache, ctx)
    local capable = access.rbac_capable(cache)
    if capable == false then
      return result.not_applicable(cache.engine == "redis"
        and "Redis OSS " .. cache.engine_version .. " has no RBAC (before 6.0): see EC-IAM-01"
        or "Memcached has no RBAC")
    end
    if capable == nil then
      return result.unknown("the engine version is not reported: whether this Redis OSS "
                            .. "cache can use RBAC (6.0+) cannot be told")
    end
    if cache.kind == "cache_cluster" then
      return result.fail("a standalone cluster cannot have an RBAC user group: RBAC needs "
                         .. "a replication group (migrate)", { UserGroupIds = {} })
    end
    local groups = cache.auth.user_group_ids
    if #groups == 0 then
      return result.fail("no RBAC user group is attached: clients get in as the default "
                         .. "user", { UserGroupIds = {} })
    end
    local bad = disallowed(groups, ctx.params.allowed_user_groups)
    if #bad > 0 then
      return result.fail("user group " .. table_concat(bad, ", ")
                         .. (#bad == 1 and " is" or " are") .. " not in allowed_user_groups",
                         { UserGroupIds = copy(groups), disallowed = bad,
                           allowed_user_groups = copy(ctx.params.allowed_user_groups) })
    end
    return result.pass("RBAC: user group " .. table_concat(copy(groups), ", ") .. " attached")
  end,
  remediate = function(cache, _, ctx)
    local allowed = ctx.params.allowed_user_groups
    if cache.kind == "cache_cluster" then
      return access.rbac_migration(cache, ctx, { user_group = allowed[1] })
    end
    return access.rbac_plan(cache, ctx, {
      user_group = allowed[1],
      remove = disallowed(cache.auth.user_group_ids, allowed),
    })
  end,
}
