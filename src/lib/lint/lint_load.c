/* lint_load — a rootfs archive or directory into an md_tree
 * (md_lint_load_rootfs; see lint.h). */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "lint/lint_int.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/file.h"

/* More than this per entry is not a rootfs file but a decompression bomb or
 * a corrupt size field. */
#define MAX_ENTRY ((int64_t)1 << 32)

/* "./etc/inittab", "etc/", "/etc" -> "/etc/inittab" ...; NULL for the root. */
static char *norm(const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    while (*p == '/')
        p++;
    if (!*p || !strcmp(p, "."))
        return NULL;
    char *s = md_xasprintf("/%s", p);
    size_t n = strlen(s);
    while (n > 1 && s[n - 1] == '/')
        s[--n] = '\0';
    return s;
}

/* Hardlinks are added once the segment is read: newc keeps a link group's
 * data with its last member, so the file they name gets its content only
 * then, and replacing a file that links already point to would split them. */
typedef struct links {
    md_strv paths, targets;
} links;

static int add_entry(md_tree *t, struct archive *a, struct archive_entry *e, const char *src,
                     links *lk, md_err *err)
{
    char *path = norm(archive_entry_pathname(e) ? archive_entry_pathname(e) : "");
    if (!path)
        return 0;
    md_attr at = { archive_entry_perm(e), (unsigned)archive_entry_uid(e),
                   (unsigned)archive_entry_gid(e), archive_entry_mtime(e) };
    int r = 0;
    bool own = true; /* the error, if any, is ours and names src already */
    const char *hl = archive_entry_hardlink(e);
    int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
    if (size < 0 || size > MAX_ENTRY) {
        r = md_err_set(err, "%s: %s: implausible size %lld", src, path, (long long)size);
        goto out;
    }
    unsigned char *data = NULL;
    if ((hl || archive_entry_filetype(e) == AE_IFREG) && size > 0) {
        data = md_xmalloc((size_t)size);
        la_ssize_t got = 0;
        while (got < size) {
            la_ssize_t n = archive_read_data(a, data + got, (size_t)(size - got));
            if (n <= 0) {
                free(data);
                const char *why = n < 0 ? archive_error_string(a) : NULL;
                r = md_err_set(err, "%s: %s: truncated or corrupt archive (%s)", src, path,
                               why ? why : "data ends early");
                goto out;
            }
            got += n;
        }
    }
    if (hl) {
        char *target = norm(hl);
        if (!target) {
            free(data);
            r = md_err_set(err, "%s: %s: hardlink to the root directory", src, path);
            goto out;
        }
        if (data) {
            const md_node *tn = md_tree_lookup(t, target);
            md_attr ta = tn ? *md_node_attr(tn) : at;
            r = md_tree_add_file(t, target, &ta, data, (size_t)size, src, MD_CLASH_REPLACE, err);
        }
        md_strv_push(&lk->paths, path);
        md_strv_push_own(&lk->targets, target);
        own = false;
        goto out;
    }
    own = false;
    switch (archive_entry_filetype(e)) {
    case AE_IFDIR:
        r = md_tree_add_dir(t, path, &at, src, err);
        break;
    case AE_IFREG:
        r = md_tree_add_file(t, path, &at, data, (size_t)size, src, MD_CLASH_REPLACE, err);
        break;
    case AE_IFLNK:
        r = md_tree_add_symlink(t, path, &at, archive_entry_symlink(e) ? archive_entry_symlink(e) : "",
                                src, MD_CLASH_REPLACE, err);
        break;
    case AE_IFCHR:
    case AE_IFBLK:
    case AE_IFIFO: {
        md_node_type ty = archive_entry_filetype(e) == AE_IFCHR   ? MD_NODE_CHAR
                          : archive_entry_filetype(e) == AE_IFBLK ? MD_NODE_BLOCK
                                                                  : MD_NODE_FIFO;
        md_tree_remove(t, path);
        r = md_tree_add_device(t, path, &at, ty, archive_entry_rdevmajor(e),
                               archive_entry_rdevminor(e), src, err);
        break;
    }
    default: /* sockets: nothing a rootfs can carry */
        break;
    }
out:
    if (r < 0 && !own)
        md_err_prefix(err, "%s", src); /* the tree's messages do not name the archive */
    free(path);
    return r;
}

/* One archive segment at data[0..len).  *consumed: bytes of an uncompressed
 * segment (0 when compressed: its end is unknown and it is taken as the
 * last).  *unknown: libarchive did not recognize the first header. */
