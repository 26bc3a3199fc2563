# make install / make uninstall: the installed binary finds the installed
# policies and stdlib (PREFIX/share/ecpolicy) without ECPOLICY_DATADIR, and
# the manual page is installed where man looks.
#
# The binary under test ($BIN) is not what is installed: `make install`
# copies ./ecpolicy, the normal build.  $BIN is named here only so that a
# reader of a failure knows which suite run it came from.
source tests/lib.sh
# The commands below run in other folders: make the paths absolute.
case $T in /*) ;; *) T=$PWD/$T OUT=$PWD/$OUT ERR=$PWD/$ERR ;; esac
ROOT=$PWD
P=$T/prefix
DEMO=$ROOT/examples/demo
NOW=2026-01-01T00:00:00Z
echo "# suite binary: $BIN (not installed; make install copies ./ecpolicy)"

# make as a user would run it: no make or install variables inherited from
# a calling make (make test) or the environment.  -o ecpolicy: the binary is
# already built, and is installed as it is, never rebuilt here.
mk() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u DESTDIR -u BINDIR -u DATADIR \
        -u MANDIR -u BUILD make --no-print-directory -s -o ecpolicy "$@"
}
# The installed binary, from outside the build tree, without ECPOLICY_DATADIR.
inst() {
    (cd "$T" && env -u ECPOLICY_DATADIR "$P/bin/ecpolicy" "$@")
}

rm -rf "$P"
if [ ! -x ./ecpolicy ]; then
    fail "./ecpolicy is built (run make first)"
    exit 0
fi

expect_exit 0 "make install PREFIX=... succeeds" mk install PREFIX="$P"
if [ -x "$P/bin/ecpolicy" ] && cmp -s ./ecpolicy "$P/bin/ecpolicy"; then
    pass "the binary is installed as PREFIX/bin/ecpolicy"
else
    fail "the binary is installed as PREFIX/bin/ecpolicy"
fi
npol=$(ls policies/*.lua | wc -l)
nlib=$(ls stdlib/*.lua | wc -l)
got=$(ls "$P"/share/ecpolicy/policies/*.lua 2>/dev/null | wc -l)
[ "$got" -eq "$npol" ] && pass "the $npol built-in policies are in PREFIX/share/ecpolicy/policies" \
    || fail "the built-in policies are in PREFIX/share/ecpolicy/policies ($got of $npol)"
got=$(ls "$P"/share/ecpolicy/stdlib/*.lua 2>/dev/null | wc -l)
[ "$got" -eq "$nlib" ] && pass "the $nlib stdlib modules are in PREFIX/share/ecpolicy/stdlib" \
    || fail "the stdlib modules are in PREFIX/share/ecpolicy/stdlib ($got of $nlib)"
ntypes=$(ls types/*.lua | wc -l)
got=$(ls "$P"/share/ecpolicy/types/*.lua 2>/dev/null | wc -l)
[ "$got" -eq "$ntypes" ] && pass "the $ntypes LuaLS type files are in PREFIX/share/ecpolicy/types" \
    || fail "the LuaLS type files are in PREFIX/share/ecpolicy/types ($got of $ntypes)"
# The editor settings point at the installed types, and parse as JSON.
json_is "$P/share/ecpolicy/luarc.json" \
    "'$P/share/ecpolicy/types' in d['workspace']['library']" "True" \
    "PREFIX/share/ecpolicy/luarc.json names the installed types as a library"
if cmp -s docs/ecpolicy.1 "$P/share/man/man1/ecpolicy.1"; then
    pass "the manual page is installed as PREFIX/share/man/man1/ecpolicy.1"
else
    fail "the manual page is installed as PREFIX/share/man/man1/ecpolicy.1"
fi

# list: every built-in control, found in the installed data folder.
expect_exit 0 "the installed binary lists without ECPOLICY_DATADIR" inst list
has "$OUT" "EC-NET-04" "the listing has the built-in controls"
got=$(($(wc -l <"$OUT") - 1))
[ "$got" -eq "$npol" ] && pass "list shows one line per installed policy" \
    || fail "list shows one line per installed policy ($got, want $npol)"
expect_exit 0 "show works from the install" inst show EC-NET-04
has "$OUT" "share/ecpolicy/policies/EC-NET-04.lua" "show names the installed policy file"

# run: the demo account, with the same results as from the build tree.
expect_exit 3 "run --snapshot examples/demo exits 3 from the install (unknown results)" \
    inst run --snapshot "$DEMO"
has "$OUT" "EC-NET-04  high" "the text report has the built-in controls"
has "$OUT" "Summary: " "the text report ends with the summary"
has "$OUT" "Exit 3: the run is incomplete" "the text report explains exit 3"
lacks "$ERR" "cannot find the built-in policies" "no data-folder error"
expect_exit 3 "run --format json -o FILE from the install" \
    inst run --snapshot "$DEMO" --now $NOW --format json -o "$T/installed.json"
json_is "$T/installed.json" \
    "sorted(set(c['file'].startswith('$P/') and '/share/ecpolicy/policies/' in c['file'] for c in d['controls']))" \
    "[True]" "every control was loaded from PREFIX/share/ecpolicy/policies"
ECPOLICY_DATADIR=$ROOT "$ROOT/ecpolicy" run --snapshot "$DEMO" --now $NOW \
    --format json -o "$T/tree.json" 2>/dev/null
python3 - "$T/installed.json" "$T/tree.json" >"$T/diff" 2>&1 <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b):
    for c in d["controls"]:
        del c["file"]
if a != b:
    print("the reports differ")
    sys.exit(1)
PY
if [ $? -eq 0 ]; then
    pass "the installed run gives the same report as the build tree"
else
    fail "the installed run gives the same report as the build tree"
    sed 's/^/# /' "$T/diff"
fi

# ECPOLICY_DATADIR still wins over the install.
(cd "$T" && ECPOLICY_DATADIR=$ROOT "$P/bin/ecpolicy" show EC-NET-04) >"$OUT" 2>"$ERR"
has "$OUT" "$ROOT/policies/EC-NET-04.lua" "ECPOLICY_DATADIR wins over PREFIX/share/ecpolicy"

# A binary with no data beside it or in ../share/ecpolicy says where it looked.
mkdir -p "$T/lone/bin"
cp ./ecpolicy "$T/lone/bin/ecpolicy"
expect_exit 2 "a binary without its data folder exits 2" \
    env -u ECPOLICY_DATADIR "$T/lone/bin/ecpolicy" list
has "$ERR" "$T/lone/bin/../share/ecpolicy; set ECPOLICY_DATADIR" "the error names the places it looked"
rm -rf "$T/lone"

# The manual page, when man is installed.
if command -v man >/dev/null 2>&1; then
    run env MANWIDTH=80 MANPAGER=cat man -l "$P/share/man/man1/ecpolicy.1"
    if [ "$rc" -eq 0 ] && grep -q "ECPOLICY(1)" "$OUT"; then
        pass "man -l renders the installed page"
    else
        fail "man -l renders the installed page (exit $rc)"
        show
    fi
    has "$OUT" "EXIT STATUS" "the page documents the exit status"
    run env MANWIDTH=80 MANPAGER=cat man -M "$P/share/man" ecpolicy
    [ "$rc" -eq 0 ] && grep -q "ECPOLICY(1)" "$OUT" && pass "man finds ecpolicy in PREFIX/share/man" \
        || { fail "man finds ecpolicy in PREFIX/share/man (exit $rc)"; show; }
else
    echo "# man is not installed: the manual page is not rendered"
fi
if command -v groff >/dev/null 2>&1; then
    run groff -man -Tutf8 -ww -z "$P/share/man/man1/ecpolicy.1"
    [ "$rc" -eq 0 ] && [ ! -s "$ERR" ] && pass "groff -ww finds nothing to warn about in the page" \
        || { fail "groff -ww warns about the page"; show; }
fi

expect_exit 0 "make uninstall PREFIX=... succeeds" mk uninstall PREFIX="$P"
[ -e "$P/bin/ecpolicy" ] && fail "uninstall removes the binary" || pass "uninstall removes the binary"
[ -e "$P/share/ecpolicy" ] && fail "uninstall removes PREFIX/share/ecpolicy" \
    || pass "uninstall removes PREFIX/share/ecpolicy"
[ -e "$P/share/man/man1/ecpolicy.1" ] && fail "uninstall removes the manual page" \
    || pass "uninstall removes the manual page"
left=$(find "$P" ! -type d | wc -l)
[ "$left" -eq 0 ] && pass "nothing but empty folders is left under PREFIX" \
    || { fail "nothing but empty folders is left under PREFIX ($left files)"; find "$P" ! -type d | sed 's/^/# /'; }
rm -rf "$P"
