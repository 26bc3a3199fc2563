#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/config.h"
#include "util/mem.h"

static const char *const service_ids[ECP_AWS_NSERVICES] = {
    [ECP_AWS_ELASTICACHE] = "elasticache",
    [ECP_AWS_EC2] = "ec2",
    [ECP_AWS_STS] = "sts",
    [ECP_AWS_TAGGING] = "resource_groups_tagging_api",
};

/* The host name's first label, where it is not the service id. */
static const char *const endpoint_prefixes[ECP_AWS_NSERVICES] = {
    [ECP_AWS_ELASTICACHE] = "elasticache",
    [ECP_AWS_EC2] = "ec2",
    [ECP_AWS_STS] = "sts",
    [ECP_AWS_TAGGING] = "tagging",
};

/* The variables of AWS_ENDPOINT_URL_<SERVICE ID>, upper case. */
static const char *const service_env[ECP_AWS_NSERVICES] = {
    [ECP_AWS_ELASTICACHE] = "AWS_ENDPOINT_URL_ELASTICACHE",
    [ECP_AWS_EC2] = "AWS_ENDPOINT_URL_EC2",
    [ECP_AWS_STS] = "AWS_ENDPOINT_URL_STS",
    [ECP_AWS_TAGGING] = "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API",
};

const char *ecp_aws_service_id(enum ecp_aws_service svc)
{
    return svc < ECP_AWS_NSERVICES ? service_ids[svc] : "?";
}

const char *ecp_env_get(const struct ecp_env *env, const char *name)
{
    const char *v = env && env->get ? env->get(env->ud, name) : getenv(name);

    return v && *v ? v : NULL;
}

char *ecp_aws_where(const char *profile, const struct ecp_profile_where *w)
{
    return ecp_asprintf("profile '%s' (%s:%d)", profile,
                        w->path ? w->path : "?", w->line);
}

const char *ecp_aws_setting(const struct ecp_aws_config *c,
                            const struct ecp_env *env, const char *env_name,
                            const char *key, char **source)
{
    struct ecp_profile_where w;
    const char *v = env_name ? ecp_env_get(env, env_name) : NULL;

    if (source)
        *source = NULL;
    if (v) {
        if (source)
            *source = ecp_strdup(env_name);
        return v;
    }
    v = key ? ecp_profile_get(&c->files, c->profile, key, &w) : NULL;
    if (v && source)
        *source = ecp_aws_where(c->profile, &w);
    return v;
}

int ecp_aws_region_valid(const char *region)
{
    size_t n = strlen(region), digits = 0;

    if (n == 0 || n > 63 || region[0] == '-' || region[n - 1] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = region[i];

        if (ch >= '0' && ch <= '9')
            digits++;
        else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                   ch == '-'))
            return 0;
    }
    return digits < n;
}

int ecp_url_check(const char *url, int *https, char **host)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *h = NULL;
    int ok = 0;

    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
        ok = (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0) &&
             h[0] != '\0';
    if (ok && https)
        *https = strcmp(scheme, "https") == 0;
    if (ok && host) {
        size_t n = strlen(h);

        if (n >= 2 && h[0] == '[' && h[n - 1] == ']')
            *host = ecp_strndup(h + 1, n - 2);
        else
            *host = ecp_strdup(h);
    }
    curl_free(scheme);
    curl_free(h);
    curl_url_cleanup(u);
    return ok;
}

/* "~/x" is under $HOME (botocore's expanduser).  Without HOME the path
 * stays as written, so it names no file and the messages still show it. */
static char *expand_home(const char *path, const struct ecp_env *env)
{
    const char *home = ecp_env_get(env, "HOME");

    if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') && home)
        return ecp_asprintf("%s%s", home, path + 1);
    return ecp_strdup(path);
}

static int load_files(struct ecp_aws_config *c, const struct ecp_env *env,
                      struct ecp_err *err)
{
    const char *cfg = ecp_env_get(env, "AWS_CONFIG_FILE");
    const char *cred = ecp_env_get(env, "AWS_SHARED_CREDENTIALS_FILE");
    char *cfg_path = expand_home(cfg ? cfg : "~/.aws/config", env);
    char *cred_path = expand_home(cred ? cred : "~/.aws/credentials", env);
    int rc = ecp_aws_files_load(&c->files, cfg_path, cred_path, err);

    free(cfg_path);
    free(cred_path);
    return rc;
}

