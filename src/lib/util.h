/* util — the few helpers every module needs: string vectors, files written
 * atomically, SHA-256, progress on the terminal.  Prefix: md_. */
#ifndef MD_UTIL_H
#define MD_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"

/* NULL-terminated vector of heap strings.  The vector owns its strings. */
typedef struct md_strv {
    char **v;
    size_t n, cap;
} md_strv;

void md_strv_push(md_strv *sv, const char *s);      /* copies s */
void md_strv_push_own(md_strv *sv, char *s);        /* takes s */
bool md_strv_contains(const md_strv *sv, const char *s);
/* Split on whitespace (and commas if `commas`), pushing each word. */
void md_strv_split(md_strv *sv, const char *s, bool commas);
void md_strv_sort(md_strv *sv);
void md_strv_free(md_strv *sv);

/* Allocation failure is not an error we can report usefully: abort. */
void *md_xmalloc(size_t n);
void *md_xcalloc(size_t n, size_t m);
void *md_xrealloc(void *p, size_t n);
char *md_xstrdup(const char *s);
char *md_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* md_xasprintf for functions taking their own format and arguments; the
 * caller frees the result, and still owns (and va_ends) ap. */
char *md_xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Read a whole file; caller frees *data, which has at least one spare byte
 * after *len (room for a NUL).  Error names the path. */
int md_read_file(const char *path, unsigned char **data, size_t *len, md_err *err);
/* Write data to path.tmp.PID then rename over path, so readers never see a
 * half-written file.  mode is applied to the new file. */
int md_write_atomic(const char *path, const void *data, size_t len, unsigned mode, md_err *err);
int md_mkdir_p(const char *path, unsigned mode, md_err *err);

/* SHA-256 as 64 lowercase hex chars + NUL. */
void md_sha256_hex(const void *data, size_t len, char out[65]);
int md_sha256_file(const char *path, char out[65], md_err *err);

/* Progress lines on stderr: shown when stderr is a terminal or
 * MKDOM0_PROGRESS=1, silent otherwise (tests, pipes). */
void md_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Warnings and notes always go to stderr. */
void md_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* XDG cache directory for mkdom0 ($MKDOM0_CACHE, $XDG_CACHE_HOME/mkdom0,
 * ~/.cache/mkdom0).  Caller frees. */
char *md_cache_dir(void);

#endif
