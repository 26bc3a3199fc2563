#include <stdlib.h>
#include <string.h>

#include "report/plans.h"
#include "version.h"

#define BOLD   "\033[1m"
#define DIM    "\033[2m"
#define YELLOW "\033[33m"
#define RESET  "\033[0m"

int ecp_plans_covers(const struct ecp_report *r, size_t i)
{
    const struct ecp_result *res = &r->results[i];

    return res->outcome == ECP_FAIL &&
           (r->fail_on_none ||
            r->controls[res->control].severity >= r->fail_on);
}

const char *ecp_plans_missing_text(const struct ecp_result *res)
{
    if (res->plan_error)
        return res->plan_error;
    if (res->plan_note)
        return res->plan_note;
    if (res->has_plan_fn)
        return "the control offers no plan for this resource";
    return "the control has no remediate function";
}

static const char *plan_kind(const cJSON *plan)
{
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(plan, "kind");
    return cJSON_IsString(k) ? k->valuestring : "in_place";
}

void ecp_plans_count(const struct ecp_report *r, struct ecp_plan_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < r->nresults; i++) {
        const struct ecp_result *res = &r->results[i];
        if (res->outcome == ECP_UNKNOWN || res->outcome == ECP_ERROR)
            c->incomplete++;
        if (!ecp_plans_covers(r, i))
            continue;
        c->findings++;
        if (res->plan) {
            c->planned++;
            if (strcmp(plan_kind(res->plan), "migration") == 0)
                c->migration++;
            else
                c->in_place++;
        } else if (res->plan_error) {
            c->errors++;
        } else {
            c->no_plan++;
        }
    }
}

/* ---- text ---- */

struct out {
    FILE *f;
    int color;
};

static void paint(struct out *o, const char *code, const char *s)
{
    fprintf(o->f, "%s%s%s", o->color ? code : "", s, o->color ? RESET : "");
}

/* Policy and inventory text must not reach a terminal as escapes. */
static void put_clean(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n')
            fputc(' ', f);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
}

static const char *str(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void text_backout(struct out *o, const cJSON *step)
{
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(step, "backout");
    const char *none = str(step, "no_backout");

    fputs("       backout: ", o->f);
    if (none) {
        fputs("nothing to undo: ", o->f);
        put_clean(o->f, none);
    } else if (b && cJSON_GetObjectItemCaseSensitive(b, "cli")) {
        ecp_plans_put_argv(o->f, cJSON_GetObjectItemCaseSensitive(b, "cli"));
        const cJSON *wait = cJSON_GetObjectItemCaseSensitive(b, "wait");
        if (wait) {
            fputs("\n                then ", o->f);
            ecp_plans_put_argv(o->f, cJSON_GetObjectItemCaseSensitive(wait, "cli"));
        }
    } else if (b) {
        fputs("(by hand) ", o->f);
        put_clean(o->f, str(b, "instructions") ? str(b, "instructions")
                                                : "");
    }
    fputc('\n', o->f);
}

static void text_plan(struct out *o, const cJSON *plan)
{
    const cJSON *x, *steps = cJSON_GetObjectItemCaseSensitive(plan, "steps");
    int n = 0;

    fputs("  plan: ", o->f);
    put_clean(o->f, str(plan, "summary"));
    fprintf(o->f, " [%s]\n", strcmp(plan_kind(plan), "migration") == 0
            ? "migration: new resources, clients move" : "in place");
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(plan,
                                                           "preconditions")) {
        const cJSON *met = cJSON_GetObjectItemCaseSensitive(x, "met");
        fprintf(o->f, "  before: [%s] ", !met ? "check" : cJSON_IsTrue(met)
                ? "met" : "NOT MET");
        put_clean(o->f, str(x, "text"));
        fputc('\n', o->f);
    }
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(plan, "warnings")) {
        fputs("  ", o->f);
        paint(o, YELLOW, "warning:");
        fputc(' ', o->f);
        put_clean(o->f, cJSON_IsString(x) ? x->valuestring : "");
        fputc('\n', o->f);
    }
    cJSON_ArrayForEach(x, steps) {
        const cJSON *cli = cJSON_GetObjectItemCaseSensitive(x, "cli");
        fprintf(o->f, "  %d. ", ++n);
        put_clean(o->f, str(x, "title"));
        if (cli) {
            const char *effect = str(x, "effect");
            fprintf(o->f, " (%s)\n       ", effect && strcmp(effect,
                    "migration") == 0 ? "migration" : "in place");
            ecp_plans_put_argv(o->f, cli);
            const cJSON *wait = cJSON_GetObjectItemCaseSensitive(x, "wait");
            if (wait) {
                fputs("\n       then ", o->f);
                ecp_plans_put_argv(o->f, cJSON_GetObjectItemCaseSensitive(wait, "cli"));
            }
        } else {
            fputs(" (by hand)\n       ", o->f);
            put_clean(o->f, str(x, "instructions"));
        }
        fputc('\n', o->f);
        text_backout(o, x);
    }
}

