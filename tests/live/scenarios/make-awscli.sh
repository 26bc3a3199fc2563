#!/usr/bin/env bash
# Rewrite account-awscli/ (and check it, with --check): the account that
# account.json serves, saved with the AWS CLI as docs/input.md says, by
# pointing the pip AWS CLI v1 at fakeaws.  So the folder is what the CLI
# really prints for these XML replies, not a second hand-written copy.
#
#   tests/live/scenarios/make-awscli.sh            rewrite the folder
#   tests/live/scenarios/make-awscli.sh --check    compare, exit 1 if any differ
#
# Needs python3 and aws (the pip awscli).  Never touches the internet.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
check=0
[ "${1:-}" = "--check" ] && check=1
command -v aws >/dev/null 2>&1 || { echo "make-awscli: aws is not installed" >&2; exit 2; }

tmp=$(mktemp -d)
pid=
cleanup() {
    exec 9>&- 2>/dev/null
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
mkfifo "$tmp/stdin"
python3 "$root/tests/server/fakeaws.py" --port 0 --scenario "$here/account.json" \
    --exit-with-stdin <"$tmp/stdin" >"$tmp/port" 2>"$tmp/server.err" &
pid=$!
exec 9>"$tmp/stdin"
for _ in $(seq 100); do grep -q '^PORT=' "$tmp/port" 2>/dev/null && break; sleep 0.05; done
port=$(sed -n 's/^PORT=//p' "$tmp/port")
[ -n "$port" ] || { echo "make-awscli: fakeaws did not start" >&2; cat "$tmp/server.err" >&2; exit 2; }

for v in $(env | sed -n 's/^\(AWS_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_EC2_METADATA_DISABLED=true AWS_PAGER="" AWS_MAX_ATTEMPTS=1
export AWS_ACCESS_KEY_ID=AKIAMAKEAWSCLI000001 AWS_SECRET_ACCESS_KEY=make-awscli-not-a-secret
R=us-east-1
out=$tmp/account-awscli
mkdir -p "$out/$R"
cli() {   # cli FILE aws-args...
    local file=$1
    shift
    if ! aws --endpoint-url "http://127.0.0.1:$port" --region "$R" --output json "$@" >"$file"; then
        echo "make-awscli: aws $* failed" >&2
        exit 1
    fi
}
cli "$out/account.json" sts get-caller-identity
cli "$out/$R/describe-cache-clusters.json" elasticache describe-cache-clusters --show-cache-node-info
for c in describe-replication-groups describe-serverless-caches describe-cache-subnet-groups \
         describe-users describe-user-groups describe-snapshots; do
    cli "$out/$R/$c.json" elasticache "$c"
done
for c in describe-security-groups describe-vpcs describe-subnets describe-route-tables \
         describe-network-acls describe-managed-prefix-lists; do
    cli "$out/$R/$c.json" ec2 "$c"
done
# Only the lists the security groups name: that is what a fetch reads, so
# the two inventories are the same (docs/input.md saves every list; a
# list no rule names changes no result).
for pl in pl-0aa00000000000001 pl-0aa00000000000002; do
    cli "$out/$R/get-managed-prefix-list-entries-$pl.json" ec2 get-managed-prefix-list-entries --prefix-list-id "$pl"
done
cli "$out/$R/get-resources.json" resourcegroupstaggingapi get-resources --resource-type-filters elasticache

if [ $check -eq 1 ]; then
    if diff -r "$here/account-awscli" "$out" >"$tmp/diff"; then
        echo "account-awscli/ is what the AWS CLI prints"
        exit 0
    fi
    cat "$tmp/diff"
    exit 1
fi
rm -rf "$here/account-awscli"
cp -r "$out" "$here/account-awscli"
echo "wrote $here/account-awscli"
