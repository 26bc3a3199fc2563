#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/call.h"
#include "aws/uri.h"
#include "collect/fetch.h"
#include "collect/validate.h"
#include "util/mem.h"

#define ELASTICACHE_VERSION "2015-02-02"
#define EC2_VERSION "2016-11-15"
#define STS_VERSION "2011-06-15"

/* How each collection is asked for: fixed parameters, the page-size
 * parameter and its largest value (the API models' maximums), and the
 * request parameter that carries the page token.  The reply's token is the
 * catalog's page_token. */
static const struct spec {
    const char *fixed_name, *fixed_value;
    const char *limit_name;
    const char *limit;
    const char *token_in;
} specs[ECP_COLL_COUNT] = {
    [ECP_COLL_CACHE_CLUSTERS] = { "ShowCacheNodeInfo", "true", "MaxRecords",
                                  "100", "Marker" },
    [ECP_COLL_REPLICATION_GROUPS] = { NULL, NULL, "MaxRecords", "100",
                                      "Marker" },
    [ECP_COLL_SERVERLESS_CACHES] = { NULL, NULL, "MaxResults", "50",
                                     "NextToken" },
    [ECP_COLL_CACHE_SUBNET_GROUPS] = { NULL, NULL, "MaxRecords", "100",
                                       "Marker" },
    [ECP_COLL_USERS] = { NULL, NULL, "MaxRecords", "100", "Marker" },
    [ECP_COLL_USER_GROUPS] = { NULL, NULL, "MaxRecords", "100", "Marker" },
    [ECP_COLL_SNAPSHOTS] = { NULL, NULL, "MaxRecords", "50", "Marker" },
    [ECP_COLL_SECURITY_GROUPS] = { NULL, NULL, "MaxResults", "1000",
                                   "NextToken" },
    [ECP_COLL_VPCS] = { NULL, NULL, "MaxResults", "1000", "NextToken" },
    [ECP_COLL_SUBNETS] = { NULL, NULL, "MaxResults", "1000", "NextToken" },
    [ECP_COLL_ROUTE_TABLES] = { NULL, NULL, "MaxResults", "100",
                                "NextToken" },
    [ECP_COLL_NETWORK_ACLS] = { NULL, NULL, "MaxResults", "1000",
                                "NextToken" },
    [ECP_COLL_MANAGED_PREFIX_LISTS] = { NULL, NULL, "MaxResults", "100",
                                        "NextToken" },
    [ECP_COLL_PREFIX_LIST_ENTRIES] = { NULL, NULL, "MaxResults", "100",
                                       "NextToken" },
    /* JSON protocol: the body is built in tags_body(). */
    [ECP_COLL_TAGS] = { NULL, NULL, "ResourcesPerPage", "100",
                        "PaginationToken" },
};

#define TAGGING_TARGET "ResourceGroupsTaggingAPI_20170126.GetResources"

struct fetch;

/* One collection of one region, or one prefix list's entries: a chain of
 * page requests, each started when the previous one is done. */
struct job {
    struct fetch *f;
    size_t region;
    enum ecp_coll coll;
    char *prefix_list_id;       /* entries jobs */
    cJSON *entries;             /* entries gathered so far */
    int page;
    struct ecp_aws_call call;
    struct job *next;           /* every job, for cleanup */
};

struct fetch {
    const struct ecp_fetch_options *o;
    struct ecp_inventory *inv;
    struct ecp_aws_client aws;
    struct job *jobs;
    size_t *entries_pending;    /* per region: entries jobs still running */
    int rejected_said;
    int progress_shown;
};

static enum ecp_status status_of(enum ecp_aws_outcome o)
{
    switch (o) {
    case ECP_AWS_OK: return ECP_ST_OK;
    case ECP_AWS_DENIED: return ECP_ST_ACCESS_DENIED;
    case ECP_AWS_THROTTLED: return ECP_ST_THROTTLED;
    case ECP_AWS_TIMEOUT: return ECP_ST_TIMEOUT;
    case ECP_AWS_MALFORMED: return ECP_ST_MALFORMED;
    default: return ECP_ST_ERROR;
    }
}

static struct ecp_collection *coll_of(struct job *j)
{
    return &j->f->inv->regions[j->region].coll[j->coll];
}

static const char *region_of(struct job *j)
{
    return j->f->inv->regions[j->region].name;
}

static void set_status(struct ecp_collection *c, enum ecp_status st,
                       const char *message)
{
    c->status = st;
    free(c->message);
    c->message = message ? ecp_strdup(message) : NULL;
}

/* The credentials were refused: say so once, naming where they came
 * from; every collection also records it. */
