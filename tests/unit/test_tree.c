/* tree: semantics of the in-memory rootfs model. */
#include "t.h"
#include "image/tree.h"
#include "core/mem.h"

#include <stdlib.h>

static const md_attr A644 = { 0644, 0, 0, 100 };
static const md_attr A755 = { 0755, 0, 0, 100 };

static unsigned char *dup_data(const char *s) { return (unsigned char *)md_xstrdup(s); }

static int add_text(md_tree *t, const char *path, const char *text, const char *origin,
                    md_tree_clash clash, md_err *err)
{
    return md_tree_add_file(t, path, &A644, dup_data(text), strlen(text), origin, clash, err);
}

static void test_basic_and_order(void)
{
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    CHECK(add_text(t, "/a/b/c", "x", "p1", MD_CLASH_ERROR, &e) == 0);
    CHECK(add_text(t, "/a-b", "y", "p1", MD_CLASH_ERROR, &e) == 0);
    CHECK(add_text(t, "//a/./d//", "z", "p1", MD_CLASH_ERROR, &e) == 0);
    CHECK(!e.set);
    /* implicit parents */
    md_node *a = md_tree_lookup(t, "/a");
    CHECK(a && md_node_type_of(a) == MD_NODE_DIR && md_node_attr(a)->mode == 0755);
    CHECK(md_tree_lookup(t, "/a/d") != NULL);
    CHECK(md_tree_count(t) == 6); /* / /a /a/b /a/b/c /a-b /a/d */
    /* byte order: "/a" < "/a-b" < "/a/b" ('-' < '/') */
    const char *want[] = { "/", "/a", "/a-b", "/a/b", "/a/b/c", "/a/d" };
    size_t i = 0;
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n), i++)
        CHECK_STR(md_node_path(n), i < 6 ? want[i] : "(extra)");
    CHECK(i == 6);
    /* an explicit dir after the implicit one takes its attributes */
    md_attr a700 = { 0700, 5, 6, 42 };
    CHECK(md_tree_add_dir(t, "/a", &a700, "p2", &e) == 0);
    CHECK(md_node_attr(md_tree_lookup(t, "/a"))->mode == 0700);
    CHECK_STR(md_node_origin(md_tree_lookup(t, "/a")), "p2");
    /* same dir twice is fine and the first explicit one stays */
    CHECK(md_tree_add_dir(t, "/a", &A755, "p3", &e) == 0);
    CHECK(md_node_attr(md_tree_lookup(t, "/a"))->mode == 0700);
    size_t sz;
    CHECK(memcmp(md_node_data(md_tree_lookup(t, "/a/d"), &sz), "z", 1) == 0 && sz == 1);
    CHECK(!e.set);
    md_tree_free(t);
}

