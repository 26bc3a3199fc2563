/*
 * A directory of saved AWS CLI output (docs/input.md):
 *
 *   PATH/account.json                          aws sts get-caller-identity
 *   PATH/<region>/<cli_name>.json              one per collection
 *   PATH/<region>/get-managed-prefix-list-entries-<pl-id>.json
 *
 * Every file is read once, checked against the AWS API model, and its list
 * moved (not copied) into the inventory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/inventory.h"
#include "collect/jsonfile.h"
#include "collect/shapes.h"
#include "collect/validate.h"
#include "util/fs.h"
#include "util/mem.h"

#define PREFIX_ENTRIES_FILE "get-managed-prefix-list-entries-"

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The length of the prefix list id in "get-managed-prefix-list-entries-
 * pl-0123abcd.json", or 0 if the name is not of that form. */
static size_t entries_id_len(const char *name)
{
    const char *id;
    size_t n;

    if (!has_prefix(name, PREFIX_ENTRIES_FILE) || !has_suffix(name, ".json"))
        return 0;
    id = name + strlen(PREFIX_ENTRIES_FILE);
    n = strlen(id) - 5;
    if (n < 4 || strncmp(id, "pl-", 3) != 0)
        return 0;
    for (size_t i = 3; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9')))
            return 0;
    return n;
}

/* Hidden files (.DS_Store, .git) are editor and OS litter, and a README
 * is how people say what a folder holds: neither is worth a warning. */
static int quietly_ignored(const char *name)
{
    return name[0] == '.' || strncmp(name, "README", 6) == 0 ||
           strncmp(name, "readme", 6) == 0;
}

/* The collection a file in a region folder feeds, or -1. */
static int file_collection(const char *name)
{
    char *stem;
    int c;

    if (!has_suffix(name, ".json"))
        return -1;
    if (has_prefix(name, PREFIX_ENTRIES_FILE))
        return entries_id_len(name) ? ECP_COLL_PREFIX_LIST_ENTRIES : -1;
    stem = ecp_strndup(name, strlen(name) - 5);
    c = ecp_coll_by_cli_name(stem);
    free(stem);
    /* its files carry the prefix list id; the bare name is no file of ours */
    return c == ECP_COLL_PREFIX_LIST_ENTRIES ? -1 : c;
}

static int want_object(const cJSON *root, const char *path,
                       const struct ecp_coll_info *info, struct ecp_err *err)
{
    if (cJSON_IsObject(root))
        return 0;
    return ecp_err_set(err, "%s: expected a JSON object ({\"%s\": [...]}) as "
                       "'aws %s %s --output json' prints it, got %s", path,
                       info->list_key, info->service, info->cli_name,
                       ecp_json_kind(root));
}

/* The list member, which must be there: without it the file is not the
 * output of this command (or was cut down with --query). */
static cJSON *list_member(cJSON *root, const char *path,
                          const struct ecp_coll_info *info,
                          struct ecp_err *err)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(root, info->list_key);

    if (!list || cJSON_IsNull(list))
        ecp_err_set(err, "%s: $.%s is missing; expected the output of "
                    "'aws %s %s --output json' (without --query)", path,
                    info->list_key, info->service, info->cli_name);
    return cJSON_IsNull(list) ? NULL : list;
}

/* 1 if the file holds only some pages (its page token is left over), 0 if
 * it is complete, -1 on a token that is not a string. */
static int left_over_token(const cJSON *root, const char *path,
                           const struct ecp_coll_info *info,
                           struct ecp_err *err)
{
    const cJSON *tok = cJSON_GetObjectItemCaseSensitive(root,
                                                        info->page_token);

    if (!tok || cJSON_IsNull(tok))
        return 0;
    if (!cJSON_IsString(tok))
        return ecp_err_set(err, "%s: $.%s: expected a string, got %s", path,
                           info->page_token, ecp_json_kind(tok));
    return tok->valuestring[0] != '\0';
}

/* others: how many more files are in the same state (entries files). */
static char *partial_message(const char *file, size_t others,
                             const char *token)
{
    char more[64] = "";

    if (others)
        snprintf(more, sizeof more, " (and %zu more like it)", others);
    return ecp_asprintf("%s%s holds only some pages (it ends with a %s, as "
                        "output saved with --no-paginate or --max-items "
                        "does); save it again without those options and the "
                        "AWS CLI fetches every page", file, more, token);
}

