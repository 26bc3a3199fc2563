#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

static void *check(void *p)
{
    if (!p) {
        fputs("ecpolicy: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

void *ecp_malloc(size_t n)
{
    return check(malloc(n ? n : 1));
}

void *ecp_calloc(size_t n, size_t size)
{
    return check(calloc(n ? n : 1, size ? size : 1));
}

void *ecp_realloc(void *p, size_t n)
{
    return check(realloc(p, n ? n : 1));
}

char *ecp_strdup(const char *s)
{
    return ecp_strndup(s, strlen(s));
}

char *ecp_strndup(const char *s, size_t n)
{
    char *d = ecp_malloc(n + 1);

    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *ecp_vasprintf(const char *fmt, va_list ap)
{
    va_list again;
    int n;
    char *s;

    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0) {
        va_end(again);
        return ecp_strdup("");
    }
    s = ecp_malloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

char *ecp_asprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = ecp_vasprintf(fmt, ap);
    va_end(ap);
    return s;
}
