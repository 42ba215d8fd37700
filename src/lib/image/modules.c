/* modules — the closure of an allowlist of kernel modules (trap 5): which
 * module files of the image's kernel stay, and why.  The index for them is
 * written by modindex.c.
 */
#include "image/modules.h"

#include <ctype.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/kmodelf.h"
#include "image/modules_int.h"
#include "core/mem.h"
#include "core/strv.h"

/* ---- names ---- */

char *md_modules_normalize(const char *name)
{
    char *r = md_xstrdup(name);
    for (char *p = r; *p; p++)
        if (*p == '-')
            *p = '_';
    return r;
}

/* depmod's underscores2(): '-' -> '_' except inside [...] ranges of an alias
 * pattern.  NULL for an unmatched bracket (depmod skips such aliases). */
char *md_modules_alias_normalize(const char *a)
{
    char *r = md_xstrdup(a);
    for (size_t i = 0; r[i]; i++) {
        if (r[i] == '-') {
            r[i] = '_';
        } else if (r[i] == ']') {
            free(r);
            return NULL;
        } else if (r[i] == '[') {
            char *close = strchr(r + i, ']');
            if (!close) {
                free(r);
                return NULL;
            }
            i = (size_t)(close - r);
        }
    }
    return r;
}

static const char *const ko_exts[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz", NULL };

/* Length of the module name part of a file name, 0 if not a module. */
static size_t modfile_stem(const char *base)
{
    size_t bl = strlen(base);
    for (int i = 0; ko_exts[i]; i++) {
        size_t el = strlen(ko_exts[i]);
        if (bl > el && strcmp(base + bl - el, ko_exts[i]) == 0)
            return bl - el;
    }
    return 0;
}

char *md_modules_name_of(const char *path, bool need_ko)
{
    const char *b = basename(path);
    if (need_ko && !modfile_stem(b))
        return NULL;
    char *stem = md_xstrndup(b, strcspn(b, ".\n")), *r = md_modules_normalize(stem);
    free(stem);
    return r;
}

char *md_modules_order_relpath(const char *rel)
{
    const char *b = basename(rel);
    size_t stem = modfile_stem(b);
    return md_xstrndup(rel, (size_t)(b - rel) + stem + 3);
}

/* ---- the modules directory ---- */

static const char *const module_roots[] = { "/lib/modules", "/usr/lib/modules", NULL };

void md_modules_kernel_dirs(const md_tree *t, md_strv *out)
{
    for (int i = 0; module_roots[i]; i++) {
        const md_node *root = md_tree_resolve(t, module_roots[i]);
        if (!root || md_node_type_of(root) != MD_NODE_DIR)
            continue;
        const char *rp = md_node_path(root);
        size_t rl = strlen(rp);
        for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
            const char *p = md_node_path(n);
            if (md_node_type_of(n) == MD_NODE_DIR && !strncmp(p, rp, rl) && p[rl] == '/' &&
                !strchr(p + rl + 1, '/') && !md_strv_contains(out, p))
                md_strv_push(out, p);
        }
    }
    md_strv_sort(out);
}

char *md_modules_image_release(const unsigned char *data, size_t len)
{
    if (len < 0x210 || data[0x1fe] != 0x55 || data[0x1ff] != 0xaa || memcmp(data + 0x202, "HdrS", 4))
        return NULL;
    unsigned proto = data[0x206] | (unsigned)data[0x207] << 8;
    size_t at = (size_t)(data[0x20e] | (unsigned)data[0x20f] << 8);
    if (proto < 0x200 || !at || at + 0x200 >= len)
        return NULL;
    const char *s = (const char *)data + at + 0x200;
    size_t max = len - at - 0x200, n = 0;
    /* a release is a directory name: printable, no '/', at most a line */
    while (n < max && n < 256 && s[n] > ' ' && s[n] < 0x7f && s[n] != '/')
        n++;
    if (!n || n == max || n == 256 || (s[n] != ' ' && s[n] != '\0') || !strncmp(s, ".", n) ||
        !strncmp(s, "..", n))
        return NULL;
    return md_xstrndup(s, n);
}

