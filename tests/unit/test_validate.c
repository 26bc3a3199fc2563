/* Checking JSON against the AWS API model: every type rule, null members,
 * unknown members, nested paths, the id rule, secrets never echoed. */
#include <stdlib.h>
#include <string.h>

#include "collect/validate.h"
#include "harness.h"

/* Validate json as the items of collection c; the error message, or NULL
 * when it passed.  *out (if given) receives the tree, normalized. */
static const char *items_error(enum ecp_coll c, const char *json,
                               cJSON **out)
{
    static struct ecp_err err;
    cJSON *v = cJSON_Parse(json);
    int rc;

    if (!v)
        return "test bug: the JSON does not parse";
    rc = ecp_validate_items(c, v, "f.json", "$.Items", &err);
    if (out)
        *out = v;
    else
        cJSON_Delete(v);
    return rc == 0 ? NULL : err.msg;
}

static const char *shape_error(const char *service, const char *shape,
                               const char *json, cJSON **out)
{
    static struct ecp_err err;
    cJSON *v = cJSON_Parse(json);
    int rc;

    if (!v)
        return "test bug: the JSON does not parse";
    rc = ecp_validate(v, ecp_shape_find(service, shape), "f.json", "$", &err);
    if (out)
        *out = v;
    else
        cJSON_Delete(v);
    return rc == 0 ? NULL : err.msg;
}

#define SG ECP_COLL_SECURITY_GROUPS

static void the_brief_example(void)
{
    const char *msg = items_error(SG,
        "[{\"GroupId\": \"sg-1\"}, {\"GroupId\": \"sg-2\"},"
        " {\"GroupId\": \"sg-3\", \"IpPermissions\": [{\"FromPort\": \"6379\"}]}]",
        NULL);

    CHECK_STR(msg, "f.json: $.Items[2].IpPermissions[0].FromPort: expected "
              "an integer, got a string (\"6379\")", "a string for an integer");
}

static void type_errors(void)
{
    CHECK_STR(shape_error("ec2", "SecurityGroup", "[]", NULL),
              "f.json: $: expected an object, got an array",
              "structure = object");
    CHECK_STR(shape_error("ec2", "SecurityGroup",
                          "{\"IpPermissions\": {}}", NULL),
              "f.json: $.IpPermissions: expected an array, got an object",
              "list = array");
    CHECK_STR(shape_error("ec2", "SecurityGroup", "{\"GroupName\": 7}", NULL),
              "f.json: $.GroupName: expected a string, got a number (7)",
              "string = string");
    CHECK_STR(shape_error("ec2", "IpPermission", "{\"FromPort\": 6.5}", NULL),
              "f.json: $.FromPort: expected an integer, got a number (6.5)",
              "integer = integral");
    CHECK_STR(shape_error("ec2", "IpPermission", "{\"FromPort\": 3000000000}",
                          NULL),
              "f.json: $.FromPort: expected a 32-bit integer, got a number "
              "(3000000000), out of range", "integer = 32 bits");
    CHECK(shape_error("ec2", "IpPermission", "{\"FromPort\": -1}", NULL) ==
          NULL, "a negative integer is an integer");
    CHECK(shape_error("ec2", "IpPermission", "{\"FromPort\": 6379.0}",
                      NULL) == NULL, "6379.0 is integral");
    CHECK(shape_error("ec2", "ManagedPrefixList",
                      "{\"Version\": 3000000000}", NULL) == NULL,
          "a long takes more than 32 bits");
    CHECK_STR(shape_error("ec2", "ManagedPrefixList", "{\"Version\": 1e19}",
                          NULL),
              "f.json: $.Version: expected a 64-bit integer, got a number "
              "(1e+19), out of range", "long = 64 bits");
    CHECK_STR(shape_error("ec2", "ManagedPrefixList", "{\"Version\": \"2\"}",
                          NULL),
              "f.json: $.Version: expected an integer, got a string (\"2\")",
              "long = number");
    CHECK_STR(shape_error("ec2", "Vpc", "{\"IsDefault\": \"true\"}", NULL),
              "f.json: $.IsDefault: expected true or false, got a string "
              "(\"true\")", "boolean = true/false");
    CHECK_STR(shape_error("ec2", "Vpc", "{\"IsDefault\": 1}", NULL),
              "f.json: $.IsDefault: expected true or false, got a number (1)",
              "a number is no boolean");
    CHECK(shape_error("ec2", "Vpc", "{\"IsDefault\": false}", NULL) == NULL,
          "false is a boolean");
    CHECK_STR(shape_error("elasticache", "SlotMigration",
                          "{\"ProgressPercentage\": \"50%\"}", NULL),
              "f.json: $.ProgressPercentage: expected a number, got a string "
              "(\"50%\")", "double = number");
    CHECK_STR(shape_error("elasticache", "SlotMigration",
                          "{\"ProgressPercentage\": 1e999}", NULL),
              "f.json: $.ProgressPercentage: expected a number, got a number "
              "(inf)", "an infinite double is refused");
    CHECK(shape_error("elasticache", "SlotMigration",
                      "{\"ProgressPercentage\": 12.5}", NULL) == NULL,
          "12.5 is a double");
    CHECK_STR(shape_error("elasticache", "CacheCluster",
                          "{\"CacheClusterCreateTime\": {}}", NULL),
              "f.json: $.CacheClusterCreateTime: expected a timestamp (a "
              "string, or epoch seconds), got an object",
              "timestamp = string or number");
    CHECK_STR(shape_error("elasticache", "CacheCluster",
                          "{\"CacheClusterCreateTime\": \"2023-02-29T00:00:00Z\"}",
                          NULL),
              "f.json: $.CacheClusterCreateTime: expected a timestamp, got a "
              "string (\"2023-02-29T00:00:00Z\"): no such day in that month",
              "an impossible date is refused with the reason");
}

