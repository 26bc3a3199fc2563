#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "aws/http.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/mem.h"
#include "version.h"

#define DEFAULT_PARALLEL 64
#define MAX_PARALLEL 1024
#define DEFAULT_CONNECT_MS 5000L
#define DEFAULT_REQUEST_MS 30000L
#define DEFAULT_MAX_BODY ((size_t)1 << 30)
#define HEADER_VALUE_MAX 128        /* Date and request ids are ~30-60 */
#define PROGRESS_MS 100
#define POLL_MAX_MS 1000
#define MAX_DELAY_MS 86400000L      /* a day: keeps now + delay in range */

/* One logical request; while an attempt runs, also that attempt. */
struct call {
    const struct ecp_http_call_ops *ops;
    void *ud;
    int attempt;                    /* attempts started so far */
    long long wake_ms;              /* a delayed retry may start then */
    struct call *next;              /* in a ready queue */
    struct call *fl_prev, *fl_next; /* in the in-flight list */
    CURL *easy;
    struct curl_slist *headers;
    struct ecp_buf body;
    char *date, *request_id;
    size_t max_body;
    int too_big;
    char errbuf[CURL_ERROR_SIZE];
};

struct queue {
    struct call *head, *tail;
    unsigned long n;
};

struct ecp_http_client {
    CURLM *multi;
    int max_parallel;
    long connect_ms, request_ms;
    size_t max_body;
    char *ca_bundle, *user_agent;
    /* Calls that may start as soon as a transfer slot is free: retries
     * first, so calls under way finish before new ones begin. */
    struct queue retries, fresh;
    /* Calls waiting out a retry delay: a binary min-heap on wake_ms. */
    struct call **delayed;
    size_t ndelayed, delayed_cap;
    struct call *flying;            /* transfers on the multi handle */
    CURL **pool;                    /* idle easy handles, reused */
    size_t npool;
    struct ecp_http_stats stats;
    ecp_http_progress_fn progress;
    void *progress_ud;
    int running;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int has_line_break(const char *s)
{
    return strpbrk(s, "\r\n") != NULL;
}

/* ---- the queues ---- */

static void queue_push(struct queue *q, struct call *call)
{
    call->next = NULL;
    if (q->tail)
        q->tail->next = call;
    else
        q->head = call;
    q->tail = call;
    q->n++;
}

static struct call *queue_pop(struct queue *q)
{
    struct call *call = q->head;

