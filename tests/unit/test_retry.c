/* The standard retry mode: the classifier, the backoff bounds and the
 * retry quota, with fixed random sources so every number is exact. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "aws/retry.h"
#include "harness.h"

static double fixed(void *state)
{
    return *(double *)state;
}

static void classify(void)
{
    static const char *const throttling[] = {
        "Throttling", "ThrottlingException", "ThrottledException",
        "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException",
        "RequestThrottled", "SlowDown", "EC2ThrottledException", NULL
    };
    static const char *const not_retryable[] = {
        "AccessDenied", "AccessDeniedException", "ValidationError",
        "InvalidParameterValue", "InvalidParameterCombination",
        "DryRunOperation", "UnauthorizedOperation", "AuthFailure",
        "CacheClusterNotFound", "throttling", "", NULL
    };

    for (int i = 0; throttling[i]; i++)
        CHECK(ecp_retry_classify(400, throttling[i], ECP_TRANSPORT_NONE, 0)
              == ECP_RETRY_THROTTLING, "%s is throttling", throttling[i]);
    CHECK(ecp_retry_classify(503, "RequestLimitExceeded", ECP_TRANSPORT_NONE,
                             0) == ECP_RETRY_THROTTLING,
          "EC2's RequestLimitExceeded on 503 is throttling, not transient");
    for (int i = 0; not_retryable[i]; i++)
        CHECK(ecp_retry_classify(400, not_retryable[i], ECP_TRANSPORT_NONE,
                                 0) == ECP_RETRY_NOT_RETRYABLE,
              "400 '%s' is not retryable", not_retryable[i]);
    CHECK(ecp_retry_classify(412, "DryRunOperation", ECP_TRANSPORT_NONE, 0)
          == ECP_RETRY_NOT_RETRYABLE, "412 DryRunOperation is not retryable");
    CHECK(ecp_retry_classify(403, NULL, ECP_TRANSPORT_NONE, 0)
          == ECP_RETRY_NOT_RETRYABLE, "403 without a code is not retryable");
    CHECK(ecp_retry_classify(404, NULL, ECP_TRANSPORT_NONE, 0)
          == ECP_RETRY_NOT_RETRYABLE, "404 is not retryable");

    long transient_status[] = { 500, 502, 503, 504 };
    for (int i = 0; i < 4; i++)
        CHECK(ecp_retry_classify(transient_status[i], NULL,
                                 ECP_TRANSPORT_NONE, 0)
              == ECP_RETRY_TRANSIENT, "HTTP %ld is transient",
              transient_status[i]);
    CHECK(ecp_retry_classify(500, "InternalFailure", ECP_TRANSPORT_NONE, 0)
          == ECP_RETRY_TRANSIENT, "500 InternalFailure is transient");
    CHECK(ecp_retry_classify(501, NULL, ECP_TRANSPORT_NONE, 0)
          == ECP_RETRY_NOT_RETRYABLE, "501 is not retryable");
    CHECK(ecp_retry_classify(505, NULL, ECP_TRANSPORT_NONE, 0)
          == ECP_RETRY_NOT_RETRYABLE, "505 is not retryable");
    CHECK(ecp_retry_classify(400, "RequestTimeout", ECP_TRANSPORT_NONE, 0)
          == ECP_RETRY_TRANSIENT, "RequestTimeout is transient");
    CHECK(ecp_retry_classify(400, "RequestTimeoutException",
                             ECP_TRANSPORT_NONE, 0) == ECP_RETRY_TRANSIENT,
          "RequestTimeoutException is transient");
    CHECK(ecp_retry_classify(400, "PriorRequestNotComplete",
                             ECP_TRANSPORT_NONE, 0) == ECP_RETRY_TRANSIENT,
          "PriorRequestNotComplete is transient");

    CHECK(ecp_retry_classify(0, NULL, ECP_TRANSPORT_CONNECTION, 0)
          == ECP_RETRY_TRANSIENT, "a connection error is transient");
    CHECK(ecp_retry_classify(0, NULL, ECP_TRANSPORT_FATAL, 0)
          == ECP_RETRY_NOT_RETRYABLE,
          "a TLS or size failure is not retryable");
    CHECK(ecp_retry_classify(0, NULL, ECP_TRANSPORT_CONNECTION, 1)
          == ECP_RETRY_TIMEOUT, "a timeout wins over the transport error");
    CHECK(ecp_retry_classify(200, NULL, ECP_TRANSPORT_CONNECTION, 0)
          == ECP_RETRY_TRANSIENT,
          "a 200 whose body was cut short is not a success");

    CHECK(ecp_retry_classify(200, NULL, ECP_TRANSPORT_NONE, 0)
          == ECP_RETRY_SUCCESS, "200 is a success");
    CHECK(ecp_retry_classify(204, NULL, ECP_TRANSPORT_NONE, 0)
          == ECP_RETRY_SUCCESS, "204 is a success");
    CHECK(ecp_retry_classify(301, NULL, ECP_TRANSPORT_NONE, 0)
          == ECP_RETRY_NOT_RETRYABLE, "a redirect is not retryable");
    CHECK(ecp_retry_classify(0, NULL, ECP_TRANSPORT_NONE, 0)
          == ECP_RETRY_NOT_RETRYABLE,
          "no status and no transport error is not retried");

    CHECK_STR(ecp_retry_class_name(ECP_RETRY_THROTTLING), "throttling",
              "class names");
    CHECK_STR(ecp_retry_class_name(ECP_RETRY_NOT_RETRYABLE), "not retryable",
              "class names: not retryable");
    CHECK(ecp_retry_is_throttling_code("SlowDown") &&
          !ecp_retry_is_throttling_code(NULL) &&
          !ecp_retry_is_throttling_code("PriorRequestNotComplete"),
          "ecp_retry_is_throttling_code");
}

static void backoff(void)
{
    struct ecp_retry r;
    struct ecp_retry_call call = { 0 };
    double half = 0.5, top = 0.999999, zero = 0.0;
    const char *why = "unset";

    ecp_retry_init(&r);
    CHECK(r.max_attempts == 3 && r.base_ms == 1000 &&
          r.max_backoff_ms == 20000 && r.quota == 500, "the defaults");

    /* The ceilings: 1, 2, 4, 8, 16, then 20 s for ever. */
    long want[] = { 1000, 2000, 4000, 8000, 16000, 20000, 20000 };
    for (int a = 1; a <= 7; a++)
        CHECK(ecp_retry_ceiling_ms(&r, a) == want[a - 1],
              "the ceiling after attempt %d is %ld ms", a, want[a - 1]);
    CHECK(ecp_retry_ceiling_ms(&r, 1000000) == 20000,
          "a huge attempt number stays at the cap");

    r.max_attempts = 100;
    ecp_retry_set_random(&r, fixed, &half);
    CHECK(ecp_retry_next(&r, &call, 1, ECP_RETRY_THROTTLING, &why) == 500 &&
          !why, "half of the first ceiling");
    CHECK(ecp_retry_next(&r, &call, 3, ECP_RETRY_TRANSIENT, NULL) == 2000,
          "half of the third ceiling");
    CHECK(ecp_retry_next(&r, &call, 9, ECP_RETRY_TRANSIENT, NULL) == 10000,
          "half of the cap");
    ecp_retry_set_random(&r, fixed, &top);
    CHECK(ecp_retry_next(&r, &call, 9, ECP_RETRY_TRANSIENT, NULL) == 19999,
          "the delay stays below the cap");
    ecp_retry_set_random(&r, fixed, &zero);
    CHECK(ecp_retry_next(&r, &call, 2, ECP_RETRY_TRANSIENT, NULL) == 0,
          "full jitter can retry at once");

    /* A tiny base, as the HTTP tests use. */
    r.base_ms = 4;
    ecp_retry_set_random(&r, fixed, &half);
    CHECK(ecp_retry_next(&r, &call, 1, ECP_RETRY_TRANSIENT, NULL) == 2 &&
          ecp_retry_next(&r, &call, 2, ECP_RETRY_TRANSIENT, NULL) == 4,
          "the base is settable");

    /* A source that strays outside [0, 1) is clamped. */
    double wild = 7.0;
    ecp_retry_set_random(&r, fixed, &wild);
    CHECK(ecp_retry_next(&r, &call, 1, ECP_RETRY_TRANSIENT, NULL) == 4,
          "a random value above 1 is clamped to the ceiling");
    wild = -3.0;
    CHECK(ecp_retry_next(&r, &call, 1, ECP_RETRY_TRANSIENT, NULL) == 0,
          "a negative random value is clamped to 0");

    /* The default source stays within the bounds and varies. */
    ecp_retry_init(&r);
    r.max_attempts = 1000;
    int in_bounds = 1, distinct = 0;
    long first = -2;
    for (int i = 0; i < 2000; i++) {
        struct ecp_retry_call c = { 0 };
        int attempt = 1 + i % 6;
        long d = ecp_retry_next(&r, &c, attempt, ECP_RETRY_THROTTLING, NULL);

        if (d < 0 || d > ecp_retry_ceiling_ms(&r, attempt))
            in_bounds = 0;
        if (first == -2)
            first = d;
        else if (d != first)
            distinct = 1;
        ecp_retry_next(&r, &c, attempt + 1, ECP_RETRY_SUCCESS, NULL);
    }
    CHECK(in_bounds, "the default source's delays stay within the ceilings");
    CHECK(distinct, "the default source varies");

    /* A copy draws from its own seed, not from the original's. */
    struct ecp_retry copy = r;
    struct ecp_retry_call c2 = { 0 };
    uint64_t before = copy.seed;
    memset(&r, 0, sizeof r);
    CHECK(ecp_retry_next(&copy, &c2, 1, ECP_RETRY_TRANSIENT, NULL) <= 1000 &&
          copy.seed != before, "a copied struct keeps working");

    uint64_t s = 42;
    int unit = 1;
    for (int i = 0; i < 10000; i++) {
        double u = ecp_retry_xorshift(&s);

        if (!(u >= 0.0 && u < 1.0))
            unit = 0;
    }
    CHECK(unit, "xorshift stays in [0, 1)");
}

