#!/usr/bin/env bash
# Paging against tests/server/fakeaws.py: every item of every page
# arrives, pages are asked for in order with the tokens the server gave
# (ElastiCache Marker, ElastiCache serverless NextToken, EC2 NextToken /
# nextToken), and a failure on a later page leaves nothing that passes.
source tests/lib.sh
source tests/live/scenarios/helpers.sh
hermetic_env

EXPECTED=$SCEN/account-expected.tsv

# ---- 30 items in pages of 3 (10 pages), for each token protocol
start_fakeaws pages30 "$(scenario pages30 "$SCEN/faults/pages-30.json")" || exit 0
expect_fetch pages30 0
inventory_json pages30
check others-ok "$T/pages30.inv.json" "$REGION" -- "pages30: every collection is ok"
for c in cache_clusters serverless_caches security_groups; do
    check items "$T/pages30.inv.json" "$REGION" $c 30 -- "pages30: $c holds all 30 items"
done
json_is "$T/pages30.snap.json" "[i['CacheClusterId'] for i in d['regions']['us-east-1']['cache_clusters']['items']] == ['page-c%d' % n for n in range(1, 31)]" \
    True "pages30: the cache clusters arrive in page order, none twice"
json_is "$T/pages30.snap.json" "[i['ServerlessCacheName'] for i in d['regions']['us-east-1']['serverless_caches']['items']] == ['page-s%d' % n for n in range(1, 31)]" \
    True "pages30: the serverless caches arrive in page order, none twice"
json_is "$T/pages30.snap.json" "[i['GroupId'] for i in d['regions']['us-east-1']['security_groups']['items']] == ['sg-page%d' % n for n in range(1, 31)]" \
    True "pages30: the security groups arrive in page order, none twice"
check pages "$FAKE_LOG" DescribeCacheClusters Marker 3 30 -- \
    "pages30: DescribeCacheClusters pages 1 to 10 asked in order, each with the Marker the previous page gave"
check pages "$FAKE_LOG" DescribeServerlessCaches NextToken 3 30 -- \
    "pages30: DescribeServerlessCaches pages 1 to 10 asked in order, each with the previous NextToken"
check pages "$FAKE_LOG" DescribeSecurityGroups NextToken 3 30 -- \
    "pages30: DescribeSecurityGroups pages 1 to 10 asked in order, each with the previous nextToken"
check requests "$FAKE_LOG" DescribeCacheClusters 10 ShowCacheNodeInfo=true MaxRecords=100 -- \
    "pages30: every DescribeCacheClusters page keeps ShowCacheNodeInfo and MaxRecords"
check requests "$FAKE_LOG" DescribeSecurityGroups 10 MaxResults=1000 -- \
    "pages30: every DescribeSecurityGroups page keeps MaxResults"
stop_fakeaws
# Results: the 30 EC2-Classic Memcached clusters and the 30 serverless
# caches (private subnet, a private source on 6379, no user group).
{
    for n in $(seq 30); do
        printf 'EC-NET-01\tus-east-1\tcache_cluster\tpage-c%d\tfail\n' "$n"
        for c in EC-NET-02 EC-NET-03 EC-NET-04 EC-NET-05 EC-ENC-01 EC-IAM-03; do
            printf '%s\tus-east-1\tcache_cluster\tpage-c%d\tnot_applicable\n' "$c" "$n"
        done
        printf 'EC-ENC-03\tus-east-1\tcache_cluster\tpage-c%d\tfail\n' "$n"
        printf 'EC-ENC-04\tus-east-1\tcache_cluster\tpage-c%d\tfail\n' "$n"
        for c in EC-NET-01 EC-NET-03 EC-NET-04 EC-NET-05 EC-ENC-01 EC-ENC-03 EC-ENC-04; do
            printf '%s\tus-east-1\tserverless_cache\tpage-s%d\tpass\n' "$c" "$n"
        done
        printf 'EC-NET-02\tus-east-1\tserverless_cache\tpage-s%d\tnot_applicable\n' "$n"
        printf 'EC-IAM-03\tus-east-1\tserverless_cache\tpage-s%d\tfail\n' "$n"
    done
} >"$T/pages30.tsv"
run_json pages30
# The account's replication groups name member clusters that this
# scenario replaced: not compared here.
check results "$T/pages30.run.json" "$T/pages30.tsv" '*/replication_group/*=*' -- \
    "pages30: every cache of every page is evaluated"

