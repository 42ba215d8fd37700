/* decomp — gzip, xz and zstd through their own libraries.
 *
 * Why zlib, liblzma and libzstd rather than libarchive's raw reader (which
 * links the same three): libarchive 3.6's gzip filter does not check the
 * gzip trailer — a member whose CRC-32 is wrong decompresses without error
 * — while zlib's gzip wrapper checks CRC-32 and length, liblzma the xz
 * check and libzstd the frame checksum.  Asking the libraries directly also
 * keeps the output cap exact and lets a stream embedded in a larger file
 * (Xen's Kconfig) be read without its tail, and it cannot fall back to
 * running an external program as libarchive's filters may.  Each codec is
 * one streaming loop of the same shape over a shared output buffer.
 */
#include "core/decomp.h"

#include <limits.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include "core/file.h"
#include "core/mem.h"

static const char *const codec_names[] = { "none", "gzip", "xz", "zstd" };

static bool has_magic(const unsigned char *d, size_t len, const char *m, size_t mlen)
{
    return len >= mlen && memcmp(d, m, mlen) == 0;
}

md_decomp_codec md_decomp_detect(const void *data, size_t len)
{
    const unsigned char *d = data;
    if (has_magic(d, len, "\x1f\x8b", 2))
        return MD_DECOMP_GZIP;
    if (has_magic(d, len, "\xfd" "7zXZ\0", 6))
        return MD_DECOMP_XZ;
    if (has_magic(d, len, "\x28\xb5\x2f\xfd", 4))
        return MD_DECOMP_ZSTD;
    return MD_DECOMP_NONE;
}

const char *md_decomp_name(md_decomp_codec c)
{
    return (unsigned)c < sizeof codec_names / sizeof *codec_names ? codec_names[c] : "?";
}

/* The output: grows by doubling up to `limit` bytes, plus one for the NUL. */
typedef struct outbuf {
    unsigned char *p;
    size_t len, cap, limit;
    bool discard; /* only the end of the stream is wanted: the buffer is reused */
    uint64_t out, max; /* discard: bytes given out, and the most allowed (0: no cap) */
    size_t used;  /* input bytes of the stream, once a head read reached its end */
} outbuf;

/* Room for the next write (at least one byte unless len == limit). */
static size_t room(outbuf *o)
{
    if (o->discard && o->len == o->cap) {
        o->out += o->len;
        o->len = 0;
    }
    if (o->len == o->cap && o->cap < o->limit) {
        size_t c = o->cap > o->limit / 2 ? o->limit : o->cap * 2;
        o->p = md_xrealloc(o->p, c + 1);
        o->cap = c;
    }
    return o->cap - o->len;
}

/* Whether a codec loop goes on: room left, and a discarding read under its cap. */
static bool more(const outbuf *o)
{
    return o->len < o->limit && !(o->discard && o->max && o->out > o->max);
}

static int truncated(const char *name, md_decomp_codec c, md_err *err)
{
    return md_err_set(err, "%s: truncated %s data", name, md_decomp_name(c));
}

/* Each codec fills `o` until its stream ends (every concatenated stream
 * unless `head`) or o->len reaches o->limit. */

static int gunzip(const char *name, const unsigned char *in, size_t len, bool head, outbuf *o,
                  md_err *err)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) /* 16: the gzip wrapper, CRC-32 checked */
        return md_err_set(err, "%s: zlib: out of memory", name);
    size_t fed = 0;
    int rc = 0;
    while (rc == 0 && more(o)) {
        size_t r = room(o);
        if (z.avail_in == 0) {
            size_t n = len - fed < UINT_MAX ? len - fed : UINT_MAX;
            z.next_in = (unsigned char *)in + fed;
            z.avail_in = (uInt)n;
            fed += n;
        }
        z.next_out = o->p + o->len;
        z.avail_out = r < UINT_MAX ? (uInt)r : UINT_MAX;
        uInt before = z.avail_out;
        int zr = inflate(&z, Z_NO_FLUSH);
        o->len += before - z.avail_out;
        if (zr == Z_STREAM_END) {
            size_t rest = len - fed + z.avail_in;
            o->used = len - rest;
            if (head || rest == 0)
                break;
            /* gzip(1) reads concatenated members as one file. */
            if (md_decomp_detect(in + len - rest, rest) != MD_DECOMP_GZIP)
                rc = md_err_set(err, "%s: data after the end of the gzip stream (at byte %zu)",
                                name, len - rest);
            else
                inflateReset(&z);
        } else if (zr == Z_BUF_ERROR) { /* no progress, with room to write: input ended */
            rc = truncated(name, MD_DECOMP_GZIP, err);
        } else if (zr != Z_OK) {
            rc = md_err_set(err, "%s: corrupt gzip data: %s", name, z.msg ? z.msg : zError(zr));
        }
    }
    inflateEnd(&z);
    return rc;
}