static void test_clashes(void)
{
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    CHECK(add_text(t, "/etc/x", "one", "pkg-a", MD_CLASH_ERROR, &e) == 0);
    /* identical file from another package: accepted silently */
    CHECK(add_text(t, "/etc/x", "one", "pkg-b", MD_CLASH_ERROR, &e) == 0);
    CHECK(!e.set);
    CHECK_STR(md_node_origin(md_tree_lookup(t, "/etc/x")), "pkg-a");
    /* different content: error naming both */
    CHECK(add_text(t, "/etc/x", "two", "pkg-c", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "pkg-a");
    CHECK_ERR(&e, "pkg-c");
    CHECK_ERR(&e, "/etc/x");
    md_err_clear(&e);
    /* replace: overlay wins */
    CHECK(add_text(t, "/etc/x", "three", "overlay", MD_CLASH_REPLACE, &e) == 0);
    size_t sz;
    const unsigned char *d = md_node_data(md_tree_lookup(t, "/etc/x"), &sz);
    CHECK(sz == 5 && memcmp(d, "three", 5) == 0);
    CHECK_STR(md_node_origin(md_tree_lookup(t, "/etc/x")), "overlay");
    /* file vs dir, symlink vs file */
    CHECK(md_tree_add_dir(t, "/etc/x", &A755, "pkg-d", &e) < 0);
    CHECK_ERR(&e, "overlay");
    CHECK_ERR(&e, "pkg-d");
    md_err_clear(&e);
    CHECK(md_tree_add_symlink(t, "/etc/x", NULL, "y", "pkg-e", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "pkg-e");
    md_err_clear(&e);
    /* same symlink twice is fine, a different target is not */
    CHECK(md_tree_add_symlink(t, "/etc/l", NULL, "x", "pkg-a", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_add_symlink(t, "/etc/l", NULL, "x", "pkg-b", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_add_symlink(t, "/etc/l", NULL, "z", "pkg-b", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "pkg-a");
    md_err_clear(&e);
    /* one origin giving a path twice: said so, not "from X and from X"
     * (trial 13h case 6) */
    CHECK(md_tree_add_symlink(t, "/etc/l2", NULL, "x", "pkg-f", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_add_symlink(t, "/etc/l2", NULL, "z", "pkg-f", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "/etc/l2: twice in pkg-f (a symlink, then a symlink)");
    md_err_clear(&e);
    /* replacing a non-empty directory is refused even for overlays */
    CHECK(add_text(t, "/etc", "f", "overlay", MD_CLASH_REPLACE, &e) < 0);
    CHECK_ERR(&e, "/etc");
    md_err_clear(&e);
    /* devices */
    md_attr a600 = { 0600, 0, 0, 0 };
    CHECK(md_tree_add_device(t, "/dev/hvc0", &a600, MD_NODE_CHAR, 229, 0, "mkdom0", &e) == 0);
    CHECK(md_tree_add_device(t, "/dev/hvc0", &a600, MD_NODE_CHAR, 229, 0, "x", &e) == 0);
    CHECK(md_tree_add_device(t, "/dev/hvc0", &a600, MD_NODE_CHAR, 229, 1, "y", &e) < 0);
    CHECK_ERR(&e, "mkdom0");
    md_err_clear(&e);
    /* trial 9f case 7: Copy= or an overlay over a device node */
    CHECK(add_text(t, "/dev/hvc0", "x", "Copy=", MD_CLASH_REPLACE, &e) < 0);
    CHECK_ERR(&e, "/dev/hvc0: char device from mkdom0, which file from Copy= would replace");
    md_err_clear(&e);
    CHECK(md_tree_add_symlink(t, "/dev/hvc0", &a600, "/etc/x", "overlay", MD_CLASH_REPLACE, &e) < 0);
    CHECK_ERR(&e, "a device node is never replaced");
    md_err_clear(&e);
    unsigned ma, mi;
    md_node_rdev(md_tree_lookup(t, "/dev/hvc0"), &ma, &mi);
    CHECK(ma == 229 && mi == 0);
    CHECK(md_node_type_of(md_tree_lookup(t, "/dev/hvc0")) == MD_NODE_CHAR);
    md_tree_free(t);
}

static void test_refusals(void)
{
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    CHECK(add_text(t, "/a/../../etc/passwd", "x", "evil", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "..");
    md_err_clear(&e);
    CHECK(add_text(t, "relative", "x", "evil", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "not absolute");
    md_err_clear(&e);
    /* Depth and length: 256 levels and 4096 bytes are the most. */
    char *p = md_xstrdup("");
    for (int i = 0; i < MD_TREE_DEPTH_MAX; i++) {
        char *n = md_xasprintf("%s/z", p);
        free(p);
        p = n;
    }
    CHECK(add_text(t, p, "x", "deep", MD_CLASH_ERROR, &e) == 0);
    char *deeper = md_xasprintf("%s/e", p);
    CHECK(add_text(t, deeper, "x", "deep", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "more than 256 levels deep");
    md_err_clear(&e);
    char *lng = md_xasprintf("/%0*d", MD_TREE_PATH_MAX, 0); /* 4097 bytes */
    CHECK(add_text(t, lng, "x", "long", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "path of 4097 bytes (limit 4096)");
    md_err_clear(&e);
    lng[MD_TREE_PATH_MAX] = '\0'; /* 4096 bytes: a file name of 4095, which the tree holds */
    CHECK(add_text(t, lng, "x", "long", MD_CLASH_ERROR, &e) == 0);
    free(lng);
    free(deeper);
    free(p);
    /* a symlinked directory, then a write through it */
    CHECK(md_tree_add_symlink(t, "/d", NULL, "/etc", "evil", MD_CLASH_ERROR, &e) == 0);
    CHECK(add_text(t, "/d/shadow", "x", "evil", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "symlink");
    CHECK_ERR(&e, "/d/shadow");
    md_err_clear(&e);
    CHECK(md_tree_add_dir(t, "/d/sub", &A755, "evil", &e) < 0);
    md_err_clear(&e);
    /* deeper: parent of parent is the symlink */
    CHECK(add_text(t, "/d/x/y", "x", "evil", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "symlink");
    md_err_clear(&e);
    CHECK(md_tree_lookup(t, "/etc") == NULL);
    CHECK(md_tree_lookup(t, "/d/shadow") == NULL);
    /* a file as a parent */
    CHECK(add_text(t, "/f", "x", "p", MD_CLASH_ERROR, &e) == 0);
    CHECK(add_text(t, "/f/g", "x", "p", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "not a directory");
    md_err_clear(&e);
    /* the root */
    CHECK(add_text(t, "/", "x", "p", MD_CLASH_ERROR, &e) < 0);
    md_err_clear(&e);
    CHECK(md_tree_add_hardlink(t, "/h", "/nope", "p", &e) < 0);
    CHECK_ERR(&e, "/nope");
    md_err_clear(&e);
    CHECK(md_tree_add_hardlink(t, "/h", "/d", "p", &e) < 0);
    CHECK_ERR(&e, "not a regular file");
    md_tree_free(t);
}

static void test_usrmerge(void)
{
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    md_node *bin = md_tree_lookup(t, "/bin");
    CHECK(bin && md_node_type_of(bin) == MD_NODE_SYMLINK);
    CHECK_STR(md_node_link_target(bin), "usr/bin");
    CHECK(add_text(t, "/bin/sh", "#!", "dash", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_lookup(t, "/usr/bin/sh") != NULL);
    CHECK(md_tree_lookup(t, "/bin/sh") == md_tree_lookup(t, "/usr/bin/sh"));
    /* /bin as a directory from an unmerged package merges into /usr/bin */
    CHECK(md_tree_add_dir(t, "/bin", &A755, "coreutils", &e) == 0);
    CHECK(md_node_type_of(md_tree_lookup(t, "/bin")) == MD_NODE_SYMLINK);
    /* the same file under both names is one file: clash if different */
    CHECK(add_text(t, "/usr/bin/sh", "other", "busybox", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "dash");
    CHECK_ERR(&e, "busybox");
    md_err_clear(&e);
    /* lib64 appears when used */
    CHECK(md_tree_lookup(t, "/lib64") == NULL);
    CHECK(md_tree_add_symlink(t, "/lib64/ld-linux-x86-64.so.2", NULL,
                              "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "libc6",
                              MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_lookup(t, "/lib64") && md_node_type_of(md_tree_lookup(t, "/lib64")) == MD_NODE_SYMLINK);
    CHECK(md_tree_lookup(t, "/usr/lib64/ld-linux-x86-64.so.2") != NULL);
    CHECK(add_text(t, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "ELF", "libc6", MD_CLASH_ERROR, &e) == 0);
    md_node *ld = md_tree_resolve(t, "/lib64/ld-linux-x86-64.so.2");
    CHECK(ld && md_node_type_of(ld) == MD_NODE_FILE);
    CHECK(ld && strcmp(md_node_path(ld), "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2") == 0);
    /* a package shipping the merge symlink itself is no clash */
    CHECK(md_tree_add_symlink(t, "/sbin", NULL, "usr/sbin", "usrmerge-pkg", MD_CLASH_ERROR, &e) == 0);
    CHECK(!e.set);
    md_tree_free(t);

    /* Debian 13's libc6 ships the interpreter under /usr/lib64 only (base-files,
     * left out of a dom0, has the /lib64 link): the link comes with its
     * directory, or every program fails with ENOENT ("can't run
     * '/sbin/openrc'", issue 10).  Nothing of /lib32 appears with it. */
    t = md_tree_new(true);
    CHECK(md_tree_add_dir(t, "/usr/lib64", &A755, "libc6", &e) == 0);
    CHECK(md_tree_add_symlink(t, "/usr/lib64/ld-linux-x86-64.so.2", NULL,
                              "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "libc6",
                              MD_CLASH_ERROR, &e) == 0);
    CHECK(add_text(t, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "ELF", "libc6",
                   MD_CLASH_ERROR, &e) == 0);
    md_node *l64 = md_tree_lookup(t, "/lib64");
    CHECK(l64 && md_node_type_of(l64) == MD_NODE_SYMLINK);
    CHECK(l64 && strcmp(md_node_link_target(l64), "usr/lib64") == 0);
    ld = md_tree_resolve(t, "/lib64/ld-linux-x86-64.so.2");
    CHECK(ld && md_node_type_of(ld) == MD_NODE_FILE);
    CHECK(md_tree_lookup(t, "/lib32") == NULL && md_tree_lookup(t, "/libx32") == NULL);
    /* a file directly below /usr/lib64 makes the link too; base-files' own
     * link is then no clash */
    md_tree_free(t);
    t = md_tree_new(true);
    CHECK(add_text(t, "/usr/lib64/ld-linux-x86-64.so.2", "ELF", "libc6", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_resolve(t, "/lib64/ld-linux-x86-64.so.2") != NULL);
    CHECK(md_tree_add_symlink(t, "/lib64", NULL, "usr/lib64", "base-files", MD_CLASH_ERROR, &e) == 0);
    CHECK(!e.set);
    md_tree_free(t);
}

/* The image's layout links win over what packages ship: /var/run stays a
 * link and a package's directories below it land under /run. */
static void test_layout_links(void)
{
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    CHECK(md_tree_add_layout_link(t, "/var/run", "/run", &e) == 0);
    CHECK(md_tree_add_layout_link(t, "/var/lock", "/run/lock", &e) == 0);
    md_node *vr = md_tree_lookup(t, "/var/run");
    CHECK(vr && md_node_type_of(vr) == MD_NODE_SYMLINK);
    CHECK_STR(vr ? md_node_link_target(vr) : NULL, "/run");
    CHECK(md_tree_lookup(t, "/run/lock") && md_node_type_of(md_tree_lookup(t, "/run/lock")) == MD_NODE_DIR);
    /* a package's /var/run/ and /var/run/foo/ directories */
    CHECK(md_tree_add_dir(t, "/var/run", &A755, "pkg", &e) == 0);
    CHECK(md_tree_add_dir(t, "/var/run/foo/", &A755, "pkg", &e) == 0);
    CHECK(add_text(t, "/var/run/foo/pid", "1", "pkg", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_node_type_of(md_tree_lookup(t, "/var/run")) == MD_NODE_SYMLINK);
    md_node *foo = md_tree_lookup(t, "/run/foo");
    CHECK(foo && md_node_type_of(foo) == MD_NODE_DIR);
    CHECK_STR(foo ? md_node_origin(foo) : NULL, "pkg");
    CHECK(md_tree_lookup(t, "/run/foo/pid") != NULL);
    CHECK(md_tree_resolve(t, "/var/run/foo/pid") == md_tree_lookup(t, "/run/foo/pid"));
    /* the same link from a package (absolute or relative) is no clash... */
    CHECK(md_tree_add_symlink(t, "/var/run", NULL, "/run", "base-files", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_add_symlink(t, "/var/lock", NULL, "../run/lock", "base-files", MD_CLASH_ERROR, &e) == 0);
    CHECK(!e.set);
    /* ...another target is */
    CHECK(md_tree_add_symlink(t, "/var/run", NULL, "/tmp", "odd", MD_CLASH_ERROR, &e) < 0);
    CHECK_ERR(&e, "odd");
    md_err_clear(&e);
    /* nothing is ever stored below the link itself */
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n))
        CHECK(strncmp(md_node_path(n), "/var/run/", 9) != 0 &&
              strncmp(md_node_path(n), "/var/lock/", 10) != 0);
    /* refused: too late, through another link, outside the root */
    CHECK(md_tree_add_layout_link(t, "/run/foo", "/srv", &e) < 0);
    CHECK_ERR(&e, "already in the tree");
    md_err_clear(&e);
    CHECK(md_tree_add_layout_link(t, "/var/lock/x", "/y", &e) < 0);
    md_err_clear(&e);
    CHECK(md_tree_add_layout_link(t, "/opt", "../..", &e) < 0);
    md_err_clear(&e);
    /* Copy= or an overlay never replaces what paths go through (trial 9h
     * case 2: a file at /lib64 took every program's ELF interpreter) */
    CHECK(add_text(t, "/var/run", "x", "Copy=", MD_CLASH_REPLACE, &e) < 0);
    CHECK_ERR(&e, "/var/run: conflict: symlink -> /run from mkdom0 and file from Copy=: a layout link");
    md_err_clear(&e);
    CHECK(md_tree_add_symlink(t, "/var/run", NULL, "/tmp", "overlay", MD_CLASH_REPLACE, &e) < 0);
    CHECK_ERR(&e, "a layout link of the image is never replaced");
    md_err_clear(&e);
    CHECK(md_node_type_of(md_tree_lookup(t, "/var/run")) == MD_NODE_SYMLINK);
    /* an empty directory of a package, and a package's symlink to one */
    CHECK(md_tree_add_dir(t, "/srv/empty", &A755, "pkg", &e) == 0);
    CHECK(add_text(t, "/srv/empty", "x", "Copy=", MD_CLASH_REPLACE, &e) < 0);
    CHECK_ERR(&e, "/srv/empty: conflict: directory from pkg and file from Copy=: a directory is never replaced");
    md_err_clear(&e);
    CHECK(md_tree_add_symlink(t, "/srv/link", NULL, "empty", "pkg", MD_CLASH_ERROR, &e) == 0);
    CHECK(add_text(t, "/srv/link", "x", "overlay", MD_CLASH_REPLACE, &e) < 0);
    CHECK_ERR(&e, "/srv/link: conflict: symlink -> empty from pkg and file from overlay: a symlink to a directory");
    md_err_clear(&e);
    /* a symlink to a file, or a file, stays an overlay's to replace */
    CHECK(add_text(t, "/srv/f", "1", "pkg", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_add_symlink(t, "/srv/flink", NULL, "f", "pkg", MD_CLASH_ERROR, &e) == 0);
    CHECK(add_text(t, "/srv/flink", "x", "Copy=", MD_CLASH_REPLACE, &e) == 0);
    CHECK(add_text(t, "/srv/f", "2", "Copy=", MD_CLASH_REPLACE, &e) == 0);
    CHECK(!e.set);
    md_tree_free(t);
}

static void test_resolve(void)
{
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    CHECK(add_text(t, "/usr/lib/xen/bin/xl", "ELF", "xen", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_add_symlink(t, "/usr/sbin/xl", NULL, "../lib/xen/bin/xl", "xen", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_add_symlink(t, "/opt", NULL, "/usr/lib", "x", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_add_symlink(t, "/loop1", NULL, "loop2", "x", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_add_symlink(t, "/loop2", NULL, "/loop1", "x", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_add_symlink(t, "/dangling", NULL, "/nowhere", "x", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_add_symlink(t, "/up", NULL, "../../..", "x", MD_CLASH_ERROR, &e) == 0);
    md_node *xl = md_tree_lookup(t, "/usr/lib/xen/bin/xl");
    CHECK(md_tree_resolve(t, "/usr/sbin/xl") == xl);
    CHECK(md_tree_resolve(t, "/opt/xen/bin/xl") == xl);
    CHECK(md_tree_resolve(t, "/opt/xen/../xen/./bin/xl") == xl);
    CHECK(md_tree_lookup(t, "/usr/sbin/xl") != xl);
    CHECK(md_tree_resolve(t, "/loop1") == NULL);
    CHECK(md_tree_resolve(t, "/loop1/x") == NULL);
    CHECK(md_tree_resolve(t, "/dangling") == NULL);
    /* ".." at the root stays at the root */
    CHECK(md_tree_resolve(t, "/up/usr/sbin/xl") == xl);
    CHECK(md_tree_resolve(t, "/usr/lib/xen/bin/xl/x") == NULL);
    CHECK(md_tree_resolve(t, "/") == md_tree_first(t));
    md_tree_free(t);
}

static void test_hardlinks(void)
{
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    md_attr a = { 04755, 0, 0, 7 };
    CHECK(md_tree_add_file(t, "/bin/a", &a, dup_data("data"), 4, "p", MD_CLASH_ERROR, &e) == 0);
    CHECK(md_tree_add_hardlink(t, "/bin/b", "/bin/a", "p", &e) == 0);
    CHECK(md_tree_add_hardlink(t, "/bin/c", "/bin/b", "p", &e) == 0); /* via another link */
    md_node *b = md_tree_lookup(t, "/bin/b");
    CHECK(md_node_type_of(b) == MD_NODE_HARDLINK);
    CHECK_STR(md_node_link_target(b), "/bin/a");
    CHECK(md_node_attr(b)->mode == 04755);
    size_t sz;
    CHECK(md_node_data(b, &sz) && sz == 4);
    /* the same link twice is fine */
    CHECK(md_tree_add_hardlink(t, "/bin/b", "/bin/a", "p", &e) == 0);
    /* removing the file hands its content to a link */
    CHECK(md_tree_remove(t, "/bin/a") == 1);
    b = md_tree_lookup(t, "/bin/b");
    md_node *c = md_tree_lookup(t, "/bin/c");
    CHECK(md_node_type_of(b) == MD_NODE_FILE);
    CHECK(md_node_type_of(c) == MD_NODE_HARDLINK);
    CHECK_STR(md_node_link_target(c), "/bin/b");
    CHECK(md_node_data(c, &sz) && sz == 4 && memcmp(md_node_data(c, NULL), "data", 4) == 0);
    CHECK(md_node_attr(b)->mode == 04755);
    CHECK(!e.set);
    md_tree_free(t);
}

static void test_remove_filter(void)
{
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    add_text(t, "/usr/share/doc/a/copyright", "c", "a", MD_CLASH_ERROR, &e);
    add_text(t, "/usr/share/doc/a/changelog.gz", "c", "a", MD_CLASH_ERROR, &e);
    add_text(t, "/usr/share/doc/b/README", "c", "b", MD_CLASH_ERROR, &e);
    add_text(t, "/usr/share/man/man1/x.1.gz", "m", "b", MD_CLASH_ERROR, &e);
    add_text(t, "/usr/share/doc-base/x", "d", "b", MD_CLASH_ERROR, &e);
    add_text(t, "/usr/bin/x", "x", "b", MD_CLASH_ERROR, &e);
    CHECK(!e.set);
    const char *keep[] = { "*/copyright", NULL };
    size_t n = md_tree_filter(t, "/usr/share/doc/*", keep);
    /* changelog.gz, README, and the then-empty /usr/share/doc/b */
    CHECK(n == 3);
    CHECK(md_tree_lookup(t, "/usr/share/doc/a/copyright") != NULL);
    CHECK(md_tree_lookup(t, "/usr/share/doc/a") != NULL);
    CHECK(md_tree_lookup(t, "/usr/share/doc/b") == NULL);
    CHECK(md_tree_lookup(t, "/usr/share/doc") != NULL);
    CHECK(md_tree_lookup(t, "/usr/share/doc-base/x") != NULL);
    /* remove a subtree; "/usr/share/man-x" must survive */
    add_text(t, "/usr/share/man-x", "m", "b", MD_CLASH_ERROR, &e);
    CHECK(md_tree_remove(t, "/usr/share/man") == 3);
    CHECK(md_tree_lookup(t, "/usr/share/man-x") != NULL);
    CHECK(md_tree_lookup(t, "/usr/share/man/man1") == NULL);
    CHECK(md_tree_remove(t, "/nonexistent") == 0);
    /* iteration is consistent after removals and re-adds */
    add_text(t, "/usr/share/man/man8/y.8", "m", "b", MD_CLASH_ERROR, &e);
    size_t cnt = 0;
    const char *prev = "";
    bool ordered = true;
    for (md_node *x = md_tree_first(t); x; x = md_tree_next(t, x), cnt++) {
        ordered &= strcmp(prev, md_node_path(x)) < 0;
        prev = md_node_path(x);
    }
    CHECK(ordered);
    CHECK(cnt == md_tree_count(t));
    /* removing the root empties the tree but keeps "/" */
    md_tree_remove(t, "/");
    CHECK(md_tree_count(t) == 1);
    CHECK(!e.set);
    md_tree_free(t);
}

/* Many entries, interleaved adds and removes: order and counts stay right. */
static void test_scale(void)
{
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    char p[128];
    for (int i = 0; i < 40000; i++) {
        snprintf(p, sizeof p, "/usr/lib/modules/6.1/kernel/d%d/m%d.ko", i % 97, i);
        if (add_text(t, p, "ko", "linux-image", MD_CLASH_ERROR, &e) < 0)
            break;
        if (i % 1000 == 999) {
            snprintf(p, sizeof p, "/usr/lib/modules/6.1/kernel/d%d/m%d.ko", (i - 500) % 97, i - 500);
            CHECK(md_tree_remove(t, p) == 1);
            md_tree_first(t);
        }
    }
    CHECK(!e.set);
    CHECK(md_tree_remove(t, "/usr/lib/modules/6.1/kernel/d5") > 400);
    size_t cnt = 0;
    const char *prev = "";
    bool ordered = true;
    for (md_node *x = md_tree_first(t); x; x = md_tree_next(t, x), cnt++) {
        ordered &= strcmp(prev, md_node_path(x)) < 0;
        prev = md_node_path(x);
    }
    CHECK(ordered);
    CHECK(cnt == md_tree_count(t));
    md_tree_free(t);
}

static void test_link_duplicates(void)
{
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    CHECK(add_text(t, "/usr/share/doc/b/copyright", "GPL", "b", MD_CLASH_ERROR, &e) == 0);
    CHECK(add_text(t, "/usr/share/doc/a/copyright", "GPL", "a", MD_CLASH_ERROR, &e) == 0);
    CHECK(add_text(t, "/usr/share/doc/c/copyright", "GPL", "c", MD_CLASH_ERROR, &e) == 0);
    /* another mode, another mtime, other bytes, empty, or a file the dom0
     * may change in place: each stays a file of its own */
    CHECK(md_tree_add_file(t, "/usr/bin/gpl", &A755, dup_data("GPL"), 3, "d", MD_CLASH_ERROR,
                           &e) == 0);
    md_attr later = A644;
    later.mtime = 200;
    CHECK(md_tree_add_file(t, "/usr/share/later", &later, dup_data("GPL"), 3, "d", MD_CLASH_ERROR,
                           &e) == 0);
    CHECK(add_text(t, "/usr/share/other", "BSD", "d", MD_CLASH_ERROR, &e) == 0);
    CHECK(add_text(t, "/usr/share/empty1", "", "d", MD_CLASH_ERROR, &e) == 0);
    CHECK(add_text(t, "/usr/share/empty2", "", "d", MD_CLASH_ERROR, &e) == 0);
    CHECK(add_text(t, "/etc/a.conf", "GPL", "d", MD_CLASH_ERROR, &e) == 0);
    /* a package's own hardlink to a duplicate follows it to the kept file */
    CHECK(md_tree_add_hardlink(t, "/usr/share/doc/c/copy2", "/usr/share/doc/c/copyright", "c",
                               &e) == 0);
    CHECK(!e.set);
    CHECK(md_tree_link_duplicates(t) == 2);
    const md_node *keep = md_tree_lookup(t, "/usr/share/doc/a/copyright");
    CHECK(md_node_type_of(keep) == MD_NODE_FILE);
    static const char *const linked[] = { "/usr/share/doc/b/copyright",
                                          "/usr/share/doc/c/copyright", "/usr/share/doc/c/copy2" };
    for (size_t i = 0; i < 3; i++) {
        const md_node *n = md_tree_lookup(t, linked[i]);
        CHECK(n && md_node_type_of(n) == MD_NODE_HARDLINK);
        CHECK_STR(n ? md_node_link_target(n) : "", "/usr/share/doc/a/copyright");
        size_t sz = 0;
        CHECK(n && md_node_data(n, &sz) && sz == 3);
        CHECK_STR(n ? md_node_origin(n) : "", i < 2 ? (i ? "c" : "b") : "c");
    }
    static const char *const apart[] = { "/usr/bin/gpl", "/usr/share/later", "/usr/share/other",
                                         "/usr/share/empty1", "/usr/share/empty2", "/etc/a.conf" };
    for (size_t i = 0; i < 6; i++)
        CHECK(md_node_type_of(md_tree_lookup(t, apart[i])) == MD_NODE_FILE);
    /* removing the kept file promotes a link: the bytes stay in the tree */
    CHECK(md_tree_remove(t, "/usr/share/doc/a/copyright") == 1);
    const md_node *b = md_tree_lookup(t, "/usr/share/doc/b/copyright");
    size_t sz = 0;
    CHECK(b && md_node_type_of(b) == MD_NODE_FILE && md_node_data(b, &sz) && sz == 3);
    CHECK_STR(md_node_link_target(md_tree_lookup(t, "/usr/share/doc/c/copy2")),
              "/usr/share/doc/b/copyright");
    CHECK(md_tree_link_duplicates(t) == 0);
    md_tree_free(t);
}

/* A relative link a layout link moves keeps leading where it led (trial 13
 * F11: Alpine's /sbin/relx -> ../usr/bin/realx, stored at /usr/sbin/relx,
 * led to /usr/usr/bin/realx); one that already leads there is kept. */
static void test_moved_links(void)
{
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    CHECK(add_text(t, "/usr/bin/realx", "x", "p", MD_CLASH_ERROR, &e) == 0);
    const struct {
        const char *path, *target, *stored, *want;
    } c[] = {
        { "/sbin/relx", "../usr/bin/realx", "/usr/sbin/relx", "../bin/realx" },
        { "/bin/relx2", "../../usr/bin/realx", "/usr/bin/relx2", "../../usr/bin/realx" },
        { "/sbin/modprobe", "../bin/kmod", "/usr/sbin/modprobe", "../bin/kmod" },
        { "/lib/libz.so.1", "libz.so.1.3", "/usr/lib/libz.so.1", "libz.so.1.3" },
        { "/lib/firmware/a/b", "../../../usr/share/b", "/usr/lib/firmware/a/b", "../../../share/b" },
        { "/sbin/abs", "/usr/bin/realx", "/usr/sbin/abs", "/usr/bin/realx" },
        { "/usr/sbin/plain", "../usr/bin/realx", "/usr/sbin/plain", "../usr/bin/realx" },
        { "/sbin/up", "../..", "/usr/sbin/up", "../.." },
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        CHECK(md_tree_add_symlink(t, c[i].path, NULL, c[i].target, "p", MD_CLASH_ERROR, &e) == 0);
        md_node *n = md_tree_lookup(t, c[i].stored);
        CHECK(n && md_node_type_of(n) == MD_NODE_SYMLINK);
        if (n && strcmp(md_node_link_target(n), c[i].want))
            fprintf(stderr, "%s -> %s: stored -> %s, want %s\n", c[i].path, c[i].target,
                    md_node_link_target(n), c[i].want);
        CHECK(n && !strcmp(md_node_link_target(n), c[i].want));
    }
    md_node *r = md_tree_resolve(t, "/sbin/relx");
    CHECK(r && !strcmp(md_node_path(r), "/usr/bin/realx"));
    CHECK(!e.set);
    md_tree_free(t);
}

int main(void)
{
    test_basic_and_order();
    test_clashes();
    test_refusals();
    test_usrmerge();
    test_moved_links();
    test_layout_links();
    test_resolve();
    test_hardlinks();
    test_link_duplicates();
    test_remove_filter();
    test_scale();
    return t_done("test_tree");
}
