/* bootmedia — boot media that hold GRUB, a boot config and the three files
 * of a mkdom0 image, made without root, loop devices or mounts: the build's
 * `--media` outputs and `mkdom0 boot`'s own QEMU media are made here, by the
 * same code.  Prefix md_bootmedia_.
 *
 * - Hybrid ISO (md_bootmedia_iso): xorriso (as grub-mkrescue runs it) over a
 *   staging tree; BIOS through El Torito (GRUB i386-pc-eltorito) and, when
 *   written to a USB stick, through GRUB's hybrid MBR (boot_hybrid.img);
 *   UEFI through an EFI El Torito image and an MBR partition of type 0xEF
 *   holding \EFI\BOOT\BOOTX64.EFI (GRUB x86_64-efi), which finds the ISO
 *   by its ISO 9660 UUID (the modification date) and reads /boot/grub/grub.cfg.
 * - Raw GPT disk (md_bootmedia_disk): a BIOS boot partition holding GRUB
 *   i386-pc's core.img, with boot.img in the protective MBR patched as
 *   grub-bios-setup patches it (core's LBA at 0x5c, boot drive 0xff at 0x64,
 *   the drive check's jump NOPed at 0x66; core's blocklist in its first
 *   sector's last 12 bytes: grub-core/boot/i386/pc/boot.S, diskboot.S,
 *   util/setup.c), and an EFI system partition (FAT32 made with mformat at
 *   its byte offset, filled with mcopy) holding \EFI\BOOT\BOOTX64.EFI,
 *   \EFI\BOOT\grub.cfg and the three files.  Both GRUBs find the ESP by its
 *   FAT serial number and read /EFI/BOOT/grub.cfg there.
 * - Netboot tree (md_bootmedia_netboot): a TFTP root: grub-mknetdir's GRUB
 *   for BIOS (boot/grub/i386-pc/core.0) and UEFI (boot/grub/x86_64-efi/
 *   core.efi) with boot/grub/grub.cfg, an iPXE script (boot.ipxe), pxelinux
 *   (pxelinux.0, pxelinux.cfg/default with mboot.c32, and its rootfs in
 *   mboot/: MD_BOOTMEDIA_MBOOT_DIR), the three files, Xen
 *   as an ELF (`xen`: iPXE and mboot.c32 load multiboot ELF images, not
 *   gzip), and README with a dnsmasq configuration.
 *
 * Every config on a medium is made from the one entry `e` (md_bootfmt_write),
 * so all of them pass the same Xen and dom0 arguments.  The entry's file
 * paths must be plain names at the root ("/xen.gz").
 *
 * Same bytes from the same inputs: GPT and partition GUIDs are fixed; FAT
 * serial numbers, the ISO's dates and UUID and every file date come from
 * `epoch`; xorriso and mtools get SOURCE_DATE_EPOCH.  grub-mknetdir copies
 * files and makes core images from fixed inputs, so the tree repeats too.
 *
 * Ownership: all inputs are borrowed; outputs are written whole (tmp +
 * rename; the tree: into a new directory) or not at all.
 */
#ifndef MD_BOOTMEDIA_H
#define MD_BOOTMEDIA_H

#include <stdint.h>
#include "boot/bootcfg.h"
#include "core/err.h"

/* The netboot tree's directory of rootfs files for pxelinux (mboot.c32
 * would gunzip the plain ones, keeping only their first gzip member):
 * mboot/ROOTFS and mboot/hosts/NAME/ROOTFS, each the tree's rootfs with an
 * empty uncompressed cpio (512 bytes, padded) in front. */
#define MD_BOOTMEDIA_MBOOT_DIR "mboot"

/* A host of the netboot tree ([Host NAME] in the spec): its MAC picks its
 * config, which boots its own rootfs, hosts/NAME/ROOTFS in the tree. */
typedef struct md_bootmedia_host {
    const char *name;    /* one RFC 1123 label (spec/spec.h checks it) */
    const char *mac;     /* "52:54:00:12:34:56", lower case */
    const char *rootfs;  /* host path: the image's rootfs with the host's identity appended */
} md_bootmedia_host;

typedef struct md_bootmedia_files {
    const char *xen;     /* host path of xen.gz */
    const char *kernel;  /* host path of vmlinuz */
    const char *rootfs;  /* host path of rootfs.cpio.gz */
    int64_t epoch;       /* seconds since 1970 for dates and IDs on the medium (>= 0) */
    const md_bootmedia_host *hosts; /* netboot only; may be NULL */
    size_t nhosts;
} md_bootmedia_files;

