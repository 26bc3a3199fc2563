# Helpers for the tests against moto_server (sourced after tests/lib.sh by
# tests/live/moto-*.sh; see tests/live/README.md).
#
#   moto_require            skip the whole script (one "ok - ... # skip"
#                           line, exit 0) when moto_server, aws or moto's
#                           Python package is missing
#   moto_hermetic           an AWS environment that reads nothing of the
#                           machine's: config files in $T, no IMDS, no keys,
#                           and a dead proxy for anything not on 127.0.0.1
#   moto_start [stock]      start moto on a free 127.0.0.1 port with
#                           INITIAL_NO_AUTH_ACTION_COUNT=4 and wait until it
#                           answers; MOTO_URL is its URL.  Without "stock"
#                           it is moto with the cache-cluster members real
#                           AWS reports (tests/live/data/moto-server.py).
#                           Stopped on EXIT.
#   moto_bootstrap          the 4 unauthenticated calls: an IAM user with an
#                           access key and a policy allowing everything;
#                           KEY_ID and SECRET hold the key (never printed)
#   maws ARGS...            the aws CLI, signed with that key, against moto
#   moto_requests           how many requests moto has received
#   no_secret NAME FILE...  no file holds a secret of $T/secrets (the key's,
#                           and with moto_sts_secrets every STS session's)
#
# shellcheck shell=bash

MOTO_DATA=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MOTO_PID=
MOTO_URL=
KEY_ID=
SECRET=

