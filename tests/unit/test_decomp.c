#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "core/decomp.h"
#include "core/file.h"
#include "core/mem.h"
#include "t.h"

/* Compressed test data made with each codec's own encoder. */
static unsigned char *enc(md_decomp_codec c, const unsigned char *d, size_t n, size_t *out)
{
    size_t cap = n + n / 2 + 4096;
    unsigned char *b = md_xmalloc(cap);
    *out = 0;
    if (c == MD_DECOMP_GZIP) {
        z_stream z = { 0 };
        deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
        z.next_in = (unsigned char *)d;
        z.avail_in = (uInt)n;
        z.next_out = b;
        z.avail_out = (uInt)cap;
        CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
        *out = z.total_out;
        deflateEnd(&z);
    } else if (c == MD_DECOMP_XZ) {
        CHECK(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, d, n, b, out, cap) == LZMA_OK);
    } else if (c == MD_DECOMP_ZSTD) {
        ZSTD_CCtx *z = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 1);
        *out = ZSTD_compress2(z, b, cap, d, n);
        CHECK(!ZSTD_isError(*out));
        ZSTD_freeCCtx(z);
    }
    return b;
}

static unsigned char *sample(size_t n)
{
    unsigned char *d = md_xmalloc(n);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        /* text with some noise: compressible, but not to nothing */
        d[i] = (unsigned char)("Package: xen\n"[i % 13] ^ ((x >> 16) & 3));
    }
    return d;
}

static unsigned char *cat2(const unsigned char *a, size_t an, const void *b, size_t bn, size_t *n)
{
    unsigned char *r = md_xmalloc(an + bn);
    memcpy(r, a, an);
    memcpy(r + an, b, bn);
    *n = an + bn;
    return r;
}

static const md_decomp_codec codecs[] = { MD_DECOMP_GZIP, MD_DECOMP_XZ, MD_DECOMP_ZSTD };

static void test_detect(void)
{
    CHECK(md_decomp_detect("\x1f\x8b\x08", 3) == MD_DECOMP_GZIP);
    CHECK(md_decomp_detect("\xfd" "7zXZ\0\0", 7) == MD_DECOMP_XZ);
    CHECK(md_decomp_detect("\x28\xb5\x2f\xfd\0", 5) == MD_DECOMP_ZSTD);
    CHECK(md_decomp_detect("\xfd" "7zX", 4) == MD_DECOMP_NONE); /* too short for the magic */
    CHECK(md_decomp_detect("\x7f" "ELF", 4) == MD_DECOMP_NONE);
    CHECK(md_decomp_detect("", 0) == MD_DECOMP_NONE);
    CHECK_STR(md_decomp_name(MD_DECOMP_ZSTD), "zstd");
}

