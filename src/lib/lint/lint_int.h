/* lint_int — what the lint_*.c files share; not part of the public API. */
#ifndef MD_LINT_INT_H
#define MD_LINT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "lint/lint.h"
#include "image/tree.h"
#include "core/strv.h"
#include "core/hindex.h"

/* The name of path `p` inside the rootfs labelled `label` (see md_lint_rootfs).
 * Caller frees. */
char *md_lint_where(const char *label, const char *p);

/* md_lint_add for path `p` inside that rootfs (NULL: the rootfs itself). */
void md_lint_add_at(md_lint *l, const char *label, const char *p, unsigned line,
                    md_lint_sev sev, int trap, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* What `path` resolves to (symlinks followed) when that is not a regular
 * file: "a FIFO", "a character device", "a block device", "a directory";
 * NULL when it is a regular file or nothing.  For the files that init and
 * the kernel read or run, where anything else is an error of its own, not
 * a missing file. */
const char *md_lint_non_file(const md_tree *t, const char *path);

/* The content lint reads of a rootfs (image/unpack.h md_unpack_keep_fn):
 * the paths it reads (boot scripts and every file under /etc, /init,
 * /linuxrc, /lib/init, kernel modules and their indexes under
 * [/usr]/lib/modules, hypervisors under /boot, the Xen libraries and
 * programs that trap 2 reads: libxen*, libxl*, xen*, xl) and any file of
 * at most MD_LINT_KEEP_SMALL bytes (text reached through a symlink, such as
 * an /etc/inittab that links elsewhere).  Everything else is read past:
 * a rootfs with a 1 GiB file costs lint its metadata only. */
#define MD_LINT_KEEP_SMALL ((uint64_t)1 << 20)
bool md_lint_keep(const char *path, uint64_t size);

/* The services a rootfs's init starts (each /etc/runlevels/LEVEL/NAME,
 * and each /etc/init.d/NAME its inittab runs): a runlevel entry without
 * its /etc/init.d script is an error, and so is a program at an absolute
 * path that a started script runs (its #! interpreter, OpenRC's command=,
 * a command's first word, start-stop-daemon's --exec) and the rootfs does
 * not have, as md_lint_inittab finds for the inittab's own lines.  A path
 * the script tests first ([ -x P ]) is optional to it.  `label` as for
 * md_lint_rootfs. */
void md_lint_services(md_lint *l, const char *label, const md_tree *t);

/* What init runs as the system comes up, in the order it runs it (one
 * reader for every trap that depends on it): the kernel runs /init of an
 * initramfs, else /sbin/init; busybox init and sysvinit run the inittab's
 * startup entries (sysinit, then boot/bootwait, then the rest; file order
 * within each; busybox without an inittab runs /etc/init.d/rcS), openrc
 * LEVEL runs the runlevels sysinit, boot and LEVEL (openrc-init: default),
 * and every script run is followed into what it runs (sv_scan's programs,
 * Debian's /etc/init.d/rc X, busybox's for i in /etc/init.d/S??*).
 * Steps are a script's lines (MD_LINT_STEP_TEXT: the text to read for what
 * it does) and the programs run (MD_LINT_STEP_RUN: text is the path).  A
 * step with a smaller `order` ends before one with a larger one starts;
 * steps of one OpenRC runlevel share one `order` (OpenRC orders them by
 * their dependencies).  `known` is false when init is none of these
 * (a compiled init of its own): nothing is known to run.  systemd is not
 * followed (`systemd`: it mounts devtmpfs itself). */
typedef enum { MD_LINT_STEP_TEXT, MD_LINT_STEP_RUN } md_lint_step_kind;
typedef struct md_lint_step {
    md_lint_step_kind kind;
    char *file;     /* the file the step is in ("/etc/inittab") */
    unsigned line;  /* its line there; 0: the file as a whole */
    unsigned order;
    char *text;
} md_lint_step;
typedef struct md_lint_steps {
    md_lint_step *v;
    size_t n;
    bool known, systemd;
    char *init; /* the name of the program the kernel runs as init ("busybox") */
} md_lint_steps;
/* Fills `out` (the caller frees it with md_lint_steps_free). */
void md_lint_boot_steps(const struct md_tree *t, md_lint_steps *out);
void md_lint_steps_free(md_lint_steps *s);

/* What the kernel does with the initramfs `label` that a reading of its
 * entries would not show (image/unpack.h md_unpack_notes) as findings:
 * where it stops unpacking and entries it does not create (errors), a
 * symlink a directory entry replaced (a warning; what it cost, a missing
 * init or program, is found by the other checks on the tree). */
struct md_unpack_notes;
void md_lint_unpack_notes(md_lint *l, const char *label, const struct md_unpack_notes *n);

/* Does `text` look like an inittab?  Used for detection (boot configs:
 * md_bootfmt_detect). */
bool md_lint_looks_inittab(const char *text, size_t len);

/* From now on, a finding added on line `from` of `file` goes on line `to`
 * instead, `note` appended to its message: the checks of a Xen line find
 * faults in text that a variable brought there, whose fix is written on
 * the line that sets it (md_bootcfg_from_line), and the note names the
 * line that uses it.  `file` NULL ends it.  Strings are copied. */
void md_lint_move(md_lint *l, const char *file, unsigned from, unsigned to, const char *note);

/* Drop the findings from `to` on whose message, less `prefix`, trap and
 * severity are those of a finding in [from, to): an entry derived from
 * another (update-grub's recovery entry) says only what differs. */
void md_lint_drop_repeats(md_lint *l, size_t from, size_t to, const char *prefix);

/* md_lint_entries, with hv[i] (NULL, or hv NULL: not known) the hypervisor
 * that entry cfg->v[i] boots, as read (md_xenver_hypervisor_image): a Xen
 * line without dom0_mem= is judged by its built-in CONFIG_DOM0_MEM when
 * that is set. */
void md_lint_entries_hv(md_lint *l, const char *file, const md_bootcfg_list *cfg,
                        const md_tree *rootfs, const md_xen_version *const *hv);

/* The files a config's Xen entries load, each once: the hypervisors and the
 * rootfs modules (the module after the dom0 kernel), as written. */
void md_lint_entry_files(const md_bootcfg_list *cfg, md_strv *xen, md_strv *rootfs);

/* Why a config gave no Xen entry (cfg->n == 0), as one message: the block
 * the reader did not follow, the other file it reads, or that it has no
 * loader line; `read_as` (NULL: not said) names the format it was read as.
 * Caller frees. */
char *md_lint_no_entry(const md_bootcfg_list *cfg, const char *read_as);

#endif