char *md_modules_detect_kver(const md_tree *t, md_err *err)
{
    const md_node *root = NULL;
    for (int i = 0; module_roots[i] && !root; i++) {
        root = md_tree_resolve(t, module_roots[i]);
        root = root && md_node_type_of(root) == MD_NODE_DIR ? root : NULL;
    }
    if (!root) {
        md_err_set(err, "no /lib/modules in the image: no kernel package installed "
                        "(or its modules removed by a path filter)");
        return NULL;
    }
    md_strv v = { 0 };
    md_modules_kernel_dirs(t, &v);
    char *r = NULL;
    if (v.n == 1) {
        r = md_xstrdup(strrchr(v.v[0], '/') + 1);
    } else if (v.n == 0) {
        md_err_set(err, "%s is empty: no kernel modules installed", md_node_path(root));
    } else {
        char list[1024] = "";
        for (size_t i = 0; i < v.n; i++) {
            /* names from a package or a modloop: shown escaped (trial 9e) */
            char *k = md_err_shown(strrchr(v.v[i], '/') + 1);
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", k);
            free(k);
        }
        md_err_set(err, "several kernels under %s (%s): an image carries the modules of one "
                        "kernel; leave one kernel in the spec (one kernel package in [Packages], "
                        "or only [Kernel] Modloop=)", md_node_path(root), list);
    }
    md_strv_free(&v);
    return r;
}

static int cmp_mod(const void *a, const void *b)
{
    const md_mod *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->relpath, y->relpath);
}

static int cmp_mod_key(const void *key, const void *m) { return strcmp(key, ((const md_mod *)m)->name); }

md_mod *md_modules_find(const md_modules *md, const char *norm)
{
    return md->n ? bsearch(norm, md->m, md->n, sizeof *md->m, cmp_mod_key) : NULL;
}

static bool is_builtin(const md_modules *md, const char *norm)
{
    return md_strv_contains_sorted(&md->builtin_names, norm);
}

static void split_lines(md_strv *out, const unsigned char *d, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && d[j] != '\n')
            j++;
        if (j > i)
            md_strv_push_own(out, md_xstrndup((const char *)d + i, j - i));
        i = j + 1;
    }
}

static const unsigned char *file_in(const md_tree *t, const char *dir, const char *name,
                                    size_t *len)
{
    char *p = md_xasprintf("%s/%s", dir, name);
    const md_node *n = md_tree_resolve_file(t, p);
    free(p);
    return n ? md_node_data(n, len) : NULL;
}

bool md_modules_read_builtin(const md_tree *t, const char *dir, md_strv *names)
{
    char *p = md_xasprintf("%s/modules.builtin", dir);
    const md_node *n = md_tree_resolve_file(t, p);
    free(p);
    if (!n)
        return false;
    size_t len = 0;
    const unsigned char *d = md_node_data(n, &len);
    md_strv lines = { 0 };
    if (d)
        split_lines(&lines, d, len);
    for (size_t i = 0; i < lines.n; i++)
        if (isalpha((unsigned char)lines.v[i][0]))
            md_strv_push_own(names, md_modules_name_of(lines.v[i], false));
    md_strv_free(&lines);
    return true;
}

static void load_builtin(md_modules *md, const md_tree *t)
{
    md_modules_read_builtin(t, md->dir, &md->builtin_listed);
    for (size_t i = 0; i < md->builtin_listed.n; i++)
        md_strv_push(&md->builtin_names, md->builtin_listed.v[i]);
    md_strv_sort(&md->builtin_names);
    /* "modname.key=value\0" records */
    size_t len;
    const unsigned char *d = file_in(t, md->dir, "modules.builtin.modinfo", &len);
    for (size_t i = 0; d && i < len;) {
        size_t j = i;
        while (j < len && d[j])
            j++;
        const char *rec = (const char *)d + i;
        const char *dot = memchr(rec, '.', j - i);
        if (dot && (size_t)(j - i) > (size_t)(dot - rec) + 7 && strncmp(dot + 1, "alias=", 6) == 0) {
            md_strv_push_own(&md->balias, md_xstrndup(dot + 7, j - i - (size_t)(dot - rec) - 7));
            md_strv_push_own(&md->balias_mod, md_xstrndup(rec, (size_t)(dot - rec)));
        }
        i = j + 1;
    }
}

