/* deb: reading .debs into the tree, including hostile ones.
 *
 * Also a driver for the integration tests:
 *   test_deb mkdeb OUT PACKAGE FILTER LINE...   (see debmaker.h for LINE) */
#include "t.h"
#include "debmaker.h"
#include "packages/deb.h"
#include "image/tree.h"
#include "image/base.h"
#include "core/mem.h"
#include "core/file.h"
#include "core/sha256.h"

#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/test_deb.XXXXXX";

static char *deb_path(const char *name) { return md_xasprintf("%s/%s.deb", tmpdir, name); }

static char *make(const char *name, const char *pkg, const char *filter, const char *const *lines)
{
    char *p = deb_path(name);
    CHECK(dm_make_deb(p, pkg, filter, lines) == 0);
    return p;
}

static const char *const good[] = {
    "d ./ 0755",
    "d ./usr/ 0755",
    "d ./usr/bin/ 0755",
    "f ./usr/bin/tool 04755 hello",
    "h ./usr/bin/tool2 ./usr/bin/tool",
    "l ./usr/bin/t ../bin/tool",
    "d ./bin/ 0755",
    "f ./bin/sh 0755 shell",
    "c ./dev/hvc0 229 0",
    "f ./etc/empty 0600 ",
    NULL,
};

/* What `good` gives, however it was read. */
static void check_good(md_tree *t, const md_unpack_stats *st)
{
    CHECK(st->entries == 10);
    CHECK(st->bytes == 10);
    md_node *n = md_tree_lookup(t, "/usr/bin/tool");
    CHECK(n && md_node_type_of(n) == MD_NODE_FILE);
    CHECK(n && md_node_attr(n)->mode == 04755 && md_node_attr(n)->mtime == 1700000000);
    CHECK_STR(n ? md_node_origin(n) : NULL, "goodpkg");
    size_t sz;
    CHECK(n && md_node_data(n, &sz) && sz == 5 && memcmp(md_node_data(n, NULL), "hello", 5) == 0);
    n = md_tree_lookup(t, "/usr/bin/tool2");
    CHECK(n && md_node_type_of(n) == MD_NODE_HARDLINK);
    n = md_tree_lookup(t, "/usr/bin/t");
    CHECK_STR(n ? md_node_link_target(n) : NULL, "../bin/tool");
    n = md_tree_lookup(t, "/dev/hvc0");
    unsigned ma = 1, mi = 1;
    if (n)
        md_node_rdev(n, &ma, &mi);
    CHECK(n && md_node_type_of(n) == MD_NODE_CHAR && ma == 229 && mi == 0);
}

/* Run a shell command on `entry` (a cache entry, $E in `cmd`). */
static void on_entry(const char *entry, const char *cmd)
{
    char *c = md_xasprintf("E='%s'; %s", entry, cmd);
    CHECK(system(c) == 0);
    free(c);
}

/* trial 9g case 1: a cached copy is checked, never trusted blindly.  `p`
 * is garbage now, so a .deb read fails: which one was read shows. */
