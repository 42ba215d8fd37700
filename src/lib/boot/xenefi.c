#include "boot/xenefi.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "boot/bootfmt.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/run.h"

/* Debian's faketime package; LD_PRELOAD'ed into sbsign only. */
#define LIBFAKETIME "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"

char *md_xenefi_cfg(const md_bootcfg_entry *e)
{
    return md_bootfmt_write(MD_BOOTFMT_XEN_EFI, e);
}

/* A path's last component (borrowed). */
int md_xenefi_tree(const md_bootcfg_entry *e, const md_xenefi_files *f, const char *outdir,
                   md_err *err)
{
    if (!e->nmods)
        return md_err_set(err, "EFI tree: the boot entry has no rootfs");
    if (mkdir(outdir, 0755) < 0)
        return md_err_errno(err, "%s", outdir);
    const char *src[3] = { f->xen_efi, f->kernel, f->rootfs };
    const char *dst[3] = { "xen.efi", basename(e->kernel.path), basename(e->mods[0].path) };
    char *p = NULL, *cfg = md_xenefi_cfg(e);
    int rc = -1;
    for (int i = 0; i < 3; i++) {
        free(p);
        p = md_xasprintf("%s/%s", outdir, dst[i]);
        if (md_copy_contents(src[i], p, err) < 0)
            goto out;
    }
    free(p);
    p = md_xasprintf("%s/%s", outdir, MD_XENEFI_CFG_NAME);
    if (md_write_atomic(p, cfg, strlen(cfg), 0644, err) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0) {
        md_err_prefix(err, "making the EFI tree %s", outdir);
        md_remove_tree(outdir, NULL);
    }
    free(p);
    free(cfg);
    return rc;
}

/* ---- PE/COFF (Microsoft PE format spec: the COFF file header after
 * "PE\0\0" at e_lfanew, then the PE32+ optional header, then the section
 * table) ---- */

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

typedef struct pe_info {
    size_t coff;        /* offset of the COFF file header */
    size_t opt;         /* offset of the optional header */
    uint64_t image_base;
    uint32_t align;     /* SectionAlignment */
    uint64_t end;       /* highest virtual address any section reaches */
} pe_info;

static int pe_parse(const unsigned char *d, size_t len, const char *name, pe_info *pi, md_err *err)
{
    if (len < 0x40 || d[0] != 'M' || d[1] != 'Z')
        return md_err_set(err, "%s: not a PE image (no MZ header)", name);
    size_t pe = get32(d + 0x3c);
    if (pe > len || len - pe < 24 || memcmp(d + pe, "PE\0\0", 4))
        return md_err_set(err, "%s: not a PE image (no PE signature)", name);
    pi->coff = pe + 4;
    unsigned nsec = d[pi->coff + 2] | d[pi->coff + 3] << 8;
    unsigned optsz = d[pi->coff + 16] | d[pi->coff + 17] << 8;
    pi->opt = pi->coff + 20;
    size_t sec = pi->opt + optsz;
    if (optsz < 68 || sec > len || (len - sec) / 40 < nsec || d[pi->opt] != 0x0b ||
        d[pi->opt + 1] != 0x02)
        return md_err_set(err, "%s: not a PE32+ image with a whole section table", name);
    pi->image_base = get64(d + pi->opt + 24);
    pi->align = get32(d + pi->opt + 32);
    if (!pi->align || (pi->align & (pi->align - 1)))
        return md_err_set(err, "%s: SectionAlignment %u is no power of two", name, pi->align);
    pi->end = 0;
    for (unsigned i = 0; i < nsec; i++) {
        const unsigned char *s = d + sec + 40u * i;
        uint64_t end = (uint64_t)get32(s + 12) + get32(s + 8);
        if (end > pi->end)
            pi->end = end;
    }
    return 0;
}

