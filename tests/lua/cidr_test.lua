local cidr = require "cidr"
local check = require "check"
local eq = check.eq

local function canonical(text)
  local block, err = cidr.parse(text)
  if not block then error(err, 2) end
  return cidr.tostring(block)
end

local function rejects(text, fragment)
  local block, err = cidr.parse(text)
  if block then error(("parse(%q) accepted it as %s"):format(tostring(text), tostring(block)), 2) end
  if not err:find(fragment, 1, true) then
    error(("parse(%q): message %q lacks %q"):format(tostring(text), err, fragment), 2)
  end
end

local tests = {}

tests["ipv4 forms"] = function()
  eq(canonical("10.0.0.0/8"), "10.0.0.0/8")
  eq(canonical("0.0.0.0/0"), "0.0.0.0/0")
  eq(canonical("192.168.1.7"), "192.168.1.7/32", "a host address is a /32")
  eq(canonical("255.255.255.255/32"), "255.255.255.255/32")
  eq(cidr.family("10.0.0.0/8"), 4)
  eq(cidr.prefix_length("10.0.0.0/8"), 8)
end

tests["host bits set mean the network"] = function()
  eq(canonical("10.1.2.3/8"), "10.0.0.0/8")
  eq(canonical("172.31.255.255/12"), "172.16.0.0/12")
  eq(canonical("1.2.3.4/0"), "0.0.0.0/0")
  eq(canonical("2001:db8::1/32"), "2001:db8::/32")
  assert(cidr.is_any("1.2.3.4/0"))
end

