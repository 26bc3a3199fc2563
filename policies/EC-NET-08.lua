-- EC-NET-08: the network ACLs of the cache's subnets do not let public
-- sources reach its ports. Each subnet's ACL (its association, else its
-- VPC's default ACL) is evaluated exactly, first match wins (stdlib nacl).
-- Semantics and plans: docs/controls/network.md#ec-net-08-network-acls-do-not-admit-the-caches-ports-from-the-internet

local ipairs, require, tostring = ipairs, require, tostring
local string_format, table_concat = string.format, table.concat
local table_insert, table_sort = table.insert, table.sort

local cidr = require "cidr"
local nacl = require "nacl"
local plan = require "plan"
local result = require "result"

-- The ACLs of the cache's subnets, each once, with the subnets it governs.
local function acls_of(cache, ctx)
  local vpc_id = ctx.available(cache, "vpc_id") and cache.vpc_id or nil
  local order, by_id = {}, {}
  for _, subnet_id in ipairs(cache.subnet_ids) do
    local acl, association = nacl.for_subnet(subnet_id, ctx, vpc_id)
    local entry = by_id[acl.NetworkAclId]
    if not entry then
      entry = { acl = acl, association = association, subnet_ids = {} }
      by_id[acl.NetworkAclId] = entry
      order[#order + 1] = entry
    end
    entry.subnet_ids[#entry.subnet_ids + 1] = subnet_id
  end
  return order
end

local function hit_evidence(hit, governed)
  return {
    network_acl_id = hit.network_acl_id, association = governed.association,
    is_default = governed.acl.IsDefault == true, subnet_ids = governed.subnet_ids,
    rule_number = hit.rule_number, protocol = hit.protocol, from_port = hit.from_port,
    to_port = hit.to_port, cidr = hit.cidr, port = hit.port, admitted = hit.admitted,
  }
end

local function traffic_text(e)
  if e.protocol == "-1" then return "all traffic" end
  return string_format("tcp %d-%d", e.from_port, e.to_port)
end

local function fail_with(hits, what)
  local first = hits[1]
  local more = #hits > 1 and string_format("; %d allowing entries in all", #hits) or ""
  return result.fail(string_format(
    "network ACL %s (subnets %s) lets public sources reach %s: rule %d allows %s from %s "
    .. "(public sources such as %s)%s", first.network_acl_id, table_concat(first.subnet_ids, ", "),
    what, first.rule_number, traffic_text(first), first.cidr, first.admitted, more), hits)
end

local function known_ports(cache, ctx)
  if not ctx.available(cache, "ports") or #cache.ports == 0 then return nil end
  local list = {}
  for i, port in ipairs(cache.ports) do list[i] = port end
  return list
end

-- Every allowing entry on each of the cache's ports, with its ACL.
local function hits_on(governed, list, public, ctx)
  local hits = {}
  for _, g in ipairs(governed) do
    for _, port in ipairs(list) do
      for _, hit in ipairs(nacl.admitted(g.acl, port, public, ctx)) do
        hits[#hits + 1] = hit_evidence(hit, g)
      end
    end
  end
  return hits
end

-- The cache's ports known: fail on any allowing entry.
local function judge_ports(governed, list, public, ctx)
  local hits = hits_on(governed, list, public, ctx)
  if #hits > 0 then
    local first = hits[1]
    return fail_with(hits, "port " .. first.port)
  end
  return result.pass(string_format("no network ACL of the cache's subnets admits public sources "
                                   .. "to port %s", table_concat(list, ", ")))
end

-- The ports not collected: an ACL that admits public sources on every
-- port surely does on the cache's; one that does on some ports may.
local function judge_every_port(governed, public, ctx)
  local partial
  for _, g in ipairs(governed) do
    local hits, open = {}, 0
    local ranges = nacl.port_ranges(g.acl, ctx)
    for _, range in ipairs(ranges) do
      local found = nacl.admitted(g.acl, range.from, public, ctx)
      if #found > 0 then
        open = open + 1
        local e = hit_evidence(found[1], g)
        e.port, e.port_range = nil, { range.from, range.to }
        hits[#hits + 1] = e
      end
    end
    if open == #ranges then return fail_with(hits, "every port (the cache's ports were not collected)") end
    partial = partial or (open > 0 and hits[1])
  end
  if partial then
    return result.unknown(string_format(
      "the cache's ports were not collected, and network ACL %s admits public sources on ports "
      .. "%d-%d: they may or may not be the cache's", partial.network_acl_id, partial.port_range[1],
      partial.port_range[2]), { partial })
  end
  return result.pass("no network ACL of the cache's subnets admits public sources on any port")
end

---------------------------------------------------------------------------
-- The plan

-- The runs of consecutive ports, as { from, to }.
local function port_runs(list)
  table_sort(list)
  local runs = {}
  for _, port in ipairs(list) do
    local last = runs[#runs]
    if last and port == last.to + 1 then last.to = port else runs[#runs + 1] = { from = port, to = port } end
  end
  return runs
end

-- What reached the entry's CIDR that is not public: the private ranges and
-- trusted CIDRs inside it (or it inside them), of its family, each once.
local function kept_blocks(entry_cidr, trusted)
  local candidates = {}
  for _, text in ipairs(cidr.PRIVATE_RANGES) do candidates[#candidates + 1] = text end
  for _, text in ipairs(trusted) do candidates[#candidates + 1] = text end
  local blocks = {}
  for _, text in ipairs(candidates) do
    local block = cidr.intersection(entry_cidr, text)
    if block then blocks[#blocks + 1] = block end
  end
  local out = {}
  for i, block in ipairs(blocks) do
    local covered = false
    for j, other in ipairs(blocks) do
      if i ~= j and cidr.contains(other, block) and (other ~= block or j < i) then covered = true end
    end
    if not covered then out[#out + 1] = block end
  end
  return out
end

local function entry_params(acl_id, number, action, block, from, to)
  local p = { NetworkAclId = acl_id, RuleNumber = number, Protocol = "6", RuleAction = action,
              Egress = false, PortRange = { From = from, To = to } }
  if block.family == 6 then p.Ipv6CidrBlock = tostring(block) else p.CidrBlock = tostring(block) end
  return p
end

local function create_entry(params, title)
  return plan.call("ec2", "CreateNetworkAclEntry", params, {
    title = title,
    backout = plan.call("ec2", "DeleteNetworkAclEntry",
      { NetworkAclId = params.NetworkAclId, RuleNumber = params.RuleNumber, Egress = false },
      { title = "Delete entry " .. params.RuleNumber .. " of " .. params.NetworkAclId }),
  })
end

-- The highest n numbers free between before and rule, ascending, or nil
-- when there are fewer.
local function free_numbers(taken, before, rule, n)
  local out = {}
  local k = rule - 1
  while k > before and #out < n do
    if not taken[k] then table_insert(out, 1, k) end
    k = k - 1
  end
  if #out < n then return nil end
  return out
end

-- The fix for one allowing entry on one run of ports.
local function fix_steps(acl, entries, taken, hit, run, trusted, steps)
  local acl_id = acl.NetworkAclId
  local rule = hit.rule_number
  local block = cidr.parse(hit.cidr)
  local kept = kept_blocks(block, trusted)
  local dedicated = hit.protocol == "6" and hit.from_port >= run.from and hit.to_port <= run.to
  if dedicated and #kept == 0 then
    local restore = entry_params(acl_id, rule, "allow", block, hit.from_port, hit.to_port)
    steps[#steps + 1] = plan.call("ec2", "ReplaceNetworkAclEntry",
      entry_params(acl_id, rule, "deny", block, hit.from_port, hit.to_port),
      { title = string_format("Make entry %d of %s a deny", rule, acl_id),
        backout = plan.call("ec2", "ReplaceNetworkAclEntry", restore,
                            { title = string_format("Make entry %d of %s an allow again", rule, acl_id) }) })
    return true
  end
  -- The new entries must come after every earlier entry that can match
  -- the same packets (same family, TCP, an overlapping port range); the
  -- others can be passed over.
  local before = 0
  for _, e in ipairs(entries) do
    if e.rule_number < rule and e.rule_number > before and e.family == block.family and e.tcp
       and e.from_port <= run.to and run.from <= e.to_port then
      before = e.rule_number
    end
  end
  local numbers = free_numbers(taken, before, rule, #kept + 1)
  if not numbers then return false end
  for _, number in ipairs(numbers) do taken[number] = true end
  for i, keep in ipairs(kept) do
    steps[#steps + 1] = create_entry(entry_params(acl_id, numbers[i], "allow", keep, run.from, run.to),
      string_format("Keep admitting %s to ports %d-%d on %s (entry %d)", tostring(keep), run.from,
                    run.to, acl_id, numbers[i]))
  end
  local deny = numbers[#numbers]
  steps[#steps + 1] = create_entry(entry_params(acl_id, deny, "deny", block, run.from, run.to),
    string_format("Deny the rest of %s on ports %d-%d on %s (entry %d, before %d)", hit.cidr,
                  run.from, run.to, acl_id, deny, rule))
  return true
end

return {
  id = "EC-NET-08",
  title = "Network ACLs of the cache's subnets do not admit its ports from the internet",
  severity = "low",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches", "cache_subnet_groups",
            "subnets", "network_acls" },
  params = { trusted_cidrs = {} },
  refs = {
    cis_db = "5.2",
    docs = {
      "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
      "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html",
    },
  },
  rationale = [[
A network ACL is the subnet's own firewall, in front of the security
groups. The default ACL admits everything, so on its own this control
only adds depth: when a security-group rule is opened by mistake, an ACL
that keeps public sources away from the cache's port still stops them.
Sources outside RFC 1918 / RFC 4193 that you trust go in trusted_cidrs, as
for EC-NET-04.]],
  remediation = [[
Network ACL entries change in place, and at once for every subnet
associated with the ACL. For each allowing entry, add ahead of it (at free
rule numbers between it and the entry before) allow entries for the
private or trusted ranges it admits today, then a deny of its CIDR on the
cache's port; backout: delete those entries.
  aws ec2 create-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number <n> \
    --protocol 6 --port-range From=<port>,To=<port> --cidr-block 10.0.0.0/8 --rule-action allow
  aws ec2 create-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number <n+1> \
    --protocol 6 --port-range From=<port>,To=<port> --cidr-block 0.0.0.0/0 --rule-action deny
  (backout: aws ec2 delete-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number <n>)
An entry that exists for the cache's port alone and admits only public
sources can instead be turned into a deny:
  aws ec2 replace-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number <n> \
    --protocol 6 --port-range From=<port>,To=<port> --cidr-block <cidr> --rule-action deny
(backout: the same with --rule-action allow).]],
  check = function(cache, ctx)
    if not cache.in_vpc then
      return result.not_applicable("the cache is not in a VPC (see EC-NET-01)")
    end
    if #cache.subnet_ids == 0 then
      return result.unknown("the cache reports no subnet ids: nothing to decide on")
    end
    local governed = acls_of(cache, ctx)
    local public = nacl.public_space(ctx.params.trusted_cidrs, cache.network_type)
    local list = known_ports(cache, ctx)
    if list then return judge_ports(governed, list, public, ctx) end
    return judge_every_port(governed, public, ctx)
  end,
  -- Only a fail on known ports gets a plan: without the port, a deny
  -- would have to cover every port the entry opens.
  remediate = function(cache, _, ctx)
    local list = known_ports(cache, ctx)
    if not list then
      return nil, "the cache's ports were not collected: a deny would have to cover every port "
        .. "the allowing entry opens"
    end
    local trusted = {}
    for i, text in ipairs(ctx.params.trusted_cidrs) do trusted[i] = text end
    local governed = acls_of(cache, ctx)
    local hits = hits_on(governed, list, nacl.public_space(ctx.params.trusted_cidrs, cache.network_type), ctx)
    local acl_of = {}
    for _, g in ipairs(governed) do acl_of[g.acl.NetworkAclId] = g.acl end
    local steps, warnings, order, fixes = {}, {}, {}, {}
    for _, hit in ipairs(hits) do
      local key = hit.network_acl_id .. " " .. hit.rule_number
      local fix = fixes[key]
      if not fix then
        fix = { hit = hit, ports = {} }
        fixes[key] = fix
        order[#order + 1] = fix
      end
      fix.ports[#fix.ports + 1] = hit.port
    end
    local state, acl_ids = {}, {}
    for _, fix in ipairs(order) do
      local acl_id = fix.hit.network_acl_id
      local s = state[acl_id]
      if not s then
        local acl = acl_of[acl_id]
        local entries = nacl.ingress(acl, ctx)
        local taken = {}
        for _, e in ipairs(entries) do taken[e.rule_number] = true end
        s = { acl = acl, entries = entries, taken = taken }
        state[acl_id] = s
        acl_ids[#acl_ids + 1] = acl_id
        local subnets = {}
        for _, association in ipairs(acl.Associations or {}) do
          subnets[#subnets + 1] = association.SubnetId
        end
        warnings[#warnings + 1] = string_format(
          "%s applies to every subnet associated with it (%s), not only the cache's: what "
          .. "reaches these ports there changes too.", acl_id,
          #subnets > 0 and table_concat(subnets, ", ") or "the subnets that use it as their default")
      end
      for _, run in ipairs(port_runs(fix.ports)) do
        if not fix_steps(s.acl, s.entries, s.taken, fix.hit, run, trusted, steps) then
          steps[#steps + 1] = plan.manual(
            string_format("Make room before entry %d of %s", fix.hit.rule_number, acl_id),
            string_format("There are not enough free rule numbers before entry %d of %s for the "
              .. "entries that keep private sources and deny %s on ports %d-%d: renumber the "
              .. "entries (replace-network-acl-entry cannot change a number: create the entry "
              .. "at a new number, then delete the old one) and plan again.",
              fix.hit.rule_number, acl_id, fix.hit.cidr, run.from, run.to),
            { no_backout = "nothing is changed by this step" })
        end
      end
    end
    warnings[#warnings + 1] = "Each new entry counts against the Amazon VPC quota of rules per "
      .. "network ACL (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html)."
    return plan.new {
      summary = "Keep public sources off the ports of " .. cache.id .. " on network ACL "
        .. table_concat(acl_ids, ", "),
      preconditions = { "The entries of " .. table_concat(acl_ids, ", ") .. " are still as the "
        .. "inventory has them (the rule numbers used here are free in it)" },
      steps = steps,
      warnings = warnings,
    }
  end,
}
