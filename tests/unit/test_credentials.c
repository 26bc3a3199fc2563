/* The credential chain without a server: environment keys, the shared
 * files in tests/data/aws-config/chain/, roles and web identity through a
 * fake STS, and the credential_process scripts in
 * tests/data/aws-config/process/, each in its order and precedence (the
 * cases run through creds_chain.h).  Container credentials and instance
 * metadata are in test_credentials_metadata.c.
 *
 * Every fixture secret holds "ecp-fixture-secret".  Everything printed, by
 * this test and by what it runs, goes through the relay of relay.h, which
 * fails the test if that text shows up; set ECP_TEST_NO_RELAY=1 to see the
 * output of a crashing run.  Secrets are compared with CHECK, never
 * CHECK_STR, so a failure does not print them either. */
#include <string.h>
#include <time.h>

#include "aws/credentials.h"
#include "creds_chain.h"
#include "harness.h"
#include "relay.h"
#include "util/buf.h"

#define PASSTHROUGH "ECP-STDERR-PASSTHROUGH"

static const struct chain_case precedence[] = {
    { "environment keys", NULL,
      { "AWS_ACCESS_KEY_ID=AKIDENV", "AWS_SECRET_ACCESS_KEY=" S "-env" },
      "AKIDENV", S "-env", "environment variables (AWS_ACCESS_KEY_ID)", "" },
    { "environment keys beat AWS_PROFILE", NULL,
      { "AWS_PROFILE=both", "AWS_ACCESS_KEY_ID=AKIDENV",
        "AWS_SECRET_ACCESS_KEY=" S "-env" },
      "AKIDENV", S "-env", "environment variables", NULL },
    { "--profile beats environment keys", "default",
      { "AWS_ACCESS_KEY_ID=AKIDENV", "AWS_SECRET_ACCESS_KEY=" S "-env" },
      "AKIDCREDDEFAULT", S "-cred-default",
      "profile 'default' (" CHAIN "credentials)", NULL },
    { "AWS_ACCESS_KEY_ID without a secret", NULL,
      { "AWS_ACCESS_KEY_ID=AKIDENV" }, NULL, NULL,
      "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not", NULL },
    { "a secret without AWS_ACCESS_KEY_ID", NULL,
      { "AWS_SECRET_ACCESS_KEY=" S "-env" }, NULL, NULL,
      "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not", NULL },
    { "expired environment keys", NULL,
      { "AWS_ACCESS_KEY_ID=ASIAENV", "AWS_SECRET_ACCESS_KEY=" S "-env",
        "AWS_SESSION_TOKEN=" S "-env-token",
        "AWS_CREDENTIAL_EXPIRATION=2020-01-01T00:00:00Z" }, NULL, NULL,
      "the credentials from environment variables (AWS_ACCESS_KEY_ID) "
      "expired at 2020-01-01T00:00:00Z", NULL },
    { "a blank in a key", NULL,
      { "AWS_ACCESS_KEY_ID=AKID ENV", "AWS_SECRET_ACCESS_KEY=" S "-env" },
      NULL, NULL, "environment variables (AWS_ACCESS_KEY_ID): the access key "
      "id is empty, too long or holds a blank or control character", NULL },
    { "the credentials file beats the config file", "both", { 0 },
      "AKIDBOTHCRED", S "-both-cred", "(" CHAIN "credentials)", NULL },
    { "keys in the config file", "config-keys", { 0 },
      "AKIDCONFIGKEYS", S "-config-keys", "(" CHAIN "config)", NULL },
    { "credentials file keys come before credential_process",
      "keys-and-process", { 0 }, "AKIDKEYSFIRST", S "-keys-first",
      "(" CHAIN "credentials)", NULL },
    { "credential_process comes before config file keys",
      "process-then-config-keys", { 0 }, "ASIAPROCESS", S "-process",
      "credential_process of profile 'process-then-config-keys'", NULL },
    { "keys without a secret in the credentials file", "partial", { 0 },
      NULL, NULL, CHAIN "credentials:16: profile 'partial' has "
      "aws_access_key_id but no aws_secret_access_key", NULL },
    { "a blank in a file key", "spacey", { 0 }, NULL, NULL,
      "profile 'spacey' (" CHAIN "credentials): the access key id", NULL },
    { "an SSO profile", "sso", { 0 }, NULL, NULL,
      "profile 'sso' (" CHAIN "config:28): AWS IAM Identity Center (SSO) "
      "profiles are not read by ecpolicy; add 'credential_process = aws "
      "configure export-credentials --profile sso --format process'", NULL },
};

