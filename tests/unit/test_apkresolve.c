/* The resolver on Alpine repositories: the original dom0's base set against
 * Alpine's real, signed v3.22.2 and v3.20.3 main indexes (xen pinned to the
 * older release, as the design's dom0 took its toolstack from an older one),
 * and apk-tools' provider rules on small indexes of the test's own. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "packages/apkindex.h"
#include "packages/apksign.h"
#include "packages/resolve.h"
#include <dirent.h>
#include <sys/stat.h>
#include "core/file.h"
#include "core/mem.h"
#include "core/strv.h"
#include "t.h"
#include "talpine.h"
#include "apkmaker.h"

static md_apksign_keys *keys;

static md_repo *apk_repo(const char *name, int prio, md_apkindex *x)
{
    md_err err = MD_ERR_INIT;
    md_repo_config c = { .format = MD_REPO_APK, .name = name, .url = "file:///alpine",
                         .arch = "x86_64", .keys = md_apksign_keys_dir(keys), .priority = prio };
    md_repo *r = md_repo_new(&c, &err);
    CHECK(r != NULL);
    CHECK(x != NULL);
    if (!r || !x)
        exit(1);
    CHECK(md_repo_add_apkindex(r, x, &err) == 0);
    return r;
}

static md_repo *real_repo(const char *name, int prio, const char *file)
{
    md_err err = MD_ERR_INIT;
    char *path = t_alpine(file);
    md_apkindex *x = md_apkindex_load(path, keys, &err);
    if (!x)
        fprintf(stderr, "%s\n", err.msg);
    free(path);
    return apk_repo(name, prio, x);
}

static const md_repo_pkg *find(const md_resolve *res, const char *name)
{
    for (size_t i = 0; i < md_resolve_count(res); i++)
        if (!strcmp(md_resolve_pkg(res, i)->name, name))
            return md_resolve_pkg(res, i);
    return NULL;
}

/* The selected package that satisfies atom d (by name or by a provide),
 * worked out here from the index records, apart from the resolver. */
static const md_repo_pkg *provider_of(const md_resolve *res, const md_apkver_dep *d)
{
    for (size_t i = 0; i < md_resolve_count(res); i++) {
        const md_repo_pkg *p = md_resolve_pkg(res, i);
        if (!strcmp(p->name, d->name) && md_apkver_dep_match(d, p->version, p->apk->checksum))
            return p;
        for (size_t k = 0; k < p->apk->nprovides; k++)
            if (!strcmp(p->apk->provides[k].name, d->name) &&
                md_apkver_dep_match(d, p->apk->provides[k].version, NULL))
                return p;
    }
    return NULL;
}

static md_resolve *run(md_repo **repos, size_t n, const char *const *want,
                       const md_resolve_pin *pins, size_t npins, md_err *err)
{
    md_resolve_opts o = { .repos = repos, .nrepos = n, .want = want, .pins = pins, .npins = npins };
    return md_resolve_run(&o, err);
}

static const char *const base[] = { "openrc", "openssh-server", "dhcpcd", "busybox", "xen", NULL };

