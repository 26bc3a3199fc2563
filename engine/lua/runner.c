#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lua/convert.h"
#include "lua/readonly.h"
#include "lua/runner.h"
#include "remediate/plan.h"
#include "util/clock.h"
#include "util/mem.h"

/* Longer reasons are cut: a report line is not a place for essays. */
#define MAX_REASON 2000

/* Resources are registered in the report once per list (every policy over
 * caches shares the same list) and once per region for region results. */
struct registry {
    struct { char *name; size_t base; } lists[32];
    size_t nlists;
    struct { char *name; size_t index; } regions[64];
    size_t nregions;
};

static char *field(lua_State *L, int t, const char *name)
{
    char *s = NULL;

    lua_getfield(L, t, name);
    if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER)
        s = ecp_strdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    return s;
}

static size_t register_list(struct registry *reg, struct ecp_report *rep,
                            lua_State *L, const char *name, int list)
{
    for (size_t i = 0; i < reg->nlists; i++)
        if (strcmp(reg->lists[i].name, name) == 0)
            return reg->lists[i].base;
    size_t base = rep->nresources;
    lua_Integer n = (lua_Integer)lua_rawlen(L, list);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, list, k);
        int t = lua_gettop(L);
        char *kind = field(L, t, "kind"), *id = field(L, t, "id");
        char *arn = field(L, t, "arn"), *region = field(L, t, "region");
        ecp_report_add_resource(rep, kind ? kind : "?", id ? id : "?", arn,
                                region ? region : "?");
        free(kind);
        free(id);
        free(arn);
        free(region);
        lua_pop(L, 1);
    }
    if (reg->nlists < sizeof reg->lists / sizeof reg->lists[0]) {
        reg->lists[reg->nlists].name = ecp_strdup(name);
        reg->lists[reg->nlists].base = base;
        reg->nlists++;
    }
    return base;
}

static size_t region_resource(struct registry *reg, struct ecp_report *rep,
                              const char *region)
{
    for (size_t i = 0; i < reg->nregions; i++)
        if (strcmp(reg->regions[i].name, region) == 0)
            return reg->regions[i].index;
    size_t index = ecp_report_add_resource(rep, "region", region, NULL,
                                           region);
    if (reg->nregions < sizeof reg->regions / sizeof reg->regions[0]) {
        reg->regions[reg->nregions].name = ecp_strdup(region);
        reg->regions[reg->nregions].index = index;
        reg->nregions++;
    }
    return index;
}

static void registry_free(struct registry *reg)
{
    for (size_t i = 0; i < reg->nlists; i++)
        free(reg->lists[i].name);
    for (size_t i = 0; i < reg->nregions; i++)
        free(reg->regions[i].name);
}

static char *clean_reason(const char *s)
{
    size_t n = strlen(s);

    return ecp_utf8_clean(s, n > MAX_REASON ? MAX_REASON : n);
}

static void add(struct ecp_report *rep, size_t control, size_t resource,
                enum ecp_outcome outcome, const char *reason,
                cJSON *evidence)
{
    char *clean = clean_reason(reason);

    ecp_report_add_result(rep, control, resource, outcome, clean, evidence);
    free(clean);
}

static const char *default_reason(enum ecp_outcome o)
{
    switch (o) {
    case ECP_PASS: return "passed";
    case ECP_FAIL: return "failed";
    case ECP_NOT_APPLICABLE: return "not applicable";
    default: return "the data needed is not available";
    }
}

/*
 * Read what check returned: (status, reason, evidence) at first..first+2,
 * or a result table at first.  Only raw reads: nothing of the policy's
 * runs here.  Returns the outcome, or -1 with why filled in.
 */
