#ifndef ECP_LUA_MODEL_H
#define ECP_LUA_MODEL_H

#include "collect/inventory.h"
#include "lua/host.h"
#include "util/err.h"

/*
 * Turn the raw inventory into Lua tables and build the model over them
 * (engine/lua/model.lua): indexes by id, the caches view, and the regions
 * where a collection is incomplete.  With consume set, each collection's
 * JSON is freed as soon as it has been converted, so the inventory is
 * never held twice at full size.
 */
int ecp_model_build(struct ecp_host *h, struct ecp_inventory *inv,
                    int consume, int *model_ref, struct ecp_err *err);

#endif
