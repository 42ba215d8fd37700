#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "packages/resolve.h"
#include "core/mem.h"
#include "core/file.h"
#include "core/sha256.h"
#include "core/strv.h"
#include "t.h"

#define SHA "2222222222222222222222222222222222222222222222222222222222222222"
#define PKG(name, ver, extra) \
    "Package: " name "\nVersion: " ver "\nArchitecture: amd64\n" extra \
    "Filename: pool/" name "_" ver ".deb\nSize: 10\nInstalled-Size: 2\nSHA256: " SHA "\n\n"

static const char main_idx[] =
    PKG("app", "1.0", "Depends: libfoo (>= 1.0), mta | postfix, python3:any, loop-a\n")
    PKG("libfoo", "1.0", "")
    PKG("libfoo", "2.0", "Pre-Depends: libc6\n")
    PKG("libc6", "2.36", "")
    PKG("exim", "4.96", "Provides: mta, mail-transport-agent\nPriority: standard\n")
    PKG("postfix", "3.7", "Provides: mta\nPriority: optional\n")
    PKG("python3", "3.11", "")
    PKG("loop-a", "1", "Depends: loop-b\n")
    PKG("loop-b", "1", "Depends: loop-a (>= 1), loop-c\n")
    PKG("loop-c", "1", "Depends: loop-a\n")
    PKG("vuser", "1", "Depends: virt (>= 2)\n")
    PKG("p0", "1", "Provides: virt\n")
    PKG("p1", "1", "Provides: virt (= 2)\n")
    PKG("chain-top", "1", "Depends: chain-mid (= 1.0)\n")
    PKG("chain-mid", "1.0", "Depends: libfoo (>= 9)\n")
    PKG("chain-mid", "2.0", "")
    PKG("c-top", "1", "Depends: libbar, c2\n")
    PKG("c2", "1", "Depends: libbar (<< 2)\n")
    PKG("libbar", "1.0", "")
    PKG("libbar", "2.0", "")
    PKG("alt", "1", "Depends: missing1 | libc6 | exim, libc6 | postfix\n")
    PKG("wants-ex", "1", "Depends: debconf (>= 0.5) | debconf-2.0, mailer\n")
    PKG("debconf", "1.5", "Provides: debconf-2.0\n")
    PKG("cdebconf", "0.2", "Provides: debconf-2.0\n")
    PKG("mailx", "1", "Provides: mailer\n")
    PKG("ess", "1", "Essential: yes\n")
    PKG("bad-deps", "1", "Depends: libc6 (>= )\n")
    PKG("anyq", "1", "Depends: libc6:any, libfoo:native, python3:amd64\n")
    PKG("armq", "1", "Depends: libc6:arm64\n")
    "Package: indep\nVersion: 1\nArchitecture: all\nDepends: libc6\nFilename: pool/indep.deb\nSize: 5\nSHA256: " SHA "\n";

static const char next_idx[] =
    PKG("libfoo", "3.0", "")
    PKG("app", "2.0", "Depends: libfoo (>= 3)\n")
    PKG("libc6", "2.41", "");

static md_repo *repo(const char *name, const char *idx, int prio)
{
    md_err err = MD_ERR_INIT;
    md_repo_config c = { .name = name, .url = "file:///repo", .suite = "s", .priority = prio };
    md_repo *r = md_repo_new(&c, &err);
    CHECK(md_repo_add_index(r, name, md_xstrdup(idx), strlen(idx), &err) == 0);
    if (err.set)
        fprintf(stderr, "%s\n", err.msg);
    return r;
}

typedef struct setup {
    md_repo *repos[2];
    size_t n;
} setup;

static md_resolve *run(setup *s, const char *const *want, const char *const *ex,
                       const md_resolve_pin *pins, size_t npins, bool ess, md_err *err)
{
    md_resolve_opts o = { s->repos, s->n, want, ex, pins, npins, ess, NULL, false };
    return md_resolve_run(&o, err);
}

