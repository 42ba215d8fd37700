/* mem — allocation that cannot fail usefully: abort on exhaustion, so callers
 * need no error path for it.  Prefix md_x.  Every result is the caller's to
 * free(). */
#ifndef MD_CORE_MEM_H
#define MD_CORE_MEM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

void *md_xmalloc(size_t n);
void *md_xcalloc(size_t n, size_t m);
void *md_xrealloc(void *p, size_t n);
/* The array p of *cap elements of `size` bytes, with room for `need`:
 * reallocated to double its capacity (at least 16) until it fits. */
void *md_xgrow(void *p, size_t *cap, size_t need, size_t size);
char *md_xstrdup(const char *s);
/* md_xstrdup(s), or NULL when s is NULL: an optional string copied. */
char *md_xstrdup_or_null(const char *s);
/* The first n bytes of s (fewer at a NUL), NUL-terminated. */
char *md_xstrndup(const char *s, size_t n);
char *md_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* md_xasprintf for functions taking their own format and arguments; the
 * caller frees the result, and still owns (and va_ends) ap. */
char *md_xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Text made with stdio: md_xmemstream() is open_memstream(3) (`text` and
 * `len` must live until the close); md_xmemstream_close() closes it and
 * returns *text, NUL-terminated, which the caller frees.  Both abort on
 * exhaustion. */
FILE *md_xmemstream(char **text, size_t *len);
char *md_xmemstream_close(FILE *f, char **text);

#endif
