#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lua/readonly.h"
#include "lua/sandbox.h"
#include "util/fs.h"
#include "util/mem.h"

/* Policies and modules are small; anything bigger is a mistake. */
#define MAX_CHUNK_BYTES (4u << 20)

/* Upvalues of the closures that belong to one policy. */
#define UP_LOADED lua_upvalueindex(1)   /* module name -> module */
#define UP_DIRS   lua_upvalueindex(2)   /* list of module folders */
#define UP_LABEL  lua_upvalueindex(3)   /* print prefix */
#define UP_ENV    lua_upvalueindex(4)   /* the environment itself */

static const char LOADING;  /* loaded[name] while its chunk runs */

static const char *const base_allowed[] = {
    "assert", "error", "ipairs", "pairs", "pcall", "select",
    "tonumber", "tostring", "type", "rawequal", "getmetatable", "_VERSION",
    NULL
};

static const char *const libraries[] = { "string", "table", "math", "utf8",
                                         NULL };

static void push_env(lua_State *L, int loaded, int dirs, int label);

static int safe_setmetatable(lua_State *L)
{
    int t = lua_type(L, 2);

    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    /* A finalizer would run at some later collection, outside every
     * budget, so policies may not have one. */
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "__gc metamethods are not allowed in "
                              "policies");
        lua_pop(L, 1);
    }
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/*
 * xpcall(f, handler, ...), with the handler called after the stack has
 * unwound instead of at the error.  Lua runs a message handler with hooks
 * switched off when the error came from a hook, so a handler that loops
 * would escape the time limit.  Policies have no debug library, so the
 * handler could not have looked at the stack anyway.
 */
static int safe_xpcall(lua_State *L)
{
    int n = lua_gettop(L);

    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 1);
    for (int i = 3; i <= n; i++)
        lua_pushvalue(L, i);
    if (lua_pcall(L, n - 2, LUA_MULTRET, 0) == LUA_OK) {
        lua_pushboolean(L, 1);
        lua_insert(L, n + 1);
        return lua_gettop(L) - n;
    }
    lua_pushvalue(L, 2);
    lua_insert(L, -2);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        lua_pop(L, 1);
        lua_pushliteral(L, "error in error handling");
    }
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
}

static int safe_load(lua_State *L)
{
    size_t len;
    const char *src = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "=(load)");
    const char *mode = luaL_optstring(L, 3, "t");
    int env = lua_isnone(L, 4) ? UP_ENV : 4;

    if (!strchr(mode, 't')) {
        luaL_pushfail(L);
        lua_pushliteral(L, "binary chunks are not allowed");
        return 2;
    }
    if (luaL_loadbufferx(L, src, len, name, "t") != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushvalue(L, env);
    if (!lua_setupvalue(L, -2, 1))
        lua_pop(L, 1);
    return 1;
}

/* Control characters from policies never reach the terminal raw. */
static void write_clean(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t')
            fprintf(f, "\\x%02x", c);
        else if (c == 0x7f)
            fputs("\\x7f", f);
        else
            fputc(c, f);
    }
}

static int safe_print(lua_State *L)
{
    int n = lua_gettop(L);

    fprintf(stderr, "[%s] ", lua_tostring(L, UP_LABEL));
    for (int i = 1; i <= n; i++) {
        size_t len;
        const char *s = luaL_tolstring(L, i, &len);
        if (i > 1)
            fputc('\t', stderr);
        write_clean(stderr, s, len);
        lua_pop(L, 1);
    }
    fputc('\n', stderr);
    return 0;
}

static int valid_module_name(const char *name)
{
    const char *p = name;

    if (!*p)
        return 0;
    for (;;) {
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z')))
            return 0;
        p++;
        while (*p == '_' || (*p >= 'a' && *p <= 'z') ||
               (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
            p++;
        if (*p == '\0')
            return 1;
        if (*p != '.')
            return 0;
        p++;
    }
}

/* Find NAME in the module folders; push its path or return 0. */
static int find_module(lua_State *L, const char *name)
{
    char rel[256];
    size_t i;

    if (strlen(name) + 5 > sizeof rel)
        return 0;
    for (i = 0; name[i]; i++)
        rel[i] = name[i] == '.' ? '/' : name[i];
    memcpy(rel + i, ".lua", 5);
    lua_Integer n = (lua_Integer)lua_rawlen(L, UP_DIRS);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, UP_DIRS, k);
        char *path = ecp_path_join(lua_tostring(L, -1), rel);
        lua_pop(L, 1);
        if (ecp_is_file(path)) {
            lua_pushstring(L, path);
            free(path);
            return 1;
        }
        free(path);
    }
    return 0;
}

