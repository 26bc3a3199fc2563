-- Builders for remediation plans (docs/remediation.md).
--
-- A plan is plain data; the engine checks it again and adds each call's
-- region and aws CLI command.  These builders check what they are given
-- where the policy's line is one level up, so a mistake points there.
--
-- Every check takes lv: the error level, counted from the function making
-- the check, of the line that called the public M.* function.  A public
-- function passes 2 to bad and 3 to a helper; a helper passes its own lv
-- to bad and lv + 1 to a helper it calls.  A call that may raise is never
-- a tail call (a tail call takes its caller's frame off the stack, and the
-- count with it).

local error, type, pairs, ipairs, next, tostring = error, type, pairs, ipairs, next,
  tostring
local string_format, sort, concat = string.format, table.sort, table.concat

local M = {}

-- bad is one frame more than its caller, hence lv + 1.
local function bad(lv, fn, fmt, ...)
  error(string_format("plan.%s: " .. fmt, fn, ...), lv + 1)
end

local function need_string(lv, fn, what, v)
  if type(v) ~= "string" or v == "" then
    bad(lv, fn, "%s must be a non-empty string, got %s", what,
        v == "" and "an empty string" or type(v))
  end
end

local function need_table(lv, fn, what, v)
  if type(v) ~= "table" then
    bad(lv, fn, "%s must be a table, got %s", what, type(v))
  end
end

local services = { elasticache = true, ec2 = true }
local effects = { in_place = true, migration = true }
local call_opts = { title = true, effect = true, wait = true, backout = true,
                    no_backout = true }
local modify_opts = { title = true, effect = true, wait = true, backout = true,
                      no_backout = true, backout_title = true }
local manual_opts = { backout = true, no_backout = true }

