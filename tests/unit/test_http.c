/* The HTTP transport against tests/server/fakeaws.py on 127.0.0.1 (run
 * by fakeaws.h, called through http_job.h): concurrency bounds, connection
 * reuse, retries with backoff, timeouts, broken replies, the body cap, TLS
 * verification and chained calls. */
#include <cJSON.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "aws/http.h"
#include "fakeaws.h"
#include "harness.h"
#include "http_job.h"
#include "util/buf.h"

/* ---- the scenario: rules for the tests below (' stands for ") ---- */

static const char *const rules[][2] = {
    { "Hello", "{'body': '<HelloResponse>hi</HelloResponse>', 'headers': "
               "{'x-amzn-RequestId': 'req-hello-1'}}" },
    { "Plain", "{'body': 'plain'}" },
    { "Slow", "{'delay': 0.25, 'body': 'slow'}" },
    { "Hop", "{'delay': 0.05}" },
    { "Quick", "{'body': 'q'}" },
    { "ThrottleTwice", "{'error': {'code': 'Throttling'}}, {'error': "
                       "{'code': 'ThrottlingException'}}, {'body': 'ok'}" },
    { "ThrottleFirst", "{'error': {'code': 'Throttling'}}, {'body': 'ok'}" },
    { "AbortLater", "{'error': {'code': 'SlowDown'}}" },
    { "DownOnce", "{'status': 503}" },
    { "DescribeCacheClusters", "{'page': {'list': 'CacheClusters', 'item': "
      "'<CacheCluster><CacheClusterId>c{n}</CacheClusterId></CacheCluster>', "
      "'count': 5, 'size': 2}}" },
};

/* One call per row, and what must come of it. */
struct expect {
    const char *action, *responses;     /* the rule */
    int max_attempts;                   /* 0: the default, 3 */
    long timeout_ms;                    /* 0: 10 s */
    size_t max_body;                    /* 0: the default */
    int attempts;
    long status;
    int curl_code;                      /* -1: any failure */
    enum ecp_transport_error transport;
    const char *body;                   /* NULL: not checked */
    const char *why;                    /* ecp_retry_next's reason */
    const char *error_has;              /* NULL: no error */
    int quota;                          /* left after the call */
};

#define NONE ECP_TRANSPORT_NONE
#define CONN ECP_TRANSPORT_CONNECTION
#define FATAL ECP_TRANSPORT_FATAL
#define RAN_OUT "the attempts ran out"
#define FINAL "not retryable"
#define TOO_BIG "larger than the 1000 bytes allowed"

static const struct expect cases[] = {
    { "ThrottleAlways", "{'status': 503, 'error': {'code': "
      "'RequestLimitExceeded', 'protocol': 'ec2'}}", 0, 0, 0,
      3, 503, 0, NONE, NULL, RAN_OUT, NULL, 490 },
    { "ThrottleAlways5", "{'error': {'code': 'Throttling'}}", 5, 0, 0,
      5, 400, 0, NONE, NULL, RAN_OUT, NULL, 480 },
    { "Flaky5xx", "{'status': 500, 'body': '<html>oops</html>'}, "
      "{'status': 502}, {'body': 'ok'}", 0, 0, 0,
      3, 200, 0, NONE, "ok", NULL, NULL, 495 },
    { "Down", "{'status': 503, 'body': '<html>down</html>'}", 0, 0, 0,
      3, 503, 0, NONE, "<html>down</html>", RAN_OUT, NULL, 490 },
    { "Denied", "{'status': 403, 'error': {'code': 'AccessDenied'}}",
      0, 0, 0, 1, 403, 0, NONE, NULL, FINAL, NULL, 500 },
    { "Invalid", "{'error': {'code': 'ValidationError'}}", 0, 0, 0,
      1, 400, 0, NONE, NULL, FINAL, NULL, 500 },
    { "DryRun", "{'status': 412, 'error': {'code': 'DryRunOperation', "
      "'protocol': 'ec2'}}", 0, 0, 0, 1, 412, 0, NONE, NULL, FINAL, NULL,
      500 },
    /* Past the request timeout; timeout retries cost 10 each. */
    { "TooSlow", "{'delay': 3, 'body': 'late'}", 0, 300, 0,
      3, 0, 28, CONN, "", RAN_OUT, "timed out", 480 },
    { "Cut", "{'body': '0123456789012345678901234567890123456789', "
      "'truncate': 10}", 0, 0, 0,
      3, 0, 18, CONN, "", RAN_OUT, "transfer closed", 490 },
    { "CutOnce", "{'body': '0123456789', 'truncate': 3}, {'body': 'whole'}",
      0, 0, 0, 2, 200, 0, NONE, "whole", NULL, NULL, 500 },
    { "ResetOnce", "{'reset': true}, {'body': 'after reset'}", 0, 0, 0,
      2, 200, 0, NONE, "after reset", NULL, NULL, 500 },
    { "ResetAlways", "{'reset': true}", 0, 0, 0,
      3, 0, -1, CONN, "", RAN_OUT, "", 490 },
    /* With a Content-Length over the cap, nothing is read. */
    { "Big", "{'body_file': 'big.txt'}", 0, 0, 1000,
      1, 0, 63, FATAL, "", FINAL, TOO_BIG, 500 },
    /* Without one, the transfer stops when the cap is reached. */
    { "BigChunked", "{'body_file': 'big.txt', 'chunked': true}", 0, 0, 1000,
      1, 0, 23, FATAL, "", FINAL, TOO_BIG, 500 },
    { "Exact", "{'body_file': 'exact.txt', 'chunked': true}", 0, 0, 1000,
      1, 200, 0, NONE, NULL, NULL, NULL, 500 },
};

