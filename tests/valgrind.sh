# No leaks and no memory errors under valgrind, on the main paths: each
# command once, the demo, the fixtures, a sandbox run that hits both
# limits, bad input, and the C unit tests.
source tests/lib.sh
VG="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"
P=tests/sandbox/policies

vg() {  # vg NAME CMD...: passes unless valgrind reports (exit 99)
    local name=$1
    shift
    $VG "$@" >"$OUT" 2>"$ERR"
    rc=$?
    if [ "$rc" -ne 99 ] && ! grep -q '^==[0-9]*==' "$ERR"; then
        pass "valgrind: $name"
    else
        fail "valgrind: $name"
        grep '^==' "$ERR" | head -20 | sed 's/^/# /'
    fi
}

vg "run on the demo" "$BIN" run --snapshot examples/demo
vg "run on the fixtures, JSON" "$BIN" run --snapshot tests/fixtures/awscli --format json -v
vg "sandbox limits" "$BIN" run --snapshot tests/cli/data/good --time-limit 0.5 --memory-limit 32 \
    $P/rep-bomb.lua $P/pcall-loop.lua $P/write-nested.lua $P/bytecode.lua
vg "inventory and snapshot" "$BIN" inventory --snapshot tests/fixtures/awscli --write-snapshot "$T/s.json"
vg "run on a snapshot" "$BIN" run --snapshot "$T/s.json" --format json
vg "list and show" "$BIN" show EC-NET-04 --param EC-NET-04.trusted_cidrs=192.0.2.0/24
vg "list" "$BIN" list --format json
vg "a bad policy" "$BIN" run tests/cli/policies/unknown-field.lua --snapshot tests/cli/data/good
vg "bad input" "$BIN" run --snapshot tests/data/input/bad-json
for t in "${BUILD_DIR:-build}"/tests/test_*; do
    [ -x "$t" ] && vg "$(basename "$t")" "$t"
done
