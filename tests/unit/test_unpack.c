/* unpack: the one entry policy for package members, rootfs images and rootfs
 * directories; its limits; hardlink groups; sockets. */
#include "t.h"
#include "image/unpack.h"
#include "image/tree.h"
#include "core/mem.h"
#include "core/file.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/test_unpack.XXXXXX";

/* An archive in memory: entries given as (type, name, mode, content-or-target,
 * ino, nlink, hardlink target). */
typedef struct ent {
    unsigned type;
    const char *name;
    unsigned mode;
    const char *data; /* file content, symlink target */
    unsigned ino, nlink;
    const char *hardlink;
} ent;

static unsigned char *make(bool cpio, const ent *v, size_t *len)
{
    struct archive *a = archive_write_new();
    if (cpio)
        archive_write_set_format_cpio_newc(a);
    else
        archive_write_set_format_pax_restricted(a);
    size_t cap = 1 << 20;
    unsigned char *buf = md_xmalloc(cap);
    archive_write_set_bytes_in_last_block(a, 1);
    archive_write_open_memory(a, buf, cap, len);
    for (; v->name; v++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, v->name);
        archive_entry_set_filetype(e, v->type);
        archive_entry_set_perm(e, v->mode);
        archive_entry_set_uid(e, 7);
        archive_entry_set_gid(e, 8);
        archive_entry_set_mtime(e, 1234, 0);
        if (v->ino)
            archive_entry_set_ino(e, v->ino);
        archive_entry_set_nlink(e, v->nlink ? v->nlink : 1);
        if (v->hardlink)
            archive_entry_set_hardlink(e, v->hardlink);
        if (v->type == AE_IFLNK)
            archive_entry_set_symlink(e, v->data);
        size_t n = v->type == AE_IFREG && v->data ? strlen(v->data) : 0;
        archive_entry_set_size(e, (la_int64_t)n);
        CHECK(archive_write_header(a, e) == ARCHIVE_OK);
        if (n)
            CHECK(archive_write_data(a, v->data, n) == (la_ssize_t)n);
        archive_entry_free(e);
    }
    CHECK(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
    return buf;
}

static int unpack(md_tree *t, const unsigned char *d, size_t n, const md_unpack_opts *o,
                  md_unpack_stats *st, md_err *err)
{
    struct archive *a = archive_read_new();
    archive_read_support_format_cpio(a);
    archive_read_support_format_tar(a);
    archive_read_open_memory(a, d, n);
    int rc = md_unpack_archive(t, a, o, st, err);
    archive_read_free(a);
    return rc;
}

static const char *content(const md_tree *t, const char *path)
{
    static char s[64];
    const md_node *n = md_tree_lookup(t, path);
    size_t len = 0;
    const unsigned char *d = n ? md_node_data(n, &len) : NULL;
    if (!d || len >= sizeof s)
        return NULL;
    memcpy(s, d, len);
    s[len] = '\0';
    return s;
}

static void test_names_and_attributes(void)
{
    const ent v[] = {
        { AE_IFDIR, ".", 0700, NULL, 0, 0, NULL },
        { AE_IFREG, "./a", 04755, "A", 0, 0, NULL },
        { AE_IFREG, "/abs/b", 0600, "B", 0, 0, NULL },
        { AE_IFREG, "c", 0644, "", 0, 0, NULL },
        { AE_IFLNK, "./l", 0777, "a", 0, 0, NULL },
        { AE_IFCHR, "./dev/console", 0600, NULL, 0, 0, NULL },
        { 0, NULL, 0, NULL, 0, 0, NULL },
    };
    size_t n;
    unsigned char *d = make(false, v, &n);
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    md_unpack_opts o = { .origin = "pkg", .label = "data.tar", .clash = MD_CLASH_ERROR };
    md_unpack_stats st = { 0 };
    CHECK(unpack(t, d, n, &o, &st, &e) == 0);
    CHECK(st.entries == 6 && st.bytes == 2);
    CHECK(md_node_attr(md_tree_lookup(t, "/"))->mode == 0700);
    const md_node *a = md_tree_lookup(t, "/a");
    CHECK(a && md_node_attr(a)->mode == 04755 && md_node_attr(a)->uid == 7 &&
          md_node_attr(a)->gid == 8 && md_node_attr(a)->mtime == 1234);
    CHECK_STR(a ? md_node_origin(a) : NULL, "pkg");
    CHECK_STR(content(t, "/abs/b"), "B");
    CHECK_STR(content(t, "/c"), "");
    CHECK(md_tree_lookup(t, "/l") && md_node_type_of(md_tree_lookup(t, "/l")) == MD_NODE_SYMLINK);
    CHECK(md_tree_lookup(t, "/dev/console") &&
          md_node_type_of(md_tree_lookup(t, "/dev/console")) == MD_NODE_CHAR);
    /* the same again: identical entries are no clash; a different file is */
    CHECK(unpack(t, d, n, &o, &st, &e) == 0);
    const ent w[] = { { AE_IFREG, "./a", 04755, "X", 0, 0, NULL }, { 0, NULL, 0, NULL, 0, 0, NULL } };
    size_t wn;
    unsigned char *wd = make(false, w, &wn);
    o.origin = "other";
    CHECK(unpack(t, wd, wn, &o, &st, &e) < 0);
    CHECK_ERR(&e, "data.tar member ./a: /a: conflict: file from pkg and file from other");
    /* with MD_CLASH_REPLACE the later one wins */
    md_err_clear(&e);
    o.clash = MD_CLASH_REPLACE;
    CHECK(unpack(t, wd, wn, &o, &st, &e) == 0);
    CHECK_STR(content(t, "/a"), "X");
    md_tree_free(t);
    free(d);
    free(wd);
}

