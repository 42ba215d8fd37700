/* modindex — the module index for the modules a closure keeps.
 *
 * The index is produced here rather than by running depmod: depmod needs
 * the modules as files in a directory tree (we hold them in memory), and
 * its line order for modules outside modules.order follows readdir(), which
 * is not reproducible.  We follow depmod's rules otherwise (kmod 30,
 * tools/depmod.c): modules ordered by modules.order, dependencies ordered by
 * its topological sort, the same text formats, and the binary tries written
 * by kmodidx.  Dependencies come from each module's depends= (what modpost
 * computed from the same symbols depmod resolves).
 */
#include "image/modindex.h"

#include <stdlib.h>
#include <string.h>

#include "image/kmodidx.h"
#include "image/modules_int.h"
#include "core/mem.h"
#include "core/strv.h"

typedef struct outfile {
    const char *name;
    char *data;
    size_t len;
} outfile;

enum { OUT_MAX = 12 };

typedef struct sym_ref {
    const char *sym;
    size_t pos;
} sym_ref;

static int cmp_sym_ref(const void *a, const void *b)
{
    const sym_ref *x = a, *y = b;
    int c = strcmp(x->sym, y->sym);
    return c ? c : (x->pos < y->pos ? -1 : x->pos > y->pos);
}

typedef struct graph {
    md_mod **km;        /* kept modules in depmod's order (modules.order) */
    size_t nk;
    size_t **deps;   /* direct deps, as positions in km */
    size_t *ndeps;
    size_t *sortidx; /* topological position (depmod's dep_sort_idx) */
    sym_ref *syms;   /* exports of the kept modules, sorted by name */
    size_t nsyms;
} graph;

static int cmp_depmod_order(const void *a, const void *b)
{
    const md_mod *x = *(md_mod *const *)a, *y = *(md_mod *const *)b;
    if ((x->order < 0) != (y->order < 0))
        return x->order < 0 ? 1 : -1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->relpath, y->relpath);
}

static void graph_free(graph *g)
{
    for (size_t i = 0; i < g->nk; i++)
        free(g->deps[i]);
    free(g->deps);
    free(g->ndeps);
    free(g->sortidx);
    free(g->syms);
    free(g->km);
}

static void graph_symbols(graph *g)
{
    size_t ns = 0;
    for (size_t i = 0; i < g->nk; i++)
        ns += g->km[i]->mi.symbols.n;
    g->syms = md_xmalloc((ns ? ns : 1) * sizeof(sym_ref));
    ns = 0;
    for (size_t i = 0; i < g->nk; i++)
        for (size_t k = 0; k < g->km[i]->mi.symbols.n; k++)
            g->syms[ns++] = (sym_ref){ g->km[i]->mi.symbols.v[k], i };
    qsort(g->syms, ns, sizeof(sym_ref), cmp_sym_ref);
    g->nsyms = ns;
}

static long sym_owner(const graph *g, const char *sym)
{
    size_t lo = 0, hi = g->nsyms;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(g->syms[mid].sym, sym) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->nsyms && strcmp(g->syms[lo].sym, sym) == 0 ? (long)g->syms[lo].pos : -1;
}

static void add_dep(graph *g, size_t i, size_t p, size_t *users)
{
    for (size_t k = 0; k < g->ndeps[i]; k++)
        if (g->deps[i][k] == p)
            return;
    g->deps[i][g->ndeps[i]++] = p;
    users[p]++;
}

