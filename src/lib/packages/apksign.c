/* apksign — see apksign.h.  OpenSSL's EVP interface checks each signature
 * (EVP_DigestVerify with PKCS#1 v1.5 padding, the scheme abuild-sign
 * writes); core/decomp decompresses the member (zlib checks its CRC, which
 * libarchive's gzip filter does not) and libarchive reads the tar entries
 * from memory. */
#include "packages/apksign.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/decomp.h"
#include "core/file.h"
#include "core/mem.h"

typedef struct key {
    char *name;
    EVP_PKEY *pkey;
} key;

struct md_apksign_keys {
    char *dir;
    key *v;
    size_t n;
};

static const char KEY_SUFFIX[] = ".rsa.pub";

static bool is_key_name(const char *n)
{
    size_t l = strlen(n), s = sizeof KEY_SUFFIX - 1;
    return l > s && n[0] != '.' && !strcmp(n + l - s, KEY_SUFFIX);
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(((const key *)a)->name, ((const key *)b)->name);
}

static EVP_PKEY *read_key(const char *path, md_err *err)
{
    unsigned char *d;
    size_t len;
    if (md_read_file(path, &d, &len, err) < 0)
        return NULL;
    EVP_PKEY *pk = NULL;
    if (len > MD_APKSIGN_MAX_KEY_BYTES) {
        md_err_set(err, "trusted key %s: %zu bytes, more than a public key holds (limit %u)",
                   path, len, MD_APKSIGN_MAX_KEY_BYTES);
    } else {
        BIO *b = BIO_new_mem_buf(d, (int)len);
        pk = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
        BIO_free(b);
        if (!pk)
            md_err_set(err, "trusted key %s: not a PEM public key", path);
        else if (EVP_PKEY_base_id(pk) != EVP_PKEY_RSA)
            md_err_set(err, "trusted key %s: not an RSA key (apk v2 signatures are RSA)", path);
        else if (EVP_PKEY_get_bits(pk) < 2048)
            md_err_set(err, "trusted key %s: RSA key of %d bits, too weak to trust (at least 2048)",
                       path, EVP_PKEY_get_bits(pk));
        if (err->set) {
            EVP_PKEY_free(pk);
            pk = NULL;
        }
    }
    free(d);
    return pk;
}

#define KEY_RISK "who could sign packages of their own for the image: keep trusted keys where " \
                 "only you (or root) can change them"

md_apksign_keys *md_apksign_keys_load(const char *dir, md_err *err)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return md_err_errno(err, "trusted keys directory %s", dir), NULL;
    md_apksign_keys *k = md_xcalloc(1, sizeof *k);
    k->dir = md_xstrdup(dir);
    size_t cap = 0;
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(dh))) {
        if (!is_key_name(de->d_name))
            continue;
        if (k->n >= MD_APKSIGN_MAX_KEYS) {
            rc = md_err_set(err, "trusted keys directory %s: more than %d keys", dir,
                            MD_APKSIGN_MAX_KEYS);
            break;
        }
        char *path = md_xasprintf("%s/%s", dir, de->d_name);
        /* The directory being root's says nothing of its files: one another
         * user owns or may write (kept so by `tar x` as root), or a link to
         * theirs, would let them sign the packages of every build (trial
         * 9e).  The rule of the spec's other trust inputs (Keyring=). */
        char *abs = md_path_abs(path);
        EVP_PKEY *pk = md_file_check_trusted_input(abs, KEY_RISK, err) < 0 ? NULL
                                                                          : read_key(path, err);
        free(abs);
        free(path);
        if (!pk) {
            rc = -1;
            break;
        }
        k->v = md_xgrow(k->v, &cap, k->n + 1, sizeof *k->v);
        k->v[k->n++] = (key){ md_xstrdup(de->d_name), pk };
    }
    closedir(dh);
    if (rc == 0 && k->n == 0)
        rc = md_err_set(err, "trusted keys directory %s holds no *%s key", dir, KEY_SUFFIX);
    if (rc < 0) {
        md_apksign_keys_free(k);
        return NULL;
    }
    qsort(k->v, k->n, sizeof *k->v, key_cmp);
    return k;
}

