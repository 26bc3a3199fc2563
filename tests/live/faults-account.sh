#!/usr/bin/env bash
# A whole account served by tests/server/fakeaws.py from hand-written
# replies (tests/live/scenarios/account.json; the account is described in
# tests/live/scenarios/README.md): fetch it, check what was asked for and
# how, run the founding controls on it, and compare with the same account
# saved as AWS CLI output (scenarios/account-awscli/) and with a live run.
# Only 127.0.0.1 servers that this script starts.
source tests/lib.sh
source tests/live/scenarios/helpers.sh
hermetic_env

EXPECTED=$SCEN/account-expected.tsv
AWSCLI=$SCEN/account-awscli

start_fakeaws account "$SCEN/account.json" || exit 0

# ---- fetch
expect_fetch account 0
if [ ! -s "$T/account.err" ]; then
    pass "account: fetch prints nothing on stderr"
else
    fail "account: fetch wrote to stderr"
    sed 's/^/# stderr: /' "$T/account.err" | head -5
fi
inventory_json account
check others-ok "$T/account.inv.json" "$REGION" -- "account: every collection is ok"
json_is "$T/account.inv.json" "d['account']" 444455556666 "account: the account id comes from GetCallerIdentity"
json_is "$T/account.inv.json" "(d['caches']['total'], d['caches']['cache_cluster'], d['caches']['replication_group'], d['caches']['serverless_cache'])" \
    "(12, 6, 3, 3)" "account: 12 caches of every kind (6 clusters, 3 groups, 3 serverless)"
for c in "cache_clusters 11" "replication_groups 3" "serverless_caches 3" "cache_subnet_groups 4" \
         "users 4" "user_groups 2" "snapshots 2" "security_groups 9" "vpcs 2" "subnets 5" \
         "route_tables 3" "network_acls 2" "managed_prefix_lists 3" "prefix_list_entries 2" \
         "tags 4"; do
    # shellcheck disable=SC2086
    set -- $c
    check items "$T/account.inv.json" "$REGION" "$1" "$2" -- "account: $1 holds $2 items"
done

# What was asked: every API once, cache nodes included, the entries of the
# two lists the security groups name (not the unused AWS-managed one).
LOG=$FAKE_LOG
for a in GetCallerIdentity DescribeReplicationGroups DescribeServerlessCaches \
         DescribeCacheSubnetGroups DescribeUsers DescribeUserGroups DescribeSnapshots \
         DescribeSecurityGroups DescribeVpcs DescribeSubnets DescribeRouteTables \
         DescribeNetworkAcls DescribeManagedPrefixLists; do
    check requests "$LOG" "$a" 1 -- "account: $a asked once"
done
check requests "$LOG" DescribeCacheClusters 1 ShowCacheNodeInfo=true -- \
    "account: DescribeCacheClusters asked once, with ShowCacheNodeInfo=true"
for pl in pl-0aa00000000000001 pl-0aa00000000000002; do
    check requests "$LOG" GetManagedPrefixListEntries 1 PrefixListId=$pl -- \
        "account: GetManagedPrefixListEntries asked once for $pl"
done
check requests "$LOG" GetManagedPrefixListEntries 0 PrefixListId=pl-63a5400a -- \
    "account: no entries asked for a prefix list no security group names"
check requests "$LOG" target:ResourceGroupsTaggingAPI_20170126.GetResources 1 -- \
    "account: the tagging API's GetResources asked once"
AWS_TEST_SECRET=$TEST_SECRET check signed "$LOG" "$TEST_AKID" -- \
    "account: every request is signed with the environment's key and verifies, no session token"
if python3 - "$LOG" <<'PY'
import json, sys
bad = [e["n"] for e in map(json.loads, open(sys.argv[1]))
       if e.get("action") and e["form"].get("Version") not in ("2015-02-02", "2016-11-15", "2011-06-15")]
sys.exit(1 if bad else 0)
PY
then pass "account: every Query/EC2 request names its API version"
else fail "account: a request lacks its API version"; fi

# ---- run: the results docs/founding-controls.md gives for this account
run_json account
if [ "$run_rc" -eq 1 ]; then pass "account: run exits 1 (failures, nothing unknown)"
else fail "account: run exits $run_rc, want 1"; sed 's/^/# /' "$T/account.run.err" | head -5; fi
check results "$T/account.run.json" "$EXPECTED" -- "account: results are the hand-decided ones"
json_is "$T/account.run.json" "d['summary']['unknown'], d['summary']['error']" "(0, 0)" \
    "account: no unknown and no error result"

# Tags (GetResources, the JSON protocol), read by a test policy
"$BIN" run "$SCEN/policies" --snapshot "$T/account.snap.json" --format json -o "$T/tags.run.json" 2>"$T/tags.err"
check results "$T/tags.run.json" "$SCEN/account-tags-expected.tsv" -- "account: the tags reach cache.tags (T-TAGS-01)"
"$BIN" run "$SCEN/policies" --snapshot "$AWSCLI" --format json -o "$T/tags-awscli.run.json" 2>"$T/tags.err"
check results "$T/tags-awscli.run.json" "$SCEN/account-tags-expected.tsv" -- "awscli folder: the same tags (T-TAGS-01)"

