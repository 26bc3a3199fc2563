-- A rule pack for the tests of ecpolicy test: its tests find its policies,
-- its modules and its settings.
return {
  name = "testing-pack",
  version = "1.0.0",
  description = "one control, tested from tests/",
  settings = {
    params = { ["T-PACK"] = { label = "from-pack" } },
    severity = { ["T-PACK"] = "high" },
  },
}
