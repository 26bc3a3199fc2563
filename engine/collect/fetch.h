#ifndef ECP_COLLECT_FETCH_H
#define ECP_COLLECT_FETCH_H

#include <stdio.h>

#include "aws/config.h"
#include "aws/creds.h"
#include "collect/inventory.h"
#include "util/err.h"

/*
 * Live collection: every page of every API the model reads, in every
 * region, all at once (bounded by max_parallel), into the same raw
 * inventory that snapshots and saved AWS CLI output give.  Each (region,
 * collection) ends ok or with the reason it is not (access denied,
 * throttled after the retries, timed out, malformed reply, other error);
 * one failure never stops the others.
 */

struct ecp_fetch_options {
    const struct ecp_aws_config *config;    /* regions, endpoints, retries,
                                             * CA bundle */
    const struct ecp_creds *creds;
    int all_regions;            /* every enabled region (DescribeRegions) */
    /* Collections to fetch (the union of the policies' needs); NULL: all.
     * Prefix-list entries bring in the security groups they come from. */
    const unsigned char *needed;
    int max_parallel;           /* 0: 64; each region and service at
                                 * most ECP_AWS_PER_LANE of them */
    long connect_timeout_ms;    /* 0: the transport's default */
    long request_timeout_ms;
    FILE *log;                  /* -v: a line per call; NULL: none */
    int progress;               /* a progress line on stderr */
};

/* Fill inv (zeroed by the caller) from AWS.  Returns 0 even when some
 * collections failed (their status says so); -1 with err only when
 * nothing could be attempted (no region, DescribeRegions failed with
 * --all-regions, a transport that cannot start). */
int ecp_fetch(const struct ecp_fetch_options *o, struct ecp_inventory *inv,
              struct ecp_err *err);

#endif
