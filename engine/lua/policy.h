#ifndef ECP_LUA_POLICY_H
#define ECP_LUA_POLICY_H

#include <stddef.h>

#include "collect/collections.h"
#include "lua/host.h"
#include "util/err.h"

/*
 * Loading policy files.  Each file runs once, in a sandbox of its own and
 * under the limits, and must return a declaration; the engine checks it
 * (engine/lua/declaration.lua) and keeps its own description of it in the
 * registry.  A file that cannot be loaded, or declares something wrong,
 * stops the load with a message naming the file and the field.
 */

struct ecp_policy {
    char *file;
    char *id;
    char *title;
    char *resource;
    int severity;       /* enum ecp_severity, after overrides */
    int desc_ref;       /* registry: the engine's description table */
};

struct ecp_policies {
    struct ecp_policy *v;
    size_t n;
    int descs_ref;      /* registry: id -> description */
};

/* Load files[0..n) in order.  module_dirs: where require() looks. */
int ecp_policies_load(struct ecp_host *h, char *const *files, size_t n,
                      const char *const *module_dirs,
                      const struct ecp_limits *limits,
                      struct ecp_policies *out, struct ecp_err *err);

/* Push the description table of policy i. [-0, +1, -] */
void ecp_policies_push_desc(struct ecp_host *h, const struct ecp_policies *p,
                            size_t i);

/* Re-read id/title/severity from the descriptions after overrides. */
void ecp_policies_refresh(struct ecp_host *h, struct ecp_policies *p);

/* Drop the policies at which keep[i] is 0, keeping the order. */
void ecp_policies_filter(struct ecp_host *h, struct ecp_policies *p,
                         const int *keep);

/* Mark in needed[] every collection some policy reads: its "needs", the
 * cache collections for resource "cache", its own collection otherwise.
 * A policy without "needs" may read anything. */
void ecp_policies_needs(struct ecp_host *h, const struct ecp_policies *p,
                        unsigned char needed[ECP_COLL_COUNT]);

void ecp_policies_free(struct ecp_host *h, struct ecp_policies *p);

#endif