static int find(const md_resolve *r, const char *name)
{
    for (size_t i = 0; r && i < md_resolve_count(r); i++)
        if (!strcmp(md_resolve_pkg(r, i)->name, name))
            return (int)i;
    return -1;
}

static const char *ver(const md_resolve *r, const char *name)
{
    int i = find(r, name);
    return i < 0 ? "(absent)" : md_resolve_pkg(r, (size_t)i)->version;
}

static const char *why(const md_resolve *r, const char *name)
{
    int i = find(r, name);
    return i < 0 ? "(absent)" : md_resolve_why(r, (size_t)i);
}

static bool skipped(const md_resolve *r, const char *msg)
{
    for (size_t i = 0; i < md_resolve_skipped_count(r); i++)
        if (!strcmp(md_resolve_skipped(r, i), msg))
            return true;
    return false;
}

static void test_basic(setup *one)
{
    md_err err = MD_ERR_INIT;
    const char *want[] = { "app", NULL }, *ex[] = { "python3", NULL };
    md_resolve *r = run(one, want, ex, NULL, 0, false, &err);
    CHECK(r != NULL);
    if (!r) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    CHECK_STR(ver(r, "app"), "1.0");
    CHECK_STR(why(r, "app"), "requested");
    CHECK_STR(ver(r, "libfoo"), "2.0");         /* highest version */
    CHECK_STR(why(r, "libfoo"), "dependency of app");
    CHECK_STR(ver(r, "libc6"), "2.36");         /* through Pre-Depends */
    CHECK_STR(why(r, "libc6"), "dependency of libfoo");
    CHECK_STR(why(r, "exim"), "dependency of app (provides mta)"); /* Priority standard wins */
    CHECK(find(r, "postfix") < 0);
    CHECK(find(r, "python3") < 0);
    CHECK(skipped(r, "skipped python3 (excluded), wanted by app"));
    CHECK(md_resolve_skipped_count(r) == 1);
    /* the loop resolves once */
    CHECK(find(r, "loop-a") >= 0 && find(r, "loop-b") >= 0 && find(r, "loop-c") >= 0);
    CHECK(md_resolve_count(r) == 7);
    /* sorted by name */
    for (size_t i = 1; i < md_resolve_count(r); i++)
        CHECK(strcmp(md_resolve_pkg(r, i - 1)->name, md_resolve_pkg(r, i)->name) < 0);
    CHECK(md_resolve_total_size(r) == 70);
    CHECK(md_resolve_total_installed(r) == 14);
    CHECK(md_resolve_path(r, 0) == NULL);

    /* lock file */
    char path[] = "/tmp/test_resolve.lock.XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    CHECK(md_resolve_write_lock(r, path, &err) == 0);
    unsigned char *d;
    size_t n;
    CHECK(md_read_file(path, &d, &n, &err) == 0);
    if (!err.set) {
        d[n] = '\0';
        CHECK(strstr((char *)d, "repository main file:///repo s\n") != NULL);
        CHECK(strstr((char *)d, "package libfoo 2.0 amd64 main 10 " SHA "\n") != NULL);
        CHECK(strstr((char *)d, "package app 1.0 amd64 main 10 " SHA "\npackage exim ") != NULL);
        free(d);
    }
    unlink(path);
    md_resolve_free(r);
}

