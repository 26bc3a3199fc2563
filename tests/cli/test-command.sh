# ecpolicy test (docs/testing.md): passing and failing cases and what each
# difference says, test files that cannot be used (exit 2, naming the file
# and the field), fixtures, rule packs, coverage, limits, and the install.
source tests/lib.sh
D=tests/cli/data/testing

# same_lines NAME WANT_FILE: $OUT holds exactly those lines.
same_lines() {
    if diff -u "$2" "$OUT" >"$T/diff"; then
        pass "$1"
    else
        fail "$1"
        sed 's/^/# /' "$T/diff" | head -40
    fi
}

expect_exit 0 "test --help exits 0" "$BIN" test --help
has "$OUT" "usage: ecpolicy test" "test --help prints the usage"
has "$OUT" "2  a usage error, or a test file could not be used" "test --help documents the exit codes"
expect_exit 0 "help test is test --help" "$BIN" help test
has "$OUT" "usage: ecpolicy test" "help test prints the usage"
has <("$BIN" help) "test       run the unit tests of policies" "help lists the test command"
expect_exit 2 "test with an unknown option" "$BIN" test --snapshot x
has "$ERR" "ecpolicy test: unknown option '--snapshot'" "the unknown option is named"
has "$ERR" "Try 'ecpolicy test --help'." "the error points at the help"

# Every kind of expectation met: exit 0, nothing but coverage and the count.
expect_exit 0 "passing test files exit 0" "$BIN" test $D/good
cat >"$T/want" <<EOF
coverage: $D/policies/T-PLAIN.lua: 8 of 8 lines
coverage: $D/policies/T-TLS.lua: 30 of 30 lines
8 cases, 8 passed, 0 failed
EOF
same_lines "the output of a passing run is the coverage and the count" "$T/want"
expect_exit 0 "-v lists passing cases" "$BIN" test -v $D/good/tls_test.lua
has "$OUT" 'PASS T-TLS tests/cli/data/testing/good/tls_test.lua: "keys by id, kind and region; reason, evidence and plan"' \
    "-v prints a PASS line with the control, the file and the case"
has "$OUT" 'PASS T-TLS tests/cli/data/testing/good/tls_test.lua: "a partial collection keeps its records"' \
    "-v lists every case"
expect_exit 0 "a file and a folder together" "$BIN" test $D/good/fixtures_test.lua $D/cover
has "$OUT" "4 cases, 4 passed, 0 failed" "the cases of every operand are counted"

# Fixture paths are relative to the test file, wherever ecpolicy runs.
expect_exit 0 "fixture paths are relative to the test file" \
    bash -c "cd / && '$BIN' test '$PWD/$D/good/fixtures_test.lua'"
has "$OUT" "3 cases, 3 passed, 0 failed" "the snapshot, the AWS CLI folder and both times"

# Each kind of difference, in the words docs/testing.md gives.
expect_exit 1 "a failing case exits 1" "$BIN" test $D/failing/fail_test.lua
F=$D/failing/fail_test.lua
cat >"$T/want" <<EOF
FAIL T-TLS $F: "a wrong status"
  rg-plain: status: expected pass, got fail ("in-transit encryption (TLS) is off")
FAIL T-TLS $F: "an unexpected result and a key with no result"
  us-east-1/mc-1: unexpected result: not_applicable ("Memcached is not checked here")
  rg-gone: no result for this key
FAIL T-TLS $F: "an ambiguous key"
  mc-1: matches 2 results (us-east-1/mc-1, us-west-2/mc-1); add the region or the kind
FAIL T-TLS $F: "reason and evidence"
  rg-plain: reason: expected it to contain "TLS is off", got "in-transit encryption (TLS) is off"
  rg-plain: evidence.Missing: missing (expected true)
  rg-plain: evidence.Mode: expected "preferred", got "required"
  rg-plain: evidence.Ports: expected a list of 2, got { 6379 }
FAIL T-TLS $F: "plan expectations"
  rg-plain: plan.kind: expected migration, got in_place
  rg-plain: plan.actions: expected { "CreateSnapshot" }, got { "ModifyReplicationGroup" }
  rg-plain: plan.warnings: expected at least 2, got 1
FAIL T-TLS $F: "warning texts: how many"
  rg-plain: plan.warnings: expected 2, got 1 ("clients must reconnect with TLS")
FAIL T-TLS $F: "warning texts: what each says"
  rg-plain: plan.warnings[1]: expected it to contain "clients need not reconnect", got "clients must reconnect with TLS"
FAIL T-TLS $F: "a plan where none was expected"
  rg-plain: plan: expected none, got one ("Turn on TLS on rg-plain")
