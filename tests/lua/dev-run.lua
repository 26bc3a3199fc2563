-- A stand-in for the C test runner, for developing with plain Lua 5.4:
--
--   lua5.4 tests/lua/dev-run.lua                    every tests/lua/*_test.lua
--   lua5.4 tests/lua/dev-run.lua tests/lua/cidr_test.lua
--
-- Each test file is a chunk returning { name = function }; a test fails by
-- raising. Prints "ok - file: name" / "not ok - file: name: error" and ends
-- with "N passed, N failed"; exits 1 if anything failed.
--
-- It imitates the policy sandbox of docs/policy-api.md, a little stricter:
-- * test files, stdlib modules and policies see only the allowed base
--   functions and copies of string (no dump), table, math and utf8; no io,
--   os, debug, package, rawget, rawset, rawlen, dofile, collectgarbage;
-- * `require` finds stdlib/?.lua, then tests/lua/?.lua, and loads each
--   module once per sandbox, in text mode;
-- * a stdlib module or policy may read globals only while its file runs
--   (the `local x = x` header); a global read from inside one of its
--   functions later raises, and so does any global write;
-- * `loadfile(path)` in a test file loads a policy into a fresh sandbox of
--   its own (its own copies of the stdlib), which is what the real runner's
--   load_policy will do.

local io, os, package = io, os, package

local root = (arg and arg[0] or ""):match("^(.-)tests/lua/dev%-run%.lua$") or ""
package.path = root .. "stdlib/?.lua;" .. root .. "tests/lua/?.lua"

local BASE_NAMES = {
  "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
  "select", "tonumber", "tostring", "type", "xpcall", "_VERSION",
}

local function copy(t)
  local out = {}
  for k, v in pairs(t) do out[k] = v end
  return out
end

local function resolve(path)
  if path:sub(1, 1) == "/" then return path end
  return root .. path
end

-- The globals every sandboxed chunk may read. `label` prefixes print.
local function new_base(label)
  local base = {}
  for _, name in ipairs(BASE_NAMES) do base[name] = _G[name] end
  base.string = copy(string)
  base.string.dump = nil
  base.table, base.math, base.utf8 = copy(table), copy(math), copy(utf8)
  base.print = function(...)
    local parts = {}
    for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
    io.stderr:write(label, ": ", table.concat(parts, "\t"), "\n")
  end
  base.setmetatable = function(t, mt)
    if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
      error("setmetatable: a __gc field is refused in the sandbox", 2)
    end
    return setmetatable(t, mt)
  end
  return base
end

-- An env that reads from base while `open()` is true and refuses every
-- global write. Closed, any global read raises: code that runs later must
-- have made locals of what it uses.
local function guarded_env(base, name)
  local is_open = true
  local env = setmetatable({}, {
    __index = function(_, key)
      if not is_open then
        error(("%s read the global '%s' after loading: make it a local at the top")
              :format(name, tostring(key)), 2)
      end
      local value = base[key]
      if value == nil then error(("%s read an undefined global '%s'"):format(name, tostring(key)), 2) end
      return value
    end,
    __newindex = function(_, key)
      error(("%s wrote the global '%s'"):format(name, tostring(key)), 2)
    end,
  })
  return env, function() is_open = false end
end

-- A sandbox: a base, a module cache and the require that fills it.
local function new_sandbox(label)
  local base = new_base(label)
  local loaded = {}
  base.load = function(chunk, chunkname, _, env)
    return load(chunk, chunkname, "t", env)
  end
  base.require = function(name)
    if type(name) ~= "string" then error("require: module name must be a string", 2) end
    if loaded[name] ~= nil then return loaded[name] end
    local path = package.searchpath(name, package.path)
    if not path then error(("require: no module '%s' in stdlib/ or tests/lua/"):format(name), 2) end
    local env, close = guarded_env(base, path)
    local chunk, err = loadfile(path, "t", env)
    if not chunk then error(err, 0) end
    local module = chunk()
    close()
    if module == nil then module = true end
    loaded[name] = module
    return module
  end
  return base
end

-- loadfile for test files: the policy gets a sandbox of its own.
local function load_policy_chunk(path)
  local sandbox = new_sandbox(path)
  local env, close = guarded_env(sandbox, path)
  local chunk, err = loadfile(resolve(path), "t", env)
  if not chunk then return nil, err end
  return function(...)
    local declaration = chunk(...)
    close()
    return declaration
  end
end

-- Test files may read undefined globals (to probe for load_policy) but
-- not write any.
local function test_env(path)
  local base = new_sandbox(path)
  base.loadfile = load_policy_chunk
  return setmetatable({}, {
    __index = base,
    __newindex = function(_, key)
      error(("%s wrote the global '%s'"):format(path, tostring(key)), 2)
    end,
  })
end

local function sorted_names(tests)
  local names = {}
  for name in pairs(tests) do names[#names + 1] = name end
  table.sort(names)
  return names
end

local function message(err)
  if type(err) == "string" then return err end
  return tostring(err)
end

local passed, failed = 0, 0

local function report(ok, file, name, err)
  if ok then
    passed = passed + 1
    print(("ok - %s: %s"):format(file, name))
  else
    failed = failed + 1
    print(("not ok - %s: %s: %s"):format(file, name, (message(err):gsub("\n", " | "))))
  end
end

local function run_file(path)
  local file = path:match("([^/]+)$")
  local chunk, err = loadfile(resolve(path), "t", test_env(file))
  if not chunk then return report(false, file, "load", err) end
  local ok, tests = pcall(chunk)
  if not ok then return report(false, file, "load", tests) end
  if type(tests) ~= "table" then return report(false, file, "load", "did not return a table") end
  for _, name in ipairs(sorted_names(tests)) do
    local passed_test, test_err = pcall(tests[name])
    report(passed_test, file, name, test_err)
  end
end

local function default_files()
  local files = {}
  local listing = io.popen("ls " .. (root ~= "" and root or "./") .. "tests/lua/*_test.lua 2>/dev/null")
  for line in listing:lines() do
    files[#files + 1] = line:sub(1, #root) == root and line:sub(#root + 1) or line
  end
  listing:close()
  return files
end

local files = { ... }
if #files == 0 then files = default_files() end
for _, path in ipairs(files) do run_file(path) end
print(("%d passed, %d failed"):format(passed, failed))
os.exit(failed == 0 and 0 or 1)
