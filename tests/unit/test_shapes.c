/* The generated API model table, and the catalog checked against it. */
#include <stdlib.h>
#include <string.h>

#include "collect/collections.h"
#include "collect/shapes.h"
#include "harness.h"

static void member_wire(const char *service, const char *shape,
                        const char *member, const char *wire)
{
    const struct ecp_shape *s = ecp_shape_find(service, shape);
    const struct ecp_shape_member *m = ecp_shape_member(s, member);
    const struct ecp_shape_member *w = ecp_shape_member_by_wire(s, wire);

    CHECK_STR(m ? ecp_shape_member_wire(m) : NULL, wire,
              "%s %s.%s is <%s> on the wire", service, shape, member, wire);
    CHECK(w && m == w, "%s %s: <%s> is the member %s", service, shape, wire,
          member);
}

static void lookups(void)
{
    const struct ecp_shape *sg = ecp_shape_find("ec2", "SecurityGroup");
    const struct ecp_shape *cc = ecp_shape_find("elasticache",
                                                "CacheCluster");
    const struct ecp_shape *ecsub = ecp_shape_find("elasticache", "Subnet");
    const struct ecp_shape *ec2sub = ecp_shape_find("ec2", "Subnet");

    CHECK(sg && sg->type == ECP_SHAPE_STRUCTURE, "ec2 SecurityGroup is a "
          "structure");
    CHECK(cc && cc->type == ECP_SHAPE_STRUCTURE, "elasticache CacheCluster "
          "is a structure");
    CHECK(ecsub && ec2sub && ecsub != ec2sub, "a name in two services is "
          "two shapes");
    CHECK(ecp_shape_find("ec2", "NoSuchShape") == NULL, "an unknown shape "
          "is NULL");
    CHECK(ecp_shape_find("s3", "SecurityGroup") == NULL, "an unknown "
          "service is NULL");
    CHECK(ecp_shape_member(sg, "NoSuchMember") == NULL, "an unknown member "
          "is NULL");
    CHECK(ecp_shape_member(ecp_shape_find("ec2", "String"), "x") == NULL,
          "a string has no members");

    /* EC2's wire names are lowerCamel, with the traps from aws-wire.md */
    member_wire("ec2", "SecurityGroup", "GroupId", "groupId");
    member_wire("ec2", "SecurityGroup", "Description", "groupDescription");
    member_wire("ec2", "SecurityGroup", "IpPermissions", "ipPermissions");
    member_wire("ec2", "SecurityGroup", "Tags", "tagSet");
    member_wire("ec2", "IpPermission", "UserIdGroupPairs", "groups");
    member_wire("ec2", "NetworkAcl", "IsDefault", "default");
    member_wire("ec2", "DescribeSecurityGroupsResult", "SecurityGroups",
                "securityGroupInfo");
    member_wire("ec2", "DescribeSecurityGroupsResult", "NextToken",
                "nextToken");
    member_wire("ec2", "GetManagedPrefixListEntriesResult", "Entries",
                "entrySet");
    member_wire("ec2", "DescribeRegionsResult", "Regions", "regionInfo");
    /* ElastiCache's are the member names */
    member_wire("elasticache", "CacheCluster", "CacheClusterId",
                "CacheClusterId");

    const struct ecp_shape *perms = ecp_shape_member(sg, "IpPermissions")
                                        ->target;
    CHECK(perms->type == ECP_SHAPE_LIST, "IpPermissions is a list");
    CHECK_STR(perms->item_wire, "item", "EC2 list items are <item>");
    CHECK_STR(perms->item->name, "IpPermission", "of IpPermission");

    const struct ecp_shape *ccl = ecp_shape_find("elasticache",
                                                 "CacheClusterList");
    CHECK_STR(ccl ? ccl->item_wire : NULL, "CacheCluster",
              "CacheClusters items are <CacheCluster>");
    const struct ecp_shape *sgm = ecp_shape_find(
        "elasticache", "SecurityGroupMembershipList");
    CHECK(sgm && sgm->item_wire == NULL, "CacheCluster.SecurityGroups items "
          "are <member>");

    const struct ecp_shape *ver = ecp_shape_member(
        ecp_shape_find("ec2", "ManagedPrefixList"), "Version")->target;
    CHECK(ver->type == ECP_SHAPE_LONG, "ManagedPrefixList.Version is a long");
    CHECK_STR(ecp_shape_type_name(ver->type), "long", "and says so");

    const struct ecp_shape *secret = ecp_shape_find("sts",
                                                    "accessKeySecretType");
    CHECK(secret && secret->sensitive, "the STS secret key is sensitive");
    CHECK(!sg->sensitive, "a security group is not");
    CHECK(strncmp(ecp_shape_model_version(), "botocore ", 9) == 0,
          "the model names its botocore version (%s)",
          ecp_shape_model_version());
}

