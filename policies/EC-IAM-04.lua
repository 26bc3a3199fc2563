-- EC-IAM-04: no RBAC user group attached to the cache holds a user that
-- gets in without a password; in particular the default user is off or
-- needs a password.
-- Semantics: docs/controls/identity.md#ec-iam-04-no-password-less-user-can-get-in

local ipairs, require = ipairs, require
local string_format, table_concat, table_insert = string.format, table.concat, table.insert

local access = require "access"
local plan = require "plan"
local result = require "result"

-- AWS's own default user: it cannot be modified, only swapped out of a
-- group for another user named "default".
local AWS_DEFAULT = "default"

local function copy(list)
  local out = {}
  for i, v in ipairs(list or {}) do out[i] = v end
  return out
end

-- Whether a user record lets clients in without a password: true, or nil
-- and (when it cannot be told) why.  Users being deleted do not count;
-- every other state does, since access is live while a user is modified.
local function password_less(user)
  if user.Status == "deleting" then return nil end
  local authentication = user.Authentication
  local kind = authentication and authentication.Type
  if kind == nil then
    return nil, "user " .. user.UserId .. " does not report its Authentication.Type"
  end
  local rules = user.AccessString
  if rules == nil then return nil, "user " .. user.UserId .. " does not report its AccessString" end
  return kind == "no-password" and access.enabled(rules) or nil
end

-- The verdict on one user group, once per run (ctx.key): its offending
-- users as plain evidence, why the rest cannot be told, and what the plan
-- needs of the group itself.
local verdicts = {}

