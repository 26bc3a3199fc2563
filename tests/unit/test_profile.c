/* The shared config and credentials files (tests/data/aws-config/parse/,
 * each file says what it exercises; the expected values were checked
 * against botocore 1.43), shell word splitting, and resolving the profile,
 * regions, endpoints and retry settings (tests/data/aws-config/resolve/).
 *
 * Everything printed goes through the relay of relay.h, which fails the
 * test if a fixture secret ("ecp-fixture-secret...") shows up; set
 * ECP_TEST_NO_RELAY=1 to see the output of a crashing run. */
#include <stdlib.h>
#include <string.h>

#include "aws/config.h"
#include "aws/metadata.h"
#include "aws/profile.h"
#include "harness.h"
#include "relay.h"
#include "util/buf.h"

#define PARSE "tests/data/aws-config/parse/"
#define RESOLVE "tests/data/aws-config/resolve/"

/* ---- helpers -------------------------------------------------------- */

/* A fake environment: "NAME=value" strings, NULL-terminated. */
static const char *table_get(void *ud, const char *name)
{
    size_t n = strlen(name);

    for (const char *const *v = ud; *v; v++)
        if (strncmp(*v, name, n) == 0 && (*v)[n] == '=')
            return *v + n + 1;
    return NULL;
}

#define ENV(...) (&(struct ecp_env){ table_get, \
    (void *)(const char *const[]){ __VA_ARGS__, NULL } })
#define FILES "AWS_CONFIG_FILE=" RESOLVE "config", \
    "AWS_SHARED_CREDENTIALS_FILE=" RESOLVE "credentials"

static const char *get(const struct ecp_profile_file *f, const char *profile,
                       const char *key)
{
    const struct ecp_profile_prop *p =
        ecp_profile_file_prop(f, ECP_SECTION_PROFILE, profile, key, NULL);

    return p ? p->value : NULL;
}

static int load(struct ecp_profile_file *f, const char *name,
                enum ecp_profile_kind kind, struct ecp_err *err)
{
    char path[256];

    snprintf(path, sizeof path, PARSE "%s", name);
    return ecp_profile_load(f, kind, path, err);
}

/* Parsing name fails with exactly want, and leaves the file empty. */
static void parse_fails(const char *name, const char *want)
{
    struct ecp_profile_file f;
    struct ecp_err err = { { 0 } };

    CHECK(load(&f, name, ECP_PROFILE_CONFIG, &err) == -1, "%s is refused",
          name);
    CHECK_STR(err.msg, want, "%s: the message", name);
    CHECK(f.nsections == 0 && !f.sections && !f.path, "%s: nothing is kept",
          name);
    ecp_profile_file_free(&f);
}

/* ---- parsing --------------------------------------------------------- */

static void continued_property(void)
{
    struct ecp_profile_file f;
    struct ecp_err err;

    CHECK(load(&f, "continued-property.ini", ECP_PROFILE_CONFIG, &err) == 0,
          "continued-property parses");
    CHECK_STR(get(&f, "cont", "description"),
              "first line\nsecond line\n\nthird line, after a blank line",
              "indented lines continue the value, blank lines kept inside");
    CHECK_STR(get(&f, "cont", "region"), "us-east-1",
              "an unindented key ends the value");
    ecp_profile_file_free(&f);
}

static void duplicates(void)
{
    struct ecp_profile_file f;
    struct ecp_aws_files files = { 0 };
    struct ecp_profile_where w;
    struct ecp_err err;

    CHECK(load(&f, "duplicate-profiles.ini", ECP_PROFILE_CONFIG, &err) == 0,
          "duplicate-profiles parses");
    CHECK_STR(get(&f, "dup", "region"), "eu-west-2",
              "a repeated key: the last one wins, across repeated sections");
    CHECK_STR(get(&f, "dup", "output"), "json",
              "keys of the first section stay when the second lacks them");
    CHECK_STR(get(&f, "default", "region"), "ap-south-1",
              "[default] and [profile default] are one profile");
    CHECK_STR(get(&f, "default", "output"), "text",
              "[profile default] adds its keys to it");
    files.config = f;
    CHECK_STR(ecp_profile_get(&files, "dup", "region", &w), "eu-west-2",
              "ecp_profile_get finds it in the config file");
    CHECK(w.line == 9, "at line 9 (got %d)", w.line);
    CHECK_STR(w.path, PARSE "duplicate-profiles.ini", "and names the file");
    ecp_aws_files_free(&files);
}

