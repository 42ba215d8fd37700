/* image: the newc writer and its codecs, read back with libarchive.
 *
 * Also a driver for the integration tests and the benchmark until
 * `mkdom0 build` exists:
 *   test_image build OUT CODEC [--sde N] [--level N] [--dir DIR]... [DEB...]
 * loads unpacked directories and/or .debs into one tree (clashes are errors)
 * and writes OUT; prints "entries N cpio N out N load S write S". */
#include "t.h"
#include "packages/deb.h"
#include "image/image.h"
#include "image/tree.h"
#include "core/mem.h"
#include "core/file.h"
#include "core/decomp.h"
#include "image/unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

static char tmpdir[] = "/tmp/test_image.XXXXXX";

/* ---- the driver ---- */

static md_tree *load_tree;
static const char *load_root;
static md_err *load_err;
struct ino_seen {
    dev_t dev;
    ino_t ino;
    char *path;
};
static struct ino_seen *seen;
static size_t nseen;

static int load_one(const char *fpath, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)flag;
    (void)ftw;
    const char *rel = fpath + strlen(load_root);
    char *path = md_xasprintf("/%s", rel[0] == '/' ? rel + 1 : rel);
    md_attr a = { st->st_mode & 07777, st->st_uid, st->st_gid, st->st_mtime };
    int r = 0;
    if (S_ISDIR(st->st_mode)) {
        r = md_tree_add_dir(load_tree, path, &a, "dir", load_err);
    } else if (S_ISREG(st->st_mode)) {
        const char *first = NULL;
        if (st->st_nlink > 1) {
            for (size_t i = 0; i < nseen && !first; i++)
                if (seen[i].dev == st->st_dev && seen[i].ino == st->st_ino)
                    first = seen[i].path;
        }
        if (first) {
            r = md_tree_add_hardlink(load_tree, path, first, "dir", load_err);
        } else {
            unsigned char *d;
            size_t n;
            r = md_read_file(fpath, &d, &n, load_err);
            if (r == 0)
                r = md_tree_add_file(load_tree, path, &a, d, n, "dir", MD_CLASH_ERROR, load_err);
            if (r == 0 && st->st_nlink > 1) {
                seen = md_xrealloc(seen, (nseen + 1) * sizeof *seen);
                seen[nseen++] = (struct ino_seen){ st->st_dev, st->st_ino, md_xstrdup(path) };
            }
        }
    } else if (S_ISLNK(st->st_mode)) {
        char target[4096];
        ssize_t n = readlink(fpath, target, sizeof target - 1);
        if (n < 0) {
            r = md_err_errno(load_err, "%s: readlink", fpath);
        } else {
            target[n] = '\0';
            r = md_tree_add_symlink(load_tree, path, &a, target, "dir", MD_CLASH_ERROR, load_err);
        }
    } else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) || S_ISFIFO(st->st_mode)) {
        md_node_type ty = S_ISCHR(st->st_mode) ? MD_NODE_CHAR : S_ISBLK(st->st_mode) ? MD_NODE_BLOCK
                                                                                    : MD_NODE_FIFO;
        r = md_tree_add_device(load_tree, path, &a, ty, major(st->st_rdev), minor(st->st_rdev),
                               "dir", load_err);
    }
    free(path);
    return r < 0 ? 1 : 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int driver(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s build OUT CODEC [--sde N] [--level N] [--dir DIR]... [DEB...]\n",
                argv[0]);
        return 2;
    }
    md_err err = MD_ERR_INIT;
    md_codec codec;
    if (md_codec_from_name(argv[3], &codec, &err) < 0) {
        fprintf(stderr, "error: %s\n", err.msg);
        return 2;
    }
    int64_t sde = -1;
    int level = 0;
    bool usrmerge = true;
    for (int i = 4; i < argc; i++)
        if (strcmp(argv[i], "--dir") == 0)
            usrmerge = false; /* an unpacked tree already has its own layout */
    md_tree *t = md_tree_new(usrmerge);
    double t0 = now();
    for (int i = 4; i < argc && !err.set; i++) {
        if (strcmp(argv[i], "--sde") == 0 && i + 1 < argc) {
            sde = strtoll(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--level") == 0 && i + 1 < argc) {
            level = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            load_tree = t;
            load_root = argv[++i];
            load_err = &err;
            if (nftw(load_root, load_one, 64, FTW_PHYS) != 0 && !err.set)
                md_err_errno(&err, "%s: cannot walk", load_root);
        } else {
            md_tree_clash clash = MD_CLASH_ERROR;
            md_deb_extract(t, argv[i], NULL, clash, NULL, &err);
        }
    }
    double t1 = now();
    md_image_stats st = { 0, 0, 0 };
    if (!err.set)
        md_image_write(t, argv[2], codec, level, sde, &st, &err);
    double t2 = now();
    md_tree_free(t);
    for (size_t i = 0; i < nseen; i++)
        free(seen[i].path);
    free(seen);
    if (err.set) {
        fprintf(stderr, "error: %s\n", err.msg);
        return 1;
    }
    printf("entries %zu cpio %llu out %llu load %.3f write %.3f\n", st.entries,
           (unsigned long long)st.cpio_bytes, (unsigned long long)st.out_bytes, t1 - t0, t2 - t1);
    return 0;
}

