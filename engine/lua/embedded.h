#ifndef ECP_LUA_EMBEDDED_H
#define ECP_LUA_EMBEDDED_H

#include <stddef.h>

/* The engine's own Lua sources, compiled in by tools/embed-lua.sh.  The
 * array ends with an entry whose name is NULL. */
struct ecp_embedded {
    const char *name;       /* "model" for engine/lua/model.lua */
    const char *chunkname;  /* "@engine/lua/model.lua", for messages */
    const char *source;
    size_t len;
};

extern const struct ecp_embedded ecp_embedded_lua[];

/* The entry with that name, or NULL. */
const struct ecp_embedded *ecp_embedded_find(const char *name);

#endif
