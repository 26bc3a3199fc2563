---@meta migration
-- LuaLS types of stdlib/migration.lua: rebuilding a cache with settings
-- AWS fixes at create time, and the KMS-key matching of the
-- customer-managed-key controls (docs/stdlib.md#migration).  A bad
-- argument raises, naming the function.

--- What every migration takes besides the settings.
---@class ecpolicy.migration.Opts
---@field summary string the plan's summary (required)
---@field suffix? string of the new id, default "new" (copy_snapshot: "copy")
---@field preconditions? ecpolicy.Precondition[] added to the plan's own
---@field warnings? string[] added to the plan's own

--- The parameters target_key reads (a control's ctx.params).
---@class ecpolicy.migration.KeyParams
---@field kms_key_id? string
---@field approved_kms_keys? string[]

---@class ecpolicy.migration
local migration = {}

--- The first Memcached version with TLS.
---@type string
migration.MEMCACHED_TLS_MIN = "1.6.12"

--- id .. "-" .. suffix, id cut to fit max_len (default 40) without a
--- doubled hyphen.
---@param id string
---@param suffix string
---@param max_len? integer
---@return string
function migration.new_name(id, suffix, max_len) end

--- True when a and b name the same KMS key (key id, key ARN, alias, alias
--- ARN); an alias matches only the same alias.
---@param a string
---@param b string
---@return boolean
function migration.same_key(a, b) end

--- The first entry of approved that names the key, or nil; an entry that is
--- not a non-empty string raises.
---@param kms_key_id string
---@param approved string[]
---@return string?
function migration.approved_key(kms_key_id, approved) end

--- True for an alias/aws/... alias (an AWS managed key).
---@param kms_key_id string
---@return boolean
function migration.aws_managed(kms_key_id) end

--- fail for an AWS managed alias or a key outside a non-empty approved
--- list, else pass.
---@param kms_key_id string
---@param approved? string[]
---@return ecpolicy.Result
function migration.judge_key(kms_key_id, approved) end

--- The key a plan encrypts with: params.kms_key_id, else the first approved
--- key, else nil; with approved keys, also the precondition that it is one.
---@param params ecpolicy.migration.KeyParams
---@return string? key
---@return { text: string, met: boolean }? precondition
function migration.target_key(params) end

--- The CreateReplicationGroup parameters (without the new id and snapshot)
--- that rebuild a replication group or a standalone Valkey / Redis OSS
--- cluster, with settings applied; what could not be carried; and the
--- preconditions (the AUTH placeholder).  Raises for Memcached and
--- serverless caches.
---@param cache ecpolicy.Cache
---@param ctx ecpolicy.Context
---@param settings? table<string, any>
---@return table params
---@return string[] notes
---@return ecpolicy.Precondition[] preconditions
function migration.replication_group_settings(cache, ctx, settings) end

--- A replication group or standalone Valkey / Redis OSS cluster rebuilt as a
--- new replication group from a snapshot; settings: the
--- CreateReplicationGroup members that change.
---@param cache ecpolicy.Cache
---@param ctx ecpolicy.Context
---@param settings table<string, any>
---@param opts ecpolicy.migration.Opts
---@return ecpolicy.Plan
function migration.to_replication_group(cache, ctx, settings, opts) end

--- A Memcached cluster rebuilt as a new, empty one (CreateCacheCluster
--- settings); TLS raises EngineVersion to MEMCACHED_TLS_MIN.
---@param cache ecpolicy.Cache
---@param ctx ecpolicy.Context
---@param settings table<string, any>
---@param opts ecpolicy.migration.Opts
---@return ecpolicy.Plan
function migration.to_memcached_cluster(cache, ctx, settings, opts) end

--- A serverless cache rebuilt from its snapshot (CreateServerlessCache
--- settings); nil when the snapshot's ARN cannot be made (no cache ARN and
--- no ctx.account).
---@param cache ecpolicy.Cache
---@param ctx ecpolicy.Context
---@param settings table<string, any>
---@param opts ecpolicy.migration.Opts
---@return ecpolicy.Plan?
function migration.to_serverless_cache(cache, ctx, settings, opts) end

--- A manual snapshot replaced by a copy encrypted with kms_key_id, the
--- original deleted last.  opts.summary is required, as for the others.
---@param snapshot ecpolicy.aws.Snapshot
---@param ctx ecpolicy.Context
---@param kms_key_id string
---@param opts ecpolicy.migration.Opts
---@return ecpolicy.Plan
function migration.copy_snapshot(snapshot, ctx, kms_key_id, opts) end

return migration
