/* kmodidx — writer for kmod's binary module indexes (modules.dep.bin,
 * modules.alias.bin, modules.symbols.bin, modules.builtin.bin,
 * modules.builtin.alias.bin), the files the image's modprobe reads.
 * Prefix md_kmodidx_.
 *
 * The format is kmod's "version 2" trie (libkmod/libkmod-index.c): a 12-byte
 * header (magic 0xB007F457, version 0x00020001, root offset), then nodes,
 * all integers big-endian.  Keys map to lists of (priority, value) sorted by
 * priority.  Output depends only on the entries and their order of insertion
 * (equal priorities: the entry added last comes first, as depmod does), so
 * the same entries give byte-identical files — depmod's own output for the
 * same entries.
 *
 * Ownership: the index copies keys and values; md_kmodidx_write returns a
 * malloc'd buffer the caller frees.
 */
#ifndef MD_KMODIDX_H
#define MD_KMODIDX_H

#include <stddef.h>
#include "core/err.h"

typedef struct md_kmodidx md_kmodidx;

md_kmodidx *md_kmodidx_new(void);
void md_kmodidx_free(md_kmodidx *x);

/* Add one value under `key`.  kmod supports 7-bit ASCII only: a key or
 * value with another byte (or an empty key) is an error naming it. */
int md_kmodidx_add(md_kmodidx *x, const char *key, const char *value,
                   unsigned priority, md_err *err);

size_t md_kmodidx_count(const md_kmodidx *x);

/* Serialize.  Returns the buffer (never NULL) and its length in *len. */
unsigned char *md_kmodidx_write(const md_kmodidx *x, size_t *len);

#endif
