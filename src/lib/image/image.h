/* image — a md_tree as the dom0's initramfs: a newc ("070701") cpio,
 * compressed with a codec the Linux 6.1 kernel unpacks.
 *
 * The archive is a pure function of the tree, the codec, the level and
 * SOURCE_DATE_EPOCH: entries in md_tree order (byte order of the path, so a
 * directory precedes its contents), the root first as ".", no leading "/",
 * inode numbers in archive order, device fields zero, mtimes clamped to
 * SOURCE_DATE_EPOCH.  Hardlinked files share one inode number and carry
 * nlink; the content rides on the last name of the group and the others have
 * size 0, as GNU cpio writes it and as the kernel's unpacker (which links
 * every later name to the first one and then writes whatever data comes)
 * and libarchive/GNU cpio readers recreate.
 *
 * gzip is compressed by libdeflate on all cores, in blocks of whole entries
 * (4 MiB or more) each written as its own gzip member: one valid gzip file
 * (RFC 1952: a series of members; gzip -dc and libarchive read them as one
 * stream) that the kernel reads member by member, which it accepts only
 * when each ends on an entry (see write_gzip in image.c).  The same bytes
 * whatever the number of threads (MKDOM0_THREADS=N overrides the count).
 * zstd uses libzstd's own workers (output independent of their number).
 * xz and lz4 run the xz / lz4 programs, because the kernel needs what
 * libarchive's writers cannot produce: xz with a CRC32 check, lz4 in the
 * legacy frame format.
 *
 * The output is written to a new temporary file beside PATH and renamed over
 * PATH when complete (md_file_commit: only a regular file is replaced);
 * on failure the temporary is removed and an existing PATH is untouched.
 */
#ifndef MD_IMAGE_H
#define MD_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "image/tree.h"

typedef enum md_codec {
    MD_CODEC_NONE,
    MD_CODEC_GZIP,
    MD_CODEC_ZSTD,
    MD_CODEC_XZ,
    MD_CODEC_LZ4,
} md_codec;

/* "none", "gzip", "zstd", "xz", "lz4" (spec's Compression=).  Error lists
 * the choices; err may be NULL (the spec words its own). */
int md_codec_from_name(const char *name, md_codec *codec, md_err *err);
const char *md_codec_name(md_codec codec);
/* Conventional file suffix: "", ".gz", ".zst", ".xz", ".lz4". */
const char *md_codec_suffix(md_codec codec);
/* Highest level md_image_write takes (levels start at 1): gzip 12, zstd 22,
 * xz and lz4 9; none 0 (it has no levels). */
int md_codec_max_level(md_codec codec);

typedef struct md_image_stats {
    size_t entries;      /* cpio entries, trailer excluded */
    uint64_t cpio_bytes; /* uncompressed archive size */
    uint64_t out_bytes;  /* size of the written file */
} md_image_stats;

/* The writer's thread count: MKDOM0_THREADS (1 to 1024, at most 16 used;
 * md_size_env: a bad value is an error), else the online CPUs.  The CLI
 * asks it once before any command runs. */
int md_image_threads(int *out, md_err *err);

/* Write `t` to `path`.  level <= 0 means the codec's default (gzip 6 of 1..12,
 * zstd 19, xz 6, lz4 9).
 * source_date_epoch < 0 disables the clamp (mtimes as in the tree; negative
 * ones become 0).  `stats` may be NULL. */
int md_image_write(const md_tree *t, const char *path, md_codec codec, int level,
                   int64_t source_date_epoch, md_image_stats *stats, md_err *err);

/* One step of a zstd stream (libzstd's streaming API), for the image and
 * the package cache's zstd files alike: the `n` bytes at `in` through `z`,
 * and the frame's end when `last`; what comes out is written to `fd` and
 * added to *written (may be NULL).  Errors name `label` (fd's file).
 * `z` is the caller's (made and freed with ZSTD_createCCtx/ZSTD_freeCCtx);
 * this only borrows it. */
struct ZSTD_CCtx_s;
int md_image_zstd_step(struct ZSTD_CCtx_s *z, const void *in, size_t n, bool last, int fd,
                       const char *label, uint64_t *written, md_err *err);

#endif