local function group_verdict(group, ctx)
  local key = ctx.key(group)
  local v = verdicts[key]
  if v then return v end
  local id = group.UserGroupId
  v = { offenders = {}, status = group.Status, caches = copy(group.ReplicationGroups) }
  for _, name in ipairs(group.ServerlessCaches or {}) do v.caches[#v.caches + 1] = name end
  if group.UserIds == nil then
    v.undecided = "user group " .. id .. " does not report its UserIds"
  end
  for _, user_id in ipairs(group.UserIds or {}) do
    local user = ctx.get("users", user_id)
    local bad, why
    if user == nil then
      why = string_format("user %s of user group %s is not among the collected users",
                          user_id, id)
    else
      bad, why = password_less(user)
    end
    if bad then
      v.offenders[#v.offenders + 1] = {
        user_group_id = id, user_id = user_id, user_name = user.UserName,
        status = user.Status, authentication = "no-password",
        access_string = user.AccessString, user_group_ids = copy(user.UserGroupIds),
      }
    end
    v.undecided = v.undecided or why
  end
  verdicts[key] = v
  return v
end

-- The offenders of every group of the cache, the verdicts by group id,
-- and why the rest cannot be told (nil when it can).
local function offenders_of(cache, ctx)
  local offenders, by_group, undecided = {}, {}, nil
  for _, id in ipairs(cache.auth.user_group_ids) do
    local group = ctx.get("user_groups", id)
    if group == nil then
      undecided = undecided or ("user group " .. id .. " is attached but not among the "
                                .. "collected user groups")
    else
      local v = group_verdict(group, ctx)
      by_group[id] = v
      for _, o in ipairs(v.offenders) do offenders[#offenders + 1] = o end
      undecided = undecided or v.undecided
    end
  end
  return offenders, by_group, undecided
end

local function describe(o)
  if o.user_name == "default" then
    return string_format("%s in user group %s (the default user: every client that does not "
                         .. "authenticate gets \"%s\")", o.user_id, o.user_group_id, o.access_string)
  end
  return string_format("%s in user group %s (user name %s, \"%s\")", o.user_id,
                       o.user_group_id, o.user_name, o.access_string)
end

local function modify_user(user_id, params, title, back, back_title)
  params.UserId = user_id
  back.UserId = user_id
  return plan.call("elasticache", "ModifyUser", params, {
    title = title,
    backout = plan.call("elasticache", "ModifyUser", back, { title = back_title }),
  })
end

-- Other caches and user groups a change reaches beyond this cache, each
-- said once (warned: "user:<id>" and "group:<id>" already said).
local function shared_warnings(o, v, cache, warnings, warned)
  if o.user_id ~= AWS_DEFAULT and #o.user_group_ids > 1 and not warned["user:" .. o.user_id] then
    warned["user:" .. o.user_id] = true
    warnings[#warnings + 1] = string_format("User %s is in user groups %s: the change applies "
      .. "to every cache they are attached to.", o.user_id, table_concat(o.user_group_ids, ", "))
  end
  if #v.caches > 1 and not warned["group:" .. o.user_group_id] then
    warned["group:" .. o.user_group_id] = true
    warnings[#warnings + 1] = string_format("User group %s is attached to %s: the change applies "
      .. "to all of them, not only to %s.", o.user_group_id, table_concat(v.caches, ", "), cache.id)
  end
end

return {
  id = "EC-IAM-04",
  title = "No user of the cache's RBAC user groups gets in without a password",
  severity = "high",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches", "users",
            "user_groups" },
  refs = {
    cis_db = "5.1",
    docs = {
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ModifyUser.html",
      "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ModifyUserGroup.html",
    },
  },
  rationale = [[
A user group must hold a user named "default", and every client that does
not authenticate gets that user's access. AWS's own default user is on,
with no password and full access ("on ~* +@all"): a cache whose group still
holds it is as open as one without RBAC. Any other enabled user without a
password is open the same way to whoever knows its name.]],
  remediation = [[
- AWS's default user (user id "default") cannot be modified: create a
  disabled user named default and swap it in:
    aws elasticache create-user --user-id <group>-default-off --user-name default \
      --engine redis --access-string "off -@all" \
      --authentication-mode Type=no-password-required
    aws elasticache modify-user-group --user-group-id <group> \
      --user-ids-to-add <group>-default-off --user-ids-to-remove default
  This ends the connections authenticated as the old default user; move
  the clients that do not authenticate to a named user first.
- Your own default user: switch it off (aws elasticache modify-user
  --user-id <id> --access-string "off ..."), or give it a password.
- Any other user: give it a password (aws elasticache modify-user --user-id
  <id> --authentication-mode Type=password,Passwords=<password>); open
  connections are kept. Configure its clients first: a user without a
  password accepts any password, so they can switch before it does.]],
  check = function(cache, ctx)
    if cache.engine == "memcached" then
      return result.not_applicable("Memcached has no RBAC users")
    end
    if #cache.auth.user_group_ids == 0 then
      return result.not_applicable("no RBAC user group is attached (EC-IAM-02 and EC-IAM-03 "
                                   .. "decide whether one is needed)")
    end
    local offenders, _, undecided = offenders_of(cache, ctx)
    if #offenders > 0 then
      local parts = {}
      for i, o in ipairs(offenders) do parts[i] = describe(o) end
      return result.fail("users that get in without a password: " .. table_concat(parts, "; "),
                         offenders)
    end
    if undecided then return result.unknown(undecided) end
    return result.pass("every user of user group " .. table_concat(copy(cache.auth.user_group_ids), ", ")
                       .. " is off or needs a password or IAM")
  end,
  remediate = function(cache, _, ctx)
    local offenders, by_group = offenders_of(cache, ctx)
    local steps, preconditions, warnings, before, warned, changed = {}, {}, {}, {}, {}, {}
    local placeholders = false
    for _, o in ipairs(offenders) do
      local v = by_group[o.user_group_id]
      shared_warnings(o, v, cache, warnings, warned)
      if o.user_id == AWS_DEFAULT then
        local replacement = o.user_group_id .. "-default-off"
        preconditions[#preconditions + 1] = {
          text = "user group " .. o.user_group_id .. " is active (ModifyUserGroup refuses it "
            .. "otherwise)", met = v.status == "active" }
        steps[#steps + 1] = access.create_disabled_default(replacement)
        steps[#steps + 1] = access.swap_users(o.user_group_id, replacement, AWS_DEFAULT,
          string_format("Swap AWS's default user out of user group %s for the disabled %s",
                        o.user_group_id, replacement))
        before[#before + 1] = "clients that connect without a user name (as the default "
          .. "user of " .. o.user_group_id .. ") authenticate as a named user of it"
        warnings[#warnings + 1] = "Swapping the default user of " .. o.user_group_id
          .. " ends every connection authenticated as AWS's default user."
      elseif not changed[o.user_id] then  -- a user in two of the cache's groups
        changed[o.user_id] = true
        preconditions[#preconditions + 1] = {
          text = "user " .. o.user_id .. " is active (ModifyUser refuses it otherwise)",
          met = o.status == "active" }
        if o.user_name == "default" then
          steps[#steps + 1] = modify_user(o.user_id, { AccessString = access.disabled(o.access_string) },
            "Switch the default user " .. o.user_id .. " off",
            { AccessString = o.access_string }, "Switch " .. o.user_id .. " back on, as it was")
          before[#before + 1] = "clients that connect without a user name (as " .. o.user_id
            .. ") authenticate as a named user"
        else
          placeholders = true
          steps[#steps + 1] = modify_user(o.user_id, { AuthenticationMode = {
              Type = "password", Passwords = { access.password_placeholder(o.user_id) } } },
            "Give user " .. o.user_id .. " a password",
            { AuthenticationMode = { Type = "no-password-required" } },
            "Let " .. o.user_id .. " in without a password again")
          before[#before + 1] = string_format("clients of user %s send the password %s "
            .. "(Valkey and Redis OSS accept any password for a user without one, so they "
            .. "can switch first)", o.user_name, access.password_placeholder(o.user_id))
        end
      end
    end
    table_insert(steps, 1, plan.manual("Move the clients first", "Before the next steps, make "
      .. "sure that " .. table_concat(before, "; and that ") .. ".",
      { no_backout = "changes client configuration only" }))
    if placeholders then
      table_insert(warnings, 1, "The plan holds placeholders (<REPLACE/NEW-PASSWORD-FOR-...>), never a "
        .. "password: replace each with a new password (16-128 printable characters, none of "
        .. ", \" / @), from a secret store, before running it; unedited, AWS refuses them.")
    end
    return plan.new {
      summary = "Close password-less access to " .. cache.id .. ": "
        .. #offenders .. (#offenders == 1 and " user" or " users") .. " off or with a password",
      preconditions = preconditions, steps = steps, warnings = warnings,
    }
  end,
}
