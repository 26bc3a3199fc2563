# ecpolicy run: exit codes, formats, selection and parameters.
source tests/lib.sh
GOOD=tests/cli/data/good
FIX=tests/fixtures/awscli
# The good account has one cache and one snapshot: one result per control.
# The counts come from the policy files, not from ecpolicy: --only must not
# be both what is tested and what decides the expected answer.
NCTL=$(ls policies/*.lua | wc -l)
ENC=$(python3 -c 'import glob, os; print(sorted(os.path.basename(f)[:-4] for f in glob.glob("policies/EC-ENC-*.lua")))')
NENC=$(python3 -c "print(len($ENC))")

expect_exit 1 "a finding at or above --fail-on exits 1" "$BIN" run --snapshot $GOOD
has "$OUT" "EC-NET-04" "the text report names the failing control"
has "$OUT" "Summary: $NCTL results" "the text report ends with the counts"
expect_exit 0 "--fail-on critical ignores high findings" \
    "$BIN" run --snapshot $GOOD --fail-on critical
expect_exit 0 "--fail-on none never exits 1" "$BIN" run --snapshot $GOOD --fail-on none
expect_exit 1 "--fail-on high keeps high findings" "$BIN" run --snapshot $GOOD --fail-on high
expect_exit 2 "--fail-on must be a severity" "$BIN" run --snapshot $GOOD --fail-on severe
has "$ERR" "--fail-on is info, low, medium, high, critical or none" "the bad severity is explained"

expect_exit 0 "a trusted partner CIDR passes through --param" \
    "$BIN" run --snapshot $GOOD --only EC-NET-04 --param EC-NET-04.trusted_cidrs=203.0.113.0/24
expect_exit 0 "a list parameter takes several values" \
    "$BIN" run --snapshot $GOOD --only EC-NET-04 --param "EC-NET-04.trusted_cidrs=198.51.100.0/24, 203.0.113.0/24"
expect_exit 2 "an unknown parameter is an error" \
    "$BIN" run --snapshot $GOOD --param EC-NET-04.trusted=1.2.3.4/32
has "$ERR" "has no parameter 'trusted' (it has: trusted_cidrs)" "the error lists the real parameters"
expect_exit 2 "a parameter of an unknown control is an error" \
    "$BIN" run --snapshot $GOOD --param EC-NOPE.x=1
expect_exit 2 "a malformed --param is an error" "$BIN" run --snapshot $GOOD --param nodot
has "$ERR" "expected CONTROL.NAME=VALUE" "the expected form is shown"

expect_exit 0 "--only limits the controls" "$BIN" run --snapshot $GOOD --only 'EC-ENC-*' --format json
json_is "$OUT" "len(d['controls'])" "$NENC" "--only 'EC-ENC-*' runs the $NENC encryption controls"
json_is "$OUT" "sorted(set(r['control'] for r in d['results']))" "$ENC" "only their results are reported"
expect_exit 0 "--skip removes a control" "$BIN" run --snapshot $GOOD --only EC-NET-04 --only EC-NET-05 --skip EC-NET-04 --format json
json_is "$OUT" "[c['id'] for c in d['controls']]" "['EC-NET-05']" "--skip EC-NET-04 leaves the other control"
expect_exit 2 "--only that matches nothing is an error" "$BIN" run --snapshot $GOOD --only EC-XYZ
has "$ERR" "--only EC-XYZ matches no loaded control" "the unmatched glob is named"
expect_exit 2 "skipping everything is an error" "$BIN" run --snapshot $GOOD --skip '*'

expect_exit 1 "--format json" "$BIN" run --snapshot $GOOD --format json
json_is "$OUT" "d['schema']" "ecpolicy.results/1" "the JSON report carries its schema"
json_is "$OUT" "d['summary']['total']" "$NCTL" "the summary counts every result"
json_is "$OUT" "d['summary']['exit_code']" 1 "the summary states the exit code"
json_is "$OUT" "sorted(d['results'][0])" "['control', 'evidence', 'reason', 'resource', 'severity', 'status']" "a result has the documented members"
json_is "$OUT" "sorted(d['results'][0]['resource'])" "['arn', 'id', 'kind', 'region']" "a resource has kind, id, arn and region"
json_is "$OUT" "[r['status'] for r in d['results'] if r['control']=='EC-NET-04']" "['fail']" "the finding is in the JSON"
json_is "$OUT" "[r['evidence'][0]['cidr'] for r in d['results'] if r['control']=='EC-NET-04']" "['203.0.113.0/24']" "a fail carries its evidence"

expect_exit 1 "-o writes the report to a file" "$BIN" run --snapshot $GOOD --format json -o "$T/report.json"
json_is "$T/report.json" "d['summary']['total']" "$NCTL" "the file holds the report"
[ -s "$OUT" ] && fail "-o leaves stdout empty" || pass "-o leaves stdout empty"

expect_exit 1 "--color always colours the text" "$BIN" run --snapshot $GOOD --color always
has "$OUT" $'\033[' "colour codes are written with --color always"
NO_COLOR=1 expect_exit 1 "NO_COLOR is honoured" "$BIN" run --snapshot $GOOD
lacks "$OUT" $'\033[' "no colour codes without a terminal"
expect_exit 1 "-v lists passes and evidence" "$BIN" run --snapshot $GOOD -v
has "$OUT" "PASS" "verbose output lists passing results"
has "$OUT" "evidence:" "verbose output shows evidence"

expect_exit 2 "a snapshot path that does not exist" "$BIN" run --snapshot "$T/nowhere"
has "$ERR" "$T/nowhere" "the missing path is named"
expect_exit 2 "a policy path that does not exist" "$BIN" run "$T/none.lua" --snapshot $GOOD
has "$ERR" "no such policy file, folder or pack" "the missing policy is reported"

expect_exit 2 "--now must be a timestamp" "$BIN" run --snapshot $GOOD --now yesterday
expect_exit 1 "--now takes an AWS timestamp" "$BIN" run --snapshot $GOOD --now 2026-01-01T00:00:00Z --format json
json_is "$OUT" "d['generated_at']" "2026-01-01T00:00:00Z" "--now sets the report time"
expect_exit 1 "-o - writes text to stdout" "$BIN" run --snapshot $GOOD -o -
has "$OUT" "Summary:" "the text report is on stdout"
[ -e ./- ] && fail "-o - created a file named '-'" || pass "-o - creates no file"
expect_exit 1 "-o FILE writes the text report to a file" "$BIN" run --snapshot $GOOD -o "$T/report.txt"
has "$T/report.txt" "Summary: $NCTL results" "the file holds the text report"
expect_exit 0 "--only and --skip together" "$BIN" run --snapshot $GOOD --only 'EC-ENC-*' --skip EC-NET-04 --format json
json_is "$OUT" "len(d['controls'])" "$NENC" "a --skip glob counts as used when its control is loaded"
expect_exit 0 "one result is 'result', not 'results'" "$BIN" run --snapshot $GOOD --only EC-ENC-01
has "$OUT" "Summary: 1 result:" "the summary agrees in number"
expect_exit 0 "--fail-on none says findings do not fail" "$BIN" run --snapshot $GOOD --fail-on none
has "$OUT" "Exit 0: --fail-on none" "the summary explains --fail-on none"
# -o on something that is not a regular file writes to it in place.
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/from-fifo" &
expect_exit 1 "-o into a FIFO" "$BIN" run --snapshot $GOOD --format json -o "$T/fifo"
wait
[ -p "$T/fifo" ] && pass "the FIFO is still a FIFO" || fail "the FIFO was replaced by a file"
json_is "$T/from-fifo" "d['summary']['total']" "$NCTL" "the report went through the FIFO"

# --timings: a line per step and per control on stderr; the report is the
# same bytes as without it.
NOW=2026-01-01T00:00:00Z
"$BIN" run --snapshot $GOOD --now $NOW --format json -o "$T/plain.json" 2>/dev/null
expect_exit 1 "--timings does not change the exit code" \
    "$BIN" run --snapshot $GOOD --now $NOW --format json -o "$T/timed.json" --timings
if cmp -s "$T/plain.json" "$T/timed.json"; then
    pass "--timings leaves the report as it was"
else
    fail "--timings leaves the report as it was"
fi
has "$ERR" "timings: " "--timings prints on stderr"
grep -Eq '^timings: [0-9.]+ s in all: load policies [0-9.]+ s, read input [0-9.]+ s, build model [0-9.]+ s, controls [0-9.]+ s, write [0-9.]+ s$' "$ERR" &&
    pass "the first timings line splits the run into its steps" ||
    fail "the first timings line splits the run into its steps"
got=$(grep -Ec '^timings: EC-[A-Z]+-[0-9]+ +[0-9.]+ s +[0-9.]+% +1 resource  +[0-9.]+ us each$' "$ERR")
[ "$got" -eq "$NCTL" ] && pass "a timings line for each of the $NCTL controls, with its one resource" ||
    { fail "a timings line for each control ($got of $NCTL)"; show; }
expect_exit 0 "plan takes --timings too" "$BIN" plan --snapshot $GOOD --only EC-NET-04 --timings
has "$ERR" "timings: EC-NET-04 " "plan's timings name its control"
has "$OUT" "EC-NET-04 (high)" "plan still prints the plans on stdout"
