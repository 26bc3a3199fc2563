#ifndef ECP_AWS_CREDS_H
#define ECP_AWS_CREDS_H

#include <time.h>

/*
 * One set of AWS credentials and where it came from.  The secret key and
 * the session token are never printed, logged or written anywhere: only
 * the access key id (which AWS treats as an identifier) and the source may
 * appear in messages.
 */
struct ecp_creds {
    char *access_key_id;
    char *secret_access_key;
    char *session_token;    /* NULL for long-term keys */
    char *source;           /* human words: "environment variables",
                             * "profile 'prod' (~/.aws/credentials)", ... */
    time_t expiration;      /* 0: does not expire */
};


/* Wipe the secrets from memory and free everything; dst becomes empty. */
void ecp_creds_clear(struct ecp_creds *c);

#endif
