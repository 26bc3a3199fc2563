#include <stdlib.h>
#include <string.h>

#include "collect/shapes.h"

#include "collect/shapes.inc"

/* bsearch comparators: the key is the thing looked for, the element a row. */
static int cmp_shape(const void *key, const void *elem)
{
    const struct ecp_shape *k = key, *e = elem;
    int c = strcmp(k->service, e->service);

    return c ? c : strcmp(k->name, e->name);
}

static int cmp_op(const void *key, const void *elem)
{
    const struct ecp_shape_op *k = key, *e = elem;
    int c = strcmp(k->service, e->service);

    return c ? c : strcmp(k->operation, e->operation);
}

static int cmp_member(const void *key, const void *elem)
{
    return strcmp(key, ((const struct ecp_shape_member *)elem)->name);
}

static int cmp_member_wire(const void *key, const void *elem)
{
    const struct ecp_shape_member *const *e = elem;

    return strcmp(key, ecp_shape_member_wire(*e));
}

const struct ecp_shape *ecp_shape_find(const char *service, const char *name)
{
    struct ecp_shape key = { .service = service, .name = name };

    return bsearch(&key, ecp_shape_table, ECP_SHAPE_COUNT,
                   sizeof ecp_shape_table[0], cmp_shape);
}

const struct ecp_shape_op *ecp_shape_op_find(const char *service,
                                             const char *operation)
{
    struct ecp_shape_op key = { .service = service, .operation = operation };

    return bsearch(&key, ecp_op_table,
                   sizeof ecp_op_table / sizeof ecp_op_table[0],
                   sizeof ecp_op_table[0], cmp_op);
}

const char *ecp_shape_member_wire(const struct ecp_shape_member *m)
{
    return m->wire_name ? m->wire_name : m->name;
}

const struct ecp_shape_member *ecp_shape_member(const struct ecp_shape *shape,
                                                const char *name)
{
    if (!shape || shape->type != ECP_SHAPE_STRUCTURE)
        return NULL;
    return bsearch(name, shape->members, shape->nmembers,
                   sizeof shape->members[0], cmp_member);
}

const struct ecp_shape_member *
ecp_shape_member_by_wire(const struct ecp_shape *shape, const char *wire_name)
{
    const struct ecp_shape_member *const *hit;

    if (!shape || shape->type != ECP_SHAPE_STRUCTURE)
        return NULL;
    hit = bsearch(wire_name, shape->by_wire, shape->nmembers,
                  sizeof shape->by_wire[0], cmp_member_wire);
    return hit ? *hit : NULL;
}

const char *ecp_shape_type_name(enum ecp_shape_type t)
{
    static const char *const names[] = {
        [ECP_SHAPE_STRUCTURE] = "structure", [ECP_SHAPE_LIST] = "list",
        [ECP_SHAPE_MAP] = "map",             [ECP_SHAPE_STRING] = "string",
        [ECP_SHAPE_INTEGER] = "integer",     [ECP_SHAPE_LONG] = "long",
        [ECP_SHAPE_BOOLEAN] = "boolean",     [ECP_SHAPE_TIMESTAMP] = "timestamp",
        [ECP_SHAPE_DOUBLE] = "double",       [ECP_SHAPE_FLOAT] = "float",
        [ECP_SHAPE_BLOB] = "blob",
    };

    if ((size_t)t < sizeof names / sizeof names[0] && names[t])
        return names[t];
    return "unknown";
}

const struct ecp_shape *ecp_shape_table_get(size_t *count)
{
    if (count)
        *count = ECP_SHAPE_COUNT;
    return ecp_shape_table;
}

const char *ecp_shape_model_version(void)
{
    return ECP_SHAPE_MODEL_VERSION;
}
