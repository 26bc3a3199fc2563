-- luacheck settings (make lint).  Policies, their tests and the stdlib run
-- in the sandbox of engine/lua/sandbox.c, so by default a file is checked
-- against what that sandbox holds, not against all of Lua 5.4: a policy
-- that calls os.time or io.open is an undefined global here, not an
-- "undefined global 'os'" error in the middle of a run.

-- Lua 5.4 less what the sandbox leaves out (docs/policy-api.md, "The
-- environment"): io, os, package, debug, coroutine, dofile, loadfile,
-- collectgarbage, rawget, rawset, rawlen, warn, arg and string.dump.  The
-- names follow base_allowed, libraries and push_env in sandbox.c; keep the
-- two in step.
stds.sandbox = {
  read_globals = {
    "_G", "_ENV", "_VERSION", "assert", "error", "getmetatable", "ipairs", "load",
    "next", "pairs", "pcall", "print", "rawequal", "require", "select",
    "setmetatable", "tonumber", "tostring", "type", "xpcall",
    string = { fields = { "byte", "char", "find", "format", "gmatch", "gsub", "len",
                          "lower", "match", "pack", "packsize", "rep", "reverse", "sub",
                          "unpack", "upper" } },
    table = { fields = { "concat", "insert", "move", "pack", "remove", "sort", "unpack" } },
    math = { fields = { "abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor",
                        "fmod", "huge", "log", "max", "maxinteger", "min", "mininteger",
                        "modf", "pi", "rad", "random", "randomseed", "sin", "sqrt", "tan",
                        "tointeger", "type", "ult" } },
    utf8 = { fields = { "char", "charpattern", "codepoint", "codes", "len", "offset" } },
  },
}
std = "sandbox"

-- Test files (policies/tests, a pack's tests/) run in the same sandbox;
-- only their inline fixtures are long, nested AWS records that read best
-- as they are, so their lines are not measured.
files["**/*_test.lua"] = { max_line_length = false }

-- A pack manifest is data, run with an empty environment (docs/packs.md).
files["**/pack.lua"] = { std = "none" }

-- The engine's own Lua runs outside the sandbox, with every library.
files["engine/lua/"] = { std = "lua54" }

-- types/ holds LuaLS stubs: declarations with empty bodies (arguments
-- unused, class tables never read), annotations that LuaLS reads one line
-- each, and globals.lua declares the sandbox's globals as globals.
files["types/"] = { unused_args = false, ignore = { "241" }, max_line_length = false }
files["types/globals.lua"] = { std = "none", allow_defined_top = true, ignore = { "131" } }
