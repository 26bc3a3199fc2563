#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "collect/inventory.h"
#include "collect/timestamp.h"
#include "lua/model.h"
#include "lua/runner.h"
#include "report/writers.h"
#include "util/clock.h"
#include "util/fs.h"
#include "util/mem.h"

static const char usage[] =
"usage: ecpolicy run [POLICY.lua | DIR | PACK]... [--snapshot PATH] [options]\n"
"\n"
"Evaluate policies on an inventory and report the results.  An operand is\n"
"a policy file, a folder of them, or a rule pack (a folder with a pack.lua,\n"
"or a pack's name on ECPOLICY_PATH; docs/packs.md).  With none, the\n"
"built-in policies and every pack on ECPOLICY_PATH run.  Without\n"
"--snapshot, the inventory is collected live from AWS (only what the\n"
"policies read).\n"
"\n"
"Input:\n"
"  --snapshot PATH      an ecpolicy snapshot file, or a folder of saved AWS\n"
"                       CLI output (PATH/<region>/<command>.json); see\n"
"                       docs/input.md\n"
"  --region REGION, --all-regions, --profile NAME, --endpoint-url URL,\n"
"  --max-parallel N, --max-attempts N, --connect-timeout SEC,\n"
"  --request-timeout SEC\n"
"                       live collection, as for 'ecpolicy fetch --help'\n"
"Selection and tuning:\n"
"  --only ID            run only controls whose id matches (glob, repeatable)\n"
"  --skip ID            do not run controls whose id matches (glob,\n"
"                       repeatable)\n"
"  --param C.NAME=VAL   set parameter NAME of control C (lists: a,b,c)\n"
"  --config FILE        settings file (docs/config.md); default: the first of\n"
"                       ECPOLICY_CONFIG, ./.ecpolicy.lua and\n"
"                       $XDG_CONFIG_HOME/ecpolicy/config.lua that exists\n"
"  --no-config          read no settings file\n"
"  --time-limit SEC     time one check call may take (default 5)\n"
"  --memory-limit MB    memory one policy may hold (default 256)\n"
"  --now TIME           the time the checks see (default: now)\n"
"Output:\n"
"  --format text|json   the report format (default text)\n"
"  -o, --output FILE    write the report to FILE instead of stdout ('-':\n"
"                       stdout)\n"
"  --color WHEN         auto (default), always or never; NO_COLOR is honoured\n"
"  -v, --verbose        also list passing and not-applicable results, and\n"
"                       evidence; when collecting live, a line per API call\n"
"  --fail-on SEVERITY   info, low (default), medium, high, critical or none\n"
"  --timings            on stderr, where the time went: each step, and each\n"
"                       control slowest first\n"
"\n"
"Exit codes:\n"
"  0  no failure at or above --fail-on\n"
"  1  failures at or above --fail-on\n"
"  2  usage or input error (bad option, file, policy or inventory)\n"
"  3  the run was incomplete: some result is unknown or error (this wins\n"
"     over 1, since incomplete data can hide a failure)\n";

static int write_report(const struct cli_options *o, struct ecp_report *rep,
                        struct ecp_err *err)
{
    struct ecp_text_options t = { 0, o->verbose };
    struct cli_out out;
    FILE *f = cli_out_open(&out, o->output);

    if (f && strcmp(o->format, "json") == 0) {
        ecp_report_write_json(rep, f);
    } else if (f) {
        /* Colour only on a terminal, unless asked for. */
        t.color = f == stdout ? cli_want_color(o, stdout)
                              : strcmp(o->color, "always") == 0;
        ecp_report_write_text(rep, f, &t);
    }
    return cli_out_close(&out, err);
}

int cmd_run(int argc, char **argv)
{
    struct cli_options o;
    struct cli_eval ev;
    struct ecp_err err;
    int code;

    if (cli_parse(argc, argv, "run", CLI_SELECT | CLI_INPUT | CLI_OUTPUT |
                  CLI_GATE | CLI_VERBOSE | CLI_AWS, usage, &o, &code))
        return code;
    if (cli_evaluate(&o, 0, &ev, &err) != 0) {
        code = cli_fail("run", "%s", err.msg);
    } else {
        double start = ecp_clock_seconds();
        if (write_report(&o, &ev.rep, &err) != 0) {
            code = cli_fail("run", "%s", err.msg);
        } else {
            code = ecp_report_exit_code(&ev.rep);
            if (o.timings)
                cli_print_timings(&ev, ecp_clock_seconds() - start);
        }
    }
    cli_eval_free(&ev);
    cli_options_free(&o);
    return code;
}
