/* apksign + apkindex: Alpine's real keys and signed indexes (read at run
 * time from ../shared/alpine), the SHA-256 and three-signature fixtures,
 * and what must be refused: a flipped byte, a truncated copy, a keys
 * directory without the signer, an unsigned index, malformed records. */
#include "t.h"
#include "talpine.h"
#include "tfiles.h"
#include "apkmaker.h"
#include "packages/apkindex.h"
#include "packages/apksign.h"
#include "core/decomp.h"
#include "core/file.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char tmpdir[] = "/tmp/test_apkindex.XXXXXX";
/* Damaged copies in tmpdir, the flipped byte inverted. */
#define DAMAGED(src, name, len, flip) t_damaged(tmpdir, src, name, len, flip, 0xff)

static size_t first_member_len(const char *path)
{
    unsigned char *d;
    size_t n, used = 0;
    md_err e = MD_ERR_INIT;
    CHECK(md_read_file(path, &d, &n, &e) == 0);
    CHECK(md_decomp_stream_len(path, d, n, 0, &used, NULL, &e) == 0);
    free(d);
    return used;
}

static void test_keys(void)
{
    md_apksign_keys *k = t_alpine_keys("keys");
    if (!k)
        return;
    CHECK(md_apksign_keys_count(k) == 18); /* SHA512SUMS is not a key */
    CHECK_STR(md_apksign_keys_name(k, 0), "alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub");
    md_apksign_keys_free(k);

    md_err e = MD_ERR_INIT;
    char *d = md_xasprintf("%s/nokeys", tmpdir);
    mkdir(d, 0755);
    CHECK(!md_apksign_keys_load(d, &e));
    CHECK_ERR(&e, "holds no");
    char *bad = md_xasprintf("%s/junk.rsa.pub", d);
    t_spit(bad, "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n");
    md_err_clear(&e);
    CHECK(!md_apksign_keys_load(d, &e));
    CHECK_ERR(&e, "junk.rsa.pub: not a PEM public key");
    md_err_clear(&e);
    char *missing = md_xasprintf("%s/absent", tmpdir);
    CHECK(!md_apksign_keys_load(missing, &e));
    CHECK_ERR(&e, missing);
    free(missing);
    free(bad);
    free(d);

    /* Trial 9e: a root-owned Keys= directory whose key file another user
     * may change (mode 0666, their own file, or a link to theirs) is
     * refused, naming the file: its directory's owner says nothing of it. */
    char *kd = md_xasprintf("%s/foreign", tmpdir), *kf = md_xasprintf("%s/k.rsa.pub", kd);
    char *real = t_alpine("keys/alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub");
    unsigned char *pem = NULL;
    size_t pem_len = 0;
    mkdir(kd, 0755);
    md_err_clear(&e);
    if (real && md_read_file(real, &pem, &pem_len, &e) == 0) {
        pem[pem_len] = '\0';
        t_spit(kf, (const char *)pem);
        md_apksign_keys *ok = md_apksign_keys_load(kd, &e);
        CHECK(ok != NULL);
        if (!ok)
            fprintf(stderr, "%s\n", e.msg);
        md_apksign_keys_free(ok);
        chmod(kf, 0666);
        CHECK(!md_apksign_keys_load(kd, &e));
        CHECK_ERR(&e, "k.rsa.pub");
        CHECK_ERR(&e, "sign packages of their own");
        md_err_clear(&e);
        chmod(kf, 0644);
        if (geteuid() == 0) {
            CHECK(chown(kf, 65534, 65534) == 0);
            CHECK(!md_apksign_keys_load(kd, &e));
            CHECK_ERR(&e, "k.rsa.pub");
            md_err_clear(&e);
            /* a link (root's) in the trusted directory to the other user's file */
            char *theirs = md_xasprintf("%s/theirs.pem", tmpdir);
            CHECK(rename(kf, theirs) == 0 && symlink(theirs, kf) == 0);
            CHECK(!md_apksign_keys_load(kd, &e));
            CHECK_ERR(&e, "theirs.pem");
            md_err_clear(&e);
            unlink(theirs);
            free(theirs);
        }
        unlink(kf);
    }
    rmdir(kd);
    free(pem), free(real), free(kf), free(kd);
}

