/* Files for unit tests: a scratch directory under /tmp, whole files in and
 * out, a directory into a tree, gzip in memory.  Static inline, so a test
 * that uses some of them compiles cleanly. */
#ifndef T_FILES_H
#define T_FILES_H
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lzma.h>
#include <zlib.h>
#include "core/file.h"
#include "core/mem.h"
#include "image/tree.h"

static inline int t_rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st; (void)flag; (void)f;
    return remove(p);
}

/* Remove `dir` and everything under it, symlinks not followed. */
static inline void t_rm_tree(const char *dir)
{
    nftw(dir, t_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The whole file, NUL-terminated, or NULL; caller frees. */
static inline char *t_slurp(const char *path)
{
    unsigned char *d;
    size_t n;
    md_err e = MD_ERR_INIT;
    if (md_read_file(path, &d, &n, &e) < 0)
        return NULL;
    d[n] = '\0';
    return (char *)d;
}

/* Write `text` as the whole file (best effort: a check reading it fails). */
static inline void t_spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* State of t_load_dir's walk (nftw passes no user pointer). */
static md_tree *t_load_tree;
static size_t t_load_root_len;
static const char *t_load_origin;

static inline int t_load_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    const char *rel = path + t_load_root_len;
    if (!*rel)
        return 0;
    md_err err = MD_ERR_INIT;
    md_attr a = { st->st_mode & 07777, 0, 0, st->st_mtime };
    if (flag == FTW_D) {
        if (!md_tree_lookup(t_load_tree, rel))
            md_tree_add_dir(t_load_tree, rel, &a, t_load_origin, &err);
    } else if (flag == FTW_SL) {
        char target[4096];
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n >= 0) {
            target[n] = '\0';
            md_tree_add_symlink(t_load_tree, rel, &a, target, t_load_origin, MD_CLASH_ERROR, &err);
        }
    } else if (flag == FTW_F) {
        unsigned char *d;
        size_t len;
        if (md_read_file(path, &d, &len, &err) == 0)
            md_tree_add_file(t_load_tree, rel, &a, d, len, t_load_origin, MD_CLASH_ERROR, &err);
    }
    if (err.set)
        fprintf(stderr, "load %s: %s\n", rel, err.msg);
    return 0;
}

/* Add the files under `dir` (an unpacked package) to `t` as `origin`'s,
 * through the tree's own rules (usrmerge when `t` has it), as the build's
 * package reader would: directories already there are kept. */
static inline void t_load_dir(md_tree *t, const char *dir, const char *origin)
{
    t_load_tree = t;
    t_load_root_len = strlen(dir);
    t_load_origin = origin;
    nftw(dir, t_load_one, 32, FTW_PHYS);
}

/* `d` gzip-compressed; caller frees. */
static inline unsigned char *t_gzip(const void *d, size_t n, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&z, (uLong)n) + 64;
    unsigned char *out = md_xmalloc(cap);
    z.next_in = (Bytef *)d;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    *outlen = z.total_out;
    deflateEnd(&z);
    return out;
}
/* `d` xz-compressed; caller frees. */
static inline unsigned char *t_xz(const void *d, size_t n, size_t *outlen)
{
    size_t cap = lzma_stream_buffer_bound(n);
    unsigned char *out = md_xmalloc(cap);
    *outlen = 0;
    if (lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, d, n, out, outlen, cap) != LZMA_OK)
        *outlen = 0;
    return out;
}
static inline void t_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A whole bzImage of boot protocol `proto` in the `n` bytes at `k` (n a
 * multiple of 16, 0x800 at least), as kimage reads one (Linux's
 * Documentation/arch/x86/boot.rst): two sectors of setup (setup_sects 1),
 * the rest protected-mode code (syssize) holding the payload, a gzip'd
 * 64-byte ELF header (payload_offset 0, payload_length); its version string
 * (kernel_version) `rel`, NULL: none. */
