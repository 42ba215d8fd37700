/* apk — see apk.h.  The file is read whole (packages are megabytes), cut
 * at its gzip member ends by core/decomp (which checks each member's CRC),
 * and every member is decompressed by it too; libarchive reads only
 * uncompressed tar, through image/unpack.
 *
 * The per-file checksums are PAX records libarchive does not hand out, so
 * the check hook reads them itself from the entry's own headers, which
 * start at archive_read_header_position() in the uncompressed tar that is
 * held in memory: only the extended headers in front of the entry
 * libarchive is reading, each bounded by the buffer.  Reading them any
 * other way than libarchive did can only refuse a package, never pass a
 * file unchecked that carries a checksum. */
#include "packages/apk.h"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/decomp.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "core/strv.h"

struct md_apk {
    char *path, *signer, *checksum;
    unsigned char *tar; /* the data member, uncompressed */
    size_t tarlen;
    md_strv keys, values; /* .PKGINFO, in order */
    md_strv scripts;
    md_strv dropped; /* data entries apk does not install (apk_skips), the first few */
    size_t unchecked, entries, ndropped;
};

void md_apk_free(md_apk *a)
{
    if (!a)
        return;
    free(a->path);
    free(a->signer);
    free(a->checksum);
    free(a->tar);
    md_strv_free(&a->keys);
    md_strv_free(&a->values);
    md_strv_free(&a->scripts);
    md_strv_free(&a->dropped);
    free(a);
}

const char *md_apk_signer(const md_apk *a) { return a->signer; }
const char *md_apk_checksum(const md_apk *a) { return a->checksum; }
size_t md_apk_unchecked(const md_apk *a) { return a->unchecked; }
size_t md_apk_entries(const md_apk *a) { return a->entries; }
size_t md_apk_dropped_count(const md_apk *a) { return a->ndropped; }

const char *md_apk_dropped(const md_apk *a, size_t i)
{
    return i < a->dropped.n ? a->dropped.v[i] : NULL;
}
const char *md_apk_name(const md_apk *a) { return md_apk_pkginfo(a, "pkgname", 0); }
const char *md_apk_version(const md_apk *a) { return md_apk_pkginfo(a, "pkgver", 0); }
const char *md_apk_arch(const md_apk *a) { return md_apk_pkginfo(a, "arch", 0); }

const char *md_apk_pkginfo(const md_apk *a, const char *key, size_t n)
{
    for (size_t i = 0; i < a->keys.n; i++)
        if (!strcmp(a->keys.v[i], key) && n-- == 0)
            return a->values.v[i];
    return NULL;
}

const char *md_apk_script(const md_apk *a, size_t i)
{
    return i < a->scripts.n ? a->scripts.v[i] : NULL;
}

static void digest(const EVP_MD *md, const void *d, size_t n, unsigned char *out, unsigned *outlen)
{
    EVP_Digest(d, n, out, outlen, md, NULL);
}

/* ---- .PKGINFO ---- */

/* The .PKGINFO fields that hold one value (apk-tools' app_mkndx.c: all but
 * depend, provides, replaces and those it ignores; datahash as
 * extract_v2.c reads it). */
static const char *const single_keys[] = {
    "pkgname", "pkgver", "arch", "datahash", "size", "builddate", "commit", "origin",
    "maintainer", "url", "pkgdesc", "license", "provider_priority", "install_if", NULL
};

/* "key = value" lines, '#' comments (apk-v2(5)); errors ".PKGINFO:LINE". */
static int parse_pkginfo(md_apk *a, char *text, size_t len, md_err *err)
{
    unsigned line = 0;
    for (char *s = text, *end = text + len; s < end;) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        char *le = nl ? nl : end;
        *le = '\0';
        line++;
        if (*s && *s != '#') {
            char *eq = strstr(s, " = ");
            if (!eq || eq == s)
                return md_err_set(err, "%s: .PKGINFO:%u: malformed line (expected 'key = "
                                       "value'): '%.60s'", a->path, line, s);
            if (a->keys.n >= MD_APK_MAX_FIELDS)
                return md_err_set(err, "%s: .PKGINFO: more than %u fields", a->path,
                                  MD_APK_MAX_FIELDS);
            *eq = '\0';
            /* A field that holds one value, given twice: apk-tools 2 takes
             * the last (datahash: extract_v2.c), apk-tools 3's mkndx
             * refuses it (app_mkndx.c, APKE_ADB_PACKAGE_FORMAT); which
             * pkgname or datahash a package has must not depend on the
             * reader (trial 13 F5). */
            for (int k = 0; single_keys[k]; k++)
                if (!strcmp(s, single_keys[k]) && md_apk_pkginfo(a, s, 0))
                    return md_err_set(err, "%s: .PKGINFO:%u: a second '%s' line: the field "
                                           "holds one value (apk-tools 3 refuses the package "
                                           "too)", a->path, line, s);
            md_strv_push(&a->keys, s);
            md_strv_push(&a->values, eq + 3);
        }
        s = le + 1;
    }
    const char *name = md_apk_name(a), *ver = md_apk_version(a);
    if (!name || !*name || !ver || !*ver)
        return md_err_set(err, "%s: .PKGINFO has no %s", a->path,
                          !name || !*name ? "pkgname" : "pkgver");
    return 0;
}

