#ifndef ECP_AWS_RETRY_H
#define ECP_AWS_RETRY_H

#include <stdint.h>

/*
 * The AWS SDKs' "standard" retry mode (docs: aws-wire.md section 5, from
 * botocore retries/standard.py and retries/quota.py): which outcomes are
 * worth another attempt, how long to wait (truncated binary exponential
 * backoff with full jitter), and a retry quota that stops a client from
 * retrying into an outage.
 *
 * Nothing here does I/O, sleeps or knows about HTTP libraries: the caller
 * classifies an attempt, asks for the delay and waits however it likes
 * (the HTTP client waits inside its event loop).  Not thread-safe: one
 * struct ecp_retry belongs to one event loop.
 */

/* What happened below HTTP, if anything (filled in by the HTTP client). */
enum ecp_transport_error {
    ECP_TRANSPORT_NONE,         /* a whole HTTP reply came back */
    ECP_TRANSPORT_CONNECTION,   /* refused, reset, truncated, DNS: another
                                 * attempt may work */
    ECP_TRANSPORT_FATAL         /* TLS verification, reply too large, bad
                                 * URL: another attempt cannot work */
};

enum ecp_retry_class {
    ECP_RETRY_SUCCESS,          /* 2xx */
    ECP_RETRY_NOT_RETRYABLE,    /* AccessDenied, validation, other 4xx... */
    ECP_RETRY_TRANSIENT,        /* 500/502/503/504, RequestTimeout...,
                                 * connection errors */
    ECP_RETRY_THROTTLING,       /* Throttling, RequestLimitExceeded... */
    ECP_RETRY_TIMEOUT           /* the attempt ran out of time */
};

/*
 * Classify one attempt.  status is the HTTP status (0: no reply); code is
 * the AWS error code from the reply body, or NULL; transport and timed_out
 * come from the transport.  A timeout wins, then a transport failure, then
 * the error code (throttling codes are recognised whatever the status:
 * EC2 throttles with 503), then the status.  A code that is neither
 * throttling nor transient on a 2xx reply is still a success: the caller
 * only passes a code when the reply is an error.
 */
enum ecp_retry_class ecp_retry_classify(long status, const char *code,
                                        enum ecp_transport_error transport,
                                        int timed_out);

/* "success", "not retryable", "transient", "throttling", "timeout"
 * (static strings). */
const char *ecp_retry_class_name(enum ecp_retry_class cls);

/* Is code one of the standard mode's throttling codes? (NULL: no) */
int ecp_retry_is_throttling_code(const char *code);

/* A source of uniform random numbers in [0, 1). */
typedef double (*ecp_random_fn)(void *state);

#define ECP_RETRY_MAX_ATTEMPTS 3        /* total attempts, the first included */
#define ECP_RETRY_BASE_MS 1000L         /* the first backoff's ceiling */
#define ECP_RETRY_MAX_BACKOFF_MS 20000L /* no delay is ever longer */
#define ECP_RETRY_QUOTA 500             /* the bucket's size */
#define ECP_RETRY_COST 5                /* tokens a retry takes */
#define ECP_RETRY_TIMEOUT_COST 10       /* ...when the attempt timed out */
#define ECP_RETRY_NO_RETRY_REFUND 1     /* tokens a first-try success adds */

/*
 * One client's retry state, shared by all its calls (botocore keeps one
 * quota per client, i.e. per service and region).  The fields may be set
 * after ecp_retry_init, before the first call.
 */
struct ecp_retry {
    int max_attempts;           /* >= 1; default 3 */
    long base_ms;               /* default 1000; tests use a few ms */
    long max_backoff_ms;        /* default 20000 */
    int quota;                  /* tokens left; starts at 500 */
    ecp_random_fn random;       /* default: xorshift64* below */
    void *random_state;         /* NULL: &seed (so the struct may be
                                 * copied) */
    uint64_t seed;              /* the default source's state */
};

/* Defaults, and the default random source seeded from /dev/urandom (the
 * clock and the pid if that cannot be read). */
void ecp_retry_init(struct ecp_retry *r);

/* Use fn(state) instead of the default source (tests pass a fixed one).
 * The state stays the caller's. */
void ecp_retry_set_random(struct ecp_retry *r, ecp_random_fn fn, void *state);

/* The default source: xorshift64* over *(uint64_t *)state, which must not
 * be 0.  Good enough for jitter; never for anything secret. */
double ecp_retry_xorshift(void *state);

/* One logical call's retry bookkeeping; a zeroed struct is a new call. */
struct ecp_retry_call {
    int last_cost;              /* tokens the latest retry took; 0: none */
};

/*
 * After attempt number `attempt` (1 for the first) came out as cls: the
 * delay in milliseconds before the next attempt (0 or more), or -1 when
 * the call is finished.  Takes a retry's tokens from the quota; a success
 * gives back the latest retry's cost, or 1 after a first-try success
 * (botocore quota.py refunds the latest acquisition only, so a call that
 * needed two retries costs 5 in the end), never above 500.
 *
 * The delay is random(0,1) * min(2^(attempt-1) * base_ms, max_backoff_ms).
 * When the call is finished, *why (if why is not NULL) says why in static
 * words: NULL for a success, "not retryable", "the attempts ran out", or
 * "the retry quota is empty".
 */
long ecp_retry_next(struct ecp_retry *r, struct ecp_retry_call *call,
                    int attempt, enum ecp_retry_class cls, const char **why);

/* The delay ceiling for a retry after attempt `attempt`: min(2^(attempt-1)
 * * base_ms, max_backoff_ms).  ecp_retry_next waits a random part of it. */
long ecp_retry_ceiling_ms(const struct ecp_retry *r, int attempt);

#endif
