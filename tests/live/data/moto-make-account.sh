# The test account, created through the AWS API with the aws CLI (sourced
# by tests/live/moto-account.sh after moto-lib.sh; needs moto_bootstrap).
# (Redis, not Valkey: moto 5.2 leaves ReplicationGroupId and NumCacheNodes
# out of a Valkey cache cluster.)
# What each cache is and what each control must say about it is in
# moto-expected.tsv; tests/live/README.md draws the account.
#
# shellcheck shell=bash

# r REGION ARGS...: one aws call in REGION, output as text (ids).
r() {
    local region=$1
    shift
    maws --region "$region" --output text "$@"
}

# us-east-1: a VPC of our own (two private subnets, one public behind an
# internet gateway), security groups of every kind, and the caches.
account_us_east_1() {
    local R=us-east-1 vpc sa sb sp igw rtb dvpc dsub dsg m
    local open priv ref plg all pl
    # Names with markup and non-ASCII text: they cross XML (EC2) and JSON
    # (tagging) on the way, and must arrive as the aws CLI prints them.
    vpc=$(r $R ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId \
            --tag-specifications "$(cat "$MOTO_DATA/vpc-tags.json")") &&
    sa=$(r $R ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 \
            --availability-zone us-east-1a --query Subnet.SubnetId) &&
    sb=$(r $R ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.2.0/24 \
            --availability-zone us-east-1b --query Subnet.SubnetId) &&
    sp=$(r $R ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.3.0/24 \
            --availability-zone us-east-1c --query Subnet.SubnetId) &&
    igw=$(r $R ec2 create-internet-gateway \
            --query InternetGateway.InternetGatewayId) &&
    r $R ec2 attach-internet-gateway --vpc-id "$vpc" \
        --internet-gateway-id "$igw" >/dev/null &&
    rtb=$(r $R ec2 create-route-table --vpc-id "$vpc" \
            --query RouteTable.RouteTableId) &&
    r $R ec2 create-route --route-table-id "$rtb" \
        --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null &&
    r $R ec2 associate-route-table --route-table-id "$rtb" \
        --subnet-id "$sp" >/dev/null || return 1

    # Security groups: open to the internet on 6379, private (the VPC's
    # range), one that admits another group, one whose rule is a managed
    # prefix list holding a public range, one all-traffic rule from 10/8.
    open=$(r $R ec2 create-security-group --vpc-id "$vpc" --group-name open \
            --description "6379 from anywhere" --query GroupId) &&
    priv=$(r $R ec2 create-security-group --vpc-id "$vpc" \
            --group-name private --description "6379 from the VPC" \
            --query GroupId) &&
    ref=$(r $R ec2 create-security-group --vpc-id "$vpc" --group-name ref \
            --description "6379 from the private group" --query GroupId) &&
    plg=$(r $R ec2 create-security-group --vpc-id "$vpc" \
            --group-name prefix-list --description "11211 from a prefix list" \
            --query GroupId) &&
    all=$(r $R ec2 create-security-group --vpc-id "$vpc" \
            --group-name all-internal --description "everything from 10/8" \
            --query GroupId) &&
    pl=$(r $R ec2 create-managed-prefix-list --prefix-list-name office \
            --max-entries 5 --address-family IPv4 \
            --entries Cidr=203.0.113.0/24,Description=office \
            --query PrefixList.PrefixListId) &&
    r $R ec2 authorize-security-group-ingress --group-id "$open" \
        --protocol tcp --port 6379 --cidr 0.0.0.0/0 >/dev/null &&
    r $R ec2 authorize-security-group-ingress --group-id "$priv" \
        --protocol tcp --port 6379 --cidr 10.0.0.0/16 >/dev/null &&
    r $R ec2 authorize-security-group-ingress --group-id "$ref" \
        --protocol tcp --port 6379 --source-group "$priv" >/dev/null &&
    r $R ec2 authorize-security-group-ingress --group-id "$plg" \
        --ip-permissions "IpProtocol=tcp,FromPort=11211,ToPort=11211,PrefixListIds=[{PrefixListId=$pl}]" \
        >/dev/null &&
    r $R ec2 authorize-security-group-ingress --group-id "$all" \
        --ip-permissions "IpProtocol=-1,IpRanges=[{CidrIp=10.0.0.0/8}]" \
        >/dev/null || return 1

    # The default VPC (moto makes one per region): its first subnet holds
    # the subnet group named "default", its default group guards a cache.
    read -r dsub dvpc < <(r $R ec2 describe-subnets \
            --filters Name=default-for-az,Values=true \
            --query 'Subnets[0].[SubnetId,VpcId]') &&
    dsg=$(r $R ec2 describe-security-groups \
            --filters "Name=vpc-id,Values=$dvpc" Name=group-name,Values=default \
            --query 'SecurityGroups[0].GroupId') || return 1

    r $R elasticache create-cache-subnet-group --cache-subnet-group-name private \
        --cache-subnet-group-description "two private subnets" \
        --subnet-ids "$sa" "$sb" >/dev/null &&
    r $R elasticache create-cache-subnet-group --cache-subnet-group-name public \
        --cache-subnet-group-description "the public subnet" \
        --subnet-ids "$sp" >/dev/null &&
    r $R elasticache create-cache-subnet-group --cache-subnet-group-name default \
        --cache-subnet-group-description "named default" \
        --subnet-ids "$dsub" >/dev/null || return 1

    # Standalone clusters.
    r $R elasticache create-cache-cluster --cache-cluster-id redis-open \
        --engine redis --cache-node-type cache.t3.micro --num-cache-nodes 1 \
        --cache-subnet-group-name public --security-group-ids "$open" \
        --tags '[{"Key": "team", "Value": "payments"}, {"Key": "note", "Value": "a<b & \"c\" café ☕"}]' \
        >/dev/null &&
    r $R elasticache create-cache-cluster --cache-cluster-id memcached-pl \
        --engine memcached --cache-node-type cache.t3.micro \
        --num-cache-nodes 2 --port 11211 --cache-subnet-group-name private \
        --security-group-ids "$plg" --transit-encryption-enabled >/dev/null &&
    r $R elasticache create-cache-cluster --cache-cluster-id redis-default \
        --engine redis --cache-node-type cache.t3.micro --num-cache-nodes 1 \
        --cache-subnet-group-name default --security-group-ids "$dsg" \
        --no-transit-encryption-enabled \
        --auth-token "cluster-auth-token-0123456789" >/dev/null || return 1

    # Replication groups and their member clusters (moto lists a group's
    # MemberClusters but does not make them; a cluster created with
    # --replication-group-id is what AWS lists for a member).
    r $R elasticache create-replication-group --replication-group-id rg-secure \
        --replication-group-description "TLS required, encrypted, AUTH" \
        --engine redis --cache-node-type cache.t3.micro \
        --replicas-per-node-group 1 --cache-subnet-group-name private \
        --security-group-ids "$priv" "$ref" --transit-encryption-enabled \
        --transit-encryption-mode required --at-rest-encryption-enabled \
        --auth-token "group-auth-token-0123456789" \
        --tags Key=env,Value=prod Key=team,Value=core >/dev/null &&
    r $R elasticache create-replication-group --replication-group-id rg-cluster \
        --replication-group-description "cluster mode, TLS preferred, RBAC" \
        --engine redis --cache-node-type cache.t3.micro --cluster-mode enabled \
        --num-node-groups 2 --replicas-per-node-group 0 \
        --cache-subnet-group-name public --security-group-ids "$all" \
        --transit-encryption-enabled --transit-encryption-mode preferred \
        --user-group-ids ug-app >/dev/null || return 1
    for m in rg-secure-001 rg-secure-002; do
        r $R elasticache create-cache-cluster --cache-cluster-id "$m" \
            --replication-group-id rg-secure --engine redis \
            --cache-node-type cache.t3.micro --cache-subnet-group-name private \
            --security-group-ids "$priv" "$ref" >/dev/null || return 1
    done
    for m in rg-cluster-0001-001 rg-cluster-0002-001; do
        r $R elasticache create-cache-cluster --cache-cluster-id "$m" \
            --replication-group-id rg-cluster --engine redis \
            --cache-node-type cache.t3.micro --cache-subnet-group-name public \
            --security-group-ids "$all" >/dev/null || return 1
    done

    r $R elasticache create-user --user-id app-user --user-name app-user \
        --engine redis --access-string "on ~app:* +@read" \
        --passwords "user-password-0123456789" >/dev/null &&
    r $R elasticache create-snapshot --snapshot-name redis-open-manual \
        --cache-cluster-id redis-open >/dev/null || return 1
}

