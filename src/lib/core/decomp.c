/* decomp — gzip, xz and zstd through their own libraries, one streaming
 * decoder that every reader goes through (whole buffers are the same
 * decoder over one block of memory).
 *
 * Why zlib, liblzma and libzstd rather than libarchive's raw reader (which
 * links the same three): libarchive 3.6's gzip filter does not check the
 * gzip trailer — a member whose CRC-32 is wrong decompresses without error
 * — while zlib's gzip wrapper checks CRC-32 and length, liblzma the xz
 * check and libzstd the frame checksum.  Asking the libraries directly also
 * keeps the output cap exact, tells where each stream ends (a stream
 * embedded in a larger file, an initramfs's next segment) and cannot fall
 * back to running an external program as libarchive's filters may.  Other
 * codecs (bzip2, lz4, lzma, for archives only: MD_DECOMP_OTHERS) come from
 * libarchive's filters inside this module, so that no reader of archives
 * enables a filter itself.
 */
#include "core/decomp.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

/* ---- the reader ---- */

enum { BEFORE, IN_STREAM, ENDED };

struct md_decomp_reader {
    char *name;
    unsigned flags;
    md_decomp_pull_fn pull;
    void *ctx;
    const unsigned char *in; /* the current block of input */
    size_t len, pos;
    unsigned char *own;      /* a block of ours: two joined to see a magic whole */
    uint64_t pulled;         /* input bytes handed to us */
    bool eof;
    int state;
    md_decomp_codec codec;   /* of the first stream; NONE: plain, or `other` */
    z_stream z;
    lzma_stream x;
    ZSTD_DCtx *d;
    struct archive *other;   /* libarchive's filters (MD_DECOMP_OTHERS) */
    md_err other_err;        /* a pull's error while `other` reads */
    uint64_t out;            /* bytes given out */
    uint64_t (*ends)[2];     /* per stream ended: input and output offsets of its end */
    size_t nends, cap_ends;
    /* md_decomp_reader_file: the file and its block */
    int fd;
    unsigned char *fbuf;
};

/* Input consumed so far (a byte offset in the input). */
static uint64_t consumed(const md_decomp_reader *r)
{
    return r->pulled - (r->len - r->pos);
}

static int take_block(md_decomp_reader *r, md_err *err)
{
    const void *b;
    size_t n;
    if (r->pull(r->ctx, &b, &n, err) < 0)
        return -1;
    r->pulled += n;
    if (!n) {
        r->eof = true;
        return 0;
    }
    if (r->pos < r->len) { /* join what is left to the new block */
        size_t rest = r->len - r->pos;
        unsigned char *j = md_xmalloc(rest + n);
        memcpy(j, r->in + r->pos, rest);
        memcpy(j + rest, b, n);
        free(r->own);
        r->own = j;
        r->in = j;
        r->len = rest + n;
    } else {
        free(r->own);
        r->own = NULL;
        r->in = b;
        r->len = n;
    }
    r->pos = 0;
    return 1;
}

/* At least `need` bytes at r->in + r->pos unless the input ends first; the
 * bytes there, or -1. */
static ssize_t peek(md_decomp_reader *r, size_t need, md_err *err)
{
    while (r->len - r->pos < need && !r->eof)
        if (take_block(r, err) < 0)
            return -1;
    return (ssize_t)(r->len - r->pos);
}

md_decomp_reader *md_decomp_reader_new(const char *name, md_decomp_pull_fn pull, void *ctx,
                                       unsigned flags)
{
    md_decomp_reader *r = md_xcalloc(1, sizeof *r);
    r->name = md_xstrdup(name);
    r->pull = pull;
    r->ctx = ctx;
    r->flags = flags;
    r->in = (const unsigned char *)""; /* never NULL: r->in + r->pos is always defined */
    r->fd = -1;
    lzma_stream init = LZMA_STREAM_INIT;
    r->x = init;
    return r;
}

struct mem_src {
    const void *data;
    size_t len;
    bool given;
};

static int mem_pull(void *ctx, const void **buf, size_t *len, md_err *err)
{
    (void)err;
    struct mem_src *m = ctx;
    *buf = m->data;
    *len = m->given ? 0 : m->len;
    m->given = true;
    return 0;
}

md_decomp_reader *md_decomp_reader_mem(const char *name, const void *data, size_t len,
                                       unsigned flags)
{
    struct mem_src *m = md_xmalloc(sizeof *m);
    *m = (struct mem_src){ data, len, false };
    md_decomp_reader *r = md_decomp_reader_new(name, mem_pull, m, flags);
    r->fbuf = (unsigned char *)m; /* freed with the reader */
    return r;
}

#define FILE_BLOCK (1u << 20)

