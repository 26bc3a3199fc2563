#ifndef ECP_AWS_METADATA_H
#define ECP_AWS_METADATA_H

#include "aws/creds.h"
#include "util/err.h"

/*
 * Credentials that come from outside the files: the EC2 instance metadata
 * service (IMDSv2), a container credentials endpoint (ECS, EKS Pod
 * Identity, CodeBuild), and a profile's credential_process.
 *
 * The HTTP calls use libcurl's easy interface with short timeouts, no
 * proxy (these are link-local or loopback addresses), http and https only,
 * and never follow a redirect.  Replies are read up to 64 KiB.  No message
 * holds a reply body, a token or a secret: only statuses, field names and
 * transport errors.
 *
 * On success *out holds fresh strings the caller owns (ecp_creds_clear).
 * The functions do not judge expiry: the caller compares
 * out->expiration with its clock.
 */

#define ECP_IMDS_ENDPOINT "http://169.254.169.254/"
#define ECP_IMDS_ENDPOINT_IPV6 "http://[fd00:ec2::254]/"
#define ECP_CONTAINER_ENDPOINT "http://169.254.170.2"

struct ecp_imds_options {
    const char *endpoint;   /* base URL; NULL: ECP_IMDS_ENDPOINT */
    long timeout_ms;        /* per request; 0: 1000 */
    int attempts;           /* per request; 0: 1 */
};

/*
 * IMDSv2: PUT latest/api/token, then GET latest/meta-data/iam/security-
 * credentials/ (the role name) and GET .../ROLE (the credentials, which
 * must hold AccessKeyId, SecretAccessKey, Token and Expiration).
 * Returns 0 with *out filled (its source names the role); 1 when the
 * service gave no credentials, with the reason in err ("no answer within
 * 1 s", "the token request answered HTTP 403", "no role is attached");
 * -1 when the endpoint is not an http(s) URL.  ecpolicy does not fall
 * back to IMDSv1.
 */
int ecp_imds_credentials(const struct ecp_imds_options *o,
                         struct ecp_creds *out, struct ecp_err *err);

struct ecp_container_options {
    const char *url;            /* the full URL */
    const char *authorization;  /* the Authorization header, or NULL */
    const char *ca_bundle;      /* for an https URL; NULL: system store */
    long timeout_ms;            /* per attempt; 0: 2000 */
    int attempts;               /* 0: 3 */
    long pause_ms;              /* between attempts; 0: 1000 */
};

/*
 * GET the container credentials endpoint (Accept: application/json) and
 * read {AccessKeyId, SecretAccessKey, Token, Expiration}.  Transport
 * errors, 429 and 5xx are retried.  Returns 0, or -1 with err saying what
 * failed (never naming the URL's path or query, which may be a
 * capability).  Does not check the URL: see ecp_container_url_allowed.
 */
int ecp_container_credentials(const struct ecp_container_options *o,
                              struct ecp_creds *out, struct ecp_err *err);

/*
 * botocore's rule for AWS_CONTAINER_CREDENTIALS_FULL_URI: any https URL;
 * http only to a loopback address or to 169.254.170.2, 169.254.170.23,
 * fd00:ec2::23 or localhost.  Returns 0, or -1 with err saying why not.
 */
int ecp_container_url_allowed(const char *url, struct ecp_err *err);

/*
 * Run a credential_process command: split into words like a shell would
 * (no shell runs it; PATH is searched for the first word), stdin and
 * stderr shared with ecpolicy (so the helper can prompt and its errors
 * show), stdout read as JSON {"Version": 1, "AccessKeyId",
 * "SecretAccessKey", "SessionToken"?, "Expiration"?}.  The command is
 * killed if it runs past timeout_ms (0: 2 minutes) or prints more than
 * 64 KiB.  Returns 0, or -1 with err saying what went wrong: the exit
 * status, the signal, bad JSON, a Version other than 1, a missing member.
 * Messages name only the program (the first word), never the arguments or
 * anything it printed.
 */
int ecp_process_credentials(const char *command, long timeout_ms,
                            struct ecp_creds *out, struct ecp_err *err);

#endif
