#ifndef ECP_UTIL_ERR_H
#define ECP_UTIL_ERR_H

/*
 * One error message, filled in by whoever found the problem and printed
 * once by the command that gave up.  Messages name the file, then where in
 * it, then what was wrong: "snap/us-east-1/describe-vpcs.json: $.Vpcs[2].
 * VpcId: expected a string, got a number".  They never hold secrets.
 */
struct ecp_err {
    char msg[1024];
};

/* Replace the message (printf format).  Always returns -1, so callers can
 * write "return ecp_err_set(err, ...);". */
int ecp_err_set(struct ecp_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "FILE: PLACE: what": the form of a message about a place in an input
 * file (a JSON path, a field of a test file).  Returns -1. */
int ecp_err_at(struct ecp_err *err, const char *file, const char *place,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Put "prefix: " in front of the current message. */
int ecp_err_prefix(struct ecp_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
