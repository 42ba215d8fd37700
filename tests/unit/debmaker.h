/* debmaker — build small (and hostile) .deb files for tests with libarchive:
 * an ar archive of debian-binary, control.tar.gz and data.tar.FILTER whose
 * members are given as lines:
 *     d PATH MODE                 directory
 *     f PATH MODE CONTENT         regular file (CONTENT without spaces)
 *     l PATH TARGET               symlink
 *     h PATH TARGET               hardlink to an earlier member
 *     c PATH MAJOR MINOR          char device 0600
 *     z PATH MIB                  regular file of MIB MiB of zeros (written in
 *                                 pieces: a decompression bomb costs no memory)
 * PATH is written as given ("./usr/bin/x", "./../../etc/x", ...).
 * Header-only: included by test_deb.c (its unit tests and its `mkdeb`
 * driver for the integration tests). */
#ifndef DEBMAKER_H
#define DEBMAKER_H

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct dm_buf {
    unsigned char *p;
    size_t n, cap;
};

static la_ssize_t dm_write_cb(struct archive *a, void *ctx, const void *buf, size_t len)
{
    (void)a;
    struct dm_buf *b = ctx;
    if (b->n + len > b->cap) {
        b->cap = (b->n + len) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, buf, len);
    b->n += len;
    return (la_ssize_t)len;
}

static int dm_open_cb(struct archive *a, void *ctx) { (void)a; (void)ctx; return ARCHIVE_OK; }
static int dm_close_cb(struct archive *a, void *ctx) { (void)a; (void)ctx; return ARCHIVE_OK; }

static struct archive *dm_tar_new(struct dm_buf *out, const char *filter)
{
    struct archive *a = archive_write_new();
    archive_write_set_format_gnutar(a);
    if (strcmp(filter, "xz") == 0)
        archive_write_add_filter_xz(a);
    else if (strcmp(filter, "zst") == 0)
        archive_write_add_filter_zstd(a);
    else if (strcmp(filter, "bz2") == 0)
        archive_write_add_filter_bzip2(a);
    else if (strcmp(filter, "gz") == 0)
        archive_write_add_filter_gzip(a);
    archive_write_set_bytes_in_last_block(a, 1);
    archive_write_open(a, out, dm_open_cb, dm_write_cb, dm_close_cb);
    return a;
}

static void dm_tar_add(struct archive *a, const char *path, unsigned type, unsigned mode,
                       const char *data, const char *link, unsigned maj, unsigned min)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, path);
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, mode);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    archive_entry_set_mtime(e, 1700000000, 0);
    if (type == AE_IFLNK)
        archive_entry_set_symlink(e, link);
    if (type == AE_IFREG && link)
        archive_entry_set_hardlink(e, link);
    if (type == AE_IFCHR) {
        archive_entry_set_rdevmajor(e, maj);
        archive_entry_set_rdevminor(e, min);
    }
    size_t len = data ? strlen(data) : 0;
    archive_entry_set_size(e, (la_int64_t)len);
    archive_write_header(a, e);
    if (len)
        archive_write_data(a, data, len);
    archive_entry_free(e);
}

static void dm_tar_zeros(struct archive *a, const char *path, unsigned long mib)
{
    static const char zero[1 << 16];
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, path);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, 1700000000, 0);
    archive_entry_set_size(e, (la_int64_t)mib << 20);
    archive_write_header(a, e);
    for (unsigned long i = 0; i < mib * 16; i++)
        archive_write_data(a, zero, sizeof zero);
    archive_entry_free(e);
}

static void dm_ar_add(struct archive *ar, const char *name, const void *data, size_t len)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)len);
    archive_entry_set_mtime(e, 1700000000, 0);
    archive_write_header(ar, e);
    archive_write_data(ar, data, len);
    archive_entry_free(e);
}

/* Write OUT; `lines` is NULL-terminated; `layout` (NULL: "V", "C", "D") the
 * ar members in order, for the layouts dpkg-deb refuses (deb(5)):
 *     V            debian-binary "2.0\n"      V=TEXT   holding TEXT
 *     C            control.tar.gz             C=NAME   its bytes named NAME
 *     D            data.tar.FILTER            D=NAME   its bytes named NAME
 *     D+TEXT       data.tar.FILTER, TEXT appended after its compressed bytes
 *     X=NAME       a member NAME holding "x\n"
 * Returns 0 or -1 (message on stderr). */