# ---- the same account as saved AWS CLI output
run "$BIN" run "${FOUNDING[@]}" --snapshot "$AWSCLI" --format json --now 2026-06-01T00:00:00Z -o "$T/awscli.run.json"
if [ "$rc" -eq 1 ]; then pass "awscli folder: run exits 1"; else fail "awscli folder: run exits $rc, want 1"; show; fi
check results "$T/awscli.run.json" "$EXPECTED" -- "awscli folder: results are the hand-decided ones"
if python3 - "$T/account.run.json" "$T/awscli.run.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
strip = lambda d: (d["results"], d["summary"], d["controls"])
sys.exit(0 if strip(a) == strip(b) else 1)
PY
then pass "awscli folder: same results, reasons, evidence and counts as the fetched snapshot"
else fail "awscli folder: the report differs from the fetched snapshot's"; fi
run "$BIN" inventory --snapshot "$AWSCLI" --write-snapshot "$T/awscli.snap.json"
check same-records "$T/account.snap.json" "$T/awscli.snap.json" account -- \
    "awscli folder: the fetched records are exactly what the AWS CLI printed for the same replies"

# account-awscli/ must be what the AWS CLI prints for these replies: check
# it with the CLI itself (once, in the normal build's pass: it does not
# depend on the binary, and takes seconds).
case $BIN in
    */asan/*) echo "# account-awscli/ was checked against the AWS CLI in the normal pass" ;;
    *)
        if ! command -v aws >/dev/null 2>&1; then
            pass "account-awscli/ matches the AWS CLI # skip aws is not installed"
        elif bash "$SCEN/make-awscli.sh" --check >"$T/make-awscli.out" 2>&1; then
            pass "account-awscli/ is what the AWS CLI prints for account.json's replies"
        else
            fail "account-awscli/ differs from what the AWS CLI prints (rerun tests/live/scenarios/make-awscli.sh)"
            sed 's/^/# /' "$T/make-awscli.out" | head -10
        fi ;;
esac

# ---- run without --snapshot: collected live, only what the policies read
: >"$LOG"
run "$BIN" run "${FOUNDING[@]}" --region "$REGION" --endpoint-url "$FAKE_URL" --format json \
    --now 2026-06-01T00:00:00Z -o "$T/live.run.json"
if [ "$rc" -eq 1 ]; then pass "live run: exits 1"; else fail "live run: exits $rc, want 1"; show; fi
check results "$T/live.run.json" "$EXPECTED" -- "live run: results are the hand-decided ones"
if python3 - "$T/account.run.json" "$T/live.run.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a["results"] == b["results"] else 1)
PY
then pass "live run: same results, reasons and evidence as the fetched snapshot"
else fail "live run: results differ from the fetched snapshot's"; fi
# (DescribeVpcs is: EC-NET-05's plan reads the VPC's ranges.)
for a in DescribeUsers DescribeUserGroups DescribeSnapshots DescribeNetworkAcls \
         DescribeManagedPrefixLists; do
    check requests "$LOG" "$a" 0 -- "live run: $a is not asked (no founding control reads it)"
done
check requests "$LOG" target:ResourceGroupsTaggingAPI_20170126.GetResources 0 -- \
    "live run: GetResources is not asked (no founding control reads tags)"
check requests "$LOG" DescribeSecurityGroups 1 -- "live run: DescribeSecurityGroups asked once"

# ---- two fetches of the same account write the same snapshot, whichever
# prefix list's entries come back first (docs/snapshot.md: "the same
# inventory always gives the same bytes").
stop_fakeaws
for first in 1 2; do
    other=$((3 - first))
    cat >"$T/order$first.fault.json" <<EOF
{"rules": [
 {"match": {"action": "GetManagedPrefixListEntries", "form": {"PrefixListId": "pl-0aa0000000000000$other"}},
  "response": {"body_file": "$SCEN/account/ec2.GetManagedPrefixListEntries.pl-0aa0000000000000$other.xml", "delay": 0.4}}
]}
EOF
    start_fakeaws order$first "$(scenario order$first "$T/order$first.fault.json")" || exit 0
    fetch order$first
    stop_fakeaws
done
if python3 - "$T/order1.snap.json" "$T/order2.snap.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a["regions"] == b["regions"] else 1)
PY
then pass "two fetches of one account give the same snapshot, whatever order the replies came in"
else
    fail "two fetches of one account give different snapshots: prefix_list_entries follows the order the replies came in"
    for n in 1 2; do
        echo "# fetch $n: $(json "$T/order$n.snap.json" "[i['PrefixListId'] for i in d['regions']['us-east-1']['prefix_list_entries']['items']]")"
    done
fi

# ---- a selection narrows the fetch (docs/cli.md, ecpolicy fetch): only
# what the selected controls read is asked for, the rest is recorded as
# not fetched; options that select nothing leave the whole fetch.
start_fakeaws select "$SCEN/account.json" || exit 0
expect_fetch select-only 0 --only EC-NET-04
inventory_json select-only
check status "$T/select-only.inv.json" "$REGION" network_acls missing "not fetched: no selected control reads it" \
    -- "--only EC-NET-04: the network ACLs, which it does not read, are recorded as not fetched"
check status "$T/select-only.inv.json" "$REGION" security_groups ok -- "--only EC-NET-04: its security groups are fetched"
check requests "$FAKE_LOG" DescribeNetworkAcls 0 -- "--only EC-NET-04: DescribeNetworkAcls is not called"
expect_fetch select-param 0 --param EC-IAM-05.max_age_days=30
inventory_json select-param
check status "$T/select-param.inv.json" "$REGION" tags missing "not fetched: no selected control reads it" \
    -- "--param alone selects the built-ins: the tags no built-in reads are not fetched"
expect_fetch select-none 0 --no-config --time-limit 3
inventory_json select-none
check others-ok "$T/select-none.inv.json" "$REGION" -- "--no-config and --time-limit alone select nothing: every collection is fetched"
expect_fetch select-typo 2 --only EC-NOPE
has "$T/select-typo.err" "--only EC-NOPE matches no loaded control" "a selection that matches nothing is an error, named"
stop_fakeaws

no_secret account