static char *scenario(void)
{
    struct ecp_buf b = { 0 };
    size_t nrules = sizeof rules / sizeof *rules;
    size_t ncases = sizeof cases / sizeof *cases;

    ecp_buf_adds(&b, "{'rules': [\n");
    for (size_t i = 0; i < nrules + ncases; i++)
        ecp_buf_printf(&b, "{'match': {'action': '%s'}, 'responses': "
                       "[%s]}%s\n",
                       i < nrules ? rules[i][0] : cases[i - nrules].action,
                       i < nrules ? rules[i][1]
                                  : cases[i - nrules].responses,
                       i + 1 < nrules + ncases ? "," : "");
    ecp_buf_adds(&b, "]}\n");
    for (char *p = b.data; *p; p++)
        if (*p == '\'')
            *p = '"';
    return ecp_buf_take(&b);
}

/* ---- the tests ---- */

static void table(const struct server *s)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct expect *e = &cases[i];
        struct job j;
        struct ecp_retry r;
        double t0 = now_ms();

        fast_retry(&r);
        if (e->max_attempts)
            r.max_attempts = e->max_attempts;
        one_call(&j, s, 0, e->action, &r, e->timeout_ms ? e->timeout_ms
                                                        : 10000,
                 e->max_body, NULL);
        CHECK(j.attempts == e->attempts && j.r.status == e->status &&
              (e->curl_code == -1 ? j.r.curl_code != 0
                                  : j.r.curl_code == e->curl_code) &&
              j.r.transport == e->transport &&
              j.r.timed_out == (j.r.curl_code == 28) &&
              (e->status != 0 || j.r.len == 0),
              "%s: %d attempts (%d), status %ld (%ld), curl code %d (%d), "
              "transport %d (%d)", e->action, e->attempts, j.attempts,
              e->status, j.r.status, e->curl_code, j.r.curl_code,
              (int)e->transport, (int)j.r.transport);
        if (e->body)
            CHECK_STR(j.r.body, e->body, "%s: the body", e->action);
        CHECK_STR(j.why, e->why, "%s: why the retries stopped", e->action);
        CHECK_HAS(j.r.error, e->error_has ? e->error_has : "",
                  "%s: the error", e->action);
        if (!e->error_has)
            CHECK_STR(j.r.error, "", "%s: no error", e->action);
        CHECK(server_saw(s, e->action).requests == e->attempts &&
              r.quota == e->quota, "%s: the server saw each attempt; %d "
              "tokens left in the quota (%d)", e->action, e->quota,
              r.quota);
        if (e->timeout_ms)
            CHECK(now_ms() - t0 < 2500, "%s: the client gave up on time",
                  e->action);
        job_free(&j);
    }
}