static const struct chain_case roles[] = {
    { "role_arn with source_profile", "role", { 0 },
      "ASIAFAKESTS1", S "-sts",
      "role arn:aws:iam::111122223333:role/scanner of profile 'role', "
      "assumed with profile 'base' (" CHAIN "credentials)",
      "AssumeRole arn:aws:iam::111122223333:role/scanner as audit with "
      "AKIDBASE in eu-west-1 external ext-123 for 1800 s\n" },
    { "a chain of two roles", "role2", { 0 }, "ASIAFAKESTS2", S "-sts",
      "role arn:aws:iam::444455556666:role/second of profile 'role2'",
      "AssumeRole arn:aws:iam::111122223333:role/scanner as audit with "
      "AKIDBASE in eu-west-1 external ext-123 for 1800 s\n"
      "AssumeRole arn:aws:iam::444455556666:role/second as "
      "ecpolicy-1700000000 with ASIAFAKESTS1 in eu-west-1\n" },
    { "a source_profile loop", "loop-a", { 0 }, NULL, NULL,
      "profile 'loop-b': source_profile loops back: loop-a -> loop-b -> "
      "loop-a", "" },
    { "a profile that is its own source, with keys", "self", { 0 },
      "ASIAFAKESTS1", S "-sts", "assumed with profile 'self'",
      "AssumeRole arn:aws:iam::111122223333:role/self as ecpolicy-1700000000 "
      "with AKIDSELF in eu-west-1\n" },
    { "a profile that is its own source, without keys", "self-nokeys",
      { 0 }, NULL, NULL, "profile 'self-nokeys': source_profile loops back: "
      "self-nokeys -> self-nokeys", "" },
    { "a source profile's keys beat its own role", "outer", { 0 },
      "ASIAFAKESTS1", S "-sts", "assumed with profile 'keys-role'",
      "AssumeRole arn:aws:iam::111122223333:role/outer as "
      "ecpolicy-1700000000 with AKIDKEYSROLE in eu-west-1\n" },
    { "a source profile with credential_process", "role-process", { 0 },
      "ASIAFAKESTS1", S "-sts", "credential_process of profile 'process-ok'",
      NULL },
    { "credential_source Environment, even with --profile", "role-env",
      { "AWS_ACCESS_KEY_ID=AKIDENV", "AWS_SECRET_ACCESS_KEY=" S "-env" },
      "ASIAFAKESTS1", S "-sts", "assumed with environment variables",
      "AssumeRole arn:aws:iam::111122223333:role/from-env as "
      "ecpolicy-1700000000 with AKIDENV in eu-west-1\n" },
    { "credential_source Environment without keys", "role-env", { 0 },
      NULL, NULL, "credential_source Environment found nothing: environment "
      "variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (not set)", "" },
    { "an unknown credential_source", "role-badsource", { 0 }, NULL, NULL,
      "profile 'role-badsource' (" CHAIN "config:96): credential_source "
      "'Laptop' is not Environment, Ec2InstanceMetadata or EcsContainer",
      "" },
    { "source_profile and credential_source", "role-both", { 0 }, NULL,
      NULL, "both source_profile and credential_source are set", "" },
    { "role_arn alone", "role-none", { 0 }, NULL, NULL,
      "profile 'role-none' (" CHAIN "config:104): role_arn needs "
      "source_profile or credential_source", "" },
    { "a source_profile that does not exist", "role-ghost", { 0 }, NULL,
      NULL, "profile 'role-ghost' (" CHAIN "config:108): source_profile "
      "'ghost' does not exist", "" },
    { "a source_profile without credentials", "role-empty-source", { 0 },
      NULL, NULL, "source_profile 'empty' has no credentials", "" },
    { "mfa_serial", "role-mfa", { 0 }, NULL, NULL,
      "the role needs an MFA code (mfa_serial), and ecpolicy does not "
      "prompt", "" },
    { "duration_seconds out of range", "role-duration", { 0 }, NULL, NULL,
      "duration_seconds '60' is not a whole number from 900 to 43200", "" },
    { "STS refuses", "role-deny", { 0 }, NULL, NULL,
      "profile 'role-deny' (" CHAIN "config:125): AssumeRole "
      "arn:aws:iam::111122223333:role/deny with profile 'base' (" CHAIN
      "credentials): AccessDenied: not authorized", NULL },
    { "an expired source", "role-expired-source", { 0 }, NULL, NULL,
      "the credentials from credential_process of profile "
      "'process-expired' (" CHAIN "config:177) expired at "
      "2020-01-01T00:00:00Z", "" },
    { "web identity in the profile", "web", { 0 }, "ASIAFAKESTS1", S "-sts",
      "role arn:aws:iam::111122223333:role/web, assumed with the web "
      "identity token of profile 'web'",
      "AssumeRoleWithWebIdentity arn:aws:iam::111122223333:role/web as "
      "ci-run in eu-west-1, token right\n" },
    { "web identity without role_arn", "web-norole", { 0 }, NULL, NULL,
      "a web identity token file but no role ARN", "" },
    { "a web identity token file that is not there", "web-nofile", { 0 },
      NULL, NULL, "web identity token: tests/data/aws-config/tokens/"
      "no-such-token: No such file or directory", "" },
    { "an empty web identity token file", "web-empty", { 0 }, NULL, NULL,
      "tests/data/aws-config/tokens/empty: the file is empty", "" },
    { "web identity from the environment", NULL,
      { "AWS_PROFILE=empty",
        "AWS_WEB_IDENTITY_TOKEN_FILE=tests/data/aws-config/tokens/"
        "web-identity", "AWS_ROLE_ARN=arn:aws:iam::1:role/irsa",
        "AWS_ROLE_SESSION_NAME=pod-7" },
      "ASIAFAKESTS1", S "-sts", "web identity token of "
      "AWS_WEB_IDENTITY_TOKEN_FILE",
      "AssumeRoleWithWebIdentity arn:aws:iam::1:role/irsa as pod-7 in "
      "eu-west-1, token right\n" },
    { "environment web identity comes after the profile", NULL,
      { "AWS_PROFILE=config-keys",
        "AWS_WEB_IDENTITY_TOKEN_FILE=tests/data/aws-config/tokens/"
        "web-identity", "AWS_ROLE_ARN=arn:aws:iam::1:role/irsa" },
      "AKIDCONFIGKEYS", S "-config-keys", "profile 'config-keys'", "" },
    { "environment web identity without AWS_ROLE_ARN", NULL,
      { "AWS_PROFILE=empty",
        "AWS_WEB_IDENTITY_TOKEN_FILE=tests/data/aws-config/tokens/"
        "web-identity" }, NULL, NULL,
      "AWS_WEB_IDENTITY_TOKEN_FILE: a web identity token file but no role "
      "ARN", "" },
};