static void test_refused(void)
{
    const ent v[] = { { AE_IFREG, "./../../etc/x", 0644, "x", 0, 0, NULL },
                      { 0, NULL, 0, NULL, 0, 0, NULL } };
    size_t n;
    unsigned char *d = make(false, v, &n);
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    md_unpack_opts o = { .origin = "pkg", .label = "data.tar" };
    md_unpack_stats st = { 0 };
    CHECK(unpack(t, d, n, &o, &st, &e) < 0);
    CHECK_ERR(&e, "data.tar member ./../../etc/x: /../../etc/x: path contains \"..\"");
    free(d);
    /* garbage: named, no entry */
    md_err_clear(&e);
    CHECK(unpack(t, (const unsigned char *)"garbage garbage", 15, &o, &st, &e) < 0);
    CHECK_ERR(&e, "data.tar: not a readable archive");
    md_tree_free(t);
}

/* Each limit refuses the entry that crosses it, naming stream and member. */
static void test_limits(void)
{
    const ent v[] = {
        { AE_IFREG, "./a/b/c", 0644, "1234", 0, 0, NULL },
        { AE_IFREG, "./d", 0644, "5678", 0, 0, NULL },
        { 0, NULL, 0, NULL, 0, 0, NULL },
    };
    size_t n;
    unsigned char *d = make(false, v, &n);
    static const struct {
        md_unpack_limits l;
        const char *needle;
    } cases[] = {
        { { .entries = 1 }, "lbl member ./d: more than 1 entries" },
        { { .entry_bytes = 3 }, "lbl member ./a/b/c: implausible size 4 (limit 3 bytes)" },
        { { .total_bytes = 6 }, "lbl member ./d: content beyond the limit of 6 bytes" },
        { { .path_bytes = 5 }, "lbl member ./a/b/c: /a/b/c: path of 6 bytes (limit 5)" },
        { { .path_depth = 2 }, "lbl member ./a/b/c: /a/b/c: path 3 levels deep (limit 2)" },
        /* "/a/b/c" and "/d": 8 bytes of names (trial 9g case 6) */
        { { .name_bytes = 7 }, "lbl member ./d: names beyond the limit of 7 bytes in all" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        md_tree *t = md_tree_new(false);
        md_err e = MD_ERR_INIT;
        md_unpack_opts o = { .origin = "p", .label = "lbl", .limits = cases[i].l };
        md_unpack_stats st = { 0 };
        CHECK(unpack(t, d, n, &o, &st, &e) < 0);
        CHECK_ERR(&e, cases[i].needle);
        md_tree_free(t);
    }
    /* exactly at every limit: accepted */
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    md_unpack_opts o = { .origin = "p", .limits = { 4, 8, 2, 6, 3, .name_bytes = 8 } };
    md_unpack_stats st = { 0 };
    CHECK(unpack(t, d, n, &o, &st, &e) == 0);
    md_tree_free(t);
    free(d);
}

/* A tar of one file of `mib` MiB of zeros, through `filter` (an
 * archive_write_add_filter_* code; ARCHIVE_FILTER_NONE for none), written
 * to `path`. */
static void write_zeros(const char *path, int filter, unsigned mib)
{
    static const char zero[1 << 16];
    struct archive *a = archive_write_new();
    archive_write_set_format_cpio_newc(a); /* what the kernel unpacks */
    if (filter != ARCHIVE_FILTER_NONE)
        archive_write_add_filter(a, filter);
    CHECK(archive_write_open_filename(a, path) == ARCHIVE_OK);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, "zeros");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)mib << 20);
    CHECK(archive_write_header(a, e) == ARCHIVE_OK);
    for (unsigned i = 0; i < mib * 16; i++)
        CHECK(archive_write_data(a, zero, sizeof zero) == (la_ssize_t)sizeof zero);
    archive_entry_free(e);
    CHECK(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
}

