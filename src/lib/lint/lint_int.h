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

/* md_lint_add for path `p` inside that rootfs (NULL: the rootfs itself). */
void md_lint_add_at(md_lint *l, const char *label, const char *p, unsigned line,
                    md_lint_sev sev, int trap, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Words of a kernel/Xen command line value split at commas etc. live in
 * callers; this one tells whether a tree path resolves to a regular file
 * (through symlinks and hardlinks). */
const md_node *md_lint_resolve_file(const md_tree *t, const char *path);

/* Text in the tree (a file's content, NUL-terminated copy) or NULL. */
char *md_lint_tree_text(const md_tree *t, const char *path, size_t *len);

/* Does `text` look like an inittab?  Used for detection (boot configs:
 * md_bootfmt_detect). */
bool md_lint_looks_inittab(const char *text, size_t len);

/* Drop the findings from `to` on whose message, less `prefix`, trap and
 * severity are those of a finding in [from, to): an entry derived from
 * another (update-grub's recovery entry) says only what differs. */
void md_lint_drop_repeats(md_lint *l, size_t from, size_t to, const char *prefix);

/* The files a config's Xen entries load, each once: the hypervisors and the
 * rootfs modules (the module after the dom0 kernel), as written. */
void md_lint_entry_files(const md_bootcfg_list *cfg, md_strv *xen, md_strv *rootfs);

#endif