static const struct chain_case processes[] = {
    { "credential_process", "process-ok", { 0 }, "ASIAPROCESS",
      S "-process", "credential_process of profile 'process-ok' (" CHAIN
      "config:153)", NULL },
    { "credential_process, long-term keys", "process-long", { 0 },
      "AKIDPROCESSLONG", S "-process-long", "process-long", NULL },
    { "credential_process split like shell words", "process-args", { 0 },
      "AKIDARGSOK", S "-args", "process-args", NULL },
    { "credential_process on two lines", "process-multiline", { 0 },
      "ASIAPROCESS", S "-process", "process-multiline", NULL },
    { "a failing credential_process", "process-fail", { 0 }, NULL, NULL,
      "credential_process of profile 'process-fail' (" CHAIN "config:162): "
      "sh exited with status 3", NULL },
    { "credential_process printing no JSON", "process-bad-json", { 0 },
      NULL, NULL, "sh: its output is not a JSON object", NULL },
    { "credential_process Version 2", "process-version2", { 0 }, NULL, NULL,
      "sh: its output has Version 2; ecpolicy reads only Version 1", NULL },
    { "credential_process without Version", "process-no-version", { 0 },
      NULL, NULL, "sh: its output has no Version (want 1)", NULL },
    { "credential_process without a secret", "process-missing-secret",
      { 0 }, NULL, NULL, "sh: the reply has no SecretAccessKey", NULL },
    { "credential_process with expired credentials", "process-expired",
      { 0 }, NULL, NULL, "the credentials from credential_process of "
      "profile 'process-expired' (" CHAIN "config:177) expired at "
      "2020-01-01T00:00:00Z", NULL },
    { "credential_process printing too much", "process-big", { 0 }, NULL,
      NULL, "sh: printed more than 65536 bytes", NULL },
    { "credential_process killed", "process-killed", { 0 }, NULL, NULL,
      "sh was killed by signal 9", NULL },
    { "credential_process that cannot run", "process-missing", { 0 }, NULL,
      NULL, "cannot run /nonexistent/ecpolicy-helper: No such file or "
      "directory", NULL },
    { "credential_process with an unclosed quote", "process-unclosed",
      { 0 }, NULL, NULL, "(" CHAIN "config:192): a quotation is not closed",
      NULL },
};

