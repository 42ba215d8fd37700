/* modindex — the module index the image's modprobe (kmod) reads, written
 * for the modules a closure (modules.h) keeps (trap 5).  Prefix md_modindex_.
 *
 * Files: modules.dep(.bin), modules.alias(.bin), modules.softdep,
 * modules.symbols(.bin), modules.builtin.bin, modules.builtin.alias.bin,
 * modules.devname, in depmod's (kmod 30) formats and line order; modules.order
 * is trimmed to the modules kept.  Module files keep their compression; the
 * index names them as they are (kernel/.../x.ko.xz).
 *
 * Ownership: `m` is borrowed; the files written become the tree's (freed
 * with it by md_tree_free); nothing is left for the caller to free.
 */
#ifndef MD_MODINDEX_H
#define MD_MODINDEX_H

#include "core/err.h"
#include "image/modules.h"
#include "image/tree.h"

/* Write the index of the modules `m` keeps next to them in `t` (the tree
 * given to md_modules_resolve).  New files: mode 0644, root, mtime of the
 * modules directory, origin "mkdom0"; existing index files are replaced.
 * Errors: a dependency cycle among the kept modules (naming them), a key
 * the binary index cannot hold. */
int md_modindex_write(const md_modules *m, md_tree *t, md_err *err);

#endif
