#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "cli/cli.h"
#include "lua/sandbox.h"
#include "report/results.h"
#include "util/fs.h"
#include "util/mem.h"

static int has_data(const char *dir)
{
    char *p = ecp_path_join(dir, "policies"), *s = ecp_path_join(dir, "stdlib");
    int yes = ecp_is_dir(p) && ecp_is_dir(s);

    free(p);
    free(s);
    return yes;
}

char *cli_datadir(struct ecp_err *err)
{
    const char *env = getenv("ECPOLICY_DATADIR");
    char *exe, *share;

    if (env && *env) {
        if (has_data(env))
            return ecp_strdup(env);
        ecp_err_set(err, "ECPOLICY_DATADIR=%s has no policies/ and stdlib/",
                    env);
        return NULL;
    }
    exe = ecp_exe_dir();
    if (!exe) {
        ecp_err_set(err, "cannot find the running executable; set "
                    "ECPOLICY_DATADIR to the folder holding policies/ and "
                    "stdlib/");
        return NULL;
    }
    if (has_data(exe))                  /* the build tree */
        return exe;
    share = ecp_asprintf("%s/../share/ecpolicy", exe);
    if (has_data(share)) {              /* PREFIX/bin beside PREFIX/share */
        char real[PATH_MAX];
        free(exe);
        if (realpath(share, real)) {
            free(share);
            return ecp_strdup(real);
        }
        return share;
    }
    ecp_err_set(err, "cannot find ecpolicy's data (policies/ and stdlib/) "
                "in %s or %s; set ECPOLICY_DATADIR to the folder that holds "
                "them", exe, share);
    free(exe);
    free(share);
    return NULL;
}

int cli_load_data(struct cli_session *s, const char *file,
                  struct ecp_err *err)
{
    lua_State *L = s->host.L;
    struct ecp_call_result r;

    lua_newtable(L);                    /* data only: no functions at all */
    if (ecp_sandbox_loadfile(L, file, -1, err) != 0) {
        lua_pop(L, 1);
        return -1;
    }
    lua_remove(L, -2);
    ecp_host_set_policy(&s->host, NULL);
    if (ecp_host_call(&s->host, 0, 1, &s->limits, &r) != ECP_CALL_OK) {
        if (strncmp(r.message, file, strlen(file)) == 0)
            return ecp_err_set(err, "%s", r.message);
        return ecp_err_set(err, "%s: %s", file, r.message);
    }
    return 0;
}

int cli_default_config(const struct cli_options *o, char **file,
                       struct ecp_err *err)
{
    const char *env = getenv("ECPOLICY_CONFIG");
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char *user = NULL;

    *file = NULL;
    if (o->config) {
        *file = ecp_strdup(o->config);
        return 0;
    }
    if (o->no_config)
        return 0;
    if (env && *env) {
        if (!ecp_is_file(env))
            return ecp_err_set(err, "ECPOLICY_CONFIG=%s: no such file", env);
        *file = ecp_strdup(env);
        return 0;
    }
    if (ecp_is_file(".ecpolicy.lua")) {
        *file = ecp_strdup(".ecpolicy.lua");
        return 0;
    }
    if (xdg && *xdg == '/')
        user = ecp_asprintf("%s/ecpolicy/config.lua", xdg);
    else if (home && *home)
        user = ecp_asprintf("%s/.config/ecpolicy/config.lua", home);
    if (user && ecp_is_file(user))
        *file = user;
    else
        free(user);
    return 0;
}

/* Load the --config file into a settings table (engine/lua/config.lua).
 * [-0, +1 on success] */
static int load_config(struct cli_session *s, const char *file,
                       struct ecp_err *err)
{
    lua_State *L = s->host.L;
    struct ecp_call_result r;

    if (cli_load_data(s, file, err) != 0)
        return -1;
    if (ecp_host_engine_module(&s->host, "config", err) != 0) {
        lua_pop(L, 1);
        return -1;
    }
    lua_getfield(L, -1, "read");
    lua_remove(L, -2);
    lua_insert(L, -2);
    lua_pushstring(L, file);
    if (ecp_host_call(&s->host, 2, 1, &s->limits, &r) != ECP_CALL_OK)
        return ecp_err_set(err, "%s", r.message);
    return 0;
}