typedef struct real_index {
    const char *file, *keys, *signer, *desc_prefix, *pkg, *version;
} real_index;

static const real_index reals[] = {
    { "apkindex/v3.22.2-206-main-x86_64.APKINDEX.tar.gz", "keys",
      "alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", "v3.22.2", "xen", "4.20.2-r0" },
    { "apkindex/v3.20.3-38-main-x86_64.APKINDEX.tar.gz", "keys",
      "alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", "v3.20.3", "xen", "4.18.3-r0" },
    { "apkindex/v3.16.3-13-main-x86_64.APKINDEX.tar.gz", "keys",
      "alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", "v3.16.3", "xen", "4.16.2-r0" },
    { "apkindex/v3.14.0-35-main-x86_64.APKINDEX.tar.gz", "keys",
      "alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub", "v3.14.0", "busybox", NULL },
    { "apkindex/v3.17.3-216-main-aarch64.APKINDEX.tar.gz", "keys",
      "alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub", "v3.17.3", "busybox", NULL },
    { "apkindex/v3.18.12-78-community-x86_64.APKINDEX.tar.gz", "keys",
      "alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", "v3.18.12", NULL, NULL },
    { "apk-v2-rsa256-fixtures/rsa256-single-sig.APKINDEX.tar.gz", "apk-v2-rsa256-fixtures",
      "test-rsa256.rsa.pub", "", NULL, NULL },
    { "apk-v2-rsa256-fixtures/rsa256-three-sigs.aarch64.APKINDEX.tar.gz",
      "apk-v2-rsa256-fixtures/keys", NULL, "", NULL, NULL },
    { "apk-v2-rsa256-fixtures/melange-x86_64.APKINDEX.tar.gz", "apk-v2-rsa256-fixtures/keys",
      "melange.rsa.pub", "", "custom-ca-certs-1", "1.0.0-r0" },
};

/* Every real index verifies with the real keys, and every record parses. */
static void test_real(void)
{
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
        const real_index *r = &reals[i];
        md_apksign_keys *k = t_alpine_keys(r->keys);
        char *p = t_alpine(r->file);
        md_err e = MD_ERR_INIT;
        md_apkindex *x = k ? md_apkindex_load(p, k, &e) : NULL;
        if (!x)
            fprintf(stderr, "%s: %s\n", p, e.msg);
        CHECK(x != NULL);
        if (x) {
            CHECK(md_apkindex_count(x) > 0);
            CHECK(!strncmp(md_apkindex_description(x), r->desc_prefix, strlen(r->desc_prefix)));
            if (r->signer)
                CHECK_STR(md_apkindex_signer(x), r->signer);
            else
                CHECK(!strncmp(md_apkindex_signer(x), "chainguard-", 11));
            if (r->pkg) {
                const md_apkindex_pkg *pk = md_apkindex_find(x, r->pkg);
                CHECK(pk != NULL);
                if (pk && r->version)
                    CHECK_STR(pk->version, r->version);
            }
            for (size_t j = 0; j < md_apkindex_count(x); j++) {
                const md_apkindex_pkg *pk = md_apkindex_pkg_at(x, j);
                CHECK(pk->index == x && pk->line > 0 && pk->size > 0);
                if (pk->uninstallable)
                    fprintf(stderr, "%s:%u: unknown field\n", p, pk->line);
                CHECK(!pk->uninstallable);
            }
        }
        md_apkindex_free(x);
        md_apksign_keys_free(k);
        free(p);
    }
}

