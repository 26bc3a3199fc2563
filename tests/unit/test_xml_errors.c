/* Reading AWS XML replies that are wrong: values of the wrong type,
 * malformed, truncated and deep, long or huge input, the wrong operation,
 * and error envelopes; secrets never in messages.  Every refusal says
 * where.  Replies that parse are in test_xml.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "harness.h"
#include "util/buf.h"
#include "util/mem.h"
#include "xml_reply.h"

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
    type_errors();
    secrets();
    malformed();
    truncated();
    wrong_operation();
    limits();
    error_envelopes();
    return harness_done();
}
