/* fuzz_apkkey.h — a trusted key for the Alpine targets (fuzz_apk,
 * fuzz_apksign), and signatures made with it, so that inputs get past the
 * signature check to the parsers behind it (a fuzzer never forges RSA).
 *
 * The key is a throwaway made for these tests (openssl genrsa 2048),
 * trusted by nothing but the key set made here.  tests/fuzz/make-apk-seeds
 * makes the seeds of corpus/apk and corpus/apksign with it.
 */
#ifndef FUZZ_APKKEY_H
#define FUZZ_APKKEY_H

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <zlib.h>
#include "fuzz.h"
#include "packages/apksign.h"

#define FZ_APK_KEYNAME "mkdom0-fuzz.rsa.pub"

static const char fz_apk_key_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCfuk1T9Qqi/35f\n"
    "UZKU8hk4L7pvlz0OeM7yzdJpBFbpSOb8TytYrduv4o/QVYfTf/KXUjK1cXxWam5h\n"
    "v0Dq+SwMbsKzjxYLvwNj+g759v9PbRGau9kmZn96WwffzAU4bGM8JDKa0DvMnh9J\n"
    "vxdcmvgT0nDfghyGhgX92xI+YrXs2JBxNtEnODJDvqw81IZTKVGanTIVyTBgwcQ3\n"
    "q8E7TbpuLeCPQESwwEpTmapzjCG1HTj3Uzrw6VtTYma43JRF/Wz4Ral0COwBuA8M\n"
    "HXEKDgjEHq/iErWOONLnGXFZv+CMlrrY5ZE24E98MAC99RXmqn8DWI49Pz4e/PyI\n"
    "XIkcDvZLAgMBAAECggEACFzBfqZ2E5mK6eRqtBSTgG8M2wAqgkIngR7u2woPBZcI\n"
    "MzTVeqBdJfF952gK7+Y9DHIRVV5NjNxBzvYR3Bts4T7zpfq7dz4qKC2BY9HShQiB\n"
    "r72rVtWhhLjhifRzxrcmxnfIrg7X125LcHN2/ove3NhoI2au8qLV2BGd/DLAmCRn\n"
    "7T9AzlU61aG1DxnK76GH8c+qppCST3GaOaK7zaRrWT3Sm4TazNFqCl8c+5d4g6Ln\n"
    "iPy9DIyEcVNWLbLFbkV/jmy9sh+djnuAISeMG8Y6ZXFpbq3MVvljKv6GLO2/Oq4M\n"
    "s+MxrTFp6r1EIaN5/U45S2O0uR8GFNHrnEgerAJx4QKBgQDf73fq4bgZhldRWYcj\n"
    "bQOjNWsdKjn9CFaJNS/qyDMtcPgPjWhPpOsscJG+g3T9CJQk0YoIngroEwj1YuZl\n"
    "YeOVs3CZwV04WRrnJkrMHMltTyU4xPmoRdwxHy4hoJwPU5cOcjnMTTXO/o1CT+L7\n"
    "4pdA6Idr7/Szgxyyi8Q9gkuRIQKBgQC2mT/3WeOZ5T5EYIEU/N5vt+bccbtZootp\n"
    "rxQWWU0jW1t6C1J0A8+IC5uza066fl1IpwXQ2hzNxFqVf1hTPRaMZt7L7krCp974\n"
    "Spo9mHYwWqS3PFAmtHUIxrYIk7pbW0ydQItvaKX2/CnUltpTy+gSghgl/kBmysMP\n"
    "tRehiUAd6wKBgQDVseOxlSzlzrlMvC6ls8Yg3T0WW9FykZ5i2Qqc9edAmelejgbY\n"
    "2fxCMDokn7XoMWONrxgWGRs3U9LcuEA8xykzFkWBtHCM8RsnMfd2yJG/aiOPBQlp\n"
    "dyElDygqluXWCmLAOmjFeXi7y1ZpzWpCDH1iR4PTkOzm0Vt1VsMyH0CVgQKBgFVY\n"
    "BVyvx8A7NEIzNMHBepmOw7lO8vjvDugDa4kSjgozferp9czBpzL38fsG8ZIa07DM\n"
    "V9yIxSOrXYc4MOkeyTYwMnvwUULvwTgdbj/RzZPGGeyGpROiDn1emuAhY92lK4bo\n"
    "DwOwTrnEnCx/oWW/DSXxZiYD0sf4hvkFdBkNFEmnAoGATv2vkwSR0XS4MdWBcAF8\n"
    "JdP7HlRwqgChy1A2Kug90sIev/YFUOtbWSzpNqoMymSyCK24tDJl65LXM5faXkwt\n"
    "YOQp+ARvQUO8CTr3fCxHLwfKrcz0qT0rFor7QqJvtpyay0nvjcMYmVXDaALmPLNU\n"
    "XCQ8ZOCwsJynmkagJlIl2ek=\n"
    "-----END PRIVATE KEY-----\n";

