/* unpack — archives into an md_tree: the one reader behind a .deb's
 * data.tar.*, a rootfs image (read as the kernel unpacks an initramfs:
 * newc cpio; gzip, xz, zstd, bzip2, lz4, lzma or none; concatenated
 * segments, see md_unpack_rootfs) and a rootfs directory.  Prefix
 * md_unpack_.
 *
 * One entry policy for all of them:
 *   - names: "./usr/bin/x", "usr/bin/x" and "/usr/bin/x" are all
 *     "/usr/bin/x" (an absolute name is rooted, as dpkg does); "." and "./"
 *     are the root and set its attributes; ".." and writes through symlinks
 *     are refused by the tree (opts.kernel: a parent's symlinks are
 *     followed, as the kernel's path walk follows them);
 *   - every entry keeps the archive's mode (permission bits), numeric
 *     uid/gid and mtime, symlink target and device numbers, and is added
 *     with the caller's origin;
 *   - an existing path is handled by the caller's md_tree_clash for files,
 *     symlinks and devices; directories merge; a hardlink replaces nothing
 *     (an identical one is accepted);
 *   - hardlinks are linked when the stream ends: newc keeps a link group's
 *     data on its last name, which gives the group's file its content, so
 *     the file must be complete before names point to it.  Without
 *     MD_CLASH_REPLACE that file must be one the same origin added (a
 *     package cannot rewrite another's file through a link);
 *   - sparse files are refused (their holes are content no byte of the
 *     archive holds; dpkg and the kernel read none);
 *   - sockets, and libarchive's warnings about an entry (bytes skipped to
 *     find a header, a name it could not convert), are tolerated or refused
 *     (opts.lenient); other entry types are refused.
 *
 * Errors name the stream (opts.label) and, for an entry, its name as
 * written: "data.tar.xz member ./etc/x: /etc/x: conflict: ...".  On failure
 * the tree may hold the entries added before the bad one.
 */
#ifndef MD_UNPACK_H
#define MD_UNPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/decomp.h"
#include "core/err.h"
#include "core/strv.h"
#include "image/tree.h"

struct archive;
struct archive_entry;

/* Bounds on what one read may add; 0 means unbounded.  Counted over an
 * md_unpack_stats, so streams read into one tree with one stats (the
 * segments of an initramfs) share them.  Every reader of untrusted archives
 * applies md_unpack_default_limits (a rootfs image or directory for lint;
 * the build's overlays meet them in the image, which md_image_write holds
 * to them) or md_unpack_package_limits (a .deb's or .apk's data member);
 * errors name the stream, the member and the limit. */
typedef struct md_unpack_limits {
    uint64_t entry_bytes; /* content of one file, bytes */
    /* Content of all files read, held or read past (opts.keep), bytes: what
     * a read costs in time, and bounds what it holds in memory. */
    uint64_t total_bytes;
    size_t entries;       /* entries read */
    size_t path_bytes;    /* length of a normalised path ("/usr/bin/x": 10) */
    size_t path_depth;    /* components of a path ("/usr/bin/x": 3) */
    /* The uncompressed stream(s), headers and padding included, bytes:
     * bounds what the entries' headers (up to a path each) add to
     * total_bytes, on streams that pass through a decompressor. */
    uint64_t stream_bytes;
    /* Packages only (md_unpack_package_limits): a compressed stream may give
     * out at most `ratio` bytes (headers included) per byte it has read of
     * its compressed input, once it has given out MD_UNPACK_RATIO_FREE
     * bytes.  Counted per stream, on streams that pass through a
     * decompressor only.  0: none. */
    unsigned ratio;
    /* Normalised paths of all entries read, bytes: the tree keeps each
     * one, so a rootfs of long names costs memory its content does not
     * (trial 9g case 6: 26 MB of gzip, 480,000 names of 4 KB, 2 GB). */
    uint64_t name_bytes;
} md_unpack_limits;

