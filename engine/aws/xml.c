#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "aws/xml_expat.h"
#include "collect/timestamp.h"
#include "util/buf.h"

/* Element names are cut to this many bytes in the paths of messages. */
#define NAME_SHOWN 64
/* Paths in messages keep this many bytes of their end. */
#define PATH_SHOWN 400
/* Longest trimmed number, boolean or timestamp worth converting. */
#define SCALAR_MAX 64

enum kind {
    SKIP,       /* not in the model: everything inside is ignored */
    ROOT,       /* the Query root element, around the result wrapper */
    STRUCT,     /* a structure: node is its object */
    LIST,       /* a list wrapper: node is its array, children are items */
    SCALAR      /* text, converted by shape when the element ends */
};

/* One open element.  Containers are put into the tree when they open, so
 * the tree owns everything at all times and a failure frees one root. */
struct frame {
    enum kind kind;
    const struct ecp_shape *shape;
    cJSON *node;            /* STRUCT, LIST: the object or array */
    cJSON *parent;          /* SCALAR: the object or array it goes into */
    const char *member;     /* SCALAR: its name in parent; NULL: an item */
    size_t index;           /* position among its list's items (from 1) */
    size_t items;           /* LIST: items so far */
    unsigned long line, column;
    char name[NAME_SHOWN + 1];
};

struct reader {
    struct ecp_xml_guard guard;     /* first: see xml_expat.h */
    const struct ecp_shape_op *op;
    struct ecp_err *err;
    cJSON *root;
    struct frame frames[ECP_XML_MAX_DEPTH];
    size_t depth;
    struct ecp_buf text;            /* the open SCALAR's text */
    int failed;
};

/* "/A/B[2]/C" for the open elements; only the end of a long one. */
static void render_path(const struct reader *r, struct ecp_buf *out)
{
    struct ecp_buf b = { 0 };

    for (size_t i = 0; i < r->depth; i++) {
        ecp_buf_printf(&b, "/%s", r->frames[i].name);
        if (r->frames[i].index)
            ecp_buf_printf(&b, "[%zu]", r->frames[i].index);
    }
    if (!b.len) {
        ecp_buf_adds(out, "/");
    } else if (b.len <= PATH_SHOWN) {
        ecp_buf_adds(out, b.data);
    } else {
        const char *tail = strchr(b.data + b.len - PATH_SHOWN, '/');

        ecp_buf_adds(out, "...");
        ecp_buf_adds(out, tail ? tail : b.data + b.len - PATH_SHOWN);
    }
    ecp_buf_free(&b);
}