static void test_versions_and_virtuals(setup *one)
{
    md_err err = MD_ERR_INIT;
    /* A versioned dependency needs a versioned Provides. */
    const char *w1[] = { "vuser", NULL };
    md_resolve *r = run(one, w1, NULL, NULL, 0, false, &err);
    CHECK(r && find(r, "p1") >= 0 && find(r, "p0") < 0);
    CHECK_STR(why(r, "p1"), "dependency of vuser (provides virt)");
    md_resolve_free(r);

    /* A later constraint rules out the version picked first: learn, restart. */
    const char *w2[] = { "c-top", NULL };
    r = run(one, w2, NULL, NULL, 0, false, &err);
    CHECK(r != NULL);
    CHECK_STR(ver(r, "libbar"), "1.0");
    md_resolve_free(r);

    /* Alternatives: an already selected one is preferred, else the first
     * satisfiable. */
    const char *w3[] = { "alt", NULL };
    r = run(one, w3, NULL, NULL, 0, false, &err);
    CHECK(r && find(r, "libc6") >= 0 && find(r, "exim") < 0 && find(r, "postfix") < 0 &&
          md_resolve_count(r) == 2);
    md_resolve_free(r);
    const char *w3b[] = { "postfix", "alt", NULL };
    r = run(one, w3b, NULL, NULL, 0, false, &err);
    CHECK(r && find(r, "exim") < 0 && md_resolve_count(r) == 3);
    md_resolve_free(r);

    /* Qualifiers: :any, :native and our own arch; arch all packages. */
    const char *w4[] = { "anyq", "indep", NULL };
    r = run(one, w4, NULL, NULL, 0, false, &err);
    CHECK(r && find(r, "libc6") >= 0 && find(r, "libfoo") >= 0 && find(r, "python3") >= 0 &&
          find(r, "indep") >= 0);
    md_resolve_free(r);
    const char *w5[] = { "armq", NULL };
    md_err e5 = MD_ERR_INIT;
    CHECK(run(one, w5, NULL, NULL, 0, false, &e5) == NULL);
    CHECK_ERR(&e5, "armq -> libc6:arm64: no version satisfies");
}

static void test_excludes(setup *one)
{
    md_err err = MD_ERR_INIT;
    /* debconf excluded: the first alternative is skipped, not replaced by
     * another provider of debconf-2.0.  A virtual whose only provider is
     * excluded is skipped too. */
    const char *want[] = { "wants-ex", NULL }, *ex[] = { "debconf", "mailx", NULL };
    md_resolve *r = run(one, want, ex, NULL, 0, false, &err);
    CHECK(r != NULL);
    CHECK(r && find(r, "cdebconf") < 0 && find(r, "debconf") < 0 && md_resolve_count(r) == 1);
    CHECK(r && skipped(r, "skipped debconf (excluded), wanted by wants-ex"));
    CHECK(r && skipped(r, "skipped mailer (excluded: provided by mailx), wanted by wants-ex"));
    md_resolve_free(r);

    const char *w2[] = { "python3", NULL }, *ex2[] = { "python3", NULL };
    CHECK(run(one, w2, ex2, NULL, 0, false, &err) == NULL);
    CHECK_ERR(&err, "python3 is both requested and excluded");
}

static void test_errors(setup *one)
{
    md_err err = MD_ERR_INIT;
    const char *w1[] = { "chain-top", NULL };
    CHECK(run(one, w1, NULL, NULL, 0, false, &err) == NULL);
    CHECK_ERR(&err, "chain-top -> chain-mid (= 1.0) -> libfoo (>= 9): no version satisfies");
    CHECK_ERR(&err, "available: 1.0 in main, 2.0 in main");

    md_err e2 = MD_ERR_INIT;
    const char *w2[] = { "nosuch", NULL };
    CHECK(run(one, w2, NULL, NULL, 0, false, &e2) == NULL);
    CHECK_ERR(&e2, "nosuch: no such package in any repository");

    md_err e3 = MD_ERR_INIT;
    const char *w3[] = { "bad-deps", NULL };
    CHECK(run(one, w3, NULL, NULL, 0, false, &e3) == NULL);
    CHECK_ERR(&e3, "main:231: package bad-deps: Depends: bad relation 'libc6 (>= )'");

    md_err e4 = MD_ERR_INIT;
    const char *w4[] = { "app", NULL };
    md_resolve_pin pin = { "app", "nowhere", NULL };
    CHECK(run(one, w4, NULL, &pin, 1, false, &e4) == NULL);
    CHECK_ERR(&e4, "pin app=nowhere: no repository named nowhere");

    /* Two requests whose constraints no single version meets. */
    static const char idx[] = PKG("x", "1", "Depends: lib (= 1)\n") PKG("y", "1", "Depends: lib (= 2)\n")
                              PKG("lib", "1", "") PKG("lib", "2", "");
    setup s = { { repo("r", idx, 0) }, 1 };
    md_err e5 = MD_ERR_INIT;
    const char *w5[] = { "x", "y", NULL };
    CHECK(run(&s, w5, NULL, NULL, 0, false, &e5) == NULL);
    CHECK_ERR(&e5, "y -> lib (= 2): conflicts with lib 1 (selected for x -> lib (= 1))");
    md_repo_free(s.repos[0]);
}

