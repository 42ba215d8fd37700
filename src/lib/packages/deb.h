/* deb — read Debian binary packages (.deb) into a md_tree.
 *
 * A .deb is an ar archive holding debian-binary, control.tar.* and
 * data.tar.*; the data member is streamed through libarchive's decompressors
 * (xz, zstd, gzip, bzip2, none) straight into the tree: no temporary files,
 * no root, every member keeps the archive's mode, numeric uid/gid, mtime,
 * symlink target, hardlink and device numbers.
 *
 * Refused, with an error naming the .deb and the member: paths with ".."
 * and writes through symlinks (both via the tree), sockets and other
 * unsupported member types, truncated or corrupt archives, a .deb without a
 * data member, and what dpkg-deb refuses of deb(5)'s layout: members out of
 * the order debian-binary (format 2.x), control.tar.*, data.tar.* (members
 * named _* may come between them; others after data.tar are skipped), a
 * second control or data member, a compression deb(5) does not name for the
 * member or bytes in another than its name says, and data after the data
 * member's compressed stream(s).  On failure the tree may hold the members added before the
 * bad one; callers treat the whole build as failed.
 *
 * Limits (md_unpack_package_limits, image/unpack.h): a file's content,
 * the package's content in all, its entries and its data member's
 * compression ratio; the error names the .deb, the member and the limit.
 *
 * Ownership: paths, `origin` and `sha256` are borrowed; the members'
 * content becomes the tree's (freed with it by md_tree_free); `stats` is
 * the caller's; nothing is left for the caller to free.
 */
#ifndef MD_DEB_H
#define MD_DEB_H

#include <stddef.h>
#include "core/err.h"
#include "image/tree.h"
#include "image/unpack.h"

/* Add the data.tar members of the .deb at `path` to `t`.  `origin` names the
 * package in the tree (conflict messages, size reports) and in errors.
 * Members are read with md_unpack_archive's policy (see unpack.h), `clash`
 * for an existing path.  `stats` may be NULL. */
int md_deb_extract(md_tree *t, const char *path, const char *origin, md_tree_clash clash,
                   md_unpack_stats *stats, md_err *err);

/* md_deb_extract through a cache of the decompressed data member: Debian
 * compresses data.tar with xz, whose decompression was most of a warm
 * build's extraction time (411 MB for linux-image-6.1: 3.4 s of xz, 0.4 s
 * of zstd).  The first extraction of a .deb reads it as md_deb_extract does
 * and, when that succeeded, stores its data member once more, decompressed
 * and recompressed with zstd, as CACHE_DIR/unpacked/SHA256.MEMBER.zst; later
 * ones read that file instead, with the same entry policy, limits and
 * words in errors, so the tree and a policy error are the same either way.
 * The entry is named by the .deb's SHA-256 from the verified index (`sha256`, 64 hex
 * digits), never by its file name, so another .deb of the same name and
 * version cannot be given the old one's files; it is written to a temporary
 * file and renamed into place (builds sharing the cache never read half an
 * entry), and it is used only from a directory no other user can write
 * (md_file_check_trusted); otherwise, or when the cache cannot be written,
 * the .deb is read as by md_deb_extract and the build goes on.
 * An entry carries zstd's content checksum and is read to its end: one
 * without it is removed and the .deb read instead; one that does not decode
 * whole or whose checksum is wrong is removed, and MD_DEB_CACHE_DROPPED is
 * returned with the reason: `t` then holds part of its entries, so the
 * caller starts its tree again (the .deb is read the next time).  The
 * checksum finds damage (a disk error, a partial restore), not a change
 * made by someone who can write the cache, who could as well change the
 * .debs' index or the images built from it.
 * cache_dir: md_cache_dir() when NULL. */
#define MD_DEB_CACHE_DROPPED (-2)
int md_deb_extract_cached(md_tree *t, const char *path, const char *sha256, const char *cache_dir,
                          const char *origin, md_tree_clash clash, md_unpack_stats *stats,
                          md_err *err);

/* Remove what runs killed while storing an entry left in
 * CACHE_DIR/unpacked (ENTRY.mkdom0-XXXXXX temporaries), when no run is
 * storing one (each holds CACHE_DIR/unpacked/.lock shared while it
 * does); else they are left for a later run.  Nothing is reported: a
 * leftover costs only disk space.  cache_dir: md_cache_dir() when NULL. */
void md_deb_cache_clean(const char *cache_dir);

#endif
