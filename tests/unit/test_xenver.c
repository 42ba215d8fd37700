/* xenver: hypervisor and libxenctrl versions from synthetic binaries and
 * trees, and the trap 2 refusal.
 *
 * With arguments it is the driver of tests/integration/3*-modules-xenver*.sh:
 *   test_xenver --tree DIR...
 * loads each DIR (an extracted .deb; the package is the DIR's name up to
 * the first '_') into one usrmerge tree and runs md_xenver_check: prints
 * both versions and exits 0, or prints the error and exits 1. */
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "t.h"
#include "tfiles.h"
#include "image/tree.h"
#include "core/mem.h"
#include "core/file.h"
#include "core/elf.h"
#include "boot/xenefi.h"
#include "lint/xenver.h"
#include "tlint.h"

static void cat(unsigned char **b, size_t *n, const void *d, size_t dn)
{
    *b = md_xrealloc(*b, *n + dn);
    memcpy(*b + *n, d, dn);
    *n += dn;
}

/* An ELF-looking Xen image: banner, padding, and optionally the gzip'd
 * Kconfig hypfs embeds; then gzip'd as a whole like /boot/xen-*.gz. */
static unsigned char *fake_xen(const char *kconfig_ver, bool outer_gz, size_t *len)
{
    unsigned char *b = NULL;
    size_t n = 0;
    cat(&b, &n, "\x7f" "ELF\x01\x01\x01", 7);
    unsigned char pad[200] = { 0 };
    cat(&b, &n, pad, sizeof pad);
    static const char banner[] = "Xen version %d.%d%s (%s@%s) (%s) %s %s\n";
    static const char false_gz[] = "\x1f\x8b\x08 not really gzip"; /* a false start to skip */
    cat(&b, &n, banner, strlen(banner));
    cat(&b, &n, false_gz, strlen(false_gz));
    if (kconfig_ver) {
        char *cfg = md_xasprintf("#\n# Automatically generated file; DO NOT EDIT.\n"
                                 "# Xen/x86 %s Configuration\n#\nCONFIG_X86_64=y\nCONFIG_HYPFS=y\n",
                                 kconfig_ver);
        size_t zn;
        unsigned char *z = t_gzip(cfg, strlen(cfg), &zn);
        cat(&b, &n, z, zn);
        free(z);
        free(cfg);
    }
    cat(&b, &n, pad, sizeof pad);
    if (!outer_gz) {
        *len = n;
        return b;
    }
    unsigned char *z = t_gzip(b, n, len);
    free(b);
    return z;
}

static const md_attr A = { 0644, 0, 0, 0 };

static void put(md_tree *t, const char *path, unsigned char *d, size_t n, const char *origin)
{
    md_err err = MD_ERR_INIT;
    if (md_tree_add_file(t, path, &A, d, n, origin, MD_CLASH_REPLACE, &err) < 0)
        fprintf(stderr, "add %s: %s\n", path, err.msg);
}

/* CONFIG_DOM0_MEM of the embedded Kconfig: the dom0_mem Xen uses when its
 * line has none; "" when the line is empty or absent */
