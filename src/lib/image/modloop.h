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
 * squashfs' permission bits, numeric owner and mtime; symlinks keep their
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
 * `origin` (copied by the tree) as who added them.  The kernel versions
 * found are pushed to `kvers` (may be NULL), sorted.  Error when the file
 * is no squashfs libsquashfs reads, or holds no modules/KVER. */
int md_modloop_read(md_tree *t, const char *path, const char *origin, md_strv *kvers,
                    md_err *err);

/* The modloop's signature, as Alpine makes and checks it.  alpine-conf's
 * update-kernel --modloopsign signs the finished squashfs with
 * `openssl dgst -sha1 -sign KEY -out MODLOOP.SIGN.RSA.KEYNAME MODLOOP`
 * (PKCS#1 v1.5 RSA over SHA-1 of the whole file, KEYNAME the public key's
 * file name, "alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub") and
 * hands the file to mkinitfs -s, which puts it in the initramfs at
 * /var/cache/misc/; initramfs-init copies it into the new root, and the
 * modloop is checked at boot only when it is there.  Here the signature
 * sits beside the modloop as update-kernel writes it: every
 * "BASENAME.SIGN.*" in the modloop's directory is a signature of it, and
 * each must verify with a key of one of the `nsets` key sets (an Alpine
 * repository's trusted keys, packages/apksign.h) — one that names a key
 * in none, or that does not verify, is refused with an error naming the
 * modloop.  None present: the modloop is unsigned, accepted as Alpine's
 * initramfs accepts it.  Returns 1 (verified; each signer's key name
 * pushed to `signers`, may be NULL), 0 (unsigned), -1 (refused). */
struct md_apksign_keys;
int md_modloop_verify(const char *path, const struct md_apksign_keys *const *sets, size_t nsets,
                      md_strv *signers, md_err *err);

#endif
