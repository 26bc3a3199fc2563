#!/usr/bin/env bash
# Permission faults from tests/server/fakeaws.py on top of the account of
# tests/live/scenarios/account.json: access denied on some APIs (the
# others stay ok), on one prefix list's entries, on GetCallerIdentity, and
# credentials the service refuses.  Unknown, never pass, for whatever
# needs what could not be read.
source tests/lib.sh
source tests/live/scenarios/helpers.sh
hermetic_env

EXPECTED=$SCEN/account-expected.tsv

# ---- ElastiCache AccessDenied on DescribeCacheClusters, EC2
# UnauthorizedOperation on DescribeSubnets
fault denied 3 || exit 0
check status "$T/denied.inv.json" "$REGION" cache_clusters access_denied \
    "DescribeCacheClusters: AccessDenied" "not authorized to perform: elasticache:DescribeCacheClusters" -- \
    "denied: cache_clusters is access_denied, with AWS's message"
check status "$T/denied.inv.json" "$REGION" subnets access_denied "DescribeSubnets: UnauthorizedOperation" -- \
    "denied: subnets is access_denied, with AWS's message"
check others-ok "$T/denied.inv.json" "$REGION" cache_clusters subnets -- "denied: the other collections are ok"
check requests "$FAKE_LOG" DescribeCacheClusters 1 -- "denied: AccessDenied is not retried"
check requests "$FAKE_LOG" DescribeSubnets 1 -- "denied: UnauthorizedOperation is not retried"
run_exits denied 3
# Standalone clusters are not listed; a replication group's placement and
# groups come from its member clusters; a serverless cache's VPC comes
# from its subnets (sl-no-user-group's public subnet is explicitly
# associated, so a fail there may stand).
check results "$T/denied.run.json" "$EXPECTED" '*/cache_cluster/*=absent' \
    'EC-NET-0*/replication_group/*=unknown' 'EC-NET-03/serverless_cache/*=unknown' \
    'EC-NET-03/serverless_cache/sl-no-user-group=unknown|fail' region:us-east-1 -- \
    "denied: clusters gone, groups' network controls and serverless EC-NET-03 unknown, one region-level unknown per control, the rest as before"
check reasons "$T/denied.run.json" unknown "access was denied" -- "denied: every unknown says access was denied"
stop_fakeaws

# ---- GetManagedPrefixListEntries denied for one of the two lists
fault entries-fail 3 || exit 0
check status "$T/entries-fail.inv.json" "$REGION" prefix_list_entries access_denied \
    "GetManagedPrefixListEntries pl-0aa00000000000001: UnauthorizedOperation" -- \
    "entries-fail: prefix_list_entries is access_denied and names the list"
check others-ok "$T/entries-fail.inv.json" "$REGION" prefix_list_entries -- \
    "entries-fail: the other collections are ok (security groups included)"
check requests "$FAKE_LOG" GetManagedPrefixListEntries 1 PrefixListId=pl-0aa00000000000001 -- \
    "entries-fail: the denied list asked once"
run_exits entries-fail 3
# rc-office's group takes 6379 from pl-...01 (its public entry fails
# EC-NET-04 when known); rg-orders's from pl-...02, which was read.
check results "$T/entries-fail.run.json" "$EXPECTED" 'EC-NET-04/cache_cluster/rc-office=unknown' \
    'EC-NET-04/replication_group/rg-orders=unknown|pass' -- \
    "entries-fail: EC-NET-04 unknown for the cache whose rule uses the list, the rest as before"
check reasons "$T/entries-fail.run.json" unknown "prefix list entries could not be collected" -- \
    "entries-fail: the unknown says the prefix list entries could not be collected"
stop_fakeaws

# ---- GetCallerIdentity denied: the data is complete, the account unknown
fault sts-denied 0 || exit 0
has "$T/sts-denied.err" "the account id is not known: GetCallerIdentity: AccessDenied" \
    "sts-denied: a warning says the account id is not known, and why"
check others-ok "$T/sts-denied.inv.json" "$REGION" -- "sts-denied: every collection is ok"
json_is "$T/sts-denied.snap.json" "d['account']" None "sts-denied: the snapshot has no account"
run_exits sts-denied 1
check results "$T/sts-denied.run.json" "$EXPECTED" -- "sts-denied: results are the hand-decided ones"
stop_fakeaws

# ---- credentials the service refuses (InvalidClientTokenId, EC2's
# AuthFailure): said once, every collection fails, nothing passes
fault rejected 3 || exit 0
n=$(grep -c "AWS refused the credentials" "$T/rejected.err")
if [ "$n" -eq 1 ]; then pass "rejected: the refusal is said once on stderr"
else fail "rejected: the refusal is said $n times on stderr, want once"; sed 's/^/# /' "$T/rejected.err" | head -5; fi
has "$T/rejected.err" "environment variables" "rejected: stderr names where the credentials came from"
if python3 - "$T/rejected.inv.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if all(c["status"] != "ok" for r in d["regions"] for c in r["collections"]) else 1)
PY
then pass "rejected: no collection is ok"; else fail "rejected: some collection is ok"; fi
check status "$T/rejected.inv.json" "$REGION" cache_clusters error "InvalidClientTokenId" -- \
    "rejected: cache_clusters says InvalidClientTokenId"
check status "$T/rejected.inv.json" "$REGION" security_groups error "AuthFailure" -- \
    "rejected: security_groups says AuthFailure"
run_exits rejected 3
check results "$T/rejected.run.json" "$EXPECTED" '*/*/*=absent' region:us-east-1 -- \
    "rejected: one region-level unknown per control and nothing else"
stop_fakeaws

# ---- the tagging API (JSON protocol): ThrottlingException, then
# AccessDeniedException (a JSON error with a namespaced __type)
fault tags-fail 3 || exit 0
check status "$T/tags-fail.inv.json" "$REGION" tags access_denied "GetResources: AccessDeniedException" \
    "not authorized to perform: tag:GetResources" -- "tags-fail: tags is access_denied, with the JSON error's code and message"
check others-ok "$T/tags-fail.inv.json" "$REGION" tags -- "tags-fail: the other collections are ok"
check requests "$FAKE_LOG" target:ResourceGroupsTaggingAPI_20170126.GetResources 2 -- \
    "tags-fail: GetResources retried after ThrottlingException, not after AccessDeniedException"
run_exits tags-fail 1
check results "$T/tags-fail.run.json" "$EXPECTED" -- "tags-fail: the built-in results are the hand-decided ones (none reads tags)"
"$BIN" run "$SCEN/policies" --snapshot "$T/tags-fail.snap.json" --format json -o "$T/tags-fail.tags.json" 2>/dev/null
check results "$T/tags-fail.tags.json" "$SCEN/account-tags-expected.tsv" 'T-TAGS-01/*/*=unknown' -- \
    "tags-fail: a policy that reads cache.tags is unknown for every cache"
stop_fakeaws

for n in denied entries-fail sts-denied rejected tags-fail; do
    no_secret "$n"
done
