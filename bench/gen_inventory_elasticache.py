"""The ElastiCache records of a synthetic region, as the AWS CLI prints
them: describe-cache-subnet-groups, describe-users,
describe-user-groups, describe-cache-clusters,
describe-replication-groups, describe-serverless-caches and
describe-snapshots.

ElastiCacheRecords is a mixin of gen-inventory.py's Region, which owns
the state it reads (rng, name, short, azs, n, subnets, vpc_info, built
by gen_inventory_ec2) and fills (subnet_groups, users, user_groups,
clusters, groups, serverless, snapshots).  The order of the random
draws is part of the output: keep it when editing.
"""

import math

from gen_inventory_common import ACCOUNT, APPS, ENVS, ENV_WEIGHTS, pick, stamp

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


class ElastiCacheRecords:
    """Builds a region's caches and what they refer to: cache subnet
    groups, users and user groups, standalone clusters, replication
    groups with their member clusters, serverless caches, snapshots."""

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
