#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "lua/embedded.h"
#include "lua/host.h"
#include "lua/readonly.h"
#include "util/clock.h"

#define ENGINE_MODULES "ecpolicy.engine_modules"
/* The watchdog tells the Lua thread that a deadline has passed with this
 * signal; its handler only installs the hook (Lua allows lua_sethook from
 * a signal handler). */
#define WAKE_SIGNAL SIGUSR2
/* How often the watchdog looks at an armed call. */
#define WATCH_EVERY_MS 20
/* A call stuck in C this long past its deadline aborts the process. */
#define WATCHDOG_GRACE_MS 5000
/* The events a tracer (ecp_host_set_trace) is handed. */
#define TRACE_MASK (LUA_MASKLINE | LUA_MASKCALL)

struct ecp_host *ecp_host_of(lua_State *L)
{
    return *(struct ecp_host **)lua_getextraspace(L);
}

/*
 * The allocator.  Lua's contract: nsize == 0 frees; otherwise behave as
 * realloc, returning NULL only when the request cannot be met.  A request
 * that would cross the armed ceiling is refused, and the refusal is
 * sticky: the policy is stopped at its next instruction even if it caught
 * the error.  The one exception is Lua's own emergency collection: after a
 * refusal it collects garbage and asks again for exactly the same block;
 * if that retry fits, nothing was really exceeded.
 */
static void host_hook(lua_State *L, lua_Debug *ar);

/* Stop the running call at its next instruction (the hook then decides
 * whether a limit was really crossed); a tracer keeps its events. */
static void stop_hook(struct ecp_host *h, lua_State *L)
{
    lua_sethook(L, host_hook, LUA_MASKCOUNT | (h->trace ? TRACE_MASK : 0), 1);
}

/* No limit crossed: no hook at all, or only the tracer's. */
static void idle_hook(struct ecp_host *h, lua_State *L)
{
    if (h->trace)
        lua_sethook(L, host_hook, TRACE_MASK, 0);
    else
        lua_sethook(L, NULL, 0, 0);
}

static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct ecp_host *h = ud;
    void *p;
    int retry;

    if (!ptr)
        osize = 0;
    if (nsize == 0) {
        free(ptr);
        h->total -= osize;
        return NULL;
    }
    retry = h->refused_once && h->refused_ptr == ptr &&
            h->refused_size == nsize;
    h->refused_once = 0;
    if (h->cap && nsize > osize && h->total + (nsize - osize) > h->cap) {
        h->mem_exceeded = 1;
        /* Have the policy stopped at its next instruction (the hook lets
         * it go on if Lua's emergency collection makes room after all). */
        if (h->L)
            stop_hook(h, h->L);
        h->refused_once = 1;
        h->refused_ptr = ptr;
        h->refused_size = nsize;
        return NULL;
    }
    p = realloc(ptr, nsize);
    if (!p)
        return NULL;
    if (retry)
        h->mem_exceeded = 0;
    h->total = h->total - osize + nsize;
    if (h->total > h->peak)
        h->peak = h->total;
    return p;
}

static int past(const struct timespec *deadline)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec > deadline->tv_sec ||
           (ts.tv_sec == deadline->tv_sec && ts.tv_nsec >= deadline->tv_nsec);
}

/*
 * The hook is not installed while a policy runs normally: a hook on every
 * thousand instructions slows every instruction.  It is installed when a
 * limit is crossed, by the allocator (memory) or through WAKE_SIGNAL from
 * the watchdog (time), and then decides.
 */
static void budget(lua_State *L, struct ecp_host *h)
{
    if (!h->killed) {
        if (!h->armed) {
            idle_hook(h, L);
            return;
        }
        if (h->mem_exceeded)
            h->killed = "memory limit exceeded";
        else if (h->time_limit > 0 && past(&h->deadline))
            h->killed = "time limit exceeded";
        else {
            /* Late news of a call that has ended, or memory that Lua's
             * emergency collection found after all. */
            idle_hook(h, L);
            return;
        }
        /* From now on raise at every instruction: a pcall in the policy
         * may catch one error, but the next instruction raises again. */
        stop_hook(h, L);
    }
    luaL_error(L, "%s", h->killed);
}

/* One hook for both users: the limits (count events, only once a limit
 * is crossed) and the tracer (line and call events), so that neither
 * installing its hook can remove the other's. */
