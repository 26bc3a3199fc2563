/* SigV4 percent-encoding, its decoder, and Query/EC2 form bodies. */
#include <stdlib.h>
#include <string.h>

#include "aws/uri.h"
#include "harness.h"

static int is_unreserved(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
           c == '~';
}

static void encodes(const char *in, size_t len, int flags, const char *want)
{
    struct ecp_buf b = { 0 };

    ecp_uri_encode(&b, in, len, flags);
    CHECK_STR(b.data ? b.data : "", want, "encode%s -> %s",
              flags & ECP_URI_KEEP_SLASH ? " (keep /)" : "", want);
    ecp_buf_free(&b);
}

/* Every byte on its own: kept when unreserved (and '/' with the flag),
 * otherwise %XX with uppercase hex. */
static void every_byte(void)
{
    static const char hex[] = "0123456789ABCDEF";
    int bad = 0, bad_slash = 0;

    for (int c = 0; c < 256; c++) {
        unsigned char byte = (unsigned char)c;
        struct ecp_buf plain = { 0 }, slash = { 0 };
        char want[4];

        if (is_unreserved(c)) {
            want[0] = (char)c;
            want[1] = '\0';
        } else {
            want[0] = '%';
            want[1] = hex[c >> 4];
            want[2] = hex[c & 15];
            want[3] = '\0';
        }
        ecp_uri_encode(&plain, &byte, 1, 0);
        ecp_uri_encode(&slash, &byte, 1, ECP_URI_KEEP_SLASH);
        if (strcmp(plain.data, want) != 0)
            bad++;
        if (strcmp(slash.data, c == '/' ? "/" : want) != 0)
            bad_slash++;
        ecp_buf_free(&plain);
        ecp_buf_free(&slash);
    }
    CHECK(bad == 0, "each of the 256 bytes encodes as RFC 3986 says "
          "(%d wrong)", bad);
    CHECK(bad_slash == 0, "the same with '/' kept (%d wrong)", bad_slash);
}

static void encoding(void)
{
    encodes("a b+c/d~e*f", 11, 0, "a%20b%2Bc%2Fd~e%2Af");
    encodes("a b+c/d~e*f", 11, ECP_URI_KEEP_SLASH, "a%20b%2Bc/d~e%2Af");
    encodes("\xe1\x88\xb4", 3, 0, "%E1%88%B4");
    encodes("a\0b", 3, 0, "a%00b");
    encodes("", 0, 0, "");
    encodes("-._~AZaz09", 10, 0, "-._~AZaz09");
    encodes("=&%", 3, 0, "%3D%26%25");

    struct ecp_buf b = { 0 };
    ecp_buf_adds(&b, "x=");
    ecp_uri_encode(&b, "1 2", 3, 0);
    CHECK_STR(b.data, "x=1%202", "encode appends to what the buffer holds");
    ecp_buf_free(&b);
}

static void decodes(const char *in, int flags, const char *want,
                    size_t want_len)
{
    struct ecp_buf b = { 0 };
    size_t bad = 99;
    int rc = ecp_uri_decode(&b, in, strlen(in), flags, &bad);

    CHECK(rc == 0 && b.len == want_len &&
          (want_len == 0 || memcmp(b.data, want, want_len) == 0),
          "decode \"%s\"%s", in, flags & ECP_URI_PLUS_SPACE ? " (+ is space)"
                                                            : "");
    ecp_buf_free(&b);
}

static void refuses(const char *in, size_t want_bad)
{
    struct ecp_buf b = { 0 };
    size_t bad = 99;
    int rc = ecp_uri_decode(&b, in, strlen(in), 0, &bad);

    CHECK(rc == -1 && bad == want_bad,
          "decode \"%s\" is refused at offset %zu (got rc %d, offset %zu)",
          in, want_bad, rc, bad);
    ecp_buf_free(&b);
}

static void decoding(void)
{
    decodes("%E1%88%b4", 0, "\xe1\x88\xb4", 3);
    decodes("a+b", 0, "a+b", 3);
    decodes("a+b", ECP_URI_PLUS_SPACE, "a b", 3);
    decodes("%2B", ECP_URI_PLUS_SPACE, "+", 1);
    decodes("a%00b", 0, "a\0b", 3);
    decodes("", 0, "", 0);
    decodes("plain-text_.~", 0, "plain-text_.~", 13);
    refuses("%4", 0);
    refuses("ab%zz", 2);
    refuses("ab%", 2);
    refuses("%41%4g", 3);

    struct ecp_buf enc = { 0 }, dec = { 0 };
    CHECK(ecp_uri_decode(&dec, "a%", 2, 0, NULL) == -1,
          "decode without an offset pointer still refuses");
    ecp_buf_free(&dec);

    /* Every byte survives a round trip. */
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    ecp_uri_encode(&enc, all, sizeof all, 0);
    CHECK(ecp_uri_decode(&dec, enc.data, enc.len, 0, NULL) == 0 &&
          dec.len == sizeof all && memcmp(dec.data, all, sizeof all) == 0,
          "decode(encode(all 256 bytes)) is the identity");
    ecp_buf_free(&enc);
    ecp_buf_free(&dec);
}

/* The bodies below are what the AWS CLI and the JS SDK sent
 * (shared research, aws-wire.md section 1). */
static void forms(void)
{
    struct ecp_buf b = { 0 };

    ecp_form_add(&b, "Action", "DescribeSecurityGroups");
    ecp_form_add(&b, "Version", "2016-11-15");
    ecp_form_add(&b, "Filter.1.Name", "vpc-id");
    ecp_form_add(&b, "Filter.1.Value.1", "vpc-1");
    ecp_form_add(&b, "Filter.1.Value.2", "vpc-2");
    ecp_form_add(&b, "GroupId.1", "sg-1");
    ecp_form_add(&b, "GroupId.2", "sg-2");
    CHECK_STR(b.data, "Action=DescribeSecurityGroups&Version=2016-11-15"
              "&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1"
              "&Filter.1.Value.2=vpc-2&GroupId.1=sg-1&GroupId.2=sg-2",
              "EC2 form body, in the caller's order");
    ecp_buf_free(&b);

    ecp_form_add(&b, "Action", "RevokeSecurityGroupIngress");
    ecp_form_add(&b, "Version", "2016-11-15");
    ecp_form_add(&b, "GroupId", "sg-1");
    ecp_form_add(&b, "IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0");
    ecp_form_add(&b, "DryRun", "true");
    CHECK_STR(b.data, "Action=RevokeSecurityGroupIngress&Version=2016-11-15"
              "&GroupId=sg-1&IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%2F0"
              "&DryRun=true", "'/' in a value is encoded");
    ecp_buf_free(&b);

    ecp_form_add(&b, "Marker", "a b+c=d&e");
    ecp_form_add(&b, "Empty", "");
    ecp_form_add(&b, "Name \xe1\x88\xb4", "x");
    CHECK_STR(b.data, "Marker=a%20b%2Bc%3Dd%26e&Empty=&Name%20%E1%88%B4=x",
              "keys and values are encoded; an empty value gives key=");
    ecp_buf_free(&b);
}

int main(void)
{
    every_byte();
    encoding();
    decoding();
    forms();
    return harness_done();
}