static int file_pull(void *ctx, const void **buf, size_t *len, md_err *err)
{
    md_decomp_reader *r = ctx;
    ssize_t n;
    do
        n = read(r->fd, r->fbuf, FILE_BLOCK);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return md_err_errno(err, "%s: read", r->name);
    *buf = r->fbuf;
    *len = (size_t)n;
    return 0;
}

md_decomp_reader *md_decomp_reader_file(const char *path, unsigned flags, md_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        md_err_errno(err, "%s: cannot open", path);
        return NULL;
    }
    md_decomp_reader *r = md_decomp_reader_new(path, file_pull, NULL, flags);
    r->ctx = r;
    r->fd = fd;
    r->fbuf = md_xmalloc(FILE_BLOCK);
    return r;
}

void md_decomp_reader_free(md_decomp_reader *r)
{
    if (!r)
        return;
    inflateEnd(&r->z);
    lzma_end(&r->x);
    ZSTD_freeDCtx(r->d);
    if (r->other)
        archive_read_free(r->other);
    if (r->fd >= 0)
        close(r->fd);
    free(r->fbuf);
    free(r->own);
    free(r->ends);
    free(r->name);
    free(r);
}

static int truncated(const md_decomp_reader *r, md_err *err)
{
    return md_err_set(err, "%s: truncated %s data", r->name, md_decomp_name(r->codec));
}

/* libarchive's filters read the rest of the input through this. */
static la_ssize_t other_read(struct archive *a, void *ctx, const void **buf)
{
    (void)a;
    md_decomp_reader *r = ctx;
    if (r->pos == r->len && !r->eof && take_block(r, &r->other_err) < 0)
        return -1;
    *buf = r->in + r->pos;
    size_t n = r->len - r->pos;
    r->pos = r->len;
    return (la_ssize_t)n;
}

static int open_other(md_decomp_reader *r, md_err *err)
{
    struct archive_entry *e;
    r->other = archive_read_new();
    archive_read_support_filter_all(r->other);
    archive_read_support_format_raw(r->other);
    if (archive_read_open(r->other, r, NULL, other_read, NULL) != ARCHIVE_OK ||
        archive_read_next_header(r->other, &e) != ARCHIVE_OK)
        return r->other_err.set ? md_err_set(err, "%s", r->other_err.msg)
                                : md_err_set(err, "%s: %s", r->name,
                                             archive_error_string(r->other)
                                                 ? archive_error_string(r->other)
                                                 : "no data");
    return 0;
}

/* The codecs besides ours that dpkg or the kernel read, or that were ever
 * used for them: bzip2, lz4 (frame and the kernel's legacy format), lzma
 * ("alone"), compress, lzip, lzop.  Plain data (a tar, a cpio) never goes
 * to libarchive's filters, whose bidders read far ahead. */
static bool other_codec(const unsigned char *p, size_t n)
{
    static const struct { const char *m; size_t n; } magics[] = {
        { "BZh", 3 }, { "\x04\x22\x4d\x18", 4 }, { "\x02\x21\x4c\x18", 4 },
        { "\x5d\x00\x00", 3 }, { "\x1f\x9d", 2 }, { "LZIP", 4 }, { "\x89LZO", 4 },
    };
    for (size_t i = 0; i < sizeof magics / sizeof *magics; i++)
        if (has_magic(p, n, magics[i].m, magics[i].n))
            return true;
    return false;
}

static bool same_codec_follows(const md_decomp_reader *r, size_t avail)
{
    const unsigned char *p = r->in + r->pos;
    if (md_decomp_detect(p, avail) == r->codec)
        return true;
    /* zstd's skippable frames (magic 0x184D2A50..5F, RFC 8878 3.1.2) */
    return r->codec == MD_DECOMP_ZSTD && avail >= 4 && (p[0] & 0xf0) == 0x50 &&
           !memcmp(p + 1, "\x2a\x4d\x18", 3);
}

/* Between streams: the first one's codec, or the next one of the same
 * codec, or the end.  Returns -1, or 0 with r->state set. */