void md_apksign_keys_free(md_apksign_keys *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++) {
        free(k->v[i].name);
        EVP_PKEY_free(k->v[i].pkey);
    }
    free(k->v);
    free(k->dir);
    free(k);
}

const char *md_apksign_keys_dir(const md_apksign_keys *k) { return k->dir; }
size_t md_apksign_keys_count(const md_apksign_keys *k) { return k->n; }
const char *md_apksign_keys_name(const md_apksign_keys *k, size_t i)
{
    return i < k->n ? k->v[i].name : NULL;
}

static const key *find_key(const md_apksign_keys *k, const char *name)
{
    key probe = { (char *)name, NULL };
    return bsearch(&probe, k->v, k->n, sizeof *k->v, key_cmp);
}

/* ".SIGN.RSA256.name" -> the digest and the key name; NULL digest with
 * *alg set: an algorithm we do not check. */
static const EVP_MD *sig_alg(const char *entry, const char **alg, size_t *alglen,
                             const char **keyname)
{
    const char *a = entry + 6, *dot = strchr(a, '.');
    if (!dot) {
        *alg = a;
        *alglen = strlen(a);
        *keyname = "";
        return NULL;
    }
    *alg = a;
    *alglen = (size_t)(dot - a);
    *keyname = dot + 1;
    if (*alglen == 3 && !memcmp(a, "RSA", 3))
        return EVP_sha1();
    if (*alglen == 6 && !memcmp(a, "RSA256", 6))
        return EVP_sha256();
    if (*alglen == 6 && !memcmp(a, "RSA512", 6))
        return EVP_sha512();
    return NULL;
}

static bool rsa_ok(EVP_PKEY *pk, const EVP_MD *md, const unsigned char *sig, size_t siglen,
                   const unsigned char *data, size_t len)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    bool ok = c && EVP_DigestVerifyInit(c, NULL, md, NULL, pk) == 1 &&
              EVP_DigestVerify(c, sig, siglen, data, len) == 1;
    EVP_MD_CTX_free(c);
    return ok;
}

/* Why each signature was passed over, for the error when none verified. */
static void note(FILE *why, bool *first, const char *fmt, const char *a, const char *b)
{
    fputs(*first ? "" : "; ", why);
    *first = false;
    fprintf(why, fmt, a, b);
}

int md_apksign_need_gzip(const char *label, const char *what, const unsigned char *data,
                         size_t len, md_err *err)
{
    md_decomp_codec c = md_decomp_detect(data, len);
    if (c == MD_DECOMP_GZIP)
        return 0;
    return md_err_set(err, "%s: %s is %s, not gzip (an apk v2 file is gzip members only, "
                           "apk-v2(5))", label, what,
                      c == MD_DECOMP_NONE ? "not compressed" : md_decomp_name(c));
}

