/*
 * Runs Lua unit tests inside the real policy sandbox.
 *
 *     lua_runner DATADIR TEST.lua...
 *
 * A test file is a chunk that returns a table of name -> function; a test
 * fails by raising an error.  It runs in a policy environment whose
 * require finds DATADIR/stdlib and the test file's own folder (for shared
 * fakes), plus these helpers:
 *
 *   readonly(t)        the read-only view a policy would receive of t
 *   missing(reason)    a missing-data marker, to build incomplete fakes
 *   load_policy(path)  the declaration a policy file returns, loaded in a
 *                      sandbox of its own
 *
 * Output is TAP-style "ok - FILE: NAME" / "not ok - FILE: NAME: error".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lua/host.h"
#include "lua/readonly.h"
#include "lua/sandbox.h"
#include "util/err.h"
#include "util/mem.h"

static const struct ecp_limits limits = { 5.0, 256u << 20 };
static const char *module_dirs[3];

static int t_readonly(lua_State *L)
{
    lua_settop(L, 1);
    ecp_ro_wrap(L, 1);
    return 1;
}

static int t_missing(lua_State *L)
{
    ecp_ro_push_missing(L, luaL_checkstring(L, 1));
    return 1;
}

static int t_load_policy(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    struct ecp_err err;

    ecp_sandbox_new(L, module_dirs, path);
    if (ecp_sandbox_loadfile(L, path, -1, &err) != 0)
        return luaL_error(L, "%s", err.msg);
    lua_call(L, 0, 1);
    return 1;
}

static void add_helpers(lua_State *L, int env)
{
    lua_pushcfunction(L, t_readonly);
    lua_setfield(L, env, "readonly");
    lua_pushcfunction(L, t_missing);
    lua_setfield(L, env, "missing");
    lua_pushcfunction(L, t_load_policy);
    lua_setfield(L, env, "load_policy");
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_file(struct ecp_host *h, const char *file)
{
    lua_State *L = h->L;
    struct ecp_call_result r;
    struct ecp_err err;
    char *chunk = ecp_asprintf("@%s", file);
    int failed = 0;

    ecp_sandbox_new(L, module_dirs, file);
    add_helpers(L, lua_gettop(L));
    if (ecp_sandbox_loadfile(L, file, -1, &err) != 0) {
        printf("not ok - %s: %s\n", file, err.msg);
        lua_pop(L, 1);
        free(chunk);
        return 1;
    }
    lua_remove(L, -2);
    ecp_host_set_policy(h, chunk);
    if (ecp_host_call(h, 0, 1, &limits, &r) != ECP_CALL_OK ||
        !lua_istable(L, -1)) {
        printf("not ok - %s: %s\n", file, r.status ? r.message
               : "the file must return a table of tests");
        lua_settop(L, 0);
        free(chunk);
        return 1;
    }
    int tests = lua_gettop(L);
    char **names = NULL;
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, tests)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            names = ecp_realloc(names, (n + 1) * sizeof *names);
            names[n++] = ecp_strdup(lua_tostring(L, -1));
        }
    }
    qsort(names, n, sizeof *names, cmp);
    for (size_t i = 0; i < n; i++) {
        lua_getfield(L, tests, names[i]);
        if (ecp_host_call(h, 0, 0, &limits, &r) == ECP_CALL_OK) {
            printf("ok - %s: %s\n", file, names[i]);
        } else {
            failed++;
            printf("not ok - %s: %s: %s%s%s\n", file, names[i], r.message,
                   r.where[0] ? " at " : "", r.where);
        }
        free(names[i]);
    }
    free(names);
    free(chunk);
    lua_settop(L, 0);
    return failed;
}

int main(int argc, char **argv)
{
    struct ecp_host h;
    struct ecp_err err;
    int failed = 0;

    if (argc < 3) {
        fputs("usage: lua_runner DATADIR TEST.lua...\n", stderr);
        return 2;
    }
    char *stdlib = ecp_asprintf("%s/stdlib", argv[1]);
    module_dirs[0] = stdlib;
    if (ecp_host_open(&h, &err) != 0) {
        fprintf(stderr, "lua_runner: %s\n", err.msg);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        char *dir = ecp_strdup(argv[i]);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        module_dirs[1] = slash ? dir : ".";
        failed += run_file(&h, argv[i]);
        free(dir);
    }
    ecp_host_close(&h);
    free(stdlib);
    return failed ? 1 : 0;
}