    if (call) {
        q->head = call->next;
        if (!q->head)
            q->tail = NULL;
        call->next = NULL;
        q->n--;
    }
    return call;
}

/* The next call to start, retries first. */
static struct call *ready_pop(struct ecp_http_client *c)
{
    return c->retries.head ? queue_pop(&c->retries) : queue_pop(&c->fresh);
}

static void heap_swap(struct call **h, size_t i, size_t j)
{
    struct call *t = h[i];

    h[i] = h[j];
    h[j] = t;
}

static void heap_push(struct ecp_http_client *c, struct call *call)
{
    struct call **h;
    size_t i;

    if (c->ndelayed == c->delayed_cap) {
        c->delayed_cap = c->delayed_cap ? c->delayed_cap * 2 : 16;
        c->delayed = ecp_realloc(c->delayed,
                                 c->delayed_cap * sizeof *c->delayed);
    }
    h = c->delayed;
    i = c->ndelayed++;
    h[i] = call;
    while (i > 0 && h[(i - 1) / 2]->wake_ms > h[i]->wake_ms) {
        heap_swap(h, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static struct call *heap_pop(struct ecp_http_client *c)
{
    struct call **h = c->delayed, *top = h[0];
    size_t i = 0, n = --c->ndelayed;

    h[0] = h[n];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;

        if (l < n && h[l]->wake_ms < h[m]->wake_ms)
            m = l;
        if (r < n && h[r]->wake_ms < h[m]->wake_ms)
            m = r;
        if (m == i)
            break;
        heap_swap(h, i, m);
        i = m;
    }
    return top;
}

static void flying_add(struct ecp_http_client *c, struct call *call)
{
    call->fl_prev = NULL;
    call->fl_next = c->flying;
    if (c->flying)
        c->flying->fl_prev = call;
    c->flying = call;
    c->stats.in_flight++;
}

static void flying_remove(struct ecp_http_client *c, struct call *call)
{
    if (call->fl_prev)
        call->fl_prev->fl_next = call->fl_next;
    else
        c->flying = call->fl_next;
    if (call->fl_next)
        call->fl_next->fl_prev = call->fl_prev;
    call->fl_prev = call->fl_next = NULL;
    c->stats.in_flight--;
}

/* ---- one attempt's resources ---- */

/* The header copies hold the signature and maybe the session token:
 * overwrite them before they go back to the allocator. */
static void wipe_headers(struct curl_slist *list)
{
    for (struct curl_slist *l = list; l; l = l->next)
        for (volatile char *p = l->data; p && *p; p++)
            *p = 0;
    curl_slist_free_all(list);
}

static void clear_attempt(struct call *call)
{
    wipe_headers(call->headers);
    call->headers = NULL;
    ecp_buf_free(&call->body);
    free(call->date);
    free(call->request_id);
    call->date = call->request_id = NULL;
    call->too_big = 0;
    call->errbuf[0] = '\0';
}

static void free_call(struct call *call)
{
    clear_attempt(call);
    free(call);
}

static CURL *easy_get(struct ecp_http_client *c)
{
    return c->npool ? c->pool[--c->npool] : curl_easy_init();
}

/* Keep the handle for the next attempt: its buffers, and libcurl's
 * per-handle caches, survive curl_easy_reset. */
static void easy_put(struct ecp_http_client *c, CURL *easy)
{
    if ((size_t)c->max_parallel > c->npool) {
        curl_easy_reset(easy);
        c->pool[c->npool++] = easy;
    } else {
        curl_easy_cleanup(easy);
    }
}

/* ---- libcurl callbacks ---- */

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    struct call *call = ud;
    size_t len = size * n;

    if (len > call->max_body - call->body.len) {
        call->too_big = 1;
        return 0;           /* libcurl aborts with CURLE_WRITE_ERROR */
    }
    ecp_buf_add(&call->body, data, len);
    return len;
}

/* A copy of a header value that is safe to print: bounded, and bytes
 * outside printable ASCII replaced. */
static char *keep_value(const char *v, size_t len)
{
    char *s;

    if (len > HEADER_VALUE_MAX)
        len = HEADER_VALUE_MAX;
    s = ecp_strndup(v, len);
    for (char *p = s; *p; p++)
        if (*p < 0x20 || *p > 0x7e)
            *p = '?';
    return s;
}

static int header_is(const char *name, size_t len, const char *want)
{
    return len == strlen(want) && strncasecmp(name, want, len) == 0;
}

static size_t on_header(char *line, size_t size, size_t n, void *ud)
{
    struct call *call = ud;
    size_t len = size * n;
    const char *colon, *v, *end;
    char **slot = NULL;

    /* A new status line (after "100 Continue"): forget what came before. */
    if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        free(call->date);
        free(call->request_id);
        call->date = call->request_id = NULL;
        return len;
    }
    colon = memchr(line, ':', len);
    if (!colon)
        return len;
    if (header_is(line, (size_t)(colon - line), "date"))
        slot = &call->date;
    else if (header_is(line, (size_t)(colon - line), "x-amzn-requestid") ||
             header_is(line, (size_t)(colon - line), "x-amz-request-id"))
        slot = &call->request_id;
    if (!slot)
        return len;
    v = colon + 1;
    end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
                       end[-1] == ' ' || end[-1] == '\t'))
        end--;
    free(*slot);
    *slot = keep_value(v, (size_t)(end - v));
    return len;
}

/* ---- starting and finishing attempts ---- */

