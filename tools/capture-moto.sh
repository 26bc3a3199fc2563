#!/usr/bin/env bash
# Capture the XML fixtures of tests/data/xml/ (see its README): real
# replies from moto_server, and for each one what the AWS CLI v1 prints for
# the same call against the same state, which is what the XML reader must
# reproduce.  Hand-written replies (*.hand.xml, *.awsdoc.xml,
# *.botocore.xml) are served by a small loopback server so the CLI prints
# their expected JSON too.  Error replies get their expected fields from
# botocore's own parser.
#
#   tools/capture-moto.sh [OUTDIR]      (default tests/data/xml)
#
# A dev-time tool, never run by the build or the tests.  Needs moto_server,
# the pip aws CLI v1, python3 (with botocore) and curl.  Everything listens
# on 127.0.0.1 only, and every server it starts is stopped on exit.
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-tests/data/xml}
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/capture-moto.XXXXXX")
MOTO_PID=
REPLAY_PID=

cleanup() {
    [ -n "$MOTO_PID" ] && kill "$MOTO_PID" 2>/dev/null
    [ -n "$REPLAY_PID" ] && kill "$REPLAY_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

case $(aws --version 2>&1) in
    aws-cli/1.*) ;;
    *) echo "capture-moto: needs the pip aws CLI v1 first on PATH" >&2; exit 2;;
esac

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_REGION AWS_REGION

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# moto_server cannot report a port it chose, so take a free one and retry
# if another process grabbed it first.
start_moto() {
    local try port
    for try in 1 2 3; do
        port=$(free_port)
        moto_server -H 127.0.0.1 -p "$port" >"$WORK/moto.log" 2>&1 &
        MOTO_PID=$!
        for _ in $(seq 100); do
            if curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/"; then
                PORT=$port
                return 0
            fi
            kill -0 "$MOTO_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill "$MOTO_PID" 2>/dev/null || true
        MOTO_PID=
    done
    echo "capture-moto: moto_server did not start:" >&2
    cat "$WORK/moto.log" >&2
    exit 1
}

start_moto
URL=http://127.0.0.1:$PORT
AWS="aws --endpoint-url $URL --region us-east-1 --output text"

# fetch NAME SERVICE FORM: the raw reply, as curl POSTs it (moto routes by
# the service in the credential scope and does not check signatures).
fetch() {
    local name=$1 service=$2 form=$3 code
    code=$(curl -s -o "$OUT/$name.xml" -w '%{http_code}' -d "$form" "$URL/" \
        -H "Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/$service/aws4_request, SignedHeaders=host, Signature=x")
    echo "$code"
}

# capture NAME SERVICE FORM CLI-ARGS...: the reply and the CLI's JSON.
capture() {
    local name=$1 service=$2 form=$3 code
    shift 3
    code=$(fetch "$name" "$service" "$form")
    if [ "$code" != 200 ]; then
        echo "capture-moto: $name: HTTP $code" >&2
        exit 1
    fi
    aws --endpoint-url "$URL" --region us-east-1 --output json --no-paginate \
        "$@" >"$OUT/$name.json"
    echo "captured $name"
}

# error_expect NAME PROTOCOL: what botocore's parser makes of an error reply.
error_expect() {
    python3 - "$OUT/$1.xml" "$2" >"$OUT/$1.json" <<'EOF'
import json, sys
from botocore import parsers
body = open(sys.argv[1], "rb").read()
parser = parsers.create_parser(sys.argv[2])
got = parser.parse({"body": body, "status_code": 400, "headers": {}}, None)
err = got.get("Error", {})
out = {k: err[k] for k in ("Code", "Message", "Type") if k in err}
rid = got.get("ResponseMetadata", {}).get("RequestId")
if rid:
    out["RequestId"] = rid
print(json.dumps(out, indent=4, sort_keys=True))
EOF
}

# capture_error NAME SERVICE PROTOCOL FORM
capture_error() {
    local code
    code=$(fetch "$1" "$2" "$4")
    case $code in
        4*|5*) ;;
        *) echo "capture-moto: $1: expected an error, got HTTP $code" >&2; exit 1;;
    esac
    error_expect "$1" "$3"
    echo "captured $1 (HTTP $code)"
}

### The account: EC2 networking first, then ElastiCache on top of it.

VPC=$($AWS ec2 create-vpc --cidr-block 10.1.0.0/16 \
    --amazon-provided-ipv6-cidr-block --query Vpc.VpcId)
$AWS ec2 create-tags --resources "$VPC" --tags Key=Name,Value=cache-vpc
SUBNET_A=$($AWS ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.1.1.0/24 \
    --availability-zone us-east-1a --query Subnet.SubnetId)
SUBNET_B=$($AWS ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.1.2.0/24 \
    --availability-zone us-east-1b --query Subnet.SubnetId)
