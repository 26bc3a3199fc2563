#include <stdlib.h>

#include <cJSON.h>

#include "report/writers.h"
#include "util/buf.h"
#include "util/mem.h"
#include "version.h"

static void add_string_or_null(cJSON *obj, const char *key, const char *s)
{
    if (s)
        cJSON_AddStringToObject(obj, key, s);
    else
        cJSON_AddNullToObject(obj, key);
}

static cJSON *input_section(const struct ecp_inventory *inv)
{
    cJSON *in = cJSON_CreateObject();
    const cJSON *account = inv && inv->account
        ? cJSON_GetObjectItemCaseSensitive(inv->account, "Account") : NULL;

    add_string_or_null(in, "kind", inv ? inv->source_kind : NULL);
    add_string_or_null(in, "path", inv ? inv->source_path : NULL);
    add_string_or_null(in, "collected_at", inv ? inv->collected_at : NULL);
    add_string_or_null(in, "account",
                       cJSON_IsString(account) ? account->valuestring : NULL);
    return in;
}

/* Every (region, collection) and whether it was complete: a reader can
 * tell what the results stand on. */
static cJSON *collections_section(const struct ecp_inventory *inv,
                                  const unsigned char *needed)
{
    cJSON *list = cJSON_CreateArray();

    for (size_t i = 0; inv && i < inv->nregions; i++) {
        const struct ecp_region *r = &inv->regions[i];
        for (int c = 0; c < ECP_COLL_COUNT; c++) {
            const struct ecp_collection *col = &r->coll[c];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "region", r->name);
            cJSON_AddStringToObject(o, "collection", ecp_coll_info(c)->name);
            cJSON_AddStringToObject(o, "status", ecp_status_name(col->status));
            add_string_or_null(o, "message", col->message);
            cJSON_AddBoolToObject(o, "needed", needed[c]);
            cJSON_AddItemToArray(list, o);
        }
    }
    return list;
}

static cJSON *counts_object(const struct ecp_counts *c)
{
    cJSON *o = cJSON_CreateObject(), *sev = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "total", (double)c->total);
    for (int i = 0; i < ECP_OUTCOME_COUNT; i++)
        cJSON_AddNumberToObject(o, ecp_outcome_name(i),
                                (double)c->by_outcome[i]);
    for (int s = ECP_SEV_COUNT - 1; s >= 0; s--)
        cJSON_AddNumberToObject(sev, ecp_severity_name(s),
                                (double)c->fail_by_severity[s]);
    cJSON_AddItemToObject(o, "fail_by_severity", sev);
    return o;
}

/*
 * The report is streamed a result at a time, so a report of a million
 * results is never held as one tree.  cJSON encodes every value; only the
 * fixed keys and the punctuation between them are written here.  A result
 * is not built as a tree of its own: its strings go through one reusable
 * string node (no allocation per value), and each resource is encoded
 * once, not once per control that looked at it.
 */
struct sink {
    FILE *f;
    char *buf;
    size_t cap;
    cJSON *text;          /* a string reference node, pointed at each value */
    char **resource_json; /* per resource, encoded on first use */
};

/* The encoding of item, in s->buf until the next call. */
static const char *encode(struct sink *s, const cJSON *item)
{
    /* PrintPreallocated needs room for the text and a little slack;
     * grow the buffer until it fits. */
    while (!s->cap || !cJSON_PrintPreallocated((cJSON *)item, s->buf,
                                               (int)s->cap, 0)) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        free(s->buf);
        s->buf = ecp_malloc(s->cap);
    }
    return s->buf;
}

static void put(struct sink *s, const cJSON *item)
{
    fputs(encode(s, item), s->f);
}

/* A string value, or null. */
static const char *encode_string(struct sink *s, const char *str)
{
    if (!str)
        return "null";
    s->text->valuestring = (char *)str;
    return encode(s, s->text);
}

static void put_string(struct sink *s, const char *str)
{
    fputs(encode_string(s, str), s->f);
}

/* Write "key": value and free value. */
static void member(struct sink *s, const char *key, cJSON *value, int first)
{
    fprintf(s->f, "%s\"%s\":", first ? "" : ",", key);
    put(s, value);
    cJSON_Delete(value);
}