void ecp_plans_write_text(const struct ecp_report *r, FILE *f, int color)
{
    struct out o = { f, color };
    struct ecp_plan_counts c;

    ecp_plans_count(r, &c);
    fprintf(f, "ecpolicy %s: remediation plans (a dry run: nothing is "
            "changed)\n", ECP_VERSION);
    for (size_t i = 0; i < r->nresults; i++) {
        if (!ecp_plans_covers(r, i))
            continue;
        const struct ecp_result *res = &r->results[i];
        const struct ecp_control *ctl = &r->controls[res->control];
        const struct ecp_resource *rs = &r->resources[res->resource];
        fputc('\n', f);
        paint(&o, BOLD, ctl->id);
        fprintf(f, " (%s) ", ecp_severity_name(ctl->severity));
        put_clean(f, rs->kind);
        fputc(' ', f);
        put_clean(f, rs->id);
        fputs(" (", f);
        put_clean(f, rs->region);
        fputs("): ", f);
        put_clean(f, res->reason);
        fputc('\n', f);
        if (res->plan) {
            text_plan(&o, res->plan);
        } else {
            fputs("  ", f);
            paint(&o, DIM, "no plan: ");
            put_clean(f, ecp_plans_missing_text(res));
            fprintf(f, "; see 'ecpolicy show %s'\n", ctl->id);
        }
    }
    fprintf(f, "\n%zu finding%s: %zu with a plan (%zu in place, %zu "
            "migration%s), %zu without, %zu plan error%s\n", c.findings,
            c.findings == 1 ? "" : "s", c.planned, c.in_place, c.migration,
            c.migration == 1 ? "" : "s", c.no_plan, c.errors,
            c.errors == 1 ? "" : "s");
    if (c.incomplete)
        fprintf(f, "%zu result%s unknown or error: there may be findings "
                "without a plan here ('ecpolicy run' says which)\n",
                c.incomplete, c.incomplete == 1 ? " is" : "s are");
}

/* ---- JSON ---- */

static cJSON *finding_object(const struct ecp_report *r,
                             const struct ecp_result *res)
{
    const struct ecp_control *ctl = &r->controls[res->control];
    const struct ecp_resource *rs = &r->resources[res->resource];
    cJSON *o = cJSON_CreateObject(), *resource = cJSON_CreateObject();
    const char *status = res->plan ? "planned" : res->plan_error ? "error"
                       : res->has_plan_fn ? "no_plan" : "no_remediate";

    cJSON_AddStringToObject(o, "control", ctl->id);
    cJSON_AddStringToObject(o, "title", ctl->title);
    cJSON_AddStringToObject(o, "severity", ecp_severity_name(ctl->severity));
    cJSON_AddStringToObject(resource, "kind", rs->kind);
    cJSON_AddStringToObject(resource, "id", rs->id);
    if (rs->arn)
        cJSON_AddStringToObject(resource, "arn", rs->arn);
    else
        cJSON_AddNullToObject(resource, "arn");
    cJSON_AddStringToObject(resource, "region", rs->region);
    cJSON_AddItemToObject(o, "resource", resource);
    cJSON_AddStringToObject(o, "reason", res->reason);
    /* References, not copies: the report owns them and outlives this. */
    if (res->evidence)
        cJSON_AddItemReferenceToObject(o, "evidence", res->evidence);
    cJSON_AddStringToObject(o, "plan_status", status);
    if (res->plan)
        cJSON_AddItemReferenceToObject(o, "plan", res->plan);
    else
        cJSON_AddNullToObject(o, "plan");
    if (!res->plan)
        cJSON_AddStringToObject(o, res->plan_error ? "plan_error"
                                : "no_plan_reason",
                                ecp_plans_missing_text(res));
    return o;
}

void ecp_plans_write_json(const struct ecp_report *r, FILE *f)
{
    cJSON *doc = cJSON_CreateObject(), *plans = cJSON_CreateArray();
    cJSON *summary = cJSON_CreateObject();
    struct ecp_plan_counts c;
    char *text;

    ecp_plans_count(r, &c);
    cJSON_AddStringToObject(doc, "schema", "ecpolicy-plans/1");
    cJSON_AddStringToObject(doc, "ecpolicy_version", ECP_VERSION);
    if (r->generated_at)
        cJSON_AddStringToObject(doc, "generated_at", r->generated_at);
    for (size_t i = 0; i < r->nresults; i++)
        if (ecp_plans_covers(r, i))
            cJSON_AddItemToArray(plans, finding_object(r, &r->results[i]));
    cJSON_AddItemToObject(doc, "plans", plans);
    cJSON_AddNumberToObject(summary, "findings", (double)c.findings);
    cJSON_AddNumberToObject(summary, "planned", (double)c.planned);
    cJSON_AddNumberToObject(summary, "in_place", (double)c.in_place);
    cJSON_AddNumberToObject(summary, "migration", (double)c.migration);
    cJSON_AddNumberToObject(summary, "no_plan", (double)c.no_plan);
    cJSON_AddNumberToObject(summary, "errors", (double)c.errors);
    cJSON_AddNumberToObject(summary, "incomplete_results",
                            (double)c.incomplete);
    cJSON_AddItemToObject(doc, "summary", summary);
    text = cJSON_PrintUnformatted(doc);
    if (text) {
        fputs(text, f);
        fputc('\n', f);
    }
    cJSON_free(text);
    cJSON_Delete(doc);
}
