/* SigV4: every case of the AWS test suite (tests/data/sigv4) byte for
 * byte, two requests of ecpolicy's own shape checked against botocore,
 * the checks on the request, and that no secret leaks into the result or
 * an error. */
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "aws/uri.h"
#include "harness.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"

#define SUITE "tests/data/sigv4"
#define SUITE_CASES 34
#define AKID "AKIDEXAMPLE"
/* AWS's published example key (the test suite's), not a real one. */
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_DATE "20150830T123600Z"
/* The session token of get-vanilla-with-session-token (not in its .req). */
#define SUITE_TOKEN \
    "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
#define TOKEN_HEADER "X-Amz-Security-Token:"

static char akid[] = AKID;
static char secret[] = SECRET;
static char source[] = "the test suite";

/* A .req file: "METHOD target HTTP/1.1", header lines, a blank line, the
 * body. */
struct req_file {
    char *method, *path, *query;
    char **headers;     /* NULL-terminated */
    size_t nheaders;
    const char *body;   /* points into the file's text */
    size_t body_len;
};

/* The next line from *p (without "\n" or "\r\n"), or NULL at the end. */
static const char *next_line(const char **p, const char *end, size_t *len)
{
    const char *line = *p, *nl;

    if (line >= end)
        return NULL;
    nl = memchr(line, '\n', (size_t)(end - line));
    *len = (size_t)((nl ? nl : end) - line);
    *p = nl ? nl + 1 : end;
    if (*len && line[*len - 1] == '\r')
        (*len)--;
    return line;
}

static void add_header(struct req_file *r, char *h)
{
    r->headers = ecp_realloc(r->headers,
                             (r->nheaders + 2) * sizeof *r->headers);
    r->headers[r->nheaders++] = h;
    r->headers[r->nheaders] = NULL;
}

static int parse_req(const char *text, size_t len, struct req_file *r)
{
    const char *p = text, *end = text + len, *line, *sp1, *sp2, *q;
    size_t n;

    memset(r, 0, sizeof *r);
    r->headers = ecp_calloc(1, sizeof *r->headers);
    line = next_line(&p, end, &n);
    if (!line)
        return -1;
    /* The target may hold spaces ("/example space/"): the method ends at
     * the first space, the version starts after the last. */
    sp1 = memchr(line, ' ', n);
    sp2 = line + n;
    while (sp2 > line && sp2[-1] != ' ')
        sp2--;
    if (!sp1 || sp2 - 1 <= sp1)
        return -1;
    r->method = ecp_strndup(line, (size_t)(sp1 - line));
    q = memchr(sp1 + 1, '?', (size_t)(sp2 - 1 - (sp1 + 1)));
    r->path = ecp_strndup(sp1 + 1, (size_t)((q ? q : sp2 - 1) - (sp1 + 1)));
    r->query = q ? ecp_strndup(q + 1, (size_t)(sp2 - 1 - (q + 1)))
                 : ecp_strdup("");
    while ((line = next_line(&p, end, &n)) != NULL) {
        if (n == 0) {
            r->body = p;
            r->body_len = (size_t)(end - p);
            break;
        }
        if (line[0] == ' ' || line[0] == '\t') {
            /* Obsolete line folding: the fold becomes one space. */
            char *prev;

            if (!r->nheaders)
                return -1;
            while (n && (*line == ' ' || *line == '\t'))
                line++, n--;
            prev = r->headers[r->nheaders - 1];
            r->headers[r->nheaders - 1] =
                ecp_asprintf("%s %.*s", prev, (int)n, line);
            free(prev);
            continue;
        }
        add_header(r, ecp_strndup(line, n));
    }
    return 0;
}

static void free_req(struct req_file *r)
{
    for (size_t i = 0; i < r->nheaders; i++)
        free(r->headers[i]);
    free(r->headers);
    free(r->method);
    free(r->path);
    free(r->query);
}