static void test_real_dom0(void)
{
    md_repo *repos[2] = { real_repo("v322", 0, "apkindex/v3.22.2-206-main-x86_64.APKINDEX.tar.gz"),
                          /* lower: only the pinned and what nothing newer satisfies */
                          real_repo("v320", 100, "apkindex/v3.20.3-38-main-x86_64.APKINDEX.tar.gz") };
    md_resolve_pin pin = { "xen", "v320", NULL };
    md_err err = MD_ERR_INIT;
    md_resolve *res = run(repos, 2, base, &pin, 1, &err);
    CHECK(res != NULL);
    if (!res) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    /* The pin: xen is v3.20's, where v3.22 would give 4.20. */
    const md_repo_pkg *xen = find(res, "xen");
    CHECK(xen && !strcmp(xen->version, "4.18.3-r0") && !strcmp(md_repo_name(xen->repo), "v320"));
    /* Its libraries follow it: only xen-libs 4.18 provides libxenctrl.so.4.18. */
    const md_repo_pkg *libs = find(res, "xen-libs");
    CHECK(libs && !strcmp(libs->version, "4.18.3-r0") && !strcmp(md_repo_name(libs->repo), "v320"));
    /* So does xen-pyc, whose install_if (xen=4.18.3-r0 pyc) only v3.20's
     * holds. */
    const md_repo_pkg *pyc = find(res, "xen-pyc");
    CHECK(pyc && !strcmp(pyc->version, "4.18.3-r0") && !strcmp(md_repo_name(pyc->repo), "v320"));
    /* Everything else is v3.22's, each the version its index lists. */
    for (size_t i = 0; i < md_resolve_count(res); i++) {
        const md_repo_pkg *p = md_resolve_pkg(res, i);
        if (!strcmp(p->name, "xen") || !strcmp(p->name, "xen-libs") || p == pyc)
            continue;
        CHECK_STR(md_repo_name(p->repo), "v322");
    }
    for (const char *const *w = base; *w; w++)
        CHECK(find(res, *w) != NULL);
    const md_repo_pkg *openrc = find(res, "openrc");
    CHECK(openrc && openrc->apk && !strcmp(md_repo_name(openrc->repo), "v322"));
    CHECK(openrc && !strcmp(openrc->version, md_apkindex_find(openrc->apk->index, "openrc")->version));
    CHECK(openrc && strncmp(openrc->version, "0.62", 4) == 0);
    /* so: dependencies by the right providers. */
    md_apkver_dep d = { .name = "so:libxenctrl.so.4.18" };
    const md_repo_pkg *pv = provider_of(res, &d);
    CHECK(pv && !strcmp(pv->name, "xen-libs") && !strcmp(md_repo_name(pv->repo), "v320"));
    d.name = "so:libc.musl-x86_64.so.1";
    pv = provider_of(res, &d);
    CHECK(pv && !strcmp(pv->name, "musl") && !strcmp(md_repo_name(pv->repo), "v322"));
    d.name = "so:libcrypto.so.3";
    pv = provider_of(res, &d);
    CHECK(pv && !strcmp(pv->name, "libcrypto3") && !strcmp(md_repo_name(pv->repo), "v322"));
    /* Provider priority: /bin/sh has three providers in v3.22 main
     * (busybox-binsh k:100, dash-binsh k:60, yash-binsh k:50). */
    CHECK(find(res, "busybox-binsh") && !find(res, "dash-binsh") && !find(res, "yash-binsh"));
    /* Closed: every atom of every selected package holds, and no conflict. */
    size_t atoms = 0, bad = 0;
    for (size_t i = 0; i < md_resolve_count(res); i++) {
        const md_repo_pkg *p = md_resolve_pkg(res, i);
        for (size_t k = 0; k < p->apk->ndepends; k++, atoms++) {
            const md_apkver_dep *a = &p->apk->depends[k];
            const md_repo_pkg *q = provider_of(res, a);
            if (a->conflict ? q != NULL && q != p : q == NULL) {
                fprintf(stderr, "FAIL: %s: %s%s %s\n", p->name, a->conflict ? "!" : "", a->name,
                        a->conflict ? "is installed" : "is not satisfied");
                bad++;
            }
        }
    }
    CHECK(atoms > 100);
    CHECK(bad == 0);
    /* install_if: what apk adds when all of a package's install_if hold. */
    const md_repo_pkg *dho = find(res, "dhcpcd-openrc");
    CHECK(dho && !strcmp(md_repo_name(dho->repo), "v322"));
    CHECK(find(res, "openssh-server-common-openrc") != NULL);
    for (size_t i = 0; i < md_resolve_count(res); i++)
        if (!strcmp(md_resolve_pkg(res, i)->name, "dhcpcd-openrc"))
            CHECK(strstr(md_resolve_why(res, i), "install_if openrc dhcpcd=") != NULL);
    /* ... and every package of v3.22 whose install_if the set satisfies is in it. */
    for (size_t i = 0; i < md_repo_pkg_count(repos[0]); i++) {
        const md_repo_pkg *p = md_repo_pkg_at(repos[0], i);
        if (!p->apk->ninstall_if)
            continue;
        bool all = true;
        for (size_t k = 0; k < p->apk->ninstall_if && all; k++)
            all = provider_of(res, &p->apk->install_if[k]) != NULL;
        if (all && !find(res, p->name)) {
            fprintf(stderr, "FAIL: install_if of %s holds but it is not selected\n", p->name);
            CHECK(0);
        }
    }
    /* The lock file names each package by its index checksum. */
    char lock[] = "/tmp/apkres-lockXXXXXX";
    int fd = mkstemp(lock);
    close(fd);
    CHECK(md_resolve_write_lock(res, lock, &err) == 0);
    unsigned char *text;
    size_t len;
    CHECK(md_read_file(lock, &text, &len, &err) == 0);
    char *want = md_xasprintf("package xen 4.18.3-r0 x86_64 v320 %llu %s\n",
                              (unsigned long long)xen->size, xen->apk->checksum);
    CHECK(strstr((char *)text, want) != NULL);
    CHECK(strstr((char *)text, "repository v320 file:///alpine x86_64 v3.20.3-38-g") != NULL);
    free(want);
    free(text);
    unlink(lock);
    /* Packages are fetched from URL/ARCH/NAME-VERSION.apk, Alpine's layout
     * (here there are none: the first one's URL is named). */
    char cache[] = "/tmp/apkres-cacheXXXXXX";
    CHECK(mkdtemp(cache) != NULL);
    CHECK(md_resolve_download(res, cache, NULL, &err) < 0);
    CHECK_ERR(&err, "file:///alpine/x86_64/acl-libs-2.3.2-r1.apk: download failed");
    t_rm_tree(cache);
    md_resolve_free(res);

    /* Conflicts: openrc needs ifupdown-any, whose best provider (k:900),
     * ifupdown-ng, says !vlan: with vlan asked for, the next one
     * (busybox-ifupdown, k:200) is taken, as apk-tools takes it. */
    const char *const with_vlan[] = { "openrc", "openssh-server", "dhcpcd", "busybox", "vlan", NULL };
    res = run(repos, 2, with_vlan, NULL, 0, &err);
    CHECK(res && find(res, "busybox-ifupdown") && !find(res, "ifupdown-ng") && find(res, "vlan"));
    md_resolve_free(res);
    res = run(repos, 2, base, NULL, 0, &err);
    CHECK(res && find(res, "ifupdown-ng") && !find(res, "busybox-ifupdown"));
    md_resolve_free(res);
    /* ... and when nothing else fits, refused with the chain. */
    const char *const no_bb[] = { "busybox-ifupdown", NULL };
    md_resolve_opts o = { .repos = repos, .nrepos = 2, .want = with_vlan, .exclude = no_bb };
    md_err_clear(&err);
    CHECK(md_resolve_run(&o, &err) == NULL);
    CHECK_ERR(&err, "openrc -> ifupdown-any -> !vlan: ifupdown-ng 0.12.1-r7 conflicts with vlan ");
    CHECK_ERR(&err, "(selected for vlan)");
    const char *const ng_vlan[] = { "ifupdown-ng", "vlan", NULL };
    md_err_clear(&err);
    CHECK(run(repos, 2, ng_vlan, NULL, 0, &err) == NULL);
    CHECK_ERR(&err, "ifupdown-ng -> !vlan: ifupdown-ng 0.12.1-r7 conflicts with vlan 2.3-r1 "
                    "(selected for vlan)");
    const char *const two_ssh[] = { "dropbear-ssh", "openssh-client", NULL };
    md_err_clear(&err);
    CHECK(run(repos, 2, two_ssh, NULL, 0, &err) == NULL);
    CHECK_ERR(&err, "dropbear-ssh -> !openssh-client: dropbear-ssh 2025.88-r1 conflicts with "
                    "openssh-client-default ");
    CHECK_ERR(&err, "(selected for openssh-client-default)");

    /* Unsatisfiable: xen 4.18's libraries pinned to the release without them. */
    md_resolve_pin pins[2] = { { "xen", "v320", NULL }, { "xen-libs", "v322", NULL } };
    md_err_clear(&err);
    CHECK(run(repos, 2, base, pins, 2, &err) == NULL);
    CHECK_ERR(&err, "xen (pinned to v320) -> so:libxenctrl.so.4.18: no version satisfies");
    CHECK_ERR(&err, "provided by xen-libs 4.18.3-r0 in v320 (pinned to v322)");
    const char *const nosuch[] = { "openrc", "no-such-package", NULL };
    md_err_clear(&err);
    CHECK(run(repos, 2, nosuch, NULL, 0, &err) == NULL);
    CHECK_ERR(&err, "no-such-package: no such package in any repository");
    md_repo_free(repos[0]);
    md_repo_free(repos[1]);
}

