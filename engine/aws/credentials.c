#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/credentials.h"
#include "aws/metadata.h"
#include "aws/profile.h"
#include "collect/timestamp.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"

/* What a step returns: credentials, nothing there (err says where it
 * looked), or a broken set-up (err says what is wrong). */
enum { FOUND = 0, NOT_FOUND = 1, FAILED = -1 };

/* Role chains longer than this are surely a mistake. */
#define MAX_HOPS 32

/* Web identity tokens are at most 20000 characters (STS); container
 * authorization tokens are far shorter. */
#define TOKEN_FILE_MAX ((size_t)64 << 10)

struct chain {
    const struct ecp_creds_options *o;
    const struct ecp_aws_config *c;
    const struct ecp_aws_files *f;
    const char *region;         /* where STS is called */
    time_t now;
    struct ecp_buf looked;      /* the places looked at, for the message */
    const char *visited[MAX_HOPS];
    size_t nvisited;
};

static const char *env(const struct chain *ch, const char *name)
{
    return ecp_env_get(ch->o->env, name);
}

static void note_looked(struct chain *ch, const struct ecp_err *why)
{
    if (ch->looked.len)
        ecp_buf_adds(&ch->looked, "; ");
    ecp_buf_adds(&ch->looked, why->msg);
}

/* Put a fresh source description into out, replacing what was there. */
static void set_source(struct ecp_creds *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_source(struct ecp_creds *out, const char *fmt, ...)
{
    va_list ap;

    free(out->source);
    va_start(ap, fmt);
    out->source = ecp_vasprintf(fmt, ap);
    va_end(ap);
}

static void wipe_free(char *s)
{
    if (!s)
        return;
    for (volatile char *p = s; *p; p++)
        *p = 0;
    free(s);
}

/* Keys and tokens go into HTTP headers and the signature: printable
 * ASCII, no blanks, and of a sane length. */
static int field_ok(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;

    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
            return 0;
    return 1;
}

/* The final word on credentials from any step. */
static int check_creds(const struct chain *ch, const struct ecp_creds *cr,
                       struct ecp_err *err)
{
    const char *src = cr->source ? cr->source : "?";

    if (!field_ok(cr->access_key_id, 128))
        return ecp_err_set(err, "%s: the access key id is empty, too long "
                           "or holds a blank or control character", src);
    if (!field_ok(cr->secret_access_key, 1024))
        return ecp_err_set(err, "%s: the secret access key is empty, too "
                           "long or holds a blank or control character",
                           src);
    if (cr->session_token && !field_ok(cr->session_token, 16384))
        return ecp_err_set(err, "%s: the session token is empty, too long "
                           "or holds a blank or control character", src);
    if (cr->expiration != 0 && cr->expiration <= ch->now) {
        struct ecp_timestamp ts = { (int64_t)cr->expiration, 0, 0 };
        char when[ECP_TIMESTAMP_SIZE];

        ecp_timestamp_format(&ts, when);
        return ecp_err_set(err, "the credentials from %s expired at %s",
                           src, when);
    }
    return 0;
}

/* "PATH" or "PATH (no such file)", for messages. */
static const char *file_note(const struct ecp_profile_file *f)
{
    return f->found ? "" : " (no such file)";
}

/* ---- 1. the environment ------------------------------------------- */

static int env_keys(struct chain *ch, struct ecp_creds *out,
                    struct ecp_err *err)
{
    const char *id = env(ch, "AWS_ACCESS_KEY_ID");
    const char *secret = env(ch, "AWS_SECRET_ACCESS_KEY");
    const char *token = env(ch, "AWS_SESSION_TOKEN");
    const char *expires = env(ch, "AWS_CREDENTIAL_EXPIRATION");
    struct ecp_timestamp ts;
    const char *why;

    if (!token)
        token = env(ch, "AWS_SECURITY_TOKEN");
    if (!id && !secret) {
        ecp_err_set(err, "environment variables AWS_ACCESS_KEY_ID and "
                    "AWS_SECRET_ACCESS_KEY (not set)");
        return NOT_FOUND;
    }
    if (!id || !secret)
        return ecp_err_set(err, "%s is set but %s is not",
                           id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                           id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
    if (expires && ecp_timestamp_parse(expires, &ts, &why) != 0)
        return ecp_err_set(err, "AWS_CREDENTIAL_EXPIRATION: '%.40s' is not a "
                           "time: %s", expires, why);
    out->access_key_id = ecp_strdup(id);
    out->secret_access_key = ecp_strdup(secret);
    out->session_token = token ? ecp_strdup(token) : NULL;
    out->expiration = expires ? (time_t)(ts.epoch > 0 ? ts.epoch : 1) : 0;
    set_source(out, "environment variables (AWS_ACCESS_KEY_ID)");
    return FOUND;
}

/* ---- 4. container credentials ------------------------------------- */

/* The Authorization header value, fresh, or NULL with *rc set. */
static char *container_auth(struct chain *ch, int *rc, struct ecp_err *err)
{
    const char *path = env(ch, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    const char *name = path ? "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
                            : "AWS_CONTAINER_AUTHORIZATION_TOKEN";
    char *token = NULL;
    size_t n;

    *rc = FOUND;
    if (path) {
        if (ecp_read_file(path, TOKEN_FILE_MAX, &token, &n, err) != 0) {
            *rc = ecp_err_prefix(err, "%s", name);
            return NULL;
        }
        /* The file usually ends in a newline; the token does not. */
        while (n > 0 && (token[n - 1] == '\n' || token[n - 1] == '\r' ||
                         token[n - 1] == ' ' || token[n - 1] == '\t'))
            token[--n] = '\0';
    } else if (env(ch, name)) {
        token = ecp_strdup(env(ch, name));
    } else {
        return NULL;
    }
    for (const char *p = token; *p; p++)
        if ((unsigned char)*p < ' ' || *p == 0x7f) {
            wipe_free(token);
            *rc = ecp_err_set(err, "%s: the token holds a control character "
                              "and cannot be an HTTP header", name);
            return NULL;
        }
    return token;
}

static int container(struct chain *ch, struct ecp_creds *out,
                     struct ecp_err *err)
{
    const char *rel = env(ch, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = env(ch, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    const char *var = rel ? "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
                          : "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    struct ecp_container_options co = { 0 };
    char *url, *host = NULL, *auth;
    int rc;

    if (!rel && !full) {
        ecp_err_set(err, "container credentials (neither "
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor "
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI is set)");
        return NOT_FOUND;
    }
    if (rel) {
        /* Anything but a path could move the host ("@evil.example/"). */
        if (rel[0] != '/')
            return ecp_err_set(err, "%s: it must start with '/'", var);
        url = ecp_asprintf("%s%s", ch->o->container_endpoint
                                       ? ch->o->container_endpoint
                                       : ECP_CONTAINER_ENDPOINT, rel);
    } else {
        if (ecp_container_url_allowed(full, err) != 0)
            return ecp_err_prefix(err, "%s", var);
        url = ecp_strdup(full);
    }
    if (!ecp_url_check(url, NULL, &host)) {
        free(url);
        return ecp_err_set(err, "%s: not a valid URL path", var);
    }
    auth = container_auth(ch, &rc, err);
    if (rc == FOUND) {
        co.url = url;
        co.authorization = auth;
        co.ca_bundle = ch->c->ca_bundle;
        co.pause_ms = ch->o->container_pause_ms;
        rc = ecp_container_credentials(&co, out, err);
        if (rc != 0)
            ecp_err_prefix(err, "container credentials (%s, host %s)", var,
                           host);
        else
            set_source(out, "container credentials (%s, host %s)", var,
                       host);
    }
    wipe_free(auth);
    free(url);
    free(host);
    return rc;
}

/* ---- 5. EC2 instance metadata ------------------------------------- */

/* A number from the environment or the profile, within [lo, hi] (and
 * whole, if whole is set). */
static int number_setting(struct chain *ch, const char *var, const char *key,
                          double lo, double hi, int whole, double *v,
                          struct ecp_err *err)
{
    char *source, *end;
    const char *text = ecp_aws_setting(ch->c, ch->o->env, var, key, &source);

    if (!text)
        return 0;
    *v = strtod(text, &end);
    if (end == text || *end || !(*v >= lo && *v <= hi) ||
        (whole && *v != (double)(long)*v)) {
        ecp_err_set(err, "%s: '%.40s' is not a %s from %g to %g", source,
                    text, whole ? "whole number" : "number", lo, hi);
        free(source);
        return -1;
    }
    free(source);
    return 0;
}

static int imds(struct chain *ch, struct ecp_creds *out, struct ecp_err *err)
{
    struct ecp_imds_options io = { 0 };
    const char *disabled = env(ch, "AWS_EC2_METADATA_DISABLED");
    const char *mode;
    char *source = NULL;
    double timeout = 1, attempts = 1;
    int rc;

    if (disabled && strcasecmp(disabled, "true") == 0) {
        ecp_err_set(err, "EC2 instance metadata (off: "
                    "AWS_EC2_METADATA_DISABLED is true)");
        return NOT_FOUND;
    }
    io.endpoint = ecp_aws_setting(ch->c, ch->o->env,
                                  "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                  "ec2_metadata_service_endpoint", NULL);
    mode = ecp_aws_setting(ch->c, ch->o->env,
                           "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                           "ec2_metadata_service_endpoint_mode", &source);
    if (!io.endpoint && mode && strcasecmp(mode, "ipv6") == 0) {
        io.endpoint = ECP_IMDS_ENDPOINT_IPV6;
    } else if (mode && strcasecmp(mode, "ipv4") != 0 &&
               strcasecmp(mode, "ipv6") != 0) {
        ecp_err_set(err, "%s: endpoint mode '%.20s' is not IPv4 or IPv6",
                    source, mode);
        free(source);
        return FAILED;
    }
    free(source);
    if (!io.endpoint)
        io.endpoint = ECP_IMDS_ENDPOINT;
    if (number_setting(ch, "AWS_METADATA_SERVICE_TIMEOUT",
                       "metadata_service_timeout", 0.001, 3600, 0, &timeout,
                       err) != 0 ||
        number_setting(ch, "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
                       "metadata_service_num_attempts", 1, 100, 1,
                       &attempts, err) != 0)
        return FAILED;
    io.timeout_ms = (long)(timeout * 1000 + 0.5);
    io.attempts = (int)attempts;
    rc = ecp_imds_credentials(&io, out, err);
    if (rc != FOUND)
        ecp_err_prefix(err, "EC2 instance metadata (%s)", io.endpoint);
    return rc;
}

/* ---- STS: roles and web identity ---------------------------------- */

static char *session_name(const struct chain *ch, const char *configured)
{
    if (configured)
        return ecp_strdup(configured);
    return ecp_asprintf("ecpolicy-%lld", (long long)ch->now);
}

/* Read a web identity token file; fresh string, or NULL with err set. */
static char *read_token(const char *path, struct ecp_err *err)
{
    char *token;
    size_t n;

    if (ecp_read_file(path, TOKEN_FILE_MAX, &token, &n, err) != 0)
        return NULL;
    while (n > 0 && (token[n - 1] == '\n' || token[n - 1] == '\r' ||
                     token[n - 1] == ' ' || token[n - 1] == '\t'))
        token[--n] = '\0';
    if (n == 0) {
        free(token);
        ecp_err_set(err, "%s: the file is empty", path);
        return NULL;
    }
    return token;
}

/* AssumeRoleWithWebIdentity; what names the configuration for messages
 * ("profile 'ci' (PATH:LINE)" or "AWS_WEB_IDENTITY_TOKEN_FILE"). */
static int web_identity(struct chain *ch, const char *what,
                        const char *token_file, const char *role_arn,
                        const char *session, struct ecp_creds *out,
                        struct ecp_err *err)
{
    char *token, *name;
    int rc;

    if (!role_arn)
        return ecp_err_set(err, "%s: a web identity token file but no role "
                           "ARN (role_arn, or AWS_ROLE_ARN)", what);
    if (!ch->o->sts || !ch->o->sts->assume_role_with_web_identity)
        return ecp_err_set(err, "%s: web identity needs STS, which this "
                           "build cannot call", what);
    if (!(token = read_token(token_file, err)))
        return ecp_err_prefix(err, "%s: web identity token", what);
    name = session_name(ch, session);
    rc = ch->o->sts->assume_role_with_web_identity(ch->o->sts->ud, ch->region,
                                                   role_arn, name, token, out,
                                                   err);
    wipe_free(token);
    free(name);
    if (rc != 0) {
        ecp_creds_clear(out);
        return ecp_err_prefix(err, "%s: AssumeRoleWithWebIdentity %s", what,
                              role_arn);
    }
    set_source(out, "role %s, assumed with the web identity token of %s",
               role_arn, what);
    return FOUND;
}

static int profile_creds(struct chain *ch, const char *name, int allow_role,
                         struct ecp_creds *out, struct ecp_err *err);

/* A profile value and a fresh "profile 'NAME' (PATH:LINE)" for it. */
static const char *get(const struct chain *ch, const char *name,
                       const char *key, char **where)
{
    struct ecp_profile_where w;
    const char *v = ecp_profile_get(ch->f, name, key, &w);

    if (v && !*v)
        v = NULL;
    if (where)
        *where = v ? ecp_aws_where(name, &w) : NULL;
    return v;
}

static int has_static(const struct chain *ch, const char *name)
{
    return get(ch, name, "aws_access_key_id", NULL) ||
           get(ch, name, "aws_secret_access_key", NULL);
}

static int has_role(const struct chain *ch, const char *name)
{
    return get(ch, name, "role_arn", NULL) &&
           !get(ch, name, "web_identity_token_file", NULL);
}

/* A source_profile must not lead back to a profile already on the way,
 * except to itself when it holds keys (botocore allows that, so a role and
 * its keys can share one profile). */
static int check_loop(struct chain *ch, const char *name, const char *src,
                      struct ecp_err *err)
{
    struct ecp_buf path = { 0 };
    int seen = 0;

    for (size_t i = 0; i < ch->nvisited; i++)
        seen |= strcmp(ch->visited[i], src) == 0;
    if (!seen || (strcmp(src, name) == 0 && has_static(ch, src))) {
        if (ch->nvisited == MAX_HOPS)
            return ecp_err_set(err, "profile '%s': a chain of more than %d "
                               "source profiles", name, MAX_HOPS);
        ch->visited[ch->nvisited++] = src;
        return 0;
    }
    for (size_t i = 0; i < ch->nvisited; i++)
        ecp_buf_printf(&path, "%s -> ", ch->visited[i]);
    ecp_buf_adds(&path, src);
    ecp_err_set(err, "profile '%s': source_profile loops back: %s", name,
                path.data);
    ecp_buf_free(&path);
    return -1;
}

/* The credentials a role's source_profile gives (botocore: its keys or
 * other credentials if it has any, else its own role). */
static int source_profile(struct chain *ch, const char *name, const char *src,
                          const char *where, struct ecp_creds *out,
                          struct ecp_err *err)
{
    int rc;

    if (!ecp_profile_exists(ch->f, src))
        return ecp_err_set(err, "%s: source_profile '%s' does not exist",
                           where, src);
    if (check_loop(ch, name, src, err) != 0)
        return FAILED;
    rc = profile_creds(ch, src, !has_static(ch, src) && has_role(ch, src),
                       out, err);
    if (rc == NOT_FOUND)
        return ecp_err_set(err, "%s: source_profile '%s' has no credentials",
                           where, src);
    return rc;
}

/* credential_source names one of three other steps of the chain. */
static int credential_source(struct chain *ch, const char *src,
                             const char *where, struct ecp_creds *out,
                             struct ecp_err *err)
{
    int rc;

    if (strcmp(src, "Environment") == 0)
        rc = env_keys(ch, out, err);
    else if (strcmp(src, "Ec2InstanceMetadata") == 0)
        rc = imds(ch, out, err);
    else if (strcmp(src, "EcsContainer") == 0)
        rc = container(ch, out, err);
    else
        return ecp_err_set(err, "%s: credential_source '%s' is not "
                           "Environment, Ec2InstanceMetadata or "
                           "EcsContainer", where, src);
    if (rc == NOT_FOUND)
        ecp_err_prefix(err, "%s: credential_source %s found nothing", where,
                       src);
    return rc == FOUND ? FOUND : FAILED;
}

static int parse_duration(const char *text, const char *where, int *out,
                          struct ecp_err *err)
{
    char *end;
    long n;

    *out = 0;
    if (!text)
        return 0;
    n = strtol(text, &end, 10);
    if (*text < '0' || *text > '9' || *end || n < 900 || n > 43200)
        return ecp_err_set(err, "%s: duration_seconds '%.20s' is not a whole "
                           "number from 900 to 43200", where, text);
    *out = (int)n;
    return 0;
}

/* role_arn: get the source credentials, then call AssumeRole. */
static int assume_role(struct chain *ch, const char *name,
                       struct ecp_creds *out, struct ecp_err *err)
{
    char *where, *src_where = NULL, *cs_where = NULL, *session;
    const char *role = get(ch, name, "role_arn", &where);
    const char *src = get(ch, name, "source_profile", &src_where);
    const char *cs = get(ch, name, "credential_source", &cs_where);
    const char *external_id = get(ch, name, "external_id", NULL);
    struct ecp_creds from = { 0 };
    int duration, rc = FAILED;

    if (src && cs)
        ecp_err_set(err, "%s: both source_profile and credential_source are "
                    "set; use one", where);
    else if (!src && !cs)
        ecp_err_set(err, "%s: role_arn needs source_profile or "
                    "credential_source", where);
    else if (get(ch, name, "mfa_serial", NULL))
        ecp_err_set(err, "%s: the role needs an MFA code (mfa_serial), and "
                    "ecpolicy does not prompt; use credential_process with a "
                    "helper that does", where);
    else if (parse_duration(get(ch, name, "duration_seconds", NULL), where,
                            &duration, err) != 0)
        ;
    else if (!ch->o->sts || !ch->o->sts->assume_role)
        ecp_err_set(err, "%s: assuming a role needs STS, which this build "
                    "cannot call", where);
    else if (src)
        rc = source_profile(ch, name, src, src_where, &from, err);
    else
        rc = credential_source(ch, cs, cs_where, &from, err);

    if (rc == FOUND && (rc = check_creds(ch, &from, err)) == 0) {
        session = session_name(ch, get(ch, name, "role_session_name", NULL));
        rc = ch->o->sts->assume_role(ch->o->sts->ud, &from, ch->region, role,
                                     session, external_id, duration, out,
                                     err);
        free(session);
        if (rc != 0) {
            ecp_creds_clear(out);
            ecp_err_prefix(err, "%s: AssumeRole %s with %s", where, role,
                           from.source);
            rc = FAILED;
        } else {
            set_source(out, "role %s of profile '%s', assumed with %s", role,
                       name, from.source);
        }
    }
    ecp_creds_clear(&from);
    free(where);
    free(src_where);
    free(cs_where);
    return rc == FOUND ? FOUND : FAILED;
}

/* ---- 2. the profile ------------------------------------------------ */

/* Static keys of the profile in one of the two files. */
static int file_keys(const struct ecp_profile_file *file, const char *name,
                     struct ecp_creds *out, struct ecp_err *err)
{
    struct ecp_profile_where w;
    const struct ecp_profile_prop *id, *secret, *token;

    id = ecp_profile_file_prop(file, ECP_SECTION_PROFILE, name,
                               "aws_access_key_id", &w);
    secret = ecp_profile_file_prop(file, ECP_SECTION_PROFILE, name,
                                   "aws_secret_access_key", id ? NULL : &w);
    token = ecp_profile_file_prop(file, ECP_SECTION_PROFILE, name,
                                  "aws_session_token", NULL);
    if (!token)
        token = ecp_profile_file_prop(file, ECP_SECTION_PROFILE, name,
                                      "aws_security_token", NULL);
    if (id && !*id->value)
        id = NULL;
    if (secret && !*secret->value)
        secret = NULL;
    if (!id && !secret)
        return NOT_FOUND;
    if (!id || !secret)
        return ecp_err_set(err, "%s:%d: profile '%s' has %s but no %s",
                           w.path, w.line, name,
                           id ? "aws_access_key_id" : "aws_secret_access_key",
                           id ? "aws_secret_access_key" : "aws_access_key_id");
    out->access_key_id = ecp_strdup(id->value);
    out->secret_access_key = ecp_strdup(secret->value);
    out->session_token = token && *token->value ? ecp_strdup(token->value)
                                                : NULL;
    set_source(out, "profile '%s' (%s)", name, file->path);
    return FOUND;
}

static int process(struct chain *ch, const char *name, const char *command,
                   struct ecp_creds *out, struct ecp_err *err)
{
    char *where;
    int rc;

    get(ch, name, "credential_process", &where);
    rc = ecp_process_credentials(command, ch->o->process_timeout_ms, out,
                                 err);
    if (rc != 0)
        ecp_err_prefix(err, "credential_process of %s", where);
    else
        set_source(out, "credential_process of %s", where);
    free(where);
    return rc == 0 ? FOUND : FAILED;
}

/*
 * The credentials profile name gives by itself: a role (when allow_role),
 * a web identity token, keys in the credentials file, credential_process,
 * keys in the config file.
 */
static int profile_creds(struct chain *ch, const char *name, int allow_role,
                         struct ecp_creds *out, struct ecp_err *err)
{
    const char *token_file = get(ch, name, "web_identity_token_file", NULL);
    const char *command;
    char *where;
    int rc;

    if (allow_role && has_role(ch, name))
        return assume_role(ch, name, out, err);
    if (token_file) {
        get(ch, name, "web_identity_token_file", &where);
        rc = web_identity(ch, where, token_file,
                          get(ch, name, "role_arn", NULL),
                          get(ch, name, "role_session_name", NULL), out, err);
        free(where);
        return rc;
    }
    if ((rc = file_keys(&ch->f->credentials, name, out, err)) !=
        NOT_FOUND)
        return rc;
    if ((command = get(ch, name, "credential_process", NULL)))
        return process(ch, name, command, out, err);
    if ((rc = file_keys(&ch->f->config, name, out, err)) != NOT_FOUND)
        return rc;
    if (get(ch, name, "sso_session", &where) ||
        get(ch, name, "sso_start_url", &where)) {
        ecp_err_set(err, "%s: AWS IAM Identity Center (SSO) profiles are not "
                    "read by ecpolicy; add 'credential_process = aws "
                    "configure export-credentials --profile %s --format "
                    "process' to a profile of its own and use that", where,
                    name);
        free(where);
        return FAILED;
    }
    ecp_err_set(err, "profile '%s' in %s%s and %s%s (no keys, role_arn, "
                "web_identity_token_file or credential_process)", name,
                ch->f->credentials.path, file_note(&ch->f->credentials),
                ch->f->config.path, file_note(&ch->f->config));
    return NOT_FOUND;
}

static int profile_step(struct chain *ch, struct ecp_creds *out,
                        struct ecp_err *err)
{
    const char *name = ch->c->profile;

    if (!ecp_profile_exists(ch->f, name)) {
        ecp_err_set(err, "profile '%s' (in neither %s%s nor %s%s)", name,
                    ch->f->credentials.path, file_note(&ch->f->credentials),
                    ch->f->config.path, file_note(&ch->f->config));
        return NOT_FOUND;
    }
    ch->visited[ch->nvisited++] = name;
    return profile_creds(ch, name, 1, out, err);
}

/* ---- 3. web identity from the environment ------------------------- */

static int env_web_identity(struct chain *ch, struct ecp_creds *out,
                            struct ecp_err *err)
{
    const char *file = env(ch, "AWS_WEB_IDENTITY_TOKEN_FILE");

    if (!file) {
        ecp_err_set(err, "web identity (AWS_WEB_IDENTITY_TOKEN_FILE is not "
                    "set)");
        return NOT_FOUND;
    }
    return web_identity(ch, "AWS_WEB_IDENTITY_TOKEN_FILE", file,
                        env(ch, "AWS_ROLE_ARN"),
                        env(ch, "AWS_ROLE_SESSION_NAME"), out, err);
}

/* ---- the chain ----------------------------------------------------- */

int ecp_credentials_resolve(const struct ecp_creds_options *o,
                            struct ecp_creds *out, struct ecp_err *err)
{
    static const char hint[] = "Set credentials up as for the AWS CLI (aws "
                               "configure, AWS_PROFILE or --profile), or run "
                               "offline on saved data: ecpolicy run "
                               "--snapshot PATH";
    struct chain ch = { 0 };
    struct ecp_err why;
    int rc = NOT_FOUND, room;

    memset(out, 0, sizeof *out);
    ch.o = o;
    ch.c = o->config;
    ch.f = &o->config->files;
    ch.region = ch.c->nregions ? ch.c->regions[0] : "us-east-1";
    ch.now = o->now ? o->now : time(NULL);

    for (int step = 1; step <= 5 && rc == NOT_FOUND; step++) {
        memset(&why, 0, sizeof why);
        if ((step == 1 || step == 3) && ch.c->profile_explicit) {
            ecp_err_set(&why, "%s (skipped: --profile was given)",
                        step == 1 ? "environment variables AWS_ACCESS_KEY_ID "
                                    "and AWS_SECRET_ACCESS_KEY"
                                  : "AWS_WEB_IDENTITY_TOKEN_FILE");
            note_looked(&ch, &why);
            continue;
        }
        switch (step) {
        case 1: rc = env_keys(&ch, out, &why); break;
        case 2: rc = profile_step(&ch, out, &why); break;
        case 3: rc = env_web_identity(&ch, out, &why); break;
        case 4: rc = container(&ch, out, &why); break;
        default: rc = imds(&ch, out, &why); break;
        }
        if (rc == NOT_FOUND)
            note_looked(&ch, &why);
    }
    if (rc == FOUND && check_creds(&ch, out, &why) != 0)
        rc = FAILED;
    if (rc == FAILED)
        ecp_err_set(err, "%s", why.msg);
    if (rc == NOT_FOUND) {
        /* The hint matters most: cut the list, never the hint. */
        room = (int)(sizeof err->msg - sizeof hint - 64);
        ecp_err_set(err, "no AWS credentials found. Looked at, in order: "
                    "%.*s%s. %s", room, ch.looked.data ? ch.looked.data : "",
                    ch.looked.len > (size_t)room ? "..." : "", hint);
    }
    ecp_buf_free(&ch.looked);
    if (rc != FOUND) {
        ecp_creds_clear(out);
        return -1;
    }
    return 0;
}