typedef struct line_ref {
    const char *s;
    long line;
} line_ref;

static int cmp_line_ref(const void *a, const void *b)
{
    return strcmp(((const line_ref *)a)->s, ((const line_ref *)b)->s);
}

static void load_order(md_modules *md, const md_tree *t)
{
    size_t len;
    const unsigned char *d = file_in(t, md->dir, "modules.order", &len);
    if (!d)
        return;
    split_lines(&md->order_lines, d, len);
    /* A few thousand lines: sort (path, line) pairs once, then bsearch. */
    size_t n = md->order_lines.n;
    line_ref *refs = md_xmalloc((n ? n : 1) * sizeof(line_ref));
    for (size_t i = 0; i < n; i++)
        refs[i] = (line_ref){ md->order_lines.v[i], (long)i };
    qsort(refs, n, sizeof(line_ref), cmp_line_ref);
    for (size_t i = 0; i < md->n; i++) {
        line_ref key = { md_modules_order_relpath(md->m[i].relpath), 0 };
        line_ref *hit = n ? bsearch(&key, refs, n, sizeof(line_ref), cmp_line_ref) : NULL;
        md->m[i].order = hit ? hit->line : -1;
        free((char *)key.s);
    }
    free(refs);
}

static int scan(md_modules *md, const md_tree *t, md_err *err)
{
    size_t dl = strlen(md->dir), cap = 0;
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        const char *p = md_node_path(n);
        md_node_type ty = md_node_type_of(n);
        if (strncmp(p, md->dir, dl) != 0 || p[dl] != '/')
            continue;
        if (ty != MD_NODE_FILE && ty != MD_NODE_HARDLINK)
            continue;
        char *name = md_modules_name_of(p, true);
        if (!name)
            continue;
        md->m = md_xgrow(md->m, &cap, md->n + 1, sizeof(md_mod));
        size_t sz;
        md_node_data(n, &sz);
        md_mod *m = &md->m[md->n++];
        memset(m, 0, sizeof *m);
        m->name = name;
        m->relpath = md_xstrdup(p + dl + 1);
        m->path = md_xstrdup(p);
        m->size = sz;
        m->order = -1;
    }
    if (md->n)
        qsort(md->m, md->n, sizeof(md_mod), cmp_mod);
    /* Two files for one name: as depmod, "updates/" wins; otherwise the
     * image would depend on which one a reader happens to pick. */
    for (size_t i = 1; i < md->n; i++) {
        if (strcmp(md->m[i - 1].name, md->m[i].name) != 0)
            continue;
        md_mod *a = &md->m[i - 1], *b = &md->m[i];
        bool au = strncmp(a->relpath, "updates/", 8) == 0, bu = strncmp(b->relpath, "updates/", 8) == 0;
        if (au == bu)
            return md_err_set(err, "kernel %s: module %s exists twice: %s and %s", md->kver,
                              a->name, a->relpath, b->relpath);
        md_mod *lose = au ? b : a;
        md_strv_pushf(&md->notes, "%s: %s overrides %s (updates/ wins, as for depmod)",
                      a->name, (au ? a : b)->relpath, lose->relpath);
        /* Out of the lookup table (DEL sorts after every name) but still in
         * the list, so apply removes its file. */
        char *hidden = md_xasprintf("\x7f%s", lose->name);
        free(lose->name);
        lose->name = hidden;
    }
    if (md->n)
        qsort(md->m, md->n, sizeof(md_mod), cmp_mod);
    return 0;
}

/* ---- modinfo ---- */

static int parse_mod(md_modules *md, const md_tree *t, md_mod *m, md_err *err)
{
    if (m->parsed)
        return 0;
    md_node *n = md_tree_lookup(t, m->path);
    size_t len;
    const unsigned char *d = n ? md_node_data(n, &len) : NULL;
    if (!d)
        return md_err_set(err, "%s: module file vanished from the tree", m->path);
    if (md_kmodelf_read(m->path, d, len, &m->mi, err) < 0) {
        md_err_prefix(err, "kernel %s (%s)", md->kver, md_node_origin(n));
        return -1;
    }
    m->parsed = true;
    return 0;
}