static void test_essential(setup *one)
{
    md_err err = MD_ERR_INIT;
    const char *want[] = { "libc6", NULL };
    md_resolve *r = run(one, want, NULL, NULL, 0, false, &err);
    CHECK(r && find(r, "ess") < 0);
    md_resolve_free(r);
    r = run(one, want, NULL, NULL, 0, true, &err);
    CHECK(r && find(r, "ess") >= 0);
    CHECK_STR(why(r, "ess"), "essential");
    md_resolve_free(r);
    const char *ex[] = { "ess", NULL };
    r = run(one, want, ex, NULL, 0, true, &err);
    CHECK(r && find(r, "ess") < 0 && skipped(r, "skipped ess (excluded), essential"));
    md_resolve_free(r);
}

static void test_priority_and_pins(void)
{
    md_err err = MD_ERR_INIT;
    /* Same priority: the highest version anywhere. */
    setup s = { { repo("main", main_idx, 0), repo("next", next_idx, 0) }, 2 };
    const char *want[] = { "app", NULL }, *ex[] = { "python3", NULL };
    md_resolve *r = run(&s, want, ex, NULL, 0, false, &err);
    CHECK(r != NULL);
    CHECK_STR(ver(r, "app"), "2.0");
    CHECK_STR(ver(r, "libfoo"), "3.0");
    md_resolve_free(r);
    md_repo_free(s.repos[1]);

    /* next at a lower priority: used only when pinned or when nothing else
     * satisfies (libfoo >= 3). */
    s.repos[1] = repo("next", next_idx, 100);
    r = run(&s, want, ex, NULL, 0, false, &err);
    CHECK(r && !strcmp(ver(r, "app"), "1.0") && !strcmp(ver(r, "libfoo"), "2.0") &&
          !strcmp(ver(r, "libc6"), "2.36"));
    md_resolve_free(r);
    md_resolve_pin pin = { "app", "next", NULL };
    const char *want2[] = { "app", "libc6", NULL };
    r = run(&s, want2, ex, &pin, 1, false, &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_STR(ver(r, "app"), "2.0");
        CHECK_STR(md_repo_name(md_resolve_pkg(r, (size_t)find(r, "app"))->repo), "next");
        CHECK_STR(ver(r, "libfoo"), "3.0");
        CHECK_STR(md_repo_name(md_resolve_pkg(r, (size_t)find(r, "libfoo"))->repo), "next");
        CHECK_STR(ver(r, "libc6"), "2.36"); /* the rest stays on main */
    }
    md_resolve_free(r);
    /* A pin restricts the name to that repository. */
    md_resolve_pin pin2 = { "libfoo", "next", NULL };
    const char *w3[] = { "libbar", "libfoo", NULL };
    r = run(&s, w3, NULL, &pin2, 1, false, &err);
    CHECK(r && !strcmp(ver(r, "libfoo"), "3.0"));
    md_resolve_free(r);
    /* A pin that forbids what the best version asks for sets it aside:
     * app 2.0 (next) needs libfoo (>= 3), libfoo is pinned to main, so
     * app 1.0 of main is taken, at the same priority too. */
    md_resolve_pin pin3 = { "libfoo", "main", "s.ini:9" };
    setup same = { { s.repos[0], repo("next", next_idx, 0) }, 2 };
    r = run(&same, want, ex, &pin3, 1, false, &err);
    CHECK(r && !strcmp(ver(r, "app"), "1.0") && !strcmp(ver(r, "libfoo"), "2.0"));
    md_resolve_free(r);
    md_repo_free(same.repos[1]);
    /* Pinned to a repository that cannot satisfy. */
    static const char idx[] = PKG("old", "1", "Depends: libfoo (<< 3)\n");
    md_repo *all[] = { s.repos[0], s.repos[1], repo("third", idx, 0) };
    md_resolve_opts o = { all, 3, (const char *const[]){ "old", NULL }, NULL, &pin2, 1, false, NULL, false };
    md_err e2 = MD_ERR_INIT;
    CHECK(md_resolve_run(&o, &e2) == NULL);
    CHECK_ERR(&e2, "old -> libfoo (<< 3): no version satisfies in repository next, to which libfoo is pinned");
    for (size_t i = 0; i < 3; i++)
        md_repo_free(all[i]);
}