static void say_rejected(struct fetch *f, const struct ecp_aws_call *call)
{
    if (f->rejected_said)
        return;
    f->rejected_said = 1;
    fprintf(stderr, "%secpolicy: AWS refused the credentials from %s: %s\n",
            f->progress_shown ? "\n" : "",
            f->o->creds->source ? f->o->creds->source : "(unknown source)",
            call->message);
}

static int start_page(struct job *j, const char *token);

static void fail_job(struct job *j)
{
    struct ecp_aws_call *call = &j->call;
    char *msg;

    if (j->prefix_list_id)
        msg = ecp_asprintf("%s %s: %s", call->operation, j->prefix_list_id,
                           call->message);
    else
        msg = ecp_asprintf("%s: %s", call->operation, call->message);
    if (call->outcome == ECP_AWS_REJECTED)
        say_rejected(j->f, call);
    /* A list that failed makes all the entries unreliable; keep the first
     * failure's words. */
    struct ecp_collection *c = coll_of(j);
    if (!j->prefix_list_id || c->status == ECP_ST_OK ||
        c->status == ECP_ST_MISSING)
        set_status(c, status_of(call->outcome), msg);
    free(msg);
}

static void start_entries(struct fetch *f, size_t region);

static void entries_done(struct fetch *f, size_t region)
{
    if (--f->entries_pending[region] == 0) {
        struct ecp_collection *c =
            &f->inv->regions[region].coll[ECP_COLL_PREFIX_LIST_ENTRIES];
        if (c->status == ECP_ST_MISSING)
            set_status(c, ECP_ST_OK, NULL);
    }
}

/* Move the reply's items into the collection (or the job's entries). */
static void take_items(struct job *j, cJSON *reply)
{
    const struct ecp_coll_info *info = ecp_coll_info(j->coll);
    cJSON *list = cJSON_DetachItemFromObjectCaseSensitive(reply,
                                                          info->list_key);
    struct ecp_collection *c = coll_of(j);
    cJSON *into;

    if (!cJSON_IsArray(list)) {
        cJSON_Delete(list);
        return;
    }
    if (j->prefix_list_id) {
        if (!j->entries)
            j->entries = cJSON_CreateArray();
        into = j->entries;
    } else {
        if (!c->items)
            c->items = cJSON_CreateArray();
        into = c->items;
    }
    while (list->child)
        cJSON_AddItemToArray(into, cJSON_DetachItemViaPointer(list,
                                                              list->child));
    cJSON_Delete(list);
}

static void job_finished(struct ecp_aws_call *call)
{
    struct job *j = call->ud;
    struct fetch *f = j->f;

    if (call->outcome != ECP_AWS_OK) {
        fail_job(j);
        if (j->prefix_list_id)
            entries_done(f, j->region);
        else if (j->coll == ECP_COLL_SECURITY_GROUPS)
            set_status(&f->inv->regions[j->region]
                            .coll[ECP_COLL_PREFIX_LIST_ENTRIES],
                       ECP_ST_MISSING, "not collected: the security groups "
                       "could not be read, so the prefix lists they use are "
                       "not known");
        return;
    }
    take_items(j, call->reply);
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(
        call->reply, ecp_coll_info(j->coll)->page_token);
    if (cJSON_IsString(token) && token->valuestring[0]) {
        char *next = ecp_strdup(token->valuestring);
        cJSON_Delete(call->reply);
        call->reply = NULL;
        j->page++;
        if (start_page(j, next) != 0)
            fail_job(j);
        free(next);
        return;
    }
    cJSON_Delete(call->reply);
    call->reply = NULL;
    if (j->prefix_list_id) {
        struct ecp_collection *c = coll_of(j);
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "PrefixListId", j->prefix_list_id);
        cJSON_AddItemToObject(item, "Entries", j->entries ? j->entries
                                                          : cJSON_CreateArray());
        j->entries = NULL;
        if (!c->items)
            c->items = cJSON_CreateArray();
        cJSON_AddItemToArray(c->items, item);
        entries_done(f, j->region);
        return;
    }
    struct ecp_collection *c = coll_of(j);
    if (!c->items)
        c->items = cJSON_CreateArray();
    set_status(c, ECP_ST_OK, NULL);
    if (j->coll == ECP_COLL_SECURITY_GROUPS)
        start_entries(f, j->region);
}

static int by_prefix_list(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    const cJSON *ix = cJSON_GetObjectItemCaseSensitive(x, "PrefixListId");
    const cJSON *iy = cJSON_GetObjectItemCaseSensitive(y, "PrefixListId");

    return strcmp(ix->valuestring, iy->valuestring);
}

