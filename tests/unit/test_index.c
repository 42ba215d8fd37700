#include <stdlib.h>
#include "packages/repo.h"
#include "core/mem.h"
#include "t.h"

#define H1 "1111111111111111111111111111111111111111111111111111111111111111"
#define H2 "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789"

static md_repo *new_repo(void)
{
    md_err err = MD_ERR_INIT;
    md_repo_config c = { .name = "test", .url = "file:///srv/repo/", .suite = "stable" };
    md_repo *r = md_repo_new(&c, &err);
    CHECK(r != NULL);
    return r;
}

static int add(md_repo *r, const char *text, md_err *err)
{
    return md_repo_add_index(r, "Packages", md_xstrdup(text), strlen(text), err);
}

static const md_repo_pkg *find(const md_repo *r, const char *name)
{
    for (size_t i = 0; i < md_repo_pkg_count(r); i++)
        if (!strcmp(md_repo_pkg_at(r, i)->name, name))
            return md_repo_pkg_at(r, i);
    return NULL;
}

static void test_good(void)
{
    md_repo *r = new_repo();
    md_err err = MD_ERR_INIT;
    static const char idx[] =
        "Package: xen-utils-4.17\n"
        "Source: xen\n"
        "Version: 4.17.7+13-g2445b30a44-0+deb12u1\n"
        "Installed-Size: 4420\n"
        "Maintainer: Debian Xen Team <pkg-xen-devel@lists.alioth.debian.org>\n"
        "Architecture: amd64\n"
        "Depends: libc6 (>= 2.35), python3:any,\n"
        " libxenctrl4.17 (= 4.17.7)\n"
        "Pre-Depends: init-system-helpers (>= 1.54~)\n"
        "Description: XEN administrative tools\n"
        " The userspace tools to manage a system virtualized through the XEN\n"
        " .\n"
        " hypervisor.\n"
        "Multi-Arch: foreign\n"
        "Priority: optional\n"
        "Filename: pool/main/x/xen/xen-utils-4.17_4.17.7_amd64.deb\n"
        "Size: 1372500\n"
        "SHA256: " H1 "\n"
        "\n"
        "\n"
        "package: dash\n"
        "Essential: yes\n"
        "version: 0.5.12-2\n"
        "architecture: amd64\n"
        "provides: sh, posix-shell (= 1)\n"
        "filename: pool/main/d/dash/dash_0.5.12-2_amd64.deb\n"
        "size: 12\n"
        "sha256: " H2 "\n"
        "\n"
        "Package: tzdata\n"
        "Version: 2024a-0+deb12u1\n"
        "Architecture: all\n"
        "Filename: pool/main/t/tzdata/tzdata.deb\n"
        "Size: 1\n"
        "SHA256: " H1 "\n"
        "\n"
        "Package: foreign\n"
        "Version: 1\n"
        "Architecture: arm64\n"
        "Filename: pool/f.deb\n"
        "Size: 1\n"
        "SHA256: " H1; /* no final newline */
    CHECK(add(r, idx, &err) == 0);
    CHECK(!err.set);
    CHECK(md_repo_pkg_count(r) == 3); /* arm64 is not for an amd64 repo */
    const md_repo_pkg *x = find(r, "xen-utils-4.17");
    CHECK(x != NULL);
    if (x) {
        CHECK_STR(x->version, "4.17.7+13-g2445b30a44-0+deb12u1");
        CHECK_STR(x->arch, "amd64");
        CHECK_STR(x->depends, "libc6 (>= 2.35), python3:any,  libxenctrl4.17 (= 4.17.7)");
        CHECK_STR(x->pre_depends, "init-system-helpers (>= 1.54~)");
        CHECK_STR(x->multi_arch, "foreign");
        CHECK_STR(x->priority, "optional");
        CHECK_STR(x->filename, "pool/main/x/xen/xen-utils-4.17_4.17.7_amd64.deb");
        CHECK(x->size == 1372500);
        CHECK(x->installed_size == 4420);
        CHECK_STR(x->sha256, H1);
        CHECK(!x->essential);
        CHECK(x->provides == NULL);
        CHECK(x->line == 1);
        CHECK_STR(x->index, "Packages");
        char *u = md_repo_pkg_url(x);
        CHECK_STR(u, "file:///srv/repo/pool/main/x/xen/xen-utils-4.17_4.17.7_amd64.deb");
        free(u);
    }
    const md_repo_pkg *d = find(r, "dash");
    CHECK(d && d->essential && d->line == 21);
    CHECK(d && !strcmp(d->sha256, "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"));
    CHECK(d && !strcmp(d->provides, "sh, posix-shell (= 1)"));
    const md_repo_pkg *t = find(r, "tzdata");
    CHECK(t && !strcmp(t->arch, "all") && t->installed_size == 0);
    CHECK(find(r, "foreign") == NULL);

    /* A second index adds to the first. */
    CHECK(add(r, "Package: b\nVersion: 1\nArchitecture: all\nFilename: b.deb\nSize: 3\nSHA256: " H1 "\n", &err) == 0);
    CHECK(md_repo_pkg_count(r) == 4 && find(r, "b") && find(r, "dash"));
    CHECK(add(r, "", &err) == 0 && md_repo_pkg_count(r) == 4);
    CHECK(add(r, "\n\n  \n", &err) == 0 && md_repo_pkg_count(r) == 4);
    md_repo_free(r);
}

