#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/fixture.h"
#include "collect/shapes.h"
#include "collect/validate.h"
#include "util/buf.h"
#include "util/mem.h"

#define CHECKS (ECP_VALIDATE_STRICT | ECP_VALIDATE_FROM_ONE | ECP_VALIDATE_LUA)

struct reader {
    const char *file;
    struct ecp_err *err;
};

/* What a value was in the test file's Lua. */
static const char *lua_kind(const cJSON *v)
{
    if (cJSON_IsArray(v))
        return "a list";
    if (cJSON_IsObject(v))
        return "a table with named keys";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    return "nil";
}

/* A table keyed by names; {} came over as an empty array. */
static int is_map(const cJSON *v)
{
    return cJSON_IsObject(v) || (cJSON_IsArray(v) && !v->child);
}

static int want_map(struct reader *rd, const cJSON *v, const char *path,
                    const char *what)
{
    if (is_map(v))
        return 0;
    return ecp_err_at(rd->err, rd->file, path, "expected %s, got %s", what,
                      lua_kind(v));
}

/* The statuses errors may give: collected, but not (wholly) read. */
static int error_status(const char *name)
{
    int s = ecp_status_by_name(name);

    return s == ECP_ST_OK || s == ECP_ST_MISSING ? -1 : s;
}

