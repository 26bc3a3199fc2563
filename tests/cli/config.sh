# --config FILE: parameters, severity overrides, selection, fail_on.
source tests/lib.sh
GOOD=tests/cli/data/good
C=tests/cli/config

# The config's controls only: the others have findings of their own here.
TWO=(--only EC-NET-04 --only EC-ENC-03)
NCTL=$(ls policies/*.lua | wc -l)

expect_exit 0 "a config file trusts a CIDR" "$BIN" run --snapshot $GOOD "${TWO[@]}" --config $C/trusted.lua --format json
json_is "$OUT" "[r['status'] for r in d['results'] if r['control']=='EC-NET-04']" "['pass']" "the trusted CIDR passes EC-NET-04"
json_is "$OUT" "[c['severity'] for c in d['controls'] if c['id']=='EC-ENC-03']" "['critical']" "a severity override is applied"
json_is "$OUT" "d['summary']['fail_on']" "high" "fail_on comes from the config"
expect_exit 1 "--param wins over the config" "$BIN" run --snapshot $GOOD "${TWO[@]}" --config $C/trusted.lua \
    --param EC-NET-04.trusted_cidrs=198.51.100.0/24
expect_exit 1 "--fail-on wins over the config" "$BIN" run --snapshot $GOOD --config $C/lenient.lua --fail-on low
expect_exit 0 "skip globs and fail_on from the config" "$BIN" run --snapshot $GOOD --config $C/lenient.lua --format json
json_is "$OUT" "len(d['controls'])" "$((NCTL - 2))" "EC-NET-01 and EC-NET-02 are skipped"
expect_exit 0 "list honours the config" "$BIN" list --config $C/trusted.lua
has "$OUT" "EC-ENC-03  critical" "list shows the overridden severity"

expect_exit 2 "an unknown setting is an error" "$BIN" run --snapshot $GOOD --config $C/unknown-key.lua
has "$ERR" "$C/unknown-key.lua: paramz: unknown setting" "the file and the setting are named"
expect_exit 2 "parameters for an unknown control are an error" "$BIN" run --snapshot $GOOD --config $C/unknown-control.lua
has "$ERR" "no loaded control has the id 'EC-NOPE-1'" "the unknown control is named"
expect_exit 2 "a value of the wrong type is an error" "$BIN" run --snapshot $GOOD --config $C/wrong-type.lua
has "$ERR" "EC-NET-04.trusted_cidrs: expected a table, got a string" "the expected type is named"
expect_exit 2 "a bad severity is an error" "$BIN" run --snapshot $GOOD --config $C/bad-severity.lua
expect_exit 2 "a config file cannot run code" "$BIN" run --snapshot $GOOD --config $C/code.lua
has "$ERR" "code.lua:1:" "the failing line is named"
[ -e /tmp/ecpolicy-config-escaped ] && fail "the config ran a command" || pass "the config ran nothing"
expect_exit 2 "a missing config file" "$BIN" run --snapshot $GOOD --config $C/none.lua
has "$ERR" "none.lua" "the missing file is named"
expect_exit 2 "a severity override for an unknown control" "$BIN" run --snapshot $GOOD --config $C/severity-unknown.lua
has "$ERR" "$C/severity-unknown.lua: no loaded control has the id 'EC-NOPE-2'" "the file and the id are named"
