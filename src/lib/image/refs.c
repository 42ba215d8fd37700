/* refs — see refs.h.
 *
 * Cost: one pass over the image's bytes, and only while some candidate is
 * still unreferenced; each token is looked up by binary search among the
 * candidates' last components (a few dozen names), so a default image
 * (35 MB) takes a fraction of a second. */
#include "image/refs.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/elf.h"
#include "core/mem.h"

struct cand {
    const md_node *file;
    bool referenced;
};

/* The last component of one name of candidate `cand`. */
struct name {
    const char *base;
    size_t len, cand;
};

struct refs {
    struct cand *c;
    size_t nc, left;
    struct name *names;
    size_t nn;
    /* Quick rejects before the binary search: most tokens of a program's
     * bytes are short runs of letters that no name can match. */
    bool first[256], last[256], lens[256]; /* lens: of names shorter than 256 */
    size_t minlen, maxlen;
    bool tok[256]; /* the bytes of a token (refs.h) */
};

static int cmp_base(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al > bl) - (al < bl);
}

static int cmp_name(const void *x, const void *y)
{
    const struct name *a = x, *b = y;
    return cmp_base(a->base, a->len, b->base, b->len);
}

static long find_cand(const struct refs *r, const md_node *f)
{
    for (size_t i = 0; i < r->nc; i++)
        if (r->c[i].file == f)
            return (long)i;
    return -1;
}

static void add_name(struct refs *r, const char *path, size_t cand)
{
    const char *b = basename(path);
    size_t len = strlen(b);
    if (!len)
        return;
    r->names = md_xrealloc(r->names, (r->nn + 1) * sizeof *r->names);
    r->names[r->nn++] = (struct name){ b, len, cand };
    r->first[(unsigned char)b[0]] = r->last[(unsigned char)b[len - 1]] = true;
    if (len < 256)
        r->lens[len] = true;
    if (!r->minlen || len < r->minlen)
        r->minlen = len;
    if (len > r->maxlen)
        r->maxlen = len;
}

static void mark(struct refs *r, size_t i)
{
    if (!r->c[i].referenced) {
        r->c[i].referenced = true;
        r->left--;
    }
}

/* Token `tok` (len bytes) of file `in`: mark the candidates it names. */
static void token(struct refs *r, const md_node *in, const char *tok, size_t len)
{
    if (len < r->minlen || !r->last[(unsigned char)tok[len - 1]])
        return;
    const char *slash = memrchr(tok, '/', len);
    const char *b = slash ? slash + 1 : tok;
    size_t bl = len - (size_t)(b - tok);
    if (bl < r->minlen || bl > r->maxlen || (bl < 256 && !r->lens[bl]) ||
        !r->first[(unsigned char)*b])
        return;
    size_t lo = 0, hi = r->nn;
    while (lo < hi) { /* first name >= b */
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_base(r->names[mid].base, r->names[mid].len, b, bl) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < r->nn && cmp_base(r->names[lo].base, r->names[lo].len, b, bl) == 0; lo++)
        if (r->c[r->names[lo].cand].file != in)
            mark(r, r->names[lo].cand);
}

static void scan(struct refs *r, const md_node *in, const unsigned char *d, size_t size)
{
    const bool *tok_byte = r->tok;
    bool text = memchr(d, 0, size) == NULL, line_start = true;
    for (size_t i = 0; i < size && r->left;) {
        if (text && line_start) {
            while (i < size && (d[i] == ' ' || d[i] == '\t'))
                i++;
            line_start = false;
            if (i < size && d[i] == '#' && !(i == 0 && size > 1 && d[1] == '!')) {
                const unsigned char *nl = memchr(d + i, '\n', size - i);
                i = nl ? (size_t)(nl - d) : size;
                continue;
            }
        }
        if (tok_byte[d[i]]) {
            size_t j = i;
            while (j < size && tok_byte[d[j]])
                j++;
            token(r, in, (const char *)d + i, j - i);
            i = j;
        } else {
            line_start = d[i] == '\n';
            i++;
        }
    }
}

size_t md_refs_unreferenced(const md_tree *t, size_t min_bytes, const char *const *entry,
                            md_strv *out)
{
    struct refs r = { 0 };
    for (int ch = 0; ch < 256; ch++)
        r.tok[ch] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    ch == '.' || ch == '_' || ch == '+' || ch == '-' || ch == '/';
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        size_t size = 0;
        if (md_node_type_of(n) != MD_NODE_FILE || !md_node_data(n, &size) || size <= min_bytes)
            continue;
        r.c = md_xrealloc(r.c, (r.nc + 1) * sizeof *r.c);
        r.c[r.nc] = (struct cand){ n, false };
        add_name(&r, md_node_path(n), r.nc);
        r.nc++;
    }
    r.left = r.nc;
    for (md_node *n = md_tree_first(t); r.nc && n; n = md_tree_next(t, n)) {
        md_node_type ty = md_node_type_of(n);
        if (ty != MD_NODE_SYMLINK && ty != MD_NODE_HARDLINK)
            continue;
        long i = find_cand(&r, md_tree_resolve_file(t, md_node_path(n)));
        if (i >= 0)
            add_name(&r, md_node_path(n), (size_t)i);
    }
    for (; entry && *entry; entry++) {
        long i = find_cand(&r, md_tree_resolve_file(t, *entry));
        if (i >= 0)
            mark(&r, (size_t)i);
    }
    if (r.nn)
        qsort(r.names, r.nn, sizeof *r.names, cmp_name);
    /* Hardlinks share their file's bytes: scanning the file covers them. */
    for (md_node *n = md_tree_first(t); r.left && n; n = md_tree_next(t, n)) {
        size_t size = 0;
        const unsigned char *d = md_node_type_of(n) == MD_NODE_FILE ? md_node_data(n, &size) : NULL;
        if (d && size)
            scan(&r, n, d, size);
    }
    size_t added = 0;
    for (size_t i = 0; i < r.nc; i++)
        if (!r.c[i].referenced) {
            md_strv_push(out, md_node_path(r.c[i].file));
            added++;
        }
    free(r.c);
    free(r.names);
    return added;
}

