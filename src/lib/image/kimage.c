#include "image/kimage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/decomp.h"
#include "core/elf.h"
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

/* `msg` without the "NAME: " that the decompressor puts first. */
static const char *unnamed(const char *msg, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(msg, name, n) && msg[n] == ':' && msg[n + 1] == ' ' ? msg + n + 2 : msg;
}

/* The decompressed stream of `d` (as Xen's loaders decompress the kernel:
 * one stream, any codec they know, read through md_decomp with libarchive's
 * filters for bzip2, lzma, lzop and lz4): its kind by its first bytes, and,
 * for an ELF or arm64 Image, the banner's release, read block by block up
 * to MD_KIMAGE_MAX_OUT bytes.  A gzip, xz or zstd stream is read to its end
 * as well, so that its own checks run (gzip CRC-32 and ISIZE, the xz
 * check, the zstd checksum, the end of the stream): out->damaged when one
 * fails, or when the ELF it gives has segments past its end.  *outlen (may
 * be NULL): the bytes it decompressed to when read to its end, else 0.
 * libarchive's filters are not trusted with that verdict (an lz4 legacy
 * stream has no end mark: the kernel's appended size would read as its next
 * block). */
static void inflate_kind(const char *name, const unsigned char *d, size_t len, md_kimage *out,
                         uint64_t *outlen)
{
    md_err err = MD_ERR_INIT;
    md_decomp_reader *r = md_decomp_reader_mem(name, d, len, MD_DECOMP_OTHERS | MD_DECOMP_ONE);
    enum { BLOCK = 1 << 20, KEEP = BANNER_LEN + RELEASE_MAX + 2, HEAD = 4096 };
    unsigned char *buf = md_xmalloc(BLOCK + KEEP), head[HEAD];
    size_t have = 0, nhead;
    uint64_t total = 0;
    ssize_t k = 0;
    if (outlen)
        *outlen = 0;
    /* the first 4 KiB (or all there is): what the loaders look at */
    while (have < HEAD && (k = md_decomp_reader_read(r, buf + have, HEAD - have, &err)) > 0)
        have += (size_t)k;
    total = nhead = have;
    memcpy(head, buf, have);
    if (md_decomp_reader_compressed(r))
        out->codec = md_xstrdup(md_decomp_reader_codec_name(r));
    /* what was read before an error still tells the kind (a cut-off
     * vmlinux.xz is an ELF kernel whose end is missing) */
    out->kind = plain_kind(buf, have, &out->proto);
    bool verify = md_decomp_reader_codec(r) != MD_DECOMP_NONE;
    if (out->kind == MD_KIMAGE_NONE) {
        out->why = md_xstrdup(k < 0    ? err.msg
                              : have ? "it decompresses to data that is no kernel"
                                     : "it decompresses to nothing");
        if (verify && k < 0)
            out->damaged = md_xasprintf("its %s data does not decompress: %s", out->codec,
                                        unnamed(err.msg, name));
        goto done;
    }
    if (out->kind == MD_KIMAGE_BZIMAGE)
        out->release = md_modules_image_release(buf, have);
    bool scan = out->kind == MD_KIMAGE_ELF || out->kind == MD_KIMAGE_ARM64;
    for (;;) {
        size_t tail = 0;
        if (scan && (out->release = banner_in(buf, have, &tail)) != NULL)
            scan = false, out->by_banner = true;
        if ((!scan && !verify) || k <= 0 || total >= MD_KIMAGE_MAX_OUT)
            break;
        memmove(buf, buf + tail, scan ? have - tail : 0);
        have = scan ? have - tail : 0;
        k = md_decomp_reader_read(r, buf + have, BLOCK, &err);
        if (k > 0) {
            have += (size_t)k;
            total += (size_t)k;
        }
    }
    if (verify && k < 0) {
        out->damaged = md_xasprintf("its %s data does not decompress: %s", out->codec,
                                    unnamed(err.msg, name));
    } else if (verify && k == 0) {
        md_err e = MD_ERR_INIT;
        if (outlen)
            *outlen = total;
        if (md_elf_check_whole(head, nhead, total, "the ELF it decompresses to", &e) < 0)
            out->damaged = md_xstrdup(e.msg);
    }
done:
    free(buf);
    md_decomp_reader_free(r);
}

/* A bzImage of boot protocol 2.08 or later (Linux's
 * Documentation/arch/x86/boot.rst): whether the file holds what its header
 * says, out->damaged when not, and the release from its payload when the
 * header carries none.  The setup is setup_sects + 1 sectors of 512 bytes
 * (as Xen counts it: bzimage_parse() in xen/arch/x86/bzimage.c), then
 * syssize 16-byte paragraphs of protected-mode code; what follows (an
 * appended signature) is the PE header's to account for.  The payload Xen
 * takes, the kernel's ELF plain or compressed, is payload_length bytes at
 * payload_offset into the protected-mode code; compressed, its last 4 bytes
 * are the size it decompresses to (gzip's ISIZE, else the kernel build's
 * size_append), which Xen makes room for (output_length()). */
