/* image/modloop: Alpine's modloop squashfs (made here by mksquashfs, the
 * tool Alpine's mkinitfs uses) into a tree: modules/KVER at
 * /lib/modules/KVER with the squashfs' modes, owners, mtimes and link
 * targets, firmware left out; and each bad input refused with an error
 * naming the file: not a squashfs, truncated, no modules/, no kernel
 * directory, a device node, a path the packages already hold.  Its
 * signature as update-kernel writes it (openssl dgst -sha1 -sign over the
 * whole file, MODLOOP.SIGN.RSA.KEYNAME beside it): verified, unsigned,
 * altered, unknown key, another key's under a trusted name. */
#include "t.h"
#include "tfiles.h"
#include "apkmaker.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/strv.h"
#include "image/modloop.h"
#include "image/tree.h"
#include "packages/apksign.h"

static char *dir;

/* mksquashfs SRC OUT [extra args]: 0 on success. */
static int mksquashfs(const char *src, const char *out, const char *extra)
{
    char *cmd = md_xasprintf("mksquashfs '%s' '%s' -noappend -quiet -no-progress -comp gzip "
                             "%s >/dev/null 2>&1", src, out, extra ? extra : "");
    int rc = system(cmd);
    free(cmd);
    return rc;
}

static char *path(const char *rel) { return md_xasprintf("%s/%s", dir, rel); }

static void mkdirs(const char *rel)
{
    char *cmd = md_xasprintf("mkdir -p '%s/%s'", dir, rel);
    CHECK(system(cmd) == 0);
    free(cmd);
}

/* The file REL below the scratch directory, holding `text`; mode `mode`
 * (0: as made). */
static void put(const char *rel, const char *text, mode_t mode)
{
    char *p = path(rel);
    t_spit(p, text);
    if (mode)
        CHECK(chmod(p, mode) == 0);
    free(p);
}

static void good_tree(void)
{
    mkdirs("src/modules/6.6.1-0-lts/kernel/drivers/xen");
    mkdirs("src/modules/firmware/intel");
    put("src/modules/6.6.1-0-lts/kernel/drivers/xen/xen-evtchn.ko.gz", "not really a module",
        0600);
    put("src/modules/6.6.1-0-lts/modules.order", "kernel/drivers/xen/xen-evtchn.ko\n", 0);
    char *p = path("src/modules/6.6.1-0-lts/build");
    CHECK(symlink("/usr/src/linux-headers-6.6.1-0-lts", p) == 0);
    free(p);
    put("src/modules/firmware/intel/ucode.bin", "firmware", 0);
    put("src/modules/README", "a stray file beside the kernels", 0);
}

static void test_good(void)
{
    char *img = path("good.sqfs"), *src = path("src");
    /* owner 7:9 and one mtime for all, which the tree must keep */
    CHECK(mksquashfs(src, img, "-force-uid 7 -force-gid 9 -all-time 1700000000") == 0);
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    md_strv kv = { 0 };
    CHECK(md_modloop_read(t, img, "modloop", NULL, &kv, &e) == 0);
    if (e.set)
        fprintf(stderr, "%s\n", e.msg);
    CHECK(kv.n == 1 && !strcmp(kv.v[0], "6.6.1-0-lts"));
    const md_node *n = md_tree_lookup(t, "/lib/modules/6.6.1-0-lts/kernel/drivers/xen/xen-evtchn.ko.gz");
    CHECK(n && md_node_type_of(n) == MD_NODE_FILE);
    if (n) {
        size_t len;
        const unsigned char *d = md_node_data(n, &len);
        CHECK(len == 19 && !memcmp(d, "not really a module", 19));
        CHECK(md_node_attr(n)->mode == 0600);
        CHECK(md_node_attr(n)->uid == 7 && md_node_attr(n)->gid == 9);
        CHECK(md_node_attr(n)->mtime == 1700000000);
        CHECK_STR(md_node_origin(n), "modloop");
    }
    n = md_tree_lookup(t, "/lib/modules/6.6.1-0-lts/build");
    CHECK(n && md_node_type_of(n) == MD_NODE_SYMLINK);
    if (n)
        CHECK_STR(md_node_link_target(n), "/usr/src/linux-headers-6.6.1-0-lts");
    CHECK(md_tree_lookup(t, "/lib/modules/6.6.1-0-lts/modules.order") != NULL);
    /* firmware and stray files stay out */
    CHECK(!md_tree_lookup(t, "/lib/modules/firmware"));
    CHECK(!md_tree_lookup(t, "/lib/firmware/intel/ucode.bin"));
    CHECK(!md_tree_lookup(t, "/lib/modules/README"));
    md_strv_free(&kv);

    /* A package that holds the same kernel's modules: a conflict naming both */
    md_tree *t2 = md_tree_new(true);
    md_attr a = { 0644, 0, 0, 0 };
    unsigned char *other = (unsigned char *)md_xstrdup("other");
    CHECK(md_tree_add_file(t2, "/lib/modules/6.6.1-0-lts/modules.order", &a, other, 5,
                           "linux-lts", MD_CLASH_ERROR, &e) == 0);
    md_err e2 = MD_ERR_INIT;
    CHECK(md_modloop_read(t2, img, "modloop", NULL, NULL, &e2) < 0);
    CHECK_ERR(&e2, "linux-lts");
    md_tree_free(t2);

    /* Truncated: an error, whichever table or block the cut falls in. */
    unsigned char *full;
    size_t len;
    CHECK(md_read_file(img, &full, &len, &e) == 0);
    /* squashfs' bytes_used (super block offset 40, little-endian): what
     * follows is mksquashfs' padding to 4 KiB, not part of the image */
    uint64_t used = 0;
    for (int i = 7; i >= 0; i--)
        used = used << 8 | full[40 + i];
    CHECK(used > 200 && used <= len);
    size_t cuts[] = { 50, (size_t)used / 2, (size_t)used - 1 };
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        char *cut = path("cut.sqfs");
        CHECK(md_write_atomic(cut, full, cuts[i], 0644, &e) == 0);
        md_tree *t3 = md_tree_new(true);
        md_err e3 = MD_ERR_INIT;
        CHECK(md_modloop_read(t3, cut, "modloop", NULL, NULL, &e3) < 0);
        CHECK_ERR(&e3, cut);
        md_tree_free(t3);
        free(cut);
    }
    free(full);
    md_tree_free(t);
    free(img);
    free(src);
}

