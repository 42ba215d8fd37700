/* apkindex — see apkindex.h.  The tar inside the index is read by the one
 * archive reader (image/unpack) into a scratch tree; the APKINDEX text is
 * then parsed in place, as the Debian parser (repo.c) does: records and
 * atoms point into the one buffer, so an index of 20,000 packages costs
 * that buffer, a record each and one array of atoms. */
#include "packages/apkindex.h"

#include <stdlib.h>
#include <string.h>
#include "core/decomp.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/size.h"
#include "image/tree.h"
#include "image/unpack.h"

/* A record's atom list while parsing: offsets into the index's one atom
 * array (which moves as it grows), made pointers when all is read. */
typedef struct span {
    size_t off, n;
} span;

struct md_apkindex {
    char *label, *description, *signer, *text;
    md_apkindex_pkg *pkgs;
    size_t n;
    md_apkver_dep *atoms;
    size_t natoms;
};

enum { L_DEPENDS, L_PROVIDES, L_INSTALL_IF, L_REPLACES, L_COUNT };

typedef struct parser {
    md_apkindex *x;
    size_t cap, atoms_cap;
    span lists[L_COUNT];
    span *spans; /* per package, L_COUNT each */
    size_t spans_cap;
    md_apkindex_pkg cur;
    char seen[128]; /* fields of the current record, by letter */
    unsigned line;
} parser;

static bool name_ok(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("._+-", *s)))
            return false;
    return true;
}

/* Space-separated atoms of `val` into the atom array. */
static int atoms(parser *p, char *val, int which, const char *field, md_err *err)
{
    md_apkindex *x = p->x;
    span sp = { x->natoms, 0 };
    for (char *s = val; *s;) {
        s += strspn(s, " \t");
        if (!*s)
            break;
        char *e = s + strcspn(s, " \t");
        char end = *e;
        *e = '\0';
        if (sp.n >= MD_APKINDEX_MAX_ATOMS)
            return md_err_set(err, "%s:%u: %s: more than %u atoms", x->label, p->line, field,
                              MD_APKINDEX_MAX_ATOMS);
        x->atoms = md_xgrow(x->atoms, &p->atoms_cap, x->natoms + 1, sizeof *x->atoms);
        md_apkver_dep *d = &x->atoms[x->natoms];
        if (md_apkver_dep_parse(s, MD_APKVER_AS_WRITTEN, d, err) < 0) {
            md_err_prefix(err, "%s:%u: %s", x->label, p->line, field);
            return -1;
        }
        if (which == L_PROVIDES &&
            (d->conflict || d->tag || (d->op != MD_APKVER_ANY && d->op != MD_APKVER_EQUAL))) {
            char *t = md_apkver_dep_str(d);
            md_err_set(err, "%s:%u: provides '%s': only 'name' or 'name=version' may be "
                            "provided", x->label, p->line, t);
            free(t);
            return -1;
        }
        /* a version in D:, i:, r: is one as V: is written (apk-tools'
         * apk_blob_pull_dep validates each atom's version and fails the
         * line): "foo=abc", "foo=1.0@tag", "so:x=1/../x" were taken and
         * later only "no version satisfies", or an install_if that never
         * held (trial 13h case 4); every atom of Alpine's own indexes
         * here has one */
        if (which != L_PROVIDES && d->version && d->op != MD_APKVER_CHECKSUM &&
            !md_apkver_valid_indexed(d->version))
            return md_err_set(err, "%s:%u: %s: atom '%.60s%s%.60s': bad version '%.60s': not an "
                                   "Alpine version (a digit first, then 0-9 a-z . _ ~, at the "
                                   "end -r and digits; apk-package(5))", x->label, p->line,
                              field, d->name, md_apkver_op_str(d->op), d->version, d->version);
        /* a provided version is made of V:'s characters (trial 13 F13:
         * "so:x=1.2/../x" was taken), but need not start with a digit:
         * Alpine's own indexes provide pc:librtmp=v2.4 and pc:wofi=v1.3
         * (apk-tools ranks such a version below every valid one, as
         * md_apkver_cmp does) */
        if (which == L_PROVIDES && d->version &&
            (!*d->version || d->version[strspn(d->version, "0123456789abcdefghijklmnopqrstuvwxyz._~-")]))
            return md_err_set(err, "%s:%u: provides '%.60s': bad version '%.60s': not made of "
                                   "an Alpine version's characters (0-9 a-z . _ ~ -, as V:)",
                              x->label, p->line, d->name, d->version);
        x->natoms++;
        sp.n++;
        s = end ? e + 1 : e;
    }
    p->lists[which] = sp;
    return 0;
}

