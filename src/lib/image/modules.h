/* modules — the kernel modules of the image: an allowlist and its
 * dependency closure (trap 5); modindex.h writes the index for it and
 * lint's md_lint_modules checks the result.  Prefix md_modules_.
 *
 * Names are written as users and modprobe write them: '-' and '_' are the
 * same ("xen-gntdev" == "xen_gntdev").  A name may also be a module alias
 * ("crypto-crc32c") or a module built into the kernel (accepted, reported
 * as built-in, nothing to keep).
 *
 * The closure of an allowlist is every listed module, recursively its
 * depends= modules (hard: the kernel refuses to load it without them), and
 * its softdep= "pre:" and "post:" modules.  modprobe loads softdeps when
 * present and skips them silently when absent, so leaving them out would
 * change behaviour without any error; "post:" ones are included too for that
 * reason (they are few: e.g. ipmi_devintf after ipmi_msghandler).  Softdep
 * names are resolved like modprobe does: module name, then built-in, then
 * aliases (all matching modules are kept).  A softdep that resolves to
 * nothing is a note, not an error, as it is for modprobe.
 *
 * Ownership: md_modules_resolve returns an object the caller frees with
 * md_modules_free; strings returned by accessors belong to it.  The tree is
 * only borrowed; md_modules_trim changes it.
 */
#ifndef MD_MODULES_H
#define MD_MODULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/err.h"
#include "image/tree.h"
#include "core/strv.h"

typedef struct md_modules md_modules;

/* The modules built into the kernel whose module directory in `t` is `dir`
 * ("/lib/modules/6.1.0-31-amd64"), from its modules.builtin: one line per
 * module ("kernel/drivers/xen/xenfs.ko"), read as kmod's depmod reads it
 * (output_builtin_bin: a line that does not start with a letter is no
 * module), each as its md_modules_name_of.  The names are pushed to `names`
 * in file order.  False when there is no modules.builtin (a file whose
 * content the tree does not hold reads as empty). */
bool md_modules_read_builtin(const md_tree *t, const char *dir, md_strv *names);

/* The kernels' module directories in `t`: each directory directly below
 * /lib/modules or /usr/lib/modules, by its real path (once when one root is
 * a link to the other), sorted; pushed to `out`. */
void md_modules_kernel_dirs(const md_tree *t, md_strv *out);

/* The kernel version of the tree: the single md_modules_kernel_dirs entry.
 * Error if there is none or several (naming them).  Caller frees. */
char *md_modules_detect_kver(const md_tree *t, md_err *err);

/* The release (`uname -r`, the name of its /lib/modules directory) of the
 * kernel image `data`, read from the x86 boot protocol's header
 * (Documentation/arch/x86/boot.rst: "HdrS" at 0x202, protocol >= 2.00,
 * kernel_version at 0x20e pointing, less 0x200, to the NUL-terminated
 * version string "6.1.0-57-amd64 (debian-kernel@...) #1 SMP ..."); the
 * release is that string up to its first blank.  NULL when `data` is no
 * bzImage with a version string (another architecture's Image, a stand-in
 * file): the caller says what it then cannot check.  Caller frees. */
char *md_modules_image_release(const unsigned char *data, size_t len);

/* Read the modules of kernel `kver` (NULL: detect) from `t` and compute the
 * closure of `allow` (NULL-terminated).  Changes nothing.  Errors: an
 * unknown name (all of them, with the kernel version and near matches), a
 * depends= module missing from the tree, an unreadable module (file named). */
md_modules *md_modules_resolve(const md_tree *t, const char *kver,
                               const char *const *allow, md_err *err);

/* Keep in the modules directory of `t` (the tree given to
 * md_modules_resolve) only the closure's module files and the regular
 * index files kmod reads (modules.dep, .alias, .builtin, .order, ... and
 * their .bin), and remove the rest: module files outside the closure, and
 * whatever else a kernel package or modloop put there (a stray file, a
 * symlink, a program; #13's trial F15), then the directories that end up
 * empty.  One rule for Debian's linux-image and Alpine's modloop. */
void md_modules_trim(const md_modules *m, md_tree *t);

void md_modules_free(md_modules *m);

/* ---- results, for the build report ---- */
const char *md_modules_kver(const md_modules *m);
/* Directory of the modules in the tree ("/usr/lib/modules/KVER" with usrmerge). */
const char *md_modules_dir(const md_modules *m);
size_t md_modules_available(const md_modules *m); /* module files in the kernel */
size_t md_modules_count(const md_modules *m);     /* modules kept */
/* Kept module i (0 <= i < count), in the order the closure reached them. */
const char *md_modules_name(const md_modules *m, size_t i);
/* Why it is kept: "allowlist", "dependency of ixgbe", "softdep (pre) of
 * libcrc32c via crc32c", "allowlist via alias fs-xfs". */
const char *md_modules_reason(const md_modules *m, size_t i);
uint64_t md_modules_bytes(const md_modules *m);                /* sum of sizes kept */
/* Allowlisted or softdep names satisfied by the kernel itself. */
const md_strv *md_modules_builtin(const md_modules *m);
/* Notes worth showing: firmware the kept modules ask for that the tree lacks,
 * softdeps that resolve to nothing. */
const md_strv *md_modules_notes(const md_modules *m);

/* A human report, one line each ending in '\n': a summary line, one line
 * per kept module with its reason, the built-ins and the notes.  Caller
 * frees. */
char *md_modules_report_text(const md_modules *m);

/* "xen-gntdev" -> "xen_gntdev" (kmod's modname normalization); caller frees. */
char *md_modules_normalize(const char *name);

/* kmod's name of a module file or of a modules.dep or modules.builtin entry:
 * the base name up to its first '.', '-' as '_' ("kernel/drivers/xen/
 * xen-gntdev.ko.xz" -> "xen_gntdev").  NULL when `need_ko` and the name
 * does not end in .ko, .ko.xz, .ko.zst or .ko.gz.  Caller frees. */
char *md_modules_name_of(const char *path, bool need_ko);

#endif
