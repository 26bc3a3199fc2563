#include <stdlib.h>

#include <cJSON.h>

#include "report/writers.h"
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

char *ecp_report_json(const struct ecp_report *r)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *controls = cJSON_CreateArray(), *results = cJSON_CreateArray();
    struct ecp_counts *per = calloc(r->ncontrols ? r->ncontrols : 1,
                                    sizeof *per);
    struct ecp_counts total;
    char *text;

    ecp_report_count(r, per, &total);
    cJSON_AddStringToObject(root, "schema", ECP_RESULTS_SCHEMA);
    cJSON_AddStringToObject(root, "ecpolicy_version", ECP_VERSION);
    add_string_or_null(root, "generated_at", r->generated_at);
    cJSON_AddItemToObject(root, "input", input_section(r->inventory));
    cJSON_AddItemToObject(root, "collections",
                          collections_section(r->inventory, r->needed));

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
    cJSON_AddItemToObject(root, "controls", controls);

    for (size_t i = 0; i < r->nresults; i++) {
        const struct ecp_result *res = &r->results[i];
        const struct ecp_control *c = &r->controls[res->control];
        const struct ecp_resource *rs = &r->resources[res->resource];
        cJSON *o = cJSON_CreateObject(), *ro = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "control", c->id);
        cJSON_AddStringToObject(o, "severity", ecp_severity_name(c->severity));
        cJSON_AddStringToObject(o, "status", ecp_outcome_name(res->outcome));
        cJSON_AddStringToObject(o, "reason", res->reason);
        cJSON_AddStringToObject(ro, "kind", rs->kind);
        cJSON_AddStringToObject(ro, "id", rs->id);
        add_string_or_null(ro, "arn", rs->arn);
        cJSON_AddStringToObject(ro, "region", rs->region);
        cJSON_AddItemToObject(o, "resource", ro);
        if (res->evidence)
            cJSON_AddItemReferenceToObject(o, "evidence", res->evidence);
        else
            cJSON_AddNullToObject(o, "evidence");
        cJSON_AddItemToArray(results, o);
    }
    cJSON_AddItemToObject(root, "results", results);

    cJSON *summary = counts_object(&total);
    cJSON_AddStringToObject(summary, "fail_on", r->fail_on_none ? "none"
                            : ecp_severity_name(r->fail_on));
    cJSON_AddNumberToObject(summary, "exit_code", ecp_report_exit_code(r));
    cJSON_AddItemToObject(root, "summary", summary);

    text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    free(per);
    return text;
}