static char *read_text(const char *dir, const char *name, const char *ext,
                       size_t *len)
{
    char *file = ecp_asprintf("%s/%s.%s", dir, name, ext);
    char *text = NULL;
    struct ecp_err err;

    if (ecp_read_file(file, 1 << 20, &text, len, &err) < 0)
        printf("# %s\n", err.msg);
    free(file);
    return text;
}

static void run_case(const char *dir, const char *name)
{
    size_t len = 0;
    char *req_text = read_text(dir, name, "req", &len);
    char *creq = read_text(dir, name, "creq", NULL);
    char *sts = read_text(dir, name, "sts", NULL);
    char *authz = read_text(dir, name, "authz", NULL);
    struct ecp_creds creds = { akid, secret, NULL, source, 0 };
    struct ecp_sigv4_result res = { 0 };
    struct ecp_err err = { "" };
    struct req_file r;
    int rc;

    CHECK(req_text && creq && sts && authz, "%s: all four files are there",
          name);
    if (!req_text || !creq || !sts || !authz)
        goto out;
    if (parse_req(req_text, len, &r) < 0) {
        CHECK(0, "%s: the .req file parses", name);
        free_req(&r);
        goto out;
    }
    if (strcmp(name, "get-vanilla-with-session-token") == 0)
        add_header(&r, ecp_strdup(TOKEN_HEADER SUITE_TOKEN));
    /* A token header in the request means session credentials
     * (post-sts-header-before); -after adds it only after signing. */
    for (size_t i = 0; i < r.nheaders; i++)
        if (strncmp(r.headers[i], TOKEN_HEADER, strlen(TOKEN_HEADER)) == 0)
            creds.session_token = r.headers[i] + strlen(TOKEN_HEADER);

    struct ecp_sigv4_request req = {
        r.method, r.path, r.query, (const char *const *)r.headers,
        r.body, r.body_len
    };
    struct ecp_sigv4_params params = {
        "us-east-1", "service", SUITE_DATE, &creds, 1
    };
    rc = ecp_sigv4_sign(&req, &params, &res, &err);
    CHECK(rc == 0, "%s: signs%s%s", name, rc ? ": " : "", err.msg);
    CHECK_STR(res.canonical_request, creq, "%s: canonical request", name);
    CHECK_STR(res.string_to_sign, sts, "%s: string to sign", name);
    CHECK_STR(res.authorization, authz, "%s: Authorization", name);
    ecp_sigv4_result_free(&res);
    free_req(&r);
out:
    free(req_text);
    free(creq);
    free(sts);
    free(authz);
}

/* A case is a folder NAME holding NAME.req; other folders group cases
 * (normalize-path/, post-sts-token/). */
static int walk(const char *dir)
{
    char **names;
    size_t count, cases = 0;
    struct ecp_err err;

    if (ecp_list_dir(dir, &names, &count, &err) < 0) {
        CHECK(0, "%s", err.msg);
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        char *sub = ecp_path_join(dir, names[i]);
        char *req = ecp_asprintf("%s/%s.req", sub, names[i]);

        if (ecp_is_file(req)) {
            run_case(sub, names[i]);
            cases++;
        } else if (ecp_is_dir(sub)) {
            cases += (size_t)walk(sub);
        }
        free(req);
        free(sub);
    }
    ecp_free_names(names);
    return (int)cases;
}

static void suite(void)
{
    int cases = walk(SUITE);

    CHECK(cases == SUITE_CASES, "the suite has %d cases (found %d)",
          SUITE_CASES, cases);
}

/* A request of the shape ecpolicy sends, with the body built by uri.c. */
struct fixture {
    struct ecp_buf body;
    const char *headers[8];
    struct ecp_creds creds;
    struct ecp_sigv4_request req;
    struct ecp_sigv4_params params;
};

