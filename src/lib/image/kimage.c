#include "image/kimage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/decomp.h"
#include "core/mem.h"
#include "image/modules.h"

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* What plain (not compressed) data is, by the magic each loader checks:
 * bzimage_check() ("HdrS" at 0x202 only), elf_is_elfbinary(), Arm's
 * kernel_zimage64_probe() (either of its two magics), kernel_uimage_probe(),
 * kernel_zimage32_probe(); and the kernel's own cpio magics. */
static md_kimage_kind plain_kind(const unsigned char *d, size_t len, unsigned *proto)
{
    if (len >= 0x208 && !memcmp(d + 0x202, "HdrS", 4)) {
        *proto = d[0x206] | (unsigned)d[0x207] << 8;
        return MD_KIMAGE_BZIMAGE;
    }
    if (len >= 4 && !memcmp(d, "\177ELF", 4))
        return MD_KIMAGE_ELF;
    if (len >= 0x3c && (le32(d + 0x38) == 0x644d5241 || le32(d) == 0x14000008))
        return MD_KIMAGE_ARM64;
    if (len >= 0x28 && le32(d + 0x24) == 0x016f2818)
        return MD_KIMAGE_ARM32;
    if (len >= 64 && be32(d) == 0x27051956)
        return MD_KIMAGE_UIMAGE;
    if (len >= 6 && (!memcmp(d, "070701", 6) || !memcmp(d, "070702", 6)))
        return MD_KIMAGE_CPIO;
    return MD_KIMAGE_NONE;
}

#define BANNER "Linux version "
#define BANNER_LEN (sizeof BANNER - 1)
#define RELEASE_MAX 256

/* The RELEASE of the first "Linux version RELEASE (" in d[0, len) whose
 * RELEASE reads as a directory name (printable, no '/', not "." or ".."),
 * as linux_banner (init/version.c) writes it; NULL when none.  *tail (may
 * be NULL): where a banner cut off by the end of the data may start, so a
 * caller reading in blocks keeps it for the next one. */
static char *banner_in(const unsigned char *d, size_t len, size_t *tail)
{
    const unsigned char *p = d, *end = d + len;
    if (tail)
        *tail = len > BANNER_LEN + RELEASE_MAX + 2 ? len - (BANNER_LEN + RELEASE_MAX + 2) : 0;
    while (p < end && (p = memmem(p, (size_t)(end - p), BANNER, BANNER_LEN))) {
        const char *s = (const char *)p + BANNER_LEN;
        size_t max = (size_t)((const char *)end - s), n = 0;
        while (n < max && n < RELEASE_MAX && s[n] > ' ' && s[n] < 0x7f && s[n] != '/')
            n++;
        /* a release starts with its VERSION number (6.1.0-31-amd64): not a
         * format string's "%s" */
        if (n && n + 1 < max && s[n] == ' ' && s[n + 1] == '(' && s[0] >= '0' && s[0] <= '9' &&
            !memchr(s, '%', n))
            return md_xstrndup(s, n);
        p++;
    }
    return NULL;
}

/* The decompressed stream of `d` (as Xen's loaders decompress the kernel:
 * one stream, any codec they know, read through md_decomp with libarchive's
 * filters for bzip2, lzma, lzop and lz4): its kind by its first bytes, and,
 * for an ELF or arm64 Image, the banner's release, read block by block up
 * to MD_KIMAGE_MAX_OUT bytes. */
