#!/bin/sh
# The lint group of tests/run.sh, and make lint: luacheck, with the
# repository's .luacheckrc, over the Lua that runs in the policy sandbox
# (policies and their tests, the stdlib, the example pack, the types) and
# over the engine's own; each warning is a failure.  Then check-types.py:
# types/ still says what the code does.  Prints TAP lines.
cd "$(dirname "$0")/../.." || exit 2
dirs="policies stdlib examples/org-pack engine/lua types"
status=0
if ! command -v luacheck >/dev/null 2>&1; then
    echo "not ok - luacheck is not installed (Debian: apt-get install lua-check)"
    exit 1
fi
out=$(luacheck --formatter plain --codes --no-color $dirs 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ -z "$out" ]; then
    echo "ok - luacheck: no warnings in $dirs"
else
    status=1
    printf '%s\n' "$out" | sed -e '/^$/d' -e 's/^/not ok - luacheck: /'
    [ -n "$out" ] || echo "not ok - luacheck exited $rc"
fi
# A crash prints no "not ok" line of its own: say so, or it would pass.
out=$(python3 tests/lint/check-types.py 2>&1)
rc=$?
printf '%s\n' "$out"
if [ $rc -ne 0 ]; then
    status=1
    printf '%s\n' "$out" | grep -q '^not ok' ||
        echo "not ok - check-types.py exited $rc without saying what failed"
fi
exit $status
