#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collect/jsonfile.h"
#include "collect/timestamp.h"
#include "collect/validate.h"
#include "util/buf.h"
#include "util/mem.h"

/* Where the walk is: the path is only rendered when something is wrong,
 * so the walk itself costs one frame per level. */
struct frame {
    const char *key;    /* member name, or NULL for an array index */
    size_t index;
};

struct walk {
    const char *file;
    const char *base;   /* the caller's path to the starting value */
    struct ecp_err *err;
    struct frame *frames;
    size_t depth, cap;
    int secret;         /* inside a sensitive shape: quote no values */
    unsigned flags;     /* ECP_VALIDATE_* */
};

static void push(struct walk *w, const char *key, size_t index)
{
    if (w->depth == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        w->frames = ecp_realloc(w->frames, w->cap * sizeof *w->frames);
    }
    w->frames[w->depth].key = key;
    w->frames[w->depth].index = index;
    w->depth++;
}

static void pop(struct walk *w)
{
    w->depth--;
}

/* Member names go after a dot when they are plain words (region names with
 * their dashes included, as in $.regions.us-east-1); anything else, as a
 * quoted ["key"]. */
static void add_key(struct ecp_buf *b, const char *key)
{
    int plain = *key != '\0';

    for (const char *p = key; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            plain = 0;
    if (plain) {
        ecp_buf_addc(b, '.');
        ecp_buf_adds(b, key);
        return;
    }
    ecp_buf_adds(b, "[\"");
    for (const char *p = key; *p; p++) {
        if (*p == '"' || *p == '\\')
            ecp_buf_addc(b, '\\');
        if ((unsigned char)*p < 0x20)
            ecp_buf_printf(b, "\\u%04x", (unsigned)(unsigned char)*p);
        else
            ecp_buf_addc(b, *p);
    }
    ecp_buf_adds(b, "\"]");
}

static int fail(struct walk *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct walk *w, const char *fmt, ...)
{
    struct ecp_buf path = { 0 };
    char what[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    ecp_buf_adds(&path, w->base ? w->base : "$");
    for (size_t i = 0; i < w->depth; i++) {
        if (w->frames[i].key)
            add_key(&path, w->frames[i].key);
        else
            ecp_buf_printf(&path, "[%zu]", w->frames[i].index +
                           ((w->flags & ECP_VALIDATE_FROM_ONE) ? 1 : 0));
    }
    if (w->file)
        ecp_err_set(w->err, "%s: %s: %s", w->file, path.data, what);
    else
        ecp_err_set(w->err, "%s: %s", path.data, what);
    ecp_buf_free(&path);
    return -1;
}

/* "a string (\"6379\")": what was found, quoted briefly unless secret. */
static void describe(const struct walk *w, const cJSON *v, char *out,
                     size_t size)
{
    if (cJSON_IsString(v) && !w->secret) {
        struct ecp_buf b = { 0 };
        size_t n = 0;

        ecp_buf_adds(&b, "a string (\"");
        for (const char *p = v->valuestring; *p; p++, n++) {
            if (n == 40) {
                ecp_buf_adds(&b, "...");
                break;
            }
            if (*p == '"' || *p == '\\')
                ecp_buf_addc(&b, '\\');
            if ((unsigned char)*p < 0x20)
                ecp_buf_printf(&b, "\\u%04x", (unsigned)(unsigned char)*p);
            else
                ecp_buf_addc(&b, *p);
        }
        ecp_buf_adds(&b, "\")");
        snprintf(out, size, "%s", b.data);
        ecp_buf_free(&b);
    } else if (cJSON_IsNumber(v) && !w->secret) {
        snprintf(out, size, "a number (%.15g)", v->valuedouble);
    } else {
        snprintf(out, size, "%s", ecp_json_kind(v));
    }
}

static int mismatch(struct walk *w, const cJSON *v, const char *expected)
{
    char got[128];

    describe(w, v, got, sizeof got);
    return fail(w, "expected %s, got %s", expected, got);
}

/* Turn a string or number node into the given string, keeping its place
 * (and key) in the parent; cJSON's own allocator, since cJSON frees it. */
static int set_string(cJSON *v, const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = cJSON_malloc(n);

    if (!copy)
        return -1;
    memcpy(copy, s, n);
    if (cJSON_IsString(v) && !(v->type & cJSON_IsReference))
        cJSON_free(v->valuestring);
    v->valuestring = copy;
    v->type = (v->type & cJSON_StringIsConst) | cJSON_String;
    return 0;
}

static int check_timestamp(struct walk *w, cJSON *v)
{
    struct ecp_timestamp ts;
    char canon[ECP_TIMESTAMP_SIZE], got[128];
    const char *why = "";
    int rc;

    if (cJSON_IsString(v))
        rc = ecp_timestamp_parse(v->valuestring, &ts, &why);
    else if (cJSON_IsNumber(v))
        rc = ecp_timestamp_from_seconds(v->valuedouble, &ts, &why);
    else
        return mismatch(w, v, "a timestamp (a string, or epoch seconds)");
    if (rc != 0) {
        describe(w, v, got, sizeof got);
        return fail(w, "expected a timestamp, got %s: %s", got, why);
    }
    ecp_timestamp_format(&ts, canon);
    if (cJSON_IsString(v) && strcmp(v->valuestring, canon) == 0)
        return 0;
    if (set_string(v, canon) != 0)
        return fail(w, "out of memory");
    return 0;
}

static int check_integer(struct walk *w, const cJSON *v, int bits)
{
    double lim = bits == 32 ? 2147483648.0 : 9223372036854775808.0, d;
    char got[128];

    if (!cJSON_IsNumber(v))
        return mismatch(w, v, "an integer");
    d = v->valuedouble;
    if (!isfinite(d) || d != floor(d))
        return mismatch(w, v, "an integer");
    if (d < -lim || d >= lim) {
        describe(w, v, got, sizeof got);
        return fail(w, "expected a %d-bit integer, got %s, out of range",
                    bits, got);
    }
    return 0;
}

static int check(struct walk *w, cJSON *v, const struct ecp_shape *s);

/* Edit distance, for suggesting the member a typo meant; names longer
 * than the rows are never close. */
static size_t distance(const char *a, const char *b)
{
    size_t row[64], n = strlen(b), m = strlen(a);

    if (n >= sizeof row / sizeof row[0] || m >= sizeof row / sizeof row[0])
        return (size_t)-1;
    for (size_t j = 0; j <= n; j++)
        row[j] = j;
    for (size_t i = 1; i <= m; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= n; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[n];
}

/* Strict mode: a member the model does not know, named with the closest
 * one it does know when there is one. */
static int unknown_member(struct walk *w, const char *name,
                          const struct ecp_shape *s)
{
    const char *best = NULL;
    size_t best_d = strlen(name) / 3 + 1;     /* closer than this only */
    int rc;

    for (size_t i = 0; i < s->nmembers && best_d > 0; i++) {
        const char *known = s->members[i].name;
        size_t d = strcasecmp(name, known) == 0 ? 0 : distance(name, known);
        if (d < best_d) {
            best = known;
            best_d = d;
        }
    }
    push(w, name, 0);
    if (best)
        rc = fail(w, "not a member of %s in the AWS API model (did you "
                  "mean %s?)", s->name, best);
    else
        rc = fail(w, "not a member of %s in the AWS API model", s->name);
    pop(w);
    return rc;
}

/* Members and map values: null means absent, so it goes; the rest is
 * checked against the member's shape (map: the value shape), or kept as it
 * is when the model does not know the member. */
static int check_members(struct walk *w, cJSON *obj, const struct ecp_shape *s)
{
    cJSON *m = obj->child;

    while (m) {
        cJSON *next = m->next;
        const struct ecp_shape *target = NULL;

        if (cJSON_IsNull(m)) {
            cJSON_Delete(cJSON_DetachItemViaPointer(obj, m));
        } else if (m->string) {
            if (s->type == ECP_SHAPE_MAP) {
                target = s->item;
            } else {
                const struct ecp_shape_member *mem =
                    ecp_shape_member(s, m->string);
                target = mem ? mem->target : NULL;
                if (!mem && (w->flags & ECP_VALIDATE_STRICT))
                    return unknown_member(w, m->string, s);
            }
        }
        if (target) {
            push(w, m->string, 0);
            if (check(w, m, target) != 0)
                return -1;
            pop(w);
        }
        m = next;
    }
    return 0;
}

static int check_list(struct walk *w, cJSON *v, const struct ecp_shape *s)
{
    cJSON *item;
    size_t i = 0;

    if (!cJSON_IsArray(v))
        return mismatch(w, v, "an array");
    cJSON_ArrayForEach(item, v) {
        push(w, NULL, i++);
        if (check(w, item, s->item) != 0)
            return -1;
        pop(w);
    }
    return 0;
}

static int check_value(struct walk *w, cJSON *v, const struct ecp_shape *s)
{
    switch (s->type) {
    case ECP_SHAPE_STRUCTURE:
    case ECP_SHAPE_MAP:
        if ((w->flags & ECP_VALIDATE_LUA) && cJSON_IsArray(v) && !v->child)
            v->type = (v->type & ~0xFF) | cJSON_Object;
        if (!cJSON_IsObject(v))
            return mismatch(w, v, "an object");
        return check_members(w, v, s);
    case ECP_SHAPE_LIST:
        return check_list(w, v, s);
    case ECP_SHAPE_STRING:
    case ECP_SHAPE_BLOB:
        return cJSON_IsString(v) ? 0 : mismatch(w, v, "a string");
    case ECP_SHAPE_INTEGER:
        return check_integer(w, v, 32);
    case ECP_SHAPE_LONG:
        return check_integer(w, v, 64);
    case ECP_SHAPE_BOOLEAN:
        return cJSON_IsBool(v) ? 0 : mismatch(w, v, "true or false");
    case ECP_SHAPE_DOUBLE:
    case ECP_SHAPE_FLOAT:
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
            return mismatch(w, v, "a number");
        return 0;
    case ECP_SHAPE_TIMESTAMP:
        return check_timestamp(w, v);
    }
    return fail(w, "the model has a shape of unknown type");
}

static int check(struct walk *w, cJSON *v, const struct ecp_shape *s)
{
    int rc;

    w->secret += s->sensitive;
    rc = check_value(w, v, s);
    w->secret -= s->sensitive;
    return rc;
}

/* The member that identifies each record must be there, and be a name;
 * missing says what else to tell the reader when it is not there. */
static int check_id(struct walk *w, const cJSON *obj, const char *member,
                    const char *missing)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, member);
    int rc = 0;

    if (!id)
        return fail(w, "%s is missing%s", member, missing);
    push(w, member, 0);
    if (!cJSON_IsString(id) || id->valuestring[0] == '\0')
        rc = mismatch(w, id, "a non-empty string");
    pop(w);
    return rc;
}

int ecp_validate_with(cJSON *value, const struct ecp_shape *shape,
                      const char *file, const char *path, unsigned flags,
                      struct ecp_err *err)
{
    struct walk w = { .file = file, .base = path, .err = err,
                      .flags = flags };
    int rc = check(&w, value, shape);

    free(w.frames);
    return rc;
}

int ecp_validate(cJSON *value, const struct ecp_shape *shape,
                 const char *file, const char *path, struct ecp_err *err)
{
    return ecp_validate_with(value, shape, file, path, 0, err);
}

int ecp_validate_items(enum ecp_coll c, cJSON *items, const char *file,
                       const char *path, struct ecp_err *err)
{
    return ecp_validate_items_with(c, items, file, path, 0, err);
}

int ecp_validate_items_with(enum ecp_coll c, cJSON *items, const char *file,
                            const char *path, unsigned flags,
                            struct ecp_err *err)
{
    const struct ecp_coll_info *info = ecp_coll_info(c);
    const struct ecp_shape *shape = ecp_coll_item_shape(c);
    struct walk w = { .file = file, .base = path, .err = err,
                      .flags = flags };
    cJSON *item;
    size_t i = 0;
    int rc = 0;

    if (!info || !shape)
        return ecp_err_set(err, "no such collection (%d)", (int)c);
    if (!cJSON_IsArray(items))
        rc = mismatch(&w, items, "an array");
    for (item = rc == 0 ? items->child : NULL; item; item = item->next) {
        push(&w, NULL, i++);
        rc = check(&w, item, shape);
        if (rc == 0)
            rc = check_id(&w, item, info->id_member,
                          " (every item needs its id)");
        if (rc != 0)
            break;
        pop(&w);
    }
    free(w.frames);
    return rc;
}

int ecp_validate_account(cJSON *account, const char *file, const char *path,
                         struct ecp_err *err)
{
    const struct ecp_shape_op *op = ecp_shape_op_find("sts",
                                                      "GetCallerIdentity");
    struct walk w = { .file = file, .base = path, .err = err };
    int rc;

    if (!op)
        return ecp_err_set(err, "the model has no sts GetCallerIdentity");
    rc = check(&w, account, op->output);
    if (rc == 0)
        rc = check_id(&w, account, "Account", "");
    free(w.frames);
    return rc;
}
