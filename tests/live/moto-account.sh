#!/usr/bin/env bash
# End to end against moto_server with signature checking on: an account
# made through the AWS API with the aws CLI, fetched live by ecpolicy,
# saved again as a folder of AWS CLI output, and judged three ways (the
# fetched snapshot, the folder, a live run), which must all agree with the
# results decided by hand (data/moto-expected.tsv).  See README.md.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
. tests/live/data/moto-lib.sh
. tests/live/data/moto-make-account.sh

moto_require
moto_hermetic
moto_start
moto_bootstrap
REGIONS=(--region us-east-1 --region eu-west-1)
NOW=(--now 2026-12-01T12:00:00Z)

# From here on moto checks every signature and every IAM permission.
if moto_anon sts get-caller-identity >"$OUT" 2>"$ERR"; then
    fail "moto: a call with a key moto does not know is refused"
else
    has "$ERR" InvalidClientTokenId "moto: a call with a key moto does not know is refused"
fi
maws --region us-east-1 sts get-caller-identity >"$T/whoami.json" 2>"$ERR"
json_is "$T/whoami.json" 'd["Arn"]' "arn:aws:iam::123456789012:user/auditor" \
    "moto: the new key signs as the IAM user"

# --- the account ----------------------------------------------------------
if make_account; then
    pass "account: VPCs, subnets, routes, security groups, prefix list, caches, users, snapshots in us-east-1 and eu-west-1"
else
    fail "account: creating it with the aws CLI failed"
    sed 's/^/# /' "$T"/account-*.log | tail -20
    exit 0
fi
if save_folder "$T/cli"; then
    pass "account: saved as a folder of AWS CLI output (docs/input.md commands)"
else
    fail "account: saving the AWS CLI output failed"
fi
for c in describe-serverless-caches describe-user-groups; do
    if [ -e "$T/cli/us-east-1/$c.json" ]; then
        fail "account: aws $c worked (moto has it now? update the expectations)"
    else
        pass "account: moto has no $c (aws fails, so the file stays absent)"
    fi
done

# --- fetch ------------------------------------------------------------------
before=$(moto_requests)
expect_exit 3 "fetch: exit 3 (serverless caches and user groups are not in moto)" \
    with_key "$BIN" fetch --endpoint-url "$MOTO_URL" "${REGIONS[@]}" \
    -o "$T/snap.json" -v
cp "$OUT" "$T/fetch.out"
cp "$ERR" "$T/fetch.err"
after=$(moto_requests)
has "$T/fetch.err" "some collections could not be read" "fetch: says the snapshot is incomplete"
lacks "$T/fetch.err" "AWS refused the credentials" "fetch: the credentials were accepted"
if [ -s "$T/fetch.out" ]; then fail "fetch: stdout stays empty with -o"; else pass "fetch: stdout stays empty with -o"; fi
json_is "$T/snap.json" 'd["source"]["kind"]' aws "fetch: the snapshot's source is aws"
json_is "$T/snap.json" 'd["account"]["Account"]' 123456789012 "fetch: the account id (GetCallerIdentity)"
json_is "$T/snap.json" 'd["account"]["Arn"]' "arn:aws:iam::123456789012:user/auditor" \
    "fetch: the caller is the IAM user"
json_is "$T/snap.json" 'sorted(d["regions"])' "['eu-west-1', 'us-east-1']" \
    "fetch: both regions and no other"

expect_exit 0 "inventory of the fetched snapshot" \
    "$BIN" inventory --snapshot "$T/snap.json" --format json -o "$T/inv.json"
python3 - "$T/inv.json" <<'PY'
import json, sys
inv = json.load(open(sys.argv[1]))
bad = {"serverless_caches": "DescribeServerlessCaches",
       "user_groups": "DescribeUserGroups"}
for region in inv["regions"]:
    name = region["name"]
    for c in region["collections"]:
        coll, st, msg = c["collection"], c["status"], c.get("message") or ""
        if coll in bad:
            ok = st == "error" and msg.startswith(bad[coll] + ":")
            what = f"error naming {bad[coll]}"
        else:
            ok = st == "ok"
            what = "ok"
        print(("ok" if ok else "not ok") +
              f" - fetch: {name} {coll} is {what}" +
              ("" if ok else f" (got {st}: {msg})"))
