return {
  id = "T-PLAN-NOTE", title = "plans", severity = "high", resource = "cache",
  check = function() return "fail", "always" end,
  remediate = function() return nil, "set EC-ENC-01.kms_key_id to get a plan" end,
}