static void attempts(void)
{
    struct ecp_retry r;
    struct ecp_retry_call call = { 0 };
    double half = 0.5;
    const char *why = NULL;

    ecp_retry_init(&r);
    ecp_retry_set_random(&r, fixed, &half);
    CHECK(ecp_retry_next(&r, &call, 1, ECP_RETRY_THROTTLING, &why) >= 0,
          "attempt 1 of 3 is retried");
    CHECK(ecp_retry_next(&r, &call, 2, ECP_RETRY_THROTTLING, &why) >= 0,
          "attempt 2 of 3 is retried");
    CHECK(ecp_retry_next(&r, &call, 3, ECP_RETRY_THROTTLING, &why) == -1,
          "attempt 3 of 3 is the last");
    CHECK_STR(why, "the attempts ran out", "why it stopped");
    CHECK(r.quota == 490, "two retries took 10 tokens (%d left)", r.quota);

    call.last_cost = 0;
    CHECK(ecp_retry_next(&r, &call, 1, ECP_RETRY_NOT_RETRYABLE, &why) == -1,
          "a non-retryable error is final");
    CHECK_STR(why, "not retryable", "why it stopped: not retryable");
    CHECK(r.quota == 490, "a final error costs nothing");

    why = "unset";
    CHECK(ecp_retry_next(&r, &call, 1, ECP_RETRY_SUCCESS, &why) == -1 && !why,
          "a success is final, with no reason");

    r.max_attempts = 1;
    CHECK(ecp_retry_next(&r, &call, 1, ECP_RETRY_TRANSIENT, &why) == -1,
          "max_attempts 1 never retries");
}

