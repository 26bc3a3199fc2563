-- A rule pack for the tests of ecpolicy test: its tests find its policies.
return {
  name = "testing-pack",
  version = "1.0.0",
  description = "one control, tested from tests/",
}