/* A sink that keeps "LEVEL line" strings. */
static void collect(void *ctx, md_out_level level, const char *line)
{
    static const char *const names[] = { "progress", "note", "finding", "result" };
    md_strv_push_own(ctx, md_xasprintf("%s %s", names[level], line));
}

/* md_resolve_download over file:// into a temporary cache. */
static void test_download(void)
{
    char dir[] = "/tmp/test_resolve.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    md_err err = MD_ERR_INIT;
    char *pool = md_xasprintf("%s/repo/pool", dir), *cache = md_xasprintf("%s/cache", dir);
    CHECK(md_mkdir_p(pool, 0755, &err) == 0);
    static const char good[] = "good deb content", bad[] = "evil deb content";
    char *gp = md_xasprintf("%s/good_1_amd64.deb", pool), *bp = md_xasprintf("%s/bad_1_amd64.deb", pool);
    CHECK(md_write_atomic(gp, good, sizeof good - 1, 0644, &err) == 0);
    CHECK(md_write_atomic(bp, bad, sizeof bad - 1, 0644, &err) == 0);
    char gh[65], bh[65];
    md_sha256_hex(good, sizeof good - 1, gh);
    md_sha256_hex(good, sizeof good - 1, bh); /* the index promises other bytes */
    char *idx = md_xasprintf(
        "Package: good\nVersion: 1\nArchitecture: amd64\nFilename: pool/good_1_amd64.deb\nSize: %zu\nSHA256: %s\n\n"
        "Package: bad\nVersion: 1:1\nArchitecture: amd64\nFilename: pool/bad_1_amd64.deb\nSize: %zu\nSHA256: %s\n",
        sizeof good - 1, gh, sizeof bad - 1, bh);
    char *url = md_xasprintf("file://%s/repo", dir);
    md_repo_config c = { .name = "local", .url = url, .suite = "s" };
    md_repo *r = md_repo_new(&c, &err);
    CHECK(md_repo_add_index(r, "idx", idx, strlen(idx), &err) == 0);
    setup s = { { r }, 1 };
    const char *w1[] = { "good", NULL };
    md_strv said = { 0 };
    md_out out = { .fn = collect, .ctx = &said, .progress = true };
    md_resolve_opts ro = { .repos = s.repos, .nrepos = 1, .want = w1, .out = &out };
    md_resolve *res = md_resolve_run(&ro, &err);
    md_resolve_stats st;
    CHECK(res && md_resolve_download(res, cache, &st, &err) == 0);
    CHECK(st.downloaded == 1 && st.cached == 0 && st.bytes_downloaded == sizeof good - 1);
    /* What it did reaches the sink the resolver was given, and only that. */
    CHECK(said.n == 2);
    CHECK_STR(said.n > 0 ? said.v[0] : NULL, "progress fetching good (16 bytes)");
    CHECK_STR(said.n > 1 ? said.v[1] : NULL, "note debs: 1 downloaded (16 bytes), 0 cached");
    md_strv_free(&said);
    out.progress = false;
    /* apt's name and the SHA-256 the index gives (trial 9f case 9) */
    char *want = md_xasprintf("%s/debs/good_1_amd64.%s.deb", cache, gh);
    CHECK(res && md_resolve_path(res, 0) && !strcmp(md_resolve_path(res, 0), want));
    CHECK(res && md_resolve_download(res, cache, &st, &err) == 0 && st.downloaded == 0 && st.cached == 1);
    CHECK(said.n == 1); /* progress off: the note alone */
    CHECK_STR(said.n > 0 ? said.v[0] : NULL, "note debs: 0 downloaded (0 bytes), 1 cached");
    md_strv_free(&said);
    md_resolve_free(res);

    const char *w2[] = { "bad", NULL };
    res = run(&s, w2, NULL, NULL, 0, false, &err);
    md_err e2 = MD_ERR_INIT;
    CHECK(res && md_resolve_download(res, cache, &st, &e2) < 0);
    CHECK_ERR(&e2, "pool/bad_1_amd64.deb: package bad: SHA256 mismatch");
    char *badc = md_xasprintf("%s/debs/bad_1%%3a1_amd64.%s.deb", cache, bh);
    CHECK(access(badc, F_OK) != 0);
    md_resolve_free(res);
    char *cmd = md_xasprintf("ls -A %s/debs | grep -v -e '^good_1_amd64.%s.deb$' -e '^.lock$' && exit 1; exit 0",
                             cache, gh);
    CHECK(system(cmd) == 0); /* nothing else (no partial file) in the cache */
    free(cmd);

    /* trial 9f case 9: another repository with other bytes under the same
     * NAME_VERSION_ARCH.deb.  Under apt's name each download replaced the
     * other's copy, and a build sharing the cache that extracted after
     * the other's download refused its package as changed after its
     * check.  Now each has its own file, and the first is left alone. */
    static const char other[] = "other deb content, a rebuild";
    char *pool2 = md_xasprintf("%s/repo2/pool", dir), *gp2 = md_xasprintf("%s/good_1_amd64.deb", pool2);
    CHECK(md_mkdir_p(pool2, 0755, &err) == 0);
    CHECK(md_write_atomic(gp2, other, sizeof other - 1, 0644, &err) == 0);
    char oh[65];
    md_sha256_hex(other, sizeof other - 1, oh);
    char *idx2 = md_xasprintf("Package: good\nVersion: 1\nArchitecture: amd64\nFilename: pool/good_1_amd64.deb\n"
                              "Size: %zu\nSHA256: %s\n", sizeof other - 1, oh);
    char *url2 = md_xasprintf("file://%s/repo2", dir);
    md_repo_config c2 = { .name = "vendor", .url = url2, .suite = "s" };
    md_repo *r2 = md_repo_new(&c2, &err);
    CHECK(md_repo_add_index(r2, "idx2", idx2, strlen(idx2), &err) == 0);
    setup s2 = { { r2 }, 1 };
    md_resolve *res2 = run(&s2, w1, NULL, NULL, 0, false, &err);
    CHECK(res2 && md_resolve_download(res2, cache, &st, &err) == 0 && st.downloaded == 1);
    char *want2 = md_xasprintf("%s/debs/good_1_amd64.%s.deb", cache, oh);
    CHECK(res2 && md_resolve_path(res2, 0) && !strcmp(md_resolve_path(res2, 0), want2));
    unsigned char *got = NULL;
    size_t glen = 0;
    CHECK(md_read_file(want, &got, &glen, &err) == 0 && glen == sizeof good - 1 && !memcmp(got, good, glen));
    free(got), got = NULL;
    CHECK(md_read_file(want2, &got, &glen, &err) == 0 && glen == sizeof other - 1 && !memcmp(got, other, glen));
    free(got), got = NULL;
    md_resolve_free(res2);

    /* A cache an older mkdom0 filled (apt's names) stays warm: its copy
     * that matches is linked to the new name, not fetched again (an
     * offline build from it still works), and stays for that mkdom0; one
     * that does not match is not used. */
    char *oldn = md_xasprintf("%s/debs/good_1_amd64.deb", cache);
    CHECK(rename(want2, oldn) == 0);
    CHECK(unlink(gp2) == 0); /* a download would fail now */
    res2 = run(&s2, w1, NULL, NULL, 0, false, &err);
    CHECK(res2 && md_resolve_download(res2, cache, &st, &err) == 0 && st.cached == 1 && st.downloaded == 0);
    CHECK(access(want2, F_OK) == 0 && access(oldn, F_OK) == 0);
    md_resolve_free(res2);
    CHECK(unlink(want2) == 0);
    md_err e3 = MD_ERR_INIT;
    res = run(&s, w1, NULL, NULL, 0, false, &err);
    CHECK(unlink(want) == 0 && unlink(gp) == 0); /* repository one's copy gone, its URL too */
    CHECK(res && md_resolve_download(res, cache, &st, &e3) < 0); /* not repository two's bytes */
    CHECK_ERR(&e3, "good_1_amd64.deb: download failed");
    CHECK(access(oldn, F_OK) == 0);
    md_resolve_free(res);
    md_repo_free(r2);
    md_repo_free(r);
    cmd = md_xasprintf("rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    free(cmd), free(badc), free(want), free(url), free(gp), free(bp), free(pool), free(cache);
    free(pool2), free(gp2), free(url2), free(want2), free(oldn); /* idx2: the repository's */
}

static char *joined(const md_strv *v)
{
    char *s = md_xstrdup("");
    for (size_t i = 0; i < v->n; i++) {
        char *t = md_xasprintf("%s%s%s", s, i ? " " : "", v->v[i]);
        free(s);
        s = t;
    }
    return s;
}

/* What one requested package alone brings in: the cost of an option that
 * adds it ([Xen] HVM=yes and the device model). */
static void test_only_for(setup *one)
{
    md_err err = MD_ERR_INIT;
    const char *want[] = { "app", "alt", "c-top", NULL }, *ex[] = { "python3", NULL };
    md_resolve *r = run(one, want, ex, NULL, 0, false, &err);
    CHECK(r != NULL);
    if (!r)
        return;
    md_strv v = { 0 };
    char *s;
    /* libc6 stays: alt needs it too; exim came through app's "mta". */
    CHECK(md_resolve_only_for(r, "app", &v, &err) == 0);
    CHECK_STR(s = joined(&v), "app exim libfoo loop-a loop-b loop-c");
    free(s), md_strv_free(&v);
    CHECK(md_resolve_only_for(r, "c-top", &v, &err) == 0);
    CHECK_STR(s = joined(&v), "c-top c2 libbar");
    free(s), md_strv_free(&v);
    /* alt's first group is met by libc6, which app's libfoo also needs. */
    CHECK(md_resolve_only_for(r, "alt", &v, &err) == 0);
    CHECK_STR(s = joined(&v), "alt");
    free(s), md_strv_free(&v);
    CHECK(md_resolve_only_for(r, "libfoo", &v, &err) < 0);
    CHECK_ERR(&err, "libfoo is not a requested package");
    CHECK(md_resolve_only_for(r, "nosuch", &v, &err) < 0);
    CHECK(v.n == 0);
    md_resolve_free(r);
}

/* Trial 9f case 4: one Depends: group of N alternatives cost O(N^2) (the
 * group's text rebuilt per alternative: 200,000 took 53 s).  At this size
 * quadratic work is minutes of CPU; linear is well under a second.  The
 * CPU limit turns a regression into a kill, not a slow pass. */
static char *alts_index(size_t n, size_t present)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = md_xmemstream(&text, &len);
    fprintf(m, "Package: many\nVersion: 1\nArchitecture: amd64\nDepends: ");
    for (size_t i = 0; i < n; i++)
        fprintf(m, "%salt%zu", i ? " | " : "", i);
    fprintf(m, "\nFilename: pool/many.deb\nSize: 5\nSHA256: " SHA "\n\n");
    if (present < n)
        fprintf(m, "Package: alt%zu\nVersion: 1\nArchitecture: amd64\nFilename: pool/a.deb\n"
                   "Size: 5\nSHA256: " SHA "\n", present);
    return md_xmemstream_close(m, &text);
}

