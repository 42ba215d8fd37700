/* overlay — see overlay.h.
 *
 * Its own walk, not image/unpack's directory reader (libarchive's disk
 * reader, for lint's rootfs directories), on purpose.  That reader visits
 * entries in readdir order, which differs by file system, and libarchive
 * has no way to sort it; an overlay is read in sorted order, so that which
 * of two bad entries a build names does not vary by host.  It also keeps
 * FIFOs and devices, reads the top directory itself as the entry "/", does
 * not enter mounted file systems (for lint --rootfs /) and runs a caller's
 * check only after an entry's content is read; an overlay refuses all but
 * files, directories and symlinks, adds only what is below its top (at
 * `dest`), copies what is mounted in it and checks each entry as trusted
 * before reading it.  Those, the owners, mtimes and the manifest's modes
 * would be as many options of that reader as this walk has lines. */
#include "image/overlay.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/file.h"

int md_overlay_add_file(md_tree *t, const char *src, const char *dest, int mode,
                        int64_t mtime, const char *origin, md_err *err)
{
    struct stat st;
    if (stat(src, &st) < 0)
        return md_err_errno(err, "%s", src);
    if (!S_ISREG(st.st_mode))
        return md_err_set(err, "%s: not a regular file", src);
    unsigned char *data;
    size_t len;
    if (md_read_file(src, &data, &len, err) < 0)
        return -1;
    md_attr a = { mode >= 0 ? (unsigned)mode : (st.st_mode & 07777), 0, 0, mtime };
    if (md_tree_add_file(t, dest, &a, data, len, origin, MD_CLASH_REPLACE, err) < 0) {
        md_err_prefix(err, "%s", src);
        return -1;
    }
    return 0;
}

struct listed {
    char *path;
    unsigned mode, uid, gid;
};

struct manifest {
    const char *file;
    struct listed *v;
    size_t n;
};

static int cmp_listed(const void *a, const void *b)
{
    return strcmp(((const struct listed *)a)->path, ((const struct listed *)b)->path);
}

static int manifest_load(struct manifest *m, const char *file, md_err *err)
{
    unsigned char *data;
    size_t len;
    m->file = file;
    if (md_read_file(file, &data, &len, err) < 0)
        return -1;
    char *save = NULL;
    for (char *line = strtok_r((char *)data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || !line[strspn(line, " \t")])
            continue;
        char mode[16], path[4096];
        unsigned uid, gid, mo = 0777;
        if (sscanf(line, "%15s %u %u %4095s", mode, &uid, &gid, path) != 4 || path[0] != '/' ||
            (strcmp(mode, "-") && sscanf(mode, "%o", &mo) != 1) || mo > 07777) {
            free(data);
            return md_err_set(err, "%s: bad line '%s' (expected MODE UID GID /PATH)", file, line);
        }
        m->v = md_xrealloc(m->v, (m->n + 1) * sizeof *m->v);
        m->v[m->n++] = (struct listed){ md_xstrdup(path), mo, uid, gid };
    }
    free(data);
    qsort(m->v, m->n, sizeof *m->v, cmp_listed);
    return 0;
}

static void manifest_free(struct manifest *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].path);
    free(m->v);
}

/* Mode and owner of `img` from the manifest; the host's when there is none. */
static int attr_for(const struct manifest *m, const char *img, const struct stat *st,
                    int64_t mtime, md_attr *a, md_err *err)
{
    *a = (md_attr){ st->st_mode & 07777, 0, 0, mtime };
    if (!m)
        return 0;
    struct listed key = { (char *)img, 0, 0, 0 };
    const struct listed *l = bsearch(&key, m->v, m->n, sizeof *m->v, cmp_listed);
    if (!l)
        return md_err_set(err, "%s: %s is not listed; add its mode and owner", m->file, img);
    a->mode = l->mode, a->uid = l->uid, a->gid = l->gid;
    return 0;
}

static int filter_dots(const struct dirent *d)
{
    return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

static int walk(md_tree *t, const char *dir, const char *dest, const struct manifest *m,
                int64_t mtime, const char *origin, md_err *err);

static int add_entry(md_tree *t, const char *host, const char *img, const struct manifest *m,
                     int64_t mtime, const char *origin, md_err *err)
{
    struct stat st;
    if (lstat(host, &st) < 0)
        return md_err_errno(err, "%s", host);
    /* a spec's overlay: the spec checked its top (spec.c); each entry in
     * it that another user may change is theirs to fill (trial 9c) */
    if (!strcmp(origin, "overlay") &&
        md_file_check_trusted(host, false, "who could put their own files into the image: keep "
                              "overlays where only you (or root) can change them", err) < 0)
        return -1;
    md_attr a;
    if (attr_for(m, img, &st, mtime, &a, err) < 0)
        return -1;
    if (S_ISDIR(st.st_mode)) {
        if (md_tree_add_dir(t, img, &a, origin, err) < 0)
            return -1;
        return walk(t, host, img, m, mtime, origin, err);
    }
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlink(host, target, sizeof target - 1);
        if (n < 0)
            return md_err_errno(err, "%s: readlink", host);
        target[n] = '\0';
        a.mode = 0777;
        return md_tree_add_symlink(t, img, &a, target, origin, MD_CLASH_REPLACE, err);
    }
    if (S_ISREG(st.st_mode))
        return md_overlay_add_file(t, host, img, (int)a.mode, mtime, origin, err);
    return md_err_set(err, "%s: overlays hold files, directories and symlinks only", host);
}

static int walk(md_tree *t, const char *dir, const char *dest, const struct manifest *m,
                int64_t mtime, const char *origin, md_err *err)
{
    struct dirent **names;
    /* scandir with alphasort: visiting order must not depend on the file
     * system, or error messages and clash outcomes would vary by host. */
    int n = scandir(dir, &names, filter_dots, alphasort);
    if (n < 0)
        return md_err_errno(err, "%s: cannot read overlay directory", dir);
    int r = 0;
    for (int i = 0; i < n; i++) {
        if (r == 0) {
            char *host = md_xasprintf("%s/%s", dir, names[i]->d_name);
            char *img = md_xasprintf("%s/%s", strcmp(dest, "/") ? dest : "", names[i]->d_name);
            r = add_entry(t, host, img, m, mtime, origin, err);
            free(host);
            free(img);
        }
        free(names[i]);
    }
    free(names);
    return r;
}

int md_overlay_add_dir(md_tree *t, const char *dir, const char *dest, const char *manifest,
                       int64_t mtime, const char *origin, md_err *err)
{
    struct manifest m = { 0 };
    if (manifest && manifest_load(&m, manifest, err) < 0) {
        manifest_free(&m);
        return -1;
    }
    int r = walk(t, dir, dest, manifest ? &m : NULL, mtime, origin, err);
    manifest_free(&m);
    if (r < 0)
        md_err_prefix(err, "overlay %s", dir);
    return r;
}