static void basic(const struct server *s)
{
    struct job j;
    struct ecp_retry r;
    cJSON *line[1];

    ecp_retry_init(&r);
    one_call(&j, s, 0, "Hello", &r, 10000, 0, NULL);
    CHECK(j.r.status == 200 && j.attempts == 1 && j.r.curl_code == 0 &&
          j.r.transport == ECP_TRANSPORT_NONE && !j.r.timed_out && !j.why &&
          r.quota == 500, "a plain call: 200 at the first attempt");
    CHECK_STR(j.r.body, "<HelloResponse>hi</HelloResponse>", "the body");
    CHECK(j.r.len == strlen("<HelloResponse>hi</HelloResponse>"), "its length");
    CHECK_STR(j.r.request_id, "req-hello-1", "the request id header");
    CHECK_HAS(j.r.date, " GMT", "the Date header");
    job_free(&j);

    if (log_lines(s, "Hello", line, 1) != 1) {
        CHECK(0, "the server logged the request");
        return;
    }
    cJSON *h = cJSON_GetObjectItem(line[0], "headers");
    const char *tok = str(h, "x-amz-security-token");

    CHECK_STR(str(line[0], "method"), "POST", "sent as POST");
    CHECK_STR(str(line[0], "body"), "Action=Hello&Version=2015-02-02",
              "the body went out whole");
    CHECK_STR(str(h, "content-type"),
              "application/x-www-form-urlencoded; charset=utf-8",
              "the caller's Content-Type");
    /* Compared, never printed: it stands for a secret. */
    CHECK(tok && strcmp(tok, SECRET) == 0, "the caller's token header");
    CHECK_STR(str(h, "user-agent"), "ecpolicy/0.1.0",
              "the default user agent");
    CHECK(!cJSON_GetObjectItem(h, "expect"), "no Expect: 100-continue");
    cJSON_Delete(line[0]);

    /* Other methods, as the instance metadata service wants them. */
    struct ecp_http_client *c = client(1, 10000, 0, NULL);
    static const char *const methods[] = { "GET", "PUT", "DELETE" };
    char action[32];
    for (int i = 0; i < 3; i++) {
        snprintf(action, sizeof action, "Method%s", methods[i]);
        job_init(&j, s, 0, action, &r);
        j.method = methods[i];
        if (i == 0) {   /* GET: the Action goes in the query string */
            size_t n = strlen(j.url);

            snprintf(j.url + n, sizeof j.url - n, "?%.40s", j.body);
            j.body[0] = '\0';
        }
        call_on(c, &j);
        int n = log_lines(s, action, line, 1);
        CHECK(n == 1 && !strcmp(str(line[0], "method"), methods[i]) &&
              !strcmp(str(line[0], "body"), j.body), "a %s request, with "
              "its body", methods[i]);
        if (n)
            cJSON_Delete(line[0]);
        job_free(&j);
    }
    ecp_http_client_free(c);
}

struct progress {
    int calls;
    unsigned long max_in_flight;
    double last, min_gap;
};

static void on_progress(void *ud, const struct ecp_http_stats *st)
{
    struct progress *p = ud;
    double t = now_ms();

    if (p->calls++ && t - p->last < p->min_gap)
        p->min_gap = t - p->last;
    p->last = t;
    if (st->in_flight > p->max_in_flight)
        p->max_in_flight = st->in_flight;
}

static void concurrency(const struct server *s)
{
    struct ecp_http_client *c = client(3, 10000, 0, NULL);
    struct ecp_http_stats st;
    struct progress p = { 0, 0, 0, 1e9 };
    struct ecp_retry r;
    struct job jobs[12];
    int ok = 1;
    double t0 = now_ms();

    ecp_retry_init(&r);
    ecp_http_set_progress(c, on_progress, &p);
    for (int i = 0; i < 12; i++) {
        job_init(&jobs[i], s, 0, "Slow", &r);
        ecp_http_submit(c, &ops, &jobs[i]);
    }
    ecp_http_stats(c, &st);
    CHECK(st.calls == 12 && st.queued == 12 && st.in_flight == 0,
          "12 calls queued before the run");
    CHECK(run(c) == 0, "the run works");
    for (int i = 0; i < 12; i++) {
        ok &= jobs[i].finished == 1 && jobs[i].r.status == 200;
        job_free(&jobs[i]);
    }
    CHECK(ok, "every call finished with 200");
    struct seen seen = server_saw(s, "Slow");
    CHECK(seen.requests == 12 && seen.max_in_flight == 3,
          "the server never had more than 3 at once (%d requests, %d at "
          "once)", seen.requests, seen.max_in_flight);
    CHECK(now_ms() - t0 >= 4 * 250 - 50, "four rounds of 250 ms");
    CHECK(p.calls >= 3 && p.max_in_flight <= 3 && p.min_gap >= 99,
          "progress: %d calls, at least 100 ms apart (%.0f), at most 3 in "
          "flight", p.calls, p.min_gap);
    ecp_http_stats(c, &st);
    CHECK(st.calls == 12 && st.attempts == 12 && st.retries == 0 &&
          st.in_flight == 0 && st.queued == 0 && st.done == 12,
          "the stats at the end");
    ecp_http_client_free(c);
}