static void damaged_entries(const char *p, const char *sha, const char *cache, const char *entry)
{
    char *keep = md_xasprintf("%s.keep", entry);
    on_entry(entry, "cp \"$E\" \"$E.keep\"");
    /* the same tar recompressed without a content checksum (by hand):
     * removed before anything is read, and the .deb read instead */
    on_entry(entry, "zstd -qdc \"$E.keep\" | zstd -q --no-check -o \"$E\" -f");
    md_err e = MD_ERR_INIT;
    md_tree *t = md_tree_new(true);
    CHECK(md_deb_extract_cached(t, p, sha, cache, "goodpkg", MD_CLASH_ERROR, NULL, &e) == -1);
    CHECK_ERR(&e, p);
    CHECK(!md_is_file(entry) && !md_tree_lookup(t, "/usr/bin/tool"));
    md_tree_free(t);
    /* one byte of the tar changed, the checksum kept: the entry is read
     * to its end, and the checksum finds it; removed, and the caller
     * starts again */
    on_entry(entry, "zstd -qdc \"$E.keep\" | sed 's/hello/jello/' | zstd -q -o \"$E.tar.zst\" && "
                    "python3 -c 'import sys; a=open(sys.argv[1],\"rb\").read(); "
                    "b=open(sys.argv[2],\"rb\").read(); open(sys.argv[3],\"wb\").write(b[:-4]+a[-4:])' "
                    "\"$E.keep\" \"$E.tar.zst\" \"$E\" && rm \"$E.tar.zst\"");
    md_err e2 = MD_ERR_INIT;
    t = md_tree_new(true);
    CHECK(md_deb_extract_cached(t, p, sha, cache, "goodpkg", MD_CLASH_ERROR, NULL, &e2) ==
          MD_DEB_CACHE_DROPPED);
    CHECK_ERR(&e2, "is damaged, and was removed");
    CHECK(!md_is_file(entry));
    md_tree_free(t);
    /* a stored entry's temporary left by a killed run goes with the next
     * clean; the entry itself stays */
    on_entry(entry, "cp \"$E.keep\" \"$E\" && touch \"$E.mkdom0-AbC123\"");
    char *tmp = md_xasprintf("%s.mkdom0-AbC123", entry);
    md_deb_cache_clean(cache);
    CHECK(!md_is_file(tmp) && md_is_file(entry));
    free(tmp);
    unlink(keep);
    free(keep);
}

/* A symlink or FIFO at an entry's name is not read, and the build after
 * it stores the entry again in its place (each build unpacked the .deb
 * again before: the store would not replace it); a symlink's target is
 * left as it was.  `p` is garbage by now: its intact copy is put back. */
static void foreign_entries(const char *p, const char *sha, const char *cache, const char *entry)
{
    on_entry(p, "cp \"$E.intact\" \"$E\"");
    char *target = md_xasprintf("%s/foreign-target", tmpdir);
    md_err e = MD_ERR_INIT;
    CHECK(md_write_atomic(target, "keep", 4, 0644, &e) == 0);
    for (int k = 0; k < 2; k++) {
        unlink(entry);
        CHECK(k == 0 ? symlink(target, entry) == 0 : mkfifo(entry, 0644) == 0);
        md_tree *t = md_tree_new(true);
        md_unpack_stats st;
        CHECK(md_deb_extract_cached(t, p, sha, cache, "goodpkg", MD_CLASH_ERROR, &st, &e) == 0);
        check_good(t, &st);
        md_tree_free(t);
        struct stat ls;
        CHECK(lstat(entry, &ls) == 0 && S_ISREG(ls.st_mode));
    }
    CHECK(md_is_file(target));
    free(target);
}

/* md_deb_extract_cached: the first read stores the data member, later
 * ones read only the cache entry named by the SHA-256, and give the same
 * tree; a failed read stores nothing; an entry in a directory others may
 * write is not read. */