static void test_many_alternatives(void)
{
    struct rlimit old, lim;
    getrlimit(RLIMIT_CPU, &old);
    lim = old;
    lim.rlim_cur = 60; /* seconds of CPU for all three, ASan included */
    setrlimit(RLIMIT_CPU, &lim);
    const size_t n = 200000, which[] = { n - 1, 0, n };
    for (size_t k = 0; k < 3; k++) {
        char *idx = alts_index(n, which[k]);
        setup s = { { repo("main", idx, 0) }, 1 };
        free(idx);
        md_err err = MD_ERR_INIT;
        const char *want[] = { "many", NULL };
        md_resolve *r = run(&s, want, NULL, NULL, 0, false, &err);
        if (which[k] < n) {
            char name[32];
            snprintf(name, sizeof name, "alt%zu", which[k]);
            CHECK(r != NULL && find(r, name) >= 0);
        } else {
            CHECK(r == NULL);
            CHECK_ERR(&err, "many -> alt0 | alt1 | alt2");
        }
        md_resolve_free(r);
        md_err_clear(&err);
        md_repo_free(s.repos[0]);
    }
    setrlimit(RLIMIT_CPU, &old);
}

/* An index of 60,000 essential packages, each in two versions: each name
 * was searched for in the list of those before it (seconds for this,
 * minutes for a few times more).  In a child under 5 s of CPU. */