/* strace in v3.16.3: every field the resolver uses, as Alpine wrote it. */
static void test_strace_record(void)
{
    md_apksign_keys *k = t_alpine_keys("keys");
    char *p = t_alpine("apkindex/v3.16.3-13-main-x86_64.APKINDEX.tar.gz");
    md_err e = MD_ERR_INIT;
    md_apkindex *x = k ? md_apkindex_load(p, k, &e) : NULL;
    CHECK(x != NULL);
    const md_apkindex_pkg *s = x ? md_apkindex_find(x, "strace") : NULL;
    CHECK(s != NULL);
    if (s) {
        CHECK_STR(s->version, "5.17-r0");
        CHECK_STR(s->arch, "x86_64");
        CHECK_STR(s->checksum, "Q18y9jy9MgtvQFXTntDQ3if2axAkk=");
        CHECK(s->size == 521102 && s->installed_size == 1708032);
        CHECK(s->build_time == 1648836354);
        CHECK_STR(s->license, "BSD-3-Clause");
        CHECK_STR(s->origin, "strace");
        CHECK_STR(s->url, "https://strace.io");
        CHECK_STR(s->commit, "c826833736655b7ee3cd646b7dd6c7917848d6fe");
        CHECK(s->ndepends == 2);
        if (s->ndepends == 2) {
            CHECK_STR(s->depends[0].name, "so:libc.musl-x86_64.so.1");
            CHECK_STR(s->depends[1].name, "so:libdw.so.1");
        }
        CHECK(s->nprovides == 2);
        if (s->nprovides == 2) {
            CHECK_STR(s->provides[1].name, "cmd:strace");
            CHECK(s->provides[1].op == MD_APKVER_EQUAL);
            CHECK_STR(s->provides[1].version, "5.17-r0");
        }
        CHECK(s->ninstall_if == 0 && !s->has_provider_priority);
        char *fn = md_apkindex_pkg_filename(s);
        CHECK_STR(fn, "strace-5.17-r0.apk");
        free(fn);
        CHECK(s->line > 1);
    }
    /* a provider priority and an install-if, as the 3.16 index has them */
    size_t prio = 0, iif = 0;
    for (size_t i = 0; x && i < md_apkindex_count(x); i++) {
        const md_apkindex_pkg *q = md_apkindex_pkg_at(x, i);
        prio += q->has_provider_priority;
        iif += q->ninstall_if > 0;
    }
    CHECK(prio > 0 && iif > 0);
    md_apkindex_free(x);
    md_apksign_keys_free(k);
    free(p);
}

/* Tar entries of the attacker's in the first gzip member, after the real
 * .SIGN (outside what it signs): refused as those before it are (trial
 * 13h case 10: passed over unread, the index accepted). */
static void test_after_sign(void)
{
    md_apksign_keys *k = t_alpine_keys("keys");
    char *src = t_alpine("apkindex/v3.20.3-38-main-x86_64.APKINDEX.tar.gz");
    unsigned char *d = NULL, *tar = NULL;
    size_t n = 0, sig = 0, tarlen = 0;
    md_err e = MD_ERR_INIT;
    CHECK(md_read_file(src, &d, &n, &e) == 0);
    CHECK(md_decomp_stream_len(src, d, n, 0, &sig, NULL, &e) == 0);
    CHECK(md_decomp_buf(src, d, sig, 1 << 20, &tar, &tarlen, &e) == 0);
    if (!k || !tar || tarlen < 512) {
        CHECK(0);
        return;
    }
    /* the .SIGN entry as Alpine wrote it: header and padded data */
    size_t size = strtoul((char *)tar + 124, NULL, 8), entry = 512 + (size + 511) / 512 * 512;
    CHECK(!strncmp((char *)tar, ".SIGN.RSA.", 10) && entry <= tarlen);
    for (int after = 0; after < 2; after++) {
        am_buf t = { 0 };
        if (after)
            am_put(&t, tar, entry);
        am_file(&t, "APKINDEX", 0644, "P:evil\n", 7);
        am_file(&t, "DESCRIPTION", 0644, "evil", 4);
        if (!after)
            am_put(&t, tar, entry);
        static const unsigned char z[1024];
        am_put(&t, z, sizeof z);
        size_t gzn;
        unsigned char *gz = am_gz(&t, &gzn);
        am_buf file = { 0 };
        am_put(&file, gz, gzn);
        am_put(&file, d + sig, n - sig);
        md_err le = MD_ERR_INIT;
        md_apkindex *x = md_apkindex_load_mem("IDX", file.p, file.n, k, &le);
        CHECK(x == NULL);
        CHECK_ERR(&le, "IDX: its first gzip member holds 'APKINDEX', not a .SIGN.* signature");
        md_apkindex_free(x);
        free(t.p), free(gz), free(file.p);
    }
    /* the real one still loads */
    md_apkindex *x = md_apkindex_load_mem("IDX", d, n, k, &e);
    CHECK(x != NULL);
    md_apkindex_free(x);
    free(d), free(tar), free(src);
    md_apksign_keys_free(k);
}