static void fixture_init(struct fixture *f, const char *service,
                         const char *host, const char *date, char *token)
{
    static char host_header[128], date_header[64], token_header[256];
    int n = 0;

    memset(f, 0, sizeof *f);
    snprintf(host_header, sizeof host_header, "Host: %s", host);
    snprintf(date_header, sizeof date_header, "X-Amz-Date: %s", date);
    f->headers[n++] = "Content-Type: application/x-www-form-urlencoded; "
                      "charset=utf-8";
    f->headers[n++] = host_header;
    f->headers[n++] = date_header;
    if (token) {
        snprintf(token_header, sizeof token_header,
                 "X-Amz-Security-Token: %s", token);
        f->headers[n++] = token_header;
    }
    f->headers[n] = NULL;
    f->creds = (struct ecp_creds){ akid, secret, token, source, 0 };
    f->req = (struct ecp_sigv4_request){ "POST", "/", "", f->headers, NULL,
                                         0 };
    f->params = (struct ecp_sigv4_params){ "us-east-1", service, date,
                                           &f->creds, 1 };
}

static void fixture_body(struct fixture *f)
{
    f->req.body = f->body.data;
    f->req.body_len = f->body.len;
}

/* The expected values come from botocore 1.43.11's SigV4Auth on the same
 * requests (the time patched to 2026-12-01T18:19:57Z). */
static void botocore_cross_check(void)
{
    static char token[] = "FAKETOKEN";
    struct fixture f;
    struct ecp_sigv4_result res = { 0 };
    struct ecp_err err = { "" };

    fixture_init(&f, "elasticache", "elasticache.us-east-1.amazonaws.com",
                 "20261201T181957Z", token);
    ecp_form_add(&f.body, "Action", "DescribeCacheClusters");
    ecp_form_add(&f.body, "Version", "2015-02-02");
    ecp_form_add(&f.body, "ShowCacheNodeInfo", "true");
    fixture_body(&f);
    CHECK(ecp_sigv4_sign(&f.req, &f.params, &res, &err) == 0,
          "elasticache request signs%s%s", *err.msg ? ": " : "",
          err.msg);
    CHECK_STR(res.signed_headers,
              "content-type;host;x-amz-date;x-amz-security-token",
              "elasticache: signed headers");
    CHECK_STR(res.authorization,
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/"
              "elasticache/aws4_request, SignedHeaders=content-type;host;"
              "x-amz-date;x-amz-security-token, Signature=3902ef696f679c96e"
              "58158ad0584135840884d58473560a9fc986fd1e7db3c1f",
              "elasticache with a session token: botocore's signature");
    ecp_sigv4_result_free(&res);
    ecp_buf_free(&f.body);

    fixture_init(&f, "ec2", "127.0.0.1:18765", "20261201T181957Z", NULL);
    ecp_form_add(&f.body, "Action", "DescribeSecurityGroups");
    ecp_form_add(&f.body, "Version", "2016-11-15");
    ecp_form_add(&f.body, "Filter.1.Name", "vpc-id");
    ecp_form_add(&f.body, "Filter.1.Value.1", "vpc-1");
    ecp_form_add(&f.body, "GroupId.1", "sg-1");
    fixture_body(&f);
    CHECK(ecp_sigv4_sign(&f.req, &f.params, &res, &err) == 0,
          "ec2 request signs%s%s", *err.msg ? ": " : "", err.msg);
    CHECK_STR(res.authorization,
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/"
              "ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date,"
              " Signature=d1ccff1a770f9e8a374caed9dbf94e6de7129d07cd67d4384f"
              "92631dc030f5b7",
              "ec2 on a loopback port: botocore's signature");
    ecp_sigv4_result_free(&res);
    ecp_buf_free(&f.body);
}

static int holds(const char *s, const char *part)
{
    return s && strstr(s, part) != NULL;
}