static void host_hook(lua_State *L, lua_Debug *ar)
{
    struct ecp_host *h = ecp_host_of(L);

    if (ar->event == LUA_HOOKCOUNT) {
        budget(L, h);
        return;
    }
    if (h->trace) {
        /* The tracer's bookkeeping is the engine's, not the policy's: it
         * must not be refused for the policy's ceiling, nor count as the
         * policy crossing it. */
        size_t cap = h->cap;
        h->cap = 0;
        h->trace(L, ar, h->trace_ud);
        h->cap = cap;
    }
}

/* The host whose Lua runs on the thread that receives WAKE_SIGNAL. */
static struct ecp_host *signal_host;

static void on_wake_signal(int sig)
{
    struct ecp_host *h = signal_host;

    (void)sig;
    if (h && h->L && atomic_load(&h->watch_armed))
        stop_hook(h, h->L);
}

static void *watchdog_main(void *arg)
{
    struct ecp_host *h = arg;
    uint_fast64_t seen = 0;

    pthread_mutex_lock(&h->watchdog_lock);
    while (!h->watchdog_stop) {
        struct timespec until;
        long wait_ms = atomic_load(&h->watch_armed) ? WATCH_EVERY_MS : 200;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += wait_ms * 1000 * 1000;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&h->watchdog_wake, &h->watchdog_lock, &until);
        if (h->watchdog_stop || !atomic_load(&h->watch_armed))
            continue;
        uint_fast64_t seq = atomic_load(&h->call_seq);
        long long deadline = atomic_load(&h->watch_deadline_ms);
        long long now = ecp_clock_ms();
        /* Again at every look, not once: Lua can lose a hook installed
         * from a signal handler (a signal that lands inside
         * luaG_traceexec, between its reading the hook mask and counting
         * down, leaves the count hook unarmed), and a lost wake-up would
         * let a loop run on to the grace abort below. */
        if (now > deadline)
            pthread_kill(h->lua_thread, WAKE_SIGNAL);
        if (seq == seen && now > deadline + WATCHDOG_GRACE_MS) {
            static const char msg[] =
                "ecpolicy: a policy has been stuck inside a library call "
                "past its time limit; aborting the run (exit 3)\n";
            if (write(2, msg, sizeof msg - 1) < 0) {
                /* nothing more can be done */
            }
            _exit(3);
        }
        seen = seq;
    }
    pthread_mutex_unlock(&h->watchdog_lock);
    return NULL;
}

/* Without the watchdog no time limit holds (nothing else installs the
 * hook), so failing to start it is an error, not a quiet degradation. */
static int start_watchdog(struct ecp_host *h)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_wake_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(WAKE_SIGNAL, &sa, NULL) != 0)
        return -1;
    h->lua_thread = pthread_self();
    signal_host = h;
    pthread_mutex_init(&h->watchdog_lock, NULL);
    pthread_cond_init(&h->watchdog_wake, NULL);
    int rc = pthread_create(&h->watchdog, NULL, watchdog_main, h);
    if (rc != 0) {
        signal_host = NULL;
        pthread_cond_destroy(&h->watchdog_wake);
        pthread_mutex_destroy(&h->watchdog_lock);
        errno = rc;
        return -1;
    }
    h->watchdog_started = 1;
    return 0;
}

static void stop_watchdog(struct ecp_host *h)
{
    if (!h->watchdog_started)
        return;
    pthread_mutex_lock(&h->watchdog_lock);
    h->watchdog_stop = 1;
    pthread_cond_signal(&h->watchdog_wake);
    pthread_mutex_unlock(&h->watchdog_lock);
    pthread_join(h->watchdog, NULL);
    if (signal_host == h)
        signal_host = NULL;
    pthread_cond_destroy(&h->watchdog_wake);
    pthread_mutex_destroy(&h->watchdog_lock);
    h->watchdog_started = 0;
}

/* Warnings come only from the engine's own code paths (policies cannot
 * set __gc); drop them rather than print on a report stream. */
static void ignore_warning(void *ud, const char *msg, int tocont)
{
    (void)ud;
    (void)msg;
    (void)tocont;
}

static void open_library(lua_State *L, const char *name, lua_CFunction open)
{
    luaL_requiref(L, name, open, 1);
    lua_pop(L, 1);
}

