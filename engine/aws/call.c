#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "aws/call.h"
#include "aws/sigv4.h"
#include "aws/uri.h"
#include "util/mem.h"

/* Codes that say the credentials themselves were refused: every other
 * call with them would fail the same way. */
static const char *const rejected_codes[] = {
    "InvalidClientTokenId", "SignatureDoesNotMatch", "AuthFailure",
    "ExpiredToken", "ExpiredTokenException", "IncompleteSignature",
    "MissingAuthenticationToken", "UnrecognizedClientException",
    "InvalidAccessKeyId", "RequestExpired", NULL
};

static const char *const denied_codes[] = {
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
    "UnauthorizedAccess", "OptInRequired", NULL
};

/* Signature errors that a wrong local clock causes; retried once with
 * the server's time. */
static const char *const skew_codes[] = {
    "RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException",
    "SignatureDoesNotMatch", "AuthFailure", NULL
};

static int in(const char *const *list, const char *code)
{
    for (; code && *list; list++)
        if (strcmp(*list, code) == 0)
            return 1;
    return 0;
}

const char *ecp_aws_outcome_name(enum ecp_aws_outcome o)
{
    static const char *const names[] = {
        "ok", "access denied", "credentials rejected", "throttled",
        "timed out", "malformed reply", "failed"
    };
    return (unsigned)o < sizeof names / sizeof names[0] ? names[o] : "?";
}

static void wipe_headers(struct ecp_aws_call *call)
{
    for (size_t i = 0; i < sizeof call->headers / sizeof call->headers[0];
         i++) {
        char *h = call->headers[i];
        if (!h)
            continue;
        for (volatile char *p = h; *p; p++)
            *p = 0;
        free(h);
        call->headers[i] = NULL;
    }
}

/* "host" or "host:port" as the Host header and the signature want it. */
static char *host_of(const char *url, char **path, struct ecp_err *err)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL, *p = NULL, *out = NULL;

    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        ecp_err_set(err, "'%s' is not a URL", url);
        goto done;
    }
    /* A port is only in the URL when it is not the scheme's default. */
    if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port)
        out = ecp_asprintf("%s:%s", host, port);
    else
        out = ecp_strdup(host);
    if (curl_url_get(u, CURLUPART_PATH, &p, 0) == CURLUE_OK && p)
        *path = ecp_strdup(p);
    else
        *path = ecp_strdup("/");
done:
    curl_free(host);
    curl_free(port);
    curl_free(p);
    if (u)
        curl_url_cleanup(u);
    return out;
}

static int prepare(void *ud, int attempt, struct ecp_http_request *req)
{
    struct ecp_aws_call *call = ud;
    const struct ecp_creds *creds = call->client->creds;
    struct ecp_sigv4_result sig;
    struct ecp_err err;
    char date[ECP_SIGV4_DATE_SIZE];
    char *host, *path = NULL;
    size_t n = 0;

    (void)attempt;
    wipe_headers(call);
    host = host_of(call->url, &path, &err);
    if (!host) {
        snprintf(call->message, sizeof call->message, "%s", err.msg);
        return -1;
    }
    ecp_sigv4_format_time(time(NULL) + call->client->clock_skew, date);
    call->headers[n++] = ecp_asprintf("Host: %s", host);
    if (call->target) {
        call->headers[n++] = ecp_strdup("Content-Type: application/"
                                        "x-amz-json-1.1");
        call->headers[n++] = ecp_asprintf("X-Amz-Target: %s", call->target);
    } else {
        call->headers[n++] = ecp_strdup("Content-Type: application/x-www-"
                                        "form-urlencoded; charset=utf-8");
    }
    call->headers[n++] = ecp_asprintf("X-Amz-Date: %s", date);
    if (creds && creds->session_token)
        call->headers[n++] = ecp_asprintf("X-Amz-Security-Token: %s",
                                          creds->session_token);
    call->headers[n] = NULL;
    if (!creds) {
        /* Unsigned (AssumeRoleWithWebIdentity). */
        free(host);
        free(path);
        goto send;
    }

    struct ecp_sigv4_request sreq = {
        "POST", path, "", (const char *const *)call->headers,
        call->body.data, call->body.len
    };
    struct ecp_sigv4_params params = {
        call->region, call->signing_name ? call->signing_name : call->service,
        date, creds, 1
    };
    int rc = ecp_sigv4_sign(&sreq, &params, &sig, &err);
    free(host);
    free(path);
    if (rc != 0) {
        snprintf(call->message, sizeof call->message, "cannot sign the "
                 "request: %s", err.msg);
        return -1;
    }
    call->headers[n++] = ecp_asprintf("Authorization: %s", sig.authorization);
    call->headers[n] = NULL;
    ecp_sigv4_result_free(&sig);
send:
    req->method = "POST";
    req->url = call->url;
    req->headers = (const char *const *)call->headers;
    req->body = call->body.data;
    req->body_len = call->body.len;
    return 0;
}