/* apk-tools' rules on the test's own records. */
#define SUM "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nS:1\nA:x86_64\n"
static md_repo *own(const char *name, const char *text)
{
    md_err err = MD_ERR_INIT;
    md_apkindex *x = md_apkindex_parse(name, md_xstrdup(text), strlen(text), &err);
    if (!x)
        fprintf(stderr, "%s\n", err.msg);
    return apk_repo(name, 0, x);
}

static void test_rules(void)
{
    md_repo *r = own("own",
        "P:app\nV:1-r0\n" SUM "D:virt cmd:tool so:libz.so.1\n\n"
        "P:nok\nV:1-r0\n" SUM "p:virt\n\n"               /* no k: never auto-picked */
        "P:lowk\nV:1-r0\n" SUM "p:virt\nk:1\n\n"
        "P:highk\nV:1-r0\n" SUM "p:virt\nk:10\n\n"
        "P:tool-old\nV:2-r0\n" SUM "p:cmd:tool=1.0\nk:100\n\n"
        "P:tool-new\nV:1-r0\n" SUM "p:cmd:tool=2.0\n\n"  /* newer provided version wins over k */
        "P:zlib\nV:1.3-r0\n" SUM "p:so:libz.so.1=1.3\n\n"
        "P:app-doc\nV:1-r0\n" SUM "i:app docs\n\n"
        "P:app-extra\nV:1-r0\n" SUM "i:app !nok\n\n"
        "P:lonely\nV:1-r0\n" SUM "D:onlyvirt\n\n"
        "P:novk\nV:1-r0\n" SUM "p:onlyvirt\n\n"
        "P:wants2\nV:1-r0\n" SUM "D:virt2\n\n"
        "P:px\nV:1-r0\n" SUM "p:virt2\nk:10\nD:!blocker\n\n" /* the better provider... */
        "P:py\nV:1-r0\n" SUM "p:virt2\nk:1\n\n"
        "P:blocker\nV:1-r0\n" SUM "\n"
        "P:hater\nV:1-r0\n" SUM "D:!px\n\n"
        "P:wants2-px\nV:1-r0\n" SUM "i:wants2\nD:!hater\n\n");
    md_err err = MD_ERR_INIT;
    const char *const want[] = { "app", NULL };
    md_resolve *res = run(&r, 1, want, NULL, 0, &err);
    CHECK(res != NULL);
    if (res) {
        CHECK(find(res, "highk") && !find(res, "lowk") && !find(res, "nok"));
        CHECK(find(res, "tool-new") && !find(res, "tool-old"));
        CHECK(find(res, "zlib") != NULL);
        CHECK(!find(res, "app-doc"));     /* docs is not installed */
        CHECK(find(res, "app-extra"));    /* !nok holds */
        CHECK_STR(md_resolve_why(res, 0), "requested");
        md_resolve_free(res);
    }
    /* A provider that would break a conflict is passed over while another
     * fits, either way round, as apk-tools' solver does. */
    const char *const w2[] = { "wants2", NULL }, *const w2b[] = { "blocker", "wants2", NULL },
                      *const w2h[] = { "hater", "wants2", NULL };
    res = run(&r, 1, w2, NULL, 0, &err);
    CHECK(res && find(res, "px") && !find(res, "py"));
    md_resolve_free(res);
    res = run(&r, 1, w2b, NULL, 0, &err);
    CHECK(res && find(res, "py") && !find(res, "px"));
    md_resolve_free(res);
    res = run(&r, 1, w2h, NULL, 0, &err);
    CHECK(res && find(res, "py") && !find(res, "px"));
    /* install_if adds only what breaks no conflict. */
    CHECK(res && !find(res, "wants2-px"));
    md_resolve_free(res);
    res = run(&r, 1, w2b, NULL, 0, &err);
    CHECK(res && find(res, "wants2-px"));
    md_resolve_free(res);
    const char *const lonely[] = { "lonely", NULL };
    CHECK(run(&r, 1, lonely, NULL, 0, &err) == NULL);
    /* ... and says why (trial 13 F6: it read as a contradiction) */
    CHECK_ERR(&err, "lonely -> onlyvirt: no version satisfies (available: provided by novk 1-r0 in "
                    "own (without a version or provider_priority, which apk never chooses by "
                    "itself: name novk in Include= to take it))");
    md_repo_free(r);
}

/* A versioned provides makes its package the name's single owner
 * (apk-package(5); apk-tools' solver: "conflict: same name provided"):
 * two packages claiming one name are refused with the chain (trial 13h
 * case 1: both were installed), on v3.22's real pairs and the test's own;
 * providers without a version may share a name. */
