-- Coverage of ecpolicy test: the tests never reach the Memcached branch
-- (line 12), nor the helper's second return (line 7).
local function label(cache)
  if cache.kind == "replication_group" then
    return "group " .. cache.id
  end
  return "cluster " .. cache.id
end

local function check(cache)
  if cache.engine == "memcached" then
    return "not_applicable", "Memcached"
  end
  return "pass", label(cache)
end

return {
  id = "T-COVER",
  title = "Coverage",
  severity = "low",
  resource = "cache",
  check = check,
}