static void empty_sub_property(void)
{
    struct ecp_profile_file f;
    const struct ecp_profile_prop *s3;
    struct ecp_err err;

    CHECK(load(&f, "empty-sub-property.ini", ECP_PROFILE_CONFIG, &err) == 0,
          "empty-sub-property parses");
    s3 = ecp_profile_file_prop(&f, ECP_SECTION_PROFILE, "empty", "s3", NULL);
    CHECK(s3 && s3->nsubs == 0 && strcmp(s3->value, "") == 0,
          "a key with nothing under it is an empty value");
    CHECK_STR(get(&f, "empty", "region"), "", "an empty value is kept");
    ecp_profile_file_free(&f);
}

static void comments(void)
{
    struct ecp_profile_file f;
    struct ecp_err err;

    CHECK(load(&f, "comments.ini", ECP_PROFILE_CONFIG, &err) == 0,
          "comments parses");
    CHECK(f.nsections == 1, "one section (got %zu)", f.nsections);
    CHECK_STR(get(&f, "c", "region"),
              "us-east-1 # after a value: part of the value, as in botocore",
              "# after a value is part of it");
    CHECK_STR(get(&f, "c", "output"), "json ; also kept",
              "; after a value too; comment lines in a value are dropped");
    ecp_profile_file_free(&f);
}

static void sub_properties(void)
{
    struct ecp_profile_file f;
    const struct ecp_profile_prop *s3, *ec, *ec2;
    struct ecp_profile_where w;
    struct ecp_err err;

    CHECK(load(&f, "sub-properties.ini", ECP_PROFILE_CONFIG, &err) == 0,
          "sub-properties parses");
    s3 = ecp_profile_file_prop(&f, ECP_SECTION_PROFILE, "dev", "s3", NULL);
    CHECK(s3 && s3->nsubs == 3, "three sub-properties, a blank line among "
          "them");
    CHECK_STR(ecp_profile_sub(s3, "Signature_Version")
                  ? ecp_profile_sub(s3, "Signature_Version")->value : NULL,
              "s3v4", "sub-property keys keep their case (botocore)");
    CHECK_STR(ecp_profile_sub(s3, "max_concurrent_requests")
                  ? ecp_profile_sub(s3, "max_concurrent_requests")->value
                  : NULL, "10", "the last one after the blank line");
    ec = ecp_profile_file_prop(&f, ECP_SECTION_SERVICES, "local-dev",
                               "elasticache", &w);
    CHECK_STR(ecp_profile_sub(ec, "endpoint_url")
                  ? ecp_profile_sub(ec, "endpoint_url")->value : NULL,
              "http://127.0.0.1:4566", "a [services] section's endpoint");
    CHECK(w.line == 10, "found at line 10 (got %d)", w.line);
    ec2 = ecp_profile_file_prop(&f, ECP_SECTION_SERVICES, "local-dev", "ec2",
                                NULL);
    CHECK_STR(ecp_profile_sub(ec2, "endpoint_url")
                  ? ecp_profile_sub(ec2, "endpoint_url")->value : NULL,
              "http://127.0.0.1:4568", "a repeated sub-property: the last");
    CHECK(ecp_profile_sub(ec2, "endpoint_url") &&
          ecp_profile_sub(ec2, "endpoint_url")->line == 14,
          "with its own line number");
    CHECK(ecp_profile_file_has(&f, ECP_SECTION_SSO_SESSION, "corp"),
          "[sso-session corp] is an sso-session");
    CHECK(!ecp_profile_file_has(&f, ECP_SECTION_PROFILE, "local-dev"),
          "a services section is not a profile");
    ecp_profile_file_free(&f);
}

static void headers(void)
{
    struct ecp_profile_file f;
    struct ecp_err err;

    CHECK(load(&f, "headers.ini", ECP_PROFILE_CONFIG, &err) == 0,
          "headers parses");
    CHECK_STR(get(&f, "with space", "region"), "a", "a quoted profile name");
    CHECK_STR(get(&f, "padded", "region"), "b", "blanks around the name");
    CHECK_STR(get(&f, "prefixed", "region"), "c",
              "[profiles x] is profile x: botocore tests only the prefix");
    CHECK(!ecp_profile_file_has(&f, ECP_SECTION_PROFILE, "profile") &&
          !ecp_profile_file_has(&f, ECP_SECTION_PROFILE, "one"),
          "[profile] and [profile one two] are no profile");
    CHECK(!ecp_profile_file_has(&f, ECP_SECTION_PROFILE, "default") &&
          !ecp_profile_file_has(&f, ECP_SECTION_PROFILE, " default "),
          "[ default ] is not the default profile");
    CHECK(ecp_profile_file_has(&f, ECP_SECTION_OTHER, "preview"),
          "[preview] is kept aside");
    CHECK(!ecp_profile_file_has(&f, ECP_SECTION_PROFILE, "\"unclosed"),
          "an unclosed quote makes no profile");
    ecp_profile_file_free(&f);
}

