#ifndef ECP_AWS_STS_H
#define ECP_AWS_STS_H

#include <stdio.h>

#include "aws/config.h"
#include "aws/credentials.h"

/*
 * STS for the credential chain: AssumeRole (signed with the source
 * credentials) and AssumeRoleWithWebIdentity (unsigned), each one call
 * run to its end on a transport of its own, with the configured endpoint,
 * retries and CA bundle.
 */
struct ecp_sts {
    const struct ecp_aws_config *config;
    long connect_timeout_ms;    /* 0: the transport's default */
    long request_timeout_ms;
    FILE *log;                  /* -v: one line per call; NULL: none */
};

/* The ops for ecp_creds_options.sts; sts must outlive them. */
void ecp_sts_ops_init(struct ecp_sts_ops *ops, struct ecp_sts *sts);

#endif
