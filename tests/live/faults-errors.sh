#!/usr/bin/env bash
# Transport and service faults from tests/server/fakeaws.py on top of the
# account of tests/live/scenarios/account.json: throttling, 5xx, slow,
# truncated, reset and malformed replies.  Each: the exit code, the
# collection's status and message, the attempts the server saw, the
# results (unknown, never pass, for what needs the collection; the rest
# as docs/founding-controls.md gives it), and no secret in any output.
source tests/lib.sh
source tests/live/scenarios/helpers.sh
hermetic_env

EXPECTED=$SCEN/account-expected.tsv

# ---- throttled, then served: retried, everything arrives
fault throttle-then-ok 0 -v || exit 0
check others-ok "$T/throttle-then-ok.inv.json" "$REGION" -- "throttle-then-ok: every collection is ok"
check requests "$FAKE_LOG" DescribeCacheClusters 3 -- \
    "throttle-then-ok: DescribeCacheClusters: 2 Throttling replies, then served (3 requests)"
check requests "$FAKE_LOG" DescribeSecurityGroups 2 -- \
    "throttle-then-ok: DescribeSecurityGroups: RequestLimitExceeded (503), then served (2 requests)"
has "$T/throttle-then-ok.err" "DescribeCacheClusters: ok, HTTP 200, 3 attempts" \
    "throttle-then-ok: -v says DescribeCacheClusters took 3 attempts"
check items "$T/throttle-then-ok.inv.json" "$REGION" cache_clusters 11 -- "throttle-then-ok: all 11 cache clusters"
run_exits throttle-then-ok 1
check results "$T/throttle-then-ok.run.json" "$EXPECTED" -- "throttle-then-ok: results are the hand-decided ones"
stop_fakeaws

# ---- throttled until the attempts run out (--max-attempts 2), EC2 (503
# RequestLimitExceeded) and ElastiCache (400 Throttling)
fault throttle-forever 3 --max-attempts 2 || exit 0
check status "$T/throttle-forever.inv.json" "$REGION" security_groups throttled \
    "DescribeSecurityGroups: RequestLimitExceeded" "after 2 attempts" -- \
    "throttle-forever: security_groups is throttled, with the code and the attempts"
check status "$T/throttle-forever.inv.json" "$REGION" cache_subnet_groups throttled \
    "DescribeCacheSubnetGroups: Throttling: Rate exceeded" "after 2 attempts" -- \
    "throttle-forever: cache_subnet_groups is throttled, with the code and the attempts"
check status "$T/throttle-forever.inv.json" "$REGION" prefix_list_entries missing "security groups could not be read" -- \
    "throttle-forever: prefix_list_entries is missing: its lists come from the security groups"
check others-ok "$T/throttle-forever.inv.json" "$REGION" security_groups cache_subnet_groups prefix_list_entries -- \
    "throttle-forever: the other collections are ok"
check requests "$FAKE_LOG" DescribeSecurityGroups 2 -- "throttle-forever: DescribeSecurityGroups asked exactly 2 times"
check requests "$FAKE_LOG" DescribeCacheSubnetGroups 2 -- "throttle-forever: DescribeCacheSubnetGroups asked exactly 2 times"
check requests "$FAKE_LOG" GetManagedPrefixListEntries 0 -- "throttle-forever: no prefix list entries asked"
run_exits throttle-forever 3
check results "$T/throttle-forever.run.json" "$EXPECTED" 'EC-NET-0[45]/*/*=unknown' \
    'EC-NET-03/cache_cluster/*=unknown' 'EC-NET-03/replication_group/*=unknown' -- \
    "throttle-forever: EC-NET-04/05 unknown (and EC-NET-03 but for serverless caches), the rest as before"
check reasons "$T/throttle-forever.run.json" unknown "the API kept throttling" -- \
    "throttle-forever: every unknown says the API kept throttling"
stop_fakeaws

