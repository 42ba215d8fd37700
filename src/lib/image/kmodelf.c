/* kmodelf — .modinfo and exported symbols of a module held in memory.
 *
 * Why not libkmod: kmod_module_new_from_path() and kmod_module_get_info()
 * work on files only, so every one of a kernel's ~4000 modules would have
 * to be copied into a memfd first, and libkmod gives us no access to the
 * module's name apart from the file name (a memfd is called "5").  What we
 * need is two ELF sections: .modinfo (NUL-separated key=value strings) and
 * the symbol table's __crc_* entries, which libkmod reads the same way
 * (libkmod-elf.c, kmod_elf_get_symbols).  That is a bounded-read walk over
 * the section headers, done here without copying.
 *
 * Compressed modules (.ko.xz/.zst/.gz) go through core/decomp.
 */
#include "image/kmodelf.h"
#include "core/decomp.h"
#include "core/mem.h"
#include "core/strv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A kernel's largest modules (amdgpu, i915) are tens of MB uncompressed. */
#define MAX_MODULE ((size_t)256 << 20)

/* ---- ELF64 little-endian, bounds-checked ---- */

typedef struct elf {
    const unsigned char *d;
    size_t len;
    uint64_t shoff;
    unsigned shnum, shstrndx;
} elf;

typedef struct sect {
    uint32_t name, type, link;
    uint64_t off, size;
} sect;

