#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/retry.h"

/* botocore retries/standard.py and the JS SDK's service-error
 * classification (which adds EC2ThrottledException). */
static const char *const throttling_codes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "EC2ThrottledException",
    NULL
};

static const char *const transient_codes[] = {
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
    NULL
};

static int in_list(const char *const *list, const char *code)
{
    if (!code)
        return 0;
    for (; *list; list++)
        if (strcmp(*list, code) == 0)
            return 1;
    return 0;
}

int ecp_retry_is_throttling_code(const char *code)
{
    return in_list(throttling_codes, code);
}

enum ecp_retry_class ecp_retry_classify(long status, const char *code,
                                        enum ecp_transport_error transport,
                                        int timed_out)
{
    if (timed_out)
        return ECP_RETRY_TIMEOUT;
    if (transport == ECP_TRANSPORT_FATAL)
        return ECP_RETRY_NOT_RETRYABLE;
    if (transport == ECP_TRANSPORT_CONNECTION)
        return ECP_RETRY_TRANSIENT;
    if (in_list(throttling_codes, code))
        return ECP_RETRY_THROTTLING;
    if (in_list(transient_codes, code))
        return ECP_RETRY_TRANSIENT;
    if (status >= 200 && status <= 299)
        return ECP_RETRY_SUCCESS;
    if (status == 500 || status == 502 || status == 503 || status == 504)
        return ECP_RETRY_TRANSIENT;
    return ECP_RETRY_NOT_RETRYABLE;
}

const char *ecp_retry_class_name(enum ecp_retry_class cls)
{
    switch (cls) {
    case ECP_RETRY_SUCCESS: return "success";
    case ECP_RETRY_NOT_RETRYABLE: return "not retryable";
    case ECP_RETRY_TRANSIENT: return "transient";
    case ECP_RETRY_THROTTLING: return "throttling";
    case ECP_RETRY_TIMEOUT: return "timeout";
    }
    return "unknown";
}

double ecp_retry_xorshift(void *state)
{
    uint64_t *s = state, x = *s;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    /* The top 53 bits make a double in [0, 1). */
    return (double)((x * UINT64_C(0x2545F4914F6CDD1D)) >> 11) * 0x1.0p-53;
}

/* Jitter needs unpredictability between processes, not secrecy; the
 * fallback only has to differ from run to run. */
static uint64_t fresh_seed(void)
{
    uint64_t seed = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

    if (fd >= 0) {
        if (read(fd, &seed, sizeof seed) != (ssize_t)sizeof seed)
            seed = 0;
        close(fd);
    }
    if (seed == 0) {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        seed = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^
               (uint64_t)getpid() << 32;
    }
    return seed ? seed : UINT64_C(0x9E3779B97F4A7C15);
}

void ecp_retry_init(struct ecp_retry *r)
{
    memset(r, 0, sizeof *r);
    r->max_attempts = ECP_RETRY_MAX_ATTEMPTS;
    r->base_ms = ECP_RETRY_BASE_MS;
    r->max_backoff_ms = ECP_RETRY_MAX_BACKOFF_MS;
    r->quota = ECP_RETRY_QUOTA;
    r->seed = fresh_seed();
    r->random = ecp_retry_xorshift;
    r->random_state = NULL;
}

void ecp_retry_set_random(struct ecp_retry *r, ecp_random_fn fn, void *state)
{
    r->random = fn;
    r->random_state = state;
}

long ecp_retry_ceiling_ms(const struct ecp_retry *r, int attempt)
{
    long cap = r->max_backoff_ms, ceiling = r->base_ms;

    if (ceiling <= 0 || cap <= 0)
        return 0;
    /* Double step by step and stop at the cap: no shift can overflow. */
    for (int i = 1; i < attempt && ceiling < cap; i++)
        ceiling = ceiling > cap / 2 ? cap : ceiling * 2;
    return ceiling < cap ? ceiling : cap;
}

static void refund(struct ecp_retry *r, int tokens)
{
    r->quota += tokens;
    if (r->quota > ECP_RETRY_QUOTA)
        r->quota = ECP_RETRY_QUOTA;
}

static long finish(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return -1;
}

long ecp_retry_next(struct ecp_retry *r, struct ecp_retry_call *call,
                    int attempt, enum ecp_retry_class cls, const char **why)
{
    int cost;
    double u;

    if (cls == ECP_RETRY_SUCCESS) {
        refund(r, call->last_cost ? call->last_cost
                                  : ECP_RETRY_NO_RETRY_REFUND);
        call->last_cost = 0;
        return finish(why, NULL);
    }
    if (cls == ECP_RETRY_NOT_RETRYABLE)
        return finish(why, "not retryable");
    if (attempt >= r->max_attempts)
        return finish(why, "the attempts ran out");
    cost = cls == ECP_RETRY_TIMEOUT ? ECP_RETRY_TIMEOUT_COST : ECP_RETRY_COST;
    if (cost > r->quota)
        return finish(why, "the retry quota is empty");
    r->quota -= cost;
    call->last_cost = cost;

    u = r->random ? r->random(r->random_state ? r->random_state : &r->seed)
                  : 0.0;
    /* A foreign source may stray outside [0, 1); the delay must not. */
    if (!(u >= 0.0))
        u = 0.0;
    if (u >= 1.0)
        u = 1.0;
    if (why)
        *why = NULL;
    return (long)(u * (double)ecp_retry_ceiling_ms(r, attempt));
}
