#ifndef ECP_REPORT_WRITERS_H
#define ECP_REPORT_WRITERS_H

#include <stdio.h>

#include "report/results.h"

struct ecp_text_options {
    int color;      /* ANSI colours */
    int verbose;    /* list passes and not-applicable results, evidence */
};

/* The human report: grouped by control, the problems first, counts at the
 * end (docs/cli.md shows an example). */
void ecp_report_write_text(const struct ecp_report *r, FILE *out,
                           const struct ecp_text_options *opts);

/* The JSON report (docs/results-json.md), one line and a newline. */
void ecp_report_write_json(const struct ecp_report *r, FILE *out);

#endif
