#!/usr/bin/env bash
# Credentials from a local IMDSv2 endpoint and from a container
# credentials endpoint (tests/server/metadata.py), used end to end: fetch
# the account of tests/live/scenarios/account.json from fakeaws, whose log
# must show every request signed with the metadata credentials' access
# key id, carrying their session token, with a signature that verifies
# with their secret key.  Secrets are compared, never printed; none may
# appear in anything ecpolicy writes.
source tests/lib.sh
source tests/live/scenarios/helpers.sh
hermetic_env
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
unset AWS_EC2_METADATA_DISABLED

# What metadata.py hands out (tests/server/metadata.py): compared only.
IMDS_AKID=ASIAIMDSTEST
CONTAINER_AKID=ASIACONTAINERTEST
export IMDS_SECRET=ecp-fixture-secret-imds IMDS_TOKEN=ecp-fixture-secret-imds-token
export CONTAINER_SECRET=ecp-fixture-secret-container CONTAINER_TOKEN=ecp-fixture-secret-container-token
AUTH=ecp-fixture-secret-auth

# ---- the metadata server (PORT <n> on stdout; exits when stdin closes)
mkfifo "$T/md.stdin"
python3 tests/server/metadata.py <"$T/md.stdin" >"$T/md.port" 2>"$T/md.err" &
MD_PID=$!
FAKE_PIDS+=("$MD_PID")
exec {MD_FD}>"$T/md.stdin"
for _ in $(seq 200); do
    grep -q '^PORT ' "$T/md.port" 2>/dev/null && break
    kill -0 "$MD_PID" 2>/dev/null || break
    sleep 0.05
done
MD_PORT=$(sed -n 's/^PORT //p' "$T/md.port")
if [ -z "$MD_PORT" ]; then
    fail "metadata.py did not start"
    sed 's/^/# /' "$T/md.err" | head -5
    exit 0
fi
MD=http://127.0.0.1:$MD_PORT
md_requests() { python3 -c "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen(sys.argv[1] + '/_requests', timeout=5).read().decode())" "$MD"; }
md_requests >/dev/null   # forget the start-up

start_fakeaws account "$SCEN/account.json" || exit 0

# no_fixture_secret NAME: nothing ecpolicy wrote holds a metadata secret,
# token or the container authorization.
no_fixture_secret() {
    local name=$1 f leaked=
    for f in "$T/$name.out" "$T/$name.err" "$T/$name.snap.json" "$T/$name".inv.*; do
        [ -f "$f" ] || continue
        grep -qF "ecp-fixture-secret" "$f" && leaked="$leaked $(basename "$f")"
    done
    if [ -z "$leaked" ]; then pass "$name: no secret, token or authorization in any output"
    else fail "$name: a metadata secret leaked into$leaked"; fi
}

# ---- IMDSv2
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$MD/ok/
: >"$FAKE_LOG"
expect_fetch imds 0 -v
inventory_json imds
check others-ok "$T/imds.inv.json" "$REGION" -- "imds: every collection is ok"
AWS_TEST_SECRET=$IMDS_SECRET check signed "$FAKE_LOG" "$IMDS_AKID" IMDS_TOKEN -- \
    "imds: every request is signed with the IMDS credentials' key id, carries their session token, and verifies with their secret"
md_requests >"$T/imds.md"
has "$T/imds.md" "PUT /ok/latest/api/token token=no ttl=yes" "imds: an IMDSv2 session token was asked for, with its TTL header"
has "$T/imds.md" "GET /ok/latest/meta-data/iam/security-credentials/ token=yes" "imds: the role name was read with the session token"
has "$T/imds.md" "GET /ok/latest/meta-data/iam/security-credentials/ecp-test-role token=yes" \
    "imds: the role's credentials were read with the session token"
n=$(grep -c . "$T/imds.md")
if [ "$n" -eq 3 ]; then pass "imds: three metadata requests for the whole fetch (the credentials are read once)"
else fail "imds: $n metadata requests, want 3"; sed 's/^/# /' "$T/imds.md" | head -8; fi
no_fixture_secret imds