static int read_collection(const char *path, const char *file,
                           enum ecp_coll c, struct ecp_collection *out,
                           struct ecp_err *err)
{
    const struct ecp_coll_info *info = ecp_coll_info(c);
    char *where = ecp_asprintf("$.%s", info->list_key);
    cJSON *root = ecp_json_read_file(path, err), *list = NULL;
    int partial = -1;

    if (root && want_object(root, path, info, err) == 0 &&
        (list = list_member(root, path, info, err)) != NULL &&
        ecp_validate_items(c, list, path, where, err) == 0)
        partial = left_over_token(root, path, info, err);
    free(where);
    if (partial < 0) {
        cJSON_Delete(root);
        return -1;
    }
    out->items = cJSON_DetachItemViaPointer(root, list);
    out->status = partial ? ECP_ST_PARTIAL : ECP_ST_OK;
    out->message = partial ? partial_message(file, 0, info->page_token)
                           : NULL;
    out->source = ecp_strdup(path);
    cJSON_Delete(root);
    return 0;
}

/* One get-managed-prefix-list-entries-<id>.json becomes one item,
 * {"PrefixListId": id, "Entries": [...]}, added to items.  Returns 1 if the
 * file holds only some pages, 0 if complete, -1 on error. */
static int read_prefix_list_entries(const char *path, const char *id,
                                    cJSON *items, struct ecp_err *err)
{
    const struct ecp_coll_info *info =
        ecp_coll_info(ECP_COLL_PREFIX_LIST_ENTRIES);
    const struct ecp_shape_member *entries = ecp_shape_member(
        ecp_coll_item_shape(ECP_COLL_PREFIX_LIST_ENTRIES), info->list_key);
    cJSON *root = ecp_json_read_file(path, err), *list = NULL, *item;
    int partial = -1;

    if (root && want_object(root, path, info, err) == 0 &&
        (list = list_member(root, path, info, err)) != NULL &&
        ecp_validate(list, entries->target, path, "$.Entries", err) == 0)
        partial = left_over_token(root, path, info, err);
    if (partial < 0) {
        cJSON_Delete(root);
        return -1;
    }
    item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "PrefixListId", id);
    cJSON_AddItemToObject(item, info->list_key,
                          cJSON_DetachItemViaPointer(root, list));
    cJSON_AddItemToArray(items, item);
    cJSON_Delete(root);
    return partial;
}

/* What a region folder holds, sorted into the files we read and the ones
 * we warn about. */
struct region_files {
    const char *coll[ECP_COLL_COUNT];   /* file name per collection */
    const char **entries;               /* prefix list entry files */
    size_t nentries;
};

static void sort_region_files(struct ecp_inventory *inv, const char *dir,
                              char **names, struct region_files *rf)
{
    for (char **n = names; *n; n++) {
        char *path;
        int c = file_collection(*n);

        if (quietly_ignored(*n))
            continue;
        path = ecp_path_join(dir, *n);
        if (ecp_is_dir(path)) {
            ecp_inventory_warn(inv, "%s: a folder inside a region folder; "
                               "ignored", path);
        } else if (c == ECP_COLL_PREFIX_LIST_ENTRIES) {
            rf->entries = ecp_realloc(rf->entries, (rf->nentries + 1) *
                                                       sizeof *rf->entries);
            rf->entries[rf->nentries++] = *n;
        } else if (c >= 0) {
            rf->coll[c] = *n;
        } else {
            ecp_inventory_warn(inv, "%s: not an AWS CLI output file that "
                               "ecpolicy reads (docs/input.md); ignored",
                               path);
        }
        free(path);
    }
}

static int read_all_entries(const char *dir, const struct region_files *rf,
                            struct ecp_collection *out, struct ecp_err *err)
{
    const char *token = ecp_coll_info(ECP_COLL_PREFIX_LIST_ENTRIES)
                            ->page_token;
    size_t partial = 0;
    const char *first_partial = NULL;

