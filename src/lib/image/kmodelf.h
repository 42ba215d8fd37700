/* kmodelf — what a kernel module file (.ko, .ko.xz, .ko.zst, .ko.gz) held
 * in memory says about itself: its .modinfo and its exported symbols.
 * Prefix md_kmodelf_.
 *
 * Ownership: md_kmodelf_read fills a caller-provided md_kmodinfo (zeroed
 * first) that the caller releases with md_kmodinfo_free; the input buffer is
 * only borrowed.
 */
#ifndef MD_KMODELF_H
#define MD_KMODELF_H

#include <stddef.h>
#include "core/err.h"
#include "core/strv.h"

typedef struct md_kmodinfo {
    md_strv info;    /* "key=value" strings in .modinfo order (alias=, depends=, ...) */
    md_strv symbols; /* exported symbols, as depmod lists them in modules.symbols */
    md_strv needs;   /* undefined symbols in .symtab order (what depmod resolves) */
} md_kmodinfo;

/* The most a module may decompress to: far above any real .ko (the largest
 * in Debian's 6.1 and 6.12 are a few MiB), so a small input cannot make us
 * allocate without bound. */
#define MD_KMODELF_MAX ((size_t)256 << 20)

/* Parse a module; compressed data (xz, zstd, gzip — recognized by magic) is
 * decompressed first.  `name` is used in error messages only. */
int md_kmodelf_read(const char *name, const unsigned char *data, size_t len,
                    md_kmodinfo *out, md_err *err);
void md_kmodinfo_free(md_kmodinfo *mi);

/* Value of the first `key=` entry, NULL if absent.  Points into mi. */
const char *md_kmodinfo_get(const md_kmodinfo *mi, const char *key);

#endif