static enum ecp_transport_error transport_of(CURLcode code)
{
    switch (code) {
    case CURLE_OK:
        return ECP_TRANSPORT_NONE;
    /* The request or the reply is wrong in a way no retry changes. */
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_FAILED_INIT:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_TOO_MANY_REDIRECTS:
    /* TLS: the server is not who it should be, or we cannot check. */
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return ECP_TRANSPORT_FATAL;
    default:
        /* Refused, reset, cut short, DNS, timeouts, TLS handshakes that
         * broke off: botocore retries these as connection errors. */
        return ECP_TRANSPORT_CONNECTION;
    }
}

/* Set every option of one attempt on call->easy.  Returns the first
 * option libcurl refused, or CURLE_OK. */
static CURLcode setup(struct ecp_http_client *c, struct call *call,
                      const struct ecp_http_request *req)
{
    CURL *e = call->easy;
    const char *method = req->method ? req->method : "POST";
    CURLcode rc = CURLE_OK;

#define SET(opt, val)                                                     \
    do {                                                                  \
        if (rc == CURLE_OK)                                               \
            rc = curl_easy_setopt(e, opt, val);                           \
    } while (0)

    SET(CURLOPT_URL, req->url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_CONNECTTIMEOUT_MS, c->connect_ms);
    SET(CURLOPT_TIMEOUT_MS, c->request_ms);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->ca_bundle) {
        /* Only this bundle, as AWS_CA_BUNDLE means for the AWS CLI. */
        SET(CURLOPT_CAINFO, c->ca_bundle);
        SET(CURLOPT_CAPATH, (char *)NULL);
    }
    SET(CURLOPT_USERAGENT, c->user_agent);
    SET(CURLOPT_HTTPHEADER, call->headers);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, (void *)call);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, (void *)call);
    SET(CURLOPT_ERRORBUFFER, call->errbuf);
    SET(CURLOPT_PRIVATE, (void *)call);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_body);
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    /* A retry never trusts the pool: the connection the last attempt died
     * on may be one of many the server dropped together. */
    SET(CURLOPT_FRESH_CONNECT, call->attempt > 1 ? 1L : 0L);
    if (strcmp(method, "GET") == 0 && req->body_len == 0) {
        SET(CURLOPT_HTTPGET, 1L);
    } else if (strcmp(method, "HEAD") == 0) {
        SET(CURLOPT_NOBODY, 1L);
    } else {
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        SET(CURLOPT_POSTFIELDS, req->body ? req->body : "");
        if (strcmp(method, "POST") != 0)
            SET(CURLOPT_CUSTOMREQUEST, method);
    }
#undef SET
    return rc;
}

/* The header list for libcurl: the caller's, then "Expect:" so a large
 * body goes out at once instead of waiting for "100 Continue". */
static CURLcode build_headers(struct call *call,
                              const struct ecp_http_request *req,
                              char *why, size_t whylen)
{
    struct curl_slist *list = NULL, *grown;

    for (size_t i = 0; req->headers && req->headers[i]; i++) {
        /* Never name the value: it may be a signature or a token. */
        if (has_line_break(req->headers[i])) {
            snprintf(why, whylen, "request header %zu holds a line break",
                     i + 1);
            wipe_headers(list);
            return CURLE_BAD_FUNCTION_ARGUMENT;
        }
        grown = curl_slist_append(list, req->headers[i]);
        if (!grown) {
            wipe_headers(list);
            return CURLE_OUT_OF_MEMORY;
        }
        list = grown;
    }
    grown = curl_slist_append(list, "Expect:");
    if (!grown) {
        wipe_headers(list);
        return CURLE_OUT_OF_MEMORY;
    }
    call->headers = grown;
    return CURLE_OK;
}

static void copy_error(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);

    while (n > 0 && (src[n - 1] == '\n' || src[n - 1] == '\r'))
        n--;
    if (n >= size)
        n = size - 1;
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i] >= 0x20 && src[i] <= 0x7e ? src[i] : '?';
    dst[n] = '\0';
}