    out->items = cJSON_CreateArray();
    for (size_t i = 0; i < rf->nentries; i++) {
        const char *name = rf->entries[i];
        char *path = ecp_path_join(dir, name);
        char *id = ecp_strndup(name + strlen(PREFIX_ENTRIES_FILE),
                               entries_id_len(name));
        int rc = read_prefix_list_entries(path, id, out->items, err);

        free(path);
        free(id);
        if (rc < 0)
            return -1;
        if (rc > 0 && partial++ == 0)
            first_partial = name;
    }
    out->source = ecp_asprintf("%s/" PREFIX_ENTRIES_FILE "*.json", dir);
    out->status = partial ? ECP_ST_PARTIAL : ECP_ST_OK;
    if (partial)
        out->message = partial_message(first_partial, partial - 1, token);
    return 0;
}

static int read_region(struct ecp_inventory *inv, const char *dir,
                       const char *region_name, struct ecp_err *err)
{
    struct region_files rf = { 0 };
    struct ecp_region *region = ecp_inventory_region(inv, region_name);
    char **names;
    int rc = 0;

    if (ecp_list_dir(dir, &names, NULL, err) != 0)
        return -1;
    sort_region_files(inv, dir, names, &rf);
    for (int c = 0; c < ECP_COLL_COUNT && rc == 0; c++) {
        struct ecp_collection *coll = &region->coll[c];
        const char *cli = ecp_coll_info(c)->cli_name;
        char *path;

        if (c == ECP_COLL_PREFIX_LIST_ENTRIES) {
            rc = read_all_entries(dir, &rf, coll, err);
        } else if (rf.coll[c]) {
            path = ecp_path_join(dir, rf.coll[c]);
            rc = read_collection(path, rf.coll[c], c, coll, err);
            free(path);
        } else {
            coll->status = ECP_ST_MISSING;
            coll->message = ecp_asprintf("%s.json is absent", cli);
            path = ecp_asprintf("%s.json", cli);
            coll->source = ecp_path_join(dir, path);
            free(path);
        }
    }
    free(rf.entries);
    ecp_free_names(names);
    return rc;
}

static int read_account(struct ecp_inventory *inv, const char *path,
                        struct ecp_err *err)
{
    cJSON *root = ecp_json_read_file(path, err);

    if (!root)
        return -1;
    if (!cJSON_IsObject(root)) {
        ecp_err_set(err, "%s: expected a JSON object as 'aws sts "
                    "get-caller-identity --output json' prints it, got %s",
                    path, ecp_json_kind(root));
        cJSON_Delete(root);
        return -1;
    }
    if (ecp_validate_account(root, path, "$", err) != 0) {
        cJSON_Delete(root);
        return -1;
    }
    inv->account = root;
    return 0;
}

static int read_top(struct ecp_inventory *inv, const char *dir,
                    struct ecp_err *err)
{
    char **names;
    size_t nregions = 0;
    int rc = 0;

    if (ecp_list_dir(dir, &names, NULL, err) != 0)
        return -1;
    for (char **n = names; *n && rc == 0; n++) {
        char *path = ecp_path_join(dir, *n);
        int is_dir = ecp_is_dir(path);

        if (quietly_ignored(*n)) {
            /* nothing to read, nothing to say */
        } else if (is_dir && ecp_region_name_valid(*n)) {
            rc = read_region(inv, path, *n, err);
            nregions++;
        } else if (is_dir) {
            ecp_inventory_warn(inv, "%s: not a region folder (they are "
                               "named like us-east-1); ignored", path);
        } else if (strcmp(*n, "account.json") == 0) {
            rc = read_account(inv, path, err);
        } else if (file_collection(*n) >= 0) {
            ecp_inventory_warn(inv, "%s: belongs in a region folder "
                               "(%s/<region>/%s); ignored", path, dir, *n);
        } else {
            ecp_inventory_warn(inv, "%s: not an input file ecpolicy reads "
                               "(docs/input.md); ignored", path);
        }
        free(path);
    }
    ecp_free_names(names);
    if (rc == 0 && nregions == 0)
        rc = ecp_err_set(err, "no region folders in %s; expected "
                         "%s/<region>/describe-cache-clusters.json and the "
                         "other files in docs/input.md", dir, dir);
    return rc;
}

int ecp_awscli_read(const char *dir, struct ecp_inventory *inv,
                    struct ecp_err *err)
{
    inv->source_kind = ecp_strdup("awscli");
    inv->source_path = ecp_strdup(dir);
    if (read_top(inv, dir, err) != 0) {
        ecp_inventory_free(inv);
        return -1;
    }
    return 0;
}
