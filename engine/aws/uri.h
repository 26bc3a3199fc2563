#ifndef ECP_AWS_URI_H
#define ECP_AWS_URI_H

#include <stddef.h>

#include "util/buf.h"

/*
 * Percent-encoding as AWS Signature Version 4 defines it (RFC 3986 with
 * the unreserved set): A-Z a-z 0-9 '-' '_' '.' '~' stay as they are, every
 * other byte becomes "%XX" in uppercase hex.  A space is "%20", never '+'.
 * The same encoding serves the canonical request and the form bodies of the
 * Query and EC2 protocols, so what is signed is what is sent.
 */

/* ecp_uri_encode: leave '/' as it is (for paths). */
#define ECP_URI_KEEP_SLASH 1
/* ecp_uri_decode: '+' means a space (form and query-string data). */
#define ECP_URI_PLUS_SPACE 2

/* Append the encoding of the len bytes at s to out.  s may hold any bytes,
 * NUL included; out stays NUL-terminated.  flags: 0 or ECP_URI_KEEP_SLASH. */
void ecp_uri_encode(struct ecp_buf *out, const void *s, size_t len,
                    int flags);

/* Append the decoding of the len bytes at s to out: "%XX" (hex in either
 * case) becomes its byte, which may be NUL (use out->len, not strlen).
 * flags: 0 or ECP_URI_PLUS_SPACE.  Returns 0, or -1 when a '%' is not
 * followed by two hex digits; then *bad (when not NULL) is the offset of
 * that '%' in s, and out holds what was decoded before it. */
int ecp_uri_decode(struct ecp_buf *out, const char *s, size_t len, int flags,
                   size_t *bad);

/* Append one "key=value" pair to a Query/EC2 form body (Content-Type
 * application/x-www-form-urlencoded), with '&' before it unless body is
 * empty.  Both are encoded by ecp_uri_encode, '/' included.  Pairs stay in
 * the order of the calls: the caller adds Action and Version first.  An
 * empty value gives "key=". */
void ecp_form_add(struct ecp_buf *body, const char *key, const char *value);

#endif
