/* Reading AWS XML replies (tests/data/xml/, see its README.md): every
 * captured or hand-written reply gives what the AWS CLI printed for it;
 * page tokens, error envelopes, malformed, truncated, wrong, deep and huge
 * input; secrets never in messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "collect/validate.h"
#include "harness.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"

#define DATA "tests/data/xml/"

static char *slurp(const char *name, size_t *len)
{
    struct ecp_err err = { { 0 } };
    char *path = ecp_path_join(DATA, name), *text = NULL;

    if (ecp_read_file(path, 1 << 26, &text, len, &err) != 0)
        printf("# %s\n", err.msg);
    free(path);
    return text;
}

static const char *member_string(const cJSON *o, const char *name)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));
}

/* "x.xml" -> "x.json", freshly allocated. */
static char *json_name_of(const char *xml_name)
{
    return ecp_asprintf("%.*s.json", (int)(strlen(xml_name) - 4), xml_name);
}

/* Parse a string as service's operation reply: the message on failure,
 * NULL on success (*out, if given, gets the tree). */
static const char *reply_error(const char *service, const char *op,
                               const char *xml, cJSON **out)
{
    static struct ecp_err err;
    cJSON *got = NULL;
    int rc = ecp_xml_reply(service, op, xml, strlen(xml), &got, &err);

    if (rc != 0) {
        if (got)
            return "test bug: a tree came with a failure";
        return err.msg;
    }
    if (out)
        *out = got;
    else
        cJSON_Delete(got);
    return NULL;
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

#define CC_OPEN "<DescribeCacheClustersResponse><DescribeCacheClustersResult>" \
                "<CacheClusters><CacheCluster>"
#define CC_CLOSE "</CacheCluster></CacheClusters>" \
                 "</DescribeCacheClustersResult></DescribeCacheClustersResponse>"
#define CC(inner) CC_OPEN inner CC_CLOSE
#define CC_PATH "/DescribeCacheClustersResponse/DescribeCacheClustersResult/" \
                "CacheClusters/CacheCluster[1]"

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

static void type_errors(void)
{
    CHECK_STR(reply_error("elasticache", "DescribeCacheClusters",
                          CC("<NumCacheNodes>six</NumCacheNodes>"), NULL),
              "elasticache DescribeCacheClusters reply: line 1, column 90: "
              CC_PATH "/NumCacheNodes: expected an integer (IntegerOptional)",
              "a word for an integer: place, path, shape, no text");
    CHECK_STR(reply_error("elasticache", "DescribeCacheClusters",
                          CC("<NumCacheNodes>2147483648</NumCacheNodes>"),
                          NULL),
              "elasticache DescribeCacheClusters reply: line 1, column 90: "
              CC_PATH "/NumCacheNodes: out of range for a 32-bit integer "
              "(IntegerOptional)", "an integer is 32 bits");
    CHECK_HAS(reply_error("elasticache", "DescribeCacheClusters",
                          CC("<NumCacheNodes>1.5</NumCacheNodes>"), NULL),
              "expected an integer", "1.5 is no integer");
    CHECK_HAS(reply_error("elasticache", "DescribeCacheClusters",
                          CC("<NumCacheNodes> </NumCacheNodes>"), NULL),
              "expected an integer, the element is empty", "blank integer");
    CHECK_HAS(reply_error("elasticache", "DescribeCacheClusters",
                          CC("<AuthTokenEnabled>yes</AuthTokenEnabled>"),
                          NULL),
              "/AuthTokenEnabled: expected true or false (BooleanOptional)",
              "yes is no boolean");
    CHECK_HAS(reply_error("elasticache", "DescribeCacheClusters",
                          CC("<AuthTokenEnabled>True</AuthTokenEnabled>"),
                          NULL),
              "expected true or false", "booleans are lower case");
    CHECK_HAS(reply_error("elasticache", "DescribeCacheClusters",
                          CC("<CacheClusterCreateTime>2015-02-30T00:00:00Z"
                             "</CacheClusterCreateTime>"), NULL),
              "/CacheClusterCreateTime: expected a timestamp: ",
              "no such day");
    CHECK_HAS(reply_error("elasticache", "DescribeCacheClusters",
                          CC("<NumCacheNodes>1234567890123456789012345678901"
                             "234567890123456789012345678901234567890"
                             "</NumCacheNodes>"), NULL),
              "expected a number, got 70 bytes of text", "a long number");
    CHECK_HAS(reply_error("elasticache", "DescribeCacheClusters",
                          CC("<NumCacheNodes>6<b>7</b></NumCacheNodes>"),
                          NULL),
              CC_PATH "/NumCacheNodes/b: <NumCacheNodes> should hold text "
              "(integer), not elements", "an element inside a number");
    CHECK_HAS(reply_error("elasticache", "DescribeCacheClusters",
                          CC("<Engine>redis</Engine><Engine>redis</Engine>"),
                          NULL),
              "a second <Engine> (member Engine) in one CacheCluster",
              "a member twice");
    CHECK_HAS(reply_error("elasticache", "DescribeServerlessCaches",
                          "<DescribeServerlessCachesResponse>"
                          "<DescribeServerlessCachesResult><ServerlessCaches>"
                          "<member><CacheUsageLimits><DataStorage><Maximum>1e3"
                          "</Maximum></DataStorage></CacheUsageLimits></member>"
                          "</ServerlessCaches></DescribeServerlessCachesResult>"
                          "</DescribeServerlessCachesResponse>", NULL),
              "ServerlessCaches/member[1]/CacheUsageLimits/DataStorage/"
              "Maximum: expected an integer", "the path through <member>");
}

#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
#define TOKEN "AQoDYXdzEPT//////////wEXAMPLEtoken"
#define CREDS(inner) "<AssumeRoleResponse><AssumeRoleResult><Credentials>" \
                     inner "</Credentials></AssumeRoleResult></AssumeRoleResponse>"

/* The model's sensitive values are parsed, and no message quotes them or
 * any other text. */
static void secrets(void)
{
    static const struct { const char *xml, *want; } bad[] = {
        { CREDS("<SecretAccessKey>" SECRET "</SecretAccessKey><SessionToken>"
                TOKEN "</SessionToken><Expiration>" SECRET "</Expiration>"),
          "/Credentials/Expiration: expected a timestamp" },
        { CREDS("<SecretAccessKey>" SECRET "<x/></SecretAccessKey>"),
          "/Credentials/SecretAccessKey/x: <SecretAccessKey> should hold "
          "text" },
        { "<AssumeRoleResponse><AssumeRoleResult><Credentials><SecretAccessKey>"
          SECRET "</SecretAccessKey><SessionToken>" TOKEN, "malformed XML" },
    };
    cJSON *got = NULL;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *msg = reply_error("sts", "AssumeRole", bad[i].xml, NULL);

        CHECK_HAS(msg, bad[i].want, "a bad credentials reply (%zu)", i);
        CHECK(msg && !strstr(msg, "wJal") && !strstr(msg, "AQoD"),
              "...whose message quotes no secret");
    }
    CHECK_STR(reply_error("sts", "AssumeRole",
                          CREDS("<SecretAccessKey>" SECRET "</SecretAccessKey>"
                                "<SessionToken>" TOKEN "</SessionToken>"),
                          &got), NULL, "credentials parse");
    CHECK_STR(member_string(cJSON_GetObjectItemCaseSensitive(got,
                                                             "Credentials"),
                            "SecretAccessKey"), SECRET,
              "...the secret as any other string");
    cJSON_Delete(got);
}