/* Hide the string metatable: getmetatable("") answers false, so no policy
 * can reach the shared string library through it. */
static void protect_string_metatable(lua_State *L)
{
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static int host_setup(lua_State *L)
{
    open_library(L, LUA_GNAME, luaopen_base);
    open_library(L, LUA_TABLIBNAME, luaopen_table);
    open_library(L, LUA_STRLIBNAME, luaopen_string);
    open_library(L, LUA_MATHLIBNAME, luaopen_math);
    open_library(L, LUA_UTF8LIBNAME, luaopen_utf8);
    protect_string_metatable(L);
    ecp_ro_open(L);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, ENGINE_MODULES);
    return 0;
}

int ecp_host_open(struct ecp_host *h, struct ecp_err *err)
{
    struct ecp_call_result r;

    memset(h, 0, sizeof *h);
    h->L = lua_newstate(capped_alloc, h);
    if (!h->L)
        return ecp_err_set(err, "cannot create the Lua state");
    *(struct ecp_host **)lua_getextraspace(h->L) = h;
    lua_setwarnf(h->L, ignore_warning, NULL);
    lua_pushcfunction(h->L, host_setup);
    if (ecp_host_call(h, 0, 0, NULL, &r) != ECP_CALL_OK) {
        ecp_err_set(err, "cannot set up Lua: %s", r.message);
        ecp_host_close(h);
        return -1;
    }
    if (start_watchdog(h) != 0) {
        ecp_err_set(err, "cannot start the thread that enforces the time "
                    "limit: %s", strerror(errno));
        ecp_host_close(h);
        return -1;
    }
    return 0;
}

void ecp_host_close(struct ecp_host *h)
{
    stop_watchdog(h);
    if (h->L)
        lua_close(h->L);
    h->L = NULL;
}

/* Find the innermost stack frame that runs the current policy's file. */
static void policy_where(lua_State *L, struct ecp_host *h, char *out,
                         size_t size)
{
    lua_Debug ar;

    out[0] = '\0';
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0)
            continue;
        if (h->policy_chunk[0] && strcmp(ar.source, h->policy_chunk) != 0)
            continue;
        snprintf(out, size, "%s:%d", ar.short_src, ar.currentline);
        return;
    }
}

/*
 * The message handler: it runs where the error happened, so this is where
 * the policy's file and line are still on the stack.  Unknown-data aborts
 * pass through untouched.  [-1, +1, m]
 */
static int message_handler(lua_State *L)
{
    struct ecp_host *h = ecp_host_of(L);
    const char *msg;

    if (ecp_ro_is_unknown(L, 1))
        return 1;
    /* No __tostring: hooks may be off while a handler runs, so no code
     * of a policy's may run here. */
    msg = lua_tostring(L, 1);
    if (!msg)
        msg = lua_pushfstring(L, "(error object is a %s value)",
                              luaL_typename(L, 1));
    lua_pushstring(L, msg);
    policy_where(L, h, h->error_where, sizeof h->error_where);
    return 1;
}

