# ecpolicy plan: remediation plans as text, JSON and shell scripts, and what
# happens when a policy's remediate fails or returns something bad.
source tests/lib.sh
GOOD=tests/cli/data/good
PP=tests/cli/policies/plans

expect_exit 0 "plan --help" "$BIN" plan --help
has "$OUT" "usage: ecpolicy plan" "the help says how to call it"
expect_exit 0 "ecpolicy help plan" "$BIN" help plan
has "$OUT" "--backout" "the help names --backout"

expect_exit 0 "plans print, exit 0 (a plan is not a gate)" "$BIN" plan $PP/good.lua --snapshot $GOOD --color never
has "$OUT" "T-PLAN-GOOD (high) replication_group orders (us-east-1): always" "the finding, its resource and reason"
has "$OUT" "plan: Two steps [in place]" "the summary and kind"
has "$OUT" "before: [met] met one" "a precondition the policy could check"
has "$OUT" "before: [check] to check" "a precondition to check by hand"
has "$OUT" "warning: a warning" "the warnings"
has "$OUT" "aws elasticache modify-replication-group --replication-group-id orders --apply-immediately --snapshot-retention-limit 14 --region us-east-1" "the step's command, identifier first, with the resource's region"
has "$OUT" "then aws elasticache wait replication-group-available --replication-group-id orders --region us-east-1" "the wait that follows it"
has "$OUT" "backout: aws elasticache modify-replication-group --replication-group-id orders --apply-immediately --snapshot-retention-limit 7 --region us-east-1" "the backout restores the value the inventory had"
has "$OUT" "--ip-permissions '[{\"FromPort\":6379,\"IpProtocol\":\"tcp\",\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}],\"ToPort\":6379}]'" "a structure is one JSON word, quoted for the shell"
has "$OUT" "'\\''s back" "a quote inside a word is escaped for the shell"
has "$OUT" "1 finding: 1 with a plan (1 in place, 0 migrations), 0 without, 0 plan errors" "the counts"

expect_exit 0 "plan --format json" "$BIN" plan $PP/good.lua --snapshot $GOOD --format json
cp "$OUT" "$T/good.json"
json_is "$T/good.json" "d['schema']" "ecpolicy-plans/1" "the JSON names its schema"
json_is "$T/good.json" "[p['plan_status'] for p in d['plans']]" "['planned']" "one finding, planned"
json_is "$T/good.json" "d['plans'][0]['plan']['kind']" "in_place" "the plan's kind"
json_is "$T/good.json" "d['plans'][0]['plan']['steps'][0]['region']" "us-east-1" "each API step has its region"
json_is "$T/good.json" "d['plans'][0]['plan']['steps'][1]['cli'][:3]" "['aws', 'ec2', 'revoke-security-group-ingress']" "each API step has its command as words"
json_is "$T/good.json" "d['summary']" "{'findings': 1, 'planned': 1, 'in_place': 1, 'migration': 0, 'no_plan': 0, 'errors': 0, 'incomplete_results': 0}" "the JSON summary"
if python3 -c "import awscli, botocore" 2>/dev/null; then
    if python3 tests/fixtures/check-plans.py "$T/good.json" >"$T/check.out" 2>&1; then
        pass "every command parses with the aws CLI into the step's action and parameters"
    else
        fail "the plan does not match the AWS models or the aws CLI"; sed 's/^/# /' "$T/check.out"
    fi
else
    echo "ok - every command parses with the aws CLI # skip the aws CLI is not installed"
fi

# The shell form, run with a stand-in aws that logs its arguments.
mkdir -p "$T/bin"
cat >"$T/bin/aws" <<'SH'
#!/bin/sh
echo "$*" >>"$AWS_LOG"
SH
chmod +x "$T/bin/aws"
expect_exit 0 "plan --format shell" "$BIN" plan $PP/good.lua --snapshot $GOOD --format shell -o "$T/plan.sh"
if bash -n "$T/plan.sh"; then pass "the script is valid bash"; else fail "the script does not parse"; fi
AWS_LOG=$T/aws.log PATH=$T/bin:$PATH bash "$T/plan.sh" >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" -eq 0 ]; then pass "the script runs"; else fail "the script exits $rc"; show; fi
if [ "$(cut -d' ' -f1-3 "$T/aws.log" | tr '\n' '|')" = "elasticache modify-replication-group --replication-group-id|elasticache wait replication-group-available|ec2 revoke-security-group-ingress --group-id|" ]; then
    pass "the script makes the calls in the plan's order, waits included"
else
    fail "the script made: $(tr '\n' '|' <"$T/aws.log")"
fi
expect_exit 0 "plan --format shell --backout" "$BIN" plan $PP/good.lua --snapshot $GOOD --format shell --backout -o "$T/backout.sh"
rm -f "$T/aws.log"
AWS_LOG=$T/aws.log PATH=$T/bin:$PATH bash "$T/backout.sh" >"$OUT" 2>"$ERR"
if [ "$(cut -d' ' -f1-2 "$T/aws.log" | tr '\n' '|')" = "ec2 authorize-security-group-ingress|elasticache modify-replication-group|elasticache wait|" ]; then
    pass "the backout script undoes the last step first"
else
    fail "the backout script made: $(tr '\n' '|' <"$T/aws.log")"
fi
has "$T/backout.sh" "--snapshot-retention-limit 7" "the backout restores the old value"
has "$T/backout.sh" "it'\\''s back" "a quote inside a word is escaped in the script"
rm -f "$T/aws.log"
AWS_LOG=$T/aws.log PATH=$T/bin:$PATH bash "$T/plan.sh" plan_9 >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "no such plan: plan_9" "$ERR" && [ ! -e "$T/aws.log" ]; then
    pass "naming a plan that is not there stops before any call"
