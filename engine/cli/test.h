#ifndef ECP_CLI_TEST_H
#define ECP_CLI_TEST_H

#include <stddef.h>

#include "lua/coverage.h"
#include "lua/host.h"

/*
 * ecpolicy test (docs/testing.md): test.c is the command (finding the
 * test files, the output, the exit status), test_case.c runs one test
 * file and each of its cases, test_policy.c finds what a test file names:
 * the policy under test, its rule pack, the files it gives as paths.
 */

/* The controls declared in one folder of policies, looked up by id. */
struct test_folder {
    char *dir;
    char **ids, **files;
    size_t n;
    char *error;        /* the folder's policies do not load: why */
};

struct test_run {
    struct ecp_host host;
    struct ecp_limits limits;
    char *stdlib_dir;
    char *builtin_dir;          /* <datadir>/policies, as it is shown */
    struct ecp_coverage *cov;
    int verbose;
    size_t cases, passed, failed;
    size_t unusable;            /* test files that could not be used */
    struct test_folder *folders;
    size_t nfolders;
};

/* One test file while its cases run. */
struct test_file {
    struct test_run *t;
    lua_State *L;
    const char *file;
    char *control;
    char *policy;               /* the policy file under test */
    char *pack;                 /* the rule pack it belongs to, or NULL */
    char *pack_stdlib;          /* the pack's stdlib/, if it has one */
    int pack_settings;          /* registry: the pack's settings, or
                                 * LUA_NOREF */
    const char *module_dirs[3];
    int spec;                   /* stack index of testing.check's answer */
    struct ecp_err err;
};

/* Find the rule pack the file belongs to, read its manifest, and put its
 * stdlib/ on the require path: before the test file runs, which may use
 * the pack's modules. */
int test_pack_open(struct test_file *tf);
void test_pack_close(struct test_file *tf);

/* The policy file under test: its policy field, else the control's id
 * among the pack's policies, then the built-in ones. */
int test_find_policy(struct test_file *tf);

/* A path given in a test file, which is relative to the test file;
 * freshly allocated. */
char *test_beside(const char *file, const char *rel);

/* Run every case of one test file, printing failures (and passes, with
 * -v) and counting them.  0, or -1 when the file could not be used: the
 * message, naming the file and the field, is printed on stderr. */
int test_file_run(struct test_run *t, const char *file);

void test_folders_free(struct test_run *t);

/* path relative to the working folder when it is under it, so messages
 * and coverage show what the user would type; freshly allocated. */
char *test_display_path(const char *path);

#endif
