local access = require "access"
local fake = require "fake"
local check = require "check"
local eq, raises = check.eq, check.raises

local tests = {}

local function actions(p)
  local out = {}
  for i, step in ipairs(p.steps) do out[i] = step.action or "manual" end
  return table.concat(out, " ")
end

-- Every value of a plan, as text, to look for secrets and placeholders.
local function texts(t, out)
  out = out or {}
  for _, v in pairs(t) do
    if type(v) == "table" then texts(v, out) elseif type(v) == "string" then out[#out + 1] = v end
  end
  return out
end

tests["enabled: the last on/off rule wins, and neither means off"] = function()
  assert(access.enabled("on ~* +@all"))
  assert(not access.enabled("off ~* +@all"))
  assert(not access.enabled("on ~* +@all off"), "rules apply left to right")
  assert(access.enabled("off on ~keys:*"))
  assert(not access.enabled("~* +@all"), "ElastiCache makes a user with neither off")
  assert(access.enabled("ON ~* +@all"), "ACL rules are case-insensitive")
  assert(not access.enabled("  "))
  assert(not access.enabled("online ~*"), "a token, not a prefix")
  raises("access.enabled: expected an access string, got nil", access.enabled, nil)
end

tests["disabled: the same rules, off"] = function()
  eq(access.disabled("on ~* +@all"), "off ~* +@all")
  eq(access.disabled("  on  ~app:* -@all +@read on "), "off ~app:* -@all +@read")
  eq(access.disabled("off"), "off")
  assert(not access.enabled(access.disabled("off on On ~*")))
end

tests["rbac_capable: Valkey, Redis OSS 6.0 and later"] = function()
  eq(access.rbac_capable(fake.cache({ engine = "valkey", engine_version = "7.2.4" })), true)
  eq(access.rbac_capable(fake.cache({ engine = "redis", engine_version = "6.x" })), true)
  eq(access.rbac_capable(fake.cache({ engine = "redis", engine_version = "6.0" })), true)
  eq(access.rbac_capable(fake.cache({ engine = "redis", engine_version = "5.0.6" })), false)
  eq(access.rbac_capable(fake.cache({ engine = "memcached", engine_version = "1.6.22" })), false)
  eq(access.rbac_capable(fake.cache({ engine = "redis", engine_version = fake.NIL })), nil)
  eq(access.rbac_capable(fake.cache({ engine = "valkey", engine_version = fake.NIL })), true,
     "every Valkey has RBAC")
end

tests["token_plan: enable is ROTATE, clients, SET, with no way back"] = function()
  local ctx = fake.ctx()
  local cache = fake.cache({ engine_version = "5.0.6", auth = { token_enabled = false, user_group_ids = {} } })
  local p = access.token_plan(cache, ctx, "enable")
  eq(actions(p), "ModifyReplicationGroup manual ModifyReplicationGroup")
  eq(p.steps[1].params.AuthTokenUpdateStrategy, "ROTATE")
  eq(p.steps[3].params.AuthTokenUpdateStrategy, "SET")
  eq(p.steps[1].params.AuthToken, access.NEW_TOKEN)
  eq(p.steps[3].params.AuthToken, access.NEW_TOKEN, "SET takes the same token")
  assert(p.steps[1].no_backout and p.steps[3].no_backout)
  eq(p.preconditions[1].met, true)
  eq(p.preconditions[2].met, true)
end

tests["token_plan: rotate can put the previous token back"] = function()
  local cache = fake.cache({ kind = "cache_cluster", engine_version = "4.0.10",
                             transit_encryption = { enabled = fake.missing("not reported") } })
  local p = access.token_plan(cache, fake.ctx(), "rotate")
  eq(actions(p), "ModifyCacheCluster manual ModifyCacheCluster")
  local back = p.steps[3].backout
  eq(back.action, "ModifyCacheCluster")
  eq(back.params.AuthToken, access.CURRENT_TOKEN)
  eq(back.params.AuthTokenUpdateStrategy, "ROTATE")
  eq(p.preconditions[1].met, false, "4.0.10 cannot change AUTH in place")
  eq(type(p.preconditions[2]), "string", "TLS not known: no met")
end

tests["token_plan refuses what has no token"] = function()
  raises("serverless caches have no AUTH token", access.token_plan,
         fake.cache({ kind = "serverless_cache" }), fake.ctx(), "enable")
  raises('how must be "enable" or "rotate", got delete', access.token_plan,
         fake.cache({}), fake.ctx(), "delete")
end

tests["rbac_plan with an existing group: one call, its backout, no creation"] = function()
  local cache = fake.cache({ auth = { token_enabled = false, user_group_ids = { "ug-old" } } })
  local p = access.rbac_plan(cache, fake.ctx(), { user_group = "ug-new", remove = { "ug-old" } })
  eq(actions(p), "ModifyReplicationGroup")
  eq(p.steps[1].params.UserGroupIdsToAdd[1], "ug-new")
  eq(p.steps[1].params.UserGroupIdsToRemove[1], "ug-old")
  eq(p.steps[1].backout.params.UserGroupIdsToAdd[1], "ug-old")
  eq(p.steps[1].params.AuthTokenUpdateStrategy, nil)
end

tests["rbac_plan creating a group never holds a secret"] = function()
  local cache = fake.cache({ auth = { token_enabled = true, user_group_ids = {} } })
  local p = access.rbac_plan(cache, fake.ctx())
  eq(actions(p), "CreateUser CreateUser CreateUser CreateUserGroup manual ModifyReplicationGroup "
     .. "manual ModifyUserGroup")
  for _, text in ipairs(texts(p.steps)) do
    local placeholder = text:match("<[^>]*>")
    if text:find("PASSWORD", 1, true) or text:find("TOKEN", 1, true) then
      assert(placeholder, "a secret that is not a placeholder: " .. text)
    end
  end
  eq(p.steps[6].params.AuthTokenUpdateStrategy, "DELETE")
  eq(p.steps[6].backout.params.RemoveUserGroups, true)
end

tests["rbac_plan takes replication groups and serverless caches only"] = function()
  raises("only replication groups and serverless caches take user groups, got cache_cluster",
         access.rbac_plan, fake.cache({ kind = "cache_cluster" }), fake.ctx())
  local p = access.rbac_plan(fake.cache({ kind = "serverless_cache", auth = { user_group_ids = {} } }), fake.ctx())
  eq(p.preconditions, nil, "serverless: TLS always on, no subnet group needed")
  eq(p.steps[5].action, "ModifyServerlessCache")
  raises("rbac_migration: expected a standalone cache cluster, got replication_group",
         access.rbac_migration, fake.cache({}), fake.ctx())
end

tests["placeholders are refused by AWS as they stand"] = function()
  -- AuthToken and user passwords cannot hold a "/" (API reference,
  -- Clusters.RBAC.html): an unedited plan fails instead of setting them.
  for _, placeholder in ipairs({ access.NEW_TOKEN, access.CURRENT_TOKEN, access.APP_PASSWORD,
                                  access.password_placeholder("reporting") }) do
    assert(placeholder:find("/", 1, true), placeholder)
  end
  eq(access.password_placeholder("reporting"), "<REPLACE/NEW-PASSWORD-FOR-reporting>")
end

return tests
