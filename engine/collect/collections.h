#ifndef ECP_COLLECT_COLLECTIONS_H
#define ECP_COLLECT_COLLECTIONS_H

/*
 * The catalog of raw collections: one per AWS API that the model reads.
 * Everything that needs to know "which APIs, which files, which member is
 * the id" asks here, so adding a collection is one row in collections.c.
 */
enum ecp_coll {
    ECP_COLL_CACHE_CLUSTERS,
    ECP_COLL_REPLICATION_GROUPS,
    ECP_COLL_SERVERLESS_CACHES,
    ECP_COLL_CACHE_SUBNET_GROUPS,
    ECP_COLL_USERS,
    ECP_COLL_USER_GROUPS,
    ECP_COLL_SNAPSHOTS,
    ECP_COLL_SECURITY_GROUPS,
    ECP_COLL_VPCS,
    ECP_COLL_SUBNETS,
    ECP_COLL_ROUTE_TABLES,
    ECP_COLL_NETWORK_ACLS,
    ECP_COLL_MANAGED_PREFIX_LISTS,
    /* One item per prefix list: {"PrefixListId": "pl-..", "Entries": [..]},
     * gathered from get-managed-prefix-list-entries-<id>.json files. */
    ECP_COLL_PREFIX_LIST_ENTRIES,
    /* Tags of the region's ElastiCache resources (Resource Groups Tagging
     * API GetResources), one item per ARN. */
    ECP_COLL_TAGS,
    ECP_COLL_COUNT
};

struct ecp_coll_info {
    const char *name;       /* model name: "cache_clusters" */
    const char *cli_name;   /* AWS CLI command: "describe-cache-clusters" */
    const char *service;    /* "elasticache" or "ec2" */
    const char *operation;  /* API operation: "DescribeCacheClusters" */
    const char *list_key;   /* member of the output holding the items */
    const char *item_shape; /* API model shape of one item */
    const char *id_member;  /* member that identifies an item */
    const char *page_token; /* "Marker" or "NextToken": present => partial */
};

const struct ecp_coll_info *ecp_coll_info(enum ecp_coll c);

/* Look a collection up by model name or by AWS CLI name; -1 if unknown. */
int ecp_coll_by_name(const char *name);
int ecp_coll_by_cli_name(const char *cli_name);

struct ecp_shape;

/* The API model shape of one item (collect/shapes.h), or NULL if c is not
 * a collection. */
const struct ecp_shape *ecp_coll_item_shape(enum ecp_coll c);

#endif
