#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "collect/timestamp.h"
#include "lua/model.h"
#include "util/clock.h"
#include "util/mem.h"

static char *now_string(time_t t)
{
    struct tm tm;
    char buf[32];

    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return ecp_strdup(buf);
}

static void print_warnings(const struct ecp_inventory *inv)
{
    for (size_t i = 0; i < inv->nwarnings; i++)
        fprintf(stderr, "ecpolicy: warning: %s\n", inv->warnings[i]);
}

int cli_evaluate(const struct cli_options *o, int plans, struct cli_eval *ev,
                 struct ecp_err *err)
{
    struct ecp_run_options ro;
    int model_ref;

    memset(ev, 0, sizeof *ev);
    memset(&ro, 0, sizeof ro);
    ro.now = (double)time(NULL);
    ro.plans = plans;
    if (o->now) {
        struct ecp_timestamp ts;
        const char *why = NULL;
        if (ecp_timestamp_parse(o->now, &ts, &why) != 0)
            return ecp_err_set(err, "--now %s: %s", o->now,
                               why ? why : "not a timestamp");
        ro.now = (double)ts.epoch + ts.millis / 1000.0;
    }
    /* Policies first: a mistake there shows before a long inventory load. */
    ev->have_session = 1;      /* closed even when opening fails half-way */
    double t = ecp_clock_seconds();
    if (cli_session_open(&ev->s, o, err) != 0)
        return -1;
    ev->load_seconds = ecp_clock_seconds() - t;
    t += ev->load_seconds;
    /* What the selected controls read: what a live run collects, and what
     * the report lists as not collected. */
    ecp_policies_needs(&ev->s.host, &ev->s.policies, ev->rep.needed);
    if (o->snapshot) {
        if (ecp_inventory_load(o->snapshot, &ev->inv, err) != 0)
            return -1;
    } else if (cli_collect_live(o, ev->rep.needed, &ev->inv, err) != 0) {
        return -1;
    }
    print_warnings(&ev->inv);
    ev->input_seconds = ecp_clock_seconds() - t;
    t += ev->input_seconds;
    if (ecp_model_build(&ev->s.host, &ev->inv, 1, &model_ref, err) != 0)
        return -1;
    ev->model_seconds = ecp_clock_seconds() - t;
    t += ev->model_seconds;
    ev->rep.inventory = &ev->inv;
    ev->rep.generated_at = now_string((time_t)ro.now);
    ev->rep.fail_on = ev->s.fail_on < 0 ? ECP_SEV_CRITICAL
                                        : (enum ecp_severity)ev->s.fail_on;
    ev->rep.fail_on_none = ev->s.fail_on < 0;
    ro.limits = ev->s.limits;
    ecp_run(&ev->s.host, &ev->s.policies, model_ref, &ro, &ev->rep);
    ev->run_seconds = ecp_clock_seconds() - t;
    return 0;
}

static int by_seconds(const void *a, const void *b)
{
    const struct ecp_control *x = *(const struct ecp_control *const *)a;
    const struct ecp_control *y = *(const struct ecp_control *const *)b;

    if (x->seconds != y->seconds)
        return x->seconds < y->seconds ? 1 : -1;
    return strcmp(x->id, y->id);
}

void cli_print_timings(const struct cli_eval *ev, double write_seconds)
{
    const struct ecp_report *rep = &ev->rep;
    const struct ecp_control **order;
    double total = ev->load_seconds + ev->input_seconds + ev->model_seconds +
                   ev->run_seconds + write_seconds;

    fprintf(stderr, "timings: %.3f s in all: load policies %.3f s, read input "
            "%.3f s, build model %.3f s, controls %.3f s, write %.3f s\n",
            total, ev->load_seconds, ev->input_seconds, ev->model_seconds,
            ev->run_seconds, write_seconds);
    if (rep->ncontrols == 0)
        return;
    order = ecp_calloc(rep->ncontrols, sizeof *order);
    for (size_t i = 0; i < rep->ncontrols; i++)
        order[i] = &rep->controls[i];
    qsort(order, rep->ncontrols, sizeof *order, by_seconds);
    for (size_t i = 0; i < rep->ncontrols; i++) {
        const struct ecp_control *c = order[i];
        fprintf(stderr, "timings: %-12s %8.3f s %5.1f%% %8zu resource%s",
                c->id, c->seconds,
                ev->run_seconds > 0 ? 100.0 * c->seconds / ev->run_seconds : 0.0,
                c->evaluated, c->evaluated == 1 ? " " : "s");
        if (c->evaluated > 0)
            fprintf(stderr, " %9.1f us each", 1e6 * c->seconds / (double)c->evaluated);
        fputc('\n', stderr);
    }
    free(order);
}

void cli_eval_free(struct cli_eval *ev)
{
    ecp_report_free(&ev->rep);
    if (ev->have_session)
        cli_session_close(&ev->s);
    ecp_inventory_free(&ev->inv);
    memset(ev, 0, sizeof *ev);
}