static void test_cached(const char *filter)
{
    char *p = make("cached", "goodpkg", filter, good);
    char *cache = md_xasprintf("%s/cache-%s", tmpdir, *filter ? filter : "none");
    char sha[65];
    md_err e0 = MD_ERR_INIT;
    CHECK(md_sha256_file(p, sha, &e0) == 0);
    on_entry(p, "cp \"$E\" \"$E.intact\"");
    const char *other = "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    char *entry = md_xasprintf("%s/unpacked/%s.data.tar%s%s.zst", cache, sha, *filter ? "." : "",
                               filter);
    md_err e = MD_ERR_INIT;
    md_unpack_stats st;
    md_tree *t = md_tree_new(true);
    CHECK(md_deb_extract_cached(t, p, sha, cache, "goodpkg", MD_CLASH_ERROR, &st, &e) == 0);
    check_good(t, &st);
    md_tree_free(t);
    CHECK(md_is_file(entry));
    /* the .deb is gone: only the entry can give the files now */
    CHECK(md_write_atomic(p, "garbage", 7, 0644, &e) == 0);
    t = md_tree_new(true);
    CHECK(md_deb_extract_cached(t, p, sha, cache, "goodpkg", MD_CLASH_ERROR, &st, &e) == 0);
    if (e.set)
        fprintf(stderr, "[cached %s] %s\n", filter, e.msg);
    check_good(t, &st);
    md_tree_free(t);
    damaged_entries(p, sha, cache, entry);
    foreign_entries(p, sha, cache, entry);
    /* another SHA-256 is another package: the .deb is read, and its bytes
     * are not those (the file was swapped after the fetch checked it):
     * refused before anything is extracted (trial 9c) */
    md_err e2 = MD_ERR_INIT;
    t = md_tree_new(true);
    CHECK(md_deb_extract_cached(t, p, other, cache, "goodpkg", MD_CLASH_ERROR, NULL, &e2) < 0);
    CHECK_ERR(&e2, p);
    CHECK_ERR(&e2, "signed index says " "1123456789abcdef");
    md_tree_free(t);
    char *bad = md_xasprintf("%s/unpacked/%s.data.tar.xz.zst", cache, other);
    CHECK(!md_is_file(bad));
    free(bad);
    /* a cache directory others may write is refused, naming it (trial 9c) */
    char *dir = md_xasprintf("%s/unpacked", cache);
    CHECK(chmod(dir, 0777) == 0);
    md_err e3 = MD_ERR_INIT;
    t = md_tree_new(true);
    CHECK(md_deb_extract_cached(t, p, sha, cache, "goodpkg", MD_CLASH_ERROR, NULL, &e3) < 0);
    CHECK_ERR(&e3, dir);
    CHECK_ERR(&e3, "writable by everyone");
    md_tree_free(t);
    free(dir);
    free(entry);
    free(cache);
    free(p);
}

static void test_good(const char *filter)
{
    char *p = make("good", "goodpkg", filter, good);
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    md_unpack_stats st;
    CHECK(md_deb_extract(t, p, "goodpkg", MD_CLASH_ERROR, &st, &e) == 0);
    if (e.set)
        fprintf(stderr, "[%s] %s\n", filter, e.msg);
    check_good(t, &st);
    CHECK(st.entries == 10);
    CHECK(st.bytes == 10);
    md_node *n = md_tree_lookup(t, "/usr/bin/tool");
    CHECK(n && md_node_type_of(n) == MD_NODE_FILE);
    CHECK(n && md_node_attr(n)->mode == 04755 && md_node_attr(n)->mtime == 1700000000);
    CHECK(n && md_node_attr(n)->uid == 0 && md_node_attr(n)->gid == 0);
    CHECK_STR(n ? md_node_origin(n) : NULL, "goodpkg");
    size_t sz;
    CHECK(n && md_node_data(n, &sz) && sz == 5 && memcmp(md_node_data(n, NULL), "hello", 5) == 0);
    n = md_tree_lookup(t, "/usr/bin/tool2");
    CHECK(n && md_node_type_of(n) == MD_NODE_HARDLINK);
    CHECK_STR(n ? md_node_link_target(n) : NULL, "/usr/bin/tool");
    n = md_tree_lookup(t, "/usr/bin/t");
    CHECK(n && md_node_type_of(n) == MD_NODE_SYMLINK);
    CHECK_STR(n ? md_node_link_target(n) : NULL, "../bin/tool");
    /* ./bin/sh lands in /usr/bin on a merged tree */
    CHECK(md_tree_lookup(t, "/usr/bin/sh") != NULL);
    n = md_tree_lookup(t, "/dev/hvc0");
    unsigned ma = 1, mi = 1;
    if (n)
        md_node_rdev(n, &ma, &mi);
    CHECK(n && md_node_type_of(n) == MD_NODE_CHAR && ma == 229 && mi == 0);
    n = md_tree_lookup(t, "/etc/empty");
    CHECK(n && md_node_data(n, &sz) && sz == 0);
    /* an explicit origin overrides the package name */
    md_tree *t2 = md_tree_new(false);
    CHECK(md_deb_extract(t2, p, "other", MD_CLASH_ERROR, NULL, &e) == 0);
    n = md_tree_lookup(t2, "/bin/sh");
    CHECK_STR(n ? md_node_origin(n) : NULL, "other");
    md_tree_free(t2);
    md_tree_free(t);
    free(p);
}

