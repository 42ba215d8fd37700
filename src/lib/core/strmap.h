/* strmap — a map from strings to indexes (a hash table), for a caller that
 * keeps its records in an array and must find one by name in constant
 * time: a spec's repositories and keys (trial 9c case 12: 20,000
 * [Repository] sections took 18 s by linear search).  Prefix md_strmap_.
 * The map copies its keys; md_strmap_free frees them and the map. */
#ifndef MD_CORE_STRMAP_H
#define MD_CORE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#define MD_STRMAP_NONE SIZE_MAX

typedef struct md_strmap md_strmap;

md_strmap *md_strmap_new(void);
void md_strmap_free(md_strmap *m);
/* The value stored for `key`, or MD_STRMAP_NONE. */
size_t md_strmap_get(const md_strmap *m, const char *key);
/* Store `value` (not MD_STRMAP_NONE) for `key`, replacing any before. */
void md_strmap_put(md_strmap *m, const char *key, size_t value);

#endif
