#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "cli/cli.h"
#include "util/fs.h"
#include "util/mem.h"
#include "version.h"

/*
 * What a run loads (docs/packs.md): policy files, folders of them, and
 * rule packs (a folder with a pack.lua manifest: policies/, stdlib/,
 * settings), named on the command line or found on ECPOLICY_PATH.
 */

static void add_string(char ***v, size_t *n, const char *s)
{
    *v = ecp_realloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = ecp_strdup(s);
}

static int has_string(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* A Lua file that is not a test (*_test.lua). */
static int is_lua_source(const char *name)
{
    size_t n = strlen(name);

    return n > 4 && strcmp(name + n - 4, ".lua") == 0 &&
           !(n > 9 && strcmp(name + n - 9, "_test.lua") == 0);
}

int cli_is_policy_name(const char *name)
{
    /* A pack without policies/ has them at its top, beside its manifest,
     * which is no policy. */
    return is_lua_source(name) && strcmp(name, "pack.lua") != 0;
}

/* The policy files of a folder, in name order; none is an error. */
static int add_folder(struct cli_sources *src, const char *dir,
                      struct ecp_err *err)
{
    char **names;
    size_t n, found = 0;

    if (ecp_list_dir(dir, &names, &n, err) != 0)
        return -1;
    for (size_t k = 0; k < n; k++) {
        char *full = ecp_path_join(dir, names[k]);
        if (cli_is_policy_name(names[k]) && ecp_is_file(full)) {
            if (!has_string(src->files, src->nfiles, full))
                add_string(&src->files, &src->nfiles, full);
            found++;
        }
        free(full);
    }
    ecp_free_names(names);
    if (!found)
        return ecp_err_set(err, "%s: no policy files (*.lua) in this folder",
                           dir);
    return 0;
}

int cli_is_pack(const char *dir)
{
    char *manifest = ecp_path_join(dir, "pack.lua");
    int yes = ecp_is_file(manifest);

    free(manifest);
    return yes;
}

/* A pack's stdlib/ joins the module folders; a module name another folder
 * already has would make require ambiguous, so it is an error. */
static int add_modules(struct cli_sources *src, const char *dir,
                       const char *pack, struct ecp_err *err)
{
    char **names;
    size_t n;

    if (ecp_list_dir(dir, &names, &n, err) != 0)
        return -1;
    for (size_t k = 0; k < n; k++) {
        if (!is_lua_source(names[k]))
            continue;
        for (size_t d = 0; d < src->ndirs; d++) {
            char *other = ecp_path_join(src->module_dirs[d], names[k]);
            int clash = ecp_is_file(other);
            free(other);
            if (clash) {
                ecp_err_set(err, "pack %s: %s/%s has the name of a module in "
                            "%s; rename it (require would not know which "
                            "one is meant)", pack, dir, names[k],
                            src->module_dirs[d]);
                ecp_free_names(names);
                return -1;
            }
        }
    }
    ecp_free_names(names);
    src->module_dirs = ecp_realloc(src->module_dirs,
                                   (src->ndirs + 2) * sizeof *src->module_dirs);
    src->module_dirs[src->ndirs++] = ecp_strdup(dir);
    src->module_dirs[src->ndirs] = NULL;
    return 0;
}

/* pack.read(manifest, file, version, config) on the pack's pack.lua;
 * leaves the description table on the stack. */
static int read_manifest(struct cli_session *s, const char *file,
                         struct ecp_err *err)
{
    lua_State *L = s->host.L;
    struct ecp_call_result r;
    int top = lua_gettop(L);

    if (cli_load_data(s, file, err) != 0)
        return -1;
    if (ecp_host_engine_module(&s->host, "pack", err) != 0) {
        lua_settop(L, top);
        return -1;
    }
    lua_getfield(L, -1, "read");
    lua_remove(L, -2);
    lua_insert(L, -2);                      /* read, manifest */
    lua_pushstring(L, file);
    lua_pushstring(L, ECP_VERSION);
    if (ecp_host_engine_module(&s->host, "config", err) != 0) {
        lua_settop(L, top);
        return -1;
    }
    if (ecp_host_call(&s->host, 4, 1, &s->limits, &r) != ECP_CALL_OK) {
        lua_settop(L, top);
        return ecp_err_set(err, "%s", r.message);
    }
    return 0;
}

static char *field(lua_State *L, const char *name)
{
    char *v = NULL;

    if (lua_getfield(L, -1, name) == LUA_TSTRING)
        v = ecp_strdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    return v;
}

/* The control ids a pack's settings name, for the built-ins it tunes. */
static void tuned_ids(lua_State *L, char ***ids, size_t *n)
{
    static const char *const lists[] = { "params", "severity", NULL };

    lua_getfield(L, -1, "settings");
    for (const char *const *l = lists; *l; l++) {
        lua_getfield(L, -1, *l);
        lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; i <= len; i++) {
            lua_rawgeti(L, -1, i);
            lua_getfield(L, -1, "control");
            const char *id = lua_tostring(L, -1);
            if (id && !has_string(*ids, *n, id))
                add_string(ids, n, id);
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static int add_pack(struct cli_session *s, struct cli_sources *src,
                    const char *dir, struct ecp_err *err)
{
    lua_State *L = s->host.L;
    char real[PATH_MAX], *manifest, *policies, *modules;
    struct cli_pack *p;
    int rc = -1;

    if (!realpath(dir, real))
        snprintf(real, sizeof real, "%s", dir);
    for (size_t i = 0; i < src->npacks; i++)
        if (strcmp(src->packs[i].dir, real) == 0)
            return 0;                       /* named twice: once is enough */
    manifest = ecp_path_join(dir, "pack.lua");
    if (read_manifest(s, manifest, err) != 0) {
        free(manifest);
        return -1;
    }
    free(manifest);
    src->packs = ecp_realloc(src->packs,
                             (src->npacks + 1) * sizeof *src->packs);
    p = &src->packs[src->npacks++];
    memset(p, 0, sizeof *p);
    p->dir = ecp_strdup(real);
    p->name = field(L, "name");
    for (size_t i = 0; i + 1 < src->npacks; i++)
        if (strcmp(src->packs[i].name, p->name) == 0) {
            lua_pop(L, 1);
            return ecp_err_set(err, "two packs are named %s: %s and %s",
                               p->name, src->packs[i].dir, p->dir);
        }
    tuned_ids(L, &src->tuned, &src->ntuned);
    lua_getfield(L, -1, "settings");
    p->settings_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);

    policies = ecp_path_join(dir, "policies");
    modules = ecp_path_join(dir, "stdlib");
    if (ecp_is_dir(modules) && add_modules(src, modules, p->name, err) != 0)
        goto out;
    if (add_folder(src, ecp_is_dir(policies) ? policies : dir, err) != 0) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        ecp_err_set(err, "pack %s: %s", p->name, why);
        goto out;
    }
    rc = 0;
out:
    free(policies);
    free(modules);
    return rc;
}

/* ECPOLICY_PATH: folders that are packs or hold packs, ':'-separated. */
static int path_packs(struct cli_session *s, struct cli_sources *src,
                      const char *only_name, int *found,
                      struct ecp_err *err)
{
    const char *env = getenv("ECPOLICY_PATH");
    char *copy, *save = NULL;
    int rc = 0;

    if (!env || !*env)
        return 0;
    copy = ecp_strdup(env);
    for (char *dir = strtok_r(copy, ":", &save); dir && rc == 0;
         dir = strtok_r(NULL, ":", &save)) {
        if (!ecp_is_dir(dir)) {
            rc = ecp_err_set(err, "ECPOLICY_PATH: %s is not a folder", dir);
            break;
        }
        char **names = NULL;
        size_t n = 0;
        if (cli_is_pack(dir)) {
            add_string(&names, &n, ".");
        } else {
            char **sub;
            size_t nsub;
            if (ecp_list_dir(dir, &sub, &nsub, err) != 0) {
                rc = -1;
                break;
            }
            for (size_t k = 0; k < nsub; k++) {
                char *full = ecp_path_join(dir, sub[k]);
                if (ecp_is_dir(full) && cli_is_pack(full))
                    add_string(&names, &n, sub[k]);
                free(full);
            }
            ecp_free_names(sub);
        }
        for (size_t k = 0; k < n && rc == 0; k++) {
            char *full = strcmp(names[k], ".") == 0 ? ecp_strdup(dir)
                         : ecp_path_join(dir, names[k]);
            /* By name: only the pack of that name (its manifest says). */
            if (only_name) {
                char *manifest = ecp_path_join(full, "pack.lua");
                int loaded = read_manifest(s, manifest, err);
                free(manifest);
                if (loaded == 0) {
                    lua_State *L = s->host.L;
                    char *name = field(L, "name");
                    lua_pop(L, 1);
                    if (name && strcmp(name, only_name) == 0) {
                        rc = add_pack(s, src, full, err);
                        *found = 1;
                    }
                    free(name);
                } else {
                    rc = -1;
                }
            } else {
                rc = add_pack(s, src, full, err);
            }
            free(full);
        }
        for (size_t k = 0; k < n; k++)
            free(names[k]);
        free(names);
    }
    free(copy);
    return rc;
}

int cli_sources_resolve(struct cli_session *s, const struct cli_options *o,
                        struct cli_sources *src, struct ecp_err *err)
{
    memset(src, 0, sizeof *src);
    src->module_dirs = ecp_calloc(2, sizeof *src->module_dirs);
    src->module_dirs[src->ndirs++] = ecp_strdup(s->stdlib_dir);

    if (o->npaths == 0) {
        char *builtin = ecp_path_join(s->datadir, "policies");
        int rc = add_folder(src, builtin, err);
        free(builtin);
        if (rc != 0 || path_packs(s, src, NULL, NULL, err) != 0)
            return -1;
    }
    for (size_t i = 0; i < o->npaths; i++) {
        const char *p = o->paths[i];
        if (ecp_is_file(p)) {
            if (!has_string(src->files, src->nfiles, p))
                add_string(&src->files, &src->nfiles, p);
        } else if (ecp_is_dir(p)) {
            if ((cli_is_pack(p) ? add_pack(s, src, p, err)
                                : add_folder(src, p, err)) != 0)
                return -1;
        } else {
            int found = 0;
            if (!strchr(p, '/') && path_packs(s, src, p, &found, err) != 0)
                return -1;
            if (!found)
                return ecp_err_set(err, "%s: no such policy file, folder or "
                                   "pack%s", p, strchr(p, '/') ? ""
                                   : " (packs are looked for on "
                                     "ECPOLICY_PATH)");
        }
    }
    /* A pack that tunes a built-in control brings it along. */
    for (size_t i = 0; i < src->ntuned; i++) {
        char *name = ecp_asprintf("%s.lua", src->tuned[i]);
        char *policies = ecp_path_join(s->datadir, "policies");
        char *builtin = ecp_path_join(policies, name);
        int present = 0;
        for (size_t k = 0; k < src->nfiles; k++) {
            const char *base = strrchr(src->files[k], '/');
            if (strcmp(base ? base + 1 : src->files[k], name) == 0)
                present = 1;
        }
        if (!present && ecp_is_file(builtin))
            add_string(&src->files, &src->nfiles, builtin);
        free(builtin);
        free(policies);
        free(name);
    }
    return 0;
}

void cli_sources_free(lua_State *L, struct cli_sources *src)
{
    for (size_t i = 0; i < src->nfiles; i++)
        free(src->files[i]);
    free(src->files);
    for (size_t i = 0; i < src->ndirs; i++)
        free(src->module_dirs[i]);
    free(src->module_dirs);
    for (size_t i = 0; i < src->npacks; i++) {
        free(src->packs[i].dir);
        free(src->packs[i].name);
        if (L)
            luaL_unref(L, LUA_REGISTRYINDEX, src->packs[i].settings_ref);
    }
    free(src->packs);
    for (size_t i = 0; i < src->ntuned; i++)
        free(src->tuned[i]);
    free(src->tuned);
    memset(src, 0, sizeof *src);
}
