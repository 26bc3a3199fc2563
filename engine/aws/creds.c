#include <stdlib.h>
#include <string.h>

#include "aws/creds.h"
#include "util/mem.h"

static char *dup_or_null(const char *s)
{
    return s ? ecp_strdup(s) : NULL;
}

void ecp_creds_copy(struct ecp_creds *dst, const struct ecp_creds *src)
{
    dst->access_key_id = dup_or_null(src->access_key_id);
    dst->secret_access_key = dup_or_null(src->secret_access_key);
    dst->session_token = dup_or_null(src->session_token);
    dst->source = dup_or_null(src->source);
    dst->expiration = src->expiration;
}

/* Overwrite through a volatile pointer, so the compiler cannot drop the
 * stores as dead before free(). */
static void wipe(char *s)
{
    if (!s)
        return;
    for (volatile char *p = s; *p; p++)
        *p = 0;
    free(s);
}

void ecp_creds_clear(struct ecp_creds *c)
{
    free(c->access_key_id);
    wipe(c->secret_access_key);
    wipe(c->session_token);
    free(c->source);
    memset(c, 0, sizeof *c);
}