# eu-west-1: the default VPC only, made public through its main route
# table; a catch-all group, an IPv6-open group, a private one; a cache
# outside any VPC.
account_eu_west_1() {
    local R=eu-west-1 dvpc s1 s2 igw main wide v6 priv
    dvpc=$(r $R ec2 describe-vpcs --filters Name=isDefault,Values=true \
            --query 'Vpcs[0].VpcId') &&
    read -r s1 s2 _ < <(r $R ec2 describe-subnets \
            --filters "Name=vpc-id,Values=$dvpc" --query 'Subnets[].SubnetId') &&
    main=$(r $R ec2 describe-route-tables \
            --filters "Name=vpc-id,Values=$dvpc" Name=association.main,Values=true \
            --query 'RouteTables[0].RouteTableId') &&
    igw=$(r $R ec2 create-internet-gateway \
            --query InternetGateway.InternetGatewayId) &&
    r $R ec2 attach-internet-gateway --vpc-id "$dvpc" \
        --internet-gateway-id "$igw" >/dev/null &&
    r $R ec2 create-route --route-table-id "$main" \
        --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null ||
        return 1

    wide=$(r $R ec2 create-security-group --vpc-id "$dvpc" --group-name wide \
            --description "all traffic from anywhere" --query GroupId) &&
    v6=$(r $R ec2 create-security-group --vpc-id "$dvpc" --group-name ipv6-open \
            --description "11211 from ::/0" --query GroupId) &&
    priv=$(r $R ec2 create-security-group --vpc-id "$dvpc" --group-name eu-private \
            --description "6379 from the VPC" --query GroupId) &&
    r $R ec2 authorize-security-group-ingress --group-id "$wide" \
        --ip-permissions "IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]" \
        >/dev/null &&
    r $R ec2 authorize-security-group-ingress --group-id "$v6" \
        --ip-permissions "IpProtocol=tcp,FromPort=11000,ToPort=12000,Ipv6Ranges=[{CidrIpv6=::/0}]" \
        >/dev/null &&
    r $R ec2 authorize-security-group-ingress --group-id "$priv" \
        --protocol tcp --port 6379 --cidr 172.31.0.0/16 >/dev/null || return 1

    r $R elasticache create-cache-subnet-group --cache-subnet-group-name eu-cache \
        --cache-subnet-group-description "default VPC subnets" \
        --subnet-ids "$s1" "$s2" >/dev/null &&
    r $R elasticache create-cache-cluster --cache-cluster-id eu-redis \
        --engine redis --cache-node-type cache.t3.micro --num-cache-nodes 1 \
        --cache-subnet-group-name eu-cache --security-group-ids "$wide" \
        --transit-encryption-enabled >/dev/null &&
    r $R elasticache create-cache-cluster --cache-cluster-id eu-memcached \
        --engine memcached --cache-node-type cache.t3.micro \
        --num-cache-nodes 1 --port 11211 --cache-subnet-group-name eu-cache \
        --security-group-ids "$v6" --no-transit-encryption-enabled >/dev/null &&
    r $R elasticache create-cache-cluster --cache-cluster-id classic-memcached \
        --engine memcached --cache-node-type cache.t3.micro \
        --num-cache-nodes 1 --port 11211 --transit-encryption-enabled \
        >/dev/null &&
    r $R elasticache create-replication-group --replication-group-id eu-rg \
        --replication-group-description "encrypted at rest only" \
        --engine redis --cache-node-type cache.t3.micro \
        --cache-subnet-group-name eu-cache --security-group-ids "$priv" \
        --at-rest-encryption-enabled --no-transit-encryption-enabled \
        >/dev/null &&
    r $R elasticache create-cache-cluster --cache-cluster-id eu-rg-001 \
        --replication-group-id eu-rg --engine redis \
        --cache-node-type cache.t3.micro --cache-subnet-group-name eu-cache \
        --security-group-ids "$priv" >/dev/null &&
    r $R elasticache create-snapshot --snapshot-name eu-rg-manual \
        --replication-group-id eu-rg >/dev/null
}

