/* Reading AWS XML replies that parse (tests/data/xml/, see its
 * README.md): every captured or hand-written reply gives what the AWS CLI
 * printed for it, every error envelope what botocore made of it; page
 * tokens, values typed and trimmed as the CLI does, and shapes built here.
 * Refused input and error envelopes are in test_xml_errors.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "collect/validate.h"
#include "harness.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"
#include "xml_reply.h"

/* "x.xml" -> "x.json", freshly allocated. */
static char *json_name_of(const char *xml_name)
{
    return ecp_asprintf("%.*s.json", (int)(strlen(xml_name) - 4), xml_name);
}

/* Where two trees first differ, as a JSON path; values are never printed
 * (the STS fixtures hold credentials, if only fake ones). */
static int first_diff(const cJSON *a, const cJSON *b, struct ecp_buf *path)
{
    size_t mark = path->len;

    if ((a->type & 0xFF) != (b->type & 0xFF))
        return 1;
    if (cJSON_IsObject(a)) {
        const cJSON *x;

        cJSON_ArrayForEach(x, a) {
            const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);

            ecp_buf_printf(path, ".%s", x->string);
            if (!y) {
                ecp_buf_adds(path, " (only in the parse)");
                return 1;
            }
            if (first_diff(x, y, path))
                return 1;
            path->len = mark;
            path->data[mark] = '\0';
        }
        cJSON_ArrayForEach(x, b) {
            if (!cJSON_GetObjectItemCaseSensitive(a, x->string)) {
                ecp_buf_printf(path, ".%s (only in the CLI's JSON)",
                               x->string);
                return 1;
            }
        }
        return 0;
    }
    if (cJSON_IsArray(a)) {
        int n = cJSON_GetArraySize(a);

        if (n != cJSON_GetArraySize(b)) {
            ecp_buf_adds(path, " (lengths differ)");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            ecp_buf_printf(path, "[%d]", i);
            if (first_diff(cJSON_GetArrayItem(a, i), cJSON_GetArrayItem(b, i),
                           path))
                return 1;
            path->len = mark;
            path->data[mark] = '\0';
        }
        return 0;
    }
    return !cJSON_Compare(a, b, 1);
}

/* One fixture: SERVICE.OPERATION.SOURCE.xml parses to SOURCE.json, the AWS
 * CLI's output for it with timestamps normalised by the validator. */
static void fixture(const char *name)
{
    char service[32], op[64], *dot1 = strchr(name, '.'), *dot2;
    char *xml, *json, *json_name;
    size_t len, jlen;
    const struct ecp_shape_op *row;
    struct ecp_err err = { { 0 } };
    cJSON *got = NULL, *want;

    dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2 || (size_t)(dot1 - name) >= sizeof service ||
        (size_t)(dot2 - dot1 - 1) >= sizeof op) {
        CHECK(0, "%s: named SERVICE.OPERATION.SOURCE.xml", name);
        return;
    }
    snprintf(service, sizeof service, "%.*s", (int)(dot1 - name), name);
    snprintf(op, sizeof op, "%.*s", (int)(dot2 - dot1 - 1), dot1 + 1);
    row = ecp_shape_op_find(service, op);
    json_name = json_name_of(name);
    xml = slurp(name, &len);
    json = slurp(json_name, &jlen);
    want = json ? cJSON_Parse(json) : NULL;
    CHECK(row && xml && want, "%s: the operation, the reply and %s", name,
          json_name);
    if (row && xml && want) {
        int rc = ecp_xml_reply(service, op, xml, len, &got, &err);

        CHECK(rc == 0 && got, "%s parses", name);
        if (rc != 0)
            printf("#   %s\n", err.msg);
        CHECK(ecp_validate(want, row->output, json_name, "$", &err) == 0,
              "%s: the CLI's JSON matches the model", json_name);
        if (got) {
            struct ecp_buf path = { 0 };
            char *before = cJSON_PrintUnformatted(got);
            char *after;
            int same;

            CHECK(ecp_validate(got, row->output, name, "$", &err) == 0,
                  "%s: the parse matches the model", name);
            after = cJSON_PrintUnformatted(got);
            CHECK(strcmp(before, after) == 0,
                  "%s: the parse is already normalised", name);
            free(before);
            free(after);
            ecp_buf_adds(&path, "$");
            same = !first_diff(got, want, &path);
            CHECK(same, "%s gives what the AWS CLI printed", name);
            if (!same)
                printf("#   first difference at %s\n", path.data);
            ecp_buf_free(&path);
        }
    }
    cJSON_Delete(got);
    cJSON_Delete(want);
    free(xml);
    free(json);
    free(json_name);
}

/* error.NAME.xml: ecp_xml_error gives the fields in error.NAME.json (what
 * botocore's parser made of it), and ecp_xml_reply refuses it. */
