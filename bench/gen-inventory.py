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

This file lays out the account (regions, their share of the caches, the
order in which a region is built) and writes the files; the records
themselves come from gen_inventory_ec2.py (the network) and
gen_inventory_elasticache.py (the caches), with the helpers both use in
gen_inventory_common.py.

The folder is written to OUTDIR.tmp and renamed to OUTDIR when complete,
so an interrupted run never leaves a half-written inventory behind.
"""

import argparse
import json
import os
import random
import shutil
import sys

# The record builders live next to this script (gen_inventory_*.py);
# bench/run.sh checksums all of them for the inventories' stamp.  No
# __pycache__ in the tree.
sys.dont_write_bytecode = True

from gen_inventory_common import ACCOUNT, Ids  # noqa: E402
from gen_inventory_ec2 import Ec2Records  # noqa: E402
from gen_inventory_elasticache import ElastiCacheRecords  # noqa: E402

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

PRETTY = {"indent": 4, "ensure_ascii": False}


# ---------------------------------------------------------------- account

class Region(Ec2Records, ElastiCacheRecords):
    """Everything generated for one region, and the indexes to wire caches
    to it.  The records are built by the two mixins: the network by
    Ec2Records (gen_inventory_ec2.py), the caches by ElastiCacheRecords
    (gen_inventory_elasticache.py)."""

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