# ---- a clock an hour slow: the server's RequestTimeTooSkewed and its Date
# header correct the signing clock, and the request is sent again
# (call.c); the next signed time is the server's, not the local one.
ahead=$(date -u -d '+1 hour' '+%a, %d %b %Y %H:%M:%S GMT')
cat >"$T/skewed.fault.json" <<EOF
{"rules": [
 {"match": {"action": "DescribeCacheClusters"},
  "responses": [
   {"status": 403, "error": {"code": "RequestTimeTooSkewed",
    "message": "The difference between the request time and the current time is too large."},
    "headers": {"Date": "$ahead"}},
   {"body_file": "$SCEN/account/elasticache.DescribeCacheClusters.xml"}]}
]}
EOF
start_fakeaws skewed "$(scenario skewed "$T/skewed.fault.json")" || exit 0
expect_fetch skewed 0
inventory_json skewed
check others-ok "$T/skewed.inv.json" "$REGION" -- "skewed: every collection is ok"
check requests "$FAKE_LOG" DescribeCacheClusters 2 -- "skewed: DescribeCacheClusters: too skewed, then served (2 requests)"
if python3 - "$FAKE_LOG" <<'PY'
import datetime, json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
dates = [e["headers"]["x-amz-date"] for e in log if e.get("action") == "DescribeCacheClusters"]
t = [datetime.datetime.strptime(d, "%Y%m%dT%H%M%SZ") for d in dates]
shift = (t[1] - t[0]).total_seconds()
print(f"# the retry was signed {shift:.0f} s after the first request")
sys.exit(0 if 3300 <= shift <= 3900 else 1)
PY
then pass "skewed: the retry is signed with the server's clock, an hour ahead"
else fail "skewed: the retry was not signed with the server's clock"; fi
stop_fakeaws

# ---- a reply that parses but does not hold what the model needs (a user
# without its UserId): malformed too, not retried, the others stand
fault shape 3 || exit 0
check status "$T/shape.inv.json" "$REGION" users malformed DescribeUsers "UserId is missing" -- \
    "shape: users is malformed, and says which item lacks what"
check others-ok "$T/shape.inv.json" "$REGION" users -- "shape: the other collections are ok"
check requests "$FAKE_LOG" DescribeUsers 1 -- "shape: not retried (the same reply would come back)"
stop_fakeaws

# ---- 5xx, then served
fault 5xx-then-ok 0 || exit 0
check others-ok "$T/5xx-then-ok.inv.json" "$REGION" -- "5xx-then-ok: every collection is ok"
check requests "$FAKE_LOG" DescribeRouteTables 2 -- "5xx-then-ok: DescribeRouteTables: 500 InternalError, then served"
check requests "$FAKE_LOG" DescribeReplicationGroups 2 -- "5xx-then-ok: DescribeReplicationGroups: a bare 503, then served"
run_exits 5xx-then-ok 1
check results "$T/5xx-then-ok.run.json" "$EXPECTED" -- "5xx-then-ok: results are the hand-decided ones"
stop_fakeaws

# ---- 5xx forever
fault 5xx-forever 3 || exit 0
check status "$T/5xx-forever.inv.json" "$REGION" route_tables error "DescribeRouteTables: InternalError" \
    "after 3 attempts" -- "5xx-forever: route_tables is error, with the code and the 3 attempts"
check others-ok "$T/5xx-forever.inv.json" "$REGION" route_tables -- "5xx-forever: the other collections are ok"
check requests "$FAKE_LOG" DescribeRouteTables 3 -- "5xx-forever: DescribeRouteTables asked 3 times (the default attempts)"
run_exits 5xx-forever 3
check results "$T/5xx-forever.run.json" "$EXPECTED" 'EC-NET-03/*/*=unknown' -- \
    "5xx-forever: EC-NET-03 unknown, the rest as before"
check reasons "$T/5xx-forever.run.json" unknown "route tables could not be collected in us-east-1" -- \
    "5xx-forever: every unknown names the route tables"
stop_fakeaws

# ---- a reply slower than --request-timeout
fault slow 3 --request-timeout 1 --max-attempts 2 || exit 0
check status "$T/slow.inv.json" "$REGION" cache_subnet_groups timeout DescribeCacheSubnetGroups "after 2 attempts" -- \
    "slow: cache_subnet_groups is timeout, after 2 attempts"
check others-ok "$T/slow.inv.json" "$REGION" cache_subnet_groups -- "slow: the other collections are ok"
check requests "$FAKE_LOG" DescribeCacheSubnetGroups 2 -- "slow: DescribeCacheSubnetGroups asked 2 times"
if [ "$FETCH_MS" -lt 7000 ]; then
    pass "slow: the fetch gave up on time (${FETCH_MS} ms; each reply takes 4 s)"
