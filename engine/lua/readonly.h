#ifndef ECP_LUA_READONLY_H
#define ECP_LUA_READONLY_H

#include <stddef.h>

#include <lua.h>

/*
 * Read-only views of the inventory, and the "missing data" signal.
 *
 * The model is built once, as ordinary tables that only the engine holds.
 * A policy is handed proxies: empty tables whose shared metatable reads
 * through to the real table and wraps every table it returns, so anything
 * reachable from a proxy is a proxy.  Writes raise.  The real table sits
 * in the proxy under a light-userdata key, which no policy can name; the
 * sandbox has no rawget, and its next/pairs read through.  A weak cache
 * maps each real table to its live proxy, so t.x == t.x holds.
 *
 * A field whose data was not collected holds a missing marker.  Reading it
 * through a proxy raises an "unknown" error object and records, in the
 * host, that the running call touched missing data (a pass it returns
 * becomes unknown even if a pcall caught the error).
 */

/* Create the metatables and caches; called once by the host. */
void ecp_ro_open(lua_State *L);

/* Push a proxy for the value at idx (non-tables are pushed as they are;
 * proxies stay themselves). [-0, +1, m] */
void ecp_ro_wrap(lua_State *L, int idx);

/* Push the real table behind a proxy, or the value itself. [-0, +1, -] */
void ecp_ro_unwrap(lua_State *L, int idx);

int ecp_ro_is_proxy(lua_State *L, int idx);

/* Push a new missing marker with that reason. [-0, +1, m] */
void ecp_ro_push_missing(lua_State *L, const char *reason);
int ecp_ro_is_missing(lua_State *L, int idx);

/* Raise the unknown error object, marking the host. [-0, +0, v] */
int ecp_ro_raise_unknown(lua_State *L, const char *reason);
int ecp_ro_is_unknown(lua_State *L, int idx);
/* Copy the reason of the unknown object at idx into out. */
void ecp_ro_unknown_reason(lua_State *L, int idx, char *out, size_t size);

/* Push the sandbox's next(): it reads through proxies. [-0, +1, m] */
void ecp_ro_push_next(lua_State *L);

/* Push the table of privileged functions for the engine's own Lua:
 * wrap, unwrap, missing, is_missing, unknown, available. [-0, +1, m] */
void ecp_ro_push_engine_api(lua_State *L);

/* available(t, key): can t[key] be read without touching missing data?
 * For the policy context. */
int ecp_ro_available(lua_State *L);

/* key(t): a value that stands for the inventory record behind t for the
 * whole run (views may be re-created; this does not change), usable as a
 * table key.  A value that is not a view is its own key. */
int ecp_ro_key(lua_State *L);

#endif
