#include "core/elf.h"

#include <string.h>

static uint64_t rd(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static bool in_bounds(const md_elf *e, uint64_t off, uint64_t size)
{
    return off <= e->len && size <= e->len - off;
}

bool md_elf_is(const unsigned char *d, size_t len)
{
    return len >= 4 && memcmp(d, "\177ELF", 4) == 0;
}

unsigned md_elf_machine(const unsigned char *d, size_t len)
{
    /* e_machine and e_version lie at the same offsets in both classes */
    if (len < 24 || !md_elf_is(d, len) || (d[4] != 1 && d[4] != 2) || d[5] != 1 ||
        rd(d + 20, 4) != 1)
        return 0;
    return (unsigned)rd(d + 18, 2);
}

int md_elf_check_whole(const unsigned char *d, size_t len, uint64_t filelen, const char *name,
                       md_err *err)
{
    if (!md_elf_machine(d, len) || len > filelen)
        return 0;
    bool c64 = d[4] == 2;
    if (len < (c64 ? 64u : 52u))
        return 0;
    uint64_t phoff = c64 ? rd(d + 0x20, 8) : rd(d + 0x1c, 4);
    uint64_t shoff = c64 ? rd(d + 0x28, 8) : rd(d + 0x20, 4);
    unsigned phent = (unsigned)rd(d + (c64 ? 0x36 : 0x2a), 2);
    unsigned phnum = (unsigned)rd(d + (c64 ? 0x38 : 0x2c), 2);
    unsigned shent = (unsigned)rd(d + (c64 ? 0x3a : 0x2e), 2);
    unsigned shnum = (unsigned)rd(d + (c64 ? 0x3c : 0x30), 2);
    /* e_shnum 0 with a table: more sections than the field holds, their
     * count in entry 0 (gABI "Extended Section Numbering"): one at least */
    uint64_t phsize = (uint64_t)phnum * phent, shsize = (uint64_t)(shnum ? shnum : 1) * shent;
    if (phnum && (phoff > filelen || phsize > filelen - phoff))
        return md_err_set(err, "%s: its program header table (%u entries at offset %llu) runs "
                               "past the end of the file (%llu bytes)", name, phnum,
                          (unsigned long long)phoff, (unsigned long long)filelen);
    for (unsigned i = 0; phent >= (c64 ? 56u : 32u) && i < phnum; i++) {
        uint64_t at = phoff + (uint64_t)i * phent;
        if (at > len || len - at < phent)
            break;
        const unsigned char *p = d + at;
        uint64_t off = c64 ? rd(p + 8, 8) : rd(p + 4, 4);
        uint64_t fsz = c64 ? rd(p + 0x20, 8) : rd(p + 16, 4);
        if (fsz && (off > filelen || fsz > filelen - off))
            return md_err_set(err, "%s: its segment %u (type %llu, %llu bytes at offset %llu) "
                                   "runs %llu bytes past its end (%llu bytes)",
                              name, i, (unsigned long long)rd(p, 4), (unsigned long long)fsz,
                              (unsigned long long)off,
                              (unsigned long long)(off > filelen ? off - filelen + fsz
                                                                 : fsz - (filelen - off)),
                              (unsigned long long)filelen);
    }
    if (shoff && (shoff > filelen || shsize > filelen - shoff))
        return md_err_set(err, "%s: its section header table (offset %llu) runs past its end "
                               "(%llu bytes)", name, (unsigned long long)shoff,
                          (unsigned long long)filelen);
    return 0;
}

int md_elf_open(md_elf *e, const char *name, const unsigned char *d, size_t len, md_err *err)
{
    memset(e, 0, sizeof *e);
    if (len < 64 || !md_elf_is(d, len))
        return md_err_set(err, "%s: not an ELF file", name);
    if (d[4] != 2 || d[5] != 1)
        return md_err_set(err, "%s: ELF class %u, data %u: only 64-bit little-endian ELF is "
                               "read", name, d[4], d[5]);
    e->d = d;
    e->len = len;
    e->shoff = rd(d + 0x28, 8);
    unsigned shentsize = (unsigned)rd(d + 0x3a, 2);
    e->shnum = (unsigned)rd(d + 0x3c, 2);
    e->shstrndx = (unsigned)rd(d + 0x3e, 2);
    e->phoff = rd(d + 0x20, 8);
    e->phentsize = (unsigned)rd(d + 0x36, 2);
    e->phnum = (unsigned)rd(d + 0x38, 2);
    if (shentsize != 64 || e->shnum == 0 || e->shstrndx >= e->shnum ||
        !in_bounds(e, e->shoff, (uint64_t)e->shnum * 64))
        return md_err_set(err, "%s: corrupt ELF section header table", name);
    if (e->phentsize < 56 || !in_bounds(e, e->phoff, (uint64_t)e->phnum * e->phentsize))
        e->phnum = 0; /* no usable program headers: a relocatable object has none */
    return 0;
}

static md_elf_sect sect_at(const md_elf *e, unsigned i)
{
    const unsigned char *p = e->d + e->shoff + (uint64_t)i * 64;
    return (md_elf_sect){ (uint32_t)rd(p, 4), (uint32_t)rd(p + 4, 4), (uint32_t)rd(p + 0x28, 4),
                          rd(p + 0x18, 8), rd(p + 0x20, 8) };
}

bool md_elf_section(const md_elf *e, const char *name, md_elf_sect *out)
{
    md_elf_sect strs = sect_at(e, e->shstrndx);
    if (!in_bounds(e, strs.off, strs.size))
        return false;
    size_t nl = strlen(name);
    for (unsigned i = 0; i < e->shnum; i++) {
        md_elf_sect s = sect_at(e, i);
        if (s.name >= strs.size || strs.size - s.name < nl + 1 ||
            memcmp(e->d + strs.off + s.name, name, nl + 1) != 0)
            continue;
        if (s.type == 8 /* SHT_NOBITS */ || !in_bounds(e, s.off, s.size))
            return false;
        *out = s;
        return true;
    }
    return false;
}

/* The first SHT_DYNAMIC section inside the file; false when there is none. */
static bool dynamic_section(const md_elf *e, md_elf_sect *out)
{
    for (unsigned i = 0; i < e->shnum; i++) {
        md_elf_sect s = sect_at(e, i);
        if (s.type != MD_ELF_SHT_DYNAMIC || !in_bounds(e, s.off, s.size))
            continue;
        *out = s;
        return true;
    }
    return false;
}

/* The NUL-terminated string at offset `off` of the string table section
 * `strtab` (a section index, as sh_link gives); NULL when out of bounds or
 * not terminated inside the table. */
static const char *elf_string(const md_elf *e, unsigned strtab, uint64_t off)
{
    if (strtab >= e->shnum)
        return NULL;
    md_elf_sect s = sect_at(e, strtab);
    if (!in_bounds(e, s.off, s.size) || off >= s.size)
        return NULL;
    const char *p = (const char *)e->d + s.off + off;
    return memchr(p, '\0', s.size - off) ? p : NULL;
}

size_t md_elf_symbols(const md_elf *e, bool (*fn)(void *ctx, const char *name, uint16_t shndx),
                      void *ctx)
{
    md_elf_sect st;
    if (!md_elf_section(e, ".symtab", &st) || st.type != MD_ELF_SHT_SYMTAB || st.size % 24)
        return 0;
    size_t n = 0;
    for (uint64_t off = 24; off < st.size; off += 24) {
        const unsigned char *sym = e->d + st.off + off;
        const char *name = elf_string(e, st.link, rd(sym, 4));
        if (!name)
            continue;
        n++;
        if (!fn(ctx, name, (uint16_t)rd(sym + 6, 2)))
            break;
    }
    return n;
}

bool md_elf_is_static(const md_elf *e)
{
    if (!e->phnum)
        return false;
    for (unsigned i = 0; i < e->phnum; i++)
        if (rd(e->d + e->phoff + (uint64_t)i * e->phentsize, 4) == 3 /* PT_INTERP */)
            return false;
    return true;
}

bool md_elf_interp(const md_elf *e, char *out, size_t cap)
{
    for (unsigned i = 0; i < e->phnum; i++) {
        const unsigned char *ph = e->d + e->phoff + (uint64_t)i * e->phentsize;
        if (rd(ph, 4) != 3 /* PT_INTERP */)
            continue;
        uint64_t off = rd(ph + 8, 8), size = rd(ph + 32, 8);
        if (off >= e->len || size > e->len - off || size == 0)
            return false;
        const char *s = (const char *)e->d + off;
        size_t n = strnlen(s, (size_t)size);
        if (n == (size_t)size || n == 0 || n >= cap)
            return false;
        memcpy(out, s, n + 1);
        return true;
    }
    return false;
}

bool md_elf_soname(const md_elf *e, char *out, size_t cap)
{
    md_elf_sect dyn;
    if (!dynamic_section(e, &dyn))
        return false;
    for (uint64_t k = 0; k + 16 <= dyn.size; k += 16) {
        uint64_t tag = rd(e->d + dyn.off + k, 8), val = rd(e->d + dyn.off + k + 8, 8);
        if (tag == 0 /* DT_NULL */)
            break;
        if (tag != 14 /* DT_SONAME */)
            continue;
        const char *s = elf_string(e, dyn.link, val);
        if (!s || strlen(s) >= cap)
            return false;
        memcpy(out, s, strlen(s) + 1);
        return true;
    }
    return false;
}

size_t md_elf_dynamic_strings(const md_elf *e, uint64_t tag,
                              bool (*fn)(void *ctx, const char *s), void *ctx)
{
    md_elf_sect dyn;
    if (!dynamic_section(e, &dyn))
        return 0;
    size_t n = 0;
    for (uint64_t k = 0; k + 16 <= dyn.size; k += 16) {
        uint64_t t = rd(e->d + dyn.off + k, 8), val = rd(e->d + dyn.off + k + 8, 8);
        if (t == 0 /* DT_NULL */)
            break;
        const char *str = t == tag ? elf_string(e, dyn.link, val) : NULL;
        if (!str)
            continue;
        n++;
        if (!fn(ctx, str))
            break;
    }
    return n;
}