/* Aliases need every module's .modinfo: read them all, once, only when an
 * allowlist or softdep name is neither a module nor built in.  Compressed
 * kernels (trixie: .ko.xz) make that seconds of decompression, so it runs on
 * a few threads; each works on buffers looked up beforehand (the tree is not
 * touched from threads) and the first error in module order is reported, so
 * the outcome does not depend on scheduling. */
typedef struct parse_job {
    md_modules *md;
    const unsigned char **data;
    size_t *len;
    md_err *errs;
    size_t next;
    pthread_mutex_t lock;
} parse_job;

static void *parse_worker(void *arg)
{
    parse_job *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        size_t i = j->next++;
        pthread_mutex_unlock(&j->lock);
        if (i >= j->md->n)
            return NULL;
        md_mod *m = &j->md->m[i];
        if (m->parsed || !j->data[i])
            continue;
        if (md_kmodelf_read(m->path, j->data[i], j->len[i], &m->mi, &j->errs[i]) == 0)
            m->parsed = true;
    }
}

static int parse_all(md_modules *md, const md_tree *t, md_err *err)
{
    if (md->all_parsed)
        return 0;
    parse_job j = { md, md_xcalloc(md->n + 1, sizeof(*j.data)), md_xcalloc(md->n + 1, sizeof(size_t)),
                    md_xcalloc(md->n + 1, sizeof(md_err)), 0, PTHREAD_MUTEX_INITIALIZER };
    for (size_t i = 0; i < md->n; i++) {
        md_node *n = md->m[i].parsed ? NULL : md_tree_lookup(t, md->m[i].path);
        j.data[i] = n ? md_node_data(n, &j.len[i]) : NULL;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cpus < 1 ? 1 : cpus > 8 ? 8 : (size_t)cpus, started = 0;
    pthread_t th[8];
    for (size_t k = 1; k < nt; k++)
        if (pthread_create(&th[started], NULL, parse_worker, &j) == 0)
            started++;
    parse_worker(&j);
    for (size_t k = 0; k < started; k++)
        pthread_join(th[k], NULL);
    int rc = 0;
    for (size_t i = 0; i < md->n && rc == 0; i++) {
        if (md->m[i].parsed)
            continue;
        if (j.errs[i].set) {
            md_err_set(err, "%s", j.errs[i].msg);
            md_err_prefix(err, "kernel %s", md->kver);
        } else {
            md_err_set(err, "%s: module file vanished from the tree", md->m[i].path);
        }
        rc = -1;
    }
    free(j.data);
    free(j.len);
    free(j.errs);
    pthread_mutex_destroy(&j.lock);
    if (rc == 0)
        md->all_parsed = true;
    return rc;
}

/* Modules whose alias= matches `norm` (fnmatch, as modprobe does); pushes
 * indices into `hits` and returns their count.  *builtin is set when a
 * built-in module has a matching alias. */
static size_t alias_lookup(const md_modules *md, const char *norm, size_t **hits, bool *builtin)
{
    size_t nh = 0;
    *hits = NULL;
    *builtin = false;
    for (size_t i = 0; i < md->n; i++) {
        const md_strv *info = &md->m[i].mi.info;
        for (size_t k = 0; k < info->n; k++) {
            if (strncmp(info->v[k], "alias=", 6) != 0)
                continue;
            char *a = md_modules_alias_normalize(info->v[k] + 6);
            bool hit = a && fnmatch(a, norm, 0) == 0;
            free(a);
            if (hit && md->m[i].name[0] != '\x7f') {
                *hits = md_xrealloc(*hits, (nh + 1) * sizeof(size_t));
                (*hits)[nh++] = i;
                break;
            }
        }
    }
    for (size_t k = 0; k < md->balias.n && !*builtin; k++) {
        char *a = md_modules_alias_normalize(md->balias.v[k]);
        *builtin = a && fnmatch(a, norm, 0) == 0;
        free(a);
    }
    return nh;
}

/* ---- closure ---- */

static void keep(md_modules *md, md_mod *m, char *reason)
{
    if (m->kept) {
        free(reason);
        return;
    }
    m->kept = true;
    m->reason = reason;
    md->kept = md_xrealloc(md->kept, (md->nkept + 1) * sizeof(size_t));
    md->kept[md->nkept++] = (size_t)(m - md->m);
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* " (did you mean: a, b?)" or "". */
static char *near_matches(const md_modules *md, const char *norm)
{
    const char *best[3] = { 0 };
    size_t bestd[3] = { 99, 99, 99 };
    size_t limit = strlen(norm) <= 4 ? 1 : 2;
    for (size_t pass = 0; pass < 2; pass++) {
        const md_strv *bn = &md->builtin_names;
        size_t cnt = pass ? bn->n : md->n;
        for (size_t i = 0; i < cnt; i++) {
            const char *cand = pass ? bn->v[i] : md->m[i].name;
            size_t d = edit_distance(norm, cand);
            if (d > limit && !(strlen(norm) >= 3 && strstr(cand, norm) && strlen(cand) <= strlen(norm) + 4))
                continue;
            if (d > limit)
                d = limit + 1;
            for (int k = 0; k < 3; k++) {
                if (d < bestd[k] || (d == bestd[k] && best[k] && strcmp(cand, best[k]) < 0)) {
                    for (int s = 2; s > k; s--) {
                        best[s] = best[s - 1];
                        bestd[s] = bestd[s - 1];
                    }
                    best[k] = cand;
                    bestd[k] = d;
                    break;
                }
                if (best[k] && strcmp(best[k], cand) == 0)
                    break;
            }
        }
    }
    if (!best[0])
        return md_xstrdup("");
    return md_xasprintf(" (did you mean %s%s%s%s%s?)", best[0], best[1] ? ", " : "",
                        best[1] ? best[1] : "", best[2] ? ", " : "", best[2] ? best[2] : "");
}

typedef enum { FOUND_NONE, FOUND_MODULE, FOUND_BUILTIN, FOUND_ALIAS } found_kind;

/* Resolve a user or softdep name like modprobe: module, built-in, alias. */
static found_kind resolve_name(md_modules *md, const md_tree *t, const char *name,
                               size_t **hits, size_t *nhits, md_err *err)
{
    char *norm = md_modules_normalize(name);
    found_kind k = FOUND_NONE;
    *hits = NULL;
    *nhits = 0;
    md_mod *m = md_modules_find(md, norm);
    if (m) {
        *hits = md_xmalloc(sizeof(size_t));
        (*hits)[0] = (size_t)(m - md->m);
        *nhits = 1;
        k = FOUND_MODULE;
    } else if (is_builtin(md, norm)) {
        k = FOUND_BUILTIN;
    } else if (parse_all(md, t, err) == 0) {
        bool b;
        *nhits = alias_lookup(md, norm, hits, &b);
        k = *nhits ? FOUND_ALIAS : b ? FOUND_BUILTIN : FOUND_NONE;
    } else {
        k = FOUND_NONE;
    }
    free(norm);
    return k;
}

static void note_firmware(md_modules *md, const md_tree *t, const md_mod *m)
{
    static const char *const sfx[] = { "", ".xz", ".zst", NULL };
    for (size_t i = 0; i < m->mi.info.n; i++) {
        const char *kv = m->mi.info.v[i];
        if (strncmp(kv, "firmware=", 9) != 0)
            continue;
        bool have = false;
        for (int s = 0; sfx[s] && !have; s++) {
            char *p = md_xasprintf("/lib/firmware/%s%s", kv + 9, sfx[s]);
            have = md_tree_resolve(t, p) != NULL;
            free(p);
        }
        if (!have)
            md_strv_pushf(&md->notes, "%s: firmware %s is not in the image",
                          m->name, kv + 9);
    }
}

/* "pre: a b post: c" -> names with their kind; tokens before any marker are
 * ignored, as kmod does. */
static void softdep_names(const char *v, md_strv *pre, md_strv *post)
{
    md_strv tok = { 0 };
    md_strv_split(&tok, v, false);
    md_strv *cur = NULL;
    for (size_t i = 0; i < tok.n; i++) {
        if (strcmp(tok.v[i], "pre:") == 0)
            cur = pre;
        else if (strcmp(tok.v[i], "post:") == 0)
            cur = post;
        else if (cur)
            md_strv_push(cur, tok.v[i]);
    }
    md_strv_free(&tok);
}

static int follow_softdeps(md_modules *md, const md_tree *t, const md_mod *m, md_err *err)
{
    for (size_t i = 0; i < m->mi.info.n; i++) {
        const char *kv = m->mi.info.v[i];
        if (strncmp(kv, "softdep=", 8) != 0)
            continue;
        md_strv names[2] = { { 0 }, { 0 } };
        softdep_names(kv + 8, &names[0], &names[1]);
        for (int w = 0; w < 2; w++) {
            for (size_t j = 0; j < names[w].n; j++) {
                const char *nm = names[w].v[j];
                size_t *hits, nh;
                found_kind k = resolve_name(md, t, nm, &hits, &nh, err);
                if (err->set) {
                    free(hits);
                    md_strv_free(&names[0]);
                    md_strv_free(&names[1]);
                    return -1;
                }
                const char *when = w ? "post" : "pre";
                if (k == FOUND_NONE)
                    md_strv_pushf(&md->notes, "%s: softdep (%s) %s is neither a module "
                                  "nor built in (modprobe skips it too)",
                                  m->name, when, nm);
                else if (k == FOUND_BUILTIN) {
                    char *bn = md_modules_normalize(nm);
                    char *line = md_xasprintf("%s (softdep of %s)", bn, m->name);
                    if (!md_strv_contains(&md->builtin_report, line))
                        md_strv_push(&md->builtin_report, line);
                    free(line);
                    free(bn);
                }
                for (size_t h = 0; h < nh; h++) {
                    md_mod *d = &md->m[hits[h]];
                    char *norm = md_modules_normalize(nm);
                    keep(md, d, strcmp(norm, d->name) == 0
                                    ? md_xasprintf("softdep (%s) of %s", when, m->name)
                                    : md_xasprintf("softdep (%s) of %s via %s", when, m->name, nm));
                    free(norm);
                }
                free(hits);
            }
        }
        md_strv_free(&names[0]);
        md_strv_free(&names[1]);
    }
    return 0;
}

static int follow_depends(md_modules *md, const md_mod *m, md_err *err)
{
    const char *deps = md_kmodinfo_get(&m->mi, "depends");
    if (!deps || !*deps)
        return 0;
    md_strv names = { 0 };
    md_strv_split(&names, deps, true);
    int rc = 0;
    for (size_t j = 0; j < names.n && rc == 0; j++) {
        char *norm = md_modules_normalize(names.v[j]);
        md_mod *d = md_modules_find(md, norm);
        if (d)
            keep(md, d, md_xasprintf("dependency of %s", m->name));
        else if (!is_builtin(md, norm))
            rc = md_err_set(err, "kernel %s: module %s needs %s (depends=), which is not in the "
                                 "image: was it dropped by a path filter?", md->kver, m->name, norm);
        free(norm);
    }
    md_strv_free(&names);
    return rc;
}

/* A symlink under the module directory whose name is module `norm`'s
 * (scan() takes files only: a module is loaded from its own file, and a
 * link could lead anywhere), so that an allowlisted name that is only a
 * link is said to be one (trial 13x F8), not missing; NULL if none. */
static const md_node *symlinked_module(const md_modules *md, const md_tree *t, const char *norm)
{
    size_t dl = strlen(md->dir);
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        const char *p = md_node_path(n);
        if (md_node_type_of(n) != MD_NODE_SYMLINK || strncmp(p, md->dir, dl) || p[dl] != '/')
            continue;
        char *name = md_modules_name_of(p, true);
        bool same = name && !strcmp(name, norm);
        free(name);
        if (same)
            return n;
    }
    return NULL;
}

static int allow_one(md_modules *md, const md_tree *t, const char *name, md_strv *unknown,
                     md_err *err)
{
    size_t *hits, nh;
    found_kind k = resolve_name(md, t, name, &hits, &nh, err);
    if (err->set) {
        free(hits);
        return -1;
    }
    char *norm = md_modules_normalize(name);
    const md_node *link = k == FOUND_NONE ? symlinked_module(md, t, norm) : NULL;
    if (link) {
        md_strv_pushf(unknown, "%s (%s is a symlink to %s, left out: a module must be a file)",
                      name, md_node_path(link), md_node_link_target(link));
    } else if (k == FOUND_NONE) {
        char *sugg = near_matches(md, norm);
        md_strv_pushf(unknown, "%s%s", name, sugg);
        free(sugg);
    } else if (k == FOUND_BUILTIN) {
        char *line = md_xasprintf("%s (allowlist)", norm);
        if (!md_strv_contains(&md->builtin_report, line))
            md_strv_push(&md->builtin_report, line);
        free(line);
    }
    for (size_t h = 0; h < nh; h++) {
        md_mod *m = &md->m[hits[h]];
        keep(md, m, k == FOUND_ALIAS ? md_xasprintf("allowlist via alias %s", name)
                                     : md_xstrdup("allowlist"));
    }
    free(norm);
    free(hits);
    return 0;
}

static int closure(md_modules *md, const md_tree *t, const char *const *allow, md_err *err)
{
    md_strv unknown = { 0 };
    for (size_t i = 0; allow && allow[i]; i++)
        if (allow_one(md, t, allow[i], &unknown, err) < 0) {
            md_strv_free(&unknown);
            return -1;
        }
    if (unknown.n) {
        char msg[1536] = "";
        for (size_t i = 0; i < unknown.n; i++)
            snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "%s%s", i ? "; " : "", unknown.v[i]);
        md_err_set(err, "kernel %s has no module %s: not under %s and not built in (modules.builtin)",
                   md->kver, msg, md->dir);
        md_strv_free(&unknown);
        return -1;
    }
    md_strv_free(&unknown);
    for (size_t q = 0; q < md->nkept; q++) {
        md_mod *m = &md->m[md->kept[q]];
        if (parse_mod(md, t, m, err) < 0 || follow_depends(md, m, err) < 0 ||
            follow_softdeps(md, t, m, err) < 0)
            return -1;
        note_firmware(md, t, m);
    }
    return 0;
}

