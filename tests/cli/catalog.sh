# docs/controls.md is generated from the policies' metadata (make catalog):
# it must be what the generator makes of the policies as they are now.
source tests/lib.sh

ECPOLICY_DATADIR=$PWD "$BIN" list --format json --no-config >"$T/list.json" 2>"$ERR"
if python3 tools/gen-catalog.py <"$T/list.json" >"$T/controls.md" 2>>"$ERR"; then
    pass "the catalog generator runs on the built-in policies"
else
    fail "the catalog generator runs on the built-in policies"
    sed 's/^/# /' "$ERR" | head -8
fi
if diff -u docs/controls.md "$T/controls.md" >"$T/diff"; then
    pass "docs/controls.md is current (else: make catalog)"
else
    fail "docs/controls.md is current (else: make catalog)"
    sed 's/^/# /' "$T/diff" | head -20
fi
n=$(ECPOLICY_DATADIR=$PWD "$BIN" list --no-config | grep -c '^EC-')
m=$(grep -c '^## EC-' docs/controls.md)
if [ "$n" -gt 0 ] && [ "$n" -eq "$m" ]; then
    pass "the catalog has a section for each of the $n built-in controls"
else
    fail "the catalog has a section for each built-in control ($m sections, $n controls)"
fi