# IMDS credentials that have expired: refused before anything is sent
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$MD/expired/
: >"$FAKE_LOG"
expect_fetch imds-expired 2
has "$T/imds-expired.err" "expired" "imds-expired: the error says the credentials have expired"
if [ ! -s "$FAKE_LOG" ]; then pass "imds-expired: no request reached AWS"
else fail "imds-expired: requests reached AWS with expired credentials"; fi
no_fixture_secret imds-expired

# IMDSv2 turned off (the token PUT answers 403): no IMDSv1 fallback
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$MD/no-token/
: >"$FAKE_LOG"
md_requests >/dev/null
expect_fetch imds-no-token 2
md_requests >"$T/imds-no-token.md"
lacks "$T/imds-no-token.md" "security-credentials" "imds-no-token: no IMDSv1 request without a session token"
if [ ! -s "$FAKE_LOG" ]; then pass "imds-no-token: no request reached AWS"
else fail "imds-no-token: requests reached AWS"; fi
unset AWS_EC2_METADATA_SERVICE_ENDPOINT

# ---- container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI) with an
# authorization token; IMDS is set up too, and must not be asked
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$MD/ok/
export AWS_CONTAINER_CREDENTIALS_FULL_URI=$MD/container/auth
export AWS_CONTAINER_AUTHORIZATION_TOKEN=$AUTH
: >"$FAKE_LOG"
md_requests >/dev/null
expect_fetch container 0 -v
inventory_json container
check others-ok "$T/container.inv.json" "$REGION" -- "container: every collection is ok"
AWS_TEST_SECRET=$CONTAINER_SECRET check signed "$FAKE_LOG" "$CONTAINER_AKID" CONTAINER_TOKEN -- \
    "container: every request is signed with the container credentials' key id, carries their session token, and verifies with their secret"
md_requests >"$T/container.md"
has "$T/container.md" "GET /container/auth token=no ttl=no auth=yes" \
    "container: the credentials were asked for with the Authorization header"
lacks "$T/container.md" "/ok/latest" "container: IMDS, later in the chain, was not asked"
no_fixture_secret container

# The token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (it wins over the
# variable, which here holds a wrong value)
printf '%s\n' "$AUTH" >"$T/container-token"
export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=$T/container-token AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong
: >"$FAKE_LOG"
expect_fetch container-file 0
AWS_TEST_SECRET=$CONTAINER_SECRET check signed "$FAKE_LOG" "$CONTAINER_AKID" CONTAINER_TOKEN -- \
    "container-file: the token file's authorization gets the container credentials"
no_fixture_secret container-file
unset AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE

# A wrong authorization: the endpoint answers 401, nothing is sent to AWS
export AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong
: >"$FAKE_LOG"
expect_fetch container-401 2
if [ ! -s "$FAKE_LOG" ]; then pass "container-401: no request reached AWS"
else fail "container-401: requests reached AWS"; fi
lacks "$T/container-401.err" "/container/auth" "container-401: the error does not quote the URL's path"
no_fixture_secret container-401

# ---- keys in the environment come first in the chain: neither endpoint
# is asked
export AWS_CONTAINER_AUTHORIZATION_TOKEN=$AUTH
export AWS_ACCESS_KEY_ID=$TEST_AKID AWS_SECRET_ACCESS_KEY=$TEST_SECRET
: >"$FAKE_LOG"
md_requests >/dev/null
expect_fetch env-first 0
AWS_TEST_SECRET=$TEST_SECRET check signed "$FAKE_LOG" "$TEST_AKID" -- \
    "env-first: the environment's keys sign every request, with no session token"
md_requests >"$T/env-first.md"
if [ ! -s "$T/env-first.md" ]; then pass "env-first: no metadata endpoint was asked"
else fail "env-first: a metadata endpoint was asked"; sed 's/^/# /' "$T/env-first.md"; fi

exec {MD_FD}>&-
