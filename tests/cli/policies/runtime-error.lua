-- Fails on every cache: a Lua error inside check becomes an error result.
return { id = "T-RUNTIME", title = "crashes", severity = "low", resource = "cache",
         check = function(cache)
           local ports = cache.raw.NoSuchMember
           return "pass", tostring(ports.first)
         end }