PY

# Every collection holds what the aws CLI describes for the same account:
# the same ids, and the counts of what was created.
python3 - "$T/snap.json" "$T/cli" <<'PY'
import glob, json, os, sys
snap = json.load(open(sys.argv[1]))
cli = sys.argv[2]
files = {
    "cache_clusters": ("describe-cache-clusters", "CacheClusters", "CacheClusterId"),
    "replication_groups": ("describe-replication-groups", "ReplicationGroups", "ReplicationGroupId"),
    "cache_subnet_groups": ("describe-cache-subnet-groups", "CacheSubnetGroups", "CacheSubnetGroupName"),
    "users": ("describe-users", "Users", "UserId"),
    "snapshots": ("describe-snapshots", "Snapshots", "SnapshotName"),
    "security_groups": ("describe-security-groups", "SecurityGroups", "GroupId"),
    "vpcs": ("describe-vpcs", "Vpcs", "VpcId"),
    "subnets": ("describe-subnets", "Subnets", "SubnetId"),
    "route_tables": ("describe-route-tables", "RouteTables", "RouteTableId"),
    "network_acls": ("describe-network-acls", "NetworkAcls", "NetworkAclId"),
    "managed_prefix_lists": ("describe-managed-prefix-lists", "PrefixLists", "PrefixListId"),
    "tags": ("get-resources", "ResourceTagMappingList", "ResourceARN"),
}
def say(ok, name, why=""):
    print(("ok" if ok else "not ok") + " - " + name + ("" if ok or not why else f" ({why})"))
for region in ("us-east-1", "eu-west-1"):
    got = snap["regions"][region]
    for coll, (cmd, member, idk) in files.items():
        want = sorted(i[idk] for i in json.load(open(f"{cli}/{region}/{cmd}.json"))[member])
        have = sorted(i[idk] for i in got[coll].get("items", []))
        say(have == want, f"fetch: {region} {coll}: the same {len(want)} ids as aws {cmd}",
            f"fetched {have}, aws lists {want}")
    # Prefix lists: the entries of each list a rule names, as aws prints them.
    want = {}
    for f in glob.glob(f"{cli}/{region}/get-managed-prefix-list-entries-*.json"):
        pl = os.path.basename(f)[len("get-managed-prefix-list-entries-"):-5]
        want[pl] = json.load(open(f))["Entries"]
    have = {i["PrefixListId"]: i["Entries"] for i in got["prefix_list_entries"]["items"]}
    say(have == want, f"fetch: {region} prefix_list_entries: the {len(want)} lists rules name, with aws's entries",
        f"fetched {have}, aws {want}")

counts = {
    ("us-east-1", "cache_clusters"): 7,     # 3 standalone + 2 + 2 members
    ("us-east-1", "replication_groups"): 2,
    ("us-east-1", "cache_subnet_groups"): 3,
    ("us-east-1", "users"): 2,              # moto's "default" and app-user
    ("us-east-1", "snapshots"): 1,
    ("us-east-1", "vpcs"): 2,
    ("us-east-1", "prefix_list_entries"): 1,
    ("eu-west-1", "cache_clusters"): 4,
    ("eu-west-1", "replication_groups"): 1,
    ("eu-west-1", "cache_subnet_groups"): 1,
    ("eu-west-1", "snapshots"): 1,
    ("eu-west-1", "vpcs"): 1,
    ("eu-west-1", "prefix_list_entries"): 0,
}
for (region, coll), n in counts.items():
    items = snap["regions"][region][coll].get("items", [])
    say(len(items) == n, f"fetch: {region} {coll}: {n} as created", f"got {len(items)}")
entries = {i["PrefixListId"]: i["Entries"] for i in snap["regions"]["us-east-1"]["prefix_list_entries"]["items"]}
say([e["Cidr"] for v in entries.values() for e in v] == ["203.0.113.0/24"],
    "fetch: the office prefix list's entry", f"got {entries}")
