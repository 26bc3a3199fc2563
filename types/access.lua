---@meta access
-- LuaLS types of stdlib/access.lua: AUTH tokens, RBAC users and their
-- plans (docs/stdlib.md#access).  Plans hold placeholders, never secrets.

---@class ecpolicy.access.RbacOpts
---@field user_group? string an existing user group; nil: the plan creates one
---@field remove? string[] user groups to detach in the same call

---@class ecpolicy.access
local access = {}

--- Placeholders for the secrets a plan needs; each holds a "/", which AWS
--- refuses, so an unedited plan stops at that call.
---@type string
access.NEW_TOKEN = "<REPLACE/NEW-AUTH-TOKEN>"
---@type string
access.CURRENT_TOKEN = "<REPLACE/CURRENT-AUTH-TOKEN>"
---@type string
access.APP_PASSWORD = "<REPLACE/APP-USER-PASSWORD>"

--- The placeholder for a new password of user `user_id`:
--- "<REPLACE/NEW-PASSWORD-FOR-user_id>".
---@param user_id string
---@return string
function access.password_placeholder(user_id) end

--- true for Valkey and Redis OSS 6.0+, false for older Redis OSS and
--- Memcached, nil for Redis OSS whose engine_version is not reported.
---@param cache ecpolicy.Cache
---@return boolean?
function access.rbac_capable(cache) end

--- Whether a user with this AccessString may log in: its last on/off rule
--- is on.  Raises on a non-string.
---@param access_string string
---@return boolean
function access.enabled(access_string) end

--- The same rules with every on/off dropped and "off" put first.
---@param access_string string
---@return string
function access.disabled(access_string) end

--- The in-place AUTH plan of a replication group or standalone cluster:
--- ROTATE, move clients, SET.  Raises for a serverless cache or another how.
---@param cache ecpolicy.Cache
---@param ctx ecpolicy.Context
---@param how "enable"|"rotate"
---@return ecpolicy.Plan
function access.token_plan(cache, ctx, how) end

--- The CreateUser step of a disabled user named "default".
---@param user_id string
---@return ecpolicy.CallStep
function access.create_disabled_default(user_id) end

--- The ModifyUserGroup step that puts user add in group in place of user
--- remove, with the reverse as its backout.
---@param group string
---@param add string
---@param remove string
---@param title? string
---@return ecpolicy.CallStep
function access.swap_users(group, add, remove, title) end

--- Attach an RBAC user group to a replication group or serverless cache.
--- Raises for a standalone cluster (see rbac_migration).
---@param cache ecpolicy.Cache
---@param ctx ecpolicy.Context
---@param opts? ecpolicy.access.RbacOpts
---@return ecpolicy.Plan
function access.rbac_plan(cache, ctx, opts) end

--- A standalone cluster rebuilt as a replication group with TLS, RBAC on
--- the new group as rbac_plan does, the old cluster deleted last.  Raises
--- for anything but a cache cluster.
---@param cache ecpolicy.Cache
---@param ctx ecpolicy.Context
---@param opts? ecpolicy.access.RbacOpts
---@return ecpolicy.Plan
function access.rbac_migration(cache, ctx, opts) end

return access