static void test_codecs(void)
{
    size_t n = 300000;
    unsigned char *d = sample(n);
    for (size_t i = 0; i < 3; i++) {
        md_decomp_codec c = codecs[i];
        const char *cn = md_decomp_name(c);
        size_t zn;
        unsigned char *z = enc(c, d, n, &zn);
        CHECK(md_decomp_detect(z, zn) == c);
        md_err err = MD_ERR_INIT;
        unsigned char *out;
        size_t on;
        /* whole, NUL-terminated */
        CHECK(md_decomp_buf(cn, z, zn, n, &out, &on, &err) == 0);
        CHECK(on == n && memcmp(out, d, n) == 0 && out[on] == '\0');
        free(out);
        /* two streams one after the other read as one */
        size_t z2n;
        unsigned char *z2 = cat2(z, zn, z, zn, &z2n);
        CHECK(md_decomp_buf(cn, z2, z2n, 2 * n, &out, &on, &err) == 0);
        CHECK(on == 2 * n && memcmp(out, d, n) == 0 && memcmp(out + n, d, n) == 0);
        free(out);
        /* the limit: exactly n is fine, n - 1 is an error naming file and limit */
        md_err e1 = MD_ERR_INIT;
        CHECK(md_decomp_buf("big.file", z, zn, n - 1, &out, &on, &e1) < 0);
        CHECK(out == NULL);
        CHECK_ERR(&e1, "big.file");
        CHECK_ERR(&e1, "more than 299999 bytes");
        md_err e1b = MD_ERR_INIT;
        CHECK(md_decomp_buf("twice", z2, z2n, 2 * n - 1, &out, &on, &e1b) < 0);
        CHECK_ERR(&e1b, "599999");
        free(z2);
        /* truncated: in the middle, and only the last byte of the trailer */
        size_t cuts[] = { zn / 2, zn - 1, 8 };
        for (size_t k = 0; k < 3; k++) {
            md_err e2 = MD_ERR_INIT;
            CHECK(md_decomp_buf("cut.file", z, cuts[k], n, &out, &on, &e2) < 0);
            CHECK_ERR(&e2, "cut.file");
            CHECK_ERR(&e2, cn);
        }
        /* anything after the last stream */
        unsigned char *zg = cat2(z, zn, "garbage!", 8, &z2n);
        md_err e3 = MD_ERR_INIT;
        CHECK(md_decomp_buf("tail.file", zg, z2n, n, &out, &on, &e3) < 0);
        CHECK_ERR(&e3, "tail.file: data after the end of the");
        char at[64];
        snprintf(at, sizeof at, "stream (at byte %zu)", zn); /* where the junk starts */
        CHECK_ERR(&e3, at);
        /* the stream's own length, whatever follows (issue 9: an initramfs
         * reader goes on after it, as the kernel does) */
        size_t used = 0;
        CHECK(md_decomp_stream_len("len", zg, z2n, 0, &used, NULL, &err) == 0 && used == zn);
        unsigned char *zz = cat2(z, zn, z, zn, &z2n);
        CHECK(md_decomp_stream_len("len", zz, z2n, 0, &used, NULL, &err) == 0 && used == zn);
        /* and what it decompresses to: the one stream, not what follows */
        uint64_t outn = 0;
        CHECK(md_decomp_stream_len("len", zz, z2n, 0, &used, &outn, &err) == 0 && used == zn &&
              outn == n);
        md_err e5 = MD_ERR_INIT;
        CHECK(md_decomp_stream_len("cut", zz, zn - 1, 0, &used, NULL, &e5) < 0);
        CHECK_ERR(&e5, "cut: truncated");
        md_err e6 = MD_ERR_INIT;
        CHECK(md_decomp_stream_len("plain", "garbage!", 8, 0, &used, NULL, &e6) < 0);
        CHECK_ERR(&e6, "plain: no gzip, xz or zstd stream");
        md_err e7 = MD_ERR_INIT; /* n bytes of output against a cap of n / 2 */
        CHECK(md_decomp_stream_len("capped", zz, z2n, n / 2, &used, NULL, &e7) < 0);
        CHECK_ERR(&e7, "capped: ");
        CHECK_ERR(&e7, "stream decompresses to more than");
        free(zz);
        /* ... is what md_decomp_head does not look at */
        CHECK(md_decomp_head("head", zg, z2n, 100, &out, &on, &err) == 0);
        CHECK(on == 100 && memcmp(out, d, 100) == 0);
        free(out);
        CHECK(md_decomp_head("head", zg, z2n, 2 * n, &out, &on, &err) == 0);
        CHECK(on == n && memcmp(out, d, n) == 0);
        free(out);
        free(zg);
        /* a flipped byte in the middle: the integrity checks catch it */
        z[zn / 2] ^= 0x55;
        md_err e4 = MD_ERR_INIT;
        CHECK(md_decomp_buf("flip.file", z, zn, n, &out, &on, &e4) < 0);
        CHECK_ERR(&e4, "flip.file");
        CHECK(!err.set);
        free(z);
    }
    free(d);
}

/* The gzip trailer's CRC-32 is checked (libarchive's gzip filter would not). */
static void test_gzip_crc(void)
{
    unsigned char *d = sample(1000);
    size_t zn;
    unsigned char *z = enc(MD_DECOMP_GZIP, d, 1000, &zn);
    z[zn - 8] ^= 1;
    md_err err = MD_ERR_INIT;
    unsigned char *out;
    size_t on;
    CHECK(md_decomp_buf("crc.gz", z, zn, 1000, &out, &on, &err) < 0);
    CHECK_ERR(&err, "crc.gz");
    CHECK_ERR(&err, "incorrect data check");
    free(z);
    free(d);
}

static void test_none_and_file(void)
{
    md_err err = MD_ERR_INIT;
    unsigned char *out;
    size_t on;
    CHECK(md_decomp_buf("plain", "Package: a\n", 11, 11, &out, &on, &err) == 0);
    CHECK(on == 11 && !strcmp((char *)out, "Package: a\n"));
    free(out);
    CHECK(md_decomp_buf("empty", "", 0, 0, &out, &on, &err) == 0);
    CHECK(on == 0 && out[0] == '\0');
    free(out);
    md_err e1 = MD_ERR_INIT;
    CHECK(md_decomp_buf("plain", "Package: a\n", 11, 10, &out, &on, &e1) < 0);
    CHECK_ERR(&e1, "plain: holds more than 10 bytes");

    char dir[] = "/tmp/test_decomp.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *p = md_xasprintf("%s/xen.gz", dir);
    unsigned char *d = sample(5000);
    size_t zn;
    unsigned char *z = enc(MD_DECOMP_GZIP, d, 5000, &zn);
    CHECK(md_write_atomic(p, z, zn, 0644, &err) == 0);
    CHECK(md_decomp_file(p, 5000, &out, &on, &err) == 0);
    CHECK(on == 5000 && memcmp(out, d, 5000) == 0);
    free(out);
    md_err e2 = MD_ERR_INIT;
    CHECK(md_decomp_file(p, 4096, &out, &on, &e2) < 0);
    CHECK_ERR(&e2, p);
    CHECK_ERR(&e2, "4096");
    unlink(p);
    md_err e3 = MD_ERR_INIT;
    CHECK(md_decomp_file(p, 4096, &out, &on, &e3) < 0);
    CHECK_ERR(&e3, p);
    CHECK(!err.set);
    rmdir(dir);
    free(p);
    free(z);
    free(d);
}