tests["ipv6 forms"] = function()
  eq(canonical("::/0"), "::/0")
  eq(canonical("::"), "::/128", "the unspecified address")
  eq(canonical("::1"), "::1/128")
  eq(canonical("2001:db8::/32"), "2001:db8::/32")
  eq(canonical("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1/128", "full form")
  eq(canonical("2001:DB8::ABCD"), "2001:db8::abcd/128", "upper case hex")
  eq(canonical("1:0:0:2:0:0:0:3"), "1:0:0:2::3/128", "longest zero run")
  eq(canonical("1:0:0:2:0:0:3:4"), "1::2:0:0:3:4/128", "first of equal runs")
  eq(canonical("1:0:2:3:4:5:6:7"), "1:0:2:3:4:5:6:7/128", "a single zero is not compressed")
  eq(canonical("1::2:3:4:5:6:7"), "1:0:2:3:4:5:6:7/128", ":: may stand for one group")
  eq(canonical("fe80::/10"), "fe80::/10")
  eq(canonical("1:2:3:4:5:6:7::"), "1:2:3:4:5:6:7:0/128")
  eq(canonical("::2:3:4:5:6:7:8"), "0:2:3:4:5:6:7:8/128")
  eq(cidr.family("::/0"), 6)
  eq(cidr.prefix_length("2001:db8::/32"), 32)
end

tests["ipv6 masks across the 64-bit halves"] = function()
  local all = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
  eq(canonical(all .. "/64"), "ffff:ffff:ffff:ffff::/64")
  eq(canonical(all .. "/63"), "ffff:ffff:ffff:fffe::/63")
  eq(canonical(all .. "/65"), "ffff:ffff:ffff:ffff:8000::/65")
  eq(canonical(all .. "/1"), "8000::/1")
  eq(canonical(all .. "/127"), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127")
  eq(canonical(all .. "/128"), all .. "/128")
end

tests["ipv4-mapped and embedded ipv4"] = function()
  eq(canonical("::ffff:10.0.0.0/104"), "::ffff:10.0.0.0/104")
  eq(canonical("::FFFF:192.0.2.1"), "::ffff:192.0.2.1/128")
  eq(canonical("0:0:0:0:0:ffff:c000:0201"), "::ffff:192.0.2.1/128", "mapped, hex form")
  eq(canonical("1:2:3:4:5:6:1.2.3.4"), "1:2:3:4:5:6:102:304/128", "full form with ipv4 tail")
  eq(cidr.family("::ffff:10.0.0.0/104"), 6)
  assert(not cidr.contains("10.0.0.0/8", "::ffff:10.0.0.0/104"), "mapped is IPv6, not IPv4")
  assert(not cidr.is_private("::ffff:10.0.0.0/104"), "mapped private v4 is not RFC 4193")
end

tests["garbage is rejected precisely"] = function()
  rejects("", "not a dotted-quad")
  rejects("10.0.0", "not a dotted-quad")
  rejects("10.0.0.0.0", "not a dotted-quad")
  rejects("256.0.0.0", "octet '256'")
  rejects("01.0.0.0", "octet '01'")
  rejects("10.0.0.0/33", "prefix length '33' is not 0-32")
  rejects("10.0.0.0/-1", "prefix length '-1'")
  rejects("10.0.0.0/", "prefix length ''")
  rejects("10.0.0.0/08", "prefix length '08'")
  rejects("10.0.0.0/8/8", "more than one '/'")
  rejects(" 10.0.0.0/8", "not a dotted-quad")
  rejects("10.0.0.0/8 ", "prefix length '8 '")
  rejects("a.b.c.d", "not a dotted-quad")
  rejects("1:2:3:4:5:6:7:8:9", "9 groups instead of 8")
  rejects("1:2:3:4:5:6:7", "7 groups instead of 8")
  rejects("1::2::3", "'::' appears more than once")
  rejects(":::", "empty group")
  rejects(":1::", "empty group")
  rejects("1::2:", "empty group")
  rejects("1:", "empty group")
  rejects("12345::", "group '12345'")
  rejects("g::", "group 'g'")
  rejects("::/129", "prefix length '129' is not 0-128")
  rejects("fe80::1%eth0", "zone ids")
  rejects("1.2.3.4::", "may only end the address")
  rejects("::1.2.3", "embedded IPv4")
  rejects("::ffff:256.0.0.0", "embedded IPv4")
  rejects("1:2:3:4:5:6:7:1.2.3.4", "9 groups instead of 8")
  rejects("1:2:3:4:5:6:7:8::", "at least one group")
  rejects("1:2:3:4::5:6:7:8", "at least one group")
  local _, err = cidr.parse(nil)
  assert(err:find("expected a string, got nil", 1, true), err)
  _, err = cidr.parse(42)
  assert(err:find("got number", 1, true), err)
end

tests["functions raise on invalid input, naming it"] = function()
  local ok, err = pcall(cidr.contains, "10.0.0.0/8", "10.0.0.300")
  assert(not ok and err:find('"10.0.0.300"', 1, true), err)
  ok, err = pcall(cidr.is_private, "nonsense")
  assert(not ok and err:find('"nonsense"', 1, true), err)
  ok, err = pcall(cidr.within_any, "10.0.0.0/8", { "10.0.0.0/8x" })
  assert(not ok and err:find("list[1]", 1, true) and err:find("10.0.0.0/8x", 1, true), err)
  ok, err = pcall(cidr.parse_all, { "10.0.0.0/8", "bad" }, "trusted_cidrs")
  assert(not ok and err:find('trusted_cidrs[2]: invalid CIDR "bad"', 1, true), err)
  ok, err = pcall(cidr.parse_all, "10.0.0.0/8", "trusted_cidrs")
  assert(not ok and err:find("trusted_cidrs must be a list", 1, true), err)
end

tests["contains"] = function()
  assert(cidr.contains("10.0.0.0/8", "10.1.0.0/16"))
  assert(cidr.contains("10.0.0.0/8", "10.0.0.0/8"), "a block contains itself")
  assert(not cidr.contains("10.1.0.0/16", "10.0.0.0/8"), "the inner one is smaller")
  assert(not cidr.contains("10.0.0.0/8", "11.0.0.0/8"))
  assert(cidr.contains("0.0.0.0/0", "203.0.113.9"))
  assert(cidr.contains("::/0", "2001:db8::/32"))
  assert(not cidr.contains("0.0.0.0/0", "::/0"), "families never contain each other")
  assert(not cidr.contains("::/0", "0.0.0.0/0"), "families never contain each other")
  assert(cidr.contains("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"))
  assert(not cidr.contains("2001:db8::/32", "2001:db9::"))
  assert(cidr.contains("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff"), "/64 boundary, low half")
  assert(not cidr.contains("2001:db8::/64", "2001:db8:0:1::"), "/64 boundary, next network")
  assert(cidr.contains("8000::/1", "ffff::"), "sign bit of the high half")
  assert(not cidr.contains("::/1", "8000::"), "sign bit of the high half")
  local parsed = cidr.parse("10.0.0.0/8")
  assert(cidr.contains(parsed, "10.9.9.9"), "parsed blocks are accepted too")
end

tests["overlaps"] = function()
  assert(cidr.overlaps("10.0.0.0/7", "10.0.0.0/8"))
  assert(cidr.overlaps("10.0.0.0/8", "10.0.0.0/7"))
  assert(cidr.overlaps("10.0.0.0/8", "10.2.3.4"))
  assert(not cidr.overlaps("10.0.0.0/8", "11.0.0.0/8"))
  assert(not cidr.overlaps("192.168.0.0/24", "192.168.1.0/24"))
  assert(cidr.overlaps("fc00::/7", "fd00::/8"))
  assert(not cidr.overlaps("fc00::/7", "fe80::/10"))
  assert(not cidr.overlaps("0.0.0.0/0", "::/0"))
end

tests["private ipv4 boundaries"] = function()
  assert(cidr.is_private("10.0.0.0/8"))
  assert(cidr.is_private("10.255.255.255"))
  assert(not cidr.is_private("9.255.255.255"))
  assert(not cidr.is_private("11.0.0.0"))
  assert(not cidr.is_private("10.0.0.0/7"), "only partly private")
  assert(not cidr.is_private("172.15.255.255"), "just below 172.16/12")
  assert(cidr.is_private("172.16.0.0"))
  assert(cidr.is_private("172.31.255.255"))
  assert(not cidr.is_private("172.32.0.0"), "just above 172.16/12")
  assert(cidr.is_private("172.16.0.0/12"))
  assert(not cidr.is_private("172.16.0.0/11"), "wider than the range")
  assert(cidr.is_private("192.168.0.0/16"))
  assert(not cidr.is_private("192.168.0.0/15"))
  assert(not cidr.is_private("192.169.0.0"))
  assert(not cidr.is_private("0.0.0.0/0"))
  assert(not cidr.is_private("100.64.0.0/10"), "shared address space is not RFC 1918")
end

tests["private ipv6 boundaries"] = function()
  assert(cidr.is_private("fc00::/7"))
  assert(cidr.is_private("fc00::"))
  assert(cidr.is_private("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "last address of fc00::/7")
  assert(cidr.is_private("fd00::/8"), "fd00::/8 is inside")
  assert(cidr.is_private("fd12:3456:789a::/48"))
  assert(not cidr.is_private("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "just below")
  assert(not cidr.is_private("fe00::"), "just above")
  assert(not cidr.is_private("fe80::/10"), "link-local is not RFC 4193")
  assert(not cidr.is_private("fc00::/6"), "only partly private")
  assert(not cidr.is_private("2001:db8::/32"))
  assert(not cidr.is_private("::/0"))
  assert(not cidr.is_private("::1"))
end

tests["is_any"] = function()
  assert(cidr.is_any("0.0.0.0/0"))
  assert(cidr.is_any("::/0"))
  assert(not cidr.is_any("0.0.0.0/1"))
  assert(not cidr.is_any("::/1"))
  assert(not cidr.is_any("0.0.0.0"), "the host 0.0.0.0 is a /32")
end

tests["within_any"] = function()
  local list = { "203.0.113.0/24", "2001:db8::/32" }
  local ok, entry = cidr.within_any("203.0.113.128/25", list)
  assert(ok and entry == "203.0.113.0/24", "returns the entry that contains it")
  ok, entry = cidr.within_any("2001:db8:1::/48", list)
  assert(ok and entry == "2001:db8::/32")
  assert(not cidr.within_any("203.0.112.0/23", list), "wider than the entry")
  assert(not cidr.within_any("198.51.100.1", list))
  assert(not cidr.within_any("10.0.0.0/8", {}), "empty list")
  assert(cidr.within_any("10.0.0.1", cidr.parse_all({ "10.0.0.0/8" })), "parsed entries")
end

tests["compare is unsigned and total"] = function()
  eq(cidr.compare("10.0.0.0/8", "10.0.0.0/8"), 0)
  eq(cidr.compare("10.0.0.0/8", "10.0.0.0/16"), -1, "shorter prefix first")
  eq(cidr.compare("9.0.0.0/8", "10.0.0.0/8"), -1)
  eq(cidr.compare("200.0.0.0/8", "10.0.0.0/8"), 1, "above 2^31")
  eq(cidr.compare("8000::/1", "7fff::/16"), 1, "high half sign bit")
  eq(cidr.compare("::8000:0:0:0", "::7fff:0:0:0"), 1, "low half sign bit")
  eq(cidr.compare("255.255.255.255", "::"), -1, "IPv4 before IPv6")
end

tests["blocks print canonically and compare equal"] = function()
  local a, b = cidr.parse("10.1.2.3/8"), cidr.parse("10.0.0.0/8")
  eq(tostring(a), "10.0.0.0/8")
  assert(a == b, "same network, same block")
  assert(cidr.is_cidr(a) and not cidr.is_cidr("10.0.0.0/8"))
  eq(cidr.normalize("2001:0DB8::0/32"), "2001:db8::/32")
  assert(cidr.normalize("x") == nil)
end


local function texts(blocks)
  local out = {}
  for i, block in ipairs(blocks) do out[i] = cidr.tostring(block) end
  return table.concat(out, " ")
end

tests["intersection"] = function()
  eq(tostring(cidr.intersection("10.0.0.0/8", "10.1.0.0/16")), "10.1.0.0/16")
  eq(tostring(cidr.intersection("10.1.0.0/16", "10.0.0.0/8")), "10.1.0.0/16")
  eq(tostring(cidr.intersection("::/0", "fd00::/8")), "fd00::/8")
  eq(cidr.intersection("10.0.0.0/8", "11.0.0.0/8"), nil, "disjoint")
  eq(cidr.intersection("0.0.0.0/0", "::/0"), nil, "families never meet")
  check.raises('invalid CIDR "x"', cidr.intersection, "x", "10.0.0.0/8")
end

tests["exclude: the rest of a block, exactly"] = function()
  eq(texts(cidr.exclude("10.0.0.0/8", "10.0.0.0/9")), "10.128.0.0/9")
  eq(texts(cidr.exclude("10.0.0.0/8", "10.128.0.0/9")), "10.0.0.0/9")
  eq(texts(cidr.exclude("10.0.0.0/8", "10.64.0.0/10")), "10.0.0.0/10 10.128.0.0/9")
  eq(texts(cidr.exclude("0.0.0.0/0", "0.0.0.0/0")), "", "nothing left")
  eq(texts(cidr.exclude("10.1.0.0/16", "10.0.0.0/8")), "", "inside the cut")
  eq(texts(cidr.exclude("10.0.0.0/8", "11.0.0.0/8")), "10.0.0.0/8", "disjoint")
  eq(texts(cidr.exclude("10.0.0.0/8", "::/0")), "10.0.0.0/8", "other family")
  eq(texts(cidr.exclude("10.0.0.0/30", "10.0.0.2/32")), "10.0.0.0/31 10.0.0.3/32")
end

tests["exclude: the public IPv4 and IPv6 space"] = function()
  local public4 = cidr.exclude("0.0.0.0/0", cidr.PRIVATE_RANGES)
  -- 10/8 leaves 8 blocks; 172.16/12 splits 128/1 into 11; 192.168/16
  -- splits one of those, 192/2, into 14.
  eq(#public4, 8 - 1 + 11 - 1 + 14, "one block for each bit of each path")
  local covered = 0
  for i, block in ipairs(public4) do
    assert(not cidr.is_private(block), tostring(block))
    for _, range in ipairs(cidr.PRIVATE_RANGES) do
      assert(not cidr.overlaps(block, range), tostring(block) .. " overlaps " .. range)
    end
    if i > 1 then eq(cidr.compare(public4[i - 1], block), -1, "in address order") end
    covered = covered + (1 << (32 - block.prefix))
  end
  eq(covered, (1 << 32) - (1 << 24) - (1 << 20) - (1 << 16), "every other address")
  eq(texts(cidr.exclude("::/0", cidr.PRIVATE_RANGES)),
     "::/1 8000::/2 c000::/3 e000::/4 f000::/5 f800::/6 fe00::/7")
  eq(texts(cidr.exclude("2001:db8::/32", { "2001:db8::/33", "2001:db8:8000::/34" })),
     "2001:db8:c000::/34")
  local all_but_one = cidr.exclude("::/0", "::1/128")
  eq(#all_but_one, 128, "down to one address")
  eq(tostring(all_but_one[1]), "::/128") eq(tostring(all_but_one[2]), "::2/127")
  eq(tostring(all_but_one[128]), "8000::/1")
end

tests["exclude: bad arguments"] = function()
  check.raises("others[2]: invalid CIDR", cidr.exclude, "0.0.0.0/0", { "10.0.0.0/8", "x" })
  check.raises('invalid CIDR "y"', cidr.exclude, "y", {})
  -- Not "nothing to exclude": a nil list is a mistake, as for parse_all.
  local err = check.raises("cidr.exclude: others must be a CIDR or a list of CIDRs, got nil",
                           function() local r = cidr.exclude("10.0.0.0/8", nil) return r end)
  eq(err:find("cidr_test.lua:", 1, true) ~= nil, true, "the error points at the caller: " .. err)
  check.raises("cidr.exclude: others must be a CIDR or a list of CIDRs, got nil", cidr.exclude,
               "10.0.0.0/8")
  check.raises("cidr.exclude: others must be a CIDR or a list of CIDRs, got boolean", cidr.exclude,
               "10.0.0.0/8", false)
  eq(#cidr.exclude("10.0.0.0/8", {}), 1, "an empty list excludes nothing")
end

return tests