/* The inventory as a snapshot would give it back: a collection that
 * failed keeps none of the pages it got (they cannot be told from a whole
 * list, and nothing may pass on them), and prefix lists' entries are in
 * id order, not in the order their replies came. */
static void settle(struct ecp_inventory *inv)
{
    for (size_t r = 0; r < inv->nregions; r++) {
        for (int k = 0; k < ECP_COLL_COUNT; k++) {
            struct ecp_collection *c = &inv->regions[r].coll[k];
            if (c->status != ECP_ST_OK && c->status != ECP_ST_PARTIAL) {
                cJSON_Delete(c->items);
                c->items = NULL;
            }
        }
        cJSON *entries = inv->regions[r].coll[ECP_COLL_PREFIX_LIST_ENTRIES]
                             .items;
        int n = cJSON_GetArraySize(entries);
        if (n < 2)
            continue;
        cJSON **v = ecp_calloc((size_t)n, sizeof *v);
        for (int i = 0; i < n; i++)
            v[i] = cJSON_DetachItemFromArray(entries, 0);
        qsort(v, (size_t)n, sizeof *v, by_prefix_list);
        for (int i = 0; i < n; i++)
            cJSON_AddItemToArray(entries, v[i]);
        free(v);
    }
}

static const char *version_of(const char *service)
{
    return strcmp(service, "ec2") == 0 ? EC2_VERSION : ELASTICACHE_VERSION;
}

static enum ecp_aws_service service_of(const char *service)
{
    if (strcmp(service, "ec2") == 0)
        return ECP_AWS_EC2;
    if (strcmp(service, "resourcegroupstaggingapi") == 0)
        return ECP_AWS_TAGGING;
    return ECP_AWS_ELASTICACHE;
}

/* GetResources takes JSON: every ElastiCache resource's tags. */
static void tags_body(struct ecp_buf *out, const char *token)
{
    cJSON *body = cJSON_CreateObject();
    const char *const filters[] = { "elasticache" };
    char *text;

    cJSON_AddItemToObject(body, "ResourceTypeFilters",
                          cJSON_CreateStringArray(filters, 1));
    cJSON_AddNumberToObject(body, "ResourcesPerPage", 100);
    if (token)
        cJSON_AddStringToObject(body, "PaginationToken", token);
    text = cJSON_PrintUnformatted(body);
    ecp_buf_adds(out, text);
    cJSON_free(text);
    cJSON_Delete(body);
}

static int start_page(struct job *j, const char *token)
{
    const struct ecp_coll_info *info = ecp_coll_info(j->coll);
    const struct spec *s = &specs[j->coll];
    struct ecp_aws_call *call = &j->call;

    ecp_buf_free(&call->params);
    if (j->coll == ECP_COLL_TAGS) {
        tags_body(&call->params, token);
        call->target = TAGGING_TARGET;
        call->signing_name = "tagging";
    } else {
        if (s->fixed_name)
            ecp_form_add(&call->params, s->fixed_name, s->fixed_value);
        if (j->prefix_list_id)
            ecp_form_add(&call->params, "PrefixListId", j->prefix_list_id);
        ecp_form_add(&call->params, s->limit_name, s->limit);
        if (token)
            ecp_form_add(&call->params, s->token_in, token);
    }
    call->service = info->service;
    call->operation = info->operation;
    call->version = version_of(info->service);
    call->region = region_of(j);
    call->finished = job_finished;
    call->ud = j;
    if (!call->endpoint) {
        char *url = ecp_aws_endpoint(j->f->o->config,
                                     service_of(info->service), call->region,
                                     NULL);
        call->endpoint = url;   /* owned by the job: freed in cleanup */
    }
    return ecp_aws_call_start(&j->f->aws, call);
}

static struct job *new_job(struct fetch *f, size_t region, enum ecp_coll c,
                           const char *prefix_list_id)
{
    struct job *j = ecp_calloc(1, sizeof *j);

    j->f = f;
    j->region = region;
    j->coll = c;
    j->prefix_list_id = prefix_list_id ? ecp_strdup(prefix_list_id) : NULL;
    j->next = f->jobs;
    f->jobs = j;
    return j;
}

static void start_job(struct fetch *f, size_t region, enum ecp_coll c,
                      const char *prefix_list_id)
{
    struct job *j = new_job(f, region, c, prefix_list_id);

    if (start_page(j, NULL) != 0) {
        fail_job(j);
        if (prefix_list_id)
            entries_done(f, region);
    }
}

/* Entries of every prefix list that an ingress rule of the region's
 * security groups names (only those: the model resolves nothing else). */
