/* kimage: a dom0 kernel image told by content as Xen's loaders take it,
 * and its release from the bzImage header or the kernel's banner. */
#include "t.h"
#include "tfiles.h"
#include "image/kimage.h"
#include "core/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A bzImage header of boot protocol `proto`; `rel` NULL: no version string. */
static void bzimage(unsigned char *k, size_t n, unsigned proto, const char *rel)
{
    memset(k, 0, n);
    k[0x1fe] = 0x55;
    k[0x1ff] = 0xaa;
    memcpy(k + 0x202, "HdrS", 4);
    k[0x206] = (unsigned char)proto;
    k[0x207] = (unsigned char)(proto >> 8);
    if (rel) {
        k[0x20e] = 0x80; /* version string at 0x280 */
        snprintf((char *)k + 0x280, n - 0x280, "%s (debian-kernel@lists.debian.org) #1 SMP", rel);
    }
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

static void test_plain(void)
{
    unsigned char k[0x400];
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
    unsigned char b[0x400];
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
    bzimage(k, 0x400, 0x20f, NULL);
    k[0x1f1] = 3;
    t_le(k + 0x248, 0x100, 4);
    t_le(k + 0x24c, zn, 4);
    memcpy(k + at, z, zn);
    check(k, n, MD_KIMAGE_BZIMAGE, NULL, "6.1.0-9-amd64", true);
    /* a payload length past the end: the release is not read */
    t_le(k + 0x24c, zn + 1, 4);
    check(k, n, MD_KIMAGE_BZIMAGE, NULL, NULL, false);
    free(k);
    free(z);
    free(v);
}

int main(void)
{
    test_plain();
    test_compressed();
    test_bzimage_payload();
    return t_done("test_kimage");
}