static bool keep_none(const char *path, uint64_t size)
{
    (void)path;
    (void)size;
    return false;
}

/* The compression ratio is a package's limit, not an image's: a rootfs
 * may hold a file of zeros that gzip packs 1000 to 1 (trial 9d case 09),
 * and is read up to the caps on what it unpacks, which the build holds its
 * own images to (image.h).  Past them, an image is refused naming the
 * limit; an uncompressed one (a plain cpio or tar, a directory) likewise. */
static void test_ratio(void)
{
    char *gz = md_xasprintf("%s/zeros.cpio.gz", tmpdir), *raw = md_xasprintf("%s/zeros.cpio", tmpdir);
    write_zeros(gz, ARCHIVE_FILTER_GZIP, 20);
    write_zeros(raw, ARCHIVE_FILTER_NONE, 20);
    md_err e = MD_ERR_INIT;
    md_tree *t = md_unpack_rootfs(gz, NULL, NULL, NULL, NULL, &e); /* 20 MiB from 20 KB: an image */
    CHECK(t != NULL);
    md_tree_free(t);
    md_unpack_limits pkg = md_unpack_package_limits;
    CHECK(md_unpack_rootfs(gz, &pkg, NULL, NULL, NULL, &e) == NULL); /* a package's ratio */
    CHECK_ERR(&e, "zeros.cpio.gz member zeros: gzip data expands to ");
    CHECK_ERR(&e, "more than the limit of 100 times its compressed size");
    md_err_clear(&e);
    md_unpack_limits small = md_unpack_default_limits;
    small.total_bytes = 8u << 20; /* the total counts content read past (keep) too */
    CHECK(md_unpack_rootfs(gz, &small, keep_none, NULL, NULL, &e) == NULL);
    CHECK_ERR(&e, "zeros.cpio.gz member zeros: content beyond the limit of 8388608 bytes in all");
    md_err_clear(&e);
    small.total_bytes = 0;
    small.stream_bytes = 8u << 20; /* the uncompressed stream of a compressed image */
    CHECK(md_unpack_rootfs(gz, &small, keep_none, NULL, NULL, &e) == NULL);
    CHECK_ERR(&e, "gzip data expands to more than 8388608 bytes (the limit of an uncompressed");
    md_err_clear(&e);
    md_unpack_limits one = { .ratio = 1 };
    t = md_unpack_rootfs(raw, &one, NULL, NULL, NULL, &e);
    CHECK(t != NULL);
    md_tree_free(t);
    /* a sparse file: 8 MiB of holes from a few blocks of tar, refused */
    char *cmd = md_xasprintf("cd %s && printf x >sp && truncate -s 8M sp && "
                             "bsdtar -cf sparse.tar --format pax sp", tmpdir);
    CHECK(system(cmd) == 0);
    free(cmd);
    char *sp = md_xasprintf("%s/sparse.tar", tmpdir);
    unsigned char *spd;
    size_t spn;
    CHECK(md_read_file(sp, &spd, &spn, &e) == 0);
    CHECK(md_unpack_tar("sparse.tar", spd, spn, NULL, NULL, NULL, NULL, &e) == NULL);
    CHECK_ERR(&e, "sparse.tar member sp: a sparse file (refused");
    md_err_clear(&e);
    free(spd);
    /* as a rootfs, a tar is not unpacked at all (the kernel reads newc
     * cpio only): nothing in the tree, and the notes say why */
    md_unpack_notes kn;
    t = md_unpack_rootfs(sp, NULL, NULL, NULL, &kn, &e);
    CHECK(t && md_tree_count(t) == 1 && kn.stop && strstr(kn.stop, "\"no cpio magic\" (a tar"));
    md_tree_free(t);
    md_unpack_notes_free(&kn);
    free(sp);
    md_unpack_limits none = { .entries = 10 }; /* ratio 0: unbounded */
    t = md_unpack_rootfs(gz, &none, NULL, NULL, NULL, &e);
    CHECK(t != NULL);
    md_tree_free(t);
    free(gz);
    free(raw);
}

/* newc keeps a link group's content on its last name: every name gets it,
 * also without MD_CLASH_REPLACE (the file is the archive's own). */
static void test_newc_hardlinks(void)
{
    const ent v[] = {
        { AE_IFREG, "bin/busybox", 0755, NULL, 5, 3, NULL },
        { AE_IFREG, "bin/sh", 0755, NULL, 5, 3, NULL },
        { AE_IFREG, "bin/init", 0755, "BUSYBOX", 5, 3, NULL },
        { 0, NULL, 0, NULL, 0, 0, NULL },
    };
    size_t n;
    unsigned char *d = make(true, v, &n);
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    md_unpack_opts o = { .origin = "img", .clash = MD_CLASH_ERROR };
    md_unpack_stats st = { 0 };
    CHECK(unpack(t, d, n, &o, &st, &e) == 0);
    if (e.set)
        fprintf(stderr, "%s\n", e.msg);
    CHECK_STR(content(t, "/bin/busybox"), "BUSYBOX");
    CHECK_STR(content(t, "/bin/sh"), "BUSYBOX");
    CHECK_STR(content(t, "/bin/init"), "BUSYBOX");
    CHECK(md_tree_lookup(t, "/bin/sh") &&
          md_node_type_of(md_tree_lookup(t, "/bin/sh")) == MD_NODE_HARDLINK);
    md_tree_free(t);
    free(d);
}