static int graph_build(const md_modules *md, graph *g, md_err *err)
{
    memset(g, 0, sizeof *g);
    g->nk = md->nkept;
    g->km = md_xmalloc((g->nk ? g->nk : 1) * sizeof(md_mod *));
    for (size_t i = 0; i < g->nk; i++)
        g->km[i] = &md->m[md->kept[i]];
    qsort(g->km, g->nk, sizeof(md_mod *), cmp_depmod_order);
    for (size_t i = 0; i < g->nk; i++)
        g->km[i]->pos = (long)i;
    g->deps = md_xcalloc(g->nk ? g->nk : 1, sizeof(size_t *));
    g->ndeps = md_xcalloc(g->nk ? g->nk : 1, sizeof(size_t));
    g->sortidx = md_xcalloc(g->nk ? g->nk : 1, sizeof(size_t));
    size_t *users = md_xcalloc(g->nk ? g->nk : 1, sizeof(size_t));
    graph_symbols(g);
    for (size_t i = 0; i < g->nk; i++) {
        const char *dl = md_kmodinfo_get(&g->km[i]->mi, "depends");
        md_strv names = { 0 };
        if (dl)
            md_strv_split(&names, dl, true);
        long *want = md_xcalloc(names.n ? names.n : 1, sizeof(long));
        for (size_t j = 0; j < names.n; j++) {
            char *norm = md_modules_normalize(names.v[j]);
            md_mod *d = md_modules_find(md, norm);
            free(norm);
            want[j] = d && d->kept ? d->pos : -1; /* -1: built in */
        }
        g->deps[i] = md_xcalloc(names.n ? names.n : 1, sizeof(size_t));
        /* The set is depends=; the order is that of the first undefined
         * symbol each one resolves, which is how depmod orders them (and
         * what its topological sort, and so the line order, depends on). */
        const md_strv *needs = &g->km[i]->mi.needs;
        for (size_t k = 0; k < needs->n; k++) {
            long p = sym_owner(g, needs->v[k]);
            for (size_t j = 0; p >= 0 && j < names.n; j++)
                if (want[j] == p)
                    add_dep(g, i, (size_t)p, users);
        }
        for (size_t j = 0; j < names.n; j++)
            if (want[j] >= 0)
                add_dep(g, i, (size_t)want[j], users);
        free(want);
        md_strv_free(&names);
    }
    /* depmod's Kahn sort: modules nobody uses first, LIFO stack. */
    size_t *stack = md_xmalloc((g->nk ? g->nk : 1) * sizeof(size_t)), ns = 0, sorted = 0;
    for (size_t i = 0; i < g->nk; i++)
        if (users[i] == 0)
            stack[ns++] = i;
    while (ns) {
        size_t src = stack[--ns];
        g->sortidx[src] = sorted++;
        for (size_t k = 0; k < g->ndeps[src]; k++)
            if (--users[g->deps[src][k]] == 0)
                stack[ns++] = g->deps[src][k];
    }
    int rc = 0;
    if (sorted < g->nk) {
        char list[1024] = "";
        for (size_t i = 0; i < g->nk; i++)
            if (users[i])
                snprintf(list + strlen(list), sizeof list - strlen(list), " %s", g->km[i]->name);
        rc = md_err_set(err, "kernel %s: modules depend on each other in a cycle:%s", md->kver, list);
    }
    free(stack);
    free(users);
    if (rc < 0)
        graph_free(g);
    return rc;
}

/* All dependencies of km[i], sorted by topological position. */
static size_t all_deps(const graph *g, size_t i, size_t *out, bool *seen)
{
    size_t n = 0, top = 0;
    size_t *stack = md_xmalloc((g->nk + 1) * sizeof(size_t));
    memset(seen, 0, g->nk * sizeof(bool));
    stack[top++] = i;
    while (top) {
        size_t c = stack[--top];
        for (size_t k = 0; k < g->ndeps[c]; k++) {
            size_t d = g->deps[c][k];
            if (seen[d])
                continue;
            seen[d] = true;
            out[n++] = d;
            stack[top++] = d;
        }
    }
    free(stack);
    for (size_t a = 1; a < n; a++) /* insertion sort: lists are short */
        for (size_t b = a; b > 0 && g->sortidx[out[b - 1]] > g->sortidx[out[b]]; b--) {
            size_t tmp = out[b];
            out[b] = out[b - 1];
            out[b - 1] = tmp;
        }
    return n;
}

static void add_out(outfile *out, size_t *nout, const char *name, char *data, size_t len)
{
    out[*nout] = (outfile){ name, data, len };
    (*nout)++;
}

/* Takes x.  rc is how building it went: a failed index (rc < 0) is dropped
 * and the failure returned, a good one is serialized into out. */
static int add_idx(outfile *out, size_t *nout, const char *name, md_kmodidx *x, int rc)
{
    if (rc < 0) {
        md_kmodidx_free(x);
        return -1;
    }
    size_t len;
    unsigned char *d = md_kmodidx_write(x, &len);
    add_out(out, nout, name, (char *)d, len);
    md_kmodidx_free(x);
    return 0;
}

