-- A test policy for ecpolicy test with no remediate; its reason shows
-- ctx.now, so that tests can see which time a case ran at.
return {
  id = "T-PLAIN",
  title = "Every cache fails",
  severity = "low",
  resource = "cache",
  check = function(_, ctx)
    return "fail", ("every cache fails here at %d"):format(ctx.now)
  end,
}