static int read_result(lua_State *L, int first, const char **reason,
                       cJSON **evidence, char *why, size_t size)
{
    int status_idx = first, reason_idx = first + 1, evidence_idx = first + 2;
    int outcome;

    if (lua_type(L, first) == LUA_TTABLE) {
        ecp_ro_unwrap(L, first);
        int t = lua_gettop(L);
        lua_pushliteral(L, "status");
        lua_rawget(L, t);
        lua_pushliteral(L, "reason");
        lua_rawget(L, t);
        lua_pushliteral(L, "evidence");
        lua_rawget(L, t);
        status_idx = t + 1;
        reason_idx = t + 2;
        evidence_idx = t + 3;
    } else if (lua_type(L, first) != LUA_TSTRING) {
        snprintf(why, size, "check returned %s; expected a status string "
                 "or a result table", lua_isnil(L, first) ? "nothing"
                 : lua_typename(L, lua_type(L, first)));
        return -1;
    }
    if (lua_type(L, status_idx) != LUA_TSTRING) {
        snprintf(why, size, "check returned a result without a status");
        return -1;
    }
    const char *status = lua_tostring(L, status_idx);
    outcome = ecp_outcome_by_name(status);
    if (outcome < 0 || outcome == ECP_ERROR) {
        snprintf(why, size, "check returned status '%.60s'; expected pass, "
                 "fail, not_applicable or unknown", status);
        return -1;
    }
    int rt = lua_type(L, reason_idx);
    if (rt != LUA_TNIL && rt != LUA_TSTRING) {
        snprintf(why, size, "check returned a reason that is a %s, not a "
                 "string", lua_typename(L, rt));
        return -1;
    }
    *reason = rt == LUA_TSTRING ? lua_tostring(L, reason_idx) : NULL;
    *evidence = NULL;
    if (!lua_isnil(L, evidence_idx)) {
        char where[512];
        *evidence = ecp_lua_to_json_strict(L, evidence_idx, where,
                                           sizeof where);
        if (!*evidence) {
            snprintf(why, size, "check returned evidence that is not data: "
                     "evidence%s", where);
            return -1;
        }
    }
    return outcome;
}

static void with_where(char *out, size_t size, const char *msg,
                       const char *where)
{
    if (where[0] && !strstr(msg, where))
        snprintf(out, size, "%s (at %s)", msg, where);
    else
        snprintf(out, size, "%s", msg);
}

struct policy_run {
    struct ecp_host *h;
    struct ecp_report *rep;
    const struct ecp_run_options *opts;
    size_t control;
    char stopped[1024];     /* set once the policy has been stopped */
    char plans_stopped[1024]; /* set once its remediate has been stopped */
};

/* One check call: the function, view and ctx proxy are on the stack. */
static void evaluate(struct policy_run *pr, size_t resource)
{
    lua_State *L = pr->h->L;
    struct ecp_call_result r;
    char msg[1400];
    int top = lua_gettop(L) - 3;

    if (pr->stopped[0]) {
        lua_pop(L, 3);
        add(pr->rep, pr->control, resource, ECP_ERROR, pr->stopped, NULL);
        return;
    }
    switch (ecp_host_call(pr->h, 2, 3, &pr->opts->limits, &r)) {
    case ECP_CALL_OK: {
        const char *reason = NULL;
        cJSON *evidence = NULL;
        int outcome = read_result(L, top + 1, &reason, &evidence, msg,
                                  sizeof msg);
        if (outcome < 0) {
            add(pr->rep, pr->control, resource, ECP_ERROR, msg, NULL);
        } else if (outcome == ECP_PASS && pr->h->touched_missing) {
            /* It read missing data (and caught the abort): it cannot
             * know that it passes. */
            cJSON_Delete(evidence);
            add(pr->rep, pr->control, resource, ECP_UNKNOWN,
                pr->h->missing_reason, NULL);
        } else {
            add(pr->rep, pr->control, resource, outcome,
                reason ? reason : default_reason(outcome), evidence);
        }
        break;
    }
    case ECP_CALL_UNKNOWN:
        add(pr->rep, pr->control, resource, ECP_UNKNOWN, r.message, NULL);
        break;
    case ECP_CALL_ERROR:
        with_where(msg, sizeof msg, r.message, r.where);
        add(pr->rep, pr->control, resource, ECP_ERROR, msg, NULL);
        break;
    case ECP_CALL_TIMEOUT:
    case ECP_CALL_MEMORY: {
        int timeout = r.status == ECP_CALL_TIMEOUT;
        char limit[128];
        if (timeout)
            snprintf(limit, sizeof limit, "time limit of %gs",
                     pr->opts->limits.time_limit);
        else
            snprintf(limit, sizeof limit, "memory limit of %zu MB",
                     pr->opts->limits.memory_limit >> 20);
        snprintf(msg, sizeof msg, "stopped: the %s was exceeded", limit);
        char full[1600];
        with_where(full, sizeof full, msg, r.where);
        add(pr->rep, pr->control, resource, ECP_ERROR, full, NULL);
        const struct ecp_resource *rs = &pr->rep->resources[resource];
        snprintf(pr->stopped, sizeof pr->stopped, "not evaluated: the policy "
                 "was stopped when it exceeded its %s on %s %s", limit,
                 rs->kind, rs->id);
        break;
    }
    }
    lua_settop(L, top);
}

