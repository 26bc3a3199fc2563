#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "aws/uri.h"
#include "util/buf.h"
#include "util/mem.h"

#define ALGORITHM "AWS4-HMAC-SHA256"
#define HASH_SIZE 32            /* SHA-256 */
#define HEX_SIZE (2 * HASH_SIZE + 1)
/* AWS secret keys are 40 characters; the bound keeps the key length in
 * the int that HMAC() takes. */
#define MAX_SECRET 4096

/* One signed header, canonicalised. */
struct header {
    char *name;         /* lowercased */
    char *value;        /* trimmed, inner runs of blanks made one space */
    size_t name_len, value_len;
    size_t index;       /* position in the request, to keep repeats in order */
};

/* One query parameter, decoded and then encoded again. */
struct param {
    char *key, *value;
};

static const char *source_of(const struct ecp_creds *c)
{
    return c->source ? c->source : "an unnamed source";
}

static void wipe_free(char *s)
{
    if (!s)
        return;
    OPENSSL_cleanse(s, strlen(s));
    free(s);
}

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static int is_ctl(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

static int is_alnum(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9');
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* RFC 7230 token characters: what a header name or a method may hold. */
static int is_tchar(unsigned char c)
{
    return is_alnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int is_token(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_tchar((unsigned char)s[i]))
            return 0;
    return 1;
}

static void hex_encode(const unsigned char *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static int sha256_hex(const void *data, size_t n, char out[HEX_SIZE])
{
    unsigned char md[HASH_SIZE];

    if (!SHA256(data ? data : "", n, md))
        return -1;
    hex_encode(md, sizeof md, out);
    return 0;
}

static int hmac(const unsigned char *key, size_t key_len, const void *data,
                size_t n, unsigned char out[HASH_SIZE])
{
    unsigned int len = 0;

    if (!HMAC(EVP_sha256(), key, (int)key_len, data, n, out, &len) ||
        len != HASH_SIZE)
        return -1;
    return 0;
}

/* Region and service names go into the credential scope, where '/' and
 * blanks would change its meaning. */
static int check_scope_word(const char *what, const char *s,
                            struct ecp_err *err)
{
    if (!s || !*s)
        return ecp_err_set(err, "signing: no %s", what);
    for (const char *p = s; *p; p++)
        if (!is_alnum((unsigned char)*p) && !strchr("-_.", *p))
            return ecp_err_set(err, "signing: the %s \"%s\" holds a "
                               "character other than A-Z a-z 0-9 - _ .",
                               what, s);
    return 0;
}

static int check_params(const struct ecp_sigv4_params *p, struct ecp_err *err)
{
    const struct ecp_creds *c = p->creds;
    const char *d = p->amz_date;

    if (check_scope_word("region", p->region, err) < 0 ||
        check_scope_word("service", p->service, err) < 0)
        return -1;
    if (!d || strlen(d) != ECP_SIGV4_DATE_SIZE - 1 || d[8] != 'T' ||
        d[15] != 'Z')
        return ecp_err_set(err, "signing: the time \"%s\" is not of the "
                           "form YYYYMMDDTHHMMSSZ", d ? d : "");
    for (int i = 0; i < 15; i++)
        if (i != 8 && !is_digit((unsigned char)d[i]))
            return ecp_err_set(err, "signing: the time \"%s\" is not of "
                               "the form YYYYMMDDTHHMMSSZ", d);
    if (!c)
        return ecp_err_set(err, "signing: no credentials");
    if (!c->access_key_id || !*c->access_key_id)
        return ecp_err_set(err, "signing: the credentials from %s have no "
                           "access key id", source_of(c));
    /* The key id is spliced into the Authorization header. */
    for (const char *k = c->access_key_id; *k; k++)
        if (is_ctl((unsigned char)*k) || strchr(" /,=", *k))
            return ecp_err_set(err, "signing: the access key id from %s "
                               "holds a blank, a control character or one "
                               "of / , =", source_of(c));
    if (!c->secret_access_key || !*c->secret_access_key)
        return ecp_err_set(err, "signing: the credentials from %s have no "
                           "secret key", source_of(c));
    if (strlen(c->secret_access_key) > MAX_SECRET)
        return ecp_err_set(err, "signing: the secret key from %s is longer "
                           "than %d bytes", source_of(c), MAX_SECRET);
    return 0;
}

/* Headers that are never signed: Authorization is the signature itself,
 * and proxies and the HTTP library may add, drop or change the others
 * (botocore's list). */
static int is_unsigned(const char *name)
{
    static const char *const skip[] = {
        "authorization", "connection", "expect", "keep-alive", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent",
        "x-amzn-trace-id", NULL
    };

    if (strncmp(name, "proxy-", 6) == 0)
        return 1;
    for (int i = 0; skip[i]; i++)
        if (strcmp(name, skip[i]) == 0)
            return 1;
    return 0;
}

/* Split "Name: value" into a lowercased name and a value trimmed of
 * blanks, with every inner run of blanks made one space.  Returns 1 for a
 * header to sign, 0 for one to skip, -1 on error.  Messages give the
 * header's number and, once it is known to be a token, its name. */
static int parse_header(const char *line, size_t index, struct header *h,
                        struct ecp_err *err)
{
    const char *colon = strchr(line, ':');
    size_t n = colon ? (size_t)(colon - line) : 0;
    int pending = 0;

    if (!colon || !is_token(line, n))
        return ecp_err_set(err, "signing: header %zu is not \"Name: value\" "
                           "with a name made of HTTP token characters",
                           index + 1);
    h->name = ecp_strndup(line, n);
    h->name_len = n;
    for (size_t i = 0; i < n; i++)
        if (h->name[i] >= 'A' && h->name[i] <= 'Z')
            h->name[i] = (char)(h->name[i] - 'A' + 'a');
    if (is_unsigned(h->name)) {
        free(h->name);
        h->name = NULL;
        return 0;
    }
    h->value = ecp_malloc(strlen(colon + 1) + 1);
    h->value_len = 0;
    for (const char *p = colon + 1; *p; p++) {
        unsigned char c = (unsigned char)*p;

        if (is_blank(c)) {
            pending = 1;
            continue;
        }
        if (is_ctl(c)) {
            h->value[h->value_len] = '\0';
            return ecp_err_set(err, "signing: header %zu (%.*s): the value "
                               "holds a control character (CR, LF or "
                               "another)", index + 1,
                               (int)(n > 100 ? 100 : n), line);
        }
        if (pending && h->value_len)
            h->value[h->value_len++] = ' ';
        pending = 0;
        h->value[h->value_len++] = (char)c;
    }
    h->value[h->value_len] = '\0';
    h->index = index;
    return 1;
}

static int compare_headers(const void *a, const void *b)
{
    const struct header *x = a, *y = b;
    int c = strcmp(x->name, y->name);

    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void free_headers(struct header *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].name);
        wipe_free(h[i].value);  /* X-Amz-Security-Token's is the token */
    }
    free(h);
}

/* The headers to sign, sorted by name, repeats in request order. */
static int collect_headers(const char *const *lines, struct header **out,
                           size_t *count, struct ecp_err *err)
{
    size_t total = 0, n = 0;
    struct header *h;

    if (!lines)
        return ecp_err_set(err, "signing: the request has no headers "
                           "(Host and X-Amz-Date are needed)");
    while (lines[total])
        total++;
    h = ecp_calloc(total ? total : 1, sizeof *h);
    for (size_t i = 0; i < total; i++) {
        int rc = parse_header(lines[i], i, &h[n], err);

        if (rc < 0) {
            free_headers(h, n + 1);
            return -1;
        }
        n += (size_t)rc;
    }
    qsort(h, n, sizeof *h, compare_headers);
    *out = h;
    *count = n;
    return 0;
}

/* The one value of a header that must appear at most once, or NULL. */
static int single_header(const struct header *h, size_t n, const char *name,
                         const char *shown, const char **value,
                         struct ecp_err *err)
{
    size_t seen = 0;

    *value = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(h[i].name, name) == 0) {
            *value = h[i].value;
            seen++;
        }
    if (seen > 1)
        return ecp_err_set(err, "signing: the request has %zu %s headers",
                           seen, shown);
    return 0;
}

