-- EC-NET-06: the cache does not listen on its engine's default port (6379
-- for Valkey and Redis OSS, 11211 for Memcached). Serverless caches cannot
-- choose a port and are not applicable.
-- Semantics and plans: docs/controls/network.md#ec-net-06-the-cache-does-not-listen-on-the-engines-default-port

local ipairs, require = ipairs, require
local string_format, table_concat = string.format, table.concat

local migration = require "migration"
local ports = require "ports"
local result = require "result"

local DEFAULT_PORT = { redis = 6379, valkey = 6379, memcached = 11211 }
local ENGINE_NAME = { redis = "Redis OSS", valkey = "Valkey", memcached = "Memcached" }

-- The port a plan moves the cache to when new_port is 0: one above the
-- default, documented in docs/controls/network.md.
local function target_port(cache, params)
  local port = params.new_port
  if port == 0 then return DEFAULT_PORT[cache.engine] + 1 end
  return port
end

-- Whether some TCP rule of the cache's groups covers port: the new cache
-- keeps the groups, and clients reach it only if one does. nil when the
-- groups are not known.
local function groups_cover(cache, ctx, port)
  if not ctx.available(cache, "security_groups") then return nil end
  -- Outside a VPC a cache has no security groups: nil, so none covers it.
  for _, sg in ipairs(cache.security_groups or {}) do
    for _, permission in ipairs(sg.IpPermissions or {}) do
      if ports.carries_tcp(permission.IpProtocol) then
        local from, to = ports.rule_range(permission)
        if ports.covers(from, to, port) then return true end
      end
    end
  end
  return false
end

return {
  id = "EC-NET-06",
  title = "Cache does not listen on its engine's default port",
  severity = "info",
  resource = "cache",
  -- security_groups: only the plan reads them, for a precondition.
  needs = { "cache_clusters", "replication_groups", "serverless_caches", "security_groups" },
  -- Only the plan reads it: the port of the new cache (0: the default + 1).
  params = { new_port = 0 },
  refs = {
    docs = { "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/accessing-elasticache.html" },
  },
  rationale = [[
Scanners and worms look for caches on 6379 and 11211 first. A cache on
another port is not protected by that (anyone who can reach the VPC can
scan every port), so this is hygiene, not a control of access: it only
makes blind, internet-wide scanning miss the cache.]],
  remediation = [[
No change in place: the port is fixed when a cache is created (no Modify
call takes Port). Migrate to a new cache created with --port:

1. Valkey / Redis OSS: snapshot the cache and create a replication group
   from it on the new port, with the same settings:
     aws elasticache create-snapshot --replication-group-id <id> --snapshot-name <snapshot>
     aws elasticache create-replication-group --replication-group-id <new-id> \
       --replication-group-description "<text>" --snapshot-name <snapshot> --port <port> ...
   Memcached keeps no snapshots: create a new cluster with
   aws elasticache create-cache-cluster --port <port> ..., which starts empty.
2. Let the security groups admit the new port, move clients to the new
   endpoint and port, and keep the old cache until the new one is verified.
3. Delete the old cache (delete-replication-group / delete-cache-cluster).
`ecpolicy plan` builds these steps with the cache's settings carried over;
the new_port parameter picks the port (default: the engine's default + 1).]],
  check = function(cache)
    if cache.kind == "serverless_cache" then
      return result.not_applicable("serverless caches cannot choose their port")
    end
    local default = DEFAULT_PORT[cache.engine]
    if default == nil then
      return result.unknown("the engine is not reported, so its default port is not known")
    end
    local list = {}
    for i, port in ipairs(cache.ports) do list[i] = port end
    -- The model gives no empty list (ports is missing when none is
    -- reported, and reading it above then aborts as unknown); a pass on
    -- no port at all would still be wrong, so this stays.
    if #list == 0 then
      return result.unknown("the cache reports no port")
    end
    for _, port in ipairs(list) do
      if port == default then
        return result.fail(string_format("the cache listens on %d, the default port of %s",
                                         port, ENGINE_NAME[cache.engine]),
                           { port = port, default_port = default, ports = list })
      end
    end
    return result.pass(string_format("the cache listens on %s, not on the default %d",
                                     table_concat(list, ", "), default))
  end,
  -- Every fail is a node-based cache: a migration to the new port.
  remediate = function(cache, _, ctx)
    local port = target_port(cache, ctx.params)
    local covered = groups_cover(cache, ctx, port)
    local opts = {
      summary = string_format("Rebuild %s on port %d", cache.id, port),
      suffix = "port" .. port,
      preconditions = {
        { text = string_format("a rule of the cache's security groups admits port %d", port),
          met = covered },
      },
      warnings = { string_format("Clients must connect to port %d as well as to the new endpoint.",
                                 port) },
    }
    if cache.engine == "memcached" then
      return migration.to_memcached_cluster(cache, ctx, { Port = port }, opts)
    end
    return migration.to_replication_group(cache, ctx, { Port = port }, opts)
  end,
}