/* ---- libraries ---- */

struct needs {
    const md_tree *t;
    const char *path; /* the ELF file */
    md_strv dirs;     /* its DT_RPATH/DT_RUNPATH directories, $ORIGIN expanded */
    md_strv *out;
    size_t added;
};

static bool add_dirs(void *ctx, const char *s)
{
    struct needs *x = ctx;
    const char *slash = strrchr(x->path, '/');
    int dl = slash ? (int)(slash - x->path) : 0;
    md_strv parts = { 0 };
    md_strv_split(&parts, s, false);
    for (size_t i = 0; i < parts.n; i++) {
        /* ':'-separated; md_strv_split splits on blanks only */
        char *p = parts.v[i], *c;
        while (p) {
            c = strchr(p, ':');
            if (c)
                *c = '\0';
            if (!strncmp(p, "$ORIGIN", 7) || !strncmp(p, "${ORIGIN}", 9))
                md_strv_pushf(&x->dirs, "%.*s%s", dl, x->path, p + (p[1] == '{' ? 9 : 7));
            else if (*p == '/')
                md_strv_push(&x->dirs, p);
            p = c ? c + 1 : NULL;
        }
    }
    md_strv_free(&parts);
    return true;
}

static char *found_in(const md_tree *t, const char *dir, const char *lib)
{
    char *p = md_xasprintf("%s/%s", dir, lib);
    if (md_tree_resolve_file(t, p))
        return p;
    free(p);
    return NULL;
}

/* The loader's search (refs.h) for `lib` in the tree, with `dirs` the
 * file's DT_RPATH/DT_RUNPATH directories. */
static char *search(const md_tree *t, const md_strv *dirs, const char *lib)
{
    static const char *const system_dirs[] = { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
                                               "/lib", "/usr/lib" };
    if (strchr(lib, '/'))
        return md_tree_resolve_file(t, lib) ? md_xstrdup(lib) : NULL;
    char *p = NULL;
    for (size_t i = 0; !p && i < dirs->n; i++)
        p = found_in(t, dirs->v[i], lib);
    for (size_t i = 0; !p && i < sizeof system_dirs / sizeof *system_dirs; i++)
        p = found_in(t, system_dirs[i], lib);
    return p;
}

static bool check_needed(void *ctx, const char *lib)
{
    struct needs *x = ctx;
    char *p = search(x->t, &x->dirs, lib);
    if (!p) {
        md_strv_pushf(x->out, "%s: needs %s, which is not in the image", x->path, lib);
        x->added++;
    }
    free(p);
    return true;
}

char *md_refs_find_library(const md_tree *t, const char *path, const md_elf *e, const char *lib)
{
    struct needs x = { t, path, { 0 }, NULL, 0 };
    md_elf_dynamic_strings(e, MD_ELF_DT_RPATH, add_dirs, &x);
    md_elf_dynamic_strings(e, MD_ELF_DT_RUNPATH, add_dirs, &x);
    char *p = search(t, &x.dirs, lib);
    md_strv_free(&x.dirs);
    return p;
}

size_t md_refs_missing_libraries(const md_tree *t, md_strv *out)
{
    size_t added = 0;
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        size_t size = 0;
        const unsigned char *d = md_node_type_of(n) == MD_NODE_FILE ? md_node_data(n, &size) : NULL;
        md_elf e;
        md_err err = MD_ERR_INIT;
        if (!d || !md_elf_is(d, size) || md_elf_open(&e, md_node_path(n), d, size, &err) < 0)
            continue; /* not a 64-bit ELF file we can read: nothing to say */
        struct needs x = { t, md_node_path(n), { 0 }, out, 0 };
        md_elf_dynamic_strings(&e, MD_ELF_DT_RPATH, add_dirs, &x);
        md_elf_dynamic_strings(&e, MD_ELF_DT_RUNPATH, add_dirs, &x);
        md_elf_dynamic_strings(&e, MD_ELF_DT_NEEDED, check_needed, &x);
        md_strv_free(&x.dirs);
        added += x.added;
    }
    return added;
}
