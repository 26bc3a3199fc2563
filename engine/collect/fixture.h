#ifndef ECP_COLLECT_FIXTURE_H
#define ECP_COLLECT_FIXTURE_H

#include <cJSON.h>

#include "collect/inventory.h"
#include "util/err.h"

/*
 * An inventory written by hand: the inline fixture of an ecpolicy test
 * file (docs/testing.md, "Fixtures"), converted from its Lua table:
 *
 *   { "account": "123456789012",
 *     "regions": { "us-east-1": {
 *         "cache_clusters": [ {record}, ... ],          any collection
 *         "prefix_list_entries": { "pl-0a1": [ {entry}, ... ] },
 *         "errors": { "users": "access_denied" } } } }
 *
 * A collection a region does not name is missing (not collected); errors
 * give collections another status.  Records are checked as any input is
 * (collect/validate.h), and strictly: a member the AWS API model does not
 * know is an error.  Messages read "FILE: PATH...: what", where PATH names
 * the fixture in the test file ("cases[2].fixture") and list positions
 * count from 1, as in Lua.
 *
 * The item arrays are moved out of fixture into *inv, which must be
 * zeroed; on failure it is left empty.
 */
int ecp_fixture_read(cJSON *fixture, const char *file, const char *path,
                     struct ecp_inventory *inv, struct ecp_err *err);

#endif
