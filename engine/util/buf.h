#ifndef ECP_UTIL_BUF_H
#define ECP_UTIL_BUF_H

#include <stddef.h>

/*
 * A growable byte string, always NUL-terminated.  A zeroed struct is an
 * empty buffer; ecp_buf_free returns it to that state.
 */
struct ecp_buf {
    char *data;
    size_t len;
    size_t cap;
};

void ecp_buf_add(struct ecp_buf *b, const void *p, size_t n);
void ecp_buf_adds(struct ecp_buf *b, const char *s);
void ecp_buf_addc(struct ecp_buf *b, char c);
void ecp_buf_printf(struct ecp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hand the string to the caller (free() it); the buffer becomes empty. */
char *ecp_buf_take(struct ecp_buf *b);
void ecp_buf_free(struct ecp_buf *b);

#endif
