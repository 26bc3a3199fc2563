/*
 * What an ecpolicy test file names (docs/testing.md): the policy under
 * test (by path, or by id among its rule pack's policies and the built-in
 * ones), the rule pack it belongs to and that pack's settings, and paths
 * relative to the test file.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "cli/test.h"
#include "lua/policy.h"
#include "lua/sandbox.h"
#include "util/buf.h"
#include "cli/cli.h"
#include "util/fs.h"
#include "util/mem.h"
#include "version.h"

/* The folder a file is in, as it was named ("." for a bare name). */
static char *folder_of(const char *file)
{
    const char *slash = strrchr(file, '/');

    if (!slash)
        return ecp_strdup(".");
    return ecp_strndup(file, slash == file ? 1 : (size_t)(slash - file));
}

/* "a/./b/../c" as "a/c": a policy named from two test files as
 * "../policies/x.lua" is one file in the coverage, and messages show the
 * path plainly.  Lexical only: symbolic links are not looked at. */
static char *tidy(const char *path)
{
    struct ecp_buf out = { 0 };
    size_t *starts = ecp_calloc(strlen(path) + 1, sizeof *starts), n = 0;
    const char *p = path;

    if (*p == '/')
        ecp_buf_addc(&out, '/');
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        int up = len == 2 && p[0] == '.' && p[1] == '.';
        if (len == 0 || (len == 1 && p[0] == '.')) {
            /* nothing */
        } else if (up && n > 0 &&
                   strcmp(out.data + starts[n - 1], "..") != 0) {
            out.len = starts[--n];
            if (out.len > 1 && out.data[out.len - 1] == '/')
                out.len--;
            out.data[out.len] = '\0';
        } else {
            if (out.len > 0 && out.data[out.len - 1] != '/')
                ecp_buf_addc(&out, '/');
            starts[n++] = out.len;
            ecp_buf_add(&out, p, len);
        }
        p += len + (slash ? 1 : 0);
    }
    free(starts);
    if (out.len == 0)
        ecp_buf_addc(&out, '.');
    return ecp_buf_take(&out);
}

char *test_beside(const char *file, const char *rel)
{
    const char *slash = strrchr(file, '/');
    char *joined, *out;

    if (rel[0] == '/' || !slash)
        return tidy(rel);
    joined = ecp_asprintf("%.*s/%s", (int)(slash - file), file, rel);
    out = tidy(joined);
    free(joined);
    return out;
}

/* The rule pack a test file belongs to: the nearest folder, from its own
 * up, that holds a pack.lua; NULL for none. */
static char *find_pack(const char *file)
{
    char real[PATH_MAX], *dir = folder_of(file), *slash;
    int found = 0;

    if (!realpath(dir, real)) {
        free(dir);
        return NULL;
    }
    free(dir);
    for (;;) {
        char *manifest = ecp_path_join(real, "pack.lua");
        found = ecp_is_file(manifest);
        free(manifest);
        slash = strrchr(real, '/');
        if (found || !slash || slash == real)
            break;
        *slash = '\0';
    }
    return found ? test_display_path(real) : NULL;
}

/* pack.read(manifest, file, version, config) on the pack's pack.lua, as
 * a run reads it; its settings are kept for every case. */
static int read_manifest(struct test_file *tf)
{
    lua_State *L = tf->L;
    struct ecp_host *h = &tf->t->host;
    struct ecp_call_result r;
    char *file = ecp_path_join(tf->pack, "pack.lua");
    int top = lua_gettop(L), rc = -1;

    lua_newtable(L);                    /* data only: no functions at all */
    if (ecp_sandbox_loadfile(L, file, -1, &tf->err) != 0)
        goto out;
    lua_remove(L, -2);
    ecp_host_set_policy(h, NULL);
    if (ecp_host_call(h, 0, 1, &tf->t->limits, &r) != ECP_CALL_OK) {
        ecp_err_set(&tf->err, "%s: %s", file, r.message);
        goto out;
    }
    if (ecp_host_engine_module(h, "pack", &tf->err) != 0)
        goto out;
    lua_getfield(L, -1, "read");
    lua_remove(L, -2);
    lua_insert(L, -2);
    lua_pushstring(L, file);
    lua_pushstring(L, ECP_VERSION);
    if (ecp_host_engine_module(h, "config", &tf->err) != 0)
        goto out;
    if (ecp_host_call(h, 4, 1, NULL, &r) != ECP_CALL_OK) {
        ecp_err_set(&tf->err, "%s", r.message);
        goto out;
    }
    lua_getfield(L, -1, "settings");
    tf->pack_settings = luaL_ref(L, LUA_REGISTRYINDEX);
    rc = 0;
out:
    if (rc != 0)
        ecp_err_prefix(&tf->err, "%s: its rule pack", tf->file);
    lua_settop(L, top);
    free(file);
    return rc;
}

int test_pack_open(struct test_file *tf)
{
    tf->pack_settings = LUA_NOREF;
    tf->pack = find_pack(tf->file);
    if (!tf->pack)
        return 0;
    tf->pack_stdlib = ecp_path_join(tf->pack, "stdlib");
    if (ecp_is_dir(tf->pack_stdlib))
        tf->module_dirs[1] = tf->pack_stdlib;
    return read_manifest(tf);
}

