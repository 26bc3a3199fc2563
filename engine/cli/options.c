#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cli/cli.h"
#include "util/fs.h"
#include "util/mem.h"

enum {
    OPT_SNAPSHOT = 256, OPT_FORMAT, OPT_FAIL_ON, OPT_PARAM, OPT_CONFIG,
    OPT_ONLY, OPT_SKIP, OPT_TIME_LIMIT, OPT_MEMORY_LIMIT, OPT_NOW, OPT_COLOR,
    OPT_SAVE, OPT_REGION, OPT_ALL_REGIONS, OPT_PROFILE, OPT_ENDPOINT_URL,
    OPT_MAX_PARALLEL, OPT_MAX_ATTEMPTS, OPT_CONNECT_TIMEOUT, OPT_REQUEST_TIMEOUT,
    OPT_BACKOUT, OPT_NO_CONFIG, OPT_TIMINGS
};

struct option_def {
    struct option opt;
    unsigned group;
};

static const struct option_def all_options[] = {
    { { "help", no_argument, NULL, 'h' }, 0 },
    { { "only", required_argument, NULL, OPT_ONLY }, CLI_SELECT },
    { { "skip", required_argument, NULL, OPT_SKIP }, CLI_SELECT },
    { { "param", required_argument, NULL, OPT_PARAM }, CLI_SELECT },
    { { "config", required_argument, NULL, OPT_CONFIG }, CLI_SELECT },
    { { "no-config", no_argument, NULL, OPT_NO_CONFIG }, CLI_SELECT },
    { { "time-limit", required_argument, NULL, OPT_TIME_LIMIT },
      CLI_SELECT | CLI_LIMITS },
    { { "memory-limit", required_argument, NULL, OPT_MEMORY_LIMIT },
      CLI_SELECT | CLI_LIMITS },
    { { "snapshot", required_argument, NULL, OPT_SNAPSHOT }, CLI_INPUT },
    { { "format", required_argument, NULL, OPT_FORMAT }, CLI_OUTPUT },
    { { "output", required_argument, NULL, 'o' }, CLI_OUTPUT },
    { { "fail-on", required_argument, NULL, OPT_FAIL_ON }, CLI_GATE },
    { { "now", required_argument, NULL, OPT_NOW }, CLI_GATE },
    { { "color", required_argument, NULL, OPT_COLOR }, CLI_GATE },
    { { "timings", no_argument, NULL, OPT_TIMINGS }, CLI_GATE },
    { { "verbose", no_argument, NULL, 'v' }, CLI_VERBOSE },
    { { "region", required_argument, NULL, OPT_REGION }, CLI_AWS },
    { { "all-regions", no_argument, NULL, OPT_ALL_REGIONS }, CLI_AWS },
    { { "profile", required_argument, NULL, OPT_PROFILE }, CLI_AWS },
    { { "endpoint-url", required_argument, NULL, OPT_ENDPOINT_URL }, CLI_AWS },
    { { "max-parallel", required_argument, NULL, OPT_MAX_PARALLEL }, CLI_AWS },
    { { "max-attempts", required_argument, NULL, OPT_MAX_ATTEMPTS }, CLI_AWS },
    { { "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
      CLI_AWS },
    { { "request-timeout", required_argument, NULL, OPT_REQUEST_TIMEOUT },
      CLI_AWS },
    { { "write-snapshot", required_argument, NULL, OPT_SAVE }, CLI_SAVE },
    { { "backout", no_argument, NULL, OPT_BACKOUT }, CLI_PLAN },
};

#define NOPTIONS (sizeof all_options / sizeof all_options[0])

int cli_want_color(const struct cli_options *o, FILE *out)
{
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

    if (strcmp(o->color, "always") == 0)
        return 1;
    if (strcmp(o->color, "never") == 0 || (no && *no))
        return 0;
    return isatty(fileno(out)) && !(term && strcmp(term, "dumb") == 0);
}

int cli_fail(const char *command, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "ecpolicy %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 2;
}

int cli_write_json(const char *path, const cJSON *j, struct ecp_err *err)
{
    char *text = cJSON_Print(j);
    size_t n;
    int rc;

    if (!text)
        return ecp_err_set(err, "out of memory");
    n = strlen(text);
    text = ecp_realloc(text, n + 2);
    text[n] = '\n';
    text[n + 1] = '\0';
    rc = ecp_write_file(path ? path : "-", text, n + 1, err);
    free(text);
    return rc;
}

FILE *cli_out_open(struct cli_out *out, const char *path)
{
    memset(out, 0, sizeof *out);
    if (!path || strcmp(path, "-") == 0) {
        out->f = stdout;
        return out->f;
    }
    if (ecp_is_special(path)) {
        /* /dev/null or a FIFO: renaming over it would replace it. */
        out->path = path;
        out->direct = 1;
        out->f = fopen(path, "w");
        return out->f;
    }
    /* A temporary file beside the target, renamed over it on success: a
     * reader never sees half a report, and large reports are not held in
     * memory. */
    out->path = path;
    out->tmp = ecp_asprintf("%s.tmp.%ld", path, (long)getpid());
    out->f = fopen(out->tmp, "w");
    return out->f;
}

int cli_out_close(struct cli_out *out, struct ecp_err *err)
{
    int ok;

    if (!out->f) {
        ecp_err_set(err, "%s: %s", out->path, strerror(errno));
        free(out->tmp);
        return -1;
    }
    if (!out->path)
        return fflush(stdout) == 0 ? 0 : ecp_err_set(err, "stdout: %s",
                                                    strerror(errno));
    ok = !ferror(out->f);
    ok = fclose(out->f) == 0 && ok;
    if (out->direct) {
        memset(out, 0, sizeof *out);
        return ok ? 0 : ecp_err_set(err, "write failed: %s", strerror(errno));
    }
    if (!ok || rename(out->tmp, out->path) != 0) {
        ecp_err_set(err, "%s: %s", out->path, strerror(errno));
        unlink(out->tmp);
        free(out->tmp);
        return -1;
    }
    free(out->tmp);
    memset(out, 0, sizeof *out);
    return 0;
}

static void push(char ***v, size_t *n, const char *s)
{
    *v = ecp_realloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = ecp_strdup(s);
}

static int positive_number(const char *s, double *out)
{
    char *end;
    double d = strtod(s, &end);

    if (end == s || *end || !(d > 0) || d > 1e9)
        return 0;
    *out = d;
    return 1;
}

/* The caller returns at once: what was parsed so far is freed here. */
static int bad_usage(const char *command, int *exit_code,
                     struct cli_options *o)
{
    cli_options_free(o);
    fprintf(stderr, "Try 'ecpolicy %s --help'.\n", command);
    *exit_code = 2;
    return 1;
}

int cli_parse(int argc, char **argv, const char *command, unsigned flags,
              const char *usage, struct cli_options *o, int *exit_code)
{
    struct option longopts[NOPTIONS + 1];
    /* "-": options may follow policy paths ("run policies/ --snapshot x");
     * ":": a missing value is reported as such. */
    char shortopts[16] = "-:h";
    size_t n = 0;
    int c;

    memset(o, 0, sizeof *o);
    o->format = "text";
    o->color = "auto";
    o->time_limit = 5;
    o->memory_limit_mb = 256;
    for (size_t i = 0; i < NOPTIONS; i++)
        if (!all_options[i].group || (all_options[i].group & flags))
            longopts[n++] = all_options[i].opt;
    memset(&longopts[n], 0, sizeof longopts[n]);
    if (flags & CLI_OUTPUT)
        strcat(shortopts, "o:");
    if (flags & CLI_VERBOSE)
        strcat(shortopts, "v");

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (c) {
        case 1:
            push(&o->paths, &o->npaths, optarg);
            break;
        case 'h':
            fputs(usage, stdout);
            cli_options_free(o);
            *exit_code = 0;
            return 1;
        case OPT_SNAPSHOT: o->snapshot = optarg; break;
        case OPT_FORMAT: o->format = optarg; break;
        case OPT_BACKOUT: o->backout = 1; break;
        case OPT_NO_CONFIG: o->no_config = 1; break;
        case OPT_TIMINGS: o->timings = 1; break;
        case 'o': o->output = optarg; break;
        case OPT_FAIL_ON: o->fail_on = optarg; break;
        case OPT_CONFIG: o->config = optarg; break;
        case OPT_NOW: o->now = optarg; break;
        case OPT_COLOR: o->color = optarg; break;
        case OPT_SAVE: o->save = optarg; break;
        case OPT_REGION: push(&o->regions, &o->nregions, optarg); break;
        case OPT_ALL_REGIONS: o->all_regions = 1; break;
        case OPT_PROFILE: o->profile = optarg; break;
        case OPT_ENDPOINT_URL: o->endpoint_url = optarg; break;
        case OPT_MAX_PARALLEL:
        case OPT_MAX_ATTEMPTS: {
            double d;
            /* As AWS_MAX_ATTEMPTS and max_attempts: at most 100. */
            int most = c == OPT_MAX_PARALLEL ? 1000 : 100;
            const char *name = c == OPT_MAX_PARALLEL ? "--max-parallel"
                                                     : "--max-attempts";
            if (!positive_number(optarg, &d) || d != (int)d || d > most) {
                cli_fail(command, "%s wants a whole number from 1 to %d, "
                         "got '%s'", name, most, optarg);
                return bad_usage(command, exit_code, o);
            }
            if (c == OPT_MAX_PARALLEL)
                o->max_parallel = (int)d;
            else
                o->max_attempts = (int)d;
            break;
        }
        case OPT_CONNECT_TIMEOUT:
        case OPT_REQUEST_TIMEOUT:
            if (!positive_number(optarg, c == OPT_CONNECT_TIMEOUT
                                 ? &o->connect_timeout : &o->request_timeout)) {
                cli_fail(command, "%s wants seconds > 0, got '%s'",
                         c == OPT_CONNECT_TIMEOUT ? "--connect-timeout"
                                                  : "--request-timeout",
                         optarg);
                return bad_usage(command, exit_code, o);
            }
            break;
        case 'v': o->verbose = 1; break;
        case OPT_PARAM: push(&o->params, &o->nparams, optarg); break;
        case OPT_ONLY: push(&o->only, &o->nonly, optarg); break;
        case OPT_SKIP: push(&o->skip, &o->nskip, optarg); break;
        case OPT_TIME_LIMIT:
            if (!positive_number(optarg, &o->time_limit)) {
                cli_fail(command, "--time-limit wants seconds > 0, got '%s'",
                         optarg);
                return bad_usage(command, exit_code, o);
            }
            break;
        case OPT_MEMORY_LIMIT:
            if (!positive_number(optarg, &o->memory_limit_mb)) {
                cli_fail(command, "--memory-limit wants megabytes > 0, got "
                         "'%s'", optarg);
                return bad_usage(command, exit_code, o);
            }
            break;
        case ':':
            cli_fail(command, "option '%s' needs a value", argv[optind - 1]);
            return bad_usage(command, exit_code, o);
        default:
            cli_fail(command, "unknown option '%s'", argv[optind - 1]);
            return bad_usage(command, exit_code, o);
        }
    }
    for (int i = optind; i < argc; i++)
        push(&o->paths, &o->npaths, argv[i]);

    if (strcmp(o->format, "text") != 0 && strcmp(o->format, "json") != 0 &&
        !((flags & CLI_PLAN) && strcmp(o->format, "shell") == 0)) {
        cli_fail(command, "--format is text%s or json, not '%s'",
                 flags & CLI_PLAN ? ", shell" : "", o->format);
        return bad_usage(command, exit_code, o);
    }
    if (o->backout && strcmp(o->format, "shell") != 0) {
        cli_fail(command, "--backout goes with --format shell (the text and "
                 "JSON forms show each step's backout already)");
        return bad_usage(command, exit_code, o);
    }
    if (strcmp(o->color, "auto") != 0 && strcmp(o->color, "always") != 0 &&
        strcmp(o->color, "never") != 0) {
        cli_fail(command, "--color is auto, always or never, not '%s'",
                 o->color);
        return bad_usage(command, exit_code, o);
    }
    return 0;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void cli_options_free(struct cli_options *o)
{
    free_list(o->params, o->nparams);
    free_list(o->only, o->nonly);
    free_list(o->skip, o->nskip);
    free_list(o->paths, o->npaths);
    free_list(o->regions, o->nregions);
    memset(o, 0, sizeof *o);
}