/* Each malformed body fails with a place and, where it helps, the path. */
static void malformed(void)
{
    size_t len;
    char *xml;
    cJSON *got = NULL;
    struct ecp_err err = { { 0 } };

    CHECK_STR(reply_error("elasticache", "DescribeCacheClusters",
                          CC("<Engine>redis</Engines>"), NULL),
              "elasticache DescribeCacheClusters reply: line 1, column 105: "
              CC_PATH "/Engine: malformed XML: mismatched tag",
              "a mismatched tag: where, the open elements, expat's words");
    CHECK_STR(reply_error("ec2", "DescribeVpcs", "", NULL),
              "ec2 DescribeVpcs reply: the body is empty", "an empty body");
    CHECK_STR(reply_error("ec2", "DescribeVpcs", " \n", NULL),
              "ec2 DescribeVpcs reply: line 2, column 1: /: malformed XML: "
              "no element found", "a blank body");
    CHECK_HAS(reply_error("ec2", "DescribeVpcs",
                          "<DescribeVpcsResponse></DescribeVpcsResponse><x/>",
                          NULL),
              "junk after document element", "two roots");
    CHECK_HAS(reply_error("ec2", "DescribeVpcs",
                          "<DescribeVpcsResponse>&bogus;</DescribeVpcsResponse>",
                          NULL),
              "undefined entity", "an undefined entity");
    CHECK_HAS(reply_error("ec2", "DescribeVpcs",
                          "<a:DescribeVpcsResponse></a:DescribeVpcsResponse>",
                          NULL),
              "unbound prefix", "an unbound namespace prefix");
    CHECK_HAS(reply_error("ec2", "DescribeVpcs",
                          "<DescribeVpcsResponse>\x01</DescribeVpcsResponse>",
                          NULL),
              "not well-formed", "a control character");

    xml = slurp("bad.html.moto.xml", &len);
    CHECK(xml && ecp_xml_reply("elasticache", "DescribeServerlessCaches", xml,
                               len, &got, &err) == -1 && !got,
          "moto's HTML error page is refused");
    CHECK_HAS(err.msg, "line 1, column 1: /: malformed XML: syntax error",
              "...as malformed XML");
    free(xml);

    /* botocore reads UTF-8 whatever the declaration says, and so do we. */
    xml = slurp("bad.latin1.xml", &len);
    CHECK(xml && ecp_xml_reply("elasticache", "DescribeUsers", xml, len, &got,
                               &err) == -1 && !got,
          "a Latin-1 body is refused, as botocore refuses it");
    CHECK_HAS(err.msg, "line 6, column 20: /DescribeUsersResponse/"
              "DescribeUsersResult/Users/member[1]/UserId: malformed XML: "
              "not well-formed (invalid token)", "...at the first Latin-1 "
              "byte (botocore: line 6, column 19, from 0)");
    free(xml);

    /* No DOCTYPE: the billion laughs never start. */
    CHECK_HAS(reply_error("ec2", "DescribeVpcs",
                          "<?xml version=\"1.0\"?>\n"
                          "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                          "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]>\n"
                          "<DescribeVpcsResponse>&lol2;</DescribeVpcsResponse>",
                          NULL),
              "ec2 DescribeVpcs reply: line 2, column 16: /: a DOCTYPE, "
              "which AWS replies never have", "a DOCTYPE is refused");
    CHECK_HAS(reply_error("ec2", "DescribeVpcs",
                          "<!DOCTYPE x SYSTEM \"file:///etc/passwd\">"
                          "<DescribeVpcsResponse/>", NULL),
              "a DOCTYPE", "an external DTD too");
}

