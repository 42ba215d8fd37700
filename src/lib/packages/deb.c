/* deb — see deb.h.  Two libarchive readers: the outer one walks the ar
 * members, the inner one reads a tar member through callbacks that pull
 * blocks from the outer one, so decompression streams without copies to
 * disk. */
#include "packages/deb.h"
#include "core/mem.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct member_src {
    struct archive *outer;
    bool failed;
};

static la_ssize_t member_read(struct archive *inner, void *ctx, const void **buf)
{
    struct member_src *m = ctx;
    size_t size;
    la_int64_t off;
    int r = archive_read_data_block(m->outer, buf, &size, &off);
    if (r == ARCHIVE_EOF)
        return 0;
    if (r < ARCHIVE_WARN) {
        m->failed = true;
        archive_set_error(inner, archive_errno(m->outer), "%s",
                          archive_error_string(m->outer) ? archive_error_string(m->outer)
                                                         : "read error");
        return -1;
    }
    return (la_ssize_t)size;
}

/* The error does not name `path`: callers prefix it with what they know
 * (md_deb_extract also the package). */
static struct archive *open_outer(const char *path, md_err *err)
{
    struct archive *a = archive_read_new();
    archive_read_support_format_ar(a);
    if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
        md_err_set(err, "not a readable .deb: %s", archive_error_string(a));
        archive_read_free(a);
        return NULL;
    }
    return a;
}

static struct archive *open_inner(struct member_src *src)
{
    struct archive *in = archive_read_new();
    archive_read_support_filter_all(in);
    archive_read_support_format_tar(in);
    archive_read_support_format_gnutar(in);
    if (archive_read_open(in, src, NULL, member_read, NULL) != ARCHIVE_OK)
        return in; /* the caller reports archive_error_string(in) */
    return in;
}

/* "./usr/bin/x" -> "/usr/bin/x"; "./" -> "/".  Leading "/" is tolerated (the
 * tree roots it anyway); ".." is left for the tree to refuse. */
static char *member_path(const char *name)
{
    while (name[0] == '.' && name[1] == '/')
        name += 2;
    if (strcmp(name, ".") == 0)
        name = "";
    while (*name == '/')
        name++;
    return md_xasprintf("/%s", name);
}

static const char *entry_name(struct archive_entry *e)
{
    const char *p = archive_entry_pathname(e);
    return p ? p : archive_entry_pathname_utf8(e);
}