/* The defaults.  A dom0 rootfs is tens of MiB and the largest distribution
 * initramfs or Debian package (linux-image) a few hundred: 1 GiB of
 * content in all, or in one file, is a decompression bomb or a corrupt size
 * field; a million entries likewise, and 2 GiB of uncompressed stream (a
 * tar's 512-byte headers and padding, or a newc name of up to 4 KiB, for
 * each entry).  These are caps on what is unpacked, not on a compression
 * ratio: a legitimate image may hold a file of zeros that gzip packs 1000
 * to 1 and xz or zstd far more (trial 9d case 09), so a bomb is read up to
 * the caps (1 GiB of gzip takes seconds) and refused there, with memory
 * bounded by what is held.  md_image_write refuses to write an image past
 * them, so what mkdom0 builds its lint reads.  Paths are bounded by the
 * tree (MD_TREE_PATH_MAX, MD_TREE_DEPTH_MAX). */
#define MD_UNPACK_ENTRY_BYTES ((uint64_t)1 << 30)
#define MD_UNPACK_TOTAL_BYTES ((uint64_t)1 << 30)
#define MD_UNPACK_ENTRIES ((size_t)1000000)
/* A real rootfs or package has names of 60 bytes on average: a million of
 * them are 60 MiB. */
#define MD_UNPACK_NAME_BYTES ((uint64_t)256 << 20)
#define MD_UNPACK_STREAM_BYTES ((uint64_t)2 << 30)
extern const md_unpack_limits md_unpack_default_limits;

/* A package's data member (packages/deb.h, apk.h): the defaults and a
 * ratio.  The build holds every file of a package in memory, and real
 * data.tar.* expand 2 to 10 times (at most 22 times over bookworm's and
 * trixie's dom0 packages, a 448-byte metapackage that holds 10 KiB of tar
 * padding); gzip's most is about 1032 and xz's and zstd's thousands, so
 * 100 refuses a bomb after its first 16 MiB, long before the total cap
 * would.  Images are not held to it: what a user puts in one (Overlay=)
 * may be a file of zeros. */
#define MD_UNPACK_PACKAGE_RATIO 100u
#define MD_UNPACK_RATIO_FREE ((uint64_t)16 << 20)
extern const md_unpack_limits md_unpack_package_limits;

/* Which files' content a reader holds: called once per file (and per
 * hardlink that carries its group's content) with the normalised path the
 * content lands at ("/etc/inittab") and its size in bytes; false: the
 * content is read past (every limit and the size checks still
 * apply, so a truncated or corrupt member is an error as before) and the
 * tree holds the file's size and attributes but no content (tree.h).  A
 * reader that inspects a few files (lint) so holds those only, and a 1 GiB
 * member costs it no memory.  NULL: every file's content is held. */
typedef bool (*md_unpack_keep_fn)(const char *path, uint64_t size);

/* A caller's own check of each entry, for formats that carry more than the
 * archive says (an Alpine package's per-file checksums, packages/apk.h):
 * called once per entry after its content is read and before anything is
 * added, with the handle (archive_read_header_position(a) is where the
 * entry's headers start in the uncompressed stream), the entry, its name
 * as written and its content (`data` NULL when the entry has none or it is
 * not held, see `keep`).  Negative (or an error set) refuses the entry, and
 * the error is prefixed like the reader's own; positive without an error
 * leaves the entry out (counted as read, not added: what the format says
 * is not installed, as apk's data-stream dot-files). */
typedef int (*md_unpack_check_fn)(void *ctx, struct archive *a, struct archive_entry *e,
                                  const char *name, const unsigned char *data, size_t len,
                                  md_err *err);

/* What the kernel does with an initramfs that reading every entry would
 * not show (Linux init/initramfs.c), filled by md_unpack_rootfs for an
 * archive so that a caller (lint) can name it; the tree already holds the
 * result.  md_unpack_notes_free frees the strings. */
#define MD_UNPACK_NOTES_SHOWN 8
typedef struct md_unpack_notes {
    /* Why and where the kernel stops unpacking, its own message quoted
     * ("byte 0: \"incorrect cpio method used: use -H newc option\" (an odc
     * cpio ...)"); nothing after that is unpacked.  NULL: it unpacks all. */
    char *stop;
    /* Entries it does not create, at most MD_UNPACK_NOTES_SHOWN of them,
     * each "PATH: why" ("/etc/inittab: its directory /etc is not there
     * yet"); ndropped counts them all. */
    md_strv dropped;
    size_t ndropped;
    /* Symlinks a later directory entry replaced ("/sbin: the symlink to
     * usr/sbin ..."): all that was reached through them is gone. */
    md_strv replaced;
} md_unpack_notes;
void md_unpack_notes_free(md_unpack_notes *n);