FAIL T-TLS $F: "a plan expected where the control offers none"
  c-plain: plan: expected one, got none (remediate returned nil)
FAIL T-TLS $F: "a remediate that raises and one that returns a bad plan"
  rg-bad: remediate: remediate returned a bad plan: steps: is required
  rg-broken: remediate: remediate failed: $D/policies/T-TLS.lua:25: remediate broke on purpose
coverage: $D/policies/T-TLS.lua: 28 of 30 lines; never run: 13, 19
10 cases, 0 passed, 10 failed
EOF
same_lines "every difference is named, one line each" "$T/want"
expect_exit 1 "differences against a control without remediate" "$BIN" test $D/failing/plain_test.lua
has "$OUT" "c-1: plan: expected one, but the control has no remediate" "a plan from a control without remediate"
has "$OUT" "c-1: evidence: expected { Port = 6379 }, got none" "evidence from a result without any"
has "$OUT" "us-east-1/c-1: names the same result as c-1" "two keys for one result"
has "$OUT" 'us-east-1/c-1: status: expected pass, got fail ("every cache fails here at 1767225600")' \
    "the * key gives the status of the results no key names"
has "$OUT" "4 cases, 0 passed, 4 failed" "each failed case is counted"
expect_exit 1 "-v marks failed cases FAIL too" "$BIN" test -v $D/failing/plain_test.lua
lacks "$OUT" "PASS" "no case passed"

# Test files that cannot be used: exit 2, the file and the field named.
bad() {  # bad NAME TEXT DESCRIPTION
    expect_exit 2 "$3: exit 2" "$BIN" test "$D/bad/$1_test.lua"
    has "$ERR" "ecpolicy test: $D/bad/$1_test.lua" "$3: the file is named"
    has "$ERR" "$2" "$3: the problem is named"
    has "$OUT" "0 cases, 0 passed, 0 failed, 1 test file could not be used" "$3: the count says so"
}
bad field "cases[1].expcet: unknown field (a case has: expect, fixture, name, now, params)" "a misspelt field in a case"
bad top "contol: unknown field (a test file has: cases, control, fixture, now, params, policy)" "a misspelt field in the file"
bad member "fixture.regions.us-east-1.cache_clusters[2].Engin: not a member of CacheCluster in the AWS API model (did you mean Engine?)" \
    "a misspelt member in an inline fixture"
bad status 'cases[1].expect["c-1"]: "passed" is not a status' "a status that is not one"
bad no-fixture "cases[1]: no fixture: give one in the case or in the file" "a case without a fixture"
bad fixture-path "fixture: $D/bad/fixtures/none.json: No such file or directory" "a fixture file that does not exist"
bad unknown-control "control: no policy in policies declares 'EC-NOPE-99'" "a control that is not built in"
bad param "cases[1].params: control T-TLS has no parameter 'nope' (it has: allow, mode)" "an unknown parameter"
bad param-type "params: T-TLS.mode: expected a string, got a number" "a parameter of the wrong type"
bad syntax "syntax_test.lua:4: '}' expected near 'expect'" "a syntax error"
bad returns "the file must return a test table" "a file that returns nothing"
bad io "undefined global 'io'" "test files run in the sandbox"
bad errors-status 'fixture.regions.us-east-1.errors.users: expected one of access_denied, throttled, timeout, malformed, partial, error; got a string ("denied")' \
    "an unknown status in errors"
bad region "fixture.regions.useast1: not an AWS region name" "a region name that is not one"
bad plan-on-pass 'cases[1].expect["c-1"].plan: only a fail has a plan, and this expects pass' "a plan for a pass"
bad plan-field 'cases[1].expect["c-1"].plan.kidn: unknown field' "a misspelt plan field"
bad plan-warnings 'cases[1].expect["c-1"].plan.warnings[2]: expected a string, got a number' \
    "a warning text that is not a string"
bad wrong-control "policy: $D/policies/T-TLS.lua declares the control 'T-TLS', and the test is for 'T-OTHER'" \
    "a policy file that declares another control"
bad duplicate-name 'cases[2].name: "x" is also the name of cases[1]' "two cases with one name"
bad function-fixture "fixture.regions.us-east-1.cache_clusters[1].Port is a function" "a fixture that is not data"
bad bad-now 'now: "yesterday" is not a timestamp' "a time that is not one"
bad no-cases "cases: expected a list of at least one case" "no cases"
expect_exit 2 "an unusable file wins over a failed case" "$BIN" test $D/failing/plain_test.lua $D/bad/field_test.lua
has "$OUT" "4 cases, 0 passed, 4 failed, 1 test file could not be used" "the others still run"
expect_exit 2 "a path that does not exist" "$BIN" test $D/nope
has "$ERR" "ecpolicy test: $D/nope: no such test file or folder" "the path is named"
expect_exit 2 "a file that is not a test file" "$BIN" test $D/policies/T-TLS.lua
has "$ERR" "not a test file (their names end in _test.lua)" "test files are *_test.lua"
expect_exit 2 "a folder without test files" "$BIN" test $D/policies
has "$ERR" "$D/policies: no test files (*_test.lua) in this folder or below it" "the folder is named"

