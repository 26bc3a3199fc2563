#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

static void reserve(struct ecp_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;

    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = ecp_realloc(b->data, cap);
    b->cap = cap;
}

void ecp_buf_add(struct ecp_buf *b, const void *p, size_t n)
{
    reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ecp_buf_adds(struct ecp_buf *b, const char *s)
{
    ecp_buf_add(b, s, strlen(s));
}

void ecp_buf_addc(struct ecp_buf *b, char c)
{
    ecp_buf_add(b, &c, 1);
}

void ecp_buf_printf(struct ecp_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *ecp_buf_take(struct ecp_buf *b)
{
    char *s = b->data ? b->data : ecp_strdup("");

    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void ecp_buf_free(struct ecp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
