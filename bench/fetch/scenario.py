"""The synthetic account of make bench-fetch, shared by server.py and
measure.py: which regions, how many pages each collection has, what the
pages hold, and what the critical path of a fetch is.

Everything is decided by a small JSON "layout" (written by `scenario.py
--write FILE` from the BENCH_FETCH_* variables, read back by both the
server and the driver), so the server and the report agree on the numbers.

Python 3 standard library only.
"""

import argparse
import base64
import json
import os
import sys
from xml.sax.saxutils import escape

ACCOUNT = "123456789012"

ALL_REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1",
    "eu-central-1", "ap-southeast-1", "ap-northeast-1", "eu-west-2",
    "eu-north-1", "ap-south-1", "ap-southeast-2", "ca-central-1",
    "sa-east-1", "eu-west-3", "ap-northeast-2",
]

# One row per collection, in ecpolicy's order (engine/collect/collections.h:
# the fetch starts them in this order, region by region).  protocol: query
# (ElastiCache), ec2, json (Resource Groups Tagging API).  list: the reply's
# list element; member: the element of one item (query) -- ec2 lists always
# use <item>.  token_in: the request field; token_out: the reply element.
COLLECTIONS = [
    # key, service, action, protocol, list, member, token_in, token_out,
    # CLI command (service and command), default pages
    ("cache_clusters", "elasticache", "DescribeCacheClusters", "query",
     "CacheClusters", "CacheCluster", "Marker", "Marker",
     "elasticache describe-cache-clusters --show-cache-node-info", 30),
    ("replication_groups", "elasticache", "DescribeReplicationGroups",
     "query", "ReplicationGroups", "ReplicationGroup", "Marker", "Marker",
     "elasticache describe-replication-groups", 12),
    ("serverless_caches", "elasticache", "DescribeServerlessCaches", "query",
     "ServerlessCaches", "member", "NextToken", "NextToken",
     "elasticache describe-serverless-caches", 6),
    ("cache_subnet_groups", "elasticache", "DescribeCacheSubnetGroups",
     "query", "CacheSubnetGroups", "CacheSubnetGroup", "Marker", "Marker",
     "elasticache describe-cache-subnet-groups", 2),
    ("users", "elasticache", "DescribeUsers", "query", "Users", "member",
     "Marker", "Marker", "elasticache describe-users", 2),
    ("user_groups", "elasticache", "DescribeUserGroups", "query",
     "UserGroups", "member", "Marker", "Marker",
     "elasticache describe-user-groups", 2),
    ("snapshots", "elasticache", "DescribeSnapshots", "query", "Snapshots",
     "Snapshot", "Marker", "Marker", "elasticache describe-snapshots", 10),
    ("security_groups", "ec2", "DescribeSecurityGroups", "ec2",
     "securityGroupInfo", "item", "NextToken", "nextToken",
     "ec2 describe-security-groups", 20),
    ("vpcs", "ec2", "DescribeVpcs", "ec2", "vpcSet", "item", "NextToken",
     "nextToken", "ec2 describe-vpcs", 1),
    ("subnets", "ec2", "DescribeSubnets", "ec2", "subnetSet", "item",
     "NextToken", "nextToken", "ec2 describe-subnets", 3),
    ("route_tables", "ec2", "DescribeRouteTables", "ec2", "routeTableSet",
     "item", "NextToken", "nextToken", "ec2 describe-route-tables", 3),
    ("network_acls", "ec2", "DescribeNetworkAcls", "ec2", "networkAclSet",
     "item", "NextToken", "nextToken", "ec2 describe-network-acls", 2),
    ("managed_prefix_lists", "ec2", "DescribeManagedPrefixLists", "ec2",
     "prefixListSet", "item", "NextToken", "nextToken",
     "ec2 describe-managed-prefix-lists", 1),
    # The entries of each prefix list the security groups name: one chain
    # per list, started once the last security-group page is in.
    ("prefix_list_entries", "ec2", "GetManagedPrefixListEntries", "ec2",
     "entrySet", "item", "NextToken", "nextToken",
     "ec2 get-managed-prefix-list-entries", None),
    # Not fetched by every build yet; served all the same.
    ("tags", "tagging", "GetResources", "json", "ResourceTagMappingList",
     None, "PaginationToken", "PaginationToken",
     "resourcegroupstaggingapi get-resources --resource-type-filters "
     "elasticache", 8),
]

