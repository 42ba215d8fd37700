/* An Alpine .apk's control and data members (packages/apk.h md_apk_open,
 * then md_apk_extract): the input is the file after its signature member,
 * which the target signs (fuzz_apkkey.h, RSA256 over all of it, so a
 * .PKGINFO without a datahash is signed too) and puts in front, so every
 * input reaches the readers behind the signature: the gzip members'
 * split, the control tar and .PKGINFO, the datahash, the data tar and its
 * per-file PAX checksums.  A package that opens is opened again against
 * an index record made of its own fields (check_index, check_pkginfo),
 * then extracted.  The reader wants a path (fz_file). */
#include "fuzz_apkkey.h"
#include "image/tree.h"
#include "packages/apk.h"

static char tmpl[] = "/tmp/mkdom0-fuzz-apk.XXXXXX";

static void use(const md_apk *a)
{
    (void)md_apk_name(a), (void)md_apk_version(a), (void)md_apk_arch(a);
    (void)md_apk_signer(a), (void)md_apk_checksum(a), (void)md_apk_unchecked(a);
    (void)md_apk_entries(a);
    for (size_t i = 0; md_apk_pkginfo(a, "depend", i); i++)
        ;
    for (size_t i = 0; md_apk_script(a, i); i++)
        ;
    for (size_t i = 0; i < md_apk_dropped_count(a) && md_apk_dropped(a, i); i++)
        ;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const md_apksign_keys *keys = fz_apk_keys();
    unsigned char *sig;
    size_t siglen = fz_apk_sig_member(data, size, &sig);
    unsigned char *file = malloc(siglen + size + 1);
    if (!file)
        abort();
    memcpy(file, sig, siglen);
    if (size)
        memcpy(file + siglen, data, size);
    free(sig);
    const char *path = fz_file(tmpl, file, siglen + size);
    free(file);
    md_err e = MD_ERR_INIT;
    md_apk *a = md_apk_open_as(path, "fuzz.apk", keys, NULL, &e);
    if (!a)
        return 0;
    use(a);
    md_apkindex_pkg x = { .name = md_apk_name(a), .version = md_apk_version(a),
                          .arch = md_apk_arch(a) ? md_apk_arch(a) : "x86_64",
                          .checksum = md_apk_checksum(a), .size = siglen + size };
    md_err xe = MD_ERR_INIT;
    md_apk *b = md_apk_open_as(path, "fuzz.apk", keys, &x, &xe);
    if (!b)
        abort(); /* the same bytes, its own record: it must open again */
    md_apk_free(b);
    md_tree *t = md_tree_new(true);
    md_unpack_stats st;
    md_err te = MD_ERR_INIT;
    (void)md_apk_extract(a, t, "fuzz", MD_CLASH_ERROR, &st, &te);
    md_tree_free(t);
    md_apk_free(a);
    return 0;
}
