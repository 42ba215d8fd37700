#include "image/rccache.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/sha256.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What OpenRC 0.45's gendepends.sh and Debian's lsb2rcconf read for the
 * dependencies, and what rc_deptree_update_needed checks: a file of the
 * image at or below one of these must be in the list. */
static const char *const watched_dirs[] = {
    "/etc/init.d", "/etc/conf.d", "/etc/rc.conf", "/etc/rc.conf.d", "/usr/etc/init.d",
    "/usr/local/etc/init.d", "/etc/insserv.conf", "/etc/insserv.conf.d", NULL,
};

static bool watched(const char *path)
{
    for (size_t i = 0; watched_dirs[i]; i++) {
        size_t n = strlen(watched_dirs[i]);
        if (!strncmp(path, watched_dirs[i], n) && (path[n] == '\0' || path[n] == '/'))
            return true;
    }
    return false;
}

struct input {
    char sha[65];
    const char *path; /* into the list's text */
    bool seen;
};

static bool differs(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return false;
}

/* Parse "SHA256  PATH" lines (sha256sum's text mode); the entries point
 * into `text`, which they cut into strings. */
static int parse_inputs(char *text, const char *file, struct input **out, size_t *n,
                        md_err *err)
{
    size_t cap = 0, lineno = 0;
    *out = NULL;
    *n = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        if (!*line || *line == '#')
            continue;
        size_t hex = strspn(line, "0123456789abcdef");
        if (hex != 64 || strncmp(line + 64, "  /", 3)) {
            free(*out);
            return md_err_set(err, "%s:%zu: not \"SHA256  /PATH\" (sha256sum's format)", file,
                              lineno);
        }
        if (*n == cap)
            *out = md_xrealloc(*out, (cap = cap ? 2 * cap : 32) * sizeof **out);
        struct input *in = &(*out)[(*n)++];
        memcpy(in->sha, line, 64);
        in->sha[64] = '\0';
        in->path = line + 66;
        in->seen = false;
    }
    return 0;
}

/* Does the tree hold exactly the listed files, with their content, and
 * no other file where OpenRC looks? */
static bool matches(const md_tree *t, struct input *in, size_t n, int64_t mtime, char *why,
                    size_t whylen)
{
    for (size_t i = 0; i < n; i++) {
        const md_node *f = md_tree_resolve_file(t, in[i].path);
        if (!f)
            return differs(why, whylen, "%s is not in the image", in[i].path);
        size_t size;
        const unsigned char *data = md_node_data(f, &size);
        if (!data && size)
            return differs(why, whylen, "%s: content not held", in[i].path);
        char sha[65];
        md_sha256_hex(data ? data : (const unsigned char *)"", size, sha);
        if (strcmp(sha, in[i].sha))
            return differs(why, whylen, "%s differs from the one the cache was made from",
                           in[i].path);
        if (md_node_attr(f)->mtime > mtime)
            return differs(why, whylen, "%s is newer than the build's time", in[i].path);
        in[i].seen = true;
    }
    for (md_node *nd = md_tree_first(t); nd; nd = md_tree_next(t, nd)) {
        const char *p = md_node_path(nd);
        if (md_node_type_of(nd) == MD_NODE_DIR || !watched(p))
            continue;
        bool listed = false;
        for (size_t i = 0; i < n && !listed; i++)
            listed = !strcmp(in[i].path, p);
        if (!listed)
            return differs(why, whylen, "%s is not among the files the cache was made from", p);
    }
    return true;
}

int md_rccache_add(md_tree *t, const char *dir, int64_t mtime, bool *added, char *why,
                   size_t whylen, md_err *err)
{
    *added = false;
    if (whylen)
        why[0] = '\0';
    char *list_path = md_xasprintf("%s/inputs", dir), *tree_path = md_xasprintf("%s/deptree", dir);
    unsigned char *list = NULL, *deptree = NULL;
    size_t list_len, deptree_len;
    struct input *in = NULL;
    size_t n = 0;
    int r = -1;
    if (md_read_file(list_path, &list, &list_len, err) < 0 ||
        md_read_file(tree_path, &deptree, &deptree_len, err) < 0 ||
        parse_inputs((char *)list, list_path, &in, &n, err) < 0)
        goto out;
    if (!n) {
        md_err_set(err, "%s lists no file", list_path);
        goto out;
    }
    r = 0;
    /* OpenRC's libexec directory, as the image has it (/lib/rc, or
     * /usr/lib/rc behind a merged-/usr link). */
    const md_node *rc = md_tree_resolve(t, "/lib/rc");
    if (!rc || md_node_type_of(rc) != MD_NODE_DIR) {
        differs(why, whylen, "no /lib/rc (OpenRC) in the image");
        goto out;
    }
    if (!matches(t, in, n, mtime, why, whylen))
        goto out;
    char *cache = md_xasprintf("%s/cache", md_node_path(rc));
    char *dt = md_xasprintf("%s/deptree", cache), *sl = md_xasprintf("%s/softlevel", cache);
    md_attr d = { 0755, 0, 0, mtime }, f = { 0644, 0, 0, mtime };
    if (md_tree_add_dir(t, cache, &d, "mkdom0", err) < 0 ||
        md_tree_add_file(t, dt, &f, deptree, deptree_len, "mkdom0", MD_CLASH_REPLACE, err) < 0 ||
        md_tree_add_file(t, sl, &f, (unsigned char *)md_xstrdup(""), 0, "mkdom0", MD_CLASH_REPLACE, err) < 0)
        r = -1;
    else
        *added = true;
    deptree = NULL; /* the tree's now, whether added or not */
    free(cache);
    free(dt);
    free(sl);
out:
    if (r < 0)
        md_err_prefix(err, "OpenRC dependency cache");
    free(in);
    free(list);
    free(deptree);
    free(list_path);
    free(tree_path);
    return r;
}