tags = {i["ResourceARN"].split(":", 5)[5]: i["Tags"] for i in snap["regions"]["us-east-1"]["tags"]["items"]}
say(tags.get("replicationgroup:rg-secure") == [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "core"}],
    "fetch: the tags of rg-secure (GetResources)", f"got {tags.get('replicationgroup:rg-secure')}")
cc = {c["CacheClusterId"]: c for c in snap["regions"]["us-east-1"]["cache_clusters"]["items"]}
ports = sorted(n["Endpoint"]["Port"] for n in cc["memcached-pl"].get("CacheNodes", []))
say(ports == [11211, 11211], "fetch: cache nodes came with ShowCacheNodeInfo", f"got {ports}")
PY

# Every record, field by field, is what the aws CLI prints for it (both
# read through ecpolicy's checks and timestamp normalization).
expect_exit 0 "inventory --write-snapshot of the AWS CLI folder" \
    "$BIN" inventory --snapshot "$T/cli" --write-snapshot "$T/cli-snap.json"
python3 - "$T/snap.json" "$T/cli-snap.json" <<'PY'
import json, sys
fetched = json.load(open(sys.argv[1]))
cli = json.load(open(sys.argv[2]))
def diff(x, y, path):
    if type(x) != type(y):
        return [f"{path}: {x!r:.60} vs {y!r:.60}"]
    if isinstance(x, dict):
        out = []
        for k in sorted(set(x) | set(y)):
            if k not in y: out.append(f"{path}.{k}: only fetched")
            elif k not in x: out.append(f"{path}.{k}: only in the aws output")
            else: out += diff(x[k], y[k], f"{path}.{k}")
        return out
    if isinstance(x, list):
        if len(x) != len(y):
            return [f"{path}: {len(x)} vs {len(y)} items"]
        return [d for i, (p, q) in enumerate(zip(x, y)) for d in diff(p, q, f"{path}[{i}]")]
    return [] if x == y else [f"{path}: {x!r:.60} vs {y!r:.60}"]
for region in sorted(fetched["regions"]):
    for coll, c in fetched["regions"][region].items():
        want = cli["regions"][region][coll]
        if "items" not in want:
            continue
        d = diff(c.get("items"), want["items"], f"{region}.{coll}")
        print(("ok" if not d else "not ok") +
              f" - fetch: {region} {coll}: every record as the aws CLI prints it" +
              ("" if not d else f" ({len(d)} differences: {'; '.join(d[:3])})"))
vpc = [v for v in fetched["regions"]["us-east-1"]["vpcs"]["items"] if v.get("CidrBlock") == "10.0.0.0/16"]
name = [t["Value"] for v in vpc for t in v.get("Tags", []) if t["Key"] == "Name"]
ok = name == ["app <&> \"quoted\" 'single' café ☕ 日本"]
print(("ok" if ok else "not ok") + " - fetch: markup and non-ASCII text survive XML" + ("" if ok else f" ({name})"))
PY

# -v: one line per API call, with region, service, operation, outcome,
# attempts and time; the attempts add up to what moto received.
python3 - "$T/fetch.err" "$((after - before))" <<'PY'
import re, sys
lines = [l.rstrip("\n") for l in open(sys.argv[1])]
received = int(sys.argv[2])
pat = re.compile(r"^ecpolicy: (us-east-1|eu-west-1) (sts|ec2|elasticache|resourcegroupstaggingapi) ([A-Za-z]+): "
                 r"(ok|access denied|credentials rejected|throttled|timed out|malformed reply|failed)"
                 r"(, HTTP \d{3})?, (\d+) attempts?, \d+\.\d\d s(: .+)?$")
calls = [l for l in lines if l.startswith("ecpolicy: ") and not l.startswith("ecpolicy: some ")
         and not l.startswith("ecpolicy: warning")]
def say(ok, name, why=""):
    print(("ok" if ok else "not ok") + " - " + name + ("" if ok or not why else f" ({why})"))
