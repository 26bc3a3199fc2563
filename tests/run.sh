#!/usr/bin/env bash
# The test suite: every group, against the normal build and again against
# the ASan+UBSan build, then valgrind and a clang build.  Each test prints
# a TAP line ("ok - ..." / "not ok - ..."); this driver counts them and
# ends with the one line "N passed, N failed" (plus "N skipped (why)").
#
#   tests/run.sh            everything (make test builds first)
#   VERBOSE=1 tests/run.sh  print every line, not only failures
#   ONLY=cli tests/run.sh   one group (unit, lua, policy-tests, fixtures,
#                           cli, sandbox, live, valgrind, clang, lint)
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
export ECPOLICY_DATADIR="$ROOT"
export LC_ALL=C NO_COLOR=1
unset AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION ECPOLICY_CONFIG ECPOLICY_PATH

passed=0
failed=0
skipped=0
skip_notes=()
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ecpolicy-tests.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# No one's own settings file may change what the tests see.
export XDG_CONFIG_HOME="$TMP/config"
# Nor their AWS settings, and no test may reach AWS with their credentials:
# every AWS_ variable goes, the shared files are empty ones, and instance
# metadata is off.  A test that needs one of these sets it itself.
for v in $(env | sed -n 's/^\(AWS_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
: >"$TMP/aws-config"
: >"$TMP/aws-credentials"
export AWS_CONFIG_FILE="$TMP/aws-config" AWS_SHARED_CREDENTIALS_FILE="$TMP/aws-credentials"
export AWS_EC2_METADATA_DISABLED=true

# Count the TAP lines of one group's output (read from stdin).
tally() {
    local group=$1 ok=0 bad=0 line
    while IFS= read -r line; do
        case $line in
            # A skip is not a pass: counted apart, with its reason.
            "ok "*"# skip "*)
                skipped=$((skipped + 1))
                skip_notes+=("$group: ${line##*# skip }")
                [ -n "${VERBOSE:-}" ] && echo "  $line";;
            "ok "*) ok=$((ok + 1)); [ -n "${VERBOSE:-}" ] && echo "  $line";;
            "not ok"*) bad=$((bad + 1)); echo "  $line";;
            # A check that crashed prints no "not ok" of its own.
            "Traceback (most recent call last):"*)
                bad=$((bad + 1)); echo "  not ok - a Python check crashed:";;
            "#"*) [ -n "${VERBOSE:-}" ] || [ $bad -gt 0 ] && echo "  $line";;
            *) [ -n "${VERBOSE:-}" ] && echo "  | $line";;
        esac
    done
    passed=$((passed + ok))
    failed=$((failed + bad))
    printf '%-28s %4d passed, %d failed\n' "$group" "$ok" "$bad"
}

skip() {
    local n=$1 why=$2
    skipped=$((skipped + n))
    skip_notes+=("$why")
    printf '%-28s skipped: %s\n' "$3" "$why"
}

want() { [ -z "${ONLY:-}" ] || [ "$ONLY" = "$1" ]; }

# run_group NAME BUILD_DIR BINARY
run_groups() {
    local label=$1 build=$2 bin=$3
    export ECPOLICY_BIN="$ROOT/$bin" BUILD_DIR="$ROOT/$build" TEST_TMP="$TMP/$label"
    mkdir -p "$TEST_TMP"
    if want unit; then
        for t in "$build"/tests/test_*; do
            [ -x "$t" ] || continue
            "$t" 2>&1
            [ $? -le 1 ] || echo "not ok - $t crashed"
        done >"$TMP/group.out"
        tally "$label: C unit" <"$TMP/group.out"
    fi
    if want lua; then
        "$build/tests/lua_runner" "$ROOT" tests/lua/*_test.lua >"$TMP/group.out" 2>&1
        tally "$label: Lua unit" <"$TMP/group.out"
    fi
    if want policy-tests; then
        # The built-in policies' own tests (docs/testing.md): a TAP line
        # per case; exit 2 means a test file could not be used.
        "$ECPOLICY_BIN" test -v policies/tests examples/org-pack >"$TMP/tests.out" 2>&1
        rc=$?
        { [ $rc -le 1 ] || echo "not ok - ecpolicy test: a test file could not be used (exit $rc)"
          sed -e 's/^PASS /ok - /' -e 's/^FAIL /not ok - /' \
              -e '/^ok - \|^not ok - /!s/^/# /' "$TMP/tests.out"; } >"$TMP/group.out"
        tally "$label: policy tests" <"$TMP/group.out"
    fi
    for g in fixtures cli sandbox live; do
        want "$g" || continue
        for t in tests/"$g"/*.sh; do
            [ -f "$t" ] || continue
            # A script that stops part way would drop its last checks.
            bash "$t" 2>&1 || echo "not ok - $t exited $?"
        done >"$TMP/group.out"
        tally "$label: $g" <"$TMP/group.out"
    done
}

if [ ! -x ./ecpolicy ]; then
    echo "tests: ./ecpolicy is not built; run 'make test'" >&2
    exit 2
fi

run_groups normal build ecpolicy
if [ -x build/asan/ecpolicy ]; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99 \
        run_groups asan build/asan build/asan/ecpolicy
else
    skip 1 "the ASan build is missing (run 'make test')" "asan"
fi

if want valgrind; then
    if command -v valgrind >/dev/null 2>&1; then
        export ECPOLICY_BIN="$ROOT/ecpolicy" BUILD_DIR="$ROOT/build" TEST_TMP="$TMP/valgrind"
        mkdir -p "$TEST_TMP"
        bash tests/valgrind.sh >"$TMP/group.out" 2>&1
        tally "valgrind" <"$TMP/group.out"
    else
        skip 1 "valgrind is not installed" "valgrind"
    fi
fi

if want clang; then
    if command -v clang >/dev/null 2>&1; then
        if make --no-print-directory CC=clang BUILD=build/clang \
                build/clang/ecpolicy >"$TMP/clang.log" 2>&1; then
            echo "ok - clang -Wall -Wextra -Werror build"
        else
            echo "not ok - clang build failed:"
            sed 's/^/# /' "$TMP/clang.log" | tail -20
        fi >"$TMP/group.out"
        tally "clang" <"$TMP/group.out"
    else
        skip 1 "clang is not installed" "clang"
    fi
fi

# luacheck and the types/ check (tests/lint/run.sh); once, as they read
# sources, not a build.
if want lint; then
    if command -v luacheck >/dev/null 2>&1; then
        sh tests/lint/run.sh >"$TMP/group.out" 2>&1
        tally "lint" <"$TMP/group.out"
    else
        skip 1 "luacheck is not installed (Debian: lua-check)" "lint"
    fi
fi

echo
if [ $skipped -gt 0 ]; then
    notes=$(IFS=';'; echo "${skip_notes[*]}")
    echo "$passed passed, $failed failed, $skipped skipped ($notes)"
else
    echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