/* What a tampered or partial index and a wrong keys directory give. */
static void test_refused(void)
{
    md_apksign_keys *k = t_alpine_keys("keys");
    char *src = t_alpine("apkindex/v3.20.3-38-main-x86_64.APKINDEX.tar.gz");
    size_t sig = first_member_len(src);
    struct { const char *name; size_t len, flip; const char *needle; } cases[] = {
        { "flip-signed.tar.gz", 0, sig + 1000, "does not verify" },
        { "flip-last.tar.gz", 0, 472731 - 3, "does not verify" },
        { "flip-sig.tar.gz", 0, sig / 2, "signature" },
        { "truncated.tar.gz", 472731 / 2, SIZE_MAX, "does not verify" },
        { "sigonly.tar.gz", sig, SIZE_MAX, "nothing after its first gzip member" },
        { "cut-sig.tar.gz", sig / 2, SIZE_MAX, "signature member" },
    };
    for (size_t i = 0; k && i < sizeof cases / sizeof *cases; i++) {
        char *p = DAMAGED(src, cases[i].name, cases[i].len, cases[i].flip);
        md_err e = MD_ERR_INIT;
        md_apkindex *x = md_apkindex_load(p, k, &e);
        CHECK(x == NULL);
        CHECK_ERR(&e, p);
        CHECK_ERR(&e, cases[i].needle);
        if (x || !strstr(e.msg, cases[i].needle))
            fprintf(stderr, "  case %s: %s\n", cases[i].name, e.msg);
        md_apkindex_free(x);
        free(p);
    }

    /* the keys directory without the signer: every other Alpine key */
    char *kd = md_xasprintf("%s/keys-without-signer", tmpdir), *alk = t_alpine("keys");
    mkdir(kd, 0755);
    DIR *dh = opendir(alk);
    for (struct dirent *de; dh && (de = readdir(dh));) {
        if (!strstr(de->d_name, ".rsa.pub") || strstr(de->d_name, "6165ee59"))
            continue;
        char *from = md_xasprintf("%s/%s", alk, de->d_name), *to = md_xasprintf("%s/%s", kd, de->d_name);
        char *text = t_slurp(from);
        t_spit(to, text ? text : "");
        free(text);
        free(from);
        free(to);
    }
    if (dh)
        closedir(dh);
    md_err e = MD_ERR_INIT;
    md_apksign_keys *k2 = md_apksign_keys_load(kd, &e);
    CHECK(k2 && md_apksign_keys_count(k2) == 17);
    md_apkindex *x = k2 ? md_apkindex_load(src, k2, &e) : NULL;
    CHECK(x == NULL);
    CHECK_ERR(&e, src);
    CHECK_ERR(&e, "signed by alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub, which is not in");
    md_apksign_keys_free(k2);

    /* aarch64's keys do not sign x86_64's index, nor the reverse */
    md_apksign_keys *fx = t_alpine_keys("apk-v2-rsa256-fixtures/keys");
    md_err_clear(&e);
    x = fx ? md_apkindex_load(src, fx, &e) : NULL;
    CHECK(!x);
    CHECK_ERR(&e, "which is not in");
    md_apksign_keys_free(fx);

    /* unsigned indexes: the data member alone, large and small */
    unsigned char *d;
    size_t n;
    md_err_clear(&e);
    char *small = t_alpine("apk-v2-rsa256-fixtures/rsa256-single-sig.APKINDEX.tar.gz");
    size_t ssig = first_member_len(small);
    CHECK(md_read_file(small, &d, &n, &e) == 0);
    char *su = md_xasprintf("%s/unsigned-small.tar.gz", tmpdir);
    CHECK(md_write_atomic(su, d + ssig, n - ssig, 0644, &e) == 0);
    free(d);
    x = md_apkindex_load(su, k, &e);
    CHECK(!x);
    CHECK_ERR(&e, su);
    CHECK_ERR(&e, "nothing after its first gzip member: not a signed APKINDEX.tar.gz");
    free(su);
    free(small);

    CHECK(md_read_file(src, &d, &n, &e) == 0);
    char *u = md_xasprintf("%s/unsigned.tar.gz", tmpdir);
    CHECK(md_write_atomic(u, d + sig, n - sig, 0644, &e) == 0);
    free(d);
    md_err_clear(&e);
    x = md_apkindex_load(u, k, &e);
    CHECK(!x);
    CHECK_ERR(&e, u);
    CHECK_ERR(&e, "signature member");
    free(u);
    free(alk);
    free(kd);
    free(src);
    md_apksign_keys_free(k);
}