static void credentials_file(void)
{
    struct ecp_profile_file f;
    struct ecp_err err;
    const char *secret;

    CHECK(load(&f, "credentials.ini", ECP_PROFILE_CREDENTIALS, &err) == 0,
          "a credentials file parses");
    CHECK_STR(get(&f, "default", "aws_access_key_id"), "AKIDDEFAULT",
              "[default]");
    CHECK_STR(get(&f, "profile odd", "aws_access_key_id"), "AKIDODD",
              "[profile odd] there is profile 'profile odd'; keys are "
              "case-insensitive and 'key: value' works");
    secret = get(&f, "profile odd", "aws_secret_access_key");
    /* CHECK, not CHECK_STR: a failure must not print the secret. */
    CHECK(secret && strcmp(secret, SECRET_MARK "-parse-odd") == 0,
          "the secret key is read");
    ecp_profile_file_free(&f);
}

static void line_endings(void)
{
    struct ecp_profile_file f;
    const struct ecp_profile_prop *s3;
    struct ecp_err err;

    CHECK(load(&f, "crlf.ini", ECP_PROFILE_CONFIG, &err) == 0,
          "a CRLF file parses");
    CHECK_STR(get(&f, "default", "region"), "us-east-1", "no CR in values");
    s3 = ecp_profile_file_prop(&f, ECP_SECTION_PROFILE, "default", "s3",
                               NULL);
    CHECK(s3 && s3->nsubs == 1 &&
          strcmp(s3->subs[0].value, "path") == 0, "sub-properties with CRLF");
    CHECK_STR(get(&f, "crlf", "output"), "json", "the next section");
    ecp_profile_file_free(&f);

    CHECK(load(&f, "bom.ini", ECP_PROFILE_CONFIG, &err) == 0,
          "a byte order mark is skipped");
    CHECK_STR(get(&f, "default", "region"), "us-east-1", "after a BOM");
    ecp_profile_file_free(&f);

    CHECK(ecp_profile_parse(&f, ECP_PROFILE_CONFIG, "mem",
                            "[default]\rregion = a\r\rb = c", 27, &err) == 0,
          "lone CR line ends");
    CHECK_STR(get(&f, "default", "b"), "c", "read as line ends");
    ecp_profile_file_free(&f);

    CHECK(ecp_profile_parse(&f, ECP_PROFILE_CONFIG, "mem",
                            "[default]\r\n\r\nbad\r\n", 18, &err) == -1,
          "an error after CRLF lines");
    CHECK_STR(err.msg, "mem:3: expected '[section]' or 'key = value'",
              "counts CRLF as one line end");

    CHECK(ecp_profile_parse(&f, ECP_PROFILE_CONFIG, "mem",
                            "[default]\nregion = a\0b\n", 22, &err) == -1,
          "a NUL byte is refused");
    CHECK_STR(err.msg, "mem:2: a NUL byte: not a text file",
              "naming its line");

    CHECK(ecp_profile_parse(&f, ECP_PROFILE_CONFIG, "mem", "", 0, &err) == 0 &&
          f.nsections == 0, "an empty file has no sections");
    ecp_profile_file_free(&f);
}

static void errors(void)
{
    parse_fails("missing-bracket.ini", PARSE "missing-bracket.ini:4: "
                "expected '[section]' or 'key = value'");
    parse_fails("key-before-section.ini", PARSE "key-before-section.ini:2: "
                "a key before any [section]");
    parse_fails("bad-sub-property.ini", PARSE "bad-sub-property.ini:4: "
                "expected 'key = value' in the indented block under 's3'");
    parse_fails("no-key.ini", PARSE "no-key.ini:3: a value without a key");
}

