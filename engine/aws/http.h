#ifndef ECP_AWS_HTTP_H
#define ECP_AWS_HTTP_H

#include <stddef.h>

#include "aws/retry.h"
#include "util/err.h"

/*
 * The HTTP transport: one libcurl multi handle running many calls at once
 * in one thread, at most max_parallel transfers at a time, connections
 * kept and reused between transfers (libcurl's connection cache, one per
 * client), HTTP/1.1 only, TLS always verified (peer and host name; there
 * is no option to turn that off).
 *
 * A call is one logical request and all its attempts.  The caller's
 * prepare() fills the request for each attempt (so each attempt can be
 * signed afresh), and decide() says after each attempt whether to try
 * again and after how long (see aws/retry.h); the loop waits for those
 * delays inside curl_multi_poll, so a call waiting to retry never holds up
 * the others.  done() gets the final reply.
 *
 * Proxies: libcurl's own environment handling applies: https_proxy (or
 * HTTPS_PROXY), http_proxy, ALL_PROXY and NO_PROXY.  Unlike the AWS CLI,
 * an upper-case HTTP_PROXY is ignored (libcurl does that on purpose); AWS
 * endpoints are https anyway.  Nothing else in the environment is read
 * here: the caller reads AWS_CA_BUNDLE.  Replies are never compressed
 * (no Accept-Encoding is sent), so max_body bounds the memory they take.
 *
 * A first attempt can reach the server more than once: when a kept-alive
 * connection turns out to have been closed before any reply byte came,
 * libcurl sends the request again on another connection, within the same
 * attempt (as the SDKs' HTTP stacks do; libcurl gives up after 5).  Every
 * later attempt opens a new connection, so it is sent once.
 *
 * Nothing here prints, logs or keeps request headers: they carry the
 * signature and the session token.  Reply error texts are curl's words
 * or ours, never a header value or a body.  The copies of the headers
 * handed to libcurl are wiped when an attempt ends.
 */

struct ecp_http_options {
    int max_parallel;           /* transfers at once; 0: 64 */
    long connect_timeout_ms;    /* 0: 5000 */
    long request_timeout_ms;    /* one attempt, start to end; 0: 30000 */
    const char *ca_bundle;      /* PEM file to trust instead of the system
                                 * store; NULL: libcurl's default */
    size_t max_body;            /* bigger replies fail; 0: 1 GiB */
    const char *user_agent;     /* NULL: "ecpolicy/VERSION" */
};

/* One attempt's request.  Every pointer stays the caller's and must stay
 * valid until decide() (or done()) for that attempt returns. */
struct ecp_http_request {
    const char *method;         /* "POST", "GET", "PUT"...; NULL: POST */
    const char *url;
    const char *const *headers; /* "Name: value", NULL-terminated; may be
                                 * NULL */
    const char *body;           /* may be NULL when body_len is 0 */
    size_t body_len;
};

/* One attempt's outcome.  Whenever the transfer failed (curl_code != 0)
 * status is 0 and the body is empty: a reply cut short is never handed on
 * as if it were whole. */
struct ecp_http_reply {
    long status;                /* 0 when no (whole) HTTP reply */
    char *body;                 /* NUL-terminated, never NULL */
    size_t len;
    char *date;                 /* the Date header, or NULL */
    char *request_id;           /* x-amzn-RequestId / x-amz-request-id, or
                                 * NULL; both printable ASCII, bounded */
    int curl_code;              /* CURLcode; 0: the transfer worked */
    enum ecp_transport_error transport; /* what curl_code means for a
                                         * retry */
    char error[256];            /* "" or what went wrong, for people */
    int timed_out;              /* the attempt hit a timeout */
    double seconds;             /* this attempt's duration */
};

struct ecp_http_call_ops {
    /* Fill req for attempt number `attempt` (1 for the first).  Nonzero
     * aborts the call: done() follows with status 0, curl_code 0 and the
     * error "the call was abandoned before attempt N". */
    int (*prepare)(void *ud, int attempt, struct ecp_http_request *req);
    /* After each attempt: milliseconds to wait before the next attempt
     * (0 or more), or -1 when the call is finished.  May be NULL: every
     * call then has one attempt. */
    long (*decide)(void *ud, int attempt, const struct ecp_http_reply *reply);
    /* The final reply and how many attempts were sent.  The callee may take
     * reply->body (and date, request_id) by setting the pointer to NULL;
     * the rest is freed when done() returns.  done() may submit new calls
     * (the next page); it must not run or free the client. */
    void (*done)(void *ud, struct ecp_http_reply *reply, int attempts);
};

struct ecp_http_stats {
    unsigned long calls;        /* submitted */
    unsigned long attempts;     /* transfers started */
    unsigned long retries;      /* attempts after a call's first */
    unsigned long in_flight;    /* transfers running now */
    unsigned long queued;       /* calls waiting to start or to retry */
    unsigned long done;         /* calls finished */
};

typedef void (*ecp_http_progress_fn)(void *ud,
                                     const struct ecp_http_stats *stats);

struct ecp_http_client;

/* A new client (free with ecp_http_client_free), or NULL and err set for
 * an option out of range or an unreadable CA bundle.  opts may be NULL
 * (all defaults); the client copies the strings.  The first client
 * initialises libcurl for the process. */
struct ecp_http_client *ecp_http_client_new(const struct ecp_http_options *opts,
                                            struct ecp_err *err);

/* Queue a call; it starts when ecp_http_run gets to it.  ops must outlive
 * the call; ud stays the caller's.  Returns -1 only for missing ops
 * (prepare and done are required). */
int ecp_http_submit(struct ecp_http_client *c,
                    const struct ecp_http_call_ops *ops, void *ud);

/* Run until every call (including calls submitted meanwhile) is done.
 * Returns 0, or -1 and err set if libcurl's multi interface itself failed
 * or run was called from a callback; calls not yet done stay queued. */
int ecp_http_run(struct ecp_http_client *c, struct ecp_err *err);

void ecp_http_stats(const struct ecp_http_client *c,
                    struct ecp_http_stats *stats);

/* Called from the loop at most every 100 ms while calls are running, for
 * the caller's progress line.  fn NULL: none. */
void ecp_http_set_progress(struct ecp_http_client *c, ecp_http_progress_fn fn,
                           void *ud);

/* Free the client.  Calls not yet done are dropped without done() (their
 * ud stays the caller's); no callback runs. */
void ecp_http_client_free(struct ecp_http_client *c);

#endif