static void timestamps_in_place(void)
{
    cJSON *v = NULL;
    const char *msg = shape_error(
        "elasticache", "CacheCluster",
        "{\"CacheClusterCreateTime\": \"2015-02-02T01:21:46.607000+00:00\","
        " \"AuthTokenLastModifiedDate\": 1422840106,"
        " \"CacheNodes\": [{\"CacheNodeCreateTime\": \"2015-02-02T03:21:46+02:00\"}]}",
        &v);
    cJSON *node = cJSON_GetArrayItem(cJSON_GetObjectItem(v, "CacheNodes"), 0);

    CHECK(msg == NULL, "v2, epoch and offset timestamps pass");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(
                  v, "CacheClusterCreateTime")),
              "2015-02-02T01:21:46.607Z", "a v2 timestamp is rewritten");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(
                  v, "AuthTokenLastModifiedDate")),
              "2015-02-02T01:21:46Z", "epoch seconds become a string");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(
                  node, "CacheNodeCreateTime")),
              "2015-02-02T01:21:46Z", "nested ones too");
    cJSON_Delete(v);
}

static void null_members_are_absent(void)
{
    cJSON *v = NULL;
    const char *msg = shape_error(
        "ec2", "SecurityGroup",
        "{\"GroupId\": \"sg-1\", \"VpcId\": null, \"NewThing\": null,"
        " \"IpPermissions\": [{\"FromPort\": null, \"ToPort\": 22}]}", &v);
    cJSON *perm = cJSON_GetArrayItem(cJSON_GetObjectItem(v, "IpPermissions"),
                                     0);

    CHECK(msg == NULL, "null members pass");
    CHECK(!cJSON_HasObjectItem(v, "VpcId"), "a null member is removed");
    CHECK(!cJSON_HasObjectItem(v, "NewThing"), "an unknown null member too");
    CHECK(!cJSON_HasObjectItem(perm, "FromPort"), "nested ones too");
    CHECK(cJSON_HasObjectItem(perm, "ToPort"), "the rest stays");
    cJSON_Delete(v);

    CHECK_STR(shape_error("ec2", "SecurityGroup",
                          "{\"IpPermissions\": [null]}", NULL),
              "f.json: $.IpPermissions[0]: expected an object, got null",
              "a null list item is an error");
}

static void unknown_members_are_kept(void)
{
    cJSON *v = NULL;
    const char *msg = shape_error(
        "ec2", "Vpc",
        "{\"VpcId\": \"vpc-1\", \"FutureFlag\": \"yes\", \"FutureList\": [1, {}]}",
        &v);

    CHECK(msg == NULL, "unknown members pass unchecked");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(v, "FutureFlag")),
              "yes", "and are kept");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(v, "FutureList")) == 2,
          "whole");
    cJSON_Delete(v);
}

/* No map is reachable from the outputs we read today, so build one. */
static void maps(void)
{
    const struct ecp_shape *str = ecp_shape_find("ec2", "String");
    struct ecp_shape map = { .service = "test", .name = "Labels",
                             .type = ECP_SHAPE_MAP, .item = str, .key = str };
    struct ecp_err err;
    cJSON *ok = cJSON_Parse("{\"a\": \"x\", \"b\": null}");
    cJSON *bad = cJSON_Parse("{\"a\": \"x\", \"odd key\": 5}");
    cJSON *arr = cJSON_Parse("[]");
    int ok_rc = ecp_validate(ok, &map, NULL, "$.Labels", &err);

    CHECK(ok_rc == 0, "a map of strings passes");
    CHECK(!cJSON_HasObjectItem(ok, "b"), "a null map value is removed");
    int bad_rc = ecp_validate(bad, &map, NULL, "$.Labels", &err);
    CHECK(bad_rc == -1, "a wrong map value fails");
    CHECK_STR(err.msg, "$.Labels[\"odd key\"]: expected a string, got a "
              "number (5)", "the path quotes odd keys; no file, no prefix");
    int arr_rc = ecp_validate(arr, &map, NULL, "$.Labels", &err);
    CHECK(arr_rc == -1, "an array is not a map");
    CHECK_STR(err.msg, "$.Labels: expected an object, got an array",
              "map = object");
    cJSON_Delete(ok);
    cJSON_Delete(bad);
    cJSON_Delete(arr);
}