static void missing_files(void)
{
    struct ecp_aws_files files;
    struct ecp_profile_file f;
    struct ecp_err err;

    CHECK(ecp_profile_load(&f, ECP_PROFILE_CONFIG,
                           "tests/data/aws-config/no-such-file", &err) == 0 &&
          !f.found && f.nsections == 0, "a missing file is no error");
    CHECK_STR(f.path, "tests/data/aws-config/no-such-file", "its path stays");
    ecp_profile_file_free(&f);
    CHECK(ecp_profile_load(&f, ECP_PROFILE_CONFIG, "/dev/null", &err) == 0 &&
          !f.found, "/dev/null is no file, as for botocore");
    ecp_profile_file_free(&f);
    CHECK(ecp_profile_load(&f, ECP_PROFILE_CONFIG, PARSE, &err) == 0 &&
          !f.found, "nor is a directory");
    ecp_profile_file_free(&f);
    CHECK(ecp_aws_files_load(&files, NULL, PARSE "credentials.ini", &err) ==
          0, "both files, one missing");
    CHECK(ecp_profile_exists(&files, "default") &&
          !ecp_profile_exists(&files, "nope"), "profiles of either file");
    ecp_aws_files_free(&files);
}

/* Words of s, as "<a> <b>"; label names the case (s may hold newlines). */
static void split(const char *label, const char *s, const char *want)
{
    struct ecp_buf got = { 0 };
    struct ecp_err err;
    char **argv;
    size_t argc;

    if (ecp_shell_split(s, &argv, &argc, &err) != 0) {
        ecp_buf_printf(&got, "error: %s", err.msg);
    } else {
        for (size_t i = 0; i < argc; i++)
            ecp_buf_printf(&got, "%s<%s>", i ? " " : "", argv[i]);
        CHECK(argv[argc] == NULL, "split %s: NULL-terminated", label);
        ecp_words_free(argv);
    }
    CHECK_STR(got.data ? got.data : "", want, "split %s", label);
    ecp_buf_free(&got);
}

static void shell_words(void)
{
    split("nothing", "", "");
    split("blanks", "   ", "");
    split("blanks of all kinds", "a b\tc\nd", "<a> <b> <c> <d>");
    split("an empty quoted word", "a '' b", "<a> <> <b>");
    split("escapes", "a\\ b \"c\\\"d\" \"e\\f\" x'y'z",
          "<a b> <c\"d> <e\\f> <xyz>");
    split("single quotes, no expansion", "'single \\ \"quoted\"' \"$HOME\"",
          "<single \\ \"quoted\"> <$HOME>");
    split("an unclosed double quote", "\"unterminated",
          "error: a quotation is not closed");
    split("an unclosed single quote", "'unterminated",
          "error: a quotation is not closed");
    split("a trailing backslash", "a\\", "error: a backslash at the very end");
}

/* ---- resolution ------------------------------------------------------ */

static void resolves(const char *what, const struct ecp_aws_options *o,
                     const struct ecp_env *env, struct ecp_aws_config *c)
{
    struct ecp_err err = { { 0 } };
    int rc = ecp_aws_config_load(c, o, env, &err);

    CHECK(rc == 0, "%s: resolves (%s)", what, rc ? err.msg : "");
}

static void refused(const char *what, const struct ecp_aws_options *o,
                    const struct ecp_env *env, const char *want)
{
    struct ecp_aws_config c;
    struct ecp_err err = { { 0 } };

    CHECK(ecp_aws_config_load(&c, o, env, &err) == -1, "%s: refused", what);
    CHECK_STR(err.msg, want, "%s: the message", what);
    CHECK(!c.profile && !c.regions && c.files.config.nsections == 0,
          "%s: nothing is kept", what);
    ecp_aws_config_free(&c);
}

static void defaults(void)
{
    struct ecp_aws_config c;
    const char *src;
    char *url;

    resolves("defaults", NULL, ENV(FILES), &c);
    CHECK_STR(c.profile, "default", "the default profile");
    CHECK_STR(c.profile_source, "default", "by default");
    CHECK(!c.profile_explicit, "not named explicitly");
    CHECK(c.nregions == 1 && strcmp(c.regions[0], "us-west-2") == 0,
          "the profile's region");
    CHECK_STR(c.regions_source, "profile 'default' (" RESOLVE "config:3)",
              "names the file and line");
    for (int s = 0; s < ECP_AWS_NSERVICES; s++)
        CHECK(c.endpoint[s] == NULL, "no endpoint configured for %s",
              ecp_aws_service_id((enum ecp_aws_service)s));
    url = ecp_aws_endpoint(&c, ECP_AWS_ELASTICACHE, "us-west-2", &src);
    CHECK_STR(url, "https://elasticache.us-west-2.amazonaws.com",
              "the default ElastiCache endpoint");
    CHECK_STR(src, "default", "its source");
    free(url);
    url = ecp_aws_endpoint(&c, ECP_AWS_STS, "eu-west-1", NULL);
    CHECK_STR(url, "https://sts.eu-west-1.amazonaws.com", "regional STS");
    free(url);
    url = ecp_aws_endpoint(&c, ECP_AWS_EC2, "cn-northwest-1", NULL);
    CHECK_STR(url, "https://ec2.cn-northwest-1.amazonaws.com.cn",
              "China regions have their own domain");
    free(url);
    CHECK(c.max_attempts == 3, "three attempts by default");
    CHECK_STR(c.max_attempts_source, "default", "by default");
    CHECK(c.retry_mode == ECP_RETRY_STANDARD, "the standard retry mode");
    CHECK(c.ca_bundle == NULL, "the system CA store");
    CHECK(c.files.config.found && c.files.credentials.found,
          "both files were found");
    ecp_aws_config_free(&c);
}