typedef struct md_unpack_opts {
    const char *origin;      /* who adds the entries (tree copies it); required */
    const char *label;       /* the stream in errors; NULL: origin */
    md_tree_clash clash;     /* for an existing path (see above) */
    /* true: as the kernel unpacks an initramfs (sockets left out, warnings
     * ignored); false: both refused, as nothing a package holds needs them */
    bool lenient;
    md_unpack_limits limits;
    md_unpack_keep_fn keep; /* NULL: hold every file's content */
    md_unpack_check_fn check; /* NULL: none */
    void *check_ctx;
    /* Not NULL: apply entries as the kernel applies an initramfs (only
     * newc cpio; no missing parent made; parents' symlinks followed; an
     * entry of another type replaces what is there, see md_unpack_rootfs)
     * and record here what that changes. */
    md_unpack_notes *kernel;
} md_unpack_opts;

typedef struct md_unpack_stats {
    size_t entries; /* entries read (directories and skipped sockets included) */
    uint64_t bytes; /* file content held */
    uint64_t read;  /* file content read, held or read past (what total_bytes bounds) */
    uint64_t names; /* path bytes of the entries read (what name_bytes bounds) */
} md_unpack_stats;

/* Add every entry of the open libarchive read handle `a` (formats are the
 * caller's choice; no filters: what is compressed comes through
 * md_unpack_decomp; a handle whose open failed is reported at its first
 * header) to `t`.  `st` accumulates and may not be NULL.
 * The handle stays the caller's. */
int md_unpack_archive(md_tree *t, struct archive *a, const md_unpack_opts *o,
                      md_unpack_stats *st, md_err *err);

/* md_unpack_archive for the tar archive that `dec` (core/decomp.h, the
 * caller's) gives out: a package's data member, decompressed there, with
 * the compression limits (stream_bytes, ratio) counted on it; errors as
 * md_unpack_archive's, the reader's words prefixed by the label. */
int md_unpack_decomp(md_tree *t, md_decomp_reader *dec, const md_unpack_opts *o,
                     md_unpack_stats *st, md_err *err);

/* A tar in memory (an .apk's members, an APKINDEX) into a new tree, with
 * origin and label `label`, `limits` (NULL: the default limits; a format
 * of a few known members gives its own entry count), a clash an error;
 * `check` and `ctx` as in md_unpack_opts (NULL: none); *entries (if not
 * NULL): the entries read, also on failure.  Caller frees with
 * md_tree_free. */
md_tree *md_unpack_tar(const char *label, const unsigned char *tar, size_t len,
                       const md_unpack_limits *limits, md_unpack_check_fn check, void *ctx,
                       size_t *entries, md_err *err);

/* A root filesystem into a new tree (no usrmerge: the tree shows exactly
 * what the input holds), with origin and label `path`, sockets skipped:
 *   - a directory (symlinks below it not followed, owners and modes as found);
 *   - an archive: the tree is what the kernel has after unpacking it as an
 *     initramfs (Linux init/initramfs.c, unpack_to_rootfs and do_name):
 *     zero padding skipped anywhere; an uncompressed cpio read only at a
 *     4-byte-aligned offset; every cpio archive of a segment read, also
 *     several inside one compressed stream (flush_buffer); only newc and
 *     crc cpio (do_header: odc, bin and tar stop it, with what came before
 *     kept); an entry whose directory is not there yet dropped (no parent
 *     is made), parents' symlinks followed (the path walk of filp_open,
 *     mkdir, symlink), an entry of another type replacing what is at its
 *     name (clean_path: a non-empty directory stays and the entry is
 *     dropped), later files replacing earlier ones.  The kernel's own
 *     /dev and /root (its built-in initramfs) count as present.
 *     `notes` (may be NULL) gets what of this differs from a plain reading.
 * `limits` NULL: md_unpack_default_limits; `keep` as in md_unpack_opts
 * (NULL: all content held).  `not_archive` (may be
 * NULL) is set when `path` is a file libarchive recognises no archive in
 * (so a caller may try it as text).  Caller frees with md_tree_free, and
 * `notes` with md_unpack_notes_free (also on failure). */
md_tree *md_unpack_rootfs(const char *path, const md_unpack_limits *limits,
                          md_unpack_keep_fn keep, bool *not_archive, md_unpack_notes *notes,
                          md_err *err);

#endif
