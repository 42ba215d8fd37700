/* apkmaker — build small (and hostile) Alpine v2 files for tests, in the
 * exact formats abuild writes (apk-v2(5)): a .apk of three gzip members
 * (signature, control, data) and an APKINDEX.tar.gz of two (signature,
 * DESCRIPTION + APKINDEX), signed with a test key made here.  The tar
 * writer is our own, as abuild-tar is: libarchive writes no custom PAX
 * records, and per-file APK-TOOLS.checksum.SHA1 records are the point.
 * Data members are given as lines:
 *     d PATH MODE                 directory
 *     f PATH MODE CONTENT         file with its SHA-1 in a PAX record
 *     F PATH MODE CONTENT         file whose PAX SHA-1 is of other content
 *     n PATH MODE CONTENT         file without a checksum
 *     l PATH TARGET               symlink (SHA-1 of the target)
 *     h PATH TARGET               hardlink to an earlier member
 * Header-only: included by the tests that need it. */
#ifndef APKMAKER_H
#define APKMAKER_H

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/file.h"
#include "core/mem.h"
#include "tfiles.h"

typedef struct am_buf {
    unsigned char *p;
    size_t n, cap;
} am_buf;

static inline void am_put(am_buf *b, const void *d, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = md_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static inline void am_pad(am_buf *b)
{
    static const unsigned char z[512];
    if (b->n % 512)
        am_put(b, z, 512 - b->n % 512);
}

/* One ustar header (and its content, padded). */
static inline void am_header(am_buf *b, const char *name, char type, unsigned mode, size_t size,
                             const char *link)
{
    unsigned char h[512] = { 0 };
    snprintf((char *)h, 100, "%s", name);
    snprintf((char *)h + 100, 8, "%07o", mode);
    snprintf((char *)h + 108, 8, "%07o", 0);
    snprintf((char *)h + 116, 8, "%07o", 0);
    /* 11 octal digits: less than 8 GiB, which no test file reaches */
    snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size & 077777777777ull);
    snprintf((char *)h + 136, 12, "%011o", 1700000000u);
    h[156] = (unsigned char)type;
    if (link)
        snprintf((char *)h + 157, 100, "%s", link);
    memcpy(h + 257, "ustar\0" "00", 8);
    memcpy(h + 265, "root", 4);
    memcpy(h + 297, "root", 4);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    am_put(b, h, 512);
}

static inline void am_sha1_hex(const void *d, size_t n, char out[41])
{
    unsigned char md[20];
    unsigned mn;
    EVP_Digest(d, n, md, &mn, EVP_sha1(), NULL);
    for (int i = 0; i < 20; i++)
        sprintf(out + 2 * i, "%02x", md[i]);
}

/* A PAX 'x' header with the one record "APK-TOOLS.checksum.SHA1=HEX". */
static inline void am_pax_sha1(am_buf *b, const char *hex)
{
    char rec[128];
    const char *kv = "APK-TOOLS.checksum.SHA1=";
    size_t body = strlen(kv) + strlen(hex) + 2; /* " " and "\n" */
    size_t len = body + 2;                       /* two digits of length */
    snprintf(rec, sizeof rec, "%zu %s%s\n", len, kv, hex);
    am_header(b, "PaxHeader", 'x', 0644, strlen(rec), NULL);
    am_put(b, rec, strlen(rec));
    am_pad(b);
}

static inline void am_file(am_buf *b, const char *name, unsigned mode, const void *d, size_t n)
{
    am_header(b, name, '0', mode, n, NULL);
    am_put(b, d, n);
    am_pad(b);
}

/* The data tar of `lines` (see above), with its end blocks. */
static inline void am_data_tar(am_buf *b, const char *const *lines)
{
    for (; *lines; lines++) {
        char kind, path[256], a[256] = "", c[256] = "";
        int n = sscanf(*lines, "%c %255s %255s %255s", &kind, path, a, c);
        char hex[41];
        unsigned mode = (unsigned)strtoul(a, NULL, 8);
        if (kind == 'd' && n >= 3) {
            am_header(b, path, '5', mode, 0, NULL);
        } else if ((kind == 'f' || kind == 'F' || kind == 'n') && n >= 3) {
            if (kind != 'n') {
                am_sha1_hex(kind == 'f' ? c : "other", kind == 'f' ? strlen(c) : 5, hex);
                am_pax_sha1(b, hex);
            }
            am_file(b, path, mode, c, strlen(c));
        } else if (kind == 'l' && n >= 3) {
            am_sha1_hex(a, strlen(a), hex);
            am_pax_sha1(b, hex);
            am_header(b, path, '2', 0777, 0, a);
        } else if (kind == 'h' && n >= 3) {
            am_header(b, path, '1', 0644, 0, a);
        }
    }
    static const unsigned char z[1024];
    am_put(b, z, sizeof z);
}

/* `n` bytes of `d` in a buffer of the caller's, as t_gzip gives one. */
static inline unsigned char *t_copy(const void *d, size_t n, size_t *outlen)
{
    unsigned char *p = md_xmalloc(n ? n : 1);
    memcpy(p, d, n);
    *outlen = n;
    return p;
}

static inline unsigned char *am_gz(const am_buf *b, size_t *n)
{
    return t_gzip(b->p, b->n, n);
}

/* A new 2048-bit RSA key; its public half written as dir/keyname (PEM). */
static inline EVP_PKEY *am_key(const char *dir, const char *keyname)
{
    EVP_PKEY *k = EVP_RSA_gen(2048);
    char *p = md_xasprintf("%s/%s", dir, keyname);
    FILE *f = fopen(p, "w");
    if (f) {
        PEM_write_PUBKEY(f, k);
        fclose(f);
    }
    free(p);
    return k;
}