int md_xenefi_section(const unsigned char *d, size_t len, const char *name, size_t *off,
                      size_t *size)
{
    pe_info pi;
    md_err e = MD_ERR_INIT;
    if (pe_parse(d, len, "image", &pi, &e) < 0)
        return -1;
    unsigned nsec = d[pi.coff + 2] | d[pi.coff + 3] << 8;
    unsigned optsz = d[pi.coff + 16] | d[pi.coff + 17] << 8;
    size_t n = strlen(name);
    for (unsigned i = 0; i < nsec; i++) {
        const unsigned char *sh = d + pi.opt + optsz + 40u * i;
        if (n > 8 || memcmp(sh, name, n) || (n < 8 && sh[n]))
            continue;
        /* what Xen maps: VirtualSize bytes, of which the file holds
         * SizeOfRawData from PointerToRawData */
        uint64_t vs = get32(sh + 8), raw = get32(sh + 16), at = get32(sh + 20);
        uint64_t sz = vs && vs < raw ? vs : raw;
        if (at > len || sz > len - at)
            return -1;
        *off = (size_t)at;
        *size = (size_t)sz;
        return 0;
    }
    return 1;
}

int md_xenefi_check_whole(const unsigned char *d, size_t len, const char *name, bool signature,
                          md_err *err)
{
    pe_info pi;
    md_err e = MD_ERR_INIT;
    if (pe_parse(d, len, name, &pi, &e) < 0)
        return 0;
    unsigned nsec = d[pi.coff + 2] | d[pi.coff + 3] << 8;
    unsigned optsz = d[pi.coff + 16] | d[pi.coff + 17] << 8;
    for (unsigned i = 0; i < nsec; i++) {
        const unsigned char *sh = d + pi.opt + optsz + 40u * i;
        uint64_t raw = get32(sh + 16), at = get32(sh + 20);
        if (!raw || at + raw <= len)
            continue;
        char sn[9];
        for (int k = 0; k < 8; k++) /* a hostile name is no terminal control */
            sn[k] = sh[k] > ' ' && sh[k] < 0x7f ? (char)sh[k] : sh[k] ? '?' : '\0';
        sn[8] = '\0';
        return md_err_set(err, "%s: its %s section lies past the end of the file (PE section "
                               "%u, %llu bytes at offset %llu; the file has %zu)", name, sn, i,
                          (unsigned long long)raw, (unsigned long long)at, len);
    }
    /* PE32+: NumberOfRvaAndSizes at 108, the directories from 112, 8
     * bytes each; the certificate table's "address" is a file offset */
    if (signature && optsz >= 152 && get32(d + pi.opt + 108) > 4) {
        uint64_t at = get32(d + pi.opt + 144), size = get32(d + pi.opt + 148);
        if (size && at + size > len)
            return md_err_set(err, "%s: its signature (the PE certificate table, %llu bytes at "
                                   "offset %llu) runs past the end of the file (%zu bytes)",
                              name, (unsigned long long)size, (unsigned long long)at, len);
    }
    return 0;
}

unsigned md_xenefi_machine(const unsigned char *d, size_t len)
{
    pe_info pi;
    md_err e = MD_ERR_INIT;
    if (pe_parse(d, len, "image", &pi, &e) < 0)
        return 0;
    return d[pi.coff] | d[pi.coff + 1] << 8;
}

/* The PE checksum as CheckSumMappedFile() (imagehlp) computes it: the file
 * as 16-bit little-endian words added with the carry folded back, the
 * CheckSum field itself left out, plus the file's length. */
static uint32_t pe_checksum(const unsigned char *d, size_t len, size_t field)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < len; i += 2) {
        if (i >= field && i < field + 4)
            continue;
        sum += d[i] | (i + 1 < len ? d[i + 1] << 8 : 0);
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum = (sum & 0xffff) + (sum >> 16);
    return sum + (uint32_t)len;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* sbsign with OpenSSL's clock frozen at `epoch` (the signature's
 * signingTime), on fixed names in `cwd`. */
