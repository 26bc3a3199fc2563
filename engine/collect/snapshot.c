/*
 * ecpolicy's own snapshot file (docs/snapshot.md): one JSON object holding
 * the whole inventory, so a run can be repeated, shared and diffed.
 *
 * Writing builds a cJSON tree whose item arrays are references into the
 * inventory (nothing is copied), prints it once and writes it atomically.
 * Reading checks the envelope strictly (it is our format: a misspelt
 * member is a mistake) and the AWS records as leniently as AWS CLI input
 * (collect/validate.c), then moves the item arrays into the inventory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/inventory.h"
#include "collect/jsonfile.h"
#include "collect/timestamp.h"
#include "collect/validate.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"
#include "version.h"

#define SCHEMA "ecpolicy.snapshot/1"

#define BOTH_INPUTS "--snapshot takes an ecpolicy snapshot file " \
    "(docs/snapshot.md) or a directory of saved AWS CLI output "  \
    "(docs/input.md)"

/* ---- writing ---------------------------------------------------------- */

static cJSON *string_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *source_object(const struct ecp_inventory *inv)
{
    cJSON *src;

    if (inv->origin)
        return cJSON_CreateObjectReference(inv->origin->child);
    src = cJSON_CreateObject();
    cJSON_AddStringToObject(src, "kind",
                            inv->source_kind ? inv->source_kind : "unknown");
    if (inv->source_path)
        cJSON_AddStringToObject(src, "path", inv->source_path);
    return src;
}

static cJSON *collection_object(const struct ecp_collection *coll)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "status", ecp_status_name(coll->status));
    if (coll->message)
        cJSON_AddStringToObject(o, "message", coll->message);
    if (coll->source)
        cJSON_AddStringToObject(o, "source", coll->source);
    if (coll->status == ECP_ST_OK || coll->status == ECP_ST_PARTIAL)
        cJSON_AddItemToObject(o, "items", coll->items
                              ? cJSON_CreateArrayReference(coll->items->child)
                              : cJSON_CreateArray());
    return o;
}

char *ecp_snapshot_text(const struct ecp_inventory *inv)
{
    cJSON *root = cJSON_CreateObject(), *regions;
    struct ecp_buf out = { 0 };
    char *text;

    cJSON_AddStringToObject(root, "schema", SCHEMA);
    cJSON_AddStringToObject(root, "ecpolicy_version", ECP_VERSION);
    cJSON_AddItemToObject(root, "collected_at",
                          string_or_null(inv->collected_at));
    cJSON_AddItemToObject(root, "source", source_object(inv));
    cJSON_AddItemToObject(root, "account", inv->account
                          ? cJSON_CreateObjectReference(inv->account->child)
                          : cJSON_CreateNull());
    regions = cJSON_AddObjectToObject(root, "regions");
    for (size_t i = 0; i < inv->nregions; i++) {
        const struct ecp_region *r = &inv->regions[i];
        cJSON *ro = cJSON_AddObjectToObject(regions, r->name);

        for (int c = 0; c < ECP_COLL_COUNT; c++)
            cJSON_AddItemToObject(ro, ecp_coll_info(c)->name,
                                  collection_object(&r->coll[c]));
    }
    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return NULL;
    ecp_buf_adds(&out, text);
    ecp_buf_addc(&out, '\n');
    cJSON_free(text);
    return ecp_buf_take(&out);
}

int ecp_snapshot_write(const struct ecp_inventory *inv, const char *path,
                       struct ecp_err *err)
{
    char *text = ecp_snapshot_text(inv);
    int rc;

    if (!text)
        return ecp_err_set(err, "%s: out of memory formatting the snapshot",
                           path);
    rc = ecp_write_file(path, text, strlen(text), err);
    free(text);
    return rc;
}

/* ---- reading ---------------------------------------------------------- */

struct reader {
    const char *file;
    struct ecp_err *err;
};

static int bad(struct reader *rd, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(struct reader *rd, const char *path, const char *fmt, ...)
{
    char what[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ecp_err_set(rd->err, "%s: %s: %s", rd->file, path, what);
}

/* Every member of obj must be one of the NULL-terminated names. */
static int only_members(struct reader *rd, const cJSON *obj, const char *path,
                        const char *const *names)
{
    const cJSON *m;

    cJSON_ArrayForEach(m, obj) {
        const char *const *n = names;
        struct ecp_buf list = { 0 };

        while (*n && strcmp(*n, m->string) != 0)
            n++;
        if (*n)
            continue;
        for (n = names; *n; n++)
            ecp_buf_printf(&list, "%s%s", n == names ? "" : ", ", *n);
        bad(rd, path, "unknown member \"%s\" (an " SCHEMA " file has %s)",
            m->string, list.data);
        ecp_buf_free(&list);
        return -1;
    }
    return 0;
}

/* A member that may be a string, null or absent: its string or NULL. */
static int optional_string(struct reader *rd, const cJSON *obj,
                           const char *key, const char *path,
                           const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v)) {
        char *p = ecp_asprintf("%s.%s", path, key);

        bad(rd, p, "expected a string, got %s", ecp_json_kind(v));
        free(p);
        return -1;
    }
    *out = v->valuestring;
    return 0;
}

