/* strv — NULL-terminated vectors of heap strings.  Prefix md_strv_.
 * The vector owns its strings; md_strv_free() frees them and the array.
 * A zeroed md_strv is empty.
 *
 * A vector made pooled (md_strv_pooled) keeps its strings, once it has
 * more than a few, in large blocks of its own: a string costs its bytes
 * and its slot, not a heap allocation of 32 bytes at least, for vectors of
 * very many short words (a boot config's parameters: 40 bytes a word made
 * a line of a million one-letter words take 20 times its size, issue 9).
 * A string of a pooled vector is never free()d or replaced by the caller:
 * md_strv_truncate and md_strv_drop remove strings from any vector. */
#ifndef MD_CORE_STRV_H
#define MD_CORE_STRV_H

#include <stdbool.h>
#include <stddef.h>

typedef struct md_strv {
    char **v;
    size_t n, cap;
    struct md_strv_pool *pool; /* md_strv_pooled's; NULL: one allocation a string */
} md_strv;

/* Make the (empty) vector sv pooled, until md_strv_free (which leaves it
 * zeroed, as any vector). */
void md_strv_pooled(md_strv *sv);
void md_strv_push(md_strv *sv, const char *s);      /* copies s */
void md_strv_push_own(md_strv *sv, char *s);        /* takes s (copied and freed when pooled) */
/* Keep the first n strings (n <= sv->n); drop n strings from `from` on,
 * moving those after them down. */
void md_strv_truncate(md_strv *sv, size_t n);
void md_strv_drop(md_strv *sv, size_t from, size_t n);
void md_strv_pushf(md_strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool md_strv_contains(const md_strv *sv, const char *s);
/* The index of string `s` in `v`, pushed at its end (*added true; `added`
 * may be NULL) when it is not there yet.  `idx` indexes all of v by
 * md_hindex_hash of each string and is kept so: a set of names, each
 * lookup by hash, where md_strv_contains in a loop walks the whole list
 * each time (quadratic in an input of many names). */
struct md_hindex;
size_t md_strv_intern(md_strv *v, struct md_hindex *idx, const char *s, bool *added);
/* Split on whitespace (and commas if `commas`), pushing each word. */
void md_strv_split(md_strv *sv, const char *s, bool commas);
void md_strv_sort(md_strv *sv);
/* md_strv_contains for a vector in md_strv_sort's order: a binary search. */
bool md_strv_contains_sorted(const md_strv *sv, const char *s);
/* The strings joined with `sep` between them ("" for none); caller frees. */
char *md_strv_join(const md_strv *sv, const char *sep);
void md_strv_free(md_strv *sv);

#endif
