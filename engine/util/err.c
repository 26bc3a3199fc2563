#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"

int ecp_err_set(struct ecp_err *err, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return -1;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int ecp_err_at(struct ecp_err *err, const char *file, const char *place,
               const char *fmt, ...)
{
    char what[sizeof err->msg];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ecp_err_set(err, "%s: %s: %s", file, place, what);
}

int ecp_err_prefix(struct ecp_err *err, const char *fmt, ...)
{
    char old[sizeof err->msg];
    va_list ap;
    size_t n;

    if (!err)
        return -1;
    memcpy(old, err->msg, sizeof old);
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    n = strlen(err->msg);
    if (n + 2 < sizeof err->msg) {
        memcpy(err->msg + n, ": ", 2);
        n += 2;
        size_t room = sizeof err->msg - n - 1, len = strlen(old);
        if (len > room)
            len = room;
        memcpy(err->msg + n, old, len);
        err->msg[n + len] = '\0';
    }
    return -1;
}
