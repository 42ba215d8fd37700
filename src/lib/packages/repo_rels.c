/* The format hooks behind repo.h's relation model: each format's version
 * order and its dependency fields, brought into one shape the resolver
 * works on.  Debian's fields are parsed on demand (debver.h) and their
 * operators mapped onto apk-tools' outcome sets; Alpine's index already
 * holds parsed atoms (apkindex.h), which are only viewed. */
#include "packages/repo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "packages/apkindex.h"
#include "packages/apkver.h"
#include "packages/debver.h"
#include "core/mem.h"

/* Debian's operators as outcome sets, and back (for its own messages and
 * its own matcher, so Debian's behaviour stays exactly debver's). */
static unsigned deb_op(md_debver_op op)
{
    switch (op) {
    case MD_DEBVER_LT: return MD_REPO_LESS;
    case MD_DEBVER_LE: return MD_REPO_LESS | MD_REPO_EQUAL;
    case MD_DEBVER_EQ: return MD_REPO_EQUAL;
    case MD_DEBVER_GE: return MD_REPO_GREATER | MD_REPO_EQUAL;
    case MD_DEBVER_GT: return MD_REPO_GREATER;
    default: return MD_REPO_ANY;
    }
}

static md_debver_op debver_op(unsigned op)
{
    switch (op) {
    case MD_REPO_LESS: return MD_DEBVER_LT;
    case MD_REPO_LESS | MD_REPO_EQUAL: return MD_DEBVER_LE;
    case MD_REPO_EQUAL: return MD_DEBVER_EQ;
    case MD_REPO_GREATER | MD_REPO_EQUAL: return MD_DEBVER_GE;
    case MD_REPO_GREATER: return MD_DEBVER_GT;
    default: return MD_DEBVER_ANY;
    }
}

static md_debver_rel to_debver(const md_repo_rel *r)
{
    return (md_debver_rel){ (char *)r->name, (char *)r->archq, debver_op(r->op), (char *)r->version };
}

static md_apkver_dep to_apkver(const md_repo_rel *r)
{
    return (md_apkver_dep){ r->name, r->version, NULL, r->op, r->conflict };
}

/* Append Debian field `text` (parsed into a md_debver_deps kept in
 * out->own's list) to out. */
typedef struct deb_own {
    md_debver_deps *d;
    size_t n;
    md_repo_rel **rels;
} deb_own;

static int add_deb(md_repo_rels *out, deb_own *own, const char *text, md_err *err)
{
    md_debver_deps d;
    if (md_debver_deps_parse(text, &d, err) < 0)
        return -1;
    own->d = md_xrealloc(own->d, (own->n + 1) * sizeof *own->d);
    own->rels = md_xrealloc(own->rels, (own->n + 1) * sizeof *own->rels);
    own->d[own->n] = d;
    size_t nr = 0;
    for (size_t i = 0; i < d.n; i++)
        nr += d.alts[i].n;
    md_repo_rel *rels = own->rels[own->n++] = md_xcalloc(nr + 1, sizeof *rels);
    out->groups = md_xrealloc(out->groups, (out->n + d.n + 1) * sizeof *out->groups);
    for (size_t i = 0, k = 0; i < d.n; i++) {
        out->groups[out->n++] = (md_repo_group){ &rels[k], d.alts[i].n };
        for (size_t a = 0; a < d.alts[i].n; a++, k++) {
            const md_debver_rel *r = &d.alts[i].rels[a];
            rels[k] = (md_repo_rel){ r->name, r->version, deb_op(r->op), r->archq, false };
        }
    }
    return 0;
}

static void deb_own_free(deb_own *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++) {
        md_debver_deps_free(&o->d[i]);
        free(o->rels[i]);
    }
    free(o->d);
    free(o->rels);
    free(o);
}

/* Alpine's atoms are md_apkver_dep; the model's md_repo_rel is viewed
 * through a copy per atom (cheap: a few pointers). */
