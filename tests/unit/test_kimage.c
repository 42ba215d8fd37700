/* kimage: a dom0 kernel image told by content as Xen's loaders take it,
 * and its release from the bzImage header or the kernel's banner. */
#include "t.h"
#include "tfiles.h"
#include "image/kimage.h"
#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A whole bzImage of boot protocol `proto` (tfiles.h t_bzimage); `rel`
 * NULL: no version string. */
static void bzimage(unsigned char *k, size_t n, unsigned proto, const char *rel)
{
    t_bzimage(k, n, proto, rel);
}

/* An ELF vmlinux of `n` bytes whose banner (NULL: none) lies at `at`. */
static unsigned char *vmlinux(size_t n, size_t at, const char *rel)
{
    unsigned char *k = md_xcalloc(1, n);
    memcpy(k, "\177ELF\2\1\1", 7);
    for (size_t i = 64; i < n; i++) /* something that is no banner */
        k[i] = (unsigned char)(i * 7 + 3);
    if (rel)
        snprintf((char *)k + at, n - at, "Linux version %s (debian-kernel@lists.debian.org) "
                                         "(gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP\n", rel);
    return k;
}

#define check(...) check_at(__LINE__, __VA_ARGS__)
static void check_at(int line, const unsigned char *d, size_t n, md_kimage_kind kind,
                     const char *codec, const char *rel, bool by_banner)
{
    int failed = t_fail;
    md_kimage k;
    md_kimage_read("vmlinuz", d, n, &k);
    CHECK(k.kind == kind);
    CHECK(codec ? k.codec && !strcmp(k.codec, codec) : !k.codec);
    CHECK(rel ? k.release && !strcmp(k.release, rel) : !k.release);
    CHECK(k.by_banner == by_banner);
    if (t_fail > failed)
        fprintf(stderr, "  (line %d: kind %d, codec %s, release %s, why %s)\n", line, (int)k.kind,
                k.codec ? k.codec : "-", k.release ? k.release : "-", k.why ? k.why : "-");
    md_kimage_free(&k);
}

/* out->damaged of `d`: NULL (whole), else holding `what`. */
#define damaged(...) damaged_at(__LINE__, __VA_ARGS__)
static void damaged_at(int line, const unsigned char *d, size_t n, const char *what)
{
    int failed = t_fail;
    md_kimage k;
    md_kimage_read("vmlinuz", d, n, &k);
    CHECK(what ? k.damaged && strstr(k.damaged, what) : !k.damaged);
    if (t_fail > failed)
        fprintf(stderr, "  (line %d: damaged '%s', wanted '%s')\n", line,
                k.damaged ? k.damaged : "-", what ? what : "-");
    md_kimage_free(&k);
}

static void test_plain(void)
{
    unsigned char k[0x800];
    bzimage(k, sizeof k, 0x20f, "6.1.0-57-amd64");
    check(k, sizeof k, MD_KIMAGE_BZIMAGE, NULL, "6.1.0-57-amd64", false);
    /* Xen's bzimage_check() wants "HdrS" only; the protocol is said */
    bzimage(k, sizeof k, 0x204, "2.6.18-xen");
    md_kimage ki;
    md_kimage_read("old", k, sizeof k, &ki);
    CHECK(ki.kind == MD_KIMAGE_BZIMAGE && ki.proto == 0x204);
    md_kimage_free(&ki);
    /* a stand-in file, empty, text, random bytes: no kernel */
    check((const unsigned char *)"stand-in kernel\n", 16, MD_KIMAGE_NONE, NULL, NULL, false);
    check((const unsigned char *)"", 0, MD_KIMAGE_NONE, NULL, NULL, false);
    check((const unsigned char *)"\1\2\3\4\5\6\7", 7, MD_KIMAGE_NONE, NULL, NULL, false);
    /* cpio: an initramfs */
    check((const unsigned char *)"070701000000", 12, MD_KIMAGE_CPIO, NULL, NULL, false);
    /* an ELF vmlinux: its banner, wherever it is */
    unsigned char *v = vmlinux(4 << 20, 3 << 20, "6.12.41+deb13-amd64");
    check(v, 4 << 20, MD_KIMAGE_ELF, NULL, "6.12.41+deb13-amd64", true);
    free(v);
    v = vmlinux(8192, 0, NULL);
    check(v, 8192, MD_KIMAGE_ELF, NULL, NULL, false);
    /* a format string is no banner: "%s" is no release */
    snprintf((char *)v + 100, 200, "Linux version %%s (%%s)");
    check(v, 8192, MD_KIMAGE_ELF, NULL, NULL, false);
    free(v);
    /* Arm: an arm64 Image (either magic), a zImage, a uImage */
    unsigned char a[0x400] = { 0 };
    memcpy(a + 0x38, "ARM\x64", 4);
    snprintf((char *)a + 0x100, 0x100, "Linux version 6.1.0-57-arm64 (x@y) #1 SMP");
    check(a, sizeof a, MD_KIMAGE_ARM64, NULL, "6.1.0-57-arm64", true);
    memset(a, 0, sizeof a);
    t_le(a, 0x14000008, 4);
    check(a, sizeof a, MD_KIMAGE_ARM64, NULL, NULL, false);
    memset(a, 0, sizeof a);
    t_le(a + 0x24, 0x016f2818, 4);
    check(a, sizeof a, MD_KIMAGE_ARM32, NULL, NULL, false);
    memset(a, 0, sizeof a);
    memcpy(a, "\x27\x05\x19\x56", 4);
    check(a, sizeof a, MD_KIMAGE_UIMAGE, NULL, NULL, false);
}