static int write_dep(const graph *g, outfile *out, size_t *nout, md_err *err)
{
    char *txt;
    size_t tlen;
    FILE *f = md_xmemstream(&txt, &tlen);
    md_kmodidx *x = md_kmodidx_new();
    size_t *dl = md_xmalloc((g->nk + 1) * sizeof(size_t));
    bool *seen = md_xmalloc((g->nk + 1) * sizeof(bool));
    int rc = 0;
    for (size_t i = 0; i < g->nk && rc == 0; i++) {
        char *line;
        size_t llen;
        FILE *lf = md_xmemstream(&line, &llen);
        fprintf(lf, "%s:", g->km[i]->relpath);
        size_t n = all_deps(g, i, dl, seen);
        for (size_t k = 0; k < n; k++)
            fprintf(lf, " %s", g->km[dl[k]]->relpath);
        md_xmemstream_close(lf, &line);
        fprintf(f, "%s\n", line);
        rc = md_kmodidx_add(x, g->km[i]->name, line, (unsigned)i, err);
        free(line);
    }
    free(dl);
    free(seen);
    md_xmemstream_close(f, &txt);
    add_out(out, nout, "modules.dep", txt, tlen);
    return add_idx(out, nout, "modules.dep.bin", x, rc);
}

static int write_alias_softdep_devname(const graph *g, outfile *out, size_t *nout, md_err *err)
{
    char *at, *st, *dt;
    size_t al, sl, dlen;
    FILE *af = md_xmemstream(&at, &al), *sf = md_xmemstream(&st, &sl),
         *df = md_xmemstream(&dt, &dlen);
    fputs("# Aliases extracted from modules themselves.\n", af);
    fputs("# Soft dependencies extracted from modules themselves.\n", sf);
    md_kmodidx *x = md_kmodidx_new();
    int rc = 0;
    for (size_t i = 0; i < g->nk && rc == 0; i++) {
        const md_mod *m = g->km[i];
        const char *devname = NULL;
        char type = 0;
        unsigned major = 0, minor = 0;
        for (size_t k = 0; k < m->mi.info.n && rc == 0; k++) {
            const char *kv = m->mi.info.v[k];
            if (strncmp(kv, "softdep=", 8) == 0)
                fprintf(sf, "softdep %s %s\n", m->name, kv + 8);
            if (strncmp(kv, "alias=", 6) != 0)
                continue;
            const char *v = kv + 6;
            fprintf(af, "alias %s %s\n", v, m->name);
            char *a = md_modules_alias_normalize(v);
            if (a)
                rc = md_kmodidx_add(x, a, m->name, (unsigned)i, err);
            free(a);
            unsigned ma, mi;
            if (!devname || !type) {
                if (strncmp(v, "devname:", 8) == 0)
                    devname = v + 8;
                else if (sscanf(v, "char-major-%u-%u", &ma, &mi) == 2)
                    type = 'c', major = ma, minor = mi;
                else if (sscanf(v, "block-major-%u-%u", &ma, &mi) == 2)
                    type = 'b', major = ma, minor = mi;
            }
        }
        if (devname && type) {
            if (ftell(df) == 0) /* depmod: the header only above a first entry */
                fputs("# Device nodes to trigger on-demand module loading.\n", df);
            fprintf(df, "%s %s %c%u:%u\n", m->name, devname, type, major, minor);
        }
    }
    md_xmemstream_close(af, &at);
    md_xmemstream_close(sf, &st);
    md_xmemstream_close(df, &dt);
    add_out(out, nout, "modules.alias", at, al);
    add_out(out, nout, "modules.softdep", st, sl);
    add_out(out, nout, "modules.devname", dt, dlen);
    return add_idx(out, nout, "modules.alias.bin", x, rc);
}

