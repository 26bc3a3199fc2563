#ifndef ECP_TESTS_FAKEAWS_H
#define ECP_TESTS_FAKEAWS_H

/*
 * tests/server/fakeaws.py from a C test: a scratch directory, the server
 * started on a scenario (fork and exec, its port read from its stdout),
 * always stopped (atexit, and --exit-with-stdin if the test crashes), and
 * its log read back: the requests it saw for an Action, at most how many
 * at once, and over how many connections.  See tests/server/README.md.
 *
 *     struct server s = { 0 };
 *
 *     if (fakeaws_setup("ecp-http") != 0 ||
 *         server_start(&s, "main", scenario_json, NULL, NULL) != 0)
 *         return harness_done();
 *     ... calls to http://127.0.0.1:s.port/ ...
 *     CHECK(server_saw(&s, "Hello").requests == 1, "...");
 *     server_stop(&s);
 */
#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "util/fs.h"

/* The scratch directory: scenarios, logs, certificates, bodies. */
static char tmpdir[256];

/* ---- the server: started, waited for, and always stopped ---- */

struct server {
    pid_t pid;
    int stdin_fd;           /* its stdin: it exits when this closes */
    int port;
    char log[300], err[300];
};

static struct server *running[4];

static void server_stop(struct server *s)
{
    if (s->pid <= 0)
        return;
    kill(s->pid, SIGTERM);
    close(s->stdin_fd);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
    for (int i = 0; i < 4; i++)
        if (running[i] == s)
            running[i] = NULL;
}

/* atexit: a test that fails still stops its servers.  (A test that
 * crashes closes their stdin, and --exit-with-stdin stops them.) */
static void stop_all(void)
{
    for (int i = 0; i < 4; i++)
        if (running[i])
            server_stop(running[i]);
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char *path = ecp_path_join(dir, name);
    FILE *f = fopen(path, "w");

    if (f) {
        fputs(text, f);
        fclose(f);
    }
    free(path);
}

/* Start fakeaws.py on the scenario; 0, or -1 (reported). */
static int server_start(struct server *s, const char *name,
                        const char *scenario, const char *cert,
                        const char *key)
{
    char path[300], buf[64] = "", cmd[400];
    int out[2], in[2];
    size_t got = 0;

    snprintf(path, sizeof path, "%s/%s.json", tmpdir, name);
    snprintf(s->log, sizeof s->log, "%s/%s.log", tmpdir, name);
    snprintf(s->err, sizeof s->err, "%s/%s.err", tmpdir, name);
    write_text(tmpdir, path + strlen(tmpdir) + 1, scenario);
    if (pipe(out) != 0 || pipe(in) != 0)
        return -1;
    fflush(stdout);
    s->pid = fork();
    if (s->pid == 0) {
        int fd = open(s->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const char *argv[] = { "python3", "tests/server/fakeaws.py",
                               "--port", "0", "--scenario", path,
                               "--log", s->log, "--exit-with-stdin",
                               cert ? "--tls" : NULL, cert, key, NULL };

        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(fd, 2);
        close(in[1]);
        close(out[0]);
        execvp("python3", (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    s->stdin_fd = in[1];
    for (int i = 0; i < 4; i++)
        if (!running[i]) {
            running[i] = s;
            break;
        }
    /* PORT= comes once it listens; connections queue from then on. */
    while (got < sizeof buf - 1 && !strchr(buf, '\n')) {
        struct pollfd p = { out[0], POLLIN, 0 };
        ssize_t n = poll(&p, 1, 20000) > 0 ?
                    read(out[0], buf + got, sizeof buf - 1 - got) : 0;

        if (n <= 0)
            break;
        got += (size_t)n;
        buf[got] = '\0';
    }
    close(out[0]);
    if (sscanf(buf, "PORT=%d", &s->port) == 1 && s->port > 0)
        return 0;
    CHECK(0, "fakeaws %s started", name);
    server_stop(s);
    snprintf(cmd, sizeof cmd, "sed 's/^/#   server: /' '%s'", s->err);
    if (system(cmd) != 0)
        printf("#   (no server output)\n");
    return -1;
}

static int num(const cJSON *line, const char *key)
{
    return (int)cJSON_GetNumberValue(cJSON_GetObjectItem(line, key));
}

static const char *str(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItem(obj, key));
}

/* The server's log lines for one Action, parsed (cJSON_Delete each). */
static int log_lines(const struct server *s, const char *action,
                     cJSON **lines, int max)
{
    char *text = NULL, *line, *save = NULL;
    size_t len;
    int n = 0;

    if (ecp_read_file(s->log, 1 << 26, &text, &len, NULL) != 0)
        return 0;
    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        cJSON *j = cJSON_Parse(line);
        const char *a = str(j, "action");

        if (n < max && a && strcmp(a, action) == 0)
            lines[n++] = j;
        else
            cJSON_Delete(j);
    }
    free(text);
    return n;
}


struct seen {
    int requests, max_in_flight, connections;
};

/* How often the server saw an Action, the most requests it had in hand
 * at once, and over how many TCP connections they came. */
static struct seen server_saw(const struct server *s, const char *action)
{
    cJSON *lines[512];
    int ids[512], n = log_lines(s, action, lines, 512);
    struct seen seen = { n, 0, 0 };

    for (int i = 0; i < n; i++) {
        int id = num(lines[i], "connection"), known = 0;

        if (num(lines[i], "in_flight") > seen.max_in_flight)
            seen.max_in_flight = num(lines[i], "in_flight");
        for (int k = 0; k < seen.connections; k++)
            known |= ids[k] == id;
        if (!known)
            ids[seen.connections++] = id;
        cJSON_Delete(lines[i]);
    }
    return seen;
}

static void remove_tmpdir(void)
{
    char cmd[300];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "fakeaws: could not remove %s\n", tmpdir);
}

/* Make tmpdir (NAME-XXXXXX under $TEST_TMP or /tmp), removed at exit once
 * every server is stopped, and keep every request on 127.0.0.1, never
 * through a proxy; 0, or -1 (reported). */
static int fakeaws_setup(const char *name)
{
    static const char *const proxies[] = { "http_proxy", "https_proxy",
        "HTTPS_PROXY", "ALL_PROXY", "all_proxy", NULL };
    const char *base = getenv("TEST_TMP");

    for (int i = 0; proxies[i]; i++)
        unsetenv(proxies[i]);
    setenv("no_proxy", "127.0.0.1", 1);
    snprintf(tmpdir, sizeof tmpdir, "%s/%s-XXXXXX",
             base && *base ? base : "/tmp", name);
    if (!mkdtemp(tmpdir)) {
        printf("not ok - mkdtemp %s: %s\n", tmpdir, strerror(errno));
        return -1;
    }
    atexit(remove_tmpdir);
    atexit(stop_all);   /* runs first */
    return 0;
}

#endif
