-- Fixtures given as paths, relative to this file; the time the checks see.
return {
  control = "T-PLAIN",
  policy = "../policies/T-PLAIN.lua",
  fixture = "fixtures/snap.json",
  cases = {
    { name = "a snapshot file, at the default time",
      expect = { ["rg-snap"] = { status = "fail", reason = "at 1767225600" } } },
    { name = "a folder of AWS CLI output, at a time of its own",
      fixture = "fixtures/awscli", now = "2026-06-01T00:00:00Z",
      expect = { ["cli-1"] = { status = "fail", reason = "at 1780272000" } } },
    { name = "the time in seconds", now = 1000,
      expect = { ["us-west-2/replication_group:rg-snap"] = { status = "fail", reason = "at 1000" } } },
  },
}
