/* overlay — host files and directories copied into the image.
 *
 * Owners are always root:root (a user's files must not leak their uid into
 * a reproducible image), permission bits come from the host file, mtimes are
 * the given `mtime`.  Overlay entries replace package files at the same path.
 * Prefix md_overlay_.
 *
 * Ownership: paths and `origin` are borrowed; the content read from the
 * host becomes the tree's (freed with it by md_tree_free); nothing is left
 * for the caller to free. */
#ifndef MD_OVERLAY_H
#define MD_OVERLAY_H

#include "core/err.h"
#include "image/tree.h"

/* Copy the tree under host directory `dir` to `dest` ("/" for the root).
 * Regular files, directories and symlinks only; anything else is an error
 * naming the host path.  Entries are visited in sorted order.
 *
 * `manifest` (NULL: none) is a file of "MODE UID GID /IMAGE/PATH" lines
 * (MODE octal, "-" for symlinks, '#' comments) that gives every entry its
 * mode and owner instead of the host file's: a checkout's modes follow the
 * umask of whoever cloned it, and the image must not.  With a manifest,
 * an entry it does not list is an error. */
int md_overlay_add_dir(md_tree *t, const char *dir, const char *dest, const char *manifest,
                       int64_t mtime, const char *origin, md_err *err);

/* Copy one host file to image path `dest`, with its permission bits, or with
 * `mode` when mode >= 0. */
int md_overlay_add_file(md_tree *t, const char *src, const char *dest, int mode,
                        int64_t mtime, const char *origin, md_err *err);

#endif
