#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lua/coverage.h"
#include "lua/readonly.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"

/* Deeper than any policy's own structures; it only stops a walk through
 * something pathological from exhausting the C stack. */
#define MAX_WALK_DEPTH 200
/* As the sandbox reads policy files (sandbox.c). */
#define MAX_SOURCE_BYTES (4u << 20)

enum { LINE_NONE, LINE_CODE, LINE_RAN };

/* A function whose lines are known, by the lines it spans: every closure
 * of one prototype has the same lines, and a file's chunks are loaded
 * afresh for every case. */
struct cov_fn {
    int first, last;
};

struct cov_file {
    char *file;
    char *source;           /* "@file", as the sandbox names chunks */
    unsigned char *lines;   /* LINE_* by line number */
    size_t nlines;
    struct cov_fn *fns;
    size_t nfns;
};

struct ecp_coverage {
    struct cov_file *files;
    size_t nfiles;
    size_t current;         /* the file being recorded */
    int sorted;
};

struct ecp_coverage *ecp_coverage_new(void)
{
    return ecp_calloc(1, sizeof(struct ecp_coverage));
}

void ecp_coverage_free(struct ecp_coverage *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nfiles; i++) {
        free(c->files[i].file);
        free(c->files[i].source);
        free(c->files[i].lines);
        free(c->files[i].fns);
    }
    free(c->files);
    free(c);
}

static size_t file_index(struct ecp_coverage *c, const char *file)
{
    for (size_t i = 0; i < c->nfiles; i++)
        if (strcmp(c->files[i].file, file) == 0)
            return i;
    c->files = ecp_realloc(c->files, (c->nfiles + 1) * sizeof *c->files);
    memset(&c->files[c->nfiles], 0, sizeof c->files[0]);
    c->files[c->nfiles].file = ecp_strdup(file);
    c->files[c->nfiles].source = ecp_asprintf("@%s", file);
    c->sorted = 0;
    return c->nfiles++;
}

static void mark(struct cov_file *f, int line, unsigned char state)
{
    if (line <= 0)
        return;
    if ((size_t)line >= f->nlines) {
        size_t n = (size_t)line * 2 + 16;
        f->lines = ecp_realloc(f->lines, n);
        memset(f->lines + f->nlines, LINE_NONE, n - f->nlines);
        f->nlines = n;
    }
    if (f->lines[line] < state)
        f->lines[line] = state;
}

/* Remember the function as known; 1 if it already was. */
static int known(struct cov_file *f, int first, int last)
{
    for (size_t i = 0; i < f->nfns; i++)
        if (f->fns[i].first == first && f->fns[i].last == last)
            return 1;
    f->fns = ecp_realloc(f->fns, (f->nfns + 1) * sizeof *f->fns);
    f->fns[f->nfns].first = first;
    f->fns[f->nfns].last = last;
    f->nfns++;
    return 0;
}

/* The lines of the Lua function at idx, if it belongs to f, as code.
 * [-0, +0, m] */
static void function_lines(lua_State *L, int idx, struct cov_file *f)
{
    lua_Debug ar;

    lua_pushvalue(L, idx);
    lua_getinfo(L, ">SL", &ar);
    if (strcmp(ar.source, f->source) == 0) {
        known(f, ar.linedefined, ar.lastlinedefined);
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            mark(f, (int)lua_tointeger(L, -1), LINE_CODE);
        }
    }
    lua_pop(L, 1);
}

/* function_lines(fn, f) as a protected call: allocating the table of
 * lines may fail, and the tracer must not raise into the policy. */
static int function_lines_protected(lua_State *L)
{
    function_lines(L, 1, lua_touserdata(L, 2));
    return 0;
}

static void trace(lua_State *L, lua_Debug *ar, void *ud)
{
    struct ecp_coverage *c = ud;
    struct cov_file *f = &c->files[c->current];

    if (!lua_getinfo(L, "S", ar) || strcmp(ar->source, f->source) != 0)
        return;
    if (ar->event == LUA_HOOKLINE) {
        mark(f, ar->currentline, LINE_RAN);
        return;
    }
    /* A call.  A function defined inside another one is reachable in no
     * other way: learn its lines the first time it runs. */
    if (!known(f, ar->linedefined, ar->lastlinedefined) &&
        lua_getinfo(L, "f", ar)) {
        lua_pushcfunction(L, function_lines_protected);
        lua_insert(L, -2);
        lua_pushlightuserdata(L, f);
        if (lua_pcall(L, 2, 0, 0) != LUA_OK)
            lua_pop(L, 1);
    }
}

void ecp_coverage_start(struct ecp_coverage *c, struct ecp_host *h,
                        const char *file)
{
    c->current = file_index(c, file);
    ecp_host_set_trace(h, trace, c);
}

void ecp_coverage_stop(struct ecp_coverage *c, struct ecp_host *h)
{
    (void)c;
    ecp_host_set_trace(h, NULL, NULL);
}

struct walk {
    struct cov_file *f;
    int visited;            /* stack index of the set of values seen */
};

static void walk(lua_State *L, int idx, struct walk *w, int depth);

static void walk_table(lua_State *L, int t, struct walk *w, int depth)
{
    /* A view of the inventory leads to data, never to a policy's code. */
    if (ecp_ro_is_proxy(L, t))
        return;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        walk(L, -2, w, depth + 1);
        walk(L, -1, w, depth + 1);
        lua_pop(L, 1);
    }
    if (lua_getmetatable(L, t)) {
        walk(L, -1, w, depth + 1);
        lua_pop(L, 1);
    }
}

