#include "core/strv.h"
#include "core/mem.h"
#include "core/hindex.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A pooled vector's blocks, the newest first.  Until it has POOL_FROM
 * strings its pool is `wanted` and its strings are allocated one by one,
 * as a small vector costs less so; then they all move into blocks. */
struct md_strv_pool {
    struct md_strv_pool *next;
    size_t used, cap;
    char s[];
};
enum { POOL_FROM = 16, POOL_BLOCK = 4096 };
static struct md_strv_pool wanted;

static bool pooled(const md_strv *sv)
{
    return sv->pool && sv->pool != &wanted;
}

/* n bytes of s, NUL-ended, in sv's newest block (a new one, at least twice
 * the last, when it is full). */
static char *pool_copy(md_strv *sv, const char *s, size_t n)
{
    struct md_strv_pool *b = sv->pool;
    if (b->cap - b->used < n + 1) {
        size_t cap = b->cap * 2 > POOL_BLOCK ? b->cap * 2 : POOL_BLOCK;
        if (cap < n + 1)
            cap = n + 1;
        struct md_strv_pool *nb = md_xmalloc(sizeof *nb + cap);
        *nb = (struct md_strv_pool){ b == &wanted ? NULL : b, 0, cap };
        sv->pool = b = nb;
    }
    char *d = b->s + b->used;
    memcpy(d, s, n);
    d[n] = '\0';
    b->used += n + 1;
    return d;
}

static void push_slot(md_strv *sv, char *s)
{
    sv->v = md_xgrow(sv->v, &sv->cap, sv->n + 2, sizeof *sv->v);
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

/* Push n bytes of s (a copy). */
static void push_len(md_strv *sv, const char *s, size_t n)
{
    if (sv->pool == &wanted && sv->n >= POOL_FROM) {
        for (size_t i = 0; i < sv->n; i++) {
            char *o = sv->v[i];
            sv->v[i] = pool_copy(sv, o, strlen(o));
            free(o);
        }
    }
    push_slot(sv, pooled(sv) ? pool_copy(sv, s, n) : md_xstrndup(s, n));
}

void md_strv_pooled(md_strv *sv)
{
    if (!sv->pool && !sv->n)
        sv->pool = &wanted;
}

void md_strv_push_own(md_strv *sv, char *s)
{
    if (!sv->pool) {
        push_slot(sv, s);
        return;
    }
    push_len(sv, s, strlen(s));
    free(s);
}

void md_strv_push(md_strv *sv, const char *s)
{
    push_len(sv, s, strlen(s));
}

void md_strv_drop(md_strv *sv, size_t from, size_t n)
{
    if (!n)
        return;
    if (!pooled(sv))
        for (size_t i = from; i < from + n; i++)
            free(sv->v[i]);
    memmove(sv->v + from, sv->v + from + n, (sv->n - from - n) * sizeof *sv->v);
    sv->n -= n;
    if (sv->v)
        sv->v[sv->n] = NULL;
}

void md_strv_truncate(md_strv *sv, size_t n)
{
    md_strv_drop(sv, n, sv->n - n);
}

void md_strv_pushf(md_strv *sv, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    md_strv_push_own(sv, md_xvasprintf(fmt, ap));
    va_end(ap);
}

bool md_strv_contains(const md_strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

void md_strv_split(md_strv *sv, const char *s, bool commas)
{
    const char *seps = commas ? " \t\r\n," : " \t\r\n";
    while (*s) {
        s += strspn(s, seps);
        size_t n = strcspn(s, seps);
        if (n)
            push_len(sv, s, n);
        s += n;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void md_strv_sort(md_strv *sv)
{
    if (sv->n)
        qsort(sv->v, sv->n, sizeof *sv->v, cmp_str);
}

static int cmp_key(const void *key, const void *s)
{
    return strcmp(key, *(char *const *)s);
}

bool md_strv_contains_sorted(const md_strv *sv, const char *s)
{
    return sv->n && bsearch(s, sv->v, sv->n, sizeof *sv->v, cmp_key);
}

void md_strv_free(md_strv *sv)
{
    if (pooled(sv)) {
        for (struct md_strv_pool *b = sv->pool, *next; b; b = next) {
            next = b->next;
            free(b);
        }
    } else {
        for (size_t i = 0; i < sv->n; i++)
            free(sv->v[i]);
    }
    free(sv->v);
    *sv = (md_strv){ 0 };
}

char *md_strv_join(const md_strv *sv, const char *sep)
{
    size_t sl = strlen(sep), n = 1;
    for (size_t i = 0; i < sv->n; i++)
        n += strlen(sv->v[i]) + (i ? sl : 0);
    char *s = md_xmalloc(n), *o = s;
    for (size_t i = 0; i < sv->n; i++) {
        if (i) {
            memcpy(o, sep, sl);
            o += sl;
        }
        size_t w = strlen(sv->v[i]);
        memcpy(o, sv->v[i], w);
        o += w;
    }
    *o = '\0';
    return s;
}

size_t md_strv_intern(md_strv *v, md_hindex *idx, const char *s, bool *added)
{
    uint64_t h = md_hindex_hash(s, strlen(s));
    for (size_t it = 0, k; (k = md_hindex_next(idx, h, &it)) != SIZE_MAX;)
        if (!strcmp(v->v[k], s)) {
            if (added)
                *added = false;
            return k;
        }
    md_hindex_add(idx, h, v->n);
    md_strv_push(v, s);
    if (added)
        *added = true;
    return v->n - 1;
}