static int next_stream(md_decomp_reader *r, md_err *err)
{
    ssize_t avail = peek(r, 6, err);
    if (avail < 0)
        return -1;
    if (r->nends == 0) {
        r->codec = md_decomp_detect(r->in + r->pos, (size_t)avail);
        if (r->codec == MD_DECOMP_NONE && (r->flags & MD_DECOMP_OTHERS) &&
            other_codec(r->in + r->pos, (size_t)avail) && open_other(r, err) < 0)
            return -1;
    } else if ((r->flags & MD_DECOMP_ONE) || avail == 0) {
        r->state = ENDED;
        return 0;
    } else if (!same_codec_follows(r, (size_t)avail)) {
        if (r->flags & MD_DECOMP_STRICT)
            return md_err_set(err, "%s: data after the end of the %s stream (at byte %llu)",
                              r->name, md_decomp_name(r->codec),
                              (unsigned long long)consumed(r));
        r->state = ENDED;
        return 0;
    }
    int ok = 1;
    switch (r->codec) {
    case MD_DECOMP_NONE:
        break;
    case MD_DECOMP_GZIP: /* 16: the gzip wrapper, CRC-32 checked */
        ok = r->nends ? inflateReset(&r->z) == Z_OK : inflateInit2(&r->z, 16 + MAX_WBITS) == Z_OK;
        break;
    case MD_DECOMP_XZ:
        /* No memory limit of liblzma's own: the output cap bounds the work.
         * Concatenated streams are followed here rather than with
         * LZMA_CONCATENATED, which calls data after the last stream truncated. */
        ok = lzma_stream_decoder(&r->x, UINT64_MAX, 0) == LZMA_OK;
        break;
    case MD_DECOMP_ZSTD:
        if (!r->d)
            r->d = ZSTD_createDCtx();
        ok = r->d != NULL;
        break;
    }
    if (!ok)
        return md_err_set(err, "%s: %s: out of memory", r->name, md_decomp_name(r->codec));
    r->state = IN_STREAM;
    return 0;
}