/* The request must say what is being signed: the host, the time, and the
 * session token exactly when there is one. */
static int check_headers(const struct header *h, size_t n,
                         const struct ecp_sigv4_params *p,
                         struct ecp_err *err)
{
    const struct ecp_creds *c = p->creds;
    const char *host, *date, *token;

    if (single_header(h, n, "host", "Host", &host, err) < 0 ||
        single_header(h, n, "x-amz-date", "X-Amz-Date", &date, err) < 0 ||
        single_header(h, n, "x-amz-security-token", "X-Amz-Security-Token",
                      &token, err) < 0)
        return -1;
    if (!host || !*host)
        return ecp_err_set(err, "signing: the request has no Host header, "
                           "or an empty one");
    if (!date)
        return ecp_err_set(err, "signing: the request has no X-Amz-Date "
                           "header");
    if (strcmp(date, p->amz_date) != 0)
        return ecp_err_set(err, "signing: the X-Amz-Date header (%.40s) is "
                           "not the signing time (%s)", date, p->amz_date);
    if (c->session_token && !token)
        return ecp_err_set(err, "signing: the credentials from %s carry a "
                           "session token, but the request has no "
                           "X-Amz-Security-Token header", source_of(c));
    if (!c->session_token && token)
        return ecp_err_set(err, "signing: the request has an "
                           "X-Amz-Security-Token header, but the "
                           "credentials from %s have no session token",
                           source_of(c));
    if (token && strcmp(token, c->session_token) != 0)
        return ecp_err_set(err, "signing: the X-Amz-Security-Token header "
                           "is not the session token of the credentials "
                           "from %s", source_of(c));
    return 0;
}

