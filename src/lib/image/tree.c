/* tree — see tree.h.
 *
 * Storage: every node lives in a hash table keyed by its full path (adds,
 * lookups and clash checks are O(1)) and in one array `v` that is put in
 * byte order lazily, only when someone iterates or removes a subtree.  Nodes
 * appended since the last sort are sorted on their own and merged in, so an
 * add/remove/add pattern costs O(n) per round, not O(n log n).  Removed nodes
 * leave NULL holes that the next sort squeezes out.
 *
 * Invariant: a node exists only if all its ancestors exist as directories, so
 * checking the parent is enough to know that no ancestor is a symlink.
 */
#include "image/tree.h"
#include "core/hindex.h"
#include "core/mem.h"
#include "core/strv.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct md_node {
    char *path;
    md_node_type type;
    bool implicit;     /* directory created only because something is below it */
    md_attr attr;
    const char *origin; /* interned in the tree */
    unsigned char *data; /* FILE */
    size_t size;
    char *target;      /* SYMLINK */
    md_node *file;     /* HARDLINK: the file it names */
    md_node *links;    /* FILE: first hardlink naming it */
    md_node *next_link; /* HARDLINK: next in the file's list */
    unsigned major, minor;
    size_t nchild;     /* DIR: direct children */
    size_t idx;        /* position in tree->v */
};

/* A layout link: `link` is a symlink whose text is `target`, naming the
 * directory `dest`; every path below `link` is stored below `dest`.  `made`:
 * the symlink and `dest` are in the tree (lib32/lib64/libx32 wait for use). */
typedef struct layout_link {
    char *link, *dest, *target;
    bool made;
} layout_link;

struct md_tree {
    bool usrmerge;
    layout_link *layout;
    size_t nlayout;
    md_hindex byname;  /* every node by path: positions in all */
    md_node **all;     /* in the order added; a removed node's place is not reused */
    size_t nall, capall;
    md_node **v;
    size_t n, cap, nsorted, holes;
    md_strv origins;
    const char *last_origin;
};

static const char *const merged[] = { "bin", "sbin", "lib", "lib32", "lib64", "libx32" };
enum { NMERGED = sizeof merged / sizeof merged[0], NMERGED_EAGER = 3, MAX_HOPS = 40 };

/* ---- finding a path ---- */

/* By hash in `all`, where a node keeps its place (in v it moves as v is
 * sorted). */
static md_node *ht_find(const md_tree *t, const char *path, uint64_t h, size_t *it)
{
    for (size_t i; (i = md_hindex_next(&t->byname, h, it)) != SIZE_MAX;)
        if (!strcmp(t->all[i]->path, path))
            return t->all[i];
    return NULL;
}

static md_node *ht_get(const md_tree *t, const char *path)
{
    size_t it = 0;
    return ht_find(t, path, md_hindex_hash(path, strlen(path)), &it);
}

static void ht_put(md_tree *t, md_node *n)
{
    t->all = md_xgrow(t->all, &t->capall, t->nall + 1, sizeof *t->all);
    t->all[t->nall] = n;
    md_hindex_add(&t->byname, md_hindex_hash(n->path, strlen(n->path)), t->nall++);
}

static void ht_del(md_tree *t, const md_node *n)
{
    size_t it = 0;
    uint64_t h = md_hindex_hash(n->path, strlen(n->path));
    if (ht_find(t, n->path, h, &it))
        md_hindex_del(&t->byname, h, it);
}

/* ---- the ordered array ---- */

static int cmp_node(const void *a, const void *b)
{
    return strcmp((*(md_node *const *)a)->path, (*(md_node *const *)b)->path);
}

static void ensure_sorted(md_tree *t)
{
    bool moved = false;
    if (t->holes) {
        moved = true;
        size_t w = 0, ws = 0;
        for (size_t r = 0; r < t->n; r++) {
            if (r == t->nsorted)
                ws = w;
            if (t->v[r])
                t->v[w++] = t->v[r];
        }
        if (t->nsorted >= t->n)
            ws = w;
        t->n = w;
        t->nsorted = ws;
        t->holes = 0;
    }
    if (t->nsorted < t->n) {
        size_t na = t->nsorted, nb = t->n - na;
        qsort(t->v + na, nb, sizeof *t->v, cmp_node);
        if (na) {
            md_node **tmp = md_xmalloc(nb * sizeof *tmp);
            memcpy(tmp, t->v + na, nb * sizeof *tmp);
            size_t i = na, j = nb, k = t->n;
            while (j > 0) {
                if (i > 0 && strcmp(t->v[i - 1]->path, tmp[j - 1]->path) > 0)
                    t->v[--k] = t->v[--i];
                else
                    t->v[--k] = tmp[--j];
            }
            free(tmp);
        }
        t->nsorted = t->n;
        for (size_t i = 0; i < t->n; i++)
            t->v[i]->idx = i;
    } else if (moved) {
        for (size_t i = 0; i < t->n; i++)
            t->v[i]->idx = i;
    }
}

