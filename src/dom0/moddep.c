#include "moddep.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
    char *path;
    char name[128];
    size_t *deps; /* indexes into d->e */
    size_t ndeps;
} entry;

struct d0_moddep {
    entry *e;
    size_t n;
    char **builtin; /* normalized names */
    size_t nbuiltin;
};

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        abort(); /* the index is small; there is nothing better to do */
    return q;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xrealloc(NULL, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *d0_moddep_name(const char *path, char *buf, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    const char *ko = NULL;
    for (const char *p = strstr(base, ".ko"); p; p = strstr(p + 1, ".ko"))
        if (p[3] == '\0' || p[3] == '.')
            ko = p;
    if (ko)
        n = (size_t)(ko - base);
    if (n >= size)
        n = size - 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = base[i] == '-' ? '_' : base[i];
    buf[n] = '\0';
    return buf;
}

int d0_moddep_compressed(const char *path)
{
    size_t n = strlen(path);
    static const char *const suffixes[] = { ".ko.xz", ".ko.zst", ".ko.gz" };
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t m = strlen(suffixes[i]);
        if (n > m && strcmp(path + n - m, suffixes[i]) == 0)
            return 1;
    }
    return 0;
}

static long find_path(const d0_moddep *d, const char *path, size_t len)
{
    for (size_t i = 0; i < d->n; i++)
        if (strlen(d->e[i].path) == len && memcmp(d->e[i].path, path, len) == 0)
            return (long)i;
    return -1;
}

static long find_name(const d0_moddep *d, const char *name)
{
    char norm[128];
    d0_moddep_name(name, norm, sizeof norm);
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->e[i].name, norm) == 0)
            return (long)i;
    return -1;
}

static int is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

static int plausible_path(const char *s, size_t n)
{
    char tmp[1024];
    if (n == 0 || n >= sizeof tmp)
        return 0;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (strstr(tmp, "/../") || strncmp(tmp, "../", 3) == 0)
        return 0;
    const char *base = strrchr(tmp, '/');
    base = base ? base + 1 : tmp;
    const char *ko = strstr(base, ".ko");
    return ko && ko != base && (ko[3] == '\0' || ko[3] == '.');
}

/* The next line of `*p` that is neither blank nor a comment: the line from
 * its first non-blank character, its length in *len, its number in *lineno.
 * NULL at the end.  Both passes below read lines through this, so they agree
 * on which lines are entries (the second pass indexes by that order). */
static const char *next_entry_line(const char **p, unsigned *lineno, size_t *len)
{
    while (*p && **p) {
        const char *s = *p;
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        *p = nl ? nl + 1 : NULL;
        (*lineno)++;
        size_t i = 0;
        while (i < n && is_ws(s[i]))
            i++;
        if (i == n || s[i] == '#')
            continue;
        *len = n - i;
        return s + i;
    }
    return NULL;
}

/* First pass: one entry per line (so dependencies may be listed before
 * their own line); second pass: resolve dependency paths to entries. */
