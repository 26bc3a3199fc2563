-- A pack's control: serverless caches pass, the others fail.
return {
  id = "T-PACK",
  title = "Caches are serverless",
  severity = "info",
  resource = "cache",
  check = function(cache)
    if cache.kind == "serverless_cache" then return "pass", "serverless" end
    return "fail", "not serverless"
  end,
}
