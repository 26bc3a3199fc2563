#include <arpa/inet.h>
#include <cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aws/config.h"
#include "aws/metadata.h"
#include "aws/profile.h"
#include "collect/timestamp.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/mem.h"
#include "version.h"

extern char **environ;

/* Credentials replies are about a kilobyte. */
#define REPLY_MAX ((size_t)64 << 10)

#define IMDS_TOKEN_PATH "latest/api/token"
#define IMDS_ROLE_PATH "latest/meta-data/iam/security-credentials/"

/* "2 s" or "300 ms", for messages. */
static const char *duration(char buf[32], long ms)
{
    if (ms % 1000 == 0)
        snprintf(buf, 32, "%ld s", ms / 1000);
    else
        snprintf(buf, 32, "%ld ms", ms);
    return buf;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Overwrite a string that held a secret before it is freed. */
static void wipe_free(char *s)
{
    if (!s)
        return;
    for (volatile char *p = s; *p; p++)
        *p = 0;
    free(s);
}

/* ---- HTTP ---------------------------------------------------------- */

struct reply {
    long status;
    struct ecp_buf body;
    int too_big;
    int timed_out;
};

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    struct reply *r = ud;

    if (r->body.len + size * n > REPLY_MAX) {
        r->too_big = 1;
        return 0;
    }
    ecp_buf_add(&r->body, data, size * n);
    return size * n;
}

static size_t no_upload(char *data, size_t size, size_t n, void *ud)
{
    (void)data, (void)size, (void)n, (void)ud;
    return 0;
}

static void reply_free(struct reply *r)
{
    /* A body may hold a secret key. */
    if (r->body.data)
        memset(r->body.data, 0, r->body.len);
    ecp_buf_free(&r->body);
    memset(r, 0, sizeof *r);
}

/*
 * One request (GET, or a PUT without a body).  Returns 0 with r->status
 * set, or -1 with the transport error in err (r->timed_out says whether it
 * was a timeout).
 */
static int http_call(const char *method, const char *url,
                     const char *const *headers, const char *ca_bundle,
                     long timeout_ms, struct reply *r, struct ecp_err *err)
{
    char ebuf[CURL_ERROR_SIZE] = "", d[32];
    struct curl_slist *list = NULL;
    CURL *h = curl_easy_init();
    CURLcode rc;

    memset(r, 0, sizeof *r);
    if (!h)
        return ecp_err_set(err, "cannot start libcurl");
    /* "Expect:" stops curl from waiting for a 100 Continue on the PUT. */
    list = curl_slist_append(list, "Expect:");
    for (size_t i = 0; headers && headers[i]; i++)
        list = curl_slist_append(list, headers[i]);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "ecpolicy/" ECP_VERSION);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
    if (ca_bundle) {
        /* Only this bundle, as AWS_CA_BUNDLE means (http.c does the same). */
        curl_easy_setopt(h, CURLOPT_CAINFO, ca_bundle);
        curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
    }
    if (strcmp(method, "PUT") == 0) {
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)0);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, no_upload);
    }
    rc = curl_easy_perform(h);
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_cleanup(h);
    curl_slist_free_all(list);
    if (rc == CURLE_OK)
        return 0;
    int timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    if (r->too_big)
        ecp_err_set(err, "the reply is larger than %zu bytes", REPLY_MAX);
    else if (timed_out)
        ecp_err_set(err, "no answer within %s", duration(d, timeout_ms));
    else
        ecp_err_set(err, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
    reply_free(r);
    /* After the free, which clears the whole reply: the caller reads it. */
    r->timed_out = timed_out;
    return -1;
}

/* ---- JSON replies -------------------------------------------------- */

static const char *json_string(const cJSON *obj, const char *name)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, name));
}

/*
 * The credentials in a JSON object.  token_key names the session token
 * ("Token" from metadata services, "SessionToken" from a process); with
 * temporary set, the token and Expiration must be there.
 */
static int creds_from_json(const cJSON *obj, const char *token_key,
                           int temporary, struct ecp_creds *out,
                           struct ecp_err *err)
{
    const char *names[] = { "AccessKeyId", "SecretAccessKey", token_key,
                            "Expiration" };
    const char *v[4];
    struct ecp_timestamp ts;
    const char *why;

    for (int i = 0; i < 4; i++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, names[i]);