static void arm(struct ecp_host *h, const struct ecp_limits *limits)
{
    /* A limit crossed in the last call is that call's: the runner has
     * dealt with it (stopped the policy, or its plans). */
    h->killed = NULL;
    h->mem_exceeded = 0;
    h->refused_once = 0;
    h->touched_missing = 0;
    h->missing_reason[0] = '\0';
    if (!limits)
        return;
    h->time_limit = limits->time_limit;
    if (limits->time_limit > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        double whole = (double)(long long)limits->time_limit;
        ts.tv_sec += (time_t)whole;
        ts.tv_nsec += (long)((limits->time_limit - whole) * 1e9);
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        h->deadline = ts;
        atomic_store(&h->watch_deadline_ms,
                     (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
        atomic_fetch_add(&h->call_seq, 1);
        atomic_store(&h->watch_armed, 1);
    }
    if (limits->memory_limit)
        h->cap = h->policy_base + limits->memory_limit;
    h->armed = 1;
}

static void disarm(struct ecp_host *h)
{
    if (!h->armed)
        return;
    h->armed = 0;
    h->cap = 0;
    atomic_store(&h->watch_armed, 0);
    lua_sethook(h->L, NULL, 0, 0);
}

enum ecp_call_status ecp_host_call(struct ecp_host *h, int nargs,
                                   int nresults,
                                   const struct ecp_limits *limits,
                                   struct ecp_call_result *r)
{
    lua_State *L = h->L;
    int base = lua_gettop(L) - nargs;
    int status;

    r->status = ECP_CALL_OK;
    r->message[0] = r->where[0] = '\0';
    h->error_where[0] = '\0';
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    if (h->trace)
        idle_hook(h, L);
    arm(h, limits);
    int capped = h->cap != 0;
    status = lua_pcall(L, nargs, nresults, base);
    disarm(h);
    if (h->trace)
        lua_sethook(L, NULL, 0, 0);
    lua_remove(L, base);
    if (status == LUA_OK && capped && h->mem_exceeded) {
        /* It caught the refusal and returned before the hook ran: it
         * still went past its memory. */
        lua_settop(L, base - 1);
        lua_pushliteral(L, "memory limit exceeded");
        status = LUA_ERRMEM;
    }
    if (status == LUA_OK)
        return ECP_CALL_OK;

    if (h->killed && strcmp(h->killed, "memory limit exceeded") == 0)
        r->status = ECP_CALL_MEMORY;
    else if (h->killed)
        r->status = ECP_CALL_TIMEOUT;
    else if (status == LUA_ERRMEM || (capped && h->mem_exceeded))
        r->status = capped ? ECP_CALL_MEMORY : ECP_CALL_ERROR;
    else if (ecp_ro_is_unknown(L, -1))
        r->status = ECP_CALL_UNKNOWN;
    else
        r->status = ECP_CALL_ERROR;

    if (r->status == ECP_CALL_UNKNOWN) {
        ecp_ro_unknown_reason(L, -1, r->message, sizeof r->message);
    } else {
        const char *msg = lua_tostring(L, -1);
        snprintf(r->message, sizeof r->message, "%s",
                 msg ? msg : "error object is not a string");
        if (r->status == ECP_CALL_MEMORY)
            snprintf(r->message, sizeof r->message, "memory limit exceeded");
    }
    snprintf(r->where, sizeof r->where, "%s", h->error_where);
    lua_pop(L, 1);
    return r->status;
}

void ecp_host_set_policy(struct ecp_host *h, const char *chunkname)
{
    snprintf(h->policy_chunk, sizeof h->policy_chunk, "%s",
             chunkname ? chunkname : "");
    h->mem_exceeded = 0;
    h->refused_once = 0;
    h->cap = 0;
    h->policy_base = h->total;
}

void ecp_host_set_trace(struct ecp_host *h, ecp_trace_fn fn, void *ud)
{
    h->trace_ud = ud;
    h->trace = fn;
}

int ecp_host_engine_module(struct ecp_host *h, const char *name,
                           struct ecp_err *err)
{
    lua_State *L = h->L;
    const struct ecp_embedded *e;
    struct ecp_call_result r;

    lua_getfield(L, LUA_REGISTRYINDEX, ENGINE_MODULES);
    if (lua_getfield(L, -1, name) == LUA_TTABLE) {
        lua_remove(L, -2);
        return 0;
    }
    lua_pop(L, 1);
    e = ecp_embedded_find(name);
    if (!e) {
        lua_pop(L, 1);
        return ecp_err_set(err, "engine module '%s' is not built in", name);
    }
    if (luaL_loadbufferx(L, e->source, e->len, e->chunkname, "t") != LUA_OK) {
        ecp_err_set(err, "%s", lua_tostring(L, -1));
        lua_pop(L, 2);
        return -1;
    }
    ecp_ro_push_engine_api(L);
    if (ecp_host_call(h, 1, 1, NULL, &r) != ECP_CALL_OK) {
        lua_pop(L, 1);
        return ecp_err_set(err, "%s", r.message);
    }
    if (!lua_istable(L, -1)) {
        lua_pop(L, 2);
        return ecp_err_set(err, "engine module '%s' returned no table", name);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, name);
    lua_remove(L, -2);
    return 0;
}

void ecp_host_bulk_load(struct ecp_host *h, int on)
{
    if (on) {
        lua_gc(h->L, LUA_GCSTOP);
    } else {
        lua_gc(h->L, LUA_GCRESTART);
        lua_gc(h->L, LUA_GCGEN, 0, 0);
    }
}
