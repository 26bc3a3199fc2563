#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remediate/plan.h"
#include "util/buf.h"
#include "util/mem.h"

#define PATH_MAX_LEN 200

/* ---- the AWS CLI's names ---- */

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/*
 * botocore's xform_name: a trailing run of two or more capitals and an
 * "s" ("ACLs") becomes a word of its own; then "(.)([A-Z][a-z]+)" and
 * "([a-z0-9])([A-Z])" get the separator between their groups, each
 * substitution scanning left to right without overlap, as re.sub does.
 */
char *ecp_cli_name(const char *name)
{
    struct ecp_buf a = { 0 }, b = { 0 };
    size_t n = strlen(name), i;

    if (strchr(name, '-'))
        return ecp_strdup(name);
    if (n >= 3 && name[n - 1] == 's' && is_upper(name[n - 2]) &&
        is_upper(name[n - 3])) {
        size_t start = n - 1;
        while (start > 0 && is_upper(name[start - 1]))
            start--;
        ecp_buf_add(&a, name, start);
        ecp_buf_addc(&a, '-');
        for (i = start; i < n; i++)
            ecp_buf_addc(&a, (char)tolower((unsigned char)name[i]));
    } else {
        ecp_buf_add(&a, name, n);
    }
    ecp_buf_addc(&a, '\0');
    const char *s = a.data;
    n = strlen(s);
    for (i = 0; i < n;) {
        if (i + 2 < n && is_upper(s[i + 1]) && is_lower(s[i + 2])) {
            size_t end = i + 3;
            while (end < n && is_lower(s[end]))
                end++;
            ecp_buf_addc(&b, s[i]);
            ecp_buf_addc(&b, '-');
            ecp_buf_add(&b, s + i + 1, end - i - 1);
            i = end;
        } else {
            ecp_buf_addc(&b, s[i++]);
        }
    }
    ecp_buf_addc(&b, '\0');
    ecp_buf_free(&a);
    s = b.data;
    n = strlen(s);
    for (i = 0; i < n;) {
        if (i + 1 < n && (is_lower(s[i]) || is_digit(s[i])) &&
            is_upper(s[i + 1])) {
            ecp_buf_addc(&a, s[i]);
            ecp_buf_addc(&a, '-');
            ecp_buf_addc(&a, s[i + 1]);
            i += 2;
        } else {
            ecp_buf_addc(&a, s[i++]);
        }
    }
    ecp_buf_free(&b);
    char *out = ecp_buf_take(&a);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

/* ---- checking ---- */

struct check {
    char *why;
    size_t size;
};

static int bad(struct check *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(struct check *c, const char *path, const char *fmt, ...)
{
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(c->why, c->size, "%s%s%s", path, *path ? ": " : "", msg);
    return -1;
}

static const char *type_of(const cJSON *v)
{
    if (cJSON_IsString(v)) return "string";
    if (cJSON_IsNumber(v)) return "number";
    if (cJSON_IsBool(v)) return "boolean";
    if (cJSON_IsArray(v)) return "list";
    if (cJSON_IsObject(v)) return "table";
    return "nil";
}

static int only_fields(struct check *c, const cJSON *obj, const char *path,
                       const char *const *allowed)
{
    const cJSON *m;

    cJSON_ArrayForEach(m, obj) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(m->string, *a) == 0)
                ok = 1;
        if (!ok) {
            struct ecp_buf list = { 0 };
            for (const char *const *a = allowed; *a; a++) {
                if (a != allowed)
                    ecp_buf_adds(&list, ", ");
                ecp_buf_adds(&list, *a);
            }
            ecp_buf_addc(&list, '\0');
            bad(c, path, "unknown field '%s' (it may have: %s)", m->string,
                list.data);
            ecp_buf_free(&list);
            return -1;
        }
    }
    return 0;
}

