/*
 * One test file of ecpolicy test (docs/testing.md): run it in the policy
 * sandbox, check what it returned (engine/lua/testing.lua), find the
 * policy under test, and run each case: its fixture becomes an inventory
 * and a model, the policy is loaded afresh with the case's parameters and
 * run with plans on, and the results are compared with the expectations.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "cli/test.h"
#include "collect/fixture.h"
#include "collect/inventory.h"
#include "collect/timestamp.h"
#include "lua/convert.h"
#include "lua/model.h"
#include "lua/policy.h"
#include "lua/runner.h"
#include "lua/sandbox.h"
#include "report/results.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"

/* ctx.now when the test file does not say: a test must not depend on
 * the day it runs. */
#define DEFAULT_NOW "2026-01-01T00:00:00Z"

struct test_file {
    struct test_run *t;
    lua_State *L;
    const char *file;
    char *control;
    char *policy;               /* the policy file under test */
    char *pack_stdlib;          /* the pack's stdlib/, if it has one */
    const char *module_dirs[3];
    int spec;                   /* stack index of testing.check's answer */
    struct ecp_err err;
};

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

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
            if (out.len > 0 && out.data[out.len - 1] == '/')
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

/* A path in a test file means relative to the test file. */
static char *beside(const char *file, const char *rel)
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

/* Push testing.<fn>. [-0, +1] */
static int push_testing(struct test_file *tf, const char *fn)
{
    if (ecp_host_engine_module(&tf->t->host, "testing", &tf->err) != 0)
        return -1;
    lua_getfield(tf->L, -1, fn);
    lua_remove(tf->L, -2);
    return 0;
}

/* Run the test file and check what it returned; push the description.
 * [-0, +1 on success] */
static int load_spec(struct test_file *tf)
{
    lua_State *L = tf->L;
    struct ecp_host *h = &tf->t->host;
    struct ecp_call_result r;
    const char *base = strrchr(tf->file, '/');
    char *label = ecp_strdup(base ? base + 1 : tf->file);
    char *chunk = ecp_asprintf("@%s", tf->file);
    enum ecp_call_status st;

    label[strlen(label) - 4] = '\0';            /* no ".lua" */
    ecp_sandbox_new(L, tf->module_dirs, label);
    free(label);
    if (ecp_sandbox_loadfile(L, tf->file, -1, &tf->err) != 0) {
        lua_pop(L, 1);
        free(chunk);
        return -1;
    }
    lua_remove(L, -2);
    ecp_host_set_policy(h, chunk);
    free(chunk);
    st = ecp_host_call(h, 0, 1, &tf->t->limits, &r);
    ecp_host_set_policy(h, NULL);
    if (st != ECP_CALL_OK) {
        if (strncmp(r.message, tf->file, strlen(tf->file)) == 0)
            return ecp_err_set(&tf->err, "%s", r.message);
        return ecp_err_set(&tf->err, "%s: %s", tf->file, r.message);
    }
    if (push_testing(tf, "check") != 0) {
        lua_pop(L, 1);
        return -1;
    }
    lua_insert(L, -2);
    lua_pushstring(L, tf->file);
    if (ecp_host_call(h, 2, 1, NULL, &r) != ECP_CALL_OK)
        return ecp_err_set(&tf->err, "%s", r.message);
    return 0;
}

