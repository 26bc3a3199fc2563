/* The credential chain's container and instance metadata steps against
 * tests/server/metadata.py (IMDSv2 and container credentials on
 * 127.0.0.1, started and stopped here): what each step finds, why it finds
 * nothing, and the requests it sends.  The cases run through creds_chain.h;
 * the steps before these are in test_credentials.c.
 *
 * Every fixture secret holds "ecp-fixture-secret".  Everything printed goes
 * through the relay of relay.h, which fails the test if that text shows
 * up; set ECP_TEST_NO_RELAY=1 to see the output of a crashing run. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aws/credentials.h"
#include "creds_chain.h"
#include "harness.h"
#include "relay.h"
#include "util/buf.h"
#include "util/mem.h"

extern char **environ;

/* ---- the metadata server -------------------------------------------- */

static pid_t server_pid = -1;
static int server_stdin = -1;

static void server_stop(void)
{
    int status;

    if (server_pid <= 0)
        return;
    close(server_stdin);        /* the server exits when stdin closes */
    kill(server_pid, SIGTERM);
    while (waitpid(server_pid, &status, 0) < 0 && errno == EINTR)
        ;
    server_pid = -1;
}

static size_t collect(char *data, size_t size, size_t n, void *ud)
{
    ecp_buf_add(ud, data, size * n);
    return size * n;
}

/* GET path from the server: the body (fresh), or NULL. */
static char *server_get(const char *path)
{
    struct ecp_buf body = { 0 };
    char *url = ecp_asprintf("%s%s", server_url, path);
    CURL *h = curl_easy_init();
    long status = 0;
    CURLcode rc;

    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    free(url);
    if (rc != CURLE_OK || status != 200) {
        ecp_buf_free(&body);
        return NULL;
    }
    return body.data ? ecp_buf_take(&body) : ecp_strdup("");
}

/* Start tests/server/metadata.py; it prints "PORT n" once it listens. */
static int server_start(void)
{
    static char python[] = "python3", script[] = "tests/server/metadata.py";
    char *argv[] = { python, script, NULL };
    posix_spawn_file_actions_t fa;
    int in[2], out[2], port = 0;
    char line[64] = "";
    size_t len = 0;

    if (pipe(in) != 0 || pipe(out) != 0)
        return -1;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    if (posix_spawnp(&server_pid, "python3", &fa, NULL, argv, environ) != 0)
        server_pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    /* Nothing else this test starts may hold the server's pipes. */
    fcntl(in[1], F_SETFD, FD_CLOEXEC);
    fcntl(out[0], F_SETFD, FD_CLOEXEC);
    server_stdin = in[1];
    atexit(server_stop);
    while (server_pid > 0 && len + 1 < sizeof line && !strchr(line, '\n')) {
        struct pollfd pfd = { out[0], POLLIN, 0 };
        ssize_t n;

        if (poll(&pfd, 1, 10000) <= 0 ||
            (n = read(out[0], line + len, sizeof line - 1 - len)) <= 0)
            break;
        len += (size_t)n;
        line[len] = '\0';
    }
    close(out[0]);
    if (sscanf(line, "PORT %d", &port) != 1 || port <= 0) {
        server_stop();
        return -1;
    }
    snprintf(server_url, sizeof server_url, "http://127.0.0.1:%d", port);
    for (int i = 0; i < 100; i++) {
        char *pong = server_get("/_ping");

        if (pong) {
            free(pong);
            return 0;
        }
        nanosleep(&(struct timespec){ 0, 50000000 }, NULL);
    }
    server_stop();
    server_url[0] = '\0';
    return -1;
}

/* ---- container and instance metadata --------------------------------- */

