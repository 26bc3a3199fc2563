/* The credential chain: every step, in order and precedence, against the
 * files in tests/data/aws-config/chain/, the credential_process scripts in
 * tests/data/aws-config/process/, a fake STS, and tests/server/metadata.py
 * (IMDSv2 and container credentials on 127.0.0.1, started and stopped
 * here).
 *
 * Every fixture secret holds "ecp-fixture-secret".  Everything printed, by
 * this test and by what it runs, goes through a relay that fails the test
 * if that text shows up; set ECP_TEST_NO_RELAY=1 to see the output of a
 * crashing run.  Secrets are compared with CHECK, never CHECK_STR, so a
 * failure does not print them either. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aws/config.h"
#include "aws/credentials.h"
#include "aws/metadata.h"
#include "harness.h"
#include "util/buf.h"
#include "util/mem.h"

#define CHAIN "tests/data/aws-config/chain/"
#define SECRET_MARK "ecp-fixture-secret"
#define PASSTHROUGH "ECP-STDERR-PASSTHROUGH"
#define NOW ((time_t)1700000000)

extern char **environ;

/* ---- the relay that keeps secrets out of the output ---------------- */

static pid_t relay_pid = -1;
static int relay_out = -1, relay_err = -1;

/* The relay also checks that a failing credential_process's stderr
 * reached the output. */
static void relay_start(void)
{
    int p[2];

    if (getenv("ECP_TEST_NO_RELAY") || pipe(p) != 0)
        return;
    fflush(stdout);
    fflush(stderr);
    relay_pid = fork();
    if (relay_pid == 0) {
        struct ecp_buf all = { 0 };
        char chunk[4096];
        ssize_t n;
        int found, passed;

        close(p[1]);
        while ((n = read(p[0], chunk, sizeof chunk)) > 0 ||
               (n < 0 && errno == EINTR)) {
            ecp_buf_add(&all, chunk, n > 0 ? (size_t)n : 0);
            if (n > 0 && write(STDOUT_FILENO, chunk, (size_t)n) != n)
                break;
        }
        found = all.data && strstr(all.data, SECRET_MARK) != NULL;
        passed = all.data && strstr(all.data, PASSTHROUGH ":") != NULL;
        dprintf(STDOUT_FILENO, "%s - nothing printed holds a fixture "
                "secret\n%s - credential_process stderr is passed "
                "through\n", found ? "not ok" : "ok",
                passed ? "ok" : "not ok");
        ecp_buf_free(&all);
        _exit(found || !passed ? 1 : 0);
    }
    close(p[0]);
    if (relay_pid < 0)
        return;
    relay_out = dup(STDOUT_FILENO);
    relay_err = dup(STDERR_FILENO);
    dup2(p[1], STDOUT_FILENO);
    dup2(p[1], STDERR_FILENO);
    close(p[1]);
    /* Whole lines, so what children print cannot land inside one. */
    setvbuf(stdout, NULL, _IOLBF, 0);
}