static void schedule(struct ecp_http_client *c, struct call *call, long wait)
{
    if (wait == 0) {
        queue_push(&c->retries, call);
        return;
    }
    if (wait > MAX_DELAY_MS)
        wait = MAX_DELAY_MS;
    call->wake_ms = ecp_clock_ms() + wait;
    heap_push(c, call);
}

static void free_reply(struct ecp_http_reply *reply)
{
    free(reply->body);
    free(reply->date);
    free(reply->request_id);
}

/* An attempt ended (code from libcurl, or a failure to start it, with why
 * saying what when it is ours): build the reply, ask decide, then retry
 * or finish the call. */
static void finish_attempt(struct ecp_http_client *c, struct call *call,
                           CURLcode code, const char *why)
{
    struct ecp_http_reply reply;
    long wait = -1;

    memset(&reply, 0, sizeof reply);
    reply.curl_code = (int)code;
    reply.transport = transport_of(code);
    reply.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    if (call->easy) {
        curl_off_t us = 0;

        if (code == CURLE_OK)
            curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE,
                              &reply.status);
        if (curl_easy_getinfo(call->easy, CURLINFO_TOTAL_TIME_T, &us) ==
            CURLE_OK)
            reply.seconds = (double)us / 1e6;
    }
    if (code == CURLE_OK) {
        reply.len = call->body.len;
        reply.body = ecp_buf_take(&call->body);
    } else {
        reply.body = ecp_strdup("");
    }
    reply.date = call->date;
    reply.request_id = call->request_id;
    call->date = call->request_id = NULL;

    if (why && *why)
        copy_error(reply.error, sizeof reply.error, why);
    else if (call->too_big || code == CURLE_FILESIZE_EXCEEDED)
        snprintf(reply.error, sizeof reply.error,
                 "the reply is larger than the %zu bytes allowed",
                 c->max_body);
    else if (code != CURLE_OK)
        copy_error(reply.error, sizeof reply.error,
                   call->errbuf[0] ? call->errbuf : curl_easy_strerror(code));

    if (call->easy) {
        easy_put(c, call->easy);
        call->easy = NULL;
    }
    clear_attempt(call);

    if (call->ops->decide)
        wait = call->ops->decide(call->ud, call->attempt, &reply);
    if (wait >= 0) {
        free_reply(&reply);
        schedule(c, call, wait);
        return;
    }
    call->ops->done(call->ud, &reply, call->attempt);
    free_reply(&reply);
    free_call(call);
    c->stats.done++;
}

static void abandon(struct ecp_http_client *c, struct call *call)
{
    struct ecp_http_reply reply;
    int sent = call->attempt - 1;

    memset(&reply, 0, sizeof reply);
    reply.body = ecp_strdup("");
    snprintf(reply.error, sizeof reply.error,
             "the call was abandoned before attempt %d", call->attempt);
    call->ops->done(call->ud, &reply, sent);
    free_reply(&reply);
    free_call(call);
    c->stats.done++;
}

static void start_attempt(struct ecp_http_client *c, struct call *call)
{
    struct ecp_http_request req;
    char why[128] = "";
    CURLcode rc;
    CURLMcode mc;

    memset(&req, 0, sizeof req);
    call->attempt++;
    if (call->ops->prepare(call->ud, call->attempt, &req) != 0) {
        abandon(c, call);
        return;
    }
    c->stats.attempts++;
    if (call->attempt > 1)
        c->stats.retries++;
    call->max_body = c->max_body;
    if (!req.url) {
        finish_attempt(c, call, CURLE_URL_MALFORMAT, "the request has no URL");
        return;
    }
    rc = build_headers(call, &req, why, sizeof why);
    if (rc != CURLE_OK) {
        finish_attempt(c, call, rc, why);
        return;
    }
    call->easy = easy_get(c);
    if (!call->easy) {
        finish_attempt(c, call, CURLE_FAILED_INIT,
                       "libcurl could not create a transfer");
        return;
    }
    rc = setup(c, call, &req);
    if (rc != CURLE_OK) {
        snprintf(why, sizeof why, "libcurl refused an option: %s",
                 curl_easy_strerror(rc));
        finish_attempt(c, call, rc, why);
        return;
    }
    mc = curl_multi_add_handle(c->multi, call->easy);
    if (mc != CURLM_OK) {
        snprintf(why, sizeof why, "libcurl could not start the transfer: %s",
                 curl_multi_strerror(mc));
        finish_attempt(c, call, CURLE_FAILED_INIT, why);
        return;
    }
    flying_add(c, call);
}

