#include <lauxlib.h>

#include "lua/convert.h"
#include "lua/model.h"

static void set_string(lua_State *L, const char *key, const char *value)
{
    if (!value)
        return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

static void push_catalog(lua_State *L)
{
    lua_createtable(L, ECP_COLL_COUNT, 0);
    for (int c = 0; c < ECP_COLL_COUNT; c++) {
        const struct ecp_coll_info *info = ecp_coll_info(c);
        lua_createtable(L, 0, 4);
        set_string(L, "name", info->name);
        set_string(L, "cli_name", info->cli_name);
        set_string(L, "id_member", info->id_member);
        set_string(L, "service", info->service);
        lua_rawseti(L, -2, c + 1);
    }
}

static void push_collection(lua_State *L, struct ecp_collection *c,
                            int consume)
{
    lua_createtable(L, 0, 4);
    set_string(L, "status", ecp_status_name(c->status));
    set_string(L, "message", c->message);
    set_string(L, "source", c->source);
    if (c->items) {
        ecp_json_to_lua(L, c->items);
        lua_setfield(L, -2, "items");
        if (consume) {
            cJSON_Delete(c->items);
            c->items = NULL;
        }
    }
}

/* The raw inventory as model.lua's M.build takes it. */
static void push_raw(lua_State *L, struct ecp_inventory *inv, int consume)
{
    lua_createtable(L, 0, 5);
    push_catalog(L);
    lua_setfield(L, -2, "catalog");
    if (inv->account) {
        ecp_json_to_lua(L, inv->account);
        lua_setfield(L, -2, "account");
    }
    lua_createtable(L, (int)inv->nregions, 0);
    for (size_t i = 0; i < inv->nregions; i++) {
        lua_pushstring(L, inv->regions[i].name);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "regions");
    lua_createtable(L, 0, (int)inv->nregions);
    for (size_t i = 0; i < inv->nregions; i++) {
        struct ecp_region *r = &inv->regions[i];
        lua_createtable(L, 0, ECP_COLL_COUNT);
        for (int c = 0; c < ECP_COLL_COUNT; c++) {
            push_collection(L, &r->coll[c], consume);
            lua_setfield(L, -2, ecp_coll_info(c)->name);
        }
        lua_setfield(L, -2, r->name);
    }
    lua_setfield(L, -2, "collections");
}

static int push_raw_protected(lua_State *L)
{
    struct ecp_inventory *inv = lua_touserdata(L, 1);
    int consume = lua_toboolean(L, 2);

    push_raw(L, inv, consume);
    return 1;
}

int ecp_model_build(struct ecp_host *h, struct ecp_inventory *inv,
                    int consume, int *model_ref, struct ecp_err *err)
{
    lua_State *L = h->L;
    struct ecp_call_result r;
    int rc = -1;

    ecp_host_bulk_load(h, 1);
    if (ecp_host_engine_module(h, "model", err) != 0)
        goto out;
    lua_getfield(L, -1, "build");
    lua_remove(L, -2);
    lua_pushcfunction(L, push_raw_protected);
    lua_pushlightuserdata(L, inv);
    lua_pushboolean(L, consume);
    if (ecp_host_call(h, 2, 1, NULL, &r) != ECP_CALL_OK) {
        lua_pop(L, 1);
        ecp_err_set(err, "%s", r.message);
        goto out;
    }
    if (ecp_host_call(h, 1, 1, NULL, &r) != ECP_CALL_OK) {
        ecp_err_set(err, "%s", r.message);
        goto out;
    }
    *model_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    rc = 0;
out:
    ecp_host_bulk_load(h, 0);
    return rc;
}