static void test_dom0_mem_kconfig(void)
{
    static const char *const cfgs[][2] = {
        { "CONFIG_DOM0_MEM=\"2G,max:2G\"\n", "2G,max:2G" },
        { "CONFIG_DOM0_MEM=\"\"\n", "" },
        { "CONFIG_DOM0_MEMX=\"1G\"\n", "" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof cfgs / sizeof *cfgs; i++) {
        unsigned char *b = NULL;
        size_t n = 0, zn, len;
        cat(&b, &n, "\x7f" "ELF\x01\x01\x01", 7);
        static const char banner[] = "Xen version %d.%d%s\n";
        cat(&b, &n, banner, strlen(banner));
        char *cfg = md_xasprintf("#\n# Automatically generated file; DO NOT EDIT.\n"
                                 "# Xen/x86 4.17.7 Configuration\n#\nCONFIG_X86_64=y\n%s"
                                 "CONFIG_HYPFS=y\n", cfgs[i][0]);
        unsigned char *z = t_gzip(cfg, strlen(cfg), &zn);
        cat(&b, &n, z, zn);
        unsigned char *img = t_gzip(b, n, &len);
        md_xen_version v;
        md_err err = MD_ERR_INIT;
        CHECK(md_xenver_hypervisor_image(img, len, "xen.gz", &v, &err) == 0 && v.found);
        CHECK(!strcmp(v.dom0_mem, cfgs[i][1]));
        free(img);
        free(z);
        free(cfg);
        free(b);
    }
}

static void test_images(void)
{
    size_t n;
    md_xen_version v;
    md_err err = MD_ERR_INIT;
    unsigned char *x = fake_xen("4.17.7", true, &n);
    CHECK(md_xenver_hypervisor_image(x, n, "/boot/xen-4.20-amd64.gz", &v, &err) == 0);
    /* the binary wins over a lying file name */
    CHECK(v.found && v.major == 4 && v.minor == 17);
    CHECK_STR(v.version, "4.17.7");
    CHECK(strstr(v.source, "Kconfig") != NULL);
    /* no ELF header to read (e_version is not 1): the Kconfig's "Xen/x86" */
    CHECK_STR(v.arch, "x86");
    CHECK_STR(v.arch_from, "embedded Kconfig");
    free(x);

    /* the architecture by the headers the loaders read (finding H): an
     * ELF64 of EM_AARCH64 is arm64 whatever its Kconfig line says; an ELF32
     * of EM_386 (x86's mkelf32) is x86 */
    x = fake_xen("4.17.7", false, &n);
    static const unsigned char arm64[] = { 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 183, 0,
                                           1, 0, 0, 0 };
    memcpy(x + 4, arm64, sizeof arm64);
    CHECK(md_xenver_hypervisor_image(x, n, "xen", &v, &err) == 0);
    CHECK_STR(v.arch, "arm64");
    CHECK_STR(v.arch_from, "ELF e_machine");
    x[4] = 1, x[18] = 3; /* EM_386 */
    CHECK(md_xenver_hypervisor_image(x, n, "xen", &v, &err) == 0);
    CHECK_STR(v.arch, "x86");
    CHECK_STR(v.arch_from, "ELF e_machine");
    CHECK(md_elf_machine(x, 19) == 0); /* cut inside the header */
    free(x);

    /* Xen's EFI binary (a PE32+ of AMD64 around the same banner and
     * Kconfig) is told apart from its ELF: lint refuses it under multiboot
     * (how-xen-boots.rst: EFI64 entry only; trial10 item 3) */
    x = fake_xen("4.17.7", false, &n);
    CHECK(md_xenver_hypervisor_image(x, n, "xen", &v, &err) == 0 && !v.pe);
    size_t pn = 0x200 + n;
    unsigned char *pe = md_xcalloc(1, pn);
    pe[0] = 'M', pe[1] = 'Z', pe[0x3c] = 0x40;
    memcpy(pe + 0x40, "PE\0\0", 4);
    pe[0x44] = 0x64, pe[0x45] = 0x86;     /* Machine: AMD64 */
    pe[0x54] = 0xf0;                      /* SizeOfOptionalHeader */
    pe[0x58] = 0x0b, pe[0x59] = 0x02;     /* PE32+ */
    pe[0x79] = 0x10;                      /* SectionAlignment 0x1000 */
    memcpy(pe + 0x200, x, n);
    CHECK(md_xenver_hypervisor_image(pe, pn, "xen.efi", &v, &err) == 0 && v.pe);
    CHECK_STR(v.arch, "x86");
    CHECK_STR(v.arch_from, "PE Machine");
    free(pe);
    free(x);

    x = fake_xen("4.20.5-pre", false, &n); /* plain ELF, as QEMU -kernel wants */
    CHECK(md_xenver_hypervisor_image(x, n, "xen", &v, &err) == 0);
    CHECK(v.major == 4 && v.minor == 20);
    CHECK_STR(v.version, "4.20.5-pre");
    free(x);

    x = fake_xen(NULL, true, &n); /* no embedded config: no release, whatever the name says */
    md_err e1 = MD_ERR_INIT;
    CHECK(md_xenver_hypervisor_image(x, n, "/boot/xen-4.17-amd64.gz", &v, &e1) < 0);
    CHECK(!v.found);
    CHECK_ERR(&e1, "/boot/xen-4.17-amd64.gz");
    CHECK_ERR(&e1, "cannot be read from the binary");
    md_err e2 = MD_ERR_INIT;
    CHECK(md_xenver_hypervisor_image(x, n, "/boot/xen.gz", &v, &e2) < 0);
    CHECK_ERR(&e2, "/boot/xen.gz");
    /* truncated */
    md_err e3 = MD_ERR_INIT;
    CHECK(md_xenver_hypervisor_image(x, n / 2, "/boot/xen-4.17-amd64.gz", &v, &e3) < 0);
    CHECK_ERR(&e3, "truncated");
    free(x);
    /* not Xen at all */
    md_err e4 = MD_ERR_INIT;
    unsigned char junk[] = "#\n# Xen/x86 4.17.7 Configuration\n";
    CHECK(md_xenver_hypervisor_image(junk, sizeof junk, "/boot/xen-4.17-amd64.config", &v, &e4) < 0);
    CHECK_ERR(&e4, "not a Xen hypervisor image");

    unsigned char *so = t_fake_so("libxenctrl.so.4.20", &n);
    CHECK(md_xenver_libxenctrl(so, n, "/usr/lib/libxenctrl.so.4.17.0", &v, &err) == 0);
    CHECK(v.major == 4 && v.minor == 20 && strstr(v.source, "DT_SONAME") != NULL);
    free(so);
    so = t_fake_so("libfoo.so.1", &n);
    md_err e5 = MD_ERR_INIT;
    CHECK(md_xenver_libxenctrl(so, n, "/usr/lib/libxenctrl.so.4.17.0", &v, &e5) < 0);
    CHECK_ERR(&e5, "libfoo.so.1");
    free(so);
    so = t_fake_so(NULL, &n); /* no DT_SONAME: the file name is no release */
    md_err e5b = MD_ERR_INIT;
    CHECK(md_xenver_libxenctrl(so, n, "/usr/lib/libxenctrl.so.4.17.0", &v, &e5b) < 0);
    CHECK(!v.found);
    CHECK_ERR(&e5b, "no DT_SONAME");
    free(so);
    md_err e6 = MD_ERR_INIT;
    CHECK(md_xenver_libxenctrl((const unsigned char *)"text", 4, "/usr/lib/libxenctrl.so.4.17", &v, &e6) < 0);
    CHECK_ERR(&e6, "not an ELF");
    CHECK(!err.set);
}

static const char *base_name_of(const char *p)
{
    return strrchr(p, '/') + 1;
}

static md_tree *xen_tree(const char *hv, const char *const *ctrls)
{
    md_tree *t = md_tree_new(true);
    size_t n;
    if (hv) {
        unsigned char *x = fake_xen(hv, true, &n);
        char *p = md_xasprintf("/boot/xen-%.4s-amd64.gz", hv);
        char *pkg = md_xasprintf("xen-hypervisor-%.4s-amd64", hv);
        put(t, p, x, n, pkg);
        /* the config and EFI files next to it are not images to read */
        char *c = md_xasprintf("/boot/xen-%.4s-amd64.config", hv);
        put(t, c, (unsigned char *)md_xstrdup("CONFIG_X=y\n"), 11, pkg);
        free(c);
        free(p);
        free(pkg);
    }
    for (size_t i = 0; ctrls && ctrls[i]; i++) {
        char *son = md_xasprintf("libxenctrl.so.%s", ctrls[i]);
        unsigned char *so = t_fake_so(son, &n);
        char *p = md_xasprintf("/usr/lib/x86_64-linux-gnu/libxenctrl.so.%s.0", ctrls[i]);
        char *pkg = md_xasprintf("libxenmisc%s", ctrls[i]);
        put(t, p, so, n, pkg);
        md_err err = MD_ERR_INIT;
        char *l = md_xasprintf("/usr/lib/x86_64-linux-gnu/%s", son);
        md_tree_add_symlink(t, l, &A, base_name_of(p), pkg, MD_CLASH_REPLACE, &err);
        free(l);
        free(son);
        free(p);
        free(pkg);
    }
    return t;
}

#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_trees(void)
{
    md_xen_version hv, ts;
    md_err err = MD_ERR_INIT;
    md_tree *t = xen_tree("4.17.7", L("4.17"));
    CHECK(md_xenver_check(t, &hv, &ts, &err) == 0);
    CHECK(hv.found && ts.found && hv.minor == 17 && ts.minor == 17);
    CHECK_STR(hv.origin, "xen-hypervisor-4.17-amd64");
    CHECK_STR(ts.origin, "libxenmisc4.17");
    CHECK_STR(hv.path, "/boot/xen-4.17-amd64.gz");
    CHECK_STR(ts.path, "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17.0");
    md_tree_free(t);

    /* trap 2: bookworm's hypervisor with trixie's toolstack */
    t = xen_tree("4.17.7", L("4.20"));
    md_err e2 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e2) < 0);
    CHECK_ERR(&e2, "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.20.0 (from libxenmisc4.20): "
                   "[trap2] the toolstack is Xen 4.20 but the hypervisor /boot/xen-4.17-amd64.gz "
                   "(from xen-hypervisor-4.17-amd64) is Xen 4.17");
    CHECK_ERR(&e2, "take the toolstack of the hypervisor's release (xen-utils-4.17)");
    /* both releases are reported, refused or not */
    CHECK(hv.minor == 17 && ts.minor == 20);
    md_tree_free(t);

    /* both toolstacks present: the wrong one is named */
    t = xen_tree("4.17.7", L("4.17", "4.20"));
    md_err e4 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e4) < 0);
    CHECK_ERR(&e4, "libxenmisc4.20");
    md_tree_free(t);

    /* nothing to compare: not an error, found says so */
    t = xen_tree(NULL, L("4.17"));
    md_err e5 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e5) == 0);
    CHECK(!hv.found && ts.found);
    md_tree_free(t);
    t = xen_tree("4.17.7", NULL);
    CHECK(md_xenver_check(t, &hv, &ts, &e5) == 0);
    CHECK(hv.found && !ts.found);
    /* a broken hypervisor file: error names it and its package */
    put(t, "/boot/xen-4.17-amd64.gz", (unsigned char *)md_xstrdup("\x1f\x8bgarbage"), 9,
        "xen-hypervisor-4.17-amd64");
    md_err e6 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e6) < 0);
    CHECK_ERR(&e6, "/boot/xen-4.17-amd64.gz");
    CHECK_ERR(&e6, "xen-hypervisor-4.17-amd64");
    md_tree_free(t);

    /* Names are no releases (issue 10, failing input 7): trixie's
     * xen-utils-4.20 ships /usr/lib/xen-4.20/lib/python/xen-3.0.egg-info,
     * and a directory /usr/lib/xen-X.Y or a symlink libxenctrl.so.X.Y
     * says nothing either.  The 4.20 hypervisor with the 4.20 library
     * passes, the egg and the directories notwithstanding. */
    t = xen_tree("4.20.5-pre", L("4.20"));
    md_attr da = { 0755, 0, 0, 0 };
    md_err e8 = MD_ERR_INIT;
    CHECK(md_tree_add_dir(t, "/usr/lib/xen-4.20/lib/python/xen-3.0.egg-info", &da, "xen-utils-4.20",
                          &e8) == 0);
    CHECK(md_tree_add_dir(t, "/usr/lib/xen-4.17", &da, "x", &e8) == 0);
    CHECK(md_tree_add_symlink(t, "/usr/lib/libxenctrl.so.4.17", &A, "nowhere", "x",
                              MD_CLASH_ERROR, &e8) == 0);
    CHECK(md_xenver_check(t, &hv, &ts, &e8) == 0);
    CHECK(hv.minor == 20 && ts.minor == 20);
    md_xenver_survey sv;
    md_xenver_survey_tree(t, &sv);
    CHECK(sv.nhv == 1 && sv.nts == 1 && !sv.nbad_ts && !sv.nbad_hv);
    md_xenver_survey_free(&sv);
    md_tree_free(t);

    /* Xen userland with only directory names: no release is made up.  The
     * survey says so; the build refuses (it cannot check trap 2). */
    t = xen_tree("4.20.5-pre", NULL);
    CHECK(md_tree_add_dir(t, "/usr/lib/xen-4.20/lib/python/xen-3.0.egg-info", &da, "xen-utils-4.20",
                          &e8) == 0);
    md_xenver_survey_tree(t, &sv);
    CHECK(sv.nts == 0 && sv.userland[0] == '\0');
    md_xenver_survey_free(&sv);
    put(t, "/usr/lib/xen-4.20/bin/xl", (unsigned char *)md_xstrdup("\x7f" "ELF"), 4,
        "xen-utils-4.20");
    md_xenver_survey_tree(t, &sv);
    CHECK(sv.nts == 0);
    CHECK_STR(sv.userland, "/usr/lib/xen-4.20/bin/xl");
    CHECK_STR(sv.userland_origin, "xen-utils-4.20");
    md_xenver_survey_free(&sv);
    md_err e9 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e9) < 0);
    CHECK_ERR(&e9, "/usr/lib/xen-4.20/bin/xl");
    CHECK_ERR(&e9, "no libxenctrl");
    CHECK(!ts.found);
    /* A libxenctrl without DT_SONAME: said so, with its package, never read by name. */
    size_t sl;
    unsigned char *noname = t_fake_so(NULL, &sl);
    put(t, "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.20.0", noname, sl, "libxenmisc4.20");
    md_xenver_survey_tree(t, &sv);
    CHECK(sv.nts == 0 && sv.nbad_ts == 1);
    CHECK_STR(sv.bad_ts[0].origin, "libxenmisc4.20");
    CHECK(strstr(sv.bad_ts[0].source, "no DT_SONAME") != NULL);
    md_xenver_survey_free(&sv);
    md_err e10 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e10) < 0);
    CHECK_ERR(&e10, "libxenmisc4.20");
    CHECK_ERR(&e10, "no DT_SONAME");
    md_tree_free(t);

    /* compare on its own */
    md_xen_version a = { .found = true, .major = 4, .minor = 17 }, b = a;
    md_err e7 = MD_ERR_INIT;
    CHECK(md_xenver_compare(&a, &b, &e7) == 0);
    b.minor = 20;
    CHECK(md_xenver_compare(&a, &b, &e7) < 0);
    CHECK_ERR(&e7, "4.20");
}