# ---- the whole account in pages of 2: the same records, the same results
start_fakeaws paged2 "$(scenario paged2 --pages 2)" || exit 0
expect_fetch paged2 0
inventory_json paged2
check others-ok "$T/paged2.inv.json" "$REGION" -- "paged2: every collection is ok"
# action token items
while read -r action token count; do
    check pages "$FAKE_LOG" "$action" "$token" 2 "$count" -- \
        "paged2: $action: $(( (count + 1) / 2 )) page(s) of 2, asked in order with the right $token"
done <<'EOF'
DescribeCacheClusters Marker 11
DescribeReplicationGroups Marker 3
DescribeServerlessCaches NextToken 3
DescribeCacheSubnetGroups Marker 4
DescribeUsers Marker 4
DescribeUserGroups Marker 2
DescribeSnapshots Marker 2
DescribeSecurityGroups NextToken 9
DescribeVpcs NextToken 2
DescribeSubnets NextToken 5
DescribeRouteTables NextToken 3
DescribeNetworkAcls NextToken 2
DescribeManagedPrefixLists NextToken 3
EOF
for pl in pl-0aa00000000000001 pl-0aa00000000000002; do
    check pages "$FAKE_LOG" GetManagedPrefixListEntries NextToken 2 2 PrefixListId=$pl -- \
        "paged2: GetManagedPrefixListEntries $pl asked once (its 2 entries fit one page)"
done
run "$BIN" inventory --snapshot "$SCEN/account-awscli" --write-snapshot "$T/awscli.snap.json"
check same-records "$T/paged2.snap.json" "$T/awscli.snap.json" -- \
    "paged2: the records are those of the unpaged account (as the AWS CLI saved it), in order"
run_json paged2
check results "$T/paged2.run.json" "$EXPECTED" -- "paged2: results are the hand-decided ones"
stop_fakeaws

# ---- a failure on page 2 of 3: nothing from page 1 may pass
# (cache clusters in pages of 4: 11 items, pages at 0, 4 and 8).
start_fakeaws page2 "$(scenario page2 --pages 4 "$SCEN/faults/page2-fails.json")" || exit 0
expect_fetch page2 3 --max-attempts 2
inventory_json page2
check status "$T/page2.inv.json" "$REGION" cache_clusters error DescribeCacheClusters ServiceUnavailable \
    "after 2 attempts" -- "page2: cache_clusters is error, and says why"
check others-ok "$T/page2.inv.json" "$REGION" cache_clusters -- "page2: the other collections are ok"
check requests "$FAKE_LOG" DescribeCacheClusters 1 Marker= -- "page2: page 1 asked once"
check requests "$FAKE_LOG" DescribeCacheClusters 2 Marker=t+/=4 -- "page2: page 2 tried twice (--max-attempts 2)"
check requests "$FAKE_LOG" DescribeCacheClusters 0 Marker=t+/=8 -- "page2: page 3 is never asked for"
json_is "$T/page2.snap.json" "'items' in d['regions']['us-east-1']['cache_clusters']" False \
    "page2: the snapshot keeps no item of the failed collection"
run_json page2
if [ "$run_rc" -eq 3 ]; then pass "page2: run exits 3"; else fail "page2: run exits $run_rc, want 3"; fi
check no-pass "$T/page2.run.json" cache_cluster '*' -- "page2: no cache cluster passes anything"
check results "$T/page2.run.json" "$EXPECTED" '*/cache_cluster/*=absent' \
    'EC-NET-0*/replication_group/*=unknown' region:us-east-1 -- \
    "page2: clusters gone, groups' network controls unknown (no members), one region-level unknown per control, the rest as before"
check reasons "$T/page2.run.json" unknown "cache clusters could not be collected in us-east-1" -- \
    "page2: every unknown says the cache clusters could not be collected"
# The same, collected live by run (no snapshot in between).
: >"$FAKE_LOG"
run "$BIN" run "${FOUNDING[@]}" --region "$REGION" --endpoint-url "$FAKE_URL" --max-attempts 2 \
    --format json \
    --now 2026-06-01T00:00:00Z -o "$T/page2-live.run.json"
if [ "$rc" -eq 3 ]; then pass "page2 live run: exits 3"; else fail "page2 live run: exits $rc, want 3"; show; fi
check no-pass "$T/page2-live.run.json" cache_cluster '*' -- \
    "page2 live run: no cache cluster passes anything (the items of page 1 are not a complete list)"
check results "$T/page2-live.run.json" "$EXPECTED" '*/cache_cluster/*=absent' \
    'EC-NET-0*/replication_group/*=unknown' region:us-east-1 -- \
    "page2 live run: the same results as from the fetched snapshot"
stop_fakeaws

no_secret pages30
no_secret paged2
no_secret page2