/* The three-signature fixture: any one trusted key suffices. */
static void test_any_one_key(void)
{
    char *src = t_alpine("apk-v2-rsa256-fixtures/rsa256-three-sigs.aarch64.APKINDEX.tar.gz");
    char *kd = t_alpine("apk-v2-rsa256-fixtures/keys");
    DIR *dh = opendir(kd);
    size_t ok = 0;
    for (struct dirent *de; dh && (de = readdir(dh));) {
        if (strncmp(de->d_name, "chainguard-", 11))
            continue;
        char *one = md_xasprintf("%s/one-%zu", tmpdir, ok);
        mkdir(one, 0755);
        char *from = md_xasprintf("%s/%s", kd, de->d_name), *to = md_xasprintf("%s/%s", one, de->d_name);
        char *text = t_slurp(from);
        t_spit(to, text ? text : "");
        md_err e = MD_ERR_INIT;
        md_apksign_keys *k = md_apksign_keys_load(one, &e);
        md_apkindex *x = k ? md_apkindex_load(src, k, &e) : NULL;
        if (!x)
            fprintf(stderr, "%s with %s: %s\n", src, de->d_name, e.msg);
        CHECK(x != NULL);
        if (x)
            CHECK_STR(md_apkindex_signer(x), de->d_name);
        ok++;
        md_apkindex_free(x);
        md_apksign_keys_free(k);
        free(text);
        free(from);
        free(to);
        free(one);
    }
    if (dh)
        closedir(dh);
    CHECK(ok == 3);
    free(kd);
    free(src);
}

static void parse_bad(const char *text, const char *needle)
{
    md_err e = MD_ERR_INIT;
    md_apkindex *x = md_apkindex_parse("IDX", md_xstrdup(text), strlen(text), &e);
    CHECK(!x);
    CHECK_ERR(&e, needle);
    md_apkindex_free(x);
}

/* The index of `text`, which must parse (a failed CHECK and NULL if not). */
static md_apkindex *parse_ok(const char *text)
{
    md_err e = MD_ERR_INIT;
    md_apkindex *x = md_apkindex_parse("IDX", md_xstrdup(text), strlen(text), &e);
    CHECK(x != NULL);
    return x;
}

#define REC(extra) "C:Q18y9jy9MgtvQFXTntDQ3if2axAkk=\nP:a\nV:1.0-r0\nA:x86_64\nS:10\n" extra

