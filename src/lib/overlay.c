#include "overlay.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

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

static int filter_dots(const struct dirent *d)
{
    return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

static int add_entry(md_tree *t, const char *host, const char *img, int64_t mtime,
                     const char *origin, md_err *err)
{
    struct stat st;
    if (lstat(host, &st) < 0)
        return md_err_errno(err, "%s", host);
    md_attr a = { st.st_mode & 07777, 0, 0, mtime };
    if (S_ISDIR(st.st_mode)) {
        /* The root of an overlay maps onto an existing directory; keep its
         * mode rather than imposing the host directory's. */
        if (strcmp(img, "/") && md_tree_add_dir(t, img, &a, origin, err) < 0)
            return -1;
        return md_overlay_add_dir(t, host, img, mtime, origin, err);
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
        return md_overlay_add_file(t, host, img, -1, mtime, origin, err);
    return md_err_set(err, "%s: overlays hold files, directories and symlinks only", host);
}

int md_overlay_add_dir(md_tree *t, const char *dir, const char *dest, int64_t mtime,
                       const char *origin, md_err *err)
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
            r = add_entry(t, host, img, mtime, origin, err);
            free(host);
            free(img);
        }
        free(names[i]);
    }
    free(names);
    return r;
}