static cJSON *string_or_null(const char *str)
{
    return str ? cJSON_CreateString(str) : cJSON_CreateNull();
}

static const char *resource_json(struct sink *s, const struct ecp_report *r,
                                 size_t index)
{
    if (!s->resource_json[index]) {
        const struct ecp_resource *rs = &r->resources[index];
        struct ecp_buf b = { 0 };
        ecp_buf_adds(&b, "{\"kind\":");
        ecp_buf_adds(&b, encode_string(s, rs->kind));
        ecp_buf_adds(&b, ",\"id\":");
        ecp_buf_adds(&b, encode_string(s, rs->id));
        ecp_buf_adds(&b, ",\"arn\":");
        ecp_buf_adds(&b, encode_string(s, rs->arn));
        ecp_buf_adds(&b, ",\"region\":");
        ecp_buf_adds(&b, encode_string(s, rs->region));
        ecp_buf_adds(&b, "}");
        s->resource_json[index] = ecp_buf_take(&b);
    }
    return s->resource_json[index];
}

static void put_result(struct sink *s, const struct ecp_report *r,
                       const struct ecp_result *res)
{
    const struct ecp_control *c = &r->controls[res->control];

    fputs("{\"control\":", s->f);
    put_string(s, c->id);
    fprintf(s->f, ",\"severity\":\"%s\",\"status\":\"%s\",\"reason\":",
            ecp_severity_name(c->severity), ecp_outcome_name(res->outcome));
    put_string(s, res->reason);
    fputs(",\"resource\":", s->f);
    fputs(resource_json(s, r, res->resource), s->f);
    fputs(",\"evidence\":", s->f);
    if (res->evidence)
        put(s, res->evidence);
    else
        fputs("null", s->f);
    fputc('}', s->f);
}

void ecp_report_write_json(const struct ecp_report *r, FILE *f)
{
    struct sink s = { f, NULL, 0, cJSON_CreateStringReference(""),
                      ecp_calloc(r->nresources ? r->nresources : 1,
                                 sizeof(char *)) };
    struct ecp_counts *per = ecp_calloc(r->ncontrols ? r->ncontrols : 1,
                                        sizeof *per);
    struct ecp_counts total;
    cJSON *controls = cJSON_CreateArray();

    ecp_report_count(r, per, &total);
    fputc('{', f);
    member(&s, "schema", cJSON_CreateString(ECP_RESULTS_SCHEMA), 1);
    member(&s, "ecpolicy_version", cJSON_CreateString(ECP_VERSION), 0);
    member(&s, "generated_at", string_or_null(r->generated_at), 0);
    member(&s, "input", input_section(r->inventory), 0);
    member(&s, "collections", collections_section(r->inventory, r->needed),
           0);
    for (size_t i = 0; i < r->ncontrols; i++) {
        const struct ecp_control *c = &r->controls[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", c->id);
        cJSON_AddStringToObject(o, "title", c->title);
        cJSON_AddStringToObject(o, "severity", ecp_severity_name(c->severity));
        cJSON_AddStringToObject(o, "resource", c->resource);
        add_string_or_null(o, "file", c->file);
        cJSON_AddItemToObject(o, "counts", counts_object(&per[i]));
        cJSON_AddItemToArray(controls, o);
    }
    member(&s, "controls", controls, 0);

    fputs(",\"results\":[", f);
    for (size_t i = 0; i < r->nresults; i++) {
        if (i)
            fputc(',', f);
        put_result(&s, r, &r->results[i]);
    }
    fputc(']', f);

    cJSON *summary = counts_object(&total);
    cJSON_AddStringToObject(summary, "fail_on", r->fail_on_none ? "none"
                            : ecp_severity_name(r->fail_on));
    cJSON_AddNumberToObject(summary, "exit_code", ecp_report_exit_code(r));
    member(&s, "summary", summary, 0);
    fputs("}\n", f);
    for (size_t i = 0; i < r->nresources; i++)
        free(s.resource_json[i]);
    free(s.resource_json);
    cJSON_Delete(s.text);
    free(s.buf);
    free(per);
}