/* Each hostile package is refused with an error naming the .deb and member. */
static void expect_refused(const char *name, const char *const *lines, const char *needle)
{
    char *p = make(name, name, "xz", lines);
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    CHECK(md_deb_extract(t, p, "pkg", MD_CLASH_ERROR, NULL, &e) < 0);
    CHECK_ERR(&e, p);
    CHECK_ERR(&e, needle);
    CHECK(md_tree_lookup(t, "/etc/passwd") == NULL);
    md_tree_free(t);
    /* through the cache: the same refusal, and nothing stored */
    char *cache = md_xasprintf("%s/cache-hostile", tmpdir);
    char sha[65];
    md_err e2 = MD_ERR_INIT;
    CHECK(md_sha256_file(p, sha, &e2) == 0);
    t = md_tree_new(true);
    CHECK(md_deb_extract_cached(t, p, sha, cache, "pkg", MD_CLASH_ERROR, NULL, &e2) < 0);
    CHECK_ERR(&e2, needle);
    char *entry = md_xasprintf("%s/unpacked/%s.data.tar.xz.zst", cache, sha);
    CHECK(!md_is_file(entry));
    free(entry);
    free(cache);
    md_tree_free(t);
    free(p);
}

static void test_hostile(void)
{
    expect_refused("traversal", (const char *const[]){ "f ./../../etc/passwd 0644 x", NULL },
                   "./../../etc/passwd");
    expect_refused("traversal2", (const char *const[]){ "f ./usr/../../etc/passwd 0644 x", NULL },
                   "..");
    expect_refused("symdir",
                   (const char *const[]){ "l ./etc2 /etc", "f ./etc2/passwd 0644 x", NULL },
                   "symlink");
    expect_refused("symup",
                   (const char *const[]){ "l ./up ../../..", "f ./up/etc/passwd 0644 x", NULL },
                   "./up/etc/passwd");
    expect_refused("badlink", (const char *const[]){ "h ./a ./nonexistent", NULL }, "nonexistent");
}

static void test_duplicates(void)
{
    char *a = make("dupa", "pkg-one", "gz", (const char *const[]){ "f ./usr/bin/x 0755 A", NULL });
    char *b = make("dupb", "pkg-two", "zst", (const char *const[]){ "f ./usr/bin/x 0755 B", NULL });
    char *c = make("dupc", "pkg-three", "bz2", (const char *const[]){ "f ./usr/bin/x 0755 A", NULL });
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    CHECK(md_deb_extract(t, a, "pkg-one", MD_CLASH_ERROR, NULL, &e) == 0);
    CHECK(md_deb_extract(t, c, "pkg-three", MD_CLASH_ERROR, NULL, &e) == 0); /* identical: fine */
    CHECK(md_deb_extract(t, b, "pkg-two", MD_CLASH_ERROR, NULL, &e) < 0);
    CHECK_ERR(&e, "pkg-one");
    CHECK_ERR(&e, "pkg-two");
    CHECK_ERR(&e, "/usr/bin/x");
    md_tree_free(t);
    free(a);
    free(b);
    free(c);
}