static void profile_settings(void)
{
    struct ecp_aws_config c;
    struct ecp_aws_options o = { 0 };
    char *url;

    resolves("AWS_PROFILE=prod", NULL, ENV(FILES, "AWS_PROFILE=prod"), &c);
    CHECK_STR(c.profile, "prod", "the profile from AWS_PROFILE");
    CHECK_STR(c.profile_source, "AWS_PROFILE", "named so");
    CHECK(!c.profile_explicit, "AWS_PROFILE is not --profile");
    CHECK(c.nregions == 1 && strcmp(c.regions[0], "eu-central-1") == 0,
          "the credentials file's region wins over the config file's");
    CHECK_STR(c.regions_source, "profile 'prod' (" RESOLVE "credentials:3)",
              "and says so");
    CHECK_STR(c.endpoint[ECP_AWS_ELASTICACHE], "http://127.0.0.1:5003",
              "ElastiCache from the [services] section");
    CHECK_STR(c.endpoint_source[ECP_AWS_ELASTICACHE],
              "[services prod-endpoints] elasticache (" RESOLVE "config:44)",
              "its source is the sub-property's line");
    CHECK_STR(c.endpoint[ECP_AWS_EC2], "http://127.0.0.1:5001",
              "EC2 from the profile's endpoint_url");
    CHECK_STR(c.endpoint[ECP_AWS_STS], "http://127.0.0.1:5001",
              "STS too: its services entry has no endpoint_url");
    url = ecp_aws_endpoint(&c, ECP_AWS_EC2, "eu-central-1", NULL);
    CHECK_STR(url, "http://127.0.0.1:5001", "ecp_aws_endpoint uses it");
    free(url);
    CHECK(c.max_attempts == 7, "max_attempts from the profile");
    CHECK(c.retry_mode == ECP_RETRY_ADAPTIVE, "retry_mode adaptive");
    CHECK_STR(c.ca_bundle, "/etc/ecpolicy-test/prod-ca.pem", "ca_bundle");
    CHECK_STR(c.ca_bundle_source, "profile 'prod' (" RESOLVE "config:11)",
              "with its source");
    ecp_aws_config_free(&c);

    o.profile = "cn";
    resolves("--profile beats AWS_PROFILE", &o,
             ENV(FILES, "AWS_PROFILE=prod", "AWS_DEFAULT_PROFILE=prod"), &c);
    CHECK_STR(c.profile, "cn", "--profile wins");
    CHECK(c.profile_explicit, "and is explicit");
    ecp_aws_config_free(&c);

    resolves("AWS_PROFILE beats AWS_DEFAULT_PROFILE", NULL,
             ENV(FILES, "AWS_PROFILE=cn", "AWS_DEFAULT_PROFILE=prod"), &c);
    CHECK_STR(c.profile, "cn", "AWS_PROFILE wins");
    ecp_aws_config_free(&c);

    resolves("AWS_DEFAULT_PROFILE", NULL,
             ENV(FILES, "AWS_PROFILE=", "AWS_DEFAULT_PROFILE=credonly"), &c);
    CHECK_STR(c.profile, "credonly", "an empty AWS_PROFILE counts as unset");
    CHECK_STR(c.profile_source, "AWS_DEFAULT_PROFILE", "named so");
    CHECK(c.nregions == 1 && strcmp(c.regions[0], "sa-east-1") == 0,
          "a profile only in the credentials file");
    ecp_aws_config_free(&c);

    resolves("HOME", NULL, ENV("HOME=tests/data/aws-config/home"), &c);
    CHECK_STR(c.files.config.path, "tests/data/aws-config/home/.aws/config",
              "~/.aws/config under HOME");
    CHECK(c.nregions == 1 && strcmp(c.regions[0], "ap-northeast-1") == 0,
          "read from there");
    CHECK(ecp_profile_get(&c.files, "default", "aws_access_key_id", NULL) &&
          c.files.credentials.found, "~/.aws/credentials too");
    ecp_aws_config_free(&c);

    resolves("no files", NULL,
             ENV("AWS_CONFIG_FILE=/nonexistent/config",
                 "AWS_SHARED_CREDENTIALS_FILE=/dev/null"), &c);
    CHECK(c.nregions == 0 && !c.files.config.found &&
          !c.files.credentials.found, "no files, no region: no error yet");
    ecp_aws_config_free(&c);
}