/* ---- nodes ---- */

static const char *intern_origin(md_tree *t, const char *origin)
{
    if (!origin)
        origin = "";
    if (t->last_origin && strcmp(t->last_origin, origin) == 0)
        return t->last_origin;
    for (size_t i = 0; i < t->origins.n; i++)
        if (strcmp(t->origins.v[i], origin) == 0)
            return t->last_origin = t->origins.v[i];
    md_strv_push(&t->origins, origin);
    return t->last_origin = t->origins.v[t->origins.n - 1];
}

static char *parent_of(const char *path)
{
    const char *s = strrchr(path, '/');
    if (s == path)
        return md_xstrdup("/");
    return md_xstrndup(path, (size_t)(s - path));
}

static md_node *parent_node(const md_tree *t, const md_node *n)
{
    char *p = parent_of(n->path);
    md_node *r = ht_get(t, p);
    free(p);
    return r;
}

/* A node not yet in the tree; it takes `path`.  Every node starts here, so
 * the mode is always masked to permission bits and the origin interned. */
static md_node *new_node(md_tree *t, char *path, md_node_type type, const md_attr *a,
                         const char *origin)
{
    md_node *n = md_xcalloc(1, sizeof *n);
    n->path = path;
    n->type = type;
    if (a)
        n->attr = *a;
    n->attr.mode &= 07777;
    n->origin = intern_origin(t, origin);
    return n;
}

static md_node *insert(md_tree *t, char *path, md_node_type type, const md_attr *a,
                       const char *origin)
{
    md_node *n = new_node(t, path, type, a, origin);
    ht_put(t, n);
    t->v = md_xgrow(t->v, &t->cap, t->n + 1, sizeof *t->v);
    n->idx = t->n;
    t->v[t->n++] = n;
    if (strcmp(path, "/") != 0) {
        md_node *p = parent_node(t, n);
        if (p)
            p->nchild++;
    }
    return n;
}

static void unlink_hardlink(md_node *h)
{
    md_node **pp = &h->file->links;
    while (*pp && *pp != h)
        pp = &(*pp)->next_link;
    if (*pp)
        *pp = h->next_link;
}

/* A removed file hands its inode (data, attributes) to its first hardlink. */
static void promote_first_link(md_node *f)
{
    /* The smallest path takes over, so the result does not depend on the
     * order in which the links were added. */
    md_node *h = f->links;
    for (md_node *l = f->links; l; l = l->next_link)
        if (strcmp(l->path, h->path) < 0)
            h = l;
    unlink_hardlink(h);
    h->next_link = f->links;
    h->type = MD_NODE_FILE;
    h->attr = f->attr;
    h->data = f->data;
    h->size = f->size;
    h->links = h->next_link;
    h->next_link = NULL;
    h->file = NULL;
    for (md_node *l = h->links; l; l = l->next_link)
        l->file = h;
    f->data = NULL;
    f->links = NULL;
}

static void free_node(md_node *n)
{
    free(n->path);
    free(n->data);
    free(n->target);
    free(n);
}

static void remove_node(md_tree *t, md_node *n)
{
    if (n->type == MD_NODE_HARDLINK)
        unlink_hardlink(n);
    else if (n->type == MD_NODE_FILE && n->links)
        promote_first_link(n);
    md_node *p = parent_node(t, n);
    if (p && p->nchild)
        p->nchild--;
    ht_del(t, n);
    if (n->idx < t->n && t->v[n->idx] == n) {
        t->v[n->idx] = NULL;
        t->holes++;
    }
    free_node(n);
}

/* ---- paths ---- */

/* Normalise an absolute path ("//", "/./", trailing "/" dropped).  ".." is
 * refused, or with `dotdot` resolved lexically (going above "/" is still
 * refused).  Returns a heap string or NULL with err set. */