static int write_symbols(const graph *g, outfile *out, size_t *nout, md_err *err)
{
    const sym_ref *refs = g->syms;
    size_t ns = g->nsyms;
    char *txt;
    size_t tlen;
    FILE *f = md_xmemstream(&txt, &tlen);
    fputs("# Aliases for symbols, used by symbol_request().\n", f);
    md_kmodidx *x = md_kmodidx_new();
    int rc = 0;
    for (size_t i = 0; i < ns && rc == 0; i++) {
        if (i && strcmp(refs[i].sym, refs[i - 1].sym) == 0)
            continue; /* one owner per symbol: the first in depmod order */
        const char *owner = g->km[refs[i].pos]->name;
        fprintf(f, "alias symbol:%s %s\n", refs[i].sym, owner);
        char *key = md_xasprintf("symbol:%s", refs[i].sym);
        rc = md_kmodidx_add(x, key, owner, (unsigned)refs[i].pos, err);
        free(key);
    }
    md_xmemstream_close(f, &txt);
    add_out(out, nout, "modules.symbols", txt, tlen);
    return add_idx(out, nout, "modules.symbols.bin", x, rc);
}

static int write_builtin(const md_modules *md, outfile *out, size_t *nout, md_err *err)
{
    md_kmodidx *x = md_kmodidx_new();
    int rc = 0;
    for (size_t i = 0; i < md->builtin_listed.n && rc == 0; i++)
        rc = md_kmodidx_add(x, md->builtin_listed.v[i], "", 0, err);
    if (add_idx(out, nout, "modules.builtin.bin", x, rc) < 0)
        return -1;
    x = md_kmodidx_new();
    for (size_t i = 0; i < md->balias.n && rc == 0; i++) {
        char *a = md_modules_alias_normalize(md->balias.v[i]);
        if (a)
            rc = md_kmodidx_add(x, a, md->balias_mod.v[i], 0, err);
        free(a);
    }
    if (rc == 0 && md_kmodidx_count(x) == 0) { /* depmod writes none when empty */
        md_kmodidx_free(x);
        return 0;
    }
    return add_idx(out, nout, "modules.builtin.alias.bin", x, rc);
}

static void write_order(const md_modules *md, outfile *out, size_t *nout)
{
    if (!md->order_lines.n)
        return;
    md_strv rels = { 0 };
    for (size_t i = 0; i < md->nkept; i++)
        md_strv_push_own(&rels, md_modules_order_relpath(md->m[md->kept[i]].relpath));
    md_strv_sort(&rels);
    char *txt;
    size_t tlen;
    FILE *f = md_xmemstream(&txt, &tlen);
    for (size_t i = 0; i < md->order_lines.n; i++) {
        const char *l = md->order_lines.v[i];
        if (md_strv_contains_sorted(&rels, l))
            fprintf(f, "%s\n", l);
    }
    md_xmemstream_close(f, &txt);
    md_strv_free(&rels);
    add_out(out, nout, "modules.order", txt, tlen);
}

static void outfiles_free(outfile *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(out[i].data);
}

static int build_index(const md_modules *md, outfile *out, size_t *nout, md_err *err)
{
    graph g;
    *nout = 0;
    if (graph_build(md, &g, err) < 0)
        return -1;
    int rc = write_dep(&g, out, nout, err);
    if (rc == 0)
        rc = write_alias_softdep_devname(&g, out, nout, err);
    if (rc == 0)
        rc = write_symbols(&g, out, nout, err);
    if (rc == 0)
        rc = write_builtin(md, out, nout, err);
    if (rc == 0)
        write_order(md, out, nout);
    graph_free(&g);
    if (rc < 0) {
        outfiles_free(out, *nout);
        *nout = 0;
        md_err_prefix(err, "kernel %s: module index", md->kver);
    }
    return rc;
}

int md_modindex_write(const md_modules *md, md_tree *t, md_err *err)
{
    outfile out[OUT_MAX];
    size_t nout;
    if (build_index(md, out, &nout, err) < 0)
        return -1;
    md_attr a = { 0644, 0, 0, md->mtime };
    int rc = 0;
    for (size_t i = 0; i < nout; i++) {
        char *p = md_xasprintf("%s/%s", md->dir, out[i].name);
        if (rc == 0)
            rc = md_tree_add_file(t, p, &a, (unsigned char *)out[i].data, out[i].len, "mkdom0",
                                  MD_CLASH_REPLACE, err);
        else
            free(out[i].data);
        free(p);
    }
    return rc;
}