static void regions(void)
{
    static const char *const list[] = { "eu-west-1", "us-east-1",
                                        "eu-west-1" };
    struct ecp_aws_options o = { 0 };
    struct ecp_aws_config c;
    struct ecp_err err = { { 0 } };

    o.regions = list;
    o.nregions = 3;
    resolves("--region x3", &o, ENV(FILES, "AWS_REGION=sa-east-1"), &c);
    CHECK(c.nregions == 2 && strcmp(c.regions[0], "eu-west-1") == 0 &&
          strcmp(c.regions[1], "us-east-1") == 0,
          "--region values in order, without the repeat");
    CHECK_STR(c.regions_source, "--region", "from --region");
    ecp_aws_config_free(&c);

    resolves("AWS_REGION", NULL,
             ENV(FILES, "AWS_REGION=sa-east-1",
                 "AWS_DEFAULT_REGION=eu-north-1"), &c);
    CHECK(c.nregions == 1 && strcmp(c.regions[0], "sa-east-1") == 0,
          "AWS_REGION beats AWS_DEFAULT_REGION (CLI v2)");
    CHECK_STR(c.regions_source, "AWS_REGION", "named so");
    ecp_aws_config_free(&c);

    resolves("AWS_DEFAULT_REGION", NULL,
             ENV(FILES, "AWS_DEFAULT_REGION=eu-north-1"), &c);
    CHECK(c.nregions == 1 && strcmp(c.regions[0], "eu-north-1") == 0,
          "AWS_DEFAULT_REGION beats the profile");
    ecp_aws_config_free(&c);

    resolves("no region", NULL, ENV(FILES, "AWS_PROFILE=noregion"), &c);
    CHECK(c.nregions == 0, "a profile without a region gives none");
    CHECK(ecp_aws_config_need_region(&c, &err) == -1, "which is reported");
    CHECK_STR(err.msg, "no AWS region: none given with --region, none in "
              "AWS_REGION or AWS_DEFAULT_REGION, and profile 'noregion' sets "
              "no region (in " RESOLVE "config or " RESOLVE "credentials); "
              "give one with --region REGION", "saying where it looked");
    ecp_aws_config_free(&c);

    o.nregions = 1;
    o.regions = (const char *const[]){ "us-east-1.evil" };
    refused("a bad --region", &o, ENV(FILES),
            "--region: 'us-east-1.evil' is not a region name");
    refused("a bad AWS_REGION", NULL, ENV(FILES, "AWS_REGION=-us"),
            "AWS_REGION: '-us' is not a region name");
    refused("a bad profile region", NULL, ENV(FILES, "AWS_PROFILE=badregion"),
            "profile 'badregion' (" RESOLVE "config:25): 'us east 1' is not "
            "a region name");
    CHECK(ecp_aws_region_valid("us-gov-west-1") &&
          ecp_aws_region_valid("local") && !ecp_aws_region_valid("") &&
          !ecp_aws_region_valid("123") && !ecp_aws_region_valid("a-") &&
          !ecp_aws_region_valid("a_b") &&
          !ecp_aws_region_valid("a234567890123456789012345678901234567890"
                                "123456789012345678901234"),
          "region names are DNS labels");
}

