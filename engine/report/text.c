#include <stdlib.h>
#include <string.h>

#include "report/writers.h"
#include "version.h"

#define RED     "\033[31m"
#define GREEN   "\033[32m"
#define YELLOW  "\033[33m"
#define MAGENTA "\033[35m"
#define BOLD    "\033[1m"
#define DIM     "\033[2m"
#define RESET   "\033[0m"

struct out {
    FILE *f;
    int color;
    size_t region_width;    /* to line regions up */
};

static void paint(struct out *o, const char *code, const char *text)
{
    if (o->color)
        fprintf(o->f, "%s%s%s", code, text, RESET);
    else
        fputs(text, o->f);
}

/* Data from the inventory and from policies may hold control characters;
 * they must not reach a terminal as escape sequences. */
static void put_clean(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
}

static const char *label(enum ecp_outcome o)
{
    static const char *const names[ECP_OUTCOME_COUNT] = {
        "PASS", "FAIL", "N/A", "UNKNOWN", "ERROR"
    };
    return names[o];
}

static const char *colour(enum ecp_outcome o)
{
    static const char *const codes[ECP_OUTCOME_COUNT] = {
        GREEN, BOLD RED, DIM, YELLOW, BOLD MAGENTA
    };
    return codes[o];
}

static void counts_line(struct out *o, const struct ecp_counts *c)
{
    fprintf(o->f, "%zu pass, %zu fail, %zu not applicable, %zu unknown, "
            "%zu error", c->by_outcome[ECP_PASS], c->by_outcome[ECP_FAIL],
            c->by_outcome[ECP_NOT_APPLICABLE], c->by_outcome[ECP_UNKNOWN],
            c->by_outcome[ECP_ERROR]);
}

static void header(struct out *o, const struct ecp_report *r)
{
    const struct ecp_inventory *inv = r->inventory;
    const cJSON *account = inv && inv->account
        ? cJSON_GetObjectItemCaseSensitive(inv->account, "Account") : NULL;

    fprintf(o->f, "ecpolicy %s: %zu control%s", ECP_VERSION, r->ncontrols,
            r->ncontrols == 1 ? "" : "s");
    if (inv)
        fprintf(o->f, " on %zu region%s", inv->nregions,
                inv->nregions == 1 ? "" : "s");
    fputc('\n', o->f);
    if (inv && (inv->source_path || inv->collected_at)) {
        fputs("input: ", o->f);
        if (inv->source_path) {
            put_clean(o->f, inv->source_path);
            fprintf(o->f, " (%s)", strcmp(inv->source_kind, "awscli") == 0
                    ? "saved AWS CLI output" : "ecpolicy snapshot");
        } else {
            fputs("collected live from AWS at ", o->f);
            put_clean(o->f, inv->collected_at);
        }
        if (cJSON_IsString(account)) {
            fputs(", account ", o->f);
            put_clean(o->f, account->valuestring);
        }
        fputc('\n', o->f);
    }
}

static void not_collected(struct out *o, const struct ecp_report *r)
{
    const struct ecp_inventory *inv = r->inventory;
    size_t others = 0;
    int any = 0;

    for (size_t i = 0; inv && i < inv->nregions; i++) {
        const struct ecp_region *reg = &inv->regions[i];
        for (int c = 0; c < ECP_COLL_COUNT; c++) {
            const struct ecp_collection *col = &reg->coll[c];
            if (col->status == ECP_ST_OK)
                continue;
            if (!r->needed[c]) {
                others++;
                continue;
            }
            if (!any) {
                fputc('\n', o->f);
                paint(o, BOLD, "Not collected");
                fputs(" (results that need these are unknown):\n", o->f);
                any = 1;
            }
            fputs("  ", o->f);
            put_clean(o->f, reg->name);
            fprintf(o->f, "%*s  %-22s %-13s ",
                    (int)(o->region_width - strlen(reg->name)), "",
                    ecp_coll_info(c)->name, ecp_status_name(col->status));
            if (col->message)
                put_clean(o->f, col->message);
            fputc('\n', o->f);
        }
    }
    if (others)
        fprintf(o->f, "%s(%zu more collection%s not collected, which no "
                "control here reads: see 'ecpolicy inventory')\n",
                any ? "  " : "\n", others, others == 1 ? " was" : "s were");
}

