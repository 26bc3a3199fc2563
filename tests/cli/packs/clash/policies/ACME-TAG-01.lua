-- ACME-TAG-01: every cache says who owns it and what data it holds, so an
-- incident reaches the right team and the data class decides the response.

local acme_tags = require "acme_tags"
local plan = require "plan"
local result = require "result"

return {
  id = "ACME-TAG-01",
  title = "Cache carries Acme's ownership and data-class tags",
  severity = "medium",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches", "tags" },
  params = { required_tags = { "owner", "data-class" } },
  rationale = [[
Untagged caches are the ones nobody answers for: Acme's incident process
routes on the owner tag and picks the response from the data class.]],
  remediation = [[
Add the missing tags (aws elasticache add-tags-to-resource --resource-name
<arn> --tags Key=owner,Value=<team>); tags change in place.]],
  check = function(cache, ctx)
    local missing = acme_tags.missing(cache.tags, ctx.params.required_tags)
    if #missing == 0 then return result.pass("tagged with " .. table.concat(ctx.params.required_tags, ", ")) end
    return result.fail("missing tags: " .. table.concat(missing, ", "), { missing = missing })
  end,
  remediate = function(cache, finding)
    if not cache.arn then return nil, "the cache reports no ARN to tag" end
    local tags, keys = {}, {}
    for _, key in ipairs(finding.evidence.missing) do
      tags[#tags + 1] = { Key = key, Value = "<" .. key:upper() .. ">" }
      keys[#keys + 1] = key
    end
    return plan.new {
      summary = "Tag the cache",
      warnings = { "replace each <...> placeholder with the real value before running the command" },
      steps = {
        plan.call("elasticache", "AddTagsToResource", { ResourceName = cache.arn, Tags = tags }, {
          title = "Add the missing tags",
          backout = plan.call("elasticache", "RemoveTagsFromResource", { ResourceName = cache.arn, TagKeys = keys }),
        }),
      },
    }
  end,
}
