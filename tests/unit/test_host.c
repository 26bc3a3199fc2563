/* The Lua host: limits that pcall cannot defeat, read-only views, missing
 * data, JSON conversion.  Driven through the C API, as the runner does. */
#include <time.h>

#include <lauxlib.h>

#include "harness.h"
#include "lua/convert.h"
#include "lua/host.h"
#include "lua/readonly.h"
#include "lua/sandbox.h"
#include "util/clock.h"

static struct ecp_host h;

/* Run src as a policy chunk in a fresh sandbox; return the call status and
 * leave one result (or nothing) on the stack. */
static enum ecp_call_status run(const char *src, const struct ecp_limits *lim,
                                struct ecp_call_result *r)
{
    struct ecp_err err;
    static const char *const dirs[] = { "stdlib", NULL };

    ecp_sandbox_new(h.L, dirs, "test");
    if (ecp_sandbox_loadstring(h.L, src, strlen(src), "@test.lua", -1,
                               &err) != 0) {
        snprintf(r->message, sizeof r->message, "%s", err.msg);
        lua_pop(h.L, 1);
        return ECP_CALL_ERROR;
    }
    lua_remove(h.L, -2);
    ecp_host_set_policy(&h, "@test.lua");
    return ecp_host_call(&h, 0, 1, lim, r);
}

static void expect(const char *name, const char *src, enum ecp_call_status want,
                   const char *fragment, const struct ecp_limits *lim)
{
    struct ecp_call_result r;
    enum ecp_call_status got = run(src, lim, &r);

    CHECK(got == want, "%s: status %d (want %d)", name, got, want);
    if (fragment)
        CHECK_HAS(got == ECP_CALL_OK ? lua_tostring(h.L, -1) : r.message,
                  fragment, "%s: message", name);
    lua_settop(h.L, 0);
}

/*
 * Lua can lose a hook that the watchdog's signal installs (a signal that
 * lands inside luaG_traceexec, between its reading the hook mask and its
 * counting down).  This stands for that: it waits in C until the watchdog
 * has signalled the deadline, then takes the hook away, as the race would,
 * before the caller loops forever.
 */
static int lose_the_wakeup(lua_State *L)
{
    long long until = ecp_clock_ms() + 450;   /* the deadline is at 300 ms */

    while (ecp_clock_ms() < until) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    lua_sethook(L, NULL, 0, 0);
    return 0;
}

/* Give the chunk a global "inv": a read-only view of a small model. */
static void set_view_global(void)
{
    lua_newtable(h.L);                          /* real */
    lua_pushstring(h.L, "orders");
    lua_setfield(h.L, -2, "id");
    lua_createtable(h.L, 2, 0);
    lua_pushinteger(h.L, 6379);
    lua_rawseti(h.L, -2, 1);
    lua_pushinteger(h.L, 6380);
    lua_rawseti(h.L, -2, 2);
    lua_setfield(h.L, -2, "ports");
    ecp_ro_push_missing(h.L, "security groups were not collected");
    lua_setfield(h.L, -2, "security_groups");
    ecp_ro_wrap(h.L, -1);
    lua_setglobal(h.L, "inv_view");
    lua_pop(h.L, 1);
}