# Both regions at once (each in order); 0 when both worked.
make_account() {
    local a b
    account_us_east_1 >"$T/account-us-east-1.log" 2>&1 &
    a=$!
    account_eu_west_1 >"$T/account-eu-west-1.log" 2>&1 &
    b=$!
    wait $a && wait $b
}

# save_folder DIR: the same account as a folder of AWS CLI output, with
# exactly the commands of docs/input.md.
save_folder() {
    local dir=$1 R c pids=() ok=0
    rm -rf "$dir"
    mkdir -p "$dir"
    maws --region us-east-1 sts get-caller-identity >"$dir/account.json" &
    pids+=($!)
    for R in us-east-1 eu-west-1; do
        mkdir -p "$dir/$R"
        maws --region "$R" elasticache describe-cache-clusters \
            --show-cache-node-info >"$dir/$R/describe-cache-clusters.json" &
        pids+=($!)
        for c in describe-replication-groups describe-cache-subnet-groups \
                 describe-users describe-snapshots; do
            maws --region "$R" elasticache $c >"$dir/$R/$c.json" &
            pids+=($!)
        done
        for c in describe-security-groups describe-vpcs describe-subnets \
                 describe-route-tables describe-network-acls \
                 describe-managed-prefix-lists; do
            maws --region "$R" ec2 $c >"$dir/$R/$c.json" &
            pids+=($!)
        done
    done
    for R in us-east-1 eu-west-1; do
        maws --region "$R" resourcegroupstaggingapi get-resources \
            --resource-type-filters elasticache >"$dir/$R/get-resources.json" &
        pids+=($!)
    done
    # moto implements neither of these: as in docs/input.md, a file is
    # kept only when its command worked, so they stay absent (not
    # collected).  Tried in one region only (each try costs an aws start);
    # eu-west-1 has no such file either.
    for c in describe-serverless-caches describe-user-groups; do
        (
            if AWS_MAX_ATTEMPTS=1 maws --region us-east-1 elasticache $c \
                    >"$dir/us-east-1/$c.json.tmp" 2>/dev/null; then
                mv "$dir/us-east-1/$c.json.tmp" "$dir/us-east-1/$c.json"
            else
                rm -f "$dir/us-east-1/$c.json.tmp"
            fi
        ) &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || ok=1; done
    # The entries of each prefix list a security group rule names.  (The
    # script in docs/input.md saves every list's; fetch reads only these,
    # which is all the model resolves, and so does this folder, so that
    # the two can be compared item by item.)
    for R in us-east-1 eu-west-1; do
        for pl in $(python3 - "$dir/$R/describe-security-groups.json" <<'PY'
import json, sys
seen = []
for g in json.load(open(sys.argv[1]))["SecurityGroups"]:
    for p in g.get("IpPermissions", []):
        for ref in p.get("PrefixListIds", []):
            if ref["PrefixListId"] not in seen:
                seen.append(ref["PrefixListId"])
print(" ".join(seen))
PY
        ); do
            maws --region "$R" ec2 get-managed-prefix-list-entries \
                --prefix-list-id "$pl" \
                >"$dir/$R/get-managed-prefix-list-entries-$pl.json" || ok=1
        done
    done
    return $ok
}
