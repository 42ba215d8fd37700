/* kmodelf — .modinfo and exported symbols of a module held in memory.
 *
 * Why not libkmod: kmod_module_new_from_path() and kmod_module_get_info()
 * work on files only, so every one of a kernel's ~4000 modules would have
 * to be copied into a memfd first, and libkmod gives us no access to the
 * module's name apart from the file name (a memfd is called "5").  What we
 * need is two ELF sections: .modinfo (NUL-separated key=value strings) and
 * the symbol table's __crc_* entries, which libkmod reads the same way
 * (libkmod-elf.c, kmod_elf_get_symbols): core/elf's bounded reads of the
 * section headers, without copying.
 *
 * Compressed modules (.ko.xz/.zst/.gz) go through core/decomp.
 */
#include "image/kmodelf.h"
#include "core/decomp.h"
#include "core/elf.h"
#include "core/mem.h"
#include "core/strv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A kernel's largest modules (amdgpu, i915) are tens of MB uncompressed. */

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

typedef struct exports {
    const char *prefix;
    size_t prefix_len, n;
    md_strv *out;
} exports;

static bool add_export(void *ctx, const char *name, uint16_t shndx)
{
    exports *x = ctx;
    (void)shndx;
    if (strlen(name) <= x->prefix_len || strncmp(name, x->prefix, x->prefix_len) != 0 ||
        !strcmp(name, "__ksymtab_strings"))
        return true;
    md_strv_push(x->out, name + x->prefix_len);
    x->n++;
    return true;
}

/* Exported symbols from .symtab names with `prefix`; returns the count. */
static size_t symtab_exports(const md_elf *e, const char *prefix, md_strv *out)
{
    exports x = { prefix, strlen(prefix), 0, out };
    md_elf_symbols(e, add_export, &x);
    return x.n;
}

/* Undefined symbols (st_shndx == SHN_UNDEF). */
static bool add_undefined(void *ctx, const char *name, uint16_t shndx)
{
    if (shndx == 0 && *name)
        md_strv_push(ctx, name);
    return true;
}

static int parse_elf(const char *name, const unsigned char *d, size_t len, md_kmodinfo *out,
                     md_err *err)
{
    md_elf e;
    if (!md_elf_is(d, len))
        return md_err_set(err, "%s: not an ELF file (and not xz/zstd/gzip compressed)", name);
    if (md_elf_open(&e, name, d, len, err) < 0)
        return -1;
    md_elf_sect mi;
    if (!md_elf_section(&e, ".modinfo", &mi))
        return md_err_set(err, "%s: no .modinfo section: not a kernel module", name);
    push_strings(&out->info, d + mi.off, mi.size);
    /* As kmod: modversions' __crc_ symbols, else (our addition for kernels
     * without modversions) __ksymtab_ symbols, else __ksymtab_strings. */
    if (symtab_exports(&e, "__crc_", &out->symbols) == 0 &&
        symtab_exports(&e, "__ksymtab_", &out->symbols) == 0) {
        md_elf_sect ks;
        if (md_elf_section(&e, "__ksymtab_strings", &ks))
            push_strings(&out->symbols, d + ks.off, ks.size);
    }
    md_elf_symbols(&e, add_undefined, &out->needs);
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
        if (md_decomp_buf(name, data, len, MD_KMODELF_MAX, &raw, &rawlen, err) < 0)
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