/* Trial10h case 1: the toolstack's release is the libxenctrl its programs
 * load (DT_NEEDED, through libxenlight), not whichever libxenctrl files lie
 * in the tree; a program whose Xen library is missing does not start. */
static void put_elf(md_tree *t, const char *path, const char *soname, const char *const *needed,
                    const char *origin)
{
    size_t n;
    unsigned char *d = t_fake_elf(soname, needed, &n);
    put(t, path, d, n, origin);
}

static void test_programs(void)
{
    md_xen_version hv, ts;
    /* 4.20 hypervisor, 4.20 libxenctrl; xenstored of 4.17 with its own 4.17 library */
    md_tree *t = xen_tree("4.20.4", L("4.20"));
    put_elf(t, "/usr/sbin/xenstored", NULL, L("libxenctrl.so.4.17", "libc.so.6"), "xen-utils-4.17");
    md_err e1 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e1) < 0);
    CHECK_ERR(&e1, "/usr/sbin/xenstored (from xen-utils-4.17): [trap2] needs libxenctrl.so.4.17, "
                   "which is not in the rootfs");
    put_elf(t, "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17", "libxenctrl.so.4.17", NULL,
            "libxenmisc4.17");
    md_xenver_survey sv;
    md_xenver_survey_tree(t, &sv);
    CHECK(sv.nprogs == 1 && sv.progs[0].ctrl.found && sv.progs[0].ctrl.minor == 17);
    CHECK_STR(sv.progs[0].ctrl_needed, "libxenctrl.so.4.17");
    md_xenver_survey_free(&sv);
    md_err e2 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e2) < 0);
    /* the name the loader opens first (a usrmerge tree: /lib is /usr/lib) */
    CHECK_ERR(&e2, "/usr/sbin/xenstored (from xen-utils-4.17): [trap2] loads "
                   "/lib/x86_64-linux-gnu/libxenctrl.so.4.17");
    CHECK_ERR(&e2, "libxenctrl of Xen 4.17");
    md_tree_free(t);

    /* xl reaches libxenctrl through libxenlight; of the right release it passes */
    t = xen_tree("4.20.4", L("4.20"));
    put_elf(t, "/usr/sbin/xl", NULL, L("libxenlight.so.4.20", "libc.so.6"), "xen-utils-4.20");
    put_elf(t, "/usr/lib/x86_64-linux-gnu/libxenlight.so.4.20", "libxenlight.so.4.20",
            L("libxenctrl.so.4.20"), "libxenmisc4.20");
    md_err e3 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e3) == 0);
    CHECK(ts.found && ts.minor == 20);
    CHECK_STR(ts.path, "/lib/x86_64-linux-gnu/libxenctrl.so.4.20");
    /* a missing libxenctrl in the chain is named with the file that needs it */
    put_elf(t, "/usr/lib/x86_64-linux-gnu/libxenlight.so.4.20", "libxenlight.so.4.20",
            L("libxenctrl.so.4.19"), "libxenmisc4.20");
    md_err e5 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e5) < 0);
    CHECK_ERR(&e5, "needs libxenctrl.so.4.19 (named by "
                   "/lib/x86_64-linux-gnu/libxenlight.so.4.20)");
    /* another missing library is the build's "would not start" check's
     * (refs.h, after Drop= and Copy=), not trap 2's */
    put_elf(t, "/usr/lib/x86_64-linux-gnu/libxenlight.so.4.20", "libxenlight.so.4.20",
            L("libxencall.so.1", "libxenctrl.so.4.20"), "libxenmisc4.20");
    md_err e6 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e6) == 0);
    md_tree_free(t);

    /* the same xl built against 4.17's libxenlight, with 4.17's libxenctrl
     * in the image: refused, naming the program (a libxenctrl file of
     * another release that no program loads is refused too, as a mixed
     * image: the build keeps one image to one release, test 73) */
    t = xen_tree("4.20.4", L("4.20", "4.17"));
    put_elf(t, "/usr/sbin/xl", NULL, L("libxenlight.so.4.20", "libc.so.6"), "xen-utils-4.20");
    put_elf(t, "/usr/lib/x86_64-linux-gnu/libxenlight.so.4.20", "libxenlight.so.4.20",
            L("libxenctrl.so.4.17"), "libxenmisc4.20");
    md_err e4 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e4) < 0);
    CHECK_ERR(&e4, "/usr/sbin/xl");
    CHECK_ERR(&e4, "libxenctrl of Xen 4.17");
    md_tree_free(t);

    /* a stray libxenctrl: of another release than the one xl loads, in
     * the tree beside it; without programs, of another than the first */
    t = xen_tree("4.20.4", L("4.17", "4.20"));
    put_elf(t, "/usr/sbin/xl", NULL, L("libxenctrl.so.4.20"), "xen-utils-4.20");
    md_xenver_survey sv2;
    md_xenver_survey_tree(t, &sv2);
    CHECK(sv2.nts == 2 && sv2.nprogs == 1);
    const md_xen_version *stray = md_xenver_stray(&sv2, &sv2.progs[0].ctrl);
    CHECK(stray && stray->minor == 17);
    stray = md_xenver_stray(&sv2, NULL);
    CHECK(stray && stray->minor == 20);
    md_xenver_survey_free(&sv2);
    /* the build refuses it as a mixed image, the loaded one named first */
    md_err e7 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e7) < 0);
    CHECK_ERR(&e7, "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17.0 (from libxenmisc4.17): "
                   "[trap2] toolstack of Xen 4.17 here and of Xen 4.20 in "
                   "/lib/x86_64-linux-gnu/libxenctrl.so.4.20");
    md_tree_free(t);
    t = xen_tree("4.20.4", L("4.20"));
    md_xenver_survey_tree(t, &sv2);
    CHECK(!md_xenver_stray(&sv2, NULL));
    md_xenver_survey_free(&sv2);
    md_tree_free(t);
}