static void test_bad(void)
{
    md_err e = MD_ERR_INIT;
    md_tree *t = md_tree_new(true);
    /* not a squashfs at all */
    char *txt = path("text");
    t_spit(txt, "hello, I am no squashfs, but a longer text than its super block is\n"
                "so that the reader gets to look at the magic number and say so\n");
    CHECK(md_modloop_read(t, txt, "modloop", NULL, NULL, &e) < 0);
    CHECK_ERR(&e, "not a squashfs");
    CHECK_ERR(&e, txt);
    /* missing file */
    char *none = path("none.sqfs");
    md_err_clear(&e);
    CHECK(md_modloop_read(t, none, "modloop", NULL, NULL, &e) < 0);
    CHECK_ERR(&e, none);
    /* a squashfs without modules/ */
    mkdirs("nomod/etc");
    char *src = path("nomod"), *img = path("nomod.sqfs");
    CHECK(mksquashfs(src, img, NULL) == 0);
    md_err_clear(&e);
    CHECK(md_modloop_read(t, img, "modloop", NULL, NULL, &e) < 0);
    CHECK_ERR(&e, "no modules/");
    free(src);
    free(img);
    /* modules/ with firmware only */
    mkdirs("fwonly/modules/firmware");
    src = path("fwonly"), img = path("fwonly.sqfs");
    CHECK(mksquashfs(src, img, NULL) == 0);
    md_err_clear(&e);
    CHECK(md_modloop_read(t, img, "modloop", NULL, NULL, &e) < 0);
    CHECK_ERR(&e, "no kernel's modules");
    free(src);
    free(img);
    /* a device node in a kernel's directory (a pseudo file of mksquashfs) */
    mkdirs("dev/modules/6.1/kernel");
    src = path("dev"), img = path("dev.sqfs");
    CHECK(mksquashfs(src, img, "-p 'modules/6.1/kernel/mem c 600 0 0 1 1'") == 0);
    md_err_clear(&e);
    CHECK(md_modloop_read(t, img, "modloop", NULL, NULL, &e) < 0);
    CHECK_ERR(&e, "modules/6.1/kernel/mem");
    free(src);
    free(img);
    free(txt);
    free(none);
    md_tree_free(t);
}

static void t_write(const char *path, const void *d, size_t n)
{
    md_err e = MD_ERR_INIT;
    CHECK(md_write_atomic(path, d, n, 0644, &e) == 0);
}

/* `openssl dgst -sha1 -sign k -out dir/NAME file`, as update-kernel's
 * sign_modloop. */