/* remediate(view, finding, ctx) for the fail result just added; the
 * function, view and ctx are at fn, view and ctx. */
static void remediate(struct policy_run *pr, size_t result, int fn, int view,
                      int ctx)
{
    lua_State *L = pr->h->L;
    struct ecp_report *rep = pr->rep;
    const struct ecp_result *res = &rep->results[result];
    const char *region = rep->resources[res->resource].region;
    struct ecp_call_result r;
    char msg[1400], full[1600];
    int top = lua_gettop(L);

    if (pr->plans_stopped[0]) {
        /* One remediate past its limit says the next would be too: do not
         * make every failing resource wait out the limit again. */
        ecp_report_set_plan(rep, result, NULL, pr->plans_stopped);
        return;
    }
    lua_pushvalue(L, fn);
    lua_pushvalue(L, view);
    lua_createtable(L, 0, 3);
    lua_pushliteral(L, "fail");
    lua_setfield(L, -2, "status");
    lua_pushstring(L, res->reason);
    lua_setfield(L, -2, "reason");
    if (res->evidence) {
        ecp_json_to_lua(L, res->evidence);
        lua_setfield(L, -2, "evidence");
    }
    lua_pushvalue(L, ctx);
    switch (ecp_host_call(pr->h, 3, 2, &pr->opts->limits, &r)) {
    case ECP_CALL_OK:
        if (lua_isnil(L, -2)) {
            /* return nil, "why": the reason is worth passing on. */
            ecp_report_set_plan(rep, result, NULL, NULL);
            if (lua_type(L, -1) == LUA_TSTRING) {
                char *clean = clean_reason(lua_tostring(L, -1));
                ecp_report_set_plan_note(rep, result, clean);
                free(clean);
            }
        } else if (pr->h->touched_missing) {
            snprintf(msg, sizeof msg, "remediate read data that is missing: "
                     "%s", pr->h->missing_reason);
            ecp_report_set_plan(rep, result, NULL, msg);
        } else {
            char where[512];
            cJSON *plan = ecp_lua_to_json_strict(L, -2, where, sizeof where);
            if (!plan) {
                snprintf(msg, sizeof msg, "remediate returned a plan that is "
                         "not data: plan%s", where);
                ecp_report_set_plan(rep, result, NULL, msg);
            } else if (ecp_plan_complete(plan, region, where,
                                         sizeof where) != 0) {
                cJSON_Delete(plan);
                snprintf(msg, sizeof msg, "remediate returned a bad plan: %s",
                         where);
                ecp_report_set_plan(rep, result, NULL, msg);
            } else {
                ecp_report_set_plan(rep, result, plan, NULL);
            }
        }
        break;
    case ECP_CALL_UNKNOWN:
        snprintf(msg, sizeof msg, "remediate needs data that is not "
                 "available: %s", r.message);
        ecp_report_set_plan(rep, result, NULL, msg);
        break;
    case ECP_CALL_ERROR:
        with_where(msg, sizeof msg, r.message, r.where);
        snprintf(full, sizeof full, "remediate failed: %s", msg);
        ecp_report_set_plan(rep, result, NULL, full);
        break;
    case ECP_CALL_TIMEOUT:
    case ECP_CALL_MEMORY:
        snprintf(msg, sizeof msg, "remediate was stopped: the %s limit was "
                 "exceeded", r.status == ECP_CALL_TIMEOUT ? "time"
                 : "memory");
        with_where(full, sizeof full, msg, r.where);
        ecp_report_set_plan(rep, result, NULL, full);
        const struct ecp_resource *rs = &rep->resources[res->resource];
        snprintf(pr->plans_stopped, sizeof pr->plans_stopped, "remediate was "
                 "not called: it was stopped when it exceeded its %s limit on "
                 "%s %s", r.status == ECP_CALL_TIMEOUT ? "time" : "memory",
                 rs->kind, rs->id);
        break;
    }
    lua_settop(L, top);
}