/* Debian's xen-utils-wrapper with the toolstacks of 4.17 and 4.20 side by
 * side (a Debian 12 -> 13 upgrade): lint accepts it, since the wrapper
 * runs the running hypervisor's release; an image mkdom0 builds boots its
 * own hypervisor only, so there the 4.17 one is refused.  One checker,
 * md_xenver_lint, and its `image` parameter is the difference. */
static void test_wrapper(void)
{
    md_tree *t = xen_tree("4.20.4", L("4.17", "4.20"));
    put(t, "/usr/lib/xen-common/bin/xen-utils-wrapper", (unsigned char *)md_xstrdup("#!/bin/sh\n"),
        10, "xen-utils-common");
    put_elf(t, "/usr/lib/xen-4.17/bin/xenstored", NULL, L("libxenctrl.so.4.17"), "xen-utils-4.17");
    put_elf(t, "/usr/lib/xen-4.20/bin/xenstored", NULL, L("libxenctrl.so.4.20"), "xen-utils-4.20");
    md_xenver_survey sv;
    md_xenver_survey_tree(t, &sv);
    CHECK(sv.nhv == 1 && sv.nprogs == 2);
    for (int image = 0; image < 2; image++) {
        md_lint *l = md_lint_new();
        md_xenver_lint(l, "rootfs/", t, &sv, sv.hv, sv.nhv, image);
        if (image) {
            CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "loads /lib/x86_64-linux-gnu/libxenctrl.so.4.17 "
                                                  "(libxenctrl of Xen 4.17, by its DT_SONAME "
                                                  "libxenctrl.so.4.17) but the hypervisor "
                                                  "/boot/xen-4.20-amd64.gz (from "
                                                  "xen-hypervisor-4.20-amd64) is Xen 4.20"));
            /* and the 4.17 library beside the 4.20 the programs should load */
            CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "toolstack of Xen 4.17 here and of Xen 4.20 in "
                                                  "/lib/x86_64-linux-gnu/libxenctrl.so.4.20"));
            CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 2);
        } else {
            CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
            CHECK(t_lint_has(l, MD_LINT_NOTE, 2, "the toolstack in /usr/lib/xen-4.17/bin is not "
                                                 "used under the hypervisor given"));
        }
        md_lint_free(l);
    }
    md_xenver_survey_free(&sv);
    /* the build refuses it on the checker's first error, naming the
     * program, its package and both releases */
    md_xen_version hv, ts;
    md_err e = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e) < 0);
    CHECK_ERR(&e, "/usr/lib/xen-4.17/bin/xenstored (from xen-utils-4.17): [trap2] loads "
                  "/lib/x86_64-linux-gnu/libxenctrl.so.4.17 (libxenctrl of Xen 4.17");
    CHECK_ERR(&e, "is Xen 4.20");
    /* with only the hypervisor's release, the wrapper's layout builds */
    md_tree_remove(t, "/usr/lib/xen-4.17/bin/xenstored");
    md_tree_remove(t, "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17.0");
    md_err e2 = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e2) == 0);
    CHECK(ts.found && ts.minor == 20);
    CHECK_STR(ts.path, "/lib/x86_64-linux-gnu/libxenctrl.so.4.20");
    md_tree_free(t);
}