static char *norm_lexical(const char *in, bool dotdot, md_err *err)
{
    if (!in || in[0] != '/') {
        md_err_set(err, "%s: path is not absolute", in ? in : "(null)");
        return NULL;
    }
    size_t len = strlen(in), depth = 0;
    if (len > MD_TREE_PATH_MAX * 2) { /* not worth normalising: too long either way */
        md_err_set(err, "%.64s...: path of %zu bytes (limit %d)", in, len, MD_TREE_PATH_MAX);
        return NULL;
    }
    char *out = md_xmalloc(len + 2);
    size_t o = 0;
    const char *s = in;
    while (*s) {
        while (*s == '/')
            s++;
        size_t c = strcspn(s, "/");
        if (c == 0)
            break;
        if (c == 1 && s[0] == '.') {
            s += c;
            continue;
        }
        if (c == 2 && s[0] == '.' && s[1] == '.') {
            if (!dotdot || o == 0) {
                free(out);
                md_err_set(err, "%s: path contains \"..\" (refused: it could escape the root)", in);
                return NULL;
            }
            while (out[o - 1] != '/')
                o--;
            o--;
            depth--;
            s += c;
            continue;
        }
        if (++depth > MD_TREE_DEPTH_MAX) {
            free(out);
            md_err_set(err, "%.64s...: path more than %d levels deep (the limit)", in,
                       MD_TREE_DEPTH_MAX);
            return NULL;
        }
        out[o++] = '/';
        memcpy(out + o, s, c);
        o += c;
        s += c;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    if (o > MD_TREE_PATH_MAX) {
        md_err_set(err, "%.64s...: path of %zu bytes (limit %d)", out, o, MD_TREE_PATH_MAX);
        free(out);
        return NULL;
    }
    return out;
}

static char *norm_plain(const char *in, md_err *err) { return norm_lexical(in, false, err); }

/* The layout link that `path` (normalised) goes through: a path below the
 * link, or with `map_top` the link itself (adding a directory /var/run
 * merges it into /run).  -1 if none. */
static int layout_index(const md_tree *t, const char *path, bool map_top)
{
    for (size_t i = 0; i < t->nlayout; i++) {
        size_t ll = strlen(t->layout[i].link);
        if (strncmp(path, t->layout[i].link, ll) == 0 &&
            (path[ll] == '/' || (map_top && path[ll] == '\0')))
            return (int)i;
    }
    return -1;
}

/* Normalise `in` (see norm_plain) and apply the layout links: the result is
 * where the entry is stored.  `*via` (if not NULL) gets the index of the
 * layout link used, or -1. */
static char *norm_path_via(const md_tree *t, const char *in, bool map_top, int *via, md_err *err)
{
    char *out = norm_plain(in, err);
    int i = out ? layout_index(t, out, map_top) : -1;
    if (via)
        *via = i;
    if (i < 0)
        return out;
    const layout_link *l = &t->layout[i];
    char *mapped = md_xasprintf("%s%s", l->dest, out + strlen(l->link));
    free(out);
    return mapped;
}

static char *norm_path(const md_tree *t, const char *in, bool map_top, md_err *err)
{
    return norm_path_via(t, in, map_top, NULL, err);
}

static const char *type_name(md_node_type ty)
{
    switch (ty) {
    case MD_NODE_DIR: return "directory";
    case MD_NODE_FILE: return "file";
    case MD_NODE_SYMLINK: return "symlink";
    case MD_NODE_HARDLINK: return "hardlink";
    case MD_NODE_CHAR: return "char device";
    case MD_NODE_BLOCK: return "block device";
    case MD_NODE_FIFO: return "fifo";
    }
    return "?";
}

static const md_attr dir_attr = { 0755, 0, 0, 0 };

/* Make sure the parent of `path` exists as a directory, creating missing ones
 * as implicit 0755 root:root directories.  A symlink on the way is refused:
 * writing through it would put the entry somewhere else than its name says
 * (or outside the root). */
static int ensure_parent(md_tree *t, const char *path, const char *origin, md_err *err)
{
    if (strcmp(path, "/") == 0)
        return 0;
    char *p = parent_of(path);
    md_node *n = ht_get(t, p);
    int r = 0;
    if (n) {
        if (n->type == MD_NODE_SYMLINK)
            r = md_err_set(err, "%s: parent %s is a symlink to %s (from %s); "
                           "writing through a symlink is refused", path, p, n->target, n->origin);
        else if (n->type != MD_NODE_DIR)
            r = md_err_set(err, "%s: parent %s is a %s (from %s), not a directory",
                           path, p, type_name(n->type), n->origin);
        free(p);
        return r;
    }
    if (ensure_parent(t, p, origin, err) < 0) {
        free(p);
        return -1;
    }
    md_node *d = insert(t, p, MD_NODE_DIR, &dir_attr, origin);
    d->implicit = true;
    return 0;
}

/* Put layout link `i` into the tree: the symlink and its directory. */
static void make_layout_link(md_tree *t, int i)
{
    layout_link *l = &t->layout[i];
    if (l->made)
        return;
    l->made = true;
    const char *origin = t->usrmerge && i < NMERGED ? "usrmerge" : "mkdom0";
    md_err e = MD_ERR_INIT;
    if (!ht_get(t, l->dest) && ensure_parent(t, l->dest, origin, &e) == 0)
        insert(t, md_xstrdup(l->dest), MD_NODE_DIR, &dir_attr, origin)->implicit = true;
    if (!ht_get(t, l->link) && ensure_parent(t, l->link, origin, &e) == 0)
        insert(t, md_xstrdup(l->link), MD_NODE_SYMLINK, &(md_attr){ 0777, 0, 0, 0 },
               origin)->target = md_xstrdup(l->target);
}

static void register_layout_link(md_tree *t, const char *link, const char *dest,
                                 const char *target)
{
    t->layout = md_xrealloc(t->layout, (t->nlayout + 1) * sizeof *t->layout);
    t->layout[t->nlayout++] = (layout_link){ md_xstrdup(link), md_xstrdup(dest),
                                             md_xstrdup(target), false };
}

/* Where a symlink at `link` with text `target` points, lexically ("..", "."
 * resolved), as a normalised absolute path; NULL if it leaves the root. */
static char *link_dest(const char *link, const char *target)
{
    char *joined;
    if (target[0] == '/') {
        joined = md_xstrdup(target);
    } else {
        const char *s = strrchr(link, '/');
        joined = md_xasprintf("%.*s/%s", (int)(s - link), link, target);
    }
    md_err e = MD_ERR_INIT;
    char *out = norm_lexical(joined, true, &e);
    free(joined);
    return out;
}

/* ---- public: construction ---- */

md_tree *md_tree_new(bool usrmerge)
{
    md_tree *t = md_xcalloc(1, sizeof *t);
    t->usrmerge = usrmerge;
    insert(t, md_xstrdup("/"), MD_NODE_DIR, &dir_attr, "mkdom0")->implicit = true;
    if (usrmerge) {
        for (int i = 0; i < NMERGED; i++) {
            char *link = md_xasprintf("/%s", merged[i]), *dest = md_xasprintf("/usr/%s", merged[i]);
            register_layout_link(t, link, dest, dest + 1);
            free(link);
            free(dest);
        }
        for (int i = 0; i < NMERGED_EAGER; i++)
            make_layout_link(t, i);
    }
    return t;
}

int md_tree_add_layout_link(md_tree *t, const char *link, const char *target, md_err *err)
{
    char *l = norm_plain(link, err);
    if (!l)
        return -1;
    char *dest = target && *target ? link_dest(l, target) : NULL;
    int rc = 0;
    md_node *old = ht_get(t, l);
    if (!dest || strcmp(l, "/") == 0 || strcmp(dest, "/") == 0)
        rc = md_err_set(err, "%s -> %s: not a layout link (the target must be a directory "
                             "inside the root)", link, target ? target : "");
    else if (layout_index(t, l, true) >= 0 || layout_index(t, dest, true) >= 0)
        rc = md_err_set(err, "%s -> %s: goes through another layout link", link, target);
    else if (old)
        rc = md_err_set(err, "%s: already in the tree as a %s (from %s): layout links must be "
                             "made before anything is added there", l, type_name(old->type),
                        old->origin);
    if (rc == 0) {
        register_layout_link(t, l, dest, target);
        make_layout_link(t, (int)t->nlayout - 1);
    }
    free(l);
    free(dest);
    return rc;
}

void md_tree_free(md_tree *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i])
            free_node(t->v[i]);
    for (size_t i = 0; i < t->nlayout; i++) {
        free(t->layout[i].link);
        free(t->layout[i].dest);
        free(t->layout[i].target);
    }
    free(t->layout);
    free(t->v);
    free(t->all);
    md_hindex_free(&t->byname);
    md_strv_free(&t->origins);
    free(t);
}

