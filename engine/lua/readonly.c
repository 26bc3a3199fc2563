#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "lua/host.h"
#include "lua/readonly.h"

/* Addresses used as keys: unique, and impossible to spell in Lua. */
static const char REAL_KEY;      /* proxy[REAL_KEY] = real table */
static const char PROXY_MT;      /* registry: metatable of every proxy */
static const char MISSING_MT;    /* registry: metatable of missing markers */
static const char UNKNOWN_MT;    /* registry: metatable of unknown errors */
static const char PROXY_CACHE;   /* registry: real -> proxy, weak values */
static const char WRAPPER;       /* registry: the wrap closure */
static const char ENGINE_API;    /* registry: the table for engine Lua */

/* Upvalues shared by the closures that hand values to policies. */
#define UP_CACHE   lua_upvalueindex(1)
#define UP_MISSING lua_upvalueindex(2)
#define UP_PROXY   lua_upvalueindex(3)

static int raise_unknown_from(lua_State *L, int marker)
{
    const char *reason;

    lua_getfield(L, marker, "reason");
    reason = lua_tostring(L, -1);
    return ecp_ro_raise_unknown(L, reason ? reason : "data not collected");
}

/*
 * Push what a policy may see of the table at idx: raise if it is a
 * missing marker, itself if it is already a proxy, else its proxy.
 * Only for closures that carry the three upvalues above.
 */
static int push_view(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (lua_getmetatable(L, idx)) {
        if (lua_rawequal(L, -1, UP_MISSING)) {
            lua_pop(L, 1);
            return raise_unknown_from(L, idx);
        }
        if (lua_rawequal(L, -1, UP_PROXY)) {
            lua_pop(L, 1);
            lua_pushvalue(L, idx);
            return 1;
        }
        lua_pop(L, 1);
    }
    lua_pushvalue(L, idx);
    if (lua_rawget(L, UP_CACHE) == LUA_TTABLE)
        return 1;
    lua_pop(L, 1);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, idx);
    lua_rawsetp(L, -2, &REAL_KEY);
    lua_pushvalue(L, UP_PROXY);
    lua_setmetatable(L, -2);
    lua_pushvalue(L, idx);
    lua_pushvalue(L, -2);
    lua_rawset(L, UP_CACHE);
    return 1;
}

/* Push the real table of the proxy at idx; error if it is not one. */
static void push_real(lua_State *L, int idx)
{
    if (lua_rawgetp(L, idx, &REAL_KEY) != LUA_TTABLE)
        luaL_error(L, "not an inventory table");
}

static int proxy_index(lua_State *L)
{
    push_real(L, 1);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TTABLE)
        return 1;
    return push_view(L, -1);
}

static int proxy_newindex(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "inventory data is read-only (cannot set "
                          "field '%s')", lua_tostring(L, 2));
    return luaL_error(L, "inventory data is read-only");
}

static int proxy_len(lua_State *L)
{
    push_real(L, 1);
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* next(t, k) that reads through proxies; plain next for other tables. */
static int reading_next(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_rawgetp(L, 1, &REAL_KEY) == LUA_TTABLE) {
        lua_pushvalue(L, 2);                 /* real, key */
        if (!lua_next(L, 3)) {
            lua_pushnil(L);
            return 1;
        }
        if (lua_type(L, -1) == LUA_TTABLE) { /* real, key, value */
            push_view(L, -1);
            lua_remove(L, -2);
        }
        return 2;
    }
    lua_pop(L, 1);
    if (lua_next(L, 1))
        return 2;
    lua_pushnil(L);
    return 1;
}

static int proxy_pairs(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(4));   /* the reading next */
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static int unknown_tostring(lua_State *L)
{
    lua_getfield(L, 1, "reason");
    lua_pushfstring(L, "unknown: %s", lua_tostring(L, -1));
    return 1;
}

static int wrap_value(lua_State *L);

/* Push a closure over the shared upvalues (cache, missing, proxy mt). */
static void push_shared(lua_State *L, lua_CFunction f)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &PROXY_CACHE);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &MISSING_MT);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &PROXY_MT);
    lua_pushcclosure(L, f, 3);
}

void ecp_ro_open(lua_State *L)
{
    lua_newtable(L);                          /* real -> proxy */
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "v");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &PROXY_CACHE);

    lua_createtable(L, 0, 1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &MISSING_MT);

    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, unknown_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "unknown data");
    lua_setfield(L, -2, "__metatable");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &UNKNOWN_MT);

    /* The proxy metatable exists before its closures, which hold it. */
    lua_createtable(L, 0, 5);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &PROXY_MT);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &PROXY_MT);
    push_shared(L, proxy_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, proxy_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, proxy_len);
    lua_setfield(L, -2, "__len");
    lua_rawgetp(L, LUA_REGISTRYINDEX, &PROXY_CACHE);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &MISSING_MT);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &PROXY_MT);
    push_shared(L, reading_next);
    lua_pushcclosure(L, proxy_pairs, 4);
    lua_setfield(L, -2, "__pairs");
    lua_pushliteral(L, "inventory data is read-only");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);

    push_shared(L, wrap_value);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &WRAPPER);
}

