-- Data-plane access control of Valkey and Redis OSS caches: which engines
-- can use RBAC, what an RBAC access string enables, and the plans that
-- turn an AUTH token on, rotate it, or attach an RBAC user group.
--
-- The AWS facts behind every step are in docs/controls/identity.md, with
-- their sources (the ElastiCache API model and user guide).  Plans never
-- hold a secret: tokens and passwords are placeholders the operator
-- replaces (NEW_TOKEN, CURRENT_TOKEN, ...), and the plans say so.

local error, ipairs, tostring, type = error, ipairs, tostring, type
local string_format, string_gmatch, string_lower = string.format, string.gmatch, string.lower
local table_concat = table.concat

local migration = require "migration"
local plan = require "plan"
local version = require "version"

local M = {}

-- Placeholders for secrets.  Each holds a "/", which AWS refuses in AUTH
-- tokens and in user passwords (API reference, Clusters.RBAC.html), so a
-- plan run unedited stops at that call instead of setting a token or a
-- password that anyone reading the plan knows.
M.NEW_TOKEN = "<REPLACE/NEW-AUTH-TOKEN>"
M.CURRENT_TOKEN = "<REPLACE/CURRENT-AUTH-TOKEN>"

-- RBAC users and user groups are created with the engine "redis": the
-- user guide says Valkey caches accept user groups of either engine, and
-- Redis OSS caches only "redis" ones.
local USER_ENGINE = "redis"

-- The access today's default user gives, kept by the users that replace it.
local FULL_ACCESS = "on ~* +@all"

local kind_words = {
  cache_cluster = "cache cluster", replication_group = "replication group",
  serverless_cache = "serverless cache",
}

local function named(cache)
  return kind_words[cache.kind] .. " " .. cache.id
end

-- rbac_capable(cache) -> true | false | nil: Valkey (7.2 and later) and
-- Redis OSS 6.0 and later can use RBAC; Memcached cannot; nil when the
-- Redis OSS version is not reported.
function M.rbac_capable(cache)
  local engine = cache.engine
  if engine == "valkey" then return true end
  if engine ~= "redis" then return false end
  local v = cache.engine_version
  if v == nil then return nil end
  return version.at_least(v, "6.0")
end

-- The on/off tokens of an access string, compared as the engine does
-- (ACL rules are case-insensitive).
local function on_off(token)
  local t = string_lower(token)
  if t == "on" or t == "off" then return t end
  return nil
end

-- enabled(access_string) -> whether the user may log in: its last on/off
-- rule is "on" (rules apply left to right; with neither, ElastiCache
-- makes the user "off").
function M.enabled(access_string)
  if type(access_string) ~= "string" then
    error("access.enabled: expected an access string, got " .. type(access_string), 2)
  end
  local state = "off"
  for token in string_gmatch(access_string, "%S+") do
    state = on_off(token) or state
  end
  return state == "on"
end

