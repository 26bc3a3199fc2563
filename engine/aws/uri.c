#include <string.h>

#include "aws/uri.h"

static int is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
           c == '~';
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

void ecp_uri_encode(struct ecp_buf *out, const void *s, size_t len,
                    int flags)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = s;
    size_t start = 0;

    /* Runs of kept bytes are copied in one go. */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        char esc[3];

        if (is_unreserved(c) || (c == '/' && (flags & ECP_URI_KEEP_SLASH)))
            continue;
        ecp_buf_add(out, p + start, i - start);
        esc[0] = '%';
        esc[1] = hex[c >> 4];
        esc[2] = hex[c & 15];
        ecp_buf_add(out, esc, 3);
        start = i + 1;
    }
    ecp_buf_add(out, p + start, len - start);
}

int ecp_uri_decode(struct ecp_buf *out, const char *s, size_t len, int flags,
                   size_t *bad)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '%') {
            int hi = len - i >= 3 ? hex_value((unsigned char)s[i + 1]) : -1;
            int lo = len - i >= 3 ? hex_value((unsigned char)s[i + 2]) : -1;

            if (hi < 0 || lo < 0) {
                if (bad)
                    *bad = i;
                return -1;
            }
            ecp_buf_addc(out, (char)(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && (flags & ECP_URI_PLUS_SPACE)) {
            ecp_buf_addc(out, ' ');
        } else {
            ecp_buf_addc(out, (char)c);
        }
    }
    return 0;
}

void ecp_form_add(struct ecp_buf *body, const char *key, const char *value)
{
    if (body->len)
        ecp_buf_addc(body, '&');
    ecp_uri_encode(body, key, strlen(key), 0);
    ecp_buf_addc(body, '=');
    ecp_uri_encode(body, value, strlen(value), 0);
}
