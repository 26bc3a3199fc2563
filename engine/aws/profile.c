#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aws/profile.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"

/* Config files are a few kilobytes; anything this big is a mistake. */
#define PROFILE_MAX_BYTES ((size_t)4 << 20)

/* Python's str.strip() and configparser's \S: the ASCII whitespace. */
static int is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The parser's state: the sections so far, and the key whose value is
 * still growing (continuation lines). */
struct parser {
    struct ecp_profile_file *out;
    enum ecp_profile_kind kind;
    const char *path;
    struct ecp_err *err;
    size_t cap_sections;
    int in_section;         /* a header has been seen */
    int have_key;           /* a key is open for continuation lines */
    size_t indent;          /* indentation of the open key's line */
    struct ecp_buf value;   /* the open key's lines, joined with '\n' */
    int *lines;             /* the line number of each of those lines */
    size_t nlines, cap_lines;
};

static struct ecp_profile_section *last_section(struct parser *p)
{
    return &p->out->sections[p->out->nsections - 1];
}

static void value_add_line(struct parser *p, const char *s, size_t n,
                           int line)
{
    if (p->nlines > 0)
        ecp_buf_addc(&p->value, '\n');
    ecp_buf_add(&p->value, s, n);
    if (p->nlines == p->cap_lines) {
        p->cap_lines = p->cap_lines ? 2 * p->cap_lines : 8;
        p->lines = ecp_realloc(p->lines, p->cap_lines * sizeof *p->lines);
    }
    p->lines[p->nlines++] = line;
}