static void reuse(const struct server *s)
{
    struct ecp_http_client *c = client(2, 10000, 0, NULL);
    struct ecp_retry r;
    struct job jobs[30];

    ecp_retry_init(&r);
    for (int round = 0; round < 2; round++) {
        for (int i = round * 20; i < 20 + round * 10; i++) {
            job_init(&jobs[i], s, 0, "Quick", &r);
            ecp_http_submit(c, &ops, &jobs[i]);
        }
        run(c);
    }
    for (int i = 0; i < 30; i++)
        job_free(&jobs[i]);
    struct seen seen = server_saw(s, "Quick");
    CHECK(seen.requests == 30 && seen.connections <= 2,
          "30 requests over 2 runs came on %d connections (at most 2)",
          seen.connections);
    ecp_http_client_free(c);
}

/* Backoff on the wire: the delays asked for, and actually waited. */
static void backoff(const struct server *s)
{
    struct job j;
    struct ecp_retry r;
    int timing = 1;

    fast_retry(&r);
    one_call(&j, s, 0, "ThrottleTwice", &r, 10000, 0, NULL);
    CHECK(j.attempts == 3 && j.r.status == 200 && !j.why && r.quota == 495,
          "throttled twice, then 200 at attempt 3 (%d); the quota paid two "
          "retries and got one refund (%d)", j.attempts, r.quota);
    CHECK(j.delay[1] >= 0 && j.delay[1] <= 20 && j.delay[2] >= 0 &&
          j.delay[2] <= 40, "delays within the jitter bounds (%ld, %ld)",
          j.delay[1], j.delay[2]);
    for (int a = 1; a <= 2; a++) {
        double waited = j.prepared[a + 1] - j.decided[a];

        timing &= waited >= j.delay[a] - 1 && waited < j.delay[a] + 2000;
    }
    CHECK(timing, "each retry waited its delay");
    job_free(&j);

    struct ecp_http_client *c = client(1, 10000, 0, NULL);
    job_init(&j, s, 0, "DownOnce", &r);
    ecp_http_submit(c, &one_shot, &j);
    run(c);
    CHECK(j.attempts == 1 && j.r.status == 503, "without decide(): one attempt");
    job_free(&j);
    ecp_http_client_free(c);

    /* Nothing listens on a port we just let go of. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t alen = sizeof a;
    struct server none = { 0 };

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
        none.port = ntohs(a.sin_port);
    close(fd);
    fast_retry(&r);
    one_call(&j, &none, 0, "Plain", &r, 10000, 0, NULL);
    CHECK(j.attempts == 3 && j.r.curl_code == 7 &&
          j.r.transport == ECP_TRANSPORT_CONNECTION,
          "connection refused: retried as a connection error (curl %d)",
          j.r.curl_code);
    job_free(&j);
}

/* A retry's delay does not hold up other transfers: while ThrottleFirst
 * waits 400 ms, three 50 ms calls run one after the other (chained). */
static struct job hops[3];
static int nhops;

static void next_hop(struct job *j)
{
    if (nhops < 3) {
        struct job *h = &hops[nhops++];

        job_like(h, j);
        ecp_http_submit(j->client, &ops, h);
    }
}

static double always(void *state)
{
    return *(double *)state;
}

static void no_blocking(const struct server *s)
{
    struct ecp_http_client *c = client(4, 10000, 0, NULL);
    struct ecp_retry r, slow;
    struct job a, b;
    double one = 1.0;

    ecp_retry_init(&r);
    ecp_retry_init(&slow);
    slow.base_ms = 400;
    ecp_retry_set_random(&slow, always, &one);
    job_init(&a, s, 0, "ThrottleFirst", &slow);
    job_init(&b, s, 0, "Hop", &r);
    b.then = next_hop;
    b.client = c;
    ecp_http_submit(c, &ops, &a);
    ecp_http_submit(c, &ops, &b);
    run(c);
    CHECK(a.attempts == 2 && a.r.status == 200 && a.delay[1] == 400 &&
          a.prepared[2] - a.decided[1] >= 399,
          "the throttled call waited 400 ms and then worked");
    CHECK(nhops == 3 && hops[2].finished && hops[2].done_at < a.prepared[2],
          "three chained calls ran meanwhile");
    job_free(&a);
    job_free(&b);
    for (int i = 0; i < 3; i++)
        job_free(&hops[i]);
    ecp_http_client_free(c);
}

/* Pages: each done() submits the next page with the Marker it got. */
static struct job pages[8];
static int npages;
static char ids[128];

static void next_page(struct job *j)
{
    const char *p = j->r.body;
    char id[32], marker[64], *enc;

    while ((p = element(p, "<CacheClusterId>", "<", id, sizeof id)))
        snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s",
                 ids[0] ? "," : "", id);
    if (!element(j->r.body, "<Marker>", "</Marker>", marker, sizeof marker) ||
        npages >= 8)
        return;
    struct job *n = &pages[npages++];
    job_like(n, j);
    /* The token has + / = in it: it must be percent-encoded. */
    enc = curl_easy_escape(NULL, marker, 0);
    snprintf(n->body, sizeof n->body, "Action=DescribeCacheClusters&"
             "Version=2015-02-02&Marker=%s", enc);
    curl_free(enc);
    ecp_http_submit(j->client, &ops, n);
}