static inline void t_bzimage(unsigned char *k, size_t n, unsigned proto, const char *rel)
{
    unsigned char elf[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
    t_le(elf + 16, 2, 2);  /* ET_EXEC */
    t_le(elf + 18, 62, 2); /* EM_X86_64 */
    t_le(elf + 20, 1, 4);  /* EV_CURRENT */
    size_t zn;
    unsigned char *z = t_gzip(elf, sizeof elf, &zn);
    memset(k, 0, n);
    k[0x1f1] = 1;
    t_le(k + 0x1f4, (n - 1024) / 16, 4);
    k[0x1fe] = 0x55;
    k[0x1ff] = 0xaa;
    memcpy(k + 0x202, "HdrS", 4);
    t_le(k + 0x206, proto, 2);
    if (rel) {
        k[0x20e] = 0x80; /* version string at 0x280 */
        snprintf((char *)k + 0x280, 0x100, "%s (debian-kernel@lists.debian.org) #1 SMP", rel);
    }
    t_le(k + 0x24c, zn, 4);
    memcpy(k + 1024, z, zn);
    free(z);
}

/* A 64-bit ELF file with just .dynstr and .dynamic: DT_SONAME `soname`
 * (NULL: none) and a DT_NEEDED for each of the NULL-terminated `needed`
 * (NULL: none); no program headers, so it reads as dynamically linked.
 * Caller frees. */
static inline unsigned char *t_fake_elf(const char *soname, const char *const *needed,
                                        size_t *len)
{
    size_t nn = 0, strs = 1 + (soname ? strlen(soname) + 1 : 0);
    for (; needed && needed[nn]; nn++)
        strs += strlen(needed[nn]) + 1;
    size_t dynstr_off = 64, dynstr_size = strs;
    size_t dyn_off = (dynstr_off + dynstr_size + 7) & ~(size_t)7;
    size_t dyn_size = 16 * ((soname ? 1 : 0) + nn + 1);
    static const char shstr[] = "\0.dynstr\0.dynamic\0.shstrtab";
    size_t shstr_off = dyn_off + dyn_size, shstr_size = sizeof shstr;
    size_t shoff = (shstr_off + shstr_size + 7) & ~(size_t)7;
    size_t n = shoff + 4 * 64;
    unsigned char *b = md_xcalloc(1, n);
    memcpy(b, "\x7f" "ELF\x02\x01\x01", 7);
    t_le(b + 16, 3, 2);  /* ET_DYN */
    t_le(b + 18, 62, 2);
    t_le(b + 20, 1, 4);
    t_le(b + 0x28, shoff, 8);
    t_le(b + 0x34, 64, 2);
    t_le(b + 0x3a, 64, 2);
    t_le(b + 0x3c, 4, 2);
    t_le(b + 0x3e, 3, 2);
    size_t at = 1, d = dyn_off;
    if (soname) {
        memcpy(b + dynstr_off + at, soname, strlen(soname));
        t_le(b + d, 14, 8); /* DT_SONAME */
        t_le(b + d + 8, at, 8);
        d += 16;
        at += strlen(soname) + 1;
    }
    for (size_t i = 0; i < nn; i++) {
        memcpy(b + dynstr_off + at, needed[i], strlen(needed[i]));
        t_le(b + d, 1, 8); /* DT_NEEDED */
        t_le(b + d + 8, at, 8);
        d += 16;
        at += strlen(needed[i]) + 1;
    }
    struct { uint32_t name, type, link; size_t off, size; } sh[4] = {
        { 0, 0, 0, 0, 0 }, { 1, 3, 0, dynstr_off, dynstr_size },
        { 9, 6, 1, dyn_off, dyn_size }, { 18, 3, 0, shstr_off, shstr_size } };
    memcpy(b + shstr_off, shstr, shstr_size);
    for (int i = 0; i < 4; i++) {
        unsigned char *h = b + shoff + (size_t)i * 64;
        t_le(h, sh[i].name, 4);
        t_le(h + 4, sh[i].type, 4);
        t_le(h + 0x18, sh[i].off, 8);
        t_le(h + 0x20, sh[i].size, 8);
        t_le(h + 0x28, sh[i].link, 4);
    }
    *len = n;
    return b;
}

/* A shared object with DT_SONAME `soname` (NULL: an empty DT_NEEDED
 * instead, no SONAME).  Caller frees. */
static inline unsigned char *t_fake_so(const char *soname, size_t *len)
{
    static const char *const empty[] = { "", NULL };
    return t_fake_elf(soname, soname ? NULL : empty, len);
}

#endif
