# Helpers for the fakeaws tests (tests/live/faults-*.sh), sourced after
# tests/lib.sh.  Not a test itself: tests/run.sh runs tests/live/*.sh only.
# shellcheck shell=bash

SCEN=$PWD/tests/live/scenarios
FAKEAWS=$PWD/tests/server/fakeaws.py
REGION=us-east-1
# The test's own credentials: compared, never printed.
TEST_AKID=AKIAFAULTSTEST000001
TEST_SECRET=faults-test-secret-Wq8vR2xN5mKp
export ECPOLICY_DATADIR=${ECPOLICY_DATADIR:-$PWD}
# The founding controls (docs/founding-controls.md), which the expected
# results cover: other built-in policies may come and go.
FOUNDING=(--only 'EC-NET-0[1-5]' --only 'EC-ENC-0[134]' --only EC-IAM-03)

# A hermetic AWS environment: nothing from the machine, static keys.
hermetic_env() {
    local v
    for v in $(env | sed -n 's/^\(AWS_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
    export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
    : >"$T/aws-config"
    : >"$T/aws-credentials"
    export AWS_CONFIG_FILE=$T/aws-config AWS_SHARED_CREDENTIALS_FILE=$T/aws-credentials
    export AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
    export AWS_ACCESS_KEY_ID=$TEST_AKID AWS_SECRET_ACCESS_KEY=$TEST_SECRET
}

FAKE_PIDS=()
stop_all_fakeaws() {
    local p
    for p in "${FAKE_PIDS[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    FAKE_PIDS=()
}
trap stop_all_fakeaws EXIT

# start_fakeaws NAME SCENARIO: serve SCENARIO on a free 127.0.0.1 port, log
# in $T/NAME.log.  Sets FAKE_URL, FAKE_LOG, FAKE_PID; returns 1 (after a
# "not ok" line) when the server does not come up.  Its stdin is a pipe
# this shell holds: if the test dies, the server exits too.
start_fakeaws() {
    local name=$1 scenario=$2 fd
    FAKE_LOG=$T/$name.log
    rm -f "$FAKE_LOG" "$T/$name.port" "$T/$name.stdin"
    mkfifo "$T/$name.stdin"
    python3 "$FAKEAWS" --port 0 --scenario "$scenario" --log "$FAKE_LOG" \
        --exit-with-stdin <"$T/$name.stdin" >"$T/$name.port" 2>"$T/$name.server-err" &
    FAKE_PID=$!
    FAKE_PIDS+=("$FAKE_PID")
    exec {fd}>"$T/$name.stdin"
    FAKE_FD=$fd
    for _ in $(seq 200); do
        grep -q '^PORT=' "$T/$name.port" 2>/dev/null && break
        kill -0 "$FAKE_PID" 2>/dev/null || break
        sleep 0.05
    done
    local port
    port=$(sed -n 's/^PORT=//p' "$T/$name.port")
    if [ -z "$port" ]; then
        fail "$name: fakeaws did not start"
        sed 's/^/# fakeaws: /' "$T/$name.server-err" | head -5
        return 1
    fi
    FAKE_URL=http://127.0.0.1:$port
    return 0
}

# stop_fakeaws: stop the latest server (its log stays).
stop_fakeaws() {
    [ -n "${FAKE_FD:-}" ] && exec {FAKE_FD}>&-
    FAKE_FD=
    kill "$FAKE_PID" 2>/dev/null
    wait "$FAKE_PID" 2>/dev/null
    local keep=() p
    for p in "${FAKE_PIDS[@]}"; do [ "$p" = "$FAKE_PID" ] || keep+=("$p"); done
    FAKE_PIDS=("${keep[@]}")
}

# scenario NAME [compose.py args...]: compose a scenario into $T/NAME.json
# and print its path.
scenario() {
    local name=$1
    shift
    python3 "$SCEN/compose.py" "$@" >"$T/$name.json" || return 1
    echo "$T/$name.json"
}

# fetch NAME [options...]: fetch from the current server into
# $T/NAME.snap.json; stdout in $T/NAME.out, stderr in $T/NAME.err; sets $rc.
fetch() {
    local name=$1
    shift
    "$BIN" fetch -o "$T/$name.snap.json" --region "$REGION" --endpoint-url "$FAKE_URL" \
        "$@" >"$T/$name.out" 2>"$T/$name.err"
    rc=$?
}

# expect_fetch NAME WANT_RC [options...]
expect_fetch() {
    local name=$1 want=$2
    shift 2
    fetch "$name" "$@"
    if [ "$rc" -eq "$want" ]; then
        pass "$name: fetch exits $want"
    else
        fail "$name: fetch exits $rc, want $want"
        OUT=$T/$name.out ERR=$T/$name.err show 12
    fi
}

# inventory_json NAME: $T/NAME.inv.json from the snapshot.
inventory_json() {
    "$BIN" inventory --snapshot "$T/$1.snap.json" --format json -o "$T/$1.inv.json" \
        >"$T/$1.inv.out" 2>"$T/$1.inv.err"
}

# run_json NAME: the founding controls on the snapshot, $T/NAME.run.json;
# sets $run_rc.
run_json() {
    "$BIN" run "${FOUNDING[@]}" --snapshot "$T/$1.snap.json" --format json \
        --now 2026-06-01T00:00:00Z -o "$T/$1.run.json" >"$T/$1.run.out" 2>"$T/$1.run.err"
    run_rc=$?
}

# check NAME ARGS...: tests/live/scenarios/check.py, which prints TAP lines.
check() {
    python3 "$SCEN/check.py" "$@"
}

# no_secret NAME: the secret key appears in none of what ecpolicy wrote.
no_secret() {
    local name=$1 f leaked=
    for f in "$T/$name.out" "$T/$name.err" "$T/$name.snap.json" "$T/$name".inv.* "$T/$name".run.*; do
        [ -f "$f" ] || continue
        if grep -qF -- "$TEST_SECRET" "$f"; then leaked="$leaked $(basename "$f")"; fi
    done
    if [ -z "$leaked" ]; then
        pass "$name: the secret key is in no output"
    else
        fail "$name: the secret key leaked into$leaked"
    fi
}

# fault NAME WANT_RC [fetch options...]: serve the account with
# faults/NAME.json on top, fetch (checking the exit code), then the
# inventory ($T/NAME.inv.json) and the run ($T/NAME.run.json, $run_rc).
# The server stays up (its log is $FAKE_LOG) until stop_fakeaws.
fault() {
    local name=$1 want=$2
    shift 2
    start_fakeaws "$name" "$(scenario "$name" "$SCEN/faults/$name.json")" || return 1
    local t0 t1
    t0=$(date +%s%N)
    expect_fetch "$name" "$want" "$@"
    t1=$(date +%s%N)
    # shellcheck disable=SC2034  # read by the tests
    FETCH_MS=$(( (t1 - t0) / 1000000 ))
    inventory_json "$name"
    run_json "$name"
}

# run_exits NAME WANT
run_exits() {
    if [ "$run_rc" -eq "$2" ]; then
        pass "$1: run exits $2"
    else
        fail "$1: run exits $run_rc, want $2"
        sed 's/^/# stderr: /' "$T/$1.run.err" | head -5
    fi
}