static int pick_profile(struct ecp_aws_config *c,
                        const struct ecp_aws_options *o,
                        const struct ecp_env *env, struct ecp_err *err)
{
    static const char *const vars[] = { "AWS_PROFILE", "AWS_DEFAULT_PROFILE" };
    const char *name = o->profile && *o->profile ? o->profile : NULL;

    if (name) {
        c->profile_source = ecp_strdup("--profile");
        c->profile_explicit = 1;
    }
    for (size_t i = 0; !name && i < sizeof vars / sizeof vars[0]; i++)
        if ((name = ecp_env_get(env, vars[i])) != NULL)
            c->profile_source = ecp_strdup(vars[i]);
    if (!name) {
        c->profile = ecp_strdup("default");
        c->profile_source = ecp_strdup("default");
        return 0;
    }
    c->profile = ecp_strdup(name);
    /* botocore refuses a profile that was asked for and is not there; only
     * the implicit default may be missing. */
    if (!ecp_profile_exists(&c->files, name))
        return ecp_err_set(err, "profile '%s' (from %s) is in neither %s%s "
                           "nor %s%s", name, c->profile_source,
                           c->files.config.path,
                           c->files.config.found ? "" : " (no such file)",
                           c->files.credentials.path,
                           c->files.credentials.found ? "" : " (no such file)");
    return 0;
}

static void add_region(struct ecp_aws_config *c, const char *r)
{
    for (size_t i = 0; i < c->nregions; i++)
        if (strcmp(c->regions[i], r) == 0)
            return;
    c->regions = ecp_realloc(c->regions,
                             (c->nregions + 1) * sizeof *c->regions);
    c->regions[c->nregions++] = ecp_strdup(r);
}

static int pick_regions(struct ecp_aws_config *c,
                        const struct ecp_aws_options *o,
                        const struct ecp_env *env, struct ecp_err *err)
{
    const char *r;
    char *source = NULL;

    if (o->nregions > 0) {
        for (size_t i = 0; i < o->nregions; i++) {
            if (!ecp_aws_region_valid(o->regions[i]))
                return ecp_err_set(err, "--region: '%s' is not a region "
                                   "name", o->regions[i]);
            add_region(c, o->regions[i]);
        }
        c->regions_source = ecp_strdup("--region");
        return 0;
    }
    /* AWS_REGION first, as CLI v2 and the SDKs do (botocore alone reads
     * only AWS_DEFAULT_REGION). */
    r = ecp_aws_setting(c, env, "AWS_REGION", NULL, &source);
    if (!r) {
        free(source);
        r = ecp_aws_setting(c, env, "AWS_DEFAULT_REGION", "region", &source);
    }
    if (!r)
        return 0;
    if (!ecp_aws_region_valid(r)) {
        ecp_err_set(err, "%s: '%s' is not a region name", source, r);
        free(source);
        return -1;
    }
    add_region(c, r);
    c->regions_source = source;
    return 0;
}

static int is_true(const char *v)
{
    return v && strcasecmp(v, "true") == 0;
}

/* The service's entry in the [services NAME] section the profile points
 * to, if it has one; *name is NAME. */
static int services_prop(const struct ecp_aws_config *c,
                         enum ecp_aws_service svc, const char **name_out,
                         const struct ecp_profile_prop **prop,
                         struct ecp_profile_where *w, struct ecp_err *err)
{
    struct ecp_profile_where sw;
    const char *name = ecp_profile_get(&c->files, c->profile, "services",
                                       &sw);

    *prop = NULL;
    *name_out = name;
    if (!name)
        return 0;
    if (!ecp_profile_file_has(&c->files.config, ECP_SECTION_SERVICES, name))
        return ecp_err_set(err, "%s:%d: profile '%s' uses services '%s', "
                           "but %s has no [services %s] section",
                           sw.path, sw.line, c->profile, name,
                           c->files.config.path, name);
    *prop = ecp_profile_file_prop(&c->files.config, ECP_SECTION_SERVICES,
                                  name, ecp_aws_service_id(svc), w);
    if (*prop && (*prop)->nsubs == 0 && (*prop)->value[0])
        return ecp_err_set(err, "%s:%d: [services %s] %s: expected indented "
                           "sub-properties (endpoint_url = ...)", w->path,
                           w->line, name, ecp_aws_service_id(svc));
    return 0;
}

static int pick_endpoint(struct ecp_aws_config *c, enum ecp_aws_service svc,
                         const struct ecp_aws_options *o,
                         const struct ecp_env *env, int ignore_configured,
                         struct ecp_err *err)
{
    const struct ecp_profile_prop *prop, *sub = NULL;
    struct ecp_profile_where w;
    const char *url = NULL, *section;
    char *source = NULL;

    if (o->endpoint_url && *o->endpoint_url) {
        url = o->endpoint_url;
        source = ecp_strdup("--endpoint-url");
    } else if (!ignore_configured) {
        url = ecp_aws_setting(c, env, service_env[svc], NULL, &source);
        if (!url)
            url = ecp_aws_setting(c, env, "AWS_ENDPOINT_URL", NULL, &source);
        if (!url) {
            if (services_prop(c, svc, &section, &prop, &w, err) != 0)
                return -1;
            sub = ecp_profile_sub(prop, "endpoint_url");
            if (sub && sub->value[0]) {
                url = sub->value;
                source = ecp_asprintf("[services %s] %s (%s:%d)", section,
                                      ecp_aws_service_id(svc), w.path,
                                      sub->line);
            }
        }
        if (!url)
            url = ecp_aws_setting(c, env, NULL, "endpoint_url", &source);
    }
    if (!url)
        return 0;
    if (!ecp_url_check(url, NULL, NULL)) {
        ecp_err_set(err, "%s: '%s' is not an http:// or https:// URL",
                    source, url);
        free(source);
        return -1;
    }
    c->endpoint[svc] = ecp_strdup(url);
    c->endpoint_source[svc] = source;
    return 0;
}