/* The JSON protocol's error: {"__type": "prefix#Code", "message": ...}. */
static int json_error(const char *body, size_t len, struct ecp_aws_error *e)
{
    cJSON *j = cJSON_ParseWithLength(body, len);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(j, "__type");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
    int rc = -1;

    memset(e, 0, sizeof *e);
    if (!msg)
        msg = cJSON_GetObjectItemCaseSensitive(j, "Message");
    if (cJSON_IsString(type)) {
        const char *code = strrchr(type->valuestring, '#');
        code = code ? code + 1 : type->valuestring;
        snprintf(e->code, sizeof e->code, "%.*s", (int)strcspn(code, ":"),
                 code);
        if (cJSON_IsString(msg))
            snprintf(e->message, sizeof e->message, "%s", msg->valuestring);
        rc = e->code[0] ? 0 : -1;
    }
    cJSON_Delete(j);
    return rc;
}

static int parse_error(const struct ecp_aws_call *call, const char *body,
                       size_t len, struct ecp_aws_error *e)
{
    return call->target ? json_error(body, len, e)
                        : ecp_xml_error(body, len, e);
}

/* The server's clock from the Date header, to correct a skewed local one.
 * Returns the offset in seconds, or 0. */
static long skew_from(const struct ecp_http_reply *reply)
{
    time_t server;

    if (!reply->date)
        return 0;
    server = curl_getdate(reply->date, NULL);
    if (server == (time_t)-1)
        return 0;
    long skew = (long)(server - time(NULL));
    /* SigV4 allows 5 minutes; a smaller difference is not the problem. */
    return labs(skew) > 4 * 60 ? skew : 0;
}

static long decide(void *ud, int attempt, const struct ecp_http_reply *reply)
{
    struct ecp_aws_call *call = ud;
    const char *code = NULL;
    const char *why = NULL;

    if (reply->status >= 200 && reply->status < 300) {
        /* A success gives the retry quota back its tokens. */
        ecp_retry_next(&call->client->retry, &call->retry_state, attempt,
                       ECP_RETRY_SUCCESS, &why);
        return -1;
    }
    /* done() adds the last attempt; this one may be followed by more. */
    call->seconds += reply->seconds;
    memset(&call->error, 0, sizeof call->error);
    if (reply->status >= 300 &&
        parse_error(call, reply->body, reply->len, &call->error) == 0)
        code = call->error.code;
    if (in(skew_codes, code) && !call->skew_corrected) {
        long skew = skew_from(reply);
        if (skew) {
            call->skew_corrected = 1;
            call->client->clock_skew = skew;
            return 0;
        }
    }
    enum ecp_retry_class cls = ecp_retry_classify(reply->status, code,
                                                  reply->transport,
                                                  reply->timed_out);
    return ecp_retry_next(&call->client->retry, &call->retry_state, attempt,
                          cls, &why);
}

static void describe_failure(struct ecp_aws_call *call,
                             const struct ecp_http_reply *reply)
{
    const char *code = call->error.code[0] ? call->error.code : NULL;
    enum ecp_retry_class cls = ecp_retry_classify(reply->status, code,
                                                  reply->transport,
                                                  reply->timed_out);

    if (in(rejected_codes, code))
        call->outcome = ECP_AWS_REJECTED;
    else if (in(denied_codes, code))
        call->outcome = ECP_AWS_DENIED;
    else if (cls == ECP_RETRY_THROTTLING)
        call->outcome = ECP_AWS_THROTTLED;
    else if (cls == ECP_RETRY_TIMEOUT)
        call->outcome = ECP_AWS_TIMEOUT;
    else
        call->outcome = ECP_AWS_FAILED;

    if (code)
        snprintf(call->message, sizeof call->message, "%s: %s", code,
                 call->error.message[0] ? call->error.message
                                        : "(no message)");
    else if (reply->status)
        snprintf(call->message, sizeof call->message, "HTTP %ld with no "
                 "AWS error in the reply", reply->status);
    else
        snprintf(call->message, sizeof call->message, "%s",
                 reply->error[0] ? reply->error : "no reply");
    if (call->attempts > 1) {
        size_t n = strlen(call->message);
        snprintf(call->message + n, sizeof call->message - n,
                 " (after %d attempts)", call->attempts);
    }
}

static void log_call(const struct ecp_aws_call *call)
{
    FILE *f = call->client->log;

    if (!f)
        return;
    fprintf(f, "ecpolicy: %s %s %s: %s", call->region, call->service,
            call->operation, ecp_aws_outcome_name(call->outcome));
    if (call->status)
        fprintf(f, ", HTTP %ld", call->status);
    fprintf(f, ", %d attempt%s, %.2f s", call->attempts,
            call->attempts == 1 ? "" : "s", call->seconds);
    if (call->outcome != ECP_AWS_OK)
        fprintf(f, ": %s", call->message);
    fputc('\n', f);
}

/* ---- lanes ---- */

static const struct ecp_http_call_ops call_ops;