static int dm_make_deb_layout(const char *out, const char *pkg, const char *filter,
                              const char *const *lines, const char *const *layout)
{
    struct dm_buf ctl = { 0 }, dat = { 0 }, deb = { 0 };
    struct archive *c = dm_tar_new(&ctl, "gz");
    char control[512];
    snprintf(control, sizeof control,
             "Package: %s\nVersion: 1.0-1\nArchitecture: amd64\nDescription: test\n multi\n", pkg);
    dm_tar_add(c, "./", AE_IFDIR, 0755, NULL, NULL, 0, 0);
    dm_tar_add(c, "./control", AE_IFREG, 0644, control, NULL, 0, 0);
    archive_write_close(c);
    archive_write_free(c);

    struct archive *d = dm_tar_new(&dat, filter);
    for (; *lines; lines++) {
        /* fields: type, path, b, x (x is the rest of the line: any length) */
        char *copy = strdup(*lines), *save = NULL;
        char *tt = strtok_r(copy, " ", &save), *a = strtok_r(NULL, " ", &save);
        char *b = strtok_r(NULL, " ", &save), *x = strtok_r(NULL, "", &save);
        if (!tt || !a) {
            fprintf(stderr, "debmaker: bad line \"%s\"\n", *lines);
            free(copy);
            return -1;
        }
        char t = tt[0];
        b = b ? b : (char *)"";
        x = x ? x : (char *)"";
        switch (t) {
        case 'd': dm_tar_add(d, a, AE_IFDIR, (unsigned)strtoul(b, NULL, 8), NULL, NULL, 0, 0); break;
        case 'f': dm_tar_add(d, a, AE_IFREG, (unsigned)strtoul(b, NULL, 8), x, NULL, 0, 0); break;
        case 'l': dm_tar_add(d, a, AE_IFLNK, 0777, NULL, b, 0, 0); break;
        case 'h': dm_tar_add(d, a, AE_IFREG, 0644, NULL, b, 0, 0); break;
        case 'c': dm_tar_add(d, a, AE_IFCHR, 0600, NULL, NULL, (unsigned)atoi(b), (unsigned)atoi(x)); break;
        case 'z': dm_tar_zeros(d, a, strtoul(b, NULL, 10)); break;
        default:
            fprintf(stderr, "debmaker: bad type in \"%s\"\n", *lines);
            free(copy);
            return -1;
        }
        free(copy);
    }
    archive_write_close(d);
    archive_write_free(d);

    struct archive *ar = archive_write_new();
    archive_write_set_format_ar_svr4(ar);
    archive_write_set_bytes_in_last_block(ar, 1); /* no zero padding after the last member */
    archive_write_open(ar, &deb, dm_open_cb, dm_write_cb, dm_close_cb);
    static const char *const plain[] = { "V", "C", "D", NULL };
    char dname[32];
    snprintf(dname, sizeof dname, "data.tar%s%s", *filter ? "." : "", filter);
    for (const char *const *m = layout ? layout : plain; *m; m++) {
        const char *arg = (*m)[1] ? *m + 2 : NULL;
        if ((*m)[0] == 'V') {
            dm_ar_add(ar, "debian-binary", arg ? arg : "2.0\n", strlen(arg ? arg : "2.0\n"));
        } else if ((*m)[0] == 'C') {
            dm_ar_add(ar, arg ? arg : "control.tar.gz", ctl.p, ctl.n);
        } else if ((*m)[0] == 'D' && (*m)[1] == '+') {
            size_t extra = strlen(arg);
            unsigned char *both = malloc(dat.n + extra);
            memcpy(both, dat.p, dat.n);
            memcpy(both + dat.n, arg, extra);
            dm_ar_add(ar, dname, both, dat.n + extra);
            free(both);
        } else if ((*m)[0] == 'D') {
            dm_ar_add(ar, arg ? arg : dname, dat.p, dat.n);
        } else {
            dm_ar_add(ar, arg, "x\n", 2);
        }
    }
    archive_write_close(ar);
    archive_write_free(ar);

    FILE *f = fopen(out, "wb");
    int rc = f && fwrite(deb.p, 1, deb.n, f) == deb.n ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc < 0)
        perror(out);
    free(ctl.p);
    free(dat.p);
    free(deb.p);
    return rc;
}

static int dm_make_deb(const char *out, const char *pkg, const char *filter,
                       const char *const *lines)
{
    return dm_make_deb_layout(out, pkg, filter, lines, NULL);
}

#endif