static void vfail_at(struct reader *r, unsigned long line,
                     unsigned long column, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* Set the message (place, path, what) and stop the parser. */
static void vfail_at(struct reader *r, unsigned long line,
                     unsigned long column, const char *fmt, va_list ap)
{
    struct ecp_buf path = { 0 };
    char what[512];

    vsnprintf(what, sizeof what, fmt, ap);
    render_path(r, &path);
    ecp_err_set(r->err, "%s %s reply: line %lu, column %lu: %s: %s",
                r->op->service, r->op->operation, line, column, path.data,
                what);
    ecp_buf_free(&path);
    r->failed = 1;
    if (r->guard.parser)
        XML_StopParser(r->guard.parser, XML_FALSE);
}

static void fail_at(struct reader *r, unsigned long line,
                    unsigned long column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail_at(struct reader *r, unsigned long line,
                    unsigned long column, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail_at(r, line, column, fmt, ap);
    va_end(ap);
}

static void fail_here(struct reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* At the parser's current event (the tag being reported). */
static void fail_here(struct reader *r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail_at(r, XML_GetCurrentLineNumber(r->guard.parser),
             XML_GetCurrentColumnNumber(r->guard.parser) + 1, fmt, ap);
    va_end(ap);
}

/* Put value into parent: under member, or at the end of an array.  Member
 * names are the shape table's static strings, so the tree points at them
 * instead of copying them. */
static int attach(cJSON *parent, const char *member, cJSON *value)
{
    if (!value)
        return -1;
    if (member ? cJSON_AddItemToObjectCS(parent, member, value)
               : cJSON_AddItemToArray(parent, value))
        return 0;
    cJSON_Delete(value);
    return -1;
}

/* Open an element that holds a value of shape, to go into parent. */
static void open_value(struct reader *r, struct frame *f,
                       const struct ecp_shape *shape, cJSON *parent,
                       const char *member)
{
    f->shape = shape;
    switch (shape->type) {
    case ECP_SHAPE_STRUCTURE:
    case ECP_SHAPE_LIST:
        f->kind = shape->type == ECP_SHAPE_LIST ? LIST : STRUCT;
        f->node = f->kind == LIST ? cJSON_CreateArray() : cJSON_CreateObject();
        if (attach(parent, member, f->node) != 0) {
            f->node = NULL;
            fail_here(r, "out of memory");
        }
        return;
    case ECP_SHAPE_MAP:
        /* No output the engine reads has one (tools/gen-shapes.py); better
         * a clear refusal than a silently missing member. */
        fail_here(r, "%s is a map (%s), which this reader does not support",
                  member ? member : "the item", shape->name);
        return;
    default:
        f->kind = SCALAR;
        f->parent = parent;
        f->member = member;
        r->text.len = 0;
        if (r->text.data)
            r->text.data[0] = '\0';
        return;
    }
}

static int is_flattened_list(const struct ecp_shape_member *m)
{
    return m->flattened && m->target->type == ECP_SHAPE_LIST;
}

/* A flattened list whose items carry their own name (the list member's
 * locationName) repeats that name, not the member's (botocore's
 * _member_key_name).  Linear in the members, of which there are few. */
static const struct ecp_shape_member *
flattened_by_item(const struct ecp_shape *s, const char *local)
{
    for (size_t i = 0; i < s->nmembers; i++) {
        const struct ecp_shape_member *m = &s->members[i];

        if (is_flattened_list(m) && m->target->item_wire &&
            strcmp(m->target->item_wire, local) == 0)
            return m;
    }
    return NULL;
}

static void open_member(struct reader *r, const struct frame *parent,
                        struct frame *f, const char *local)
{
    const struct ecp_shape_member *m =
        ecp_shape_member_by_wire(parent->shape, local);
    cJSON *have;

    if (!m)
        m = flattened_by_item(parent->shape, local);
    if (!m) {
        f->kind = SKIP;
        return;
    }
    /* Members are few, so looking one up in the object is cheap. */
    have = cJSON_GetObjectItemCaseSensitive(parent->node, m->name);
    if (is_flattened_list(m)) {
        if (!have) {
            have = cJSON_CreateArray();
            if (attach(parent->node, m->name, have) != 0) {
                fail_here(r, "out of memory");
                return;
            }
        }
        open_value(r, f, m->target->item, have, NULL);
        return;
    }
    if (have) {
        fail_here(r, "a second <%s> (member %s) in one %s", f->name, m->name,
                  parent->shape->name);
        return;
    }
    open_value(r, f, m->target, parent->node, m->name);
}

/* The element whose members are the operation's output. */
static void open_output(struct reader *r, struct frame *f)
{
    r->root = cJSON_CreateObject();
    if (!r->root) {
        fail_here(r, "out of memory");
        return;
    }
    f->kind = STRUCT;
    f->shape = r->op->output;
    f->node = r->root;
}

static void open_root(struct reader *r, struct frame *f, const char *local)
{
    const char *op = r->op->operation;
    size_t n = strlen(op);

    if (strncmp(local, op, n) != 0 || strcmp(local + n, "Response") != 0) {
        if (strcmp(local, "ErrorResponse") == 0 ||
            strcmp(local, "Response") == 0)
            fail_here(r, "the reply is an AWS error envelope, not a %s reply",
                      op);
        else
            fail_here(r, "expected <%sResponse> as the root element, "
                      "not <%s>", op, f->name);
        return;
    }
    if (r->op->result_wrapper) {
        f->kind = ROOT;
        return;
    }
    /* EC2: the members sit right under the root. */
    open_output(r, f);
}

/* Under the Query root: the result wrapper; ResponseMetadata is skipped. */
static void open_in_root(struct reader *r, struct frame *f, const char *local)
{
    if (strcmp(local, r->op->result_wrapper) != 0) {
        f->kind = SKIP;
        return;
    }
    if (r->root) {
        fail_here(r, "a second <%s>", r->op->result_wrapper);
        return;
    }
    open_output(r, f);
}

static void XMLCALL on_start(void *user, const XML_Char *name,
                             const XML_Char **atts)
{
    struct reader *r = user;
    const char *local = ecp_xml_local(name);
    struct frame *parent, *f;

    (void)atts;
    if (r->failed)
        return;
    if (r->depth == ECP_XML_MAX_DEPTH) {
        fail_here(r, "elements nested deeper than %d levels",
                  ECP_XML_MAX_DEPTH);
        return;
    }
    parent = r->depth ? &r->frames[r->depth - 1] : NULL;
    f = &r->frames[r->depth++];
    memset(f, 0, sizeof *f);
    ecp_xml_copy_utf8(f->name, sizeof f->name, local, strlen(local));
    f->line = XML_GetCurrentLineNumber(r->guard.parser);
    f->column = XML_GetCurrentColumnNumber(r->guard.parser) + 1;
    if (!parent) {
        open_root(r, f, local);
        return;
    }
    switch (parent->kind) {
    case SKIP:
        f->kind = SKIP;
        break;
    case ROOT:
        open_in_root(r, f, local);
        break;
    case STRUCT:
        open_member(r, parent, f, local);
        break;
    case LIST:
        f->index = ++parent->items;
        open_value(r, f, parent->shape->item, parent->node, NULL);
        break;
    case SCALAR:
        fail_here(r, "<%s> should hold text (%s), not elements",
                  parent->name, ecp_shape_type_name(parent->shape->type));
        break;
    }
}

static void XMLCALL on_text(void *user, const XML_Char *s, int len)
{
    struct reader *r = user;

    if (r->failed || !r->depth || r->frames[r->depth - 1].kind != SCALAR)
        return;
    if ((size_t)len > ECP_XML_MAX_TEXT - r->text.len) {
        struct frame *f = &r->frames[r->depth - 1];

        fail_at(r, f->line, f->column, "text longer than %zu bytes",
                ECP_XML_MAX_TEXT);
        return;
    }
    ecp_buf_add(&r->text, s, (size_t)len);
}

/* The text without surrounding whitespace, into out (SCALAR_MAX + 1
 * bytes); -1 if it is longer than that. */
static int trimmed(const struct ecp_buf *text, char *out)
{
    const char *s = text->data ? text->data : "";
    size_t a = 0, b = text->len;

    while (a < b && ecp_xml_is_space(s[a]))
        a++;
    while (b > a && ecp_xml_is_space(s[b - 1]))
        b--;
    if (b - a > SCALAR_MAX)
        return -1;
    memcpy(out, s + a, b - a);
    out[b - a] = '\0';
    return 0;
}

/* Digits with an optional sign, as Python's int() takes them (botocore);
 * 1 when it is out of range, -1 when it is not an integer. */
static int parse_integer(const char *s, int bits, double *out)
{
    const char *p = s + (*s == '+' || *s == '-');
    char *end;
    long long v;

    if (!*p)
        return -1;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno == ERANGE ||
        (bits == 32 && (v < INT32_MIN || v > INT32_MAX)))
        return 1;
    /* A double holds integers exactly up to 2^53; AWS longs stay far
     * below (prefix-list versions, sizes). */
    *out = (double)v;
    return 0;
}

/* A decimal number (no hex, inf or nan: JSON has no such numbers). */
static int parse_double(const char *s, double *out)
{
    int digits = 0;
    char *end;

    for (const char *q = s; *q; q++) {
        if (*q >= '0' && *q <= '9')
            digits = 1;
        else if (!strchr("+-.eE", *q))
            return -1;
    }
    if (!digits)
        return -1;
    *out = strtod(s, &end);
    if (*end || !isfinite(*out))
        return -1;
    return 0;
}

/* The value of a closed SCALAR, or NULL with why saying what is wrong
 * (only the kind of problem, never the text; empty when out of memory). */
static cJSON *scalar_value(const struct reader *r, const struct frame *f,
                           char *why, size_t whysize)
{
    enum ecp_shape_type t = f->shape->type;
    char s[SCALAR_MAX + 1], canon[ECP_TIMESTAMP_SIZE];
    const char *reason = "", *empty;
    double d;
    int rc;

    why[0] = '\0';
    if (t == ECP_SHAPE_STRING || t == ECP_SHAPE_BLOB)
        return cJSON_CreateString(r->text.data ? r->text.data : "");
    if (trimmed(&r->text, s) != 0) {
        snprintf(why, whysize, "expected %s, got %zu bytes of text",
                 t == ECP_SHAPE_TIMESTAMP ? "a timestamp"
                 : t == ECP_SHAPE_BOOLEAN ? "true or false" : "a number",
                 r->text.len);
        return NULL;
    }
    empty = *s ? "" : ", the element is empty";
    switch (t) {
    case ECP_SHAPE_INTEGER:
    case ECP_SHAPE_LONG:
        rc = parse_integer(s, t == ECP_SHAPE_INTEGER ? 32 : 64, &d);
        if (rc == 0)
            return cJSON_CreateNumber(d);
        if (rc > 0)
            snprintf(why, whysize, "out of range for a %d-bit integer",
                     t == ECP_SHAPE_INTEGER ? 32 : 64);
        else
            snprintf(why, whysize, "expected an integer%s", empty);
        return NULL;
    case ECP_SHAPE_BOOLEAN:
        if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
            return cJSON_CreateBool(s[0] == 't');
        snprintf(why, whysize, "expected true or false%s", empty);
        return NULL;
    case ECP_SHAPE_DOUBLE:
    case ECP_SHAPE_FLOAT:
        if (parse_double(s, &d) == 0)
            return cJSON_CreateNumber(d);
        snprintf(why, whysize, "expected a finite decimal number%s", empty);
        return NULL;
    case ECP_SHAPE_TIMESTAMP:
        if (*s && ecp_timestamp_normalize(s, canon, &reason) == 0)
            return cJSON_CreateString(canon);
        snprintf(why, whysize, "expected a timestamp%s%s", *s ? ": " : empty,
                 reason);
        return NULL;
    default:
        snprintf(why, whysize, "a %s value, which this reader does not "
                 "support", ecp_shape_type_name(t));
        return NULL;
    }
}

static void close_scalar(struct reader *r, const struct frame *f)
{
    char why[256];
    cJSON *v = scalar_value(r, f, why, sizeof why);

    if (!v && why[0])
        fail_at(r, f->line, f->column, "%s (%s)", why, f->shape->name);
    else if (attach(f->parent, f->member, v) != 0)
        fail_at(r, f->line, f->column, "out of memory");
}

static void XMLCALL on_end(void *user, const XML_Char *name)
{
    struct reader *r = user;

    (void)name;
    if (r->failed)
        return;
    if (r->frames[r->depth - 1].kind == SCALAR) {
        close_scalar(r, &r->frames[r->depth - 1]);
        if (r->failed)
            return;
    }
    r->depth--;
}

/* Overwrite through a volatile pointer so the stores are not dropped: the
 * text of the last element may be a secret (STS credentials). */
static void wipe(struct ecp_buf *b)
{
    if (b->data)
        for (volatile char *p = b->data; p < b->data + b->cap; p++)
            *p = 0;
    ecp_buf_free(b);
}

static int parse(struct reader *r, const char *body, size_t len)
{
    XML_Parser p = ecp_xml_parser_new(&r->guard);
    enum XML_Status status;

    if (!p)
        return ecp_err_set(r->err, "%s %s reply: out of memory",
                           r->op->service, r->op->operation);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    status = XML_Parse(p, body, (int)len, XML_TRUE);
    if (!r->failed && r->guard.doctype)
        fail_at(r, XML_GetCurrentLineNumber(p),
                XML_GetCurrentColumnNumber(p) + 1,
                "a DOCTYPE, which AWS replies never have");
    else if (!r->failed && status != XML_STATUS_OK)
        fail_at(r, XML_GetErrorLineNumber(p),
                XML_GetErrorColumnNumber(p) + 1, "malformed XML: %s",
                XML_ErrorString(XML_GetErrorCode(p)));
    else if (!r->failed && !r->root)
        /* Only a Query reply can lack it: EC2's root is the result. */
        fail_at(r, XML_GetCurrentLineNumber(p),
                XML_GetCurrentColumnNumber(p) + 1, "no <%s> in the reply",
                r->op->result_wrapper ? r->op->result_wrapper : "result");
    XML_ParserFree(p);
    r->guard.parser = NULL;
    return r->failed ? -1 : 0;
}

int ecp_xml_reply_op(const struct ecp_shape_op *op, const char *body,
                     size_t len, cJSON **out, struct ecp_err *err)
{
    struct reader *r;
    int rc;

    *out = NULL;
    if (!op->output || op->output->type != ECP_SHAPE_STRUCTURE)
        return ecp_err_set(err, "%s %s: the shape table has no structure "
                           "for its output", op->service, op->operation);
    if (len == 0)
        return ecp_err_set(err, "%s %s reply: the body is empty",
                           op->service, op->operation);
    if (len > ECP_XML_MAX_BYTES)
        return ecp_err_set(err, "%s %s reply: %zu bytes, more than the "
                           "%zu this reader takes", op->service,
                           op->operation, len, ECP_XML_MAX_BYTES);
    /* The frames make the state a few kilobytes: heap, not stack. */
    r = calloc(1, sizeof *r);
    if (!r)
        return ecp_err_set(err, "%s %s reply: out of memory", op->service,
                           op->operation);
    r->op = op;
    r->err = err;
    rc = parse(r, body, len);
    wipe(&r->text);
    if (rc == 0)
        *out = r->root;
    else
        cJSON_Delete(r->root);
    free(r);
    return rc;
}

int ecp_xml_reply(const char *service, const char *operation,
                  const char *body, size_t len, cJSON **out,
                  struct ecp_err *err)
{
    const struct ecp_shape_op *op = ecp_shape_op_find(service, operation);

    *out = NULL;
    if (!op)
        return ecp_err_set(err, "%s %s: no such operation in the shape "
                           "table (tools/gen-shapes.py)", service, operation);
    return ecp_xml_reply_op(op, body, len, out, err);
}
