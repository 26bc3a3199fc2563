-- A pack's control: serverless caches pass, the others fail.  The reason
-- shows the label parameter and the severity, which the pack tunes.
local words = require "testing_pack_words"

return {
  id = "T-PACK",
  title = "Caches are serverless",
  severity = "info",
  resource = "cache",
  params = { label = "default" },
  check = function(cache, ctx)
    local tuned = ("%s %s"):format(ctx.params.label, ctx.control.severity)
    if cache.kind == "serverless_cache" then return "pass", words.serverless .. ", " .. tuned end
    return "fail", words.other .. ", " .. tuned
  end,
}
