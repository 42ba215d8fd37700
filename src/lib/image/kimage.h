/* kimage — what a dom0 kernel image is, by its content alone, as Xen's dom0
 * builder takes it, and the kernel release it carries.  Prefix md_kimage_.
 *
 * Xen on x86 (4.17 to 4.20) starts dom0 from a bzImage of boot protocol
 * 2.08 or later (bzimage_check(): "Cannot load bzImage v%d.%02d at least
 * v2.08 is required"), whose payload is the kernel's ELF, or from that ELF
 * itself (vmlinux), plain or compressed with gzip, bzip2, xz, lzma, lzo, lz4
 * or zstd (bzimage_parse() in xen/arch/x86/bzimage.c, decompress() in
 * xen/common/decompress.c); elf_init() refuses anything else ("Not a valid
 * ELF image": xen/arch/x86/pv/dom0_build.c).  Xen on Arm starts an arm64
 * Image, an arm zImage or a U-Boot uImage, each plain or gzip'd
 * (kernel_probe() in xen/arch/arm/kernel.c: "only gzip is supported").
 *
 * The release (`uname -r`, the name of the /lib/modules directory modprobe
 * reads) comes from the bzImage header's version string
 * (md_modules_image_release, image/modules.h), else from the kernel's own
 * banner, "Linux version RELEASE (" (linux_banner, init/version.c), in the
 * image decompressed as Xen decompresses it: an ELF, an arm64 Image, a
 * bzImage's payload.  An arm zImage and a uImage decompress themselves, so
 * theirs is not read.
 *
 * Ownership: the data is borrowed; a md_kimage's strings are its own
 * (md_kimage_free).
 */
#ifndef MD_KIMAGE_H
#define MD_KIMAGE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum md_kimage_kind {
    MD_KIMAGE_NONE,    /* none of these: no kernel Xen starts */
    MD_KIMAGE_BZIMAGE, /* x86 boot protocol: "HdrS" at 0x202 */
    MD_KIMAGE_ELF,     /* an ELF image (vmlinux) */
    MD_KIMAGE_ARM64,   /* an arm64 Image ("ARM\x64" at 0x38, or its old first word) */
    MD_KIMAGE_ARM32,   /* an arm zImage (0x016f2818 at 0x24) */
    MD_KIMAGE_UIMAGE,  /* a U-Boot uImage (0x27051956 big-endian at 0) */
    MD_KIMAGE_CPIO,    /* a newc/crc cpio archive: an initramfs, no kernel */
} md_kimage_kind;

typedef struct md_kimage {
    md_kimage_kind kind;
    char *codec;      /* the compression around it, as libarchive names it
                         ("gzip", "xz", "bzip2", "lzma", "lzop", "lz4",
                         "zstd"); NULL: none */
    unsigned proto;   /* BZIMAGE: the boot protocol version (0x20f: 2.15) */
    char *release;    /* the kernel release; NULL when it was not read */
    bool by_banner;   /* the release is the banner's, not the bzImage header's */
    char *why;        /* when kind is NONE and the data is compressed: what
                         it decompressed to, or why it did not ("truncated
                         xz data"); else NULL */
    char *damaged;    /* a kernel that is not whole: what its own structure
                         shows wrong, as a clause without the file's name
                         ("cut short: its boot header gives ..."); NULL when
                         nothing was found wrong (md_kimage_read) */
} md_kimage;

/* At most this much is decompressed to find the banner (a vmlinux is
 * tens of MiB; a decompression bomb stops here). */
#define MD_KIMAGE_MAX_OUT ((size_t)256 << 20)

/* Fills `out` (zeroed first) from the `len` bytes at `data`; `name` names
 * them in out->why.  Never fails: what it cannot read is NONE or a NULL
 * release.  Whether the kernel is whole, as far as its own structure tells
 * (out->damaged): a bzImage's setup, protected-mode code and payload lie in
 * the file (boot protocol 2.08 or later: setup_sects, syssize,
 * payload_offset, payload_length; Linux's Documentation/arch/x86/boot.rst)
 * and its gzip, xz or zstd payload decompresses whole, passing its own
 * check, to the size its last 4 bytes give, as an ELF whose segments lie
 * in it; an ELF's program headers, segments and section table lie in the
 * file; a gzip, xz or zstd kernel decompresses whole; an arm zImage's and
 * a uImage's header sizes fit the file.  Not checked: the payload in
 * another codec (libarchive's filters), an arm64 Image's size (its header
 * gives its size in memory, not in the file), what the file holds past
 * what these cover (an appended signature: boot/xenefi.h
 * md_xenefi_check_whole).  Time: a compressed kernel is decompressed once,
 * block by block (1 MiB of memory), at most MD_KIMAGE_MAX_OUT bytes of it. */
void md_kimage_read(const char *name, const unsigned char *data, size_t len, md_kimage *out);

/* "a bzImage", "an ELF kernel (vmlinux)", "an arm64 Image", ... (static). */
const char *md_kimage_kind_name(md_kimage_kind k);

void md_kimage_free(md_kimage *k);

#endif
