#ifndef ECP_TESTS_HARNESS_H
#define ECP_TESTS_HARNESS_H

/*
 * A TAP-style harness small enough to read in one go.  Each CHECK prints
 * "ok - what" or "not ok - what (file:line)"; tests/run.sh counts those
 * lines.  A test binary exits 1 if anything failed.
 *
 *     int main(void) {
 *         CHECK(1 + 1 == 2, "addition");
 *         CHECK_STR(got, "want", "the name");
 *         return harness_done();
 *     }
 */

#include <stdio.h>
#include <string.h>

static int harness_failed;

/* cond is evaluated once, so it may have side effects. */
#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        int ok_ = (cond) ? 1 : 0;                                         \
        if (!ok_)                                                         \
            harness_failed++;                                             \
        printf(ok_ ? "ok - " : "not ok - ");                              \
        printf(__VA_ARGS__);                                              \
        if (!ok_)                                                         \
            printf(" (%s:%d)", __FILE__, __LINE__);                       \
        printf("\n");                                                     \
    } while (0)

#define CHECK_STR(got, want, ...)                                         \
    do {                                                                  \
        const char *got_ = (got), *want_ = (want);                        \
        int same_ = got_ && want_ ? strcmp(got_, want_) == 0              \
                                  : got_ == want_;                        \
        CHECK(same_, __VA_ARGS__);                                        \
        if (!same_)                                                       \
            printf("#   got:  %s\n#   want: %s\n",                         \
                   got_ ? got_ : "(null)", want_ ? want_ : "(null)");     \
    } while (0)

/* The message contains the fragment. */
#define CHECK_HAS(got, fragment, ...)                                     \
    do {                                                                  \
        const char *got_ = (got), *frag_ = (fragment);                    \
        int has_ = got_ && strstr(got_, frag_) != NULL;                   \
        CHECK(has_, __VA_ARGS__);                                         \
        if (!has_)                                                        \
            printf("#   got:  %s\n#   want a part: %s\n",                  \
                   got_ ? got_ : "(null)", frag_);                        \
    } while (0)

static inline int harness_done(void)
{
    fflush(stdout);
    return harness_failed ? 1 : 0;
}

#endif