static void test_parse(void)
{
    const char *good = REC("I:20\nk:100\np:cmd:a=1.0-r0 so:liba.so.1=1 b\ni:c=1 docs\n"
                           "D:!d so:libc.musl-x86_64.so.1 e>=2\nr:old\nq:5\nx:ignored\n")
                       "\n\nC:Q18y9jy9MgtvQFXTntDQ3if2axAkk=\nP:a\nV:1.0-r1\nA:x86_64\nS:10\nZ:new\n";
    md_err e = MD_ERR_INIT;
    md_apkindex *x = md_apkindex_parse("IDX", md_xstrdup(good), strlen(good), &e);
    CHECK(x && md_apkindex_count(x) == 2);
    if (x && md_apkindex_count(x) == 2) {
        const md_apkindex_pkg *a = md_apkindex_pkg_at(x, 0);
        CHECK(a->has_provider_priority && a->provider_priority == 100);
        CHECK(a->nprovides == 3 && a->ninstall_if == 2 && a->ndepends == 3 && a->nreplaces == 1);
        CHECK(a->replaces_priority == 5 && a->installed_size == 20);
        CHECK(a->depends[0].conflict);
        CHECK_STR(a->provides[2].name, "b");
        CHECK(!a->uninstallable);
        CHECK(md_apkindex_pkg_at(x, 1)->line == 16);
        CHECK(md_apkindex_pkg_at(x, 1)->uninstallable); /* Z: is not known */
    }
    md_apkindex_free(x);

    parse_bad(REC("") "junk\n", "IDX:6: malformed line");
    parse_bad(REC("P:b\n"), "IDX:6: field P: twice");
    parse_bad("P:a\nV:1\nA:x\nS:1\n", "IDX:1: record of a without a checksum (C:)");
    parse_bad("C:Q18y9jy9MgtvQFXTntDQ3if2axAkk=\nV:1\nA:x\nS:1\n", "IDX:1: record without a name");
    parse_bad(REC("\n") "\nC:Q1x\nP:b\nV:1\nA:x\nS:1\n", "IDX:8: package b: bad checksum");
    parse_bad("C:Q18y9jy9MgtvQFXTntDQ3if2axAkk=\nP:a\nV:\nA:x\nS:1\n",
              "IDX:3: bad package version (V:) ''");
    /* trial 9e: V: held an ESC sequence (printed raw by resolve), a path
     * (reached a cache file name), a second revision */
    parse_bad("C:Q18y9jy9MgtvQFXTntDQ3if2axAkk=\nP:a\nV:1.0-r0\x1b[2J\x1b]0;PWN\x07\nA:x\nS:1\n",
              "IDX:3: bad package version (V:) '1.0-r0\\x1b[2J\\x1b]0;PWN\\x07'");
    parse_bad("C:Q18y9jy9MgtvQFXTntDQ3if2axAkk=\nP:a\nV:1.0-r0/../../x\nA:x\nS:1\n",
              "IDX:3: bad package version (V:) '1.0-r0/../../x'");
    parse_bad("C:Q18y9jy9MgtvQFXTntDQ3if2axAkk=\nP:a\nV:1.0-r0-r0\nA:x\nS:1\n",
              "IDX:3: bad package version (V:) '1.0-r0-r0'");
    parse_bad("C:Q18y9jy9MgtvQFXTntDQ3if2axAkk=\nP:a\nV:x1.0\nA:x\nS:1\n",
              "IDX:3: bad package version (V:) 'x1.0'");
    /* trial 13 F13: a provided version with a path or a control character
     * was taken; Alpine's own "pc:librtmp=v2.4" still is */
    parse_bad(REC("p:so:x.so.1=1.2/../x\n"), "IDX:6: provides 'so:x.so.1': bad version '1.2/../x'");
    parse_bad(REC("p:so:x.so.1=1.2\x1b[2J\n"), "IDX:6: provides 'so:x.so.1': bad version '1.2\\x1b[2J'");
    parse_bad(REC("p:cmd:x=1.0 so:y=Z\n"), "IDX:6: provides 'so:y': bad version 'Z'");
    md_apkindex_free(parse_ok(REC("p:pc:librtmp=v2.4 so:x.so.1=1.2\n")));
    /* trial 13 F8: one name and version twice (the first was taken) */
    parse_bad(REC("") "\nC:Q1hVbPXxcoVDbJkKP3ck3oKQbFGbc=\nP:z\nV:1\nA:x86_64\nS:1\n\n" REC(""),
              "IDX:1 and :13 both list a-1.0-r0 (the same checksums)");
    parse_bad(REC("") "\nC:Q1hVbPXxcoVDbJkKP3ck3oKQbFGbc=\nP:a\nV:1.0-r0\nA:x86_64\nS:1\n",
              "IDX:1 and :7 both list a-1.0-r0 (different checksums)");
    parse_bad("C:Q18y9jy9MgtvQFXTntDQ3if2axAkk=\nP:-a\nV:1\nA:x\nS:1\n", "bad package name");
    parse_bad(REC("I:-1\n"), "IDX:6: installed size (I) '-1'");
    parse_bad(REC("S:1\n"), "field S: twice");
    parse_bad(REC("D:a b>=\n"), "IDX:6: depends (D): atom 'b>=': no version after '>='");
    parse_bad(REC("p:a>=1\n"), "IDX:6: provides 'a>=1'");
    /* a version in D:/i:/r: as V: is written, refused at the line (trial
     * 13h case 4: taken, then "no version satisfies" or never held) */
    parse_bad(REC("D:foo=abc\n"), "IDX:6: depends (D): atom 'foo=abc': bad version 'abc'");
    parse_bad(REC("D:foo=1.0=2\n"), "IDX:6: depends (D): atom 'foo=1.0=2': bad version");
    parse_bad(REC("D:foo=1.0@tag\n"), "IDX:6: depends (D): atom 'foo=1.0@tag': bad version");
    parse_bad(REC("D:so:lib=1/../x\n"), "IDX:6: depends (D): atom 'so:lib=1/../x': bad version");
    parse_bad(REC("i:foo=abc bar\n"), "IDX:6: install-if (i): atom 'foo=abc': bad version");
    parse_bad(REC("r:foo<x\n"), "IDX:6: replaces (r): atom 'foo<x': bad version");
    parse_bad(REC("p:foo=\n"), "IDX:6: provides (p): atom 'foo=': no version after '='");
    parse_bad("C:Q18y9jy9MgtvQFXTntDQ3if2axAkk=\nP:a\nV:1\nS:1\n",
              "IDX:1: record of a without an architecture (A:)");
    {
        /* "=~" is apk's "~" */
        md_apkindex *fx = parse_ok(REC("D:foo=~1.0 bar~2\n"));
        if (fx) {
            const md_apkindex_pkg *fp = md_apkindex_pkg_at(fx, 0);
            CHECK(fp->ndepends == 2 && fp->depends[0].op == (MD_APKVER_FUZZY | MD_APKVER_EQUAL) &&
                  fp->depends[0].op == fp->depends[1].op && !strcmp(fp->depends[0].version, "1.0"));
            CHECK(md_apkver_dep_match(&fp->depends[0], "1.0.5-r0", NULL));
            CHECK(!md_apkver_dep_match(&fp->depends[0], "1.1-r0", NULL));
            char *t = md_apkver_dep_str(&fp->depends[0]);
            CHECK_STR(t, "foo~1.0");
            free(t);
        }
        md_apkindex_free(fx);
    }
    {
        /* the one reader of atom lists: blanks and tabs between atoms,
         * trailing ones; a bad atom among good ones names the list */
        md_apkindex *sx = parse_ok(REC("D:a  \tb>=1.0 \tc \np: \t\n"));
        if (sx) {
            const md_apkindex_pkg *sk = md_apkindex_pkg_at(sx, 0);
            CHECK(sk->nprovides == 0);
            CHECK(sk->ndepends == 3 && !strcmp(sk->depends[0].name, "a") &&
                  !strcmp(sk->depends[1].version, "1.0") && !strcmp(sk->depends[2].name, "c"));
        }
        md_apkindex_free(sx);
    }
    parse_bad(REC("D:a b c=x d\n"), "IDX:6: depends (D): atom 'c=x': bad version 'x'");
    parse_bad(REC("k:99999999999\n"), "provider priority (k)");
    md_err_clear(&e);
    char nul[] = "P:a\0\n";
    x = md_apkindex_parse("IDX", md_xstrdup("x"), 1, &e); /* a lone "x": malformed */
    CHECK(!x);
    CHECK_ERR(&e, "IDX:1: malformed");
    md_err_clear(&e);
    char *withnul = md_xmalloc(sizeof nul);
    memcpy(withnul, nul, sizeof nul);
    x = md_apkindex_parse("IDX", withnul, sizeof nul - 1, &e);
    CHECK(!x);
    CHECK_ERR(&e, "NUL byte");
}