static void stream_ended(md_decomp_reader *r, md_err *err)
{
    if (r->codec == MD_DECOMP_XZ) /* stream padding (xz format 2.2) */
        while (peek(r, 1, err) > 0 && r->in[r->pos] == 0)
            r->pos++;
    r->ends = md_xgrow(r->ends, &r->cap_ends, r->nends + 1, sizeof *r->ends);
    r->ends[r->nends][0] = consumed(r);
    r->ends[r->nends][1] = r->out;
    r->nends++;
    r->state = BEFORE;
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

/* One call of the codec on what input there is; *end: the stream ended.
 * Returns the bytes made (0 is no progress), or -1. */
static ssize_t code(md_decomp_reader *r, unsigned char *buf, size_t n, bool *end, md_err *err)
{
    size_t rest = r->len - r->pos, made = 0, used = 0;
    *end = false;
    if (r->codec == MD_DECOMP_GZIP) {
        r->z.next_in = (unsigned char *)r->in + r->pos;
        r->z.avail_in = rest < UINT_MAX ? (uInt)rest : UINT_MAX;
        r->z.next_out = buf;
        r->z.avail_out = n < UINT_MAX ? (uInt)n : UINT_MAX;
        uInt in0 = r->z.avail_in, out0 = r->z.avail_out;
        int zr = inflate(&r->z, Z_NO_FLUSH);
        used = in0 - r->z.avail_in;
        made = out0 - r->z.avail_out;
        *end = zr == Z_STREAM_END;
        if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
            return md_err_set(err, "%s: corrupt gzip data: %s", r->name,
                              r->z.msg ? r->z.msg : zError(zr));
    } else if (r->codec == MD_DECOMP_XZ) {
        r->x.next_in = r->in + r->pos;
        r->x.avail_in = rest;
        r->x.next_out = buf;
        r->x.avail_out = n;
        lzma_ret lr = lzma_code(&r->x, r->eof ? LZMA_FINISH : LZMA_RUN);
        used = rest - r->x.avail_in;
        made = n - r->x.avail_out;
        *end = lr == LZMA_STREAM_END;
        if (lr != LZMA_OK && lr != LZMA_STREAM_END && lr != LZMA_BUF_ERROR)
            return md_err_set(err, "%s: corrupt xz data: %s", r->name, lzma_msg(lr));
    } else {
        ZSTD_inBuffer ib = { r->in + r->pos, rest, 0 };
        ZSTD_outBuffer ob = { buf, n, 0 };
        size_t zr = ZSTD_decompressStream(r->d, &ob, &ib);
        if (ZSTD_isError(zr))
            return md_err_set(err, "%s: corrupt zstd data: %s", r->name, ZSTD_getErrorName(zr));
        used = ib.pos;
        made = ob.pos;
        *end = zr == 0; /* a frame ended and was flushed */
    }
    r->pos += used;
    /* no progress: the input ended inside the stream (or more of it is
     * there and the codec cannot go on: cut short all the same) */
    if (!made && !*end && !used && (r->eof || r->pos < r->len))
        return truncated(r, err);
    return (ssize_t)made;
}

ssize_t md_decomp_reader_read(md_decomp_reader *r, void *buf, size_t n, md_err *err)
{
    while (n) {
        if (r->state == ENDED)
            return 0;
        if (r->state == BEFORE && next_stream(r, err) < 0)
            return -1;
        if (r->state == ENDED)
            return 0;
        if (r->other) {
            la_ssize_t k = archive_read_data(r->other, buf, n);
            if (k < 0)
                return r->other_err.set ? md_err_set(err, "%s", r->other_err.msg)
                                        : md_err_set(err, "%s: %s", r->name,
                                                     archive_error_string(r->other));
            if (k == 0)
                r->state = ENDED;
            r->out += (uint64_t)k;
            return k;
        }
        if (r->pos == r->len && !r->eof && take_block(r, err) < 0)
            return -1;
        if (r->codec == MD_DECOMP_NONE) { /* plain: as it is */
            size_t k = r->len - r->pos < n ? r->len - r->pos : n;
            if (!k) {
                r->state = ENDED;
                return 0;
            }
            memcpy(buf, r->in + r->pos, k);
            r->pos += k;
            r->out += k;
            return (ssize_t)k;
        }
        bool end;
        ssize_t k = code(r, buf, n, &end, err);
        if (k < 0)
            return -1;
        r->out += (uint64_t)k;
        if (end)
            stream_ended(r, err);
        if (k > 0)
            return k;
    }
    return 0;
}

md_decomp_codec md_decomp_reader_codec(const md_decomp_reader *r) { return r->codec; }

const char *md_decomp_reader_codec_name(const md_decomp_reader *r)
{
    return r->other ? archive_filter_name(r->other, 0) : md_decomp_name(r->codec);
}

bool md_decomp_reader_compressed(const md_decomp_reader *r)
{
    return r->codec != MD_DECOMP_NONE || (r->other && archive_filter_count(r->other) > 1);
}

uint64_t md_decomp_reader_in(const md_decomp_reader *r) { return r->pulled; }

int md_decomp_reader_stream_end(md_decomp_reader *r, uint64_t out, uint64_t max, size_t *end,
                                md_err *err)
{
    unsigned char scratch[1 << 16];
    for (size_t i = 0;;) {
        for (; i < r->nends; i++)
            if (r->ends[i][1] >= out) {
                *end = (size_t)r->ends[i][0];
                return 0;
            }
        if (r->state == ENDED || r->other || (r->codec == MD_DECOMP_NONE && r->state == IN_STREAM)) {
            *end = (size_t)consumed(r);
            return 0;
        }
        /* read on, output unkept, to the end of the stream that holds `out` */
        if (md_decomp_reader_read(r, scratch, sizeof scratch, err) < 0)
            return -1;
        if (max && r->out > max && r->state == IN_STREAM)
            return md_err_set(err, "%s: %s stream decompresses to more than %llu bytes, the "
                                   "limit for it", r->name, md_decomp_name(r->codec),
                              (unsigned long long)max);
    }
}

/* ---- whole buffers ---- */

static int decomp(const char *name, const void *data, size_t len, size_t max, bool head,
                  unsigned char **out, size_t *outlen, md_err *err)
{
    *out = NULL;
    *outlen = 0;
    if (max == SIZE_MAX)
        max--;
    /* One byte past max shows that a whole stream is longer than allowed. */
    size_t limit = head ? max : max + 1, got = 0, cap = 0;
    unsigned char *p = NULL;
    md_decomp_reader *r = md_decomp_reader_mem(name, data, len,
                                               head ? MD_DECOMP_ONE : MD_DECOMP_STRICT);
    int rc = 0;
    for (;;) {
        size_t want = got < limit ? limit - got : 0;
        if (!want)
            break;
        size_t step = want < (1u << 20) ? want : (1u << 20);
        p = md_xgrow(p, &cap, got + step + 1, 1);
        ssize_t k = md_decomp_reader_read(r, p + got, step, err);
        if (k < 0) {
            rc = -1;
            break;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    md_decomp_codec c = md_decomp_reader_codec(r);
    md_decomp_reader_free(r);
    if (rc == 0 && got > max)
        rc = md_err_set(err, "%s: %s more than %zu bytes, the limit for this file", name,
                        c == MD_DECOMP_NONE ? "holds" : "decompresses to", max);
    if (rc < 0) {
        free(p);
        return -1;
    }
    if (!p)
        p = md_xmalloc(1);
    p[got] = '\0';
    *out = p;
    *outlen = got;
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
                         size_t *used, uint64_t *out_bytes, md_err *err)
{
    *used = 0;
    if (out_bytes)
        *out_bytes = 0;
    md_decomp_codec c = md_decomp_detect(data, len);
    if (c == MD_DECOMP_NONE)
        return md_err_set(err, "%s: no gzip, xz or zstd stream", name);
    md_decomp_reader *r = md_decomp_reader_mem(name, data, len, MD_DECOMP_ONE);
    int rc = md_decomp_reader_stream_end(r, 1, max, used, err);
    if (rc == 0 && r->nends == 0) /* cannot happen: the stream ends or is an error */
        rc = truncated(r, err);
    if (rc == 0 && out_bytes)
        *out_bytes = r->ends[0][1];
    md_decomp_reader_free(r);
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