static void id_required(void)
{
    CHECK_STR(items_error(SG, "[{\"GroupId\": \"sg-1\"}, {\"GroupName\": \"x\"}]",
                          NULL),
              "f.json: $.Items[1]: GroupId is missing (every item needs its "
              "id)", "the id member is required");
    CHECK_STR(items_error(SG, "[{\"GroupId\": null}]", NULL),
              "f.json: $.Items[0]: GroupId is missing (every item needs its "
              "id)", "a null id is a missing id");
    CHECK_STR(items_error(SG, "[{\"GroupId\": \"\"}]", NULL),
              "f.json: $.Items[0].GroupId: expected a non-empty string, got a "
              "string (\"\")", "an empty id is refused");
    CHECK_STR(items_error(SG, "[{\"GroupId\": 12}]", NULL),
              "f.json: $.Items[0].GroupId: expected a string, got a number "
              "(12)", "a number id is a type error");
    CHECK_STR(items_error(ECP_COLL_PREFIX_LIST_ENTRIES,
                          "[{\"Entries\": []}]", NULL),
              "f.json: $.Items[0]: PrefixListId is missing (every item needs "
              "its id)", "prefix list entries need their PrefixListId");
    CHECK(items_error(ECP_COLL_PREFIX_LIST_ENTRIES,
                      "[{\"PrefixListId\": \"pl-1\", \"Entries\": "
                      "[{\"Cidr\": \"10.0.0.0/8\"}]}]", NULL) == NULL,
          "a prefix list entries item passes");
    CHECK_STR(items_error(ECP_COLL_PREFIX_LIST_ENTRIES,
                          "[{\"PrefixListId\": \"pl-1\", \"Entries\": "
                          "[{\"Cidr\": 10}]}]", NULL),
              "f.json: $.Items[0].Entries[0].Cidr: expected a string, got a "
              "number (10)", "and its entries are checked");
    CHECK_STR(items_error(SG, "{}", NULL),
              "f.json: $.Items: expected an array, got an object",
              "items must be an array");
    CHECK_STR(items_error(SG, "[\"sg-1\"]", NULL),
              "f.json: $.Items[0]: expected an object, got a string "
              "(\"sg-1\")", "each item an object");
    CHECK(items_error(SG, "[]", NULL) == NULL, "no items is fine");
}

static void deep_paths(void)
{
    CHECK_STR(shape_error("elasticache", "ReplicationGroupMessage",
                          "{\"ReplicationGroups\": [{\"NodeGroups\": [{},"
                          " {\"NodeGroupMembers\": [{\"ReadEndpoint\":"
                          " {\"Port\": true}}]}]}]}", NULL),
              "f.json: $.ReplicationGroups[0].NodeGroups[1].NodeGroupMembers"
              "[0].ReadEndpoint.Port: expected an integer, got true",
              "a deep path names every step");
    char big[200];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char json[400];
    snprintf(json, sizeof json, "{\"FromPort\": \"%s\"}", big);
    CHECK_HAS(shape_error("ec2", "IpPermission", json, NULL),
              "got a string (\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\")",
              "a long value is cut short");
    CHECK_HAS(shape_error("ec2", "IpPermission",
                          "{\"FromPort\": \"a\\nb\\\"c\"}", NULL),
              "(\"a\\u000ab\\\"c\")", "control characters are escaped");
}

static void secrets_are_not_echoed(void)
{
    const char *msg = shape_error(
        "sts", "AssumeRoleResponse",
        "{\"Credentials\": {\"AccessKeyId\": \"ASIAEXAMPLE\","
        " \"SecretAccessKey\": 424242424242}}", NULL);

    CHECK_STR(msg, "f.json: $.Credentials.SecretAccessKey: expected a string, "
              "got a number", "a sensitive member's value is not quoted");
    CHECK(msg && !strstr(msg, "4242"), "not even in part");
}

static void accounts(void)
{
    struct ecp_err err;
    cJSON *good = cJSON_Parse("{\"UserId\": \"AIDA1\", \"Account\": "
                              "\"111122223333\", \"Arn\": \"arn:aws:iam::1:user/a\"}");
    cJSON *num = cJSON_Parse("{\"Account\": 111122223333}");
    cJSON *none = cJSON_Parse("{\"UserId\": \"AIDA1\"}");
    int good_rc = ecp_validate_account(good, "account.json", "$", &err);
    int num_rc = ecp_validate_account(num, "account.json", "$", &err);

    CHECK(good_rc == 0, "get-caller-identity output passes");
    CHECK(num_rc == -1, "a number Account fails");
    CHECK_STR(err.msg, "account.json: $.Account: expected a string, got a "
              "number (111122223333)", "and says so");
    int none_rc = ecp_validate_account(none, "account.json", "$", &err);
    CHECK(none_rc == -1, "no Account fails");
    CHECK_STR(err.msg, "account.json: $: Account is missing", "and says so");
    cJSON_Delete(good);
    cJSON_Delete(num);
    cJSON_Delete(none);
}

int main(void)
{
    the_brief_example();
    type_errors();
    timestamps_in_place();
    null_members_are_absent();
    unknown_members_are_kept();
    maps();
    id_required();
    deep_paths();
    secrets_are_not_echoed();
    accounts();
    return harness_done();
}