static void test_same_name(void)
{
    md_repo *v322 = real_repo("v322", 0, "apkindex/v3.22.2-206-main-x86_64.APKINDEX.tar.gz");
    static const struct { const char *a, *b, *msg; } real[] = {
        { "busybox-binsh", "dash-binsh", "busybox-binsh: busybox-binsh 1.37.0-r19 and dash-binsh "
          "0.5.12-r3 (selected for dash-binsh) both provide cmd:sh: a versioned provides" },
        { "dnsmasq", "dnsmasq-dnssec", "dnsmasq 2.91-r0 and dnsmasq-dnssec 2.91-r0 (selected for "
          "dnsmasq-dnssec) both provide " },
        { "vim", "gvim", "vim 9.1.1566-r0 and gvim 9.1.1566-r0 (selected for gvim) both provide " },
    };
    md_err err = MD_ERR_INIT;
    for (size_t i = 0; i < sizeof real / sizeof *real; i++) {
        const char *const want[] = { real[i].a, real[i].b, NULL };
        md_err_clear(&err);
        CHECK(run(&v322, 1, want, NULL, 0, &err) == NULL);
        CHECK_ERR(&err, real[i].msg);
        CHECK_ERR(&err, "apk: \"conflict: same name provided\"");
    }
    /* either one alone is fine */
    const char *const one[] = { "dnsmasq-dnssec", NULL };
    md_resolve *res = run(&v322, 1, one, NULL, 0, &err);
    CHECK(res && find(res, "dnsmasq-dnssec") && !find(res, "dnsmasq"));
    md_resolve_free(res);
    md_repo_free(v322);

    md_repo *r = own("own",
        "P:a\nV:1.0-r0\n" SUM "p:so:libx.so.1=1.0\n\n"
        "P:b\nV:1.0-r0\n" SUM "p:so:libx.so.1=1.0\n\n"
        "P:needb\nV:1.0-r0\n" SUM "D:real>=3\n\n"
        "P:real\nV:3.0-r0\n" SUM "\n"
        "P:fake\nV:1.0-r0\n" SUM "p:real=2.0\n\n"
        "P:needfake\nV:1.0-r0\n" SUM "D:fake\n\n"
        "P:u1\nV:1.0-r0\n" SUM "p:virt\n\n"
        "P:u2\nV:1.0-r0\n" SUM "p:virt\n\n"
        "P:uses-x\nV:1.0-r0\n" SUM "D:so:libx.so.1\n\n");
    const char *const ab[] = { "a", "b", NULL };
    md_err_clear(&err);
    CHECK(run(&r, 1, ab, NULL, 0, &err) == NULL);
    CHECK_ERR(&err, "a: a 1.0-r0 and b 1.0-r0 (selected for b) both provide so:libx.so.1");
    /* the real package of a name and a versioned provider of it */
    const char *const nf[] = { "needb", "needfake", NULL };
    md_err_clear(&err);
    CHECK(run(&r, 1, nf, NULL, 0, &err) == NULL);
    CHECK_ERR(&err, "needfake -> fake: fake 1.0-r0 and real 3.0-r0 (selected for needb -> "
                    "real>=3) both provide real");
    /* without a version, a name is shared */
    const char *const uu[] = { "u1", "u2", NULL };
    res = run(&r, 1, uu, NULL, 0, &err);
    CHECK(res && find(res, "u1") && find(res, "u2"));
    md_resolve_free(res);
    /* a name the index has only for another architecture: said so (trial
     * 13h case 11: "no such package", "available: none") */
    md_repo *ar = own("mixed", "P:needarm\nV:1.0-r0\n" SUM "D:armonly\n\n"
                               "P:armonly\nV:1.0-r0\nC:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nS:1\n"
                               "A:aarch64\n\n");
    const char *const na[] = { "needarm", NULL }, *const ao[] = { "armonly", NULL };
    md_err_clear(&err);
    CHECK(run(&ar, 1, na, NULL, 0, &err) == NULL);
    CHECK_ERR(&err, "needarm -> armonly: no version satisfies (available: none) (armonly is in "
                    "repository mixed only for aarch64, not x86_64)");
    md_err_clear(&err);
    CHECK(run(&ar, 1, ao, NULL, 0, &err) == NULL);
    CHECK_ERR(&err, "armonly: no such package in any repository (armonly is in repository mixed "
                    "only for aarch64, not x86_64)");
    md_repo_free(ar);
    /* a dependency on the name takes the owner already selected */
    const char *const bx[] = { "b", "uses-x", NULL };
    res = run(&r, 1, bx, NULL, 0, &err);
    CHECK(res && find(res, "b") && !find(res, "a"));
    md_resolve_free(res);
    md_repo_free(r);
}

/* install_if is held against every allowed version of a name, not only
 * the best one (trial 13h case 2): with xen's packages pinned to v3.20,
 * v3.22's xen-bridge-openrc 4.20 ("i:openrc xen-bridge=4.20.2-r0") fails
 * while v3.20's 4.18.3-r0 holds, and apk installs that one. */
static void test_install_if_pinned(void)
{
    md_repo *repos[2] = { real_repo("v322", 0, "apkindex/v3.22.2-206-main-x86_64.APKINDEX.tar.gz"),
                          real_repo("v320", 100, "apkindex/v3.20.3-38-main-x86_64.APKINDEX.tar.gz") };
    const char *const want[] = { "openrc", "xen", "xen-bridge", "bash-completion", "xen-qemu", NULL };
    md_resolve_pin pins[3] = { { "xen", "v320", NULL }, { "xen-bridge", "v320", NULL }, { "xen-qemu", "v320", NULL } };
    md_err err = MD_ERR_INIT;
    md_resolve *res = run(repos, 2, want, pins, 3, &err);
    CHECK(res != NULL);
    if (!res) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    static const char *const added[] = { "xen-bridge-openrc", "xen-qemu-openrc",
                                         "xen-bash-completion" };
    for (size_t i = 0; i < sizeof added / sizeof *added; i++) {
        const md_repo_pkg *p = find(res, added[i]);
        CHECK(p && !strcmp(p->version, "4.18.3-r0") && !strcmp(md_repo_name(p->repo), "v320"));
    }
    /* and every name with a version of either release whose install_if
     * holds is in the set */
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < md_repo_pkg_count(repos[k]); i++) {
            const md_repo_pkg *p = md_repo_pkg_at(repos[k], i);
            bool all = p->apk->ninstall_if > 0;
            for (size_t a = 0; a < p->apk->ninstall_if && all; a++) {
                const md_repo_pkg *q = provider_of(res, &p->apk->install_if[a]);
                all = p->apk->install_if[a].conflict ? !q : q != NULL;
            }
            if (all && !find(res, p->name)) {
                fprintf(stderr, "FAIL: install_if of %s %s holds but it is not selected\n",
                        p->name, p->version);
                CHECK(0);
            }
        }
    md_resolve_free(res);
    md_repo_free(repos[0]);
    md_repo_free(repos[1]);

    /* the same on the test's own two repositories */
    md_repo *own2[2] = { own("r1", "P:openrc\nV:1.0-r0\n" SUM "\n"
                                   "P:foo\nV:2.0-r0\n" SUM "\n"
                                   "P:foo-openrc\nV:2.0-r0\n" SUM "i:openrc foo=2.0-r0\n\n"),
                         own("r2", "P:foo\nV:1.0-r0\n" SUM "\n"
                                   "P:foo-openrc\nV:1.0-r0\n" SUM "i:openrc foo=1.0-r0\n\n") };
    const char *const w2[] = { "openrc", "foo", NULL };
    md_resolve_pin pin = { "foo", "r2", NULL };
    res = run(own2, 2, w2, &pin, 1, &err);
    const md_repo_pkg *fo = res ? find(res, "foo-openrc") : NULL;
    CHECK(fo && !strcmp(fo->version, "1.0-r0") && !strcmp(md_repo_name(fo->repo), "r2"));
    md_resolve_free(res);
    md_repo_free(own2[0]);
    md_repo_free(own2[1]);
}

