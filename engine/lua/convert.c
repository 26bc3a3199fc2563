#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lua/convert.h"
#include "lua/readonly.h"
#include "util/buf.h"
#include "util/mem.h"

#define MAX_DEPTH 32

static int count_children(const cJSON *item)
{
    int n = 0;

    for (const cJSON *c = item->child; c; c = c->next)
        n++;
    return n;
}

static void push_number(lua_State *L, double d)
{
    /* 2^63 is exact in a double; anything in range and integral is an
     * integer on the Lua side, so ports compare with == 6379. */
    if (d == floor(d) && d >= -9223372036854775808.0 &&
        d < 9223372036854775808.0)
        lua_pushinteger(L, (lua_Integer)d);
    else
        lua_pushnumber(L, d);
}

void ecp_json_to_lua(lua_State *L, const cJSON *item)
{
    luaL_checkstack(L, 4, "JSON nested too deeply");
    if (cJSON_IsObject(item)) {
        lua_createtable(L, 0, count_children(item));
        for (const cJSON *c = item->child; c; c = c->next) {
            if (cJSON_IsNull(c) || !c->string)
                continue;
            ecp_json_to_lua(L, c);
            lua_setfield(L, -2, c->string);
        }
    } else if (cJSON_IsArray(item)) {
        lua_Integer i = 0;
        lua_createtable(L, count_children(item), 0);
        for (const cJSON *c = item->child; c; c = c->next) {
            ecp_json_to_lua(L, c);
            lua_rawseti(L, -2, ++i);
        }
    } else if (cJSON_IsString(item)) {
        lua_pushstring(L, item->valuestring);
    } else if (cJSON_IsNumber(item)) {
        push_number(L, item->valuedouble);
    } else if (cJSON_IsBool(item)) {
        lua_pushboolean(L, cJSON_IsTrue(item));
    } else {
        lua_pushnil(L);
    }
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
    unsigned c = s[0];
    size_t n;
    uint32_t cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    if (n > left)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

char *ecp_utf8_clean(const char *s, size_t len)
{
    struct ecp_buf b = { 0 };
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        size_t n = utf8_seq(p + i, len - i);
        if (n == 1 && p[i] == 0) {
            ecp_buf_adds(&b, "\xef\xbf\xbd");  /* a NUL would cut C strings */
            i++;
        } else if (n) {
            ecp_buf_add(&b, p + i, n);
            i += n;
        } else {
            ecp_buf_adds(&b, "\xef\xbf\xbd");
            i++;
        }
    }
    return ecp_buf_take(&b);
}

static cJSON *string_value(lua_State *L, int idx)
{
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    char *clean = ecp_utf8_clean(s, len);
    cJSON *j = cJSON_CreateString(clean);

    free(clean);
    return j;
}

/* Is the (real, raw) table at idx a sequence 1..n with nothing else? */
static int is_sequence(lua_State *L, int idx, lua_Integer *n_out)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;

    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (!lua_isinteger(L, -1)) {
            lua_pop(L, 1);
            return 0;
        }
        lua_Integer k = lua_tointeger(L, -1);
        if (k < 1 || k > n) {
            lua_pop(L, 1);
            return 0;
        }
        count++;
    }
    *n_out = n;
    return count == n;
}

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static cJSON *to_json(lua_State *L, int idx, int depth);

static cJSON *table_to_json(lua_State *L, int idx, int depth)
{
    lua_Integer n;
    cJSON *out;
    char **keys = NULL;
    size_t nkeys = 0, cap = 0;

    if (is_sequence(L, idx, &n)) {
        out = cJSON_CreateArray();
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, idx, i);
            cJSON_AddItemToArray(out, to_json(L, -1, depth + 1));
            lua_pop(L, 1);
        }
        return out;
    }
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING && !lua_isinteger(L, -1))
            continue;
        if (nkeys == cap) {
            cap = cap ? cap * 2 : 8;
            keys = ecp_realloc(keys, cap * sizeof *keys);
        }
        lua_pushvalue(L, -1);             /* tostring would change the key */
        keys[nkeys++] = ecp_strdup(lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    qsort(keys, nkeys, sizeof *keys, cmp_keys);
    out = cJSON_CreateObject();
    for (size_t i = 0; i < nkeys; i++) {
        lua_pushstring(L, keys[i]);
        if (lua_rawget(L, idx) == LUA_TNIL) {
            /* an integer key in a mixed table */
            lua_pop(L, 1);
            lua_Integer k = strtoll(keys[i], NULL, 10);
            lua_rawgeti(L, idx, k);
        }
        char *clean = ecp_utf8_clean(keys[i], strlen(keys[i]));
        cJSON_AddItemToObject(out, clean, to_json(L, -1, depth + 1));
        free(clean);
        lua_pop(L, 1);
        free(keys[i]);
    }
    free(keys);
    return out;
}

static cJSON *to_json(lua_State *L, int idx, int depth)
{
    cJSON *out;

    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 6, "value nested too deeply");
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return cJSON_CreateNull();
    case LUA_TBOOLEAN:
        return cJSON_CreateBool(lua_toboolean(L, idx));
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            return cJSON_CreateNumber((double)lua_tointeger(L, idx));
        if (!isfinite(lua_tonumber(L, idx)))
            return cJSON_CreateNull();
        return cJSON_CreateNumber(lua_tonumber(L, idx));
    case LUA_TSTRING:
        return string_value(L, idx);
    case LUA_TTABLE:
        if (depth >= MAX_DEPTH)
            return cJSON_CreateString("(nested too deeply)");
        if (ecp_ro_is_missing(L, idx))
            return cJSON_CreateString("(not collected)");
        ecp_ro_unwrap(L, idx);
        out = table_to_json(L, lua_gettop(L), depth);
        lua_pop(L, 1);
        return out;
    default:
        return cJSON_CreateString(lua_typename(L, lua_type(L, idx)));
    }
}

cJSON *ecp_lua_to_json(lua_State *L, int idx)
{
    return to_json(L, idx, 0);
}
