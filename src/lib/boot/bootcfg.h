/* bootcfg — the boot entry of a mkdom0 image: Xen and dom0 Linux command
 * lines, grub.cfg text, and QEMU's multiboot form of the same.  Prefix
 * md_bootcfg_.
 *
 * The design's traps 1 and 4 are made impossible here: the dom0 memory is a
 * size, always written as dom0_mem=XM,max:XM (a bare dom0_mem= in the extra
 * Xen arguments is refused), and the dom0 kernel line always ends with
 * console=hvc0, after console=ttySN for printk, because Linux makes the LAST
 * console= its /dev/console, which is what init and the getty use.
 *
 * Typical use (the build):
 *     md_bootcfg c = MD_BOOTCFG_DEFAULTS;
 *     if (md_bootcfg_parse_mem("4096M", &c.dom0_mem_mib, err) < 0) ...
 *     c.xen_extra = "gnttab_max_frames=256 gnttab_max_maptrack_frames=1024";
 *     md_bootcfg_entry *e = md_bootcfg_make(&c, err);
 *     char *text = md_bootcfg_grub_cfg(e);   -> write DIR/grub.cfg
 *     md_bootcfg_entry_free(e); free(text);
 *
 * `mkdom0 boot` goes the other way: md_bootcfg_parse_grub() reads the image's
 * grub.cfg back into an entry, md_bootcfg_set_dom0_mem() fits it to the VM.
 *
 * Ownership: an md_bootcfg is borrowed (its strings are not copied until
 * md_bootcfg_make); an md_bootcfg_entry owns all its strings; every char *
 * returned is the caller's to free().
 */
#ifndef MD_BOOTCFG_H
#define MD_BOOTCFG_H

#include <stdint.h>
#include "core/err.h"

typedef struct md_bootcfg {
    uint64_t dom0_mem_mib;   /* required (> 0); md_bootcfg_parse_mem() makes it */
    const char *xen_extra;   /* appended to Xen's line; NULL/"" for none */
    const char *linux_extra; /* dom0 kernel args, placed before console=hvc0 */
    const char *title;       /* menu entry; NULL: "mkdom0 Xen dom0" */
    unsigned serial_port;    /* 1..4: Xen's comN and Linux's ttyS(N-1); 0 = 1 */
    unsigned serial_baud;    /* 0 = 115200 */
    unsigned timeout;        /* GRUB menu timeout in seconds */
    const char *file_prefix; /* where GRUB finds the files; NULL = "/" */
    const char *rootfs_name; /* NULL = "rootfs.cpio.gz" */
} md_bootcfg;

#define MD_BOOTCFG_DEFAULTS { 0, NULL, NULL, NULL, 1, 115200, 3, NULL, NULL }

/* One boot entry, as GRUB (multiboot2/module2) or QEMU (-kernel/-initrd)
 * loads it.  Paths are as GRUB sees them ("/xen.gz"). */
typedef struct md_bootcfg_entry {
    char *title;
    char *xen, *xen_args;
    char *kernel, *kernel_args;
    char *rootfs;
    unsigned serial_port, serial_baud, timeout;
} md_bootcfg_entry;

void md_bootcfg_entry_free(md_bootcfg_entry *e);

/* A memory size as people write it: "4096M", "4G", "4096MiB", "1048576K",
 * "1T" (K/M/G/T, optional "B" or "iB", case-insensitive), to MiB.  Refused
 * with a message saying why: no unit, not a whole MiB, zero, below 128 MiB,
 * above 64 TiB, "X,max:Y" (mkdom0 always writes max: itself), garbage. */
int md_bootcfg_parse_mem(const char *s, uint64_t *mib, md_err *err);

/* Validate the options and build the entry.  Refuses: no dom0 memory,
 * dom0_mem= in xen_extra, rdinit= in linux_extra, characters GRUB's parser
 * would interpret (quotes, $, ;, \, {}, |, &, <, >, #, newlines). */
md_bootcfg_entry *md_bootcfg_make(const md_bootcfg *c, md_err *err);

/* The grub.cfg text: serial terminal, timeout, one menuentry with
 * multiboot2 / module2 / module2 --nounzip. */
char *md_bootcfg_grub_cfg(const md_bootcfg_entry *e);

/* Read the first multiboot2 menuentry of a grub.cfg back.  `origin` names
 * the text in errors.  Refuses an entry without multiboot2, without a kernel
 * module or without a --nounzip rootfs module. */
md_bootcfg_entry *md_bootcfg_parse_grub(const char *text, const char *origin, md_err *err);

/* dom0_mem of the entry's Xen line in MiB; -1 with a message when missing or
 * without a matching max: (trap 4). */
int md_bootcfg_dom0_mem(const md_bootcfg_entry *e, uint64_t *mib, md_err *err);
/* Replace (or add) dom0_mem=XM,max:XM in the entry's Xen line. */
void md_bootcfg_set_dom0_mem(md_bootcfg_entry *e, uint64_t mib);

/* Double every comma: QEMU splits -initrd's module list at single commas. */
char *md_bootcfg_qemu_escape(const char *s);
/* QEMU -initrd value for the two modules, with host paths for the files:
 * "KERNEL ARGS,ROOTFS", commas inside doubled. */
char *md_bootcfg_qemu_initrd(const md_bootcfg_entry *e, const char *kernel_path,
                             const char *rootfs_path);

#endif