static void chaining(const struct server *s)
{
    struct ecp_http_client *c = client(4, 10000, 0, NULL);
    struct ecp_retry r;
    int ok = 1;

    ecp_retry_init(&r);
    job_init(&pages[0], s, 0, "DescribeCacheClusters", &r);
    pages[0].then = next_page;
    pages[0].client = c;
    npages = 1;
    ecp_http_submit(c, &ops, &pages[0]);
    CHECK(run(c) == 0, "the paged run works");
    for (int i = 0; i < npages; i++) {
        ok &= pages[i].r.status == 200;
        job_free(&pages[i]);
    }
    CHECK(npages == 3 && ok, "three pages, each submitted from the last "
          "one's done() (%d)", npages);
    CHECK_STR(ids, "c1,c2,c3,c4,c5", "every item, in order");
    ecp_http_client_free(c);
}

static void reenter(struct job *j)
{
    struct ecp_err err = { { 0 } };

    j->abort_at = ecp_http_run(j->client, &err);
    snprintf(j->r.error, sizeof j->r.error, "%.200s", err.msg);
}

static void misuse(const struct server *s)
{
    struct ecp_http_options o = { .max_parallel = -1 };
    struct ecp_err err = { { 0 } };
    struct ecp_retry r;
    struct job j;
    static const char *const broken[] = { "X-Amz-Date: 1\r\nX-Evil: "
                                          SECRET, NULL };

    CHECK(!ecp_http_client_new(&o, &err), "max_parallel -1 is refused");
    CHECK_STR(err.msg, "HTTP client: max_parallel -1 is out of range "
              "(1 to 1024)", "the message");
    o.max_parallel = 0;
    o.ca_bundle = "/nonexistent/ca.pem";
    CHECK(!ecp_http_client_new(&o, &err), "a missing CA bundle is refused");
    CHECK_STR(err.msg, "CA bundle /nonexistent/ca.pem: No such file or "
              "directory", "the message names the file");
    CHECK(ecp_http_submit(NULL, &ops, NULL) == -1, "submit needs a client");

    fast_retry(&r);
    struct ecp_http_client *c = client(2, 10000, 0, NULL);
    CHECK(ecp_http_submit(c, &(struct ecp_http_call_ops){ 0 }, NULL) == -1,
          "submit needs prepare and done");
    job_init(&j, s, 0, "Plain", &r);
    j.abort_at = 1;
    call_on(c, &j);
    CHECK(j.finished == 1 && j.attempts == 0 && j.r.status == 0,
          "prepare() refused: done() with no attempt");
    CHECK_STR(j.r.error, "the call was abandoned before attempt 1", "why");
    job_free(&j);

    job_init(&j, s, 0, "AbortLater", &r);
    j.abort_at = 2;
    call_on(c, &j);
    CHECK(j.attempts == 1, "prepare() refused the retry: 1 attempt");
    CHECK_STR(j.r.error, "the call was abandoned before attempt 2", "why");
    job_free(&j);

    job_init(&j, s, 0, "Plain", &r);
    j.headers = broken;
    call_on(c, &j);
    CHECK(j.attempts == 1 && j.r.transport == ECP_TRANSPORT_FATAL,
          "a header with a line break is refused, not retried");
    CHECK_STR(j.r.error, "request header 1 holds a line break",
              "the error counts the header, never shows it");
    job_free(&j);

    job_init(&j, s, 0, "Plain", &r);
    j.then = reenter;
    j.client = c;
    call_on(c, &j);
    CHECK(j.abort_at == -1, "ecp_http_run from a callback is refused");
    CHECK_HAS(j.r.error, "called from one of its own callbacks", "the message");
    job_free(&j);
    ecp_http_client_free(c);

    c = client(2, 10000, 0, NULL);
    job_init(&j, s, 0, "Plain", &r);
    ecp_http_submit(c, &ops, &j);
    ecp_http_client_free(c);
    CHECK(j.finished == 0, "free() drops queued calls without done()");
}

