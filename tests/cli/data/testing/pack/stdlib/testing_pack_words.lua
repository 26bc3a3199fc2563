-- A module of the pack's own, for its policy and its tests.
return { serverless = "serverless", other = "not serverless" }
