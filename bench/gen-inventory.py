#!/usr/bin/env python3
"""Write a synthetic AWS account as a folder of saved AWS CLI output.

    gen-inventory.py N OUTDIR [--seed S] [--regions R1,R2,...]

N caches are spread over a few regions (most in the first), in the mix

    40%  replication groups, 2-3 member clusters each (the members are
         records in describe-cache-clusters with ReplicationGroupId);
         a quarter of them in cluster mode (2-3 single-node shards)
    35%  standalone clusters: Redis OSS / Valkey (one node) and
         Memcached (1-4 nodes, configuration endpoint); about 2% outside
         a VPC (EC2-Classic placement)
    25%  serverless caches (Valkey, Redis OSS, Memcached)

with everything they refer to: cache subnet groups, subnets, VPCs, route
tables (explicit associations, a main table per VPC, NAT and internet
gateways), network ACLs, security groups shared by about 20 caches each
and holding dozens of ingress rules (IPv4 and IPv6 ranges, prefix lists,
referenced groups, all-traffic, UDP and ICMP rules), managed prefix lists
with one get-managed-prefix-list-entries-<id>.json per list, users, user
groups, snapshots, and account.json.

Every record uses the member names and JSON types of real AWS CLI v2
output (the shapes of tests/fixtures/awscli), and every file is written
the way 'aws ... --output json' prints it (four-space indent), so
ecpolicy validates it like real input.  The same N and seed always give
the same bytes.  Standard library only.

The folder is written to OUTDIR.tmp and renamed to OUTDIR when complete,
so an interrupted run never leaves a half-written inventory behind.
"""

import argparse
import json
import math
import os
import random
import shutil
import sys

ACCOUNT = "111122223333"
REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"]
# Share of the caches in each region, in the order above (renormalized
# when fewer regions are asked for).
REGION_WEIGHTS = [0.45, 0.25, 0.18, 0.12]
REGION_SHORT = {"us-east-1": "use1", "eu-west-1": "euw1", "us-west-2": "usw2",
                "ap-southeast-2": "apse2"}
AZ_IDS = {"us-east-1": ["use1-az4", "use1-az6", "use1-az1"],
          "eu-west-1": ["euw1-az1", "euw1-az2", "euw1-az3"],
          "us-west-2": ["usw2-az1", "usw2-az2", "usw2-az3"],
          "ap-southeast-2": ["apse2-az1", "apse2-az3", "apse2-az2"]}

APPS = ["orders", "checkout", "sessions", "catalog", "search", "payments",
        "inventory", "pricing", "ratelimit", "feed", "profile", "cart",
        "ledger", "auth", "media", "reco", "geo", "notify", "ads", "chat"]
ENVS = ["prod", "stage", "dev", "qa"]
ENV_WEIGHTS = [0.55, 0.2, 0.17, 0.08]

CACHE_CAPS = ["cache.r7g.large", "cache.r7g.xlarge", "cache.m7g.large",
              "cache.r6g.large", "cache.t4g.medium", "cache.m6g.xlarge",
              "cache.r6g.2xlarge", "cache.t3.small"]
WINDOWS = ["sun:05:00-sun:06:00", "mon:07:00-mon:08:00",
           "wed:03:30-wed:04:30", "sat:22:00-sat:23:00",
           "thu:09:00-thu:10:00"]
SNAP_WINDOWS = ["04:30-05:30", "05:00-06:00", "03:00-04:00", "23:00-00:00"]

REDIS_VERSIONS = ["7.1.0", "7.0.7", "6.2.6", "6.0.5", "5.0.6", "4.0.10"]
VALKEY_VERSIONS = ["8.0.1", "7.2.6"]
MEMCACHED_VERSIONS = ["1.6.22", "1.6.17", "1.6.12", "1.5.16"]

# Documentation and well-known public ranges, for the rules that admit
# the outside world.
PUBLIC_V4 = ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24",
             "52.94.0.0/22", "34.228.0.0/16", "3.5.0.0/19", "0.0.0.0/0",
             "81.2.69.142/32", "8.8.8.8/32", "100.64.0.0/10"]
PUBLIC_V6 = ["2001:db8::/32", "2600:1f18:4a3::/48", "::/0",
             "2a05:d018:1000::/36"]
OTHER_PORTS = [22, 80, 443, 3306, 5432, 8080, 9090, 9200, 2049, 27017]

PRETTY = {"indent": 4, "ensure_ascii": False}


class Ids:
    """EC2-style ids (sg-0123456789abcdef0): 17 hex digits, unique."""

    def __init__(self, rng):
        self.rng = rng
        self.seen = set()

    def new(self, prefix, digits=17):
        while True:
            v = "%s-%0*x" % (prefix, digits, self.rng.getrandbits(4 * digits))
            if v not in self.seen:
                self.seen.add(v)
                return v


def stamp(rng, lo=2016, hi=2025):
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03d000+00:00" % (
        rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28),
        rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
        rng.randint(0, 999))


def pick(rng, items, weights=None):
    if weights:
        return rng.choices(items, weights)[0]
    return items[rng.randrange(len(items))]


def tags(name, rng, extra=True):
    t = [{"Key": "Name", "Value": name}]
    if extra and rng.random() < 0.6:
        t.append({"Key": "team", "Value": pick(rng, APPS)})
    if extra and rng.random() < 0.4:
        t.append({"Key": "cost-center", "Value": "cc-%04d" % rng.randint(1, 9999)})
    return t


# ---------------------------------------------------------------- network

