/* rccache — OpenRC's dependency cache made once, not at every boot.
 *
 * At each boot OpenRC finds no deptree in /run/openrc and makes one:
 * /lib/rc/sh/gendepends.sh sources every /etc/init.d script with its
 * conf.d file in a subshell and runs Debian's lsb2rcconf for each, two
 * dozen processes that take seconds in a PV dom0 under emulation (issue
 * 12).  OpenRC's init.sh copies the files of /lib/rc/cache to /run/openrc when
 * /lib/rc/cache/softlevel exists, and OpenRC then uses that deptree unless
 * a file it depends on is newer (librc-depend.c, rc_deptree_update_needed:
 * /etc/init.d, /etc/conf.d, /etc/rc.conf...).  Not after `openrc sysinit`,
 * which always makes it anew (rc.c do_sysinit), so the image's inittab has
 * xen-dom0-setup do init.sh's part, starts xen-dom0 by itself and then
 * runs `openrc boot` and `openrc default` (data/overlay/etc/inittab).
 *
 * mtimes cannot tell a stale cache here: the image's files carry the
 * build's SOURCE_DATE_EPOCH or older.  So the cache comes with the list of
 * the files it was made from ("SHA256  PATH" lines, sha256sum's format:
 * the scripts, their conf.d files, rc.conf, and the OpenRC that made it), made
 * by scripts/openrc-deptree.sh with OpenRC itself from a built default
 * image; the build puts the cache in only when the tree has exactly those
 * files with exactly that content, and no other file in a directory that
 * OpenRC reads for its dependencies.  Any other image (another service, a
 * changed conf.d file, another OpenRC) boots as before, making its own.
 * Prefix md_rccache_.
 *
 * Ownership: `dir` is borrowed and `why` is the caller's buffer; the files
 * added become the tree's (freed with it by md_tree_free); nothing is left
 * for the caller to free. */
#ifndef MD_RCCACHE_H
#define MD_RCCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "image/tree.h"

/* `dir` holds `deptree` (OpenRC's /run/openrc/deptree) and `inputs` (the
 * list above).  When the tree matches the list, add <OpenRC's libexec
 * dir>/cache/deptree and an empty .../cache/softlevel (mode 0644, mtime
 * `mtime`, which must not be older than any listed file, else no match)
 * and set *added; otherwise leave the tree alone and clear *added, with
 * the first difference in `why` (NUL-terminated, may be cut).  -1 with err
 * only when `dir`'s files cannot be read or are malformed (a damaged
 * install). */
int md_rccache_add(md_tree *t, const char *dir, int64_t mtime, bool *added, char *why,
                   size_t whylen, md_err *err);

#endif