/* Every prefix of a real reply fails cleanly (ASan and valgrind watch). */
static void truncated(void)
{
    static const struct { const char *file, *service, *op; } cases[] = {
        { "elasticache.DescribeCacheClusters.hand.xml", "elasticache",
          "DescribeCacheClusters" },
        { "ec2.DescribeSecurityGroups.hand.xml", "ec2",
          "DescribeSecurityGroups" },
        { "sts.AssumeRole.hand.xml", "sts", "AssumeRole" },
    };

    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t len, end, step, tried = 0, bad = 0, quiet = 0;
        char *xml = slurp(cases[k].file, &len);

        if (!xml) {
            CHECK(0, "%s", cases[k].file);
            continue;
        }
        /* Past the root's end tag the document is whole again. */
        end = len;
        while (end > 0 && (xml[end - 1] == '\n' || xml[end - 1] == ' '))
            end--;
        /* Every prefix is quadratic work, slow under valgrind: every
         * third one of the largest file. */
        step = len > 4000 ? 3 : 1;
        for (size_t n = 1; n < end; n += step) {
            struct ecp_err err = { { 0 } };
            cJSON *got = NULL;

            if (ecp_xml_reply(cases[k].service, cases[k].op, xml, n, &got,
                              &err) != -1 || got)
                bad++;
            if (!strstr(err.msg, "reply: line "))
                quiet++;
            cJSON_Delete(got);
            tried++;
        }
        CHECK(bad == 0, "%s: each of %zu prefixes is refused",
              cases[k].file, tried);
        CHECK(quiet == 0, "%s: ...each with a line and column",
              cases[k].file);
        free(xml);
    }
}