static void test_truncated(void)
{
    /* incompressible content so the data member is big enough to cut */
    char *big = md_xmalloc(200001);
    uint32_t x = 7;
    for (int i = 0; i < 200000; i++) {
        x = x * 1103515245u + 12345u;
        big[i] = (char)('a' + (x >> 24) % 26);
    }
    big[200000] = '\0';
    char *line = md_xasprintf("f ./usr/lib/big 0644 %s", big);
    const char *lines[] = { "d ./usr/ 0755", line, "f ./usr/lib/after 0644 y", NULL };
    for (int k = 0; k < 2; k++) {
        const char *filter = k ? "gz" : "xz";
        char *p = make("trunc", "truncpkg", filter, lines);
        size_t len;
        unsigned char *d = NULL;
        md_err e = MD_ERR_INIT;
        CHECK(md_read_file(p, &d, &len, &e) == 0);
        CHECK(md_write_atomic(p, d, len / 2, 0644, &e) == 0);
        free(d);
        md_tree *t = md_tree_new(true);
        CHECK(md_deb_extract(t, p, "pkg", MD_CLASH_ERROR, NULL, &e) < 0);
        CHECK_ERR(&e, p);
        CHECK_ERR(&e, "runcat"); /* "Truncated ..." or "truncated" */
        CHECK(md_tree_lookup(t, "/usr/lib/after") == NULL);
        md_tree_free(t);
        free(p);
    }
    free(line);
    free(big);
    /* not a .deb at all, and no data member */
    char *p = deb_path("garbage");
    md_err e = MD_ERR_INIT;
    CHECK(md_write_atomic(p, "hello world\n", 12, 0644, &e) == 0);
    md_tree *t = md_tree_new(true);
    CHECK(md_deb_extract(t, p, "pkg", MD_CLASH_ERROR, NULL, &e) < 0);
    CHECK_ERR(&e, p);
    md_err_clear(&e);
    CHECK(md_deb_extract(t, "/nonexistent.deb", "pkg", MD_CLASH_ERROR, NULL, &e) < 0);
    CHECK_ERR(&e, "/nonexistent.deb");
    md_tree_free(t);
    free(p);
}

/* A decompression bomb (issue 9): a small data member that expands to far
 * more than it holds is refused once it passes the ratio limit, with an
 * error naming the .deb, the member and the limit; within the free first
 * 16 MiB the same content is a package like any other. */
static void test_bombs(void)
{
    const char *filters[] = { "gz", "xz", "zst", "bz2" };
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        char *p = make("bomb", "bomb", filters[i],
                       (const char *const[]){ "d ./usr/ 0755", "z ./usr/zeros 24",
                                              "f ./usr/after 0644 x", NULL });
        md_tree *t = md_tree_new(true);
        md_err e = MD_ERR_INIT;
        CHECK(md_deb_extract(t, p, "bomb", MD_CLASH_ERROR, NULL, &e) < 0);
        char *want = md_xasprintf("%s (package bomb): data.tar.%s member ./usr/zeros: ", p,
                                  filters[i]);
        CHECK_ERR(&e, want);
        CHECK_ERR(&e, "more than the limit of 100 times its compressed size past the first "
                      "16777216 bytes");
        CHECK(md_tree_lookup(t, "/usr/after") == NULL);
        free(want);
        md_tree_free(t);
        free(p);
    }
    char *p = make("fine", "fine", "zst", (const char *const[]){ "z ./usr/zeros 15", NULL });
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    md_unpack_stats st;
    CHECK(md_deb_extract(t, p, "fine", MD_CLASH_ERROR, &st, &e) == 0);
    CHECK(st.bytes == 15u << 20);
    md_tree_free(t);
    free(p);
}

/* A .deb made by dpkg-deb itself, when available. */
static void test_dpkg_deb(void)
{
    if (system("command -v dpkg-deb >/dev/null") != 0)
        return;
    char *cmd = md_xasprintf(
        "set -e; cd %s; mkdir -p pk/DEBIAN pk/usr/sbin pk/lib; "
        "printf 'Package: real\\nVersion: 2\\nArchitecture: all\\nMaintainer: x <x@y>\\nDescription: d\\n' > pk/DEBIAN/control; "
        "echo hi > pk/usr/sbin/real; chmod 700 pk/usr/sbin/real; ln -s /usr/sbin/real pk/lib/r; "
        "dpkg-deb -Zxz --root-owner-group --build pk real.deb >/dev/null", tmpdir);
    CHECK(system(cmd) == 0);
    free(cmd);
    char *p = md_xasprintf("%s/real.deb", tmpdir);
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    CHECK(md_deb_extract(t, p, "real", MD_CLASH_ERROR, NULL, &e) == 0);
    md_node *n = md_tree_resolve(t, "/lib/r");
    CHECK(n && md_node_attr(n)->mode == 0700);
    CHECK_STR(n ? md_node_origin(n) : NULL, "real");
    md_tree_free(t);
    free(p);
}