/* ---- the client ---- */

/* Hand every finished transfer to finish_attempt.  Returns how many. */
static int collect(struct ecp_http_client *c)
{
    CURLMsg *msg;
    int left, finished = 0;

    while ((msg = curl_multi_info_read(c->multi, &left))) {
        CURL *easy = msg->easy_handle;
        CURLcode code = msg->data.result;
        char *priv = NULL;
        struct call *call;

        if (msg->msg != CURLMSG_DONE)
            continue;
        /* msg dies with the handle's removal: read it first. */
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
        call = (struct call *)(void *)priv;
        curl_multi_remove_handle(c->multi, easy);
        flying_remove(c, call);
        finish_attempt(c, call, code, NULL);
        finished++;
    }
    return finished;
}

static void report_progress(struct ecp_http_client *c)
{
    struct ecp_http_stats st;

    ecp_http_stats(c, &st);
    c->progress(c->progress_ud, &st);
}

/* How long curl_multi_poll may wait: until the first delayed retry is
 * due, the next progress report, or a second, whichever comes first. */
static int poll_timeout(const struct ecp_http_client *c, long long now,
                        long long last_progress)
{
    long long t = POLL_MAX_MS;

    if (c->ndelayed && c->delayed[0]->wake_ms - now < t)
        t = c->delayed[0]->wake_ms - now;
    if (c->progress && last_progress + PROGRESS_MS - now < t)
        t = last_progress + PROGRESS_MS - now;
    return t < 0 ? 0 : (int)t;
}

int ecp_http_run(struct ecp_http_client *c, struct ecp_err *err)
{
    long long now, last_progress = ecp_clock_ms();
    CURLMcode mc = CURLM_OK;
    int still;

    if (c->running)
        return ecp_err_set(err, "ecp_http_run: called from one of its own "
                           "callbacks");
    c->running = 1;
    for (;;) {
        now = ecp_clock_ms();
        while (c->ndelayed && c->delayed[0]->wake_ms <= now)
            queue_push(&c->retries, heap_pop(c));
        while ((c->retries.head || c->fresh.head) &&
               c->stats.in_flight < (unsigned long)c->max_parallel)
            start_attempt(c, ready_pop(c));
        if (!c->retries.head && !c->fresh.head && !c->ndelayed &&
            !c->stats.in_flight)
            break;

        mc = curl_multi_perform(c->multi, &still);
        if (mc != CURLM_OK)
            break;
        int finished = collect(c);

        now = ecp_clock_ms();
        if (c->progress && now - last_progress >= PROGRESS_MS) {
            report_progress(c);
            last_progress = now;
        }
        if (finished)
            continue;       /* slots are free: fill them before waiting */
        /* Sockets, libcurl's own timers, or the timeout: a call waiting
         * for its retry never holds up the transfers. */
        mc = curl_multi_poll(c->multi, NULL, 0,
                             poll_timeout(c, now, last_progress), NULL);
        if (mc != CURLM_OK)
            break;
    }
    c->running = 0;
    if (mc != CURLM_OK)
        return ecp_err_set(err, "libcurl: %s", curl_multi_strerror(mc));
    return 0;
}