/* ---- members ---- */

static const char *const script_names[] = {
    "/.pre-install", "/.post-install", "/.pre-deinstall", "/.post-deinstall",
    "/.pre-upgrade", "/.post-upgrade", "/.trigger",
};

/* The control member: only dot-files (.PKGINFO, scripts, a builder's
 * notes such as .melange.yaml), .PKGINFO among them. */
static int read_control(md_apk *a, const unsigned char *gz, size_t gzlen, md_err *err)
{
    unsigned char *tar;
    size_t tarlen;
    if (md_decomp_buf(a->path, gz, gzlen, MD_APK_MAX_CONTROL, &tar, &tarlen, err) < 0) {
        md_err_prefix(err, "control member");
        return -1;
    }
    char *label = md_xasprintf("%s control", a->path);
    md_unpack_limits lim = md_unpack_default_limits;
    lim.entries = MD_APK_MAX_CONTROL_MEMBERS;
    lim.entry_bytes = lim.total_bytes = lim.stream_bytes = MD_APK_MAX_CONTROL;
    md_tree *t = md_unpack_tar(label, tar, tarlen, &lim, NULL, NULL, NULL, err);
    free(label);
    free(tar);
    if (!t)
        return -1;
    int rc = 0;
    for (const md_node *n = md_tree_next(t, md_tree_first(t)); n && rc == 0; n = md_tree_next(t, n))
        if (md_node_path(n)[1] != '.' || strchr(md_node_path(n) + 1, '/'))
            rc = md_err_set(err, "%s: control member holds %s: not a control file (only "
                                 ".PKGINFO and dot-files)", a->path, md_node_path(n));
    const md_node *pi = md_tree_lookup(t, "/.PKGINFO");
    if (rc == 0 && (!pi || md_node_type_of(pi) != MD_NODE_FILE))
        rc = md_err_set(err, "%s: no .PKGINFO in the control member", a->path);
    if (rc == 0) {
        size_t n;
        char *text = md_tree_text(t, "/.PKGINFO", &n);
        rc = memchr(text, '\0', n) ? md_err_set(err, "%s: .PKGINFO holds a NUL byte", a->path)
                                   : parse_pkginfo(a, text, n, err);
        free(text);
    }
    for (size_t i = 0; rc == 0 && i < sizeof script_names / sizeof *script_names; i++)
        if (md_tree_lookup(t, script_names[i]))
            md_strv_push(&a->scripts, script_names[i] + 1);
    md_tree_free(t);
    return rc;
}

/* ---- per-file checksums ---- */

typedef struct checker {
    md_apk *a;
} checker;

/* apk-tools installs no entry of the data stream whose name, as written,
 * starts with '.': it takes them for package metadata (2.14's
 * database.c apk_db_install_archive_entry, 3's extract_v2.c
 * apk_extract_v2_entry, both "if (name[0] == '.') return 0").  The
 * dot-files at the root (".PKGINFO", "./.PKGINFO") are left out here too,
 * never installed as /.PKGINFO (trial 13x F6).  Two kinds apk also skips
 * are not: a name "../x" stays refused as the hostile path it is, and
 * "./usr/x" (abuild never writes one; tar -C DIR . does) is installed as
 * /usr/x, as dpkg would. */
static bool apk_skips(const char *name)
{
    while (name[0] == '.' && name[1] == '/')
        name += 2 + strspn(name + 2, "/");
    return name[0] == '.' && name[1] && name[1] != '/' &&
           !(name[1] == '.' && (!name[2] || name[2] == '/'));
}

