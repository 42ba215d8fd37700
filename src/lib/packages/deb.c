/* deb — see deb.h.  Two libarchive readers: the outer one walks the ar
 * members, the inner one reads a tar member through callbacks that pull
 * blocks from the outer one, so decompression streams without copies to
 * disk. */
#include "packages/deb.h"
#include "core/mem.h"
#include "image/unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

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
    archive_read_open(in, src, NULL, member_read, NULL); /* a failure shows at the first header */
    return in;
}

static int extract_data(md_tree *t, struct archive *outer, const char *member, const char *origin,
                        md_tree_clash clash, md_unpack_stats *st, md_err *err)
{
    struct member_src src = { outer, false };
    struct archive *in = open_inner(&src);
    /* The index's size and hash say the .deb is the archive's, not that it
     * is harmless: a package is read with the limits of any other archive. */
    md_unpack_opts o = { .origin = origin, .label = member, .clash = clash,
                         .limits = md_unpack_default_limits };
    int rc = md_unpack_archive(t, in, &o, st, err);
    archive_read_free(in);
    return rc;
}

int md_deb_extract(md_tree *t, const char *path, const char *origin, md_tree_clash clash,
                   md_unpack_stats *stats, md_err *err)
{
    md_unpack_stats st = { 0, 0 };
    struct archive *outer = open_outer(path, err);
    if (!outer) {
        md_err_prefix(err, "%s (package %s)", path, origin);
        return -1;
    }
    bool seen_data = false;
    struct archive_entry *e;
    int r, rc = 0;
    while (rc == 0 && (r = archive_read_next_header(outer, &e)) == ARCHIVE_OK) {
        const char *n = archive_entry_pathname(e);
        if (!n || strncmp(n, "data.tar", 8) != 0)
            continue;
        if (seen_data) {
            rc = md_err_set(err, "second data member %s", n);
            break;
        }
        seen_data = true;
        rc = extract_data(t, outer, n, origin, clash, &st, err);
    }
    if (rc == 0 && r != ARCHIVE_EOF)
        rc = md_err_set(err, "%s", archive_error_string(outer) ? archive_error_string(outer)
                                                               : "read error");
    if (rc == 0 && !seen_data)
        rc = md_err_set(err, "no data.tar member");
    if (rc < 0)
        md_err_prefix(err, "%s (package %s)", path, origin);
    archive_read_free(outer);
    if (stats)
        *stats = st;
    return rc;
}
