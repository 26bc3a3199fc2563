#ifndef ECP_TESTS_RELAY_H
#define ECP_TESTS_RELAY_H

/*
 * The relay that keeps fixture secrets out of a test's output.  Every
 * fixture secret holds SECRET_MARK; relay_start() sends everything the
 * test (and whatever it runs) prints to stdout or stderr through a forked
 * relay, which passes it on and at the end adds
 *
 *     ok - nothing printed holds a fixture secret
 *
 * (or "not ok").  Given a must_show text, it also checks that this text
 * did appear, under the label must_show_what.  relay_stop() waits for it
 * and counts a failure of its own.  Set ECP_TEST_NO_RELAY=1 to see the
 * output of a crashing run.
 *
 *     relay_start(NULL, NULL);
 *     ... the tests ...
 *     relay_stop();
 *     return harness_done();
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "util/buf.h"

#define SECRET_MARK "ecp-fixture-secret"

static pid_t relay_pid = -1;
static int relay_out = -1, relay_err = -1;

/* The relay's own end: copy the pipe to stdout, then judge all of it. */
_Noreturn static void relay_run(int from, const char *must_show,
                      const char *must_show_what)
{
    struct ecp_buf all = { 0 };
    char chunk[4096];
    ssize_t n;
    int found, shown = 1;

    while ((n = read(from, chunk, sizeof chunk)) > 0 ||
           (n < 0 && errno == EINTR)) {
        ecp_buf_add(&all, chunk, n > 0 ? (size_t)n : 0);
        if (n > 0 && write(STDOUT_FILENO, chunk, (size_t)n) != n)
            break;
    }
    found = all.data && strstr(all.data, SECRET_MARK) != NULL;
    dprintf(STDOUT_FILENO, "%s - nothing printed holds a fixture secret\n",
            found ? "not ok" : "ok");
    if (must_show) {
        shown = all.data && strstr(all.data, must_show) != NULL;
        dprintf(STDOUT_FILENO, "%s - %s\n", shown ? "ok" : "not ok",
                must_show_what);
    }
    ecp_buf_free(&all);
    _exit(found || !shown ? 1 : 0);
}

/* must_show: text the output must hold (NULL: none), its label. */
static void relay_start(const char *must_show, const char *must_show_what)
{
    int p[2];

    if (getenv("ECP_TEST_NO_RELAY") || pipe(p) != 0)
        return;
    fflush(stdout);
    fflush(stderr);
    relay_pid = fork();
    if (relay_pid == 0) {
        close(p[1]);
        relay_run(p[0], must_show, must_show_what);
    }
    close(p[0]);
    if (relay_pid < 0)
        return;
    relay_out = dup(STDOUT_FILENO);
    relay_err = dup(STDERR_FILENO);
    dup2(p[1], STDOUT_FILENO);
    dup2(p[1], STDERR_FILENO);
    close(p[1]);
    /* Whole lines, so what children print cannot land inside one. */
    setvbuf(stdout, NULL, _IOLBF, 0);
}

static void relay_stop(void)
{
    int status;

    if (relay_pid <= 0)
        return;
    fflush(stdout);
    fflush(stderr);
    dup2(relay_out, STDOUT_FILENO);
    dup2(relay_err, STDERR_FILENO);
    close(relay_out);
    close(relay_err);
    if (waitpid(relay_pid, &status, 0) != relay_pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        harness_failed++;
    relay_pid = -1;
}

#endif
