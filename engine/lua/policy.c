#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "collect/collections.h"
#include "lua/policy.h"
#include "lua/sandbox.h"
#include "report/results.h"
#include "util/mem.h"

/* "policies/EC-NET-04.lua" -> "EC-NET-04", what print() prefixes. */
static char *label_of(const char *file)
{
    const char *base = strrchr(file, '/');
    size_t n;

    base = base ? base + 1 : file;
    n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".lua") == 0)
        n -= 4;
    return ecp_strndup(base, n);
}

static void push_collection_set(lua_State *L)
{
    lua_createtable(L, 0, ECP_COLL_COUNT);
    for (int c = 0; c < ECP_COLL_COUNT; c++) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, ecp_coll_info(c)->name);
    }
}

/* An error from running a policy file, with the file named once. */
static int load_error(struct ecp_err *err, const char *file,
                      const struct ecp_call_result *r)
{
    const char *what = r->status == ECP_CALL_TIMEOUT ? "time limit exceeded"
                     : r->status == ECP_CALL_MEMORY ? "memory limit exceeded"
                     : r->status == ECP_CALL_UNKNOWN ? "reads inventory data "
                                                       "while loading"
                     : r->message;

    if (strncmp(r->message, file, strlen(file)) == 0 &&
        r->status == ECP_CALL_ERROR)
        return ecp_err_set(err, "%s", r->message);
    if (r->where[0])
        return ecp_err_set(err, "%s: %s (at %s)", file, what, r->where);
    return ecp_err_set(err, "%s: %s", file, what);
}

static int load_one(struct ecp_host *h, const char *file,
                    const char *const *module_dirs,
                    const struct ecp_limits *limits, int descs,
                    struct ecp_policy *p, struct ecp_err *err)
{
    lua_State *L = h->L;
    struct ecp_call_result r;
    int top = lua_gettop(L);
    char *label = label_of(file);
    char *chunk = ecp_asprintf("@%s", file);

    ecp_sandbox_new(L, module_dirs, label);
    free(label);
    if (ecp_sandbox_loadfile(L, file, -1, err) != 0)
        goto fail;
    ecp_host_set_policy(h, chunk);
    if (ecp_host_call(h, 0, 1, limits, &r) != ECP_CALL_OK) {
        load_error(err, file, &r);
        goto fail;
    }
    /* [env, decl] */
    if (ecp_host_engine_module(h, "declaration", err) != 0)
        goto fail;
    lua_getfield(L, -1, "validate");
    lua_remove(L, -2);
    lua_insert(L, -2);
    lua_pushstring(L, file);
    push_collection_set(L);
    if (ecp_host_call(h, 3, 1, limits, &r) != ECP_CALL_OK) {
        load_error(err, file, &r);
        goto fail;
    }
    /* [env, desc] */
    lua_getfield(L, -1, "id");
    const char *id = lua_tostring(L, -1);
    if (lua_getfield(L, descs, id) == LUA_TTABLE) {
        lua_getfield(L, -1, "file");
        ecp_err_set(err, "%s: id '%s' is already declared by %s", file, id,
                    lua_tostring(L, -1));
        goto fail;
    }
    lua_pop(L, 1);
    lua_pushvalue(L, -2);
    lua_setfield(L, descs, id);
    lua_pop(L, 1);

    memset(p, 0, sizeof *p);
    p->file = ecp_strdup(file);
    lua_pushvalue(L, -1);
    p->desc_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    free(chunk);
    lua_settop(L, top);
    return 0;
fail:
    free(chunk);
    lua_settop(L, top);
    return -1;
}

static char *field_string(lua_State *L, const char *name)
{
    char *s;

    lua_getfield(L, -1, name);
    s = ecp_strdup(lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
    lua_pop(L, 1);
    return s;
}

void ecp_policies_refresh(struct ecp_host *h, struct ecp_policies *ps)
{
    lua_State *L = h->L;

    for (size_t i = 0; i < ps->n; i++) {
        struct ecp_policy *p = &ps->v[i];
        free(p->id);
        free(p->title);
        free(p->resource);
        lua_rawgeti(L, LUA_REGISTRYINDEX, p->desc_ref);
        p->id = field_string(L, "id");
        p->title = field_string(L, "title");
        p->resource = field_string(L, "resource");
        char *sev = field_string(L, "severity");
        p->severity = ecp_severity_by_name(sev);
        free(sev);
        lua_pop(L, 1);
    }
}

int ecp_policies_load(struct ecp_host *h, char *const *files, size_t n,
                      const char *const *module_dirs,
                      const struct ecp_limits *limits,
                      struct ecp_policies *out, struct ecp_err *err)
{
    lua_State *L = h->L;
    int descs;

    memset(out, 0, sizeof *out);
    lua_newtable(L);
    descs = lua_gettop(L);
    out->v = ecp_calloc(n, sizeof *out->v);
    for (size_t i = 0; i < n; i++) {
        if (load_one(h, files[i], module_dirs, limits, descs, &out->v[i],
                     err) != 0) {
            lua_pop(L, 1);
            out->descs_ref = LUA_NOREF;
            ecp_policies_free(h, out);
            return -1;
        }
        out->n++;
    }
    out->descs_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    ecp_policies_refresh(h, out);
    return 0;
}

void ecp_policies_push_desc(struct ecp_host *h, const struct ecp_policies *p,
                            size_t i)
{
    lua_rawgeti(h->L, LUA_REGISTRYINDEX, p->v[i].desc_ref);
}

static void mark(unsigned char needed[ECP_COLL_COUNT], const char *name)
{
    int c = ecp_coll_by_name(name);

    if (c >= 0)
        needed[c] = 1;
}

void ecp_policies_needs(struct ecp_host *h, const struct ecp_policies *ps,
                        unsigned char needed[ECP_COLL_COUNT])
{
    lua_State *L = h->L;

    memset(needed, 0, ECP_COLL_COUNT);
    for (size_t i = 0; i < ps->n; i++) {
        const struct ecp_policy *p = &ps->v[i];
        if (strcmp(p->resource, "cache") == 0) {
            mark(needed, "cache_clusters");
            mark(needed, "replication_groups");
            mark(needed, "serverless_caches");
        } else {
            mark(needed, p->resource);
        }
        ecp_policies_push_desc(h, ps, i);
        lua_getfield(L, -1, "needs");
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        if (n == 0)
            memset(needed, 1, ECP_COLL_COUNT);
        for (lua_Integer k = 1; k <= n; k++) {
            lua_rawgeti(L, -1, k);
            mark(needed, lua_tostring(L, -1));
            lua_pop(L, 1);
        }
        lua_pop(L, 2);
    }
}

static void free_one(struct ecp_host *h, struct ecp_policy *p)
{
    free(p->file);
    free(p->id);
    free(p->title);
    free(p->resource);
    if (h->L)
        luaL_unref(h->L, LUA_REGISTRYINDEX, p->desc_ref);
}

void ecp_policies_filter(struct ecp_host *h, struct ecp_policies *ps,
                         const int *keep)
{
    size_t j = 0;

    for (size_t i = 0; i < ps->n; i++) {
        if (keep[i])
            ps->v[j++] = ps->v[i];
        else
            free_one(h, &ps->v[i]);
    }
    ps->n = j;
}

void ecp_policies_free(struct ecp_host *h, struct ecp_policies *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        free_one(h, &ps->v[i]);
    free(ps->v);
    if (h->L && ps->descs_ref != LUA_NOREF)
        luaL_unref(h->L, LUA_REGISTRYINDEX, ps->descs_ref);
    memset(ps, 0, sizeof *ps);
}