static void error_fixture(const char *name)
{
    struct ecp_aws_error e;
    struct ecp_err err = { { 0 } };
    char *json_name = json_name_of(name), *xml, *json;
    size_t len, jlen;
    cJSON *want, *got = NULL;

    xml = slurp(name, &len);
    json = slurp(json_name, &jlen);
    want = json ? cJSON_Parse(json) : NULL;
    CHECK(xml && want, "%s and %s", name, json_name);
    if (xml && want) {
        const char *type = member_string(want, "Type");

        CHECK(ecp_xml_error(xml, len, &e) == 0, "%s is an error envelope",
              name);
        CHECK_STR(e.code, member_string(want, "Code"), "%s: the code", name);
        CHECK_STR(e.message, member_string(want, "Message"),
                  "%s: the message", name);
        CHECK_STR(e.request_id, member_string(want, "RequestId"),
                  "%s: the request id", name);
        CHECK_STR(e.type, type ? type : "", "%s: the type", name);
        CHECK(ecp_xml_reply("elasticache", "DescribeCacheClusters", xml, len,
                            &got, &err) == -1 && !got,
              "%s is not a reply", name);
        CHECK_HAS(err.msg, "AWS error envelope", "%s: the reply's message",
                  name);
    }
    cJSON_Delete(want);
    free(xml);
    free(json);
    free(json_name);
}

static void every_fixture(void)
{
    struct ecp_err err = { { 0 } };
    char **names;
    size_t count, replies = 0, errors = 0;

    if (ecp_list_dir(DATA, &names, &count, &err) != 0) {
        CHECK(0, "%s", err.msg);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(names[i]);

        if (n < 4 || strcmp(names[i] + n - 4, ".xml") != 0 ||
            strncmp(names[i], "bad.", 4) == 0)
            continue;
        if (strncmp(names[i], "error.", 6) == 0) {
            error_fixture(names[i]);
            errors++;
        } else {
            fixture(names[i]);
            replies++;
        }
    }
    ecp_free_names(names);
    CHECK(replies >= 25 && errors >= 6, "every fixture was read (%zu "
          "replies, %zu errors)", replies, errors);
}

/* Page tokens come through, under the CLI's member names. */
static void page_tokens(void)
{
    static const struct { const char *service, *op, *file, *member, *want; }
    pages[] = {
        { "elasticache", "DescribeCacheClusters",
          "elasticache.DescribeCacheClusters.hand.xml", "Marker",
          "c2Vzc2lvbnMtMDAxL2NhdGFsb2c=" },
        { "elasticache", "DescribeServerlessCaches",
          "elasticache.DescribeServerlessCaches.hand.xml", "NextToken",
          "eyJuZXh0IjogInNjcmF0Y2gifQ==" },
        { "elasticache", "DescribeUserGroups",
          "elasticache.DescribeUserGroups.hand.xml", "Marker", "carts-users" },
        { "elasticache", "DescribeSnapshots",
          "elasticache.DescribeSnapshots.hand.xml", "Marker",
          "automatic.orders-2024-05-06-04-00" },
        { "ec2", "DescribeSecurityGroups",
          "ec2.DescribeSecurityGroups.hand.xml", "NextToken",
          "AAEAAeX5xxSampleTokenFromEC2==" },
        { "ec2", "DescribeSecurityGroups",
          "ec2.DescribeSecurityGroups.moto.xml", "NextToken", NULL },
    };

    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        struct ecp_err err = { { 0 } };
        size_t len;
        char *xml = slurp(pages[i].file, &len);
        cJSON *got = NULL;

        CHECK(xml && ecp_xml_reply(pages[i].service, pages[i].op, xml, len,
                                   &got, &err) == 0, "%s", pages[i].file);
        CHECK_STR(member_string(got, pages[i].member), pages[i].want,
                  "%s: %s", pages[i].file, pages[i].member);
        cJSON_Delete(got);
        free(xml);
    }
    CHECK_STR(reply_error("ec2", "DescribeVpcs",
                          "<DescribeVpcsResponse><vpcSet/><nextToken/>"
                          "</DescribeVpcsResponse>", NULL), NULL,
              "an empty nextToken parses");
}

