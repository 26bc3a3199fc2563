#ifndef ECP_CLI_TEST_H
#define ECP_CLI_TEST_H

#include <stddef.h>

#include "lua/coverage.h"
#include "lua/host.h"

/*
 * ecpolicy test (docs/testing.md): test.c is the command (finding the
 * test files, the output, the exit status), test_case.c runs one test
 * file: its checks, the policy it names, and each case.
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

/* Run every case of one test file, printing failures (and passes, with
 * -v) and counting them.  0, or -1 when the file could not be used: the
 * message, naming the file and the field, is printed on stderr. */
int test_file_run(struct test_run *t, const char *file);

void test_folders_free(struct test_run *t);

/* path relative to the working folder when it is under it, so messages
 * and coverage show what the user would type; freshly allocated. */
char *test_display_path(const char *path);

#endif