md_modules *md_modules_resolve(const md_tree *t, const char *kver, const char *const *allow,
                               md_err *err)
{
    char *kv = kver ? md_xstrdup(kver) : md_modules_detect_kver(t, err);
    if (!kv)
        return NULL;
    char *want = md_xasprintf("/lib/modules/%s", kv);
    md_node *dir = md_tree_resolve(t, want);
    if (!dir || md_node_type_of(dir) != MD_NODE_DIR) {
        free(want);
        want = md_xasprintf("/usr/lib/modules/%s", kv);
        dir = md_tree_resolve(t, want);
    }
    if (!dir || md_node_type_of(dir) != MD_NODE_DIR) {
        md_err e2 = MD_ERR_INIT;
        char *have = md_modules_detect_kver(t, &e2);
        md_err_set(err, "kernel %s: /lib/modules/%s is not in the image (%s%s)", kv, kv,
                   have ? "it has " : "", have ? have : e2.msg);
        free(have);
        free(want);
        free(kv);
        return NULL;
    }
    free(want);
    md_modules *md = md_xcalloc(1, sizeof *md);
    md->kver = kv;
    md->dir = md_xstrdup(md_node_path(dir));
    md->mtime = md_node_attr(dir)->mtime;
    if (scan(md, t, err) < 0)
        goto fail;
    load_order(md, t);
    load_builtin(md, t);
    if (closure(md, t, allow, err) < 0)
        goto fail;
    return md;
fail:
    md_modules_free(md);
    return NULL;
}

