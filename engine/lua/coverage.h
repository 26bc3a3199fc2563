#ifndef ECP_LUA_COVERAGE_H
#define ECP_LUA_COVERAGE_H

#include <stddef.h>

#include "lua/host.h"

/*
 * Line coverage of policy files, for ecpolicy test (docs/testing.md).
 *
 * A line is executable when Lua has code for it in a function the tests
 * could reach: every function reachable from a value (a declaration's
 * check and remediate, their upvalues, tables reachable from those,
 * recursively), and every function of the file seen running, the main
 * chunk included.  A line ran when the line hook saw it.  A function
 * defined inside another that never ran is not counted line by line,
 * since no closure of it exists to look at; the line that defines it is.
 *
 * A line that holds nothing but closing words (`end`, `})`, `else`) is
 * not counted unless it ran: the code Lua puts there is a return that
 * cannot run when a return statement came first.
 */

struct ecp_coverage;

struct ecp_coverage *ecp_coverage_new(void);
void ecp_coverage_free(struct ecp_coverage *c);

/* Record the lines of file (whose chunks are named "@file") that run in
 * the host's calls from now until ecp_coverage_stop. */
void ecp_coverage_start(struct ecp_coverage *c, struct ecp_host *h,
                        const char *file);
void ecp_coverage_stop(struct ecp_coverage *c, struct ecp_host *h);

/* Count as executable the lines of file in every function reachable from
 * the value at idx.  Only raw reads: nothing of the policy's runs. */
int ecp_coverage_reach(struct ecp_coverage *c, struct ecp_host *h,
                       const char *file, int idx, struct ecp_err *err);

/* The files seen, in name order: "FILE: 28 of 30 lines; never run: 41,
 * 57-59" for file i (free() it), or NULL past the last. */
char *ecp_coverage_describe(struct ecp_coverage *c, size_t i);

#endif