static void secrets(void)
{
    static char token[] = "TOKEN-abc123";
    static char other[] = "another-secret-key-0000000000000000000000";
    struct fixture f;
    struct ecp_sigv4_result a = { 0 }, b = { 0 };
    struct ecp_err err = { "" };

    fixture_init(&f, "sts", "sts.us-east-1.amazonaws.com", SUITE_DATE, token);
    ecp_form_add(&f.body, "Action", "GetCallerIdentity");
    ecp_form_add(&f.body, "Version", "2011-06-15");
    fixture_body(&f);
    CHECK(ecp_sigv4_sign(&f.req, &f.params, &a, &err) == 0, "signs%s%s",
          *err.msg ? ": " : "", err.msg);
    CHECK(!holds(a.canonical_request, SECRET) &&
          !holds(a.string_to_sign, SECRET) &&
          !holds(a.signed_headers, SECRET) &&
          !holds(a.authorization, SECRET),
          "no part of the result holds the secret key");
    CHECK(!holds(a.string_to_sign, token) && !holds(a.signed_headers, token) &&
          !holds(a.authorization, token),
          "only the canonical request holds the session token");
    CHECK(holds(a.canonical_request, "x-amz-security-token:TOKEN-abc123\n"),
          "the canonical request signs the session token");

    f.creds.secret_access_key = other;
    CHECK(ecp_sigv4_sign(&f.req, &f.params, &b, &err) == 0,
          "signs with another secret%s%s", *err.msg ? ": " : "",
          err.msg);
    CHECK(a.authorization && b.authorization &&
          strcmp(a.authorization, b.authorization) != 0,
          "another secret gives another signature");
    CHECK(a.canonical_request && b.canonical_request &&
          strcmp(a.canonical_request, b.canonical_request) == 0 &&
          strcmp(a.string_to_sign, b.string_to_sign) == 0,
          "... from the same canonical request and string to sign");
    CHECK(!holds(b.authorization, other) && !holds(b.canonical_request, other),
          "the other secret is not in its result either");
    ecp_sigv4_result_free(&a);
    ecp_sigv4_result_free(&b);
    ecp_sigv4_result_free(&b);
    CHECK(!a.canonical_request && !a.authorization,
          "a freed result is empty, and freeing it again is harmless");
    ecp_buf_free(&f.body);
}

/* Sign f and return the canonical request, or NULL with err set. */
static char *canonical(struct fixture *f, struct ecp_err *err)
{
    struct ecp_sigv4_result res = { 0 };
    char *cr;

    if (ecp_sigv4_sign(&f->req, &f->params, &res, err) < 0)
        return NULL;
    cr = ecp_strdup(res.canonical_request);
    ecp_sigv4_result_free(&res);
    return cr;
}

/* The second and third lines of a canonical request: path and query. */
static void path_and_query(const char *path, const char *query, int normalize,
                           const char *want)
{
    struct fixture f;
    struct ecp_err err = { "" };
    char *cr, *got = NULL;

    fixture_init(&f, "service", "example.amazonaws.com", SUITE_DATE, NULL);
    f.req.path = path;
    f.req.query = query;
    f.params.normalize_path = normalize;
    cr = canonical(&f, &err);
    if (cr) {
        char *a = strchr(cr, '\n') + 1, *b = strchr(a, '\n') + 1;

        got = ecp_strndup(a, (size_t)(strchr(b, '\n') - a));
    }
    CHECK_STR(got, want, "path %s query \"%s\"%s %s", path,
              query ? query : "(null)", normalize ? "" : " (S3)", err.msg);
    free(got);
    free(cr);
}

static void paths_and_queries(void)
{
    path_and_query("/a%20b/./c//", "", 1, "/a%2520b/c/\n");
    path_and_query("/a/b/..", "", 1, "/a\n");
    path_and_query("/../../x", "", 1, "/x\n");
    path_and_query("/a//b/../c%20d", "", 0, "/a//b/../c%20d\n");
    path_and_query("/", NULL, 1, "/\n");
    path_and_query("/", "b=2&a=1&a=0&c&&d=%2f+x", 1,
                   "/\na=0&a=1&b=2&c=&d=%2F%20x");
    path_and_query("/", "k=%e1%88%b4&k=~&=v", 1,
                   "/\n=v&k=%E1%88%B4&k=~");
    path_and_query("/", "a=%7e&b=~&c=%7E", 1, "/\na=~&b=~&c=~");
}