FIELDS = ("key", "service", "action", "protocol", "list", "member",
          "token_in", "token_out", "cli", "pages")
COLL = {row[0]: dict(zip(FIELDS, row)) for row in COLLECTIONS}
BY_ACTION = {row[2]: row[0] for row in COLLECTIONS}
ENTRIES = "prefix_list_entries"
SGS = "security_groups"
DEFAULT_ENTRY_PAGES = [12, 8, 5, 3, 2, 1]

NS = {
    "query": "http://elasticache.amazonaws.com/doc/2015-02-02/",
    "ec2": "http://ec2.amazonaws.com/doc/2016-11-15/",
    "sts": "https://sts.amazonaws.com/doc/2011-06-15/",
}


# ---- the layout ----

def parse_pages(text):
    """"cache_clusters=30,security_groups=20" -> {key: pages}."""
    out = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        key, eq, value = part.partition("=")
        if not eq or key not in COLL or key == ENTRIES or \
                not value.isdigit() or int(value) < 1:
            raise ValueError(f"BENCH_FETCH_PAGES: '{part}': want "
                             "COLLECTION=PAGES (a collection of "
                             + ", ".join(k for k in COLL if k != ENTRIES)
                             + "; pages 1 or more)")
        out[key] = int(value)
    return out


def make_layout(nregions=8, latency_ms=50.0, page_size=10, pages="",
                entry_pages=None):
    if not 1 <= nregions <= len(ALL_REGIONS):
        raise ValueError(f"regions: 1 to {len(ALL_REGIONS)}")
    if latency_ms < 0:
        raise ValueError("latency: 0 or more")
    if page_size < 1:
        raise ValueError("page size: 1 or more")
    p = {k: c["pages"] for k, c in COLL.items() if k != ENTRIES}
    p.update(parse_pages(pages))
    entry_pages = list(entry_pages or DEFAULT_ENTRY_PAGES)
    if any(n < 1 for n in entry_pages):
        raise ValueError("prefix list pages: 1 or more each")
    # Every list must be named by some security group.
    if len(entry_pages) > p[SGS] * page_size:
        raise ValueError("more prefix lists than security groups")
    return {
        "regions": ALL_REGIONS[:nregions],
        "latency_ms": float(latency_ms),
        "page_size": page_size,
        "pages": p,
        "entry_pages": entry_pages,
    }


def prefix_list_ids(layout, r):
    return [f"pl-{r:02x}{k:015x}" for k in range(len(layout["entry_pages"]))]


def chains(layout, keys=None):
    """Every chain of dependent pages of one region, as (key, prefix list
    id or None, pages).  keys: the collections to count (None: all)."""
    out = []
    for r, region in enumerate(layout["regions"]):
        for key, n in layout["pages"].items():
            if keys is None or key in keys:
                out.append((region, key, None, n))
        if keys is None or ENTRIES in keys:
            for plid, n in zip(prefix_list_ids(layout, r),
                               layout["entry_pages"]):
                out.append((region, ENTRIES, plid, n))
    return out


def total_calls(layout, keys=None, sts=True):
    return sum(c[3] for c in chains(layout, keys)) + (1 if sts else 0)


def critical_pages(layout, keys=None):
    """The longest chain of dependent calls, in calls: the most pages of
    one collection, or the security groups' pages followed by the longest
    prefix list's (its first page needs the last security-group page)."""
    keys = set(layout["pages"]) | {ENTRIES} if keys is None else set(keys)
    best, what = 1, "sts GetCallerIdentity"
    for key, n in layout["pages"].items():
        if key in keys and n > best:
            best, what = n, f"{key} ({n} pages)"
    if SGS in keys and ENTRIES in keys and layout["entry_pages"]:
        n = layout["pages"][SGS] + max(layout["entry_pages"])
        if n > best:
            best, what = n, (f"{SGS} ({layout['pages'][SGS]} pages) then "
                             f"prefix list entries "
                             f"({max(layout['entry_pages'])} pages)")
    return best, what