/* A pax archive (an 'x' header, so the reader honours a hardlink's size)
 * whose only entry is a hardlink "./x" to ./etc/passwd carrying "pwned".
 * libarchive's writers drop a hardlink's content, so a file entry is
 * written and its ustar header turned into a hardlink's. */
static unsigned char *hardlink_with_content(size_t *len)
{
    struct archive *a = archive_write_new();
    archive_write_set_format_pax(a);
    size_t cap = 1 << 16;
    unsigned char *buf = md_xcalloc(cap, 1);
    archive_write_open_memory(a, buf, cap, len);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, "./x");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, 1234, 500000000); /* a fraction needs the 'x' header */
    archive_entry_set_size(e, 5);
    CHECK(archive_write_header(a, e) == ARCHIVE_OK);
    CHECK(archive_write_data(a, "pwned", 5) == 5);
    archive_entry_free(e);
    CHECK(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
    for (size_t off = 0; off + 512 <= *len; off += 512) {
        unsigned char *h = buf + off;
        if (strcmp((char *)h, "./x") != 0 || h[156] != '0')
            continue;
        h[156] = '1';
        strcpy((char *)h + 157, "./etc/passwd");
        memset(h + 148, ' ', 8);
        unsigned sum = 0;
        for (int i = 0; i < 512; i++)
            sum += h[i];
        snprintf((char *)h + 148, 8, "%06o", sum);
        return buf;
    }
    CHECK(!"no ustar header for ./x");
    return buf;
}

/* A tar hardlink that carries content may not rewrite another origin's
 * file, and may rewrite the archive's own. */
static void test_hardlink_content(void)
{
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    CHECK(md_tree_add_file(t, "/etc/passwd", &(md_attr){ 0644, 0, 0, 0 },
                           (unsigned char *)md_xstrdup("root"), 4, "base", MD_CLASH_ERROR,
                           &e) == 0);
    size_t n;
    unsigned char *d = hardlink_with_content(&n);
    md_unpack_opts o = { .origin = "evil", .label = "data.tar", .clash = MD_CLASH_ERROR };
    md_unpack_stats st = { 0 };
    CHECK(unpack(t, d, n, &o, &st, &e) < 0);
    CHECK_ERR(&e, "data.tar member ./x: /x: hardlink with content for /etc/passwd, which is not "
                  "a file of this archive");
    CHECK_STR(content(t, "/etc/passwd"), "root");
    md_err_clear(&e);
    o.origin = "base";
    CHECK(unpack(t, d, n, &o, &st, &e) == 0);
    CHECK_STR(content(t, "/x"), "pwned");
    CHECK(md_tree_lookup(t, "/x") && md_node_type_of(md_tree_lookup(t, "/x")) == MD_NODE_HARDLINK);
    md_tree_free(t);
    free(d);
}

static void test_sockets(void)
{
    const ent v[] = { { AE_IFSOCK, "./run/s", 0755, NULL, 0, 0, NULL },
                      { AE_IFREG, "./after", 0644, "x", 0, 0, NULL },
                      { 0, NULL, 0, NULL, 0, 0, NULL } };
    size_t n;
    unsigned char *d = make(true, v, &n);
    md_tree *t = md_tree_new(false);
    md_err e = MD_ERR_INIT;
    md_unpack_opts o = { .origin = "img", .label = "lbl", .lenient = true };
    md_unpack_stats st = { 0 };
    CHECK(unpack(t, d, n, &o, &st, &e) == 0);
    CHECK(md_tree_lookup(t, "/after") && !md_tree_lookup(t, "/run/s"));
    o.lenient = false;
    CHECK(unpack(t, d, n, &o, &st, &e) < 0);
    CHECK_ERR(&e, "lbl member ./run/s: unsupported member type");
    md_tree_free(t);
    free(d);
}

static void put(const char *rel, const char *text)
{
    char *p = md_xasprintf("%s/%s", tmpdir, rel);
    md_err e = MD_ERR_INIT;
    CHECK(md_write_atomic(p, text, strlen(text), 0640, &e) == 0);
    free(p);
}

/* A directory, reached through a symlink; symlinks below it are not
 * followed; sockets are left out. */