static void wrong_operation(void)
{
    size_t len;
    char *xml = slurp("ec2.DescribeVpcs.moto.xml", &len);
    struct ecp_err err = { { 0 } };
    cJSON *got = NULL;

    CHECK(xml && ecp_xml_reply("ec2", "DescribeSecurityGroups", xml, len,
                               &got, &err) == -1 && !got,
          "a DescribeVpcs reply is not a DescribeSecurityGroups reply");
    CHECK_STR(err.msg, "ec2 DescribeSecurityGroups reply: line 2, column 1: "
              "/DescribeVpcsResponse: expected <DescribeSecurityGroupsResponse>"
              " as the root element, not <DescribeVpcsResponse>",
              "...and the message names both");
    free(xml);
    CHECK_STR(reply_error("elasticache", "DescribeUsers",
                          "<DescribeUsersResponse><ResponseMetadata/>"
                          "</DescribeUsersResponse>", NULL),
              "elasticache DescribeUsers reply: line 1, column 67: /: no "
              "<DescribeUsersResult> in the reply", "no result wrapper");
    CHECK_HAS(reply_error("elasticache", "DescribeUsers",
                          "<DescribeUsersResponse><DescribeUsersResult/>"
                          "<DescribeUsersResult/></DescribeUsersResponse>",
                          NULL),
              "a second <DescribeUsersResult>", "two result wrappers");
    CHECK_STR(reply_error("elasticache", "DescribeNothing", "<x/>", NULL),
              "elasticache DescribeNothing: no such operation in the shape "
              "table (tools/gen-shapes.py)", "an unknown operation");
    CHECK_HAS(reply_error("s3", "DescribeVpcs", "<x/>", NULL),
              "no such operation", "an unknown service");
    CHECK_HAS(reply_error("ec2", "DescribeVpcs",
                          "<Response><Errors><Error><Code>X</Code></Error>"
                          "</Errors></Response>", NULL),
              "/Response: the reply is an AWS error envelope, not a "
              "DescribeVpcs reply", "an EC2 error is not a reply");
    CHECK_STR(reply_error("ec2", "DescribeVpcs",
                          "<DescribeVpcsResponse/>", NULL), NULL,
              "an empty EC2 reply is {}");
}