/* A non-empty string member; NULL (and why) if absent or otherwise. */
static const char *text(struct check *c, const cJSON *obj, const char *path,
                        const char *name, int required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    char where[PATH_MAX_LEN];

    snprintf(where, sizeof where, "%s%s%s", path, *path ? "." : "", name);
    if (!v) {
        if (required)
            bad(c, where, "is required");
        return NULL;
    }
    if (!cJSON_IsString(v)) {
        bad(c, where, "expected a string, got a %s", type_of(v));
        return NULL;
    }
    if (!v->valuestring[0]) {
        bad(c, where, "is empty");
        return NULL;
    }
    return v->valuestring;
}

static int is_name(const char *s)
{
    if (!is_upper(*s))
        return 0;
    for (; *s; s++)
        if (!is_upper(*s) && !is_lower(*s) && !is_digit(*s))
            return 0;
    return 1;
}

/* The members that name the resource a call acts on: they lead the
 * command, as people write it. */
static int is_identifier(const char *name)
{
    static const char *const ids[] = {
        "CacheClusterId", "ReplicationGroupId", "ServerlessCacheName",
        "GroupId", "NetworkAclId", "SnapshotName", "SourceSnapshotName",
        "ServerlessCacheSnapshotName", "UserId", "UserGroupId",
        "CacheSubnetGroupName", "RouteTableId", NULL
    };
    for (const char *const *p = ids; *p; p++)
        if (strcmp(name, *p) == 0)
            return 1;
    return 0;
}

/* Sort an object's members (identifiers first, then by name),
 * recursively, so that commands and JSON words come out the same on
 * every run. */
static int by_name(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    int ix = is_identifier(x->string), iy = is_identifier(y->string);

    if (ix != iy)
        return iy - ix;
    return strcmp(x->string, y->string);
}

static void sort_members(cJSON *v)
{
    size_t n = 0, i;
    cJSON *m, **v_list;

    cJSON_ArrayForEach(m, v)
        sort_members(m);
    if (!cJSON_IsObject(v) || !v->child)
        return;
    cJSON_ArrayForEach(m, v)
        n++;
    v_list = ecp_calloc(n, sizeof *v_list);
    i = 0;
    cJSON_ArrayForEach(m, v)
        v_list[i++] = m;
    qsort(v_list, n, sizeof *v_list, by_name);
    for (i = 0; i < n; i++) {
        v_list[i]->prev = i ? v_list[i - 1] : v_list[n - 1];
        v_list[i]->next = i + 1 < n ? v_list[i + 1] : NULL;
    }
    v->child = v_list[0];
    free(v_list);
}

/* ---- commands ---- */

static void add_word(cJSON *argv, const char *w)
{
    cJSON_AddItemToArray(argv, cJSON_CreateString(w));
}

static void add_number(cJSON *argv, double d)
{
    char buf[40];

    if (d == (double)(long long)d && d > -9007199254740992.0 &&
        d < 9007199254740992.0)
        snprintf(buf, sizeof buf, "%lld", (long long)d);
    else
        snprintf(buf, sizeof buf, "%.17g", d);
    add_word(argv, buf);
}

static int scalars_only(const cJSON *list)
{
    const cJSON *x;

    if (!list->child)
        return 0;
    cJSON_ArrayForEach(x, list)
        if (!cJSON_IsString(x) && !cJSON_IsNumber(x))
            return 0;
    return 1;
}

/* The AWS CLI renames a few options of its own (awscli's
 * customizations/argrename.py): "--no-egress" does not exist, the
 * negative of --egress is --ingress. */
static const struct {
    const char *service, *command, *from, *to;
} renames[] = {
    { "ec2", NULL, "--no-egress", "--ingress" },
    { "ec2", NULL, "--no-disable-api-termination",
      "--enable-api-termination" },
    { "ec2", "create-image", "--no-no-reboot", "--reboot" },
};

static void add_flag(cJSON *argv, const char *service, const char *command,
                     const char *flag)
{
    for (size_t i = 0; i < sizeof renames / sizeof renames[0]; i++)
        if (strcmp(service, renames[i].service) == 0 &&
            (!renames[i].command || strcmp(command, renames[i].command) == 0)
            && strcmp(flag, renames[i].from) == 0) {
            add_word(argv, renames[i].to);
            return;
        }
    add_word(argv, flag);
}