static void start_entries(struct fetch *f, size_t region)
{
    struct ecp_region *r = &f->inv->regions[region];
    struct ecp_collection *entries = &r->coll[ECP_COLL_PREFIX_LIST_ENTRIES];
    cJSON *seen = cJSON_CreateObject();
    const cJSON *sg, *perm, *ref;
    size_t n = 0;

    if (!entries->items)
        entries->items = cJSON_CreateArray();
    /* "missing" while its lists are being read; entries_done makes it ok
     * unless one of them failed. */
    set_status(entries, ECP_ST_MISSING, "not collected: the run stopped "
               "before the prefix lists were read");
    cJSON_ArrayForEach(sg, r->coll[ECP_COLL_SECURITY_GROUPS].items) {
        cJSON_ArrayForEach(perm, cJSON_GetObjectItemCaseSensitive(
                                     sg, "IpPermissions")) {
            cJSON_ArrayForEach(ref, cJSON_GetObjectItemCaseSensitive(
                                        perm, "PrefixListIds")) {
                const cJSON *id = cJSON_GetObjectItemCaseSensitive(
                    ref, "PrefixListId");
                if (!cJSON_IsString(id) ||
                    cJSON_GetObjectItemCaseSensitive(seen, id->valuestring))
                    continue;
                cJSON_AddTrueToObject(seen, id->valuestring);
                n++;
            }
        }
    }
    if (n == 0) {
        set_status(entries, ECP_ST_OK, NULL);
        cJSON_Delete(seen);
        return;
    }
    /* Counted before any starts: a job can finish inside start_job. */
    f->entries_pending[region] = n + 1;
    for (const cJSON *id = seen->child; id; id = id->next)
        start_job(f, region, ECP_COLL_PREFIX_LIST_ENTRIES, id->string);
    cJSON_Delete(seen);
    entries_done(f, region);
}

static void progress(void *ud, const struct ecp_http_stats *s)
{
    struct fetch *f = ud;

    fprintf(stderr, "\rfetching %zu region%s: %lu of %lu calls done, "
            "%lu retr%s, %lu in flight   ", f->inv->nregions,
            f->inv->nregions == 1 ? "" : "s", s->done, s->calls, s->retries,
            s->retries == 1 ? "y" : "ies", s->in_flight);
    f->progress_shown = 1;
}

/* One call, run to its end on its own (account and region discovery). */
struct single {
    struct ecp_aws_call call;
    int finished;
};

static void single_finished(struct ecp_aws_call *call)
{
    ((struct single *)call->ud)->finished = 1;
}

static void start_single(struct fetch *f, struct single *s,
                         enum ecp_aws_service svc, const char *service,
                         const char *operation, const char *version,
                         const char *region)
{
    memset(s, 0, sizeof *s);
    s->call.service = service;
    s->call.operation = operation;
    s->call.version = version;
    s->call.region = region;
    s->call.endpoint = ecp_aws_endpoint(f->o->config, svc, region, NULL);
    s->call.finished = single_finished;
    s->call.ud = s;
    if (ecp_aws_call_start(&f->aws, &s->call) != 0)
        s->finished = 1;
}

static void end_single(struct single *s)
{
    free((char *)s->call.endpoint);
    ecp_aws_call_clear(&s->call);
}

/* The enabled regions, from EC2 DescribeRegions in a region we know. */
static int discover_regions(struct fetch *f, char ***names, size_t *n,
                            struct ecp_err *err)
{
    const struct ecp_aws_config *cfg = f->o->config;
    const char *bootstrap = cfg->nregions ? cfg->regions[0] : "us-east-1";
    struct single s;
    const cJSON *r;

    start_single(f, &s, ECP_AWS_EC2, "ec2", "DescribeRegions", EC2_VERSION,
                 bootstrap);
    if (ecp_http_run(f->aws.http, err) != 0) {
        end_single(&s);
        return -1;
    }
    if (s.call.outcome != ECP_AWS_OK) {
        ecp_err_set(err, "--all-regions: DescribeRegions in %s: %s",
                    bootstrap, s.call.message);
        end_single(&s);
        return -1;
    }
    *n = 0;
    *names = NULL;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(s.call.reply,
                                                           "Regions")) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(r, "RegionName");
        if (!cJSON_IsString(name))
            continue;
        *names = ecp_realloc(*names, (*n + 1) * sizeof **names);
        (*names)[(*n)++] = ecp_strdup(name->valuestring);
    }
    end_single(&s);
    if (*n == 0)
        return ecp_err_set(err, "--all-regions: DescribeRegions in %s "
                           "listed no region", bootstrap);
    return 0;
}