static void test_rootfs_dir(void)
{
    char *root = md_xasprintf("%s/root", tmpdir), *sub = md_xasprintf("%s/root/etc/x", tmpdir);
    md_err e = MD_ERR_INIT;
    CHECK(md_mkdir_p(sub, 0755, &e) == 0);
    put("root/etc/x/inittab", "hvc0::respawn:/sbin/getty\n");
    char *l = md_xasprintf("%s/root/etc/link", tmpdir), *via = md_xasprintf("%s/via", tmpdir);
    CHECK(symlink("x", l) == 0);
    CHECK(symlink("root", via) == 0);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/root/sock", tmpdir);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    bool na = true;
    md_tree *t = md_unpack_rootfs(via, NULL, NULL, &na, NULL, &e);
    CHECK(t && !na);
    if (e.set)
        fprintf(stderr, "%s\n", e.msg);
    const md_node *n = t ? md_tree_lookup(t, "/etc/x/inittab") : NULL;
    CHECK(n && md_node_attr(n)->mode == 0640);
    CHECK_STR(n ? md_node_origin(n) : NULL, via);
    n = t ? md_tree_lookup(t, "/etc/link") : NULL;
    CHECK(n && md_node_type_of(n) == MD_NODE_SYMLINK);
    CHECK(t && !md_tree_lookup(t, "/sock"));
    md_tree_free(t);
    close(fd);
    free(root);
    free(sub);
    free(l);
    free(via);
}

static void test_rootfs_files(void)
{
    md_err e = MD_ERR_INIT;
    char *p = md_xasprintf("%s/text", tmpdir);
    put("text", "menuentry x {\n}\n");
    bool na = false;
    CHECK(md_unpack_rootfs(p, NULL, NULL, &na, NULL, &e) == NULL);
    CHECK(na);
    CHECK_ERR(&e, p);
    free(p);
    p = md_xasprintf("%s/empty", tmpdir);
    put("empty", "");
    md_err_clear(&e);
    CHECK(md_unpack_rootfs(p, NULL, NULL, &na, NULL, &e) == NULL);
    CHECK_ERR(&e, "empty: empty file");
    free(p);
    md_err_clear(&e);
    CHECK(md_unpack_rootfs("/nonexistent/rootfs.cpio", NULL, NULL, NULL, NULL, &e) == NULL);
    CHECK_ERR(&e, "/nonexistent/rootfs.cpio: cannot open");
    /* a limit given by the caller applies to images */
    const ent v[] = { { AE_IFREG, "big", 0644, "12345", 0, 0, NULL },
                      { 0, NULL, 0, NULL, 0, 0, NULL } };
    size_t n;
    unsigned char *d = make(true, v, &n);
    p = md_xasprintf("%s/small.cpio", tmpdir);
    CHECK(md_write_atomic(p, d, n, 0644, &e) == 0);
    md_err_clear(&e);
    CHECK(md_unpack_rootfs(p, &(md_unpack_limits){ .entry_bytes = 4 }, NULL, &na, NULL, &e) == NULL);
    CHECK(!na);
    CHECK_ERR(&e, "small.cpio member big: implausible size 5");
    md_err_clear(&e);
    md_tree *t = md_unpack_rootfs(p, NULL, NULL, NULL, NULL, &e);
    CHECK_STR(t ? content(t, "/big") : NULL, "12345");
    md_tree_free(t);
    free(p);
    free(d);
}

/* A file made of `n` parts, each a buffer or, when its length is 0, as
 * many zero bytes as the buffer's first byte says; returns its path. */