static void operations(void)
{
    const struct ecp_shape_op *op = ecp_shape_op_find(
        "elasticache", "DescribeCacheClusters");
    const struct ecp_shape_op *ec2 = ecp_shape_op_find("ec2",
                                                       "DescribeVpcs");
    const struct ecp_shape_op *sts = ecp_shape_op_find("sts", "AssumeRole");

    CHECK_STR(op ? op->output->name : NULL, "CacheClusterMessage",
              "DescribeCacheClusters answers a CacheClusterMessage");
    CHECK_STR(op ? op->result_wrapper : NULL, "DescribeCacheClustersResult",
              "wrapped in DescribeCacheClustersResult");
    CHECK(ec2 && ec2->result_wrapper == NULL, "EC2 replies have no wrapper");
    CHECK(sts && ecp_shape_member(sts->output, "Credentials"),
          "AssumeRole's output has Credentials");
    CHECK(ecp_shape_op_find("ec2", "RunInstances") == NULL,
          "operations we do not read are not in the table");
}

static int shape_cmp(const struct ecp_shape *a, const struct ecp_shape *b)
{
    int c = strcmp(a->service, b->service);

    return c ? c : strcmp(a->name, b->name);
}

static void table_is_sorted_and_closed(void)
{
    size_t n, unsorted = 0, dangling = 0, bad_members = 0;
    const struct ecp_shape *t = ecp_shape_table_get(&n);

    CHECK(n > 100, "the table has %zu shapes", n);
    for (size_t i = 0; i < n; i++) {
        const struct ecp_shape *s = &t[i];

        if (i > 0 && shape_cmp(&t[i - 1], s) >= 0)
            unsorted++;
        if (ecp_shape_find(s->service, s->name) != s)
            dangling++;
        if ((s->type == ECP_SHAPE_LIST || s->type == ECP_SHAPE_MAP) &&
            (!s->item || s->item < t || s->item >= t + n))
            dangling++;
        if (s->type != ECP_SHAPE_STRUCTURE)
            continue;
        for (size_t m = 0; m < s->nmembers; m++) {
            const struct ecp_shape *target = s->members[m].target;

            if (!target || target < t || target >= t + n)
                dangling++;
            if (m > 0 && strcmp(s->members[m - 1].name,
                                s->members[m].name) >= 0)
                bad_members++;
            if (m > 0 && strcmp(ecp_shape_member_wire(s->by_wire[m - 1]),
                                ecp_shape_member_wire(s->by_wire[m])) >= 0)
                bad_members++;
            if (ecp_shape_member(s, s->members[m].name) != &s->members[m])
                bad_members++;
        }
    }
    CHECK(unsorted == 0, "shapes are sorted by (service, name)");
    CHECK(dangling == 0, "every shape is found, every target in the table");
    CHECK(bad_members == 0, "members are sorted by name and by wire name");
}

/* Each catalog row against the model: the operation, its list member of
 * the item shape, the page token, and the id member. */
static void catalog_matches_model(void)
{
    for (int c = 0; c < ECP_COLL_COUNT; c++) {
        const struct ecp_coll_info *info = ecp_coll_info(c);
        const struct ecp_shape_op *op = ecp_shape_op_find(info->service,
                                                          info->operation);
        const struct ecp_shape *item = ecp_coll_item_shape(c);
        const struct ecp_shape_member *list = NULL, *tok = NULL, *id = NULL;

        CHECK(op != NULL, "%s: %s %s is in the model", info->name,
              info->service, info->operation);
        CHECK(item && item->type == ECP_SHAPE_STRUCTURE,
              "%s: items are %s structures", info->name, info->item_shape);
        if (!op || !item)
            continue;
        list = ecp_shape_member(op->output, info->list_key);
        tok = ecp_shape_member(op->output, info->page_token);
        CHECK(list && list->target->type == ECP_SHAPE_LIST,
              "%s: %s is a list in the output", info->name, info->list_key);
        CHECK(tok && tok->target->type == ECP_SHAPE_STRING,
              "%s: %s is the output's page token", info->name,
              info->page_token);
        if (c == ECP_COLL_PREFIX_LIST_ENTRIES) {
            CHECK(item == op->output, "%s: an item is the output itself",
                  info->name);
            continue;
        }
        id = ecp_shape_member(item, info->id_member);
        CHECK(list && list->target->item == item, "%s: %s holds %s",
              info->name, info->list_key, info->item_shape);
        CHECK(id && id->target->type == ECP_SHAPE_STRING, "%s: %s is a "
              "string member of %s", info->name, info->id_member,
              info->item_shape);
        CHECK(ecp_coll_by_name(info->name) == c, "%s found by name",
              info->name);
        CHECK(ecp_coll_by_cli_name(info->cli_name) == c, "%s found by "
              "AWS CLI name", info->cli_name);
    }
    CHECK(ecp_coll_by_name("caches") == -1, "an unknown collection is -1");
    CHECK(ecp_coll_by_cli_name("describe-instances") == -1,
          "an unknown AWS CLI name is -1");
    CHECK(ecp_coll_info(ECP_COLL_COUNT) == NULL, "out of range is NULL");
}

int main(void)
{
    lookups();
    operations();
    table_is_sorted_and_closed();
    catalog_matches_model();
    return harness_done();
}
