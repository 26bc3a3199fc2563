---@meta version
-- LuaLS types of stdlib/version.lua: dotted numeric engine versions
-- (docs/stdlib.md#version).  A version is a non-empty string ("7.0.7",
-- "6.x": a component that is not all digits counts as 0) or an integer;
-- anything else raises.

---@alias ecpolicy.version.Version string|integer

---@class ecpolicy.version
local version = {}

--- The numeric components: "6.x" -> { 6, 0 }.
---@param v ecpolicy.version.Version
---@return integer[]
function version.parts(v) end

---@param a ecpolicy.version.Version
---@param b ecpolicy.version.Version
---@return -1|0|1
function version.compare(a, b) end

---@param v ecpolicy.version.Version
---@param min ecpolicy.version.Version
---@return boolean
function version.at_least(v, min) end

--- The first component: "7.1" -> 7.
---@param v ecpolicy.version.Version
---@return integer
function version.major(v) end

return version