static int read_segment(md_tree *t, const char *src, const unsigned char *data, size_t len,
                        size_t *consumed, bool *unknown, md_err *err)
{
    struct archive *a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_tar(a);
    *consumed = 0;
    *unknown = false;
    int r = 0;
    links lk = { { 0 }, { 0 } };
    if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
        *unknown = true;
        r = md_err_set(err, "%s: not a cpio or tar archive (%s)", src,
                       archive_error_string(a) ? archive_error_string(a) : "unreadable");
        goto out;
    }
    struct archive_entry *e;
    for (size_t n = 0;; n++) {
        int s = archive_read_next_header(a, &e);
        if (s == ARCHIVE_EOF)
            break;
        if (s < ARCHIVE_WARN) {
            if (n == 0 && archive_format(a) == 0)
                *unknown = true;
            r = md_err_set(err, "%s: %s (%s)", src,
                           n == 0 ? "not a cpio or tar archive, or a corrupt one"
                                  : "truncated or corrupt archive",
                           archive_error_string(a) ? archive_error_string(a) : "unreadable");
            goto out;
        }
        if (add_entry(t, a, e, src, &lk, err) < 0) {
            r = -1;
            goto out;
        }
    }
    for (size_t i = 0; i < lk.paths.n; i++)
        if (md_tree_add_hardlink(t, lk.paths.v[i], lk.targets.v[i], src, err) < 0) {
            md_err_prefix(err, "%s", src);
            r = -1;
            goto out;
        }
    if (archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE &&
        (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_CPIO)
        *consumed = (size_t)archive_filter_bytes(a, 0);
out:
    archive_read_free(a);
    md_strv_free(&lk.paths);
    md_strv_free(&lk.targets);
    return r;
}

static md_tree *load_archive(const char *path, bool *unknown, md_err *err)
{
    unsigned char *data;
    size_t len;
    *unknown = false;
    if (md_read_file(path, &data, &len, err) < 0)
        return NULL;
    if (!len) {
        free(data);
        md_err_set(err, "%s: empty file", path);
        return NULL;
    }
    md_tree *t = md_tree_new(false);
    size_t off = 0;
    for (int seg = 0; off < len; seg++) {
        /* The kernel skips zero padding between concatenated segments. */
        while (seg && off < len && data[off] == 0)
            off++;
        if (off >= len)
            break;
        size_t used;
        bool unk;
        if (read_segment(t, path, data + off, len - off, &used, &unk, err) < 0) {
            if (seg == 0)
                *unknown = unk;
            md_tree_free(t);
            free(data);
            return NULL;
        }
        if (!used || used > len - off)
            break;
        off += used;
    }
    free(data);
    return t;
}

static int load_dir(md_tree *t, const char *host, const char *img, md_err *err)
{
    DIR *d = opendir(host);
    if (!d)
        return md_err_errno(err, "%s: cannot open directory", host);
    int r = 0;
    struct dirent *de;
    while (r == 0 && (errno = 0, de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *hp = md_xasprintf("%s/%s", host, de->d_name);
        char *ip = md_xasprintf("%s/%s", strcmp(img, "/") ? img : "", de->d_name);
        struct stat st;
        if (lstat(hp, &st) < 0) {
            r = md_err_errno(err, "%s: cannot stat", hp);
        } else {
            md_attr at = { st.st_mode & 07777, st.st_uid, st.st_gid, st.st_mtime };
            if (S_ISDIR(st.st_mode)) {
                r = md_tree_add_dir(t, ip, &at, "dir", err);
                if (r == 0)
                    r = load_dir(t, hp, ip, err);
            } else if (S_ISREG(st.st_mode)) {
                unsigned char *data;
                size_t len;
                r = md_read_file(hp, &data, &len, err);
                if (r == 0)
                    r = md_tree_add_file(t, ip, &at, data, len, "dir", MD_CLASH_ERROR, err);
            } else if (S_ISLNK(st.st_mode)) {
                char buf[4096];
                ssize_t n = readlink(hp, buf, sizeof buf - 1);
                if (n < 0) {
                    r = md_err_errno(err, "%s: cannot read link", hp);
                } else {
                    buf[n] = '\0';
                    r = md_tree_add_symlink(t, ip, &at, buf, "dir", MD_CLASH_ERROR, err);
                }
            } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode)) {
                md_node_type ty = S_ISCHR(st.st_mode)   ? MD_NODE_CHAR
                                  : S_ISBLK(st.st_mode) ? MD_NODE_BLOCK
                                                        : MD_NODE_FIFO;
                r = md_tree_add_device(t, ip, &at, ty, major(st.st_rdev), minor(st.st_rdev),
                                       "dir", err);
            }
        }
        free(hp);
        free(ip);
    }
    if (r == 0 && errno)
        r = md_err_errno(err, "%s: cannot read directory", host);
    closedir(d);
    return r;
}

md_tree *md_lint_load_rootfs2(const char *path, bool *not_archive, md_err *err)
{
    *not_archive = false;
    struct stat st;
    if (stat(path, &st) < 0) {
        md_err_errno(err, "%s: cannot open", path);
        return NULL;
    }
    if (!S_ISDIR(st.st_mode))
        return load_archive(path, not_archive, err);
    md_tree *t = md_tree_new(false);
    if (load_dir(t, path, "/", err) < 0) {
        md_tree_free(t);
        return NULL;
    }
    return t;
}

md_tree *md_lint_load_rootfs(const char *path, md_err *err)
{
    bool na;
    return md_lint_load_rootfs2(path, &na, err);
}
