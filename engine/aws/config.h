#ifndef ECP_AWS_CONFIG_H
#define ECP_AWS_CONFIG_H

#include <stddef.h>

#include "aws/profile.h"
#include "util/err.h"

/*
 * Where ecpolicy talks to AWS: the profile, the regions, the endpoint of
 * each service, retries and the CA bundle, resolved as the AWS CLI does:
 * command-line options first, then the environment, then the profile in
 * the shared config and credentials files.  Every value keeps a source
 * ("--region", "AWS_REGION", "profile 'prod' (/home/me/.aws/config:4)",
 * "default") for messages.
 */

/* The environment, read through a function so tests need no setenv(3). */
struct ecp_env {
    /* Like getenv(3): the value, or NULL when the variable is not set. */
    const char *(*get)(void *ud, const char *name);
    void *ud;
};

/* The value of variable name: from env, or getenv(3) when env (or its
 * get) is NULL.  An empty value counts as not set.  The result belongs to
 * the environment. */
const char *ecp_env_get(const struct ecp_env *env, const char *name);

enum ecp_aws_service {
    ECP_AWS_ELASTICACHE,
    ECP_AWS_EC2,
    ECP_AWS_STS,
    ECP_AWS_TAGGING,        /* Resource Groups Tagging API */
    ECP_AWS_NSERVICES
};

/* The service id as config files spell it: "elasticache", "ec2", "sts",
 * "resource_groups_tagging_api" (static). */
const char *ecp_aws_service_id(enum ecp_aws_service svc);

/* What the command line said; every member may be empty. */
struct ecp_aws_options {
    const char *profile;            /* --profile */
    const char *const *regions;     /* --region, repeatable, in order */
    size_t nregions;
    const char *endpoint_url;       /* --endpoint-url, for every service */
};

enum ecp_retry_mode { ECP_RETRY_STANDARD, ECP_RETRY_ADAPTIVE };

#define ECP_DEFAULT_MAX_ATTEMPTS 3

/* Everything below is owned by the struct (ecp_aws_config_free). */
struct ecp_aws_config {
    struct ecp_aws_files files;     /* both files, parsed */

    char *profile;                  /* never NULL after a load */
    char *profile_source;           /* "--profile", "AWS_PROFILE",
                                     * "AWS_DEFAULT_PROFILE", "default" */
    int profile_explicit;           /* named by --profile: the CLI then
                                     * skips credentials in the
                                     * environment */

    char **regions;                 /* without repeats; nregions 0: none
                                     * was found (ecp_aws_config_need_region
                                     * says where it looked) */
    size_t nregions;
    char *regions_source;

    /* A configured endpoint URL per service, or NULL for the default
     * (ecp_aws_endpoint). */
    char *endpoint[ECP_AWS_NSERVICES];
    char *endpoint_source[ECP_AWS_NSERVICES];

    int max_attempts;               /* attempts per request, 1..100 */
    char *max_attempts_source;
    enum ecp_retry_mode retry_mode;
    char *retry_mode_source;

    char *ca_bundle;                /* NULL: the system's CA store */
    char *ca_bundle_source;
};

/*
 * Resolve everything into *c (which the caller then owns) from the options
 * and env (NULL: the process environment):
 *
 *   files      AWS_CONFIG_FILE (default ~/.aws/config),
 *              AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials)
 *   profile    --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, "default"; a
 *              profile that was named and is in neither file is an error
 *   regions    --region..., else AWS_REGION, else AWS_DEFAULT_REGION, else
 *              the profile's region; none is not an error here
 *   endpoints  --endpoint-url, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL,
 *              the profile's [services] section, its endpoint_url; all but
 *              --endpoint-url are off when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
 *              (or the profile's ignore_configured_endpoint_urls) is true
 *   retries    AWS_MAX_ATTEMPTS / max_attempts (default 3),
 *              AWS_RETRY_MODE / retry_mode (standard or adaptive)
 *   CA bundle  AWS_CA_BUNDLE / ca_bundle
 *
 * Returns 0, or -1 with err naming the source of the bad value (and *c
 * left empty).
 */
int ecp_aws_config_load(struct ecp_aws_config *c,
                        const struct ecp_aws_options *opts,
                        const struct ecp_env *env, struct ecp_err *err);

/* Free everything c holds (files included); *c becomes zeroed. */
void ecp_aws_config_free(struct ecp_aws_config *c);

/* 0 if a region was found; else -1, and err says where ecpolicy looked
 * and how to give one. */
int ecp_aws_config_need_region(const struct ecp_aws_config *c,
                               struct ecp_err *err);

/*
 * The endpoint URL of svc in region (fresh string: free it): the
 * configured one, else https://<service>.<region>.amazonaws.com (regional
 * STS too; .amazonaws.com.cn for cn-* regions).  *source, when not NULL,
 * points to the description of where it came from (owned by c).
 */
char *ecp_aws_endpoint(const struct ecp_aws_config *c,
                       enum ecp_aws_service svc, const char *region,
                       const char **source);

/*
 * A setting of the current profile's kind: the environment variable
 * env_name (may be NULL) if set, else the profile's key (may be NULL).
 * Returns the value (owned by env or c) or NULL; *source, when not NULL,
 * gets a fresh description of where it came from (free it), or NULL.
 */
const char *ecp_aws_setting(const struct ecp_aws_config *c,
                            const struct ecp_env *env, const char *env_name,
                            const char *key, char **source);

/* "profile 'NAME' (PATH:LINE)", fresh. */
char *ecp_aws_where(const char *profile, const struct ecp_profile_where *w);

/* A region name is one DNS label: letters, digits and hyphens, 1 to 63
 * characters, no hyphen at either end, not all digits (botocore's rule). */
int ecp_aws_region_valid(const char *region);

/*
 * url is an absolute http:// or https:// URL with a host, by libcurl's URL
 * parser (which also refuses blanks and control characters).  Returns 1 or
 * 0.  When it is, *https and *host (fresh: free it; an IPv6 address comes
 * without its brackets) say what it holds, for the pointers not NULL.
 */
int ecp_url_check(const char *url, int *https, char **host);

#endif