static const char *lzma_msg(lzma_ret r)
{
    switch (r) {
    case LZMA_MEM_ERROR: return "out of memory";
    case LZMA_FORMAT_ERROR: return "not in the xz format";
    case LZMA_OPTIONS_ERROR: return "unsupported options";
    case LZMA_DATA_ERROR: return "corrupt data or a failed integrity check";
    default: return "liblzma error";
    }
}

static int unxz(const char *name, const unsigned char *in, size_t len, bool head, outbuf *o,
                md_err *err)
{
    lzma_stream s = LZMA_STREAM_INIT;
    /* No memory limit of liblzma's own: the output cap bounds the work.
     * Concatenated streams are followed here rather than with
     * LZMA_CONCATENATED, which calls data after the last stream truncated. */
    lzma_ret lr = lzma_stream_decoder(&s, UINT64_MAX, 0);
    s.next_in = in;
    s.avail_in = len;
    int rc = 0;
    while (rc == 0 && lr == LZMA_OK && more(o)) {
        size_t r = room(o);
        s.next_out = o->p + o->len;
        s.avail_out = r;
        lr = lzma_code(&s, LZMA_FINISH);
        o->len += r - s.avail_out;
        if (lr == LZMA_STREAM_END) {
            while (s.avail_in && !*s.next_in) /* stream padding (xz format 2.2) */
                s.next_in++, s.avail_in--;
            o->used = len - s.avail_in;
            if (head || s.avail_in == 0)
                break;
            if (md_decomp_detect(s.next_in, s.avail_in) != MD_DECOMP_XZ)
                rc = md_err_set(err, "%s: data after the end of the xz stream (at byte %zu)",
                                name, len - s.avail_in);
            else
                lr = lzma_stream_decoder(&s, UINT64_MAX, 0);
        } else if (lr == LZMA_BUF_ERROR) {
            rc = truncated(name, MD_DECOMP_XZ, err);
        }
    }
    if (rc == 0 && lr != LZMA_OK && lr != LZMA_STREAM_END)
        rc = md_err_set(err, "%s: corrupt xz data: %s", name, lzma_msg(lr));
    lzma_end(&s);
    return rc;
}

/* A zstd frame or a skippable frame (magic 0x184D2A50..5F, RFC 8878 3.1.2). */
static bool zstd_frame_follows(const void *src, size_t pos, size_t size)
{
    const unsigned char *p = (const unsigned char *)src + pos;
    size_t n = size - pos;
    return md_decomp_detect(p, n) == MD_DECOMP_ZSTD ||
           (n >= 4 && (p[0] & 0xf0) == 0x50 && !memcmp(p + 1, "\x2a\x4d\x18", 3));
}

static int unzstd(const char *name, const unsigned char *in, size_t len, bool head, outbuf *o,
                  md_err *err)
{
    ZSTD_DCtx *d = ZSTD_createDCtx();
    if (!d)
        return md_err_set(err, "%s: zstd: out of memory", name);
    ZSTD_inBuffer ib = { in, len, 0 };
    int rc = 0;
    while (rc == 0 && more(o)) {
        size_t r = room(o);
        ZSTD_outBuffer ob = { o->p + o->len, r, 0 };
        size_t zr = ZSTD_decompressStream(d, &ob, &ib);
        o->len += ob.pos;
        if (ZSTD_isError(zr))
            rc = md_err_set(err, "%s: corrupt zstd data: %s", name, ZSTD_getErrorName(zr));
        else if (zr == 0 && (head || ib.pos == ib.size)) /* a frame ended and was flushed */
            o->used = ib.pos;
        else if (zr == 0 && !zstd_frame_follows(ib.src, ib.pos, ib.size))
            rc = md_err_set(err, "%s: data after the end of the zstd stream (at byte %zu)", name,
                            ib.pos);
        if (rc == 0 && zr == 0 && (head || ib.pos == ib.size))
            break;
        else if (zr != 0 && ib.pos == ib.size && ob.pos < ob.size) /* it wants more input */
            rc = truncated(name, MD_DECOMP_ZSTD, err);
    }
    ZSTD_freeDCtx(d);
    return rc;
}