/* ---- public: adding ---- */

static bool same_content(const md_node *old, const md_node *nw)
{
    if (old->type != nw->type)
        return false;
    switch (old->type) {
    case MD_NODE_FILE:
        return old->size == nw->size && old->attr.mode == nw->attr.mode &&
               old->attr.uid == nw->attr.uid && old->attr.gid == nw->attr.gid &&
               (old->size == 0 || (old->data && nw->data &&
                                   memcmp(old->data, nw->data, old->size) == 0));
    case MD_NODE_SYMLINK:
        return strcmp(old->target, nw->target) == 0;
    case MD_NODE_HARDLINK:
        return old->file == nw->file;
    case MD_NODE_CHAR:
    case MD_NODE_BLOCK:
        return old->major == nw->major && old->minor == nw->minor && old->attr.mode == nw->attr.mode;
    case MD_NODE_FIFO:
        return old->attr.mode == nw->attr.mode;
    case MD_NODE_DIR:
        return true;
    }
    return false;
}

/* Place the prepared node `nw` (not yet in the tree) at its path. */
static int place(md_tree *t, md_node *nw, md_tree_clash clash, md_err *err)
{
    if (ensure_parent(t, nw->path, nw->origin, err) < 0)
        goto fail;
    md_node *old = ht_get(t, nw->path);
    if (old) {
        if (old->type == MD_NODE_DIR && nw->type == MD_NODE_DIR) {
            if (old->implicit) {
                old->attr = nw->attr;
                old->origin = nw->origin;
                old->implicit = false;
            }
            free_node(nw);
            return 0;
        }
        if (same_content(old, nw)) {
            free_node(nw);
            return 0;
        }
        /* What paths go through is never replaced by an overlay or Copy=
         * (between packages any clash is refused below): the layout links mkdom0 makes (a file at /lib64 took
         * away every program's ELF interpreter, trial 9h case 2), a
         * directory, or a symlink to one, by something else. */
        const md_node *to = old->type == MD_NODE_SYMLINK ? md_tree_resolve(t, nw->path) : NULL;
        bool layout = false;
        for (size_t i = 0; old->type == MD_NODE_SYMLINK && i < t->nlayout; i++)
            layout |= !strcmp(t->layout[i].link, nw->path);
        if (clash == MD_CLASH_REPLACE &&
            (layout || (old->type == MD_NODE_DIR && nw->type != MD_NODE_DIR) ||
             (to && to->type == MD_NODE_DIR && nw->type != MD_NODE_SYMLINK))) {
            md_err_set(err, "%s: conflict: %s%s%s from %s and %s from %s: %s is never replaced "
                            "(the paths below it would break); choose another image path",
                       nw->path, type_name(old->type), old->target ? " -> " : "",
                       old->target ? old->target : "", layout ? "mkdom0" : old->origin,
                       type_name(nw->type), nw->origin,
                       layout ? "a layout link of the image"
                              : old->type == MD_NODE_DIR ? "a directory" : "a symlink to a directory");
            goto fail;
        }
        if (clash != MD_CLASH_REPLACE || (old->type == MD_NODE_DIR && old->nchild)) {
            if (old->origin && nw->origin && !strcmp(old->origin, nw->origin))
                md_err_set(err, "%s: twice in %s (a %s, then a %s)", nw->path, nw->origin, type_name(old->type),
                           type_name(nw->type));
            else
                md_err_set(err, "%s: conflict: %s from %s and %s from %s",
                           nw->path, type_name(old->type), old->origin, type_name(nw->type),
                           nw->origin);
            goto fail;
        }
        /* An overlay or Copy= never turns a device node into something
         * else: a regular /dev/console leaves the kernel no initial
         * console for init (trial 9f case 7: Copy=…:/dev/console built
         * without a word). */
        if ((old->type == MD_NODE_CHAR || old->type == MD_NODE_BLOCK) && nw->type != old->type) {
            md_err_set(err, "%s: %s from %s, which %s from %s would replace; a device node is "
                            "never replaced: choose another image path",
                       nw->path, type_name(old->type), old->origin, type_name(nw->type),
                       nw->origin);
            goto fail;
        }
        remove_node(t, old);
    }
    md_node *n = insert(t, nw->path, nw->type, &nw->attr, nw->origin);
    n->data = nw->data;
    n->size = nw->size;
    n->target = nw->target;
    n->major = nw->major;
    n->minor = nw->minor;
    n->file = nw->file;
    if (n->type == MD_NODE_HARDLINK) {
        n->next_link = n->file->links;
        n->file->links = n;
    }
    free(nw);
    return 0;
fail:
    free_node(nw);
    return -1;
}