$AWS ec2 modify-subnet-attribute --subnet-id "$SUBNET_B" --map-public-ip-on-launch
IGW=$($AWS ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
$AWS ec2 attach-internet-gateway --internet-gateway-id "$IGW" --vpc-id "$VPC"
RTB=$($AWS ec2 create-route-table --vpc-id "$VPC" --query RouteTable.RouteTableId)
$AWS ec2 create-route --route-table-id "$RTB" --destination-cidr-block 0.0.0.0/0 \
    --gateway-id "$IGW" >/dev/null
$AWS ec2 associate-route-table --route-table-id "$RTB" --subnet-id "$SUBNET_B" >/dev/null
ACL=$($AWS ec2 create-network-acl --vpc-id "$VPC" --query NetworkAcl.NetworkAclId)
$AWS ec2 create-network-acl-entry --network-acl-id "$ACL" --rule-number 100 \
    --protocol tcp --port-range From=6379,To=6380 --cidr-block 10.0.0.0/8 \
    --rule-action allow --ingress
$AWS ec2 create-network-acl-entry --network-acl-id "$ACL" --rule-number 200 \
    --protocol -1 --ipv6-cidr-block ::/0 --rule-action deny --egress
PL=$($AWS ec2 create-managed-prefix-list --prefix-list-name office \
    --max-entries 5 --address-family IPv4 \
    --entries Cidr=203.0.113.0/24,Description=office Cidr=198.51.100.0/24 \
    --query PrefixList.PrefixListId)
SG_APP=$($AWS ec2 create-security-group --group-name app \
    --description "app servers" --vpc-id "$VPC" --query GroupId)
SG_CACHE=$($AWS ec2 create-security-group --group-name cache \
    --description "cache <&> clients" --vpc-id "$VPC" --query GroupId)
$AWS ec2 authorize-security-group-ingress --group-id "$SG_CACHE" --ip-permissions \
    "IpProtocol=tcp,FromPort=6379,ToPort=6379,IpRanges=[{CidrIp=10.1.0.0/16,Description=vpc}],Ipv6Ranges=[{CidrIpv6=::/0,Description=anywhere}],PrefixListIds=[{PrefixListId=$PL,Description=office}],UserIdGroupPairs=[{GroupId=$SG_APP,Description=app}]" \
    "IpProtocol=tcp,FromPort=11211,ToPort=11211,IpRanges=[{CidrIp=0.0.0.0/0}]" \
    "IpProtocol=icmp,FromPort=-1,ToPort=-1,IpRanges=[{CidrIp=10.0.0.0/8}]" >/dev/null
$AWS ec2 create-tags --resources "$SG_CACHE" --tags Key=team,Value=data "Key=cost center,Value="

$AWS elasticache create-cache-subnet-group --cache-subnet-group-name cache-sn \
    --cache-subnet-group-description "cache subnets" \
    --subnet-ids "$SUBNET_A" "$SUBNET_B" >/dev/null
$AWS elasticache create-cache-cluster --cache-cluster-id sessions \
    --engine redis --cache-node-type cache.t3.micro --num-cache-nodes 1 \
    --cache-subnet-group-name cache-sn --security-group-ids "$SG_CACHE" \
    --snapshot-retention-limit 3 --tags Key=team,Value=web >/dev/null
$AWS elasticache create-cache-cluster --cache-cluster-id catalog \
    --engine memcached --cache-node-type cache.t3.small --num-cache-nodes 2 \
    --cache-subnet-group-name cache-sn >/dev/null
$AWS elasticache create-replication-group --replication-group-id orders \
    --replication-group-description "orders, encrypted" --engine redis \
    --cache-node-type cache.t3.micro --num-cache-clusters 2 \
    --transit-encryption-enabled --at-rest-encryption-enabled \
    --automatic-failover-enabled --multi-az-enabled >/dev/null
$AWS elasticache create-replication-group --replication-group-id plain \
    --replication-group-description "plain" --engine redis \
    --cache-node-type cache.t3.micro --num-cache-clusters 1 >/dev/null
$AWS elasticache create-user --user-id app --user-name app --engine redis \
    --access-string "on ~app:* +@read" --passwords "averylongpassword123" >/dev/null
$AWS elasticache create-user --user-id open --user-name open --engine redis \
    --access-string "on ~* +@all" --no-password-required >/dev/null
$AWS elasticache create-snapshot --snapshot-name sessions-manual \
    --cache-cluster-id sessions >/dev/null
SESSIONS_ARN=arn:aws:elasticache:us-east-1:123456789012:cluster:sessions

### Successful replies.

V=Version=2016-11-15
capture ec2.DescribeVpcs.moto ec2 "Action=DescribeVpcs&$V" ec2 describe-vpcs
capture ec2.DescribeSubnets.moto ec2 "Action=DescribeSubnets&$V" ec2 describe-subnets
capture ec2.DescribeSecurityGroups.moto ec2 "Action=DescribeSecurityGroups&$V" \
    ec2 describe-security-groups
capture ec2.DescribeRouteTables.moto ec2 "Action=DescribeRouteTables&$V" \
    ec2 describe-route-tables
capture ec2.DescribeNetworkAcls.moto ec2 "Action=DescribeNetworkAcls&$V" \
    ec2 describe-network-acls
capture ec2.DescribeManagedPrefixLists.moto ec2 \
    "Action=DescribeManagedPrefixLists&$V" ec2 describe-managed-prefix-lists
capture ec2.GetManagedPrefixListEntries.moto ec2 \
    "Action=GetManagedPrefixListEntries&$V&PrefixListId=$PL" \
    ec2 get-managed-prefix-list-entries --prefix-list-id "$PL"
capture ec2.DescribeRegions.moto ec2 "Action=DescribeRegions&$V" ec2 describe-regions

V=Version=2015-02-02
capture elasticache.DescribeCacheClusters.moto elasticache \
    "Action=DescribeCacheClusters&$V&ShowCacheNodeInfo=true" \
    elasticache describe-cache-clusters --show-cache-node-info
capture elasticache.DescribeReplicationGroups.moto elasticache \
    "Action=DescribeReplicationGroups&$V" elasticache describe-replication-groups
capture elasticache.DescribeCacheSubnetGroups.moto elasticache \
    "Action=DescribeCacheSubnetGroups&$V" elasticache describe-cache-subnet-groups
capture elasticache.DescribeUsers.moto elasticache "Action=DescribeUsers&$V" \
    elasticache describe-users
capture elasticache.DescribeSnapshots.moto elasticache "Action=DescribeSnapshots&$V" \
    elasticache describe-snapshots
capture elasticache.ListTagsForResource.moto elasticache \
    "Action=ListTagsForResource&$V&ResourceName=$SESSIONS_ARN" \
    elasticache list-tags-for-resource --resource-name "$SESSIONS_ARN"

V=Version=2011-06-15
capture sts.GetCallerIdentity.moto sts "Action=GetCallerIdentity&$V" \
    sts get-caller-identity
# AssumeRole hands out new keys on every call, so fetch once and let the
# CLI read that very reply from the replay server below.
code=$(fetch sts.AssumeRole.moto sts \
    "Action=AssumeRole&$V&RoleArn=arn:aws:iam::123456789012:role/audit&RoleSessionName=ecpolicy")
[ "$code" = 200 ] || { echo "capture-moto: AssumeRole: HTTP $code" >&2; exit 1; }

### Error replies (and moto's HTML page for what it lacks).

capture_error error.elasticache.moto elasticache query \
    "Action=DescribeCacheClusters&Version=2015-02-02&CacheClusterId=nope"
capture_error error.elasticache-rg.moto elasticache query \
    "Action=DescribeReplicationGroups&Version=2015-02-02&ReplicationGroupId=nope"
capture_error error.ec2.moto ec2 ec2 \
    "Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.1=sg-nope"
code=$(fetch bad.html.moto elasticache "Action=DescribeServerlessCaches&Version=2015-02-02")
echo "captured bad.html.moto (HTTP $code)"

kill "$MOTO_PID"
MOTO_PID=

### Replay: the CLI's JSON for replies that moto cannot give.

python3 -u - "$WORK/current" >"$WORK/replay.port" 2>"$WORK/replay.log" <<'EOF' &
import http.server, sys
current = sys.argv[1]
class Reply(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with open(current) as f:
            path = f.read().strip()
        with open(path, "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Reply)
print(server.server_address[1])
server.serve_forever()
EOF
REPLAY_PID=$!
for _ in $(seq 100); do
    [ -s "$WORK/replay.port" ] && break
    sleep 0.1
done
RPORT=$(cat "$WORK/replay.port")
[ -n "$RPORT" ] || { echo "capture-moto: replay server did not start" >&2; exit 1; }

# replay NAME CLI-ARGS...
replay() {
    local name=$1
    shift
    echo "$OUT/$name.xml" >"$WORK/current"
    aws --endpoint-url "http://127.0.0.1:$RPORT" --region us-east-1 \
        --output json --no-paginate "$@" >"$OUT/$name.json"
    echo "replayed $name"
}

replay sts.AssumeRole.moto sts assume-role \
    --role-arn arn:aws:iam::123456789012:role/audit --role-session-name ecpolicy
for f in "$OUT"/*.hand.xml "$OUT"/*.awsdoc.xml "$OUT"/*.botocore.xml; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .xml)
    case $name in error.*|bad.*) continue;; esac
    service=${name%%.*}
    op=${name#*.}
    op=${op%%.*}
    # DescribeCacheClusters -> describe-cache-clusters
    cmd=$(echo "$op" | sed 's/\([a-z]\)\([A-Z]\)/\1-\2/g' | tr A-Z a-z)
    case $op in
        AssumeRole) replay "$name" sts assume-role \
            --role-arn arn:aws:iam::123456789012:role/audit --role-session-name ecpolicy;;
        GetManagedPrefixListEntries) replay "$name" ec2 "$cmd" --prefix-list-id pl-1;;
        ListTagsForResource) replay "$name" elasticache "$cmd" --resource-name arn:x;;
        *) replay "$name" "$service" "$cmd";;
    esac
done
for f in "$OUT"/error.*.xml; do
    name=$(basename "$f" .xml)
    case $name in
        *.moto) ;;
        error.ec2*) error_expect "$name" ec2;;
        *) error_expect "$name" query;;
    esac
done
