/* Coverage for ecpolicy test: the lines a chunk has and runs, and the
 * limits still stopping a policy while the tracer's hook is installed. */
#include <stdlib.h>

#include <lauxlib.h>

#include "harness.h"
#include "lua/coverage.h"
#include "lua/host.h"
#include "lua/sandbox.h"
#include "util/fs.h"

static struct ecp_host h;

/* Load file in a fresh sandbox and run it under lim, traced; leave its
 * result on the stack. */
static enum ecp_call_status run_file(struct ecp_coverage *cov,
                                     const char *file,
                                     const struct ecp_limits *lim)
{
    static const char *const dirs[] = { "stdlib", NULL };
    struct ecp_call_result r;
    struct ecp_err err;
    char *chunk = NULL;
    enum ecp_call_status st;

    ecp_sandbox_new(h.L, dirs, "test");
    if (ecp_sandbox_loadfile(h.L, file, -1, &err) != 0) {
        lua_pop(h.L, 1);
        return ECP_CALL_ERROR;
    }
    lua_remove(h.L, -2);
    chunk = malloc(strlen(file) + 2);
    sprintf(chunk, "@%s", file);
    ecp_host_set_policy(&h, chunk);
    free(chunk);
    ecp_coverage_start(cov, &h, file);
    st = ecp_host_call(&h, 0, 1, lim, &r);
    ecp_coverage_stop(cov, &h);
    return st;
}

static void write_file(const char *path, const char *text)
{
    struct ecp_err err;

    CHECK(ecp_write_file(path, text, strlen(text), &err) == 0, "write %s",
          path);
}

int main(void)
{
    struct ecp_err err;
    struct ecp_limits lim = { 0.3, 16u << 20 };
    struct ecp_limits mem = { 60, 16u << 20 };
    struct ecp_coverage *cov = ecp_coverage_new();
    char dir[] = "/tmp/ecp-coverage-XXXXXX";
    char file[64], loop[64], bomb[64];
    char *line;

    CHECK(ecp_host_open(&h, &err) == 0, "the host opens");
    CHECK(mkdtemp(dir) != NULL, "a temporary folder");
    snprintf(file, sizeof file, "%s/p.lua", dir);
    snprintf(loop, sizeof loop, "%s/loop.lua", dir);
    snprintf(bomb, sizeof bomb, "%s/bomb.lua", dir);

    /* Lines 4 and 9 never run; the helper is reached through an upvalue
     * and the nested function only by running. */
    write_file(file,
               "local function helper(x)\n"          /* 1 */
               "  if x then\n"                         /* 2 */
               "    return 1\n"                        /* 3 */
               "  end\n"                               /* 4: end of if */
               "  return 2\n"                          /* 5 */
               "end\n"                                 /* 6 */
               "local function check(x)\n"             /* 7 */
               "  local inner = function(y)\n"         /* 8 */
               "    if y then return helper(y) end\n"  /* 9 */
               "    return 0\n"                        /* 10 */
               "  end\n"                               /* 11 */
               "  return inner(x)\n"                   /* 12 */
               "end\n"                                 /* 13 */
               "return check(true), {\n"               /* 14 */
               "  check = check,\n"                    /* 15 */
               "}\n");                                 /* 16 */
    CHECK(run_file(cov, file, &lim) == ECP_CALL_OK, "a traced chunk runs");
    CHECK(lua_gethook(h.L) == NULL, "no hook is left after the call");
    CHECK(ecp_coverage_reach(cov, &h, file, -1, &err) == 0,
          "the reachable functions are walked");
    lua_settop(h.L, 0);
    line = ecp_coverage_describe(cov, 0);
    /* helper's line 5 and inner's line 10 never run; "end" lines and the
     * closing brace are not counted. */
    CHECK_HAS(line, "never run: 5, 10", "the lines never run");
    CHECK_HAS(line, "p.lua: 10 of 12 lines", "the executable lines");
    free(line);

    /* The limits hold while the tracer's hook is installed. */
    write_file(loop, "while true do pcall(function() while true do end end) "
                     "end\n");
    CHECK(run_file(cov, loop, &lim) == ECP_CALL_TIMEOUT,
          "a loop around pcall stops at the time limit, traced");
    CHECK(lua_gethook(h.L) == NULL, "no hook is left after a timeout");
    lua_settop(h.L, 0);
    write_file(bomb, "local t = {}\nfor i = 1, 1e9 do t[i] = {} end\n");
    CHECK(run_file(cov, bomb, &mem) == ECP_CALL_MEMORY,
          "a memory bomb stops at the memory limit, traced");
    lua_settop(h.L, 0);
    line = ecp_coverage_describe(cov, 0);
    CHECK_HAS(line, "bomb.lua: 2 of 2 lines", "the files are in name order");
    free(line);

    remove(file);
    remove(loop);
    remove(bomb);
    remove(dir);
    ecp_coverage_free(cov);
    ecp_host_close(&h);
    return harness_done();
}