/* Call declaration.<fn>(descs, list) with the list on top of the stack. */
static int apply(struct cli_session *s, const char *fn, struct ecp_err *err)
{
    lua_State *L = s->host.L;
    struct ecp_call_result r;

    if (ecp_host_engine_module(&s->host, "declaration", err) != 0) {
        lua_pop(L, 1);
        return -1;
    }
    lua_getfield(L, -1, fn);
    lua_remove(L, -2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, s->policies.descs_ref);
    lua_rotate(L, -3, 2);               /* fn, descs, list */
    if (ecp_host_call(&s->host, 2, 0, NULL, &r) != ECP_CALL_OK)
        return ecp_err_set(err, "%s", r.message);
    return 0;
}

/* --param CONTROL.NAME=VALUE as override entries. [-0, +1] */
static int push_cli_params(lua_State *L, const struct cli_options *o,
                           struct ecp_err *err)
{
    lua_createtable(L, (int)o->nparams, 0);
    for (size_t i = 0; i < o->nparams; i++) {
        const char *p = o->params[i], *eq = strchr(p, '=');
        const char *dot = NULL;
        for (const char *q = p; eq && q < eq; q++)
            if (*q == '.')
                dot = q;
        if (!eq || !dot || dot == p || dot + 1 == eq) {
            lua_pop(L, 1);
            return ecp_err_set(err, "--param %s: expected CONTROL.NAME=VALUE",
                               p);
        }
        lua_createtable(L, 0, 4);
        lua_pushlstring(L, p, (size_t)(dot - p));
        lua_setfield(L, -2, "control");
        lua_pushlstring(L, dot + 1, (size_t)(eq - dot - 1));
        lua_setfield(L, -2, "name");
        lua_pushstring(L, eq + 1);
        lua_setfield(L, -2, "text");
        lua_pushliteral(L, "--param");
        lua_setfield(L, -2, "origin");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 0;
}

/* Read a list of strings field of the settings table at idx. */
static void settings_list(lua_State *L, int idx, const char *name,
                          char ***v, size_t *n)
{
    lua_getfield(L, idx, name);
    lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= len; i++) {
        lua_rawgeti(L, -1, i);
        *v = ecp_realloc(*v, (*n + 1) * sizeof **v);
        (*v)[(*n)++] = ecp_strdup(lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static int matches_any(const char *id, char **globs, size_t n, int *used)
{
    int hit = 0;

    for (size_t i = 0; i < n; i++)
        if (fnmatch(globs[i], id, 0) == 0) {
            used[i] = 1;
            hit = 1;
        }
    return hit;
}

/* The first pack_skips of skip come from packs: a pack may skip built-in
 * controls that a run of the pack alone does not load, so those need not
 * match; the user's own globs must, or a typo would go unnoticed. */
static int select_policies(struct cli_session *s, char **only, size_t nonly,
                           char **skip, size_t nskip, size_t pack_skips,
                           struct ecp_err *err)
{
    struct ecp_policies *ps = &s->policies;
    int *keep = ecp_calloc(ps->n, sizeof *keep);
    int *used_only = ecp_calloc(nonly, sizeof *used_only);
    int *used_skip = ecp_calloc(nskip, sizeof *used_skip);
    int rc = 0;

    for (size_t i = 0; i < ps->n; i++) {
        const char *id = ps->v[i].id;
        /* Both lists are tried on every id, so that "matches nothing"
         * means nothing loaded, not nothing left after the other list. */
        int in = matches_any(id, only, nonly, used_only);
        int out = matches_any(id, skip, nskip, used_skip);
        keep[i] = (nonly == 0 || in) && !out;
    }
    for (size_t i = 0; i < nonly && rc == 0; i++)
        if (!used_only[i])
            rc = ecp_err_set(err, "--only %s matches no loaded control",
                             only[i]);
    for (size_t i = pack_skips; i < nskip && rc == 0; i++)
        if (!used_skip[i])
            rc = ecp_err_set(err, "--skip %s matches no loaded control",
                             skip[i]);
    if (rc == 0)
        ecp_policies_filter(&s->host, ps, keep);
    if (rc == 0 && ps->n == 0)
        rc = ecp_err_set(err, "--only and --skip leave no control");
    free(keep);
    free(used_only);
    free(used_skip);
    return rc;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static int tune(struct cli_session *s, const struct cli_options *o,
                struct ecp_err *err)
{
    lua_State *L = s->host.L;
    char **only = NULL, **skip = NULL;
    size_t nonly = 0, nskip = 0, pack_skips = 0;
    char fail_on[32] = "low";
    int rc = -1, settings = 0;
    char *config = NULL;

    /* Packs first, so that --config and --param can still tune what a
     * pack set. */
    for (size_t i = 0; i < s->src.npacks; i++) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, s->src.packs[i].settings_ref);
        int t = lua_gettop(L);
        lua_getfield(L, t, "severity");
        if (apply(s, "apply_severity", err) != 0) {
            lua_settop(L, t - 1);
            goto out;
        }
        lua_getfield(L, t, "params");
        if (apply(s, "apply_params", err) != 0) {
            lua_settop(L, t - 1);
            goto out;
        }
        settings_list(L, t, "skip", &skip, &nskip);
        lua_settop(L, t - 1);
    }
    pack_skips = nskip;
    if (cli_default_config(o, &config, err) != 0)
        goto out;
    if (config) {
        if (load_config(s, config, err) != 0)
            goto out;
        settings = lua_gettop(L);
        lua_getfield(L, settings, "severity");
        if (apply(s, "apply_severity", err) != 0)
            goto out;
        lua_getfield(L, settings, "params");
        if (apply(s, "apply_params", err) != 0)
            goto out;
        settings_list(L, settings, "only", &only, &nonly);
        settings_list(L, settings, "skip", &skip, &nskip);
        if (lua_getfield(L, settings, "fail_on") == LUA_TSTRING)
            snprintf(fail_on, sizeof fail_on, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    if (push_cli_params(L, o, err) != 0 || apply(s, "apply_params", err) != 0)
        goto out;
    ecp_policies_refresh(&s->host, &s->policies);
    for (size_t i = 0; i < o->nonly; i++) {
        only = ecp_realloc(only, (nonly + 1) * sizeof *only);
        only[nonly++] = ecp_strdup(o->only[i]);
    }
    for (size_t i = 0; i < o->nskip; i++) {
        skip = ecp_realloc(skip, (nskip + 1) * sizeof *skip);
        skip[nskip++] = ecp_strdup(o->skip[i]);
    }
    if (select_policies(s, only, nonly, skip, nskip, pack_skips, err) != 0)
        goto out;
    if (o->fail_on)
        snprintf(fail_on, sizeof fail_on, "%s", o->fail_on);
    if (strcmp(fail_on, "none") == 0) {
        s->fail_on = -1;
    } else if ((s->fail_on = ecp_severity_by_name(fail_on)) < 0) {
        ecp_err_set(err, "--fail-on is info, low, medium, high, critical or "
                    "none, not '%s'", fail_on);
        goto out;
    }
    rc = 0;
out:
    if (settings)
        lua_settop(L, settings - 1);
    free(config);
    free_strings(only, nonly);
    free_strings(skip, nskip);
    return rc;
}

int cli_session_open(struct cli_session *s, const struct cli_options *o,
                     struct ecp_err *err)
{
    memset(s, 0, sizeof *s);
    s->policies.descs_ref = LUA_NOREF;
    s->datadir = cli_datadir(err);
    if (!s->datadir)
        return -1;
    s->stdlib_dir = ecp_path_join(s->datadir, "stdlib");
    s->limits.time_limit = o->time_limit;
    s->limits.memory_limit = (size_t)(o->memory_limit_mb * 1024 * 1024);
    if (ecp_host_open(&s->host, err) != 0)
        return -1;
    s->have_host = 1;
    if (cli_sources_resolve(s, o, &s->src, err) != 0)
        return -1;
    if (ecp_policies_load(&s->host, s->src.files, s->src.nfiles,
                          (const char *const *)s->src.module_dirs,
                          &s->limits, &s->policies, err) != 0)
        return -1;
    return tune(s, o, err);
}

void cli_session_close(struct cli_session *s)
{
    if (s->have_host) {
        cli_sources_free(s->host.L, &s->src);
        ecp_policies_free(&s->host, &s->policies);
        ecp_host_close(&s->host);
    } else {
        cli_sources_free(NULL, &s->src);
    }
    free(s->datadir);
    free(s->stdlib_dir);
    memset(s, 0, sizeof *s);
}