-- disabled(access_string) -> the same rules, switched off: every on/off
-- rule dropped and "off" put first.
function M.disabled(access_string)
  local out = { "off" }
  for token in string_gmatch(access_string, "%S+") do
    if not on_off(token) then out[#out + 1] = token end
  end
  return table_concat(out, " ")
end

---------------------------------------------------------------------------
-- Preconditions the inventory can decide

-- A precondition, with met when the inventory tells.
local function precondition(text, met)
  if met == nil then return text end
  return { text = text, met = met }
end

local function known(ctx, t, field)
  if not ctx.available(t, field) then return nil end
  return t[field]
end

local function tls_precondition(cache, ctx, needed_by)
  return precondition(
    "in-transit encryption (TLS) is on: " .. needed_by .. " needs it. If it is off, "
      .. "follow EC-ENC-03's plan first (ecpolicy plan --only EC-ENC-03); only "
      .. "replication groups on Valkey 7.2+ or Redis OSS 7.0+ can turn it on in place",
    known(ctx, cache.transit_encryption, "enabled"))
end

local function token_version_precondition(cache, ctx)
  local met
  if cache.engine == "valkey" then
    met = true
  else
    local v = known(ctx, cache, "engine_version")
    if v ~= nil then met = version.at_least(v, "5.0.6") end
  end
  return precondition(
    "the engine is Valkey 7.2+ or Redis OSS 5.0.6+, the versions that change AUTH on "
      .. "an existing cache; upgrade first otherwise (EngineVersion, upgrades only)", met)
end

local TOKEN_WARNING = "The plan holds the placeholder %s, never a token: replace it with "
  .. "the new token (16-128 printable ASCII characters, none of / \" @ %%) in both "
  .. "calls, from a secret store; keep it out of shell history and saved plans. Unedited, "
  .. "AWS refuses the call (a token cannot hold a /)."

---------------------------------------------------------------------------
-- AUTH token plans (replication groups and standalone clusters)

-- What differs between turning a token on and rotating it: the words,
-- and whether the SET step can be undone.
local TOKEN_PLANS = {
  enable = {
    summary = "Require an AUTH token on %s: ROTATE (optional), move clients, SET (required)",
    add = "Add an AUTH token as optional (ROTATE): clients with and without it both work",
    add_no_backout = "AWS has no call that removes a token except DELETE, which is only "
      .. "allowed when moving to RBAC; while the token is optional, clients without it keep "
      .. "working, so stopping before the SET step leaves them unaffected",
    move = "Move every client to the token",
    move_how = "Configure every client of %s to connect with TLS and send AUTH with the new "
      .. "token, and check that none connects without it: after the next step it is refused.",
    set = "Require the AUTH token (SET, the same token)",
    set_no_backout = "once required, a token cannot be made optional again (ROTATE adds "
      .. "another token; DELETE is only allowed when moving to RBAC): fix clients without it "
      .. "forward",
    warning = "Until the SET step the token is optional; after it, clients without the token "
      .. "are refused, and AWS offers no way back to an optional token.",
  },
  rotate = {
    summary = "Rotate the AUTH token of %s: ROTATE, move clients, SET",
    add = "Add the new AUTH token next to the current one (ROTATE): both are accepted",
    add_no_backout = "the current token keeps working until the SET step; to abandon the "
      .. "rotation, leave clients on it (AWS has no call that drops only the new token; the "
      .. "next rotation replaces it)",
    move = "Move every client to the new token",
    move_how = "Configure every client of %s to send AUTH with the new token (over TLS), and "
      .. "check that none still uses the current one: after the next step it is refused.",
    set = "Make the new AUTH token the only one (SET, the same token)",
    warning = "Until the SET step both the current and the new token are accepted; after it, "
      .. "only the new one. The SET step's backout uses " .. M.CURRENT_TOKEN .. ", the token "
      .. "in use before the plan: replace it too if you run it.",
  },
}

-- token_plan(cache, ctx, how) -> a plan: how is "enable" (the cache has no
-- token yet) or "rotate" (it has one).  ROTATE adds the new token, clients
-- move to it, SET makes it the only one.
function M.token_plan(cache, ctx, how)
  if cache.kind == "serverless_cache" then
    error("access.token_plan: serverless caches have no AUTH token (RBAC only)", 2)
  end
  local words = TOKEN_PLANS[how]
  if not words then
    error("access.token_plan: how must be \"enable\" or \"rotate\", got " .. tostring(how), 2)
  end
  local id, token = named(cache), M.NEW_TOKEN
  -- After a rotation the previous token can be accepted again; a token
  -- that was never there cannot be made optional again.
  local set_undo = { no_backout = words.set_no_backout }
  if how == "rotate" then
    set_undo = { backout = plan.modify(cache, { AuthToken = M.CURRENT_TOKEN,
                                                AuthTokenUpdateStrategy = "ROTATE" }, nil, {
      title = "Accept the previous token again next to the new one (ROTATE with "
        .. M.CURRENT_TOKEN .. ", the token in use before this plan)",
    }) }
  end
  set_undo.title = words.set
  return plan.new {
    summary = words.summary:format(id),
    preconditions = { token_version_precondition(cache, ctx), tls_precondition(cache, ctx, "AUTH") },
    steps = {
      plan.modify(cache, { AuthToken = token, AuthTokenUpdateStrategy = "ROTATE" }, nil,
                  { title = words.add, no_backout = words.add_no_backout }),
      plan.manual(words.move, string_format(words.move_how, id),
                  { no_backout = "changes client configuration only" }),
      plan.modify(cache, { AuthToken = token, AuthTokenUpdateStrategy = "SET" }, nil, set_undo),
    },
    warnings = { string_format(TOKEN_WARNING, token), words.warning },
  }
end

---------------------------------------------------------------------------
-- RBAC plans (replication groups and serverless caches)

M.APP_PASSWORD = "<REPLACE/APP-USER-PASSWORD>"

-- The placeholder for a new password of the user user_id, for plans that
-- give several users one each.
function M.password_placeholder(user_id)
  return "<REPLACE/NEW-PASSWORD-FOR-" .. user_id .. ">"
end

local function call(action, params, opts)
  return plan.call("elasticache", action, params, opts)
end

local function create_user(params, title)
  return call("CreateUser", params, {
    title = title,
    backout = call("DeleteUser", { UserId = params.UserId },
                   { title = "Delete the user " .. params.UserId }),
  })
end

-- create_disabled_default(user_id) -> the CreateUser step of a user named
-- "default" that is off: what replaces an open default user in a group
-- (AWS's own "default" user cannot be modified, only swapped out).
function M.create_disabled_default(user_id)
  return create_user({
    UserId = user_id, UserName = "default", Engine = USER_ENGINE,
    AccessString = "off -@all", AuthenticationMode = { Type = "no-password-required" },
  }, ("Create %s, a disabled user named default, to replace the open default user")
       :format(user_id))
end

-- swap_users(group, add, remove, title) -> the ModifyUserGroup step that
-- puts user add in group in place of user remove, and its backout.
function M.swap_users(group, add, remove, title)
  return call("ModifyUserGroup", { UserGroupId = group, UserIdsToAdd = { add },
                                   UserIdsToRemove = { remove } }, {
    title = title,
    backout = call("ModifyUserGroup", { UserGroupId = group, UserIdsToAdd = { remove },
                                        UserIdsToRemove = { add } },
                   { title = ("Put %s back in user group %s in place of %s"):format(remove, group, add) }),
  })
end

-- The user group the plan creates, with an application user that has the
-- access the default user gives today, and the two default users: the one
-- clients meet until they have moved (today's behaviour: AWS's own open
-- "default" user, or one whose password is the current AUTH token), and
-- the disabled one that replaces it at the end.
local function new_user_group(cache, token_on)
  local base = cache.id
  local g = {
    group = base .. "-users", app = base .. "-app", default_off = base .. "-default-off",
    transition = token_on and base .. "-default-token" or "default", steps = {},
  }
  local steps = g.steps
  steps[1] = create_user({
    UserId = g.app, UserName = g.app, Engine = USER_ENGINE, AccessString = FULL_ACCESS,
    AuthenticationMode = { Type = "password", Passwords = { M.APP_PASSWORD } },
  }, ("Create the user %s for the cache's clients, with a password"):format(g.app))
  steps[2] = M.create_disabled_default(g.default_off)
  if token_on then
    steps[3] = create_user({
      UserId = g.transition, UserName = "default", Engine = USER_ENGINE,
      AccessString = FULL_ACCESS,
      AuthenticationMode = { Type = "password", Passwords = { M.CURRENT_TOKEN } },
    }, ("Create %s, a default user whose password is the current AUTH token, so clients "
        .. "that send only the token keep working"):format(g.transition))
  end
  steps[#steps + 1] = call("CreateUserGroup", {
    UserGroupId = g.group, Engine = USER_ENGINE, UserIds = { g.transition, g.app },
  }, {
    title = ("Create the user group %s with %s and %s"):format(g.group, g.transition, g.app),
    backout = call("DeleteUserGroup", { UserGroupId = g.group },
                   { title = "Delete the user group " .. g.group }),
  })
  steps[#steps + 1] = plan.manual("Wait until the user group is active", string_format(
    "Run aws elasticache describe-user-groups --user-group-id %s until its Status is "
      .. "\"active\": a group that is still being created is refused "
      .. "(InvalidUserGroupStateFault).", g.group),
    { no_backout = "waiting changes nothing" })
  return g
