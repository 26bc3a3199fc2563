#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <lauxlib.h>

#include "cli/cli.h"
#include "lua/convert.h"
#include "report/results.h"

static const char list_usage[] =
"usage: ecpolicy list [POLICY.lua | DIR | PACK]... [options]\n"
"\n"
"List the controls: id, severity, resource and title.  Operands as for\n"
"run: with none, the built-in policies and the packs on ECPOLICY_PATH.\n"
"\n"
"  --only ID, --skip ID   select controls by id (globs, repeatable)\n"
"  --config FILE          apply severity overrides and selection from FILE\n"
"                         (default: as for run)\n"
"  --no-config            read no settings file\n"
"  --param C.NAME=VAL     set a parameter (checked, as for run)\n"
"  --time-limit SEC, --memory-limit MB\n"
"                         limits for loading the policies (as for run)\n"
"  --format text|json     output format (default text)\n"
"  -o, --output FILE      write to FILE instead of stdout ('-': stdout)\n";

static const char show_usage[] =
"usage: ecpolicy show ID [POLICY.lua | DIR | PACK]... [options]\n"
"\n"
"Everything about one control: title, severity, rationale, parameters\n"
"(with the values --config and --param give them), remediation and\n"
"references.  With no operand, ID is looked up among the built-in\n"
"policies and the packs on ECPOLICY_PATH.\n"
"\n"
"  --config FILE          apply overrides from FILE (default: as for run)\n"
"  --no-config            read no settings file\n"
"  --param C.NAME=VAL     set a parameter\n"
"  --only ID, --skip ID   which controls to load (as for list)\n"
"  --time-limit SEC, --memory-limit MB\n"
"                         limits for loading the policies (as for run)\n"
"  --format text|json     output format (default text)\n"
"  -o, --output FILE      write to FILE instead of stdout ('-': stdout)\n";

/* A description table as JSON: everything but the check function. */
static cJSON *describe(lua_State *L, int desc)
{
    cJSON *o = cJSON_CreateObject();
    static const char *const fields[] = {
        "id", "title", "severity", "resource", "file", "rationale",
        "remediation", "params", "refs", "needs", NULL
    };

    for (const char *const *f = fields; *f; f++) {
        lua_getfield(L, desc, *f);
        if (!lua_isnil(L, -1))
            cJSON_AddItemToObject(o, *f, ecp_lua_to_json(L, -1));
        lua_pop(L, 1);
    }
    return o;
}

int cmd_list(int argc, char **argv)
{
    struct cli_options o;
    struct cli_session s;
    struct ecp_err err;
    int code;
    FILE *f;

    if (cli_parse(argc, argv, "list", CLI_SELECT | CLI_OUTPUT, list_usage, &o,
                  &code))
        return code;
    if (cli_session_open(&s, &o, &err) != 0) {
        code = cli_fail("list", "%s", err.msg);
        goto out;
    }
    code = 2;
    struct cli_out out;
    if (!(f = cli_out_open(&out, o.output))) {
        cli_fail("list", "%s: cannot write", o.output);
        goto out;
    }
    if (strcmp(o.format, "json") == 0) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < s.policies.n; i++) {
            ecp_policies_push_desc(&s.host, &s.policies, i);
            cJSON_AddItemToArray(arr, describe(s.host.L, lua_gettop(s.host.L)));
            lua_pop(s.host.L, 1);
        }
        char *text = cJSON_Print(arr);
        fprintf(f, "%s\n", text);
        cJSON_free(text);
        cJSON_Delete(arr);
    } else {
        size_t w = 2;
        for (size_t i = 0; i < s.policies.n; i++)
            if (strlen(s.policies.v[i].id) > w)
                w = strlen(s.policies.v[i].id);
        fprintf(f, "%-*s  %-8s  %-10s  %s\n", (int)w, "ID", "SEVERITY",
                "RESOURCE", "TITLE");
        for (size_t i = 0; i < s.policies.n; i++) {
            const struct ecp_policy *p = &s.policies.v[i];
            fprintf(f, "%-*s  %-8s  %-10s  %s\n", (int)w, p->id,
                    ecp_severity_name(p->severity), p->resource, p->title);
        }
    }
    code = cli_out_close(&out, &err) == 0 ? 0 : cli_fail("list", "%s", err.msg);
out:
    cli_session_close(&s);
    cli_options_free(&o);
    return code;
}

