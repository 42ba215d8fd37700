/* lint — find the design's five traps in boot configs and root filesystems
 * that people already have: GRUB configs, inittabs, rootfs archives or
 * directories, mkdom0 output directories.  Prefix md_lint_.
 *
 * Checks add findings to an opaque list (md_lint); a finding has a file,
 * a line (0: the whole file), a severity, a trap number (1-5 as in the
 * design; 0 for a boot requirement that is no trap, e.g. --nounzip) and a
 * message that says what is wrong, why, and the fix.  Findings are never
 * errors of the check itself: a check returns -1 only when an input cannot be
 * read at all (md_err names the file and the problem).
 *
 * Ownership: the list owns its findings and their strings; inputs are
 * borrowed for the duration of a call.
 */
#ifndef MD_LINT_H
#define MD_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "boot/bootcfg.h"
#include "core/err.h"
#include "core/out.h"
#include "image/tree.h"
#include "lint/xenver.h"

typedef enum md_lint_sev {
    MD_LINT_NOTE,    /* information; never fails */
    MD_LINT_WARNING, /* fails only with --strict */
    MD_LINT_ERROR,   /* the image will not work as intended */
} md_lint_sev;

typedef struct md_lint md_lint;

md_lint *md_lint_new(void);
void md_lint_free(md_lint *l);