/* ---- unit tests ---- */

static md_tree *sample_tree(void)
{
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    md_attr dir = { 0755, 0, 0, 2000000000 }; /* newer than the epoch below */
    md_attr exe = { 04755, 0, 0, 1000 };
    md_attr cfg = { 0640, 1, 42, 5000 };
    md_attr dev = { 0600, 0, 0, 0 };
    md_tree_add_dir(t, "/etc", &dir, "base", &e);
    md_tree_add_file(t, "/etc/shadow", &cfg, (unsigned char *)md_xstrdup("root:*:"), 7, "base",
                     MD_CLASH_ERROR, &e);
    md_tree_add_file(t, "/bin/busybox", &exe, (unsigned char *)md_xstrdup("ELF-busybox"), 11,
                     "busybox", MD_CLASH_ERROR, &e);
    md_tree_add_hardlink(t, "/bin/sh", "/bin/busybox", "busybox", &e);
    md_tree_add_hardlink(t, "/sbin/init", "/bin/busybox", "busybox", &e);
    md_tree_add_symlink(t, "/sbin/getty", NULL, "../bin/busybox", "busybox", MD_CLASH_ERROR, &e);
    md_tree_add_device(t, "/dev/hvc0", &dev, MD_NODE_CHAR, 229, 0, "mkdom0", &e);
    md_tree_add_device(t, "/dev/fifo", &dev, MD_NODE_FIFO, 0, 0, "mkdom0", &e);
    md_tree_add_file(t, "/empty", &cfg, NULL, 0, "base", MD_CLASH_ERROR, &e);
    /* a name whose header+name length needs padding of every size */
    md_tree_add_file(t, "/p/a", &cfg, (unsigned char *)md_xstrdup("1"), 1, "x", MD_CLASH_ERROR, &e);
    md_tree_add_file(t, "/p/ab", &cfg, (unsigned char *)md_xstrdup("12"), 2, "x", MD_CLASH_ERROR, &e);
    md_tree_add_file(t, "/p/abc", &cfg, (unsigned char *)md_xstrdup("123"), 3, "x", MD_CLASH_ERROR, &e);
    md_tree_add_file(t, "/p/abcd", &cfg, (unsigned char *)md_xstrdup("1234"), 4, "x", MD_CLASH_ERROR, &e);
    CHECK(!e.set);
    if (e.set)
        fprintf(stderr, "%s\n", e.msg);
    return t;
}

struct seen_entry {
    char name[64];
    unsigned mode;
    long long ino, nlink, size, mtime, uid, gid;
    unsigned rmaj, rmin;
    char data[64], hardlink[64], symlink[64];
};

