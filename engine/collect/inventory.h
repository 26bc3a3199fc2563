#ifndef ECP_COLLECT_INVENTORY_H
#define ECP_COLLECT_INVENTORY_H

#include <stddef.h>

#include <cJSON.h>

#include "collect/collections.h"
#include "util/err.h"

/*
 * The raw inventory: for each region, for each collection, the items as the
 * AWS API returns them (member names as the AWS CLI prints them, PascalCase,
 * timestamps normalised to "YYYY-MM-DDTHH:MM:SS[.fff]Z"), and whether the
 * collection is complete.  Live collection (collect/fetch) and offline input
 * (snapshot.c, awscli.c) both fill this one structure; the Lua model is
 * built from it and nothing else.
 *
 * Ownership: the inventory owns every string and cJSON tree it points to;
 * ecp_inventory_free releases them all.
 */

enum ecp_status {
    ECP_ST_MISSING = 0,   /* not collected (file absent, API not called) */
    ECP_ST_OK,            /* complete */
    ECP_ST_PARTIAL,       /* some pages only (a page token was left over) */
    ECP_ST_ACCESS_DENIED,
    ECP_ST_THROTTLED,     /* still throttled after every retry */
    ECP_ST_TIMEOUT,
    ECP_ST_MALFORMED,     /* the reply could not be parsed */
    ECP_ST_ERROR,         /* any other failure */
    ECP_ST_COUNT
};

/* "ok", "missing", "partial", "access_denied", "throttled", "timeout",
 * "malformed", "error"; and back (-1 if unknown). */
const char *ecp_status_name(enum ecp_status s);
int ecp_status_by_name(const char *name);

struct ecp_collection {
    enum ecp_status status;
    char *message;   /* why it is not ok (NULL when ok); no secrets */
    char *source;    /* file or API it came from, for messages; may be NULL */
    cJSON *items;    /* a JSON array of items; NULL unless status is ok or
                      * partial (partial keeps what it got) */
};

struct ecp_region {
    char *name;
    struct ecp_collection coll[ECP_COLL_COUNT];
};

struct ecp_inventory {
    char *source_kind;     /* "snapshot", "awscli" or "aws" */
    char *source_path;     /* what the user gave; NULL for live */
    char *collected_at;    /* timestamp of the collection, if known */
    cJSON *account;        /* sts get-caller-identity output, or NULL */
    struct ecp_region *regions;   /* sorted by name */
    size_t nregions;
    /* Read from a snapshot: the "source" object it recorded (where its
     * data first came from), so that writing it again keeps that rather
     * than saying "snapshot".  NULL otherwise. */
    cJSON *origin;
    /* Things in the input that were ignored (a stray file, a folder that
     * is not a region), one line each, for the command to print.  Never
     * part of a snapshot. */
    char **warnings;
    size_t nwarnings;
};

/* Read a directory of saved AWS CLI output (docs/input.md) or an ecpolicy
 * snapshot file (docs/snapshot.md) into *inv, which must be zeroed.  On
 * failure *inv is left empty (zeroed) and err says why. */
int ecp_awscli_read(const char *dir, struct ecp_inventory *inv,
                    struct ecp_err *err);
int ecp_snapshot_read(const char *file, struct ecp_inventory *inv,
                      struct ecp_err *err);

/*
 * Read --snapshot PATH: an ecpolicy snapshot file (JSON with a "schema"
 * member) or a directory of saved AWS CLI output (docs/input.md).  Every
 * item is checked against the AWS API model (collect/validate.c); bad input
 * fails with a message naming the file and the place in it.  *inv must be
 * zeroed; on failure it is left empty.
 */
int ecp_inventory_load(const char *path, struct ecp_inventory *inv,
                       struct ecp_err *err);

/* Write the inventory as an ecpolicy snapshot file ("-" for stdout),
 * atomically (docs/snapshot.md).  The same inventory always gives the same
 * bytes; warnings are not written. */
int ecp_snapshot_write(const struct ecp_inventory *inv, const char *path,
                       struct ecp_err *err);

/* The text ecp_snapshot_write writes, freshly allocated (free() it), or
 * NULL if cJSON ran out of memory. */
char *ecp_snapshot_text(const struct ecp_inventory *inv);

/* Find or add a region (keeps the array sorted).  The pointer is valid
 * until the next region is added. */
struct ecp_region *ecp_inventory_region(struct ecp_inventory *inv,
                                        const char *name);

/* Add a warning (printf format) to inv->warnings. */
void ecp_inventory_warn(struct ecp_inventory *inv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Whether a name looks like an AWS region: "us-east-1", "eu-central-2",
 * "us-gov-west-1", "cn-north-1", "us-isob-east-1", "eusc-de-east-1". */
int ecp_region_name_valid(const char *name);

/* Free everything the inventory owns and zero it; a zeroed inventory is
 * fine to free again. */
void ecp_inventory_free(struct ecp_inventory *inv);

#endif