/* In an image the libxenctrl files count where programs decide too: one
 * whose release cannot be read is refused (lint only warns where no
 * program decides, and leaves a library no program loads alone). */
static void test_image_files(void)
{
    md_tree *t = xen_tree("4.20.4", L("4.20"));
    put_elf(t, "/usr/sbin/xl", NULL, L("libxenctrl.so.4.20"), "xen-utils-4.20");
    size_t n;
    unsigned char *noname = t_fake_so(NULL, &n);
    put(t, "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.19.0", noname, n, "stray");
    md_xenver_survey sv;
    md_xenver_survey_tree(t, &sv);
    CHECK(sv.nbad_ts == 1);
    for (int image = 0; image < 2; image++) {
        md_lint *l = md_lint_new();
        md_xenver_lint(l, "rootfs/", t, &sv, sv.hv, sv.nhv, image);
        CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == (size_t)image);
        CHECK(t_lint_has(l, image ? MD_LINT_ERROR : MD_LINT_WARNING, 2,
                         "cannot check: the release of this libxenctrl cannot be read") == image);
        md_lint_free(l);
    }
    md_xenver_survey_free(&sv);
    md_xen_version hv, ts;
    md_err e = MD_ERR_INIT;
    CHECK(md_xenver_check(t, &hv, &ts, &e) < 0);
    CHECK_ERR(&e, "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.19.0 (from stray): [trap2] cannot check");
    md_tree_free(t);
}

