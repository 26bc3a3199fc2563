# Shared helpers for the shell tests (sourced).  Each check prints one TAP
# line; tests/run.sh counts them.
# shellcheck shell=bash
BIN=${ECPOLICY_BIN:-$PWD/ecpolicy}
T=${TEST_TMP:-$(mktemp -d)}/$(basename "${BASH_SOURCE[1]}" .sh)
mkdir -p "$T"
OUT=$T/out
ERR=$T/err

pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; }

# Show what a failing command printed, as TAP comments.
show() {
    sed 's/^/# stdout: /' "$OUT" | head -"${1:-8}"
    sed 's/^/# stderr: /' "$ERR" | head -"${1:-8}"
}

# run CMD...: run it with stdout in $OUT, stderr in $ERR; sets $rc.
run() {
    "$@" >"$OUT" 2>"$ERR"
    rc=$?
}

# expect_exit CODE NAME CMD...
expect_exit() {
    local want=$1 name=$2
    shift 2
    run "$@"
    if [ "$rc" -eq "$want" ]; then
        pass "$name"
    else
        fail "$name (exit $rc, want $want)"
        show
    fi
}

# has FILE TEXT NAME: the file contains the text (fixed string).
has() {
    if grep -qF -- "$2" "$1"; then pass "$3"; else fail "$3 (no '$2')"; show; fi
}

# lacks FILE TEXT NAME
lacks() {
    if grep -qF -- "$2" "$1"; then fail "$3 (found '$2')"; show; else pass "$3"; fi
}

# jq-free JSON reading: python3 prints the value of a path expression.
json() {
    python3 - "$1" "$2" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
print(eval(sys.argv[2], {"d": doc, "len": len, "sorted": sorted, "set": set}))
PY
}

# json_is FILE EXPR WANT NAME
json_is() {
    local got
    got=$(json "$1" "$2" 2>&1)
    if [ "$got" = "$3" ]; then pass "$4"; else fail "$4 (got '$got', want '$3')"; fi
}