int main(void)
{
    struct ecp_err err;
    struct ecp_limits lim = { 0.3, 16u << 20 };
    /* Memory cases get time enough to reach the ceiling under valgrind. */
    struct ecp_limits mem = { 60, 16u << 20 };

    CHECK(ecp_host_open(&h, &err) == 0, "the host opens");
    expect("a plain value", "return 'x' .. 1", ECP_CALL_OK, "x1", &lim);
    expect("an error names the line", "\n\nerror('boom')", ECP_CALL_ERROR,
           "test.lua:3: boom", &lim);
    expect("an endless loop", "while true do end", ECP_CALL_TIMEOUT, NULL, &lim);
    expect("a loop around pcall", "while true do pcall(function() while true "
           "do end end) end", ECP_CALL_TIMEOUT, NULL, &lim);
    expect("a loop in xpcall's handler", "xpcall(function() while true do end "
           "end, function() while true do end end) while true do end",
           ECP_CALL_TIMEOUT, NULL, &lim);
    {
        static const char src[] = "local lose = ... lose() while true do end";
        struct ecp_call_result lost;
        ecp_sandbox_new(h.L, NULL, "test");
        CHECK(ecp_sandbox_loadstring(h.L, src, sizeof src - 1, "@test.lua",
                                     -1, &err) == 0, "the lost wake-up loads");
        lua_remove(h.L, -2);
        lua_pushcfunction(h.L, lose_the_wakeup);
        ecp_host_set_policy(&h, "@test.lua");
        /* Were the deadline signalled only once, the watchdog would abort
         * the whole process after its grace. */
        CHECK(ecp_host_call(&h, 1, 0, &lim, &lost) == ECP_CALL_TIMEOUT,
              "a loop whose wake-up was lost is still stopped");
        lua_settop(h.L, 0);
    }
    expect("a memory bomb", "local t = {} for i = 1, 1e9 do t[i] = {} end",
           ECP_CALL_MEMORY, NULL, &mem);
    expect("a caught memory bomb", "pcall(string.rep, 'x', 1 << 28) "
           "return 'survived'", ECP_CALL_MEMORY, NULL, &mem);
    expect("memory is measured from the policy's start",
           "local s = string.rep('x', 1 << 20) return #s", ECP_CALL_OK, NULL,
           &mem);
    expect("binary chunks are refused", "return load('\\27Lua')",
           ECP_CALL_OK, NULL, &lim);

    /* The limits are off outside armed calls: the engine's own work. */
    struct ecp_call_result r;
    luaL_loadstring(h.L, "local t = {} for i = 1, 1e6 do t[i] = i end");
    CHECK(ecp_host_call(&h, 0, 0, NULL, &r) == ECP_CALL_OK,
          "an unlimited call is not capped");

    set_view_global();
    lua_getglobal(h.L, "inv_view");
    CHECK(ecp_ro_is_proxy(h.L, -1), "wrap makes a proxy");
    ecp_ro_unwrap(h.L, -1);
    CHECK(!ecp_ro_is_proxy(h.L, -1) && lua_istable(h.L, -1),
          "unwrap gives the real table");
    lua_settop(h.L, 0);

    /* Policies reach the view through a global copied into their env. */
    lua_getglobal(h.L, "inv_view");
    lua_setfield(h.L, LUA_REGISTRYINDEX, "test.view");

    static const struct { const char *name, *src; int status; const char *msg; } cases[] = {
        { "reads work", "return v.id .. #v.ports .. v.ports[2]", ECP_CALL_OK, "orders26380" },
        { "ipairs works", "local s = 0 for _, p in ipairs(v.ports) do s = s + p end return s",
          ECP_CALL_OK, "12759" },
        { "pairs works", "local n = 0 for k in pairs(v.ports) do n = n + k end return n",
          ECP_CALL_OK, "3" },
        { "next works", "return tostring(next(v.ports) ~= nil)", ECP_CALL_OK, "true" },
        { "identity holds", "return tostring(v.ports == v.ports)", ECP_CALL_OK, "true" },
        { "writes raise", "v.id = 'x'", ECP_CALL_ERROR, "read-only (cannot set field 'id')" },
        { "nested writes raise", "v.ports[1] = 1", ECP_CALL_ERROR, "read-only" },
        { "table.insert raises", "table.insert(v.ports, 1)", ECP_CALL_ERROR, "read-only" },
        { "the metatable is protected", "return getmetatable(v)", ECP_CALL_OK,
          "inventory data is read-only" },
        { "missing data aborts as unknown", "return #v.security_groups", ECP_CALL_UNKNOWN,
          "security groups were not collected" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char src[512];
        snprintf(src, sizeof src, "local v = ...\n%s", cases[i].src);
        ecp_sandbox_new(h.L, NULL, "view");
        CHECK(ecp_sandbox_loadstring(h.L, src, strlen(src), "@view.lua", -1, &err) == 0,
              "%s: loads", cases[i].name);
        lua_remove(h.L, -2);
        lua_getfield(h.L, LUA_REGISTRYINDEX, "test.view");
        ecp_host_set_policy(&h, "@view.lua");
        enum ecp_call_status st = ecp_host_call(&h, 1, 1, &lim, &r);
        CHECK((int)st == cases[i].status, "%s: status %d", cases[i].name, st);
        const char *text = st == ECP_CALL_OK ? luaL_tolstring(h.L, -1, NULL) : r.message;
        CHECK_HAS(text, cases[i].msg, "%s: result", cases[i].name);
        lua_settop(h.L, 0);
    }

    /* A pass after a caught unknown is flagged for the runner. */
    ecp_sandbox_new(h.L, NULL, "view");
    const char *caught = "local v = ...\npcall(function() return v.security_groups end)\n"
                         "return 'pass'";
    ecp_sandbox_loadstring(h.L, caught, strlen(caught), "@view.lua", -1, &err);
    lua_remove(h.L, -2);
    lua_getfield(h.L, LUA_REGISTRYINDEX, "test.view");
    CHECK(ecp_host_call(&h, 1, 1, &lim, &r) == ECP_CALL_OK, "a caught unknown returns");
    CHECK(h.touched_missing, "the host remembers the missing data it touched");
    CHECK_HAS(h.missing_reason, "security groups", "with the reason");
    lua_settop(h.L, 0);

    /* JSON from Lua: sorted keys, sequences, missing markers, bad UTF-8. */
    CHECK(luaL_dostring(h.L, "return { b = 1, a = { 3, 2 }, c = 'x\\255y', d = {} }") == 0,
          "a table to convert");
    cJSON *j = ecp_lua_to_json(h.L, -1);
    char *text = cJSON_PrintUnformatted(j);
    CHECK_STR(text, "{\"a\":[3,2],\"b\":1,\"c\":\"x\xef\xbf\xbdy\",\"d\":[]}",
              "Lua to JSON: sorted keys, arrays, clean UTF-8");
    cJSON_free(text);
    cJSON_Delete(j);
    lua_settop(h.L, 0);
    ecp_ro_push_missing(h.L, "gone");
    j = ecp_lua_to_json(h.L, -1);
    CHECK(cJSON_IsString(j) && strcmp(j->valuestring, "(not collected)") == 0,
          "a missing marker converts to a note");
    cJSON_Delete(j);
    lua_settop(h.L, 0);

    cJSON *in = cJSON_Parse("{\"Port\":6379,\"F\":1.5,\"On\":true,\"N\":null,\"L\":[\"a\"]}");
    ecp_json_to_lua(h.L, in);
    lua_getfield(h.L, -1, "Port");
    CHECK(lua_isinteger(h.L, -1) && lua_tointeger(h.L, -1) == 6379,
          "JSON integers become Lua integers");
    lua_getfield(h.L, -2, "F");
    CHECK(!lua_isinteger(h.L, -1) && lua_tonumber(h.L, -1) == 1.5,
          "JSON fractions stay floats");
    lua_getfield(h.L, -3, "N");
    CHECK(lua_isnil(h.L, -1), "JSON null members are left out");
    cJSON_Delete(in);
    lua_settop(h.L, 0);

    ecp_host_close(&h);
    return harness_done();
}
