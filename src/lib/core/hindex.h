/* hindex — positions in the caller's array, found by a hash of their keys:
 * a lookup in constant time where a linear search would make a reader
 * quadratic in its input (config variables, xen.cfg sections, lint's
 * findings, a spec's repositories, resolve's package names, an image's
 * paths).  Prefix md_hindex_.
 *
 * The caller keeps the keys and compares them; the index hands over the
 * positions whose hash matches, one at a time:
 *     uint64_t h = md_hindex_hash(name, strlen(name));
 *     for (size_t it = 0, pos; (pos = md_hindex_next(&x, h, &it)) != SIZE_MAX;)
 *         if (!strcmp(v[pos].name, name)) ...found: md_hindex_set(&x, h, it, newpos)
 *
 * Keep each key once (find it first; md_hindex_set to move it; remove what
 * the caller drops): positions under one key share one probe run, so n of
 * them cost n squared to add and to look up past (trial 9x: equal words of
 * a GRUB value, inittab's repeated "~~" ids, freed iPXE image names).
 *
 * Ownership: a zeroed md_hindex is empty; md_hindex_free frees its memory. */
#ifndef MD_CORE_HINDEX_H
#define MD_CORE_HINDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct md_hindex {
    struct md_hindex_slot *slot;
    size_t cap, n;
} md_hindex;

/* FNV-1a of `len` bytes from a start chosen at random once a run, so an
 * input cannot be made to collide: equal within a run only (never store or
 * print it).  Callers may combine hashes by arithmetic; the index mixes
 * every bit into the slot it picks. */
uint64_t md_hindex_hash(const void *key, size_t len);
/* Add position `pos` (below 2^32 - 1: 8 bytes a slot) under hash `h`; the
 * index grows as needed. */
void md_hindex_add(md_hindex *x, uint64_t h, size_t pos);
/* The next position under hash `h` (*it starts at 0; in no set order),
 * or SIZE_MAX when there is none left. */
size_t md_hindex_next(const md_hindex *x, uint64_t h, size_t *it);
/* Make the position md_hindex_next(x, h, &it) just returned `pos`. */
void md_hindex_set(md_hindex *x, uint64_t h, size_t it, size_t pos);
/* Remove the position md_hindex_next(x, h, &it) just returned (a later
 * md_hindex_next of this walk may then miss one: start a new walk). */
void md_hindex_del(md_hindex *x, uint64_t h, size_t it);
void md_hindex_free(md_hindex *x);

#endif