static void relay_stop(void)
{
    int status;

    if (relay_pid <= 0)
        return;
    fflush(stdout);
    fflush(stderr);
    dup2(relay_out, STDOUT_FILENO);
    dup2(relay_err, STDERR_FILENO);
    close(relay_out);
    close(relay_err);
    if (waitpid(relay_pid, &status, 0) != relay_pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        harness_failed++;
    relay_pid = -1;
}

/* ---- the metadata server -------------------------------------------- */

static pid_t server_pid = -1;
static int server_stdin = -1;
static char server_url[64];     /* "http://127.0.0.1:PORT", or "" */

static void server_stop(void)
{
    int status;

    if (server_pid <= 0)
        return;
    close(server_stdin);        /* the server exits when stdin closes */
    kill(server_pid, SIGTERM);
    while (waitpid(server_pid, &status, 0) < 0 && errno == EINTR)
        ;
    server_pid = -1;
}

static size_t collect(char *data, size_t size, size_t n, void *ud)
{
    ecp_buf_add(ud, data, size * n);
    return size * n;
}

/* GET path from the server: the body (fresh), or NULL. */
static char *server_get(const char *path)
{
    struct ecp_buf body = { 0 };
    char *url = ecp_asprintf("%s%s", server_url, path);
    CURL *h = curl_easy_init();
    long status = 0;
    CURLcode rc;

    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    free(url);
    if (rc != CURLE_OK || status != 200) {
        ecp_buf_free(&body);
        return NULL;
    }
    return body.data ? ecp_buf_take(&body) : ecp_strdup("");
}

/* Start tests/server/metadata.py; it prints "PORT n" once it listens. */
static int server_start(void)
{
    static char python[] = "python3", script[] = "tests/server/metadata.py";
    char *argv[] = { python, script, NULL };
    posix_spawn_file_actions_t fa;
    int in[2], out[2], port = 0;
    char line[64] = "";
    size_t len = 0;

    if (pipe(in) != 0 || pipe(out) != 0)
        return -1;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    if (posix_spawnp(&server_pid, "python3", &fa, NULL, argv, environ) != 0)
        server_pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    /* Nothing else this test starts may hold the server's pipes. */
    fcntl(in[1], F_SETFD, FD_CLOEXEC);
    fcntl(out[0], F_SETFD, FD_CLOEXEC);
    server_stdin = in[1];
    atexit(server_stop);
    while (server_pid > 0 && len + 1 < sizeof line && !strchr(line, '\n')) {
        struct pollfd pfd = { out[0], POLLIN, 0 };
        ssize_t n;

        if (poll(&pfd, 1, 10000) <= 0 ||
            (n = read(out[0], line + len, sizeof line - 1 - len)) <= 0)
            break;
        len += (size_t)n;
        line[len] = '\0';
    }
    close(out[0]);
    if (sscanf(line, "PORT %d", &port) != 1 || port <= 0) {
        server_stop();
        return -1;
    }
    snprintf(server_url, sizeof server_url, "http://127.0.0.1:%d", port);
    for (int i = 0; i < 100; i++) {
        char *pong = server_get("/_ping");

        if (pong) {
            free(pong);
            return 0;
        }
        nanosleep(&(struct timespec){ 0, 50000000 }, NULL);
    }
    server_stop();
    server_url[0] = '\0';
    return -1;
}

/* ---- a fake STS ------------------------------------------------------ */

static struct ecp_buf sts_log;
static int sts_calls;

static void fake_creds(struct ecp_creds *out)
{
    out->access_key_id = ecp_asprintf("ASIAFAKESTS%d", ++sts_calls);
    out->secret_access_key = ecp_strdup(SECRET_MARK "-sts");
    out->session_token = ecp_strdup(SECRET_MARK "-sts-token");
    out->expiration = NOW + 3600;
}

static int fake_assume_role(void *ud, const struct ecp_creds *source,
                            const char *region, const char *role_arn,
                            const char *session_name, const char *external_id,
                            int duration_seconds, struct ecp_creds *out,
                            struct ecp_err *err)
{
    (void)ud;
    ecp_buf_printf(&sts_log, "AssumeRole %s as %s with %s in %s",
                   role_arn, session_name, source->access_key_id, region);
    if (external_id)
        ecp_buf_printf(&sts_log, " external %s", external_id);
    if (duration_seconds)
        ecp_buf_printf(&sts_log, " for %d s", duration_seconds);
    ecp_buf_adds(&sts_log, "\n");
    if (strstr(role_arn, "deny"))
        return ecp_err_set(err, "AccessDenied: not authorized");
    fake_creds(out);
    return 0;
}

static int fake_web_identity(void *ud, const char *region,
                             const char *role_arn, const char *session_name,
                             const char *token, struct ecp_creds *out,
                             struct ecp_err *err)
{
    (void)ud, (void)err;
    /* Never log the token itself: only whether it was the right one. */
    ecp_buf_printf(&sts_log, "AssumeRoleWithWebIdentity %s as %s in %s, "
                   "token %s\n", role_arn, session_name, region,
                   strcmp(token, SECRET_MARK "-web-identity-token") == 0
                       ? "right" : "wrong");
    fake_creds(out);
    return 0;
}

static const struct ecp_sts_ops fake_sts = {
    fake_assume_role, fake_web_identity, NULL
};

/* ---- running the chain ----------------------------------------------- */

/* The environment: the case's variables first, then these.  "@" at the
 * start of a value stands for the server's URL. */
static const char *const base_env[] = {
    "AWS_CONFIG_FILE=" CHAIN "config",
    "AWS_SHARED_CREDENTIALS_FILE=" CHAIN "credentials",
    "AWS_EC2_METADATA_DISABLED=true",
    "AWS_METADATA_SERVICE_TIMEOUT=5",
    NULL
};

struct env_table {
    char *vars[24];
};

static const char *table_get(void *ud, const char *name)
{
    const struct env_table *t = ud;
    size_t n = strlen(name);

    for (size_t i = 0; t->vars[i]; i++)
        if (strncmp(t->vars[i], name, n) == 0 && t->vars[i][n] == '=')
            return t->vars[i] + n + 1;
    return NULL;
}

static void table_fill(struct env_table *t, const char *const *vars)
{
    size_t k = 0;

    memset(t, 0, sizeof *t);
    for (size_t i = 0; vars && vars[i] && k < 16; i++) {
        const char *eq = strchr(vars[i], '=');

        if (eq && eq[1] == '@')
            t->vars[k++] = ecp_asprintf("%.*s%s%s", (int)(eq + 1 - vars[i]),
                                        vars[i], server_url, eq + 2);
        else
            t->vars[k++] = ecp_strdup(vars[i]);
    }
    for (size_t i = 0; base_env[i]; i++)
        t->vars[k++] = ecp_strdup(base_env[i]);
}

static void table_free(struct env_table *t)
{
    for (size_t i = 0; t->vars[i]; i++)
        free(t->vars[i]);
}

static long process_timeout = 20000;

/* Resolve with --profile (or NULL) and --region eu-west-1. */
static int resolve(const char *profile, const char *const *vars,
                   const struct ecp_sts_ops *sts, struct ecp_creds *out,
                   struct ecp_err *err)
{
    static const char *const regions[] = { "eu-west-1" };
    struct ecp_aws_options ao = { profile, regions, 1, NULL };
    struct ecp_aws_config c;
    struct env_table t;
    struct ecp_env env = { table_get, &t };
    struct ecp_creds_options o = { 0 };
    char *container = ecp_asprintf("%s/container", server_url);
    int rc;

    memset(out, 0, sizeof *out);
    table_fill(&t, vars);
    rc = ecp_aws_config_load(&c, &ao, &env, err);
    if (rc == 0) {
        o.config = &c;
        o.env = &env;
        o.sts = sts;
        o.now = NOW;
        o.process_timeout_ms = process_timeout;
        o.container_pause_ms = 10;
        o.container_endpoint = container;
        rc = ecp_credentials_resolve(&o, out, err);
        ecp_aws_config_free(&c);
    }
    table_free(&t);
    free(container);
    return rc;
}

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* One chain case: who and what, then what must come out. */
struct chain_case {
    const char *name;
    const char *profile;        /* --profile */
    const char *env[8];
    const char *key;            /* the access key id; NULL: must fail */
    const char *secret;         /* compared, never printed */
    const char *has;            /* part of the source, or of the error */
    const char *sts;            /* the fake STS's log, if not NULL */
};

static void run_case(const struct chain_case *k)
{
    struct ecp_creds out;
    struct ecp_err err = { { 0 } };
    int rc;

    ecp_buf_free(&sts_log);
    sts_calls = 0;
    rc = resolve(k->profile, k->env, &fake_sts, &out, &err);
    if (k->key) {
        CHECK(rc == 0, "%s: found (%s)", k->name, rc ? err.msg : "");
        CHECK_STR(out.access_key_id, k->key, "%s: the access key id",
                  k->name);
        CHECK(same(out.secret_access_key, k->secret),
              "%s: the secret key", k->name);
        CHECK_HAS(out.source, k->has, "%s: the source", k->name);
    } else {
        CHECK(rc == -1, "%s: refused", k->name);
        CHECK_HAS(err.msg, k->has, "%s: the message", k->name);
        CHECK(!out.access_key_id && !out.secret_access_key && !out.source,
              "%s: nothing is handed out", k->name);
    }
    if (k->sts)
        CHECK_STR(sts_log.data ? sts_log.data : "", k->sts,
                  "%s: the STS calls", k->name);
    ecp_creds_clear(&out);
}

#define S SECRET_MARK

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

static void run_cases(const struct chain_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        run_case(&cases[i]);
}

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

/* ---- container and instance metadata --------------------------------- */

static const struct chain_case metadata_cases[] = {
    { "container credentials, FULL_URI", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/ok" },
      "ASIACONTAINERTEST", S "-container",
      "container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI, host "
      "127.0.0.1)", NULL },
    { "container credentials, RELATIVE_URI", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/ok",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.23/never" },
      "ASIACONTAINERTEST", S "-container",
      "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, host 127.0.0.1)", NULL },
    { "container credentials, token in a variable", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/auth",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN=" S "-auth" },
      "ASIACONTAINERTEST", S "-container", "container credentials", NULL },
    { "container credentials, token in a file (it wins)", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/auth",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=tests/data/aws-config/"
        "tokens/container-auth" },
      "ASIACONTAINERTEST", S "-container", "container credentials", NULL },
    { "container credentials, a token with a line break", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/auth",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=tests/data/aws-config/"
        "tokens/container-auth-bad" }, NULL, NULL,
      "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: the token holds a control "
      "character and cannot be an HTTP header", NULL },
    { "container credentials, no token", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/auth" },
      NULL, NULL, "container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI"
      ", host 127.0.0.1): answered HTTP 401", NULL },
    { "container credentials, a server error", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/500" },
      NULL, NULL, "answered HTTP 500", NULL },
    { "container credentials, not JSON", NULL,
      { "AWS_PROFILE=empty",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/bad-json" },
      NULL, NULL, "host 127.0.0.1): the reply is not a JSON object", NULL },
    { "container credentials without Token", NULL,
      { "AWS_PROFILE=empty",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/no-token" },
      NULL, NULL, "the reply has no Token", NULL },
    { "container credentials, a host that is not allowed", NULL,
      { "AWS_PROFILE=empty",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://192.0.2.1/creds" },
      NULL, NULL, "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http to host "
      "'192.0.2.1' is not allowed", NULL },
    { "container credentials, a relative URI that moves the host", NULL,
      { "AWS_PROFILE=empty",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=@evil.example/" },
      NULL, NULL, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: it must start "
      "with '/'", NULL },
    { "credential_source EcsContainer", "role-container",
      { "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/ok" },
      "ASIAFAKESTS1", S "-sts", "assumed with container credentials",
      NULL },
    { "instance metadata", NULL,
      { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/ok/" },
      "ASIAIMDSTEST", S "-imds", "EC2 instance metadata (", NULL },
    { "container credentials come before instance metadata", NULL,
      { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/ok/",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/ok" },
      "ASIACONTAINERTEST", S "-container", "container credentials", NULL },
    { "credential_source Ec2InstanceMetadata", "role-imds",
      { "AWS_EC2_METADATA_DISABLED=false",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/ok" },
      "ASIAFAKESTS1", S "-sts", "assumed with EC2 instance metadata",
      "AssumeRole arn:aws:iam::111122223333:role/from-imds as "
      "ecpolicy-1700000000 with ASIAIMDSTEST in eu-west-1\n" },
    { "credential_source Ec2InstanceMetadata, none there", "role-imds",
      { "AWS_EC2_METADATA_DISABLED=",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/no-role/" }, NULL, NULL,
      "/no-role/): no IAM role is attached to the instance",
      "" },
    { "expired instance metadata", NULL,
      { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/expired/" }, NULL, NULL,
      "/expired/, role ecp-test-role) expired at 2020-01-01T00:00:00Z",
      NULL },
    { "a bad metadata timeout", NULL,
      { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
        "AWS_METADATA_SERVICE_TIMEOUT=soon" }, NULL, NULL,
      "AWS_METADATA_SERVICE_TIMEOUT: 'soon' is not a number from 0.001 to "
      "3600", NULL },
    { "a bad metadata endpoint mode", NULL,
      { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv5" }, NULL, NULL,
      "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: endpoint mode 'IPv5' is not "
      "IPv4 or IPv6", NULL },
};

/* IMDS cases that end in "nothing found": the reason is in the list. */
struct imds_case {
    const char *mode;
    const char *extra;          /* one more variable, or NULL */
    const char *why;
};

static const struct imds_case imds_cases[] = {
    { "no-token", NULL, "the token request answered HTTP 403" },
    { "token-500", "AWS_METADATA_SERVICE_NUM_ATTEMPTS=2",
      "the token request answered HTTP 500" },
    { "no-role", NULL, "no IAM role is attached to the instance (the role "
      "name request answered HTTP 404)" },
    { "bad-role", NULL, "the reply to the role name request is not an IAM "
      "role name" },
    { "flaky", NULL, "the role name request answered HTTP 500 with "
      "nothing" },
    { "redirect", NULL, "the token request answered HTTP 302" },
    { "bad-json", NULL, "the reply is not a JSON object" },
    { "code", NULL, "the credentials of role ecp-test-role answered Code "
      "'AssumeRoleUnauthorizedAccess'" },
    { "big", NULL, "the reply is larger than 65536 bytes" },
    { "slow", "AWS_METADATA_SERVICE_TIMEOUT=0.3", "no answer within 300 ms" },
};

static void imds_not_found(const struct imds_case *k)
{
    char *endpoint = ecp_asprintf("AWS_EC2_METADATA_SERVICE_ENDPOINT=%s/%s/",
                                  server_url, k->mode);
    const char *vars[] = { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
                           endpoint, k->extra, NULL };
    struct ecp_creds out;
    struct ecp_err err;
    char *want = ecp_asprintf("EC2 instance metadata (%s/%s/): %s. Set",
                              server_url, k->mode, k->why);

    CHECK(resolve(NULL, vars, &fake_sts, &out, &err) == -1,
          "imds %s: no credentials", k->mode);
    CHECK_HAS(err.msg, want, "imds %s: the reason is listed", k->mode);
    free(want);
    free(endpoint);
}

/* The server's log since the last look: one line per request. */
static void requests_are(const char *what, const char *want)
{
    char *log = server_get("/_requests");

    CHECK_STR(log, want, "%s: the requests the server saw", what);
    free(log);
}

static const struct chain_case *find_case(const char *name)
{
    for (size_t i = 0; i < sizeof metadata_cases / sizeof metadata_cases[0];
         i++)
        if (strcmp(metadata_cases[i].name, name) == 0)
            return &metadata_cases[i];
    return &metadata_cases[0];
}

static void imds_sequence(void)
{
    static const struct chain_case flaky = {
        "flaky instance metadata, two attempts", NULL,
        { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
          "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/flaky",
          "AWS_METADATA_SERVICE_NUM_ATTEMPTS=2" },
        "ASIAIMDSTEST", S "-imds", "role ecp-test-role", NULL
    };
    free(server_get("/_requests"));
    run_case(find_case("instance metadata"));
    requests_are("IMDSv2",
                 "PUT /ok/latest/api/token token=no ttl=yes auth=no\n"
                 "GET /ok/latest/meta-data/iam/security-credentials/ "
                 "token=yes ttl=no auth=no\n"
                 "GET /ok/latest/meta-data/iam/security-credentials/"
                 "ecp-test-role token=yes ttl=no auth=no\n");
    run_case(&flaky);
    requests_are("a retried role name",
                 "PUT /flaky/latest/api/token token=no ttl=yes auth=no\n"
                 "GET /flaky/latest/meta-data/iam/security-credentials/ "
                 "token=yes ttl=no auth=no\n"
                 "GET /flaky/latest/meta-data/iam/security-credentials/ "
                 "token=yes ttl=no auth=no\n"
                 "GET /flaky/latest/meta-data/iam/security-credentials/"
                 "ecp-test-role token=yes ttl=no auth=no\n");
    imds_not_found(&imds_cases[5]);     /* redirect */
    requests_are("a redirect is not followed",
                 "PUT /redirect/latest/api/token token=no ttl=yes auth=no\n");
    run_case(find_case("container credentials, a server error"));
    requests_are("a failing container endpoint is tried three times",
                 "GET /container/500 token=no ttl=no auth=no\n"
                 "GET /container/500 token=no ttl=no auth=no\n"
                 "GET /container/500 token=no ttl=no auth=no\n");
    run_case(find_case("container credentials, token in a variable"));
    requests_are("the container Authorization header is sent",
                 "GET /container/auth token=no ttl=no auth=yes\n");
    run_case(find_case("container credentials, a host that is not "
                       "allowed"));
    requests_are("a host that is not allowed is never asked", "");
}

int main(void)
{
    relay_start();
    /* The failing helper's stderr must reach the relay, and this is the
     * first thing the relay can check. */
    run_cases(precedence, sizeof precedence / sizeof precedence[0]);
    run_cases(roles, sizeof roles / sizeof roles[0]);
    run_cases(processes, sizeof processes / sizeof processes[0]);
    process_timeout_case();
    without_sts();
    nothing_found();
    if (server_start() != 0) {
        CHECK(0, "tests/server/metadata.py starts (is python3 there?)");
    } else {
        run_cases(metadata_cases,
                  sizeof metadata_cases / sizeof metadata_cases[0]);
        for (size_t i = 0; i < sizeof imds_cases / sizeof imds_cases[0]; i++)
            imds_not_found(&imds_cases[i]);
        imds_sequence();
    }
    server_stop();
    ecp_buf_free(&sts_log);
    relay_stop();
    return harness_done();
}
