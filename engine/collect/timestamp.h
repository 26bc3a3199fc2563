#ifndef ECP_COLLECT_TIMESTAMP_H
#define ECP_COLLECT_TIMESTAMP_H

#include <stdint.h>

/*
 * AWS timestamps, whichever way they were printed, turned into one form:
 * "YYYY-MM-DDTHH:MM:SS.fffZ" in UTC (".fff" only when the input had a
 * fraction of a second).  Pure arithmetic on the civil calendar: nothing
 * here reads the locale, TZ or the clock.
 */

/* Room for the canonical form and its NUL. */
#define ECP_TIMESTAMP_SIZE 25

struct ecp_timestamp {
    int64_t epoch;    /* seconds since 1970-01-01T00:00:00Z */
    int millis;       /* 0..999, truncated from the input's fraction */
    int has_millis;   /* the input had a fraction: print ".fff" */
};

/*
 * Parse text as an AWS timestamp:
 *   "2015-02-02T01:21:46.607Z"           AWS CLI v1, the API's own form
 *   "2015-02-02T01:21:46.607000+00:00"   AWS CLI v2 (any offset: +HH:MM,
 *                                         +HHMM, +HH; "T" may be " ")
 *   "2015-02-02T01:21:46Z"               without a fraction
 *   "1422840106" or "1422840106.607"     epoch seconds
 * Years 0000 to 9999, after applying the offset.  Returns 0, or -1 with *why
 * set to a static reason ("no such day in that month") when why is not
 * NULL.
 */
int ecp_timestamp_parse(const char *text, struct ecp_timestamp *ts,
                        const char **why);

/* The same for a JSON number of epoch seconds.  Doubles carry about
 * microseconds at today's epochs, so the fraction is first rounded to
 * microseconds, then truncated to milliseconds (1422840106.607 stays .607
 * although the double is a hair below it). */
int ecp_timestamp_from_seconds(double seconds, struct ecp_timestamp *ts,
                               const char **why);

/* Write the canonical form into out (ECP_TIMESTAMP_SIZE bytes). */
void ecp_timestamp_format(const struct ecp_timestamp *ts,
                          char out[ECP_TIMESTAMP_SIZE]);

/* Parse and format in one step: 0 and the canonical form in out, or -1. */
int ecp_timestamp_normalize(const char *text, char out[ECP_TIMESTAMP_SIZE],
                            const char **why);

#endif