d0_moddep *d0_moddep_parse(const char *dep, const char *builtin, const char *origin, d0_err *e)
{
    d0_moddep *d = xrealloc(NULL, sizeof *d);
    memset(d, 0, sizeof *d);
    size_t cap = 0;
    unsigned lineno = 0;
    const char *line;
    size_t linelen;
    for (const char *p = dep; (line = next_entry_line(&p, &lineno, &linelen));) {
        const char *colon = memchr(line, ':', linelen);
        if (!colon) {
            d0_err_set(e, "%s:%u: not \"path: dependencies\"", origin, lineno);
            goto fail;
        }
        size_t plen = (size_t)(colon - line);
        while (plen && is_ws(line[plen - 1]))
            plen--;
        if (!plausible_path(line, plen)) {
            d0_err_set(e, "%s:%u: '%.*s' is not a module path (*.ko)", origin, lineno,
                       (int)(plen > 200 ? 200 : plen), line);
            goto fail;
        }
        if (find_path(d, line, plen) >= 0) {
            d0_err_set(e, "%s:%u: %.*s is listed twice", origin, lineno, (int)plen, line);
            goto fail;
        }
        if (d->n == cap) {
            cap = cap ? cap * 2 : 64;
            d->e = xrealloc(d->e, cap * sizeof *d->e);
        }
        entry *en = &d->e[d->n++];
        memset(en, 0, sizeof *en);
        en->path = xstrndup(line, plen);
        d0_moddep_name(en->path, en->name, sizeof en->name);
    }
    /* Second pass: dependencies, now that every path has an entry. */
    lineno = 0;
    size_t idx = 0;
    for (const char *p = dep; (line = next_entry_line(&p, &lineno, &linelen));) {
        entry *en = &d->e[idx++];
        const char *s = (const char *)memchr(line, ':', linelen) + 1;
        const char *end = line + linelen;
        while (s < end) {
            while (s < end && is_ws(*s))
                s++;
            const char *w = s;
            while (s < end && !is_ws(*s))
                s++;
            if (w == s)
                break;
            long j = find_path(d, w, (size_t)(s - w));
            if (j < 0) {
                d0_err_set(e, "%s:%u: %s needs %.*s, which has no line of its own "
                              "(the index does not match the module files)",
                           origin, lineno, en->path, (int)(s - w), w);
                goto fail;
            }
            en->deps = xrealloc(en->deps, (en->ndeps + 1) * sizeof *en->deps);
            en->deps[en->ndeps++] = (size_t)j;
        }
    }
    /* modules.builtin, read here a second time on purpose: the library's
     * reader (md_modules_read_builtin, image/modules.c) works on an md_tree
     * and lives in libmkdom0, which the dom0 programs do not link (static,
     * plain libc, no shared library of ours in the image; see moddep.h). */
    for (const char *p = builtin; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        while (len && is_ws(p[len - 1]))
            len--;
        if (len) {
            char tmp[1024], norm[128];
            size_t n = len < sizeof tmp ? len : sizeof tmp - 1;
            memcpy(tmp, p, n);
            tmp[n] = '\0';
            d->builtin = xrealloc(d->builtin, (d->nbuiltin + 1) * sizeof *d->builtin);
            d->builtin[d->nbuiltin++] = xstrndup(norm, strlen(d0_moddep_name(tmp, norm, sizeof norm)));
        }
        p = nl ? nl + 1 : NULL;
    }
    return d;
fail:
    d0_moddep_free(d);
    return NULL;
}

void d0_moddep_free(d0_moddep *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->e[i].path);
        free(d->e[i].deps);
    }
    for (size_t i = 0; i < d->nbuiltin; i++)
        free(d->builtin[i]);
    free(d->builtin);
    free(d->e);
    free(d);
}

int d0_moddep_has(const d0_moddep *d, const char *name)
{
    return find_name(d, name) >= 0;
}

int d0_moddep_builtin(const d0_moddep *d, const char *name)
{
    char norm[128];
    d0_moddep_name(name, norm, sizeof norm);
    for (size_t i = 0; i < d->nbuiltin; i++)
        if (strcmp(d->builtin[i], norm) == 0)
            return 1;
    return 0;
}

static int in_list(const char **paths, size_t n, const char *p)
{
    for (size_t i = 0; i < n; i++)
        if (paths[i] == p)
            return 1;
    return 0;
}

/* Depth-first, dependencies before the module.  The dependency list is
 * walked from its end, as modprobe does: depmod lists the deepest last. */
static int visit(const d0_moddep *d, size_t i, unsigned char *state, const char ***paths,
                 size_t *n, d0_err *e)
{
    if (state[i] == 2)
        return 0;
    if (state[i] == 1)
        return d0_err_set(e, "module dependency cycle through %s", d->e[i].path);
    state[i] = 1;
    const entry *en = &d->e[i];
    for (size_t k = en->ndeps; k-- > 0;)
        if (visit(d, en->deps[k], state, paths, n, e) < 0)
            return d0_err_set(e, "while resolving %s", en->path);
    state[i] = 2;
    if (!in_list(*paths, *n, en->path)) {
        *paths = xrealloc(*paths, (*n + 1) * sizeof **paths);
        (*paths)[(*n)++] = en->path;
    }
    return 0;
}

int d0_moddep_order(const d0_moddep *d, const char *name, const char ***paths, size_t *n,
                    d0_err *e)
{
    long i = find_name(d, name);
    if (i < 0)
        return d0_err_set(e, "module %s is not in the module index", name);
    unsigned char *state = xrealloc(NULL, d->n);
    memset(state, 0, d->n);
    int r = visit(d, (size_t)i, state, paths, n, e);
    free(state);
    return r;
}
