#ifndef ECP_LUA_HOST_H
#define ECP_LUA_HOST_H

#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <time.h>

#include <lua.h>

#include "util/err.h"

/* An observer of the Lua code that runs (ecpolicy test's coverage): handed
 * the line and call events of every call made through ecp_host_call while
 * it is set.  It runs inside the hook, so it must be quick; what it
 * allocates in the state is not held against the policy's memory limit. */
typedef void (*ecp_trace_fn)(lua_State *L, lua_Debug *ar, void *ud);

/*
 * The Lua host: one lua_State for the whole run, holding the inventory
 * model (built once) and every policy's sandbox.  It owns the limits that
 * keep untrusted policy code in check:
 *
 *   - a capped allocator: while a limit is armed, the state may not grow
 *     past cap bytes; the refusal is sticky, so pcall cannot shrug it off;
 *   - a deadline: a watchdog thread notices it has passed and has a hook
 *     installed that raises on every instruction, so pcall inside a
 *     policy cannot swallow the timeout (no hook runs before that, so
 *     policies run at full speed);
 *   - and for the one thing hooks cannot stop, a library call written in C
 *     that runs for ever (a pathological string pattern), the watchdog
 *     ends the process.
 *
 * Every call into Lua goes through ecp_host_call, which inserts the message
 * handler, arms the limits, and classifies what came back.
 */

enum ecp_call_status {
    ECP_CALL_OK = 0,
    ECP_CALL_ERROR,     /* a Lua error; message and where are set */
    ECP_CALL_UNKNOWN,   /* the call aborted on missing data; message = why */
    ECP_CALL_TIMEOUT,   /* the time limit was reached */
    ECP_CALL_MEMORY     /* the memory limit was reached */
};

struct ecp_call_result {
    enum ecp_call_status status;
    char message[1024];
    char where[512];    /* "policies/x.lua:12", the innermost policy frame */
};

struct ecp_limits {
    double time_limit;      /* seconds one call may take; 0 = no limit */
    size_t memory_limit;    /* bytes the state may grow by; 0 = no limit */
};

struct ecp_host {
    lua_State *L;

    /* allocator accounting (bytes) */
    size_t total;
    size_t peak;
    size_t cap;             /* absolute ceiling while armed, 0 = none */
    size_t policy_base;     /* total when the current policy started */
    int mem_exceeded;       /* sticky until disarmed */
    const void *refused_ptr;
    size_t refused_size;
    int refused_once;

    /* time budget */
    int armed;
    struct timespec deadline;
    const char *killed;     /* why the running call is being stopped */
    double time_limit;

    /* missing data touched by the running call (see readonly.h) */
    int touched_missing;
    char missing_reason[512];

    /* the tracer, if any (ecp_host_set_trace) */
    ecp_trace_fn trace;
    void *trace_ud;

    /* the chunk name of the policy being run, to find its frame, and
     * where the last error was raised in it */
    char policy_chunk[512];
    char error_where[512];

    /* watchdog: the thread aborts the process if one armed call outlives
     * its deadline by the grace period (stuck inside a C function) */
    atomic_uint_fast64_t call_seq;
    atomic_int watch_armed;
    atomic_llong watch_deadline_ms;
    int watchdog_started;
    int watchdog_stop;      /* under watchdog_lock */
    pthread_t watchdog;
    pthread_t lua_thread;   /* where WAKE_SIGNAL goes */
    pthread_mutex_t watchdog_lock;
    pthread_cond_t watchdog_wake;
};

/* Create the state: base, table, string, math and utf8 libraries only, the
 * string metatable protected, the read-only proxy machinery, and the
 * privileged "ecp" table for the engine's own Lua. */
int ecp_host_open(struct ecp_host *h, struct ecp_err *err);
void ecp_host_close(struct ecp_host *h);

/* The host of a state (kept in the state's extra space). */
struct ecp_host *ecp_host_of(lua_State *L);

/*
 * Call the function below nargs arguments on the stack, as lua_pcall does,
 * with the limits armed (NULL: none).  On ECP_CALL_OK the results are on
 * the stack; otherwise nothing is, and r says what happened.
 * [-(nargs+1), +(nresults|0), -]
 */
enum ecp_call_status ecp_host_call(struct ecp_host *h, int nargs,
                                   int nresults,
                                   const struct ecp_limits *limits,
                                   struct ecp_call_result *r);

/* Limits for a whole policy: the memory ceiling is measured from now. */
void ecp_host_set_policy(struct ecp_host *h, const char *chunkname);

/* Set the tracer (NULL: none) for the calls that follow.  The limits
 * work as before: they and the tracer share one hook function. */
void ecp_host_set_trace(struct ecp_host *h, ecp_trace_fn fn, void *ud);

/* Push the module table of one of the engine's embedded Lua files
 * (engine/lua/<name>.lua), loading it on first use. [-0, +1, -] */
int ecp_host_engine_module(struct ecp_host *h, const char *name,
                           struct ecp_err *err);

/* Stop the collector while bulk-loading the inventory, then switch to
 * generational mode for the many small, short-lived objects of checks. */
void ecp_host_bulk_load(struct ecp_host *h, int on);

#endif