static char *parts(const char *name, const unsigned char *const *b, const size_t *len, size_t n)
{
    char *p = md_xasprintf("%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    for (size_t i = 0; f && i < n; i++)
        for (size_t k = 0; k < (len[i] ? 1 : b[i][0]); k++)
            fwrite(len[i] ? b[i] : (const unsigned char *)"", 1, len[i] ? len[i] : 1, f);
    CHECK(f && fclose(f) == 0);
    return p;
}

static md_tree *kernel_read(const char *p, md_unpack_notes *kn)
{
    md_err e = MD_ERR_INIT;
    md_tree *t = md_unpack_rootfs(p, NULL, NULL, NULL, kn, &e);
    if (!t)
        fprintf(stderr, "%s\n", e.msg);
    CHECK(t != NULL);
    return t;
}

static bool is_type(const md_tree *t, const char *path, md_node_type ty)
{
    const md_node *n = md_tree_lookup(t, path);
    return n && md_node_type_of(n) == ty;
}

/* An archive is applied as the kernel unpacks an initramfs (Linux
 * init/initramfs.c; trial 10f): each rule on the smallest input. */
/* One decoder reads a compressed stream to its end, however many archives
 * it holds: a first archive larger than a block of decompressed output
 * (64 KiB), then 300 archives of one file each, then junk that stops the
 * kernel ("junk within compressed archive") with every file before it
 * unpacked.  Read again from the start for each archive, this stream cost
 * the 2 GiB of decompression that refused it. */
static void many_in_one_stream(void)
{
    size_t bign = 300000, n;
    char *big = md_xmalloc(bign + 1);
    for (size_t i = 0; i < bign; i++)
        big[i] = (char)('a' + (i * 7919 + i / 13) % 26);
    big[bign] = '\0';
    const ent first[] = { { AE_IFREG, "big", 0644, big, 0, 0, NULL },
                          { AE_IFDIR, "d", 0755, NULL, 0, 0, NULL },
                          { 0, NULL, 0, NULL, 0, 0, NULL } };
    char *p = md_xasprintf("%s/many.cpio", tmpdir);
    FILE *f = fopen(p, "wb");
    unsigned char *a = make(true, first, &n);
    CHECK(f && fwrite(a, 1, n, f) == n);
    free(a);
    for (int i = 0; i < 300; i++) {
        char name[16], data[16];
        snprintf(name, sizeof name, "d/f%d", i);
        snprintf(data, sizeof data, "x%d", i);
        const ent one[] = { { AE_IFREG, name, 0644, data, 0, 0, NULL },
                            { 0, NULL, 0, NULL, 0, 0, NULL } };
        a = make(true, one, &n);
        CHECK(fwrite(a, 1, n, f) == n);
        free(a);
    }
    CHECK(fputs("JUNK", f) >= 0 && fclose(f) == 0);
    char *cmd = md_xasprintf("gzip -n %s", p);
    CHECK(system(cmd) == 0);
    free(cmd);
    char *gz = md_xasprintf("%s.gz", p);
    md_unpack_notes kn;
    md_tree *t = kernel_read(gz, &kn);
    const md_node *b = t ? md_tree_lookup(t, "/big") : NULL;
    size_t bl = 0;
    const unsigned char *bd = b ? md_node_data(b, &bl) : NULL;
    CHECK(bd && bl == bign && !memcmp(bd, big, bign));
    CHECK_STR(t ? content(t, "/d/f0") : NULL, "x0");
    CHECK_STR(t ? content(t, "/d/f299") : NULL, "x299");
    CHECK(t && md_tree_count(t) == 1 + 2 + 300);
    CHECK(kn.stop && strstr(kn.stop, "\"junk within compressed archive\""));
    md_tree_free(t), md_unpack_notes_free(&kn), free(gz), free(p), free(big);
}

static void test_rootfs_kernel(void)
{
    md_unpack_notes kn;
    size_t n1, n2;
    /* no missing parent is made (do_name: filp_open fails, the entry is
     * skipped); the kernel's own /dev and /root are there */
    const ent depth[] = { { AE_IFREG, "etc/inittab", 0644, "x", 0, 0, NULL },
                          { AE_IFDIR, "etc", 0755, NULL, 0, 0, NULL },
                          { AE_IFREG, "dev/keep", 0644, "d", 0, 0, NULL },
                          { AE_IFREG, "root/keep", 0644, "r", 0, 0, NULL },
                          { 0, NULL, 0, NULL, 0, 0, NULL } };
    unsigned char *a = make(true, depth, &n1);
    char *p = parts("depth.cpio", (const unsigned char *[]){ a }, (size_t[]){ n1 }, 1);
    md_tree *t = kernel_read(p, &kn);
    CHECK(t && !md_tree_lookup(t, "/etc/inittab") && is_type(t, "/etc", MD_NODE_DIR));
    CHECK(t && md_tree_lookup(t, "/dev/keep") && md_tree_lookup(t, "/root/keep"));
    CHECK(kn.ndropped == 1 && kn.dropped.n == 1 &&
          !strcmp(kn.dropped.v[0], "/etc/inittab: its directory /etc is not there yet"));
    CHECK(!kn.stop && !kn.replaced.n);
    md_tree_free(t), md_unpack_notes_free(&kn), free(p), free(a);

    /* a parent's symlink is followed (the path walk), and a directory
     * replaces a symlink (clean_path unlinks an entry of another type):
     * what was reached through it is gone */
    const ent base[] = { { AE_IFDIR, "usr", 0755, NULL, 0, 0, NULL },
                         { AE_IFDIR, "usr/etc", 0755, NULL, 0, 0, NULL },
                         { AE_IFDIR, "usr/sbin", 0755, NULL, 0, 0, NULL },
                         { AE_IFREG, "usr/sbin/init", 0755, "init", 0, 0, NULL },
                         { AE_IFLNK, "etc", 0777, "usr/etc", 0, 0, NULL },
                         { AE_IFLNK, "sbin", 0777, "usr/sbin", 0, 0, NULL },
                         { 0, NULL, 0, NULL, 0, 0, NULL } };
    const ent over[] = { { AE_IFREG, "etc/inittab", 0644, "hvc0", 0, 0, NULL },
                         { AE_IFDIR, "sbin", 0755, NULL, 0, 0, NULL },
                         { AE_IFREG, "sbin/extra", 0755, "x", 0, 0, NULL },
                         { 0, NULL, 0, NULL, 0, 0, NULL } };
    a = make(true, base, &n1);
    unsigned char *b = make(true, over, &n2);
    p = parts("overlay.cpio", (const unsigned char *[]){ a, b }, (size_t[]){ n1, n2 }, 2);
    t = kernel_read(p, &kn);
    CHECK_STR(t ? content(t, "/usr/etc/inittab") : NULL, "hvc0");
    CHECK(t && is_type(t, "/etc", MD_NODE_SYMLINK) && is_type(t, "/sbin", MD_NODE_DIR));
    CHECK(t && md_tree_lookup(t, "/sbin/extra") && !md_tree_resolve(t, "/sbin/init"));
    CHECK(kn.replaced.n == 1 && strstr(kn.replaced.v[0], "/sbin: the symlink to usr/sbin is "
                                                         "replaced by a directory"));
    CHECK(!kn.ndropped && !kn.stop);
    md_tree_free(t), md_unpack_notes_free(&kn), free(p), free(b);

    /* the reverse: a symlink over a directory that is not empty is not
     * made (rmdir fails) */
    const ent back[] = { { AE_IFLNK, "usr", 0777, "opt", 0, 0, NULL },
                         { 0, NULL, 0, NULL, 0, 0, NULL } };
    b = make(true, back, &n2);
    p = parts("back.cpio", (const unsigned char *[]){ a, b }, (size_t[]){ n1, n2 }, 2);
    t = kernel_read(p, &kn);
    CHECK(t && is_type(t, "/usr", MD_NODE_DIR) && md_tree_lookup(t, "/usr/sbin/init"));
    CHECK(kn.ndropped == 1 && strstr(kn.dropped.v[0], "/usr: a directory that is not empty"));
    md_tree_free(t), md_unpack_notes_free(&kn), free(p), free(b);

    /* several archives in one compressed stream are all unpacked
     * (flush_buffer), and zero padding before the first is skipped */
    const ent late[] = { { AE_IFREG, "usr/etc/inittab", 0644, "late", 0, 0, NULL },
                         { 0, NULL, 0, NULL, 0, 0, NULL } };
    b = make(true, late, &n2);
    p = parts("two.cpio", (const unsigned char *[]){ a, (const unsigned char *)"\x10", b },
              (size_t[]){ n1, 0, n2 }, 3);
    char *cmd = md_xasprintf("(head -c 512 /dev/zero; gzip -nc %s) >%s.gz", p, p);
    CHECK(system(cmd) == 0);
    free(cmd);
    char *gz = md_xasprintf("%s.gz", p);
    t = kernel_read(gz, &kn);
    CHECK_STR(t ? content(t, "/usr/etc/inittab") : NULL, "late");
    CHECK(t && md_tree_lookup(t, "/usr/sbin/init") && !kn.stop);
    md_tree_free(t), md_unpack_notes_free(&kn), free(p);
    many_in_one_stream();

    /* a later entry of a directory that is there gives it its mode, owner
     * and mtime (do_name: chown, chmod and the mtime apply after mkdir
     * fails); a name longer than PATH_MAX is skipped with its content
     * (do_header), and what follows is read */
    char longname[5000];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    const ent redo[] = { { AE_IFDIR, "srv", 0700, NULL, 0, 0, NULL },
                         { AE_IFREG, longname, 0644, "skipped", 0, 0, NULL },
                         { AE_IFDIR, "srv", 0751, NULL, 0, 0, NULL },
                         { AE_IFREG, "srv/after", 0644, "read", 0, 0, NULL },
                         { 0, NULL, 0, NULL, 0, 0, NULL } };
    unsigned char *rd = make(true, redo, &n2);
    p = parts("redo.cpio", (const unsigned char *[]){ rd }, (size_t[]){ n2 }, 1);
    t = kernel_read(p, &kn);
    const md_node *srv = t ? md_tree_lookup(t, "/srv") : NULL;
    CHECK(srv && md_node_attr(srv)->mode == 0751);
    CHECK_STR(t ? content(t, "/srv/after") : NULL, "read");
    CHECK(t && md_tree_count(t) == 3 && !kn.stop);
    CHECK(kn.ndropped == 1 && strstr(kn.dropped.v[0], "its name is longer than PATH_MAX"));
    md_tree_free(t), md_unpack_notes_free(&kn), free(p), free(rd);

    /* an uncompressed cpio at an offset not a multiple of 4 stops the
     * kernel: after a compressed stream, and after zeros that end an
     * uncompressed one (do_reset: "broken padding") */
    unsigned char *g;
    size_t gn;
    md_err e = MD_ERR_INIT;
    CHECK(md_read_file(gz, &g, &gn, &e) == 0);
    const ent after[] = { { AE_IFREG, "usr/etc/inittab", 0644, "plain", 0, 0, NULL },
                          { 0, NULL, 0, NULL, 0, 0, NULL } };
    free(b);
    b = make(true, after, &n2);
    for (int pad = 0; pad < 4; pad++) {
        char name[32];
        snprintf(name, sizeof name, "unaligned%d.cpio", pad);
        unsigned char zeros[1] = { (unsigned char)pad };
        p = parts(name, (const unsigned char *[]){ g, zeros, b }, (size_t[]){ gn, 0, n2 }, 3);
        t = kernel_read(p, &kn);
        bool aligned = (gn + (size_t)pad) % 4 == 0;
        CHECK(aligned ? !kn.stop
                      : kn.stop && strstr(kn.stop, "invalid magic at start of compressed archive"));
        CHECK(aligned == (t && !strcmp(content(t, "/usr/etc/inittab") ?: "", "plain")));
        md_tree_free(t), md_unpack_notes_free(&kn), free(p);
    }
    p = parts("padding.cpio", (const unsigned char *[]){ a, (const unsigned char *)"\x02", b },
              (size_t[]){ n1, 0, n2 }, 3);
    t = kernel_read(p, &kn);
    CHECK(kn.stop && strstr(kn.stop, "\"broken padding\""));
    CHECK(t && !md_tree_lookup(t, "/usr/etc/inittab"));
    md_tree_free(t), md_unpack_notes_free(&kn), free(p), free(g), free(gz), free(b), free(a);

    /* odc: do_header's "incorrect cpio method used"; nothing unpacked */
    struct archive *w = archive_write_new();
    archive_write_set_format_cpio_odc(w);
    size_t cap = 1 << 16, on = 0;
    unsigned char *odc = md_xmalloc(cap);
    archive_write_open_memory(w, odc, cap, &on);
    struct archive_entry *en = archive_entry_new();
    archive_entry_set_pathname(en, "init");
    archive_entry_set_filetype(en, AE_IFREG);
    archive_entry_set_perm(en, 0755);
    archive_entry_set_size(en, 1);
    CHECK(archive_write_header(w, en) == ARCHIVE_OK && archive_write_data(w, "x", 1) == 1);
    archive_entry_free(en);
    CHECK(archive_write_close(w) == ARCHIVE_OK);
    archive_write_free(w);
    p = parts("odc.cpio", (const unsigned char *[]){ odc }, (size_t[]){ on }, 1);
    t = kernel_read(p, &kn);
    CHECK(t && md_tree_count(t) == 1 && !md_tree_lookup(t, "/init"));
    CHECK(kn.stop && strstr(kn.stop, "byte 0: \"incorrect cpio method used: use -H newc option\""));
    md_tree_free(t), md_unpack_notes_free(&kn), free(p), free(odc);
}

/* trial 9c case 13: `lint --rootfs /` walked into /proc (mounted there)
 * and failed on its links: a file system mounted in a directory tree is
 * not the tree's; its mount point is an empty directory of it. */
static void test_rootfs_dir_mounts(void)
{
    char *root = md_xasprintf("%s/mroot", tmpdir), *mnt = md_xasprintf("%s/mroot/mnt", tmpdir),
         *f = md_xasprintf("%s/mroot/mnt/theirs", tmpdir), *own = md_xasprintf("%s/mroot/own", tmpdir);
    md_err e = MD_ERR_INIT;
    CHECK(md_mkdir_p(mnt, 0755, &e) == 0);
    CHECK(md_write_atomic(own, "x", 1, 0644, &e) == 0);
    if (geteuid() != 0 || mount("tmpfs", mnt, "tmpfs", 0, NULL) != 0) {
        free(root), free(mnt), free(f), free(own);
        return; /* mounting needs root */
    }
    CHECK(md_write_atomic(f, "y", 1, 0644, &e) == 0);
    md_tree *t = md_unpack_rootfs(root, NULL, NULL, NULL, NULL, &e);
    CHECK(t != NULL);
    CHECK(t && md_tree_lookup(t, "/own") && md_tree_lookup(t, "/mnt"));
    CHECK(t && !md_tree_lookup(t, "/mnt/theirs"));
    md_tree_free(t);
    CHECK(umount(mnt) == 0);
    free(root), free(mnt), free(f), free(own);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_names_and_attributes();
    test_refused();
    test_limits();
    test_ratio();
    test_newc_hardlinks();
    test_hardlink_content();
    test_sockets();
    test_rootfs_dir();
    test_rootfs_files();
    test_rootfs_kernel();
    test_rootfs_dir_mounts();
    char *cmd = md_xasprintf("rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
    free(cmd);
    return t_done("test_unpack");
}
