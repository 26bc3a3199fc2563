#ifndef ECP_REPORT_PLANS_H
#define ECP_REPORT_PLANS_H

#include <stddef.h>
#include <stdio.h>

#include "report/results.h"

/*
 * ecpolicy plan's output (docs/remediation.md): for every finding (a fail
 * at or above the report's fail_on), its plan, or why there is none.
 * Text for people, JSON for tools (docs/results-json.md#plans), and bash
 * scripts of the aws CLI commands and of their backout.
 */

/* Is result i a finding the plan output covers? */
int ecp_plans_covers(const struct ecp_report *r, size_t i);

struct ecp_plan_counts {
    size_t findings, planned, in_place, migration, no_plan, errors;
    size_t incomplete;      /* unknown and error results (not findings) */
};
void ecp_plans_count(const struct ecp_report *r, struct ecp_plan_counts *c);

void ecp_plans_write_text(const struct ecp_report *r, FILE *out, int color);
void ecp_plans_write_json(const struct ecp_report *r, FILE *out);
/* backout: the script of the backouts, last step first. */
void ecp_plans_write_shell(const struct ecp_report *r, FILE *out,
                           int backout);

/* A command's words as a shell reads them back: single quotes around
 * any word that needs them. */
void ecp_plans_put_argv(FILE *f, const cJSON *argv);

/* What to say for a finding without a plan. */
const char *ecp_plans_missing_text(const struct ecp_result *res);

#endif