/* Upvalues of Lua functions only: the sandbox's C closures (require,
 * print, load) lead to the stdlib and the environment, which a policy's
 * own functions reach by themselves when they use them. */
static void walk_function(lua_State *L, int fn, struct walk *w, int depth)
{
    if (lua_iscfunction(L, fn))
        return;
    function_lines(L, fn, w->f);
    for (int i = 1; lua_getupvalue(L, fn, i); i++) {
        walk(L, -1, w, depth + 1);
        lua_pop(L, 1);
    }
}

static void walk(lua_State *L, int idx, struct walk *w, int depth)
{
    int t = lua_type(L, idx);

    if ((t != LUA_TTABLE && t != LUA_TFUNCTION) || depth > MAX_WALK_DEPTH ||
        !lua_checkstack(L, 8))
        return;
    idx = lua_absindex(L, idx);
    lua_pushvalue(L, idx);
    if (lua_rawget(L, w->visited) != LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 1);
    lua_pushvalue(L, idx);
    lua_pushboolean(L, 1);
    lua_rawset(L, w->visited);
    if (t == LUA_TTABLE)
        walk_table(L, idx, w, depth);
    else
        walk_function(L, idx, w, depth);
}

/* (value, file) -> nothing; the set of visited values is its own. */
static int reach_protected(lua_State *L)
{
    struct walk w = { lua_touserdata(L, 2), 0 };

    lua_newtable(L);
    w.visited = lua_gettop(L);
    walk(L, 1, &w, 0);
    return 0;
}

int ecp_coverage_reach(struct ecp_coverage *c, struct ecp_host *h,
                       const char *file, int idx, struct ecp_err *err)
{
    lua_State *L = h->L;
    struct ecp_call_result r;
    struct cov_file *f = &c->files[file_index(c, file)];

    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, reach_protected);
    lua_pushvalue(L, idx);
    lua_pushlightuserdata(L, f);
    if (ecp_host_call(h, 2, 0, NULL, &r) != ECP_CALL_OK)
        return ecp_err_set(err, "coverage of %s: %s", file, r.message);
    return 0;
}

/*
 * A line that holds only closing words ("end", "},", "})", "else") has
 * code only when Lua put a return there that cannot run: the implicit
 * return at the end of a function that always returns first, or the one
 * after a tail call ("return f{ ... }" returns from f's frame).  Such a
 * line is not counted unless it ran.
 */
static int only_closers(const char *p, const char *end)
{
    while (p < end) {
        if (*p == '-' && p + 1 < end && p[1] == '-')
            return 1;
        if (*p && strchr(" \t\r}]),;", *p)) {
            p++;
        } else if (end - p >= 3 && strncmp(p, "end", 3) == 0) {
            p += 3;
        } else if (end - p >= 4 && strncmp(p, "else", 4) == 0) {
            p += 4;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Drop the lines of f that only_closers finds, from its source. */
static void drop_closers(struct cov_file *f)
{
    struct ecp_err err;
    char *text, *p;
    size_t len;
    size_t line = 1;

    if (ecp_read_file(f->file, MAX_SOURCE_BYTES, &text, &len, &err) != 0)
        return;
    for (p = text; p < text + len && line < f->nlines; line++) {
        char *nl = memchr(p, '\n', (size_t)(text + len - p));
        char *eol = nl ? nl : text + len;
        if (f->lines[line] == LINE_CODE && only_closers(p, eol))
            f->lines[line] = LINE_NONE;
        p = eol + 1;
    }
    free(text);
}

static int by_file(const void *a, const void *b)
{
    return strcmp(((const struct cov_file *)a)->file,
                  ((const struct cov_file *)b)->file);
}

char *ecp_coverage_describe(struct ecp_coverage *c, size_t i)
{
    struct ecp_buf b = { 0 };
    struct cov_file *f;
    size_t code = 0, ran = 0;
    int start = 0, end = 0, nmissed = 0;

    if (!c->sorted && c->nfiles > 1) {
        qsort(c->files, c->nfiles, sizeof *c->files, by_file);
        c->sorted = 1;
    }
    if (i >= c->nfiles)
        return NULL;
    f = &c->files[i];
    drop_closers(f);
    for (size_t l = 0; l < f->nlines; l++) {
        code += f->lines[l] != LINE_NONE;
        ran += f->lines[l] == LINE_RAN;
    }
    ecp_buf_printf(&b, "%s: %zu of %zu lines", f->file, ran, code);
    /* Missed lines that follow each other among the executable ones are
     * one range: "57-59" even when 58 is a blank line. */
    for (size_t l = 0; l <= f->nlines; l++) {
        unsigned char s = l < f->nlines ? f->lines[l] : LINE_RAN;
        if (s == LINE_CODE) {
            if (!start)
                start = (int)l;
            end = (int)l;
        } else if (s == LINE_RAN && start) {
            ecp_buf_adds(&b, nmissed++ ? ", " : "; never run: ");
            if (start == end)
                ecp_buf_printf(&b, "%d", start);
            else
                ecp_buf_printf(&b, "%d-%d", start, end);
            start = 0;
        }
    }
    return ecp_buf_take(&b);
}