/* The layout link not made yet whose directory `path` (stored, normalised)
 * fills: an entry below /usr/lib64, or /usr/lib64 itself as a directory.
 * Merged-/usr releases ship some files only under /usr (trixie's libc6 has
 * /usr/lib64/ld-linux-x86-64.so.2 and leaves /lib64 -> usr/lib64 to
 * base-files), and the ELF interpreter every program names is
 * /lib64/ld-linux-x86-64.so.2: without the link nothing runs ("can't run
 * '/sbin/openrc': No such file or directory").  As Debian's usrmerge does
 * for /lib32, /lib64 and /libx32: the link exists when its directory does.
 * -1 if none. */
static int waiting_layout_link(const md_tree *t, const char *path, md_node_type type)
{
    for (size_t i = 0; i < t->nlayout; i++) {
        const layout_link *l = &t->layout[i];
        size_t dl = strlen(l->dest);
        if (!l->made && strncmp(path, l->dest, dl) == 0 &&
            (path[dl] == '/' || (path[dl] == '\0' && type == MD_NODE_DIR)))
            return (int)i;
    }
    return -1;
}

static md_node *prepare(md_tree *t, const char *path, md_node_type type, const md_attr *a,
                        const char *origin, bool map_top, md_err *err)
{
    int via;
    char *p = norm_path_via(t, path, map_top, &via, err);
    if (!p)
        return NULL;
    if (strcmp(p, "/") == 0 && type != MD_NODE_DIR) {
        md_err_set(err, "%s: cannot add a %s as the root directory", path, type_name(type));
        free(p);
        return NULL;
    }
    if (via < 0)
        via = waiting_layout_link(t, p, type);
    if (via >= 0)
        make_layout_link(t, via);
    return new_node(t, p, type, a, origin);
}

int md_tree_add_dir(md_tree *t, const char *path, const md_attr *a, const char *origin,
                    md_err *err)
{
    md_node *n = prepare(t, path, MD_NODE_DIR, a, origin, true, err);
    if (!n)
        return -1;
    return place(t, n, MD_CLASH_ERROR, err);
}

int md_tree_add_file(md_tree *t, const char *path, const md_attr *a, unsigned char *data,
                     size_t size, const char *origin, md_tree_clash clash, md_err *err)
{
    md_node *n = prepare(t, path, MD_NODE_FILE, a, origin, false, err);
    if (!n) {
        free(data);
        return -1;
    }
    n->data = data;
    n->size = size;
    return place(t, n, clash, err);
}