void ecp_ro_push_next(lua_State *L)
{
    push_shared(L, reading_next);
}

static int wrap_value(lua_State *L)
{
    lua_settop(L, 1);
    if (lua_type(L, 1) != LUA_TTABLE)
        return 1;
    return push_view(L, 1);
}

void ecp_ro_wrap(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE) {
        lua_pushvalue(L, idx);
        return;
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &WRAPPER);
    lua_pushvalue(L, idx);
    lua_call(L, 1, 1);
}

int ecp_ro_is_proxy(lua_State *L, int idx)
{
    int yes;

    if (lua_type(L, idx) != LUA_TTABLE)
        return 0;
    yes = lua_rawgetp(L, idx, &REAL_KEY) == LUA_TTABLE;
    lua_pop(L, 1);
    return yes;
}

void ecp_ro_unwrap(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE) {
        lua_pushvalue(L, idx);
        return;
    }
    if (lua_rawgetp(L, idx, &REAL_KEY) == LUA_TTABLE)
        return;
    lua_pop(L, 1);
    lua_pushvalue(L, idx);
}

static int has_metatable(lua_State *L, int idx, const void *key)
{
    int yes;

    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
        return 0;
    lua_rawgetp(L, LUA_REGISTRYINDEX, key);
    yes = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return yes;
}

void ecp_ro_push_missing(lua_State *L, const char *reason)
{
    lua_createtable(L, 0, 1);
    lua_pushstring(L, reason);
    lua_setfield(L, -2, "reason");
    lua_rawgetp(L, LUA_REGISTRYINDEX, &MISSING_MT);
    lua_setmetatable(L, -2);
}

int ecp_ro_is_missing(lua_State *L, int idx)
{
    return has_metatable(L, idx, &MISSING_MT);
}

int ecp_ro_raise_unknown(lua_State *L, const char *reason)
{
    struct ecp_host *h = ecp_host_of(L);

    if (!h->touched_missing) {
        h->touched_missing = 1;
        snprintf(h->missing_reason, sizeof h->missing_reason, "%s", reason);
    }
    lua_createtable(L, 0, 1);
    lua_pushstring(L, reason);
    lua_setfield(L, -2, "reason");
    lua_rawgetp(L, LUA_REGISTRYINDEX, &UNKNOWN_MT);
    lua_setmetatable(L, -2);
    return lua_error(L);
}

int ecp_ro_is_unknown(lua_State *L, int idx)
{
    return has_metatable(L, idx, &UNKNOWN_MT);
}

void ecp_ro_unknown_reason(lua_State *L, int idx, char *out, size_t size)
{
    lua_getfield(L, idx, "reason");
    snprintf(out, size, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1)
                                                   : "data not collected");
    lua_pop(L, 1);
}

int ecp_ro_available(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    ecp_ro_unwrap(L, 1);
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    lua_pushboolean(L, !ecp_ro_is_missing(L, -1));
    return 1;
}

int ecp_ro_key(lua_State *L)
{
    lua_settop(L, 1);
    /* The real tables of the model live for the whole run, so their
     * addresses are stable keys; anything else is its own key. */
    if (lua_type(L, 1) == LUA_TTABLE &&
        lua_rawgetp(L, 1, &REAL_KEY) == LUA_TTABLE) {
        lua_pushlightuserdata(L, (void *)lua_topointer(L, -1));
        return 1;
    }
    lua_settop(L, 1);
    return 1;
}

static int api_unwrap(lua_State *L)
{
    lua_settop(L, 1);
    ecp_ro_unwrap(L, 1);
    return 1;
}

static int api_missing(lua_State *L)
{
    ecp_ro_push_missing(L, luaL_checkstring(L, 1));
    return 1;
}

static int api_is_missing(lua_State *L)
{
    lua_pushboolean(L, ecp_ro_is_missing(L, 1));
    return 1;
}

static int api_unknown(lua_State *L)
{
    return ecp_ro_raise_unknown(L, luaL_checkstring(L, 1));
}

void ecp_ro_push_engine_api(lua_State *L)
{
    static const luaL_Reg funcs[] = {
        { "unwrap", api_unwrap },
        { "missing", api_missing },
        { "is_missing", api_is_missing },
        { "unknown", api_unknown },
        { "available", ecp_ro_available },
        { "key", ecp_ro_key },
        { NULL, NULL }
    };

    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &ENGINE_API) == LUA_TTABLE)
        return;
    lua_pop(L, 1);
    luaL_newlib(L, funcs);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &WRAPPER);
    lua_setfield(L, -2, "wrap");
    push_shared(L, reading_next);
    lua_setfield(L, -2, "next");
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &ENGINE_API);
}
