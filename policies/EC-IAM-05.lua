-- EC-IAM-05: the AUTH token was rotated within params.max_age_days.
-- Semantics: docs/controls/identity.md#ec-iam-05-the-auth-token-was-rotated-recently

local error, require, type = error, require, type
local math_floor, string_format = math.floor, string.format

local access = require "access"
local result = require "result"
local time = require "time"

local function max_age(ctx)
  local days = ctx.params.max_age_days
  if type(days) ~= "number" or days <= 0 then
    error("max_age_days must be a positive number of days", 0)
  end
  return days
end

return {
  id = "EC-IAM-05",
  title = "The AUTH token was rotated within max_age_days",
  severity = "low",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches" },
  params = { max_age_days = 90 },
  refs = {
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ReplicationGroup.html",
    },
  },
  rationale = [[
An AUTH token is one secret shared by every client, with full access. The
longer it lives, the more places it has been copied to (configuration,
images, people who left); rotating it regularly bounds how long a leaked
token stays useful.]],
  remediation = [[
Rotate in place, without downtime (Valkey 7.2+ / Redis OSS 5.0.6+):
  1. aws elasticache modify-replication-group --replication-group-id <id> \
       --auth-token <new-token> --auth-token-update-strategy ROTATE --apply-immediately
     (standalone: modify-cache-cluster --cache-cluster-id <id>); the current
     and the new token are both accepted now.
  2. Move every client to the new token.
  3. ... --auth-token <new-token> --auth-token-update-strategy SET --apply-immediately
     makes the new token the only one.
Better still, move to RBAC (EC-IAM-02), where each client has its own
password and two passwords per user allow the same rotation.]],
  check = function(cache, ctx)
    if cache.kind == "serverless_cache" then
      return result.not_applicable("serverless caches have no AUTH token")
    end
    if cache.engine == "memcached" then
      return result.not_applicable("Memcached has no AUTH")
    end
    local auth = cache.auth
    if not auth.token_enabled then
      return result.not_applicable("no AUTH token (EC-IAM-01 and EC-IAM-03 decide whether "
                                   .. "one is needed)")
    end
    local days = max_age(ctx)
    local changed = auth.token_last_modified
    if changed == nil then
      return result.unknown("the AUTH token is on but AuthTokenLastModifiedDate is not "
                            .. "reported: its age cannot be told")
    end
    local age = time.days_between(changed, ctx.now)
    local evidence = {
      AuthTokenLastModifiedDate = changed, now = time.format(ctx.now),
      age_days = math_floor(age), max_age_days = days,
    }
    if age > days then
      return result.fail(string_format("the AUTH token was last changed %s, %d days ago "
                                       .. "(more than %s)", changed, math_floor(age), days),
                         evidence)
    end
    if age < 0 then
      return result.pass(string_format("the AUTH token was changed %s, after the time of "
                                       .. "the run (%s)", changed, evidence.now), evidence)
    end
    return result.pass(string_format("the AUTH token was changed %s, %d days ago", changed,
                                     math_floor(age)), evidence)
  end,
  remediate = function(cache, _, ctx)
    return access.token_plan(cache, ctx, "rotate")
  end,
}