/* One image, one format: Debian and Alpine repositories are not mixed. */
static void test_mixed(void)
{
    md_err err = MD_ERR_INIT;
    md_repo_config dc = { .name = "deb", .url = "file:///d", .suite = "s" };
    md_repo *repos[2] = { md_repo_new(&dc, &err), own("alp", "P:a\nV:1-r0\n" SUM "\n") };
    const char *const want[] = { "a", NULL };
    CHECK(run(repos, 2, want, NULL, 0, &err) == NULL);
    CHECK_ERR(&err, "repositories deb (deb) and alp (apk) cannot be resolved together");
    /* An Alpine repository takes no suite and needs its keys. */
    md_repo_config bad = { .format = MD_REPO_APK, .name = "x", .url = "file:///a", .suite = "s",
                           .keys = "/k" };
    md_err_clear(&err);
    CHECK(md_repo_new(&bad, &err) == NULL);
    CHECK_ERR(&err, "an Alpine repository has no suite");
    bad.suite = NULL, bad.keys = NULL;
    md_err_clear(&err);
    CHECK(md_repo_new(&bad, &err) == NULL);
    CHECK_ERR(&err, "no keys directory given");
    md_repo_free(repos[0]);
    md_repo_free(repos[1]);
}

static size_t files_in(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, ".lock");
    if (d)
        closedir(d);
    return n;
}

static void note_to(void *ctx, md_out_level level, const char *line)
{
    if (level == MD_OUT_NOTE)
        md_strv_push(ctx, line);
}

/* A dependency a pin leaves without a version sets the asking package's
 * version aside, and another version of it is taken whose dependencies
 * fit (trial 13j: "xen-dev -> xen-libs=4.20.2-r0: no version satisfies in
 * repository v320" while v3.20's xen-dev fits), up the chain when the
 * asker has no other; when nothing fits, the first failure's chain names
 * the pins and where they were written. */
static void test_set_aside(void)
{
    md_repo *repos[2] = { real_repo("v322", 0, "apkindex/v3.22.2-206-main-x86_64.APKINDEX.tar.gz"),
                          real_repo("v320", 100, "apkindex/v3.20.3-38-main-x86_64.APKINDEX.tar.gz") };
    md_err err = MD_ERR_INIT;
    md_strv notes = { 0 };
    md_out out = { note_to, &notes, false };
    md_resolve_pin libs = { "xen-libs", "v320", "spec.ini:7" };
    const char *const dev[] = { "xen-dev", NULL };
    md_resolve_opts o = { .repos = repos, .nrepos = 2, .want = dev, .pins = &libs, .npins = 1,
                          .out = &out };
    md_resolve *res = md_resolve_run(&o, &err);
    const md_repo_pkg *p = res ? find(res, "xen-dev") : NULL;
    CHECK(p && !strcmp(p->version, "4.18.3-r0") && !strcmp(md_repo_name(p->repo), "v320"));
    CHECK(notes.n == 1 && strstr(notes.v[0], "xen-dev 4.20.2-r0 in v322 set aside (took 4.18.3-r0 "
                                             "from v320 instead): xen-dev -> xen-libs=4.20.2-r0: "
                                             "no version satisfies in repository v320, to which "
                                             "xen-libs is pinned by spec.ini:7"));
    md_resolve_free(res);
    md_strv_free(&notes);
    /* xen pinned: xen-libs 4.18 comes with it, and xen-dev (xen-libs=4.20)
     * and xen-qemu (so:libxenctrl.so.4.20) of v3.22 give way to v3.20's;
     * the rest of their dependencies stay on v3.22 */
    md_resolve_pin xen = { "xen", "v320", "spec.ini:7" };
    const char *const three[] = { "xen", "xen-qemu", "xen-dev", NULL };
    res = run(repos, 2, three, &xen, 1, &err);
    CHECK(res != NULL);
    if (!res)
        fprintf(stderr, "%s\n", err.msg);
    for (size_t i = 0; res && i < md_resolve_count(res); i++) {
        p = md_resolve_pkg(res, i);
        bool toolstack = !strncmp(p->name, "xen", 3);
        CHECK_STR(md_repo_name(p->repo), toolstack ? "v320" : "v322");
    }
    CHECK(res && find(res, "xen-qemu") && find(res, "xen-dev") && find(res, "xen-libs"));
    md_resolve_free(res);
    /* when no version of the asker fits, the chain and both pins */
    md_resolve_pin both[2] = { { "xen-libs", "v320", "spec.ini:7" }, { "xen-dev", "v322", "spec.ini:8" } };
    md_err_clear(&err);
    CHECK(run(repos, 2, dev, both, 2, &err) == NULL);
    CHECK_ERR(&err, "xen-dev (pinned to v322 by spec.ini:8) -> xen-libs=4.20.2-r0: no version "
                    "satisfies in repository v320, to which xen-libs is pinned by spec.ini:7 "
                    "(available: 4.20.2-r0 in v322, 4.18.3-r0 in v320)");
    /* the pinned package's other side: xen-libs 4.18 is taken for xen */
    md_resolve_pin q[2] = { { "xen", "v320", "spec.ini:7" }, { "xen-qemu", "v322", "spec.ini:8" } };
    const char *const xq[] = { "xen", "xen-qemu", NULL };
    md_err_clear(&err);
    CHECK(run(repos, 2, xq, q, 2, &err) == NULL);
    CHECK_ERR(&err, "xen-qemu (pinned to v322 by spec.ini:8) -> so:libxenctrl.so.4.20: no version "
                    "satisfies (available: provided by xen-libs 4.20.2-r0 in v322 (xen-libs "
                    "4.18.3-r0 is selected, for xen (pinned to v320 by spec.ini:7) -> ");
    md_repo_free(repos[0]);
    md_repo_free(repos[1]);

    /* Up the chain: mid's only version that meets top's mid=2 needs lib=2,
     * which the pin forbids, so top 2 gives way to top 1. */
    md_repo *own2[2] = { own("r1", "P:top\nV:2-r0\n" SUM "D:mid=2-r0\n\n"
                                   "P:other\nV:2-r0\n" SUM "D:lib=2-r0\n\n"
                                   "P:mid\nV:2-r0\n" SUM "D:lib=2-r0\n\n"
                                   "P:lib\nV:2-r0\n" SUM "\n"),
                         own("r2", "P:top\nV:1-r0\n" SUM "D:mid=1-r0\n\n"
                                   "P:other\nV:1-r0\n" SUM "D:lib=1-r0\n\n"
                                   "P:mid\nV:1-r0\n" SUM "D:lib=1-r0\n\n"
                                   "P:lib\nV:1-r0\n" SUM "\n") };
    const char *const top[] = { "top", NULL };
    md_resolve_pin lib = { "lib", "r2", "s.ini:3" };
    res = run(own2, 2, top, &lib, 1, &err);
    CHECK(res && md_resolve_count(res) == 3);
    for (size_t i = 0; res && i < md_resolve_count(res); i++)
        CHECK_STR(md_resolve_pkg(res, i)->version, "1-r0");
    md_resolve_free(res);
    /* and with top pinned too: refused, the first failure first, without
     * what was set aside for another request (other 2, which gave way to
     * other 1) */
    md_resolve_pin tl[2] = { { "lib", "r2", "s.ini:3" }, { "top", "r1", "s.ini:4" } };
    const char *const ot[] = { "other", "top", NULL };
    md_err_clear(&err);
    CHECK(run(own2, 2, ot, tl, 2, &err) == NULL);
    CHECK_ERR(&err, "top (pinned to r1 by s.ini:4) -> mid=2-r0 -> lib=2-r0: conflicts with lib 1-r0 "
                    "(selected for other -> lib=1-r0 (pinned to r2 by s.ini:3)); no single version "
                    "satisfies both and the pin (pinned to r2 by s.ini:3)");
    CHECK(!strstr(err.msg, "other 2-r0"));
    md_err_clear(&err);
    CHECK(run(own2, 2, top, tl, 2, &err) == NULL);
    CHECK_ERR(&err, "top (pinned to r1 by s.ini:4) -> mid=2-r0 -> lib=2-r0: no version satisfies in "
                    "repository r2, to which lib is pinned by s.ini:3");
    md_repo_free(own2[0]);
    md_repo_free(own2[1]);
}

