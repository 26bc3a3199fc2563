#ifndef ECP_COLLECT_SHAPES_H
#define ECP_COLLECT_SHAPES_H

#include <stddef.h>

/*
 * The AWS API model, cut down to the shapes that the replies ecpolicy reads
 * can contain (generated into shapes.inc by tools/gen-shapes.py from
 * botocore).  It tells the validator what type each member has, and will
 * tell the XML reader of live replies which wire element is which member.
 *
 * Everything here is static, read-only data: nothing to free, and every
 * pointer stays valid for the life of the program.
 */

enum ecp_shape_type {
    ECP_SHAPE_STRUCTURE,
    ECP_SHAPE_LIST,
    ECP_SHAPE_MAP,
    ECP_SHAPE_STRING,
    ECP_SHAPE_INTEGER,    /* 32-bit */
    ECP_SHAPE_LONG,       /* 64-bit */
    ECP_SHAPE_BOOLEAN,
    ECP_SHAPE_TIMESTAMP,
    ECP_SHAPE_DOUBLE,
    ECP_SHAPE_FLOAT,
    ECP_SHAPE_BLOB
};

struct ecp_shape;

struct ecp_shape_member {
    const char *name;       /* member name, as the AWS CLI prints it */
    const char *wire_name;  /* XML element name (locationName) if it is not
                             * the member name (EC2: "groupId"), else NULL */
    const struct ecp_shape *target;
    int flattened;          /* list items sit directly in the parent */
};

struct ecp_shape {
    const char *service;    /* "elasticache", "ec2", "sts" */
    const char *name;
    enum ecp_shape_type type;
    int sensitive;          /* the model marks it secret: never echo it */
    /* structure: members sorted by name, and the same members sorted by
     * wire name (wire_name, else name) */
    const struct ecp_shape_member *members;
    const struct ecp_shape_member *const *by_wire;
    size_t nmembers;
    /* list: the item shape and the XML name of each item (NULL: "member";
     * EC2 uses "item").  map: the value shape and its XML name. */
    const struct ecp_shape *item;
    const char *item_wire;
    /* map only: the key shape and its XML name (NULL: "key") */
    const struct ecp_shape *key;
    const char *key_wire;
    int flattened;
};

/* An operation's output: the shape of its reply, and for the Query
 * protocol the element that wraps it ("DescribeCacheClustersResult";
 * NULL for EC2, whose replies have no wrapper). */
struct ecp_shape_op {
    const char *service;
    const char *operation;
    const struct ecp_shape *output;
    const char *result_wrapper;
};

/* The shape with that name in that service's model, or NULL. */
const struct ecp_shape *ecp_shape_find(const char *service, const char *name);

/* The output of an operation ("ec2", "DescribeVpcs"), or NULL if the table
 * does not have it. */
const struct ecp_shape_op *ecp_shape_op_find(const char *service,
                                             const char *operation);

/* A structure's member by member name ("GroupId") or by wire name
 * ("groupId"); NULL if it has none (or shape is not a structure). */
const struct ecp_shape_member *ecp_shape_member(const struct ecp_shape *shape,
                                                const char *name);
const struct ecp_shape_member *
ecp_shape_member_by_wire(const struct ecp_shape *shape, const char *wire_name);

/* The wire name of a member: wire_name if it has one, else its name. */
const char *ecp_shape_member_wire(const struct ecp_shape_member *m);

/* "structure", "list", "integer", ... */
const char *ecp_shape_type_name(enum ecp_shape_type t);

/* The whole table, sorted by (service, name), for tests and tools. */
const struct ecp_shape *ecp_shape_table_get(size_t *count);

/* The botocore version the table was generated from. */
const char *ecp_shape_model_version(void);

#endif