static int skip_meta(void *ctx, struct archive *ar, struct archive_entry *e, const char *name,
                     const unsigned char *data, size_t len, md_err *err)
{
    (void)ctx, (void)ar, (void)e, (void)data, (void)len, (void)err;
    return apk_skips(name);
}

/* A tar header's octal number field; -1 if it is not one. */
static long long octal(const unsigned char *f, size_t n)
{
    long long v = 0;
    size_t i = 0;
    while (i < n && f[i] == ' ')
        i++;
    if (i == n || f[i] < '0' || f[i] > '7')
        return -1;
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v > (1LL << 40))
            return -1;
        v = v * 8 + (f[i] - '0');
    }
    return v;
}

/* The APK-TOOLS.checksum.* value among the PAX records [p, p+n): SHA1
 * wins over MD5, as in apk-tools.  0 found, 1 none, -1 malformed. */
static int pax_checksum(const unsigned char *p, size_t n, int *alg, char *val)
{
    int found = 1;
    while (n) {
        size_t len = 0, i = 0;
        while (i < n && p[i] >= '0' && p[i] <= '9' && len < (1u << 20))
            len = len * 10 + (size_t)(p[i++] - '0');
        if (!i || i >= n || p[i] != ' ' || len <= i + 1 || len > n || p[len - 1] != '\n')
            return -1;
        const char *kv = (const char *)p + i + 1;
        size_t kvn = len - i - 2;
        static const struct { const char *key; int alg; size_t hexlen; } sums[] = {
            { "APK-TOOLS.checksum.SHA1=", 2, 40 }, { "APK-TOOLS.checksum.MD5=", 1, 32 } };
        for (size_t s = 0; s < 2; s++) {
            size_t kl = strlen(sums[s].key);
            if (kvn > kl && !memcmp(kv, sums[s].key, kl)) {
                if (kvn - kl != sums[s].hexlen)
                    return -1;
                if (found == 1 || sums[s].alg > *alg) {
                    *alg = sums[s].alg;
                    memcpy(val, kv + kl, sums[s].hexlen);
                    val[sums[s].hexlen] = '\0';
                    found = 0;
                }
            }
        }
        p += len;
        n -= len;
    }
    return found;
}

/* The checksum in the extended headers in front of the entry whose headers
 * start at `pos` in the tar.  0 found, 1 none, -1 unreadable. */
static int entry_checksum(const unsigned char *tar, size_t len, la_int64_t pos, int *alg,
                          char *val)
{
    int found = 1;
    if (pos < 0)
        return -1;
    for (size_t off = (size_t)pos, hops = 0; hops < 16; hops++) {
        if (off > len || len - off < 512)
            return -1;
        const unsigned char *h = tar + off;
        char type = (char)h[156];
        if (type != 'x' && type != 'g' && type != 'L' && type != 'K')
            return found;
        long long size = octal(h + 124, 12);
        if (size < 0 || (unsigned long long)size > len - off - 512)
            return -1;
        if (type == 'x') {
            int r = pax_checksum(h + 512, (size_t)size, alg, val);
            if (r < 0)
                return -1;
            if (r == 0)
                found = 0;
        }
        off += 512 + (((size_t)size + 511) & ~(size_t)511);
    }
    return -1;
}