/* The gzip'd signature member: ".SIGN.<alg>.<keyname>" over `d`. */
static inline unsigned char *am_sig_member(EVP_PKEY *k, const char *alg, const char *keyname,
                                           const void *d, size_t n, size_t *outlen)
{
    const EVP_MD *md = !strcmp(alg, "RSA256") ? EVP_sha256() : EVP_sha1();
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned char sig[1024];
    size_t sl = sizeof sig;
    EVP_DigestSignInit(c, NULL, md, NULL, k);
    EVP_DigestSign(c, sig, &sl, d, n);
    EVP_MD_CTX_free(c);
    am_buf t = { 0 };
    char *name = md_xasprintf(".SIGN.%s.%s", alg, keyname);
    am_file(&t, name, 0644, sig, sl);
    free(name);
    unsigned char *gz = am_gz(&t, outlen);
    free(t.p);
    return gz;
}

typedef struct am_apk_opts {
    const char *name, *version, *arch; /* .PKGINFO pkgname, pkgver, arch */
    const char *extra;                 /* more .PKGINFO lines, or NULL */
    const char *pkginfo;               /* the whole .PKGINFO instead, or NULL */
    const char *alg;                   /* "RSA" (NULL) or "RSA256" */
    bool no_datahash;                  /* sign control + data instead */
    const char *script;                /* a control file such as ".post-install", or NULL */
    char data_codec;                   /* the data member: 0 gzip, 'n' plain tar, 'x' xz */
} am_apk_opts;

/* What an index needs of a made .apk. */
typedef struct am_apk_made {
    char checksum[64]; /* "Q1..." of the control member */
    size_t size;       /* bytes of the .apk */
    size_t sig_len, control_len; /* member lengths, for tests that damage one */
} am_apk_made;

static inline int am_make_apk(const char *path, EVP_PKEY *k, const char *keyname,
                              const am_apk_opts *o, const char *const *lines, am_apk_made *made)
{
    am_buf data = { 0 }, ctl = { 0 }, all = { 0 };
    am_data_tar(&data, lines);
    size_t dgz_n, cgz_n, sgz_n;
    unsigned char *dgz = o->data_codec == 'x' ? t_xz(data.p, data.n, &dgz_n)
                       : o->data_codec == 'n' ? t_copy(data.p, data.n, &dgz_n)
                                              : am_gz(&data, &dgz_n);
    unsigned char dh[32];
    unsigned dhn;
    EVP_Digest(dgz, dgz_n, dh, &dhn, EVP_sha256(), NULL);
    char dhex[65];
    for (int i = 0; i < 32; i++)
        sprintf(dhex + 2 * i, "%02x", dh[i]);
    char *pkginfo = o->pkginfo ? md_xstrdup(o->pkginfo)
                               : md_xasprintf("# Generated by apkmaker\npkgname = %s\npkgver = %s\n"
                                              "arch = %s\nsize = 1\n%s%s%s%s",
                                              o->name, o->version, o->arch ? o->arch : "x86_64",
                                              o->no_datahash ? "" : "datahash = ",
                                              o->no_datahash ? "" : dhex,
                                              o->no_datahash ? "" : "\n", o->extra ? o->extra : "");
    am_file(&ctl, ".PKGINFO", 0644, pkginfo, strlen(pkginfo));
    if (o->script)
        am_file(&ctl, o->script, 0755, "#!/bin/sh\nexit 0\n", 17);
    unsigned char *cgz = am_gz(&ctl, &cgz_n); /* no end blocks: the data tar goes on */
    am_put(&all, cgz, cgz_n);
    if (o->no_datahash)
        am_put(&all, dgz, dgz_n);
    unsigned char *sgz = am_sig_member(k, o->alg ? o->alg : "RSA", keyname, all.p, all.n, &sgz_n);
    am_buf file = { 0 };
    am_put(&file, sgz, sgz_n);
    am_put(&file, cgz, cgz_n);
    am_put(&file, dgz, dgz_n);
    md_err e = MD_ERR_INIT;
    int rc = md_write_atomic(path, file.p, file.n, 0644, &e);
    if (made) {
        unsigned char md[20];
        unsigned mn;
        unsigned char b64[40];
        EVP_Digest(cgz, cgz_n, md, &mn, EVP_sha1(), NULL);
        EVP_EncodeBlock(b64, md, 20);
        snprintf(made->checksum, sizeof made->checksum, "Q1%s", b64);
        made->size = file.n;
        made->sig_len = sgz_n;
        made->control_len = cgz_n;
    }
    free(pkginfo);
    free(data.p);
    free(ctl.p);
    free(all.p);
    free(file.p);
    free(dgz);
    free(cgz);
    free(sgz);
    return rc;
}

/* An APKINDEX.tar.gz of `apkindex` text, signed by k as keyname. */
static inline int am_make_index(const char *path, EVP_PKEY *k, const char *keyname,
                                const char *description, const char *apkindex)
{
    am_buf t = { 0 };
    am_file(&t, "DESCRIPTION", 0644, description, strlen(description));
    am_file(&t, "APKINDEX", 0644, apkindex, strlen(apkindex));
    static const unsigned char z[1024];
    am_put(&t, z, sizeof z);
    size_t gz_n, sgz_n;
    unsigned char *gz = am_gz(&t, &gz_n);
    unsigned char *sgz = am_sig_member(k, "RSA", keyname, gz, gz_n, &sgz_n);
    am_buf file = { 0 };
    am_put(&file, sgz, sgz_n);
    am_put(&file, gz, gz_n);
    md_err e = MD_ERR_INIT;
    int rc = md_write_atomic(path, file.p, file.n, 0644, &e);
    free(t.p);
    free(gz);
    free(sgz);
    free(file.p);
    return rc;
}

#endif