static void test_many_essential(void)
{
    enum { N = 60000 };
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit lim = { 5, 5 };
        setrlimit(RLIMIT_CPU, &lim);
        char *idx = NULL;
        size_t len = 0;
        FILE *m = md_xmemstream(&idx, &len);
        for (int v = 1; v <= 2; v++)
            for (int i = 0; i < N; i++)
                fprintf(m, "Package: e%d\nVersion: %d\nArchitecture: amd64\nEssential: yes\n"
                           "Filename: pool/e.deb\nSize: 5\nSHA256: " SHA "\n\n", i, v);
        md_xmemstream_close(m, &idx);
        setup s = { { repo("main", idx, 0) }, 1 };
        free(idx);
        md_err err = MD_ERR_INIT;
        const char *want[] = { NULL };
        md_resolve *r = run(&s, want, NULL, NULL, 0, true, &err);
        bool ok = r && md_resolve_count(r) == N && !strcmp(ver(r, "e59999"), "2");
        md_resolve_free(r);
        md_repo_free(s.repos[0]);
        _exit(ok ? 0 : 1);
    }
    int st = 0;
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
    test_many_alternatives();
    test_many_essential();
    setup one = { { repo("main", main_idx, 0) }, 1 };
    test_basic(&one);
    test_versions_and_virtuals(&one);
    test_excludes(&one);
    test_errors(&one);
    test_essential(&one);
    test_only_for(&one);
    md_repo_free(one.repos[0]);
    test_priority_and_pins();
    test_download();
    return t_done("resolve");
}