/* A repository made here in Alpine's layout (URL/x86_64/APKINDEX.tar.gz and
 * the .apk files beside it), signed with a test key: loaded through
 * md_repo_load (file://), resolved, downloaded into the cache with every
 * .apk verified by apk.h against its index record; a damaged one refused
 * and not kept. */
static void test_download(void)
{
    char tmp[] = "/tmp/test_apkresolve.XXXXXX";
    if (!mkdtemp(tmp))
        abort();
    char *kd = md_xasprintf("%s/keys", tmp), *rd = md_xasprintf("%s/repo/x86_64", tmp);
    md_err err = MD_ERR_INIT;
    md_mkdir_p(kd, 0755, &err);
    md_mkdir_p(rd, 0755, &err);
    EVP_PKEY *key = am_key(kd, "test.rsa.pub");
    const char *tool_files[] = { "d usr 0755", "d usr/bin 0755", "f usr/bin/tool 0755 tool", NULL };
    const char *lib_files[] = { "d usr 0755", "d usr/lib 0755", "f usr/lib/libt.so.1 0644 lib", NULL };
    am_apk_opts to = { .name = "tool", .version = "1.0-r0", .extra = "depend = so:libt.so.1\n" };
    am_apk_opts lo = { .name = "libt", .version = "2.0-r0", .extra = "provides = so:libt.so.1=1\n" };
    am_apk_made tm, lm;
    char *tool = md_xasprintf("%s/tool-1.0-r0.apk", rd), *lib = md_xasprintf("%s/libt-2.0-r0.apk", rd);
    CHECK(am_make_apk(tool, key, "test.rsa.pub", &to, tool_files, &tm) == 0);
    CHECK(am_make_apk(lib, key, "test.rsa.pub", &lo, lib_files, &lm) == 0);
    char *idx = md_xasprintf("C:%s\nP:tool\nV:1.0-r0\nA:x86_64\nS:%zu\nD:so:libt.so.1\n\n"
                             "C:%s\nP:libt\nV:2.0-r0\nA:x86_64\nS:%zu\np:so:libt.so.1=1\n\n",
                             tm.checksum, tm.size, lm.checksum, lm.size);
    char *idxp = md_xasprintf("%s/APKINDEX.tar.gz", rd);
    CHECK(am_make_index(idxp, key, "test.rsa.pub", "made-1", idx) == 0);
    char *url = md_xasprintf("file://%s/repo", tmp), *cache = md_xasprintf("%s/cache", tmp);
    md_repo_config c = { .format = MD_REPO_APK, .name = "made", .url = url, .keys = kd };
    md_repo *r = md_repo_new(&c, &err);
    CHECK(r && md_repo_load(r, cache, NULL, &err) == 0);
    if (err.set)
        fprintf(stderr, "%s\n", err.msg);
    CHECK(r && md_repo_pkg_count(r) == 2);
    CHECK(r && !strcmp(md_repo_description(r), "made-1"));
    const char *const want[] = { "tool", NULL };
    md_resolve *res = r ? run(&r, 1, want, NULL, 0, &err) : NULL;
    CHECK(res && md_resolve_count(res) == 2);
    md_resolve_stats st;
    char *apks = md_xasprintf("%s/apks", cache);
    if (res) {
        CHECK(md_resolve_download(res, cache, &st, &err) == 0);
        if (err.set)
            fprintf(stderr, "%s\n", err.msg);
        CHECK(st.downloaded == 2 && st.cached == 0 && st.bytes_downloaded == tm.size + lm.size);
        CHECK(md_resolve_path(res, 1) && strstr(md_resolve_path(res, 1), "/apks/tool-1.0-r0.") &&
              access(md_resolve_path(res, 1), R_OK) == 0);
        CHECK(md_resolve_download(res, cache, &st, &err) == 0 && st.cached == 2);
        /* A cached copy that no longer verifies is fetched again. */
        char *cached = md_xstrdup(md_resolve_path(res, 0));
        unsigned char *d;
        size_t n;
        CHECK(md_read_file(cached, &d, &n, &err) == 0);
        d[n - 30] ^= 1;
        md_write_atomic(cached, d, n, 0644, &err);
        free(d);
        CHECK(md_resolve_download(res, cache, &st, &err) == 0 && st.downloaded == 1 && st.cached == 1);
        /* The repository's copy damaged: refused, nothing of it kept. */
        unlink(cached);
        CHECK(md_read_file(lib, &d, &n, &err) == 0);
        d[n - 30] ^= 1;
        md_write_atomic(lib, d, n, 0644, &err);
        free(d);
        md_err_clear(&err);
        CHECK(md_resolve_download(res, cache, &st, &err) < 0);
        CHECK_ERR(&err, "libt-2.0-r0.apk: package libt: libt-2.0-r0.apk: ");
        CHECK_ERR(&err, "; file deleted");
        /* named by the package's file, not the deleted temporary (trial
         * 13h case 6) */
        CHECK(!strstr(err.msg, ".partial."));
        CHECK(access(cached, F_OK) < 0);
        CHECK(files_in(apks) == 1); /* tool's, and no temporary */
        free(cached);
        md_resolve_free(res);
    }
    /* The index signed by a key the keys directory lacks: refused. */
    md_repo_free(r);
    {
        /* tool's copy in the cache, signed by test.rsa.pub, listed by a
         * repository that trusts only another key: the note says why it is
         * fetched again (trial 13h case 6: "does not match the index") */
        md_err_clear(&err);
        char *kd3 = md_xasprintf("%s/keys3", tmp), *rd3 = md_xasprintf("%s/repo3/x86_64", tmp);
        md_mkdir_p(kd3, 0755, &err);
        md_mkdir_p(rd3, 0755, &err);
        EVP_PKEY *k3 = am_key(kd3, "three.rsa.pub");
        char *idx3 = md_xasprintf("%s/APKINDEX.tar.gz", rd3), *url3 = md_xasprintf("file://%s/repo3", tmp);
        char *one = md_xasprintf("C:%s\nP:tool\nV:1.0-r0\nA:x86_64\nS:%zu\n\n", tm.checksum, tm.size);
        /* its DESCRIPTION with an ESC sequence: "-" in the lock file, as a
         * blank is (trial 13h case 9: written as it was) */
        CHECK(am_make_index(idx3, k3, "three.rsa.pub", "three\033[31mred", one) == 0);
        md_repo_config c3 = { .format = MD_REPO_APK, .name = "three", .url = url3, .keys = kd3 };
        md_repo *r3 = md_repo_new(&c3, &err);
        CHECK(r3 && md_repo_load(r3, cache, NULL, &err) == 0);
        if (err.set)
            fprintf(stderr, "%s\n", err.msg);
        md_strv notes = { 0 };
        md_out o = { note_to, &notes, false };
        const char *const w3[] = { "tool", NULL };
        md_resolve_opts o3 = { .repos = &r3, .nrepos = 1, .want = w3, .out = &o };
        md_resolve *res3 = r3 ? md_resolve_run(&o3, &err) : NULL;
        char *lock3 = md_xasprintf("%s/lock3", tmp);
        CHECK(res3 && md_resolve_write_lock(res3, lock3, &err) == 0);
        unsigned char *lt = NULL;
        size_t ll = 0;
        CHECK(md_read_file(lock3, &lt, &ll, &err) == 0);
        char *want3 = md_xasprintf("\nrepository three %s x86_64 -\n", url3);
        CHECK(lt && strstr((char *)lt, want3) && !memchr(lt, 033, ll));
        free(want3), free(lt), free(lock3);
        md_err_clear(&err);
        CHECK(res3 && md_resolve_download(res3, cache, NULL, &err) < 0); /* not in repo3 */
        bool said = false;
        for (size_t i = 0; i < notes.n; i++)
            said |= strstr(notes.v[i], "cached copy refused (tool-1.0-r0.apk: ") &&
                    strstr(notes.v[i], "signed by test.rsa.pub, which is not in ");
        CHECK(said);
        md_resolve_free(res3);
        md_repo_free(r3);
        md_strv_free(&notes);
        EVP_PKEY_free(k3);
        free(kd3), free(rd3), free(idx3), free(url3), free(one);
    }
    char *kd2 = md_xasprintf("%s/keys2", tmp);
    md_mkdir_p(kd2, 0755, &err);
    EVP_PKEY *other = am_key(kd2, "other.rsa.pub");
    c.keys = kd2;
    r = md_repo_new(&c, &err);
    md_err_clear(&err);
    CHECK(r && md_repo_load(r, cache, NULL, &err) < 0);
    CHECK_ERR(&err, "repository made: ");
    CHECK_ERR(&err, "signed by test.rsa.pub, which is not in");
    md_repo_free(r);
    EVP_PKEY_free(other);
    EVP_PKEY_free(key);
    free(kd), free(kd2), free(rd), free(tool), free(lib), free(idx), free(idxp), free(url);
    free(cache), free(apks);
    if (!getenv("KEEP_TMP"))
        t_rm_tree(tmp);
}

