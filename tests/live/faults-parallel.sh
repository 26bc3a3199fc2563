#!/usr/bin/env bash
# Concurrency against tests/server/fakeaws.py, which logs how many
# requests were in flight when each arrived: --max-parallel is a ceiling
# that is reached, one connection is kept and reused, and the regions of
# one fetch are collected at the same time, not one after the other.
source tests/lib.sh
source tests/live/scenarios/helpers.sh
hermetic_env

EXPECTED=$SCEN/account-expected.tsv
DELAY=0.3

# inflight LOG: "max_in_flight connections requests" over the whole log.
inflight() {
    python3 - "$1" <<'PY'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
print(max(e["in_flight"] for e in log), max(e["connections"] for e in log), len(log))
PY
}

# Every reply takes $DELAY seconds, so calls that run at once overlap.
for mp in 1 2 5; do
    start_fakeaws mp$mp "$(scenario mp$mp --delay $DELAY)" || exit 0
    expect_fetch mp$mp 0 --max-parallel $mp
    read -r most conns total < <(inflight "$FAKE_LOG")
    if [ "$most" -eq "$mp" ]; then
        pass "--max-parallel $mp: at most $mp requests in flight, and $mp reached ($total requests)"
    else
        fail "--max-parallel $mp: $most requests were in flight at once, want exactly $mp"
    fi
    if [ "$conns" -le "$mp" ]; then
        pass "--max-parallel $mp: $conns connection(s) for $total requests (kept alive and reused)"
    else
        fail "--max-parallel $mp: $conns connections for $total requests, want at most $mp"
    fi
    stop_fakeaws
done
inventory_json mp1
check others-ok "$T/mp1.inv.json" "$REGION" -- "--max-parallel 1: every collection is ok"
run_json mp1
check results "$T/mp1.run.json" "$EXPECTED" -- "--max-parallel 1: results are the hand-decided ones"

# ---- two regions at once (the same account served for both)
REGION2=eu-west-1
start_fakeaws regions "$(scenario regions --delay 0.5)" || exit 0
"$BIN" fetch -o "$T/regions.snap.json" --region "$REGION" --region "$REGION2" \
    --endpoint-url "$FAKE_URL" --max-parallel 64 >"$T/regions.out" 2>"$T/regions.err"
rc=$?
if [ "$rc" -eq 0 ]; then pass "regions: fetch of two regions exits 0"
else fail "regions: fetch exits $rc, want 0"; OUT=$T/regions.out ERR=$T/regions.err show; fi
inventory_json regions
check others-ok "$T/regions.inv.json" "$REGION" -- "regions: every collection of $REGION is ok"
check others-ok "$T/regions.inv.json" "$REGION2" -- "regions: every collection of $REGION2 is ok"
if python3 - "$FAKE_LOG" "$REGION" "$REGION2" <<'PY'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
a = [e["time"] for e in log if e["region"] == sys.argv[2]]
b = [e["time"] for e in log if e["region"] == sys.argv[3]]
# Each reply takes 0.5 s: a request of one region that arrives while a
# request of the other is being answered ran at the same time as it.  Both
# ways: whichever region's first wave goes out first, the other's lands
# inside it (one way only, a first wave sent a moment earlier was missed
# and the count rested on a few milliseconds of the second wave).
def during(xs, ys):
    return sum(1 for t in xs if any(s <= t < s + 0.5 for s in ys))
overlap = during(b, a) + during(a, b)
print(f"# {overlap} of {len(a) + len(b)} requests arrived while one of the other region was in flight")
# Regions collected one after the other would overlap nowhere.
sys.exit(0 if overlap >= 3 else 1)
PY
then pass "regions: the two regions' requests are in flight at the same time"
else fail "regions: the regions were collected one after the other"; fi
if python3 - "$FAKE_LOG" "$REGION" "$REGION2" <<'PY'
import json, sys, collections
log = [json.loads(l) for l in open(sys.argv[1])]
n = collections.Counter((e["region"], e["action"]) for e in log if e["action"])
ok = all(n[(r, "DescribeCacheClusters")] == 1 and n[(r, "DescribeSecurityGroups")] == 1
         for r in sys.argv[2:4])
ok = ok and n[(sys.argv[2], "GetCallerIdentity")] + n[(sys.argv[3], "GetCallerIdentity")] == 1
sys.exit(0 if ok else 1)
PY
then pass "regions: each region's APIs are asked once, signed for their region; GetCallerIdentity once"
else fail "regions: the requests per region are not what they should be"; fi
{
    grep -v '^#' "$EXPECTED"
    grep -v '^#' "$EXPECTED" | sed "s/\t$REGION\t/\t$REGION2\t/"
} >"$T/regions.tsv"
run_json regions
check results "$T/regions.run.json" "$T/regions.tsv" -- "regions: the same results in both regions"
stop_fakeaws

for n in mp1 mp2 mp5 regions; do
    no_secret "$n"
done