/* A source that hands its data over in blocks of 1 to 7 bytes, so that
 * magics and stream ends fall across blocks, as an ar member's may. */
struct drip {
    const unsigned char *d;
    size_t n, at, k;
};

static int drip_pull(void *ctx, const void **buf, size_t *len, md_err *err)
{
    (void)err;
    struct drip *s = ctx;
    size_t step = 1 + s->k++ % 7;
    *len = s->n - s->at < step ? s->n - s->at : step;
    *buf = s->d + s->at;
    s->at += *len;
    return 0;
}

static void test_reader(void)
{
    size_t n = 100000, zn, z2n;
    unsigned char *d = sample(n);
    for (size_t i = 0; i < sizeof codecs / sizeof *codecs; i++) {
        md_decomp_codec c = codecs[i];
        unsigned char *z = enc(c, d, n, &zn), *z2 = cat2(z, zn, z, zn, &z2n);
        /* both streams read on, in tiny blocks, and where the first ends */
        struct drip s = { z2, z2n, 0, 0 };
        md_err err = MD_ERR_INIT;
        md_decomp_reader *r = md_decomp_reader_new("drip", drip_pull, &s, 0);
        unsigned char *out = md_xmalloc(2 * n + 1);
        size_t got = 0;
        ssize_t k;
        while ((k = md_decomp_reader_read(r, out + got, 2 * n + 1 - got, &err)) > 0)
            got += (size_t)k;
        CHECK(k == 0 && got == 2 * n && !memcmp(out, d, n) && !memcmp(out + n, d, n));
        CHECK(md_decomp_reader_codec(r) == c && md_decomp_reader_compressed(r));
        CHECK_STR(md_decomp_reader_codec_name(r), md_decomp_name(c));
        CHECK(md_decomp_reader_in(r) == z2n);
        size_t end = 0;
        CHECK(md_decomp_reader_stream_end(r, n, 0, &end, &err) == 0 && end == zn);
        CHECK(md_decomp_reader_stream_end(r, n + 1, 0, &end, &err) == 0 && end == z2n);
        md_decomp_reader_free(r);
        /* the end of the stream that holds a byte, found by reading on */
        r = md_decomp_reader_mem("mem", z2, z2n, 0);
        CHECK(md_decomp_reader_read(r, out, 10, &err) == 10);
        CHECK(md_decomp_reader_stream_end(r, 10, 0, &end, &err) == 0 && end == zn);
        md_decomp_reader_free(r);
        /* without MD_DECOMP_STRICT, what is not the codec ends the output quietly
         * (an initramfs's next segment); with it, an error naming the byte */
        unsigned char *zt = cat2(z, zn, "070701", 6, &z2n);
        for (int strict = 0; strict < 2; strict++) {
            md_err e = MD_ERR_INIT;
            r = md_decomp_reader_mem("tail", zt, z2n, strict ? MD_DECOMP_STRICT : 0);
            got = 0;
            while ((k = md_decomp_reader_read(r, out + got, 2 * n + 1 - got, &e)) > 0)
                got += (size_t)k;
            CHECK(strict ? k < 0 : k == 0 && got == n);
            if (strict)
                CHECK_ERR(&e, "tail: data after the end of the");
            md_decomp_reader_free(r);
        }
        /* cut short in tiny blocks: truncated, named */
        struct drip cut = { z, zn - 3, 0, 0 };
        md_err e = MD_ERR_INIT;
        r = md_decomp_reader_new("cut", drip_pull, &cut, 0);
        while ((k = md_decomp_reader_read(r, out, n, &e)) > 0)
            ;
        CHECK(k < 0);
        CHECK_ERR(&e, "cut: ");
        md_decomp_reader_free(r);
        free(zt);
        free(out);
        free(z);
        free(z2);
    }
    /* plain input: as it is, uncompressed; with MD_DECOMP_OTHERS too */
    for (unsigned f = 0; f <= MD_DECOMP_OTHERS; f += MD_DECOMP_OTHERS) {
        md_err err = MD_ERR_INIT;
        md_decomp_reader *r = md_decomp_reader_mem("plain", "070701 plain", 12, f);
        char buf[32];
        CHECK(md_decomp_reader_read(r, buf, sizeof buf, &err) == 12 && !memcmp(buf, "070701 plain", 12));
        CHECK(!md_decomp_reader_compressed(r) && md_decomp_reader_codec(r) == MD_DECOMP_NONE);
        md_decomp_reader_free(r);
    }
    free(d);
}

int main(void)
{
    test_detect();
    test_reader();
    test_codecs();
    test_gzip_crc();
    test_none_and_file();
    return t_done("test_decomp");
}
