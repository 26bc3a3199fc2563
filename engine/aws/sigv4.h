#ifndef ECP_AWS_SIGV4_H
#define ECP_AWS_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "aws/creds.h"
#include "util/err.h"

/*
 * AWS Signature Version 4 for the Authorization header (not presigned
 * URLs), as botocore and the AWS test suite do it; tests/data/sigv4 holds
 * that suite.  Nothing here touches the network or the clock, except
 * ecp_sigv4_now.
 */

/* One request, exactly as it will be sent.  Everything is borrowed from
 * the caller and only read. */
struct ecp_sigv4_request {
    const char *method;     /* "POST" */
    const char *path;       /* "/": the path of the request line */
    /* Raw, after '?'; "" or NULL for none (Query and EC2 POSTs have none:
     * their parameters are in the body).  Each key and value is decoded
     * ('+' as a space, as form data) and encoded again, then they are
     * sorted, so "%7e", "~" and "%7E" sign alike.  A '%' without two hex
     * digits is an error. */
    const char *query;
    /* "Name: value" strings, NULL-terminated, as they will be sent:
     * Host (with ":port" when the port is not the default), X-Amz-Date,
     * X-Amz-Security-Token when the credentials carry a session token,
     * and whatever else should be signed (Content-Type).  Every header is
     * signed except Authorization and the ones proxies may change
     * (User-Agent, Connection, Expect, Transfer-Encoding, ...), which are
     * skipped as botocore skips them.  Obsolete line folding is not
     * accepted: a value must not hold CR or LF. */
    const char *const *headers;
    const void *body;       /* the exact bytes sent; NULL when body_len 0 */
    size_t body_len;
};

struct ecp_sigv4_params {
    const char *region;     /* "us-east-1" */
    const char *service;    /* "elasticache", "ec2", "sts" */
    const char *amz_date;   /* "20150830T123600Z": the X-Amz-Date value */
    const struct ecp_creds *creds;
    /* 1 for every service but S3: remove "." and ".." segments and empty
     * segments from the path, then encode it once more (AWS's double
     * encoding, so "%20" is signed as "%2520").  0 (S3): the path is
     * signed exactly as given. */
    int normalize_path;
};

/* Freshly allocated strings, owned by the result; free them with
 * ecp_sigv4_result_free.  None holds the secret key.  canonical_request
 * holds the session token when the request carries one (AWS defines it so):
 * treat it like the token and never print or log it.  The others hold no
 * secret. */
struct ecp_sigv4_result {
    char *canonical_request;
    char *string_to_sign;
    char *signed_headers;   /* "content-type;host;x-amz-date" */
    char *authorization;    /* the whole Authorization header value */
};

/*
 * Sign a request.  Returns 0 and fills *res, or -1 with err set and *res
 * empty (ecp_sigv4_result_free on it is harmless).  The request is checked
 * against the parameters: Host and X-Amz-Date must be there, X-Amz-Date
 * must be params->amz_date, and X-Amz-Security-Token must be there and be
 * the session token exactly when the credentials carry one.  Error messages
 * name headers, never their values, and credentials by their source.  The
 * secret key is only used as HMAC key material; every buffer derived from
 * it is wiped before it is freed.
 */
int ecp_sigv4_sign(const struct ecp_sigv4_request *req,
                   const struct ecp_sigv4_params *params,
                   struct ecp_sigv4_result *res, struct ecp_err *err);

/* Wipe and free the strings of a result; it becomes empty. */
void ecp_sigv4_result_free(struct ecp_sigv4_result *res);

/* Room for an X-Amz-Date value and its NUL. */
#define ECP_SIGV4_DATE_SIZE 17

/* Format a time as an X-Amz-Date value ("YYYYMMDDTHHMMSSZ", UTC).  Pass
 * time(NULL) plus any clock-skew correction.  Returns 0, or -1 (out is
 * then "") for a time outside years 0000-9999. */
int ecp_sigv4_format_time(time_t when, char out[ECP_SIGV4_DATE_SIZE]);

/* ecp_sigv4_format_time(time(NULL), out). */
int ecp_sigv4_now(char out[ECP_SIGV4_DATE_SIZE]);

#endif
