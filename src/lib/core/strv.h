/* strv — NULL-terminated vectors of heap strings.  Prefix md_strv_.
 * The vector owns its strings; md_strv_free() frees them and the array. */
#ifndef MD_CORE_STRV_H
#define MD_CORE_STRV_H

#include <stdbool.h>
#include <stddef.h>

typedef struct md_strv {
    char **v;
    size_t n, cap;
} md_strv;

void md_strv_push(md_strv *sv, const char *s);      /* copies s */
void md_strv_push_own(md_strv *sv, char *s);        /* takes s */
void md_strv_pushf(md_strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool md_strv_contains(const md_strv *sv, const char *s);
/* Split on whitespace (and commas if `commas`), pushing each word. */
void md_strv_split(md_strv *sv, const char *s, bool commas);
void md_strv_sort(md_strv *sv);
/* md_strv_contains for a vector in md_strv_sort's order: a binary search. */
bool md_strv_contains_sorted(const md_strv *sv, const char *s);
/* The strings joined with `sep` between them ("" for none); caller frees. */
char *md_strv_join(const md_strv *sv, const char *sep);
void md_strv_free(md_strv *sv);

#endif