static void result_line(struct out *o, const struct ecp_report *r,
                        const struct ecp_result *res, int verbose)
{
    const struct ecp_resource *rs = &r->resources[res->resource];
    char status[16];

    snprintf(status, sizeof status, "%-8s", label(res->outcome));
    fputs("  ", o->f);
    paint(o, colour(res->outcome), status);
    fputc(' ', o->f);
    put_clean(o->f, rs->region);
    fprintf(o->f, "%*s  ", (int)(o->region_width - strlen(rs->region)), "");
    if (strcmp(rs->kind, "region") != 0) {
        put_clean(o->f, rs->kind);
        fputc(' ', o->f);
        put_clean(o->f, rs->id);
    } else {
        fputs("(whole region)", o->f);
    }
    fputs(": ", o->f);
    put_clean(o->f, res->reason);
    fputc('\n', o->f);
    if (verbose && res->evidence) {
        char *ev = cJSON_PrintUnformatted(res->evidence);
        fputs("           evidence: ", o->f);
        put_clean(o->f, ev);
        fputc('\n', o->f);
        free(ev);
    }
}

/* Problems first: fail, error, unknown; then, when verbose, the rest. */
static const enum ecp_outcome order[] = {
    ECP_FAIL, ECP_ERROR, ECP_UNKNOWN, ECP_PASS, ECP_NOT_APPLICABLE
};

static void control_section(struct out *o, const struct ecp_report *r,
                            size_t ci, size_t from, size_t to,
                            const struct ecp_counts *counts, int verbose)
{
    const struct ecp_control *c = &r->controls[ci];
    size_t shown = verbose ? 5 : 3;

    fputc('\n', o->f);
    if (o->color)
        fputs(BOLD, o->f);
    put_clean(o->f, c->id);
    fprintf(o->f, "  %s  ", ecp_severity_name(c->severity));
    put_clean(o->f, c->title);
    if (o->color)
        fputs(RESET, o->f);
    fputc('\n', o->f);
    for (size_t k = 0; k < shown; k++)
        for (size_t i = from; i < to; i++)
            if (r->results[i].outcome == order[k])
                result_line(o, r, &r->results[i], verbose);
    fputs("  ", o->f);
    counts_line(o, counts);
    fputc('\n', o->f);
}

static void summary(struct out *o, const struct ecp_report *r,
                    const struct ecp_counts *t)
{
    int code = ecp_report_exit_code(r);
    int first = 1;

    fputc('\n', o->f);
    paint(o, BOLD, "Summary");
    fprintf(o->f, ": %zu result%s: ", t->total, t->total == 1 ? "" : "s");
    counts_line(o, t);
    if (t->by_outcome[ECP_FAIL]) {
        fputs(" (fail by severity:", o->f);
        for (int s = ECP_SEV_COUNT - 1; s >= 0; s--) {
            if (!t->fail_by_severity[s])
                continue;
            fprintf(o->f, "%s %zu %s", first ? "" : ",",
                    t->fail_by_severity[s], ecp_severity_name(s));
            first = 0;
        }
        fputc(')', o->f);
    }
    fputc('\n', o->f);
    if (code == 3)
        fprintf(o->f, "Exit 3: the run is incomplete (%zu unknown, %zu "
                "error); incomplete data can hide failures.\n",
                t->by_outcome[ECP_UNKNOWN], t->by_outcome[ECP_ERROR]);
    else if (code == 1)
        fprintf(o->f, "Exit 1: failures at or above severity %s.\n",
                ecp_severity_name(r->fail_on));
    else if (r->fail_on_none)
        fputs("Exit 0: --fail-on none: findings do not fail the run.\n", o->f);
    else
        fprintf(o->f, "Exit 0: no failures at or above severity %s.\n",
                ecp_severity_name(r->fail_on));
}

void ecp_report_write_text(const struct ecp_report *r, FILE *f,
                           const struct ecp_text_options *opts)
{
    struct out o = { f, opts->color, 0 };
    struct ecp_counts *per = calloc(r->ncontrols ? r->ncontrols : 1,
                                    sizeof *per);
    struct ecp_counts total;
    size_t i = 0;

    ecp_report_count(r, per, &total);
    for (size_t k = 0; k < r->nresources; k++)
        if (strlen(r->resources[k].region) > o.region_width)
            o.region_width = strlen(r->resources[k].region);
    for (size_t k = 0; r->inventory && k < r->inventory->nregions; k++)
        if (strlen(r->inventory->regions[k].name) > o.region_width)
            o.region_width = strlen(r->inventory->regions[k].name);
    header(&o, r);
    not_collected(&o, r);
    /* The runner appends one control's results together. */
    for (size_t c = 0; c < r->ncontrols; c++) {
        size_t from = i;
        while (i < r->nresults && r->results[i].control == c)
            i++;
        control_section(&o, r, c, from, i, &per[c], opts->verbose);
    }
    summary(&o, r, &total);
    free(per);
}