static int read_back(const char *path, struct seen_entry *out, int max)
{
    struct archive *a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_cpio(a);
    if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
        fprintf(stderr, "%s: %s\n", path, archive_error_string(a));
        archive_read_free(a);
        return -1;
    }
    struct archive_entry *e;
    int n = 0, r;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK && n < max) {
        struct seen_entry *s = &out[n++];
        memset(s, 0, sizeof *s);
        snprintf(s->name, sizeof s->name, "%s", archive_entry_pathname(e));
        s->mode = archive_entry_mode(e);
        s->ino = archive_entry_ino64(e);
        s->nlink = archive_entry_nlink(e);
        s->size = archive_entry_size(e);
        s->mtime = archive_entry_mtime(e);
        s->uid = archive_entry_uid(e);
        s->gid = archive_entry_gid(e);
        s->rmaj = archive_entry_rdevmajor(e);
        s->rmin = archive_entry_rdevminor(e);
        if (archive_entry_hardlink(e))
            snprintf(s->hardlink, sizeof s->hardlink, "%s", archive_entry_hardlink(e));
        if (archive_entry_symlink(e))
            snprintf(s->symlink, sizeof s->symlink, "%s", archive_entry_symlink(e));
        la_ssize_t k = archive_read_data(a, s->data, sizeof s->data - 1);
        if (k > 0)
            s->data[k] = '\0';
    }
    if (r != ARCHIVE_EOF && r != ARCHIVE_OK) {
        fprintf(stderr, "%s: %s\n", path, archive_error_string(a));
        n = -1;
    }
    archive_read_free(a);
    return n;
}

static struct seen_entry *find(struct seen_entry *v, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    md_err e = MD_ERR_INIT;
    unsigned char *d = NULL;
    if (md_read_file(path, &d, len, &e) < 0)
        return NULL;
    return d;
}