static void add_apk(md_repo_rels *out, const md_apkver_dep *deps, size_t n, bool one_group)
{
    if (!n)
        return;
    md_repo_rel *rels = md_xcalloc(n, sizeof *rels);
    for (size_t i = 0; i < n; i++)
        rels[i] = (md_repo_rel){ deps[i].name, deps[i].version, deps[i].op, NULL, deps[i].conflict };
    out->own = rels;
    size_t ng = one_group ? 1 : n;
    out->groups = md_xcalloc(ng, sizeof *out->groups);
    for (size_t i = 0; i < ng; i++)
        out->groups[i] = (md_repo_group){ &rels[i], one_group ? n : 1 };
    out->n = ng;
}

int md_repo_pkg_rels(const md_repo_pkg *p, md_repo_field f, md_repo_rels *out, md_err *err)
{
    memset(out, 0, sizeof *out);
    out->format = md_repo_format_of(p->repo);
    if (out->format == MD_REPO_APK) {
        const md_apkindex_pkg *a = p->apk;
        if (f == MD_REPO_DEPENDS)
            add_apk(out, a->depends, a->ndepends, false);
        else if (f == MD_REPO_PROVIDES)
            add_apk(out, a->provides, a->nprovides, false);
        else
            add_apk(out, a->install_if, a->ninstall_if, true);
        return 0;
    }
    deb_own *own = md_xcalloc(1, sizeof *own);
    out->own = own;
    struct { const char *text, *name; } fields[2] = { { NULL, NULL }, { NULL, NULL } };
    if (f == MD_REPO_DEPENDS) {
        fields[0].text = p->pre_depends, fields[0].name = "Pre-Depends";
        fields[1].text = p->depends, fields[1].name = "Depends";
    } else if (f == MD_REPO_PROVIDES) {
        fields[0].text = p->provides, fields[0].name = "Provides";
    }
    for (size_t i = 0; i < 2; i++)
        if (fields[i].text && add_deb(out, own, fields[i].text, err) < 0) {
            md_err_prefix(err, "%s:%u: package %s: %s", p->index, p->line, p->name, fields[i].name);
            return -1;
        }
    return 0;
}

void md_repo_rels_free(md_repo_rels *r)
{
    if (r->format == MD_REPO_APK)
        free(r->own);
    else
        deb_own_free(r->own);
    free(r->groups);
    memset(r, 0, sizeof *r);
}

int md_repo_vercmp(md_repo_format f, const char *a, const char *b)
{
    return f == MD_REPO_APK ? md_apkver_cmp(a, b) : md_debver_cmp(a, b);
}

bool md_repo_rel_match(md_repo_format f, const md_repo_rel *rel, const char *version,
                       const char *checksum)
{
    if (rel->op == MD_REPO_ANY)
        return true;
    if (f == MD_REPO_APK) {
        md_apkver_dep d = to_apkver(rel);
        return md_apkver_dep_match(&d, version, checksum);
    }
    return version && md_debver_satisfies(version, debver_op(rel->op), rel->version);
}

char *md_repo_rel_str(md_repo_format f, const md_repo_rel *rel)
{
    if (f == MD_REPO_APK) {
        md_apkver_dep d = to_apkver(rel);
        return md_apkver_dep_str(&d);
    }
    md_debver_rel d = to_debver(rel);
    return md_debver_rel_str(&d);
}

char *md_repo_group_str(md_repo_format f, const md_repo_group *g)
{
    /* one stream, not a copy of the text so far per alternative: a group
     * of N alternatives took O(N^2) (trial 9f case 4: 200,000 took 53 s) */
    char *text = NULL;
    size_t len = 0;
    FILE *m = md_xmemstream(&text, &len);
    for (size_t i = 0; i < g->n; i++) {
        char *r = md_repo_rel_str(f, &g->rels[i]);
        fprintf(m, "%s%s", i ? (f == MD_REPO_APK ? " " : " | ") : "", r);
        free(r);
    }
    return md_xmemstream_close(m, &text);
}
