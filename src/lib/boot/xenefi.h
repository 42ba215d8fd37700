/* xenefi — Xen's own EFI boot, without GRUB: the firmware starts xen.efi
 * (Debian ships it as /boot/xen-X.Y-amd64.efi in xen-hypervisor-X.Y-amd64),
 * which reads xen.cfg and loads the dom0 kernel and rootfs itself
 * (docs/misc/efi.pandoc).  Prefix md_xenefi_.
 *
 * - The EFI tree (md_xenefi_tree): a directory to copy onto an ESP (e.g.
 *   as \EFI\xen\): xen.efi, xen.cfg beside it (the name Xen tries last,
 *   after the .efi name's longer forms), the kernel and the rootfs.
 * - The unified image (md_xenefi_unified): one EFI program, xen.efi with
 *   the sections Xen's loader reads before any file (read_section() in
 *   xen/common/efi/boot.c): .config (xen.cfg), .kernel and .ramdisk, added
 *   with objcopy as efi.pandoc's "Unified Xen kernel image" shows, each at
 *   the next SectionAlignment boundary after the image's last section (so
 *   after .pad).  With a key and certificate it is signed for Secure Boot
 *   with sbsign; the signature then covers config, kernel and rootfs too.
 *
 * Same bytes from the same inputs: objcopy stamps the PE header with the
 * clock (binutils 2.40 ignores SOURCE_DATE_EPOCH there), so the input's
 * TimeDateStamp is put back and the PE checksum recomputed; sbsign's
 * signature carries OpenSSL's signingTime, so sbsign runs with the clock
 * frozen at `epoch` (libfaketime, package faketime).
 *
 * Ownership: inputs are borrowed; outputs are written whole or not at all.
 */
#ifndef MD_XENEFI_H
#define MD_XENEFI_H

#include <stdint.h>
#include "boot/bootcfg.h"
#include "core/err.h"

typedef struct md_xenefi_files {
    const char *xen_efi;  /* host path of Debian's xen.efi */
    const char *kernel;   /* host path of vmlinuz */
    const char *rootfs;   /* host path of the rootfs */
    const char *sb_key;   /* PEM private key for sbsign; NULL: unsigned */
    const char *sb_cert;  /* PEM certificate for sbsign (with sb_key) */
    int64_t epoch;        /* SOURCE_DATE_EPOCH: the signature's signingTime */
} md_xenefi_files;

/* The config's name beside xen.efi in the efi/ tree (the name Xen tries
 * last, xen/common/efi/boot.c). */
#define MD_XENEFI_CFG_NAME "xen.cfg"

/* The xen.cfg text for `e` (md_bootfmt_write's Xen EFI format, file names
 * without their leading '/').  Caller frees. */
char *md_xenefi_cfg(const md_bootcfg_entry *e);

/* `outdir` (which must not exist) with xen.efi, xen.cfg and the entry's
 * kernel and rootfs under their plain names; removed again on failure. */
int md_xenefi_tree(const md_bootcfg_entry *e, const md_xenefi_files *f, const char *outdir,
                   md_err *err);

/* The unified xen.efi at `out`, signed when f->sb_key is set; `workdir` is
 * an existing scratch directory (left for the caller to remove).  Errors:
 * objcopy or sbsign missing or failing, an input that is no PE image. */
int md_xenefi_unified(const md_bootcfg_entry *e, const md_xenefi_files *f, const char *out,
                      const char *workdir, md_err *err);

/* The section `name` (".config", ".kernel", ".ramdisk") of the PE image
 * `d`, which Xen's EFI loader reads before any file (read_section(),
 * xen/common/efi/boot.c): its bytes are d[*off, *off + *size).  Returns 0
 * when found, 1 when the image has no such section, -1 when `d` is no
 * PE32+ image or the section lies past its end. */
int md_xenefi_section(const unsigned char *d, size_t len, const char *name, size_t *off,
                      size_t *size);

/* Whether the PE32+ image `d` (xen.efi; a Linux bzImage, which is one for
 * its EFI stub) is whole: the file bytes of each section (PointerToRawData,
 * SizeOfRawData), which the EFI loader copies, and with `signature` the
 * certificate table (data directory 4: its Authenticode signature, which
 * sbsign appends and shim verifies) lie within its `len` bytes (the
 * PE/COFF specification, "Section Table", "The Attribute Certificate
 * Table").  0: whole, or no PE32+ image (nothing to say); -1 with the error
 * "NAME: ..." naming the section or table that runs past the end. */
int md_xenefi_check_whole(const unsigned char *d, size_t len, const char *name, bool signature,
                          md_err *err);

/* The COFF header's Machine of the PE32+ image `d` (0x8664 x86-64, 0xaa64
 * arm64: an arm64 Xen is such an image, bootable as EFI program and as
 * Image); 0 when `d` is no PE32+ image. */
#define MD_XENEFI_MACHINE_AMD64 0x8664u
#define MD_XENEFI_MACHINE_ARM64 0xaa64u
#define MD_XENEFI_MACHINE_ARMNT 0x1c4u
unsigned md_xenefi_machine(const unsigned char *d, size_t len);

#endif