static int safe_require(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    struct ecp_err err;

    lua_settop(L, 1);
    lua_pushvalue(L, 1);
    if (lua_rawget(L, UP_LOADED) != LUA_TNIL) {      /* [2] */
        if (lua_touserdata(L, 2) == &LOADING)
            return luaL_error(L, "module '%s' requires itself", name);
        return 1;
    }
    if (!valid_module_name(name))
        return luaL_error(L, "require: '%s' is not a module name", name);
    if (!find_module(L, name))                        /* [3] path */
        return luaL_error(L, "module '%s' not found (require finds only "
                          "the ecpolicy standard library)", name);
    push_env(L, UP_LOADED, UP_DIRS, UP_LABEL);        /* [4] env */
    if (ecp_sandbox_loadfile(L, lua_tostring(L, 3), 4, &err) != 0)
        return luaL_error(L, "%s", err.msg);          /* [5] chunk */
    lua_pushvalue(L, 1);
    lua_pushlightuserdata(L, (void *)&LOADING);
    lua_rawset(L, UP_LOADED);
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);                                /* [5] module */
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, UP_LOADED);
    return 1;
}

static int undefined_global(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "undefined global '%s'", lua_tostring(L, 2));
    return luaL_error(L, "undefined global");
}

static void copy_library(lua_State *L, const char *name)
{
    lua_getglobal(L, name);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        /* string.dump would hand out bytecode of any function. */
        if (strcmp(name, "string") == 0 && lua_type(L, -2) == LUA_TSTRING &&
            strcmp(lua_tostring(L, -2), "dump") == 0) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_remove(L, -2);
}

/* A closure over (loaded, dirs, label, env) for the env at the top. */
static void set_closure(lua_State *L, int loaded, int dirs, int label,
                        const char *field, lua_CFunction f)
{
    lua_pushvalue(L, loaded);
    lua_pushvalue(L, dirs);
    lua_pushvalue(L, label);
    lua_pushvalue(L, -4);
    lua_pushcclosure(L, f, 4);
    lua_setfield(L, -2, field);
}

static void push_env(lua_State *L, int loaded, int dirs, int label)
{
    loaded = lua_absindex(L, loaded);
    dirs = lua_absindex(L, dirs);
    label = lua_absindex(L, label);
    lua_createtable(L, 0, 24);
    for (const char *const *f = base_allowed; *f; f++) {
        lua_getglobal(L, *f);
        lua_setfield(L, -2, *f);
    }
    for (const char *const *lib = libraries; *lib; lib++) {
        copy_library(L, *lib);
        lua_setfield(L, -2, *lib);
    }
    ecp_ro_push_next(L);
    lua_setfield(L, -2, "next");
    lua_pushcfunction(L, safe_setmetatable);
    lua_setfield(L, -2, "setmetatable");
    lua_pushcfunction(L, safe_xpcall);
    lua_setfield(L, -2, "xpcall");
    set_closure(L, loaded, dirs, label, "load", safe_load);
    set_closure(L, loaded, dirs, label, "print", safe_print);
    set_closure(L, loaded, dirs, label, "require", safe_require);
    lua_pushvalue(L, -1);
    lua_setfield(L, -2, "_G");
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, undefined_global);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

void ecp_sandbox_new(lua_State *L, const char *const *module_dirs,
                     const char *label)
{
    int n = 0;

    lua_newtable(L);                          /* loaded */
    lua_newtable(L);                          /* dirs */
    for (const char *const *d = module_dirs; d && *d; d++) {
        lua_pushstring(L, *d);
        lua_rawseti(L, -2, ++n);
    }
    lua_pushstring(L, label ? label : "policy");
    push_env(L, -3, -2, -1);
    lua_replace(L, -4);
    lua_pop(L, 2);
}

int ecp_sandbox_loadstring(lua_State *L, const char *src, size_t len,
                           const char *chunkname, int env_idx,
                           struct ecp_err *err)
{
    env_idx = lua_absindex(L, env_idx);
    if (luaL_loadbufferx(L, src, len, chunkname, "t") != LUA_OK) {
        ecp_err_set(err, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
        return -1;
    }
    lua_pushvalue(L, env_idx);
    if (!lua_setupvalue(L, -2, 1))
        lua_pop(L, 1);
    return 0;
}

int ecp_sandbox_loadfile(lua_State *L, const char *path, int env_idx,
                         struct ecp_err *err)
{
    char *src, *chunkname;
    size_t len;
    int rc;

    if (ecp_read_file(path, MAX_CHUNK_BYTES, &src, &len, err) != 0)
        return -1;
    chunkname = ecp_asprintf("@%s", path);
    rc = ecp_sandbox_loadstring(L, src, len, chunkname, env_idx, err);
    free(chunkname);
    free(src);
    return rc;
}