static void strip(const char **s, size_t *n)
{
    while (*n > 0 && is_space((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_space((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* Split the open key's value into sub-properties: it started on the line
 * after the key, as in "s3 =\n  addressing_style = path". */
static int parse_subs(struct parser *p, struct ecp_profile_prop *prop)
{
    const char *s = p->value.data;
    size_t cap = 0;

    for (size_t i = 0; i < p->nlines; i++) {
        const char *end = strchr(s, '\n');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        const char *line = s, *eq;

        s = end ? end + 1 : s + n;
        if (n == 0)
            continue;
        eq = memchr(line, '=', n);
        if (!eq)
            return ecp_err_set(p->err, "%s:%d: expected 'key = value' in "
                               "the indented block under '%s'", p->path,
                               p->lines[i], prop->key);
        if (prop->nsubs == cap) {
            cap = cap ? 2 * cap : 4;
            prop->subs = ecp_realloc(prop->subs, cap * sizeof *prop->subs);
        }
        struct ecp_profile_prop *sub = &prop->subs[prop->nsubs++];
        const char *k = line, *v = eq + 1;
        size_t kn = (size_t)(eq - line), vn = n - kn - 1;

        strip(&k, &kn);
        strip(&v, &vn);
        memset(sub, 0, sizeof *sub);
        sub->key = ecp_strndup(k, kn);
        sub->value = ecp_strndup(v, vn);
        sub->line = p->lines[i];
    }
    return 0;
}

/* The open key is complete: store its value, as configparser joins it
 * (trailing blank lines dropped). */
static int close_key(struct parser *p)
{
    struct ecp_profile_prop *prop;
    const char *v;
    size_t n;

    if (!p->have_key)
        return 0;
    p->have_key = 0;
    prop = &last_section(p)->props[last_section(p)->nprops - 1];
    v = p->value.data ? p->value.data : "";
    n = p->value.len;
    while (n > 0 && is_space((unsigned char)v[n - 1]))
        n--;
    if (n > 0 && v[0] == '\n') {
        prop->value = ecp_strdup("");
        if (parse_subs(p, prop) != 0)
            return -1;
    } else {
        prop->value = ecp_strndup(v, n);
    }
    ecp_buf_free(&p->value);
    p->nlines = 0;
    return 0;
}

/* What a section header names.  botocore tests only the prefix
 * ("[profiles x]" is profile x too) and then wants exactly two words. */
static void classify(struct parser *p, struct ecp_profile_section *sec,
                     const char *header)
{
    static const struct {
        const char *prefix;
        enum ecp_section_kind kind;
    } prefixed[] = {
        { "profile", ECP_SECTION_PROFILE },
        { "sso-session", ECP_SECTION_SSO_SESSION },
        { "services", ECP_SECTION_SERVICES },
    };

    sec->kind = ECP_SECTION_OTHER;
    if (p->kind == ECP_PROFILE_CREDENTIALS) {
        sec->kind = ECP_SECTION_PROFILE;
        sec->name = ecp_strdup(header);
        return;
    }
    for (size_t i = 0; i < sizeof prefixed / sizeof prefixed[0]; i++) {
        char **words;
        size_t n;

        if (!starts_with(header, prefixed[i].prefix))
            continue;
        if (ecp_shell_split(header, &words, &n, NULL) == 0) {
            if (n == 2) {
                sec->kind = prefixed[i].kind;
                sec->name = ecp_strdup(words[1]);
            }
            ecp_words_free(words);
        }
        break;
    }
    if (sec->kind == ECP_SECTION_OTHER && strcmp(header, "default") == 0)
        sec->kind = ECP_SECTION_PROFILE;
    if (!sec->name)
        sec->name = ecp_strdup(header);
}

static int add_section(struct parser *p, const char *s, size_t n, int line)
{
    struct ecp_profile_file *f = p->out;
    struct ecp_profile_section *sec;
    char *header = ecp_strndup(s, n);

    if (close_key(p) != 0) {
        free(header);
        return -1;
    }
    if (f->nsections == p->cap_sections) {
        p->cap_sections = p->cap_sections ? 2 * p->cap_sections : 8;
        f->sections = ecp_realloc(f->sections,
                                  p->cap_sections * sizeof *f->sections);
    }
    sec = &f->sections[f->nsections++];
    memset(sec, 0, sizeof *sec);
    sec->line = line;
    classify(p, sec, header);
    free(header);
    p->in_section = 1;
    return 0;
}

/* "key = value" or "key: value", whichever delimiter comes first. */
static int add_key(struct parser *p, const char *s, size_t n, int line)
{
    struct ecp_profile_section *sec;
    struct ecp_profile_prop *prop;
    size_t kn = 0, cap;

    while (kn < n && s[kn] != '=' && s[kn] != ':')
        kn++;
    if (kn == n)
        return ecp_err_set(p->err, "%s:%d: expected '[section]' or "
                           "'key = value'", p->path, line);
    const char *key = s, *val = s + kn + 1;
    size_t vn = n - kn - 1;

    strip(&key, &kn);
    strip(&val, &vn);
    if (kn == 0)
        return ecp_err_set(p->err, "%s:%d: a value without a key", p->path,
                           line);
    if (close_key(p) != 0)
        return -1;
    sec = last_section(p);
    cap = sec->nprops;
    /* Capacity doubles at powers of two, so the size says when to grow. */
    if (cap == 0 || (cap & (cap - 1)) == 0)
        sec->props = ecp_realloc(sec->props,
                                 (cap ? 2 * cap : 1) * sizeof *sec->props);
    prop = &sec->props[sec->nprops++];
    memset(prop, 0, sizeof *prop);
    prop->key = ecp_strndup(key, kn);
    for (char *c = prop->key; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    prop->line = line;
    p->have_key = 1;
    value_add_line(p, val, vn, line);
    return 0;
}

/* One line, without its line break: configparser's _read, step by step. */
static int parse_line(struct parser *p, const char *s, size_t n, int line)
{
    const char *t = s;
    size_t tn = n, indent = 0;

    strip(&t, &tn);
    if (tn > 0 && (t[0] == '#' || t[0] == ';'))
        return 0;
    if (tn == 0) {
        /* A blank line stays inside a value that goes on below it. */
        if (p->have_key)
            value_add_line(p, "", 0, line);
        return 0;
    }
    while (indent < n && is_space((unsigned char)s[indent]))
        indent++;
    if (p->have_key && indent > p->indent) {
        value_add_line(p, t, tn, line);
        return 0;
    }
    p->indent = indent;
    if (t[0] == '[') {
        const char *close = NULL;

        for (size_t i = tn; i > 2; i--)
            if (t[i - 1] == ']') {
                close = t + i - 1;
                break;
            }
        if (close)
            return add_section(p, t + 1, (size_t)(close - t - 1), line);
    }
    if (!p->in_section)
        return ecp_err_set(p->err, "%s:%d: a key before any [section]",
                           p->path, line);
    return add_key(p, t, tn, line);
}

int ecp_profile_parse(struct ecp_profile_file *out, enum ecp_profile_kind kind,
                      const char *path, const char *text, size_t len,
                      struct ecp_err *err)
{
    struct parser p = { 0 };
    size_t i = 0;
    int line = 1, rc = 0;

    memset(out, 0, sizeof *out);
    out->path = path ? ecp_strdup(path) : NULL;
    out->found = 1;
    p.out = out;
    p.kind = kind;
    p.path = path ? path : "(config)";
    p.err = err;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && rc == 0) {
        size_t start = i;

        while (i < len && text[i] != '\n' && text[i] != '\r' && text[i])
            i++;
        if (i < len && text[i] == '\0') {
            rc = ecp_err_set(err, "%s:%d: a NUL byte: not a text file",
                             p.path, line);
            break;
        }
        rc = parse_line(&p, text + start, i - start, line);
        if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
            i++;
        i++;
        line++;
    }
    if (rc == 0)
        rc = close_key(&p);
    ecp_buf_free(&p.value);
    free(p.lines);
    if (rc != 0)
        ecp_profile_file_free(out);
    return rc;
}

int ecp_profile_load(struct ecp_profile_file *out, enum ecp_profile_kind kind,
                     const char *path, struct ecp_err *err)
{
    struct stat st;
    char *text;
    size_t len;
    int rc;

    memset(out, 0, sizeof *out);
    if (!path)
        return 0;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            return ecp_err_set(err, "%s: %s", path, strerror(errno));
        st.st_mode = 0;
    }
    /* botocore reads only regular files: AWS_CONFIG_FILE=/dev/null or a
     * path that does not exist means "no file". */
    if (!S_ISREG(st.st_mode)) {
        out->path = ecp_strdup(path);
        return 0;
    }
    if (ecp_read_file(path, PROFILE_MAX_BYTES, &text, &len, err) != 0)
        return -1;
    rc = ecp_profile_parse(out, kind, path, text, len, err);
    free(text);
    return rc;
}

static void free_props(struct ecp_profile_prop *props, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(props[i].key);
        free(props[i].value);
        free_props(props[i].subs, props[i].nsubs);
    }
    free(props);
}

void ecp_profile_file_free(struct ecp_profile_file *f)
{
    for (size_t i = 0; i < f->nsections; i++) {
        free(f->sections[i].name);
        free_props(f->sections[i].props, f->sections[i].nprops);
    }
    free(f->sections);
    free(f->path);
    memset(f, 0, sizeof *f);
}

int ecp_aws_files_load(struct ecp_aws_files *f, const char *config_path,
                       const char *credentials_path, struct ecp_err *err)
{
    memset(f, 0, sizeof *f);
    if (ecp_profile_load(&f->config, ECP_PROFILE_CONFIG, config_path,
                         err) != 0)
        return -1;
    if (ecp_profile_load(&f->credentials, ECP_PROFILE_CREDENTIALS,
                         credentials_path, err) != 0) {
        ecp_profile_file_free(&f->config);
        return -1;
    }
    return 0;
}

void ecp_aws_files_free(struct ecp_aws_files *f)
{
    ecp_profile_file_free(&f->config);
    ecp_profile_file_free(&f->credentials);
}

/* Later sections and later keys win, so both are searched backwards. */
const struct ecp_profile_prop *
ecp_profile_file_prop(const struct ecp_profile_file *file,
                      enum ecp_section_kind kind, const char *name,
                      const char *key, struct ecp_profile_where *where)
{
    for (size_t i = file->nsections; i-- > 0;) {
        const struct ecp_profile_section *sec = &file->sections[i];

        if (sec->kind != kind || strcmp(sec->name, name) != 0)
            continue;
        for (size_t k = sec->nprops; k-- > 0;) {
            if (strcmp(sec->props[k].key, key) != 0)
                continue;
            if (where) {
                where->path = file->path;
                where->line = sec->props[k].line;
            }
            return &sec->props[k];
        }
    }
    return NULL;
}

int ecp_profile_file_has(const struct ecp_profile_file *file,
                         enum ecp_section_kind kind, const char *name)
{
    for (size_t i = 0; i < file->nsections; i++)
        if (file->sections[i].kind == kind &&
            strcmp(file->sections[i].name, name) == 0)
            return 1;
    return 0;
}

const char *ecp_profile_get(const struct ecp_aws_files *f, const char *name,
                            const char *key, struct ecp_profile_where *where)
{
    const struct ecp_profile_prop *prop;

    prop = ecp_profile_file_prop(&f->credentials, ECP_SECTION_PROFILE, name,
                                 key, where);
    if (!prop)
        prop = ecp_profile_file_prop(&f->config, ECP_SECTION_PROFILE, name,
                                     key, where);
    return prop ? prop->value : NULL;
}

int ecp_profile_exists(const struct ecp_aws_files *f, const char *name)
{
    return ecp_profile_file_has(&f->credentials, ECP_SECTION_PROFILE, name) ||
           ecp_profile_file_has(&f->config, ECP_SECTION_PROFILE, name);
}

const struct ecp_profile_prop *
ecp_profile_sub(const struct ecp_profile_prop *prop, const char *key)
{
    for (size_t i = prop ? prop->nsubs : 0; i-- > 0;)
        if (strcmp(prop->subs[i].key, key) == 0)
            return &prop->subs[i];
    return NULL;
}

static void push_word(char ***words, size_t *n, size_t *cap,
                      struct ecp_buf *w)
{
    if (*n + 2 > *cap) {
        *cap = *cap ? 2 * *cap : 8;
        *words = ecp_realloc(*words, *cap * sizeof **words);
    }
    (*words)[(*n)++] = w->data ? ecp_buf_take(w) : ecp_strdup("");
    (*words)[*n] = NULL;
}

int ecp_shell_split(const char *s, char ***argv, size_t *argc,
                    struct ecp_err *err)
{
    enum { PLAIN, SINGLE, DOUBLE } state = PLAIN;
    struct ecp_buf w = { 0 };
    char **words = NULL;
    size_t n = 0, cap = 0;
    int in_word = 0;

    for (const char *c = s; *c; c++) {
        if (state == SINGLE) {
            if (*c == '\'')
                state = PLAIN;
            else
                ecp_buf_addc(&w, *c);
        } else if (state == DOUBLE) {
            if (*c == '"') {
                state = PLAIN;
            } else if (*c == '\\' && (c[1] == '"' || c[1] == '\\')) {
                ecp_buf_addc(&w, *++c);
            } else {
                ecp_buf_addc(&w, *c);
            }
        } else if (*c == ' ' || *c == '\t' || *c == '\r' || *c == '\n') {
            if (in_word)
                push_word(&words, &n, &cap, &w);
            in_word = 0;
        } else {
            in_word = 1;
            if (*c == '\'') {
                state = SINGLE;
            } else if (*c == '"') {
                state = DOUBLE;
            } else if (*c == '\\') {
                if (!c[1])
                    goto bad;
                ecp_buf_addc(&w, *++c);
            } else {
                ecp_buf_addc(&w, *c);
            }
        }
    }
    if (state != PLAIN)
        goto bad;
    if (in_word)
        push_word(&words, &n, &cap, &w);
    if (!words) {
        words = ecp_calloc(1, sizeof *words);
    }
    *argv = words;
    if (argc)
        *argc = n;
    return 0;
bad:
    ecp_buf_free(&w);
    if (words)
        ecp_words_free(words);
    return ecp_err_set(err, state != PLAIN ? "a quotation is not closed"
                                           : "a backslash at the very end");
}

void ecp_words_free(char **argv)
{
    if (!argv)
        return;
    for (char **w = argv; *w; w++)
        free(*w);
    free(argv);
}