static int status_of(struct reader *rd, const cJSON *obj, const char *path,
                     enum ecp_status *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "status");
    struct ecp_buf names = { 0 };
    char *p;
    int s;

    if (!v)
        return bad(rd, path, "status is missing");
    s = cJSON_IsString(v) ? ecp_status_by_name(v->valuestring) : -1;
    if (s >= 0) {
        *out = (enum ecp_status)s;
        return 0;
    }
    for (int i = 0; i < ECP_ST_COUNT; i++)
        ecp_buf_printf(&names, "%s%s", i ? ", " : "",
                       ecp_status_name((enum ecp_status)i));
    p = ecp_asprintf("%s.status", path);
    if (cJSON_IsString(v))
        bad(rd, p, "\"%s\" is not a status (expected one of %s)",
            v->valuestring, names.data);
    else
        bad(rd, p, "expected a string (one of %s), got %s", names.data,
            ecp_json_kind(v));
    free(p);
    ecp_buf_free(&names);
    return -1;
}

static int read_collection(struct reader *rd, cJSON *obj, enum ecp_coll c,
                           const char *path, struct ecp_collection *out)
{
    static const char *const members[] = { "status", "message", "source",
                                           "items", NULL };
    cJSON *items;
    const char *message, *source;
    char *items_path;
    int rc, has_items;

    if (!cJSON_IsObject(obj))
        return bad(rd, path, "expected an object ({\"status\": ...}), got %s",
                   ecp_json_kind(obj));
    if (only_members(rd, obj, path, members) != 0 ||
        status_of(rd, obj, path, &out->status) != 0 ||
        optional_string(rd, obj, "message", path, &message) != 0 ||
        optional_string(rd, obj, "source", path, &source) != 0)
        return -1;
    has_items = out->status == ECP_ST_OK || out->status == ECP_ST_PARTIAL;
    items = cJSON_GetObjectItemCaseSensitive(obj, "items");
    if (cJSON_IsNull(items))
        items = NULL;
    if (has_items && !items)
        return bad(rd, path, "items is missing (a collection that is %s "
                   "has its items)", ecp_status_name(out->status));
    if (items) {
        items_path = ecp_asprintf("%s.items", path);
        if (has_items)
            rc = ecp_validate_items(c, items, rd->file, items_path, rd->err);
        else
            rc = bad(rd, items_path, "only a collection that is ok or "
                     "partial has items, and this one is %s",
                     ecp_status_name(out->status));
        free(items_path);
        if (rc != 0)
            return -1;
        out->items = cJSON_DetachItemViaPointer(obj, items);
    }
    out->message = message ? ecp_strdup(message) : NULL;
    out->source = source ? ecp_strdup(source) : NULL;
    return 0;
}

static int read_region(struct reader *rd, struct ecp_inventory *inv,
                       cJSON *obj, const char *name)
{
    int seen[ECP_COLL_COUNT] = { 0 };
    size_t before = inv->nregions;
    struct ecp_region *region;
    char *path = ecp_asprintf("$.regions.%s", name);
    cJSON *m;
    int rc = 0;

    if (!ecp_region_name_valid(name))
        rc = bad(rd, path, "not an AWS region name (like us-east-1)");
    else if (!cJSON_IsObject(obj))
        rc = bad(rd, path, "expected an object of collections, got %s",
                 ecp_json_kind(obj));
    region = rc == 0 ? ecp_inventory_region(inv, name) : NULL;
    if (rc == 0 && inv->nregions == before)
        rc = bad(rd, path, "the region appears twice");
    for (m = rc == 0 ? obj->child : NULL; m && rc == 0; m = m->next) {
        int c = ecp_coll_by_name(m->string);
        char *cpath = ecp_asprintf("%s.%s", path, m->string);

        if (c < 0)
            rc = bad(rd, cpath, "not a collection (docs/inventory-model.md "
                     "lists them)");
        else if (seen[c]++)
            rc = bad(rd, cpath, "the collection appears twice");
        else
            rc = read_collection(rd, m, c, cpath, &region->coll[c]);
        free(cpath);
    }
    for (int c = 0; c < ECP_COLL_COUNT && rc == 0; c++) {
        if (seen[c])
            continue;
        region->coll[c].status = ECP_ST_MISSING;
        region->coll[c].message = ecp_strdup("not in the snapshot");
        region->coll[c].source = ecp_strdup(rd->file);
    }
    free(path);
    return rc;
}