static void sign(EVP_PKEY *k, const char *file, const char *name)
{
    unsigned char *d;
    size_t n, sl = 0;
    md_err e = MD_ERR_INIT;
    CHECK(md_read_file(file, &d, &n, &e) == 0);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned char sig[512];
    sl = sizeof sig;
    const EVP_MD *md = strstr(name, ".SIGN.RSA256.") ? EVP_sha256() : EVP_sha1();
    CHECK(EVP_DigestSignInit(c, NULL, md, NULL, k) == 1 &&
          EVP_DigestSign(c, sig, &sl, d, n) == 1);
    EVP_MD_CTX_free(c);
    char *p = md_xasprintf("%s/%s", dir, name);
    t_write(p, sig, sl);
    free(p);
    free(d);
}

static void test_signature(void)
{
    char *kd = md_xasprintf("%s/keys", dir), *kd2 = md_xasprintf("%s/keys2", dir);
    mkdir(kd, 0755);
    mkdir(kd2, 0755);
    EVP_PKEY *k = am_key(kd, "test-1.rsa.pub"), *k2 = am_key(kd2, "test-2.rsa.pub");
    EVP_PKEY *other = EVP_RSA_gen(2048);
    md_err e = MD_ERR_INIT;
    md_apksign_keys *ks = md_apksign_keys_load(kd, &e), *ks2 = md_apksign_keys_load(kd2, &e);
    CHECK(ks && ks2);
    const md_apksign_keys *one[] = { ks }, *two[] = { ks, ks2 };
    char *ml = md_xasprintf("%s/modloop-lts", dir);
    t_write(ml, "a squashfs stands here: only its bytes are signed", 50);
    md_strv who = { 0 };

    /* unsigned, and a signature of another modloop is not its */
    CHECK(md_apksign_verify_beside(ml, one, 1, &who, NULL, &e) == 0 && who.n == 0);
    char *ml2 = md_xasprintf("%s/modloop", dir);
    t_write(ml2, "x", 1);
    sign(k, ml2, "modloop-virt.SIGN.RSA.test-1.rsa.pub");
    CHECK(md_apksign_verify_beside(ml2, one, 1, &who, NULL, &e) == 0);

    /* signed by a trusted key: verified, its key named */
    sign(k, ml, "modloop-lts.SIGN.RSA.test-1.rsa.pub");
    CHECK(md_apksign_verify_beside(ml, one, 1, &who, NULL, &e) == 1);
    CHECK(who.n == 1 && !strcmp(who.v[0], "test-1.rsa.pub"));
    /* no repository keys to check it with */
    e = (md_err)MD_ERR_INIT;
    CHECK(md_apksign_verify_beside(ml, NULL, 0, NULL, NULL, &e) < 0 && strstr(e.msg, "no Alpine repository"));

    /* one byte altered after signing */
    t_write(ml, "a squashfs stands here: only its bytes are signeD", 50);
    e = (md_err)MD_ERR_INIT;
    CHECK(md_apksign_verify_beside(ml, one, 1, NULL, NULL, &e) < 0);
    CHECK(strstr(e.msg, ml) && strstr(e.msg, "test-1.rsa.pub does not verify"));
    t_write(ml, "a squashfs stands here: only its bytes are signed", 50);
    CHECK(md_apksign_verify_beside(ml, one, 1, NULL, NULL, &e) == 1);

    /* a second signature by a key of the second set: both checked */
    sign(k2, ml, "modloop-lts.SIGN.RSA.test-2.rsa.pub");
    e = (md_err)MD_ERR_INIT;
    CHECK(md_apksign_verify_beside(ml, one, 1, NULL, NULL, &e) < 0 && strstr(e.msg, "test-2.rsa.pub, which is not in"));
    md_strv_free(&who);
    CHECK(md_apksign_verify_beside(ml, two, 2, &who, NULL, &e) == 1 && who.n == 2);

    /* another key's signature under a trusted key's name */
    sign(other, ml, "modloop-lts.SIGN.RSA.test-2.rsa.pub");
    e = (md_err)MD_ERR_INIT;
    CHECK(md_apksign_verify_beside(ml, two, 2, NULL, NULL, &e) < 0 && strstr(e.msg, "test-2.rsa.pub does not verify"));
    /* an empty signature file, and an algorithm apk does not check */
    char *p = md_xasprintf("%s/modloop-lts.SIGN.RSA.test-2.rsa.pub", dir);
    t_write(p, "", 0);
    e = (md_err)MD_ERR_INIT;
    CHECK(md_apksign_verify_beside(ml, two, 2, NULL, NULL, &e) < 0 && strstr(e.msg, "empty"));
    unlink(p);
    free(p);
    sign(k, ml, "modloop-lts.SIGN.DSA.test-1.rsa.pub");
    e = (md_err)MD_ERR_INIT;
    CHECK(md_apksign_verify_beside(ml, two, 2, NULL, NULL, &e) < 0 && strstr(e.msg, "not checked"));

    /* RSA256 (SHA-256): verified, its key named without the prefix
     * (trial 13h case 7: ".SIGN.RSA256.test-1.rsa.pub"), and looked up in
     * the set that holds it */
    static const char *const old_sigs[] = { "DSA.test-1.rsa.pub", "RSA.test-1.rsa.pub",
                                            "RSA.test-2.rsa.pub" };
    for (size_t i = 0; i < 3; i++) {
        char *o = md_xasprintf("%s/modloop-lts.SIGN.%s", dir, old_sigs[i]);
        unlink(o);
        free(o);
    }
    sign(k2, ml, "modloop-lts.SIGN.RSA256.test-2.rsa.pub");
    md_strv_free(&who);
    e = (md_err)MD_ERR_INIT;
    CHECK(md_apksign_verify_beside(ml, two, 2, &who, NULL, &e) == 1);
    CHECK(who.n == 1 && !strcmp(who.v[0], "test-2.rsa.pub"));
    /* through a symlink elsewhere: the signature beside the file it leads
     * to is checked, and that file is what the caller reads (trial 13h
     * case 7: taken as unsigned) */
    char *ldir = md_xasprintf("%s/elsewhere", dir), *link = md_xasprintf("%s/current", ldir);
    mkdir(ldir, 0755);
    CHECK(symlink(ml, link) == 0);
    char *res = NULL;
    md_strv_free(&who);
    CHECK(md_apksign_verify_beside(link, two, 2, &who, &res, &e) == 1);
    CHECK(who.n == 1 && res && !strcmp(res, ml));
    free(res);
    t_write(ml, "a squashfs stands here: only its bytes are signeD", 50);
    e = (md_err)MD_ERR_INIT;
    CHECK(md_apksign_verify_beside(link, two, 2, NULL, NULL, &e) < 0);
    CHECK_ERR(&e, "test-2.rsa.pub does not verify");
    unlink(link);
    CHECK(symlink("no-such-file", link) == 0);
    e = (md_err)MD_ERR_INIT;
    CHECK(md_apksign_verify_beside(link, two, 2, NULL, NULL, &e) < 0);
    CHECK_ERR(&e, "current: No such file");
    unlink(link);
    free(link);
    free(ldir);

    md_strv_free(&who);
    md_apksign_keys_free(ks);
    md_apksign_keys_free(ks2);
    EVP_PKEY_free(k);
    EVP_PKEY_free(k2);
    EVP_PKEY_free(other);
    free(ml);
    free(ml2);
    free(kd);
    free(kd2);
}