static int decomp(const char *name, const void *data, size_t len, size_t max, bool head,
                  unsigned char **out, size_t *outlen, md_err *err)
{
    *out = NULL;
    *outlen = 0;
    if (max == SIZE_MAX)
        max--;
    /* One byte past max shows that a whole stream is longer than allowed. */
    outbuf o = { .limit = head ? max : max + 1 };
    size_t guess = len < (SIZE_MAX - 65536) / 4 ? len * 4 + 65536 : SIZE_MAX;
    o.cap = guess < o.limit ? guess : o.limit;
    o.p = md_xmalloc(o.cap + 1);
    md_decomp_codec c = md_decomp_detect(data, len);
    int rc = 0;
    switch (c) {
    case MD_DECOMP_NONE:
        o.len = len < o.limit ? len : o.limit;
        memcpy(o.p, data, o.len);
        break;
    case MD_DECOMP_GZIP: rc = gunzip(name, data, len, head, &o, err); break;
    case MD_DECOMP_XZ: rc = unxz(name, data, len, head, &o, err); break;
    case MD_DECOMP_ZSTD: rc = unzstd(name, data, len, head, &o, err); break;
    }
    if (rc == 0 && o.len > max)
        rc = md_err_set(err, "%s: %s more than %zu bytes, the limit for this file", name,
                        c == MD_DECOMP_NONE ? "holds" : "decompresses to", max);
    if (rc < 0) {
        free(o.p);
        return -1;
    }
    o.p[o.len] = '\0';
    *out = o.p;
    *outlen = o.len;
    return 0;
}

int md_decomp_buf(const char *name, const void *data, size_t len, size_t max,
                  unsigned char **out, size_t *outlen, md_err *err)
{
    return decomp(name, data, len, max, false, out, outlen, err);
}

int md_decomp_head(const char *name, const void *data, size_t len, size_t max,
                   unsigned char **out, size_t *outlen, md_err *err)
{
    return decomp(name, data, len, max, true, out, outlen, err);
}

int md_decomp_stream_len(const char *name, const void *data, size_t len, uint64_t max,
                         size_t *used, md_err *err)
{
    uint64_t out;
    return md_decomp_stream_size(name, data, len, max, used, &out, err);
}

int md_decomp_stream_size(const char *name, const void *data, size_t len, uint64_t max,
                          size_t *used, uint64_t *out_bytes, md_err *err)
{
    md_decomp_codec c = md_decomp_detect(data, len);
    outbuf o = { .limit = SIZE_MAX - 1, .cap = 1 << 16, .discard = true, .max = max };
    o.p = md_xmalloc(o.cap + 1);
    int rc = 0;
    switch (c) {
    case MD_DECOMP_NONE:
        rc = md_err_set(err, "%s: no gzip, xz or zstd stream", name);
        break;
    case MD_DECOMP_GZIP: rc = gunzip(name, data, len, true, &o, err); break;
    case MD_DECOMP_XZ: rc = unxz(name, data, len, true, &o, err); break;
    case MD_DECOMP_ZSTD: rc = unzstd(name, data, len, true, &o, err); break;
    }
    free(o.p);
    if (rc == 0 && !o.used && o.max && o.out > o.max)
        rc = md_err_set(err, "%s: %s stream decompresses to more than %llu bytes, the limit "
                             "for it", name, md_decomp_name(c), (unsigned long long)o.max);
    if (rc == 0 && !o.used) /* cannot happen: each loop ends at the stream's end or an error */
        rc = truncated(name, c, err);
    *used = o.used;
    *out_bytes = o.out + o.len; /* what room() has counted, and the rest in the buffer */
    return rc;
}

int md_decomp_file(const char *path, size_t max, unsigned char **out, size_t *outlen,
                   md_err *err)
{
    unsigned char *d;
    size_t n;
    *out = NULL;
    *outlen = 0;
    if (md_read_file(path, &d, &n, err) < 0)
        return -1;
    int rc = md_decomp_buf(path, d, n, max, out, outlen, err);
    free(d);
    return rc;
}
