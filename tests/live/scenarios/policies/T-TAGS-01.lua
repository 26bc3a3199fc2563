-- A test policy that reads cache.tags (the tags collection, GetResources):
-- pass when the cache has a "team" tag.
return {
  id = "T-TAGS-01",
  title = "Caches carry a team tag",
  severity = "low",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches", "tags" },
  check = function(cache, ctx)
    local team = cache.tags.team
    if team then return "pass", "team " .. team end
    return "fail", "no team tag", { tag = "team" }
  end,
}