/* "name:value,value\n" for each name, in a buffer sized up front: it may
 * hold the session token, and a growing buffer would leave copies of it
 * behind in freed memory. */
static char *canonical_headers(const struct header *h, size_t n,
                               struct ecp_buf *signed_names)
{
    size_t cap = 1, len = 0;
    char *out;

    for (size_t i = 0; i < n; i++)
        cap += h[i].name_len + h[i].value_len + 2;
    out = ecp_malloc(cap);
    for (size_t i = 0; i < n;) {
        size_t j = i;

        memcpy(out + len, h[i].name, h[i].name_len);
        len += h[i].name_len;
        out[len++] = ':';
        for (; j < n && strcmp(h[j].name, h[i].name) == 0; j++) {
            if (j > i)
                out[len++] = ',';
            memcpy(out + len, h[j].value, h[j].value_len);
            len += h[j].value_len;
        }
        out[len++] = '\n';
        if (signed_names->len)
            ecp_buf_addc(signed_names, ';');
        ecp_buf_add(signed_names, h[i].name, h[i].name_len);
        i = j;
    }
    out[len] = '\0';
    return out;
}

/* The path, with "." and ".." segments and empty segments removed
 * (botocore's remove_dot_segments: ".." above the root is dropped, and a
 * trailing '/' stays when something is left), each segment encoded. */
static int canonical_uri(const char *path, int normalize, struct ecp_buf *out,
                         struct ecp_err *err)
{
    size_t n, nseg = 0, count = 1;
    size_t *start, *len;

    if (!path || path[0] != '/')
        return ecp_err_set(err, "signing: the path does not start with '/'");
    if (!normalize) {
        ecp_buf_adds(out, path);
        return 0;
    }
    n = strlen(path);
    for (size_t i = 0; i < n; i++)
        count += path[i] == '/';
    start = ecp_malloc(count * sizeof *start);
    len = ecp_malloc(count * sizeof *len);
    for (size_t i = 0; i < n;) {
        size_t j = i;

        while (j < n && path[j] != '/')
            j++;
        if (j - i == 2 && path[i] == '.' && path[i + 1] == '.') {
            if (nseg)
                nseg--;
        } else if (j > i && !(j - i == 1 && path[i] == '.')) {
            start[nseg] = i;
            len[nseg++] = j - i;
        }
        i = j + 1;
    }
    for (size_t k = 0; k < nseg; k++) {
        ecp_buf_addc(out, '/');
        ecp_uri_encode(out, path + start[k], len[k], 0);
    }
    if (!nseg || path[n - 1] == '/')
        ecp_buf_addc(out, '/');
    free(start);
    free(len);
    return 0;
}

/* Decode s[0..n) and encode it again, so "%E1%88%B4", raw UTF-8 and
 * "%e1%88%b4" all sign alike.  off is s's offset in the query, for the
 * message. */
static int reencode(const char *s, size_t n, size_t off, char **out,
                    struct ecp_err *err)
{
    struct ecp_buf raw = { 0 }, enc = { 0 };
    size_t bad = 0;