static void quota(void)
{
    struct ecp_retry r;
    double half = 0.5;
    const char *why = NULL;

    ecp_retry_init(&r);
    ecp_retry_set_random(&r, fixed, &half);
    r.max_attempts = 1000;

    /* A first-try success refunds 1, never above 500. */
    struct ecp_retry_call c = { 0 };
    ecp_retry_next(&r, &c, 1, ECP_RETRY_SUCCESS, NULL);
    CHECK(r.quota == 500, "the bucket never grows past 500");

    /* A retry costs 5, a timeout 10. */
    ecp_retry_next(&r, &c, 1, ECP_RETRY_TRANSIENT, NULL);
    CHECK(r.quota == 495 && c.last_cost == 5, "a retry costs 5");
    ecp_retry_next(&r, &c, 2, ECP_RETRY_TIMEOUT, NULL);
    CHECK(r.quota == 485 && c.last_cost == 10, "a timeout retry costs 10");
    /* Success after retries gives back the latest retry's cost. */
    ecp_retry_next(&r, &c, 3, ECP_RETRY_SUCCESS, NULL);
    CHECK(r.quota == 495 && c.last_cost == 0,
          "success after retries refunds the latest cost (%d)", r.quota);
    struct ecp_retry_call d = { 0 };
    ecp_retry_next(&r, &d, 1, ECP_RETRY_SUCCESS, NULL);
    CHECK(r.quota == 496, "a first-try success refunds 1");

    /* Drain it: 496 / 5 = 99 retries, then the bucket is too low. */
    int granted = 0;
    for (int i = 0; i < 200; i++) {
        struct ecp_retry_call e = { 0 };

        if (ecp_retry_next(&r, &e, 1, ECP_RETRY_THROTTLING, &why) >= 0)
            granted++;
    }
    CHECK(granted == 99, "the bucket grants 99 retries of 5 (got %d)",
          granted);
    CHECK(r.quota == 1, "1 token left");
    CHECK_STR(why, "the retry quota is empty", "why it stopped: the quota");
    struct ecp_retry_call f = { 0 };
    CHECK(ecp_retry_next(&r, &f, 1, ECP_RETRY_TIMEOUT, NULL) == -1,
          "an empty bucket refuses a timeout retry too");

    /* First-try successes fill it again, one token each. */
    for (int i = 0; i < 9; i++) {
        struct ecp_retry_call g = { 0 };

        ecp_retry_next(&r, &g, 1, ECP_RETRY_SUCCESS, NULL);
    }
    CHECK(r.quota == 10, "nine successes add nine tokens");
    CHECK(ecp_retry_next(&r, &f, 1, ECP_RETRY_TIMEOUT, NULL) >= 0 &&
          r.quota == 0, "10 tokens pay for a timeout retry");
    CHECK(ecp_retry_next(&r, &f, 2, ECP_RETRY_TRANSIENT, NULL) == -1,
          "and then the bucket is empty");
}

int main(void)
{
    classify();
    backoff();
    attempts();
    quota();
    return harness_done();
}
