#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void *md_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("mkdom0: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *md_xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (!p) {
        fputs("mkdom0: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *md_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("mkdom0: out of memory\n", stderr);
        abort();
    }
    return p;
}

char *md_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(md_xmalloc(n), s, n);
}

char *md_xvasprintf(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) {
        fputs("mkdom0: out of memory\n", stderr);
        abort();
    }
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