/* deb(5)'s layout, as dpkg-deb reads it (trial 9f case 8: a .deb with two
 * control members, and one with garbage after its data member's gzip
 * stream, were installed; dpkg-deb refuses both).  Each layout is read by
 * mkdom0 and, where it is installed, by `dpkg-deb -c`: where dpkg-deb
 * refuses, mkdom0 must too (`dpkg` 1: it refuses; 0: it accepts; -1:
 * mkdom0 is stricter, named in the comment). */
static void test_layouts(void)
{
    bool have_dpkg = system("command -v dpkg-deb >/dev/null") == 0;
    static const struct {
        const char *name, *filter, *layout[6], *needle; /* needle NULL: accepted */
        int dpkg;
    } cases[] = {
        { "twoctl", "gz", { "V", "C", "C", "D" }, "second control member control.tar.gz", 1 },
        /* the trial's: a gzip magic, then no gzip */
        { "trailgz", "gz", { "V", "C", "D+\x1f\x8bgarbagegarbagegarbagegarbage" }, "data.tar.gz: ", 1 },
        /* bytes that begin no stream: dpkg-deb's decompressors end
         * quietly before them (zlib's gzread skips "trailing garbage";
         * xz and zstd stop at their stream's end), so it takes them;
         * mkdom0 refuses bytes it cannot account for, which another
         * reader may take for more data */
        { "trailgz2", "gz", { "V", "C", "D+garbage after the stream" },
          "data.tar.gz: data after the end of the gzip stream", -1 },
        { "trailxz", "xz", { "V", "C", "D+garbage after the stream" },
          "data.tar.xz: data after the end of the xz stream", -1 },
        { "trailzst", "zst", { "V", "C", "D+garbage after the stream" },
          "data.tar.zst: data after the end of the zstd stream", -1 },
        { "noversion", "xz", { "C", "D" }, "first member 'control.tar.gz', not debian-binary", 1 },
        { "version3", "xz", { "V=3.0\n", "C", "D" }, "debian-binary: format '3.0', not 2.x", 1 },
        { "versionnl", "xz", { "V=2.0", "C", "D" }, "debian-binary: format '2.0', not 2.x", 1 },
        { "datafirst", "xz", { "V", "D", "C" }, "member 'data.tar.xz' before control.tar", 1 },
        { "junkbefore", "xz", { "V", "C", "X=junk", "D" }, "member 'junk' before data.tar", 1 },
        { "ctlbz2", "xz", { "V", "C=control.tar.bz2", "D" },
          "control member control.tar.bz2: deb(5) names control.tar, .gz, .xz or .zst", 1 },
        { "datafoo", "xz", { "V", "C", "D=data.tar.foo" }, "data member data.tar.foo: deb(5) names", 1 },
        { "xzasgz", "xz", { "V", "C", "D=data.tar.gz" }, "data.tar.gz holds xz data, not gzip", 1 },
        { "plainasxz", "", { "V", "C", "D=data.tar.xz" }, "data.tar.xz holds none data, not xz", 1 },
        { "nocontrol", "xz", { "V" }, "no control.tar member", 1 },
        /* after data.tar dpkg-deb reads no further; which of two a reader
         * takes is where tools differ: refused */
        { "twodata", "xz", { "V", "C", "D", "D=data.tar.gz" }, "second data member data.tar.gz", -1 },
        { "ctlafter", "xz", { "V", "C", "D", "C" }, "second control member control.tar.gz", -1 },
        /* what deb(5) has readers skip, and a later format minor */
        { "underscore", "xz", { "V", "X=_gpgorigin", "C", "X=_extra", "D" }, NULL, 0 },
        { "trailer", "xz", { "V", "C", "D", "X=trailer" }, NULL, 0 },
        { "version21", "xz", { "V=2.1\nmore lines\n", "C", "D" }, NULL, 0 },
        { "plain", "", { "V", "C", "D" }, NULL, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *p = deb_path(cases[i].name);
        CHECK(dm_make_deb_layout(p, cases[i].name, cases[i].filter, good, cases[i].layout) == 0);
        md_tree *t = md_tree_new(true);
        md_err e = MD_ERR_INIT;
        int rc = md_deb_extract(t, p, "pkg", MD_CLASH_ERROR, NULL, &e);
        if (cases[i].needle) {
            CHECK(rc < 0);
            CHECK_ERR(&e, p);
            CHECK_ERR(&e, cases[i].needle);
        } else {
            CHECK(rc == 0);
            CHECK(md_tree_lookup(t, "/usr/bin/tool") != NULL);
            if (rc < 0)
                fprintf(stderr, "%s: %s\n", cases[i].name, e.msg);
        }
        md_tree_free(t);
        if (have_dpkg && cases[i].dpkg >= 0) {
            char *cmd = md_xasprintf("dpkg-deb -c %s >/dev/null 2>&1", p);
            int refused = system(cmd) != 0;
            if (refused != cases[i].dpkg)
                fprintf(stderr, "%s: dpkg-deb %s it\n", cases[i].name, refused ? "refuses" : "accepts");
            CHECK(refused == cases[i].dpkg);
            free(cmd);
        }
        free(p);
    }
}

/* The fault of issue 8: a package ships /var/run as a directory.  In the
 * build's order (layout, packages, base files) the image's link wins and
 * the package's contents land under /run. */
static void test_var_run_dir(void)
{
    static const char *const lines[] = {
        "d ./ 0755", "d ./var/ 0755", "d ./var/run/ 0755", "d ./var/run/foo/ 0750",
        "f ./var/run/foo/socket-dir-marker 0644 x", "d ./var/lock/ 01777", NULL,
    };
    char *p = make("varrun", "varrunpkg", "xz", lines);
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    md_base_opts bo = { "dom0", NULL, 1 };
    CHECK(md_base_layout(t, &e) == 0);
    CHECK(md_deb_extract(t, p, "varrunpkg", MD_CLASH_ERROR, NULL, &e) == 0);
    CHECK(md_base_populate(t, &bo, &e) == 0);
    if (e.set)
        fprintf(stderr, "%s\n", e.msg);
    md_node *n = md_tree_lookup(t, "/var/run");
    CHECK(n && md_node_type_of(n) == MD_NODE_SYMLINK);
    CHECK_STR(n ? md_node_link_target(n) : NULL, "/run");
    n = md_tree_lookup(t, "/var/lock");
    CHECK(n && md_node_type_of(n) == MD_NODE_SYMLINK);
    n = md_tree_lookup(t, "/run/foo");
    CHECK(n && md_node_type_of(n) == MD_NODE_DIR && md_node_attr(n)->mode == 0750);
    CHECK_STR(n ? md_node_origin(n) : NULL, "varrunpkg");
    CHECK(md_tree_lookup(t, "/run/foo/socket-dir-marker") != NULL);
    md_tree_free(t);
    free(p);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "mkdeb") == 0) {
        if (argc < 5) {
            fprintf(stderr, "usage: %s mkdeb OUT PACKAGE FILTER LINE...\n", argv[0]);
            return 2;
        }
        return dm_make_deb(argv[2], argv[3], argv[4], (const char *const *)argv + 5) ? 1 : 0;
    }
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    const char *filters[] = { "xz", "zst", "gz", "bz2", "" };
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++)
        test_good(filters[i]);
    test_cached("xz");
    test_cached("");
    test_hostile();
    test_duplicates();
    test_truncated();
    test_bombs();
    test_dpkg_deb();
    test_layouts();
    test_var_run_dir();
    char *cmd = md_xasprintf("rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
    free(cmd);
    return t_done("test_deb");
}