static void bzimage_whole(const char *name, const unsigned char *data, size_t len, md_kimage *out)
{
    uint64_t setup = ((uint64_t)data[0x1f1] + 1) * 512, sys = (uint64_t)le32(data + 0x1f4) * 16;
    uint64_t at = setup + le32(data + 0x248), n = le32(data + 0x24c);
    if (setup + sys > len) {
        out->damaged = md_xasprintf("cut short: its boot header gives %llu bytes of setup "
                                    "(setup_sects %u) and %llu of protected-mode code "
                                    "(syssize %u), %llu in all, but the file has %zu",
                                    (unsigned long long)setup, data[0x1f1],
                                    (unsigned long long)sys, le32(data + 0x1f4),
                                    (unsigned long long)(setup + sys), len);
        return;
    }
    if (n < 4 || at > len || n > len - at) {
        out->damaged = md_xasprintf("its boot header puts the payload Xen decompresses "
                                    "(payload_length %llu bytes at %llu) %s", (unsigned long long)n,
                                    (unsigned long long)at,
                                    n < 4 ? "nowhere" : "past the end of the file");
        return;
    }
    md_kimage p;
    memset(&p, 0, sizeof p);
    md_err e = MD_ERR_INIT;
    if (!memcmp(data + at, "\177ELF", 4)) {
        if (md_elf_check_whole(data + at, (size_t)n, n, "its payload (an ELF)", &e) < 0)
            p.damaged = md_xstrdup(e.msg);
        p.release = banner_in(data + at, (size_t)n, NULL);
        p.kind = MD_KIMAGE_ELF;
    } else {
        uint64_t got;
        inflate_kind("its payload", data + at, (size_t)n, &p, &got);
        uint32_t want = le32(data + at + n - 4);
        if (p.damaged) {
            char *w = md_xasprintf("its payload (%llu bytes at offset %llu): %s",
                                   (unsigned long long)n, (unsigned long long)at, p.damaged);
            free(p.damaged);
            p.damaged = w;
        } else if (p.kind != MD_KIMAGE_ELF &&
                   (!p.codec || md_decomp_detect(data + at, (size_t)n) != MD_DECOMP_NONE))
            p.damaged = md_xasprintf("its payload is %s%s%s, not the kernel's ELF that Xen's "
                                     "elf_init() takes", md_kimage_kind_name(p.kind),
                                     p.why ? ": " : "", p.why ? p.why : "");
        else if (got && (uint32_t)got != want)
            p.damaged = md_xasprintf("its payload decompresses to %llu bytes, but its last 4 "
                                     "bytes say %u, the room Xen makes for it "
                                     "(output_length() in xen/arch/x86/bzimage.c)",
                                     (unsigned long long)got, want);
    }
    out->damaged = p.damaged;
    p.damaged = NULL;
    if (!out->release) {
        out->release = p.release;
        out->by_banner = out->release != NULL;
        p.release = NULL;
    }
    md_kimage_free(&p);
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
    md_err e = MD_ERR_INIT;
    switch (out->kind) {
    case MD_KIMAGE_NONE:
        inflate_kind(name, data, len, out, NULL);
        break;
    case MD_KIMAGE_BZIMAGE:
        out->release = md_modules_image_release(data, len);
        if (out->proto >= 0x208 && len >= 0x250)
            bzimage_whole(name, data, len, out);
        break;
    case MD_KIMAGE_ELF:
    case MD_KIMAGE_ARM64:
        out->release = banner_in(data, len, NULL);
        out->by_banner = out->release != NULL;
        if (md_elf_check_whole(data, len, len, "its ELF", &e) < 0)
            out->damaged = md_xstrdup(e.msg);
        break;
    case MD_KIMAGE_ARM32: {
        /* zImage: its start and end addresses at 0x28 and 0x2c (Linux's
         * arch/arm/boot/compressed/head.S) span the whole image */
        uint32_t from = len >= 0x30 ? le32(data + 0x28) : 0, to = len >= 0x30 ? le32(data + 0x2c) : 0;
        if (to > from && to - from > len)
            out->damaged = md_xasprintf("cut short: its header gives %u bytes (from 0x%x to "
                                        "0x%x), but the file has %zu", to - from, from, to, len);
        break;
    }
    case MD_KIMAGE_UIMAGE:
        /* ih_size: the bytes after the 64-byte header (U-Boot's image.h) */
        if (be32(data + 12) > len - 64)
            out->damaged = md_xasprintf("cut short: its header gives %u bytes after its 64, but "
                                        "the file has %zu", be32(data + 12), len);
        break;
    case MD_KIMAGE_CPIO:
        break;
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
    free(k->damaged);
    k->codec = k->release = k->why = k->damaged = NULL;
}
