---@meta plan
-- LuaLS types of stdlib/plan.lua: the builders of remediation plans
-- (docs/remediation.md, "The plan module").  A wrong argument or an
-- unknown option raises at the policy's line.

--- Options of plan.call.  Give backout or no_backout, not both; a step of
--- the plan needs one of them (the engine checks it), a step that is
--- itself a backout neither.
---@class ecpolicy.plan.CallOpts
---@field title? string default: the action in words ("Modify replication group")
---@field effect? "in_place"|"migration" default "in_place"
---@field wait? ecpolicy.Wait
---@field backout? ecpolicy.Step
---@field no_backout? string

--- Options of plan.modify: those of plan.call, and backout_title.  With
--- previous the backout is made from it, so backout and no_backout are
--- errors; without previous backout_title is, and backout or no_backout is
--- needed unless the step is itself a backout.
---@class ecpolicy.plan.ModifyOpts: ecpolicy.plan.CallOpts
---@field backout_title? string default: "Restore <the changed members> on <kind> <id>"

---@class ecpolicy.plan.ManualOpts
---@field backout? ecpolicy.Step
---@field no_backout? string

---@class ecpolicy.plan
local plan = {}

--- An API call with its exact parameters.
---@param service "elasticache"|"ec2"
---@param action string as AWS names it: "ModifyReplicationGroup"
---@param params table
---@param opts? ecpolicy.plan.CallOpts
---@return ecpolicy.CallStep
function plan.call(service, action, params, opts) end

---@param title string
---@param instructions string
---@param opts? ecpolicy.plan.ManualOpts
---@return ecpolicy.ManualStep
function plan.manual(title, instructions, opts) end

--- The identifier member of the cache's kind.
---@param cache ecpolicy.Cache
---@return "CacheClusterId"|"ReplicationGroupId"|"ServerlessCacheName"
function plan.id_param(cache) end

--- The wait for the cache to be available, or nil (serverless caches have
--- no waiter).
---@param cache ecpolicy.Cache
---@return ecpolicy.Wait?
function plan.waiter(cache) end

--- The in-place Modify... call of the cache with changes (and
--- ApplyImmediately, except on serverless caches) and its waiter; previous
--- (the values before) gives the backout; without it opts.backout or
--- opts.no_backout can (see ModifyOpts).
---@param cache ecpolicy.Cache
---@param changes table<string, any> not empty
---@param previous? table<string, any>
---@param opts? ecpolicy.plan.ModifyOpts
---@return ecpolicy.CallStep
function plan.modify(cache, changes, previous, opts) end

--- t itself, checked: a summary, at least one step, no unknown field.
---@param t ecpolicy.Plan
---@return ecpolicy.Plan
function plan.new(t) end

return plan
