/* bootfmt — every boot-config format that loads Xen, recognised by content,
 * and its reader into boot entries (md_bootcfg_list, boot/bootcfg.h), so the
 * same checks run on all of them.  Prefix md_bootfmt_.
 *
 * Formats and what becomes an entry (Xen line, dom0 kernel, modules):
 *   GRUB 2         grub.cfg, mkdom0's own output: boot/grubcfg.h (x86
 *                  multiboot2/module2, multiboot/module; Arm xen_hypervisor/
 *                  xen_module)
 *   GRUB legacy    menu.lst, grub.conf: "title", "kernel XEN ARGS", "module
 *                  FILE ARGS" ("modulenounzip", "kernel=..."); GRUB 0.97
 *                  gunzips modules and passes a line as it is, so a tab
 *                  between Xen's options is a problem (Xen splits at spaces)
 *   GRUB defaults  /etc/default/grub, /etc/default/grub.d/NAME.cfg: the
 *                  entries update-grub writes (grub's 20_linux_xen): Xen gets
 *                  GRUB_CMDLINE_XEN and GRUB_CMDLINE_XEN_DEFAULT, dom0
 *                  GRUB_CMDLINE_LINUX and _DEFAULT, each replaced by
 *                  GRUB_CMDLINE_LINUX_XEN_REPLACE(_DEFAULT) when not empty;
 *                  then the recovery entry (md_bootcfg_entry.recovery): Xen
 *                  GRUB_CMDLINE_XEN alone, dom0 "single GRUB_CMDLINE_LINUX",
 *                  none when GRUB_DISABLE_RECOVERY=true; entries only when
 *                  one of those Xen variables is set; no dom0 kernel line
 *                  (path "", line 0) when no Linux one is
 *   Xen EFI        xen.cfg (also as BOOTX64.CFG): "[global] default=", each
 *                  section with kernel= (options=: Xen's, kernel=FILE ARGS,
 *                  ramdisk=FILE) an entry titled by the section; dtb= means Arm.
 *                  Without default=: one untitled entry of the first value of
 *                  each key in the file (sections ignored, as Xen does; no
 *                  section is needed); a default= naming no section is a
 *                  problem (Xen stops, or follows chain= to a file not read)
 *   syslinux       pxelinux/isolinux/extlinux with mboot.c32: "append XEN
 *                  ARGS --- KERNEL ARGS --- INITRD"; TEXT HELP..ENDTEXT
 *                  skipped, MENU BEGIN/END end a label
 *   iPXE           "#!ipxe": kernel (chain) and module/initrd lines, with
 *                  "|| reboot" tails, options and ${var} settings
 * Files and variables these loaders pass on unpacked are nounzip.  Variables
 * a format sets (iPXE "set", the shell assignments of GRUB's defaults) are
 * expanded as written before the use; those never set go to the file's
 * `unset`, and past MD_GRUBCFG_MAX_EXPANDED bytes expanded in all, every
 * later use (a "cannot check" problem).  Readers read any text (NUL bytes
 * too), in time and memory linear in it, and never fail.
 *
 * Ownership: text is borrowed; the list is the caller's
 * (md_bootcfg_list_free).
 */
#ifndef MD_BOOTFMT_H
#define MD_BOOTFMT_H

#include <stddef.h>
#include "boot/bootcfg.h"
#include "boot/grubcfg.h"
#include "core/strv.h"

typedef enum md_bootfmt {
    MD_BOOTFMT_UNKNOWN,
    MD_BOOTFMT_GRUB2,
    MD_BOOTFMT_GRUB_LEGACY,
    MD_BOOTFMT_GRUB_DEFAULT,
    MD_BOOTFMT_XEN_EFI,
    MD_BOOTFMT_SYSLINUX,
    MD_BOOTFMT_IPXE,
    /* Alpine's /etc/update-extlinux.conf: the settings (sh, sourced by
     * update-extlinux) from which it writes /boot/extlinux.conf; its Xen
     * entry is "COM32 mboot.c32 / APPEND xen.gz $xen_opts --- vmlinuz-TAG
     * root=$root modules=$modules $default_kernel_opts --- initramfs-TAG"
     * (aports main/syslinux/update-extlinux) */
    MD_BOOTFMT_EXTLINUX_SETTINGS,
} md_bootfmt;

/* The format of `text` by its content alone, UNKNOWN when it is none. */
md_bootfmt md_bootfmt_detect(const char *text, size_t len);

/* "GRUB 2 config", "iPXE script", ... (static). */
const char *md_bootfmt_name(md_bootfmt f);

/* Append the Xen entries of `text` read as `f` (UNKNOWN: as GRUB 2) to `out`. */
void md_bootfmt_read(md_bootfmt f, const char *text, size_t len, md_bootcfg_list *out);
/* md_bootfmt_read, a GRUB 2 config's source and configfile lines followed
 * to the files `files` finds (md_grubcfg_read_files; NULL: none). */
void md_bootfmt_read_files(md_bootfmt f, const char *text, size_t len,
                           const md_grubcfg_files *files, md_bootcfg_list *out);

/* Append the entries of GRUB's defaults files texts[0..n) (lens[i] bytes
 * each) read as grub-mkconfig sources them into one shell, in this order:
 * /etc/default/grub first, then /etc/default/grub.d/NAME.cfg in glob order; a
 * later assignment overrides an earlier one, and $VAR takes the value so far.
 * Each file of an entry gets names[i] of the text that set its line
 * (md_bootcfg_file.file; names NULL: none).  `complete`: texts[0] is
 * /etc/default/grub, where update-grub's shell starts, so a variable no text
 * sets is empty; else it is unknown (md_bootcfg_file.unset), as it may be
 * set in a file not given. */