/* Deep, long and large input is refused or read in linear time. */
static void limits(void)
{
    struct ecp_buf b = { 0 };
    struct ecp_err err = { { 0 } };
    cJSON *got = NULL;
    const char *msg;
    char *big;

    ecp_buf_adds(&b, "<DescribeVpcsResponse>");
    for (int i = 0; i < 100000; i++)
        ecp_buf_adds(&b, "<an-element-the-model-does-not-know>");
    msg = reply_error("ec2", "DescribeVpcs", b.data, NULL);
    CHECK_HAS(msg, "/an-element-the-model-does-not-know: elements nested "
              "deeper than 64 levels",
              "100000 nested unknown elements stop at 64");
    CHECK_HAS(msg, "line 1, column 2291: .../an-element",
              "...with the place and the end of the path");
    CHECK(msg && strlen(msg) < 600, "...in a message of bounded length");
    ecp_buf_free(&b);

    ecp_buf_adds(&b, "<DescribeVpcsResponse><vpcSet><item><vpcId>");
    for (size_t i = 0; i <= ECP_XML_MAX_TEXT; i += 8)
        ecp_buf_adds(&b, "vpc-0123");
    ecp_buf_adds(&b, "</vpcId></item></vpcSet></DescribeVpcsResponse>");
    CHECK_STR(reply_error("ec2", "DescribeVpcs", b.data, NULL),
              "ec2 DescribeVpcs reply: line 1, column 37: /DescribeVpcsResponse"
              "/vpcSet/item[1]/vpcId: text longer than 1048576 bytes",
              "the text of one element is bounded");
    ecp_buf_free(&b);

    /* Long text in elements the model does not know costs nothing. */
    ecp_buf_adds(&b, "<DescribeVpcsResponse><future>");
    for (size_t i = 0; i <= 2 * ECP_XML_MAX_TEXT; i += 8)
        ecp_buf_adds(&b, "abcdefgh");
    ecp_buf_adds(&b, "</future></DescribeVpcsResponse>");
    CHECK_STR(reply_error("ec2", "DescribeVpcs", b.data, NULL), NULL,
              "long text in an unknown element is skipped");
    ecp_buf_free(&b);

    /* Many items: one page far larger than AWS sends, read linearly. */
    ecp_buf_adds(&b, "<DescribeSecurityGroupsResponse><securityGroupInfo>");
    for (int i = 0; i < 20000; i++)
        ecp_buf_printf(&b, "<item><groupId>sg-%d</groupId><ipPermissions>"
                       "<item><fromPort>%d</fromPort></item></ipPermissions>"
                       "</item>", i, i % 65536);
    ecp_buf_adds(&b, "</securityGroupInfo></DescribeSecurityGroupsResponse>");
    msg = reply_error("ec2", "DescribeSecurityGroups", b.data, &got);
    CHECK_STR(msg, NULL, "20000 groups parse");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
              got, "SecurityGroups")) == 20000, "...all of them");
    CHECK_STR(member_string(cJSON_GetArrayItem(
                  cJSON_GetObjectItemCaseSensitive(got, "SecurityGroups"),
                  19999), "GroupId"), "sg-19999", "...in order");
    cJSON_Delete(got);
    ecp_buf_free(&b);

    big = ecp_malloc(ECP_XML_MAX_BYTES + 1);
    memset(big, ' ', ECP_XML_MAX_BYTES + 1);
    got = NULL;
    CHECK(ecp_xml_reply("ec2", "DescribeVpcs", big, ECP_XML_MAX_BYTES + 1,
                        &got, &err) == -1 && !got, "a body over the limit");
    CHECK_STR(err.msg, "ec2 DescribeVpcs reply: 67108865 bytes, more than "
              "the 67108864 this reader takes", "...is refused unread");
    {
        struct ecp_aws_error e;

        CHECK(ecp_xml_error(big, ECP_XML_MAX_BYTES + 1, &e) == -1,
              "...by the error reader too");
    }
    free(big);
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