        v[i] = cJSON_GetStringValue(item);
        if (item && !cJSON_IsNull(item) && !cJSON_IsString(item))
            return ecp_err_set(err, "%s is not a string", names[i]);
        if (v[i] && !*v[i])
            v[i] = NULL;
        if (!v[i] && (i < 2 || temporary))
            return ecp_err_set(err, "the reply has no %s", names[i]);
    }
    memset(&ts, 0, sizeof ts);
    if (v[3] && ecp_timestamp_parse(v[3], &ts, &why) != 0)
        return ecp_err_set(err, "Expiration '%.40s' is not a time: %s", v[3],
                           why);
    memset(out, 0, sizeof *out);
    out->access_key_id = ecp_strdup(v[0]);
    out->secret_access_key = ecp_strdup(v[1]);
    out->session_token = v[2] ? ecp_strdup(v[2]) : NULL;
    /* A zero expiration means "never", so the epoch itself counts as 1. */
    out->expiration = v[3] ? (ts.epoch > 0 ? (time_t)ts.epoch : 1) : 0;
    return 0;
}

/* Parse len bytes of text as a JSON object.  NULL with err set if not. */
static cJSON *parse_object(const char *text, size_t len, struct ecp_err *err)
{
    cJSON *obj = cJSON_ParseWithLength(text, len);

    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        ecp_err_set(err, "the reply is not a JSON object");
        return NULL;
    }
    return obj;
}

/* ---- IMDSv2 -------------------------------------------------------- */

/* A token or an IAM role name goes into a header or a URL path: only
 * printable ASCII without blanks, and not too long. */
static int header_safe(const char *s, size_t len, size_t max)
{
    if (len == 0 || len > max)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
            return 0;
    return 1;
}

static int role_name_ok(const char *s, size_t len)
{
    if (!header_safe(s, len, 128))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789+=,.@_-", s[i]))
            return 0;
    return 1;
}

/*
 * GET with the token until a 200 with a body, as botocore retries these.
 * Returns 0 (r holds the reply), or 1 with why in err and the last HTTP
 * status (0: none) in *status.
 */
static int imds_get(const struct ecp_imds_options *o, const char *url,
                    const char *token_header, const char *what,
                    struct reply *r, long *status, struct ecp_err *err)
{
    const char *headers[] = { token_header, NULL };

    *status = 0;
    for (int i = 0; i < o->attempts; i++) {
        if (http_call("GET", url, headers, NULL, o->timeout_ms, r, err) != 0)
            continue;
        if (r->status == 200 && r->body.len > 0)
            return 0;
        *status = r->status;
        ecp_err_set(err, "the %s request answered HTTP %ld%s", what,
                    r->status, r->body.len ? "" : " with nothing");
        reply_free(r);
    }
    return 1;
}

static char *imds_url(const char *base, const char *path)
{
    size_t n = strlen(base);

    return ecp_asprintf("%s%s%s", base, n && base[n - 1] == '/' ? "" : "/",
                        path);
}

static int imds_token(const struct ecp_imds_options *o, char **token,
                      struct ecp_err *err)
{
    static const char *const headers[] = {
        "X-aws-ec2-metadata-token-ttl-seconds: 21600", NULL
    };
    char *url = imds_url(o->endpoint, IMDS_TOKEN_PATH);
    struct reply r;
    int rc = 1;

    for (int i = 0; i < o->attempts && rc == 1; i++) {
        if (http_call("PUT", url, headers, NULL, o->timeout_ms, &r,
                      err) != 0) {
            /* A timeout means nothing listens there (botocore gives up at
             * once); a refused connection may be worth another try. */
            if (r.timed_out)
                break;
            continue;
        }
        if (r.status == 200 && header_safe(r.body.data, r.body.len, 4096)) {
            *token = ecp_strndup(r.body.data, r.body.len);
            rc = 0;
        } else if (r.status == 200) {
            ecp_err_set(err, "the token is empty or not printable text");
            i = o->attempts;
        } else {
            ecp_err_set(err, "the token request answered HTTP %ld", r.status);
            /* 400, 403, 404, 405: this will not change by asking again. */
            if (r.status >= 400 && r.status < 500)
                i = o->attempts;
        }
        reply_free(&r);
    }
    free(url);
    return rc;
}

int ecp_imds_credentials(const struct ecp_imds_options *opts,
                         struct ecp_creds *out, struct ecp_err *err)
{
    struct ecp_imds_options o = *opts;
    char *token = NULL, *header, *url, *role = NULL;
    struct reply r;
    cJSON *obj = NULL;
    long status;
    int rc;

    memset(out, 0, sizeof *out);
    if (!o.endpoint)
        o.endpoint = ECP_IMDS_ENDPOINT;
    if (o.timeout_ms <= 0)
        o.timeout_ms = 1000;
    if (o.attempts <= 0)
        o.attempts = 1;
    if (!ecp_url_check(o.endpoint, NULL, NULL))
        return ecp_err_set(err, "the endpoint '%s' is not an http:// URL",
                           o.endpoint);
    if ((rc = imds_token(&o, &token, err)) != 0)
        return rc;
    header = ecp_asprintf("X-aws-ec2-metadata-token: %s", token);
    wipe_free(token);

