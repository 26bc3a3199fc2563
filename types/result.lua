---@meta result
-- LuaLS types of stdlib/result.lua: the builders of what check returns
-- (docs/stdlib.md#result).  A reason, where given, is a non-empty string;
-- evidence, where given, a table; anything else raises, naming the builder.

---@class ecpolicy.result
local result = {}

---@type ecpolicy.Status[]
result.STATUSES = {}

--- A pass may go without a reason.
---@param reason? string
---@param evidence? table
---@return ecpolicy.Result
function result.pass(reason, evidence) end

---@param reason string
---@param evidence? table
---@return ecpolicy.Result
function result.fail(reason, evidence) end

---@param reason string
---@param evidence? table
---@return ecpolicy.Result
function result.not_applicable(reason, evidence) end

--- Only builds the result; ctx.unknown(reason) stops a check from deep
--- inside helpers.
---@param reason string
---@param evidence? table
---@return ecpolicy.Result
function result.unknown(reason, evidence) end

return result
