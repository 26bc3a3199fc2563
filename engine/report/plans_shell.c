#include <stdlib.h>
#include <string.h>

#include "report/plans.h"
#include "version.h"

static void put_word(FILE *f, const char *w)
{
    const char *safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                       "0123456789_@%+=:,./-";

    if (*w && strspn(w, safe) == strlen(w)) {
        fputs(w, f);
        return;
    }
    fputc('\'', f);
    for (const char *p = w; *p; p++) {
        if (*p == '\'')
            fputs("'\\''", f);
        else
            fputc(*p, f);
    }
    fputc('\'', f);
}

void ecp_plans_put_argv(FILE *f, const cJSON *argv)
{
    const cJSON *w;
    int first = 1;

    cJSON_ArrayForEach(w, argv) {
        if (!first)
            fputc(' ', f);
        first = 0;
        put_word(f, cJSON_IsString(w) ? w->valuestring : "?");
    }
}

static const char *str(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* A comment line: text from policies and the inventory on one line. */
static void comment(FILE *f, const char *indent, const char *s)
{
    fprintf(f, "%s# ", indent);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, f);
    fputc('\n', f);
}

/* An API step runs its command and its wait; a manual one stops and asks. */
static void step_lines(FILE *f, const cJSON *step)
{
    const cJSON *cli = cJSON_GetObjectItemCaseSensitive(step, "cli");

    if (cli) {
        fputs("    ", f);
        ecp_plans_put_argv(f, cli);
        fputc('\n', f);
        const cJSON *wait = cJSON_GetObjectItemCaseSensitive(step, "wait");
        if (wait) {
            fputs("    ", f);
            ecp_plans_put_argv(f, cJSON_GetObjectItemCaseSensitive(wait,
                                                                  "cli"));
            fputc('\n', f);
        }
    } else {
        cJSON *msg = cJSON_CreateArray();
        cJSON_AddItemToArray(msg, cJSON_CreateString("confirm"));
        cJSON_AddItemToArray(msg, cJSON_CreateString(str(step, "title")));
        cJSON_AddItemToArray(msg, cJSON_CreateString(str(step,
                                                         "instructions")));
        fputs("    ", f);
        ecp_plans_put_argv(f, msg);
        fputc('\n', f);
        cJSON_Delete(msg);
    }
}

static void plan_function(FILE *f, const struct ecp_report *r,
                          const struct ecp_result *res, size_t n,
                          int backout)
{
    const struct ecp_control *ctl = &r->controls[res->control];
    const struct ecp_resource *rs = &r->resources[res->resource];
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(res->plan, "steps");
    int nsteps = cJSON_GetArraySize(steps);
    char line[1200];

    snprintf(line, sizeof line, "%s %s %s (%s): %s", ctl->id, rs->kind,
             rs->id, rs->region, res->reason);
    fputc('\n', f);
    comment(f, "", line);
    comment(f, "", str(res->plan, "summary"));
    const cJSON *w;
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(res->plan,
                                                           "warnings")) {
        snprintf(line, sizeof line, "warning: %s",
                 cJSON_IsString(w) ? w->valuestring : "");
        comment(f, "", line);
    }
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(res->plan,
                                                           "preconditions")) {
        snprintf(line, sizeof line, "before: %s", str(w, "text"));
        comment(f, "", line);
    }
    fprintf(f, "plan_%zu() {\n", n);
    for (int k = 0; k < nsteps; k++) {
        int i = backout ? nsteps - 1 - k : k;
        const cJSON *step = cJSON_GetArrayItem(steps, i);
        snprintf(line, sizeof line, "%s %d. %s", backout ? "undo" : "step",
                 i + 1, str(step, "title"));
        comment(f, "    ", line);
        if (!backout) {
            step_lines(f, step);
            continue;
        }
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(step, "backout");
        if (b) {
            step_lines(f, b);
        } else {
            snprintf(line, sizeof line, "nothing to undo: %s",
                     str(step, "no_backout"));
            comment(f, "    ", line);
            fputs("    :\n", f);
        }
    }
    fputs("}\n", f);
}

void ecp_plans_write_shell(const struct ecp_report *r, FILE *f, int backout)
{
    size_t n = 0;

    fprintf(f, "#!/usr/bin/env bash\n"
            "# %s of ecpolicy %s's remediation plans%s%s.\n"
            "# Review every command before you run it.  Each plan is a "
            "function;\n"
            "# run them all (no arguments) or name some: %s plan_1 plan_3\n",
            backout ? "The backout" : "The steps", ECP_VERSION,
            r->generated_at ? ", made " : "",
            r->generated_at ? r->generated_at : "",
            backout ? "backout.sh" : "plan.sh");
    if (backout)
        fputs("# Each plan's steps are undone last first.\n", f);
    fputs("set -euo pipefail\n\n"
          "# A step done by hand: say what to do, go on only on \"yes\".\n"
          "confirm() {\n"
          "    printf '\\n== %s\\n%s\\n' \"$1\" \"$2\" >/dev/tty\n"
          "    read -r -p 'Done? Type yes to go on: ' answer </dev/tty\n"
          "    [ \"$answer\" = yes ] || { echo 'stopped' >&2; exit 1; }\n"
          "}\n", f);
    for (size_t i = 0; i < r->nresults; i++) {
        if (!ecp_plans_covers(r, i))
            continue;
        const struct ecp_result *res = &r->results[i];
        if (res->plan) {
            plan_function(f, r, res, ++n, backout);
        } else {
            char line[1200];
            const struct ecp_resource *rs = &r->resources[res->resource];
            snprintf(line, sizeof line, "%s %s %s (%s): no plan: %s",
                     r->controls[res->control].id, rs->kind, rs->id,
                     rs->region, ecp_plans_missing_text(res));
            fputc('\n', f);
            comment(f, "", line);
        }
    }
    /* Every name is checked before the first plan runs: a typo in the
     * last name must not leave the first plans done. */
    fputs("\nif [ $# -gt 0 ]; then\n"
          "    for p in \"$@\"; do\n"
          "        case $p in\n"
          "        plan_[1-9]*) declare -F \"$p\" >/dev/null || {\n"
          "            echo \"no such plan: $p\" >&2; exit 2; } ;;\n"
          "        *) echo \"no such plan: $p\" >&2; exit 2 ;;\n"
          "        esac\n"
          "    done\n"
          "    for p in \"$@\"; do\n"
          "        \"$p\"\n"
          "    done\n"
          "else\n", f);
    for (size_t k = 1; k <= n; k++)
        fprintf(f, "    plan_%zu\n", k);
    if (!n)
        fputs("    :   # no plans\n", f);
    fputs("fi\n", f);
}