static void test_compressed(void)
{
    /* a gzip'd vmlinux whose banner crosses the reader's 1 MiB blocks */
    size_t n = 3 << 20, zn;
    unsigned char *v = vmlinux(n, (1 << 20) + 4096 - 20, "6.1.0-31-amd64");
    unsigned char *z = t_gzip(v, n, &zn);
    check(z, zn, MD_KIMAGE_ELF, "gzip", "6.1.0-31-amd64", true);
    free(z);
    z = t_xz(v, n, &zn);
    check(z, zn, MD_KIMAGE_ELF, "xz", "6.1.0-31-amd64", true);
    /* cut short: still an ELF by its start, the release past the cut unknown */
    check(z, zn / 4, MD_KIMAGE_ELF, "xz", NULL, false);
    damaged(z, zn / 4, "its xz data does not decompress: truncated xz data");
    damaged(z, zn, NULL);
    free(z);
    free(v);
    /* a gzip'd cpio is an initramfs; gzip'd text and a cut-off gzip are no kernel */
    z = t_gzip("070701000000", 12, &zn);
    check(z, zn, MD_KIMAGE_CPIO, "gzip", NULL, false);
    free(z);
    z = t_gzip("stand-in kernel\n", 16, &zn);
    md_kimage k;
    md_kimage_read("vmlinuz", z, zn, &k);
    CHECK(k.kind == MD_KIMAGE_NONE && k.codec && !strcmp(k.codec, "gzip"));
    CHECK(k.why && strstr(k.why, "decompresses to data that is no kernel"));
    md_kimage_free(&k);
    free(z);
    static const unsigned char cut[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
    md_kimage_read("vmlinuz", cut, sizeof cut, &k);
    CHECK(k.kind == MD_KIMAGE_NONE && k.codec && !strcmp(k.codec, "gzip") && k.why);
    md_kimage_free(&k);
    /* a gzip'd bzImage stays one (Xen does not start it: the caller says so) */
    unsigned char b[0x800];
    bzimage(b, sizeof b, 0x20f, "6.1.0-57-amd64");
    z = t_gzip(b, sizeof b, &zn);
    check(z, zn, MD_KIMAGE_BZIMAGE, "gzip", "6.1.0-57-amd64", false);
    free(z);
    /* a gzip'd arm64 Image: Image.gz, as Debian's arm64 kernel ships */
    unsigned char a[0x2000] = { 0 };
    memcpy(a + 0x38, "ARM\x64", 4);
    snprintf((char *)a + 0x1000, 0x100, "Linux version 6.1.0-57-arm64 (x@y) #1 SMP");
    z = t_gzip(a, sizeof a, &zn);
    check(z, zn, MD_KIMAGE_ARM64, "gzip", "6.1.0-57-arm64", true);
    free(z);
}

/* A bzImage without a version string in its header: the banner of its
 * payload, the compressed ELF Xen takes (setup_sects + 1 sectors, then
 * payload_offset, payload_length bytes). */
static void test_bzimage_payload(void)
{
    size_t vn = 1 << 20, zn;
    unsigned char *v = vmlinux(vn, 5000, "6.1.0-9-amd64");
    unsigned char *z = t_gzip(v, vn, &zn);
    size_t at = (3 + 1) * 512 + 0x100, n = at + zn;
    unsigned char *k = md_xcalloc(1, n);
    bzimage(k, 0x800, 0x20f, NULL);
    k[0x1f1] = 3;
    t_le(k + 0x1f4, (n - 2048) / 16, 4);
    t_le(k + 0x248, 0x100, 4);
    t_le(k + 0x24c, zn, 4);
    memcpy(k + at, z, zn);
    check(k, n, MD_KIMAGE_BZIMAGE, NULL, "6.1.0-9-amd64", true);
    damaged(k, n, NULL);
    /* a payload length past the end: the release is not read, and the
     * kernel is damaged */
    t_le(k + 0x24c, zn + 1, 4);
    check(k, n, MD_KIMAGE_BZIMAGE, NULL, NULL, false);
    damaged(k, n, "its boot header puts the payload Xen decompresses (payload_length");
    free(k);
    free(z);
    free(v);
}

/* A kernel cut short or overwritten is damaged, by its own structure
 * (trial9x F3: a vmlinuz cut to 100000 bytes, or with 100 KB of its xz
 * payload zeroed, passed lint --strict); a whole one is not. */
static void test_damaged(void)
{
    unsigned char k[0x800];
    bzimage(k, sizeof k, 0x20f, "6.1.0-57-amd64");
    damaged(k, sizeof k, NULL);
    damaged(k, 0x7f0, "cut short: its boot header gives 1024 bytes of setup (setup_sects 1) "
                      "and 1024 of protected-mode code (syssize 64), 2048 in all, but the "
                      "file has 2032");
    /* setup_sects beyond the file: Xen counts setup_sects + 1 sectors */
    k[0x1f1] = 200;
    damaged(k, sizeof k, "cut short: its boot header gives 102912 bytes of setup");
    k[0x1f1] = 1;
    uint32_t zn = k[0x24c] | (uint32_t)k[0x24d] << 8;
    t_le(k + 0x24c, 0x500, 4);
    damaged(k, sizeof k, "(payload_length 1280 bytes at 1024) past the end of the file");
    t_le(k + 0x24c, 0, 4);
    damaged(k, sizeof k, "(payload_length 0 bytes at 1024) nowhere");
    t_le(k + 0x24c, zn, 4);
    /* overwritten: the gzip payload fails its CRC-32 (or does not inflate) */
    k[1024 + 12] ^= 0xff;
    damaged(k, sizeof k, "its payload (");
    damaged(k, sizeof k, "its gzip data does not decompress: corrupt gzip data");
    k[1024 + 12] ^= 0xff;
    damaged(k, sizeof k, NULL);
    /* an xz payload whose appended size (the kernel's size_append) is not
     * what it decompresses to: Xen makes room for the wrong size */
    unsigned char elf[64];
    memset(elf, 0, sizeof elf);
    memcpy(elf, "\177ELF\2\1\1", 7);
    t_le(elf + 18, 62, 2);
    t_le(elf + 20, 1, 4);
    size_t xn;
    unsigned char *x = t_xz(elf, sizeof elf, &xn);
    CHECK(1024 + xn + 4 <= sizeof k);
    memset(k + 1024, 0, sizeof k - 1024);
    memcpy(k + 1024, x, xn);
    t_le(k + 1024 + xn, 64, 4);
    t_le(k + 0x24c, xn + 4, 4);
    damaged(k, sizeof k, NULL);
    t_le(k + 1024 + xn, 65, 4);
    damaged(k, sizeof k, "its payload decompresses to 64 bytes, but its last 4 bytes say 65");
    free(x);
    /* a payload that decompresses to no ELF */
    x = t_xz("stand-in kernel", 15, &xn);
    memset(k + 1024, 0, sizeof k - 1024);
    memcpy(k + 1024, x, xn);
    t_le(k + 1024 + xn, 15, 4);
    t_le(k + 0x24c, xn + 4, 4);
    damaged(k, sizeof k, "its payload is no kernel: it decompresses to data that is no kernel, "
                         "not the kernel's ELF");
    free(x);

    /* an ELF whose segment runs past its end; a compressed one cut short */
    size_t vn = 8192;
    unsigned char *v = vmlinux(vn, 4096, "6.1.0-9-amd64");
    t_le(v + 16, 2, 2);
    t_le(v + 18, 62, 2);
    t_le(v + 20, 1, 4);
    t_le(v + 0x20, 64, 8);  /* e_phoff */
    t_le(v + 0x36, 56, 2);  /* e_phentsize */
    t_le(v + 0x38, 1, 2);   /* e_phnum */
    t_le(v + 0x28, 0, 8);   /* e_shoff: none */
    memset(v + 64, 0, 56);
    t_le(v + 64, 1, 4);     /* PT_LOAD */
    t_le(v + 64 + 8, 4096, 8);
    t_le(v + 64 + 0x20, 4096, 8);
    damaged(v, vn, NULL);
    damaged(v, vn - 100, "its ELF: its segment 0 (type 1, 4096 bytes at offset 4096) runs 100 "
                         "bytes past its end (8092 bytes)");
    size_t gn;
    unsigned char *g = t_gzip(v, vn, &gn);
    damaged(g, gn, NULL);
    damaged(g, gn - 8, "its gzip data does not decompress");
    free(g);
    g = t_gzip(v, vn - 100, &gn);
    damaged(g, gn, "the ELF it decompresses to: its segment 0");
    free(g);
    free(v);

    /* Arm: a zImage's and a uImage's sizes against the file */
    unsigned char a[0x400] = { 0 };
    t_le(a + 0x24, 0x016f2818, 4);
    t_le(a + 0x2c, 0x400, 4);
    damaged(a, sizeof a, NULL);
    damaged(a, 0x3f0, "cut short: its header gives 1024 bytes (from 0x0 to 0x400)");
    memset(a, 0, sizeof a);
    memcpy(a, "\x27\x05\x19\x56", 4);
    a[14] = 0x03;
    a[15] = 0xc0; /* ih_size 0x3c0: the 0x400 bytes less the header */
    damaged(a, sizeof a, NULL);
    damaged(a, 0x3ff, "cut short: its header gives 960 bytes after its 64");
}

int main(void)
{
    test_plain();
    test_compressed();
    test_bzimage_payload();
    test_damaged();
    return t_done("test_kimage");
}