/* A Xen image cut short or overwritten is an error that says so (trial9x
 * F4: a xen.gz whose ELF was cut, its LOAD segment past the end, passed
 * lint --strict), and still tells a caller it is Xen (out.damaged). */
static void test_damaged_images(void)
{
    size_t n;
    unsigned char *x = fake_xen("4.17.7", false, &n);
    /* an ELF32 header (mkelf32's x86 xen.gz) with one PT_LOAD of the
     * whole file, written into fake_xen's padding */
    t_le(x + 16, 2, 2);
    t_le(x + 18, 3, 2);   /* EM_386 */
    t_le(x + 20, 1, 4);   /* EV_CURRENT */
    t_le(x + 28, 52, 4);  /* e_phoff */
    t_le(x + 42, 32, 2);  /* e_phentsize */
    t_le(x + 44, 1, 2);   /* e_phnum */
    t_le(x + 52, 1, 4);   /* PT_LOAD */
    t_le(x + 56, 0, 4);   /* p_offset */
    t_le(x + 68, n, 4);   /* p_filesz */
    md_xen_version v;
    md_err e = MD_ERR_INIT;
    CHECK(md_xenver_hypervisor_image(x, n, "xen", &v, &e) == 0 && v.found && !v.damaged);
    size_t zn;
    unsigned char *z = t_gzip(x, n, &zn);
    CHECK(md_xenver_hypervisor_image(z, zn, "xen.gz", &v, &e) == 0 && !v.damaged);
    free(z);
    /* the ELF cut by 100 bytes, gzip'd whole (the trial's xen.gz) */
    z = t_gzip(x, n - 100, &zn);
    md_err_clear(&e);
    CHECK(md_xenver_hypervisor_image(z, zn, "xen.gz", &v, &e) < 0 && v.damaged && !v.found);
    char *want = md_xasprintf("xen.gz (the ELF it decompresses to): its segment 0 (type 1, %zu "
                              "bytes at offset 0) runs 100 bytes past its end (%zu bytes); a "
                              "damaged Xen image (cut short or overwritten): copy it again",
                              n, n - 100);
    CHECK_ERR(&e, want);
    free(want);
    free(z);
    /* the gzip itself cut: its own check fails */
    z = t_gzip(x, n, &zn);
    md_err_clear(&e);
    CHECK(md_xenver_hypervisor_image(z, zn - 6, "xen.gz", &v, &e) < 0 && !v.found);
    CHECK_ERR(&e, "xen.gz: truncated gzip data");
    free(z);
    /* plain, the program header table itself past the end */
    t_le(x + 28, n - 10, 4);
    md_err_clear(&e);
    CHECK(md_xenver_hypervisor_image(x, n, "xen", &v, &e) < 0 && v.damaged);
    CHECK_ERR(&e, "xen: its program header table (1 entries at offset");
    free(x);

    /* md_elf_check_whole: no ELF, nothing to say; a section table past the
     * end; a head shorter than the file (a decompressed stream) */
    md_err_clear(&e);
    CHECK(md_elf_check_whole((const unsigned char *)"text", 4, 4, "t", &e) == 0 && !e.set);
    unsigned char elf[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
    t_le(elf + 18, 62, 2);
    t_le(elf + 20, 1, 4);
    t_le(elf + 0x28, 4096, 8); /* e_shoff */
    t_le(elf + 0x3a, 64, 2);
    t_le(elf + 0x3c, 10, 2);
    CHECK(md_elf_check_whole(elf, sizeof elf, 4096 + 640, "vmlinux", &e) == 0);
    CHECK(md_elf_check_whole(elf, sizeof elf, 4096 + 639, "vmlinux", &e) < 0);
    CHECK_ERR(&e, "vmlinux: its section header table (offset 4096) runs past its end (4735 bytes)");

    /* md_xenefi_check_whole: a PE32+ with one section and a signature */
    unsigned char pe[0x400] = { 'M', 'Z' };
    size_t coff = 0x44, opt = coff + 20, sec = opt + 240;
    t_le(pe + 0x3c, 0x40, 4);
    memcpy(pe + 0x40, "PE\0\0", 4);
    t_le(pe + coff, 0x8664, 2);
    t_le(pe + coff + 2, 1, 2);      /* NumberOfSections */
    t_le(pe + coff + 16, 240, 2);   /* SizeOfOptionalHeader */
    t_le(pe + opt, 0x20b, 2);       /* PE32+ */
    t_le(pe + opt + 32, 0x1000, 4); /* SectionAlignment */
    t_le(pe + opt + 108, 16, 4);    /* NumberOfRvaAndSizes */
    memcpy(pe + sec, ".text", 5);
    t_le(pe + sec + 16, 0x100, 4);  /* SizeOfRawData */
    t_le(pe + sec + 20, 0x200, 4);  /* PointerToRawData */
    t_le(pe + opt + 144, 0x300, 4); /* the certificate table */
    t_le(pe + opt + 148, 0x100, 4);
    md_err_clear(&e);
    CHECK(md_xenefi_check_whole(pe, sizeof pe, "xen.efi", true, &e) == 0 && !e.set);
    CHECK(md_xenefi_check_whole(pe, 0x3ff, "xen.efi", false, &e) == 0);
    CHECK(md_xenefi_check_whole(pe, 0x3ff, "xen.efi", true, &e) < 0);
    CHECK_ERR(&e, "xen.efi: its signature (the PE certificate table, 256 bytes at offset 768) "
                  "runs past the end of the file (1023 bytes)");
    md_err_clear(&e);
    CHECK(md_xenefi_check_whole(pe, 0x2ff, "xen.efi", false, &e) < 0);
    CHECK_ERR(&e, "xen.efi: its .text section lies past the end of the file (PE section 0, 256 "
                  "bytes at offset 512; the file has 767)");
}

/* ---- driver ---- */

static int tree_mode(int argc, char **argv)
{
    md_tree *load_tree = md_tree_new(true);
    for (int i = 2; i < argc; i++) {
        char *pkg = md_xstrdup(strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i]);
        pkg[strcspn(pkg, "_")] = '\0';
        t_load_dir(load_tree, argv[i], pkg);
        free(pkg);
    }
    md_xen_version hv, ts;
    md_err err = MD_ERR_INIT;
    int rc = md_xenver_check(load_tree, &hv, &ts, &err);
    if (hv.found)
        printf("hypervisor: Xen %u.%u (%s) in %s from %s, read from %s\n", hv.major, hv.minor,
               hv.version, hv.path, hv.origin, hv.source);
    if (ts.found)
        printf("toolstack: libxenctrl %u.%u in %s from %s, read from %s\n", ts.major, ts.minor,
               ts.path, ts.origin, ts.source);
    if (rc < 0)
        printf("error: %s\n", err.msg);
    md_tree_free(load_tree);
    return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--tree") == 0)
        return tree_mode(argc, argv);
    test_images();
    test_dom0_mem_kconfig();
    test_trees();
    test_programs();
    test_wrapper();
    test_image_files();
    test_damaged_images();
    return t_done("test_xenver");
}
