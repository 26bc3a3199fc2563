#ifndef ECP_TESTS_HTTP_JOB_H
#define ECP_TESTS_HTTP_JOB_H

/*
 * A caller of the HTTP transport (aws/http.h) that records what happened
 * to each call, for tests against fakeaws.h's server: struct job is one
 * call, with the times each attempt was prepared and decided, the delays
 * ecp_retry_next asked for, and the final reply, taken whole.  Every call
 * sends a token header that stands for a secret (SECRET); it must never
 * show up in an error.
 *
 *     struct job j;
 *     struct ecp_retry r;
 *
 *     fast_retry(&r);
 *     one_call(&j, &server, 0, "Hello", &r, 10000, 0, NULL);
 *     CHECK(j.attempts == 1 && j.r.status == 200, "...");
 *     job_free(&j);
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/http.h"
#include "fakeaws.h"
#include "harness.h"

/* Attempts recorded per call. */
#define MAXA 8
/* The token every call sends: compared, never printed. */
#define SECRET "SECRET-TOKEN-VALUE-never-printed"

/* ---- a caller: one job per call ---- */

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const char *const headers[] = {
    "Content-Type: application/x-www-form-urlencoded; charset=utf-8",
    "X-Amz-Security-Token: " SECRET,
    NULL
};

struct job {
    char url[128], body[256];
    const char *const *headers;
    struct ecp_retry *retry;
    struct ecp_retry_call rcall;
    const char *method;         /* NULL: POST */
    int abort_at;               /* prepare refuses this attempt */
    void (*then)(struct job *); /* done() calls it: chaining */
    struct ecp_http_client *client;
    /* what happened */
    int attempts, finished;
    struct ecp_http_reply r;    /* the final reply, taken whole */
    const char *why;
    long delay[MAXA + 1];
    double decided[MAXA + 1], prepared[MAXA + 1], done_at;
};

static void job_init(struct job *j, const struct server *s, int tls,
                     const char *action, struct ecp_retry *retry)
{
    memset(j, 0, sizeof *j);
    snprintf(j->url, sizeof j->url, "%s://127.0.0.1:%d/",
             tls ? "https" : "http", s->port);
    snprintf(j->body, sizeof j->body, "Action=%s&Version=2015-02-02",
             action);
    j->headers = headers;
    j->retry = retry;
}

/* A fresh job for the same server, body and caller as j. */
static void job_like(struct job *n, const struct job *j)
{
    memset(n, 0, sizeof *n);
    memcpy(n->url, j->url, sizeof n->url);
    memcpy(n->body, j->body, sizeof n->body);
    n->headers = j->headers;
    n->retry = j->retry;
    n->then = j->then;
    n->client = j->client;
}

static int job_prepare(void *ud, int attempt, struct ecp_http_request *req)
{
    struct job *j = ud;

    if (attempt == j->abort_at)
        return -1;
    if (attempt <= MAXA)
        j->prepared[attempt] = now_ms();
    req->method = j->method;
    req->url = j->url;
    req->headers = j->headers;
    req->body = j->body;
    req->body_len = strlen(j->body);
    return 0;
}

/* The text between the first open and close in s goes to out (a test's
 * shortcut for the XML reader); returns where close ends, or NULL. */
static const char *element(const char *s, const char *open,
                           const char *close, char *out, size_t size)
{
    const char *a = s ? strstr(s, open) : NULL, *b;

    if (!a || !(b = strstr(a += strlen(open), close)) ||
        (size_t)(b - a) >= size)
        return NULL;
    memcpy(out, a, (size_t)(b - a));
    out[b - a] = '\0';
    return b + strlen(close);
}

static long job_decide(void *ud, int attempt, const struct ecp_http_reply *r)
{
    struct job *j = ud;
    char code[64];
    const char *c = r->status >= 300 && element(r->body, "<Code>", "</Code>",
                                                code, sizeof code)
                    ? code : NULL;
    enum ecp_retry_class cls = ecp_retry_classify(r->status, c, r->transport,
                                                  r->timed_out);
    long d = ecp_retry_next(j->retry, &j->rcall, attempt, cls, &j->why);

    if (attempt <= MAXA) {
        j->delay[attempt] = d;
        j->decided[attempt] = now_ms();
    }
    return d;
}

static void job_done(void *ud, struct ecp_http_reply *r, int attempts)
{
    struct job *j = ud;

    j->finished++;
    j->attempts = attempts;
    j->r = *r;
    r->body = r->date = r->request_id = NULL;   /* taken */
    j->done_at = now_ms();
    if (j->then)
        j->then(j);
}

static void job_free(struct job *j)
{
    free(j->r.body);
    free(j->r.request_id);
    free(j->r.date);
    j->r.body = j->r.request_id = j->r.date = NULL;
}

static const struct ecp_http_call_ops ops = { job_prepare, job_decide,
                                              job_done };
static const struct ecp_http_call_ops one_shot = { job_prepare, NULL,
                                                   job_done };

static struct ecp_http_client *client(int parallel, long timeout_ms,
                                      size_t max_body, const char *ca)
{
    struct ecp_http_options o = { .max_parallel = parallel,
                                  .request_timeout_ms = timeout_ms,
                                  .ca_bundle = ca, .max_body = max_body };
    struct ecp_err err = { { 0 } };
    struct ecp_http_client *c = ecp_http_client_new(&o, &err);

    if (!c) {
        printf("not ok - ecp_http_client_new: %s\n", err.msg);
        exit(1);
    }
    return c;
}

static int run(struct ecp_http_client *c)
{
    struct ecp_err err = { { 0 } };
    int rc = ecp_http_run(c, &err);

    if (rc != 0)
        printf("# ecp_http_run: %s\n", err.msg);
    return rc;
}

/* One call through a client of its own, so its first attempt opens a
 * fresh connection (libcurl quietly resends a request once when a reused
 * connection turns out dead, which would hide an attempt from the
 * server's count). */
static void one_call(struct job *j, const struct server *s, int tls,
                     const char *action, struct ecp_retry *retry,
                     long timeout_ms, size_t max_body, const char *ca)
{
    struct ecp_http_client *c = client(2, timeout_ms, max_body, ca);

    job_init(j, s, tls, action, retry);
    ecp_http_submit(c, &ops, j);
    CHECK(run(c) == 0 && j->finished == 1 && !strstr(j->r.error, SECRET),
          "%s: finished once; the error shows no header", action);
    ecp_http_client_free(c);
}

static void fast_retry(struct ecp_retry *r)
{
    ecp_retry_init(r);
    r->base_ms = 20;
}

/* Run one call on c and come back with its job. */
static void call_on(struct ecp_http_client *c, struct job *j)
{
    ecp_http_submit(c, &ops, j);
    run(c);
}

#endif