/* A package's own "/bin -> usr/bin" or "/var/run -> /run" is what the tree
 * already has: accept it instead of reporting a clash.  Returns the layout
 * link's index, or -1. */
static int same_layout_link(const md_tree *t, const char *path, const char *target)
{
    md_err e = MD_ERR_INIT;
    char *p = norm_plain(path, &e);
    if (!p)
        return -1;
    int r = -1;
    for (size_t i = 0; i < t->nlayout && r < 0; i++) {
        if (strcmp(p, t->layout[i].link) != 0)
            continue;
        char *d = link_dest(p, target);
        if (d && strcmp(d, t->layout[i].dest) == 0)
            r = (int)i;
        free(d);
    }
    free(p);
    return r;
}

/* `target` of a symlink named `path` and stored at `stored`: a relative
 * one that leads elsewhere from there (a layout link moved it, see
 * tree.h) becomes the relative path to where it led from `path`.  Both
 * ends go through the layout links, so ../bin/kmod from /sbin and from
 * /usr/sbin, the same file, is kept as it is.  Caller frees. */
static char *moved_target(const md_tree *t, const char *path, const char *stored,
                          const char *target)
{
    md_err e = MD_ERR_INIT;
    char *orig = norm_plain(path, &e);
    if (target[0] == '/' || !orig || !strcmp(orig, stored)) {
        free(orig);
        return md_xstrdup(target);
    }
    char *a = link_dest(orig, target), *b = link_dest(stored, target);
    char *want = a ? norm_path(t, a, true, &e) : NULL, *got = b ? norm_path(t, b, true, &e) : NULL;
    char *r = NULL;
    if (want && got && strcmp(want, got)) {
        /* from the link's directory up to the common prefix, then down */
        const char *d = stored, *w = want;
        size_t common = 0;
        for (size_t i = 0; d[i] && d[i] == w[i]; i++)
            if (d[i] == '/')
                common = i;
        size_t ups = 0;
        for (const char *q = strrchr(stored, '/'), *p = stored + common; p < q; p++)
            ups += *p == '/';
        size_t len = 0, cap = 0;
        for (size_t i = 0; i < ups; i++) {
            r = md_xgrow(r, &cap, len + 4, 1);
            memcpy(r + len, "../", 3);
            len += 3;
        }
        const char *rest = w + common + 1;
        r = md_xgrow(r, &cap, len + strlen(rest) + 2, 1);
        strcpy(r + len, *rest ? rest : ".");
    }
    free(orig);
    free(a);
    free(b);
    free(want);
    free(got);
    return r ? r : md_xstrdup(target);
}

int md_tree_add_symlink(md_tree *t, const char *path, const md_attr *a, const char *target,
                        const char *origin, md_tree_clash clash, md_err *err)
{
    if (!target || !*target)
        return md_err_set(err, "%s: symlink with an empty target", path);
    int same = same_layout_link(t, path, target);
    if (same >= 0) {
        make_layout_link(t, same);
        return 0;
    }
    md_node *n = prepare(t, path, MD_NODE_SYMLINK, a, origin, false, err);
    if (!n)
        return -1;
    n->attr.mode = 0777;
    n->target = moved_target(t, path, n->path, target);
    return place(t, n, clash, err);
}

int md_tree_add_hardlink(md_tree *t, const char *path, const char *existing, const char *origin,
                         md_err *err)
{
    char *e = norm_path(t, existing, false, err);
    if (!e)
        return -1;
    md_node *f = ht_get(t, e);
    if (f && f->type == MD_NODE_HARDLINK)
        f = f->file;
    if (!f || f->type != MD_NODE_FILE) {
        md_err_set(err, "%s: hardlink target %s is %s", path, e,
                   f ? "not a regular file" : "not in the tree");
        free(e);
        return -1;
    }
    free(e);
    md_node *n = prepare(t, path, MD_NODE_HARDLINK, NULL, origin, false, err);
    if (!n)
        return -1;
    if (strcmp(n->path, f->path) == 0) { /* a link to itself names the same inode */
        free_node(n);
        return 0;
    }
    n->file = f;
    return place(t, n, MD_CLASH_ERROR, err);
}

int md_tree_add_device(md_tree *t, const char *path, const md_attr *a, md_node_type type,
                       unsigned major, unsigned minor, const char *origin, md_err *err)
{
    if (type != MD_NODE_CHAR && type != MD_NODE_BLOCK && type != MD_NODE_FIFO)
        return md_err_set(err, "%s: not a device type", path);
    md_node *n = prepare(t, path, type, a, origin, false, err);
    if (!n)
        return -1;
    n->major = type == MD_NODE_FIFO ? 0 : major;
    n->minor = type == MD_NODE_FIFO ? 0 : minor;
    return place(t, n, MD_CLASH_ERROR, err);
}

/* ---- public: removing ---- */