/* An index whose DESCRIPTION names another release than the URL's
 * release directory is refused naming both (trial 13j: v3.20's signed
 * index at .../v3.22/main was taken); the same release, a URL without
 * one (edge, one's own) or a DESCRIPTION without one are not checked. */
/* A choice that only the repository order or the name made is said in a
 * note naming both candidates and what decided (trial 13x F1: apk-tools 3
 * compares v3.14's opensmtpd 6.8.0p2-r0 and v3.16's 6.8.0p2-r4 equal, and
 * the repository listed first was taken silently; F7: two providers of
 * /bin/sh with k:100); one package in two repositories is no choice. */
static void test_ties(void)
{
    static const struct { const char *first, *second, *took; } orders[] = {
        { "v3.14.0-35", "v3.16.3-13", "opensmtpd: took 6.8.0p2-r0 from r1 over 6.8.0p2-r4 from r2: the "
          "two compare equal by apk-tools 3's version order (6.8.0p2-r0 and 6.8.0p2-r4 are not valid "
          "Alpine versions: apk-tools 3 compares no further than where a version stops being "
          "valid; apk-tools 2 may order them), so the repository listed first decides, as apk "
          "takes the lowest repository" },
        { "v3.16.3-13", "v3.14.0-35", "opensmtpd: took 6.8.0p2-r4 from r1 over 6.8.0p2-r0 from r2" },
    };
    const char *const smtpd[] = { "opensmtpd", "busybox", NULL }, *const want[] = { "want", NULL };
    for (size_t i = 0; i < sizeof orders / sizeof *orders; i++) {
        char *f1 = md_xasprintf("apkindex/%s-main-x86_64.APKINDEX.tar.gz", orders[i].first);
        char *f2 = md_xasprintf("apkindex/%s-main-x86_64.APKINDEX.tar.gz", orders[i].second);
        md_repo *repos[2] = { real_repo("r1", 0, f1), real_repo("r2", 0, f2) };
        md_strv notes = { 0 };
        md_out out = { note_to, &notes, false };
        md_resolve_opts o = { .repos = repos, .nrepos = 2, .want = smtpd, .out = &out };
        md_err err = MD_ERR_INIT;
        md_resolve *res = md_resolve_run(&o, &err);
        const md_repo_pkg *p = res ? find(res, "opensmtpd") : NULL;
        CHECK(p && !strcmp(md_repo_name(p->repo), "r1"));
        bool said = false;
        for (size_t k = 0; k < notes.n; k++)
            said |= strstr(notes.v[k], orders[i].took) != NULL;
        CHECK(said);
        md_resolve_free(res);
        md_strv_free(&notes);
        md_repo_free(repos[0]), md_repo_free(repos[1]);
        free(f1), free(f2);
    }
    md_repo *r = own("own", "P:want\nV:1-r0\n" SUM "D:/bin/sh same\n\n"
                             "P:sh2\nV:1-r0\n" SUM "p:/bin/sh\nk:100\n\n"
                             "P:sh1\nV:1-r0\n" SUM "p:/bin/sh\nk:100\n\n"
                             "P:same\nV:1-r0\n" SUM "\n");
    md_repo *r2 = own("own2", "P:same\nV:1-r0\n" SUM "\n");
    md_repo *both[2] = { r, r2 };
    md_strv notes = { 0 };
    md_out out = { note_to, &notes, false };
    md_resolve_opts o = { .repos = both, .nrepos = 2, .want = want, .out = &out };
    md_err err = MD_ERR_INIT;
    md_resolve *res = md_resolve_run(&o, &err);
    CHECK(res && find(res, "sh1") && !find(res, "sh2"));
    CHECK(notes.n == 1);
    CHECK(notes.n && !strcmp(notes.v[0], "/bin/sh: took sh1 1-r0 from own over sh2 1-r0 from own: "
                                         "both provide it without a version, with "
                                         "provider_priority 100, so the first by name decides "
                                         "(apk would take the one its indexes list first)"));
    md_resolve_free(res);
    md_strv_free(&notes);
    md_repo_free(r), md_repo_free(r2);
}