/* Anything fetched must hold the same invariants as saved input does. */
static void validate_all(struct ecp_inventory *inv)
{
    for (size_t i = 0; i < inv->nregions; i++) {
        struct ecp_region *r = &inv->regions[i];
        for (int c = 0; c < ECP_COLL_COUNT; c++) {
            struct ecp_collection *col = &r->coll[c];
            struct ecp_err err;
            char *where;
            if (!col->items)
                continue;
            where = ecp_asprintf("%s %s", r->name, ecp_coll_info(c)->operation);
            if (ecp_validate_items(c, col->items, where, "$", &err) != 0) {
                set_status(col, ECP_ST_MALFORMED, err.msg);
                cJSON_Delete(col->items);
                col->items = NULL;
            }
            free(where);
        }
    }
}

static void set_up_regions(struct fetch *f, char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct ecp_region *r = ecp_inventory_region(f->inv, names[i]);
        for (int c = 0; c < ECP_COLL_COUNT; c++) {
            int wanted = !f->o->needed || f->o->needed[c];
            set_status(&r->coll[c], wanted ? ECP_ST_ERROR : ECP_ST_MISSING,
                       wanted ? "not collected: the run stopped before this "
                                "collection was read"
                              : "not fetched: no selected control reads it");
        }
    }
}

static char *now_text(void)
{
    time_t t = time(NULL);
    struct tm tm;
    char buf[32];

    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return ecp_strdup(buf);
}

int ecp_fetch(const struct ecp_fetch_options *o, struct ecp_inventory *inv,
              struct ecp_err *err)
{
    struct fetch f = { 0 };
    struct ecp_http_options hopts = { 0 };
    char **names = NULL;
    size_t nnames = 0;
    struct single account;
    int rc = -1;

    f.o = o;
    f.inv = inv;
    hopts.max_parallel = o->max_parallel;
    hopts.connect_timeout_ms = o->connect_timeout_ms;
    hopts.request_timeout_ms = o->request_timeout_ms;
    hopts.ca_bundle = o->config->ca_bundle;
    f.aws.http = ecp_http_client_new(&hopts, err);
    if (!f.aws.http)
        return -1;
    f.aws.creds = o->creds;
    f.aws.log = o->log;
    ecp_retry_init(&f.aws.retry);
    f.aws.retry.max_attempts = o->config->max_attempts;

    if (o->all_regions) {
        if (discover_regions(&f, &names, &nnames, err) != 0)
            goto out;
    } else {
        if (ecp_aws_config_need_region(o->config, err) != 0)
            goto out;
        for (size_t i = 0; i < o->config->nregions; i++) {
            names = ecp_realloc(names, (nnames + 1) * sizeof *names);
            names[nnames++] = ecp_strdup(o->config->regions[i]);
        }
    }
    inv->source_kind = ecp_strdup("aws");
    inv->collected_at = now_text();
    set_up_regions(&f, names, nnames);
    f.entries_pending = ecp_calloc(inv->nregions, sizeof *f.entries_pending);
    if (o->progress) {
        ecp_http_set_progress(f.aws.http, progress, &f);
    }

    start_single(&f, &account, ECP_AWS_STS, "sts", "GetCallerIdentity",
                 STS_VERSION, inv->regions[0].name);
    for (size_t r = 0; r < inv->nregions; r++)
        for (int c = 0; c < ECP_COLL_COUNT; c++) {
            /* Entries follow the security groups they are named in. */
            if (c == ECP_COLL_PREFIX_LIST_ENTRIES ||
                (o->needed && !o->needed[c] &&
                 !(c == ECP_COLL_SECURITY_GROUPS &&
                   o->needed[ECP_COLL_PREFIX_LIST_ENTRIES])))
                continue;
            start_job(&f, r, c, NULL);
        }
    rc = ecp_http_run(f.aws.http, err);
    if (f.progress_shown)
        fputc('\n', stderr);
    if (account.call.outcome == ECP_AWS_OK) {
        inv->account = account.call.reply;
        account.call.reply = NULL;
    } else {
        ecp_inventory_warn(inv, "the account id is not known: "
                           "GetCallerIdentity: %s", account.call.message);
    }
    end_single(&account);
    settle(inv);
    validate_all(inv);
out:
    for (struct job *j = f.jobs, *next; j; j = next) {
        next = j->next;
        free((char *)j->call.endpoint);
        ecp_aws_call_clear(&j->call);
        cJSON_Delete(j->entries);
        free(j->prefix_list_id);
        free(j);
    }
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    free(f.entries_pending);
    ecp_http_client_free(f.aws.http);
    ecp_aws_client_clear(&f.aws);
    return rc;
}
