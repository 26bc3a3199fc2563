#include <stdlib.h>
#include <string.h>

#include "aws/creds.h"
#include "util/mem.h"

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