# ---- schedules, as a model (every call takes exactly the latency) ----

def simulate(layout, keys, parallel, policy):
    """Rounds a scheduler needs when every call takes one unit and at most
    `parallel` run at once.  policy "fifo": ecpolicy's queue today (first
    pages in start order, each next page at the back of the queue);
    "longest": the ready call whose chain has the most calls left first.
    Returns the finishing time in units of the latency."""
    import heapq
    regions = layout["regions"]
    # chain id -> remaining calls; successors (security groups -> lists).
    remaining, follow, order = {}, {}, []
    cid = 0

    def add(n):
        nonlocal cid
        cid += 1
        remaining[cid] = n
        return cid

    sts = add(1)
    order.append(sts)
    for r, region in enumerate(regions):
        sg = None
        for key in COLL:
            if key == ENTRIES or key not in keys or key not in \
                    layout["pages"]:
                continue
            c = add(layout["pages"][key])
            order.append(c)
            if key == SGS:
                sg = c
        if sg is not None and ENTRIES in keys:
            follow[sg] = [add(n) for n in layout["entry_pages"]]

    def left(c):       # calls left on the longest path through chain c
        tail = max((remaining[s] for s in follow.get(c, [])), default=0)
        return remaining[c] + tail

    ready = []         # fifo: a list used as a queue; longest: a heap
    seq = 0

    def push(c):
        nonlocal seq
        seq += 1
        if policy == "fifo":
            ready.append(c)
        else:
            heapq.heappush(ready, (-left(c), seq, c))

    def pop():
        if policy == "fifo":
            return ready.pop(0)
        return heapq.heappop(ready)[2]

    for c in order:
        push(c)
    running, now = [], 0.0       # heap of (finish, seq, chain)
    while ready or running:
        while ready and len(running) < parallel:
            c = pop()
            seq += 1
            heapq.heappush(running, (now + 1.0, seq, c))
        now, _, c = heapq.heappop(running)
        done = [c]
        while running and running[0][0] == now:
            done.append(heapq.heappop(running)[2])
        for c in done:
            remaining[c] -= 1
            if remaining[c] > 0:
                push(c)
            else:
                for s in follow.get(c, []):
                    push(s)
    return now


# ---- the pages ----

def token_for(chain_key, index):
    """An opaque page token with the characters real ones have (+ / =), so
    a client that does not percent-encode it fails."""
    raw = f"{chain_key}|{index}".encode()
    return "b+/" + base64.b64encode(raw).decode()


def token_index(token, chain_key):
    if not token.startswith("b+/"):
        return None
    try:
        key, _, index = base64.b64decode(token[3:], validate=True) \
            .decode().rpartition("|")
    except (ValueError, UnicodeDecodeError):
        return None
    if key != chain_key or not index.isdigit():
        return None
    return int(index)


