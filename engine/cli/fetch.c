#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "collect/inventory.h"
#include "util/fs.h"

static const char usage[] =
"usage: ecpolicy fetch -o FILE [POLICY.lua | DIR | PACK]... [options]\n"
"\n"
"Collect the inventory live from AWS and write it as an ecpolicy snapshot\n"
"(read it back with 'ecpolicy run --snapshot FILE').  With an operand or\n"
"any of --only, --skip, --config and --param, only what the selected\n"
"controls read is fetched; without, everything.\n"
"\n"
"  -o, --output FILE      the snapshot file to write ('-': stdout)\n"
"AWS:\n"
"  --region REGION        a region to read (repeatable); default: the\n"
"                         profile's, AWS_REGION or AWS_DEFAULT_REGION\n"
"  --all-regions          every region enabled for the account\n"
"  --profile NAME         the profile in ~/.aws/config and credentials\n"
"                         (it wins over AWS_ACCESS_KEY_ID, as in the CLI)\n"
"  --endpoint-url URL     send every request to URL (tests, proxies)\n"
"  --max-parallel N       requests at once (default 64; 10 per region and service)\n"
"  --max-attempts N       attempts per request (default AWS_MAX_ATTEMPTS,\n"
"                         the profile's max_attempts, or 3)\n"
"  --connect-timeout SEC, --request-timeout SEC\n"
"                         per attempt (default 5 and 30)\n"
"  -v, --verbose          a line per API call on stderr (never a secret)\n"
"Selection: --only ID, --skip ID, --config FILE, --param C.NAME=VAL: with\n"
"  any of these, or an operand, the policies are loaded and selected as for\n"
"  run (with no operand, the built-in ones and the packs on ECPOLICY_PATH;\n"
"  this needs the data folder; a glob that matches nothing is an error)\n"
"  and only what the selected controls read is fetched.  --no-config,\n"
"  --time-limit SEC and --memory-limit MB apply only then, and do not\n"
"  select by themselves\n"
"\n"
"Exit codes: 0 everything was collected; 2 usage error, no credentials or\n"
"no region; 3 the snapshot was written but some collections are missing\n"
"(access denied, throttled, timed out...: 'ecpolicy inventory' shows\n"
"which).\n";

static int incomplete(const struct ecp_inventory *inv,
                      const unsigned char *needed)
{
    for (size_t i = 0; i < inv->nregions; i++)
        for (int c = 0; c < ECP_COLL_COUNT; c++)
            if ((!needed || needed[c]) &&
                inv->regions[i].coll[c].status != ECP_ST_OK)
                return 1;
    return 0;
}

int cmd_fetch(int argc, char **argv)
{
    struct cli_options o;
    struct cli_session s;
    struct ecp_inventory inv;
    struct ecp_err err;
    unsigned char needed[ECP_COLL_COUNT];
    int code, have_session = 0;

    if (cli_parse(argc, argv, "fetch", CLI_SELECT | CLI_OUTPUT | CLI_AWS |
                  CLI_VERBOSE, usage, &o, &code))
        return code;
    memset(&inv, 0, sizeof inv);
    code = 2;
    if (!o.output) {
        cli_fail("fetch", "-o FILE is required (the snapshot to write)");
        fputs("Try 'ecpolicy fetch --help'.\n", stderr);
        goto out;
    }
    /* Fail before collecting, not after: a fetch can take minutes. */
    if (strcmp(o.output, "-") != 0 && !ecp_can_write(o.output)) {
        cli_fail("fetch", "%s: cannot write here", o.output);
        goto out;
    }
    if (o.npaths || o.nonly || o.nskip || o.config || o.nparams) {
        /* Closed even when opening fails half-way: the host's watchdog
         * thread must not outlive this frame, which holds it. */
        have_session = 1;
        if (cli_session_open(&s, &o, &err) != 0) {
            cli_fail("fetch", "%s", err.msg);
            goto out;
        }
        ecp_policies_needs(&s.host, &s.policies, needed);
    }
    if (cli_collect_live(&o, have_session ? needed : NULL, &inv, &err) != 0) {
        cli_fail("fetch", "%s", err.msg);
        goto out;
    }
    for (size_t i = 0; i < inv.nwarnings; i++)
        fprintf(stderr, "ecpolicy: warning: %s\n", inv.warnings[i]);
    if (ecp_snapshot_write(&inv, o.output, &err) != 0) {
        cli_fail("fetch", "%s", err.msg);
        goto out;
    }
    code = incomplete(&inv, have_session ? needed : NULL) ? 3 : 0;
    if (code == 3)
        fprintf(stderr, "ecpolicy: some collections could not be read%s%s%s\n",
                strcmp(o.output, "-") ? "; see 'ecpolicy inventory "
                "--snapshot " : " (the snapshot's statuses say which)",
                strcmp(o.output, "-") ? o.output : "",
                strcmp(o.output, "-") ? "'" : "");
out:
    if (have_session)
        cli_session_close(&s);
    ecp_inventory_free(&inv);
    cli_options_free(&o);
    return code;
}