static int sign(const md_xenefi_files *f, const char *cwd, md_err *err)
{
    if (access(LIBFAKETIME, R_OK) < 0)
        return md_err_set(err, "%s missing: install faketime (sbsign stamps its signature with "
                               "the time; mkdom0 sets that to SOURCE_DATE_EPOCH so that the "
                               "signed image repeats)", LIBFAKETIME);
    time_t t = (time_t)f->epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    char when[64];
    strftime(when, sizeof when, "FAKETIME=%Y-%m-%d %H:%M:%S", &tm);
    const char *env[] = { "LD_PRELOAD=" LIBFAKETIME, when, "TZ=UTC", NULL };
    char *key = md_path_abs(f->sb_key), *cert = md_path_abs(f->sb_cert);
    const char *argv[] = { "sbsign", "--key", key, "--cert", cert, "--output", "./signed.efi",
                           "./unified.efi", NULL };
    md_run_opts o = { .timeout_s = 120, .env = env, .cwd = cwd };
    int rc = md_run_ok_opts(argv, &o, err);
    if (rc < 0)
        md_err_prefix(err, "sbsign (package sbsigntool) with %s and %s", f->sb_key, f->sb_cert);
    free(key);
    free(cert);
    return rc;
}

int md_xenefi_unified(const md_bootcfg_entry *e, const md_xenefi_files *f, const char *out,
                      const char *workdir, md_err *err)
{
    unsigned char *img = NULL;
    size_t len = 0;
    pe_info pi;
    int rc = -1;
    char *cfg = md_xenefi_cfg(e);
    char *cfgpath = md_xasprintf("%s/xen.cfg", workdir);
    char *unified = md_xasprintf("%s/unified.efi", workdir);
    char *signed_ = md_xasprintf("%s/signed.efi", workdir);
    char *abswork = md_path_abs(workdir);
    char *srcs[3] = { md_path_abs(cfgpath), md_path_abs(f->kernel), md_path_abs(f->rootfs) };
    char *xen = md_path_abs(f->xen_efi);
    md_strv argv = { 0 };
    if (md_read_file(f->xen_efi, &img, &len, err) < 0 ||
        pe_parse(img, len, f->xen_efi, &pi, err) < 0 ||
        md_write_atomic(cfgpath, cfg, strlen(cfg), 0644, err) < 0)
        goto out;
    uint32_t stamp = get32(img + pi.coff + 4);
    bool had_sum = get32(img + pi.opt + 64) != 0;
    free(img);
    img = NULL;
    /* Each section at the next SectionAlignment boundary past the last
     * one: efi.pandoc asks for addresses after .pad that do not overlap,
     * and a PE loader wants section addresses aligned. */
    static const char *const names[3] = { ".config", ".kernel", ".ramdisk" };
    md_strv_push(&argv, "objcopy");
    uint64_t at = align_up(pi.end, pi.align);
    for (int i = 0; i < 3; i++) {
        uint64_t size = strlen(cfg);
        if (i && md_file_size(srcs[i], &size, err) < 0)
            goto out;
        /* objcopy splits --add-section's value at the first '=': the
         * path after it may hold any byte. */
        md_strv_pushf(&argv, "--add-section=%s=%s", names[i], srcs[i]);
        md_strv_pushf(&argv, "--change-section-vma=%s=0x%llx", names[i],
                      (unsigned long long)(pi.image_base + at));
        at = align_up(at + size, pi.align);
    }
    md_strv_push(&argv, xen); /* absolute: never taken for an option */
    md_strv_push(&argv, "./unified.efi");
    md_run_opts o = { .timeout_s = 120, .cwd = abswork };
    if (md_run_ok_opts((const char *const *)argv.v, &o, err) < 0) {
        md_err_prefix(err, "objcopy (package binutils)");
        goto out;
    }
    /* objcopy's clock stamp out, the input's back in (and the checksum
     * that covers it). */
    if (md_read_file(unified, &img, &len, err) < 0 || pe_parse(img, len, unified, &pi, err) < 0)
        goto out;
    put32(img + pi.coff + 4, stamp);
    put32(img + pi.opt + 64, had_sum ? pe_checksum(img, len, pi.opt + 64) : 0);
    if (md_write_atomic(unified, img, len, 0644, err) < 0)
        goto out;
    const char *result = unified;
    if (f->sb_key) {
        if (sign(f, abswork, err) < 0)
            goto out;
        result = signed_;
    }
    if (md_copy_contents(result, out, err) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0)
        md_err_prefix(err, "making the unified xen.efi %s", out);
    free(img);
    free(cfg);
    free(cfgpath);
    free(unified);
    free(signed_);
    free(abswork);
    for (int i = 0; i < 3; i++)
        free(srcs[i]);
    free(xen);
    md_strv_free(&argv);
    return rc;
}
