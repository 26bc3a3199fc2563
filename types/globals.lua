---@meta _
-- The globals of a policy's sandbox (engine/lua/sandbox.c;
-- docs/policy-api.md, "The environment"), for LuaLS.  .luarc.json turns off
-- LuaLS's own base library ("basic") and io, os, debug, package and
-- coroutine, so these are the only base functions an editor knows; the
-- string, table, math and utf8 libraries are LuaLS's own (string.dump is
-- there too, though the sandbox removes it: luacheck flags it).

--- The policy's own environment.
---@type table
_G = {}

---@type string
_VERSION = "Lua 5.4"

---@generic T
---@param v T
---@param message? any
---@param ... any
---@return T
---@return any ...
function assert(v, message, ...) end

---@param message any
---@param level? integer
function error(message, level) end

--- The metatable, or its __metatable field (read-only inventory tables
--- have one).
---@param object any
---@return any
function getmetatable(object) end

---@generic T: table, V
---@param t T
---@return fun(table: V[], i?: integer): integer, V
---@return T
---@return integer i
function ipairs(t) end

--- Text chunks only (a mode without "t" fails), in the policy's own
--- environment unless env is given.
---@param chunk string
---@param chunkname? string
---@param mode? "t"|"bt"
---@param env? table
---@return function? chunk
---@return string? err
function load(chunk, chunkname, mode, env) end

--- Also walks the read-only inventory tables.
---@generic K, V
---@param table table<K, V>
---@param index? K
---@return K?
---@return V?
function next(table, index) end

---@generic T: table, K, V
---@param t T
---@return fun(table: table<K, V>, index?: K): K, V
---@return T
function pairs(t) end

--- A check stopped by the time limit is not caught.
---@param f function
---@param ... any
---@return boolean success
---@return any ...
function pcall(f, ...) end

--- To stderr, prefixed with the policy's file name; control characters are
--- escaped.
---@param ... any
function print(...) end

---@param v1 any
---@param v2 any
---@return boolean
function rawequal(v1, v2) end

--- The ecpolicy standard library (and a rule pack's stdlib/ modules),
--- nothing else.
---@param modname string
---@return any
function require(modname) end

---@param index integer|"#"
---@param ... any
---@return any
function select(index, ...) end

--- A metatable with __gc is refused, and so is a protected one.
---@generic T: table
---@param table T
---@param metatable? table
---@return T
function setmetatable(table, metatable) end

---@param e any
---@param base? integer
---@return number?
function tonumber(e, base) end

---@param v any
---@return string
function tostring(v) end

---@param v any
---@return "nil"|"number"|"string"|"boolean"|"table"|"function"|"thread"|"userdata"
function type(v) end

--- The handler runs after the stack has unwound, with the error value only.
---@param f function
---@param msgh function
---@param ... any
---@return boolean success
---@return any ...
function xpcall(f, msgh, ...) end