void md_modules_free(md_modules *md)
{
    if (!md)
        return;
    for (size_t i = 0; i < md->n; i++) {
        free(md->m[i].name);
        free(md->m[i].relpath);
        free(md->m[i].path);
        free(md->m[i].reason);
        md_kmodinfo_free(&md->m[i].mi);
    }
    free(md->m);
    free(md->kept);
    md_strv_free(&md->order_lines);
    md_strv_free(&md->builtin_listed);
    md_strv_free(&md->builtin_names);
    md_strv_free(&md->balias);
    md_strv_free(&md->balias_mod);
    md_strv_free(&md->builtin_report);
    md_strv_free(&md->notes);
    free(md->kver);
    free(md->dir);
    free(md);
}

/* ---- accessors ---- */

const char *md_modules_kver(const md_modules *m) { return m->kver; }
const char *md_modules_dir(const md_modules *m) { return m->dir; }
size_t md_modules_available(const md_modules *m) { return m->n; }
size_t md_modules_count(const md_modules *m) { return m->nkept; }
const char *md_modules_name(const md_modules *m, size_t i) { return m->m[m->kept[i]].name; }
const char *md_modules_reason(const md_modules *m, size_t i) { return m->m[m->kept[i]].reason; }
const md_strv *md_modules_builtin(const md_modules *m) { return &m->builtin_report; }
const md_strv *md_modules_notes(const md_modules *m) { return &m->notes; }

