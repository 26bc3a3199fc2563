#ifndef ECP_UTIL_MEM_H
#define ECP_UTIL_MEM_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Allocation that cannot fail: on exhaustion they print one line and exit
 * with status 2.  Used for the engine's own bookkeeping; the Lua state has
 * its own capped allocator (lua/host.c).
 */
void *ecp_malloc(size_t n);
void *ecp_calloc(size_t n, size_t size);
void *ecp_realloc(void *p, size_t n);
char *ecp_strdup(const char *s);
char *ecp_strndup(const char *s, size_t n);
/* printf into a fresh string. */
char *ecp_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *ecp_vasprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

#endif