static inline EVP_PKEY *fz_apk_pkey(void)
{
    static EVP_PKEY *k;
    if (!k) {
        BIO *b = BIO_new_mem_buf(fz_apk_key_pem, -1);
        k = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
        BIO_free(b);
        if (!k)
            abort();
    }
    return k;
}

static char fz_apk_dir[] = "/tmp/mkdom0-fuzz-apkkeys.XXXXXX";
static char fz_apk_pub[sizeof fz_apk_dir + sizeof FZ_APK_KEYNAME];

static inline void fz_apk_cleanup(void)
{
    unlink(fz_apk_pub);
    rmdir(fz_apk_dir);
}

/* The key set that trusts the key above: its public half as
 * FZ_APK_KEYNAME in a directory of its own (apk-keys(5)), made once and
 * removed at exit. */
static inline const md_apksign_keys *fz_apk_keys(void)
{
    static md_apksign_keys *keys;
    if (keys)
        return keys;
    if (!mkdtemp(fz_apk_dir))
        abort();
    snprintf(fz_apk_pub, sizeof fz_apk_pub, "%s/%s", fz_apk_dir, FZ_APK_KEYNAME);
    atexit(fz_apk_cleanup);
    FILE *f = fopen(fz_apk_pub, "w");
    if (!f || PEM_write_PUBKEY(f, fz_apk_pkey()) != 1 || fclose(f) != 0)
        abort();
    md_err e = MD_ERR_INIT;
    if (!(keys = md_apksign_keys_load(fz_apk_dir, &e))) {
        fprintf(stderr, "fuzz: %s\n", e.msg);
        abort();
    }
    return keys;
}

static inline void fz_octal(unsigned char *f, size_t n, unsigned long v)
{
    snprintf((char *)f, n, "%0*lo", (int)n - 1, v);
}

/* A v2 signature member (apk-v2(5)): one gzip member holding the tar
 * entry ".SIGN.RSA256.<FZ_APK_KEYNAME>", the key's PKCS#1 v1.5 SHA-256
 * signature over `data`, with no end blocks (as abuild-tar --cut writes
 * it).  Returns its length; *out is malloc'd, the caller frees it. */
static inline size_t fz_apk_sig_member(const uint8_t *data, size_t size, unsigned char **out)
{
    unsigned char sig[1024];
    size_t siglen = sizeof sig;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c || EVP_DigestSignInit(c, NULL, EVP_sha256(), NULL, fz_apk_pkey()) != 1 ||
        EVP_DigestSign(c, sig, &siglen, data, size) != 1)
        abort();
    EVP_MD_CTX_free(c);
    unsigned char tar[512 + 1024] = { 0 };
    snprintf((char *)tar, 100, ".SIGN.RSA256.%s", FZ_APK_KEYNAME);
    fz_octal(tar + 100, 8, 0644);
    fz_octal(tar + 108, 8, 0);
    fz_octal(tar + 116, 8, 0);
    fz_octal(tar + 124, 12, siglen);
    fz_octal(tar + 136, 12, 1700000000);
    tar[156] = '0';
    memcpy(tar + 257, "ustar\0" "00", 8);
    memset(tar + 148, ' ', 8);
    unsigned long sum = 0;
    for (int i = 0; i < 512; i++)
        sum += tar[i];
    snprintf((char *)tar + 148, 8, "%06lo", sum);
    memcpy(tar + 512, sig, siglen);
    size_t tarlen = 512 + (siglen + 511) / 512 * 512;
    z_stream z = { 0 };
    unsigned char *gz = malloc(tarlen + 256);
    if (!gz || deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    z.next_in = tar, z.avail_in = (uInt)tarlen;
    z.next_out = gz, z.avail_out = (uInt)(tarlen + 256);
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        abort();
    size_t n = z.total_out;
    deflateEnd(&z);
    *out = gz;
    return n;
}

#endif