static void indented(FILE *f, const char *text)
{
    fputs("  ", f);
    for (const char *p = text; *p; p++) {
        fputc(*p, f);
        if (*p == '\n' && p[1])
            fputs("  ", f);
    }
    if (!*text || text[strlen(text) - 1] != '\n')
        fputc('\n', f);
}

static const char *str(const cJSON *d, const char *name)
{
    const cJSON *x = cJSON_GetObjectItem(d, name);

    return cJSON_IsString(x) ? x->valuestring : NULL;
}

static void show_text(FILE *f, cJSON *d)
{
    const cJSON *x;

#define STR(name) str(d, name)
    fprintf(f, "%s: %s\n", STR("id"), STR("title"));
    fprintf(f, "  severity:  %s\n", STR("severity"));
    fprintf(f, "  resource:  %s\n", STR("resource"));
    fprintf(f, "  file:      %s\n", STR("file"));
    if ((x = cJSON_GetObjectItem(d, "needs")) && cJSON_GetArraySize(x)) {
        char *needs = cJSON_PrintUnformatted(x);
        fprintf(f, "  needs:     %s\n", needs);
        free(needs);
    }
    if (STR("rationale")) {
        fputs("\nRationale\n", f);
        indented(f, STR("rationale"));
    }
    fputs("\nParameters\n", f);
    x = cJSON_GetObjectItem(d, "params");
    if (!x || !x->child) {
        fputs("  (none)\n", f);
    } else {
        for (const cJSON *p = x->child; p; p = p->next) {
            char *v = cJSON_PrintUnformatted(p);
            fprintf(f, "  %s = %s\n", p->string, v);
            free(v);
        }
    }
    if (STR("remediation")) {
        fputs("\nRemediation\n", f);
        indented(f, STR("remediation"));
    }
    x = cJSON_GetObjectItem(d, "refs");
    if (x && x->child) {
        fputs("\nReferences\n", f);
        for (const cJSON *r = x->child; r; r = r->next) {
            if (cJSON_IsString(r)) {
                fprintf(f, "  %s: %s\n", r->string, r->valuestring);
                continue;
            }
            for (const cJSON *e = r->child; e; e = e->next)
                fprintf(f, "  %s: %s\n", r->string,
                        cJSON_IsString(e) ? e->valuestring : "?");
        }
    }
#undef STR
}

int cmd_show(int argc, char **argv)
{
    struct cli_options o;
    struct cli_session s;
    struct ecp_err err;
    char *id;
    int code;
    FILE *f;

    if (cli_parse(argc, argv, "show", CLI_SELECT | CLI_OUTPUT, show_usage, &o,
                  &code))
        return code;
    if (o.npaths == 0) {
        cli_fail("show", "which control? (ecpolicy show ID)");
        fputs("Try 'ecpolicy show --help'.\n", stderr);
        cli_options_free(&o);
        return 2;
    }
    /* The first operand is the id; the rest are policy paths. */
    id = o.paths[0];
    memmove(o.paths, o.paths + 1, --o.npaths * sizeof *o.paths);
    if (cli_session_open(&s, &o, &err) != 0) {
        code = cli_fail("show", "%s", err.msg);
        goto out;
    }
    code = 2;
    size_t i;
    for (i = 0; i < s.policies.n; i++)
        if (strcmp(s.policies.v[i].id, id) == 0)
            break;
    if (i == s.policies.n) {
        cli_fail("show", "no control '%s' among the loaded policies (see "
                 "'ecpolicy list')", id);
        goto out;
    }
    struct cli_out out;
    if (!(f = cli_out_open(&out, o.output))) {
        cli_fail("show", "%s: cannot write", o.output);
        goto out;
    }
    ecp_policies_push_desc(&s.host, &s.policies, i);
    cJSON *d = describe(s.host.L, lua_gettop(s.host.L));
    lua_pop(s.host.L, 1);
    if (strcmp(o.format, "json") == 0) {
        char *text = cJSON_Print(d);
        fprintf(f, "%s\n", text);
        cJSON_free(text);
    } else {
        show_text(f, d);
    }
    cJSON_Delete(d);
    code = cli_out_close(&out, &err) == 0 ? 0 : cli_fail("show", "%s", err.msg);
out:
    free(id);
    cli_session_close(&s);
    cli_options_free(&o);
    return code;
}
