#ifndef ECP_LUA_SANDBOX_H
#define ECP_LUA_SANDBOX_H

#include <lua.h>

#include "util/err.h"

/*
 * Policy environments.  Each policy file gets a fresh table of globals
 * built from an allow-list (docs/policy-api.md, "The environment"): safe
 * base functions, private copies of string/table/math/utf8, and a require
 * that only finds stdlib modules.  Each module a policy requires gets an
 * environment of its own, but modules are shared within one policy, so a
 * policy and its modules agree on one copy of each.  Reading an undefined
 * global raises, which catches typos in policies.
 */

/* Push a new policy environment.  module_dirs: NULL-terminated list of
 * folders searched by require ("net" -> DIR/net.lua, "a.b" -> DIR/a/b.lua);
 * label: what print() prefixes its output with. [-0, +1, m] */
void ecp_sandbox_new(lua_State *L, const char *const *module_dirs,
                     const char *label);

/* Load a file as a text chunk (never bytecode) whose _ENV is the table at
 * env_idx, and push the function.  chunkname is "@path" for messages.
 * [-0, +1|0, m] */
int ecp_sandbox_loadfile(lua_State *L, const char *path, int env_idx,
                         struct ecp_err *err);

/* The same, from a string in memory. */
int ecp_sandbox_loadstring(lua_State *L, const char *src, size_t len,
                           const char *chunkname, int env_idx,
                           struct ecp_err *err);

#endif