end

-- The call that attaches group (and detaches remove) on a replication
-- group or serverless cache, with its backout.
local function attach(cache, group, remove, token_on)
  local title = ("Attach the user group %s to %s"):format(group, named(cache))
  if cache.kind == "serverless_cache" then
    local back = remove[1] and { UserGroupId = remove[1] } or { RemoveUserGroup = true }
    return plan.modify(cache, { UserGroupId = group }, nil, {
      title = title,
      backout = plan.modify(cache, back, nil, {
        title = remove[1] and ("Attach %s again"):format(remove[1])
          or ("Remove the user group from %s"):format(named(cache)),
      }),
    })
  end
  local changes, back, back_title = { UserGroupIdsToAdd = { group } }
  if #remove > 0 then
    changes.UserGroupIdsToRemove = remove
    title = title .. " in place of " .. table_concat(remove, ", ")
    back = { UserGroupIdsToAdd = remove, UserGroupIdsToRemove = { group } }
    back_title = ("Attach %s again in place of %s"):format(table_concat(remove, ", "), group)
  elseif token_on then
    changes.AuthTokenUpdateStrategy = "DELETE"
    title = title .. " and drop the AUTH token (DELETE)"
    back = { RemoveUserGroups = true, AuthToken = M.CURRENT_TOKEN,
             AuthTokenUpdateStrategy = "ROTATE" }
    back_title = ("Go back to the AUTH token: remove the user group and ROTATE with %s; "
                  .. "then SET with it"):format(M.CURRENT_TOKEN)
  else
    back = { UserGroupIdsToRemove = { group } }
    back_title = ("Remove the user group %s from %s"):format(group, named(cache))
  end
  return plan.modify(cache, changes, nil, {
    title = title, backout = plan.modify(cache, back, nil, { title = back_title }),
  })