static void endpoints(void)
{
    struct ecp_aws_options o = { 0 };
    struct ecp_aws_config c;

    resolves("AWS_ENDPOINT_URL_EC2", NULL,
             ENV(FILES, "AWS_PROFILE=prod",
                 "AWS_ENDPOINT_URL_EC2=http://127.0.0.1:6001",
                 "AWS_ENDPOINT_URL=http://127.0.0.1:6000"), &c);
    CHECK_STR(c.endpoint[ECP_AWS_EC2], "http://127.0.0.1:6001",
              "the service's variable first");
    CHECK_STR(c.endpoint_source[ECP_AWS_EC2], "AWS_ENDPOINT_URL_EC2",
              "named so");
    CHECK_STR(c.endpoint[ECP_AWS_ELASTICACHE], "http://127.0.0.1:6000",
              "AWS_ENDPOINT_URL beats the [services] section");
    CHECK_STR(c.endpoint[ECP_AWS_STS], "http://127.0.0.1:6000",
              "and the profile's endpoint_url");
    ecp_aws_config_free(&c);

    o.endpoint_url = "http://127.0.0.1:7000/";
    resolves("--endpoint-url", &o,
             ENV(FILES, "AWS_ENDPOINT_URL_EC2=http://127.0.0.1:6001",
                 "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true"), &c);
    for (int s = 0; s < ECP_AWS_NSERVICES; s++)
        CHECK_STR(c.endpoint[s], "http://127.0.0.1:7000/",
                  "--endpoint-url wins for %s, even when configured "
                  "endpoints are ignored",
                  ecp_aws_service_id((enum ecp_aws_service)s));
    CHECK_STR(c.endpoint_source[ECP_AWS_STS], "--endpoint-url", "named so");
    ecp_aws_config_free(&c);

    resolves("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", NULL,
             ENV(FILES, "AWS_PROFILE=prod",
                 "AWS_ENDPOINT_URL=http://127.0.0.1:6000",
                 "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=TRUE"), &c);
    CHECK(!c.endpoint[ECP_AWS_EC2] && !c.endpoint[ECP_AWS_ELASTICACHE] &&
          !c.endpoint[ECP_AWS_STS],
          "ignores the environment and the profile");
    ecp_aws_config_free(&c);

    resolves("ignore_configured_endpoint_urls", NULL,
             ENV(FILES, "AWS_PROFILE=ignore"), &c);
    CHECK(!c.endpoint[ECP_AWS_EC2], "the profile's own switch works");
    ecp_aws_config_free(&c);

    resolves("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false", NULL,
             ENV(FILES, "AWS_PROFILE=ignore",
                 "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false"), &c);
    CHECK_STR(c.endpoint[ECP_AWS_EC2], "http://127.0.0.1:5002",
              "the variable beats the profile's switch");
    ecp_aws_config_free(&c);

    refused("a missing services section", NULL,
            ENV(FILES, "AWS_PROFILE=noservices"),
            RESOLVE "config:34: profile 'noservices' uses services 'missing',"
            " but " RESOLVE "config has no [services missing] section");
    refused("a services entry without sub-properties", NULL,
            ENV(FILES, "AWS_PROFILE=flatservice"),
            RESOLVE "config:49: [services flat] ec2: expected indented "
            "sub-properties (endpoint_url = ...)");
    refused("a bad endpoint_url", NULL, ENV(FILES, "AWS_PROFILE=badurl"),
            "profile 'badurl' (" RESOLVE "config:40): 'localhost:4566' is "
            "not an http:// or https:// URL");
    refused("a bad AWS_ENDPOINT_URL", NULL,
            ENV(FILES, "AWS_ENDPOINT_URL=ftp://127.0.0.1/"),
            "AWS_ENDPOINT_URL: 'ftp://127.0.0.1/' is not an http:// or "
            "https:// URL");
    o.endpoint_url = "http://127.0.0.1:70 00/";
    refused("a bad --endpoint-url", &o, ENV(FILES),
            "--endpoint-url: 'http://127.0.0.1:70 00/' is not an http:// or "
            "https:// URL");
}