/* An index's tar, signed by `key` as test.rsa.pub, after its signature
 * as gzip (gz) or as it is, written to dir/name; the path, the caller's. */
static char *signed_tar(const char *name, EVP_PKEY *key, am_buf *t, bool gz)
{
    static const unsigned char z[1024];
    am_put(t, z, sizeof z);
    size_t n, sn;
    unsigned char *body = gz ? am_gz(t, &n) : t_copy(t->p, t->n, &n);
    unsigned char *sig = am_sig_member(key, "RSA", "test.rsa.pub", body, n, &sn);
    am_buf file = { 0 };
    am_put(&file, sig, sn);
    am_put(&file, body, n);
    char *p = md_xasprintf("%s/%s", tmpdir, name);
    md_err e = MD_ERR_INIT;
    CHECK(md_write_atomic(p, file.p, file.n, 0644, &e) == 0);
    free(body), free(sig), free(file.p), free(t->p);
    return p;
}

/* An index is read within bounds, each refused with its file and limit
 * (trial 13x F2: a signed 3 MB index of 3 GiB of newlines ran mkdom0 out
 * of memory), and is gzip after its signature (F4's kind). */
static void test_bounds(void)
{
    char *kd = md_xasprintf("%s/boundkeys", tmpdir);
    mkdir(kd, 0755);
    EVP_PKEY *key = am_key(kd, "test.rsa.pub");
    md_apksign_keys *k = t_alpine_keys_at(kd);
    const char *rec = "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:1-r0\nA:x86_64\nS:1\n\n";
    struct { const char *name; size_t newlines, junk; bool gz; const char *needle; } cases[] = {
        { "newlines.tar.gz", MD_APKINDEX_MAX_TEXT + 1, 0, true,
          "index tar (limit 64 MiB): " },
        { "members.tar.gz", 0, MD_APKINDEX_MAX_MEMBERS - 1, true,
          "more than 64 entries (the limit)" },
        { "plain.tar.gz", 0, 0, false,
          "the index after its signature is not compressed, not gzip (an apk v2 file is gzip "
          "members only, apk-v2(5))" },
        { "extra.tar.gz", 0, 3, true, NULL }, /* members apk passes over: read */
    };
    for (size_t i = 0; k && i < sizeof cases / sizeof *cases; i++) {
        am_buf t = { 0 };
        am_file(&t, "DESCRIPTION", 0644, "test", 4);
        char *text = md_xmalloc(cases[i].newlines + strlen(rec) + 1);
        memset(text, '\n', cases[i].newlines);
        strcpy(text + cases[i].newlines, rec);
        am_file(&t, "APKINDEX", 0644, text, strlen(text));
        free(text);
        for (size_t j = 0; j < cases[i].junk; j++) {
            char *jn = md_xasprintf("junk%zu", j);
            am_file(&t, jn, 0644, "x", 1);
            free(jn);
        }
        char *p = signed_tar(cases[i].name, key, &t, cases[i].gz);
        md_err e = MD_ERR_INIT;
        md_apkindex *x = md_apkindex_load(p, k, &e);
        if (cases[i].needle) {
            CHECK(x == NULL);
            CHECK_ERR(&e, p);
            CHECK_ERR(&e, cases[i].needle);
        } else {
            CHECK(x && md_apkindex_count(x) == 1);
        }
        md_apkindex_free(x);
        free(p);
    }
    md_apksign_keys_free(k);
    EVP_PKEY_free(key);
    free(kd);
}

int main(void)
{
    if (!mkdtemp(tmpdir))
        return 1;
    test_keys();
    test_real();
    test_strace_record();
    test_refused();
    test_after_sign();
    test_any_one_key();
    test_parse();
    test_bounds();
    if (!getenv("KEEP_TMP"))
        t_rm_tree(tmpdir);
    return t_done("test_apkindex");
}