    if (ecp_uri_decode(&raw, s, n, ECP_URI_PLUS_SPACE, &bad) < 0) {
        ecp_buf_free(&raw);
        return ecp_err_set(err, "signing: the query string has a '%%' "
                           "without two hex digits at byte %zu",
                           off + bad + 1);
    }
    ecp_uri_encode(&enc, raw.data ? raw.data : "", raw.len, 0);
    ecp_buf_free(&raw);
    *out = ecp_buf_take(&enc);
    return 0;
}

static int compare_params(const void *a, const void *b)
{
    const struct param *x = a, *y = b;
    int c = strcmp(x->key, y->key);

    return c ? c : strcmp(x->value, y->value);
}

/* Parameters decoded, encoded again, sorted by key then value, joined
 * with '&'.  Empty pairs ("a=1&&b=2") are dropped; a key without '='
 * gets an empty value. */
static int canonical_query(const char *query, struct ecp_buf *out,
                           struct ecp_err *err)
{
    size_t max = 1, n = 0;
    struct param *p;
    const char *s = query;
    int rc = 0;

    if (!query || !*query)
        return 0;
    for (const char *q = query; *q; q++)
        max += *q == '&';
    p = ecp_calloc(max, sizeof *p);
    while (rc == 0) {
        const char *amp = strchr(s, '&');
        size_t len = amp ? (size_t)(amp - s) : strlen(s);
        const char *eq = memchr(s, '=', len);
        size_t klen = eq ? (size_t)(eq - s) : len;
        size_t off = (size_t)(s - query);

        if (len) {
            struct param *q = &p[n++];

            rc = reencode(s, klen, off, &q->key, err);
            if (rc == 0 && eq)
                rc = reencode(eq + 1, len - klen - 1, off + klen + 1,
                              &q->value, err);
            else if (rc == 0)
                q->value = ecp_strdup("");
        }
        if (!amp)
            break;
        s = amp + 1;
    }
    if (rc == 0) {
        qsort(p, n, sizeof *p, compare_params);
        for (size_t i = 0; i < n; i++) {
            if (i)
                ecp_buf_addc(out, '&');
            ecp_buf_adds(out, p[i].key);
            ecp_buf_addc(out, '=');
            ecp_buf_adds(out, p[i].value);
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(p[i].key);
        free(p[i].value);
    }
    free(p);
    return rc;
}

/* The hex signature of sts.  "AWS4" + secret lives in a buffer of its own,
 * wiped as soon as the first HMAC has used it, and so are the derived
 * keys. */
static int signature(const char *secret, const char *date8,
                     const char *region, const char *service,
                     const char *sts, char out[HEX_SIZE])
{
    size_t n = strlen(secret);
    unsigned char *k = ecp_malloc(n + 4);
    unsigned char a[HASH_SIZE], b[HASH_SIZE];
    int failed;

    memcpy(k, "AWS4", 4);
    memcpy(k + 4, secret, n);
    failed = hmac(k, n + 4, date8, 8, a) < 0;
    OPENSSL_cleanse(k, n + 4);
    free(k);
    failed = failed ||
             hmac(a, HASH_SIZE, region, strlen(region), b) < 0 ||
             hmac(b, HASH_SIZE, service, strlen(service), a) < 0 ||
             hmac(a, HASH_SIZE, "aws4_request", 12, b) < 0 ||
             hmac(b, HASH_SIZE, sts, strlen(sts), a) < 0;
    if (!failed)
        hex_encode(a, HASH_SIZE, out);
    OPENSSL_cleanse(a, sizeof a);
    OPENSSL_cleanse(b, sizeof b);
    return failed ? -1 : 0;
}

/* Concatenate NUL-terminated parts into one exactly sized string. */
static char *join(const char *const *parts, size_t nparts)
{
    size_t total = 1, len = 0;
    char *out;

    for (size_t i = 0; i < nparts; i++)
        total += strlen(parts[i]);
    out = ecp_malloc(total);
    for (size_t i = 0; i < nparts; i++) {
        size_t n = strlen(parts[i]);

        memcpy(out + len, parts[i], n);
        len += n;
    }
    out[len] = '\0';
    return out;
}

int ecp_sigv4_sign(const struct ecp_sigv4_request *req,
                   const struct ecp_sigv4_params *params,
                   struct ecp_sigv4_result *res, struct ecp_err *err)
{
    struct ecp_buf uri = { 0 }, query = { 0 }, names = { 0 };
    struct header *h = NULL;
    size_t nh = 0;
    char *headers = NULL, *scope = NULL;
    char date8[9], body_hash[HEX_SIZE], cr_hash[HEX_SIZE], sig[HEX_SIZE];
    int rc = -1;