static int number(parser *p, const char *v, uint64_t max, uint64_t *out, const char *field,
                  md_err *err)
{
    if (md_size_parse_u64(v, max, out) < 0)
        return md_err_set(err, "%s:%u: %s '%.40s': not a number of at most %llu", p->x->label,
                          p->line, field, v, (unsigned long long)max);
    return 0;
}

static int field(parser *p, char letter, char *v, md_err *err)
{
    md_apkindex_pkg *k = &p->cur;
    uint64_t u;
    switch (letter) {
    case 'P': k->name = v; return 0;
    case 'V':
        if (!md_apkver_valid_indexed(v))
            return md_err_set(err, "%s:%u: bad package version (V:) '%.60s': not an Alpine "
                                   "version (a digit first, then 0-9 a-z . _ ~, at the end -r and "
                                   "digits; apk-package(5))", p->x->label, p->line, v);
        k->version = v;
        return 0;
    case 'A': k->arch = v; return 0;
    case 'C': k->checksum = v; return 0;
    case 'T': k->description = v; return 0;
    case 'U': k->url = v; return 0;
    case 'L': k->license = v; return 0;
    case 'o': k->origin = v; return 0;
    case 'm': k->maintainer = v; return 0;
    case 'c': k->commit = v; return 0;
    case 'S': return number(p, v, INT64_MAX, &k->size, "size (S)", err);
    case 'I': return number(p, v, INT64_MAX, &k->installed_size, "installed size (I)", err);
    case 't':
        if (number(p, v, INT64_MAX, &u, "build time (t)", err) < 0)
            return -1;
        k->build_time = (int64_t)u;
        return 0;
    case 'k':
        if (number(p, v, UINT32_MAX, &u, "provider priority (k)", err) < 0)
            return -1;
        k->provider_priority = (unsigned)u;
        k->has_provider_priority = true;
        return 0;
    case 'q':
        if (number(p, v, UINT32_MAX, &u, "replaces priority (q)", err) < 0)
            return -1;
        k->replaces_priority = (unsigned)u;
        return 0;
    case 'D': return atoms(p, v, L_DEPENDS, "depends (D)", err);
    case 'p': return atoms(p, v, L_PROVIDES, "provides (p)", err);
    case 'i': return atoms(p, v, L_INSTALL_IF, "install-if (i)", err);
    case 'r': return atoms(p, v, L_REPLACES, "replaces (r)", err);
    default:
        /* apk-tools: lower case is safe to ignore, upper case is a field
         * the package needs understood */
        if (letter >= 'A' && letter <= 'Z')
            k->uninstallable = true;
        return 0;
    }
}

static int finish(parser *p, unsigned start, md_err *err)
{
    md_apkindex *x = p->x;
    md_apkindex_pkg *k = &p->cur;
    const char *L = x->label;
    static const struct { char letter; const char *what; } required[] = {
        { 'P', "name" }, { 'V', "version" }, { 'A', "architecture" },
        { 'C', "checksum" }, { 'S', "size" } };
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (!p->seen[(int)required[i].letter])
            return md_err_set(err, "%s:%u: record%s%s without %s %s (%c:)", L, start,
                              k->name ? " of " : "", k->name ? k->name : "",
                              required[i].what[0] == 'a' ? "an" : "a", required[i].what,
                              required[i].letter);
    if (!name_ok(k->name))
        return md_err_set(err, "%s:%u: bad package name '%s'", L, start, k->name);
    unsigned char d[32];
    size_t dn;
    if (md_apkver_checksum_parse(k->checksum, d, &dn) < 0)
        return md_err_set(err, "%s:%u: package %s: bad checksum '%.60s' (want Q1 or Q2 and "
                               "base64)", L, start, k->name, k->checksum);
    if (!*k->arch || !name_ok(k->arch))
        return md_err_set(err, "%s:%u: package %s: bad architecture '%s'", L, start, k->name,
                          k->arch);
    if (x->n >= MD_APKINDEX_MAX_PKGS)
        return md_err_set(err, "%s:%u: more than %zu packages", L, start, MD_APKINDEX_MAX_PKGS);
    k->line = start;
    k->index = x;
    x->pkgs = md_xgrow(x->pkgs, &p->cap, x->n + 1, sizeof *x->pkgs);
    p->spans = md_xgrow(p->spans, &p->spans_cap, (x->n + 1) * L_COUNT, sizeof *p->spans);
    memcpy(&p->spans[x->n * L_COUNT], p->lists, sizeof p->lists);
    x->pkgs[x->n++] = *k;
    memset(&p->cur, 0, sizeof p->cur);
    memset(p->seen, 0, sizeof p->seen);
    memset(p->lists, 0, sizeof p->lists);
    return 0;
}