int md_apksign_verify(const md_apksign_keys *k, const char *label, const unsigned char *sig,
                      size_t siglen, const unsigned char *data, size_t len, const char **signer,
                      md_err *err)
{
    unsigned char *tar;
    size_t tarlen;
    md_err e = MD_ERR_INIT;
    if (md_decomp_buf(label, sig, siglen, MD_APKSIGN_MAX_SIG_MEMBER, &tar, &tarlen, &e) < 0)
        return md_err_set(err, "%s: signature member unreadable: %s", label, e.msg);
    struct archive *a = archive_read_new();
    archive_read_support_format_tar(a);
    archive_read_open_memory(a, tar, tarlen);
    char *whytext = NULL;
    size_t whylen = 0;
    FILE *why = md_xmemstream(&whytext, &whylen);
    bool first = true;
    const key *good = NULL;
    size_t nsigs = 0;
    int rc = 0, s;
    struct archive_entry *ent;
    unsigned char buf[MD_APKSIGN_MAX_SIG_BYTES + 1];
    /* every entry is read, after a good signature too: the member holds
     * signatures only, and an entry after the one that verified is no more
     * a signature than one before it (trial 13h case 10: an APKINDEX
     * after .SIGN was passed over unread) */
    while (rc == 0 && (s = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(ent);
        if (!name || strncmp(name, ".SIGN.", 6) || archive_entry_filetype(ent) != AE_IFREG) {
            rc = md_err_set(err, "%s: its first gzip member holds '%.80s', not a .SIGN.* "
                                 "signature (not a signed apk v2 file)", label, name ? name : "?");
            break;
        }
        if (++nsigs > MD_APKSIGN_MAX_SIGS) {
            rc = md_err_set(err, "%s: more than %d signatures", label, MD_APKSIGN_MAX_SIGS);
            break;
        }
        la_ssize_t n = 0, got;
        while (n < (la_ssize_t)sizeof buf &&
               (got = archive_read_data(a, buf + n, sizeof buf - (size_t)n)) != 0) {
            if (got < 0) {
                n = -1;
                break;
            }
            n += got;
        }
        if (n <= 0 || n > (la_ssize_t)MD_APKSIGN_MAX_SIG_BYTES) {
            rc = md_err_set(err, "%s: signature %s: %s", label, name,
                            n < 0 ? "unreadable" : n == 0 ? "empty" : "larger than any RSA signature");
            break;
        }
        if (good)
            continue; /* one trusted signature is enough, as for apk */
        const char *alg, *keyname;
        size_t alglen;
        const EVP_MD *md = sig_alg(name, &alg, &alglen, &keyname);
        char *algs = md_xstrndup(alg, alglen);
        const key *kk = find_key(k, keyname);
        if (!md)
            note(why, &first, "%s signature by %s not checked (only RSA, RSA256, RSA512 are)",
                 algs, *keyname ? keyname : "?");
        else if (!kk)
            note(why, &first, "signed by %s, which is not in %s", keyname, k->dir);
        else if (!rsa_ok(kk->pkey, md, buf, (size_t)n, data, len))
            note(why, &first, "the %s signature by %s does not verify: the file was altered or "
                              "the signature is corrupt", algs, keyname);
        else
            good = kk;
        free(algs);
    }
    if (rc == 0 && s != ARCHIVE_EOF)
        rc = md_err_set(err, "%s: signature member: %s", label,
                        archive_error_string(a) ? archive_error_string(a) : "corrupt tar");
    char *whys = md_xmemstream_close(why, &whytext);
    if (rc == 0 && !good)
        rc = nsigs ? md_err_set(err, "%s: no trusted signature: %s", label, whys)
                   : md_err_set(err, "%s: not signed (no .SIGN.* entry)", label);
    free(whys);
    archive_read_free(a);
    free(tar);
    if (rc == 0 && signer)
        *signer = good->name;
    return rc;
}

/* A detached signature: `signame` is ".SIGN.<ALG>.<keyname>" (as a v2
 * member's entry, or the tail of Alpine's modloop signature file, which
 * update-kernel writes with `openssl dgst -sha1 -sign`: PKCS#1 v1.5 RSA
 * over SHA-1 of the whole file), `sig` its `siglen` bytes, checked over
 * the whole of the regular file at `path`, streamed (no size limit).
 * `label` names the file in errors.  Refused: an algorithm not checked,
 * a key not in the set ("signed by X, which is not in DIR"), a signature
 * that does not verify ("altered or corrupt"), a file that cannot be
 * read. */
static int verify_file(const md_apksign_keys *k, const char *label, const char *signame,
                       const unsigned char *sig, size_t siglen, const char *path, md_err *err)
{
    if (strncmp(signame, ".SIGN.", 6))
        return md_err_set(err, "%s: '%s' is not a .SIGN.<ALG>.<key> signature name", label,
                          signame);
    const char *alg, *keyname;
    size_t alglen;
    const EVP_MD *md = sig_alg(signame, &alg, &alglen, &keyname);
    if (!md)
        return md_err_set(err, "%s: %.*s signature by %s not checked (only RSA, RSA256, RSA512 "
                               "are)", label, (int)alglen, alg, *keyname ? keyname : "?");
    const key *kk = find_key(k, keyname);
    if (!kk)
        return md_err_set(err, "%s: signed by %s, which is not in %s", label, keyname, k->dir);
    if (siglen == 0 || siglen > MD_APKSIGN_MAX_SIG_BYTES)
        return md_err_set(err, "%s: signature by %s: %s", label, keyname,
                          siglen ? "larger than any RSA signature" : "empty");
    int fd = md_open_regular_flags(path, 0, NULL, err);
    if (fd < 0)
        return -1;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    bool ok = c && EVP_DigestVerifyInit(c, NULL, md, NULL, kk->pkey) == 1;
    unsigned char buf[1 << 16];
    ssize_t n;
    while (ok && (n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0) {
            close(fd);
            EVP_MD_CTX_free(c);
            return md_err_set(err, "%s: %s", path, strerror(errno));
        }
        ok = EVP_DigestVerifyUpdate(c, buf, (size_t)n) == 1;
    }
    ok = ok && EVP_DigestVerifyFinal(c, sig, siglen) == 1;
    close(fd);
    EVP_MD_CTX_free(c);
    if (!ok)
        return md_err_set(err, "%s: the %.*s signature by %s does not verify: the file was "
                               "altered or the signature is corrupt", label, (int)alglen, alg,
                          keyname);
    return 0;
}

static int verify_beside(const char *path, const md_apksign_keys *const *sets, size_t nsets,
                         md_strv *signers, md_err *err);

int md_apksign_verify_beside(const char *given, const md_apksign_keys *const *sets, size_t nsets,
                             md_strv *signers, char **resolved, md_err *err)
{
    /* a link (Modloop=modloop-current -> modloop-lts): the signature is
     * the one beside the file it leads to, as update-kernel wrote it there
     * (trial 13h case 7: it was looked for beside the link, found missing,
     * and the modloop taken as unsigned) */
    char *path = realpath(given, NULL);
    if (!path)
        return md_err_set(err, "modloop %s: %s", given, strerror(errno));
    int r = verify_beside(path, sets, nsets, signers, err);
    if (r >= 0 && resolved)
        *resolved = path;
    else
        free(path);
    return r;
}

static int verify_beside(const char *path, const md_apksign_keys *const *sets, size_t nsets,
                         md_strv *signers, md_err *err)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? md_xstrndup(path, (size_t)(slash - path)) : md_xstrdup(".");
    const char *base = slash ? slash + 1 : path;
    size_t blen = strlen(base);
    DIR *d = opendir(*dir ? dir : "/");
    if (!d) {
        md_err_set(err, "%s: cannot list %s for its signature: %s", path, dir, strerror(errno));
        free(dir);
        return -1;
    }
    md_strv sigs = { 0 };
    struct dirent *e;
    while ((e = readdir(d)))
        if (!strncmp(e->d_name, base, blen) && !strncmp(e->d_name + blen, ".SIGN.", 6))
            md_strv_push(&sigs, e->d_name);
    closedir(d);
    md_strv_sort(&sigs);
    int r = sigs.n ? 1 : 0;
    for (size_t i = 0; r == 1 && i < sigs.n; i++) {
        char *sp = md_xasprintf("%s/%s", dir, sigs.v[i]);
        const char *signame = sigs.v[i] + blen;
        /* the key's name after ".SIGN.ALG." whatever ALG (".SIGN.RSA256.K"
         * was reported, and looked up, as ".SIGN.RSA256.K": trial 13h
         * case 7) */
        const char *keyname = strchr(signame + 6, '.');
        keyname = keyname ? keyname + 1 : NULL;
        /* the set that holds the named key checks it; none holds it: the
         * first set gives the "not in DIR" error */
        const md_apksign_keys *k = nsets ? sets[0] : NULL;
        for (size_t j = 0; keyname && j < nsets; j++)
            if (find_key(sets[j], keyname)) {
                k = sets[j];
                break;
            }
        unsigned char *sig = NULL;
        size_t siglen = 0;
        md_err e2 = MD_ERR_INIT;
        if (!k)
            r = md_err_set(err, "%s: signed (%s), but no Alpine repository's keys are there to "
                                "check it", path, sigs.v[i]);
        else if (md_read_file(sp, &sig, &siglen, &e2) < 0)
            r = md_err_set(err, "modloop %s: its signature: %s", path, e2.msg);
        else if (verify_file(k, sp, signame, sig, siglen, path, &e2) < 0)
            r = md_err_set(err, "modloop %s refused: %s", path, e2.msg);
        else if (signers)
            md_strv_push(signers, keyname ? keyname : signame);
        free(sig);
        free(sp);
    }
    md_strv_free(&sigs);
    free(dir);
    return r;
}