static uint64_t rd(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static bool in_bounds(const elf *e, uint64_t off, uint64_t size)
{
    return off <= e->len && size <= e->len - off;
}

static int elf_open(elf *e, const char *name, const unsigned char *d, size_t len, md_err *err)
{
    if (len < 64 || memcmp(d, "\x7f" "ELF", 4) != 0)
        return md_err_set(err, "%s: not an ELF file (and not xz/zstd/gzip compressed)", name);
    if (d[4] != 2 || d[5] != 1)
        return md_err_set(err, "%s: ELF class %u, data %u: only 64-bit little-endian modules "
                          "are supported", name, d[4], d[5]);
    e->d = d;
    e->len = len;
    e->shoff = rd(d + 0x28, 8);
    unsigned shentsize = (unsigned)rd(d + 0x3a, 2);
    e->shnum = (unsigned)rd(d + 0x3c, 2);
    e->shstrndx = (unsigned)rd(d + 0x3e, 2);
    if (shentsize != 64 || e->shnum == 0 || e->shstrndx >= e->shnum ||
        !in_bounds(e, e->shoff, (uint64_t)e->shnum * 64))
        return md_err_set(err, "%s: corrupt ELF section header table", name);
    return 0;
}

static sect elf_sect(const elf *e, unsigned i)
{
    const unsigned char *p = e->d + e->shoff + (uint64_t)i * 64;
    return (sect){ (uint32_t)rd(p, 4), (uint32_t)rd(p + 4, 4), (uint32_t)rd(p + 0x28, 4),
                   rd(p + 0x18, 8), rd(p + 0x20, 8) };
}

/* Section by name; -1 if absent or out of bounds. */
static int elf_find(const elf *e, const char *want, sect *out)
{
    sect strs = elf_sect(e, e->shstrndx);
    if (!in_bounds(e, strs.off, strs.size))
        return -1;
    size_t wl = strlen(want);
    for (unsigned i = 0; i < e->shnum; i++) {
        sect s = elf_sect(e, i);
        if (s.name >= strs.size || strs.size - s.name < wl + 1)
            continue;
        if (memcmp(e->d + strs.off + s.name, want, wl + 1) != 0)
            continue;
        if (s.type == 8 /* SHT_NOBITS */ || !in_bounds(e, s.off, s.size))
            return -1;
        *out = s;
        return 0;
    }
    return -1;
}

/* NUL-separated strings of a section; skips padding. */
static void push_strings(md_strv *sv, const unsigned char *p, uint64_t size)
{
    uint64_t i = 0;
    while (i < size) {
        if (!p[i]) {
            i++;
            continue;
        }
        uint64_t j = i;
        while (j < size && p[j])
            j++;
        md_strv_push_own(sv, md_xstrndup((const char *)p + i, j - i));
        i = j;
    }
}

/* Exported symbols from .symtab names with `prefix`; returns the count. */
static size_t symtab_exports(const elf *e, const char *prefix, md_strv *out)
{
    sect st;
    if (elf_find(e, ".symtab", &st) < 0 || st.link >= e->shnum || st.size % 24)
        return 0;
    sect strs = elf_sect(e, st.link);
    if (!in_bounds(e, strs.off, strs.size))
        return 0;
    size_t pl = strlen(prefix), n = 0;
    for (uint64_t off = 24; off < st.size; off += 24) {
        uint32_t nm = (uint32_t)rd(e->d + st.off + off, 4);
        if (nm >= strs.size)
            continue;
        const char *s = (const char *)e->d + strs.off + nm;
        size_t max = strs.size - nm;
        size_t sl = strnlen(s, max);
        if (sl == max || sl <= pl || strncmp(s, prefix, pl) != 0)
            continue;
        if (strcmp(prefix, "__ksymtab_") == 0 && strcmp(s, "__ksymtab_strings") == 0)
            continue;
        md_strv_push(out, s + pl);
        n++;
    }
    return n;
}

/* Undefined symbols (st_shndx == SHN_UNDEF), skipping the null entry. */
static void symtab_undefined(const elf *e, md_strv *out)
{
    sect st;
    if (elf_find(e, ".symtab", &st) < 0 || st.link >= e->shnum || st.size % 24)
        return;
    sect strs = elf_sect(e, st.link);
    if (!in_bounds(e, strs.off, strs.size))
        return;
    for (uint64_t off = 24; off < st.size; off += 24) {
        const unsigned char *sym = e->d + st.off + off;
        uint32_t nm = (uint32_t)rd(sym, 4);
        if (rd(sym + 6, 2) != 0 || nm >= strs.size)
            continue;
        const char *s = (const char *)e->d + strs.off + nm;
        size_t max = strs.size - nm, sl = strnlen(s, max);
        if (sl && sl < max)
            md_strv_push(out, s);
    }
}

static int parse_elf(const char *name, const unsigned char *d, size_t len, md_kmodinfo *out,
                     md_err *err)
{
    elf e;
    if (elf_open(&e, name, d, len, err) < 0)
        return -1;
    sect mi;
    if (elf_find(&e, ".modinfo", &mi) < 0)
        return md_err_set(err, "%s: no .modinfo section: not a kernel module", name);
    push_strings(&out->info, e.d + mi.off, mi.size);
    /* As kmod: modversions' __crc_ symbols, else (our addition for kernels
     * without modversions) __ksymtab_ symbols, else __ksymtab_strings. */
    if (symtab_exports(&e, "__crc_", &out->symbols) == 0 &&
        symtab_exports(&e, "__ksymtab_", &out->symbols) == 0) {
        sect ks;
        if (elf_find(&e, "__ksymtab_strings", &ks) == 0)
            push_strings(&out->symbols, e.d + ks.off, ks.size);
    }
    symtab_undefined(&e, &out->needs);
    return 0;
}

int md_kmodelf_read(const char *name, const unsigned char *data, size_t len,
                    md_kmodinfo *out, md_err *err)
{
    memset(out, 0, sizeof(*out));
    int rc;
    if (md_decomp_detect(data, len) != MD_DECOMP_NONE) {
        unsigned char *raw;
        size_t rawlen;
        if (md_decomp_buf(name, data, len, MAX_MODULE, &raw, &rawlen, err) < 0)
            return -1;
        rc = parse_elf(name, raw, rawlen, out, err);
        free(raw);
    } else {
        rc = parse_elf(name, data, len, out, err);
    }
    if (rc < 0)
        md_kmodinfo_free(out);
    return rc;
}

void md_kmodinfo_free(md_kmodinfo *mi)
{
    md_strv_free(&mi->info);
    md_strv_free(&mi->symbols);
    md_strv_free(&mi->needs);
}

const char *md_kmodinfo_get(const md_kmodinfo *mi, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i < mi->info.n; i++)
        if (strncmp(mi->info.v[i], key, kl) == 0 && mi->info.v[i][kl] == '=')
            return mi->info.v[i] + kl + 1;
    return NULL;
}
