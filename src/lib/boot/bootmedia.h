/* bootmedia — boot media that hold GRUB, a grub.cfg and the three files of a
 * mkdom0 image, made without root.  Prefix md_bootmedia_.
 *
 * - BIOS ISO: grub-mkrescue (grub-pc-bin, xorriso) over a staging
 *   directory; GRUB i386-pc, El Torito, bootable as a CD-ROM or a USB stick.
 * - UEFI disk: a raw image with a GPT (sfdisk on the image file) and one
 *   EFI system partition, FAT32 made with mformat at the partition's byte
 *   offset and filled with mcopy; \EFI\BOOT\BOOTX64.EFI is GRUB x86_64-efi
 *   built with grub-mkimage, its prefix /EFI/BOOT on the partition it was
 *   loaded from, so it reads /EFI/BOOT/grub.cfg there.
 *
 * The entry's file paths say where the files go on the medium; they must be
 * plain names at the root ("/xen.gz").  Partition table and volume IDs are
 * fixed, so the same inputs give the same layout.
 *
 * Ownership: all inputs are borrowed; outputs are files at the given paths,
 * written whole (tmp + rename) or not at all.
 */
#ifndef MD_BOOTMEDIA_H
#define MD_BOOTMEDIA_H

#include "boot/bootcfg.h"
#include "core/err.h"

typedef struct md_bootmedia_files {
    const char *xen;     /* host path of xen.gz */
    const char *kernel;  /* host path of vmlinuz */
    const char *rootfs;  /* host path of rootfs.cpio.gz */
} md_bootmedia_files;

/* `workdir` is an existing scratch directory (left for the caller to remove). */
int md_bootmedia_iso(const md_bootcfg_entry *e, const md_bootmedia_files *f,
                     const char *out, const char *workdir, md_err *err);
int md_bootmedia_uefi_disk(const md_bootcfg_entry *e, const md_bootmedia_files *f,
                           const char *out, const char *workdir, md_err *err);

#endif