def item_xml(key, r, region, n, layout):
    """Item n (from 0) of collection key in region number r."""
    i = f"{r:02x}{n:06x}"
    arn = f"arn:aws:elasticache:{region}:{ACCOUNT}"
    sg = f"sg-{r:02x}{n % 97:015x}"
    if key == "cache_clusters":
        return (f"<CacheCluster><CacheClusterId>cc-{i}</CacheClusterId>"
                f"<CacheNodeType>cache.r7g.large</CacheNodeType>"
                f"<Engine>redis</Engine><EngineVersion>7.1.0</EngineVersion>"
                f"<CacheClusterStatus>available</CacheClusterStatus>"
                f"<NumCacheNodes>1</NumCacheNodes>"
                f"<PreferredAvailabilityZone>{region}a"
                f"</PreferredAvailabilityZone>"
                f"<CacheClusterCreateTime>2024-05-06T07:08:09.123Z"
                f"</CacheClusterCreateTime>"
                f"<CacheSubnetGroupName>csg-{r:02x}</CacheSubnetGroupName>"
                f"<CacheNodes><CacheNode><CacheNodeId>0001</CacheNodeId>"
                f"<CacheNodeStatus>available</CacheNodeStatus>"
                f"<Endpoint><Address>cc-{i}.abc123.0001.cache.amazonaws.com"
                f"</Address><Port>6379</Port></Endpoint></CacheNode>"
                f"</CacheNodes>"
                f"<SecurityGroups><SecurityGroupMembership><SecurityGroupId>"
                f"{sg}</SecurityGroupId><Status>active</Status>"
                f"</SecurityGroupMembership></SecurityGroups>"
                + (f"<ReplicationGroupId>rg-{r:02x}{n // 3:06x}"
                   f"</ReplicationGroupId>" if n % 3 != 2 else "") +
                f"<AuthTokenEnabled>true</AuthTokenEnabled>"
                f"<TransitEncryptionEnabled>true</TransitEncryptionEnabled>"
                f"<AtRestEncryptionEnabled>{'true' if n % 4 else 'false'}"
                f"</AtRestEncryptionEnabled>"
                f"<ARN>{arn}:cluster:cc-{i}</ARN></CacheCluster>")
    if key == "replication_groups":
        members = "".join(f"<ClusterId>cc-{r:02x}{3 * n + k:06x}</ClusterId>"
                          for k in range(3))
        return (f"<ReplicationGroup><ReplicationGroupId>rg-{i}"
                f"</ReplicationGroupId><Description>group {n}</Description>"
                f"<Status>available</Status>"
                f"<MemberClusters>{members}</MemberClusters>"
                f"<ClusterEnabled>false</ClusterEnabled>"
                f"<AuthTokenEnabled>true</AuthTokenEnabled>"
                f"<TransitEncryptionEnabled>true</TransitEncryptionEnabled>"
                f"<TransitEncryptionMode>required</TransitEncryptionMode>"
                f"<AtRestEncryptionEnabled>true</AtRestEncryptionEnabled>"
                f"<ARN>{arn}:replicationgroup:rg-{i}</ARN>"
                f"</ReplicationGroup>")
    if key == "serverless_caches":
        return (f"<member><ServerlessCacheName>sl-{i}</ServerlessCacheName>"
                f"<Status>available</Status><Engine>valkey</Engine>"
                f"<CreateTime>2024-05-06T07:08:09.123Z</CreateTime>"
                f"<SecurityGroupIds><SecurityGroupId>{sg}</SecurityGroupId>"
                f"</SecurityGroupIds>"
                f"<SubnetIds><SubnetId>subnet-{r:02x}{n % 9:015x}</SubnetId>"
                f"</SubnetIds>"
                f"<ARN>{arn}:serverlesscache:sl-{i}</ARN></member>")
    if key == "cache_subnet_groups":
        subnets = "".join(
            f"<Subnet><SubnetIdentifier>subnet-{r:02x}{k:015x}"
            f"</SubnetIdentifier></Subnet>" for k in range(3))
        return (f"<CacheSubnetGroup><CacheSubnetGroupName>csg-{i}"
                f"</CacheSubnetGroupName><CacheSubnetGroupDescription>subnets"
                f"</CacheSubnetGroupDescription>"
                f"<VpcId>vpc-{r:02x}{0:015x}</VpcId>"
                f"<Subnets>{subnets}</Subnets>"
                f"<ARN>{arn}:subnetgroup:csg-{i}</ARN></CacheSubnetGroup>")
    if key == "users":
        return (f"<member><UserId>u-{i}</UserId><UserName>user{n}</UserName>"
                f"<Status>active</Status><Engine>redis</Engine>"
                f"<AccessString>on ~app:* +@read</AccessString>"
                f"<UserGroupIds><member>ug-{r:02x}{n % 5:06x}</member>"
                f"</UserGroupIds>"
                f"<Authentication><Type>password</Type>"
                f"<PasswordCount>1</PasswordCount></Authentication>"
                f"<ARN>{arn}:user:u-{i}</ARN></member>")
    if key == "user_groups":
        return (f"<member><UserGroupId>ug-{i}</UserGroupId>"
                f"<Status>active</Status><Engine>redis</Engine>"
                f"<UserIds><member>default</member><member>u-{i}</member>"
                f"</UserIds><ARN>{arn}:usergroup:ug-{i}</ARN></member>")
    if key == "snapshots":
        return (f"<Snapshot><SnapshotName>snap-{i}</SnapshotName>"
                f"<CacheClusterId>cc-{i}</CacheClusterId>"
                f"<SnapshotStatus>available</SnapshotStatus>"
                f"<SnapshotSource>automated</SnapshotSource>"
                f"<Engine>redis</Engine><KmsKeyId>arn:aws:kms:{region}:"
                f"{ACCOUNT}:key/k{n}</KmsKeyId>"
                f"<ARN>{arn}:snapshot:snap-{i}</ARN></Snapshot>")
    if key == SGS:
        gid = f"sg-{r:02x}{n:015x}"
        lists = prefix_list_ids(layout, r)
        pl = lists[n % len(lists)] if lists else None
        perms = (f"<item><ipProtocol>tcp</ipProtocol><fromPort>6379"
                 f"</fromPort><toPort>6379</toPort><groups/>"
                 f"<ipRanges><item><cidrIp>10.{r}.{n % 256}.0/24</cidrIp>"
                 f"<description>app</description></item></ipRanges>"
                 f"<ipv6Ranges/><prefixListIds>")
        if pl:
            perms += f"<item><prefixListId>{pl}</prefixListId></item>"
        perms += ("</prefixListIds></item>"
                  f"<item><ipProtocol>tcp</ipProtocol><fromPort>443"
                  f"</fromPort><toPort>443</toPort><groups><item><groupId>"
                  f"sg-{r:02x}{(n + 1) % 97:015x}</groupId><userId>{ACCOUNT}"
                  f"</userId></item></groups><ipRanges/><ipv6Ranges/>"
                  f"<prefixListIds/></item>")
        return (f"<item><ownerId>{ACCOUNT}</ownerId><groupId>{gid}</groupId>"
                f"<groupName>g{n}</groupName><groupDescription>group {n}"
                f"</groupDescription><vpcId>vpc-{r:02x}{0:015x}</vpcId>"
                f"<ipPermissions>{perms}</ipPermissions>"
                f"<ipPermissionsEgress><item><ipProtocol>-1</ipProtocol>"
                f"<groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item>"
                f"</ipRanges><ipv6Ranges/><prefixListIds/></item>"
                f"</ipPermissionsEgress></item>")
    if key == "vpcs":
        return (f"<item><vpcId>vpc-{r:02x}{n:015x}</vpcId>"
                f"<state>available</state><cidrBlock>10.{r}.0.0/16"
                f"</cidrBlock><isDefault>false</isDefault>"
                f"<ownerId>{ACCOUNT}</ownerId></item>")
    if key == "subnets":
        return (f"<item><subnetId>subnet-{r:02x}{n:015x}</subnetId>"
                f"<vpcId>vpc-{r:02x}{0:015x}</vpcId><state>available</state>"
                f"<cidrBlock>10.{r}.{n % 256}.0/24</cidrBlock>"
                f"<availabilityZone>{region}a</availabilityZone>"
                f"<mapPublicIpOnLaunch>false</mapPublicIpOnLaunch></item>")
    if key == "route_tables":
        return (f"<item><routeTableId>rtb-{r:02x}{n:015x}</routeTableId>"
                f"<vpcId>vpc-{r:02x}{0:015x}</vpcId>"
                f"<routeSet><item><destinationCidrBlock>10.{r}.0.0/16"
                f"</destinationCidrBlock><gatewayId>local</gatewayId>"
                f"<state>active</state></item></routeSet>"
                f"<associationSet><item><routeTableAssociationId>"
                f"rtbassoc-{r:02x}{n:015x}</routeTableAssociationId>"
                f"<subnetId>subnet-{r:02x}{n:015x}</subnetId><main>false"
                f"</main></item></associationSet></item>")
    if key == "network_acls":
        return (f"<item><networkAclId>acl-{r:02x}{n:015x}</networkAclId>"
                f"<vpcId>vpc-{r:02x}{0:015x}</vpcId><default>false</default>"
                f"<entrySet><item><ruleNumber>100</ruleNumber><protocol>-1"
                f"</protocol><ruleAction>allow</ruleAction><egress>false"
                f"</egress><cidrBlock>0.0.0.0/0</cidrBlock></item></entrySet>"
                f"</item>")
    if key == "managed_prefix_lists":
        lists = prefix_list_ids(layout, r)
        plid = lists[n] if n < len(lists) else f"pl-{r:02x}{n + 256:015x}"
        return (f"<item><prefixListId>{plid}</prefixListId><addressFamily>"
                f"IPv4</addressFamily><state>create-complete</state>"
                f"<prefixListName>list{n}</prefixListName><maxEntries>1000"
                f"</maxEntries><ownerId>{ACCOUNT}</ownerId></item>")
    if key == ENTRIES:
        return (f"<item><cidr>10.{r}.{n // 256 % 256}.{n % 256}/32</cidr>"
                f"<description>entry {n}</description></item>")
    if key == "tags":
        return json.dumps({
            "ResourceARN": f"{arn}:cluster:cc-{i}",
            "Tags": [{"Key": "team", "Value": f"t{n % 7}"},
                     {"Key": "env", "Value": "prod"}]})
    raise KeyError(key)


