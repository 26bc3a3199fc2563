#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collect/inventory.h"
#include "util/mem.h"

static const char *const status_names[ECP_ST_COUNT] = {
    [ECP_ST_MISSING] = "missing",
    [ECP_ST_OK] = "ok",
    [ECP_ST_PARTIAL] = "partial",
    [ECP_ST_ACCESS_DENIED] = "access_denied",
    [ECP_ST_THROTTLED] = "throttled",
    [ECP_ST_TIMEOUT] = "timeout",
    [ECP_ST_MALFORMED] = "malformed",
    [ECP_ST_ERROR] = "error",
};

const char *ecp_status_name(enum ecp_status s)
{
    if ((unsigned)s >= ECP_ST_COUNT)
        return "error";
    return status_names[s];
}

int ecp_status_by_name(const char *name)
{
    for (int s = 0; s < ECP_ST_COUNT; s++)
        if (strcmp(status_names[s], name) == 0)
            return s;
    return -1;
}

struct ecp_region *ecp_inventory_region(struct ecp_inventory *inv,
                                        const char *name)
{
    size_t lo = 0, hi = inv->nregions;
    struct ecp_region *r;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, inv->regions[mid].name);

        if (c == 0)
            return &inv->regions[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    inv->regions = ecp_realloc(inv->regions,
                               (inv->nregions + 1) * sizeof *inv->regions);
    memmove(&inv->regions[lo + 1], &inv->regions[lo],
            (inv->nregions - lo) * sizeof *inv->regions);
    inv->nregions++;
    r = &inv->regions[lo];
    memset(r, 0, sizeof *r);
    r->name = ecp_strdup(name);
    return r;
}

void ecp_inventory_warn(struct ecp_inventory *inv, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = ecp_vasprintf(fmt, ap);
    va_end(ap);
    inv->warnings = ecp_realloc(inv->warnings,
                                (inv->nwarnings + 1) * sizeof *inv->warnings);
    inv->warnings[inv->nwarnings++] = msg;
}

static int all_lower(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return 0;
    return n > 0;
}

static int is_direction(const char *s, size_t n)
{
    static const char *const words[] = {
        "east", "west", "north", "south", "central",
        "northeast", "northwest", "southeast", "southwest",
    };

    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
            return 1;
    return 0;
}

/*
 * <area>[-<partition or country>]-<direction>-<number>: every region in
 * botocore's endpoints.json has this form.  The direction word is what
 * keeps a folder such as "old-snap-1" from passing for a region.
 */
int ecp_region_name_valid(const char *name)
{
    const char *part[5];
    size_t len[5], n = 0;
    const char *p = name;

    for (;;) {
        const char *dash = strchr(p, '-');
        size_t l = dash ? (size_t)(dash - p) : strlen(p);

        if (n == 5)
            return 0;
        part[n] = p;
        len[n++] = l;
        if (!dash)
            break;
        p = dash + 1;
    }
    if (n < 3 || n > 4)
        return 0;
    if (!all_lower(part[0], len[0]) || len[0] < 2 || len[0] > 4)
        return 0;
    if (n == 4 && (!all_lower(part[1], len[1]) || len[1] < 2 || len[1] > 4))
        return 0;
    if (!is_direction(part[n - 2], len[n - 2]))
        return 0;
    if (len[n - 1] < 1 || len[n - 1] > 2 || part[n - 1][0] == '0')
        return 0;
    for (size_t i = 0; i < len[n - 1]; i++)
        if (part[n - 1][i] < '0' || part[n - 1][i] > '9')
            return 0;
    return 1;
}

int ecp_inventory_load(const char *path, struct ecp_inventory *inv,
                       struct ecp_err *err)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return ecp_err_set(err, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return ecp_awscli_read(path, inv, err);
    if (S_ISREG(st.st_mode))
        return ecp_snapshot_read(path, inv, err);
    return ecp_err_set(err, "%s: not a regular file or a directory; "
                       "--snapshot takes an ecpolicy snapshot file or a "
                       "directory of saved AWS CLI output (docs/input.md)",
                       path);
}

static void free_collection(struct ecp_collection *c)
{
    free(c->message);
    free(c->source);
    cJSON_Delete(c->items);
}

void ecp_inventory_free(struct ecp_inventory *inv)
{
    if (!inv)
        return;
    for (size_t i = 0; i < inv->nregions; i++) {
        for (int c = 0; c < ECP_COLL_COUNT; c++)
            free_collection(&inv->regions[i].coll[c]);
        free(inv->regions[i].name);
    }
    free(inv->regions);
    for (size_t i = 0; i < inv->nwarnings; i++)
        free(inv->warnings[i]);
    free(inv->warnings);
    free(inv->source_kind);
    free(inv->source_path);
    free(inv->collected_at);
    cJSON_Delete(inv->account);
    cJSON_Delete(inv->origin);
    memset(inv, 0, sizeof *inv);
}