bad = [l for l in calls if not pat.match(l)]
say(not bad, "fetch -v: every call line has region, service, operation, outcome, attempts, time",
    f"{bad[:2]}")
keys = [pat.match(l).group(1, 3) for l in calls if pat.match(l)]
who = [k for k in keys if k[1] == "GetCallerIdentity"]
say(len(who) == 1, "fetch -v: one GetCallerIdentity (the account)", f"{who}")
want = ["DescribeCacheClusters", "DescribeReplicationGroups", "DescribeServerlessCaches",
        "DescribeCacheSubnetGroups", "DescribeUsers", "DescribeUserGroups", "DescribeSnapshots",
        "DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets", "DescribeRouteTables",
        "DescribeNetworkAcls", "DescribeManagedPrefixLists", "GetResources"]
expected = sorted([(r, op) for r in ("us-east-1", "eu-west-1") for op in want] +
                  [("us-east-1", "GetManagedPrefixListEntries")])
rest = sorted(k for k in keys if k[1] != "GetCallerIdentity")
say(rest == expected, f"fetch -v: one line per collection and region, and one per prefix list ({len(expected)})",
    f"got {rest}")
attempts = sum(int(pat.match(l).group(6)) for l in calls if pat.match(l))
say(attempts == received, f"fetch -v: the attempts add up to the {received} requests moto received",
    f"lines say {attempts}")
fails = [l for l in calls if "DescribeServerlessCaches" in l or "DescribeUserGroups" in l]
say(len(fails) == 4 and all(": failed, HTTP 500, 3 attempts," in l for l in fails),
    "fetch -v: moto's 500s are retried, 3 attempts each", f"{fails}")
PY

# --- the results --------------------------------------------------------------
# The founding controls are decided by hand; every built-in control (there
# are more) must then agree between the three ways of reading the account.
FOUNDING=(EC-ENC-01 EC-ENC-03 EC-ENC-04 EC-IAM-03 EC-NET-01 EC-NET-02 EC-NET-03 EC-NET-04 EC-NET-05)
grep -v '^#' tests/live/data/moto-expected.tsv >"$T/expected.tsv"
expect_exit 3 "run --snapshot (fetched): exit 3 (unknown results)" \
    "$BIN" run --snapshot "$T/snap.json" --format json "${NOW[@]}" -o "$T/run-snap.json"
results_tsv "$T/run-snap.json" "${FOUNDING[@]}" >"$T/founding.tsv"
same_lines "run --snapshot (fetched): each founding control on each cache as decided by hand" \
    "$T/expected.tsv" "$T/founding.tsv"
results_tsv "$T/run-snap.json" >"$T/run-snap.tsv"
json_is "$T/run-snap.json" '[r for r in d["results"] if r["status"] == "error"]' "[]" \
    "run --snapshot (fetched): no built-in control errs on moto's records"

# The evidence names what decided the trickier ones.
python3 - "$T/run-snap.json" "$T/snap.json" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1]))
snap = json.load(open(sys.argv[2]))
res = {(r["control"], r["resource"]["id"]): r for r in rep["results"]}
def say(ok, name, why=""):
    print(("ok" if ok else "not ok") + " - " + name + ("" if ok or not why else f" ({why})"))
pl = [p["PrefixListId"] for p in snap["regions"]["us-east-1"]["managed_prefix_lists"]["items"]
      if p.get("PrefixListName") == "office"]
ev = res[("EC-NET-04", "memcached-pl")]["evidence"] or [{}]
say(ev[0].get("prefix_list_id") in pl and ev[0].get("cidr") == "203.0.113.0/24" and ev[0].get("port") == 11211,
    "EC-NET-04 memcached-pl: the prefix list's public range on 11211", f"{ev}")
ev = res[("EC-NET-04", "eu-memcached")]["evidence"] or [{}]
say(ev[0].get("cidr") == "::/0", "EC-NET-04 eu-memcached: ::/0 from an IPv6 range", f"{ev}")
ev = res[("EC-NET-03", "redis-open")]["evidence"] or [{}]
say(ev[0].get("association") == "explicit" and ev[0].get("gateway_id", "").startswith("igw-"),
    "EC-NET-03 redis-open: its subnet's own route table, to an internet gateway", f"{ev}")