    url = imds_url(o.endpoint, IMDS_ROLE_PATH);
    rc = imds_get(&o, url, header, "role name", &r, &status, err);
    free(url);
    if (rc == 1 && status == 404)
        ecp_err_set(err, "no IAM role is attached to the instance (the "
                    "role name request answered HTTP 404)");
    if (rc == 0) {
        size_t n = strcspn(r.body.data, "\r\n");

        if (role_name_ok(r.body.data, n)) {
            role = ecp_strndup(r.body.data, n);
        } else {
            ecp_err_set(err, "the reply to the role name request is not an "
                        "IAM role name");
            rc = 1;
        }
        reply_free(&r);
    }
    if (rc == 0) {
        char *path = ecp_asprintf(IMDS_ROLE_PATH "%s", role);

        url = imds_url(o.endpoint, path);
        free(path);
        rc = imds_get(&o, url, header, "credentials", &r, &status, err);
        free(url);
    }
    wipe_free(header);
    if (rc == 0) {
        obj = parse_object(r.body.data, r.body.len, err);
        reply_free(&r);
        if (!obj) {
            rc = 1;
        } else if (json_string(obj, "Code") &&
                   strcmp(json_string(obj, "Code"), "Success") != 0) {
            /* IMDS reports a role it cannot use as a 200 with a Code. */
            ecp_err_set(err, "the credentials of role %s answered Code "
                        "'%.64s'", role, json_string(obj, "Code"));
            rc = 1;
        } else if (creds_from_json(obj, "Token", 1, out, err) != 0) {
            ecp_err_prefix(err, "the credentials of role %s", role);
            rc = 1;
        } else {
            out->source = ecp_asprintf("EC2 instance metadata (%s, role %s)",
                                       o.endpoint, role);
        }
    }
    cJSON_Delete(obj);
    free(role);
    return rc;
}

/* ---- container credentials ---------------------------------------- */