/* --name value words for every parameter, the AWS CLI's way. */
static void add_params(cJSON *argv, const char *service, const char *command,
                       const cJSON *params)
{
    const cJSON *p;

    cJSON_ArrayForEach(p, params) {
        char *name = ecp_cli_name(p->string);
        char *flag = ecp_asprintf("--%s", name);
        if (cJSON_IsBool(p)) {
            char *no = ecp_asprintf("--no-%s", name);
            add_flag(argv, service, command, cJSON_IsTrue(p) ? flag : no);
            free(no);
        } else {
            add_flag(argv, service, command, flag);
            if (cJSON_IsString(p)) {
                add_word(argv, p->valuestring);
            } else if (cJSON_IsNumber(p)) {
                add_number(argv, p->valuedouble);
            } else if (cJSON_IsArray(p) && scalars_only(p)) {
                const cJSON *x;
                cJSON_ArrayForEach(x, p) {
                    if (cJSON_IsString(x))
                        add_word(argv, x->valuestring);
                    else
                        add_number(argv, x->valuedouble);
                }
            } else {
                char *json = cJSON_PrintUnformatted(p);
                add_word(argv, json ? json : "null");
                cJSON_free(json);
            }
        }
        free(flag);
        free(name);
    }
}

static cJSON *command(const char *service, const char *verb,
                      const char *name, const cJSON *params,
                      const char *region)
{
    cJSON *argv = cJSON_CreateArray();
    char *cli = ecp_cli_name(name);

    add_word(argv, "aws");
    add_word(argv, service);
    if (verb)
        add_word(argv, verb);
    add_word(argv, cli);
    add_params(argv, service, cli, params);
    free(cli);
    add_word(argv, "--region");
    add_word(argv, region);
    return argv;
}

/* ---- steps ---- */

static const char *const api_fields[] = {
    "title", "service", "action", "params", "effect", "wait", "backout",
    "no_backout", NULL
};
static const char *const manual_fields[] = {
    "title", "instructions", "backout", "no_backout", NULL
};
static const char *const wait_fields[] = { "waiter", "params", NULL };

static int check_params(struct check *c, cJSON *step, const char *path,
                        const char *name, cJSON **out)
{
    char where[PATH_MAX_LEN];
    cJSON *p = cJSON_GetObjectItemCaseSensitive(step, name);

    snprintf(where, sizeof where, "%s.%s", path, name);
    if (!p)
        return bad(c, where, "is required");
    if (cJSON_IsArray(p) && !p->child) {
        /* An empty Lua table converts to an empty list. */
        cJSON *empty = cJSON_CreateObject();
        cJSON_ReplaceItemInObjectCaseSensitive(step, name, empty);
        p = empty;
    }
    if (!cJSON_IsObject(p))
        return bad(c, where, "expected a table of API parameters, got a %s",
                   type_of(p));
    const cJSON *m;
    cJSON_ArrayForEach(m, p)
        if (!is_name(m->string))
            return bad(c, where, "'%s' is not an API member name "
                       "(PascalCase, as AWS names it)", m->string);
    sort_members(p);
    *out = p;
    return 0;
}

static int check_wait(struct check *c, cJSON *wait, const char *path,
                      const char *service, const char *region)
{
    char where[PATH_MAX_LEN];
    cJSON *params;

    snprintf(where, sizeof where, "%s.wait", path);
    if (!cJSON_IsObject(wait))
        return bad(c, where, "expected a table, got a %s", type_of(wait));
    if (only_fields(c, wait, where, wait_fields) != 0)
        return -1;
    const char *waiter = text(c, wait, where, "waiter", 1);
    if (!waiter)
        return -1;
    if (!is_name(waiter))
        return bad(c, where, "waiter '%s' is not a waiter name "
                   "(\"ReplicationGroupAvailable\")", waiter);
    if (check_params(c, wait, where, "params", &params) != 0)
        return -1;
    cJSON_AddItemToObject(wait, "cli", command(service, "wait", waiter,
                                               params, region));
    return 0;
}