static bool same_file(const char *a, const char *b)
{
    size_t la, lb;
    unsigned char *x = slurp(a, &la), *y = slurp(b, &lb);
    bool same = x && y && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

static void test_layout(void)
{
    md_tree *t = sample_tree();
    md_err e = MD_ERR_INIT;
    char *out = md_xasprintf("%s/plain.cpio", tmpdir);
    md_image_stats st;
    CHECK(md_image_write(t, out, MD_CODEC_NONE, 0, 1500000000, &st, &e) == 0);
    CHECK(st.entries == md_tree_count(t));
    CHECK(st.cpio_bytes == st.out_bytes);
    CHECK(st.cpio_bytes % 4 == 0);
    /* raw bytes: magic, root as ".", trailer */
    size_t len;
    unsigned char *raw = slurp(out, &len);
    CHECK(raw && len > 110 && memcmp(raw, "070701", 6) == 0);
    CHECK(raw && memcmp(raw + 110, ".", 2) == 0);
    CHECK(raw && memmem(raw, len, "TRAILER!!!", 11) != NULL);
    free(raw);

    struct seen_entry v[64];
    int n = read_back(out, v, 64);
    CHECK(n == (int)md_tree_count(t));
    /* order: the archive lists the tree in its order, no leading "/" */
    int i = 0;
    for (md_node *nd = md_tree_first(t); nd && i < n; nd = md_tree_next(t, nd), i++) {
        const char *p = md_node_path(nd);
        CHECK_STR(v[i].name, strcmp(p, "/") == 0 ? "." : p + 1);
    }
    struct seen_entry *s = find(v, n, "etc/shadow");
    CHECK(s && s->mode == (0100000 | 0640) && s->uid == 1 && s->gid == 42);
    CHECK(s && s->mtime == 5000 && strcmp(s->data, "root:*:") == 0);
    s = find(v, n, "etc");
    CHECK(s && s->mtime == 1500000000); /* clamped */
    s = find(v, n, "dev/hvc0");
    CHECK(s && (s->mode & 0170000) == 0020000 && s->rmaj == 229 && s->rmin == 0);
    s = find(v, n, "dev/fifo");
    CHECK(s && (s->mode & 0170000) == 0010000);
    s = find(v, n, "usr/sbin/getty");
    CHECK(s && strcmp(s->symlink, "../bin/busybox") == 0);
    s = find(v, n, "bin");
    CHECK(s && strcmp(s->symlink, "usr/bin") == 0);
    for (const char *const *p = (const char *const[]){ "p/a", "p/ab", "p/abc", "p/abcd", NULL }; *p; p++) {
        s = find(v, n, *p);
        CHECK(s && s->size == (long long)strlen(*p) - 2);
    }
    /* hardlinks: one inode, nlink 3, the content once, on the last name */
    struct seen_entry *b = find(v, n, "usr/bin/busybox"), *sh = find(v, n, "usr/bin/sh"),
                      *in = find(v, n, "usr/sbin/init");
    CHECK(b && sh && in);
    if (b && sh && in) {
        CHECK(b->ino == sh->ino && sh->ino == in->ino);
        CHECK(b->nlink == 3 && sh->nlink == 3 && in->nlink == 3);
        CHECK(b->mode == (0100000 | 04755));
        /* libarchive reports later names as hardlinks to the first */
        CHECK_STR(sh->hardlink, "usr/bin/busybox");
        CHECK_STR(in->data, "ELF-busybox");
    }
    /* inode numbers are unique across groups */
    s = find(v, n, "etc/shadow");
    CHECK(s && b && s->ino != b->ino);
    md_tree_free(t);
    free(out);
}

/* The raw archive, checked against GNU cpio: hardlinks must come out linked
 * with their content, as the kernel will see them. */
static void test_cpio_tool(void)
{
    md_tree *t = sample_tree();
    md_err e = MD_ERR_INIT;
    char *out = md_xasprintf("%s/tool.cpio", tmpdir);
    CHECK(md_image_write(t, out, MD_CODEC_NONE, 0, 1500000000, NULL, &e) == 0);
    char *cmd = md_xasprintf("cd %s && mkdir x && cd x && cpio -idm --quiet --no-absolute-filenames "
                             "< ../tool.cpio 2>/dev/null; test \"$(stat -c %%h:%%s usr/bin/sh)\" = 3:11"
                             " && test \"$(cat usr/sbin/init)\" = ELF-busybox"
                             " && test usr/bin/sh -ef usr/sbin/init",
                             tmpdir);
    if (system("command -v cpio >/dev/null") == 0)
        CHECK(system(cmd) == 0);
    free(cmd);
    md_tree_free(t);
    free(out);
}

static void test_codecs_and_determinism(void)
{
    md_tree *t = sample_tree();
    md_err e = MD_ERR_INIT;
    /* a large compressible file makes gzip use many blocks */
    size_t big = (5u << 20) + 12345;
    unsigned char *d = md_xmalloc(big);
    uint32_t x = 1;
    for (size_t i = 0; i < big; i++) {
        x = x * 1103515245u + 12345u;
        d[i] = (i / 4096) % 7 == 0 ? (unsigned char)(x >> 24) : (unsigned char)"mkdom0 xen"[i % 10];
    }
    md_attr a = { 0644, 0, 0, 1 };
    CHECK(md_tree_add_file(t, "/big", &a, d, big, "x", MD_CLASH_ERROR, &e) == 0);
    /* and files after it, so that gzip's blocks of whole entries (4 MiB
     * or more) make more than one member */
    for (int k = 0; k < 3; k++) {
        unsigned char *c = md_xmalloc(3u << 20);
        memcpy(c, d + k, 3u << 20);
        char *name = md_xasprintf("/more%d", k);
        CHECK(md_tree_add_file(t, name, &a, c, 3u << 20, "x", MD_CLASH_ERROR, &e) == 0);
        free(name);
    }
    char *none = md_xasprintf("%s/i.cpio", tmpdir);
    CHECK(md_image_write(t, none, MD_CODEC_NONE, 0, 100, NULL, &e) == 0);
    md_codec cs[] = { MD_CODEC_GZIP, MD_CODEC_ZSTD, MD_CODEC_XZ, MD_CODEC_LZ4 };
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
        md_codec c = cs[k];
        char *p1 = md_xasprintf("%s/i1%s", tmpdir, md_codec_suffix(c));
        char *p2 = md_xasprintf("%s/i2%s", tmpdir, md_codec_suffix(c));
        int level = c == MD_CODEC_ZSTD ? 3 : c == MD_CODEC_XZ ? 1 : 0;
        setenv("MKDOM0_THREADS", "1", 1);
        CHECK(md_image_write(t, p1, c, level, 100, NULL, &e) == 0);
        setenv("MKDOM0_THREADS", "3", 1);
        CHECK(md_image_write(t, p2, c, level, 100, NULL, &e) == 0);
        if (e.set)
            fprintf(stderr, "%s\n", e.msg);
        md_err_clear(&e);
        /* same bytes whatever the number of threads */
        CHECK(same_file(p1, p2));
        /* decompresses to exactly the plain archive */
        const char *tool = c == MD_CODEC_GZIP ? "gzip -dc" : c == MD_CODEC_ZSTD ? "zstd -qdc"
                         : c == MD_CODEC_XZ ? "xz -dc" : "lz4 -dc";
        char *cmd = md_xasprintf("%s < %s | cmp -s - %s", tool, p1, none);
        CHECK(system(cmd) == 0);
        free(cmd);
        struct seen_entry v[64];
        CHECK(read_back(p1, v, 64) == (int)md_tree_count(t));
        free(p1);
        free(p2);
    }
    unsetenv("MKDOM0_THREADS");
    /* gzip: several members, each with a deterministic header (no name,
     * mtime 0) and each holding whole entries: the kernel reads a member
     * to its end and refuses one that stops inside an entry ("junk at the
     * end of compressed archive", init/initramfs.c). */
    char *gz = md_xasprintf("%s/i1.gz", tmpdir);
    size_t len, plain_len;
    unsigned char *raw = slurp(gz, &len), *plain = slurp(none, &plain_len);
    CHECK(raw && plain);
    size_t members = 0, off = 0, at = 0, entry = 0;
    while (raw && plain && off < len) {
        CHECK(raw[off] == 0x1f && raw[off + 1] == 0x8b && raw[off + 3] == 0 && raw[off + 4] == 0 &&
              raw[off + 5] == 0 && raw[off + 6] == 0 && raw[off + 7] == 0);
        size_t used, outlen;
        unsigned char *out;
        CHECK(md_decomp_stream_len(gz, raw + off, len - off, 0, &used, NULL, &e) == 0);
        CHECK(md_decomp_head(gz, raw + off, used, plain_len, &out, &outlen, &e) == 0);
        CHECK(at + outlen <= plain_len && memcmp(out, plain + at, outlen) == 0);
        free(out);
        /* the newc entries up to the member's end: it must end on one */
        at += outlen;
        while (entry < at) {
            char f[9] = { 0 };
            memcpy(f, plain + entry + 94, 8); /* c_namesize */
            size_t hn = 110 + strtoul(f, NULL, 16);
            memcpy(f, plain + entry + 54, 8); /* c_filesize */
            entry += ((hn + 3) & ~(size_t)3) + ((strtoul(f, NULL, 16) + 3) & ~(size_t)3);
        }
        CHECK(entry == at);
        off += used;
        members++;
    }
    CHECK(at == plain_len && members >= 2);
    /* mkdom0's own reader (lint, inspect) takes the members as the kernel
     * does, one after another, each read once */
    md_tree *back = md_unpack_rootfs(gz, NULL, NULL, NULL, NULL, &e);
    CHECK(back != NULL);
    size_t got = 0;
    const md_node *last = back ? md_tree_lookup(back, "/more2") : NULL;
    CHECK(last && md_node_data(last, &got) && got == 3u << 20);
    CHECK(back && md_tree_count(back) == md_tree_count(t));
    md_tree_free(back);
    char *cmd = md_xasprintf("gzip -t %s", gz);
    CHECK(system(cmd) == 0);
    free(cmd);
    free(raw);
    free(plain);
    free(gz);
    /* xz for the kernel: CRC32 check (stream flags byte 7 == 0x01) */
    char *xzp = md_xasprintf("%s/i1.xz", tmpdir);
    raw = slurp(xzp, &len);
    CHECK(raw && len > 8 && raw[7] == 0x01);
    free(raw);
    free(xzp);
    /* lz4 for the kernel: legacy frame magic 0x184C2102 */
    char *lz = md_xasprintf("%s/i1.lz4", tmpdir);
    raw = slurp(lz, &len);
    CHECK(raw && len > 4 && raw[0] == 0x02 && raw[1] == 0x21 && raw[2] == 0x4c && raw[3] == 0x18);
    free(raw);
    free(lz);
    free(none);
    md_tree_free(t);
}