end

-- The steps, preconditions and warnings that attach a user group to
-- cache (see rbac_plan), and what the plan's summary says of the group.
local function rbac_parts(cache, opts)
  local remove = opts.remove or {}
  local token_on = #remove == 0 and cache.kind == "replication_group" and cache.auth.token_enabled
  local steps, preconditions, warnings = {}, {}, {}
  local group, created = opts.user_group, nil
  if group == nil then
    created = new_user_group(cache, token_on)
    group = created.group
    for i, step in ipairs(created.steps) do steps[i] = step end
    warnings[1] = ("The plan holds placeholders, never a secret: replace %s%s (16-128 "
      .. "printable characters, none of , \" / @) before running it; unedited, AWS refuses "
      .. "them."):format(
      M.APP_PASSWORD, token_on and (" and " .. M.CURRENT_TOKEN) or "")
    warnings[2] = ("The user %s gets the access the default user gives today (%s): narrow "
      .. "its access string, or add a user per application, for RBAC to limit anything.")
      :format(created.app, FULL_ACCESS)
    warnings[3] = "Swapping the default user (the last RBAC step) ends every connection "
      .. "authenticated as the old one: clients still connecting without a user name are "
      .. "refused from then on."
  else
    preconditions[1] = ("the user group %s exists and is active, holds the users every client "
      .. "needs, and its default user is off or needs a password (EC-IAM-04)"):format(group)
    warnings[1] = ("From the attach step, clients must authenticate as users of %s, unless "
      .. "its default user lets them in%s."):format(group, token_on
        and " (clients that send only the AUTH token authenticate as that default user)" or "")
  end
  steps[#steps + 1] = attach(cache, group, remove, token_on)
  if created then
    steps[#steps + 1] = plan.manual("Move every client to the new user", string_format(
      "Configure every client of %s to send AUTH %s %s over TLS (user name and password); "
        .. "until the next step, clients that do not are still let in as the default user.",
      named(cache), created.app, M.APP_PASSWORD),
      { no_backout = "changes client configuration only" })
    steps[#steps + 1] = M.swap_users(group, created.default_off, created.transition,
      ("Replace the default user %s of %s with the disabled %s"):format(
        created.transition, group, created.default_off))
  end
  return steps, preconditions, warnings,
    "the user group " .. group .. (created and " (created by this plan)" or "")