/* The kernel's release picks its directory (trial 13 F14); another
 * release's modloop is refused naming both; setuid and setgid bits are
 * dropped (F15). */
static void test_release(void)
{
    mkdirs("rel/modules/6.6.1-0-lts/kernel");
    mkdirs("rel/modules/6.6.2-0-lts/kernel");
    put("rel/modules/6.6.2-0-lts/kernel/a.ko", "module", 06755);
    put("rel/modules/6.6.1-0-lts/kernel/b.ko", "module", 0);
    char *img = path("rel.sqfs"), *src = path("rel");
    CHECK(mksquashfs(src, img, "-all-root") == 0);
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    md_strv kv = { 0 };
    CHECK(md_modloop_read(t, img, "modloop", "6.6.2-0-lts", &kv, &e) == 0);
    CHECK(kv.n == 2);
    const md_node *n = md_tree_lookup(t, "/lib/modules/6.6.2-0-lts/kernel/a.ko");
    CHECK(n && md_node_attr(n)->mode == 0755);
    CHECK(!md_tree_lookup(t, "/lib/modules/6.6.1-0-lts"));
    md_tree_free(t);
    md_strv_free(&kv);
    t = md_tree_new(true);
    CHECK(md_modloop_read(t, img, "modloop", "6.6.3-0-lts", NULL, &e) < 0);
    CHECK_ERR(&e, "holds the modules of kernel 6.6.1-0-lts, 6.6.2-0-lts, not of the image's "
                  "kernel 6.6.3-0-lts");
    md_tree_free(t);
    free(img);
    free(src);
}

int main(void)
{
    if (system("command -v mksquashfs >/dev/null") != 0) {
        fprintf(stderr, "FAIL: mksquashfs is not installed (make deps: squashfs-tools)\n");
        return 1;
    }
    char tmpl[] = "/tmp/mkdom0-modloop.XXXXXX";
    dir = mkdtemp(tmpl);
    good_tree();
    test_good();
    test_bad();
    test_signature();
    test_release();
    t_rm_tree(dir);
    return t_done("modloop");
}
