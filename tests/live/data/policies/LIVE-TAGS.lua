-- A test policy for tests/live/moto-account.sh: each cache's tags as its
-- reason ("env=prod,team=core"), so that the live, snapshot and AWS CLI
-- paths can be compared on the bulk tags (GetResources) too.
return {
  id = "LIVE-TAGS",
  title = "The cache's tags",
  severity = "info",
  resource = "cache",
  needs = { "cache_clusters", "replication_groups", "serverless_caches", "tags" },
  check = function(cache)
    local tags = {}
    for k, v in pairs(cache.tags) do tags[#tags + 1] = k .. "=" .. v end
    table.sort(tags)
    return "pass", #tags > 0 and table.concat(tags, ",") or "no tags"
  end,
}