/* Headers that are not signed, and how values are canonicalised. */
static void headers(void)
{
    static const char *const h[] = {
        "host:example.amazonaws.com",
        "User-Agent: ecpolicy/1.0",
        "Authorization: AWS4-HMAC-SHA256 Credential=old",
        "Connection: keep-alive",
        "Proxy-Authorization: Basic x",
        "Expect: 100-continue",
        "Transfer-Encoding: chunked",
        "X-Amz-Date:" SUITE_DATE,
        "X-Empty:",
        "X-Tabs:\t a \t b\t",
        "x-multi: 2",
        "X-MULTI: 1",
        NULL
    };
    struct fixture f;
    struct ecp_sigv4_result res = { 0 };
    struct ecp_err err = { "" };

    fixture_init(&f, "service", "example.amazonaws.com", SUITE_DATE, NULL);
    f.req.headers = h;
    CHECK(ecp_sigv4_sign(&f.req, &f.params, &res, &err) == 0, "signs%s%s",
          *err.msg ? ": " : "", err.msg);
    CHECK_STR(res.signed_headers, "host;x-amz-date;x-empty;x-multi;x-tabs",
              "Authorization, User-Agent and hop-by-hop headers are not "
              "signed");
    CHECK_HAS(res.canonical_request,
              "\nx-empty:\nx-multi:2,1\nx-tabs:a b\n\n",
              "empty values, repeats in request order, tabs collapsed");
    ecp_sigv4_result_free(&res);
}

/* One request that must be refused, with a message that names the
 * problem and holds neither the secret nor the token. */
static void refused(struct fixture *f, const char *part, const char *what)
{
    struct ecp_sigv4_result res = { 0 };
    struct ecp_err err = { "" };
    int rc = ecp_sigv4_sign(&f->req, &f->params, &res, &err);

    CHECK(rc == -1 && !res.canonical_request && !res.authorization,
          "refused: %s", what);
    CHECK_HAS(err.msg, part, "%s: the message says why", what);
    CHECK(!holds(err.msg, SECRET) && !holds(err.msg, "TOKEN-abc123"),
          "%s: the message holds no secret", what);
}

