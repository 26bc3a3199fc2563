#ifndef ECP_CLI_CLI_H
#define ECP_CLI_CLI_H

#include <stddef.h>
#include <stdio.h>

#include <cJSON.h>

#include "lua/host.h"
#include "collect/inventory.h"
#include "lua/policy.h"
#include "lua/runner.h"
#include "report/results.h"
#include "util/err.h"

/*
 * The commands.  Each cmd_* takes the arguments after its name and returns
 * the process exit status (docs/cli.md, "Exit codes"):
 *   0 nothing at or above --fail-on, 1 findings at or above it,
 *   2 usage or input error, 3 the run was incomplete.
 */
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_inventory(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_test(int argc, char **argv);

/* What the commands share: policy selection, tuning and limits. */
struct cli_options {
    const char *snapshot;
    const char *format;         /* "text" or "json" */
    const char *output;         /* -o FILE, or NULL for stdout */
    const char *fail_on;
    const char *config;
    const char *now;
    const char *color;          /* "auto", "always", "never" */
    const char *save;           /* --write-snapshot FILE */
    int verbose;
    int backout;                /* plan --format shell --backout */
    int no_config;              /* --no-config */
    int timings;                /* --timings */
    double time_limit;
    double memory_limit_mb;
    char **params;              /* "CONTROL.NAME=VALUE" */
    size_t nparams;
    char **only, **skip;        /* id globs */
    size_t nonly, nskip;
    char **paths;               /* policy files and folders */
    size_t npaths;
    /* live collection */
    char **regions;             /* --region, repeatable */
    size_t nregions;
    int all_regions;
    const char *profile;
    const char *endpoint_url;
    int max_parallel;           /* 0: default */
    int max_attempts;           /* 0: AWS_MAX_ATTEMPTS, profile, 3 */
    double connect_timeout;     /* seconds; 0: default */
    double request_timeout;
};

enum cli_flags {
    CLI_SELECT = 1,     /* --only, --skip, --config, --param, limits */
    CLI_INPUT = 2,      /* --snapshot */
    CLI_OUTPUT = 4,     /* --format, -o */
    CLI_GATE = 8,       /* --fail-on, --now, --color */
    CLI_SAVE = 16,      /* --write-snapshot */
    CLI_AWS = 32,       /* --region, --profile, --endpoint-url, ... */
    CLI_VERBOSE = 64,   /* -v */
    CLI_PLAN = 128,     /* --backout, --format shell */
    CLI_LIMITS = 256,   /* --time-limit, --memory-limit (also in CLI_SELECT) */
};

/*
 * Parse argv for a command that takes the option groups in flags.  usage
 * is printed for --help (returns 1 with *exit_code 0) and after an error
 * (returns 1 with *exit_code 2).  Returns 0 when the command should go on.
 */
int cli_parse(int argc, char **argv, const char *command, unsigned flags,
              const char *usage, struct cli_options *o, int *exit_code);
void cli_options_free(struct cli_options *o);

/* Write j, pretty-printed with a final newline, to path (NULL: stdout),
 * atomically. */
int cli_write_json(const char *path, const cJSON *j, struct ecp_err *err);

/* Output to stdout (path NULL or "-") or to a file, which is written
 * through a temporary beside it and renamed into place on close, so a
 * failed run never leaves half a report behind. */
struct cli_out {
    FILE *f;
    const char *path;
    char *tmp;
    int direct;     /* a device or FIFO, written in place */
};
FILE *cli_out_open(struct cli_out *out, const char *path);
int cli_out_close(struct cli_out *out, struct ecp_err *err);

/* Colours for out: --color always, or auto on a terminal without
 * NO_COLOR and TERM=dumb. */
int cli_want_color(const struct cli_options *o, FILE *out);

/* Print "ecpolicy CMD: message" and return 2. */
int cli_fail(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A rule pack named or found on ECPOLICY_PATH (docs/packs.md). */
struct cli_pack {
    char *dir;                  /* real path */
    char *name;
    int settings_ref;           /* registry: its settings, as config.read
                                 * gives them */
};

/* What a run loads: policy files, the folders require() searches (the
 * stdlib, then each pack's stdlib/; NULL-terminated), the packs, and the
 * built-in controls the packs' settings tune. */
struct cli_sources {
    char **files;
    size_t nfiles;
    char **module_dirs;
    size_t ndirs;
    struct cli_pack *packs;
    size_t npacks;
    char **tuned;
    size_t ntuned;
};

/* The loaded, tuned and selected policies of a command. */
struct cli_session {
    struct ecp_host host;
    struct ecp_policies policies;
    char *datadir;
    char *stdlib_dir;
    struct cli_sources src;
    struct ecp_limits limits;
    int fail_on;               /* severity, or -1 for "none" */
    int have_host;
};

/* Resolve the command's operands (files, folders, packs, pack names on
 * ECPOLICY_PATH; none: the built-in policies and every pack on
 * ECPOLICY_PATH) into src. */
int cli_sources_resolve(struct cli_session *s, const struct cli_options *o,
                        struct cli_sources *src, struct ecp_err *err);
void cli_sources_free(lua_State *L, struct cli_sources *src);

/* Is dir a rule pack (does it hold a pack.lua)? */
int cli_is_pack(const char *dir);
/* A policy file's name in a folder: *.lua, but neither a test
 * (*_test.lua) nor a pack's manifest (pack.lua). */
int cli_is_policy_name(const char *name);

/* Run a data-only Lua file (config, manifest: no functions in its
 * environment) under the session's limits; push what it returned. */
int cli_load_data(struct cli_session *s, const char *file,
                  struct ecp_err *err);

/* The settings file to read: --config, else ECPOLICY_CONFIG, else
 * ./.ecpolicy.lua, else $XDG_CONFIG_HOME/ecpolicy/config.lua (or
 * ~/.config/...), the first that is given or exists; *file NULL for none
 * (or --no-config).  An ECPOLICY_CONFIG that does not exist is an
 * error. */
int cli_default_config(const struct cli_options *o, char **file,
                       struct ecp_err *err);

/* Open the host and load, tune and select the policies named by the
 * options (the built-in ones when none are named). */
int cli_session_open(struct cli_session *s, const struct cli_options *o,
                     struct ecp_err *err);
void cli_session_close(struct cli_session *s);

/* Collect the inventory live from AWS with the options' profile, regions,
 * endpoints and limits; needed: the collections to fetch (NULL: all).
 * Fills inv (zeroed by the caller); -1 with err when nothing could be
 * collected (no region, no credentials). */
int cli_collect_live(const struct cli_options *o,
                     const unsigned char *needed, struct ecp_inventory *inv,
                     struct ecp_err *err);

/* What run and plan share: policies loaded, the inventory read (or
 * collected live), the model built, every policy run into rep (with
 * plans when asked).  Free with cli_eval_free, also after a failure. */
struct cli_eval {
    struct cli_session s;
    struct ecp_inventory inv;
    struct ecp_report rep;
    int have_session;
    /* Wall time of each step, for --timings. */
    double load_seconds, input_seconds, model_seconds, run_seconds;
};
int cli_evaluate(const struct cli_options *o, int plans, struct cli_eval *ev,
                 struct ecp_err *err);
void cli_eval_free(struct cli_eval *ev);

/* --timings: where the time of an evaluation went, on stderr; write_seconds
 * is the time taken to write the report or plans. */
void cli_print_timings(const struct cli_eval *ev, double write_seconds);

/* Where the built-in policies and the stdlib are (ECPOLICY_DATADIR, the
 * build tree, or PREFIX/share/ecpolicy beside the binary). */
char *cli_datadir(struct ecp_err *err);

#endif
