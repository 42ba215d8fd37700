/* decomp — one way to decompress: gzip, xz or zstd data (told apart by
 * magic, not by file name) into memory, with a cap on the output.  Kernel
 * modules (.ko.xz/.zst/.gz), Packages indexes (.xz/.gz), Xen images
 * (xen.gz) and the Kconfig Xen embeds all come through here.  Prefix
 * md_decomp_.
 *
 * Every function takes the most it may produce, in bytes, so that a small
 * input cannot make us allocate without bound (a decompression bomb); the
 * error then names the file and the limit.
 *
 * Ownership: *out is the caller's to free(); it has a NUL after *outlen
 * bytes, so text can be used as a string.  Inputs are borrowed.
 */
#ifndef MD_CORE_DECOMP_H
#define MD_CORE_DECOMP_H

#include <stddef.h>
#include <stdint.h>
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

/* The length in bytes of the one compressed stream at the start of `data`
 * (a gzip member, an xz stream with the zero padding after it, a zstd
 * frame), decompressed to its end without keeping the output, so that
 * whatever follows it can be read as what it is (an initramfs's next
 * segment, as the kernel's unpack_to_rootfs reads it).  Its integrity
 * check is verified.  Errors name `name`: no known codec, corrupt or
 * truncated data, more than `max` bytes of output (0: no cap; the time
 * it takes is the bound). */
int md_decomp_stream_len(const char *name, const void *data, size_t len, uint64_t max,
                         size_t *used, md_err *err);
/* The same, and *out_bytes: the bytes that stream decompresses to. */
int md_decomp_stream_size(const char *name, const void *data, size_t len, uint64_t max,
                          size_t *used, uint64_t *out_bytes, md_err *err);

/* Read the file at `path` and md_decomp_buf it; errors name the path. */
int md_decomp_file(const char *path, size_t max, unsigned char **out, size_t *outlen,
                   md_err *err);

#endif