/* Values typed by the model, trimmed where the CLI trims them. */
static void values(void)
{
    cJSON *got = NULL;
    const char *msg = reply_error("elasticache", "DescribeCacheClusters", CC(
        "<NumCacheNodes>\n\t -7 \r\n</NumCacheNodes>"
        "<AuthTokenEnabled> true\n</AuthTokenEnabled>"
        "<CacheClusterCreateTime>\n  2015-02-02T01:21:46.607000+00:00\n"
        "</CacheClusterCreateTime>"
        "<CacheClusterId>  spaced  </CacheClusterId>"
        "<Engine></Engine><EngineVersion/>"
        "<CacheNodes><CacheNode><Endpoint><Port>+6379</Port></Endpoint>"
        "</CacheNode></CacheNodes>"), &got);
    cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
                                      got, "CacheClusters"), 0);
    cJSON *node = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
                                         c, "CacheNodes"), 0);
    cJSON *port = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(node, "Endpoint"), "Port");

    CHECK_STR(msg, NULL, "padded values parse");
    CHECK(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
              c, "NumCacheNodes")) == -7, "an integer is trimmed");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c,
                                                        "AuthTokenEnabled")),
          "a boolean is trimmed");
    CHECK_STR(member_string(c, "CacheClusterCreateTime"),
              "2015-02-02T01:21:46.607Z", "a timestamp is trimmed and "
              "normalised");
    CHECK_STR(member_string(c, "CacheClusterId"), "  spaced  ",
              "a string keeps its whitespace");
    CHECK_STR(member_string(c, "Engine"), "", "<X></X> is an empty string");
    CHECK_STR(member_string(c, "EngineVersion"), "", "<X/> is one too");
    CHECK(cJSON_IsNumber(port) && port->valuedouble == 6379,
          "a leading + is taken, as Python's int() does");
    cJSON_Delete(got);

    got = NULL;
    msg = reply_error("ec2", "DescribeManagedPrefixLists",
        "<DescribeManagedPrefixListsResponse><prefixListSet><item>"
        "<version>9007199254740992</version><maxEntries>-2147483648"
        "</maxEntries></item></prefixListSet>"
        "</DescribeManagedPrefixListsResponse>", &got);
    c = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(got,
                                                            "PrefixLists"), 0);
    CHECK_STR(msg, NULL, "a long and the smallest integer");
    CHECK(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
              c, "Version")) == 9007199254740992.0, "a long of 2^53");
    CHECK(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
              c, "MaxEntries")) == -2147483648.0, "INT32_MIN");
    cJSON_Delete(got);
}

/* Shapes the table does not have today, built here: a flattened list (with
 * and without an item name) and a map. */
static const struct ecp_shape t_string = {
    .service = "test", .name = "String", .type = ECP_SHAPE_STRING
};
static const struct ecp_shape t_flat = {
    .service = "test", .name = "Flat", .type = ECP_SHAPE_LIST,
    .item = &t_string, .flattened = 1
};
static const struct ecp_shape t_flat_named = {
    .service = "test", .name = "FlatNamed", .type = ECP_SHAPE_LIST,
    .item = &t_string, .item_wire = "Entry", .flattened = 1
};
static const struct ecp_shape t_map = {
    .service = "test", .name = "Map", .type = ECP_SHAPE_MAP,
    .key = &t_string, .item = &t_string
};
/* Sorted by name, and (by_wire) by wire name. */
static const struct ecp_shape_member t_members[] = {
    { "Entries", NULL, &t_flat_named, 1 },
    { "Labels", NULL, &t_map, 0 },
    { "Names", "Name", &t_flat, 1 },
};
static const struct ecp_shape_member *const t_by_wire[] = {
    &t_members[0], &t_members[1], &t_members[2],
};
static const struct ecp_shape t_output = {
    .service = "test", .name = "Output", .type = ECP_SHAPE_STRUCTURE,
    .members = t_members, .by_wire = t_by_wire, .nmembers = 3
};
static const struct ecp_shape_op t_op = {
    "test", "Op", &t_output, "OpResult"
};

static void hand_made_shapes(void)
{
    static const char xml[] =
        "<OpResponse><OpResult><Name>a</Name><Other>x</Other><Name>b</Name>"
        "<Entry>e1</Entry><Name/><Entry>e2</Entry></OpResult></OpResponse>";
    static const char map[] =
        "<OpResponse><OpResult><Labels><entry><key>k</key><value>v</value>"
        "</entry></Labels></OpResult></OpResponse>";
    struct ecp_err err = { { 0 } };
    cJSON *got = NULL;
    char *text;

    CHECK(ecp_xml_reply_op(&t_op, xml, strlen(xml), &got, &err) == 0,
          "flattened lists parse");
    text = got ? cJSON_PrintUnformatted(got) : NULL;
    CHECK_STR(text, "{\"Names\":[\"a\",\"b\",\"\"],\"Entries\":[\"e1\",\"e2\"]}",
              "...items repeat the member (or the item name), other "
              "elements between them");
    free(text);
    cJSON_Delete(got);
    got = NULL;
    CHECK(ecp_xml_reply_op(&t_op, map, strlen(map), &got, &err) == -1 && !got,
          "a map is refused");
    CHECK_STR(err.msg, "test Op reply: line 1, column 23: /OpResponse/"
              "OpResult/Labels: Labels is a map (Map), which this reader does "
              "not support", "...saying so");
}

int main(void)
{
    every_fixture();
    page_tokens();
    values();
    hand_made_shapes();
    return harness_done();
}
