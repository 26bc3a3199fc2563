---@meta exposure
-- LuaLS types of stdlib/exposure.lua: which sources a cache's security
-- groups admit to the ports it listens on (docs/stdlib.md#exposure).
-- Missing security groups or prefix-list entries abort the check as
-- unknown; an invalid CIDR in a rule raises, naming it and the group.

--- One source admitted by one TCP ingress rule to one cache port: a plain
--- table, fit for evidence.
---@class ecpolicy.exposure.Grant
---@field group_id string the security group holding the rule
---@field group_name? string
---@field protocol string the rule's IpProtocol as written ("tcp", "6", "-1")
---@field from_port integer the range the rule opens (0, 65535 for "-1")
---@field to_port integer
---@field port? integer the cache port it covers; nil when the cache's ports are not known
---@field all_ports boolean the rule opens 0-65535
---@field source_type "cidr"|"security_group"
---@field cidr? string the CIDR as written (cidr sources)
---@field prefix_list_id? string the prefix list the CIDR came from
---@field group? string the referenced GroupId (security-group sources)
---@field description? string the range's or pair's Description
---@field certain boolean whether the rule surely reaches the cache

---@class ecpolicy.exposure
local exposure = {}

--- Every source admitted over TCP to one of cache.ports, in group, rule,
--- source and port order.  With the ports not known, every TCP rule counts
--- and only rules that open every port are certain.
---@param cache ecpolicy.Cache
---@param ctx ecpolicy.Context
---@return ecpolicy.exposure.Grant[]
function exposure.grants(cache, ctx) end

--- The grants whose CIDR is neither private nor inside trusted_cidrs (nil
--- for none); referenced groups are trusted.  An invalid trusted entry
--- raises even when no rule needs it.
---@param cache ecpolicy.Cache
---@param ctx ecpolicy.Context
---@param trusted_cidrs? ecpolicy.cidr.Cidr[]
---@return ecpolicy.exposure.Grant[]
function exposure.untrusted(cache, ctx, trusted_cidrs) end

--- The grants untrusted leaves out, in the same order.
---@param cache ecpolicy.Cache
---@param ctx ecpolicy.Context
---@param trusted_cidrs? ecpolicy.cidr.Cidr[]
---@return ecpolicy.exposure.Grant[]
function exposure.trusted(cache, ctx, trusted_cidrs) end

--- True when the rule names any IPv4, IPv6 or prefix-list source.
---@param permission ecpolicy.aws.IpPermission
---@return boolean
function exposure.has_cidr_source(permission) end

--- The other caches of ctx.region that use the group, as "kind id"
--- ("replication_group rg-1"); aborts as unknown when cache_clusters or
--- serverless_caches is incomplete.  Other resources are not in the
--- inventory, so an empty list does not mean the group is unused.
---@param cache ecpolicy.Cache
---@param ctx ecpolicy.Context
---@param group_id string
---@return string[]
function exposure.other_caches(cache, ctx, group_id) end

--- The IpPermissions entry of sg's rule that gave grant, with that source
--- alone (for RevokeSecurityGroupIngress), and the same with its
--- Description (to authorize it back); nil when no rule of sg gave it.
---@param sg ecpolicy.aws.SecurityGroup
---@param grant ecpolicy.exposure.Grant
---@return ecpolicy.aws.IpPermission? revoke
---@return ecpolicy.aws.IpPermission? restore
function exposure.permission_of(sg, grant) end

--- Two manual steps that give the cache a security group of its own,
--- "<id>-dedicated", admitting the carried grants, in place of the groups
--- drop_ids names; the second one's backout gives the cache back its groups.
---@param cache ecpolicy.Cache
---@param ctx ecpolicy.Context
---@param drop_ids string[]
---@param carried ecpolicy.exposure.Grant[]
---@return ecpolicy.ManualStep[]
function exposure.replacement(cache, ctx, drop_ids, carried) end

return exposure