static size_t lane_of(struct ecp_aws_client *c, const char *region,
                      const char *endpoint)
{
    char *key = ecp_asprintf("%s\n%s", region ? region : "", endpoint);

    /* A handful of lanes (regions times services): a scan is enough. */
    for (size_t i = 0; i < c->nlanes; i++)
        if (strcmp(c->lanes[i].key, key) == 0) {
            free(key);
            return i;
        }
    c->lanes = ecp_realloc(c->lanes, (c->nlanes + 1) * sizeof *c->lanes);
    c->lanes[c->nlanes] = (struct ecp_aws_lane){ .key = key };
    return c->nlanes++;
}

static int lane_enter(struct ecp_aws_client *c, struct ecp_aws_call *call)
{
    struct ecp_aws_lane *lane;
    int limit = c->per_lane > 0 ? c->per_lane : ECP_AWS_PER_LANE;

    call->lane = lane_of(c, call->region, call->endpoint);
    call->lane_next = NULL;
    lane = &c->lanes[call->lane];
    if (lane->running >= limit) {
        if (lane->tail)
            lane->tail->lane_next = call;
        else
            lane->head = call;
        lane->tail = call;
        return 0;
    }
    if (ecp_http_submit(c->http, &call_ops, call) != 0)
        return -1;
    lane->running++;
    return 0;
}

/* The call is over: let the next one waiting in its lane go. */
static void lane_leave(struct ecp_aws_call *call)
{
    struct ecp_aws_client *c = call->client;
    struct ecp_aws_lane *lane = &c->lanes[call->lane];
    struct ecp_aws_call *next = lane->head;

    lane->running--;
    if (!next)
        return;
    lane->head = next->lane_next;
    if (!lane->head)
        lane->tail = NULL;
    next->lane_next = NULL;
    lane->running++;
    ecp_http_submit(c->http, &call_ops, next);  /* fails only without ops */
}

void ecp_aws_client_clear(struct ecp_aws_client *c)
{
    for (size_t i = 0; i < c->nlanes; i++)
        free(c->lanes[i].key);
    free(c->lanes);
    c->lanes = NULL;
    c->nlanes = 0;
}

/* ---- the call ---- */

static void done(void *ud, struct ecp_http_reply *reply, int attempts)
{
    struct ecp_aws_call *call = ud;
    struct ecp_err err;

    wipe_headers(call);
    call->attempts = attempts;
    call->status = reply->status;
    if (reply->status >= 200 && reply->status < 300)
        call->seconds += reply->seconds;
    if (reply->status >= 200 && reply->status < 300) {
        if (call->target) {
            call->reply = cJSON_ParseWithLength(reply->body, reply->len);
            if (cJSON_IsObject(call->reply)) {
                call->outcome = ECP_AWS_OK;
            } else {
                cJSON_Delete(call->reply);
                call->reply = NULL;
                call->outcome = ECP_AWS_MALFORMED;
                snprintf(call->message, sizeof call->message, "the reply is "
                         "not a JSON object");
            }
        } else if (ecp_xml_reply(call->service, call->operation, reply->body,
                                 reply->len, &call->reply, &err) == 0) {
            call->outcome = ECP_AWS_OK;
        } else {
            call->outcome = ECP_AWS_MALFORMED;
            snprintf(call->message, sizeof call->message, "the reply does "
                     "not parse: %s", err.msg);
        }
    } else if (!call->message[0] || reply->status || reply->curl_code) {
        memset(&call->error, 0, sizeof call->error);
        if (reply->status >= 300)
            parse_error(call, reply->body, reply->len, &call->error);
        describe_failure(call, reply);
    } else {
        call->outcome = ECP_AWS_FAILED;    /* prepare() gave up */
    }
    log_call(call);
    lane_leave(call);
    call->finished(call);
}

static const struct ecp_http_call_ops call_ops = { prepare, decide, done };

int ecp_aws_call_start(struct ecp_aws_client *c, struct ecp_aws_call *call)
{
    call->client = c;
    call->outcome = ECP_AWS_FAILED;
    call->message[0] = '\0';
    call->attempts = 0;
    call->seconds = 0;
    call->skew_corrected = 0;
    memset(&call->retry_state, 0, sizeof call->retry_state);
    ecp_buf_free(&call->body);
    if (call->target) {
        ecp_buf_add(&call->body, call->params.data ? call->params.data : "{}",
                    call->params.data ? call->params.len : 2);
    } else {
        ecp_form_add(&call->body, "Action", call->operation);
        ecp_form_add(&call->body, "Version", call->version);
        if (call->params.len) {
            ecp_buf_addc(&call->body, '&');
            ecp_buf_add(&call->body, call->params.data, call->params.len);
        }
    }
    free(call->url);
    call->url = ecp_strdup(call->endpoint);
    if (lane_enter(c, call) != 0) {
        snprintf(call->message, sizeof call->message, "cannot queue the "
                 "request");
        return -1;
    }
    return 0;
}

void ecp_aws_call_clear(struct ecp_aws_call *call)
{
    wipe_headers(call);
    ecp_buf_free(&call->params);
    ecp_buf_free(&call->body);
    cJSON_Delete(call->reply);
    call->reply = NULL;
    free(call->url);
    call->url = NULL;
}