/* Push model:method(args...) results. */
static int call_model(struct ecp_host *h, int model, const char *method,
                      int nargs, int nresults)
{
    lua_State *L = h->L;
    struct ecp_call_result r;

    lua_getfield(L, model, method);
    lua_pushvalue(L, model);
    lua_rotate(L, -2 - nargs, 2);
    if (ecp_host_call(h, nargs + 1, nresults, NULL, &r) != ECP_CALL_OK) {
        fprintf(stderr, "ecpolicy: internal error in model.%s: %s\n", method,
                r.message);
        return -1;
    }
    return 0;
}

static void run_policy(struct ecp_host *h, const struct ecp_policies *ps,
                       size_t i, int model, struct registry *reg,
                       const struct ecp_run_options *opts,
                       struct ecp_report *rep)
{
    lua_State *L = h->L;
    const struct ecp_policy *p = &ps->v[i];
    struct policy_run pr = { h, rep, opts, 0, "", "" };
    int top = lua_gettop(L);
    double start = ecp_clock_seconds();

    pr.control = ecp_report_add_control(rep, p->id, p->title, p->file,
                                        p->resource, p->severity);
    ecp_policies_push_desc(h, ps, i);
    int desc = lua_gettop(L);

    lua_pushstring(L, p->resource);
    if (call_model(h, model, "resources", 1, 2) != 0)
        goto out;
    int list = desc + 1, gaps = desc + 2;
    size_t base = register_list(reg, rep, L, p->resource, list);

    lua_Integer ngaps = (lua_Integer)lua_rawlen(L, gaps);
    for (lua_Integer k = 1; k <= ngaps; k++) {
        lua_rawgeti(L, gaps, k);
        char *region = field(L, -1, "region"), *reason = field(L, -1,
                                                               "reason");
        add(rep, pr.control, region_resource(reg, rep, region), ECP_UNKNOWN,
            reason, NULL);
        free(region);
        free(reason);
        lua_pop(L, 1);
    }

    lua_createtable(L, 0, 3);                       /* ctx.control */
    lua_pushstring(L, p->id);
    lua_setfield(L, -2, "id");
    lua_pushstring(L, p->title);
    lua_setfield(L, -2, "title");
    lua_pushstring(L, ecp_severity_name(p->severity));
    lua_setfield(L, -2, "severity");
    lua_getfield(L, desc, "params");
    lua_pushnumber(L, opts->now);
    if (call_model(h, model, "context", 3, 1) != 0)
        goto out;
    int ctx = lua_gettop(L);
    ecp_ro_wrap(L, ctx);
    int ctx_view = lua_gettop(L);
    lua_getfield(L, desc, "check");
    int check = lua_gettop(L);
    lua_getfield(L, desc, "remediate");
    int fix = lua_isfunction(L, -1) && opts->plans ? lua_gettop(L) : 0;

    ecp_host_set_policy(h, lua_pushfstring(L, "@%s", p->file));
    lua_pop(L, 1);
    lua_Integer n = (lua_Integer)lua_rawlen(L, list);
    rep->controls[pr.control].evaluated = (size_t)n;
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, list, k);
        int res = lua_gettop(L);
        lua_getfield(L, res, "region");
        lua_setfield(L, ctx, "region");
        if (lua_getfield(L, res, "item") == LUA_TNIL) {
            lua_pop(L, 1);
            lua_pushvalue(L, res);
        }
        ecp_ro_wrap(L, -1);
        lua_remove(L, -2);
        int view = lua_gettop(L);
        lua_pushvalue(L, check);
        lua_pushvalue(L, view);
        lua_pushvalue(L, ctx_view);
        size_t added = rep->nresults;
        evaluate(&pr, base + (size_t)(k - 1));
        if (fix && rep->nresults == added + 1 &&
            rep->results[added].outcome == ECP_FAIL && !pr.stopped[0])
            remediate(&pr, added, fix, view, ctx_view);
        lua_settop(L, res - 1);
    }
out:
    ecp_host_set_policy(h, NULL);
    lua_settop(L, top);
    rep->controls[pr.control].seconds = ecp_clock_seconds() - start;
}

void ecp_run(struct ecp_host *h, const struct ecp_policies *policies,
             int model_ref, const struct ecp_run_options *opts,
             struct ecp_report *report)
{
    lua_State *L = h->L;
    struct registry reg = { 0 };

    lua_rawgeti(L, LUA_REGISTRYINDEX, model_ref);
    int model = lua_gettop(L);
    for (size_t i = 0; i < policies->n; i++)
        run_policy(h, policies, i, model, &reg, opts, report);
    lua_pop(L, 1);
    registry_free(&reg);
}