static void refusals(void)
{
    static char token[] = "TOKEN-abc123", empty[] = "";
    static char long_secret[5000];
    struct fixture f;
    const char *h[8];

#define FRESH(tok) \
    fixture_init(&f, "service", "example.amazonaws.com", SUITE_DATE, (tok))

    FRESH(NULL);
    h[0] = "X-Amz-Date: " SUITE_DATE;
    h[1] = NULL;
    f.req.headers = h;
    refused(&f, "no Host header", "no Host");

    FRESH(NULL);
    h[0] = "Host: example.amazonaws.com";
    h[1] = NULL;
    f.req.headers = h;
    refused(&f, "no X-Amz-Date header", "no X-Amz-Date");

    FRESH(NULL);
    f.req.headers = NULL;
    refused(&f, "no headers", "no header list");

    FRESH(NULL);
    f.params.amz_date = "20150830T123601Z";
    refused(&f, "not the signing time", "X-Amz-Date differs from the time");

    FRESH(NULL);
    f.params.amz_date = "2015-08-30T12:36:00Z";
    refused(&f, "YYYYMMDDTHHMMSSZ", "a malformed time");

    FRESH(NULL);
    h[0] = "Host: example.amazonaws.com";
    h[1] = "Host: other.example";
    h[2] = "X-Amz-Date: " SUITE_DATE;
    h[3] = NULL;
    f.req.headers = h;
    refused(&f, "2 Host headers", "two Host headers");

    FRESH(token);
    f.headers[3] = NULL;    /* drop X-Amz-Security-Token */
    refused(&f, "carry a session token, but the request has no "
            "X-Amz-Security-Token", "a session token that is not sent");

    FRESH(token);
    f.creds.session_token = NULL;
    refused(&f, "have no session token", "a token header without one");

    FRESH(token);
    f.headers[3] = "X-Amz-Security-Token: TOKEN-abc124";
    refused(&f, "is not the session token of the credentials from the test "
            "suite", "a token header that is not the token");

    FRESH(token);
    f.headers[3] = "X-Amz-Security-Token: TOKEN-abc123\r\nX-Evil: 1";
    refused(&f, "header 4 (X-Amz-Security-Token): the value holds a control "
            "character", "a line break in a value");

    FRESH(NULL);
    f.headers[0] = "Content-Type application/json";
    refused(&f, "header 1 is not \"Name: value\"", "a header without ':'");

    FRESH(NULL);
    f.headers[0] = "Content Type: x";
    refused(&f, "header 1 is not", "a blank in a header name");

    FRESH(NULL);
    f.req.path = "example/";
    refused(&f, "does not start with '/'", "a relative path");

    FRESH(NULL);
    f.req.path = NULL;
    refused(&f, "does not start with '/'", "no path");

    FRESH(NULL);
    f.req.query = "a=1&b=%4x";
    refused(&f, "'%' without two hex digits at byte 7", "a bad escape");

    FRESH(NULL);
    f.req.method = "GE T";
    refused(&f, "method is not an HTTP token", "a bad method");

    FRESH(NULL);
    f.req.body_len = 3;
    refused(&f, "body is NULL but 3 bytes", "a NULL body with a length");

    FRESH(NULL);
    f.params.region = "us-east-1/x";
    refused(&f, "region \"us-east-1/x\"", "a '/' in the region");

    FRESH(NULL);
    f.params.service = "";
    refused(&f, "no service", "no service");

    FRESH(NULL);
    f.params.creds = NULL;
    refused(&f, "no credentials", "no credentials");

    FRESH(NULL);
    f.creds.secret_access_key = empty;
    refused(&f, "credentials from the test suite have no secret key",
            "an empty secret key");

    FRESH(NULL);
    f.creds.source = NULL;
    f.creds.access_key_id = NULL;
    refused(&f, "an unnamed source have no access key id", "no key id");

    FRESH(NULL);
    memset(long_secret, 'k', sizeof long_secret - 1);
    f.creds.secret_access_key = long_secret;
    refused(&f, "secret key from the test suite is longer than",
            "a huge secret key");
#undef FRESH
}

static void times(void)
{
    char out[ECP_SIGV4_DATE_SIZE];

    CHECK(ecp_sigv4_format_time(1440938160, out) == 0 &&
          strcmp(out, SUITE_DATE) == 0, "1440938160 is %s (got %s)",
          SUITE_DATE, out);
    CHECK(ecp_sigv4_format_time(1796149197, out) == 0 &&
          strcmp(out, "20261201T181957Z") == 0, "1796149197 (got %s)", out);
    CHECK(ecp_sigv4_format_time(951868799, out) == 0 &&
          strcmp(out, "20000229T235959Z") == 0, "a leap day (got %s)", out);
    CHECK(ecp_sigv4_format_time(0, out) == 0 &&
          strcmp(out, "19700101T000000Z") == 0, "the epoch (got %s)", out);
    CHECK(ecp_sigv4_now(out) == 0 && strlen(out) == 16 && out[8] == 'T' &&
          out[15] == 'Z' && strncmp(out, "20", 2) == 0,
          "now is an X-Amz-Date value (%s)", out);
}

int main(void)
{
    suite();
    botocore_cross_check();
    secrets();
    paths_and_queries();
    headers();
    refusals();
    times();
    return harness_done();
}
