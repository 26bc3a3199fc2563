#ifndef ECP_LUA_CONVERT_H
#define ECP_LUA_CONVERT_H

#include <stddef.h>

#include <cJSON.h>
#include <lua.h>

/*
 * Between JSON (cJSON trees) and Lua values.
 *
 * To Lua: objects become tables with string keys, arrays become sequences,
 * integral numbers become integers, null members are left out.
 *
 * From Lua (evidence and other values policies hand back): only raw reads,
 * so no metamethod of a policy's runs outside its budget; proxies are read
 * through; sequences become arrays and other tables objects with their keys
 * sorted (the output is the same from run to run); strings are made valid
 * UTF-8; functions and other non-data values become a short description.
 */

/* Push the Lua value of item. [-0, +1, m] */
void ecp_json_to_lua(lua_State *L, const cJSON *item);

/* A new cJSON tree for the value at idx (caller owns it). */
cJSON *ecp_lua_to_json(lua_State *L, int idx);

/* The same, but a value that is not data (a function, a NaN, a boolean
 * key, a table that holds itself) is refused: NULL, and why says where it
 * is, as a path from the value: "[2].port is not a finite number". */
cJSON *ecp_lua_to_json_strict(lua_State *L, int idx, char *why,
                              size_t size);

/* A copy of s that is valid UTF-8 (invalid bytes and NULs become
 * U+FFFD); free() it. */
char *ecp_utf8_clean(const char *s, size_t len);

/* Is s valid UTF-8 without NULs? */
int ecp_utf8_valid(const char *s, size_t len);

#endif