/* First index in the sorted array whose path is >= key. */
static size_t lower_bound(const md_tree *t, const char *key)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->v[mid]->path, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t md_tree_remove(md_tree *t, const char *path)
{
    md_err e = MD_ERR_INIT;
    char *p = norm_path(t, path, false, &e);
    if (!p)
        return 0;
    md_node *n = ht_get(t, p);
    size_t removed = 0;
    if (n && n->type == MD_NODE_DIR && n->nchild) {
        ensure_sorted(t);
        char *prefix = strcmp(p, "/") == 0 ? md_xstrdup("/") : md_xasprintf("%s/", p);
        size_t pl = strlen(prefix);
        size_t lo = lower_bound(t, prefix), hi = lo;
        while (hi < t->n && strncmp(t->v[hi]->path, prefix, pl) == 0)
            hi++;
        free(prefix);
        for (size_t i = hi; i > lo; i--) {
            if (t->v[i - 1] && t->v[i - 1] != n) {
                remove_node(t, t->v[i - 1]);
                removed++;
            }
        }
    }
    if (n && strcmp(p, "/") != 0) {
        remove_node(t, n);
        removed++;
    }
    free(p);
    return removed;
}

static bool matches_any(const char *path, const char *const *pats)
{
    for (; pats && *pats; pats++)
        if (fnmatch(*pats, path, 0) == 0)
            return true;
    return false;
}

size_t md_tree_filter(md_tree *t, const char *pattern, const char *const *keep)
{
    ensure_sorted(t);
    size_t removed = 0;
    /* Backwards: a directory's contents come after it, so they are decided
     * before the directory itself is looked at. */
    for (size_t i = t->n; i > 1; i--) {
        md_node *n = t->v[i - 1];
        if (!n || fnmatch(pattern, n->path, 0) != 0 || matches_any(n->path, keep))
            continue;
        if (n->type == MD_NODE_DIR && n->nchild)
            continue;
        remove_node(t, n);
        removed++;
    }
    return removed;
}

/* ---- public: duplicates ---- */

/* Directories whose files a running dom0 may change in place (`>>`, an
 * editor that writes through): a hardlink there would carry the change to
 * every name. */
static bool mutable_path(const char *p)
{
    static const char *const dirs[] = { "/etc/", "/var/", "/root/", "/home/", "/run/", "/tmp/",
                                        "/srv/" };
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
        if (strncmp(p, dirs[i], strlen(dirs[i])) == 0)
            return true;
    return false;
}

/* Same bytes and attributes (what a hardlink shares), then path. */
static int cmp_dup(const md_node *x, const md_node *y, bool by_path)
{
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    if (x->attr.mode != y->attr.mode)
        return x->attr.mode < y->attr.mode ? -1 : 1;
    if (x->attr.uid != y->attr.uid)
        return x->attr.uid < y->attr.uid ? -1 : 1;
    if (x->attr.gid != y->attr.gid)
        return x->attr.gid < y->attr.gid ? -1 : 1;
    if (x->attr.mtime != y->attr.mtime)
        return x->attr.mtime < y->attr.mtime ? -1 : 1;
    int c = memcmp(x->data, y->data, x->size);
    return c || !by_path ? c : strcmp(x->path, y->path);
}

static int cmp_dup_qsort(const void *a, const void *b)
{
    return cmp_dup(*(md_node *const *)a, *(md_node *const *)b, true);
}

/* Turn file `n` into a hardlink to `keep`; n's own hardlinks name keep. */
static void make_link(md_node *n, md_node *keep)
{
    for (md_node *l = n->links, *next; l; l = next) {
        next = l->next_link;
        l->file = keep;
        l->next_link = keep->links;
        keep->links = l;
    }
    n->links = NULL;
    free(n->data);
    n->data = NULL;
    n->size = 0;
    n->type = MD_NODE_HARDLINK;
    n->file = keep;
    n->next_link = keep->links;
    keep->links = n;
}

size_t md_tree_link_duplicates(md_tree *t)
{
    ensure_sorted(t);
    md_node **f = md_xmalloc((t->n ? t->n : 1) * sizeof *f);
    size_t nf = 0;
    for (size_t i = 0; i < t->n; i++) {
        md_node *n = t->v[i];
        if (n && n->type == MD_NODE_FILE && n->data && n->size && !mutable_path(n->path))
            f[nf++] = n;
    }
    qsort(f, nf, sizeof *f, cmp_dup_qsort);
    size_t linked = 0;
    for (size_t a = 0; a < nf;) {
        size_t b = a + 1;
        for (; b < nf && cmp_dup(f[a], f[b], false) == 0; b++, linked++)
            make_link(f[b], f[a]);
        a = b;
    }
    free(f);
    return linked;
}

/* ---- public: lookup ---- */

md_node *md_tree_lookup(const md_tree *t, const char *path)
{
    md_err e = MD_ERR_INIT;
    char *p = norm_path(t, path, false, &e);
    if (!p)
        return NULL;
    md_node *n = ht_get(t, p);
    free(p);
    return n;
}