static void inflate_kind(const char *name, const unsigned char *d, size_t len, md_kimage *out)
{
    md_err err = MD_ERR_INIT;
    md_decomp_reader *r = md_decomp_reader_mem(name, d, len, MD_DECOMP_OTHERS | MD_DECOMP_ONE);
    enum { BLOCK = 1 << 20, KEEP = BANNER_LEN + RELEASE_MAX + 2 };
    unsigned char *buf = md_xmalloc(BLOCK + KEEP);
    size_t have = 0, total = 0;
    ssize_t k = 0;
    /* the first 4 KiB (or all there is): what the loaders look at */
    while (have < 4096 && (k = md_decomp_reader_read(r, buf + have, 4096 - have, &err)) > 0)
        have += (size_t)k;
    total = have;
    if (md_decomp_reader_compressed(r))
        out->codec = md_xstrdup(md_decomp_reader_codec_name(r));
    /* what was read before an error still tells the kind (a cut-off
     * vmlinux.xz is an ELF kernel whose end is missing) */
    out->kind = plain_kind(buf, have, &out->proto);
    if (out->kind == MD_KIMAGE_NONE) {
        out->why = md_xstrdup(k < 0    ? err.msg
                              : have ? "it decompresses to data that is no kernel"
                                     : "it decompresses to nothing");
        goto done;
    }
    if (out->kind == MD_KIMAGE_BZIMAGE)
        out->release = md_modules_image_release(buf, have);
    if (out->kind != MD_KIMAGE_ELF && out->kind != MD_KIMAGE_ARM64)
        goto done;
    for (;;) {
        size_t tail;
        out->release = banner_in(buf, have, &tail);
        if (out->release || k <= 0 || total >= MD_KIMAGE_MAX_OUT)
            break;
        memmove(buf, buf + tail, have - tail);
        have -= tail;
        k = md_decomp_reader_read(r, buf + have, BLOCK, &err);
        if (k > 0) {
            have += (size_t)k;
            total += (size_t)k;
        }
    }
    out->by_banner = out->release != NULL;
done:
    free(buf);
    md_decomp_reader_free(r);
}

void md_kimage_read(const char *name, const unsigned char *data, size_t len, md_kimage *out)
{
    memset(out, 0, sizeof *out);
    out->kind = plain_kind(data, len, &out->proto);
    if (out->kind == MD_KIMAGE_NONE && md_decomp_detect(data, len) == MD_DECOMP_NONE) {
        /* bzip2, lzma, lzop, lz4: libarchive's filters know them by magic */
        md_decomp_reader *r = md_decomp_reader_mem(name, data, len,
                                                   MD_DECOMP_OTHERS | MD_DECOMP_ONE);
        unsigned char b;
        md_err err = MD_ERR_INIT;
        bool compressed = md_decomp_reader_read(r, &b, 1, &err) >= 0 &&
                          md_decomp_reader_compressed(r);
        md_decomp_reader_free(r);
        if (!compressed)
            return;
    }
    if (out->kind == MD_KIMAGE_NONE) {
        inflate_kind(name, data, len, out);
        return;
    }
    if (out->kind == MD_KIMAGE_BZIMAGE) {
        out->release = md_modules_image_release(data, len);
        if (out->release || out->proto < 0x208 || len < 0x250)
            return;
        /* no version string in the header: the payload Xen takes, the
         * kernel's ELF, plain or compressed (bzimage_parse(): setup_sects
         * + 1 sectors, then payload_offset; payload_length bytes) */
        uint64_t at = ((uint64_t)data[0x1f1] + 1) * 512 + le32(data + 0x248);
        uint64_t n = le32(data + 0x24c);
        if (at >= len || n > len - at || !n)
            return;
        md_kimage p;
        memset(&p, 0, sizeof p);
        if (n >= 4 && !memcmp(data + at, "\177ELF", 4)) {
            p.release = banner_in(data + at, (size_t)n, NULL);
        } else {
            inflate_kind(name, data + at, (size_t)n, &p);
        }
        out->release = p.release;
        out->by_banner = out->release != NULL;
        p.release = NULL;
        md_kimage_free(&p);
        return;
    }
    if (out->kind == MD_KIMAGE_ELF || out->kind == MD_KIMAGE_ARM64) {
        out->release = banner_in(data, len, NULL);
        out->by_banner = out->release != NULL;
    }
}

const char *md_kimage_kind_name(md_kimage_kind k)
{
    switch (k) {
    case MD_KIMAGE_BZIMAGE: return "an x86 bzImage";
    case MD_KIMAGE_ELF: return "an ELF kernel (vmlinux)";
    case MD_KIMAGE_ARM64: return "an arm64 Image";
    case MD_KIMAGE_ARM32: return "an arm zImage";
    case MD_KIMAGE_UIMAGE: return "a U-Boot uImage";
    case MD_KIMAGE_CPIO: return "a cpio archive";
    case MD_KIMAGE_NONE: break;
    }
    return "no kernel";
}

void md_kimage_free(md_kimage *k)
{
    free(k->codec);
    free(k->release);
    free(k->why);
    k->codec = k->release = k->why = NULL;
}
