#include <math.h>
#include <stdint.h>
#include <stdio.h>
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

int ecp_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < len;) {
        if (p[i] >= 0x01 && p[i] < 0x80) {     /* the common case */
            i++;
            continue;
        }
        size_t n = p[i] ? utf8_seq(p + i, len - i) : 0;
        if (!n)
            return 0;
        i += n;
    }
    return 1;
}

char *ecp_utf8_clean(const char *s, size_t len)
{
    struct ecp_buf b = { 0 };
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;

    if (ecp_utf8_valid(s, len))
        return ecp_strndup(s, len);
    /* Copy valid runs whole; each bad byte (or NUL, which would cut a C
     * string) becomes U+FFFD. */
    while (i < len) {
        size_t n = p[i] ? utf8_seq(p + i, len - i) : 0;
        if (n) {
            i += n;
            continue;
        }
        ecp_buf_add(&b, p + run, i - run);
        ecp_buf_adds(&b, "\xef\xbf\xbd");
        run = ++i;
    }
    ecp_buf_add(&b, p + run, i - run);
    return ecp_buf_take(&b);
}

static cJSON *string_value(lua_State *L, int idx)
{
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    char *clean;
    cJSON *j;

    if (ecp_utf8_valid(s, len))
        return cJSON_CreateString(s);
    clean = ecp_utf8_clean(s, len);
    j = cJSON_CreateString(clean);
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

/* A key of an object being converted.  String keys point into the table's
 * own strings, which live as long as the table; integer keys of a mixed
 * table get their decimal form. */
struct key {
    const char *name;
    lua_Integer integer;
    int is_integer;
    char digits[24];
};

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(((const struct key *)a)->name, ((const struct key *)b)->name);
}

/* Strict conversion stops at the first value that is not data and says
 * where it is ("[3].port is not a finite number"): the path is built on the
 * way back up, only when something is wrong. */
struct conv {
    int strict;
    int failed;
    char why[512];
};

static void problem(struct conv *c, const char *what)
{
    if (c->strict && !c->failed) {
        c->failed = 1;
        snprintf(c->why, sizeof c->why, "%s", what);
    }
}

/* Put a segment in front of the path of a problem a child just found. */
static void prepend(struct conv *c, const char *seg)
{
    size_t n = strlen(seg), old = strlen(c->why);

    if (!c->failed)
        return;
    if (n + old + 1 > sizeof c->why)
        n = sizeof c->why - old - 1;
    memmove(c->why + n, c->why, old + 1);
    memcpy(c->why, seg, n);
}

static void prepend_index(struct conv *c, lua_Integer i)
{
    char seg[32];

    if (c->failed) {
        snprintf(seg, sizeof seg, "[%lld]", (long long)i);
        prepend(c, seg);
    }
}

static void prepend_key(struct conv *c, const char *name)
{
    char seg[128];

    if (c->failed) {
        snprintf(seg, sizeof seg, ".%.120s", name);
        prepend(c, seg);
    }
}

static cJSON *to_json(lua_State *L, int idx, int depth, struct conv *c);

static cJSON *table_to_json(lua_State *L, int idx, int depth,
                            struct conv *c)
{
    lua_Integer n;
    cJSON *out;
    struct key *keys = NULL;
    size_t nkeys = 0, cap = 0;

    if (is_sequence(L, idx, &n)) {
        out = cJSON_CreateArray();
        for (lua_Integer i = 1; i <= n && !c->failed; i++) {
            lua_rawgeti(L, idx, i);
            cJSON_AddItemToArray(out, to_json(L, -1, depth + 1, c));
            prepend_index(c, i);
            lua_pop(L, 1);
        }
        return out;
    }
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        int is_string = lua_type(L, -1) == LUA_TSTRING;
        if (!is_string && !lua_isinteger(L, -1)) {
            char what[64];
            snprintf(what, sizeof what, " has a %s key",
                     luaL_typename(L, -1));
            problem(c, what);
            continue;
        }
        if (nkeys == cap) {
            cap = cap ? cap * 2 : 8;
            keys = ecp_realloc(keys, cap * sizeof *keys);
        }
        struct key *k = &keys[nkeys++];
        k->is_integer = !is_string;
        if (is_string) {
            k->name = lua_tostring(L, -1);
        } else {
            k->integer = lua_tointeger(L, -1);
            snprintf(k->digits, sizeof k->digits, "%lld",
                     (long long)k->integer);
            k->name = k->digits;
        }
    }
    /* The digits live in the array, so point at them only once it stops
     * moving. */
    for (size_t i = 0; i < nkeys; i++)
        if (keys[i].is_integer)
            keys[i].name = keys[i].digits;
    qsort(keys, nkeys, sizeof *keys, cmp_keys);
    out = cJSON_CreateObject();
    for (size_t i = 0; i < nkeys && !c->failed; i++) {
        if (keys[i].is_integer) {
            lua_rawgeti(L, idx, keys[i].integer);
        } else {
            lua_pushstring(L, keys[i].name);
            lua_rawget(L, idx);
        }
        size_t klen = strlen(keys[i].name);
        if (ecp_utf8_valid(keys[i].name, klen)) {
            cJSON_AddItemToObject(out, keys[i].name,
                                  to_json(L, -1, depth + 1, c));
        } else {
            char *clean = ecp_utf8_clean(keys[i].name, klen);
            cJSON_AddItemToObject(out, clean, to_json(L, -1, depth + 1, c));
            free(clean);
        }
        if (keys[i].is_integer)
            prepend_index(c, keys[i].integer);
        else
            prepend_key(c, keys[i].name);
        lua_pop(L, 1);
    }
    free(keys);
    return out;
}

static cJSON *to_json(lua_State *L, int idx, int depth, struct conv *c)
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
        if (!isfinite(lua_tonumber(L, idx))) {
            problem(c, " is not a finite number");
            return cJSON_CreateNull();
        }
        return cJSON_CreateNumber(lua_tonumber(L, idx));
    case LUA_TSTRING:
        return string_value(L, idx);
    case LUA_TTABLE:
        if (depth >= MAX_DEPTH) {
            problem(c, " is nested too deeply (a table that holds itself?)");
            return cJSON_CreateString("(nested too deeply)");
        }
        if (ecp_ro_is_missing(L, idx))
            return cJSON_CreateString("(not collected)");
        ecp_ro_unwrap(L, idx);
        out = table_to_json(L, lua_gettop(L), depth, c);
        lua_pop(L, 1);
        return out;
    default: {
        char what[64];
        snprintf(what, sizeof what, " is a %s", luaL_typename(L, idx));
        problem(c, what);
        return cJSON_CreateString(lua_typename(L, lua_type(L, idx)));
    }
    }
}

cJSON *ecp_lua_to_json(lua_State *L, int idx)
{
    struct conv c = { 0, 0, "" };

    return to_json(L, idx, 0, &c);
}

cJSON *ecp_lua_to_json_strict(lua_State *L, int idx, char *why,
                              size_t size)
{
    struct conv c = { 1, 0, "" };
    cJSON *out = to_json(L, idx, 0, &c);

    if (!c.failed)
        return out;
    cJSON_Delete(out);
    snprintf(why, size, "%s", c.why);
    return NULL;
}
