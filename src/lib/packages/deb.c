/* deb — see deb.h.  A libarchive reader walks the ar members; the data
 * member's blocks are pulled from it by core/decomp, whose output the tar
 * reader (image/unpack) reads, so decompression streams without copies to
 * disk. */
#include "packages/deb.h"
#include "core/dirs.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "image/image.h"
#include "image/unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

/* The current ar member's blocks, for core/decomp. */
static int member_pull(void *ctx, const void **buf, size_t *len, md_err *err)
{
    struct archive *outer = ctx;
    la_int64_t off;
    int r = archive_read_data_block(outer, buf, len, &off);
    if (r == ARCHIVE_EOF)
        *len = 0;
    else if (r < ARCHIVE_WARN)
        return md_err_set(err, "%s", archive_error_string(outer) ? archive_error_string(outer)
                                                                 : "read error");
    return 0;
}

/* The error does not name `path`: callers prefix it with what they know
 * (md_deb_extract also the package). */
static struct archive *open_outer(int fd, md_err *err)
{
    struct archive *a = archive_read_new();
    archive_read_support_format_ar(a);
    if (lseek(fd, 0, SEEK_SET) < 0 || archive_read_open_fd(a, fd, 1 << 16) != ARCHIVE_OK) {
        md_err_set(err, "not a readable .deb: %s", archive_error_string(a));
        archive_read_free(a);
        return NULL;
    }
    return a;
}

/* deb(5)'s compressions: a member's name suffix and the codec, as core/decomp
 * names it, of what it holds.  dpkg-deb picks its decompressor by the
 * suffix, so a member whose bytes are in another codec is one dpkg cannot
 * read (and mkdom0, which tells codecs by magic, would). */
static const struct {
    const char *ext, *codec;
    bool control; /* allowed for control.tar too (deb(5): no bzip2, lzma) */
} deb_codecs[] = { { "", "none", true },      { ".gz", "gzip", true },     { ".xz", "xz", true },
                   { ".zst", "zstd", true },  { ".bz2", "bzip2", false }, { ".lzma", "lzma", false } };

/* The codec `name` ("data.tar.xz") says, after `base` ("data.tar"); NULL
 * when deb(5) names no such member. */
static const char *member_codec(const char *name, const char *base, bool control)
{
    size_t n = strlen(base);
    if (strncmp(name, base, n) != 0)
        return NULL;
    for (size_t i = 0; i < sizeof deb_codecs / sizeof *deb_codecs; i++)
        if (!strcmp(name + n, deb_codecs[i].ext) && (deb_codecs[i].control || !control))
            return deb_codecs[i].codec;
    return NULL;
}

/* Decompressed bytes a data member may hold after its tar's end: tar pads
 * to its record size (10 KiB by default); more is a hiding place, or a
 * bomb whose output the tar reader never asked for. */
#define AFTER_TAR_MAX (1u << 20)

/* The tar `dec` gives out (the data member, or its cached copy) into `t`,
 * named `member` in errors.  `codec` (NULL: not checked) is the codec the
 * member's name promises: its bytes must be in it, and the compressed
 * stream(s) must run to the member's end (dec is MD_DECOMP_STRICT), as
 * dpkg-deb's decompressor reads them: garbage after a gzip stream made
 * dpkg-deb fail ("internal gzip read error") and was installed here
 * (trial 9f case 8). */
static int extract_data(md_tree *t, md_decomp_reader *dec, const char *member, const char *codec,
                        const char *origin, md_tree_clash clash, md_unpack_stats *st, md_err *err)
{
    /* The index's size and hash say the .deb is the archive's, not that it
     * is harmless: a package is read with the limits of any other archive. */
    md_unpack_opts o = { .origin = origin, .label = member, .clash = clash,
                         .limits = md_unpack_package_limits };
    int rc = md_unpack_decomp(t, dec, &o, st, err);
    /* what the tar reader left: the stream's padding and its end */
    unsigned char *sink = rc == 0 ? md_xmalloc(1 << 16) : NULL;
    for (uint64_t after = 0; rc == 0;) {
        ssize_t got = md_decomp_reader_read(dec, sink, 1 << 16, err);
        if (got <= 0) {
            rc = (int)got;
            break;
        }
        if ((after += (uint64_t)got) > AFTER_TAR_MAX)
            rc = md_err_set(err, "%s: more than %u bytes after the end of its tar archive", member,
                            AFTER_TAR_MAX);
    }
    free(sink);
    if (rc == 0 && codec && strcmp(md_decomp_reader_codec_name(dec), codec) != 0)
        rc = md_err_set(err, "%s holds %s data, not %s as its name says (dpkg-deb reads it as "
                             "its name says)", member, md_decomp_reader_codec_name(dec), codec);
    md_decomp_reader_free(dec);
    return rc;
}

