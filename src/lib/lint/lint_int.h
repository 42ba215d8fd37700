/* lint_int — what the lint_*.c files share; not part of the public API. */
#ifndef MD_LINT_INT_H
#define MD_LINT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "lint/lint.h"
#include "image/tree.h"
#include "core/strv.h"

/* The name of path `p` inside the rootfs labelled `label` (see md_lint_rootfs).
 * Caller frees. */
char *md_lint_where(const char *label, const char *p);

/* Words of a kernel/Xen command line value split at commas etc. live in
 * callers; this one tells whether a tree path resolves to a regular file
 * (through symlinks and hardlinks). */
const md_node *md_lint_resolve_file(const md_tree *t, const char *path);

/* Text in the tree (a file's content, NUL-terminated copy) or NULL. */
char *md_lint_tree_text(const md_tree *t, const char *path, size_t *len);

/* Does `text` look like an inittab / a GRUB config?  Used for detection. */
bool md_lint_looks_inittab(const char *text, size_t len);
bool md_lint_looks_grub(const char *text, size_t len);

/* Hypervisor release "X.Y" of a xen.gz / xen ELF, or NULL (err says why). */
char *md_lint_xen_version(const char *path, md_err *err);
/* Release "X.Y" from a libxenctrl's DT_SONAME, NULL if it has none (not ELF). */
char *md_lint_xenctrl_version(const unsigned char *data, size_t len, const char *path);

/* Module-name normalisation ("xen-evtchn" and "xen_evtchn" are one module):
 * writes into out (size >= strlen(name)+1) the name with '-' as '_' and any
 * directory and .ko[.gz|.xz|.zst] suffix removed.  Returns false if `name`
 * is not a module file name when `need_ko`. */
bool md_lint_modname(const char *name, char *out, size_t outsz, bool need_ko);

/* The files a config's Xen entries load, each once: the hypervisors and the
 * rootfs modules (the module after the dom0 kernel), as written. */
void md_lint_entry_files(const md_bootcfg_list *cfg, md_strv *xen, md_strv *rootfs);

#endif
