/*
 * One test file of ecpolicy test (docs/testing.md): run it in the policy
 * sandbox, check what it returned (engine/lua/testing.lua), and run each
 * case: its fixture becomes an inventory and a model, the policy under
 * test (test_policy.c) is loaded afresh, tuned by its pack's settings and
 * the case's parameters, and run with plans on, and the results are
 * compared with the expectations.
 */
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
#include "util/mem.h"

/* ctx.now when the test file does not say: a test must not depend on
 * the day it runs. */
#define DEFAULT_NOW "2026-01-01T00:00:00Z"

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
        char *path = test_beside(file, lua_tostring(L, -1));
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

/* declaration.<fn>(descs, overrides), with the overrides on the top of
 * the stack. [-1, +0] */
static int apply(struct test_file *tf, const char *fn,
                 const struct ecp_policies *ps)
{
    lua_State *L = tf->L;
    struct ecp_call_result r;

    if (ecp_host_engine_module(&tf->t->host, "declaration", &tf->err) != 0) {
        lua_pop(L, 1);
        return -1;
    }
    lua_getfield(L, -1, fn);
    lua_remove(L, -2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ps->descs_ref);
    lua_rotate(L, -3, 2);               /* fn, descs, overrides */
    if (ecp_host_call(&tf->t->host, 2, 0, NULL, &r) != ECP_CALL_OK)
        return ecp_err_set(&tf->err, "%s", r.message);
    return 0;
}

/* The pack's settings for the control, then the case's parameters: a
 * test of a control a pack tunes tests it as the pack runs it. */
static int tune(struct test_file *tf, int c, const struct ecp_policies *ps)
{
    lua_State *L = tf->L;
    struct ecp_call_result r;

    if (tf->pack_settings != LUA_NOREF) {
        if (push_testing(tf, "pack_overrides") != 0)
            return -1;
        lua_rawgeti(L, LUA_REGISTRYINDEX, tf->pack_settings);
        lua_pushstring(L, tf->control);
        if (ecp_host_call(&tf->t->host, 2, 2, NULL, &r) != ECP_CALL_OK)
            return ecp_err_set(&tf->err, "%s", r.message);
        lua_insert(L, -2);              /* severity, params */
        if (apply(tf, "apply_params", ps) != 0) {
            lua_pop(L, 1);
            return ecp_err_prefix(&tf->err, "%s", tf->file);
        }
        if (apply(tf, "apply_severity", ps) != 0)
            return ecp_err_prefix(&tf->err, "%s", tf->file);
    }
    lua_getfield(L, c, "params");
    return apply(tf, "apply_params", ps);
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
        rc = tune(tf, c, ps);
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
    rc = test_pack_open(&tf);
    if (rc == 0)
        rc = load_spec(&tf);
    if (rc == 0) {
        tf.spec = lua_gettop(L);
        rc = test_find_policy(&tf);
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
    test_pack_close(&tf);
    lua_settop(L, top);
    return rc;
}