static int pick_retries(struct ecp_aws_config *c, const struct ecp_env *env,
                        struct ecp_err *err)
{
    char *source;
    const char *v = ecp_aws_setting(c, env, "AWS_MAX_ATTEMPTS",
                                    "max_attempts", &source);

    c->max_attempts = ECP_DEFAULT_MAX_ATTEMPTS;
    if (v) {
        char *end;
        long n = strtol(v, &end, 10);

        if (*v < '0' || *v > '9' || *end || n < 1 || n > 100) {
            ecp_err_set(err, "%s: max attempts '%s' is not a whole number "
                        "from 1 to 100", source, v);
            free(source);
            return -1;
        }
        c->max_attempts = (int)n;
        c->max_attempts_source = source;
    } else {
        c->max_attempts_source = ecp_strdup("default");
    }

    v = ecp_aws_setting(c, env, "AWS_RETRY_MODE", "retry_mode", &source);
    c->retry_mode = ECP_RETRY_STANDARD;
    if (!v) {
        c->retry_mode_source = ecp_strdup("default");
        return 0;
    }
    /* CLI v2 takes these two and refuses "legacy"; so does ecpolicy. */
    if (strcmp(v, "adaptive") == 0) {
        c->retry_mode = ECP_RETRY_ADAPTIVE;
    } else if (strcmp(v, "standard") != 0) {
        ecp_err_set(err, "%s: retry mode '%s' is not standard or adaptive",
                    source, v);
        free(source);
        return -1;
    }
    c->retry_mode_source = source;
    return 0;
}

int ecp_aws_config_load(struct ecp_aws_config *c,
                        const struct ecp_aws_options *opts,
                        const struct ecp_env *env, struct ecp_err *err)
{
    static const struct ecp_aws_options none = { 0 };
    const struct ecp_aws_options *o = opts ? opts : &none;
    const char *ignore, *ca;
    int ignore_configured;

    memset(c, 0, sizeof *c);
    if (load_files(c, env, err) != 0 || pick_profile(c, o, env, err) != 0 ||
        pick_regions(c, o, env, err) != 0)
        goto fail;

    ignore = ecp_env_get(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    if (!ignore)
        ignore = ecp_profile_get(&c->files, c->profile,
                                 "ignore_configured_endpoint_urls", NULL);
    ignore_configured = is_true(ignore);
    for (int s = 0; s < ECP_AWS_NSERVICES; s++)
        if (pick_endpoint(c, (enum ecp_aws_service)s, o, env,
                          ignore_configured, err) != 0)
            goto fail;

    if (pick_retries(c, env, err) != 0)
        goto fail;
    ca = ecp_aws_setting(c, env, "AWS_CA_BUNDLE", "ca_bundle",
                         &c->ca_bundle_source);
    c->ca_bundle = ca ? ecp_strdup(ca) : NULL;
    return 0;
fail:
    ecp_aws_config_free(c);
    return -1;
}

void ecp_aws_config_free(struct ecp_aws_config *c)
{
    ecp_aws_files_free(&c->files);
    free(c->profile);
    free(c->profile_source);
    for (size_t i = 0; i < c->nregions; i++)
        free(c->regions[i]);
    free(c->regions);
    free(c->regions_source);
    for (int s = 0; s < ECP_AWS_NSERVICES; s++) {
        free(c->endpoint[s]);
        free(c->endpoint_source[s]);
    }
    free(c->max_attempts_source);
    free(c->retry_mode_source);
    free(c->ca_bundle);
    free(c->ca_bundle_source);
    memset(c, 0, sizeof *c);
}

int ecp_aws_config_need_region(const struct ecp_aws_config *c,
                               struct ecp_err *err)
{
    if (c->nregions > 0)
        return 0;
    return ecp_err_set(err, "no AWS region: none given with --region, none "
                       "in AWS_REGION or AWS_DEFAULT_REGION, and profile "
                       "'%s' sets no region (in %s or %s); give one with "
                       "--region REGION", c->profile, c->files.config.path,
                       c->files.credentials.path);
}

char *ecp_aws_endpoint(const struct ecp_aws_config *c,
                       enum ecp_aws_service svc, const char *region,
                       const char **source)
{
    static const char *const built_in = "default";

    if (c->endpoint[svc]) {
        if (source)
            *source = c->endpoint_source[svc];
        return ecp_strdup(c->endpoint[svc]);
    }
    if (source)
        *source = built_in;
    /* The aws-cn partition has its own domain. */
    return ecp_asprintf("https://%s.%s.amazonaws.com%s",
                        endpoint_prefixes[svc], region,
                        strncmp(region, "cn-", 3) == 0 ? ".cn" : "");
}
