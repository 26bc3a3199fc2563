#include <string.h>

#include "lua/embedded.h"

const struct ecp_embedded *ecp_embedded_find(const char *name)
{
    for (const struct ecp_embedded *e = ecp_embedded_lua; e->name; e++)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}