static int cmp_name_version(const void *a, const void *b)
{
    const md_apkindex_pkg *x = *(const md_apkindex_pkg *const *)a, *y = *(const md_apkindex_pkg *const *)b;
    int c = strcmp(x->name, y->name);
    if (!c)
        c = strcmp(x->version, y->version);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* One index lists a name at a version once: apk-tools keys a package by
 * its checksum, so two records of NAME-VERSION would both be candidates
 * and which one is installed would depend on the reader (trial 13 F8: the
 * first was taken silently).  Alpine's own indexes have none. */
static int unique_versions(md_apkindex *x, md_err *err)
{
    const md_apkindex_pkg **v = md_xmalloc((x->n ? x->n : 1) * sizeof *v);
    for (size_t i = 0; i < x->n; i++)
        v[i] = &x->pkgs[i];
    qsort(v, x->n, sizeof *v, cmp_name_version);
    int rc = 0;
    for (size_t i = 1; i < x->n && rc == 0; i++)
        if (!strcmp(v[i - 1]->name, v[i]->name) && !strcmp(v[i - 1]->version, v[i]->version))
            rc = md_err_set(err, "%s:%u and :%u both list %s-%s (%s checksums): an index lists "
                                 "each package version once", x->label, v[i - 1]->line, v[i]->line,
                            v[i]->name, v[i]->version,
                            strcmp(v[i - 1]->checksum, v[i]->checksum) ? "different" : "the same");
    free(v);
    return rc;
}

static int parse(parser *p, char *text, size_t len, md_err *err)
{
    md_apkindex *x = p->x;
    char *s = text, *end = text + len;
    unsigned start = 0;
    bool in = false;
    while (s < end) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        char *le = nl ? nl : end;
        p->line++;
        if ((size_t)(le - s) > MD_APKINDEX_MAX_LINE)
            return md_err_set(err, "%s:%u: line of more than %zu bytes", x->label, p->line,
                              MD_APKINDEX_MAX_LINE);
        *le = '\0';
        if (le > s && le[-1] == '\r')
            le[-1] = '\0';
        if (!*s) {
            if (in && finish(p, start, err) < 0)
                return -1;
            in = false;
        } else {
            unsigned char c = (unsigned char)s[0];
            if (s[1] != ':' || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
                return md_err_set(err, "%s:%u: malformed line (expected 'X:value'): '%.60s'",
                                  x->label, p->line, s);
            if (!in) {
                in = true;
                start = p->line;
            }
            if (p->seen[c])
                return md_err_set(err, "%s:%u: field %c: twice in one record", x->label,
                                  p->line, c);
            p->seen[c] = 1;
            if (field(p, (char)c, s + 2, err) < 0)
                return -1;
        }
        s = le + 1;
    }
    if (in && finish(p, start, err) < 0)
        return -1;
    /* every record's atom lists as pointers, now that the array stays put */
    for (size_t i = 0; i < x->n; i++) {
        md_apkindex_pkg *k = &x->pkgs[i];
        const span *sp = &p->spans[i * L_COUNT];
#define LIST(f, nf, w) k->f = sp[w].n ? &x->atoms[sp[w].off] : NULL, k->nf = sp[w].n
        LIST(depends, ndepends, L_DEPENDS);
        LIST(provides, nprovides, L_PROVIDES);
        LIST(install_if, ninstall_if, L_INSTALL_IF);
        LIST(replaces, nreplaces, L_REPLACES);
#undef LIST
    }
    if (unique_versions(x, err) < 0)
        return -1;
    return 0;
}

md_apkindex *md_apkindex_parse(const char *label, char *text, size_t len, md_err *err)
{
    text = md_xrealloc(text, len + 1);
    text[len] = '\0';
    md_apkindex *x = md_xcalloc(1, sizeof *x);
    x->label = md_xstrdup(label);
    x->description = md_xstrdup("");
    x->text = text;
    if (memchr(text, '\0', len)) {
        md_err_set(err, "%s: holds a NUL byte: not an APKINDEX", label);
        md_apkindex_free(x);
        return NULL;
    }
    parser p = { .x = x };
    int rc = parse(&p, text, len, err);
    free(p.spans);
    if (rc < 0) {
        md_apkindex_free(x);
        return NULL;
    }
    return x;
}

void md_apkindex_free(md_apkindex *x)
{
    if (!x)
        return;
    free(x->label);
    free(x->description);
    free(x->signer);
    free(x->text);
    free(x->pkgs);
    free(x->atoms);
    free(x);
}

/* The content of the regular file `name` in `t` (a member of the tar
 * itself, not a link to one), copied, or NULL. */
static char *member(const md_tree *t, const char *name, size_t *len)
{
    const md_node *n = md_tree_lookup(t, name);
    return n && md_node_type_of(n) == MD_NODE_FILE ? md_tree_text(t, name, len) : NULL;
}

md_apkindex *md_apkindex_load(const char *path, const md_apksign_keys *keys, md_err *err)
{
    unsigned char *data;
    size_t len;
    if (md_read_file(path, &data, &len, err) < 0)
        return NULL;
    md_apkindex *x = md_apkindex_load_mem(path, data, len, keys, err);
    free(data);
    return x;
}

md_apkindex *md_apkindex_load_mem(const char *path, const unsigned char *data, size_t len,
                                  const md_apksign_keys *keys, md_err *err)
{
    size_t siglen = 0;
    md_apkindex *x = NULL;
    md_tree *t = NULL;
    unsigned char *tar = NULL;
    size_t tarlen = 0;
    const char *signer = NULL;
    if (len > MD_APKINDEX_MAX_FILE) {
        md_err_set(err, "%s: %zu bytes, more than an index holds (limit %zu)", path, len,
                   MD_APKINDEX_MAX_FILE);
        goto out;
    }
    if (md_apksign_need_gzip(path, "its signature member", data, len, err) < 0)
        goto out;
    if (md_decomp_stream_len(path, data, len, MD_APKSIGN_MAX_SIG_MEMBER, &siglen, NULL, err) < 0) {
        md_err_prefix(err, "signature member");
        goto out;
    }
    if (siglen >= len) {
        md_err_set(err, "%s: nothing after its first gzip member: not a signed APKINDEX.tar.gz",
                   path);
        goto out;
    }
    if (md_apksign_verify(keys, path, data, siglen, data + siglen, len - siglen, &signer, err) < 0)
        goto out;
    if (md_apksign_need_gzip(path, "the index after its signature", data + siglen, len - siglen, err) < 0)
        goto out;
    if (md_decomp_buf(path, data + siglen, len - siglen, MD_APKINDEX_MAX_TEXT, &tar, &tarlen,
                      err) < 0) {
        md_err_prefix(err, "index tar (limit %zu MiB)", MD_APKINDEX_MAX_TEXT >> 20);
        goto out;
    }
    /* DESCRIPTION and APKINDEX, by the one archive reader with its limits */
    md_unpack_limits lim = md_unpack_default_limits;
    lim.entries = MD_APKINDEX_MAX_MEMBERS;
    lim.entry_bytes = lim.total_bytes = lim.stream_bytes = MD_APKINDEX_MAX_TEXT;
    t = md_unpack_tar(path, tar, tarlen, &lim, NULL, NULL, NULL, err);
    if (!t)
        goto out;
    size_t tlen = 0, dlen = 0;
    char *text = member(t, "/APKINDEX", &tlen), *desc = member(t, "/DESCRIPTION", &dlen);
    if (!text) {
        md_err_set(err, "%s: no APKINDEX file in it", path);
        free(desc);
        goto out;
    }
    if (desc && (dlen > MD_APKINDEX_MAX_DESCRIPTION || memchr(desc, '\0', dlen))) {
        md_err_set(err, "%s: DESCRIPTION of %zu bytes is not a line of text", path, dlen);
        free(desc);
        free(text);
        goto out;
    }
    x = md_apkindex_parse(path, text, tlen, err);
    if (x) {
        free(x->description);
        x->description = desc ? desc : md_xstrdup("");
        desc = NULL;
        x->description[strcspn(x->description, "\r\n")] = '\0';
        x->signer = md_xstrdup(signer);
    }
    free(desc);
out:
    md_tree_free(t);
    free(tar);
    return x;
}

const char *md_apkindex_label(const md_apkindex *x) { return x->label; }
const char *md_apkindex_description(const md_apkindex *x) { return x->description; }
const char *md_apkindex_signer(const md_apkindex *x) { return x->signer; }
size_t md_apkindex_count(const md_apkindex *x) { return x->n; }

const md_apkindex_pkg *md_apkindex_pkg_at(const md_apkindex *x, size_t i)
{
    return i < x->n ? &x->pkgs[i] : NULL;
}

const md_apkindex_pkg *md_apkindex_find(const md_apkindex *x, const char *name)
{
    for (size_t i = 0; i < x->n; i++)
        if (!strcmp(x->pkgs[i].name, name))
            return &x->pkgs[i];
    return NULL;
}

char *md_apkindex_pkg_filename(const md_apkindex_pkg *p)
{
    return md_xasprintf("%s-%s.apk", p->name, p->version);
}