static void test_release(void)
{
    char tmp[] = "/tmp/test_apkrelease.XXXXXX";
    if (!mkdtemp(tmp))
        abort();
    md_err err = MD_ERR_INIT;
    char *kd = md_xasprintf("%s/keys", tmp);
    md_mkdir_p(kd, 0755, &err);
    EVP_PKEY *key = am_key(kd, "test.rsa.pub");
    static const struct { const char *dir, *desc, *url_tail, *refused; } cases[] = {
        { "v3.22/main", "v3.20.3-38-g5b99a0b2f22", "v3.22/main",
          "the index is of release v3.20 (its DESCRIPTION is 'v3.20.3-38-g5b99a0b2f22'), but the "
          "URL names release v3.22" },
        { "v3.2/main", "v3.22.2-1-gabc", "v3.2/main/", "release v3.22 (its DESCRIPTION" },
        { "v3.20/community", "v3.20.3-38-g5b99a0b2f22", "v3.20/community/", NULL },
        { "edge/main", "v3.23.0-100-gabc", "edge/main", NULL },
        { "v3.22/main2", "made-1", "v3.22/main2", NULL },
        /* the URL's path as a server resolves it (trial 13x F5: the double
         * slash passed) */
        { "v3.22/main", "v3.20.3-38-g5b99a0b2f22", "v3.22//main",
          "the index is of release v3.20 (its DESCRIPTION is 'v3.20.3-38-g5b99a0b2f22'), but the "
          "URL names release v3.22" },
        { "v3.22/main", "v3.20.3-38-g5b99a0b2f22", "v3.22/./main/", "URL names release v3.22" },
        { "v3.22/main", "v3.20.3-38-g5b99a0b2f22", "v3.22/x/../main", "URL names release v3.22" },
        /* an edge snapshot's index at a release's URL */
        { "v3.22/main", "v20250108-1386-gabcdef", "v3.22/main",
          "the index is of edge, snapshot v20250108 (its DESCRIPTION is 'v20250108-1386-gabcdef'), "
          "but the URL names release v3.22" },
        { "edge/main", "v20250108-1386-gabcdef", "edge/main", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *rd = md_xasprintf("%s/%s/x86_64", tmp, cases[i].dir);
        md_mkdir_p(rd, 0755, &err);
        char *idx = md_xasprintf("%s/APKINDEX.tar.gz", rd);
        CHECK(am_make_index(idx, key, "test.rsa.pub", cases[i].desc,
                            "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:1-r0\nA:x86_64\nS:1\n\n") == 0);
        char *url = md_xasprintf("file://%s/%s", tmp, cases[i].url_tail);
        char *cache = md_xasprintf("%s/cache", tmp);
        md_repo_config c = { .format = MD_REPO_APK, .name = "r", .url = url, .keys = kd };
        md_repo *r = md_repo_new(&c, &err);
        md_err_clear(&err);
        int rc = r ? md_repo_load(r, cache, NULL, &err) : -1;
        if (cases[i].refused) {
            CHECK(rc < 0);
            CHECK_ERR(&err, cases[i].refused);
        } else {
            CHECK(rc == 0);
            if (err.set)
                fprintf(stderr, "%s\n", err.msg);
        }
        md_repo_free(r);
        free(rd), free(idx), free(url), free(cache);
    }
    EVP_PKEY_free(key);
    free(kd);
    if (!getenv("KEEP_TMP"))
        t_rm_tree(tmp);
}

int main(void)
{
    md_err err = MD_ERR_INIT;
    char *dir = t_alpine("keys");
    keys = md_apksign_keys_load(dir, &err);
    free(dir);
    CHECK(keys != NULL);
    if (!keys) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    test_real_dom0();
    test_rules();
    test_same_name();
    test_install_if_pinned();
    test_set_aside();
    test_mixed();
    test_download();
    test_release();
    test_ties();
    md_apksign_keys_free(keys);
    return t_done("test_apkresolve");
}