uint64_t md_modules_bytes(const md_modules *m)
{
    uint64_t s = 0;
    for (size_t i = 0; i < m->nkept; i++)
        s += m->m[m->kept[i]].size;
    return s;
}

char *md_modules_report_text(const md_modules *m)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = md_xmemstream(&text, &len);
    fprintf(f, "modules: kernel %s: %zu of %zu modules kept (%.1f MiB)\n", m->kver, m->nkept, m->n,
            (double)md_modules_bytes(m) / (1024.0 * 1024.0));
    for (size_t i = 0; i < m->nkept; i++)
        fprintf(f, "  %-24s %s\n", md_modules_name(m, i), md_modules_reason(m, i));
    for (size_t i = 0; i < m->builtin_report.n; i++)
        fprintf(f, "  built in: %s\n", m->builtin_report.v[i]);
    for (size_t i = 0; i < m->notes.n; i++)
        fprintf(f, "  note: %s\n", m->notes.v[i]);
    return md_xmemstream_close(f, &text);
}

/* ---- trimming the tree to the closure ---- */

/* Directories below the modules directory that lost their last entry. */
static void remove_empty_dirs(const md_modules *md, md_tree *t, const md_strv *cands)
{
    md_strv left = { 0 };
    size_t dl = strlen(md->dir);
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        const char *p = md_node_path(n);
        if (strncmp(p, md->dir, dl) == 0 && p[dl] == '/' && md_node_type_of(n) != MD_NODE_DIR)
            md_strv_push(&left, p);
    }
    md_strv_sort(&left);
    for (size_t i = 0; i < cands->n; i++) {
        char *pre = md_xasprintf("%s/", cands->v[i]);
        size_t pl = strlen(pre), lo = 0, hi = left.n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(left.v[mid], pre) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == left.n || strncmp(left.v[lo], pre, pl) != 0)
            md_tree_remove(t, cands->v[i]);
        free(pre);
    }
    md_strv_free(&left);
}

