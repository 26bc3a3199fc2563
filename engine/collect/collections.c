#include <stddef.h>
#include <string.h>

#include "collect/collections.h"
#include "collect/shapes.h"

/*
 * Operations, list members and item shapes are the botocore model's
 * (shapes.inc); page tokens are the output tokens of botocore's
 * paginators-1.json.  tests/unit/test_shapes.c checks every row against the
 * shape table.
 */
static const struct ecp_coll_info catalog[ECP_COLL_COUNT] = {
    [ECP_COLL_CACHE_CLUSTERS] = {
        "cache_clusters", "describe-cache-clusters", "elasticache",
        "DescribeCacheClusters", "CacheClusters", "CacheCluster",
        "CacheClusterId", "Marker" },
    [ECP_COLL_REPLICATION_GROUPS] = {
        "replication_groups", "describe-replication-groups", "elasticache",
        "DescribeReplicationGroups", "ReplicationGroups", "ReplicationGroup",
        "ReplicationGroupId", "Marker" },
    [ECP_COLL_SERVERLESS_CACHES] = {
        "serverless_caches", "describe-serverless-caches", "elasticache",
        "DescribeServerlessCaches", "ServerlessCaches", "ServerlessCache",
        "ServerlessCacheName", "NextToken" },
    [ECP_COLL_CACHE_SUBNET_GROUPS] = {
        "cache_subnet_groups", "describe-cache-subnet-groups", "elasticache",
        "DescribeCacheSubnetGroups", "CacheSubnetGroups", "CacheSubnetGroup",
        "CacheSubnetGroupName", "Marker" },
    [ECP_COLL_USERS] = {
        "users", "describe-users", "elasticache",
        "DescribeUsers", "Users", "User", "UserId", "Marker" },
    [ECP_COLL_USER_GROUPS] = {
        "user_groups", "describe-user-groups", "elasticache",
        "DescribeUserGroups", "UserGroups", "UserGroup", "UserGroupId",
        "Marker" },
    [ECP_COLL_SNAPSHOTS] = {
        "snapshots", "describe-snapshots", "elasticache",
        "DescribeSnapshots", "Snapshots", "Snapshot", "SnapshotName",
        "Marker" },
    [ECP_COLL_SECURITY_GROUPS] = {
        "security_groups", "describe-security-groups", "ec2",
        "DescribeSecurityGroups", "SecurityGroups", "SecurityGroup",
        "GroupId", "NextToken" },
    [ECP_COLL_VPCS] = {
        "vpcs", "describe-vpcs", "ec2",
        "DescribeVpcs", "Vpcs", "Vpc", "VpcId", "NextToken" },
    [ECP_COLL_SUBNETS] = {
        "subnets", "describe-subnets", "ec2",
        "DescribeSubnets", "Subnets", "Subnet", "SubnetId", "NextToken" },
    [ECP_COLL_ROUTE_TABLES] = {
        "route_tables", "describe-route-tables", "ec2",
        "DescribeRouteTables", "RouteTables", "RouteTable", "RouteTableId",
        "NextToken" },
    [ECP_COLL_NETWORK_ACLS] = {
        "network_acls", "describe-network-acls", "ec2",
        "DescribeNetworkAcls", "NetworkAcls", "NetworkAcl", "NetworkAclId",
        "NextToken" },
    [ECP_COLL_MANAGED_PREFIX_LISTS] = {
        "managed_prefix_lists", "describe-managed-prefix-lists", "ec2",
        "DescribeManagedPrefixLists", "PrefixLists", "ManagedPrefixList",
        "PrefixListId", "NextToken" },
    /* One item per prefix list is the operation's own output (Entries)
     * plus the PrefixListId it was asked for, which the model has no shape
     * for: the output shape checks Entries, the id rule PrefixListId. */
    [ECP_COLL_PREFIX_LIST_ENTRIES] = {
        "prefix_list_entries", "get-managed-prefix-list-entries", "ec2",
        "GetManagedPrefixListEntries", "Entries",
        "GetManagedPrefixListEntriesResult", "PrefixListId", "NextToken" },
    /* aws resourcegroupstaggingapi get-resources --resource-type-filters
     * elasticache: the tags of every ElastiCache resource in bulk. */
    [ECP_COLL_TAGS] = {
        "tags", "get-resources", "resourcegroupstaggingapi",
        "GetResources", "ResourceTagMappingList", "ResourceTagMapping",
        "ResourceARN", "PaginationToken" },
};

const struct ecp_coll_info *ecp_coll_info(enum ecp_coll c)
{
    if ((unsigned)c >= ECP_COLL_COUNT)
        return NULL;
    return &catalog[c];
}

int ecp_coll_by_name(const char *name)
{
    for (int c = 0; c < ECP_COLL_COUNT; c++)
        if (strcmp(catalog[c].name, name) == 0)
            return c;
    return -1;
}

int ecp_coll_by_cli_name(const char *cli_name)
{
    for (int c = 0; c < ECP_COLL_COUNT; c++)
        if (strcmp(catalog[c].cli_name, cli_name) == 0)
            return c;
    return -1;
}

const struct ecp_shape *ecp_coll_item_shape(enum ecp_coll c)
{
    const struct ecp_coll_info *info = ecp_coll_info(c);

    return info ? ecp_shape_find(info->service, info->item_shape) : NULL;
}