static void error_envelopes(void)
{
    struct ecp_aws_error e;
    struct ecp_buf b = { 0 };
    size_t len;
    char *xml;

#define ERR(s) ecp_xml_error(s, strlen(s), &e)
    CHECK(ERR("<ErrorResponse><Error><Type>\n Sender\t</Type><Code>\n"
              "  Throttling  \n</Code><Message>line one\nline two\t\xc2\x9b" "31m"
              "</Message></Error><RequestId> r-1 </RequestId>"
              "</ErrorResponse>") == 0, "a padded Query error");
    CHECK_STR(e.type, "Sender", "...type trimmed");
    CHECK_STR(e.code, "Throttling", "...code trimmed");
    CHECK_STR(e.message, "line one line two  31m",
              "...control characters in the message become spaces");
    CHECK_STR(e.request_id, "r-1", "...request id trimmed");
    CHECK(ERR("<Response><Errors><Error><Code>A</Code><Message>first"
              "</Message></Error><Error><Code>B</Code><Message>second"
              "</Message></Error></Errors><RequestId>r-2</RequestId>"
              "</Response>") == 0 && strcmp(e.code, "A") == 0 &&
          strcmp(e.message, "first") == 0 &&
          strcmp(e.request_id, "r-2") == 0 && e.type[0] == '\0',
          "EC2: the first Error, RequestId also accepted, no type");
    CHECK(ERR("<ErrorResponse><Error><Code>X<Sub>y</Sub>Z</Code></Error>"
              "</ErrorResponse>") == 0 && strcmp(e.code, "XZ") == 0,
          "only a field's own text counts");
    CHECK(ERR("<ErrorResponse><Error><Message>m</Message></Error>"
              "</ErrorResponse>") == -1 && e.message[0] == '\0',
          "no code: not an error envelope, and out is zeroed");
    CHECK(ERR("<ErrorResponse><Code>X</Code></ErrorResponse>") == -1,
          "a Code outside <Error> is not one");
    CHECK(ERR("<Response><Error><Code>X</Code></Error></Response>") == -1,
          "EC2 needs the <Errors> wrapper");
    CHECK(ERR("<ErrorResponse><Error><Code>X</Code></Error>") == -1,
          "a truncated envelope is not one");
    CHECK(ERR("<DescribeVpcsResponse/>") == -1, "a reply is not one");
    CHECK(ecp_xml_error("", 0, &e) == -1, "an empty body is not one");
    CHECK(ERR("<!DOCTYPE x [<!ENTITY a \"b\">]><ErrorResponse><Error><Code>"
              "&a;</Code></Error></ErrorResponse>") == -1,
          "nor one with a DOCTYPE");
    xml = slurp("bad.html.moto.xml", &len);
    CHECK(xml && ecp_xml_error(xml, len, &e) == -1, "nor moto's HTML page");
    free(xml);

    ecp_buf_adds(&b, "<ErrorResponse><Error><Code>");
    for (int i = 0; i < 200; i++)
        ecp_buf_adds(&b, "\xc3\xa9");   /* é: two bytes each */
    ecp_buf_adds(&b, "</Code><Message>");
    for (int i = 0; i < 3000; i++)
        ecp_buf_adds(&b, "\xe2\x98\x83");   /* a snowman: three bytes */
    ecp_buf_adds(&b, "</Message></Error></ErrorResponse>");
    CHECK(ERR(b.data) == 0, "long fields");
    CHECK(strlen(e.code) == 126 && strlen(e.message) == 1023,
          "...are cut to fit, at a character boundary (%zu, %zu bytes)",
          strlen(e.code), strlen(e.message));
    CHECK(strcmp(e.code + 124, "\xc3\xa9") == 0 &&
          strcmp(e.message + 1020, "\xe2\x98\x83") == 0,
          "...ending in whole characters");
    ecp_buf_free(&b);

    ecp_buf_adds(&b, "<ErrorResponse>");
    for (int i = 0; i < 1000; i++)
        ecp_buf_adds(&b, "<Error>");
    CHECK(ERR(b.data) == -1, "deep nesting is not an envelope");
    ecp_buf_free(&b);
#undef ERR
}

int main(void)
{
    every_fixture();
    page_tokens();
    values();
    type_errors();
    secrets();
    malformed();
    truncated();
    wrong_operation();
    limits();
    hand_made_shapes();
    error_envelopes();
    return harness_done();
}
