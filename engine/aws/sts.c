#include <stdlib.h>
#include <string.h>

#include "aws/call.h"
#include "aws/sts.h"
#include "aws/uri.h"
#include "collect/timestamp.h"
#include "util/mem.h"

#define STS_VERSION "2011-06-15"

static void finished(struct ecp_aws_call *call)
{
    (void)call;
}

/* Run one STS call with creds (NULL: unsigned) and read the Credentials
 * of its reply into *out. */
static int sts_call(struct ecp_sts *sts, const struct ecp_creds *creds,
                    const char *region, const char *operation,
                    struct ecp_buf *params, struct ecp_creds *out,
                    struct ecp_err *err)
{
    struct ecp_http_options hopts = { 0 };
    struct ecp_aws_client aws = { 0 };
    struct ecp_aws_call call = { 0 };
    int rc = -1;

    hopts.connect_timeout_ms = sts->connect_timeout_ms;
    hopts.request_timeout_ms = sts->request_timeout_ms;
    hopts.ca_bundle = sts->config->ca_bundle;
    aws.http = ecp_http_client_new(&hopts, err);
    if (!aws.http) {
        ecp_buf_free(params);
        return -1;
    }
    aws.creds = creds;
    aws.log = sts->log;
    ecp_retry_init(&aws.retry);
    aws.retry.max_attempts = sts->config->max_attempts;

    call.service = "sts";
    call.operation = operation;
    call.version = STS_VERSION;
    call.region = region;
    call.endpoint = ecp_aws_endpoint(sts->config, ECP_AWS_STS, region, NULL);
    call.params = *params;
    memset(params, 0, sizeof *params);
    call.finished = finished;
    if (ecp_aws_call_start(&aws, &call) != 0 ||
        ecp_http_run(aws.http, err) != 0) {
        if (call.message[0])
            ecp_err_set(err, "STS %s at %s: %s", operation, call.endpoint,
                        call.message);
        goto out;
    }
    if (call.outcome != ECP_AWS_OK) {
        ecp_err_set(err, "STS %s at %s: %s", operation, call.endpoint,
                    call.message);
        goto out;
    }
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(call.reply,
                                                      "Credentials");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "AccessKeyId");
    const cJSON *secret = cJSON_GetObjectItemCaseSensitive(c,
                                                           "SecretAccessKey");
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(c, "SessionToken");
    const cJSON *expires = cJSON_GetObjectItemCaseSensitive(c, "Expiration");
    if (!cJSON_IsString(id) || !cJSON_IsString(secret) ||
        !cJSON_IsString(token)) {
        ecp_err_set(err, "STS %s at %s: the reply holds no credentials",
                    operation, call.endpoint);
        goto out;
    }
    memset(out, 0, sizeof *out);
    out->access_key_id = ecp_strdup(id->valuestring);
    out->secret_access_key = ecp_strdup(secret->valuestring);
    out->session_token = ecp_strdup(token->valuestring);
    out->source = ecp_strdup(operation);
    if (cJSON_IsString(expires)) {
        struct ecp_timestamp ts;
        if (ecp_timestamp_parse(expires->valuestring, &ts, NULL) == 0)
            out->expiration = (time_t)ts.epoch;
    }
    rc = 0;
out:
    /* The reply held a secret key and a token: wipe before freeing. */
    if (call.reply) {
        cJSON *held = cJSON_GetObjectItemCaseSensitive(call.reply,
                                                       "Credentials");
        for (cJSON *m = held ? held->child : NULL; m; m = m->next)
            if (cJSON_IsString(m))
                for (volatile char *p = m->valuestring; *p; p++)
                    *p = 0;
    }
    free((char *)call.endpoint);
    ecp_aws_call_clear(&call);
    ecp_http_client_free(aws.http);
    ecp_aws_client_clear(&aws);
    return rc;
}

static int assume_role(void *ud, const struct ecp_creds *source,
                       const char *region, const char *role_arn,
                       const char *session_name, const char *external_id,
                       int duration_seconds, struct ecp_creds *out,
                       struct ecp_err *err)
{
    struct ecp_buf params = { 0 };

    ecp_form_add(&params, "RoleArn", role_arn);
    ecp_form_add(&params, "RoleSessionName", session_name);
    if (external_id)
        ecp_form_add(&params, "ExternalId", external_id);
    if (duration_seconds > 0) {
        char n[16];
        snprintf(n, sizeof n, "%d", duration_seconds);
        ecp_form_add(&params, "DurationSeconds", n);
    }
    return sts_call(ud, source, region, "AssumeRole", &params, out, err);
}

static int assume_role_with_web_identity(void *ud, const char *region,
                                         const char *role_arn,
                                         const char *session_name,
                                         const char *token,
                                         struct ecp_creds *out,
                                         struct ecp_err *err)
{
    struct ecp_buf params = { 0 };
    int rc;

    ecp_form_add(&params, "RoleArn", role_arn);
    ecp_form_add(&params, "RoleSessionName", session_name);
    ecp_form_add(&params, "WebIdentityToken", token);
    rc = sts_call(ud, NULL, region, "AssumeRoleWithWebIdentity", &params, out,
                  err);
    return rc;
}

void ecp_sts_ops_init(struct ecp_sts_ops *ops, struct ecp_sts *sts)
{
    ops->assume_role = assume_role;
    ops->assume_role_with_web_identity = assume_role_with_web_identity;
    ops->ud = sts;
}
