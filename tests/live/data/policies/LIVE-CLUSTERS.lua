-- A test policy for tests/live/moto-credentials.sh: it reads only the
-- cache clusters, so 'ecpolicy fetch LIVE-CLUSTERS.lua' makes two calls
-- per region (the clusters, and GetCallerIdentity once) and can end 0.
return {
  id = "LIVE-CLUSTERS",
  title = "Cache clusters are listed",
  severity = "info",
  resource = "cache_clusters",
  needs = { "cache_clusters" },
  check = function(c)
    return "pass", c.CacheClusterId
  end,
}