/* What modprobe and depmod read beside the modules (kmod 30-33: libkmod's
 * index names, modules.order, modules.builtin(.modinfo)); modindex.c writes
 * or trims each but modules.builtin(.modinfo), which are the kernel's. */
static const char *const index_files[] = {
    "modules.order", "modules.builtin", "modules.builtin.modinfo", "modules.builtin.bin",
    "modules.builtin.alias.bin", "modules.dep", "modules.dep.bin", "modules.alias",
    "modules.alias.bin", "modules.softdep", "modules.weakdep", "modules.symbols",
    "modules.symbols.bin", "modules.devname", NULL
};

void md_modules_trim(const md_modules *md, md_tree *t)
{
    md_strv kept = { 0 }, drop = { 0 }, dirs = { 0 };
    for (size_t i = 0; i < md->n; i++)
        if (md->m[i].kept)
            md_strv_push(&kept, md->m[i].path);
    md_strv_sort(&kept);
    size_t dl = strlen(md->dir);
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        const char *p = md_node_path(n), *rel = p + dl + 1;
        if (strncmp(p, md->dir, dl) || p[dl] != '/')
            continue;
        if (md_node_type_of(n) == MD_NODE_DIR) {
            md_strv_push(&dirs, p);
            continue;
        }
        bool index = false;
        for (int i = 0; index_files[i] && md_node_type_of(n) == MD_NODE_FILE; i++)
            index |= !strcmp(rel, index_files[i]);
        if (!index && !md_strv_contains_sorted(&kept, p))
            md_strv_push(&drop, p);
    }
    for (size_t i = 0; i < drop.n; i++)
        md_tree_remove(t, drop.v[i]);
    remove_empty_dirs(md, t, &dirs);
    md_strv_free(&kept);
    md_strv_free(&drop);
    md_strv_free(&dirs);
}