/* The first line of the debian-binary member (deb(5)): format "2.MINOR";
 * a later minor and more lines are for readers to ignore, another major
 * is a format this reader does not know. */
static int check_version(struct archive *outer, md_err *err)
{
    char line[64];
    la_ssize_t n = archive_read_data(outer, line, sizeof line - 1);
    if (n < 0)
        return md_err_set(err, "debian-binary: %s", archive_error_string(outer));
    line[n] = '\0';
    char *nl = strchr(line, '\n');
    if (nl)
        *nl = '\0';
    size_t minor = strspn(line + 2, "0123456789");
    if (!nl || strncmp(line, "2.", 2) != 0 || minor == 0 || line[2 + minor])
        return md_err_set(err, "debian-binary: format '%.20s', not 2.x (deb(5))", line);
    return 0;
}

/* Open the .deb at `path` for reading; with `sha256`, only when it is
 * root's or the caller's and writable by no one else (its owner could
 * rewrite it in place) and its bytes have that SHA-256.  The caller reads
 * the very fd that was hashed: the .deb is never opened again by path
 * after its check, so a file swapped in between (trial 9c) is not read. */
static int open_deb(const char *path, const char *sha256, const char *origin, md_err *err)
{
    struct stat st;
    int fd = md_open_regular_flags(path, 0, &st, err);
    if (fd < 0 || !sha256)
        return fd;
    char hex[65];
    int rc = 0;
    if (st.st_uid != 0 && st.st_uid != geteuid())
        rc = md_err_set(err, "%s belongs to user %u, who could rewrite the package after its check",
                        path, (unsigned)st.st_uid);
    else if (rc == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)))
        rc = md_err_set(err, "%s is writable by others, who could rewrite the package after its "
                             "check", path);
    if (rc == 0)
        rc = md_sha256_fd(fd, path, hex, err);
    if (rc == 0 && strcmp(hex, sha256) != 0)
        rc = md_err_set(err, "%s (package %s): SHA-256 %s, but the signed index says %s: the file "
                             "changed after it was fetched and checked; refused",
                        path, origin, hex, sha256);
    if (rc < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The ar members in deb(5)'s order, as dpkg-deb reads them: debian-binary
 * (format 2.x) first; then control.tar[.gz|.xz|.zst] and then
 * data.tar[.gz|.xz|.zst|.bz2|.lzma], each once, with only members named
 * "_..." (for readers to skip) before or between them; members after
 * data.tar are skipped, but another control or data member there is
 * refused too: which one a reader takes is where tools would differ.
 * dpkg-deb refuses two control members ("giving up") and a member out of
 * this order; a second control member was installed here (trial 9f case 8). */
static int extract_fd(md_tree *t, int fd, const char *path, const char *origin,
                      md_tree_clash clash, md_unpack_stats *stats, md_err *err)
{
    md_unpack_stats st = { 0 };
    struct archive *outer = open_outer(fd, err);
    enum { WANT_VERSION, WANT_CONTROL, WANT_DATA, AFTER_DATA } at = WANT_VERSION;
    struct archive_entry *e;
    int r = ARCHIVE_EOF, rc = outer ? 0 : -1;
    while (rc == 0 && (r = archive_read_next_header(outer, &e)) == ARCHIVE_OK) {
        const char *n = archive_entry_pathname(e);
        n = n ? n : "";
        bool control = !strncmp(n, "control.tar", 11), data = !strncmp(n, "data.tar", 8);
        if (at == WANT_VERSION) {
            rc = strcmp(n, "debian-binary")
                     ? md_err_set(err, "first member '%s', not debian-binary: not a Debian binary "
                                       "package (deb(5))", n)
                     : check_version(outer, err);
            at = WANT_CONTROL;
        } else if (control && at != WANT_CONTROL) {
            rc = md_err_set(err, "second control member %s (deb(5): one control.tar)", n);
        } else if (data && at == AFTER_DATA) {
            rc = md_err_set(err, "second data member %s", n);
        } else if (n[0] == '_' || at == AFTER_DATA) {
            continue; /* deb(5): for readers to skip */
        } else if (control) {
            if (!member_codec(n, "control.tar", true))
                rc = md_err_set(err, "control member %s: deb(5) names control.tar, .gz, .xz or .zst", n);
            at = WANT_DATA;
        } else if (!data || at == WANT_CONTROL) {
            rc = md_err_set(err, "member '%s' before %s: deb(5) allows only debian-binary, "
                                 "control.tar.*, data.tar.* in this order (and members named _*)",
                            n, at == WANT_CONTROL ? "control.tar" : "data.tar");
        } else {
            const char *codec = member_codec(n, "data.tar", false);
            if (!codec)
                rc = md_err_set(err, "data member %s: deb(5) names data.tar, .gz, .xz, .zst, .bz2 "
                                     "or .lzma", n);
            else
                rc = extract_data(t, md_decomp_reader_new(n, member_pull, outer,
                                                          MD_DECOMP_OTHERS | MD_DECOMP_STRICT),
                                  n, codec, origin, clash, &st, err);
            at = AFTER_DATA;
        }
    }
    if (rc == 0 && r != ARCHIVE_EOF)
        rc = md_err_set(err, "%s", archive_error_string(outer) ? archive_error_string(outer)
                                                               : "read error");
    if (rc == 0 && at != AFTER_DATA)
        rc = md_err_set(err, "no %s member", at == WANT_DATA ? "data.tar" : "control.tar");
    if (rc < 0)
        md_err_prefix(err, "%s (package %s)", path, origin);
    archive_read_free(outer);
    if (stats && outer)
        *stats = st;
    return rc;
}

int md_deb_extract(md_tree *t, const char *path, const char *origin, md_tree_clash clash,
                   md_unpack_stats *stats, md_err *err)
{
    int fd = open_deb(path, NULL, origin, err);
    if (fd < 0) {
        md_err_prefix(err, "package %s", origin);
        return -1;
    }
    int rc = extract_fd(t, fd, path, origin, clash, stats, err);
    close(fd);
    return rc;
}

/* ---- the cache of decompressed data members ---- */

/* The data member names dpkg-deb writes (deb(5)). */
static const char *const data_members[] = { "data.tar.xz", "data.tar.zst", "data.tar.gz",
                                            "data.tar", "data.tar.bz2", "data.tar.lzma" };

/* Held shared by every store of an entry in `dir` (the unpacked cache), so
 * that one run holding it exclusively knows any temporary there is from a
 * run that died.  -1 when it cannot be had (the store then goes on: a
 * leftover costs only disk space). */
static int cache_lock(const char *dir, int how)
{
    char *lp = md_xasprintf("%s/.lock", dir);
    md_err quiet = MD_ERR_INIT;
    int fd = md_file_open_lock(AT_FDCWD, lp, lp, &quiet);
    free(lp);
    if (fd >= 0 && flock(fd, how) < 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

void md_deb_cache_clean(const char *cache_dir)
{
    char *dir = md_cache_path(cache_dir, "unpacked");
    struct stat st;
    int lock = stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? cache_lock(dir, LOCK_EX | LOCK_NB) : -1;
    DIR *d = lock >= 0 ? opendir(dir) : NULL;
    for (struct dirent *e; d && (e = readdir(d));)
        if (strstr(e->d_name, ".zst.mkdom0-"))
            unlinkat(dirfd(d), e->d_name, 0);
    if (d)
        closedir(d);
    if (lock >= 0)
        close(lock);
    free(dir);
}

/* Copy the decompressed data member of `path`, at most `max` bytes, into a
 * zstd file at CACHE/SHA.MEMBER.zst, with zstd's content checksum (XXH64 of
 * the tar, RFC 8878 3.1.1) for md_deb_extract_cached to check.  Only after
 * the .deb was extracted whole, so its member is known to be within the
 * limits. */
static int cache_store(int deb_fd, const char *path, const char *dir, const char *sha256,
                       uint64_t max, md_err *err)
{
    struct archive *outer = open_outer(deb_fd, err);
    if (!outer)
        return -1;
    int lock = cache_lock(dir, LOCK_SH);
    struct archive_entry *e;
    const char *member = NULL;
    while (archive_read_next_header(outer, &e) == ARCHIVE_OK) {
        const char *n = archive_entry_pathname(e);
        for (size_t i = 0; n && !member && i < sizeof data_members / sizeof *data_members; i++)
            if (strcmp(n, data_members[i]) == 0)
                member = data_members[i];
        if (member)
            break;
    }
    if (!member) {
        archive_read_free(outer);
        return md_err_set(err, "%s: no data member dpkg-deb names", path);
    }
    md_decomp_reader *in = md_decomp_reader_new(member, member_pull, outer, MD_DECOMP_OTHERS);
    char *dest = md_xasprintf("%s/%s.%s.zst", dir, sha256, member), *tmp = NULL;
    int fd = md_file_create_tmp(dest, &tmp, err), rc = fd < 0 ? -1 : 0;
    ZSTD_CCtx *z = ZSTD_createCCtx();
    /* Level 3 (zstd's default): about 1.5x the xz size, 1 GB/s to read. */
    ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 1);
    uint64_t total = 0;
    unsigned char *buf = md_xmalloc(1 << 16);
    for (bool last = false; rc == 0 && !last;) {
        ssize_t got = md_decomp_reader_read(in, buf, 1 << 16, err);
        if (got < 0) {
            md_err_prefix(err, "%s", path);
            rc = -1;
            break;
        }
        size_t size = (size_t)got;
        last = size == 0;
        if ((total += size) > max) {
            rc = md_err_set(err, "%s: %s: more than %llu bytes", path, member,
                            (unsigned long long)max);
            break;
        }
        rc = md_image_zstd_step(z, buf, size, last, fd, tmp, NULL, err);
    }
    ZSTD_freeCCtx(z);
    free(buf);
    md_decomp_reader_free(in);
    archive_read_free(outer);
    if (rc == 0)
        rc = md_file_commit(fd, tmp, dest, 0644, err);
    else if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    if (lock >= 0)
        close(lock);
    free(tmp);
    free(dest);
    return rc;
}

/* Whether the zstd frame that starts the file at `c` carries a content
 * checksum: one without it was not written by cache_store (by hand, or by
 * mkdom0 before it stored one), and could hold anything undetected. */
static bool has_checksum(const char *c)
{
    unsigned char h[5];
    struct stat st;
    md_err quiet = MD_ERR_INIT;
    int fd = md_open_regular_flags(c, 0, &st, &quiet);
    ssize_t n = fd >= 0 ? read(fd, h, sizeof h) : -1;
    if (fd >= 0)
        close(fd);
    /* RFC 8878 3.1.1: the magic 28 b5 2f fd, then the frame header
     * descriptor, whose bit 2 is Content_Checksum_flag */
    return n == 5 && !memcmp(h, "\x28\xb5\x2f\xfd", 4) && (h[4] & 4);
}

/* The cached copy `c` of `member` into `t`, read to its end, so that its
 * checksum is checked (the tar ends before the frame does). */
static int extract_cached(md_tree *t, const char *c, const char *member, const char *origin,
                          md_tree_clash clash, md_unpack_stats *st, md_err *err)
{
    md_decomp_reader *in = md_decomp_reader_file(c, 0, err);
    if (!in)
        return -1;
    md_unpack_opts o = { .origin = origin, .label = member, .clash = clash,
                         .limits = md_unpack_package_limits };
    int rc = md_unpack_decomp(t, in, &o, st, err);
    unsigned char rest[4096];
    for (ssize_t n = 1; rc == 0 && n > 0;)
        if ((n = md_decomp_reader_read(in, rest, sizeof rest, err)) < 0)
            rc = -1;
    md_decomp_reader_free(in);
    return rc;
}

/* Whether the cached copy at `c` decodes whole with its checksum right. */
static bool cached_intact(const char *c)
{
    md_err quiet = MD_ERR_INIT;
    md_decomp_reader *in = md_decomp_reader_file(c, 0, &quiet);
    unsigned char buf[1 << 16];
    ssize_t n = in ? 1 : -1;
    while (n > 0)
        n = md_decomp_reader_read(in, buf, sizeof buf, &quiet);
    md_decomp_reader_free(in);
    return n == 0;
}

/* An entry is a regular file mkdom0 wrote; a symlink, FIFO, device or
 * socket at its name (planted, or left by a restore) is not read, and
 * kept would make cache_store's rename refuse it on every build, so the
 * package were unpacked from its .deb each time, without a word (trial
 * 9m).  The name is removed, not what it points at: unlink never follows
 * a symlink, and the directory is the caller's own (md_cache_prepare). */
static void drop_foreign_entry(const char *c)
{
    struct stat ls;
    if (lstat(c, &ls) == 0 && !S_ISREG(ls.st_mode) && !S_ISDIR(ls.st_mode))
        unlink(c);
}

static bool is_sha256(const char *s)
{
    size_t n = 0;
    for (; s && s[n]; n++)
        if (!isxdigit((unsigned char)s[n]) || isupper((unsigned char)s[n]))
            return false;
    return n == 64;
}

int md_deb_extract_cached(md_tree *t, const char *path, const char *sha256, const char *cache_dir,
                          const char *origin, md_tree_clash clash, md_unpack_stats *stats,
                          md_err *err)
{
    if (!is_sha256(sha256))
        return md_deb_extract(t, path, origin, clash, stats, err);
    char *dir = md_cache_path(cache_dir, "unpacked");
    md_err quiet = MD_ERR_INIT;
    /* One another user may write is refused, as debs/ and indexes/ are
     * (and its parents checked before it is made). */
    if (md_cache_prepare(cache_dir, "unpacked", err) < 0) {
        free(dir);
        return -1;
    }
    for (size_t i = 0; i < sizeof data_members / sizeof *data_members; i++) {
        char *c = md_xasprintf("%s/%s.%s.zst", dir, sha256, data_members[i]);
        drop_foreign_entry(c);
        if (!md_is_file(c) || md_file_check_trusted(c, false, "", &quiet) < 0) {
            free(c);
            continue;
        }
        if (!has_checksum(c)) { /* read from the .deb, and stored again */
            unlink(c);
            free(c);
            break;
        }
        md_unpack_stats st = { 0 };
        int rc = extract_cached(t, c, data_members[i], origin, clash, &st, err);
        /* A copy that does not decode whole, or whose checksum is wrong
         * (a disk error, a partial restore: trial 9g case 1), is not the
         * package's: it goes, and the caller starts again from the .debs.
         * Otherwise the error is the package's, in the same words as from
         * the .deb: the entry holds the same member. */
        if (rc < 0 && !cached_intact(c)) {
            unlink(c);
            md_err_prefix(err, "%s: the unpacked copy of %s (package %s) is damaged, and was "
                               "removed", c, path, origin);
            rc = MD_DEB_CACHE_DROPPED;
        } else if (rc < 0)
            md_err_prefix(err, "%s (package %s)", path, origin);
        free(c);
        free(dir);
        if (stats)
            *stats = st;
        return rc;
    }
    md_unpack_stats st = { 0 };
    int fd = open_deb(path, sha256, origin, err);
    if (fd < 0) {
        free(dir);
        return -1;
    }
    int rc = extract_fd(t, fd, path, origin, clash, &st, err);
    /* The tar is the content plus a 512-byte header and up to 511 bytes of
     * padding per entry, and long names: twice that bounds it. */
    if (rc == 0)
        cache_store(fd, path, dir, sha256,
                    2 * (st.bytes + (uint64_t)st.entries * 1024) + (1 << 20), &quiet);
    close(fd);
    free(dir);
    if (stats)
        *stats = st;
    return rc;
}
