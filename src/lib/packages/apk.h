/* apk — Alpine binary packages (.apk, v2 format) verified, then read into
 * a md_tree like a .deb.  Prefix: md_apk_.
 *
 * A v2 .apk is three gzip members that together are one tar (apk-v2(5)):
 * signatures, control (.PKGINFO and install scripts), data.  md_apk_open()
 * checks the whole chain before anything reaches a caller's tree:
 *   - the signature (apksign.h) over the control member's compressed bytes
 *     when .PKGINFO has a datahash, else over control and data together;
 *   - with an index record: the control member's digest against its C:
 *     ("Q1" SHA-1, "Q2" SHA-256), the file's size against S:, and
 *     .PKGINFO's pkgname, pkgver and arch against P:, V:, A:;
 *   - the data member's SHA-256 against .PKGINFO's datahash;
 *   - every file's APK-TOOLS.checksum.SHA1 (or .MD5) PAX header against
 *     its content, and a symlink's against its target, as abuild-tar
 *     writes them (a hardlink's is its file's, as apk takes it); files
 *     without one are counted (md_apk_unchecked), not refused: packages
 *     made by melange carry none, and the datahash covers them;
 *   - every member gzip (apk-v2(5); a raw tar or xz one is refused);
 *   - the data tar read through the one archive reader (image/unpack.h)
 *     with its limits, into a scratch tree that is then dropped.
 * Dot-files at the root of the data tar (".PKGINFO", "./.hidden") are
 * left out, as apk-tools leaves them (it takes them for metadata): never
 * installed, and named by md_apk_dropped for the caller's note.
 * Any failure refuses the package with an error naming the file and the
 * reason; nothing of it is kept.  md_apk_extract() then adds the data
 * member to the caller's tree with the archive's modes, owners, mtimes and
 * link targets; only a conflict with what the tree holds (per `clash`) or
 * the tree's own limits can fail it, and the tree may then hold entries
 * added before the bad one, as with md_deb_extract.
 *
 * Install scripts (.pre-install, .post-install, .trigger, ...) are listed,
 * never run.
 *
 * Ownership: md_apk_open() returns an object the caller frees with
 * md_apk_free(); strings it gives out live until then.  Inputs are
 * borrowed.  Status + md_err; nothing is printed.
 */
#ifndef MD_APK_H
#define MD_APK_H

#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "image/tree.h"
#include "image/unpack.h"
#include "packages/apkindex.h"
#include "packages/apksign.h"

/* Limits: the .apk file, the control member decompressed, .PKGINFO's
 * fields (the data member is held to image/unpack's limits, its
 * decompressed size to their stream cap and ratio). */
#define MD_APK_MAX_FILE ((size_t)1 << 30)
#define MD_APK_MAX_CONTROL ((size_t)16 << 20)
/* Entries of the control member: .PKGINFO, up to seven scripts, a
 * builder's notes (.melange.yaml). */
#define MD_APK_MAX_CONTROL_MEMBERS 64u
/* Names md_apk_dropped keeps. */
#define MD_APK_DROPPED_SHOWN 8u
#define MD_APK_MAX_FIELDS 65536u

typedef struct md_apk md_apk;

/* Verify the .apk at `path` (see above).  `expect`: the index record it
 * must match (NULL: the signature and datahash alone).  Caller frees. */
md_apk *md_apk_open(const char *path, const md_apksign_keys *keys,
                    const md_apkindex_pkg *expect, md_err *err);
/* The same for the file at `file`, named `label` in every message and in
 * md_apk_extract's: a download is checked under a temporary name that is
 * gone by the time its error is read (trial 13h case 6). */
md_apk *md_apk_open_as(const char *file, const char *label, const md_apksign_keys *keys,
                       const md_apkindex_pkg *expect, md_err *err);
void md_apk_free(md_apk *a);

/* Add the data member to `t`; `origin` names the package in the tree and
 * in errors, `clash` as for md_deb_extract; `stats` may be NULL. */
int md_apk_extract(const md_apk *a, md_tree *t, const char *origin, md_tree_clash clash,
                   md_unpack_stats *stats, md_err *err);

const char *md_apk_name(const md_apk *a);    /* .PKGINFO pkgname */
const char *md_apk_version(const md_apk *a); /* pkgver */
const char *md_apk_arch(const md_apk *a);    /* arch, or NULL */
const char *md_apk_signer(const md_apk *a);  /* the trusting key's file name */
/* The control member's checksum as an index writes it ("Q1...", SHA-1). */
const char *md_apk_checksum(const md_apk *a);
/* The n-th value of .PKGINFO's `key` ("depend", "provides", ...; 0 the
 * first), or NULL. */
const char *md_apk_pkginfo(const md_apk *a, const char *key, size_t n);
/* Install scripts in the control member, by name (".post-install"); NULL
 * past the last. */
const char *md_apk_script(const md_apk *a, size_t i);
/* Files and symlinks of the data member without a per-file checksum. */
size_t md_apk_unchecked(const md_apk *a);
/* Entries of the data member (directories included). */
size_t md_apk_entries(const md_apk *a);
/* Entries of the data member left out as dot-files at its root
 * (apk-tools installs none: ".PKGINFO" in the data stream); the first
 * MD_APK_DROPPED_SHOWN names as written (NULL past them). */
size_t md_apk_dropped_count(const md_apk *a);
const char *md_apk_dropped(const md_apk *a, size_t i);

#endif