# Coverage: a branch no case reaches, and a helper's line.
expect_exit 0 "coverage of a small policy" "$BIN" test $D/cover
has "$OUT" "coverage: $D/cover/T-COVER.lua: 13 of 15 lines; never run: 7, 12" \
    "the lines never run are the branch and the helper's other return"

# The sandbox's limits hold while coverage traces every line; each on its
# own, so that on a slow machine (ASan, valgrind) the memory bomb is not
# stopped by the time limit first.
expect_exit 0 "the time limit under coverage" \
    "$BIN" test --time-limit 0.5 $D/limits/time_test.lua
has "$OUT" "1 case, 1 passed, 0 failed" "a check looping inside pcall is stopped"
expect_exit 0 "the memory limit under coverage" \
    "$BIN" test --time-limit 60 --memory-limit 32 $D/limits/memory_test.lua
has "$OUT" "1 case, 1 passed, 0 failed" "a bloating check is stopped"

# A rule pack's tests find the pack's policies by id, then the built-in
# ones, with the pack's modules and settings.
expect_exit 0 "the tests of a rule pack" "$BIN" test -v $D/pack
has "$OUT" "coverage: $D/pack/policies/T-PACK.lua: 12 of 12 lines" "the control is the pack's"
has "$OUT" "$D/pack/tests/pack_test.lua: \"the pack's settings\"" \
    "the pack's parameters and severity apply, and its modules load"
has "$OUT" "$D/pack/tests/pack_test.lua: \"the case's parameters over the pack's\"" \
    "a case's parameters win over the pack's"
lacks "$OUT" "FAIL" "every case of the pack passes"
has "$OUT" "coverage: policies/EC-ENC-01.lua:" "a control the pack does not have is a built-in one"

# No operand: the tests under DATADIR/policies/tests, controls looked up
# among DATADIR/policies.
mkdir -p "$T/data/policies/tests"
ln -sfn "$PWD/stdlib" "$T/data/stdlib"
cp $D/policies/T-PLAIN.lua "$T/data/policies/"
sed 's|policy = .*||' $D/good/fixtures_test.lua >"$T/data/policies/tests/T-PLAIN_test.lua"
cp -R $D/good/fixtures "$T/data/policies/tests/"
expect_exit 0 "no operand runs the built-in policies' tests" env ECPOLICY_DATADIR="$T/data" "$BIN" test
has "$OUT" "/data/policies/T-PLAIN.lua: 8 of 8 lines" "the control is a built-in one"
has "$OUT" "3 cases, 3 passed, 0 failed" "its cases ran"
rm -rf "$T/data/policies/tests"
expect_exit 2 "no built-in tests is an error" env ECPOLICY_DATADIR="$T/data" "$BIN" test
has "$ERR" "policies/tests: no such test file or folder" "the folder is named"

# make install installs the built-in tests, and they run from there.
case $T in /*) P=$T/prefix ;; *) P=$PWD/$T/prefix ;; esac
rm -rf "$P"
if [ -d policies/tests ]; then
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u DESTDIR -u BINDIR -u DATADIR \
        -u MANDIR -u BUILD make --no-print-directory -s -o ecpolicy install PREFIX="$P" >"$OUT" 2>"$ERR"
    [ $? -eq 0 ] && pass "make install" || { fail "make install"; show; }
    ECPOLICY_DATADIR=$PWD ./ecpolicy test >"$T/tree.out" 2>&1
    tree_rc=$?
    tree_count=$(tail -1 "$T/tree.out")
    # The baseline itself must be sound, or the comparison proves nothing.
    if [ $tree_rc -eq 0 ] && printf '%s\n' "$tree_count" | grep -Eq '^([0-9]+) cases, \1 passed, 0 failed$'; then
        pass "the build tree's tests pass ($tree_count)"
    else
        fail "the build tree's tests: exit $tree_rc, '$tree_count'"
    fi
    expect_exit 0 "the installed tests pass" \
        bash -c "cd '$P' && env -u ECPOLICY_DATADIR '$P/bin/ecpolicy' test"
    has "$OUT" "$tree_count" "the installed tests count the same cases"
    rm -rf "$P"
fi
