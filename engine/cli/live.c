/*
 * Collecting live, for run and fetch: the configuration, the credential
 * chain and the fetch, with the command line's options.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/config.h"
#include "aws/credentials.h"
#include "aws/sts.h"
#include "cli/cli.h"
#include "collect/fetch.h"

int cli_collect_live(const struct cli_options *o,
                     const unsigned char *needed, struct ecp_inventory *inv,
                     struct ecp_err *err)
{
    struct ecp_aws_options aopts = { 0 };
    struct ecp_aws_config config;
    struct ecp_creds creds = { 0 };
    struct ecp_sts sts = { 0 };
    struct ecp_sts_ops sts_ops;
    struct ecp_creds_options copts = { 0 };
    struct ecp_fetch_options fopts = { 0 };
    int rc = -1;

    aopts.profile = o->profile;
    aopts.regions = (const char *const *)o->regions;
    aopts.nregions = o->nregions;
    aopts.endpoint_url = o->endpoint_url;
    if (ecp_aws_config_load(&config, &aopts, NULL, err) != 0)
        return -1;
    if (o->max_attempts)
        config.max_attempts = o->max_attempts;
    if (!o->all_regions && ecp_aws_config_need_region(&config, err) != 0)
        goto out;

    sts.config = &config;
    /* Rounded up: a positive timeout never becomes 0, "the default". */
    sts.connect_timeout_ms = (long)(o->connect_timeout * 1000 + 0.999);
    sts.request_timeout_ms = (long)(o->request_timeout * 1000 + 0.999);
    sts.log = o->verbose ? stderr : NULL;
    ecp_sts_ops_init(&sts_ops, &sts);
    copts.config = &config;
    copts.sts = &sts_ops;
    if (ecp_credentials_resolve(&copts, &creds, err) != 0)
        goto out;

    fopts.config = &config;
    fopts.creds = &creds;
    fopts.all_regions = o->all_regions;
    fopts.needed = needed;
    fopts.max_parallel = o->max_parallel;
    fopts.connect_timeout_ms = sts.connect_timeout_ms;
    fopts.request_timeout_ms = sts.request_timeout_ms;
    fopts.log = o->verbose ? stderr : NULL;
    fopts.progress = !o->verbose && isatty(2);
    rc = ecp_fetch(&fopts, inv, err);
out:
    ecp_creds_clear(&creds);
    ecp_aws_config_free(&config);
    return rc;
}
