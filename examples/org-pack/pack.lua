-- The manifest of an example organisation's rule pack (docs/packs.md).
return {
  name = "acme-cache",
  version = "1.0.0",
  description = "Acme's ElastiCache rules: ownership tags, and the built-in controls tuned to Acme's network",
  ecpolicy = ">= 0.1",
  settings = {
    -- The partner office reaches the caches over a VPN from this range.
    params = {
      ["EC-NET-04"] = { trusted_cidrs = { "198.51.100.0/24" } },
      ["EC-IAM-05"] = { max_age_days = 30 },
    },
    -- Acme changes ports on purpose; a default port is worth a look, no more.
    severity = { ["EC-NET-06"] = "low" },
  },
}
