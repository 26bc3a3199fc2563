-- Builders for remediation plans (docs/remediation.md).
--
-- A plan is plain data; the engine checks it again and adds each call's
-- region and aws CLI command.  These builders check what they are given
-- where the policy's line is one level up, so a mistake points there.

local error, type, pairs, ipairs, next, tostring = error, type, pairs, ipairs, next,
  tostring
local string_format, sort, concat = string.format, table.sort, table.concat

local M = {}

local function bad(fn, fmt, ...)
  error(string_format("plan.%s: " .. fmt, fn, ...), 3)
end

local function need_string(fn, what, v)
  if type(v) ~= "string" or v == "" then
    bad(fn, "%s must be a non-empty string, got %s", what,
        v == "" and "an empty string" or type(v))
  end
end

local function need_table(fn, what, v)
  if type(v) ~= "table" then
    bad(fn, "%s must be a table, got %s", what, type(v))
  end
end

local services = { elasticache = true, ec2 = true }
local effects = { in_place = true, migration = true }
local call_opts = { title = true, effect = true, wait = true, backout = true,
                    no_backout = true }
local modify_opts = { title = true, effect = true, wait = true, backout = true,
                      no_backout = true, backout_title = true }
local manual_opts = { backout = true, no_backout = true }

local function check_opts(fn, opts, allowed)
  if opts == nil then return {} end
  need_table(fn, "opts", opts)
  for k in pairs(opts) do
    if not allowed[k] then
      local names = {}
      for n in pairs(allowed) do names[#names + 1] = n end
      sort(names)
      bad(fn, "unknown option '%s' (options: %s)", tostring(k), concat(names, ", "))
    end
  end
  return opts
end

local function with_backout(fn, step, opts)
  if opts.backout ~= nil and opts.no_backout ~= nil then
    bad(fn, "give backout or no_backout, not both")
  end
  if opts.backout ~= nil then need_table(fn, "opts.backout", opts.backout) end
  if opts.no_backout ~= nil then need_string(fn, "opts.no_backout", opts.no_backout) end
  step.backout, step.no_backout = opts.backout, opts.no_backout
  return step
end

local function words(name)
  return (name:gsub("(%l)(%u)", "%1 %2"):lower())
end

-- An API call: service, action (as AWS names it), its exact parameters.
function M.call(service, action, params, opts)
  if not services[service] then
    bad("call", "service must be \"elasticache\" or \"ec2\", got %s", tostring(service))
  end
  need_string("call", "action", action)
  need_table("call", "params", params)
  opts = check_opts("call", opts, call_opts)
  local effect = opts.effect or "in_place"
  if not effects[effect] then
    bad("call", "opts.effect must be \"in_place\" or \"migration\", got %s", tostring(effect))
  end
  if opts.wait ~= nil then need_table("call", "opts.wait", opts.wait) end
  local step = {
    title = opts.title or words(action), service = service, action = action,
    params = params, effect = effect, wait = opts.wait,
  }
  return with_backout("call", step, opts)
end

-- What a person does: cut clients over, verify, decide.
function M.manual(title, instructions, opts)
  need_string("manual", "title", title)
  need_string("manual", "instructions", instructions)
  opts = check_opts("manual", opts, manual_opts)
  return with_backout("manual", { title = title, instructions = instructions }, opts)
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

local function cache_kind(fn, cache)
  need_table(fn, "cache", cache)
  local kind = cache.kind
  if not id_params[kind] then
    bad(fn, "cache.kind must be cache_cluster, replication_group or serverless_cache, got %s",
        tostring(kind))
  end
  return kind
end

function M.id_param(cache)
  return id_params[cache_kind("id_param", cache)]
end

function M.waiter(cache)
  local kind = cache_kind("waiter", cache)
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
-- for the backout (nil: opts.no_backout must say why there is none).
function M.modify(cache, changes, previous, opts)
  local kind = cache_kind("modify", cache)
  need_table("modify", "changes", changes)
  if next(changes) == nil then bad("modify", "changes is empty") end
  opts = check_opts("modify", opts, modify_opts)
  local names = {}
  for k in pairs(changes) do
    if type(k) ~= "string" then bad("modify", "changes has a key that is not a member name") end
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
    need_table("modify", "previous", previous)
    if opts.backout ~= nil or opts.no_backout ~= nil then
      bad("modify", "previous gives the backout; do not also give opts.backout or opts.no_backout")
    end
    step.backout = {
      title = opts.backout_title or string_format("Restore %s on %s %s", concat(names, ", "),
                                                  kind_words[kind], cache.id),
      service = "elasticache", action = action,
      params = modify_params(kind, cache.id, previous), wait = wait,
    }
    return step
  end
  if opts.backout_title ~= nil then bad("modify", "opts.backout_title needs previous") end
  return with_backout("modify", step, opts)
end

local plan_fields = { summary = true, steps = true, preconditions = true,
                      warnings = true, kind = true }

-- The plan itself; the engine checks every step in full.
function M.new(t)
  need_table("new", "the plan", t)
  for k in pairs(t) do
    if not plan_fields[k] then
      bad("new", "unknown field '%s' (a plan has: kind, preconditions, steps, summary, warnings)",
          tostring(k))
    end
  end
  need_string("new", "summary", t.summary)
  need_table("new", "steps", t.steps)
  if #t.steps == 0 then bad("new", "steps is empty: a plan has at least one step") end
  for i, s in ipairs(t.steps) do
    if type(s) ~= "table" then bad("new", "steps[%d] must be a step table, got %s", i, type(s)) end
  end
  return t
end

return M