static int check_step(struct check *c, cJSON *step, const char *path,
                      const char *region, int is_backout, int *migration);

static int check_backout(struct check *c, cJSON *step, const char *path,
                         const char *region)
{
    cJSON *backout = cJSON_GetObjectItemCaseSensitive(step, "backout");
    const cJSON *none = cJSON_GetObjectItemCaseSensitive(step, "no_backout");
    char where[PATH_MAX_LEN];
    int ignored = 0;

    if (backout && none)
        return bad(c, path, "has both backout and no_backout; give one");
    if (none)
        return text(c, step, path, "no_backout", 1) ? 0 : -1;
    if (!backout)
        return bad(c, path, "needs a backout (the step that undoes it) or "
                   "no_backout (why nothing needs undoing)");
    snprintf(where, sizeof where, "%s.backout", path);
    return check_step(c, backout, where, region, 1, &ignored);
}

static int check_step(struct check *c, cJSON *step, const char *path,
                      const char *region, int is_backout, int *migration)
{
    const cJSON *action_item;
    cJSON *params;

    if (!cJSON_IsObject(step))
        return bad(c, path, "expected a step table, got a %s",
                   type_of(step));
    if (!text(c, step, path, "title", 1))
        return -1;
    action_item = cJSON_GetObjectItemCaseSensitive(step, "action");
    if (!action_item) {
        if (!cJSON_GetObjectItemCaseSensitive(step, "instructions"))
            return bad(c, path, "a step needs action (an API call) or "
                       "instructions (a manual step)");
        if (only_fields(c, step, path, manual_fields) != 0 ||
            !text(c, step, path, "instructions", 1))
            return -1;
    } else {
        if (only_fields(c, step, path, api_fields) != 0)
            return -1;
        const char *service = text(c, step, path, "service", 1);
        if (!service)
            return -1;
        if (strcmp(service, "elasticache") != 0 &&
            strcmp(service, "ec2") != 0) {
            char where[PATH_MAX_LEN];
            snprintf(where, sizeof where, "%s.service", path);
            return bad(c, where, "'%s' is not a service plans may call "
                       "(elasticache, ec2)", service);
        }
        const char *action = text(c, step, path, "action", 1);
        if (!action)
            return -1;
        if (!is_name(action)) {
            char where[PATH_MAX_LEN];
            snprintf(where, sizeof where, "%s.action", path);
            return bad(c, where, "'%s' is not an API action name "
                       "(\"ModifyReplicationGroup\")", action);
        }
        const char *effect = text(c, step, path, "effect", !is_backout);
        if (!effect && (!is_backout ||
                        cJSON_GetObjectItemCaseSensitive(step, "effect")))
            return -1;
        if (effect && strcmp(effect, "in_place") != 0 &&
            strcmp(effect, "migration") != 0) {
            char where[PATH_MAX_LEN];
            snprintf(where, sizeof where, "%s.effect", path);
            return bad(c, where, "'%s' is neither in_place nor migration",
                       effect);
        }
        if (effect && strcmp(effect, "migration") == 0)
            *migration = 1;
        if (check_params(c, step, path, "params", &params) != 0)
            return -1;
        cJSON *wait = cJSON_GetObjectItemCaseSensitive(step, "wait");
        if (wait && check_wait(c, wait, path, service, region) != 0)
            return -1;
        cJSON_AddStringToObject(step, "region", region);
        cJSON_AddItemToObject(step, "cli", command(service, NULL, action,
                                                   params, region));
    }
    if (is_backout) {
        if (cJSON_GetObjectItemCaseSensitive(step, "backout") ||
            cJSON_GetObjectItemCaseSensitive(step, "no_backout"))
            return bad(c, path, "a backout has no backout of its own");
        return 0;
    }
    return check_backout(c, step, path, region);
}