else
    fail "plan_9: exit $rc"; show
fi
rm -f "$T/aws.log"
AWS_LOG=$T/aws.log PATH=$T/bin:$PATH bash "$T/plan.sh" plan_1 plan_9 >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "no such plan: plan_9" "$ERR" && [ ! -e "$T/aws.log" ]; then
    pass "a bad name after a good one stops before the good one's calls"
else
    fail "plan_1 plan_9: exit $rc"; show
fi

expect_exit 0 "a migration with a manual step" "$BIN" plan $PP/manual.lua --snapshot $GOOD --format shell -o "$T/manual.sh"
rm -f "$T/aws.log"
AWS_LOG=$T/aws.log PATH=$T/bin:$PATH setsid bash "$T/manual.sh" </dev/null >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" -ne 0 ] && [ "$(wc -l <"$T/aws.log")" -eq 1 ]; then
    pass "without a terminal to confirm on, the script stops at the manual step"
else
    fail "the manual step did not stop the script (exit $rc)"; show
fi
expect_exit 0 "manual steps in text" "$BIN" plan $PP/manual.lua --snapshot $GOOD --color never
has "$OUT" "[migration: new resources, clients move]" "a migration says so"
has "$OUT" "2. Move the clients (by hand)" "a manual step says so"
has "$OUT" "backout: (by hand) Point every client at the old endpoint." "a manual backout"

expect_exit 3 "remediate raising an error: exit 3" "$BIN" plan $PP/raises.lua --snapshot $GOOD --color never
has "$OUT" "no plan: remediate failed:" "the error is reported with the finding"
has "$OUT" "raises.lua:4: boom" "with the file and line"
has "$OUT" "1 plan error" "and counted"
# A remediate stopped by a limit: its finding keeps its result, the next
# checks run as usual, and remediate is not called again.
for limit in "memory --memory-limit 16" "time --time-limit 0.3"; do
    set -- $limit
    expect_exit 3 "remediate past its $1 limit" "$BIN" plan $PP/$([ $1 = memory ] && echo bloats || echo loops).lua \
        --snapshot examples/demo --format json $2 $3
    json_is "$OUT" "(len(d['plans']), set(p['reason'] for p in d['plans']))" "(8, {'always'})" \
        "every cache still fails its check, the ones after the stopped remediate too"
    json_is "$OUT" "d['plans'][0]['plan_error'].startswith('remediate was stopped: the $1 limit was exceeded')" "True" "the first says why"
    json_is "$OUT" "set(p['plan_error'] for p in d['plans'][1:])" \
        "{'remediate was not called: it was stopped when it exceeded its $1 limit on replication_group eu-checkout-sessions'}" \
        "the others are not made to wait out the limit again"
done
expect_exit 3 "a plan without a backout" "$BIN" plan $PP/no-backout.lua --snapshot $GOOD --format json
json_is "$OUT" "d['plans'][0]['plan_error']" "remediate returned a bad plan: steps[1]: needs a backout (the step that undoes it) or no_backout (why nothing needs undoing)" "names the step and what it lacks"
json_is "$OUT" "d['plans'][0]['plan_status']" "error" "its status is error"
expect_exit 3 "a plan holding a function" "$BIN" plan $PP/not-data.lua --snapshot $GOOD --format json
json_is "$OUT" "d['plans'][0]['plan_error'].startswith('remediate returned a plan that is not data: plan.steps[1].title')" "True" "names where the function is"
cp -r $GOOD "$T/no-users"
rm "$T/no-users/us-east-1/describe-users.json"
expect_exit 3 "remediate reading missing data" "$BIN" plan $PP/missing.lua --snapshot "$T/no-users" --format json
json_is "$OUT" "d['plans'][0]['plan_error'].startswith('remediate needs data that is not available')" "True" "says the data is missing"
expect_exit 0 "remediate offering no plan" "$BIN" plan $PP/none.lua --snapshot $GOOD --format json
json_is "$OUT" "(d['plans'][0]['plan_status'], d['plans'][0]['no_plan_reason'])" "('no_plan', 'the control offers no plan for this resource')" "no plan, and why"
expect_exit 0 "remediate saying why it offers no plan" "$BIN" plan $PP/note.lua --snapshot $GOOD --color never
has "$OUT" "no plan: set EC-ENC-01.kms_key_id to get a plan" "the reason it gave is shown"
expect_exit 0 "a control without remediate" "$BIN" plan $PP/no-remediate.lua --snapshot $GOOD --format json
json_is "$OUT" "d['plans'][0]['plan_status']" "no_remediate" "no remediate function"

expect_exit 0 "--fail-on above the findings: nothing to plan" "$BIN" plan $PP/good.lua --snapshot $GOOD --fail-on critical --format json
json_is "$OUT" "len(d['plans'])" "0" "no plans below the threshold"
expect_exit 2 "--backout needs --format shell" "$BIN" plan $PP/good.lua --snapshot $GOOD --backout
has "$ERR" "--backout goes with --format shell" "says so"
expect_exit 2 "run has no shell format" "$BIN" run --snapshot $GOOD --format shell
has "$ERR" "--format is text or json, not 'shell'" "run's formats"
expect_exit 0 "plan -o FILE" "$BIN" plan $PP/good.lua --snapshot $GOOD -o "$T/plans.txt"
has "$T/plans.txt" "plan: Two steps" "the file holds the plans"