    memset(res, 0, sizeof *res);
    if (check_params(params, err) < 0)
        return -1;
    if (!req->method || !is_token(req->method, strlen(req->method)))
        return ecp_err_set(err, "signing: the method is not an HTTP token");
    if (!req->body && req->body_len)
        return ecp_err_set(err, "signing: the body is NULL but %zu bytes "
                           "long", req->body_len);
    if (canonical_uri(req->path, params->normalize_path, &uri, err) < 0 ||
        canonical_query(req->query, &query, err) < 0 ||
        collect_headers(req->headers, &h, &nh, err) < 0)
        goto out;
    if (check_headers(h, nh, params, err) < 0)
        goto out;
    if (sha256_hex(req->body, req->body_len, body_hash) < 0) {
        ecp_err_set(err, "signing: OpenSSL could not compute SHA-256");
        goto out;
    }
    headers = canonical_headers(h, nh, &names);
    {
        const char *parts[] = {
            req->method, "\n", uri.data ? uri.data : "", "\n",
            query.data ? query.data : "", "\n", headers, "\n",
            names.data ? names.data : "", "\n", body_hash
        };
        res->canonical_request = join(parts, sizeof parts / sizeof *parts);
    }
    if (sha256_hex(res->canonical_request, strlen(res->canonical_request),
                   cr_hash) < 0) {
        ecp_err_set(err, "signing: OpenSSL could not compute SHA-256");
        goto out;
    }
    memcpy(date8, params->amz_date, 8);
    date8[8] = '\0';
    scope = ecp_asprintf("%s/%s/%s/aws4_request", date8, params->region,
                         params->service);
    res->string_to_sign = ecp_asprintf(ALGORITHM "\n%s\n%s\n%s",
                                       params->amz_date, scope, cr_hash);
    if (signature(params->creds->secret_access_key, date8, params->region,
                  params->service, res->string_to_sign, sig) < 0) {
        ecp_err_set(err, "signing: OpenSSL could not compute HMAC-SHA256");
        goto out;
    }
    res->authorization = ecp_asprintf(ALGORITHM " Credential=%s/%s, "
                                      "SignedHeaders=%s, Signature=%s",
                                      params->creds->access_key_id, scope,
                                      names.data, sig);
    res->signed_headers = ecp_buf_take(&names);
    rc = 0;
out:
    if (rc < 0)
        ecp_sigv4_result_free(res);
    wipe_free(headers);
    free_headers(h, nh);
    free(scope);
    ecp_buf_free(&uri);
    ecp_buf_free(&query);
    ecp_buf_free(&names);
    return rc;
}

void ecp_sigv4_result_free(struct ecp_sigv4_result *res)
{
    wipe_free(res->canonical_request);  /* may hold the session token */
    free(res->string_to_sign);
    free(res->signed_headers);
    free(res->authorization);
    memset(res, 0, sizeof *res);
}

/* Write v as exactly n decimal digits. */
static char *put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + n;
}

int ecp_sigv4_format_time(time_t when, char out[ECP_SIGV4_DATE_SIZE])
{
    struct tm tm;
    char *p = out;

    out[0] = '\0';
    if (!gmtime_r(&when, &tm) || tm.tm_year < -1900 || tm.tm_year > 8099)
        return -1;
    p = put_digits(p, tm.tm_year + 1900, 4);
    p = put_digits(p, tm.tm_mon + 1, 2);
    p = put_digits(p, tm.tm_mday, 2);
    *p++ = 'T';
    p = put_digits(p, tm.tm_hour, 2);
    p = put_digits(p, tm.tm_min, 2);
    p = put_digits(p, tm.tm_sec, 2);
    *p++ = 'Z';
    *p = '\0';
    return 0;
}

int ecp_sigv4_now(char out[ECP_SIGV4_DATE_SIZE])
{
    return ecp_sigv4_format_time(time(NULL), out);
}