void md_bootfmt_read_defaults(const char *const *names, const char *const *texts,
                              const size_t *lens, size_t n, bool complete,
                              md_bootcfg_list *out);

/* How Xen's EFI loader is started, beyond the xen.cfg it reads
 * (md_bootfmt_read_xen_efi): what its command line and image give it. */
typedef struct md_bootfmt_efi_start {
    const char *section;     /* the plain word of its command line that names
                                the section to boot instead of [global]'s
                                default= (efi_start(): "section.w = ptr", the
                                last one); NULL: none */
    const md_strv *xen_opts; /* the words after its "--" (NULL: none) */
    const char *file;        /* the line that gives that command line (a GRUB */
    unsigned line;           /* chainloader line), for what it causes; NULL: none */
    bool has_kernel;         /* the image's own .kernel and .ramdisk sections (a */
    bool has_ramdisk;        /* unified xen.efi), which Xen reads instead of the
                                files kernel= and ramdisk= name */
    const char *name;        /* the first word of its command line, which Xen
                                takes for its own name (argv[0]), never for a
                                section; NULL: none */
    bool x86;                /* the loader is x86 Xen (by its headers): it reads
                                no dtb= (efi_arch_cfg_file_early() is empty in
                                xen/arch/x86/efi/efi-boot.h), so a section is
                                x86's whatever dtb= says */
    int chain;               /* the file [global]'s chain= names, as the caller
                                found it: MD_BOOTFMT_CHAIN_UNREAD (an error
                                saying to lint it too), _READ (read as a config
                                of its own: a note), _MISSING (not there: Xen
                                stops, an error), _LOOP (a file of this chain
                                again, each without the section's kernel=:
                                efi_start()'s loop reads them for ever, an
                                error) */
    const char *loop;        /* _LOOP: the files of the loop, from the one
                                chain= goes back to ("a.cfg -> b.cfg -> a.cfg";
                                NULL or "": the file names itself) */
} md_bootfmt_efi_start;
enum { MD_BOOTFMT_CHAIN_UNREAD, MD_BOOTFMT_CHAIN_READ, MD_BOOTFMT_CHAIN_MISSING,
       MD_BOOTFMT_CHAIN_LOOP };

/* Append the entries of xen.cfg `text` as Xen's EFI loader started as `st`
 * (NULL: plain, as md_bootfmt_read reads it) boots them (efi_start() in
 * xen/common/efi/boot.c, 4.17 to 4.20):
 *   - the section is st->section, else default=; with st->section only that
 *     section is an entry (no other can boot from that command line), and
 *     one the file lacks is a problem on st's line: Xen stops with "No
 *     initial domain kernel specified", or, with the image's own .kernel,
 *     boots it with no dom0 parameters, no options= and no ramdisk=;
 *   - a section without kernel= is still booted when the image has its own
 *     .kernel (read_section() comes first: dom0's command line is empty,
 *     said in a note), and its .ramdisk is the rootfs with or without
 *     ramdisk=;
 *   - st->name naming a section of the file that does not boot is a
 *     warning on st's line: meant as the section, it is the loader's name;
 *   - st->xen_opts follow options= on Xen's line
 *     (efi_arch_handle_cmdline(): place_string() prepends the config's),
 *     before x86 Xen cuts that line at " -- " (md_bootcfg_add_multiboot);
 *     when they hold dom0_mem=, the entry's Xen line is st's line (the
 *     entry's xen.file and xen.line), where that value is written;
 *   - a section without kernel= with [global]'s chain= (efi_start() then
 *     reads the chained file instead, same section) sets out->include to
 *     "chain=FILE" and include_line to its line, for the caller to follow.
 * Problems located on st's line carry st->file (md_bootcfg_problem.file). */
void md_bootfmt_read_xen_efi(const char *text, size_t len, const md_bootfmt_efi_start *st,
                             md_bootcfg_list *out);

/* The other configs a syslinux config reads: in place ("INCLUDE FILE",
 * "MENU INCLUDE FILE [TAG]": "inserts the contents of another file at this
 * point", nested up to 16 deep, doc/syslinux.txt), or instead of itself
 * when a label is chosen ("CONFIG FILE [DIR]": "restart the boot loader
 * using a different configuration file"), as written, pushed to `files`;
 * *lines (caller frees) gets the line of each, and `what` (NULL: not
 * wanted) its directive, "INCLUDE" or "CONFIG".  Returns how many. */
#define MD_BOOTFMT_INCLUDE_DEPTH 16
size_t md_bootfmt_includes(const char *text, size_t len, md_strv *files, unsigned **lines,
                           md_strv *what);

/* The config text that boots `e` in format `f`, or NULL for a format
 * mkdom0 does not write.  GRUB 2: md_grubcfg_write.  iPXE: "kernel XEN
 * ARGS", "module KERNEL ARGS", "module ROOTFS", "boot" (iPXE's multiboot
 * loader: Xen as an ELF, modules passed as they are, so the rootfs stays
 * compressed as --nounzip keeps it).  syslinux: one label with
 * "kernel mboot.c32" and "append XEN ARGS --- KERNEL ARGS --- ROOTFS", and
 * the serial console and menu delay of `e`.  Xen EFI: xen.cfg with one
 * section, default= naming it, options= (Xen), kernel= (file and its
 * arguments) and ramdisk= (the first module), file names without a
 * leading '/' (relative to xen.efi).  Paths are written as in `e`
 * (for iPXE and pxelinux relative to the script or the TFTP root);
 * arguments as they are: md_bootcfg_make has refused what any of these
 * loaders would interpret.  Caller frees. */
char *md_bootfmt_write(md_bootfmt f, const md_bootcfg_entry *e);

#endif
