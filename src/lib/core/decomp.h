/* decomp — one way to decompress: gzip, xz or zstd data (told apart by
 * magic, not by file name), into memory with a cap on the output or as a
 * stream.  Kernel modules (.ko.xz/.zst/.gz), Packages indexes (.xz/.gz),
 * Xen images (xen.gz), the Kconfig Xen embeds, a .deb's data member, the
 * segments of an initramfs and the cache of unpacked packages all come
 * through here; archive readers (image/unpack) read what it gives out and
 * enable no decompressor of their own.  Prefix md_decomp_.
 *
 * Every function takes the most it may produce, in bytes, so that a small
 * input cannot make us allocate without bound (a decompression bomb); the
 * error then names the file and the limit.
 *
 * Ownership: *out is the caller's to free(); it has a NUL after *outlen
 * bytes, so text can be used as a string.  Inputs are borrowed.  A reader
 * is the caller's (md_decomp_reader_free); its source stays the caller's.
 */
#ifndef MD_CORE_DECOMP_H
#define MD_CORE_DECOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "core/err.h"

typedef enum md_decomp_codec {
    MD_DECOMP_NONE, /* no known magic: the data as it is */
    MD_DECOMP_GZIP, /* 1f 8b (RFC 1952) */
    MD_DECOMP_XZ,   /* fd 37 7a 58 5a 00 (xz file format 1.0) */
    MD_DECOMP_ZSTD, /* 28 b5 2f fd (RFC 8878) */
} md_decomp_codec;

/* The codec of `data`, by its first bytes. */
md_decomp_codec md_decomp_detect(const void *data, size_t len);
/* "none", "gzip", "xz", "zstd". */
const char *md_decomp_name(md_decomp_codec c);

/* The whole of `data`, decompressed (every concatenated gzip member, xz
 * stream or zstd frame; data of no known codec is copied).  Errors name
 * `name` (a file or URL): corrupt or truncated data, a failed integrity
 * check (gzip CRC-32, xz check, zstd checksum), data after the last stream,
 * more than `max` bytes of output. */
int md_decomp_buf(const char *name, const void *data, size_t len, size_t max,
                  unsigned char **out, size_t *outlen, md_err *err);

/* The first `max` bytes (fewer if it is shorter) of the one compressed
 * stream at the start of `data`, for a stream embedded in a larger file:
 * what follows the stream is not looked at, and a longer stream is not an
 * error.  Errors as md_decomp_buf for what is read. */
int md_decomp_head(const char *name, const void *data, size_t len, size_t max,
                   unsigned char **out, size_t *outlen, md_err *err);

/* *used: the length in bytes of the one compressed stream at the start of
 * `data` (a gzip member, an xz stream with the zero padding after it, a
 * zstd frame), decompressed to its end without keeping the output, so that
 * whatever follows it can be read as what it is (an initramfs's next
 * segment, as the kernel's unpack_to_rootfs reads it); *out_bytes (may be
 * NULL): the bytes it decompresses to.  Its integrity check is verified.
 * Errors name `name`: no known codec, corrupt or truncated data, more than
 * `max` bytes of output (0: no cap; the time it takes is the bound). */
int md_decomp_stream_len(const char *name, const void *data, size_t len, uint64_t max,
                         size_t *used, uint64_t *out_bytes, md_err *err);

/* ---- the streaming reader: what every function here is built on ---- */

typedef struct md_decomp_reader md_decomp_reader;

/* The next block of compressed input: *buf (the source's, valid until the
 * next call) and *len, 0 at its end; -1 with the error. */
typedef int (*md_decomp_pull_fn)(void *ctx, const void **buf, size_t *len, md_err *err);

/* Flags. */
#define MD_DECOMP_ONE    1u /* the first stream only (what follows is not looked at) */
#define MD_DECOMP_STRICT 2u /* after a stream, only another of its codec (else an error) */
/* Input in bzip2, lz4, lzma, compress, lzip or lzop (by magic) through
 * libarchive's filters, for archives, which may come in any codec dpkg or
 * the kernel reads.  Without it such input is plain, as plain data (no
 * known magic) always is. */
#define MD_DECOMP_OTHERS 4u

/* A reader of what `pull` gives (`ctx` borrowed), named `name` in errors
 * (copied).  Concatenated streams of the first one's codec are read on
 * (gzip(1) and the kernel do); without MD_DECOMP_STRICT the output ends
 * quietly where anything else follows.  Free with md_decomp_reader_free. */
md_decomp_reader *md_decomp_reader_new(const char *name, md_decomp_pull_fn pull, void *ctx,
                                       unsigned flags);
/* Over `len` bytes at `data` (borrowed: kept alive by the caller). */
md_decomp_reader *md_decomp_reader_mem(const char *name, const void *data, size_t len,
                                       unsigned flags);
/* Over the file at `path` (named by it); NULL with the error when it cannot
 * be opened. */
md_decomp_reader *md_decomp_reader_file(const char *path, unsigned flags, md_err *err);
void md_decomp_reader_free(md_decomp_reader *r);

/* Up to `n` decompressed bytes into `buf` (never the ends of two streams
 * in one call): their count, 0 at the end, -1 with errors as md_decomp_buf's. */
ssize_t md_decomp_reader_read(md_decomp_reader *r, void *buf, size_t n, md_err *err);
/* Once read from: the first stream's codec (NONE also for MD_DECOMP_OTHERS
 * input); its name as libarchive's filters say it ("gzip", "bzip2",
 * "none"); whether it was compressed at all. */
md_decomp_codec md_decomp_reader_codec(const md_decomp_reader *r);
const char *md_decomp_reader_codec_name(const md_decomp_reader *r);
bool md_decomp_reader_compressed(const md_decomp_reader *r);
/* Compressed bytes taken from the source so far (read ahead included). */
uint64_t md_decomp_reader_in(const md_decomp_reader *r);
/* *end: the input offset just past the gzip member, xz stream (with its
 * padding) or zstd frame that holds decompressed byte `out` - 1, reading on
 * (output not kept, at most `max` bytes in all, 0: no cap) to its end, so
 * that what follows can be read as what it is (an initramfs's next
 * segment).  Plain or MD_DECOMP_OTHERS input: all that was taken. */
int md_decomp_reader_stream_end(md_decomp_reader *r, uint64_t out, uint64_t max, size_t *end,
                                md_err *err);

/* Read the file at `path` and md_decomp_buf it; errors name the path. */
int md_decomp_file(const char *path, size_t max, unsigned char **out, size_t *outlen,
                   md_err *err);

#endif
