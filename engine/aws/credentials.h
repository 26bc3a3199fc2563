#ifndef ECP_AWS_CREDENTIALS_H
#define ECP_AWS_CREDENTIALS_H

#include <time.h>

#include "aws/config.h"
#include "aws/creds.h"
#include "util/err.h"

/*
 * The credential chain, in the AWS CLI's order:
 *
 *   1. environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 *      AWS_SESSION_TOKEN (or the legacy AWS_SECURITY_TOKEN),
 *      AWS_CREDENTIAL_EXPIRATION; skipped when --profile named a profile
 *   2. the profile:
 *        role_arn with source_profile (chains of any length, loops
 *        refused) or credential_source (Environment, Ec2InstanceMetadata,
 *        EcsContainer), with external_id, role_session_name (default
 *        "ecpolicy-<epoch>") and duration_seconds: STS AssumeRole;
 *        web_identity_token_file + role_arn: AssumeRoleWithWebIdentity;
 *        static keys in the credentials file; credential_process; static
 *        keys in the config file (botocore's order)
 *   3. web identity from the environment: AWS_WEB_IDENTITY_TOKEN_FILE,
 *      AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME (skipped with --profile)
 *   4. container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
 *      _FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or
 *      AWS_CONTAINER_AUTHORIZATION_TOKEN
 *   5. EC2 instance metadata, IMDSv2: AWS_EC2_METADATA_DISABLED,
 *      AWS_EC2_METADATA_SERVICE_ENDPOINT (_MODE), AWS_METADATA_SERVICE_
 *      TIMEOUT (default 1 s), AWS_METADATA_SERVICE_NUM_ATTEMPTS (default 1),
 *      or the same keys in the profile
 *
 * The first step that has credentials gives them; a step that is set up
 * but broken (a bad credential_process, a role without a source) is an
 * error, not a reason to try the next one.  SSO profiles are not read:
 * the error says how to bridge them with credential_process.
 */

/*
 * STS, as the chain needs it.  The signing, HTTP and XML live elsewhere;
 * whoever builds the chain passes these in.  Each call fills *out with
 * fresh strings (the chain replaces out->source) and returns 0, or
 * returns -1 with err set (never quoting a secret).
 *
 * assume_role signs with source; external_id may be NULL and
 * duration_seconds 0 (the STS default).  assume_role_with_web_identity is
 * unsigned.  region is the region whose STS endpoint to call.
 */
struct ecp_sts_ops {
    int (*assume_role)(void *ud, const struct ecp_creds *source,
                       const char *region, const char *role_arn,
                       const char *session_name, const char *external_id,
                       int duration_seconds, struct ecp_creds *out,
                       struct ecp_err *err);
    int (*assume_role_with_web_identity)(void *ud, const char *region,
                                         const char *role_arn,
                                         const char *session_name,
                                         const char *token,
                                         struct ecp_creds *out,
                                         struct ecp_err *err);
    void *ud;
};

struct ecp_creds_options {
    const struct ecp_aws_config *config;   /* required: the profile, its
                                            * files; its first region (or
                                            * us-east-1) is where STS is
                                            * called */
    const struct ecp_env *env;             /* NULL: the process
                                            * environment */
    const struct ecp_sts_ops *sts;         /* NULL: roles and web identity
                                            * are errors */
    time_t now;                            /* 0: time(NULL) */
    long process_timeout_ms;               /* credential_process; 0: 2 min */
    long container_pause_ms;               /* between container attempts;
                                            * 0: 1 s */
    const char *container_endpoint;        /* what the RELATIVE_URI is
                                            * relative to; NULL:
                                            * http://169.254.170.2 (tests
                                            * point it at 127.0.0.1) */
};

/*
 * Find credentials.  Returns 0 with *out filled (fresh strings: the caller
 * owns them and calls ecp_creds_clear; out->source says where they came
 * from), or -1 with err set and *out empty.  When no step has credentials
 * the message lists every place looked at, in order, and says how to run
 * offline ("ecpolicy run --snapshot PATH").  Credentials whose Expiration
 * has passed are an error naming their source.
 */
int ecp_credentials_resolve(const struct ecp_creds_options *o,
                            struct ecp_creds *out, struct ecp_err *err);

#endif