/* TLS against throwaway certificates: one for 127.0.0.1, one for another
 * name.  Verification is always on, so trust comes only from the bundle. */
static void tls(void)
{
    static const char *const names[] = { "good", "bad" };
    static const char *const sans[] = { "IP:127.0.0.1", "DNS:elsewhere.test" };
    char cmd[2048], cert[2][300], key[2][300];
    struct server srv[2] = { { 0 }, { 0 } };
    struct ecp_retry r;
    struct job j;
    int made = 1;

    if (system("command -v openssl >/dev/null 2>&1") != 0) {
        printf("ok # skip TLS: the openssl command is not installed\n");
        return;
    }
    for (int i = 0; i < 2; i++) {
        snprintf(cert[i], sizeof cert[i], "%s/%s.pem", tmpdir, names[i]);
        snprintf(key[i], sizeof key[i], "%s/%s.key", tmpdir, names[i]);
        snprintf(cmd, sizeof cmd, "openssl req -x509 -newkey ec -pkeyopt "
                 "ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "
                 "/CN=fakeaws -addext subjectAltName=%s -keyout '%s' -out "
                 "'%s' >/dev/null 2>&1", sans[i], key[i], cert[i]);
        made &= system(cmd) == 0;
    }
    CHECK(made, "openssl made two self-signed certificates");
    if (!made || server_start(&srv[0], "tls-good", "[]", cert[0], key[0]) ||
        server_start(&srv[1], "tls-bad", "[]", cert[1], key[1]))
        return;     /* stop_all stops what started */

    ecp_retry_init(&r);
    one_call(&j, &srv[0], 1, "Plain", &r, 10000, 0, NULL);
    CHECK(j.attempts == 1 && j.r.status == 0 && j.r.curl_code == 60 &&
          j.r.transport == ECP_TRANSPORT_FATAL, "an unknown CA fails, once "
          "(curl %d: %s)", j.r.curl_code, j.r.error);
    CHECK_HAS(j.r.error, "certificate", "the error says why");
    job_free(&j);
    one_call(&j, &srv[0], 1, "Plain", &r, 10000, 0, cert[0]);
    /* No rule matches: fakeaws answers InvalidAction, over checked TLS. */
    CHECK(j.attempts == 1 && j.r.status == 400 && j.r.curl_code == 0,
          "with the CA bundle it works (%ld, %s)", j.r.status, j.r.error);
    CHECK_HAS(j.r.body, "<Code>InvalidAction</Code>", "the reply came back");
    job_free(&j);
    one_call(&j, &srv[1], 1, "Plain", &r, 10000, 0, cert[1]);
    CHECK(j.attempts == 1 && j.r.status == 0 && j.r.curl_code == 60 &&
          j.r.transport == ECP_TRANSPORT_FATAL,
          "a trusted certificate for another name fails (curl %d: %s)",
          j.r.curl_code, j.r.error);
    job_free(&j);
    CHECK(server_saw(&srv[0], "Plain").requests == 1 &&
          server_saw(&srv[1], "Plain").requests == 0,
          "a failed verification sends nothing");
    server_stop(&srv[0]);
    server_stop(&srv[1]);
}

int main(void)
{
    struct server s = { 0 };
    char filler[5001], *text;

    if (system("command -v python3 >/dev/null 2>&1") != 0) {
        printf("ok # skip HTTP tests: python3 is not installed\n");
        return 0;
    }
    if (fakeaws_setup("ecp-http") != 0)
        return 1;
    memset(filler, 'x', 5000);
    filler[5000] = '\0';
    write_text(tmpdir, "big.txt", filler);
    filler[1000] = '\0';
    write_text(tmpdir, "exact.txt", filler);
    text = scenario();
    if (server_start(&s, "main", text, NULL, NULL) != 0) {
        free(text);
        return harness_done();
    }
    free(text);

    basic(&s);
    concurrency(&s);
    reuse(&s);
    backoff(&s);
    table(&s);
    no_blocking(&s);
    chaining(&s);
    misuse(&s);
    server_stop(&s);
    tls();
    return harness_done();
}