static void test_failure_keeps_old(void)
{
    md_tree *t = sample_tree();
    md_err e = MD_ERR_INIT;
    char *out = md_xasprintf("%s/keep.cpio.gz", tmpdir);
    CHECK(md_write_atomic(out, "previous", 8, 0644, &e) == 0);
    CHECK(md_image_write(t, out, MD_CODEC_GZIP, 42, 0, NULL, &e) < 0);
    CHECK_ERR(&e, "level");
    CHECK_ERR(&e, out);
    md_err_clear(&e);
    size_t len;
    unsigned char *raw = slurp(out, &len);
    CHECK(raw && len == 8 && memcmp(raw, "previous", 8) == 0);
    free(raw);
    char *cmd = md_xasprintf("test -z \"$(ls %s | grep tmp)\"", tmpdir);
    CHECK(system(cmd) == 0);
    free(cmd);
    char *bad = md_xasprintf("%s/no/such/dir/x.cpio", tmpdir);
    CHECK(md_image_write(t, bad, MD_CODEC_NONE, 0, 0, NULL, &e) < 0);
    CHECK_ERR(&e, "cannot create");
    md_err_clear(&e);
    md_codec c;
    CHECK(md_codec_from_name("bzip2", &c, &e) < 0);
    CHECK_ERR(&e, "bzip2");
    md_err_clear(&e);
    CHECK(md_codec_from_name("zstd", &c, &e) == 0 && c == MD_CODEC_ZSTD);
    CHECK(md_codec_from_name("gz", &c, &e) < 0); /* the spec's names only */
    md_err_clear(&e);
    /* the table's highest zstd level is the library's */
    CHECK(md_codec_max_level(MD_CODEC_ZSTD) == ZSTD_maxCLevel());
    char *lv = md_xasprintf("%s/lv.cpio.xz", tmpdir);
    CHECK(md_image_write(t, lv, MD_CODEC_XZ, 10, 0, NULL, &e) < 0);
    CHECK_ERR(&e, "xz level 10 out of range 1..9");
    CHECK(access(lv, F_OK) < 0);
    md_err_clear(&e);
    free(lv);
    /* A compressor that fails: its own words are in the error, not on our
     * stderr (the library never prints), and the old image stays.  Real
     * xz, refused the memory its level needs (XZ_DEFAULTS, xz(1)). */
    char *xzout = md_xasprintf("%s/keep.cpio.xz", tmpdir);
    CHECK(md_write_atomic(xzout, "previous", 8, 0644, &e) == 0);
    setenv("XZ_DEFAULTS", "--no-adjust --memlimit-compress=1MiB", 1);
    CHECK(md_image_write(t, xzout, MD_CODEC_XZ, 9, 0, NULL, &e) < 0);
    unsetenv("XZ_DEFAULTS");
    CHECK_ERR(&e, "xz failed (exit 1): xz: Memory usage limit is too low");
    CHECK(e.set && e.msg[strlen(e.msg) - 1] != '\n');
    md_err_clear(&e);
    raw = slurp(xzout, &len);
    CHECK(raw && len == 8 && memcmp(raw, "previous", 8) == 0);
    free(raw);
    free(xzout);
    free(bad);
    free(out);
    md_tree_free(t);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "build") == 0)
        return driver(argc, argv);
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_layout();
    test_cpio_tool();
    test_codecs_and_determinism();
    test_failure_keeps_old();
    char *cmd = md_xasprintf("rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
    free(cmd);
    return t_done("test_image");
}