class Region:
    """Everything generated for one region, and the indexes to wire caches
    to it."""

    def __init__(self, name, ncaches, rng, ids):
        self.name = name
        self.short = REGION_SHORT.get(name, name.replace("-", "")[:6])
        self.azs = ["%s%s" % (name, z) for z in "abc"]
        self.az_ids = AZ_IDS.get(name, ["%s-az%d" % (self.short, i) for i in (1, 2, 3)])
        self.rng = rng
        self.ids = ids
        self.n = ncaches
        self.vpcs, self.subnets, self.route_tables, self.acls = [], [], [], []
        self.sgs, self.subnet_groups, self.prefix_lists = [], [], []
        self.entries = {}            # prefix list id -> entries
        self.users, self.user_groups, self.snapshots = [], [], []
        self.clusters, self.groups, self.serverless = [], [], []
        self.vpc_info = []           # per VPC: subnets by role, sgs, groups
        self.classic_sg = None

    # -- VPCs, subnets, route tables, network ACLs

    def build_network(self):
        rng, ids = self.rng, self.ids
        nvpc = max(2, math.ceil(self.n / 2500))
        for v in range(nvpc + 1):
            default = v == nvpc      # the default VPC, last
            vpc_id = ids.new("vpc")
            cidr = "172.31.0.0/16" if default else "10.%d.0.0/16" % (v % 250 + 1)
            v6 = "2600:1f18:%x:%x00::/56" % (rng.randrange(0x10000), rng.randrange(0x100))
            name = "default" if default else "%s-%s-%02d" % (self.short, pick(rng, ENVS, ENV_WEIGHTS), v)
            vpc = {
                "OwnerId": ACCOUNT,
                "InstanceTenancy": "default",
                "CidrBlockAssociationSet": [{
                    "AssociationId": ids.new("vpc-cidr-assoc"),
                    "CidrBlock": cidr,
                    "CidrBlockState": {"State": "associated"},
                }],
                "IsDefault": default,
                "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
                "VpcId": vpc_id,
                "State": "available",
                "CidrBlock": cidr,
                "DhcpOptionsId": ids.new("dopt"),
            }
            if not default:
                vpc["Ipv6CidrBlockAssociationSet"] = [{
                    "AssociationId": ids.new("vpc-cidr-assoc"),
                    "Ipv6CidrBlock": v6,
                    "Ipv6CidrBlockState": {"State": "associated"},
                    "NetworkBorderGroup": self.name,
                    "Ipv6Pool": "Amazon",
                }]
                vpc["Tags"] = tags(name, rng)
            self.vpcs.append(vpc)
            info = {"vpc_id": vpc_id, "default": default, "cidr": cidr,
                    "roles": {"public": [], "app": [], "data": []},
                    "sgs": [], "subnet_groups": []}
            self.vpc_info.append(info)
            octet2 = cidr.split(".")[1]
            roles = ["public"] if default else ["public", "app", "data"]
            k = 0
            for role in roles:
                for z, az in enumerate(self.azs):
                    sid = ids.new("subnet")
                    block = ("172.31.%d.0/20" % (16 * z) if default
                             else "10.%s.%d.0/20" % (octet2, 16 * k))
                    sub = {
                        "AvailabilityZoneId": self.az_ids[z],
                        "MapCustomerOwnedIpOnLaunch": False,
                        "OwnerId": ACCOUNT,
                        "AssignIpv6AddressOnCreation": False,
                        "Ipv6CidrBlockAssociationSet": [],
                        "SubnetArn": "arn:aws:ec2:%s:%s:subnet/%s" % (self.name, ACCOUNT, sid),
                        "EnableDns64": False,
                        "Ipv6Native": False,
                        "PrivateDnsNameOptionsOnLaunch": {
                            "HostnameType": "ip-name",
                            "EnableResourceNameDnsARecord": False,
                            "EnableResourceNameDnsAAAARecord": False,
                        },
                        "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
                        "SubnetId": sid,
                        "State": "available",
                        "VpcId": vpc_id,
                        "CidrBlock": block,
                        "AvailableIpAddressCount": rng.randint(3000, 4091),
                        "AvailabilityZone": az,
                        "DefaultForAz": default,
                        "MapPublicIpOnLaunch": role == "public",
                    }
                    if not default:
                        sub["Ipv6CidrBlockAssociationSet"] = [{
                            "AssociationId": ids.new("subnet-cidr-assoc"),
                            "Ipv6CidrBlock": v6.replace("00::/56", "%02x::/64" % k),
                            "Ipv6CidrBlockState": {"State": "associated"},
                            "Ipv6AddressAttribute": "public",
                            "IpSource": "amazon",
                        }]
                        sub["Tags"] = tags("%s-%s-%s" % (name, role, az[-1]), rng, False)
                    self.subnets.append(sub)
                    info["roles"][role].append(sid)
                    k += 1
            self.build_routes(info, v6)
            self.build_acl(info)

    def route_assoc(self, rtb, subnet=None, main=False):
        a = {"Main": main,
             "RouteTableAssociationId": self.ids.new("rtbassoc"),
             "RouteTableId": rtb,
             "AssociationState": {"State": "associated"}}
        if subnet:
            a["SubnetId"] = subnet
        return a

    def route_table(self, info, name, assocs, routes, rtb):
        rt = {"Associations": assocs, "PropagatingVgws": [],
              "RouteTableId": rtb, "Routes": routes,
              "VpcId": info["vpc_id"], "OwnerId": ACCOUNT}
        if name:
            rt["Tags"] = tags(name, self.rng, False)
        self.route_tables.append(rt)

    def build_routes(self, info, v6):
        rng, ids = self.rng, self.ids
        local = [{"DestinationCidrBlock": info["cidr"], "GatewayId": "local",
                  "Origin": "CreateRouteTable", "State": "active"}]
        if not info["default"]:
            local.append({"DestinationIpv6CidrBlock": v6, "GatewayId": "local",
                          "Origin": "CreateRouteTable", "State": "active"})
        igw = ids.new("igw")
        s3 = {"DestinationPrefixListId": "pl-63a5400a",
              "GatewayId": ids.new("vpce"), "Origin": "CreateRoute",
              "State": "active"}
        to_igw = [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw,
                   "Origin": "CreateRoute", "State": "active"}]
        if info["default"]:
            # Default VPC: the main table routes to the internet, and no
            # subnet is associated explicitly.
            rtb = ids.new("rtb")
            self.route_table(info, None, [self.route_assoc(rtb, main=True)],
                             local + to_igw, rtb)
            return
        # Main table: local only; the data subnets have no explicit
        # association and fall back to it.
        rtb = ids.new("rtb")
        self.route_table(info, "main", [self.route_assoc(rtb, main=True)],
                         local + [s3], rtb)
        # Public: internet gateway, IPv4 and IPv6.
        rtb = ids.new("rtb")
        self.route_table(info, "public",
                         [self.route_assoc(rtb, s) for s in info["roles"]["public"]],
                         local + to_igw + [{
                             "DestinationIpv6CidrBlock": "::/0", "GatewayId": igw,
                             "Origin": "CreateRoute", "State": "active"}], rtb)
        # App subnets: one table per AZ through a NAT gateway; now and then
        # one that someone pointed at the internet gateway.
        eigw = ids.new("eigw")
        for sid in info["roles"]["app"]:
            rtb = ids.new("rtb")
            out = [{"DestinationCidrBlock": "0.0.0.0/0",
                    "NatGatewayId": ids.new("nat"), "Origin": "CreateRoute",
                    "State": "active"}]
            if rng.random() < 0.1:
                out = to_igw
            out.append({"DestinationIpv6CidrBlock": "::/0",
                        "EgressOnlyInternetGatewayId": eigw,
                        "Origin": "CreateRoute", "State": "active"})
            if rng.random() < 0.2:
                out.append({"DestinationCidrBlock": "10.250.0.0/16",
                            "GatewayId": igw.replace("igw", "vgw"),
                            "Origin": "CreateRoute", "State": "blackhole"})
            self.route_table(info, "private", [self.route_assoc(rtb, sid)],
                             local + out + [s3], rtb)

    def build_acl(self, info):
        ids = self.ids
        acl_id = ids.new("acl")
        subs = [s for r in info["roles"].values() for s in r]
        entries = []
        for egress in (True, False):
            entries += [
                {"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "-1",
                 "RuleAction": "allow", "RuleNumber": 100},
                {"Egress": egress, "Ipv6CidrBlock": "::/0", "Protocol": "-1",
                 "RuleAction": "allow", "RuleNumber": 101},
                {"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "-1",
                 "RuleAction": "deny", "RuleNumber": 32767},
                {"Egress": egress, "Ipv6CidrBlock": "::/0", "Protocol": "-1",
                 "RuleAction": "deny", "RuleNumber": 32768},
            ]
        self.acls.append({
            "Associations": [{"NetworkAclAssociationId": ids.new("aclassoc"),
                              "NetworkAclId": acl_id, "SubnetId": s} for s in subs],
            "Entries": entries, "IsDefault": True, "NetworkAclId": acl_id,
            "Tags": [], "VpcId": info["vpc_id"], "OwnerId": ACCOUNT})

    # -- managed prefix lists

    def build_prefix_lists(self):
        rng, ids = self.rng, self.ids
        aws = [("pl-63a5400a", "com.amazonaws.%s.s3" % self.name),
               ("pl-02cd2c6b", "com.amazonaws.%s.dynamodb" % self.name)]
        for plid, name in aws:
            self.prefix_lists.append({
                "PrefixListId": plid, "AddressFamily": "IPv4",
                "State": "create-complete",
                "PrefixListArn": "arn:aws:ec2:%s:aws:prefix-list/%s" % (self.name, plid),
                "PrefixListName": name, "Tags": [], "OwnerId": "AWS"})
            self.entries[plid] = [{"Cidr": "%d.%d.%d.0/%d" % (
                rng.choice([3, 16, 52, 54]), rng.randrange(256),
                rng.randrange(0, 256, 4), rng.choice([16, 19, 22]))}
                for _ in range(rng.randint(3, 8))]
        for i in range(min(60, max(4, self.n // 400))):
            plid = ids.new("pl")
            family = "IPv6" if rng.random() < 0.15 else "IPv4"
            public = rng.random() < 0.3
            kind = "partner-egress" if public else "corp-networks"
            self.prefix_lists.append({
                "PrefixListId": plid, "AddressFamily": family,
                "State": "modify-complete",
                "PrefixListArn": "arn:aws:ec2:%s:%s:prefix-list/%s" % (self.name, ACCOUNT, plid),
                "PrefixListName": "%s-%02d" % (kind, i),
                "MaxEntries": 50, "Version": rng.randint(1, 40),
                "Tags": [{"Key": "Owner", "Value": "netops"}],
                "OwnerId": ACCOUNT})
            entries = []
            for j in range(rng.randint(5, 30)):
                if family == "IPv6":
                    cidr = ("2001:db8:%x::/48" % rng.randrange(0x10000) if public
                            else "fd%02x:%x::/48" % (rng.randrange(256), rng.randrange(0x10000)))
                elif public:
                    cidr = "%d.%d.%d.0/24" % (rng.choice([81, 91, 185, 212]),
                                              rng.randrange(256), rng.randrange(256))
                else:
                    cidr = "10.%d.%d.0/24" % (rng.randrange(256), rng.randrange(256))
                e = {"Cidr": cidr}
                if rng.random() < 0.7:
                    e["Description"] = "site %d" % j
                entries.append(e)
            self.entries[plid] = entries

    # -- security groups

    def ip_permission(self, vpc_sgs, customer_pls, leaky):
        """One ingress rule.  Only "leaky" groups (about a third) have
        public sources or all-traffic rules from CIDRs; the others admit
        private ranges, ULA IPv6 and other security groups."""
        rng = self.rng
        r = rng.random()
        if r < 0.30:
            proto, lo, hi = "tcp", 6379, rng.choice([6379, 6379, 6380])
        elif r < 0.40:
            proto, lo, hi = "tcp", 11211, rng.choice([11211, 11212])
        elif r < 0.65:
            p = rng.choice(OTHER_PORTS)
            proto, lo, hi = "tcp", p, p
        elif r < 0.72:
            lo = rng.choice([1024, 6000, 8000])
            proto, hi = "tcp", lo + rng.choice([100, 1000, 2000])
        elif r < 0.76:
            proto, lo, hi = "tcp", 0, 65535
        elif r < 0.80:
            proto, lo, hi = "-1", None, None
        elif r < 0.90:
            p = rng.choice([53, 123, 11211, 514])
            proto, lo, hi = "udp", p, p
        elif r < 0.96:
            proto, lo, hi = "icmp", rng.choice([8, 3, -1]), -1
        else:
            proto, lo, hi = "icmpv6", -1, -1
        perm = {"IpProtocol": proto}
        if lo is not None:
            perm["FromPort"] = lo
            perm["ToPort"] = hi
        pairs, v4, v6, pls = [], [], [], []
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            sg = pick(rng, vpc_sgs)
            pair = {"UserId": ACCOUNT, "GroupId": sg}
            if rng.random() < 0.5:
                pair["Description"] = "from %s" % pick(rng, APPS)
            pairs.append(pair)
        for _ in range(rng.choice([0, 1, 1, 2, 3, 4])):
            x = rng.random()
            if x < 0.80:
                cidr = "10.%d.%d.0/%d" % (rng.randrange(256), rng.randrange(0, 256, 16), rng.choice([16, 20, 24]))
            elif x < 0.90:
                cidr = "172.%d.0.0/16" % rng.randint(16, 31)
            elif x < 0.93:
                cidr = "192.168.%d.0/24" % rng.randrange(256)
            elif leaky:
                cidr = pick(rng, PUBLIC_V4)
            else:
                cidr = "10.%d.0.0/16" % rng.randrange(256)
            rng_ = {"CidrIp": cidr}
            if rng.random() < 0.5:
                rng_["Description"] = "%s %s" % (pick(rng, APPS), pick(rng, ENVS))
            v4.append(rng_)
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            cidr = (pick(rng, PUBLIC_V6) if leaky and rng.random() < 0.15
                    else "fd%02x:%x:%x::/48" % (rng.randrange(256), rng.randrange(0x10000), rng.randrange(0x10000)))
            r6 = {"CidrIpv6": cidr}
            if rng.random() < 0.4:
                r6["Description"] = "v6 %s" % pick(rng, APPS)
            v6.append(r6)
        if customer_pls and rng.random() < 0.15:
            pl = {"PrefixListId": pick(rng, customer_pls)}
            if rng.random() < 0.6:
                pl["Description"] = "managed list"
            pls.append(pl)
        if proto == "-1" and not leaky:
            v4, v6, pls = [], [], []
        if not (pairs or v4 or v6 or pls):
            if proto == "-1":
                pairs.append({"UserId": ACCOUNT, "GroupId": pick(rng, vpc_sgs)})
            else:
                v4.append({"CidrIp": "10.%d.0.0/16" % rng.randrange(256)})
        perm["UserIdGroupPairs"] = pairs
        perm["IpRanges"] = v4
        perm["Ipv6Ranges"] = v6
        perm["PrefixListIds"] = pls
        return perm

    def build_security_groups(self, counts):
        """counts: caches per VPC index, to size each VPC's groups."""
        rng, ids = self.rng, self.ids
        customer_pls = [p["PrefixListId"] for p in self.prefix_lists
                        if p["OwnerId"] == ACCOUNT]
        corp_pls = [p["PrefixListId"] for p in self.prefix_lists
                    if p["PrefixListName"].startswith("corp-")]
        for vi, info in enumerate(self.vpc_info):
            nsg = max(2, math.ceil(counts[vi] / 20))
            gids = [ids.new("sg") for _ in range(nsg + 1)]
            info["sgs"] = gids[1:]               # gids[0] is "default"
            for k, gid in enumerate(gids):
                default = k == 0
                name = "default" if default else "%s-%s-cache-%03d" % (
                    pick(rng, APPS), pick(rng, ENVS, ENV_WEIGHTS), k)
                if default:
                    perms = [{"IpProtocol": "-1", "UserIdGroupPairs": [
                        {"UserId": ACCOUNT, "GroupId": gid}],
                        "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": []}]
                else:
                    leaky = rng.random() < 0.3
                    perms = [self.ip_permission(gids, customer_pls if leaky else corp_pls, leaky)
                             for _ in range(rng.randint(20, 60))]
                sg = {
                    "GroupId": gid,
                    "IpPermissionsEgress": [{
                        "IpProtocol": "-1", "UserIdGroupPairs": [],
                        "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                        "Ipv6Ranges": [{"CidrIpv6": "::/0"}] if not info["default"] else [],
                        "PrefixListIds": []}],
                    "VpcId": info["vpc_id"],
                    "SecurityGroupArn": "arn:aws:ec2:%s:%s:security-group/%s" % (self.name, ACCOUNT, gid),
                    "OwnerId": ACCOUNT,
                    "GroupName": name,
                    "Description": "default VPC security group" if default else "cache clients for %s" % name,
                    "IpPermissions": perms,
                }
                if not default and rng.random() < 0.7:
                    sg["Tags"] = tags(name, rng)
                self.sgs.append(sg)
            if info["default"]:
                # The default VPC's caches mostly use its default group.
                info["sgs"] = gids[:1] + info["sgs"]

    # -- cache subnet groups

    def build_subnet_groups(self, counts):
        rng = self.rng
        by_id = {s["SubnetId"]: s for s in self.subnets}
        for vi, info in enumerate(self.vpc_info):
            roles = info["roles"]
            if info["default"]:
                names = ["default"]
                choices = [roles["public"]]
            else:
                ng = max(2, math.ceil(counts[vi] / 50))
                names, choices = [], []
                for k in range(ng):
                    x = rng.random()
                    role = "data" if x < 0.7 else ("app" if x < 0.94 else "public")
                    names.append("sng-%s-%02d-%s-%03d" % (self.short, vi, role, k))
                    choices.append(rng.sample(roles[role], rng.choice([2, 3, 3])))
            for name, subs in zip(names, choices):
                self.subnet_groups.append({
                    "CacheSubnetGroupName": name,
                    "CacheSubnetGroupDescription": "cache subnets (%s)" % name,
                    "VpcId": info["vpc_id"],
                    "Subnets": [{
                        "SubnetIdentifier": s,
                        "SubnetAvailabilityZone": {"Name": by_id[s]["AvailabilityZone"]},
                        "SupportedNetworkTypes": ["ipv4"],
                    } for s in subs],
                    "ARN": "arn:aws:elasticache:%s:%s:subnetgroup:%s" % (self.name, ACCOUNT, name),
                    "SupportedNetworkTypes": ["ipv4"],
                })
                info["subnet_groups"].append((name, subs))

    # -- users and user groups

    def build_users(self):
        rng = self.rng
        self.users.append({
            "UserId": "default", "UserName": "default", "Status": "active",
            "Engine": "redis", "MinimumEngineVersion": "6.0",
            "AccessString": "on ~* +@all", "UserGroupIds": [],
            "Authentication": {"Type": "no-password"},
            "ARN": "arn:aws:elasticache:%s:%s:user:default" % (self.name, ACCOUNT)})
        nusers = 10 + self.n // 200
        for i in range(nusers):
            uid = "%s-%s-%04d" % (pick(rng, APPS), rng.choice(["writer", "reader", "admin", "disabled"]), i)
            auth = rng.choice([{"Type": "password", "PasswordCount": rng.randint(1, 2)},
                               {"Type": "iam"}, {"Type": "no-password"}])
            self.users.append({
                "UserId": uid, "UserName": "default" if uid.endswith("disabled-%04d" % i) else uid,
                "Status": "active", "Engine": rng.choice(["redis", "valkey"]),
                "MinimumEngineVersion": "6.0",
                "AccessString": rng.choice(["on ~app:* &* +@all -@dangerous",
                                            "on ~* +@read", "off -@all"]),
                "UserGroupIds": [], "Authentication": auth,
                "ARN": "arn:aws:elasticache:%s:%s:user:%s" % (self.name, ACCOUNT, uid)})
        ngroups = 5 + self.n // 500
        for i in range(ngroups):
            gid = "ug-%s-%03d" % (pick(rng, APPS), i)
            members = rng.sample(self.users[1:], min(len(self.users) - 1, rng.randint(2, 6)))
            for u in members:
                u["UserGroupIds"].append(gid)
            self.user_groups.append({
                "UserGroupId": gid, "Status": "active",
                "Engine": rng.choice(["redis", "valkey"]),
                "UserIds": [u["UserId"] for u in members],
                "MinimumEngineVersion": "6.0",
                "ReplicationGroups": [], "ServerlessCaches": [],
                "ARN": "arn:aws:elasticache:%s:%s:usergroup:%s" % (self.name, ACCOUNT, gid)})

    # -- caches

    def placement(self, weights):
        """A VPC (by weight), a subnet group of it, and 1-2 of its groups."""
        rng = self.rng
        vi = rng.choices(range(len(self.vpc_info)), weights)[0]
        info = self.vpc_info[vi]
        name, subs = pick(rng, info["subnet_groups"])
        k = 1 if rng.random() < 0.7 else 2
        sgs = rng.sample(info["sgs"], min(k, len(info["sgs"])))
        return info, name, subs, sgs

    def node(self, cid, node_id, port, az, created):
        return {
            "CacheNodeId": node_id,
            "CacheNodeStatus": "available",
            "CacheNodeCreateTime": created,
            "Endpoint": {"Address": "%s.%s.%s.%s.cache.amazonaws.com" % (
                cid, "x7bk2d", node_id, self.short), "Port": port},
            "ParameterGroupStatus": "in-sync",
            "CustomerAvailabilityZone": az,
        }

    def cluster_record(self, cid, engine, version, nodes, port, place, security,
                       created, tls, at_rest, auth, rg=None, config_port=None):
        rng = self.rng
        family = {"redis": "redis", "valkey": "valkey", "memcached": "memcached"}[engine]
        major = version.split(".")[0]
        rec = {"CacheClusterId": cid}
        if config_port:
            rec["ConfigurationEndpoint"] = {
                "Address": "%s.x7bk2d.cfg.%s.cache.amazonaws.com" % (cid, self.short),
                "Port": config_port}
        rec.update({
            "ClientDownloadLandingPage": "https://console.aws.amazon.com/elasticache/home#client-download:",
            "CacheNodeType": pick(rng, CACHE_CAPS),
            "Engine": engine,
            "EngineVersion": version,
            "CacheClusterStatus": "available",
            "NumCacheNodes": nodes,
            "PreferredAvailabilityZone": "Multiple" if nodes > 1 else pick(rng, self.azs),
            "CacheClusterCreateTime": created,
            "PreferredMaintenanceWindow": pick(rng, WINDOWS),
            "PendingModifiedValues": {},
            "CacheSecurityGroups": [],
            "CacheParameterGroup": {
                "CacheParameterGroupName": "default.%s%s" % (family, major if family != "memcached" else "1.6"),
                "ParameterApplyStatus": "in-sync",
                "CacheNodeIdsToReboot": []},
        })
        if place:
            rec["CacheSubnetGroupName"] = place
        else:
            rec["CacheSecurityGroups"] = [{"CacheSecurityGroupName": "default", "Status": "active"}]
        rec["CacheNodes"] = [self.node(cid, "%04d" % (i + 1), port, self.azs[i % 3], created)
                             for i in range(nodes)]
        rec["AutoMinorVersionUpgrade"] = rng.random() < 0.8
        if place:
            rec["SecurityGroups"] = [{"SecurityGroupId": g, "Status": "active"} for g in security]
        if rg:
            rec["ReplicationGroupId"] = rg
        if engine != "memcached":
            rec["SnapshotRetentionLimit"] = rng.choice([0, 1, 5, 7, 35])
            rec["SnapshotWindow"] = pick(rng, SNAP_WINDOWS)
        rec["AuthTokenEnabled"] = auth
        if auth:
            rec["AuthTokenLastModifiedDate"] = stamp(rng, 2023)
        rec["TransitEncryptionEnabled"] = tls is not None
        rec["AtRestEncryptionEnabled"] = at_rest
        rec["ARN"] = "arn:aws:elasticache:%s:%s:cluster:%s" % (self.name, ACCOUNT, cid)
        rec["ReplicationGroupLogDeliveryEnabled"] = bool(rg)
        rec["LogDeliveryConfigurations"] = []
        if place:
            rec["NetworkType"] = "ipv4"
            rec["IpDiscovery"] = "ipv4"
        if tls and engine != "memcached":
            rec["TransitEncryptionMode"] = tls
        return rec

    def encryption(self, engine, version):
        rng = self.rng
        modern = not version.startswith(("3.", "4.", "5.", "1.5"))
        tls = None
        if modern and rng.random() < 0.7:
            tls = "required" if engine == "memcached" or rng.random() < 0.75 else "preferred"
        at_rest = engine != "memcached" and modern and rng.random() < 0.75
        auth = engine != "memcached" and tls is not None and rng.random() < 0.5
        return tls, at_rest, auth

    def version(self, engine):
        return pick(self.rng, {"redis": REDIS_VERSIONS, "valkey": VALKEY_VERSIONS,
                               "memcached": MEMCACHED_VERSIONS}[engine])

    def cache_name(self, kind, i):
        rng = self.rng
        return "%s-%s-%s%05d" % (pick(rng, APPS), pick(rng, ENVS, ENV_WEIGHTS), kind, i)

    def standalone(self, i, weights):
        rng = self.rng
        engine = rng.choices(["redis", "valkey", "memcached"], [0.55, 0.1, 0.35])[0]
        version = self.version(engine)
        cid = self.cache_name("c", i)
        created = stamp(rng)
        classic = rng.random() < 0.02 and engine != "valkey"
        if classic:
            place, sgs = None, []
        else:
            _, place, _, sgs = self.placement(weights)
        tls, at_rest, auth = self.encryption(engine, version)
        if engine == "memcached":
            nodes = rng.randint(1, 4)
            rec = self.cluster_record(cid, engine, version, nodes, 11211, place, sgs,
                                      created, tls, False, False, config_port=11211)
        else:
            port = 6379 if rng.random() < 0.95 else rng.choice([6380, 7000])
            rec = self.cluster_record(cid, engine, version, 1, port, place, sgs,
                                      created, tls, at_rest, auth)
        self.clusters.append(rec)

    def replication_group(self, i, weights):
        rng = self.rng
        engine = "redis" if rng.random() < 0.75 else "valkey"
        version = self.version(engine)
        gid = self.cache_name("g", i)
        created = stamp(rng)
        _, place, _, sgs = self.placement(weights)
        tls, at_rest, auth = self.encryption(engine, version)
        cluster_mode = rng.random() < 0.25
        nmembers = rng.choice([2, 3])
        port = 6379
        shards = []
        if cluster_mode:
            members = ["%s-%04d-001" % (gid, s + 1) for s in range(nmembers)]
            step = 16384 // nmembers
            for s, m in enumerate(members):
                hi = 16383 if s == nmembers - 1 else (s + 1) * step - 1
                shards.append({
                    "NodeGroupId": "%04d" % (s + 1), "Status": "available",
                    "Slots": "%d-%d" % (s * step, hi),
                    "NodeGroupMembers": [{"CacheClusterId": m, "CacheNodeId": "0001",
                                          "PreferredAvailabilityZone": self.azs[s % 3]}]})
        else:
            members = ["%s-%03d" % (gid, k + 1) for k in range(nmembers)]
            host = "%s.x7bk2d.%s.cache.amazonaws.com" % (gid, self.short)
            shards.append({
                "NodeGroupId": "0001", "Status": "available",
                "PrimaryEndpoint": {"Address": "master." + host, "Port": port},
                "ReaderEndpoint": {"Address": "replica." + host, "Port": port},
                "NodeGroupMembers": [{
                    "CacheClusterId": m, "CacheNodeId": "0001",
                    "ReadEndpoint": {"Address": "%s.%s" % (m, host), "Port": port},
                    "PreferredAvailabilityZone": self.azs[k % 3],
                    "CurrentRole": "primary" if k == 0 else "replica"}
                    for k, m in enumerate(members)]})
        for m in members:
            self.clusters.append(self.cluster_record(
                m, engine, version, 1, port, place, sgs, created, tls, at_rest,
                auth, rg=gid))
        rbac = tls is not None and not auth and rng.random() < 0.5 and self.user_groups
        rec = {
            "ReplicationGroupId": gid,
            "Description": "%s cache" % gid.split("-")[0],
            "GlobalReplicationGroupInfo": {},
            "Status": "available",
            "PendingModifiedValues": {},
            "MemberClusters": members,
            "NodeGroups": shards,
            "AutomaticFailover": "enabled" if cluster_mode or nmembers > 1 else "disabled",
            "MultiAZ": "enabled" if rng.random() < 0.7 else "disabled",
        }
        if cluster_mode:
            rec["ConfigurationEndpoint"] = {
                "Address": "clustercfg.%s.x7bk2d.%s.cache.amazonaws.com" % (gid, self.short),
                "Port": port}
        else:
            rec["SnapshottingClusterId"] = members[-1]
        rec.update({
            "SnapshotRetentionLimit": rng.choice([0, 1, 5, 7, 35]),
            "SnapshotWindow": pick(rng, SNAP_WINDOWS),
            "ClusterEnabled": cluster_mode,
            "CacheNodeType": pick(rng, CACHE_CAPS),
            "AuthTokenEnabled": auth,
        })
        if auth:
            rec["AuthTokenLastModifiedDate"] = stamp(rng, 2023)
        rec["TransitEncryptionEnabled"] = tls is not None
        rec["AtRestEncryptionEnabled"] = at_rest
        rec["MemberClustersOutpostArns"] = []
        if at_rest and rng.random() < 0.5:
            rec["KmsKeyId"] = "arn:aws:kms:%s:%s:key/%08x-%04x-4%03x-a%03x-%012x" % (
                self.name, ACCOUNT, rng.getrandbits(32), rng.getrandbits(16),
                rng.getrandbits(12), rng.getrandbits(12), rng.getrandbits(48))
        rec["ARN"] = "arn:aws:elasticache:%s:%s:replicationgroup:%s" % (self.name, ACCOUNT, gid)
        if rbac:
            ug = pick(rng, self.user_groups)
            rec["UserGroupIds"] = [ug["UserGroupId"]]
            ug["ReplicationGroups"].append(gid)
        rec.update({
            "LogDeliveryConfigurations": [],
            "ReplicationGroupCreateTime": created,
            "DataTiering": "disabled",
            "AutoMinorVersionUpgrade": True,
            "NetworkType": "ipv4",
            "IpDiscovery": "ipv4",
        })
        if tls:
            rec["TransitEncryptionMode"] = tls
        rec["ClusterMode"] = "enabled" if cluster_mode else "disabled"
        rec["Engine"] = engine
        self.groups.append(rec)

    def serverless_cache(self, i, weights):
        rng = self.rng
        engine = rng.choices(["valkey", "redis", "memcached"], [0.5, 0.35, 0.15])[0]
        major, full = {"valkey": ("8", "8.0"), "redis": ("7", "7.1"),
                       "memcached": ("1.6", "1.6.22")}[engine]
        name = self.cache_name("s", i)
        info, _, _, sgs = self.placement(weights)
        roles = info["roles"]
        role = "data" if rng.random() < 0.9 and roles["data"] else "public"
        subs = rng.sample(roles[role], min(len(roles[role]), rng.choice([2, 3])))
        host = "%s-x7bk2d.serverless.%s.cache.amazonaws.com" % (name, self.short)
        port = 11211 if engine == "memcached" else 6379
        rec = {
            "ServerlessCacheName": name,
            "Description": "%s read model" % name.split("-")[0],
            "CreateTime": stamp(rng, 2024),
            "Status": "available",
            "Engine": engine,
            "MajorEngineVersion": major,
            "FullEngineVersion": full,
            "CacheUsageLimits": {"DataStorage": {"Maximum": rng.choice([5, 10, 50]), "Unit": "GB"},
                                 "ECPUPerSecond": {"Maximum": rng.choice([5000, 15000, 100000])}},
        }
        if rng.random() < 0.4:
            rec["KmsKeyId"] = "arn:aws:kms:%s:%s:key/%08x-%04x-4%03x-a%03x-%012x" % (
                self.name, ACCOUNT, rng.getrandbits(32), rng.getrandbits(16),
                rng.getrandbits(12), rng.getrandbits(12), rng.getrandbits(48))
        rec["SecurityGroupIds"] = sgs
        rec["Endpoint"] = {"Address": host, "Port": port}
        if engine != "memcached":
            rec["ReaderEndpoint"] = {"Address": host, "Port": port + 1}
        rec["ARN"] = "arn:aws:elasticache:%s:%s:serverlesscache:%s" % (self.name, ACCOUNT, name)
        if engine != "memcached" and rng.random() < 0.5 and self.user_groups:
            ug = pick(rng, self.user_groups)
            rec["UserGroupId"] = ug["UserGroupId"]
            ug["ServerlessCaches"].append(name)
        rec["SubnetIds"] = subs
        if engine != "memcached":
            rec["SnapshotRetentionLimit"] = rng.choice([0, 1, 7])
            rec["DailySnapshotTime"] = rng.choice(["03:00", "04:30", "22:00"])
        rec["NetworkType"] = "ipv4"
        self.serverless.append(rec)

    def build_snapshots(self):
        rng = self.rng
        redis = [c for c in self.clusters if c["Engine"] != "memcached"]
        for k in range(min(len(redis), max(1, self.n // 50))):
            c = pick(rng, redis)
            name = "%s-snap-%05d" % (c["CacheClusterId"], k)
            snap = {
                "SnapshotName": name,
                "CacheClusterId": c["CacheClusterId"],
                "SnapshotStatus": "available",
                "SnapshotSource": rng.choice(["manual", "automated"]),
                "CacheNodeType": c["CacheNodeType"],
                "Engine": c["Engine"],
                "EngineVersion": c["EngineVersion"],
                "NumCacheNodes": 1,
                "PreferredAvailabilityZone": c["PreferredAvailabilityZone"],
                "CacheClusterCreateTime": c["CacheClusterCreateTime"],
                "PreferredMaintenanceWindow": c["PreferredMaintenanceWindow"],
                "Port": 6379,
                "CacheParameterGroupName": c["CacheParameterGroup"]["CacheParameterGroupName"],
                "AutoMinorVersionUpgrade": True,
                "SnapshotRetentionLimit": 7,
                "SnapshotWindow": "04:30-05:30",
                "NodeSnapshots": [{"CacheNodeId": "0001",
                                   "CacheSize": "%d MB" % rng.randint(1, 9000),
                                   "CacheNodeCreateTime": c["CacheClusterCreateTime"],
                                   "SnapshotCreateTime": stamp(rng, 2025)}],
                "ARN": "arn:aws:elasticache:%s:%s:snapshot:%s" % (self.name, ACCOUNT, name),
                "DataTiering": "disabled",
            }
            if "CacheSubnetGroupName" in c:
                snap["CacheSubnetGroupName"] = c["CacheSubnetGroupName"]
            self.snapshots.append(snap)

    def build(self):
        rng = self.rng
        self.build_network()
        self.build_prefix_lists()
        # Caches per VPC: the default VPC gets about 3%, the rest evenly.
        nv = len(self.vpc_info)
        weights = [0.97 / (nv - 1)] * (nv - 1) + [0.03]
        counts = [max(1, int(self.n * w)) for w in weights]
        self.build_security_groups(counts)
        self.build_subnet_groups(counts)
        self.build_users()
        n_rg = round(self.n * 0.40)
        n_sc = round(self.n * 0.35)
        n_sl = self.n - n_rg - n_sc
        kinds = ["g"] * n_rg + ["c"] * n_sc + ["s"] * n_sl
        rng.shuffle(kinds)
        for i, k in enumerate(kinds):
            if k == "g":
                self.replication_group(i, weights)
            elif k == "c":
                self.standalone(i, weights)
            else:
                self.serverless_cache(i, weights)
        self.build_snapshots()


# ---------------------------------------------------------------- output

def write_list(path, key, items):
    """Write {"<key>": [items]} exactly as json.dump(indent=4) would, one
    item at a time (no whole-file string in memory).  Returns bytes."""
    with open(path, "w", encoding="utf-8") as f:
        if not items:
            f.write('{\n    "%s": []\n}\n' % key)
            return f.tell()
        f.write('{\n    "%s": [\n' % key)
        for i, item in enumerate(items):
            text = json.dumps(item, **PRETTY)
            f.write("        " + text.replace("\n", "\n        "))
            f.write(",\n" if i + 1 < len(items) else "\n")
        f.write("    ]\n}\n")
        return f.tell()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of caches")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--regions", default=",".join(REGIONS))
    a = ap.parse_args()
    regions = [r for r in a.regions.split(",") if r]
    w = REGION_WEIGHTS[:len(regions)] + [0.1] * max(0, len(regions) - len(REGION_WEIGHTS))
    total = sum(w)
    shares = [int(a.n * x / total) for x in w]
    shares[0] += a.n - sum(shares)

    tmp = a.outdir.rstrip("/") + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    size = 0
    nfiles = 0
    stats = {"caches": 0, "cache_clusters": 0, "replication_groups": 0,
             "standalone": 0, "serverless": 0, "security_groups": 0,
             "ip_permissions": 0, "sources": 0}
    with open(os.path.join(tmp, "account.json"), "w") as f:
        json.dump({"UserId": "AROAYCTK3ZT6EXAMPLE7:ecpolicy-bench",
                   "Account": ACCOUNT,
                   "Arn": "arn:aws:sts::%s:assumed-role/SecurityAudit/ecpolicy-bench" % ACCOUNT},
                  f, indent=4)
        f.write("\n")
        size += f.tell()
        nfiles += 1
    for name, n in zip(regions, shares):
        rng = random.Random("%d/%d/%s" % (a.seed, a.n, name))
        reg = Region(name, n, rng, Ids(rng))
        reg.build()
        d = os.path.join(tmp, name)
        os.makedirs(d)
        files = [
            ("describe-cache-clusters", "CacheClusters",
             sorted(reg.clusters, key=lambda c: c["CacheClusterId"])),
            ("describe-replication-groups", "ReplicationGroups",
             sorted(reg.groups, key=lambda g: g["ReplicationGroupId"])),
            ("describe-serverless-caches", "ServerlessCaches", reg.serverless),
            ("describe-cache-subnet-groups", "CacheSubnetGroups", reg.subnet_groups),
            ("describe-users", "Users", reg.users),
            ("describe-user-groups", "UserGroups", reg.user_groups),
            ("describe-snapshots", "Snapshots", reg.snapshots),
            ("describe-security-groups", "SecurityGroups", reg.sgs),
            ("describe-vpcs", "Vpcs", reg.vpcs),
            ("describe-subnets", "Subnets", reg.subnets),
            ("describe-route-tables", "RouteTables", reg.route_tables),
            ("describe-network-acls", "NetworkAcls", reg.acls),
            ("describe-managed-prefix-lists", "PrefixLists", reg.prefix_lists),
        ]
        for plid, entries in reg.entries.items():
            files.append(("get-managed-prefix-list-entries-" + plid, "Entries", entries))
        for stem, key, items in files:
            size += write_list(os.path.join(d, stem + ".json"), key, items)
            nfiles += 1
        stats["cache_clusters"] += len(reg.clusters)
        stats["replication_groups"] += len(reg.groups)
        stats["standalone"] += sum(1 for c in reg.clusters if "ReplicationGroupId" not in c)
        stats["serverless"] += len(reg.serverless)
        stats["security_groups"] += len(reg.sgs)
        for sg in reg.sgs:
            stats["ip_permissions"] += len(sg["IpPermissions"])
            for p in sg["IpPermissions"]:
                stats["sources"] += (len(p["IpRanges"]) + len(p["Ipv6Ranges"]) +
                                     len(p["PrefixListIds"]) + len(p["UserIdGroupPairs"]))
    stats["caches"] = stats["replication_groups"] + stats["standalone"] + stats["serverless"]
    shutil.rmtree(a.outdir, ignore_errors=True)
    os.rename(tmp, a.outdir)
    print("gen-inventory: %s: %d caches (%d replication groups, %d standalone "
          "clusters, %d serverless; %d cache cluster records), %d security "
          "groups with %d ingress rules and %d sources, %d regions, %d files, "
          "%.1f MB (%d bytes)" % (
              a.outdir, stats["caches"], stats["replication_groups"],
              stats["standalone"], stats["serverless"], stats["cache_clusters"],
              stats["security_groups"], stats["ip_permissions"], stats["sources"],
              len(regions), nfiles, size / 1e6, size))


if __name__ == "__main__":
    sys.exit(main())