#define OKSTANZA "Package: ok\nVersion: 1\nArchitecture: all\nFilename: ok.deb\nSize: 1\nSHA256: " H1 "\n\n"

static void test_malformed(void)
{
    static const struct { const char *text, *needle; } bad[] = {
        { OKSTANZA "Package: a\nthis line has no colon\n", "Packages:9: malformed line" },
        { OKSTANZA " continuation first\n", "Packages:8: continuation line outside a field" },
        { OKSTANZA "Package: a\nVersion: 1\nVersion: 2\n", "Packages:10: duplicate field Version" },
        { OKSTANZA "Version: 1\nArchitecture: all\n", "Packages:8: stanza without a Package" },
        { OKSTANZA "Package: a\nArchitecture: all\nFilename: a\nSize: 1\nSHA256: " H1 "\n",
          "Packages:8: package a: missing Version" },
        { OKSTANZA "Package: a\nVersion: 1.0-\nArchitecture: all\n", "Packages:9: package a: bad Version '1.0-'" },
        { OKSTANZA "Package: a\nVersion: 1\nArchitecture: all\nFilename: a\nSize: 1\n",
          "package a: missing or bad SHA256" },
        { OKSTANZA "Package: a\nVersion: 1\nArchitecture: all\nFilename: a\nSize: 1\nSHA256: 12ab\n",
          "package a: missing or bad SHA256" },
        { OKSTANZA "Package: a\nVersion: 1\nArchitecture: all\nFilename: a\nSize: 1k\nSHA256: " H1 "\n",
          "Packages:8: package a: missing or bad Size" },
        { OKSTANZA "Package: a\nVersion: 1\nArchitecture: all\nFilename: ../../etc/passwd\nSize: 1\nSHA256: " H1 "\n",
          "package a: missing or bad Filename" },
        /* trial 9f case 5: decoded by the URL after the ".." check */
        { OKSTANZA "Package: a\nVersion: 1\nArchitecture: all\nFilename: pool/%2e%2e/%2e%2e/etc/hostname\nSize: 1\nSHA256: " H1 "\n",
          "package a: bad Filename 'pool/%2e%2e/%2e%2e/etc/hostname'" },
        { OKSTANZA "Package: a\nVersion: 1\nArchitecture: all\nFilename: pool/a.deb?x=1\nSize: 1\nSHA256: " H1 "\n",
          "package a: bad Filename" },
        { OKSTANZA "Package: a\nVersion: 1\nArchitecture: all\nFilename: pool/a#.deb\nSize: 1\nSHA256: " H1 "\n",
          "package a: bad Filename" },
        { OKSTANZA "Package: a\nVersion: 1\nFilename: a\nSize: 1\nSHA256: " H1 "\n",
          "package a: missing Architecture" },
        { OKSTANZA "Package: a b\nVersion: 1\n", "bad package name 'a b'" },
        { OKSTANZA "Package: a\nVersion: 1\nArchitecture: all\nFilename: a\nSize: 1\nSHA256: " H1
          "\nEssential: maybe\n", "bad Essential 'maybe'" },
        { OKSTANZA "Package: a\nVersion: 1\nArchitecture: all\nFilename: a\nSize: 1\nSHA256: " H1
          "\nInstalled-Size: -5\n", "bad Installed-Size" },
        /* issue 9: numbers past 64 bits (strtoull saturated them) or off_t */
        { OKSTANZA "Package: big\nVersion: 1\nArchitecture: all\nFilename: a\nSize: 18446744073709551616\nSHA256: " H1 "\n",
          "Packages:12: package big: Size 18446744073709551616 out of range (at most 9223372036854775807)" },
        { OKSTANZA "Package: big\nVersion: 1\nArchitecture: all\nFilename: a\nSize: 9223372036854775808\nSHA256: " H1 "\n",
          "Packages:12: package big: Size 9223372036854775808 out of range" },
        { OKSTANZA "Package: big\nVersion: 1\nArchitecture: all\nFilename: a\nSize: 1\nSHA256: " H1
          "\nInstalled-Size: 99999999999999999999999999\n", "Packages:14: package big: Installed-Size 99999999999999999999999999 out of range" },
        { OKSTANZA "Bad Field: x\n", "Packages:8: malformed line (bad field name)" },
        { OKSTANZA ": empty name\n", "Packages:8: malformed line" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        md_repo *r = new_repo();
        md_err err = MD_ERR_INIT;
        CHECK(add(r, bad[i].text, &err) < 0);
        CHECK_ERR(&err, bad[i].needle);
        CHECK(md_repo_pkg_count(r) == 0); /* nothing of a bad index is kept */
        md_repo_free(r);
    }
    /* A NUL byte in the middle. */
    md_repo *r = new_repo();
    md_err err = MD_ERR_INIT;
    char *t = md_xstrdup("Package: a\nVersion: 1\n");
    t[3] = '\0';
    CHECK(md_repo_add_index(r, "Packages", t, 22, &err) < 0);
    CHECK_ERR(&err, "NUL byte");
    md_repo_free(r);
}

static void test_config(void)
{
    md_err err = MD_ERR_INIT;
    md_repo_config c = { .name = "x", .url = "ftp://example/", .suite = "s" };
    CHECK(md_repo_new(&c, &err) == NULL);
    CHECK_ERR(&err, "not http://, https:// or file://");
    md_err_clear(&err);
    c = (md_repo_config){ .name = "", .url = "http://x", .suite = "s" };
    CHECK(md_repo_new(&c, &err) == NULL);
    CHECK_ERR(&err, "repository name");
    md_err_clear(&err);
    c = (md_repo_config){ .name = "x", .url = "http://x", .suite = NULL };
    CHECK(md_repo_new(&c, &err) == NULL);
    CHECK_ERR(&err, "suite");
    md_err_clear(&err);
    const char *comps[] = { "main", "contrib", NULL };
    c = (md_repo_config){ .name = "x", .url = "https://deb.example.org/debian//", .suite = "bookworm",
                          .components = comps, .arch = "arm64", .priority = 100 };
    md_repo *r = md_repo_new(&c, &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_STR(md_repo_url(r), "https://deb.example.org/debian");
        CHECK_STR(md_repo_arch(r), "arm64");
        CHECK_STR(md_repo_components(r)[1], "contrib");
        CHECK(md_repo_components(r)[2] == NULL);
        CHECK(md_repo_priority(r) == 100);
        CHECK(md_repo_keyring(r) == NULL);
        /* No keyring: loading refuses before touching the network. */
        CHECK(md_repo_load(r, "/nonexistent", NULL, &err) < 0);
        CHECK_ERR(&err, "no keyring");
        md_repo_free(r);
    }
    c = (md_repo_config){ .name = "d", .url = "http://x", .suite = "s" };
    r = md_repo_new(&c, &err);
    CHECK(r && md_repo_priority(r) == MD_REPO_DEFAULT_PRIORITY && !strcmp(md_repo_arch(r), "amd64") &&
          !strcmp(md_repo_components(r)[0], "main"));
    md_repo_free(r);
}

int main(void)
{
    test_good();
    test_malformed();
    test_config();
    return t_done("index");
}