local function check_opts(lv, fn, opts, allowed)
  if opts == nil then return {} end
  need_table(lv + 1, fn, "opts", opts)
  for k in pairs(opts) do
    if not allowed[k] then
      local names = {}
      for n in pairs(allowed) do names[#names + 1] = n end
      sort(names)
      bad(lv, fn, "unknown option '%s' (options: %s)", tostring(k), concat(names, ", "))
    end
  end
  return opts
end

local function with_backout(lv, fn, step, opts)
  if opts.backout ~= nil and opts.no_backout ~= nil then
    bad(lv, fn, "give backout or no_backout, not both")
  end
  if opts.backout ~= nil then need_table(lv + 1, fn, "opts.backout", opts.backout) end
  if opts.no_backout ~= nil then
    need_string(lv + 1, fn, "opts.no_backout", opts.no_backout)
  end
  step.backout, step.no_backout = opts.backout, opts.no_backout
  return step
end

local function words(name)
  return (name:gsub("(%l)(%u)", "%1 %2"):lower())
end

-- An API call: service, action (as AWS names it), its exact parameters.
function M.call(service, action, params, opts)
  if not services[service] then
    bad(2, "call", "service must be \"elasticache\" or \"ec2\", got %s", tostring(service))
  end
  need_string(3, "call", "action", action)
  need_table(3, "call", "params", params)
  opts = check_opts(3, "call", opts, call_opts)
  local effect = opts.effect or "in_place"
  if not effects[effect] then
    bad(2, "call", "opts.effect must be \"in_place\" or \"migration\", got %s", tostring(effect))
  end
  if opts.wait ~= nil then need_table(3, "call", "opts.wait", opts.wait) end
  local step = {
    title = opts.title or words(action), service = service, action = action,
    params = params, effect = effect, wait = opts.wait,
  }
  step = with_backout(3, "call", step, opts)
  return step
end

-- What a person does: cut clients over, verify, decide.
function M.manual(title, instructions, opts)
  need_string(3, "manual", "title", title)
  need_string(3, "manual", "instructions", instructions)
  opts = check_opts(3, "manual", opts, manual_opts)
  local step = with_backout(3, "manual", { title = title, instructions = instructions }, opts)
  return step
end

local id_params = {
  cache_cluster = "CacheClusterId",
  replication_group = "ReplicationGroupId",
  serverless_cache = "ServerlessCacheName",
}
local modify_actions = {
  cache_cluster = "ModifyCacheCluster",
  replication_group = "ModifyReplicationGroup",
  serverless_cache = "ModifyServerlessCache",
}
local waiters = {
  cache_cluster = "CacheClusterAvailable",
  replication_group = "ReplicationGroupAvailable",
}
local kind_words = {
  cache_cluster = "cache cluster", replication_group = "replication group",
  serverless_cache = "serverless cache",
}

local function cache_kind(lv, fn, cache)
  need_table(lv + 1, fn, "cache", cache)
  local kind = cache.kind
  if not id_params[kind] then
    bad(lv, fn,
        "cache.kind must be cache_cluster, replication_group or serverless_cache, got %s",
        tostring(kind))
  end
  return kind
end

function M.id_param(cache)
  return id_params[cache_kind(3, "id_param", cache)]
end

function M.waiter(cache)
  local kind = cache_kind(3, "waiter", cache)
  if not waiters[kind] then return nil end
  return { waiter = waiters[kind], params = { [id_params[kind]] = cache.id } }
end

local function modify_params(kind, id, values)
  local p = { [id_params[kind]] = id }
  for k, v in pairs(values) do p[k] = v end
  if kind ~= "serverless_cache" then p.ApplyImmediately = true end
  return p
end

-- Change settings of a cache in place; previous holds the values before,
-- for the backout (nil: opts.backout or opts.no_backout may give one; a
-- step of the plan needs one, a backout step does not).
function M.modify(cache, changes, previous, opts)
  local kind = cache_kind(3, "modify", cache)
  need_table(3, "modify", "changes", changes)
  if next(changes) == nil then bad(2, "modify", "changes is empty") end
  opts = check_opts(3, "modify", opts, modify_opts)
  local names = {}
  for k in pairs(changes) do
    if type(k) ~= "string" then bad(2, "modify", "changes has a key that is not a member name") end
    names[#names + 1] = k
  end
  sort(names)
  local action = modify_actions[kind]
  local wait = opts.wait
  if wait == nil then wait = M.waiter(cache) end
  local step = {
    title = opts.title or string_format("Set %s on %s %s", concat(names, ", "),
                                        kind_words[kind], cache.id),
    service = "elasticache", action = action,
    params = modify_params(kind, cache.id, changes),
    effect = opts.effect or "in_place", wait = wait,
  }
  if previous ~= nil then
    need_table(3, "modify", "previous", previous)
    if opts.backout ~= nil or opts.no_backout ~= nil then
      bad(2, "modify", "previous gives the backout; do not also give opts.backout or opts.no_backout")
    end
    step.backout = {
      title = opts.backout_title or string_format("Restore %s on %s %s", concat(names, ", "),
                                                  kind_words[kind], cache.id),
      service = "elasticache", action = action,
      params = modify_params(kind, cache.id, previous), wait = wait,
    }
    return step
  end
  if opts.backout_title ~= nil then bad(2, "modify", "opts.backout_title needs previous") end
  step = with_backout(3, "modify", step, opts)
  return step
end

local plan_fields = { summary = true, steps = true, preconditions = true,
                      warnings = true, kind = true }

-- The plan itself; the engine checks every step in full.
function M.new(t)
  need_table(3, "new", "the plan", t)
  for k in pairs(t) do
    if not plan_fields[k] then
      bad(2, "new", "unknown field '%s' (a plan has: kind, preconditions, steps, summary, warnings)",
          tostring(k))
    end
  end
  need_string(3, "new", "summary", t.summary)
  need_table(3, "new", "steps", t.steps)
  if #t.steps == 0 then bad(2, "new", "steps is empty: a plan has at least one step") end
  for i, s in ipairs(t.steps) do
    if type(s) ~= "table" then bad(2, "new", "steps[%d] must be a step table, got %s", i, type(s)) end
  end
  return t
end

return M