ev = res[("EC-NET-03", "eu-rg")]["evidence"] or [{}]
say(all(e.get("association") == "main" for e in ev) and len(ev) == 2,
    "EC-NET-03 eu-rg: both of its subnets, through the VPC's main route table", f"{ev}")
ev = res[("EC-NET-05", "redis-default")]["evidence"] or [{}]
say(ev[0].get("group_name") == "default", "EC-NET-05 redis-default: the VPC's default group", f"{ev}")
r = res[("EC-NET-01", "eu-west-1")]
say("DescribeServerlessCaches" in r["reason"], "region result: names the call that failed", r["reason"])
PY

expect_exit 3 "run --snapshot (AWS CLI folder): exit 3" \
    "$BIN" run --snapshot "$T/cli" --format json "${NOW[@]}" -o "$T/run-cli.json"
results_tsv "$T/run-cli.json" >"$T/run-cli.tsv"
same_lines "the same account read both ways (fetched snapshot, AWS CLI folder) gives the same results" \
    "$T/run-snap.tsv" "$T/run-cli.tsv"
json_is "$T/run-cli.json" 'd["input"]["account"]' 123456789012 "run (folder): the account from account.json"

# Live: run without --snapshot collects what the controls read, and no more.
# (--max-attempts 1 from here: moto's 500s need not be retried again.)
expect_exit 3 "run live (--endpoint-url, no --snapshot): exit 3" \
    with_key "$BIN" run --endpoint-url "$MOTO_URL" "${REGIONS[@]}" --max-attempts 1 --format json \
    "${NOW[@]}" -v -o "$T/run-live.json"
cp "$ERR" "$T/run-live.err"
results_tsv "$T/run-live.json" >"$T/run-live.tsv"
same_lines "run live gives the same results as the fetched snapshot" \
    "$T/run-snap.tsv" "$T/run-live.tsv"
json_is "$T/run-live.json" 'd["input"]["kind"]' aws "run live: the input is aws"
has "$T/run-live.err" "us-east-1 ec2 GetManagedPrefixListEntries: ok" "run live: the prefix list a rule names is read"
# What was called is what the controls read ("needed" in the report).
python3 - "$T/run-live.json" "$T/run-live.err" <<'PY'
import json, re, sys
rep = json.load(open(sys.argv[1]))
ops = {"cache_clusters": "DescribeCacheClusters", "replication_groups": "DescribeReplicationGroups",
       "serverless_caches": "DescribeServerlessCaches", "cache_subnet_groups": "DescribeCacheSubnetGroups",
       "users": "DescribeUsers", "user_groups": "DescribeUserGroups", "snapshots": "DescribeSnapshots",
       "security_groups": "DescribeSecurityGroups", "vpcs": "DescribeVpcs", "subnets": "DescribeSubnets",
       "route_tables": "DescribeRouteTables", "network_acls": "DescribeNetworkAcls",
       "managed_prefix_lists": "DescribeManagedPrefixLists",
       "prefix_list_entries": "GetManagedPrefixListEntries", "tags": "GetResources"}
needed = {(c["region"], ops[c["collection"]]) for c in rep["collections"]
          if c["needed"] and c["collection"] in ops}
called = {m.group(1, 2) for m in (re.match(r"ecpolicy: (\S+) \S+ (\w+): ", l) for l in open(sys.argv[2]))
          if m and m.group(2) != "GetCallerIdentity"}
# The security groups are read for the prefix lists their rules name.
extra = {(r, "DescribeSecurityGroups") for r, op in needed if op == "GetManagedPrefixListEntries"}
# eu-west-1 has no rule naming a prefix list: nothing to call there.
missing = sorted(needed - called - {("eu-west-1", "GetManagedPrefixListEntries")})
unneeded = sorted(called - needed - extra)
ok = not missing and not unneeded
print(("ok" if ok else "not ok") + " - run live: it calls what the controls read, and nothing else" +
      ("" if ok else f" (not called: {missing}; not needed: {unneeded})"))