def page_body(key, r, region, index, layout, plid=None):
    """(body, is_last) of page `index` (from 0) of one chain."""
    c = COLL[key]
    size = layout["page_size"]
    if key == ENTRIES:
        npages = layout["entry_pages"][prefix_list_ids(layout, r)
                                       .index(plid)]
    else:
        npages = layout["pages"][key]
    items = [item_xml(key, r, region, n, layout)
             for n in range(index * size, (index + 1) * size)]
    chain_key = f"{region}|{key}|{plid or ''}"
    last = index + 1 >= npages
    token = None if last else token_for(chain_key, index + 1)
    action = c["action"]
    if c["protocol"] == "json":
        body = ('{"' + c["list"] + '":[' + ",".join(items) + '],"'
                + c["token_out"] + '":' + json.dumps(token or "") + "}")
        return body, last
    if c["protocol"] == "query":
        tok = "" if last else f"<{c['token_out']}>{escape(token)}" \
                              f"</{c['token_out']}>"
        body = (f'<{action}Response xmlns="{NS["query"]}"><{action}Result>'
                f'<{c["list"]}>{"".join(items)}</{c["list"]}>{tok}'
                f'</{action}Result><ResponseMetadata><RequestId>'
                f'{{request_id}}</RequestId></ResponseMetadata>'
                f'</{action}Response>')
        return body, last
    tok = "" if last else f"<{c['token_out']}>{escape(token)}" \
                          f"</{c['token_out']}>"
    body = (f'<{action}Response xmlns="{NS["ec2"]}"><requestId>{{request_id}}'
            f'</requestId><{c["list"]}>{"".join(items)}</{c["list"]}>'
            f'{tok}</{action}Response>')
    return body, last


