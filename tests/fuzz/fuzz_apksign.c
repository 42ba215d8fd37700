/* A v2 signature member (packages/apksign.h md_apksign_verify): the input
 * is the first gzip member of an .apk or APKINDEX.tar.gz, checked over
 * fixed bytes against a key set that trusts fuzz_apkkey.h's key, so the
 * seeds' signatures verify and mutations reach every reason to refuse
 * (corrupt gzip or tar, a non-.SIGN entry, unknown algorithms and keys,
 * too many or too large signatures).  The same input is then a modloop's
 * detached signature file (md_apksign_verify_beside: the file
 * MODLOOP.SIGN.RSA256.<key> beside it, read as update-kernel writes one),
 * and the start of a v2 file (md_apksign_need_gzip). */
#include <sys/stat.h>
#include "core/strv.h"
#include "fuzz_apkkey.h"

/* what the seeds' signatures are over */
static const char signed_text[] = "mkdom0 fuzz: the bytes the seeds sign\n";

static char beside_dir[] = "/tmp/mkdom0-fuzz-apksign.XXXXXX";
static char modloop[sizeof beside_dir + 16], sigfile[sizeof beside_dir + 64];

static void cleanup(void)
{
    unlink(sigfile);
    unlink(modloop);
    rmdir(beside_dir);
}

static void write_file(const char *path, const void *d, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f || fwrite(d, 1, n, f) != n || fclose(f) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const md_apksign_keys *keys = fz_apk_keys();
    md_err e = MD_ERR_INIT;
    const char *signer = NULL;
    if (md_apksign_verify(keys, "fuzz.apk", data, size, (const unsigned char *)signed_text,
                          sizeof signed_text - 1, &signer, &e) == 0 && !signer)
        abort();
    md_err ge = MD_ERR_INIT;
    (void)md_apksign_need_gzip("fuzz.apk", "its signature member", data, size, &ge);

    if (!*modloop) {
        if (!mkdtemp(beside_dir))
            abort();
        snprintf(modloop, sizeof modloop, "%s/modloop", beside_dir);
        snprintf(sigfile, sizeof sigfile, "%s/modloop.SIGN.RSA256.%s", beside_dir, FZ_APK_KEYNAME);
        atexit(cleanup);
        write_file(modloop, signed_text, sizeof signed_text - 1);
    }
    write_file(sigfile, data, size);
    const md_apksign_keys *sets[1] = { keys };
    md_strv signers = { 0 };
    char *resolved = NULL;
    md_err be = MD_ERR_INIT;
    (void)md_apksign_verify_beside(modloop, sets, 1, &signers, &resolved, &be);
    md_strv_free(&signers);
    free(resolved);
    return 0;
}