PY
expect_exit 3 "run live --only EC-NET-01: exit 3" \
    with_key "$BIN" run --endpoint-url "$MOTO_URL" "${REGIONS[@]}" --max-attempts 1 \
    --only EC-NET-01 --format json -v -o "$T/run-net01.json"
python3 - "$ERR" <<'PY'
import re, sys
called = sorted(m.group(1, 2) for m in (re.match(r"ecpolicy: (\S+) \S+ (\w+): ", l) for l in open(sys.argv[1])) if m)
want = sorted([(r, op) for r in ("eu-west-1", "us-east-1") for op in
               ("DescribeCacheClusters", "DescribeReplicationGroups", "DescribeServerlessCaches")])
who = [c for c in called if c[1] == "GetCallerIdentity"]
rest = [c for c in called if c[1] != "GetCallerIdentity"]
ok = rest == want and len(who) == 1
print(("ok" if ok else "not ok") + " - run live --only EC-NET-01: only the three cache collections per region, and the account" +
      ("" if ok else f" ({called})"))
PY

# Tags (the bulk GetResources call) reach the model the same three ways.
cat >"$T/tags-expected.tsv" <<'EOF2'
LIVE-TAGS	eu-west-1	cache_cluster	classic-memcached	pass	no tags
LIVE-TAGS	eu-west-1	cache_cluster	eu-memcached	pass	no tags
LIVE-TAGS	eu-west-1	cache_cluster	eu-redis	pass	no tags
LIVE-TAGS	eu-west-1	region	eu-west-1	unknown	-
LIVE-TAGS	eu-west-1	replication_group	eu-rg	pass	no tags
LIVE-TAGS	us-east-1	cache_cluster	memcached-pl	pass	no tags
LIVE-TAGS	us-east-1	cache_cluster	redis-default	pass	no tags
LIVE-TAGS	us-east-1	cache_cluster	redis-open	pass	note=a<b & "c" café ☕,team=payments
LIVE-TAGS	us-east-1	region	us-east-1	unknown	-
LIVE-TAGS	us-east-1	replication_group	rg-cluster	pass	no tags
LIVE-TAGS	us-east-1	replication_group	rg-secure	pass	env=prod,team=core
EOF2
tags_tsv() {
    python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("\n".join(sorted("\t".join((r["control"], r["resource"]["region"], r["resource"]["kind"],
                                  r["resource"]["id"], r["status"],
                                  r["reason"] if r["status"] == "pass" else "-"))
                       for r in d["results"])))
PY
}
TAGS=tests/live/data/policies/LIVE-TAGS.lua
for how in snapshot folder live; do
    case $how in
        snapshot) args=(--snapshot "$T/snap.json") ;;
        folder) args=(--snapshot "$T/cli") ;;
        live) args=(--endpoint-url "$MOTO_URL" "${REGIONS[@]}" --max-attempts 1) ;;
    esac
    run with_key "$BIN" run "$TAGS" "${args[@]}" --format json -o "$T/tags-$how.json"
    tags_tsv "$T/tags-$how.json" >"$T/tags-$how.tsv" 2>&1
    same_lines "tags ($how): each cache's tags, from GetResources" "$T/tags-expected.tsv" "$T/tags-$how.tsv"
done

# --- secrets ------------------------------------------------------------------
no_secret "no secret key in fetch's output, the snapshot, or any report" \
    "$T/fetch.out" "$T/fetch.err" "$T/snap.json" "$T/inv.json" "$T/run-snap.json" \
    "$T/run-cli.json" "$T/run-live.json" "$T/run-live.err" "$OUT"
if grep -qF -e cluster-auth-token-0123456789 -e group-auth-token-0123456789 \
        -e user-password-0123456789 "$T/snap.json" "$T/fetch.err"; then
    fail "no AUTH token or user password in the snapshot"
else
    pass "no AUTH token or user password in the snapshot"
fi