static int read_errors(struct reader *rd, const cJSON *errors,
                       const char *path, int status[ECP_COLL_COUNT])
{
    const cJSON *m;

    if (!errors)
        return 0;
    if (want_map(rd, errors, path, "a table of collection = status") != 0)
        return -1;
    cJSON_ArrayForEach(m, errors) {
        char *p = ecp_asprintf("%s.%s", path, m->string);
        int c = ecp_coll_by_name(m->string);
        int s = cJSON_IsString(m) ? error_status(m->valuestring) : -1;
        int rc = 0;

        if (c < 0)
            rc = ecp_err_at(rd->err, rd->file, p, "not a collection "
                            "(docs/inventory-model.md lists them)");
        else if (s < 0)
            rc = ecp_err_at(rd->err, rd->file, p, "expected one of "
                            "access_denied, throttled, timeout, malformed, "
                            "partial, error; got %s%s%s%s", lua_kind(m),
                            cJSON_IsString(m) ? " (\"" : "",
                            cJSON_IsString(m) ? m->valuestring : "",
                            cJSON_IsString(m) ? "\")" : "");
        else
            status[c] = s;
        free(p);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* { "pl-0a1": [entries] } as the items AWS CLI folders give:
 * { "PrefixListId": "pl-0a1", "Entries": [...] } each (collect/awscli.c). */
static cJSON *prefix_list_items(struct reader *rd, cJSON *lists,
                                const char *path)
{
    const struct ecp_coll_info *info =
        ecp_coll_info(ECP_COLL_PREFIX_LIST_ENTRIES);
    const struct ecp_shape_member *entries = ecp_shape_member(
        ecp_coll_item_shape(ECP_COLL_PREFIX_LIST_ENTRIES), info->list_key);
    cJSON *items, *m;

    if (want_map(rd, lists, path, "a table of prefix list id = { entries }")
        != 0)
        return NULL;
    items = cJSON_CreateArray();
    while ((m = lists->child) != NULL) {
        char *p = ecp_asprintf("%s.%s", path, m->string);
        int rc = ecp_validate_with(m, entries->target, rd->file, p, CHECKS,
                                   rd->err);
        free(p);
        if (rc != 0) {
            cJSON_Delete(items);
            return NULL;
        }
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, info->id_member, m->string);
        cJSON_AddItemToObject(item, info->list_key,
                              cJSON_DetachItemViaPointer(lists, m));
        cJSON_AddItemToArray(items, item);
    }
    return items;
}

static int read_collection(struct reader *rd, cJSON *given, enum ecp_coll c,
                           int status, const char *path,
                           struct ecp_collection *out)
{
    const char *name = ecp_coll_info(c)->name;
    int has_items;

    if (!given && status < 0) {
        out->status = ECP_ST_MISSING;
        out->message = ecp_strdup("not in the fixture");
        out->source = ecp_strdup(rd->file);
        return 0;
    }
    out->status = status < 0 ? ECP_ST_OK : (enum ecp_status)status;
    has_items = out->status == ECP_ST_OK || out->status == ECP_ST_PARTIAL;
    if (given && !has_items)
        return ecp_err_at(rd->err, rd->file, path, "errors makes %s %s, and "
                          "a collection that was not read has no records: "
                          "give one or the other", name,
                          ecp_status_name(out->status));
    out->source = ecp_strdup(rd->file);
    if (status >= 0)
        out->message = ecp_strdup("as the fixture's errors say");
    if (!given) {
        out->items = has_items ? cJSON_CreateArray() : NULL;
        return 0;
    }
    if (c == ECP_COLL_PREFIX_LIST_ENTRIES) {
        out->items = prefix_list_items(rd, given, path);
        return out->items ? 0 : -1;
    }
    if (!cJSON_IsArray(given))
        return ecp_err_at(rd->err, rd->file, path, "expected a list of "
                          "records, got %s", lua_kind(given));
    if (ecp_validate_items_with(c, given, rd->file, path, CHECKS, rd->err)
        != 0)
        return -1;
    out->items = given;
    return 0;
}

static int read_region(struct reader *rd, struct ecp_inventory *inv,
                       cJSON *obj, const char *name, const char *path)
{
    int status[ECP_COLL_COUNT];
    cJSON *given[ECP_COLL_COUNT] = { 0 };
    char *errors_path = ecp_asprintf("%s.errors", path);
    struct ecp_region *region;
    cJSON *m;
    int rc;

    for (int c = 0; c < ECP_COLL_COUNT; c++)
        status[c] = -1;
    rc = want_map(rd, obj, path, "a table of collection = { records }");
    if (rc == 0)
        rc = read_errors(rd, cJSON_GetObjectItemCaseSensitive(obj, "errors"),
                         errors_path, status);
    free(errors_path);
    for (m = rc == 0 ? obj->child : NULL; m && rc == 0; m = m->next) {
        int c = ecp_coll_by_name(m->string);
        if (c >= 0) {
            given[c] = m;
        } else if (strcmp(m->string, "errors") != 0) {
            struct ecp_buf names = { 0 };
            for (int k = 0; k < ECP_COLL_COUNT; k++)
                ecp_buf_printf(&names, "%s, ", ecp_coll_info(k)->name);
            rc = ecp_err_at(rd->err, rd->file, path, "'%s' is not a "
                            "collection (a region holds %serrors)",
                            m->string, names.data);
            ecp_buf_free(&names);
        }
    }
    region = rc == 0 ? ecp_inventory_region(inv, name) : NULL;
    for (int c = 0; c < ECP_COLL_COUNT && rc == 0; c++) {
        char *p = ecp_asprintf("%s.%s", path, ecp_coll_info(c)->name);
        if (given[c])
            given[c] = cJSON_DetachItemViaPointer(obj, given[c]);
        rc = read_collection(rd, given[c], c, status[c], p,
                             &region->coll[c]);
        if (region->coll[c].items != given[c])
            cJSON_Delete(given[c]);
        free(p);
    }
    return rc;
}

static int read_account(struct reader *rd, struct ecp_inventory *inv,
                        const cJSON *v, const char *path)
{
    char *p;

    if (cJSON_IsString(v) && v->valuestring[0]) {
        inv->account = cJSON_CreateObject();
        cJSON_AddStringToObject(inv->account, "Account", v->valuestring);
        return 0;
    }
    p = ecp_asprintf("%s.account", path);
    ecp_err_at(rd->err, rd->file, p, "expected the account id as a string "
               "(\"123456789012\"), got %s",
               cJSON_IsString(v) ? "an empty string" : lua_kind(v));
    free(p);
    return -1;
}

static int read_fixture(struct reader *rd, struct ecp_inventory *inv,
                        cJSON *fixture, const char *path)
{
    cJSON *regions, *m;
    char *regions_path;
    int rc = 0;

    if (want_map(rd, fixture, path, "a table { account = ..., regions = "
                 "{ ... } }") != 0)
        return -1;
    cJSON_ArrayForEach(m, fixture)
        if (strcmp(m->string, "account") != 0 &&
            strcmp(m->string, "regions") != 0)
            return ecp_err_at(rd->err, rd->file, path, "unknown field '%s' "
                              "(a fixture has account and regions)",
                              m->string);
    m = cJSON_GetObjectItemCaseSensitive(fixture, "account");
    if (m && read_account(rd, inv, m, path) != 0)
        return -1;
    regions = cJSON_GetObjectItemCaseSensitive(fixture, "regions");
    if (!regions)
        return ecp_err_at(rd->err, rd->file, path, "regions is missing (a "
                          "fixture names its regions: regions = { "
                          "[\"us-east-1\"] = { ... } })");
    regions_path = ecp_asprintf("%s.regions", path);
    rc = want_map(rd, regions, regions_path, "a table of region name = "
                  "{ collections }");
    for (m = rc == 0 ? regions->child : NULL; m && rc == 0; m = m->next) {
        char *p = ecp_asprintf("%s.%s", regions_path, m->string);
        if (!ecp_region_name_valid(m->string))
            rc = ecp_err_at(rd->err, rd->file, p, "not an AWS region name "
                            "(like us-east-1)");
        else
            rc = read_region(rd, inv, m, m->string, p);
        free(p);
    }
    free(regions_path);
    return rc;
}

int ecp_fixture_read(cJSON *fixture, const char *file, const char *path,
                     struct ecp_inventory *inv, struct ecp_err *err)
{
    struct reader rd = { file, err };

    if (read_fixture(&rd, inv, fixture, path) != 0) {
        ecp_inventory_free(inv);
        return -1;
    }
    inv->source_kind = ecp_strdup("fixture");
    inv->source_path = ecp_strdup(file);
    return 0;
}
