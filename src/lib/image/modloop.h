/* modloop — an Alpine modloop (the squashfs its netboot and diskless
 * systems mount at /.modloop, made by mkinitfs from the linux-* package)
 * read into an md_tree, so the kernel's modules go through the same
 * allowlist and closure as a package's (image/modules.h).  Prefix
 * md_modloop_.
 *
 * The modloop's layout (Alpine's mkinitfs, modloop-init): modules/KVER/...
 * for each kernel, modules/firmware/... beside them.  Every directory
 * modules/KVER that holds a modules.order or a kernel/ directory is added
 * at /lib/modules/KVER, as Alpine's init links /lib/modules to
 * /.modloop/modules; firmware is left out (a dom0's modules name theirs,
 * and md_modules_notes says which are missing).  Each entry keeps the
 * squashfs' permission bits less setuid and setgid (a modloop is often
 * unsigned, and no module tree needs them), numeric owner and mtime
 * (what is neither a kept module nor an index file is dropped later, by
 * md_modules_trim); symlinks keep their
 * targets; devices, FIFOs and sockets are refused (a module tree has
 * none).  An existing path is an error naming both origins (MD_CLASH_ERROR):
 * a package that ships the same kernel's modules is a conflict, not a
 * merge.
 *
 * The squashfs is read with libsquashfs (squashfs-tools-ng), which checks
 * its tables and blocks; what it refuses (a truncated file, a corrupt
 * block, an unknown compressor) is an error naming the file and
 * libsquashfs' reason.  Bounded by image/unpack.h's default limits (a
 * file's size, the total, the entry count), checked before content is
 * read.  On failure the tree may hold entries added before the bad one;
 * callers treat the build as failed.  Nothing is printed.
 */
#ifndef MD_MODLOOP_H
#define MD_MODLOOP_H

#include <stddef.h>
#include "core/err.h"
#include "core/strv.h"
#include "image/tree.h"

/* Add the modules of the modloop at `path` (see above) to `t`, with
 * `origin` (copied by the tree) as who added them.  With `want` (the
 * release of the image's kernel, md_modules_image_release) only
 * modules/WANT is taken, and a modloop without it is an error naming the
 * releases it holds and `want`: a modloop of another kernel build would
 * give the image modules its kernel refuses to load (trap 5).  `want`
 * NULL takes every modules/KVER.  The kernel versions found (all of them)
 * are pushed (copied) to the caller's `kvers` (may be NULL; the caller
 * frees it with md_strv_free), sorted.  Error when the file is no
 * squashfs libsquashfs reads, or holds no modules/KVER. */
int md_modloop_read(md_tree *t, const char *path, const char *origin, const char *want,
                    md_strv *kvers, md_err *err);


#endif
