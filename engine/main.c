/*
 * ecpolicy: a policy interpreter for Amazon ElastiCache security.
 * This file only dispatches to the commands in cli/; every call into Lua
 * goes through lua/host.c, which runs it protected and under limits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <malloc.h>

#include <cJSON.h>
#include <curl/curl.h>

#include "cli/cli.h"
#include "util/mem.h"
#include "version.h"

static const char usage[] =
"usage: ecpolicy COMMAND [options]\n"
"\n"
"Check Amazon ElastiCache security with Lua policies.\n"
"\n"
"Commands:\n"
"  run        evaluate policies on an inventory and report the results\n"
"  plan       print the remediation plans for the failures (a dry run)\n"
"  list       list the controls (id, severity, resource, title)\n"
"  show ID    everything about one control\n"
"  fetch      collect the inventory from AWS into a snapshot file\n"
"  inventory  read an inventory and say what is in it\n"
"  test       run the unit tests of policies (*_test.lua files)\n"
"  version    print the version\n"
"  help [COMMAND]  this text, or the help of a command\n"
"\n"
"'ecpolicy COMMAND --help' describes a command.  Exit codes: 0 no failure\n"
"at or above --fail-on, 1 failures, 2 usage or input error, 3 incomplete\n"
"run (some result is unknown or error).  See README.md and docs/.\n";

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    { "run", cmd_run },
    { "plan", cmd_plan },
    { "list", cmd_list },
    { "show", cmd_show },
    { "inventory", cmd_inventory },
    { "fetch", cmd_fetch },
    { "test", cmd_test },
};

static int dispatch(const char *cmd, int argc, char **argv)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc, argv);
    return -1;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    /* cJSON running out of memory would otherwise look like bad input. */
    cJSON_Hooks hooks = { ecp_malloc, free };
    int code;

    cJSON_InitHooks(&hooks);
    /* Before any thread starts: libcurl's own lazy setup is not
     * thread-safe. */
    curl_global_init(CURL_GLOBAL_DEFAULT);
#ifdef M_MXFAST
    /* The model and the checks make and drop millions of small blocks;
     * glibc's fastbins then spend their time consolidating.  Without them
     * both reading and evaluating are about 15% faster (bench/README.md). */
    mallopt(M_MXFAST, 0);
#endif
    if (cmd && strcmp(cmd, "help") == 0 && argc > 2) {
        /* "ecpolicy help run" is "ecpolicy run --help". */
        static char flag[] = "--help";
        char *args[] = { argv[2], flag, NULL };
        code = dispatch(argv[2], 2, args);
        if (code < 0) {
            fprintf(stderr, "ecpolicy: no help for '%s'; try 'ecpolicy "
                    "help'\n", argv[2]);
            return 2;
        }
        return code;
    }
    if (!cmd || strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "-h") == 0) {
        fputs(usage, cmd ? stdout : stderr);
        return cmd ? 0 : 2;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("ecpolicy %s\n", ECP_VERSION);
        return 0;
    }
    code = dispatch(cmd, argc - 1, argv + 1);
    if (code >= 0)
        return code;
    fprintf(stderr, "ecpolicy: unknown command '%s'\n", cmd);
    fputs("Try 'ecpolicy help'.\n", stderr);
    return 2;
}