static int string_list(struct check *c, cJSON *plan, const char *name)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(plan, name);
    const cJSON *x;
    int i = 0;

    if (!list)
        return 0;
    if (cJSON_IsArray(list) || (cJSON_IsObject(list) && !list->child)) {
        cJSON_ArrayForEach(x, list) {
            char where[PATH_MAX_LEN];
            snprintf(where, sizeof where, "%s[%d]", name, i + 1);
            if (!cJSON_IsString(x))
                return bad(c, where, "expected a string, got a %s",
                           type_of(x));
            i++;
        }
        return 0;
    }
    return bad(c, name, "expected a list of strings, got a %s",
               type_of(list));
}

static int preconditions(struct check *c, cJSON *plan)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(plan, "preconditions");
    static const char *const fields[] = { "text", "met", NULL };
    int i = 0;

    if (!list || (cJSON_IsObject(list) && !list->child))
        return 0;
    if (!cJSON_IsArray(list))
        return bad(c, "preconditions", "expected a list, got a %s",
                   type_of(list));
    for (cJSON *x = list->child; x; x = x->next) {
        char where[PATH_MAX_LEN];
        snprintf(where, sizeof where, "preconditions[%d]", ++i);
        if (cJSON_IsString(x)) {
            cJSON *t = cJSON_CreateObject();
            cJSON_AddStringToObject(t, "text", x->valuestring);
            cJSON_ReplaceItemViaPointer(list, x, t);
            x = t;
            continue;
        }
        if (!cJSON_IsObject(x))
            return bad(c, where, "expected a string or { text, met }, got "
                       "a %s", type_of(x));
        if (only_fields(c, x, where, fields) != 0 ||
            !text(c, x, where, "text", 1))
            return -1;
        const cJSON *met = cJSON_GetObjectItemCaseSensitive(x, "met");
        if (met && !cJSON_IsBool(met)) {
            char m[PATH_MAX_LEN + 8];
            snprintf(m, sizeof m, "%s.met", where);
            return bad(c, m, "expected true or false, got a %s",
                       type_of(met));
        }
    }
    return 0;
}

int ecp_plan_complete(cJSON *plan, const char *region, char *why,
                      size_t size)
{
    static const char *const fields[] = {
        "summary", "steps", "preconditions", "warnings", "kind", NULL
    };
    struct check c = { why, size };
    int migration = 0, i = 0;

    if (!cJSON_IsObject(plan))
        return bad(&c, "", "remediate returned a %s, not a plan table",
                   type_of(plan));
    if (only_fields(&c, plan, "", fields) != 0 ||
        !text(&c, plan, "", "summary", 1))
        return -1;
    cJSON *steps = cJSON_GetObjectItemCaseSensitive(plan, "steps");
    if (!steps)
        return bad(&c, "steps", "is required");
    if (!cJSON_IsArray(steps) || !steps->child)
        return bad(&c, "steps", "expected a list of at least one step");
    for (cJSON *s = steps->child; s; s = s->next) {
        char where[PATH_MAX_LEN];
        snprintf(where, sizeof where, "steps[%d]", ++i);
        if (check_step(&c, s, where, region, 0, &migration) != 0)
            return -1;
    }
    if (preconditions(&c, plan) != 0 || string_list(&c, plan, "warnings"))
        return -1;
    const char *computed = migration ? "migration" : "in_place";
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(plan, "kind");
    if (kind) {
        if (!cJSON_IsString(kind) || strcmp(kind->valuestring, computed))
            return bad(&c, "kind", "the plan says %s%s%s, but its steps make "
                       "it %s", cJSON_IsString(kind) ? "'" : "a ",
                       cJSON_IsString(kind) ? kind->valuestring
                       : type_of(kind), cJSON_IsString(kind) ? "'" : "",
                       computed);
    } else {
        cJSON_AddStringToObject(plan, "kind", computed);
    }
    return 0;
}
