/* fetch: file:// URLs read only as regular files, and a stop asked for
 * ends a transfer (trial 9f case 3: a FIFO in a file:// mirror hung
 * resolve and build for ever, past the stall limit and the first
 * SIGTERM), and URLs written into messages without their credentials
 * (trial 9f case 6: user:password from URL= was in every message). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "packages/fetch.h"
#include "core/mem.h"
#include "core/url.h"
#include "t.h"
#include "tfiles.h"

/* A hang is a failure, not a test that never ends. */
static void hung(int sig)
{
    (void)sig;
    static const char m[] = "test_fetch: a fetch hung (killed after 20 s)\n";
    ssize_t w = write(2, m, sizeof m - 1);
    (void)w;
    _exit(1);
}

/* The check of a download without a SHA-256: the size alone decides. */
static int accept_any(const char *path, void *ctx, md_err *err)
{
    (void)path, (void)ctx, (void)err;
    return 0;
}

int main(void)
{
    signal(SIGALRM, hung);
    alarm(20);
    char tmpl[] = "/tmp/mkdom0-test-fetch.XXXXXX";
    char *tmp = mkdtemp(tmpl);
    CHECK(tmp != NULL);
    if (!tmp)
        return t_done("fetch");
    md_err err = MD_ERR_INIT;
    unsigned char *data = NULL;
    size_t len = 0;
    char *file = md_xasprintf("%s/Packages", tmp), *fifo = md_xasprintf("%s/fifo.deb", tmp);
    t_spit(file, "Package: a\n");
    char *url = md_xasprintf("file://%s", file);
    CHECK(md_fetch_mem(url, 1000, NULL, &data, &len, &err) == 0);
    CHECK(data && len == 11 && !memcmp(data, "Package: a\n", 11));
    free(data), data = NULL;
    md_err_clear(&err);
    /* over its cap */
    CHECK(md_fetch_mem(url, 5, NULL, &data, &len, &err) < 0);
    CHECK_ERR(&err, "larger than the expected 5 bytes");
    md_err_clear(&err);
    /* a FIFO nobody writes: refused at once, naming the URL */
    CHECK(mkfifo(fifo, 0644) == 0);
    char *furl = md_xasprintf("file://%s", fifo);
    CHECK(md_fetch_mem(furl, 1000, NULL, &data, &len, &err) < 0);
    CHECK_ERR(&err, "fifo.deb: download failed: ");
    CHECK_ERR(&err, "fifo.deb: not a regular file (a FIFO)");
    md_err_clear(&err);
    /* a device and a directory */
    CHECK(md_fetch_mem("file:///dev/zero", 1000, NULL, &data, &len, &err) < 0);
    CHECK_ERR(&err, "file:///dev/zero: download failed: /dev/zero: not a regular file (a device or socket)");
    md_err_clear(&err);
    char *durl = md_xasprintf("file://%s/", tmp);
    CHECK(md_fetch_mem(durl, 1000, NULL, &data, &len, &err) < 0);
    CHECK_ERR(&err, ": not a regular file (a directory)");
    md_err_clear(&err);
    /* missing: the URL and why */
    char *murl = md_xasprintf("file://%s/missing", tmp);
    CHECK(md_fetch_mem(murl, 1000, NULL, &data, &len, &err) < 0);
    CHECK_ERR(&err, "/missing: download failed: ");
    CHECK_ERR(&err, "/missing: cannot open: ");
    md_err_clear(&err);
    /* credentials (RFC 3986 userinfo) never reach text; libcurl gets
     * them (test 12 checks that the server does) */
    static const char *const shown[][2] = {
        { "http://user:s3cret@h:8080/debian", "http://***@h:8080/debian" },
        { "https://TOKEN@h/a", "https://***@h/a" },
        { "http://u:p@ss@h/a@b", "http://***@h/a@b" }, /* the last '@' of the authority */
        { "http://h/a@b", "http://h/a@b" },            /* an '@' in the path is no userinfo */
        { "http://h?x@y", "http://h?x@y" },
        { "http://h", "http://h" },
        { "file:///r/pool/x.deb", "file:///r/pool/x.deb" },
        { "no-scheme@h/x", "no-scheme@h/x" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof shown / sizeof *shown; i++) {
        char *got = md_url_shown(shown[i][0]);
        CHECK_STR(got, shown[i][1]);
        free(got);
    }
    CHECK(md_url_shown(NULL) == NULL);
    char *curl = md_xasprintf("file://user:s3cret@localhost%s/missing", tmp);
    CHECK(md_fetch_mem(curl, 1000, NULL, &data, &len, &err) < 0);
    CHECK_ERR(&err, "file://***@localhost/");
    CHECK(!strstr(err.msg, "s3cret"));
    md_err_clear(&err);
    free(curl);
    /* a stop asked for ends a transfer (file:// here; http:// through
     * libcurl's progress callback, test 12) */
    static volatile sig_atomic_t stop = 1;
    md_fetch_set_cancel(&stop);
    CHECK(md_fetch_mem(url, 1000, NULL, &data, &len, &err) < 0);
    CHECK_ERR(&err, "download stopped (interrupted)");
    md_err_clear(&err);
    md_fetch_set_cancel(NULL);
    CHECK(md_fetch_mem(url, 1000, NULL, &data, &len, &err) == 0);
    free(data);
    md_err_clear(&err);
    /* The cache's name for a package (md_fetch_verified): a download is
     * renamed over a regular file only (issue 9; trial 9x F7 for keys).
     * A symlink there that does not match is refused before the download,
     * naming it, and kept; a regular file that does not match (6 bytes,
     * not 11) is replaced. */
    char *cdir = md_xasprintf("%s/cache", tmp), *cname = md_xasprintf("%s/cache/a.deb", tmp);
    char *victim = md_xasprintf("%s/victim", tmp);
    CHECK(mkdir(cdir, 0755) == 0);
    t_spit(victim, "old\n");
    CHECK(symlink(victim, cname) == 0);
    md_fetch_item it = { .url = url, .name = "a.deb", .label = "a", .size = 11,
                         .sha256 = "2e1e7d8f32c8e9e7b1ad5bc5e2b5e8d1a1bce1c87b8e8b4d0f9d9e64c8d1c3b7" };
    char *got = NULL;
    bool cached = false;
    CHECK(md_fetch_verified(&it, cdir, NULL, &got, &cached, &err) < 0);
    char *want = md_xasprintf("%s: exists and is not a regular file (a symlink): not replaced", cname);
    CHECK_ERR(&err, want);
    md_err_clear(&err);
    struct stat lst;
    CHECK(lstat(cname, &lst) == 0 && S_ISLNK(lst.st_mode));
    char *v = t_slurp(victim);
    CHECK_STR(v, "old\n");
    free(v), free(want);
    CHECK(unlink(cname) == 0);
    t_spit(cname, "stale\n");
    it.sha256 = NULL;
    it.check = accept_any;
    CHECK(md_fetch_verified(&it, cdir, NULL, &got, &cached, &err) == 0 && !cached);
    v = t_slurp(cname);
    CHECK_STR(v, "Package: a\n");
    free(v), free(got);
    md_err_clear(&err);
    free(cdir), free(cname), free(victim);
    free(file), free(fifo), free(url), free(furl), free(durl), free(murl);
    t_rm_tree(tmp);
    return t_done("fetch");
}