int ecp_http_submit(struct ecp_http_client *c,
                    const struct ecp_http_call_ops *ops, void *ud)
{
    struct call *call;

    if (!c || !ops || !ops->prepare || !ops->done)
        return -1;
    call = ecp_calloc(1, sizeof *call);
    call->ops = ops;
    call->ud = ud;
    queue_push(&c->fresh, call);
    c->stats.calls++;
    return 0;
}

void ecp_http_stats(const struct ecp_http_client *c,
                    struct ecp_http_stats *stats)
{
    *stats = c->stats;
    stats->queued = c->retries.n + c->fresh.n + c->ndelayed;
}

void ecp_http_set_progress(struct ecp_http_client *c, ecp_http_progress_fn fn,
                           void *ud)
{
    c->progress = fn;
    c->progress_ud = ud;
}

struct ecp_http_client *ecp_http_client_new(const struct ecp_http_options *opts,
                                            struct ecp_err *err)
{
    struct ecp_http_options o = { 0 };
    struct ecp_http_client *c;

    if (opts)
        o = *opts;
    if (o.max_parallel < 0 || o.max_parallel > MAX_PARALLEL) {
        ecp_err_set(err, "HTTP client: max_parallel %d is out of range "
                    "(1 to %d)", o.max_parallel, MAX_PARALLEL);
        return NULL;
    }
    if (o.connect_timeout_ms < 0 || o.request_timeout_ms < 0) {
        ecp_err_set(err, "HTTP client: a timeout is negative");
        return NULL;
    }
    if (o.ca_bundle && access(o.ca_bundle, R_OK) != 0) {
        ecp_err_set(err, "CA bundle %s: %s", o.ca_bundle, strerror(errno));
        return NULL;
    }
    if (o.user_agent && has_line_break(o.user_agent)) {
        ecp_err_set(err, "HTTP client: the user agent holds a line break");
        return NULL;
    }
    pthread_once(&global_once, global_init);
    if (global_rc != CURLE_OK) {
        ecp_err_set(err, "libcurl: cannot initialise: %s",
                    curl_easy_strerror(global_rc));
        return NULL;
    }

    c = ecp_calloc(1, sizeof *c);
    c->multi = curl_multi_init();
    if (!c->multi) {
        free(c);
        ecp_err_set(err, "libcurl: cannot create a multi handle");
        return NULL;
    }
    c->max_parallel = o.max_parallel ? o.max_parallel : DEFAULT_PARALLEL;
    c->connect_ms = o.connect_timeout_ms ? o.connect_timeout_ms
                                         : DEFAULT_CONNECT_MS;
    c->request_ms = o.request_timeout_ms ? o.request_timeout_ms
                                         : DEFAULT_REQUEST_MS;
    c->max_body = o.max_body ? o.max_body : DEFAULT_MAX_BODY;
    c->ca_bundle = o.ca_bundle ? ecp_strdup(o.ca_bundle) : NULL;
    c->user_agent = ecp_strdup(o.user_agent ? o.user_agent
                                            : "ecpolicy/" ECP_VERSION);
    c->pool = ecp_calloc((size_t)c->max_parallel, sizeof *c->pool);
    /* Keep one idle connection per transfer slot for reuse; HTTP/1.1
     * only, so nothing is multiplexed. */
    curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)c->max_parallel);
    curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_NOTHING);
    return c;
}

void ecp_http_client_free(struct ecp_http_client *c)
{
    struct call *call;

    if (!c)
        return;
    while ((call = ready_pop(c)))
        free_call(call);
    while (c->ndelayed)
        free_call(heap_pop(c));
    while ((call = c->flying)) {
        flying_remove(c, call);
        curl_multi_remove_handle(c->multi, call->easy);
        curl_easy_cleanup(call->easy);
        free_call(call);
    }
    while (c->npool)
        curl_easy_cleanup(c->pool[--c->npool]);
    curl_multi_cleanup(c->multi);
    free(c->pool);
    free(c->delayed);
    free(c->ca_bundle);
    free(c->user_agent);
    free(c);
}