moto_require() {
    local why=
    if ! command -v moto_server >/dev/null 2>&1; then
        why="moto_server is not installed (pip install 'moto[server]')"
    elif ! command -v aws >/dev/null 2>&1; then
        why="the aws CLI is not installed (pip install awscli)"
    elif ! python3 -c 'import moto.server, moto.elasticache.models' \
            >/dev/null 2>&1; then
        why="python3 cannot import moto (moto_server is from another Python)"
    fi
    if [ -n "$why" ]; then
        echo "ok - $(basename "$0" .sh): against moto_server # skip $why"
        exit 0
    fi
    # Under pyenv every python3, aws and moto_server goes through a shim
    # (a bash script, some 60 ms a call); the scripts make about a hundred
    # aws calls, so use the real programs, which sit together.
    local real
    case $(command -v python3) in
        */shims/python3)
            if real=$(pyenv which python3 2>/dev/null) &&
               [ -x "${real%/*}/aws" ] && [ -x "${real%/*}/moto_server" ]; then
                PATH=${real%/*}:$PATH
            fi ;;
    esac
}

moto_hermetic() {
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION \
          AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
          AWS_SECURITY_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_ROLE_ARN \
          AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_SESSION_NAME \
          AWS_CONTAINER_CREDENTIALS_RELATIVE_URI \
          AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN \
          AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE AWS_ENDPOINT_URL \
          AWS_ENDPOINT_URL_EC2 AWS_ENDPOINT_URL_ELASTICACHE AWS_ENDPOINT_URL_STS \
          AWS_MAX_ATTEMPTS AWS_RETRY_MODE AWS_CA_BUNDLE \
          AWS_EC2_METADATA_SERVICE_ENDPOINT
    ( umask 077; : >"$T/aws-config"; : >"$T/aws-credentials" )
    export AWS_CONFIG_FILE="$T/aws-config"
    export AWS_SHARED_CREDENTIALS_FILE="$T/aws-credentials"
    export AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
    # A safety net: whatever is not on 127.0.0.1 goes to a proxy that is
    # not there, so a mistake can never reach the real AWS.
    export https_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
           http_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
           no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost \
           ALL_PROXY= all_proxy=
}

moto_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

moto_stop() {
    if [ -n "$MOTO_PID" ]; then
        kill "$MOTO_PID" 2>/dev/null
        wait "$MOTO_PID" 2>/dev/null
        MOTO_PID=
    fi
}

moto_start() {
    local port
    port=$(moto_free_port)
    if [ "${1:-}" = stock ]; then
        INITIAL_NO_AUTH_ACTION_COUNT=4 \
            moto_server -H 127.0.0.1 -p "$port" >"$T/moto.log" 2>&1 &
    else
        INITIAL_NO_AUTH_ACTION_COUNT=4 \
            python3 "$MOTO_DATA/moto-server.py" -H 127.0.0.1 -p "$port" \
            >"$T/moto.log" 2>&1 &
    fi
    MOTO_PID=$!
    trap moto_stop EXIT
    MOTO_URL=http://127.0.0.1:$port
    # Up when it answers its own API (which counts as no action).
    for _ in $(seq 1 100); do
        if python3 - "$MOTO_URL/moto-api/" <<'PY' 2>/dev/null
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=1).read()
PY
        then
            return 0
        fi
        kill -0 "$MOTO_PID" 2>/dev/null || break
        sleep 0.1
    done
    fail "moto_server did not start on $MOTO_URL"
    sed 's/^/# moto: /' "$T/moto.log" | tail -5
    exit 0
}

# moto_requests: how many requests moto has logged.  It logs each one
# after answering it, so this waits until the count stops moving.
moto_requests() {
    local n m=-1 still=0
    for _ in $(seq 1 30); do
        n=$(grep -c '"POST ' "$T/moto.log")
        if [ "$n" -eq "$m" ]; then
            still=$((still + 1))
            [ $still -ge 3 ] && break
        else
            still=0
        fi
        m=$n
        sleep 0.1
    done
    echo "$n"
}

# The aws CLI against moto with dummy keys, for the unauthenticated calls.
moto_anon() {
    AWS_ACCESS_KEY_ID=bootstrap AWS_SECRET_ACCESS_KEY=bootstrap \
        aws --endpoint-url "$MOTO_URL" --region us-east-1 --output json "$@"
}

moto_bootstrap() {
    local acct=123456789012 a b
    # Two rounds of two: the user and the policy, then the key and the
    # attachment (4 calls in all, as INITIAL_NO_AUTH_ACTION_COUNT allows).
    moto_anon iam create-user --user-name auditor >/dev/null 2>"$T/boot1.err" &
    a=$!
    moto_anon iam create-policy --policy-name allow-all \
        --policy-document file://"$MOTO_DATA/allow-all.json" >/dev/null 2>"$T/boot2.err" &
    b=$!
    if wait $a && wait $b; then
        ( umask 077
          moto_anon iam create-access-key --user-name auditor >"$T/key.json" 2>"$T/boot3.err" ) &
        a=$!
        moto_anon iam attach-user-policy --user-name auditor \
            --policy-arn "arn:aws:iam::$acct:policy/allow-all" >/dev/null 2>"$T/boot4.err" &
        b=$!
    fi
    if wait $a && wait $b; then
        KEY_ID=$(json "$T/key.json" 'd["AccessKey"]["AccessKeyId"]')
        SECRET=$(json "$T/key.json" 'd["AccessKey"]["SecretAccessKey"]')
        ( umask 077; printf '%s\n' "$SECRET" >"$T/secrets" )
        pass "moto: an IAM user, its access key and an allow-all policy (the 4 unauthenticated calls)"
    else
        fail "moto: the IAM bootstrap failed"
        cat "$T"/boot*.err 2>/dev/null | sed 's/^/# /' | head -10
        exit 0
    fi
}

# maws ARGS...: the aws CLI with the auditor's key.
maws() {
    AWS_ACCESS_KEY_ID=$KEY_ID AWS_SECRET_ACCESS_KEY=$SECRET \
        aws --endpoint-url "$MOTO_URL" --output json "$@"
}

# with_key CMD...: run CMD with the auditor's key in the environment.
with_key() {
    AWS_ACCESS_KEY_ID=$KEY_ID AWS_SECRET_ACCESS_KEY=$SECRET "$@"
}

# no_secret NAME FILE...: none of the files holds any secret of
# $T/secrets (the auditor's secret key, and the secret keys and session
# tokens moto gave out; compared with grep -qF, never printed).
no_secret() {
    local name=$1 f found=
    shift
    for f in "$@"; do
        [ -f "$f" ] || continue
        if grep -qF -f "$T/secrets" -- "$f"; then
            found="$found $(basename "$f")"
        fi
    done
    if [ -z "$found" ]; then
        pass "$name"
    else
        fail "$name (a secret is in:$found)"
    fi
}

# moto_sts_secrets: add the secret key and session token of every role
# session moto's STS handed out so far to $T/secrets (moto's own API
# lists them).
moto_sts_secrets() {
    python3 - "$MOTO_URL/moto-api/data.json" >>"$T/secrets" <<'PY'
import json, sys, urllib.request
data = json.loads(urllib.request.urlopen(sys.argv[1], timeout=10).read())
for role in data.get("sts", {}).get("AssumedRole", []):
    print(role["secret_access_key"])
    print(role["session_token"])
PY
}

# results_tsv REPORT.json [CONTROL...]: "control region kind id status"
# per result (of those controls only, when named), sorted: the comparable
# part of a JSON report.
results_tsv() {
    python3 - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
only = set(sys.argv[2:])
rows = sorted("\t".join((r["control"], r["resource"]["region"],
                         r["resource"]["kind"], r["resource"]["id"],
                         r["status"])) for r in d["results"]
              if not only or r["control"] in only)
print("\n".join(rows))
PY
}

# same_lines NAME WANT GOT: the two files hold the same lines; the
# difference is shown as TAP comments.
same_lines() {
    if diff -u "$2" "$3" >"$T/diff.out" 2>&1; then
        pass "$1"
    else
        fail "$1"
        sed -n '3,$p' "$T/diff.out" | head -40 | sed 's/^/# /'
    fi
}