static const struct chain_case metadata_cases[] = {
    { "container credentials, FULL_URI", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/ok" },
      "ASIACONTAINERTEST", S "-container",
      "container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI, host "
      "127.0.0.1)", NULL },
    { "container credentials, RELATIVE_URI", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/ok",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/never" },
      "ASIACONTAINERTEST", S "-container",
      "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, host 127.0.0.1)", NULL },
    { "container credentials, token in a variable", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/auth",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN=" S "-auth" },
      "ASIACONTAINERTEST", S "-container", "container credentials", NULL },
    { "container credentials, token in a file (it wins)", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/auth",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=tests/data/aws-config/"
        "tokens/container-auth" },
      "ASIACONTAINERTEST", S "-container", "container credentials", NULL },
    { "container credentials, a token with a line break", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/auth",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=tests/data/aws-config/"
        "tokens/container-auth-bad" }, NULL, NULL,
      "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: the token holds a control "
      "character and cannot be an HTTP header", NULL },
    { "container credentials, no token", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/auth" },
      NULL, NULL, "container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI"
      ", host 127.0.0.1): answered HTTP 401", NULL },
    { "container credentials, a server error", NULL,
      { "AWS_PROFILE=empty", "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/500" },
      NULL, NULL, "answered HTTP 500", NULL },
    { "container credentials, not JSON", NULL,
      { "AWS_PROFILE=empty",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/bad-json" },
      NULL, NULL, "host 127.0.0.1): the reply is not a JSON object", NULL },
    { "container credentials without Token", NULL,
      { "AWS_PROFILE=empty",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/no-token" },
      NULL, NULL, "the reply has no Token", NULL },
    { "container credentials, a host that is not allowed", NULL,
      { "AWS_PROFILE=empty",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://192.0.2.1/creds" },
      NULL, NULL, "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http to host "
      "'192.0.2.1' is not allowed", NULL },
    { "container credentials, a relative URI that moves the host", NULL,
      { "AWS_PROFILE=empty",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=@evil.example/" },
      NULL, NULL, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: it must start "
      "with '/'", NULL },
    { "credential_source EcsContainer", "role-container",
      { "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/ok" },
      "ASIAFAKESTS1", S "-sts", "assumed with container credentials",
      NULL },
    { "instance metadata", NULL,
      { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/ok/" },
      "ASIAIMDSTEST", S "-imds", "EC2 instance metadata (", NULL },
    { "container credentials come before instance metadata", NULL,
      { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/ok/",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI=@/container/ok" },
      "ASIACONTAINERTEST", S "-container", "container credentials", NULL },
    { "credential_source Ec2InstanceMetadata", "role-imds",
      { "AWS_EC2_METADATA_DISABLED=false",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/ok" },
      "ASIAFAKESTS1", S "-sts", "assumed with EC2 instance metadata",
      "AssumeRole arn:aws:iam::111122223333:role/from-imds as "
      "ecpolicy-1700000000 with ASIAIMDSTEST in eu-west-1\n" },
    { "credential_source Ec2InstanceMetadata, none there", "role-imds",
      { "AWS_EC2_METADATA_DISABLED=",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/no-role/" }, NULL, NULL,
      "/no-role/): no IAM role is attached to the instance",
      "" },
    { "expired instance metadata", NULL,
      { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/expired/" }, NULL, NULL,
      "/expired/, role ecp-test-role) expired at 2020-01-01T00:00:00Z",
      NULL },
    { "a bad metadata timeout", NULL,
      { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
        "AWS_METADATA_SERVICE_TIMEOUT=soon" }, NULL, NULL,
      "AWS_METADATA_SERVICE_TIMEOUT: 'soon' is not a number from 0.001 to "
      "3600", NULL },
    { "a bad metadata endpoint mode", NULL,
      { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv5" }, NULL, NULL,
      "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: endpoint mode 'IPv5' is not "
      "IPv4 or IPv6", NULL },
};

/* IMDS cases that end in "nothing found": the reason is in the list. */
struct imds_case {
    const char *mode;
    const char *extra;          /* one more variable, or NULL */
    const char *why;
};

static const struct imds_case imds_cases[] = {
    { "no-token", NULL, "the token request answered HTTP 403" },
    { "token-500", "AWS_METADATA_SERVICE_NUM_ATTEMPTS=2",
      "the token request answered HTTP 500" },
    { "no-role", NULL, "no IAM role is attached to the instance (the role "
      "name request answered HTTP 404)" },
    { "bad-role", NULL, "the reply to the role name request is not an IAM "
      "role name" },
    { "flaky", NULL, "the role name request answered HTTP 500 with "
      "nothing" },
    { "redirect", NULL, "the token request answered HTTP 302" },
    { "bad-json", NULL, "the reply is not a JSON object" },
    { "code", NULL, "the credentials of role ecp-test-role answered Code "
      "'AssumeRoleUnauthorizedAccess'" },
    { "big", NULL, "the reply is larger than 65536 bytes" },
    { "slow", "AWS_METADATA_SERVICE_TIMEOUT=0.3", "no answer within 300 ms" },
};

static void imds_not_found(const struct imds_case *k)
{
    char *endpoint = ecp_asprintf("AWS_EC2_METADATA_SERVICE_ENDPOINT=%s/%s/",
                                  server_url, k->mode);
    const char *vars[] = { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
                           endpoint, k->extra, NULL };
    struct ecp_creds out;
    struct ecp_err err;
    char *want = ecp_asprintf("EC2 instance metadata (%s/%s/): %s. Set",
                              server_url, k->mode, k->why);

    CHECK(resolve(NULL, vars, &fake_sts, &out, &err) == -1,
          "imds %s: no credentials", k->mode);
    CHECK_HAS(err.msg, want, "imds %s: the reason is listed", k->mode);
    free(want);
    free(endpoint);
}

/* The server's log since the last look: one line per request. */
static void requests_are(const char *what, const char *want)
{
    char *log = server_get("/_requests");

    CHECK_STR(log, want, "%s: the requests the server saw", what);
    free(log);
}

static const struct chain_case *find_case(const char *name)
{
    for (size_t i = 0; i < sizeof metadata_cases / sizeof metadata_cases[0];
         i++)
        if (strcmp(metadata_cases[i].name, name) == 0)
            return &metadata_cases[i];
    return &metadata_cases[0];
}

static void imds_sequence(void)
{
    static const struct chain_case flaky = {
        "flaky instance metadata, two attempts", NULL,
        { "AWS_PROFILE=empty", "AWS_EC2_METADATA_DISABLED=",
          "AWS_EC2_METADATA_SERVICE_ENDPOINT=@/flaky",
          "AWS_METADATA_SERVICE_NUM_ATTEMPTS=2" },
        "ASIAIMDSTEST", S "-imds", "role ecp-test-role", NULL
    };
    free(server_get("/_requests"));
    run_case(find_case("instance metadata"));
    requests_are("IMDSv2",
                 "PUT /ok/latest/api/token token=no ttl=yes auth=no\n"
                 "GET /ok/latest/meta-data/iam/security-credentials/ "
                 "token=yes ttl=no auth=no\n"
                 "GET /ok/latest/meta-data/iam/security-credentials/"
                 "ecp-test-role token=yes ttl=no auth=no\n");
    run_case(&flaky);
    requests_are("a retried role name",
                 "PUT /flaky/latest/api/token token=no ttl=yes auth=no\n"
                 "GET /flaky/latest/meta-data/iam/security-credentials/ "
                 "token=yes ttl=no auth=no\n"
                 "GET /flaky/latest/meta-data/iam/security-credentials/ "
                 "token=yes ttl=no auth=no\n"
                 "GET /flaky/latest/meta-data/iam/security-credentials/"
                 "ecp-test-role token=yes ttl=no auth=no\n");
    imds_not_found(&imds_cases[5]);     /* redirect */
    requests_are("a redirect is not followed",
                 "PUT /redirect/latest/api/token token=no ttl=yes auth=no\n");
    {
        /* A timeout means nothing listens: it is not asked again, however
         * many attempts are allowed. */
        char *endpoint = ecp_asprintf("AWS_EC2_METADATA_SERVICE_ENDPOINT=%s/"
                                      "slow/", server_url);
        const char *vars[] = { "AWS_PROFILE=empty",
                               "AWS_EC2_METADATA_DISABLED=", endpoint,
                               "AWS_METADATA_SERVICE_TIMEOUT=0.3",
                               "AWS_METADATA_SERVICE_NUM_ATTEMPTS=3", NULL };
        struct ecp_creds out;
        struct ecp_err err;
        CHECK(resolve(NULL, vars, &fake_sts, &out, &err) == -1,
              "imds slow, three attempts: no credentials");
        requests_are("a token request that timed out is not sent again",
                     "PUT /slow/latest/api/token token=no ttl=yes auth=no\n");
        free(endpoint);
    }
    run_case(find_case("container credentials, a server error"));
    requests_are("a failing container endpoint is tried three times",
                 "GET /container/500 token=no ttl=no auth=no\n"
                 "GET /container/500 token=no ttl=no auth=no\n"
                 "GET /container/500 token=no ttl=no auth=no\n");
    run_case(find_case("container credentials, token in a variable"));
    requests_are("the container Authorization header is sent",
                 "GET /container/auth token=no ttl=no auth=yes\n");
    run_case(find_case("container credentials, a host that is not "
                       "allowed"));
    requests_are("a host that is not allowed is never asked", "");
}

int main(void)
{
    relay_start(NULL, NULL);
    if (server_start() != 0) {
        CHECK(0, "tests/server/metadata.py starts (is python3 there?)");
    } else {
        run_cases(metadata_cases,
                  sizeof metadata_cases / sizeof metadata_cases[0]);
        for (size_t i = 0; i < sizeof imds_cases / sizeof imds_cases[0]; i++)
            imds_not_found(&imds_cases[i]);
        imds_sequence();
    }
    server_stop();
    ecp_buf_free(&sts_log);
    relay_stop();
    return harness_done();
}
