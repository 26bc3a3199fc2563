local ports = require "ports"
local check = require "check"
local eq, raises = check.eq, check.raises

local function range(permission)
  local from, to = ports.rule_range(permission)
  return tostring(from) .. ".." .. tostring(to)
end

local tests = {}

tests["covers is inclusive"] = function()
  assert(ports.covers(6379, 6379, 6379))
  assert(ports.covers(0, 65535, 11211))
  assert(ports.covers(6000, 7000, 6000))
  assert(ports.covers(6000, 7000, 7000))
  assert(not ports.covers(6000, 7000, 5999))
  assert(not ports.covers(6000, 7000, 7001))
  assert(ports.covers(6379.0, 6379.0, 6379), "integer-valued floats from JSON")
end

tests["covers rejects what is not a port"] = function()
  raises("port must be an integer 0-65535, got nil", ports.covers, 1, 2, nil)
  raises("from must be an integer", ports.covers, "1", 2, 1)
  raises("got 65536", ports.covers, 0, 65536, 1)
  raises("got 6379.5", ports.covers, 0, 65535, 6379.5)
end

tests["overlap"] = function()
  local from, to = ports.overlap(1000, 2000, 1500, 3000)
  eq(from, 1500) eq(to, 2000)
  from, to = ports.overlap(0, 65535, 6379, 6379)
  eq(from, 6379) eq(to, 6379)
  from, to = ports.overlap(1, 10, 10, 20)
  eq(from, 10, "touching ranges share one port") eq(to, 10)
  eq(ports.overlap(1, 10, 11, 20), nil, "disjoint")
end

tests["protocols that carry tcp"] = function()
  assert(ports.carries_tcp("-1"))
  assert(ports.carries_tcp("tcp"))
  assert(ports.carries_tcp("TCP"))
  assert(ports.carries_tcp("6"))
  assert(ports.carries_tcp(6))
  assert(ports.carries_tcp(-1))
  assert(not ports.carries_tcp("udp"))
  assert(not ports.carries_tcp("17"))
  assert(not ports.carries_tcp("icmp"))
  assert(not ports.carries_tcp("50"))
  assert(not ports.carries_tcp(nil))
  assert(ports.all_traffic("-1") and not ports.all_traffic("tcp"))
end

tests["rule ranges"] = function()
  eq(range({ IpProtocol = "-1" }), "0..65535", "-1 without ports")
  eq(range({ IpProtocol = "-1", FromPort = 22, ToPort = 22 }), "0..65535", "-1 ignores ports")
  eq(range({ IpProtocol = "tcp", FromPort = 6379, ToPort = 6379 }), "6379..6379")
  eq(range({ IpProtocol = "6", FromPort = 6000, ToPort = 7000 }), "6000..7000")
  eq(range({ IpProtocol = "tcp", FromPort = -1, ToPort = -1 }), "0..65535", "FromPort -1")
  eq(range({ IpProtocol = "tcp" }), "0..65535", "no ports on tcp")
  eq(range({ IpProtocol = "tcp", FromPort = 6379 }), "0..65535", "no ToPort")
  eq(range({ IpProtocol = "tcp", FromPort = 0, ToPort = 65535 }), "0..65535")
  eq(range({ IpProtocol = "udp", FromPort = 53, ToPort = 53 }), "53..53")
  eq(range({ IpProtocol = "icmp", FromPort = 8, ToPort = -1 }), "nil..nil", "icmp has no ports")
  eq(range({ IpProtocol = "58", FromPort = 128, ToPort = 0 }), "nil..nil", "icmpv6 has no ports")
  eq(range({ IpProtocol = "50" }), "0..65535", "other protocols open every port")
  assert(ports.is_all(ports.rule_range({ IpProtocol = "-1" })))
  assert(not ports.is_all(6379, 6379))
end

tests["rule ranges reject malformed rules"] = function()
  raises("FromPort 7000 is above ToPort 6000", ports.rule_range,
         { IpProtocol = "tcp", FromPort = 7000, ToPort = 6000 })
  raises("FromPort must be an integer", ports.rule_range,
         { IpProtocol = "tcp", FromPort = "6379", ToPort = 6379 })
  raises("IpProtocol must be a string", ports.rule_range, { FromPort = 1, ToPort = 2 })
  raises("expected an IpPermission table", ports.rule_range, "tcp")
end

return tests
