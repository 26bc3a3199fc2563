#ifndef ECP_COLLECT_VALIDATE_H
#define ECP_COLLECT_VALIDATE_H

#include <cJSON.h>

#include "collect/collections.h"
#include "collect/shapes.h"
#include "util/err.h"

/*
 * Checking input against the AWS API model, so that a policy can trust a
 * FromPort to be an integer and a timestamp to be in one form.
 *
 * Rules: structure = object, list = array, map = object, string and blob =
 * string, integer = integral number in 32 bits, long = in 64 bits, boolean
 * = true/false, double and float = finite number, timestamp = a string or a
 * number, rewritten IN PLACE to "YYYY-MM-DDTHH:MM:SS[.fff]Z".  Members the
 * model does not know are kept unchecked (newer CLIs add members).  A null
 * member (or map value) counts as absent and is removed.  Values of shapes
 * the model marks sensitive are never quoted in messages.
 *
 * Errors read "FILE: PATH: what was wrong", where PATH continues the
 * caller's path: "$.SecurityGroups[2].IpPermissions[0].FromPort: expected
 * an integer, got a string ("6379")".  file may be NULL (no "FILE: ").
 * Work is linear in the size of the value.
 */

/* Check value (and everything under it) against shape; path names value. */
int ecp_validate(cJSON *value, const struct ecp_shape *shape,
                 const char *file, const char *path, struct ecp_err *err);

/* Check a collection's items: an array whose every item matches the
 * collection's item shape and has its id member (the catalog's id_member)
 * as a non-empty string.  path names the array ("$.CacheClusters"). */
int ecp_validate_items(enum ecp_coll c, cJSON *items, const char *file,
                       const char *path, struct ecp_err *err);

/* Stricter checks, for records written by hand (ecpolicy test's inline
 * fixtures, docs/testing.md), where a member the model does not know is a
 * typo rather than something a newer AWS CLI added. */
enum ecp_validate_flags {
    ECP_VALIDATE_STRICT = 1,    /* an unknown member is an error, naming
                                 * the closest known one */
    ECP_VALIDATE_FROM_ONE = 2,  /* list positions in messages count from 1,
                                 * as the Lua tables they came from do */
    ECP_VALIDATE_LUA = 4        /* an empty array where an object belongs
                                 * is one: Lua's {} is both */
};

int ecp_validate_with(cJSON *value, const struct ecp_shape *shape,
                      const char *file, const char *path, unsigned flags,
                      struct ecp_err *err);
int ecp_validate_items_with(enum ecp_coll c, cJSON *items, const char *file,
                            const char *path, unsigned flags,
                            struct ecp_err *err);

/* Check the output of sts get-caller-identity (the GetCallerIdentity output
 * shape), whose Account must be a non-empty string. */
int ecp_validate_account(cJSON *account, const char *file, const char *path,
                         struct ecp_err *err);

#endif