static int check_entry(void *ctx, struct archive *ar, struct archive_entry *e, const char *name,
                       const unsigned char *data, size_t len, md_err *err)
{
    checker *c = ctx;
    md_apk *a = c->a;
    if (apk_skips(name)) {
        if (a->dropped.n < MD_APK_DROPPED_SHOWN)
            md_strv_push(&a->dropped, name);
        a->ndropped++;
        return 1;
    }
    unsigned ft = archive_entry_filetype(e);
    /* a hardlink's checksum is its file's (apk-tools takes the target's) */
    if (archive_entry_hardlink(e) || (ft != AE_IFREG && ft != AE_IFLNK))
        return 0;
    int alg = 0;
    char want[41];
    int r = entry_checksum(a->tar, a->tarlen, archive_read_header_position(ar), &alg, want);
    if (r < 0)
        return md_err_set(err, "its PAX headers cannot be read");
    if (r > 0) {
        a->unchecked++;
        return 0;
    }
    const unsigned char *d = data;
    size_t n = len;
    if (ft == AE_IFLNK) {
        d = (const unsigned char *)archive_entry_symlink(e);
        n = d ? strlen((const char *)d) : 0;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    digest(alg == 2 ? EVP_sha1() : EVP_md5(), d ? (const void *)d : "", n, md, &mdlen);
    char got[2 * EVP_MAX_MD_SIZE + 1];
    md_sha256_digest_hex(md, mdlen, got);
    if (strcasecmp(got, want))
        return md_err_set(err, "%s %s checksum %s, its APK-TOOLS.checksum header says %s: "
                               "altered", ft == AE_IFLNK ? "symlink target's" : "content's",
                          alg == 2 ? "SHA-1" : "MD5", got, want);
    return 0;
}

/* ---- the whole file ---- */

/* The signature: over control alone (a package with a datahash), else over
 * control and data.  *whole: it covers the data too. */
static int verify_sig(md_apk *a, const md_apksign_keys *keys, const unsigned char *d,
                      size_t siglen, size_t len, size_t ctlend, bool *whole, md_err *err)
{
    const char *signer = NULL;
    md_err first = MD_ERR_INIT;
    *whole = false;
    if (md_apksign_verify(keys, a->path, d, siglen, d + siglen, ctlend - siglen, &signer,
                          &first) < 0) {
        md_err e2 = MD_ERR_INIT;
        if (md_apksign_verify(keys, a->path, d, siglen, d + siglen, len - siglen, &signer,
                              &e2) < 0) {
            /* the usual case (a datahash) failed first: its reason */
            if (!err->set)
                *err = first;
            return -1;
        }
        *whole = true;
    }
    a->signer = md_xstrdup(signer);
    return 0;
}

static int check_index(md_apk *a, const md_apkindex_pkg *x, const unsigned char *ctl,
                       size_t ctllen, size_t len, md_err *err)
{
    if (x->size != len)
        return md_err_set(err, "%s: %zu bytes, but %s:%u (%s-%s) says S:%llu", a->path, len,
                          md_apkindex_label(x->index), x->line, x->name, x->version,
                          (unsigned long long)x->size);
    unsigned char want[32], got[EVP_MAX_MD_SIZE];
    size_t wn;
    unsigned gn;
    if (md_apkver_checksum_parse(x->checksum, want, &wn) < 0)
        return md_err_set(err, "%s: the index's C: %s is not a checksum", a->path, x->checksum);
    digest(wn == 20 ? EVP_sha1() : EVP_sha256(), ctl, ctllen, got, &gn);
    if (gn != wn || memcmp(got, want, wn))
        return md_err_set(err, "%s: control member's checksum differs from C:%s of %s:%u "
                               "(%s-%s): not the package the signed index lists", a->path,
                          x->checksum, md_apkindex_label(x->index), x->line, x->name,
                          x->version);
    return 0;
}

static int check_pkginfo(md_apk *a, const md_apkindex_pkg *x, md_err *err)
{
    const char *arch = md_apk_arch(a);
    if (strcmp(md_apk_name(a), x->name) || strcmp(md_apk_version(a), x->version) ||
        (arch && strcmp(arch, x->arch)))
        return md_err_set(err, "%s: .PKGINFO says %s-%s (%s), the index %s-%s (%s)", a->path,
                          md_apk_name(a), md_apk_version(a), arch ? arch : "no arch", x->name,
                          x->version, x->arch);
    return 0;
}

static int check_datahash(md_apk *a, const unsigned char *data, size_t n, bool whole,
                          md_err *err)
{
    const char *want = md_apk_pkginfo(a, "datahash", 0);
    if (!want)
        return whole ? 0
                     : md_err_set(err, "%s: .PKGINFO has no datahash and the signature covers "
                                       "the control member alone: its data is not signed",
                                  a->path);
    char got[65];
    md_sha256_hex(data, n, got);
    if (strlen(want) != 64 || strcasecmp(want, got))
        return md_err_set(err, "%s: data member's SHA-256 %s differs from .PKGINFO's datahash "
                               "%.64s: altered or truncated", a->path, got, want);
    return 0;
}

/* The most the data member may decompress to: image/unpack's package
 * limits (stream cap and ratio), which the uncompressed tar it is then
 * read from escapes. */
static size_t data_cap(size_t gzlen)
{
    const md_unpack_limits *l = &md_unpack_package_limits;
    uint64_t byratio = (uint64_t)gzlen * l->ratio;
    if (byratio < MD_UNPACK_RATIO_FREE)
        byratio = MD_UNPACK_RATIO_FREE;
    return (size_t)(byratio < l->stream_bytes ? byratio : l->stream_bytes);
}

md_apk *md_apk_open(const char *path, const md_apksign_keys *keys,
                    const md_apkindex_pkg *expect, md_err *err)
{
    return md_apk_open_as(path, path, keys, expect, err);
}

md_apk *md_apk_open_as(const char *file, const char *path, const md_apksign_keys *keys,
                       const md_apkindex_pkg *expect, md_err *err)
{
    unsigned char *d;
    size_t len, siglen = 0, ctllen = 0;
    if (md_read_file(file, &d, &len, err) < 0)
        return NULL;
    md_apk *a = md_xcalloc(1, sizeof *a);
    a->path = md_xstrdup(path);
    int rc = 0;
    bool whole = false;
    if (len > MD_APK_MAX_FILE)
        rc = md_err_set(err, "%s: %zu bytes (limit %zu)", path, len, MD_APK_MAX_FILE);
    if (rc == 0)
        rc = md_apksign_need_gzip(path, "its signature member", d, len, err);
    if (rc == 0 &&
        md_decomp_stream_len(path, d, len, MD_APKSIGN_MAX_SIG_MEMBER, &siglen, NULL, err) < 0) {
        md_err_prefix(err, "signature member");
        rc = -1;
    }
    if (rc == 0 && siglen < len)
        rc = md_apksign_need_gzip(path, "its control member", d + siglen, len - siglen, err);
    if (rc == 0 && siglen < len &&
        md_decomp_stream_len(path, d + siglen, len - siglen, MD_APK_MAX_CONTROL, &ctllen, NULL,
                             err) < 0) {
        md_err_prefix(err, "control member");
        rc = -1;
    }
    if (rc == 0 && siglen + ctllen >= len)
        rc = md_err_set(err, "%s: %s", path, siglen >= len ? "one gzip member: not a signed .apk"
                                                           : "no data member after the control "
                                                             "member");
    const unsigned char *ctl = d + siglen, *data = ctl + ctllen;
    size_t datalen = rc == 0 ? len - siglen - ctllen : 0;
    if (rc == 0)
        rc = md_apksign_need_gzip(path, "its data member", data, datalen, err);
    /* the control member's identity, Q1 as indexes write it */
    if (rc == 0) {
        unsigned char md[20];
        unsigned mn;
        unsigned char b64[32];
        digest(EVP_sha1(), ctl, ctllen, md, &mn);
        EVP_EncodeBlock(b64, md, (int)mn);
        a->checksum = md_xasprintf("Q1%s", b64);
    }
    /* authenticated before anything of the member is parsed: by the
     * signed index's C:, or by the package's own signature */
    if (rc == 0 && expect)
        rc = check_index(a, expect, ctl, ctllen, len, err);
    if (rc == 0)
        rc = verify_sig(a, keys, d, siglen, len, siglen + ctllen, &whole, err);
    if (rc == 0)
        rc = read_control(a, ctl, ctllen, err);
    if (rc == 0 && expect)
        rc = check_pkginfo(a, expect, err);
    if (rc == 0)
        rc = check_datahash(a, data, datalen, whole, err);
    if (rc == 0 && md_decomp_buf(path, data, datalen, data_cap(datalen), &a->tar, &a->tarlen,
                                 err) < 0) {
        md_err_prefix(err, "data member");
        rc = -1;
    }
    if (rc == 0) {
        /* the data read once, checksums checked, into a tree then dropped */
        checker c = { a };
        char *label = md_xasprintf("%s data", path);
        md_tree *t = md_unpack_tar(label, a->tar, a->tarlen, NULL, check_entry, &c, &a->entries,
                                   err);
        free(label);
        rc = t ? 0 : -1;
        md_tree_free(t);
    }
    free(d);
    if (rc < 0) {
        md_apk_free(a);
        return NULL;
    }
    return a;
}

int md_apk_extract(const md_apk *a, md_tree *t, const char *origin, md_tree_clash clash,
                   md_unpack_stats *stats, md_err *err)
{
    struct archive *ar = archive_read_new();
    archive_read_support_format_tar(ar);
    archive_read_open_memory(ar, a->tar, a->tarlen);
    md_unpack_opts o = { .origin = origin, .label = "data", .clash = clash,
                         .limits = md_unpack_package_limits, .check = skip_meta };
    md_unpack_stats st = { 0 };
    int rc = md_unpack_archive(t, ar, &o, &st, err);
    archive_read_free(ar);
    if (rc < 0)
        md_err_prefix(err, "%s (package %s)", a->path, origin);
    if (stats)
        *stats = st;
    return rc;
}