else
    fail "slow: the fetch took ${FETCH_MS} ms: --request-timeout 1 was not applied"
fi
run_exits slow 3
check results "$T/slow.run.json" "$EXPECTED" 'EC-NET-03/cache_cluster/*=unknown' \
    'EC-NET-03/replication_group/*=unknown' -- \
    "slow: EC-NET-03 unknown for clusters and groups (their subnets come from the subnet group), the rest as before"
check reasons "$T/slow.run.json" unknown "the API timed out" -- "slow: every unknown says the API timed out"
stop_fakeaws

# ---- a truncated body (full Content-Length, fewer bytes, then close)
fault truncated 3 || exit 0
check status "$T/truncated.inv.json" "$REGION" replication_groups error DescribeReplicationGroups "after 3 attempts" -- \
    "truncated: replication_groups is error, after 3 attempts"
check status "$T/truncated.inv.json" "$REGION" users ok -- "truncated: users, truncated once, is ok"
check others-ok "$T/truncated.inv.json" "$REGION" replication_groups -- "truncated: the other collections are ok"
check requests "$FAKE_LOG" DescribeReplicationGroups 3 -- "truncated: DescribeReplicationGroups asked 3 times"
check requests "$FAKE_LOG" DescribeUsers 2 -- "truncated: DescribeUsers asked again after its truncated reply"
run_exits truncated 3
check results "$T/truncated.run.json" "$EXPECTED" '*/replication_group/*=absent' region:us-east-1 -- \
    "truncated: no replication group, one region-level unknown per control, the rest as before"
check reasons "$T/truncated.run.json" unknown "replication groups could not be collected in us-east-1" -- \
    "truncated: every unknown names the replication groups"
stop_fakeaws

# ---- a 200 reply that is not well-formed XML
fault malformed 3 || exit 0
check status "$T/malformed.inv.json" "$REGION" serverless_caches malformed DescribeServerlessCaches "does not parse" -- \
    "malformed: serverless_caches is malformed, and says where"
check others-ok "$T/malformed.inv.json" "$REGION" serverless_caches -- "malformed: the other collections are ok"
check requests "$FAKE_LOG" DescribeServerlessCaches 1 -- "malformed: not retried (the same reply would come back)"
run_exits malformed 3
check results "$T/malformed.run.json" "$EXPECTED" '*/serverless_cache/*=absent' region:us-east-1 -- \
    "malformed: no serverless cache, one region-level unknown per control, the rest as before"
check reasons "$T/malformed.run.json" unknown "the reply was malformed" -- "malformed: every unknown says the reply was malformed"
stop_fakeaws

# ---- connections reset (RST, no reply), a reply with Connection: close,
# and a chunked reply
fault reset 3 --max-attempts 2 || exit 0
check status "$T/reset.inv.json" "$REGION" vpcs error DescribeVpcs "reset" "after 2 attempts" -- \
    "reset: vpcs is error (connection reset), after 2 attempts"
check others-ok "$T/reset.inv.json" "$REGION" vpcs -- "reset: the other collections are ok (reset once, then chunked; Connection: close)"
check requests "$FAKE_LOG" DescribeSnapshots 2 -- "reset: DescribeSnapshots asked again after the reset"
# aws/http.h: a retry always opens a new connection, so a pool of
# connections the server dropped cannot multiply the attempts.  Two
# attempts: at most 4 requests (libcurl may resend the first once).
python3 - "$FAKE_LOG" <<'PY' >"$T/reset.count"
import json, sys
print(sum(1 for l in open(sys.argv[1]) if json.loads(l).get("action") == "DescribeVpcs"))
PY
n=$(cat "$T/reset.count")
if [ "$n" -le 4 ]; then
    pass "reset: --max-attempts 2 sent DescribeVpcs at most 4 times ($n)"
else
    fail "reset: --max-attempts 2 sent DescribeVpcs $n times (aws/http.h: retries open new connections)"
fi
run_exits reset 1
check results "$T/reset.run.json" "$EXPECTED" -- "reset: results are the hand-decided ones (no control reads VPCs)"
stop_fakeaws

for n in throttle-then-ok throttle-forever 5xx-then-ok 5xx-forever slow truncated malformed reset; do
    no_secret "$n"
done
