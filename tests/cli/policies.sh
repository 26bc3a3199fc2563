# Policy files: declaration errors stop the run (exit 2) naming the file and
# the field; errors while checking become error results (exit 3).
source tests/lib.sh
GOOD=tests/cli/data/good
P=tests/cli/policies

bad() {  # bad FILE TEXT NAME
    expect_exit 2 "$3: exit 2" "$BIN" run "$P/$1" --snapshot $GOOD
    has "$ERR" "$P/$1" "$3: the file is named"
    has "$ERR" "$2" "$3: the problem is named"
}
bad missing-id.lua "field 'id': is required" "a missing id"
bad bad-severity.lua "field 'severity': 'severe' is not one of" "a bad severity"
bad unknown-field.lua "unknown field 'rationle'" "a misspelt field"
bad wrong-type.lua "field 'check': expected a function, got a string" "a wrongly typed field"
bad bad-resource.lua "field 'resource': 'caches' is neither" "an unknown resource"
bad no-table.lua "must return a declaration table, got nothing" "a file that returns nothing"
bad syntax.lua "'}' expected" "a syntax error"
bad load-error.lua "attempt to index a nil value" "an error while loading"
expect_exit 2 "two files with one id" "$BIN" run $P/dup --snapshot $GOOD
has "$ERR" "id 'T-DUP' is already declared by $P/dup/a.lua" "the duplicate id names both files"

expect_exit 3 "an error inside check makes the run incomplete" \
    "$BIN" run $P/runtime-error.lua --snapshot $GOOD --format json
json_is "$OUT" "[r['status'] for r in d['results']]" "['error']" "the result is error"
json_is "$OUT" "'runtime-error.lua:5:' in d['results'][0]['reason']" True "the error names the policy file and line"
expect_exit 3 "an invalid status" "$BIN" run $P/bad-status.lua --snapshot $GOOD --format json
json_is "$OUT" "d['results'][0]['reason']" "check returned status 'passed'; expected pass, fail, not_applicable or unknown" "an invalid status is an error result"
expect_exit 3 "a check that returns nothing" "$BIN" run $P/returns-nothing.lua --snapshot $GOOD --format json
json_is "$OUT" "d['results'][0]['reason']" "check returned nothing; expected a status string or a result table" "returning nothing is an error result"

expect_exit 0 "parameter defaults reach ctx.params" "$BIN" run $P/params.lua --snapshot $GOOD --format json
json_is "$OUT" "d['results'][0]['reason']" "3 0.5 false x a" "defaults of every type"
expect_exit 0 "--param coerces to the default's type" "$BIN" run $P/params.lua --snapshot $GOOD --format json \
    --param T-PARAMS.n=7 --param T-PARAMS.f=1.25 --param T-PARAMS.flag=yes --param T-PARAMS.name=y --param T-PARAMS.list=b,c
json_is "$OUT" "d['results'][0]['reason']" "7 1.25 true y b+c" "overridden values of every type"
expect_exit 2 "an integer parameter refuses a fraction" "$BIN" run $P/params.lua --snapshot $GOOD --param T-PARAMS.n=1.5
has "$ERR" "T-PARAMS.n: expected an integer, got '1.5'" "the bad value is named"
expect_exit 2 "a boolean parameter refuses other words" "$BIN" run $P/params.lua --snapshot $GOOD --param T-PARAMS.flag=maybe
expect_exit 2 "a number parameter refuses text" "$BIN" run $P/params.lua --snapshot $GOOD --param T-PARAMS.f=lots

expect_exit 0 "a policy over a raw collection" "$BIN" run $P/collection.lua --snapshot $GOOD --format json
json_is "$OUT" "[(r['resource']['kind'], r['resource']['id'], r['status']) for r in d['results']]" "[('security_group', 'sg-0orders', 'pass')]" "each record is a resource"

expect_exit 0 "list shows the built-in controls" "$BIN" list
has "$OUT" "EC-NET-04" "list names EC-NET-04"
expect_exit 0 "list --format json" "$BIN" list --format json
json_is "$OUT" "len(d)" "$(ls policies/*.lua | wc -l)" "one built-in control per file in policies/"
expect_exit 0 "show describes a control" "$BIN" show EC-NET-04
has "$OUT" "Remediation" "show prints the remediation"
has "$OUT" "trusted_cidrs" "show prints the parameters"
expect_exit 0 "show reflects --param" "$BIN" show EC-NET-04 --param EC-NET-04.trusted_cidrs=192.0.2.0/24 --format json
json_is "$OUT" "d['params']['trusted_cidrs']" "['192.0.2.0/24']" "the effective value is shown"