def expected_items(layout, key, r=0):
    """How many items collection key has in one region (entries: lists)."""
    if key == ENTRIES:
        return len(layout["entry_pages"])
    return layout["pages"][key] * layout["page_size"]


# ---- the command line: write a layout from the environment ----

def main():
    ap = argparse.ArgumentParser(description="write the bench-fetch layout")
    ap.add_argument("--write", required=True, metavar="FILE")
    ap.add_argument("--regions", type=int,
                    default=int(os.environ.get("BENCH_FETCH_REGIONS", 8)))
    ap.add_argument("--latency-ms", type=float,
                    default=float(os.environ.get("BENCH_FETCH_LATENCY_MS",
                                                 50)))
    ap.add_argument("--page-size", type=int,
                    default=int(os.environ.get("BENCH_FETCH_PAGE_SIZE", 10)))
    ap.add_argument("--pages", default=os.environ.get("BENCH_FETCH_PAGES",
                                                      ""))
    ap.add_argument("--entry-pages",
                    default=os.environ.get("BENCH_FETCH_ENTRY_PAGES", ""))
    a = ap.parse_args()
    try:
        entry = [int(x) for x in a.entry_pages.split(",") if x.strip()] \
            if a.entry_pages else None
        layout = make_layout(a.regions, a.latency_ms, a.page_size, a.pages,
                             entry)
    except ValueError as e:
        sys.exit(f"bench-fetch: {e}")
    with open(a.write, "w", encoding="utf-8") as f:
        json.dump(layout, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