void test_pack_close(struct test_file *tf)
{
    luaL_unref(tf->L, LUA_REGISTRYINDEX, tf->pack_settings);
    free(tf->pack);
    free(tf->pack_stdlib);
}

static struct test_folder *load_folder(struct test_run *t, const char *dir,
                                       const char *const *module_dirs)
{
    struct test_folder *f;
    struct ecp_policies ps;
    struct ecp_err err;
    char **names, **files = NULL;
    size_t n, nfiles = 0;

    t->folders = ecp_realloc(t->folders, (t->nfolders + 1) *
                                             sizeof *t->folders);
    f = &t->folders[t->nfolders++];
    memset(f, 0, sizeof *f);
    f->dir = ecp_strdup(dir);
    if (ecp_list_dir(dir, &names, &n, &err) != 0) {
        f->error = ecp_strdup(err.msg);
        return f;
    }
    for (char **p = names; *p; p++) {
        char *full = ecp_path_join(dir, *p);
        if (cli_is_policy_name(*p) && ecp_is_file(full)) {
            files = ecp_realloc(files, (nfiles + 1) * sizeof *files);
            files[nfiles++] = full;
        } else {
            free(full);
        }
    }
    ecp_free_names(names);
    if (ecp_policies_load(&t->host, files, nfiles, module_dirs, &t->limits,
                          &ps, &err) != 0) {
        f->error = ecp_strdup(err.msg);
    } else {
        f->ids = ecp_calloc(ps.n + 1, sizeof *f->ids);
        f->files = ecp_calloc(ps.n + 1, sizeof *f->files);
        for (size_t i = 0; i < ps.n; i++) {
            f->ids[i] = ecp_strdup(ps.v[i].id);
            f->files[i] = ecp_strdup(ps.v[i].file);
        }
        f->n = ps.n;
        ecp_policies_free(&t->host, &ps);
    }
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    return f;
}

void test_folders_free(struct test_run *t)
{
    for (size_t i = 0; i < t->nfolders; i++) {
        struct test_folder *f = &t->folders[i];
        for (size_t k = 0; k < f->n; k++) {
            free(f->ids[k]);
            free(f->files[k]);
        }
        free(f->ids);
        free(f->files);
        free(f->dir);
        free(f->error);
    }
    free(t->folders);
    t->folders = NULL;
    t->nfolders = 0;
}

/* The folder's controls, read once per run. */
static struct test_folder *folder(struct test_run *t, const char *dir,
                                  const char *const *module_dirs)
{
    for (size_t i = 0; i < t->nfolders; i++)
        if (strcmp(t->folders[i].dir, dir) == 0)
            return &t->folders[i];
    return load_folder(t, dir, module_dirs);
}

/* The control by id among the policies of the test's pack, then among
 * the built-in ones. */
static int find_control(struct test_file *tf)
{
    struct test_run *t = tf->t;
    struct ecp_buf ids = { 0 }, where = { 0 };
    char *dirs[2] = { NULL, ecp_strdup(t->builtin_dir) };

    if (tf->pack) {
        dirs[0] = ecp_path_join(tf->pack, "policies");
        if (!ecp_is_dir(dirs[0])) {
            free(dirs[0]);
            dirs[0] = ecp_strdup(tf->pack);
        }
    }
    for (int d = 0; d < 2 && !tf->policy && !tf->err.msg[0]; d++) {
        struct test_folder *f = dirs[d] ? folder(t, dirs[d], tf->module_dirs)
                                        : NULL;
        if (!f)
            continue;
        if (f->error) {
            ecp_err_set(&tf->err, "%s: control: the policies of %s do not "
                        "load: %s", tf->file, dirs[d], f->error);
            break;
        }
        ecp_buf_printf(&where, "%s%s", where.len ? " or " : "", dirs[d]);
        for (size_t i = 0; i < f->n && !tf->policy; i++) {
            if (strcmp(f->ids[i], tf->control) == 0)
                tf->policy = ecp_strdup(f->files[i]);
            ecp_buf_printf(&ids, "%s%s", ids.len ? ", " : "", f->ids[i]);
        }
    }
    if (!tf->policy && !tf->err.msg[0])
        ecp_err_set(&tf->err, "%s: control: no policy in %s declares '%s' "
                    "(they declare %s); name the file with policy = "
                    "\"...\"", tf->file, where.data, tf->control,
                    ids.len ? ids.data : "nothing");
    ecp_buf_free(&ids);
    ecp_buf_free(&where);
    free(dirs[0]);
    free(dirs[1]);
    return tf->policy ? 0 : -1;
}

int test_find_policy(struct test_file *tf)
{
    lua_State *L = tf->L;
    int rc = 0;

    lua_getfield(L, tf->spec, "control");
    tf->control = ecp_strdup(lua_tostring(L, -1));
    lua_getfield(L, tf->spec, "policy");
    if (lua_isstring(L, -1)) {
        tf->policy = test_beside(tf->file, lua_tostring(L, -1));
        if (!ecp_is_file(tf->policy))
            rc = ecp_err_set(&tf->err, "%s: policy: %s: no such file",
                             tf->file, tf->policy);
    } else {
        rc = find_control(tf);
    }
    lua_pop(L, 2);
    return rc;
}