end

local function append(list, more)
  for _, v in ipairs(more) do list[#list + 1] = v end
  return list
end

-- rbac_plan(cache, ctx, opts) -> a plan that attaches an RBAC user group
-- to a replication group or serverless cache.  opts.user_group names an
-- existing group (nil: the plan creates one, and moves clients over to it
-- without cutting anyone off); opts.remove lists groups to detach in the
-- same call.
function M.rbac_plan(cache, ctx, opts)
  if cache.kind ~= "replication_group" and cache.kind ~= "serverless_cache" then
    error("access.rbac_plan: only replication groups and serverless caches take user "
          .. "groups, got " .. tostring(cache.kind), 2)
  end
  local steps, group_preconditions, warnings, what = rbac_parts(cache, opts or {})
  local preconditions = {}
  if cache.kind == "replication_group" then
    preconditions[1] = tls_precondition(cache, ctx, "RBAC")
    preconditions[2] = precondition("the group is in a VPC (it has a cache subnet group): "
      .. "AWS attaches user groups only then", known(ctx, cache, "in_vpc"))
  end
  append(preconditions, group_preconditions)
  return plan.new {
    summary = ("Use RBAC on %s: attach %s"):format(named(cache), what),
    preconditions = preconditions[1] and preconditions or nil,
    steps = steps,
    warnings = warnings,
  }
end

-- rbac_migration(cache, ctx, opts) -> the plan for a standalone Valkey or
-- Redis OSS cluster, which cannot take a user group: rebuild it as a
-- replication group with TLS (migration.to_replication_group: snapshot,
-- new group, cut-over with the same credentials, verification), use RBAC
-- on the new group as rbac_plan does (opts.user_group likewise), and
-- delete the old cluster last.
function M.rbac_migration(cache, ctx, opts)
  if cache.kind ~= "cache_cluster" then
    error("access.rbac_migration: expected a standalone cache cluster, got "
          .. tostring(cache.kind), 2)
  end
  local suffix = "rbac"
  local new_id = migration.new_name(cache.id, suffix)
  -- Its summary is replaced by this plan's, which says what it is for.
  local moved = migration.to_replication_group(cache, ctx, { TransitEncryptionEnabled = true }, {
    summary = "Rebuild " .. cache.id .. " as a replication group with TLS", suffix = suffix })
  -- The group the migration creates, as rbac_parts needs to see it.
  local new_group = { kind = "replication_group", id = new_id, region = cache.region,
                      auth = { token_enabled = cache.auth.token_enabled, user_group_ids = {} } }
  local steps, group_preconditions, warnings, what = rbac_parts(new_group, opts or {})
  -- Deleting the old cluster stays the last step: until then clients can
  -- go back to it.
  local delete_old = moved.steps[#moved.steps]
  local all = {}
  for i = 1, #moved.steps - 1 do all[i] = moved.steps[i] end
  append(all, steps)
  all[#all + 1] = delete_old
  return plan.new {
    summary = ("Use RBAC on cache cluster %s: a standalone cluster cannot take a user group, "
               .. "so rebuild it as the replication group %s with TLS and attach %s"):format(
      cache.id, new_id, what),
    preconditions = append(moved.preconditions, group_preconditions),
    steps = all,
    warnings = append(moved.warnings, warnings),
  }
end

return M