static void process_timeout_case(void)
{
    static const struct chain_case slow = {
        "a credential_process that hangs", "process-slow", { 0 }, NULL, NULL,
        "sh: did not finish within 300 ms", NULL
    };
    long started;
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    started = (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    process_timeout = 300;
    run_case(&slow);
    process_timeout = 20000;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    CHECK((long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - started < 10000,
          "it is killed, not waited for");
}

static void without_sts(void)
{
    struct ecp_creds out;
    struct ecp_err err;

    CHECK(resolve("role", NULL, NULL, &out, &err) == -1 &&
          strstr(err.msg, "assuming a role needs STS, which this build "
                 "cannot call"), "a role without STS is an error (%s)",
          err.msg);
    CHECK(resolve("web", NULL, NULL, &out, &err) == -1 &&
          strstr(err.msg, "web identity needs STS"),
          "web identity without STS is an error (%s)", err.msg);
}

static void nothing_found(void)
{
    static const char *const imds_off[] = { "AWS_PROFILE=empty", NULL };
    static const char *const no_files[] = {
        "AWS_CONFIG_FILE=/nonexistent/config",
        "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/credentials", NULL
    };
    struct ecp_creds out;
    struct ecp_err err;

    CHECK(resolve(NULL, imds_off, &fake_sts, &out, &err) == -1,
          "a profile without credentials and nothing else: refused");
    CHECK_STR(err.msg, "no AWS credentials found. Looked at, in order: "
              "environment variables AWS_ACCESS_KEY_ID and "
              "AWS_SECRET_ACCESS_KEY (not set); profile 'empty' in " CHAIN
              "credentials and " CHAIN "config (no keys, role_arn, "
              "web_identity_token_file or credential_process); web identity "
              "(AWS_WEB_IDENTITY_TOKEN_FILE is not set); container "
              "credentials (neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI "
              "nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set); EC2 instance "
              "metadata (off: AWS_EC2_METADATA_DISABLED is true). Set "
              "credentials up as for the AWS CLI (aws configure, AWS_PROFILE "
              "or --profile), or run offline on saved data: ecpolicy run "
              "--snapshot PATH", "the message lists every place, in order");

    CHECK(resolve("empty", NULL, &fake_sts, &out, &err) == -1 &&
          strstr(err.msg, "environment variables AWS_ACCESS_KEY_ID and "
                 "AWS_SECRET_ACCESS_KEY (skipped: --profile was given)") &&
          strstr(err.msg, "AWS_WEB_IDENTITY_TOKEN_FILE (skipped: --profile "
                 "was given)"), "with --profile, it says what it skipped");

    CHECK(resolve(NULL, no_files, &fake_sts, &out, &err) == -1 &&
          strstr(err.msg, "profile 'default' (in neither "
                 "/nonexistent/credentials (no such file) nor "
                 "/nonexistent/config (no such file))"),
          "missing files are named as missing (%s)", err.msg);
}

int main(void)
{
    /* The relay also checks that a failing credential_process's stderr
     * reached the output. */
    relay_start(PASSTHROUGH ":", "credential_process stderr is passed "
                "through");
    /* The failing helper's stderr must reach the relay, and this is the
     * first thing the relay can check. */
    run_cases(precedence, sizeof precedence / sizeof precedence[0]);
    run_cases(roles, sizeof roles / sizeof roles[0]);
    run_cases(processes, sizeof processes / sizeof processes[0]);
    process_timeout_case();
    without_sts();
    nothing_found();
    ecp_buf_free(&sts_log);
    relay_stop();
    return harness_done();
}