md_node *md_tree_resolve(const md_tree *t, const char *path)
{
    if (!path || path[0] != '/')
        return NULL;
    /* `rest` holds the components still to walk, `cur` the resolved prefix. */
    size_t cap = strlen(path) + 4096;
    char *rest = md_xmalloc(cap), *cur = md_xmalloc(cap), *tmp = md_xmalloc(cap);
    strcpy(rest, path);
    cur[0] = '\0';
    size_t cl = 0;
    int hops = 0;
    md_node *n = ht_get(t, "/");
    const char *r = rest;
    for (;;) {
        while (*r == '/')
            r++;
        if (!*r)
            break;
        size_t c = strcspn(r, "/");
        if (c == 1 && r[0] == '.') {
            r += c;
            continue;
        }
        if (c == 2 && r[0] == '.' && r[1] == '.') {
            char *s = strrchr(cur, '/');
            cl = s ? (size_t)(s - cur) : 0;
            cur[cl] = '\0';
            n = ht_get(t, cl ? cur : "/");
            r += c;
            continue;
        }
        if (n == NULL || n->type != MD_NODE_DIR || cl + c + 2 > cap) {
            n = NULL;
            break;
        }
        cur[cl] = '/';
        memcpy(cur + cl + 1, r, c);
        cur[cl + 1 + c] = '\0';
        r += c;
        n = ht_get(t, cur);
        if (!n)
            break;
        if (n->type != MD_NODE_SYMLINK) {
            cl += 1 + c;
            continue;
        }
        if (++hops > MAX_HOPS || strlen(n->target) + strlen(r) + 2 > cap) {
            n = NULL;
            break;
        }
        snprintf(tmp, cap, "%s/%s", n->target, r);
        strcpy(rest, tmp);
        r = rest;
        if (n->target[0] == '/')
            cl = 0;
        cur[cl] = '\0';
        n = ht_get(t, cl ? cur : "/");
    }
    free(rest);
    free(cur);
    free(tmp);
    return n;
}

const md_node *md_tree_resolve_file(const md_tree *t, const char *path)
{
    const md_node *n = md_tree_resolve(t, path);
    if (!n)
        return NULL;
    if (md_node_type_of(n) == MD_NODE_HARDLINK)
        n = md_tree_lookup(t, md_node_link_target(n));
    return n && md_node_type_of(n) == MD_NODE_FILE ? n : NULL;
}

char *md_tree_text(const md_tree *t, const char *path, size_t *len)
{
    const md_node *n = md_tree_resolve_file(t, path);
    if (!n)
        return NULL;
    size_t sz = 0;
    const unsigned char *d = md_node_data(n, &sz);
    if (!d)
        sz = 0; /* content read past (md_unpack_keep_fn): no text */
    char *s = md_xmalloc(sz + 1);
    if (sz)
        memcpy(s, d, sz);
    s[sz] = '\0';
    if (len)
        *len = sz;
    return s;
}

/* ---- public: iteration and accessors ---- */

size_t md_tree_count(const md_tree *t) { return t->byname.n; }

/* Sorting is a cache refresh, not a change a caller can see: hence the cast. */
md_node *md_tree_first(const md_tree *t)
{
    ensure_sorted((md_tree *)t);
    return t->n ? t->v[0] : NULL;
}

md_node *md_tree_next(const md_tree *t, const md_node *n)
{
    ensure_sorted((md_tree *)t);
    return n->idx + 1 < t->n ? t->v[n->idx + 1] : NULL;
}

const char *md_node_path(const md_node *n) { return n->path; }
md_node_type md_node_type_of(const md_node *n) { return n->type; }
size_t md_node_children(const md_node *n) { return n->type == MD_NODE_DIR ? n->nchild : 0; }
const char *md_node_origin(const md_node *n) { return n->origin; }

const md_attr *md_node_attr(const md_node *n)
{
    return n->type == MD_NODE_HARDLINK ? &n->file->attr : &n->attr;
}

void md_node_set_attr(md_node *n, const md_attr *a)
{
    n->attr = *a;
}

const unsigned char *md_node_data(const md_node *n, size_t *size)
{
    if (n->type == MD_NODE_HARDLINK)
        n = n->file;
    if (n->type != MD_NODE_FILE) {
        if (size)
            *size = 0;
        return NULL;
    }
    if (size)
        *size = n->size;
    if (!n->data && n->size)
        return NULL; /* content not held (md_tree_add_file with NULL data) */
    return n->data ? n->data : (const unsigned char *)"";
}

const char *md_node_link_target(const md_node *n)
{
    if (n->type == MD_NODE_SYMLINK)
        return n->target;
    if (n->type == MD_NODE_HARDLINK)
        return n->file->path;
    return NULL;
}

void md_node_rdev(const md_node *n, unsigned *major, unsigned *minor)
{
    if (major)
        *major = n->major;
    if (minor)
        *minor = n->minor;
}
