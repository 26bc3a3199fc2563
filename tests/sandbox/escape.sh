# Sandbox escapes: each policy in tests/sandbox/policies tries one; none may
# succeed, and each one's result is as expected.  Policies run in the order
# given, so one can check that another's tampering did not reach it.
source tests/lib.sh
GOOD=tests/cli/data/good
P=tests/sandbox/policies

# expect ID STATUS TEXT NAME: the control's one result.
expect() {
    local got
    got=$(json "${REPORT:-$T/report.json}" "[(r['status'], r['reason']) for r in d['results'] if r['control']=='$1']")
    case $got in
        *ESCAPED*) fail "$4: ESCAPED: $got";;
        "[('$2', "*"$3"*) pass "$4";;
        *) fail "$4: got $got, want $2 with '$3'";;
    esac
}

# Memory bombs get time enough to reach the ceiling under sanitizers and
# valgrind; loops get a short time limit.
run "$BIN" run --snapshot $GOOD --format json -o "$T/memory.json" \
    --time-limit 30 --memory-limit 64 \
    $P/rep-bomb.lua $P/table-bomb.lua $P/pcall-bomb.lua
if [ "$rc" -eq 3 ]; then pass "the memory bombs end with exit 3"; else fail "the memory run exits $rc, want 3"; show; fi
run "$BIN" run --snapshot $GOOD --format json -o "$T/report.json" \
    --time-limit 0.5 --memory-limit 64 \
    $P/io.lua $P/os.lua $P/require-os.lua $P/require-path.lua $P/dofile.lua \
    $P/bytecode.lua \
    $P/loop.lua $P/pcall-loop.lua $P/xpcall-loop.lua $P/tamper-stdlib.lua \
    $P/after-tamper.lua $P/string-mt.lua $P/write-inventory.lua \
    $P/write-nested.lua $P/rawset.lua $P/gc.lua $P/globals.lua \
    $P/globals-after.lua $P/caught-unknown.lua $P/error-object.lua \
    $P/ctx-readonly.lua $P/evidence.lua $P/evidence-fn.lua
if [ "$rc" -eq 3 ]; then pass "the run completes with exit 3"; else fail "the run exits $rc, want 3"; show; fi
[ -f /tmp/ecpolicy-escaped ] && fail "os.execute ran" || pass "nothing was executed"

expect S-IO error "undefined global 'io'" "io is not reachable"
expect S-OS error "undefined global 'os'" "os is not reachable"
expect S-REQ error "module 'os' not found" "require 'os' finds nothing"
expect S-REQPATH error "is not a module name" "require refuses a path"
expect S-DOFILE error "undefined global" "dofile and loadfile are not reachable"
expect S-BYTECODE error "refused: binary chunks are not allowed" "bytecode is refused"
REPORT=$T/memory.json expect S-REP error "memory limit of 64 MB" "a string.rep bomb hits the memory limit"
REPORT=$T/memory.json expect S-TABLE error "memory limit of 64 MB" "a table-growth bomb hits the memory limit"
REPORT=$T/memory.json expect S-PCALLMEM error "memory limit of 64 MB" "a caught memory bomb still stops the policy"
expect S-LOOP error "time limit of 0.5s" "an endless loop hits the time limit"
expect S-PCALLLOOP error "time limit of 0.5s" "pcall cannot swallow the time limit"
expect S-XPCALL error "time limit of 0.5s" "an error handler cannot swallow the time limit"
expect S-LOOP error "loop.lua:4" "the time-limit error names the line"
expect S-TAMPER pass "tampered" "a policy may change its own copies"
expect S-AFTER pass "untouched" "another policy's tampering does not leak"
expect S-STRMT pass "no metatable: false" "getmetatable on a string gives nothing"
expect S-WRITE error "inventory data is read-only (cannot set field 'id')" "writing the inventory raises"
expect S-NESTED pass "read-only" "nested inventory tables are read-only"
expect S-RAW pass "no raw access" "no raw, debug, gc, package or coroutine functions"
expect S-GC error "__gc metamethods are not allowed" "finalizers are refused"
expect S-GLOBALS pass "ok" "the environment is protected and strict"
expect S-GLOBALS2 pass "ok" "globals do not leak between policies"
expect S-UNKNOWN unknown "the test says so" "a caught unknown does not pass"
expect S-ERROBJ error "error object is a table value" "a table error object is reported"
expect S-CTX pass "read-only" "the context is read-only"
expect S-EVIDENCE error "evidence that is not data: evidence.rules[2].port is not a finite number" "a NaN in evidence is an error naming its place"
expect S-EVIDENCEFN error "evidence that is not data: evidence.f is a function" "a function in evidence is an error naming its place"
