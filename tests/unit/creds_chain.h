#ifndef ECP_TESTS_CREDS_CHAIN_H
#define ECP_TESTS_CREDS_CHAIN_H

/*
 * Running the credential chain for the tests of test_credentials.c and
 * test_credentials_metadata.c: the files in tests/data/aws-config/chain/,
 * an environment made of "NAME=value" strings, a fake STS that logs its
 * calls, and a table of cases (struct chain_case) with what must come out.
 * Secrets are compared with CHECK, never CHECK_STR, so a failure does not
 * print them; relay.h checks that nothing printed holds one.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/config.h"
#include "aws/credentials.h"
#include "harness.h"
#include "relay.h"
#include "util/buf.h"
#include "util/mem.h"

#define CHAIN "tests/data/aws-config/chain/"
#define NOW ((time_t)1700000000)
/* Short for the fixture secrets in the case tables. */
#define S SECRET_MARK

/* The metadata server's URL ("http://127.0.0.1:PORT"), for which "@" at
 * the start of a variable's value stands; empty while none runs. */
static char server_url[64];

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
    /* A case that turns instance metadata on without an endpoint of its
     * own asks the test server, never the real 169.254.169.254. */
    "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/unused/",
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

static char *expand(const char *var)
{
    const char *eq = strchr(var, '=');

    if (eq && eq[1] == '@')
        return ecp_asprintf("%.*s%s%s", (int)(eq + 1 - var), var, server_url,
                            eq + 2);
    return ecp_strdup(var);
}

static void table_fill(struct env_table *t, const char *const *vars)
{
    size_t k = 0;

    memset(t, 0, sizeof *t);
    for (size_t i = 0; vars && vars[i] && k < 16; i++)
        t->vars[k++] = expand(vars[i]);
    for (size_t i = 0; base_env[i]; i++)
        t->vars[k++] = expand(base_env[i]);
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

static void run_cases(const struct chain_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        run_case(&cases[i]);
}

#endif