/* ---- finding the policy under test ------------------------------------ */

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
        if (ends_with(*p, ".lua") && !ends_with(*p, "_test.lua") &&
            ecp_is_file(full)) {
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

/* The control by id among the policies of the test's pack, else among
 * the built-in ones.  The folder's ids are read once per run. */
static int find_control(struct test_file *tf)
{
    struct test_run *t = tf->t;
    struct test_folder *f = NULL;
    char *pack = find_pack(tf->file), *dir;
    struct ecp_buf ids = { 0 };

    if (pack) {
        char *sub = ecp_path_join(pack, "stdlib");
        if (ecp_is_dir(sub))
            tf->module_dirs[1] = tf->pack_stdlib = sub;
        else
            free(sub);
        dir = ecp_path_join(pack, "policies");
        if (!ecp_is_dir(dir)) {
            free(dir);
            dir = ecp_strdup(pack);
        }
    } else {
        dir = ecp_strdup(t->builtin_dir);
    }
    for (size_t i = 0; i < t->nfolders && !f; i++)
        if (strcmp(t->folders[i].dir, dir) == 0)
            f = &t->folders[i];
    if (!f)
        f = load_folder(t, dir, tf->module_dirs);
    for (size_t i = 0; i < f->n && !tf->policy; i++)
        if (strcmp(f->ids[i], tf->control) == 0)
            tf->policy = ecp_strdup(f->files[i]);
    if (f->error) {
        ecp_err_set(&tf->err, "%s: control: the policies of %s do not load: "
                    "%s", tf->file, pack ? "its rule pack" : "ecpolicy",
                    f->error);
    } else if (!tf->policy) {
        for (size_t i = 0; i < f->n; i++)
            ecp_buf_printf(&ids, "%s%s", i ? ", " : "", f->ids[i]);
        ecp_err_set(&tf->err, "%s: control: no policy in %s declares '%s' "
                    "(it has %s); name the file with policy = \"...\"",
                    tf->file, dir, tf->control, f->n ? ids.data : "none");
    }
    ecp_buf_free(&ids);
    free(pack);
    free(dir);
    return tf->policy ? 0 : -1;
}

static int find_policy(struct test_file *tf)
{
    lua_State *L = tf->L;
    int rc = 0;

    lua_getfield(L, tf->spec, "control");
    tf->control = ecp_strdup(lua_tostring(L, -1));
    lua_getfield(L, tf->spec, "policy");
    if (lua_isstring(L, -1)) {
        tf->policy = beside(tf->file, lua_tostring(L, -1));
        if (!ecp_is_file(tf->policy))
            rc = ecp_err_set(&tf->err, "%s: policy: %s: no such file",
                             tf->file, tf->policy);
    } else {
        rc = find_control(tf);
    }
    lua_pop(L, 2);
    return rc;
}

/* ---- one case ----------------------------------------------------------- */

static int case_now(struct test_file *tf, int c, double *now)
{
    lua_State *L = tf->L;
    struct ecp_timestamp ts;
    const char *text = DEFAULT_NOW, *why = NULL;
    int rc = 0;

    lua_getfield(L, c, "now");
    if (lua_type(L, -1) == LUA_TNUMBER) {
        *now = lua_tonumber(L, -1);
    } else {
        if (lua_type(L, -1) == LUA_TSTRING)
            text = lua_tostring(L, -1);
        if (ecp_timestamp_parse(text, &ts, &why) == 0) {
            *now = (double)ts.epoch + ts.millis / 1000.0;
        } else {
            lua_getfield(L, c, "now_where");
            rc = ecp_err_set(&tf->err, "%s: %s: \"%.100s\" is not a "
                             "timestamp: %s", tf->file, lua_tostring(L, -1),
                             text, why ? why : "");
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return rc;
}

static int case_inventory(struct test_file *tf, int c,
                          struct ecp_inventory *inv)
{
    lua_State *L = tf->L;
    const char *file = tf->file;
    char why[512];
    int rc;

    lua_getfield(L, c, "fixture_where");
    const char *where = lua_tostring(L, -1);
    lua_getfield(L, c, "fixture");
    if (lua_type(L, -1) == LUA_TSTRING) {
        char *path = beside(file, lua_tostring(L, -1));
        rc = ecp_inventory_load(path, inv, &tf->err);
        if (rc != 0)
            ecp_err_prefix(&tf->err, "%s: %s", file, where);
        free(path);
    } else {
        cJSON *json = ecp_lua_to_json_strict(L, -1, why, sizeof why);
        if (json) {
            rc = ecp_fixture_read(json, file, where, inv, &tf->err);
            cJSON_Delete(json);
        } else {
            rc = ecp_err_set(&tf->err, "%s: %s%s", file, where, why);
        }
    }
    lua_pop(L, 2);
    for (size_t i = 0; rc == 0 && i < inv->nwarnings; i++)
        fprintf(stderr, "ecpolicy: warning: %s\n", inv->warnings[i]);
    return rc;
}

/* declaration.apply_params(descs, the case's overrides). */
static int apply_params(struct test_file *tf, int c,
                        const struct ecp_policies *ps)
{
    lua_State *L = tf->L;
    struct ecp_call_result r;

    if (ecp_host_engine_module(&tf->t->host, "declaration", &tf->err) != 0)
        return -1;
    lua_getfield(L, -1, "apply_params");
    lua_remove(L, -2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ps->descs_ref);
    lua_getfield(L, c, "params");
    if (ecp_host_call(&tf->t->host, 2, 0, NULL, &r) != ECP_CALL_OK)
        return ecp_err_set(&tf->err, "%s", r.message);
    return 0;
}

/* Load the policy under test afresh (its main chunk runs under the
 * coverage hook too) and tune it for the case. */
static int load_policy(struct test_file *tf, int c, struct ecp_policies *ps)
{
    struct test_run *t = tf->t;
    lua_State *L = tf->L;
    int rc;

    if (ecp_policies_load(&t->host, &tf->policy, 1, tf->module_dirs,
                          &t->limits, ps, &tf->err) != 0)
        return ecp_err_prefix(&tf->err, "%s: control %s", tf->file,
                              tf->control);
    if (strcmp(ps->v[0].id, tf->control) != 0)
        return ecp_err_set(&tf->err, "%s: policy: %s declares the control "
                           "'%s', and the test is for '%s'", tf->file,
                           tf->policy, ps->v[0].id, tf->control);
    ecp_policies_push_desc(&t->host, ps, 0);
    rc = ecp_coverage_reach(t->cov, &t->host, tf->policy, -1, &tf->err);
    lua_pop(L, 1);
    if (rc == 0)
        rc = apply_params(tf, c, ps);
    if (rc == 0)
        ecp_policies_refresh(&t->host, ps);
    return rc;
}

static void set_string(lua_State *L, const char *key, const char *value)
{
    if (value) {
        lua_pushstring(L, value);
        lua_setfield(L, -2, key);
    }
}

static void set_json(lua_State *L, const char *key, const cJSON *value)
{
    if (value) {
        ecp_json_to_lua(L, value);
        lua_setfield(L, -2, key);
    }
}

/* The results as testing.compare takes them. [-0, +1] */
static void push_results(lua_State *L, const struct ecp_report *rep)
{
    lua_createtable(L, (int)rep->nresults, 0);
    for (size_t i = 0; i < rep->nresults; i++) {
        const struct ecp_result *res = &rep->results[i];
        const struct ecp_resource *rs = &rep->resources[res->resource];
        lua_createtable(L, 0, 9);
        set_string(L, "kind", rs->kind);
        set_string(L, "id", rs->id);
        set_string(L, "region", rs->region);
        set_string(L, "status", ecp_outcome_name(res->outcome));
        set_string(L, "reason", res->reason);
        set_json(L, "evidence", res->evidence);
        set_json(L, "plan", res->plan);
        set_string(L, "plan_error", res->plan_error);
        lua_pushboolean(L, res->has_plan_fn);
        lua_setfield(L, -2, "has_plan_fn");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* Compare and print: the case's line, and one line per difference. */
static int report_case(struct test_file *tf, int c,
                       const struct ecp_report *rep)
{
    struct test_run *t = tf->t;
    lua_State *L = tf->L;
    struct ecp_call_result r;
    lua_Integer n;

    if (push_testing(tf, "compare") != 0)
        return -1;
    lua_pushvalue(L, c);
    push_results(L, rep);
    if (ecp_host_call(&t->host, 2, 1, NULL, &r) != ECP_CALL_OK)
        return ecp_err_set(&tf->err, "%s: comparing the results: %s",
                           tf->file, r.message);
    n = (lua_Integer)lua_rawlen(L, -1);
    lua_getfield(L, c, "title");
    if (n == 0)
        t->passed++;
    else
        t->failed++;
    if (n > 0 || t->verbose)
        printf("%s %s %s: %s\n", n ? "FAIL" : "PASS", tf->control, tf->file,
               lua_tostring(L, -1));
    lua_pop(L, 1);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, -1, k);
        printf("  %s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    t->cases++;
    return 0;
}

static int run_case(struct test_file *tf, lua_Integer i)
{
    struct test_run *t = tf->t;
    lua_State *L = tf->L;
    struct ecp_inventory inv;
    struct ecp_policies ps = { NULL, 0, LUA_NOREF };
    struct ecp_report rep;
    struct ecp_run_options ro = { t->limits, 0, 1 };
    int model_ref = LUA_NOREF, rc, c;

    memset(&inv, 0, sizeof inv);
    memset(&rep, 0, sizeof rep);
    lua_getfield(L, tf->spec, "cases");
    lua_rawgeti(L, -1, i);
    lua_remove(L, -2);
    c = lua_gettop(L);
    rc = case_now(tf, c, &ro.now);
    if (rc == 0)
        rc = case_inventory(tf, c, &inv);
    if (rc == 0 && ecp_model_build(&t->host, &inv, 1, &model_ref,
                                   &tf->err) != 0)
        rc = ecp_err_prefix(&tf->err, "%s: building the model", tf->file);
    if (rc == 0) {
        ecp_coverage_start(t->cov, &t->host, tf->policy);
        rc = load_policy(tf, c, &ps);
        if (rc == 0)
            ecp_run(&t->host, &ps, model_ref, &ro, &rep);
        ecp_coverage_stop(t->cov, &t->host);
    }
    if (rc == 0)
        rc = report_case(tf, c, &rep);
    ecp_report_free(&rep);
    ecp_policies_free(&t->host, &ps);
    luaL_unref(L, LUA_REGISTRYINDEX, model_ref);
    ecp_inventory_free(&inv);
    lua_settop(L, c - 1);
    return rc;
}

int test_file_run(struct test_run *t, const char *file)
{
    struct test_file tf;
    lua_State *L = t->host.L;
    int top = lua_gettop(L), rc;

    memset(&tf, 0, sizeof tf);
    tf.t = t;
    tf.L = L;
    tf.file = file;
    tf.module_dirs[0] = t->stdlib_dir;
    rc = load_spec(&tf);
    if (rc == 0) {
        tf.spec = lua_gettop(L);
        rc = find_policy(&tf);
    }
    if (rc == 0) {
        lua_getfield(L, tf.spec, "cases");
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        lua_pop(L, 1);
        for (lua_Integer i = 1; i <= n && rc == 0; i++)
            rc = run_case(&tf, i);
    }
    if (rc != 0) {
        fflush(stdout);
        fprintf(stderr, "ecpolicy test: %s\n", tf.err.msg);
        t->unusable++;
    }
    free(tf.control);
    free(tf.policy);
    free(tf.pack_stdlib);
    lua_settop(L, top);
    return rc;
}
