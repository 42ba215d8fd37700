#include "core/strv.h"
#include "core/mem.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void md_strv_push_own(md_strv *sv, char *s)
{
    sv->v = md_xgrow(sv->v, &sv->cap, sv->n + 2, sizeof *sv->v);
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

void md_strv_push(md_strv *sv, const char *s) { md_strv_push_own(sv, md_xstrdup(s)); }

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
            md_strv_push_own(sv, md_xstrndup(s, n));
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
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
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
