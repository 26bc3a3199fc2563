#include <stdlib.h>
#include <string.h>

#include "report/results.h"
#include "util/mem.h"

static const char *const severity_names[ECP_SEV_COUNT] = {
    "info", "low", "medium", "high", "critical"
};

static const char *const outcome_names[ECP_OUTCOME_COUNT] = {
    "pass", "fail", "not_applicable", "unknown", "error"
};

const char *ecp_severity_name(enum ecp_severity s)
{
    return (unsigned)s < ECP_SEV_COUNT ? severity_names[s] : "?";
}

int ecp_severity_by_name(const char *name)
{
    for (int i = 0; i < ECP_SEV_COUNT; i++)
        if (strcmp(name, severity_names[i]) == 0)
            return i;
    return -1;
}

const char *ecp_outcome_name(enum ecp_outcome o)
{
    return (unsigned)o < ECP_OUTCOME_COUNT ? outcome_names[o] : "?";
}

int ecp_outcome_by_name(const char *name)
{
    for (int i = 0; i < ECP_OUTCOME_COUNT; i++)
        if (strcmp(name, outcome_names[i]) == 0)
            return i;
    return -1;
}

static char *dup_or_null(const char *s)
{
    return s ? ecp_strdup(s) : NULL;
}

size_t ecp_report_add_control(struct ecp_report *r, const char *id,
                              const char *title, const char *file,
                              const char *resource, enum ecp_severity sev)
{
    struct ecp_control *c;

    r->controls = ecp_realloc(r->controls,
                              (r->ncontrols + 1) * sizeof *r->controls);
    c = &r->controls[r->ncontrols];
    c->id = ecp_strdup(id);
    c->title = ecp_strdup(title);
    c->file = dup_or_null(file);
    c->resource = ecp_strdup(resource);
    c->severity = sev;
    return r->ncontrols++;
}

size_t ecp_report_add_resource(struct ecp_report *r, const char *kind,
                               const char *id, const char *arn,
                               const char *region)
{
    struct ecp_resource *res;

    if (r->nresources == r->resources_cap) {
        r->resources_cap = r->resources_cap ? r->resources_cap * 2 : 64;
        r->resources = ecp_realloc(r->resources,
                                   r->resources_cap * sizeof *r->resources);
    }
    res = &r->resources[r->nresources];
    res->kind = ecp_strdup(kind);
    res->id = ecp_strdup(id);
    res->arn = dup_or_null(arn);
    res->region = ecp_strdup(region);
    return r->nresources++;
}

static size_t hash_text(const char *s)
{
    size_t h = 1469598103934665603u;            /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void pool_grow(struct ecp_strpool *p)
{
    size_t cap = p->cap ? p->cap * 2 : 1024;
    char **slots = ecp_calloc(cap, sizeof *slots);

    for (size_t i = 0; i < p->cap; i++) {
        if (!p->slots[i])
            continue;
        size_t j = hash_text(p->slots[i]) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = p->slots[i];
    }
    free(p->slots);
    p->slots = slots;
    p->cap = cap;
}

static const char *pool_intern(struct ecp_strpool *p, const char *s)
{
    if (2 * (p->count + 1) > p->cap)
        pool_grow(p);
    size_t i = hash_text(s) & (p->cap - 1);
    while (p->slots[i]) {
        if (strcmp(p->slots[i], s) == 0)
            return p->slots[i];
        i = (i + 1) & (p->cap - 1);
    }
    p->slots[i] = ecp_strdup(s);
    p->count++;
    return p->slots[i];
}

void ecp_report_add_result(struct ecp_report *r, size_t control,
                           size_t resource, enum ecp_outcome outcome,
                           const char *reason, cJSON *evidence)
{
    struct ecp_result *res;

    if (r->nresults == r->results_cap) {
        r->results_cap = r->results_cap ? r->results_cap * 2 : 256;
        r->results = ecp_realloc(r->results,
                                 r->results_cap * sizeof *r->results);
    }
    res = &r->results[r->nresults++];
    res->control = control;
    res->resource = resource;
    res->outcome = outcome;
    res->reason = pool_intern(&r->reasons, reason ? reason : "");
    res->evidence = evidence;
    res->plan = NULL;
    res->plan_error = NULL;
    res->has_plan_fn = 0;
    res->plan_note = NULL;
}

void ecp_report_set_plan_note(struct ecp_report *r, size_t index,
                              const char *note)
{
    free(r->results[index].plan_note);
    r->results[index].plan_note = ecp_strdup(note);
}

void ecp_report_set_plan(struct ecp_report *r, size_t index, cJSON *plan,
                         const char *error)
{
    struct ecp_result *res = &r->results[index];

    cJSON_Delete(res->plan);
    free(res->plan_error);
    res->plan = plan;
    res->plan_error = error ? ecp_strdup(error) : NULL;
    res->has_plan_fn = 1;
}

static void tally(struct ecp_counts *c, const struct ecp_result *res,
                  enum ecp_severity sev)
{
    c->by_outcome[res->outcome]++;
    c->total++;
    if (res->outcome == ECP_FAIL)
        c->fail_by_severity[sev]++;
}

void ecp_report_count(const struct ecp_report *r,
                      struct ecp_counts *per_control,
                      struct ecp_counts *total)
{
    if (per_control)
        memset(per_control, 0, r->ncontrols * sizeof *per_control);
    memset(total, 0, sizeof *total);
    for (size_t i = 0; i < r->nresults; i++) {
        const struct ecp_result *res = &r->results[i];
        enum ecp_severity sev = r->controls[res->control].severity;
        if (per_control)
            tally(&per_control[res->control], res, sev);
        tally(total, res, sev);
    }
}

int ecp_report_exit_code(const struct ecp_report *r)
{
    int failing = 0;

    for (size_t i = 0; i < r->nresults; i++) {
        const struct ecp_result *res = &r->results[i];
        if (res->outcome == ECP_UNKNOWN || res->outcome == ECP_ERROR)
            return 3;
        if (res->outcome == ECP_FAIL && !r->fail_on_none &&
            r->controls[res->control].severity >= r->fail_on)
            failing = 1;
    }
    return failing ? 1 : 0;
}

void ecp_report_free(struct ecp_report *r)
{
    for (size_t i = 0; i < r->ncontrols; i++) {
        free(r->controls[i].id);
        free(r->controls[i].title);
        free(r->controls[i].file);
        free(r->controls[i].resource);
    }
    for (size_t i = 0; i < r->nresources; i++) {
        free(r->resources[i].kind);
        free(r->resources[i].id);
        free(r->resources[i].arn);
        free(r->resources[i].region);
    }
    for (size_t i = 0; i < r->nresults; i++) {
        cJSON_Delete(r->results[i].evidence);
        cJSON_Delete(r->results[i].plan);
        free(r->results[i].plan_error);
        free(r->results[i].plan_note);
    }
    for (size_t i = 0; i < r->reasons.cap; i++)
        free(r->reasons.slots[i]);
    free(r->reasons.slots);
    free(r->controls);
    free(r->resources);
    free(r->results);
    free(r->generated_at);
    memset(r, 0, sizeof *r);
}
