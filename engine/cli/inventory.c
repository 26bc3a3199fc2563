#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <lauxlib.h>

#include "cli/cli.h"
#include "collect/inventory.h"
#include "lua/model.h"
#include "util/fs.h"

static const char usage[] =
"usage: ecpolicy inventory --snapshot PATH [options]\n"
"\n"
"Read an inventory and say what is in it: for each region and collection,\n"
"whether it is complete and how many items it holds, and how many caches\n"
"of each kind the model sees.  Nothing is evaluated.  Bad input fails\n"
"here exactly as it would in 'ecpolicy run'.\n"
"\n"
"  --snapshot PATH          a snapshot file or a folder of saved AWS CLI\n"
"                           output (docs/input.md)\n"
"  --write-snapshot FILE    also write the inventory as an ecpolicy\n"
"                           snapshot file (docs/snapshot.md)\n"
"  --format text|json       output format (default text)\n"
"  -o, --output FILE        write to FILE instead of stdout\n";

/* Taken before the model is built, which frees the items as it goes. */
static cJSON *summary(const struct ecp_inventory *inv)
{
    cJSON *root = cJSON_CreateObject(), *regions = cJSON_CreateArray();
    const cJSON *account = inv->account
        ? cJSON_GetObjectItemCaseSensitive(inv->account, "Account") : NULL;

    cJSON_AddStringToObject(root, "kind", inv->source_kind);
    cJSON_AddStringToObject(root, "path", inv->source_path ? inv->source_path
                                                           : "");
    if (cJSON_IsString(account))
        cJSON_AddStringToObject(root, "account", account->valuestring);
    for (size_t i = 0; i < inv->nregions; i++) {
        const struct ecp_region *r = &inv->regions[i];
        cJSON *reg = cJSON_CreateObject(), *cols = cJSON_CreateArray();
        cJSON_AddStringToObject(reg, "name", r->name);
        for (int c = 0; c < ECP_COLL_COUNT; c++) {
            const struct ecp_collection *col = &r->coll[c];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "collection", ecp_coll_info(c)->name);
            cJSON_AddStringToObject(o, "status", ecp_status_name(col->status));
            if (col->items)
                cJSON_AddNumberToObject(o, "items",
                                        cJSON_GetArraySize(col->items));
            if (col->message)
                cJSON_AddStringToObject(o, "message", col->message);
            cJSON_AddItemToArray(cols, o);
        }
        cJSON_AddItemToObject(reg, "collections", cols);
        cJSON_AddItemToArray(regions, reg);
    }
    cJSON_AddItemToObject(root, "regions", regions);
    return root;
}