int ecp_container_url_allowed(const char *url, struct ecp_err *err)
{
    static const char *const hosts[] = {
        "169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost",
    };
    unsigned char addr[16];
    char *host = NULL;
    int https, ok = 0;

    if (!ecp_url_check(url, &https, &host))
        return ecp_err_set(err, "not an http:// or https:// URL");
    ok = https;
    for (size_t i = 0; !ok && i < sizeof hosts / sizeof hosts[0]; i++)
        ok = strcasecmp(host, hosts[i]) == 0;
    if (!ok && inet_pton(AF_INET, host, addr) == 1)
        ok = addr[0] == 127;
    if (!ok && inet_pton(AF_INET6, host, addr) == 1)
        ok = memcmp(addr, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0;
    if (!ok)
        ecp_err_set(err, "plain http to host '%s' is not allowed: only "
                    "https, a loopback address, 169.254.170.2, "
                    "169.254.170.23, fd00:ec2::23 or localhost", host);
    free(host);
    return ok ? 0 : -1;
}

int ecp_container_credentials(const struct ecp_container_options *o,
                              struct ecp_creds *out, struct ecp_err *err)
{
    long timeout = o->timeout_ms > 0 ? o->timeout_ms : 2000;
    long pause = o->pause_ms > 0 ? o->pause_ms : 1000;
    int attempts = o->attempts > 0 ? o->attempts : 3;
    char *auth = NULL;
    const char *headers[3] = { "Accept: application/json", NULL, NULL };
    struct reply r;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (o->authorization)
        headers[1] = auth = ecp_asprintf("Authorization: %s",
                                         o->authorization);
    for (int i = 0; i < attempts; i++) {
        long status;

        if (i > 0)
            sleep_ms(pause);
        if (http_call("GET", o->url, headers, o->ca_bundle, timeout, &r,
                      err) != 0)
            continue;
        if (r.status == 200) {
            cJSON *obj = parse_object(r.body.data, r.body.len, err);

            rc = obj ? creds_from_json(obj, "Token", 1, out, err) : -1;
            cJSON_Delete(obj);
            reply_free(&r);
            break;
        }
        status = r.status;
        reply_free(&r);
        ecp_err_set(err, "answered HTTP %ld", status);
        /* Only a busy or failing server may answer differently later. */
        if (status != 429 && status < 500)
            break;
    }
    wipe_free(auth);
    return rc;
}

/* ---- credential_process ------------------------------------------- */

/* Read the child's stdout until EOF, the deadline or the size limit.
 * Returns 0, or -1 with err set. */
static int read_output(int fd, long deadline, long timeout_ms,
                       struct ecp_buf *out, struct ecp_err *err)
{
    char chunk[4096], d[32];

    for (;;) {
        struct pollfd pfd = { fd, POLLIN, 0 };
        long left = deadline - ecp_clock_ms();
        ssize_t n;

        if (left <= 0)
            return ecp_err_set(err, "did not finish within %s",
                               duration(d, timeout_ms));
        if (poll(&pfd, 1, (int)(left > 100000 ? 100000 : left)) < 0) {
            if (errno == EINTR)
                continue;
            return ecp_err_set(err, "poll: %s", strerror(errno));
        }
        if (pfd.revents == 0)
            continue;
        n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ecp_err_set(err, "reading its output: %s",
                               strerror(errno));
        if (n == 0)
            return 0;
        if (out->len + (size_t)n > REPLY_MAX)
            return ecp_err_set(err, "printed more than %zu bytes",
                               REPLY_MAX);
        ecp_buf_add(out, chunk, (size_t)n);
    }
}

/* Wait for the child until the deadline, then kill it.  Returns the wait
 * status, or -1 if it had to be killed. */
static int reap(pid_t pid, long deadline)
{
    int status;

    for (;;) {
        pid_t got = waitpid(pid, &status, WNOHANG);

        if (got == pid)
            return status;
        if (got < 0 && errno != EINTR)
            return -1;
        if (ecp_clock_ms() >= deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return -1;
        }
        sleep_ms(10);
    }
}

static int spawn(char **argv, int *out_fd, pid_t *pid, struct ecp_err *err)
{
    posix_spawn_file_actions_t fa;
    int fds[2], rc;

    /* posix_spawnp reports a missing program, but not under every
     * emulation (valgrind): ask first when the path is explicit. */
    if (strchr(argv[0], '/') && access(argv[0], X_OK) != 0)
        return ecp_err_set(err, "cannot run %s: %s", argv[0],
                           strerror(errno));
    if (pipe(fds) != 0)
        return ecp_err_set(err, "pipe: %s", strerror(errno));
    /* Only the write end, as the child's stdout, crosses the exec. */
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    rc = posix_spawnp(pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return ecp_err_set(err, "cannot run %s: %s", argv[0], strerror(rc));
    }
    *out_fd = fds[0];
    return 0;
}

static int process_json(const struct ecp_buf *text, struct ecp_creds *out,
                        struct ecp_err *err)
{
    cJSON *obj, *version;
    int rc;

    obj = cJSON_ParseWithLength(text->data ? text->data : "", text->len);
    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        return ecp_err_set(err, "its output is not a JSON object");
    }
    version = cJSON_GetObjectItemCaseSensitive(obj, "Version");
    if (!version)
        rc = ecp_err_set(err, "its output has no Version (want 1)");
    else if (!cJSON_IsNumber(version))
        rc = ecp_err_set(err, "its output has a Version that is not a "
                         "number (want 1)");
    else if (version->valuedouble != 1)
        rc = ecp_err_set(err, "its output has Version %g; ecpolicy reads "
                         "only Version 1", version->valuedouble);
    else
        rc = creds_from_json(obj, "SessionToken", 0, out, err);
    cJSON_Delete(obj);
    return rc;
}

int ecp_process_credentials(const char *command, long timeout_ms,
                            struct ecp_creds *out, struct ecp_err *err)
{
    struct ecp_buf text = { 0 };
    char **argv;
    size_t argc;
    char d[32];
    long deadline;
    pid_t pid = -1;
    int fd = -1, status, rc;

    memset(out, 0, sizeof *out);
    if (ecp_shell_split(command, &argv, &argc, err) != 0)
        return -1;
    if (argc == 0) {
        ecp_words_free(argv);
        return ecp_err_set(err, "the command is empty");
    }
    if (timeout_ms <= 0)
        timeout_ms = 120000;
    deadline = ecp_clock_ms() + timeout_ms;
    if (spawn(argv, &fd, &pid, err) != 0) {
        ecp_words_free(argv);
        return -1;
    }
    rc = read_output(fd, deadline, timeout_ms, &text, err);
    close(fd);
    /* Past a read error, do not wait for the child to give up by itself. */
    status = reap(pid, rc == 0 ? deadline : 0);
    if (rc != 0)
        ecp_err_prefix(err, "%s", argv[0]);
    else if (status == -1)
        rc = ecp_err_set(err, "%s did not finish within %s", argv[0],
                         duration(d, timeout_ms));
    else if (WIFSIGNALED(status))
        rc = ecp_err_set(err, "%s was killed by signal %d", argv[0],
                         WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0)
        rc = ecp_err_set(err, "%s exited with status %d", argv[0],
                         WEXITSTATUS(status));
    else if ((rc = process_json(&text, out, err)) != 0)
        ecp_err_prefix(err, "%s", argv[0]);
    if (text.data)
        memset(text.data, 0, text.len);
    ecp_buf_free(&text);
    ecp_words_free(argv);
    return rc;
}
