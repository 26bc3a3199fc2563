/*
 * ecpolicy test [TEST_test.lua | DIR]...: unit tests for policies
 * (docs/testing.md).  This file finds the test files, runs each one
 * (test_case.c), and prints the coverage and the count of cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/test.h"
#include "util/fs.h"
#include "util/mem.h"

/* Folders nested deeper than this are not searched: a symbolic link that
 * points back up would otherwise be followed for ever. */
#define MAX_DEPTH 32

static const char usage[] =
"usage: ecpolicy test [TEST_test.lua | DIR]... [options]\n"
"\n"
"Run the unit tests of policies.  A test file (NAME_test.lua) names a\n"
"control, gives it a fixture (a snapshot, a folder of AWS CLI output or an\n"
"inline table) and says which result each resource must get.  A DIR is\n"
"searched for *_test.lua files, its subfolders too.  With no operand, the\n"
"built-in policies' tests run.  See docs/testing.md.\n"
"\n"
"Options:\n"
"  -v, --verbose        list every case, passed or not\n"
"  --time-limit SEC     time one check call may take (default 5)\n"
"  --memory-limit MB    memory one policy may hold (default 256)\n"
"\n"
"Output: a FAIL line for each failed case, with one line per difference;\n"
"then, for each policy file tested, how many of its lines ran and which\n"
"never did; then the count of cases.\n"
"\n"
"Exit codes:\n"
"  0  every case passed\n"
"  1  some case failed\n"
"  2  a usage error, or a test file could not be used (not found, a Lua\n"
"     error, a bad field, a fixture or a policy that does not load); the\n"
"     message names the file and the field\n";

char *test_display_path(const char *path)
{
    char *cwd = getcwd(NULL, 0);
    size_t n = cwd ? strlen(cwd) : 0;
    char *out;

    if (cwd && n > 1 && strncmp(path, cwd, n) == 0 && path[n] == '/')
        out = ecp_strdup(path + n + 1);
    else
        out = ecp_strdup(path);
    free(cwd);
    return out;
}

static int is_test_name(const char *name)
{
    size_t n = strlen(name);

    return n > 9 && strcmp(name + n - 9, "_test.lua") == 0;
}

static void add_file(char ***files, size_t *n, char *file)
{
    *files = ecp_realloc(*files, (*n + 1) * sizeof **files);
    (*files)[(*n)++] = file;
}

/* The test files under dir, in name order, subfolders included (hidden
 * ones are not: .git). */
static int find_tests(const char *dir, int depth, char ***files, size_t *n,
                      struct ecp_err *err)
{
    char **names;

    if (depth > MAX_DEPTH)
        return 0;
    if (ecp_list_dir(dir, &names, NULL, err) != 0)
        return -1;
    for (char **p = names; *p; p++) {
        char *full;
        if ((*p)[0] == '.')
            continue;
        full = ecp_path_join(dir, *p);
        if (ecp_is_dir(full)) {
            int rc = find_tests(full, depth + 1, files, n, err);
            free(full);
            if (rc != 0) {
                ecp_free_names(names);
                return -1;
            }
        } else if (is_test_name(*p) && ecp_is_file(full)) {
            add_file(files, n, full);
        } else {
            free(full);
        }
    }
    ecp_free_names(names);
    return 0;
}

static int collect(char **paths, size_t npaths, char ***files, size_t *n,
                   struct ecp_err *err)
{
    for (size_t i = 0; i < npaths; i++) {
        const char *p = paths[i];
        size_t before = *n;
        if (ecp_is_file(p)) {
            if (!is_test_name(p))
                return ecp_err_set(err, "%s: not a test file (their names "
                                   "end in _test.lua)", p);
            add_file(files, n, ecp_strdup(p));
            continue;
        }
        if (!ecp_is_dir(p))
            return ecp_err_set(err, "%s: no such test file or folder", p);
        if (find_tests(p, 0, files, n, err) != 0)
            return -1;
        if (*n == before)
            return ecp_err_set(err, "%s: no test files (*_test.lua) in this "
                               "folder or below it", p);
    }
    return 0;
}

static void print_summary(const struct test_run *t)
{
    char *line;

    for (size_t i = 0; (line = ecp_coverage_describe(t->cov, i)); i++) {
        printf("coverage: %s\n", line);
        free(line);
    }
    printf("%zu case%s, %zu passed, %zu failed", t->cases,
           t->cases == 1 ? "" : "s", t->passed, t->failed);
    if (t->unusable)
        printf(", %zu test file%s could not be used", t->unusable,
               t->unusable == 1 ? "" : "s");
    putchar('\n');
}

int cmd_test(int argc, char **argv)
{
    struct cli_options o;
    struct test_run t;
    struct ecp_err err;
    char **files = NULL, *datadir = NULL;
    size_t nfiles = 0;
    int code, have_host = 0;

    if (cli_parse(argc, argv, "test", CLI_VERBOSE | CLI_LIMITS, usage, &o,
                  &code))
        return code;
    memset(&t, 0, sizeof t);
    datadir = cli_datadir(&err);
    if (!datadir) {
        code = cli_fail("test", "%s", err.msg);
        goto out;
    }
    if (o.npaths == 0) {
        char *dir = ecp_asprintf("%s/policies/tests", datadir);
        char *shown = test_display_path(dir);
        code = collect(&shown, 1, &files, &nfiles, &err);
        free(dir);
        free(shown);
    } else {
        code = collect(o.paths, o.npaths, &files, &nfiles, &err);
    }
    if (code != 0) {
        code = cli_fail("test", "%s", err.msg);
        goto out;
    }
    if (ecp_host_open(&t.host, &err) != 0) {
        code = cli_fail("test", "%s", err.msg);
        goto out;
    }
    have_host = 1;
    t.stdlib_dir = ecp_path_join(datadir, "stdlib");
    {
        char *builtin = ecp_path_join(datadir, "policies");
        t.builtin_dir = test_display_path(builtin);
        free(builtin);
    }
    t.limits.time_limit = o.time_limit;
    t.limits.memory_limit = (size_t)(o.memory_limit_mb * 1024 * 1024);
    t.verbose = o.verbose;
    t.cov = ecp_coverage_new();
    for (size_t i = 0; i < nfiles; i++)
        test_file_run(&t, files[i]);
    fflush(stderr);
    print_summary(&t);
    code = t.unusable ? 2 : t.failed ? 1 : 0;
    if (fflush(stdout) != 0)
        code = 2;
out:
    test_folders_free(&t);
    if (have_host)
        ecp_host_close(&t.host);
    ecp_coverage_free(t.cov);
    free(t.stdlib_dir);
    free(t.builtin_dir);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    free(datadir);
    cli_options_free(&o);
    return code;
}