/* `workdir` is an existing scratch directory (left for the caller to remove). */
int md_bootmedia_iso(const md_bootcfg_entry *e, const md_bootmedia_files *f,
                     const char *out, const char *workdir, md_err *err);
int md_bootmedia_disk(const md_bootcfg_entry *e, const md_bootmedia_files *f,
                      const char *out, const char *workdir, md_err *err);
/* Where md_bootmedia_disk's EFI system partition (its FAT file system)
 * starts in the image, in bytes: after the protective MBR, the GPT and the
 * 1 MiB BIOS boot partition at LBA 2048 (mtools: disk.img@@OFFSET). */
#define MD_BOOTMEDIA_DISK_ESP_OFFSET 2097152ULL
/* `outdir` must not exist; made with the tree, or removed again on failure.
 * With hosts, each gets hosts/NAME/ROOTFS (a copy of its rootfs) and a
 * config per MAC: boot/grub/grub.cfg-01-xx-xx-xx-xx-xx-xx (GRUB looks for
 * it before grub.cfg when booted from TFTP: the GRUB manual, "Network"),
 * pxelinux.cfg/01-xx-xx-xx-xx-xx-xx (pxelinux's own lookup), and lines in
 * boot.ipxe that pick the rootfs by ${netX/mac}, the NIC iPXE booted from;
 * any other MAC boots the image's own rootfs. */
int md_bootmedia_netboot(const md_bootcfg_entry *e, const md_bootmedia_files *f,
                         const char *outdir, const char *workdir, md_err *err);

/* A file beside the boot program in \EFI\BOOT\: host path `src`, stored
 * as `name` (one path component; FAT ignores its case). */
typedef struct md_bootmedia_esp_file {
    const char *src;
    const char *name;
} md_bootmedia_esp_file;

/* A FAT image (no partition table: UEFI firmware boots such a "superfloppy"
 * as removable media) holding `efi` as \EFI\BOOT\BOOTX64.EFI, the
 * default boot program, and the `nbeside` files of `beside` (may be NULL
 * when 0) in the same directory; serial number and dates from `epoch`.
 * For `mkdom0 boot --path xen-efi` (the unified xen.efi alone) and
 * `--path efi` (xen.efi with BOOTX64.cfg, the kernel and the rootfs). */
int md_bootmedia_esp(const char *efi, const md_bootmedia_esp_file *beside, size_t nbeside,
                     const char *out, int64_t epoch, md_err *err);

/* The configs of the netboot tree other than GRUB's (which is
 * md_grubcfg_write(e) at boot/grub/grub.cfg), for the build's self-lint:
 * their path in the tree and their text, made from `e` as the tree's are.
 * Caller frees each string. */
typedef struct md_bootmedia_netcfg {
    const char *path;    /* static: "boot.ipxe", "pxelinux.cfg/default" */
    int format;          /* md_bootfmt */
    char *text;
} md_bootmedia_netcfg;
#define MD_BOOTMEDIA_NETCFGS 2
void md_bootmedia_netboot_configs(const md_bootcfg_entry *e,
                                  md_bootmedia_netcfg out[MD_BOOTMEDIA_NETCFGS]);
/* Every config of the tree for `f`'s hosts, GRUB's included (format
 * MD_BOOTFMT_GRUB2): what md_bootmedia_netboot writes, for the self-lint.
 * Without hosts, GRUB's and md_bootmedia_netboot_configs'.  *out is a
 * malloc'd array of the returned count; paths and texts are malloc'd too:
 * free with md_bootmedia_netcfgs_free. */
size_t md_bootmedia_netboot_all_configs(const md_bootcfg_entry *e, const md_bootmedia_files *f,
                                        md_bootmedia_netcfg **out);
void md_bootmedia_netcfgs_free(md_bootmedia_netcfg *v, size_t n);
/* The paths and formats of md_bootmedia_netboot_all_configs for hosts with
 * these MACs ("52:54:00:12:34:56"), in its order, text NULL: the one list
 * of the tree's configs, for `mkdom0 lint` of a tree on disk.  Free as
 * above. */
size_t md_bootmedia_netboot_config_names(const char *const *macs, size_t nmacs,
                                         md_bootmedia_netcfg **out);

#endif