static void retries(void)
{
    struct ecp_aws_options o = { .profile = "nope" };
    struct ecp_aws_config c;

    resolves("AWS_MAX_ATTEMPTS", NULL,
             ENV(FILES, "AWS_PROFILE=prod", "AWS_MAX_ATTEMPTS=5",
                 "AWS_RETRY_MODE=standard", "AWS_CA_BUNDLE=/tmp/ca.pem"), &c);
    CHECK(c.max_attempts == 5, "AWS_MAX_ATTEMPTS beats the profile");
    CHECK_STR(c.max_attempts_source, "AWS_MAX_ATTEMPTS", "named so");
    CHECK(c.retry_mode == ECP_RETRY_STANDARD, "AWS_RETRY_MODE too");
    CHECK_STR(c.ca_bundle, "/tmp/ca.pem", "AWS_CA_BUNDLE too");
    CHECK_STR(c.ca_bundle_source, "AWS_CA_BUNDLE", "named so");
    ecp_aws_config_free(&c);

    refused("AWS_MAX_ATTEMPTS=0", NULL, ENV(FILES, "AWS_MAX_ATTEMPTS=0"),
            "AWS_MAX_ATTEMPTS: max attempts '0' is not a whole number from "
            "1 to 100");
    refused("AWS_MAX_ATTEMPTS=-1", NULL, ENV(FILES, "AWS_MAX_ATTEMPTS=-1"),
            "AWS_MAX_ATTEMPTS: max attempts '-1' is not a whole number from "
            "1 to 100");
    refused("max_attempts = zero", NULL,
            ENV(FILES, "AWS_PROFILE=badattempts"),
            "profile 'badattempts' (" RESOLVE "config:28): max attempts "
            "'zero' is not a whole number from 1 to 100");
    refused("retry_mode = legacy", NULL, ENV(FILES, "AWS_PROFILE=badmode"),
            "profile 'badmode' (" RESOLVE "config:31): retry mode 'legacy' "
            "is not standard or adaptive");
    refused("an unknown --profile", &o, ENV(FILES),
            "profile 'nope' (from --profile) is in neither " RESOLVE
            "config nor " RESOLVE "credentials");
    refused("an unknown AWS_PROFILE", NULL, ENV(FILES, "AWS_PROFILE=nope"),
            "profile 'nope' (from AWS_PROFILE) is in neither " RESOLVE
            "config nor " RESOLVE "credentials");
    refused("a --profile, and files that do not exist", &o,
            ENV("AWS_CONFIG_FILE=" RESOLVE "no-config",
                "AWS_SHARED_CREDENTIALS_FILE=" RESOLVE "no-credentials"),
            "profile 'nope' (from --profile) is in neither " RESOLVE
            "no-config (no such file) nor " RESOLVE "no-credentials (no such "
            "file)");
}

static void settings(void)
{
    struct ecp_aws_config c;
    char *source;
    const char *v;

    resolves("settings", NULL, ENV(FILES, "AWS_PROFILE=prod", "X_TEST=1"),
             &c);
    v = ecp_aws_setting(&c, ENV("X_TEST=1"), "X_TEST", "region", &source);
    CHECK_STR(v, "1", "ecp_aws_setting: the variable first");
    CHECK_STR(source, "X_TEST", "named so");
    free(source);
    v = ecp_aws_setting(&c, ENV("X=1"), "X_TEST", "output", &source);
    CHECK(v == NULL && source == NULL, "neither: NULL");
    v = ecp_aws_setting(&c, NULL, NULL, "max_attempts", &source);
    CHECK_STR(v, "7", "the profile's key");
    CHECK_STR(source, "profile 'prod' (" RESOLVE "config:9)", "with source");
    free(source);
    ecp_aws_config_free(&c);
}

/* botocore's rule for AWS_CONTAINER_CREDENTIALS_FULL_URI. */
static void container_urls(void)
{
    static const char *const allowed[] = {
        "https://creds.example.com/x", "http://127.0.0.1:9/x",
        "http://127.5.6.7/", "http://[::1]:80/", "http://localhost/",
        "http://169.254.170.2/v2/credentials", "http://169.254.170.23/x",
        "http://[fd00:ec2::23]/x",
    };
    static const char *const refused_urls[] = {
        "http://169.254.169.254/", "http://192.0.2.1/",
        "http://localhost.example.com/", "ftp://127.0.0.1/",
        "http://[::2]/", "file:///etc/passwd",
    };
    struct ecp_err err;

    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        CHECK(ecp_container_url_allowed(allowed[i], &err) == 0,
              "container URL %s is allowed", allowed[i]);
    for (size_t i = 0; i < sizeof refused_urls / sizeof refused_urls[0]; i++)
        CHECK(ecp_container_url_allowed(refused_urls[i], &err) == -1,
              "container URL %s is refused", refused_urls[i]);
}

int main(void)
{
    relay_start(NULL, NULL);
    continued_property();
    duplicates();
    empty_sub_property();
    comments();
    sub_properties();
    headers();
    credentials_file();
    line_endings();
    errors();
    missing_files();
    shell_words();
    defaults();
    profile_settings();
    regions();
    endpoints();
    retries();
    settings();
    container_urls();
    relay_stop();
    return harness_done();
}