static void add_cache_counts(cJSON *root, lua_State *L, int model)
{
    cJSON *caches = cJSON_CreateObject();
    lua_getfield(L, model, "counts");
    lua_pushvalue(L, model);
    lua_call(L, 1, 1);
    lua_getfield(L, -1, "caches");
    cJSON_AddNumberToObject(caches, "total", (double)lua_tointeger(L, -1));
    lua_pop(L, 1);
    static const char *const kinds[] = { "cache_cluster", "replication_group",
                                         "serverless_cache", NULL };
    lua_getfield(L, -1, "by_kind");
    for (const char *const *k = kinds; *k; k++) {
        lua_getfield(L, -1, *k);
        cJSON_AddNumberToObject(caches, *k, (double)lua_tointeger(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
    cJSON_AddItemToObject(root, "caches", caches);
}

static void print_text(FILE *f, const cJSON *s)
{
    const cJSON *caches = cJSON_GetObjectItem(s, "caches");
    const cJSON *account = cJSON_GetObjectItem(s, "account");

    fprintf(f, "input: %s (%s)", cJSON_GetObjectItem(s, "path")->valuestring,
            strcmp(cJSON_GetObjectItem(s, "kind")->valuestring, "awscli") == 0
            ? "saved AWS CLI output" : "ecpolicy snapshot");
    if (account)
        fprintf(f, ", account %s", account->valuestring);
    fprintf(f, "\ncaches: %d (%d cache_cluster, %d replication_group, "
            "%d serverless_cache)\n\n",
            cJSON_GetObjectItem(caches, "total")->valueint,
            cJSON_GetObjectItem(caches, "cache_cluster")->valueint,
            cJSON_GetObjectItem(caches, "replication_group")->valueint,
            cJSON_GetObjectItem(caches, "serverless_cache")->valueint);
    fprintf(f, "%-16s %-22s %-13s %7s  %s\n", "REGION", "COLLECTION",
            "STATUS", "ITEMS", "NOTE");
    const cJSON *region;
    cJSON_ArrayForEach(region, cJSON_GetObjectItem(s, "regions")) {
        const char *name = cJSON_GetObjectItem(region, "name")->valuestring;
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(region, "collections")) {
            const cJSON *items = cJSON_GetObjectItem(c, "items");
            const cJSON *msg = cJSON_GetObjectItem(c, "message");
            char count[24] = "-";
            if (items)
                snprintf(count, sizeof count, "%d", items->valueint);
            fprintf(f, "%-16s %-22s %-13s %7s", name,
                    cJSON_GetObjectItem(c, "collection")->valuestring,
                    cJSON_GetObjectItem(c, "status")->valuestring, count);
            if (msg)
                fprintf(f, "  %s", msg->valuestring);
            fputc('\n', f);
        }
    }
}

int cmd_inventory(int argc, char **argv)
{
    struct cli_options o;
    struct ecp_inventory inv;
    struct ecp_host host;
    struct ecp_err err;
    int code, model_ref, have_host = 0;
    cJSON *s = NULL;

    if (cli_parse(argc, argv, "inventory", CLI_INPUT | CLI_OUTPUT | CLI_SAVE,
                  usage, &o, &code))
        return code;
    memset(&inv, 0, sizeof inv);
    code = 2;
    if (!o.snapshot) {
        cli_fail("inventory", "--snapshot PATH is required");
        goto out;
    }
    if (o.npaths) {
        cli_fail("inventory", "unexpected argument '%s'", o.paths[0]);
        goto out;
    }
    if (ecp_inventory_load(o.snapshot, &inv, &err) != 0) {
        cli_fail("inventory", "%s", err.msg);
        goto out;
    }
    for (size_t i = 0; i < inv.nwarnings; i++)
        fprintf(stderr, "ecpolicy: warning: %s\n", inv.warnings[i]);
    if (o.save && ecp_snapshot_write(&inv, o.save, &err) != 0) {
        cli_fail("inventory", "%s", err.msg);
        goto out;
    }
    if (ecp_host_open(&host, &err) != 0) {
        cli_fail("inventory", "%s", err.msg);
        goto out;
    }
    have_host = 1;
    s = summary(&inv);
    if (ecp_model_build(&host, &inv, 1, &model_ref, &err) != 0) {
        cli_fail("inventory", "%s", err.msg);
        goto out;
    }
    lua_rawgeti(host.L, LUA_REGISTRYINDEX, model_ref);
    add_cache_counts(s, host.L, lua_gettop(host.L));
    lua_pop(host.L, 1);
    if (strcmp(o.format, "json") == 0) {
        if (cli_write_json(o.output, s, &err) != 0) {
            cli_fail("inventory", "%s", err.msg);
            goto out;
        }
    } else {
        struct cli_out out;
        FILE *f = cli_out_open(&out, o.output);
        if (f)
            print_text(f, s);
        if (cli_out_close(&out, &err) != 0) {
            cli_fail("inventory", "%s", err.msg);
            goto out;
        }
    }
    code = 0;
out:
    cJSON_Delete(s);
    if (have_host)
        ecp_host_close(&host);
    ecp_inventory_free(&inv);
    cli_options_free(&o);
    return code;
}