/* Add a finding (checks of other modules may report through the list too). */
void md_lint_add(md_lint *l, const char *file, unsigned line, md_lint_sev sev,
                 int trap, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Set the fix of the finding added last: the text to write instead
 * ("dom0_mem=1024M,max:1024M"), for --json's "fix". */
void md_lint_fix(md_lint *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Mark the finding added last as "cannot check": something the check needed
 * (a variable's value, a file) was not there, so passing is not proven. */
void md_lint_mark_unchecked(md_lint *l);
/* Record that `file` was read as `format` ("iPXE script"), for the report. */
void md_lint_input(md_lint *l, const char *file, const char *format);
/* Record that `file` could not be linted and why (an input recorded already
 * keeps its format and gets the error; else it is added without a format). */
void md_lint_input_error(md_lint *l, const char *file, const char *msg);
/* Record that `file` (an input) was linted but some traps could not be
 * checked, and why ("traps 2, 3, 5: the rootfs /boot/initrd.img was not
 * given ..."); repeated calls append.  No finding is no pass when a trap
 * went unchecked, so the report says what was not (trial10b case 6) and
 * `mkdom0 lint` exits 3, not 0 (issue 10: "exit 0 only when every trap was
 * actually checked"). */
void md_lint_not_checked(md_lint *l, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same note ("not checked: ...") for something aside from the boot
 * paths of the inputs, which leaves none of their traps unchecked, so it is
 * not counted below and does not make lint exit 3: an output directory's
 * boot.iso and disk.img (lint reads no ISO 9660 or FAT; the build wrote
 * them from its grub.cfg, xen.gz, vmlinuz and rootfs, which were checked),
 * a Xen EFI loader at a directory's top that nothing given starts and that
 * has no config (Debian's /boot/xen-*.efi beside the xen.gz GRUB boots: it
 * boots nothing lint could check, and a correct /boot must reach 0). */
void md_lint_not_checked_aside(md_lint *l, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Number of files read (md_lint_input), each once however often it is read:
 * the inputs given and those lint followed (INCLUDE, chain=, chainloader),
 * for the summary (fresh-user trial of #10, case 3: it counted the command
 * line's). */
size_t md_lint_count_files(const md_lint *l);
/* Number of inputs with a trap not checked (md_lint_not_checked). */
size_t md_lint_count_not_checked(const md_lint *l);

size_t md_lint_count(const md_lint *l);
/* Number of findings marked with md_lint_mark_unchecked. */
size_t md_lint_count_unchecked(const md_lint *l);
/* The fix of finding i, or NULL. */
const char *md_lint_fix_of(const md_lint *l, size_t i);
/* Number of findings at `sev` exactly. */
size_t md_lint_count_sev(const md_lint *l, md_lint_sev sev);
/* Finding i (0 <= i < md_lint_count), in the order found. */
const char *md_lint_file(const md_lint *l, size_t i);
unsigned md_lint_line(const md_lint *l, size_t i);
md_lint_sev md_lint_severity(const md_lint *l, size_t i);
int md_lint_trap(const md_lint *l, size_t i);
const char *md_lint_message(const md_lint *l, size_t i);

/* One line per finding, each ending in '\n', compiler style:
 *   FILE:LINE: error: [trapN] message
 * (no ":LINE" for whole-file findings; "[boot]" for trap 0), each file's
 * findings together in line order (whole-file ones first, found order
 * among equal lines, the closing "N more findings not listed" of a file
 * past its cap last), files in the order first found; md_lint_json lists
 * them in the same order.  "" when there is none; caller frees. */
char *md_lint_text(const md_lint *l);

/* The inputs and findings as one JSON object, '\n'-terminated; caller frees:
 *   {"inputs": [{"file": F, "format": "GRUB 2 config"|null,
 *                "error": why it was not linted|null,
 *                "not_checked": the traps not checked and why|null}, ...],
 *    "findings": [{"file": F, "line": N (0: whole file), "trap": N (1-5) or null (boot),
 *                  "severity": "error"|"warning"|"note", "checked": bool,
 *                  "message": M, "fix": TEXT|null}, ...],
 *    "errors": N (error findings + inputs with an error), "warnings": N,
 *    "notes": N, "unchecked": N (findings with "checked": false),
 *    "not_checked": N (inputs with a trap not checked: md_lint_count_not_checked;
 *                      an input's "not_checked" text may also be a
 *                      md_lint_not_checked_aside note, not counted)}
 * Strings are UTF-8: bytes of invalid UTF-8 are written as U+FFFD. */
char *md_lint_json(const md_lint *l);

/* The report through `out`: with `json`, md_lint_json as MD_OUT_RESULT lines;
 * else "FILE: read as FORMAT" per input, "FILE: not checked: WHAT" for each
 * input with something not checked (MD_OUT_NOTE) and md_lint_text's
 * lines (MD_OUT_RESULT). */
void md_lint_report(const md_lint *l, bool json, const md_out *out);

/* --- single checks ---------------------------------------------------- */

/* Boot entries, from whichever config reader: the reader's problems as
 * errors, traps 1 and 4 on every entry, --nounzip on the rootfs module (the
 * one after the dom0 kernel), and, when `rootfs` (the tree the entries load)
 * is given, rdinit= against its /init.  No entry is no finding here: the
 * caller reports it once (md_lint_inputs as the input's error, exit 2;
 * md_lint_grub as an error finding).  `file` names the config in findings. */
void md_lint_entries(md_lint *l, const char *file, const md_bootcfg_list *cfg,
                     const md_tree *rootfs);

/* A GRUB config (multiboot2/module2 or legacy multiboot/module entries),
 * read by md_grubcfg_read and checked by md_lint_entries. */
void md_lint_grub(md_lint *l, const char *file, const char *text, size_t len,
                  const md_tree *rootfs);

/* An inittab (busybox or sysvinit format): trap 1, a getty/login on hvc0.
 * With `rootfs`, the programs it runs must exist there too. */
void md_lint_inittab(md_lint *l, const char *file, const char *text, size_t len,
                     const md_tree *rootfs);

/* A root filesystem: trap 1 (inittab or its alternatives), trap 3 (who
 * creates the /dev/xen nodes, static nodes), trap 5 (md_lint_modules), trap 2
 * (lint/xenver.h md_xenver_lint: every toolstack in `t` against each of the
 * `nhv` hypervisors `hv` that may boot it; none, or none found: unknown,
 * only noted; `image`: `t` is an image mkdom0 builds, which boots its own
 * hypervisor only, so a second toolstack release is an error there even
 * beside Debian's xen-utils-wrapper).
 * `label` prefixes paths in findings: "rootfs.cpio.gz" gives
 * "rootfs.cpio.gz(/etc/inittab):3:"; a label ending in '/' (a directory)
 * gives "dir/etc/inittab:3:". */
void md_lint_rootfs(md_lint *l, const char *label, const md_tree *t, const md_xen_version *hv,
                    size_t nhv, bool image);

/* Trap 5 alone: for each /lib/modules/VERSION (or /usr/lib/modules), the
 * module files against modules.dep (both ways), modules.dep.bin (stale, or
 * missing where the image's modprobe is kmod's), each module's depends=
 * (present, built in per modules.builtin, listed in modules.dep) and vermagic,
 * and the five Xen modules.  `label` as for md_lint_rootfs. */
void md_lint_modules(md_lint *l, const char *label, const md_tree *t);

/* The dom0 kernel, and trap 5 across it and its rootfs: the kernel image
 * `kernel` (`len` bytes, named `kname`) that line `line` of boot config
 * `file` loads is told by content, never by name (md_kimage_read,
 * image/kimage.h), as Xen's dom0 builder takes it: on x86 a bzImage of boot
 * protocol 2.08 or later, or an ELF kernel plain or compressed in a codec
 * Xen undoes; on Arm (`arm`) an arm64 Image, arm zImage or uImage, plain or
 * gzip'd.  Anything else in its place (a Xen image, an archive, another
 * architecture's kernel, a stand-in file) is an error: Xen cannot start it.
 * Its release (the bzImage header's, else its "Linux version" banner's)
 * must be a /lib/modules/RELEASE (or /usr/lib/modules) of the rootfs `t`
 * (labelled `label`, as for md_lint_rootfs), where modprobe looks: an error
 * when it is not, naming the releases it holds.  A kernel whose release is
 * not in it (an arm zImage, a vmlinux without its banner) is, with `t`, a
 * warning "cannot check" of trap 5: never a pass.  `t` NULL: the kernel's
 * content alone is checked (no rootfs to compare with). */
void md_lint_kernel_modules(md_lint *l, const char *file, unsigned line, const char *kname,
                            const unsigned char *kernel, size_t len, bool arm, const char *label,
                            const md_tree *t);

/* --- everything together (what `mkdom0 lint` runs) ------------------- */

typedef enum md_lint_kind {
    MD_LINT_AUTO,    /* decide by name and content */
    MD_LINT_GRUB,
    MD_LINT_INITTAB,
    MD_LINT_ROOTFS,  /* archive or directory */
    MD_LINT_XEN,     /* a hypervisor image (xen.gz) for trap 2 */
    MD_LINT_OUTDIR,  /* an mkdom0 output directory */
} md_lint_kind;

/* Lint the inputs as one system (a rootfs archive or directory is read with
 * md_unpack_rootfs, image/unpack.h).  A boot config's loaded files, found
 * next to it, become inputs the same way for a config given alone as for an
 * output directory's grub.cfg: the rootfs each entry loads (unless a rootfs
 * was given), linted for every trap, and each entry's hypervisor (unless
 * one was given).  Each config is checked (rdinit=) against the rootfs
 * given, else the one its entry loads; each rootfs's trap 2 against the
 * hypervisors given, else those of the entries that load it, else (a rootfs
 * given with configs) those the configs load, else each xen*.gz next to it.
 * A hypervisor input is recognised by content too (xen.efi; a unified one
 * is also its .config, .kernel and .ramdisk, which its config then boots).
 * A GRUB 2 "chainloader" of Xen's EFI loader is followed into the xen.cfg
 * the loader reads (found as Xen finds it; a unified image's .config), read
 * with what the loader's command line gives it as efi_start() reads it (the
 * section it names, the Xen options after "--":
 * md_bootfmt_read_xen_efi), or is "cannot check" on its line; so is an
 * iPXE script's run of an EFI program (chain xen.efi), whose command line
 * is the image's name and its arguments; a directory
 * with EFI/ (an ESP) is read with its EFI/VENDOR/grub.cfg and Xen loaders,
 * and files on it are found with the case of names ignored, as on FAT;
 * an output directory with its netboot/ and efi/ configs and its
 * xen-unified.efi (boot.iso and disk.img: a "not checked" note each); a
 * rootfs directory with its /boot/grub/grub.cfg (a root tree's own, which
 * may hold no Xen entry: then a "not checked" note).
 * Each entry's dom0 kernel is checked against its rootfs
 * (md_lint_kernel_modules), and its hypervisor's architecture against its
 * boot protocol (multiboot: x86; xen_hypervisor, dtb=: Arm).  An input that
 * cannot be read or recognized (empty, garbage, truncated, binary where
 * text is expected), a loaded rootfs or hypervisor among them, sets err
 * naming the file; the other inputs are still linted, and -1 is returned at
 * the end.  `kinds` may be NULL (all MD_LINT_AUTO).  A xen*.gz that is only
 * found next to a rootfs and is no hypervisor gives a warning, not an
 * error. */
int md_lint_inputs(md_lint *l, const char *const *paths, const md_lint_kind *kinds,
                   size_t n, md_err *err);

#endif