static int read_content(struct archive *in, struct archive_entry *e, unsigned char **out,
                        size_t *outlen, md_err *err)
{
    size_t cap = archive_entry_size_is_set(e) ? (size_t)archive_entry_size(e) : 1 << 16;
    unsigned char *buf = md_xmalloc(cap ? cap : 1);
    size_t n = 0;
    for (;;) {
        if (n == cap)
            buf = md_xrealloc(buf, cap = cap ? cap * 2 : 4096);
        la_ssize_t r = archive_read_data(in, buf + n, cap - n);
        if (r < 0) {
            free(buf);
            return md_err_set(err, "%s", archive_error_string(in));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (archive_entry_size_is_set(e) && n != (size_t)archive_entry_size(e)) {
        free(buf);
        return md_err_set(err, "truncated (%zu of %lld bytes)", n,
                          (long long)archive_entry_size(e));
    }
    *out = buf;
    *outlen = n;
    return 0;
}

static int add_member(md_tree *t, struct archive *in, struct archive_entry *e, const char *origin,
                      md_tree_clash clash, md_deb_stats *st, md_err *err)
{
    const char *name = entry_name(e);
    if (!name)
        return md_err_set(err, "member with an unreadable name");
    char *path = member_path(name);
    md_attr a = {
        .mode = archive_entry_perm(e) & 07777,
        .uid = (unsigned)archive_entry_uid(e),
        .gid = (unsigned)archive_entry_gid(e),
        .mtime = archive_entry_mtime(e),
    };
    int r;
    const char *hl = archive_entry_hardlink(e);
    if (hl) {
        char *target = member_path(hl);
        r = md_tree_add_hardlink(t, path, target, origin, err);
        free(target);
    } else {
        switch (archive_entry_filetype(e)) {
        case AE_IFDIR:
            r = md_tree_add_dir(t, path, &a, origin, err);
            break;
        case AE_IFREG: {
            unsigned char *data;
            size_t len;
            r = read_content(in, e, &data, &len, err);
            if (r == 0) {
                st->bytes += len;
                r = md_tree_add_file(t, path, &a, data, len, origin, clash, err);
            }
            break;
        }
        case AE_IFLNK: {
            const char *target = archive_entry_symlink(e);
            if (!target)
                target = archive_entry_symlink_utf8(e);
            r = target ? md_tree_add_symlink(t, path, &a, target, origin, clash, err)
                       : md_err_set(err, "symlink without a readable target");
            break;
        }
        case AE_IFCHR:
        case AE_IFBLK:
        case AE_IFIFO: {
            unsigned ft = archive_entry_filetype(e);
            md_node_type ty = ft == AE_IFCHR ? MD_NODE_CHAR : ft == AE_IFBLK ? MD_NODE_BLOCK
                                                                             : MD_NODE_FIFO;
            r = md_tree_add_device(t, path, &a, ty, (unsigned)archive_entry_rdevmajor(e),
                                   (unsigned)archive_entry_rdevminor(e), origin, err);
            break;
        }
        default:
            r = md_err_set(err, "unsupported member type (mode 0%o)",
                           (unsigned)archive_entry_mode(e));
        }
    }
    free(path);
    if (r == 0)
        st->entries++;
    return r;
}

/* Read the ./control file from an open control.tar member. */
static int read_control_member(struct archive *outer, char **control, md_err *err)
{
    struct member_src src = { outer, false };
    struct archive *in = open_inner(&src);
    struct archive_entry *e;
    int r, rc = -1;
    while ((r = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
        const char *n = entry_name(e);
        if (!n || (strcmp(n, "./control") != 0 && strcmp(n, "control") != 0))
            continue;
        unsigned char *data;
        size_t len;
        if (read_content(in, e, &data, &len, err) < 0)
            goto out;
        data = md_xrealloc(data, len + 1);
        data[len] = '\0';
        *control = (char *)data;
        rc = 0;
        goto out;
    }
    if (r == ARCHIVE_EOF)
        md_err_set(err, "control member has no ./control file");
    else
        md_err_set(err, "control member: %s", archive_error_string(in));
out:
    archive_read_free(in);
    return rc;
}

static int extract_data(md_tree *t, struct archive *outer, const char *member, const char *origin,
                        md_tree_clash clash, md_deb_stats *st, md_err *err)
{
    struct member_src src = { outer, false };
    struct archive *in = open_inner(&src);
    struct archive_entry *e;
    int r, rc = 0;
    char *last = NULL;
    while ((r = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
        const char *n = entry_name(e);
        if (add_member(t, in, e, origin, clash, st, err) < 0) {
            md_err_prefix(err, "%s member %s", member, n ? n : "?");
            rc = -1;
            break;
        }
        free(last);
        last = md_xstrdup(n ? n : "?");
    }
    if (rc == 0 && r != ARCHIVE_EOF)
        rc = md_err_set(err, "%s%s%s: %s", member, last ? ", after member " : "", last ? last : "",
                        archive_error_string(in) ? archive_error_string(in) : "read error");
    free(last);
    archive_read_free(in);
    return rc;
}

int md_deb_extract(md_tree *t, const char *path, const char *origin, md_tree_clash clash,
                   md_deb_stats *stats, md_err *err)
{
    md_deb_stats st = { 0, 0 };
    struct archive *outer = open_outer(path, err);
    if (!outer) {
        if (origin)
            md_err_prefix(err, "%s (package %s)", path, origin);
        else
            md_err_prefix(err, "%s", path);
        return -1;
    }
    char *control = NULL, *pkg = NULL;
    bool seen_data = false;
    struct archive_entry *e;
    int r, rc = 0;
    while (rc == 0 && (r = archive_read_next_header(outer, &e)) == ARCHIVE_OK) {
        const char *n = archive_entry_pathname(e);
        if (!n)
            continue;
        if (!origin && strncmp(n, "control.tar", 11) == 0) {
            if (read_control_member(outer, &control, err) < 0) {
                rc = -1;
                break;
            }
            pkg = md_deb_field(control, "Package");
        } else if (strncmp(n, "data.tar", 8) == 0) {
            if (seen_data) {
                rc = md_err_set(err, "second data member %s", n);
                break;
            }
            seen_data = true;
            rc = extract_data(t, outer, n, origin ? origin : pkg ? pkg : path, clash, &st, err);
        }
    }
    if (rc == 0 && r != ARCHIVE_EOF)
        rc = md_err_set(err, "%s", archive_error_string(outer) ? archive_error_string(outer)
                                                               : "read error");
    if (rc == 0 && !seen_data)
        rc = md_err_set(err, "no data.tar member");
    if (rc < 0)
        md_err_prefix(err, "%s (package %s)", path, origin ? origin : pkg ? pkg : "?");
    archive_read_free(outer);
    free(control);
    free(pkg);
    if (stats)
        *stats = st;
    return rc;
}

int md_deb_control(const char *path, char **control, md_err *err)
{
    struct archive *outer = open_outer(path, err);
    if (!outer) {
        md_err_prefix(err, "%s", path);
        return -1;
    }
    struct archive_entry *e;
    int r, rc = -1;
    while ((r = archive_read_next_header(outer, &e)) == ARCHIVE_OK) {
        const char *n = archive_entry_pathname(e);
        if (n && strncmp(n, "control.tar", 11) == 0) {
            rc = read_control_member(outer, control, err);
            break;
        }
    }
    if (rc < 0 && !err->set)
        md_err_set(err, "%s", r == ARCHIVE_EOF ? "no control.tar member"
                                               : archive_error_string(outer));
    if (rc < 0)
        md_err_prefix(err, "%s", path);
    archive_read_free(outer);
    return rc;
}

char *md_deb_field(const char *control, const char *field)
{
    size_t fl = strlen(field);
    for (const char *l = control; l && *l;) {
        const char *eol = strchr(l, '\n');
        if (strncasecmp(l, field, fl) == 0 && l[fl] == ':') {
            const char *v = l + fl + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            /* continuation lines start with a space or tab */
            const char *end = eol;
            while (end && (end[1] == ' ' || end[1] == '\t'))
                end = strchr(end + 1, '\n');
            size_t n = end ? (size_t)(end - v) : strlen(v);
            char *s = strndup(v, n);
            while (n && isspace((unsigned char)s[n - 1]))
                s[--n] = '\0';
            return s;
        }
        l = eol ? eol + 1 : NULL;
    }
    return NULL;
}
