"""The EC2 records of a synthetic region, as the AWS CLI prints them:
describe-vpcs, describe-subnets, describe-route-tables,
describe-network-acls, describe-managed-prefix-lists (with one
get-managed-prefix-list-entries-<id> per list) and
describe-security-groups.

Ec2Records is a mixin of gen-inventory.py's Region, which owns the state
it reads and fills (rng, ids, name, short, azs, az_ids, n; vpcs,
subnets, route_tables, acls, prefix_lists, entries, sgs, vpc_info).  The
order of the random draws is part of the output: keep it when editing.
"""

import math

from gen_inventory_common import ACCOUNT, APPS, ENVS, ENV_WEIGHTS, pick, tags

# Documentation and well-known public ranges, for the rules that admit
# the outside world.
PUBLIC_V4 = ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24",
             "52.94.0.0/22", "34.228.0.0/16", "3.5.0.0/19", "0.0.0.0/0",
             "81.2.69.142/32", "8.8.8.8/32", "100.64.0.0/10"]
PUBLIC_V6 = ["2001:db8::/32", "2600:1f18:4a3::/48", "::/0",
             "2a05:d018:1000::/36"]
OTHER_PORTS = [22, 80, 443, 3306, 5432, 8080, 9090, 9200, 2049, 27017]


class Ec2Records:
    """Builds a region's network: VPCs, subnets, route tables, network
    ACLs, managed prefix lists and security groups."""

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
