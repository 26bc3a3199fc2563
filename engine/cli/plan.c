#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/plans.h"
#include "util/clock.h"

static const char usage[] =
"usage: ecpolicy plan [POLICY.lua | DIR | PACK]... [--snapshot PATH] [options]\n"
"\n"
"Print the remediation plan of every failure at or above --fail-on: the\n"
"API calls with their exact parameters, the equivalent aws CLI commands,\n"
"whether each fixes the resource in place or needs a migration, the\n"
"preconditions, warnings and the backout of every step.  Nothing is\n"
"changed: this is a dry run.  Policies, input and tuning are as for\n"
"'ecpolicy run' (see 'ecpolicy run --help').\n"
"\n"
"Output:\n"
"  --format text|json|shell\n"
"                       text (default) for people; json for tools\n"
"                       (docs/results-json.md); shell: a bash script of the\n"
"                       commands, one function per plan\n"
"  --backout            with --format shell: the script of the backouts,\n"
"                       each plan's steps undone last first\n"
"  -o, --output FILE    write to FILE instead of stdout\n"
"  --color WHEN         auto (default), always or never\n"
"  --fail-on SEVERITY   plan findings at or above it (default low; none:\n"
"                       every finding)\n"
"  --timings            on stderr, where the time went (as for run)\n"
"  -v, --verbose        when collecting live, a line per API call on stderr\n"
"Input, selection and tuning: --snapshot, --region, --profile, --only,\n"
"--skip, --param, --config, --no-config, --time-limit, --memory-limit,\n"
"--now ... as for 'ecpolicy run'.\n"
"\n"
"Exit codes:\n"
"  0  the plans were printed (findings or not: a plan is not a gate)\n"
"  2  usage or input error\n"
"  3  some result was unknown or error, or a plan could not be made: the\n"
"     plans may not cover every failure\n";

int cmd_plan(int argc, char **argv)
{
    struct cli_options o;
    struct cli_eval ev;
    struct ecp_plan_counts counts;
    struct ecp_err err;
    struct cli_out out;
    int code;

    if (cli_parse(argc, argv, "plan", CLI_SELECT | CLI_INPUT | CLI_OUTPUT |
                  CLI_GATE | CLI_VERBOSE | CLI_AWS | CLI_PLAN, usage, &o,
                  &code))
        return code;
    if (cli_evaluate(&o, 1, &ev, &err) != 0) {
        code = cli_fail("plan", "%s", err.msg);
        goto done;
    }
    double start = ecp_clock_seconds();
    FILE *f = cli_out_open(&out, o.output);
    if (f) {
        if (strcmp(o.format, "json") == 0)
            ecp_plans_write_json(&ev.rep, f);
        else if (strcmp(o.format, "shell") == 0)
            ecp_plans_write_shell(&ev.rep, f, o.backout);
        else
            ecp_plans_write_text(&ev.rep, f, f == stdout
                                 ? cli_want_color(&o, stdout)
                                 : strcmp(o.color, "always") == 0);
    }
    if (cli_out_close(&out, &err) != 0) {
        code = cli_fail("plan", "%s", err.msg);
        goto done;
    }
    if (o.timings)
        cli_print_timings(&ev, ecp_clock_seconds() - start);
    ecp_plans_count(&ev.rep, &counts);
    code = counts.incomplete || counts.errors ? 3 : 0;
done:
    cli_eval_free(&ev);
    cli_options_free(&o);
    return code;
}