static int read_schema(struct reader *rd, const cJSON *root)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "schema");

    if (!v)
        return ecp_err_set(rd->err, "%s: no \"schema\" member, so not an "
                           "ecpolicy snapshot; " BOTH_INPUTS, rd->file);
    if (!cJSON_IsString(v) || strcmp(v->valuestring, SCHEMA) != 0) {
        char got[128];

        if (cJSON_IsString(v))
            snprintf(got, sizeof got, "\"%.100s\"", v->valuestring);
        else
            snprintf(got, sizeof got, "%s", ecp_json_kind(v));
        return bad(rd, "$.schema", "%s is not a snapshot schema this build "
                   "reads (it reads " SCHEMA ")", got);
    }
    return 0;
}

static int read_header(struct reader *rd, struct ecp_inventory *inv,
                       cJSON *root)
{
    static const char *const members[] = {
        "schema", "ecpolicy_version", "collected_at", "source", "account",
        "regions", NULL };
    cJSON *at = cJSON_GetObjectItemCaseSensitive(root, "collected_at");
    cJSON *src = cJSON_GetObjectItemCaseSensitive(root, "source");
    cJSON *acct = cJSON_GetObjectItemCaseSensitive(root, "account");
    const char *version, *kind;

    if (read_schema(rd, root) != 0 ||
        only_members(rd, root, "$", members) != 0 ||
        optional_string(rd, root, "ecpolicy_version", "$", &version) != 0)
        return -1;
    if (at && !cJSON_IsNull(at)) {
        struct ecp_timestamp t;
        char canon[ECP_TIMESTAMP_SIZE];
        const char *why = "not a string or a number";
        int rc = -1;

        if (cJSON_IsString(at))
            rc = ecp_timestamp_parse(at->valuestring, &t, &why);
        else if (cJSON_IsNumber(at))
            rc = ecp_timestamp_from_seconds(at->valuedouble, &t, &why);
        if (rc != 0 && cJSON_IsString(at))
            return bad(rd, "$.collected_at", "expected a timestamp, got "
                       "\"%.100s\": %s", at->valuestring, why);
        if (rc != 0)
            return bad(rd, "$.collected_at", "expected a timestamp, got "
                       "%s: %s", ecp_json_kind(at), why);
        ecp_timestamp_format(&t, canon);
        inv->collected_at = ecp_strdup(canon);
    }
    if (src && !cJSON_IsNull(src)) {
        if (!cJSON_IsObject(src))
            return bad(rd, "$.source", "expected an object, got %s",
                       ecp_json_kind(src));
        if (optional_string(rd, src, "kind", "$.source", &kind) != 0)
            return -1;
        if (!kind)
            return bad(rd, "$.source", "kind is missing");
        inv->origin = cJSON_DetachItemViaPointer(root, src);
    }
    if (acct && !cJSON_IsNull(acct)) {
        if (!cJSON_IsObject(acct))
            return bad(rd, "$.account", "expected an object (the output of "
                       "aws sts get-caller-identity) or null, got %s",
                       ecp_json_kind(acct));
        if (ecp_validate_account(acct, rd->file, "$.account", rd->err) != 0)
            return -1;
        inv->account = cJSON_DetachItemViaPointer(root, acct);
    }
    return 0;
}

static int read_root(struct reader *rd, struct ecp_inventory *inv,
                     cJSON *root)
{
    cJSON *regions, *r;

    if (!cJSON_IsObject(root))
        return ecp_err_set(rd->err, "%s: expected a JSON object, got %s; "
                           BOTH_INPUTS, rd->file, ecp_json_kind(root));
    if (read_header(rd, inv, root) != 0)
        return -1;
    regions = cJSON_GetObjectItemCaseSensitive(root, "regions");
    if (!regions)
        return bad(rd, "$", "regions is missing");
    if (!cJSON_IsObject(regions))
        return bad(rd, "$.regions", "expected an object, got %s",
                   ecp_json_kind(regions));
    cJSON_ArrayForEach(r, regions)
        if (read_region(rd, inv, r, r->string) != 0)
            return -1;
    return 0;
}

int ecp_snapshot_read(const char *file, struct ecp_inventory *inv,
                      struct ecp_err *err)
{
    struct reader rd = { .file = file, .err = err };
    cJSON *root = ecp_json_read_file(file, err);
    int rc = root ? read_root(&rd, inv, root) : -1;

    cJSON_Delete(root);
    if (rc != 0) {
        ecp_inventory_free(inv);
        return -1;
    }
    inv->source_kind = ecp_strdup("snapshot");
    inv->source_path = ecp_strdup(file);
    return 0;
}
