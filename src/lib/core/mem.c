#include "core/mem.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one message the library writes itself: an allocation that fails has
 * no caller to report to (every md_x* caller relies on success), and the
 * process ends here. */
static _Noreturn void out_of_memory(void)
{
    fputs("mkdom0: out of memory\n", stderr);
    abort();
}

void *md_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *md_xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *md_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *md_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    /* from 4: most arrays (a line's words, an entry's modules) stay small,
     * and a config of 200,000 entries holds one of each per entry
     * (trial10d case 22: 16 slots each made 30 bytes of memory per byte
     * of a big grub.cfg) */
    size_t c = *cap ? *cap : 4;
    while (c < need)
        c *= 2;
    if (c > SIZE_MAX / size)
        out_of_memory();
    *cap = c;
    return md_xrealloc(p, c * size);
}

FILE *md_xmemstream(char **text, size_t *len)
{
    FILE *f = open_memstream(text, len);
    if (!f)
        out_of_memory();
    return f;
}

char *md_xmemstream_close(FILE *f, char **text)
{
    bool bad = ferror(f);
    if (fclose(f) != 0 || bad)
        out_of_memory();
    return *text;
}

char *md_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(md_xmalloc(n), s, n);
}

char *md_xstrdup_or_null(const char *s)
{
    return s ? md_xstrdup(s) : NULL;
}

char *md_xstrndup(const char *s, size_t n)
{
    char *p = strndup(s, n);
    if (!p)
        out_of_memory();
    return p;
}

char *md_xvasprintf(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        out_of_memory();
    return s;
}

char *md_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = md_xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}
