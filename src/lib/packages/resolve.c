/* A greedy resolver with learning: select requested packages, then walk the
 * queue of selected packages and satisfy each dependency group.  Debian's
 * full problem is NP-complete, but images like ours only ever hit one kind
 * of clash (a version picked early that a later dependency rules out); on
 * that we record the constraints on the name and start over, so the next
 * pass picks a version that fits them all.
 *
 * Both formats go through this one resolver, on repo.h's relation model:
 * versions compare and relations match by the format's own rules there.
 * What stays format-specific here, and why:
 *  - ranking candidates (one loop, choose_among, with the format's rule in
 *    provider_ok and outranks): apt takes the real package first, then a
 *    provider by Priority:; in apk-tools the real package and every
 *    provider compete, by provided version, then provider_priority;
 *  - Alpine's conflicts ("!name") and install_if, which Debian's unpacked-
 *    only subset has no counterpart for (Conflicts/Breaks are not read);
 *  - the lock file's columns and how a download is verified. */
#include "packages/resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "packages/apk.h"
#include "packages/apkindex.h"
#include "packages/fetch.h"
#include "core/hindex.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/file.h"
#include "core/out.h"
#include "core/dirs.h"
#include "core/sha256.h"

#define MAX_RESTARTS 128

typedef struct provider {
    const md_repo_pkg *pkg;
    const char *version; /* provided version or NULL */
} provider;

/* A version set aside: a dependency of it failed (why: that error). */
typedef struct aside {
    const md_repo_pkg *pkg;
    char *why;
} aside;

typedef struct constraint {
    unsigned op; /* MD_REPO_* */
    char *version; /* owned: the relation it came from is short-lived */
} constraint;

/* Everything known about one name, real or virtual. */
typedef struct name_info {
    const char *name;
    const md_repo_pkg **real;
    size_t nreal;
    provider *prov;
    size_t nprov;
    int selected;        /* index into sel, -1 */
    const char *pin;     /* repository name or NULL */
    const char *pin_at;  /* where the pin was written ("FILE:LINE") or NULL */
    bool excluded;
    bool iif;            /* in md_resolve's iif list */
    constraint *hints;   /* learnt across restarts */
    size_t nhints;
    constraint *seen;    /* constraints met in the current pass */
    size_t nseen;
    aside *aside;        /* versions set aside, learnt across restarts */
    size_t naside;
} name_info;

typedef struct sel {
    const md_repo_pkg *pkg;
    char *why;
    char *via;    /* the relation that pulled it in (the name if requested) */
    int parent;   /* -1 for requested/essential */
    char *path;
    /* the relation it was taken for (its name, any version, if requested
     * or by install_if): what another candidate must meet (set_aside) */
    char *rname, *rversion;
    unsigned rop;
} sel;

struct md_resolve {
    md_repo *const *repos;
    size_t nrepos;
    md_repo **owned; /* repos to free with the result (own_repos) */
    name_info *names;
    size_t nnames, capnames;
    md_hindex byname; /* names by name */
    md_repo_format fmt;       /* of every repository (they cannot be mixed) */
    md_repo_rels *provdeps;   /* parsed Provides, kept for their strings */
    size_t nprovdeps, provdeps_cap;
    size_t *iif;              /* Alpine: names (indexes into names) with an install_if
                                 candidate, by name; indexes, as names moves as it grows */
    size_t niif, iif_cap;
    const md_apkver_dep **cfl; /* Alpine: the "!name" atoms of the selection (this pass) */
    size_t ncfl, capcfl;
    sel *sel;
    size_t nsel, capsel;
    md_strv asides; /* "NAME VERSION in REPO: why", in the order set aside */
    const char **aside_names; /* the NAME of each (a package's, in its repository) */
    md_strv skipped;
    md_strv ties; /* Alpine: tie_note()s of this pass */
    bool restart;
    md_strv tmp; /* strings that must live as long as the result */
    const md_out *out;
};

/* ---- name table ---- */

/* A hash index rather than hsearch_r(3): glibc's string hash collides so
 * much on 60,000 similar package names that lookups took 90% of a run. */
static name_info *lookup(md_resolve *r, const char *name)
{
    uint64_t h = md_hindex_hash(name, strlen(name));
    for (size_t it = 0, i; (i = md_hindex_next(&r->byname, h, &it)) != SIZE_MAX;)
        if (!strcmp(r->names[i].name, name))
            return &r->names[i];
    return NULL;
}

static name_info *intern(md_resolve *r, const char *name)
{
    name_info *ni = lookup(r, name);
    if (ni)
        return ni;
    r->names = md_xgrow(r->names, &r->capnames, r->nnames + 1, sizeof *r->names);
    ni = &r->names[r->nnames];
    memset(ni, 0, sizeof *ni);
    ni->name = name;
    ni->selected = -1;
    md_hindex_add(&r->byname, md_hindex_hash(name, strlen(name)), r->nnames++);
    return ni;
}

static void add_real(name_info *ni, const md_repo_pkg *p)
{
    if ((ni->nreal & (ni->nreal - 1)) == 0)
        ni->real = md_xrealloc(ni->real, (ni->nreal ? ni->nreal * 2 : 1) * sizeof *ni->real);
    ni->real[ni->nreal++] = p;
}

static void add_prov(name_info *ni, const md_repo_pkg *p, const char *version)
{
    if ((ni->nprov & (ni->nprov - 1)) == 0)
        ni->prov = md_xrealloc(ni->prov, (ni->nprov ? ni->nprov * 2 : 1) * sizeof *ni->prov);
    ni->prov[ni->nprov++] = (provider){ p, version };
}

static void add_constraint(constraint **v, size_t *n, unsigned op, const char *version)
{
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i].op == op && !strcmp((*v)[i].version, version))
            return;
    *v = md_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = (constraint){ op, md_xstrdup(version) };
}

static void free_constraints(constraint **v, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free((*v)[i].version);
    free(*v);
    *v = NULL;
    *n = 0;
}

/* Forget the constraints after the first `keep` (a clash's learning that
 * led nowhere). */
static void drop_constraints(constraint *v, size_t *n, size_t keep)
{
    for (size_t i = keep; i < *n; i++)
        free(v[i].version);
    if (*n > keep)
        *n = keep;
}

static bool set_aside_has(const name_info *ni, const md_repo_pkg *p)
{
    for (size_t i = 0; i < ni->naside; i++)
        if (ni->aside[i].pkg == p)
            return true;
    return false;
}

static int cmp_ni(const void *a, const void *b, void *names)
{
    const name_info *n = names;
    return strcmp(n[*(const size_t *)a].name, n[*(const size_t *)b].name);
}

static int index_repos(md_resolve *r, md_err *err)
{
    for (size_t i = 0; i < r->nrepos; i++) {
        md_repo_format f = md_repo_format_of(r->repos[i]);
        if (i == 0)
            r->fmt = f;
        else if (f != r->fmt)
            return md_err_set(err, "repositories %s (%s) and %s (%s) cannot be resolved together: "
                              "an image's packages come from one format",
                              md_repo_name(r->repos[0]), md_repo_format_name(r->fmt),
                              md_repo_name(r->repos[i]), md_repo_format_name(f));
    }
    for (size_t i = 0; i < r->nrepos; i++)
        for (size_t j = 0, n = md_repo_pkg_count(r->repos[i]); j < n; j++) {
            const md_repo_pkg *p = md_repo_pkg_at(r->repos[i], j);
            add_real(intern(r, p->name), p);
        }
    for (size_t i = 0; i < r->nrepos; i++)
        for (size_t j = 0, n = md_repo_pkg_count(r->repos[i]); j < n; j++) {
            const md_repo_pkg *p = md_repo_pkg_at(r->repos[i], j);
            if (p->apk && p->apk->ninstall_if) {
                name_info *ni = lookup(r, p->name);
                if (!ni->iif) {
                    ni->iif = true;
                    r->iif = md_xgrow(r->iif, &r->iif_cap, r->niif + 1, sizeof *r->iif);
                    r->iif[r->niif++] = (size_t)(ni - r->names);
                }
            }
            if (!p->provides && !(p->apk && p->apk->nprovides))
                continue;
            md_repo_rels d;
            r->provdeps = md_xgrow(r->provdeps, &r->provdeps_cap, r->nprovdeps + 1, sizeof *r->provdeps);
            int rc = md_repo_pkg_rels(p, MD_REPO_PROVIDES, &d, err);
            r->provdeps[r->nprovdeps++] = d;
            if (rc < 0)
                return -1;
            for (size_t k = 0; k < d.n; k++) {
                const md_repo_rel *rel = &d.groups[k].rels[0];
                if (d.groups[k].n != 1 || (rel->op != MD_REPO_ANY && rel->op != MD_REPO_EQUAL))
                    return md_err_set(err, "%s:%u: package %s: Provides may only use '=' and no '|'",
                                      p->index, p->line, p->name);
                add_prov(intern(r, rel->name), p, rel->version);
            }
        }
    if (r->niif)
        qsort_r(r->iif, r->niif, sizeof *r->iif, cmp_ni, r->names);
    return 0;
}

/* ---- candidates ---- */

static int prio_rank(const char *p)
{
    static const char *const order[] = { "required", "important", "standard", "optional", "extra" };
    for (int i = 0; p && i < 5; i++)
        if (!strcmp(p, order[i]))
            return i;
    return 5;
}

static const char *checksum(const md_repo_pkg *p)
{
    return p->apk ? p->apk->checksum : NULL;
}

/* Is real package p allowed for its name (pin, exclude, learnt hints,
 * set aside)? */
static bool allowed(const name_info *ni, const md_repo_pkg *p)
{
    if (ni->excluded || set_aside_has(ni, p))
        return false;
    if (ni->pin && strcmp(md_repo_name(p->repo), ni->pin))
        return false;
    md_repo_format f = md_repo_format_of(p->repo);
    for (size_t i = 0; i < ni->nhints; i++) {
        md_repo_rel h = { ni->name, ni->hints[i].version, ni->hints[i].op, NULL, false };
        if (!md_repo_rel_match(f, &h, p->version, checksum(p)))
            return false;
    }
    return true;
}

/* Better candidate first: repository priority, then version. */
static bool better(const md_repo_pkg *a, const md_repo_pkg *b)
{
    int pa = md_repo_priority(a->repo), pb = md_repo_priority(b->repo);
    if (pa != pb)
        return pa > pb;
    return md_repo_vercmp(md_repo_format_of(a->repo), a->version, b->version) > 0;
}

static bool arch_ok(const md_repo_rel *rel, const md_repo_pkg *p)
{
    if (!rel->archq || !strcmp(rel->archq, "any") || !strcmp(rel->archq, "native"))
        return true;
    return !strcmp(rel->archq, p->arch) || !strcmp(p->arch, "all");
}

static bool rel_matches_real(const md_repo_rel *rel, const md_repo_pkg *p)
{
    return arch_ok(rel, p) &&
           md_repo_rel_match(md_repo_format_of(p->repo), rel, p->version, checksum(p));
}

static bool rel_matches_prov(const md_repo_rel *rel, const provider *pv)
{
    if (!arch_ok(rel, pv->pkg))
        return false;
    if (rel->op == MD_REPO_ANY)
        return true;
    return pv->version && md_repo_rel_match(md_repo_format_of(pv->pkg->repo), rel, pv->version, NULL);
}

/* The selected package that satisfies rel (by its name or as a provider),
 * -1 if none. */
static int selected_for(md_resolve *r, const md_repo_rel *rel)
{
    name_info *ni = lookup(r, rel->name);
    if (!ni)
        return -1;
    if (ni->selected >= 0 && rel_matches_real(rel, r->sel[ni->selected].pkg))
        return ni->selected;
    for (size_t i = 0; i < ni->nprov; i++) {
        name_info *pn = lookup(r, ni->prov[i].pkg->name);
        if (pn->selected >= 0 && r->sel[pn->selected].pkg == ni->prov[i].pkg &&
            rel_matches_prov(rel, &ni->prov[i]))
            return pn->selected;
    }
    return -1;
}

typedef struct pick {
    const md_repo_pkg *pkg;
    const char *version; /* the version it offers rel->name at (NULL: none) */
    /* Alpine: a candidate the pick beat only by repository order or name
     * (apk_rule BY_REPO, BY_NAME), another package or another spelling of
     * its version: the choice is said in a note (tie_note) */
    const md_repo_pkg *tie;
    const char *tie_version;
    int tie_by;
    bool virtual;      /* chosen as a provider of rel->name */
    bool excluded_only; /* only excluded packages would have satisfied rel */
    const char *excluded_by;
} pick;

/* The best allowed version of a name by better() (the first of equals);
 * NULL when none is allowed. */
static const md_repo_pkg *best_real(const name_info *ni)
{
    const md_repo_pkg *p = NULL;
    for (size_t i = 0; i < ni->nreal; i++)
        if (allowed(ni, ni->real[i]) && (!p || better(ni->real[i], p)))
            p = ni->real[i];
    return p;
}

/* The rule of rank_apk that told two candidates apart. */
typedef enum apk_rule {
    BY_NONE, BY_PRIORITY, BY_PROVIDED, BY_VERSION, BY_K, BY_REPO, BY_NAME
} apk_rule;

/* Alpine: does provider a (offering the name at version va) rank above b
 * (vb)?  >0, <0, or 0 (the same package); *by: the rule that decided.
 * apk-tools' compare_providers (src/solver.c) for a fresh install, after
 * its pinning step, which here is the pin (allowed()) and the
 * repository's Priority=: the higher provided version of the requested
 * name; for the same package name the higher package version; the higher
 * provider_priority (k:); the repository listed first (apk: "prefer
 * lowest available repository"); then the name, so the result never
 * depends on the index's order (apk takes the provider its indexes list
 * first). */
static int rank_apk(const md_resolve *r, const md_repo_pkg *a, const char *va,
                    const md_repo_pkg *b, const char *vb, apk_rule *by)
{
    int pa = md_repo_priority(a->repo), pb = md_repo_priority(b->repo), c;
    unsigned ka = a->apk->provider_priority, kb = b->apk->provider_priority;
    size_t ia = 0, ib = 0;
    for (size_t i = 0; i < r->nrepos; i++) {
        if (r->repos[i] == a->repo)
            ia = i;
        if (r->repos[i] == b->repo)
            ib = i;
    }
    if (pa != pb)
        return *by = BY_PRIORITY, pa > pb ? 1 : -1;
    if (!va != !vb)
        return *by = BY_PROVIDED, va ? 1 : -1;
    if (va && (c = md_repo_vercmp(MD_REPO_APK, va, vb)))
        return *by = BY_PROVIDED, c;
    if (!strcmp(a->name, b->name) && (c = md_repo_vercmp(MD_REPO_APK, a->version, b->version)))
        return *by = BY_VERSION, c;
    if (ka != kb)
        return *by = BY_K, ka > kb ? 1 : -1;
    if (ia != ib)
        return *by = BY_REPO, ia < ib ? 1 : -1;
    *by = BY_NAME;
    return -strcmp(a->name, b->name);
}

static bool better_apk(const md_resolve *r, const md_repo_pkg *a, const char *va,
                       const md_repo_pkg *b, const char *vb)
{
    apk_rule by;
    return rank_apk(r, a, va, b, vb, &by) > 0;
}

/* Alpine: the selected package other than p (and than p's other versions,
 * which the version clash handles) that owns `name`: the package of that
 * name, or one that provides it with a version.  apk-package(5): a
 * versioned provides makes its package "the single possible owner for the
 * provided name" and conflict "with any package with the same primary or
 * provided package name" (apk-tools' solver: "conflict: same name
 * provided"); providers without a version own nothing and may share it.
 * -1 if none. */
static int other_owner(md_resolve *r, const char *name, const md_repo_pkg *p)
{
    name_info *ni = lookup(r, name);
    if (!ni)
        return -1;
    if (ni->selected >= 0 && strcmp(r->sel[ni->selected].pkg->name, p->name))
        return ni->selected;
    for (size_t i = 0; i < ni->nprov; i++) {
        const provider *pv = &ni->prov[i];
        name_info *pn = lookup(r, pv->pkg->name);
        if (pv->version && pn->selected >= 0 && r->sel[pn->selected].pkg == pv->pkg &&
            strcmp(pv->pkg->name, p->name))
            return pn->selected;
    }
    return -1;
}

/* Alpine: the first name p owns by a versioned provides that another
 * selected package owns too (*j its selection), or NULL. */
static const char *owned_twice(md_resolve *r, const md_repo_pkg *p, int *j)
{
    for (size_t k = 0; k < p->apk->nprovides; k++)
        if (p->apk->provides[k].version &&
            (*j = other_owner(r, p->apk->provides[k].name, p)) >= 0)
            return p->apk->provides[k].name;
    return NULL;
}

/* Alpine: would selecting p break a "!name", one of its own against the
 * selection or one of the selection's against p (by its name or a name it
 * provides), or make a name owned twice (other_owner)? */
static bool breaks_conflict(md_resolve *r, const md_repo_pkg *p)
{
    const md_apkindex_pkg *a = p->apk;
    int owner;
    if (owned_twice(r, p, &owner) || other_owner(r, p->name, p) >= 0)
        return true;
    for (size_t k = 0; k < a->ndepends; k++) {
        const md_apkver_dep *d = &a->depends[k];
        md_repo_rel rel = { d->name, d->version, d->op, NULL, true };
        int j = d->conflict ? selected_for(r, &rel) : -1;
        if (j >= 0 && r->sel[j].pkg != p)
            return true;
    }
    for (size_t i = 0; i < r->ncfl; i++) {
        const md_apkver_dep *d = r->cfl[i];
        if (!strcmp(d->name, p->name) && md_apkver_dep_match(d, p->version, a->checksum))
            return true;
        for (size_t k = 0; k < a->nprovides; k++)
            if (!strcmp(d->name, a->provides[k].name) &&
                md_apkver_dep_match(d, a->provides[k].version, NULL))
                return true;
    }
    return false;
}

/* Alpine: apk-tools never auto-selects a name provided without a version
 * but from a package that declares a provider_priority (solver.c,
 * is_provider_auto_selectable). */
static bool auto_selectable(const provider *pv)
{
    return pv->version || pv->pkg->apk->has_provider_priority;
}

/* May pv (a package of name pn) stand for the name it provides?  Its own
 * name must allow it and not have another version selected; apt takes only
 * the provider's best version, apk-tools only an auto_selectable() one. */
static bool provider_ok(md_resolve *r, const provider *pv, const name_info *pn)
{
    if (!allowed(pn, pv->pkg) || (pn->selected >= 0 && r->sel[pn->selected].pkg != pv->pkg))
        return false;
    return r->fmt == MD_REPO_APK ? auto_selectable(pv) : !better(best_real(pn), pv->pkg);
}

/* Does p (offering the name at version v; virtual: as a provider) rank
 * above the pick so far?  apk-tools: the real package and the providers
 * alike by better_apk().  apt: a real package by better(); providers,
 * which only compete among themselves, by repository priority, then
 * Priority:, then name. */
static bool outranks(const md_resolve *r, const md_repo_pkg *p, const char *v, bool virtual,
                     const pick *pk, apk_rule *by)
{
    const md_repo_pkg *b = pk->pkg;
    *by = BY_NONE;
    if (!b)
        return true;
    if (r->fmt == MD_REPO_APK)
        return rank_apk(r, p, v, b, pk->version, by) > 0;
    if (!virtual || md_repo_priority(p->repo) != md_repo_priority(b->repo))
        return better(p, b);
    int ra = prio_rank(p->priority), rb = prio_rank(b->priority);
    return ra != rb ? ra < rb : strcmp(p->name, b->name) < 0;
}

/* Candidate p (offering v; virtual: as a provider) against the pick so
 * far: taken when it outranks() it.  A loser that only the repository
 * order or the name set apart is kept as the pick's tie when it is
 * another package, or another spelling of the version (apk-tools 3
 * compares "6.8.0p2-r0" and "6.8.0p2-r4" equal, trial 13x F1); one
 * another rule set apart ends the tie. */
static void consider(const md_resolve *r, pick *pk, const md_repo_pkg *p, const char *v,
                     bool virtual)
{
    apk_rule by;
    bool win = outranks(r, p, v, virtual, pk, &by);
    const md_repo_pkg *keep = win ? p : pk->pkg, *lose = win ? pk->pkg : p;
    if (by >= BY_REPO &&
        (strcmp(lose->name, keep->name) || strcmp(lose->version, keep->version))) {
        pk->tie = lose, pk->tie_version = win ? pk->version : v, pk->tie_by = by;
    } else if (win)
        pk->tie = NULL;
    if (win)
        pk->pkg = p, pk->version = v, pk->virtual = virtual;
}

/* The candidate for rel: of the real packages of its name and, apt only
 * when none of those fits, apk-tools always, its providers, the one that
 * outranks() the others.  With `avoid` (Alpine), candidates that would
 * break a conflict are passed over, as apk-tools' solver steers clear of
 * them. */
static void choose_among(md_resolve *r, const md_repo_rel *rel, bool avoid, pick *pk)
{
    memset(pk, 0, sizeof *pk);
    name_info *ni = lookup(r, rel->name);
    if (!ni)
        return;
    for (size_t i = 0; i < ni->nreal; i++) {
        const md_repo_pkg *p = ni->real[i];
        if (rel_matches_real(rel, p) && allowed(ni, p) && !(avoid && breaks_conflict(r, p)))
            consider(r, pk, p, p->version, false);
    }
    if (ni->selected >= 0 || (pk->pkg && r->fmt != MD_REPO_APK))
        return;
    for (size_t i = 0; i < ni->nprov; i++) {
        const provider *pv = &ni->prov[i];
        if (!rel_matches_prov(rel, pv))
            continue;
        name_info *pn = lookup(r, pv->pkg->name);
        if (pn->excluded)
            pk->excluded_only = true, pk->excluded_by = pn->name;
        else if (provider_ok(r, pv, pn) && !(avoid && breaks_conflict(r, pv->pkg)))
            consider(r, pk, pv->pkg, pv->version, true);
    }
    if (pk->pkg)
        pk->excluded_only = false;
}

/* Alpine: when avoiding conflicts leaves no candidate, ask again without,
 * so the conflict is reported (check_conflicts) rather than a missing
 * package. */
static void choose(md_resolve *r, const md_repo_rel *rel, pick *pk)
{
    bool apk = r->fmt == MD_REPO_APK;
    choose_among(r, rel, apk, pk);
    pick all;
    if (apk && !pk->pkg && (choose_among(r, rel, false, &all), all.pkg))
        *pk = all;
}

/* ---- selection ---- */

/* "pinned to REPO by FILE:LINE" (without a place: "pinned to REPO"). */
static char *pin_text(const name_info *ni)
{
    return md_xasprintf("pinned to %s%s%s", ni->pin, ni->pin_at ? " by " : "",
                        ni->pin_at ? ni->pin_at : "");
}

/* Who asked for what, down to sel[i]: "openrc -> ifupdown-any".  A pinned
 * package says so where it appears ("xen (pinned to v320 by spec.ini:19)";
 * a provider by its name: "so:libxenctrl.so.4.18 (xen-libs, pinned to
 * ...)"), since a pin is what most often leaves a dependency without a
 * version. */
static char *chain(md_resolve *r, int i)
{
    if (i < 0)
        return md_xstrdup("");
    char *head = chain(r, r->sel[i].parent);
    const md_repo_pkg *p = r->sel[i].pkg;
    const name_info *ni = lookup(r, p->name);
    const char *via = r->sel[i].via;
    size_t n = strlen(p->name);
    char *pin = ni->pin ? pin_text(ni) : NULL;
    char *s;
    if (!pin)
        s = md_xasprintf("%s%s%s", head, *head ? " -> " : "", via);
    else if (!strncmp(via, p->name, n) && !strchr("abcdefghijklmnopqrstuvwxyz0123456789-_.+:",
                                                  via[n] | 0x20))
        s = md_xasprintf("%s%s%s (%s)", head, *head ? " -> " : "", via, pin);
    else
        s = md_xasprintf("%s%s%s (%s, %s)", head, *head ? " -> " : "", via, p->name, pin);
    free(pin);
    free(head);
    return s;
}

static int select_pkg(md_resolve *r, const md_repo_pkg *p, int parent, const char *via, char *why,
                      const md_repo_rel *rel)
{
    r->sel = md_xgrow(r->sel, &r->capsel, r->nsel + 1, sizeof *r->sel);
    r->sel[r->nsel] = (sel){ p, why, md_xstrdup(via), parent, NULL,
                             md_xstrdup(rel ? rel->name : p->name),
                             rel && rel->version ? md_xstrdup(rel->version) : NULL,
                             rel ? rel->op : MD_REPO_ANY };
    lookup(r, p->name)->selected = (int)r->nsel;
    for (size_t k = 0; p->apk && k < p->apk->ndepends; k++)
        if (p->apk->depends[k].conflict) {
            r->cfl = md_xgrow(r->cfl, &r->capcfl, r->ncfl + 1, sizeof *r->cfl);
            r->cfl[r->ncfl++] = &p->apk->depends[k];
        }
    return (int)r->nsel++;
}

static void skip(md_resolve *r, const char *name, const char *by, int parent, const char *what)
{
    char *s = parent >= 0
        ? md_xasprintf("skipped %s (excluded%s%s), wanted by %s", name, by ? ": provided by " : "",
                       by ? by : "", r->sel[parent].pkg->name)
        : md_xasprintf("skipped %s (excluded), %s", name, what);
    if (md_strv_contains(&r->skipped, s))
        free(s);
    else
        md_strv_push_own(&r->skipped, s);
}

static char *available(md_resolve *r, const char *name)
{
    name_info *ni = lookup(r, name);
    char *s = NULL;
    size_t len = 0;
    FILE *m = md_xmemstream(&s, &len); /* linear in the versions and providers */
    for (size_t i = 0; ni && i < ni->nreal; i++)
        fprintf(m, "%s%s in %s%s", i ? ", " : "", ni->real[i]->version,
                md_repo_name(ni->real[i]->repo), set_aside_has(ni, ni->real[i]) ? " (set aside)" : "");
    for (size_t i = 0; ni && i < ni->nprov; i++) {
        /* A provider its own pin rules out: say so, or the list reads as
         * if the resolver had overlooked it. */
        const name_info *pn = lookup(r, ni->prov[i].pkg->name);
        bool off = pn->pin && strcmp(pn->pin, md_repo_name(ni->prov[i].pkg->repo));
        char *pin = off ? pin_text(pn) : NULL;
        fprintf(m, "%sprovided by %s %s in %s%s%s%s", i || ni->nreal ? ", " : "",
                ni->prov[i].pkg->name, ni->prov[i].pkg->version,
                md_repo_name(ni->prov[i].pkg->repo), off ? " (" : "", off ? pin : "",
                off ? ")" : "");
        free(pin);
        if (!off && set_aside_has(pn, ni->prov[i].pkg))
            fputs(" (set aside)", m);
        /* Nor one whose name another version already holds: which, and
         * for whom (xen-qemu 4.20's so:libxenctrl.so.4.20 with xen-libs
         * 4.18 taken for the pinned xen). */
        else if (!off && pn->selected >= 0 && r->sel[pn->selected].pkg != ni->prov[i].pkg) {
            char *c = chain(r, pn->selected);
            fprintf(m, " (%s %s is selected, for %s)", pn->name, r->sel[pn->selected].pkg->version, c);
            free(c);
        } else if (!off && !pn->excluded && !allowed(pn, ni->prov[i].pkg))
            for (size_t k = 0; k < pn->nhints; k++) { /* what other dependencies hold it to */
                md_repo_rel h = { pn->name, pn->hints[k].version, pn->hints[k].op, NULL, false };
                if (md_repo_rel_match(r->fmt, &h, ni->prov[i].pkg->version, checksum(ni->prov[i].pkg)))
                    continue;
                char *t = md_repo_rel_str(r->fmt, &h);
                fprintf(m, " (other dependencies ask for %s)", t);
                free(t);
                break;
            }
        /* Nor one apk never chooses by itself (trial 13 F6: "no version
         * satisfies (available: provided by pz)" read as a contradiction). */
        if (!off && r->fmt == MD_REPO_APK && !auto_selectable(&ni->prov[i]))
            fprintf(m, " (without a version or provider_priority, which apk never chooses by "
                       "itself: name %s in Include= to take it)", ni->prov[i].pkg->name);
    }
    return md_xmemstream_close(m, &s);
}

/* A selected version that rel rules out: learn and restart if some version
 * fits every constraint met so far, else explain the clash. */
static int clash(md_resolve *r, int parent, const md_repo_rel *rel, const char *reltext, md_err *err)
{
    name_info *ni = lookup(r, rel->name);
    size_t before = ni->nhints;
    add_constraint(&ni->hints, &ni->nhints, rel->op, rel->version);
    for (size_t i = 0; i < ni->nseen; i++)
        add_constraint(&ni->hints, &ni->nhints, ni->seen[i].op, ni->seen[i].version);
    bool fits = false;
    for (size_t i = 0; i < ni->nreal && !fits; i++)
        fits = allowed(ni, ni->real[i]);
    if (fits && ni->nhints > before) {
        r->restart = true;
        return -1;
    }
    /* Nothing fits them all: what was just learnt leads nowhere (another
     * version of the asker may, set_aside()). */
    drop_constraints(ni->hints, &ni->nhints, before);
    const sel *s = &r->sel[ni->selected];
    char *c1 = chain(r, parent), *c2 = chain(r, ni->selected), *av = available(r, rel->name);
    char *pin = ni->pin ? pin_text(ni) : NULL;
    md_err_set(err, "%s -> %s: conflicts with %s %s (selected for %s); no single version satisfies "
               "both%s%s%s (available: %s)", c1, reltext, s->pkg->name, s->pkg->version, c2,
               pin ? " and the pin (" : "", pin ? pin : "", pin ? ")" : "", av);
    free(c1), free(c2), free(av), free(pin);
    return -1;
}

/* Is there a candidate for sel[i]'s relation, with what is set aside
 * left out (another version of its name, or another provider)? */
static bool has_candidate(md_resolve *r, int i)
{
    md_repo_rel rel = { r->sel[i].rname, r->sel[i].rversion, r->sel[i].rop, NULL, false };
    name_info *ni = lookup(r, rel.name);
    for (size_t k = 0; ni && k < ni->nreal; k++)
        if (rel_matches_real(&rel, ni->real[k]) && allowed(ni, ni->real[k]))
            return true;
    for (size_t k = 0; ni && k < ni->nprov; k++) {
        const provider *pv = &ni->prov[k];
        if (rel_matches_prov(&rel, pv) && allowed(lookup(r, pv->pkg->name), pv->pkg) &&
            (r->fmt != MD_REPO_APK || auto_selectable(pv)))
            return true;
    }
    return false;
}

/* The error just recorded is about a dependency of sel[asker]: set that
 * package aside and restart when something else can stand where it stood
 * (another version of it, or another provider, that meets the relation it
 * was taken for), so that one whose dependencies fit is taken, as
 * apk-tools' solver backtracks: with xen-libs pinned to v3.20, v3.22's
 * xen-dev (xen-libs=4.20.2-r0) gives way to v3.20's.  When the asker has
 * no such alternative, the package that asked for it is tried, and so on
 * up the chain.  When nothing is left, the error is the first failure
 * (the best versions' story) and why each later choice failed too.
 * Returns -1. */
static int set_aside(md_resolve *r, int asker, md_err *err)
{
    if (!err->set)
        return -1;
    for (int i = asker; i >= 0; i = r->sel[i].parent) {
        const md_repo_pkg *p = r->sel[i].pkg;
        name_info *ni = lookup(r, p->name);
        ni->aside = md_xrealloc(ni->aside, (ni->naside + 1) * sizeof *ni->aside);
        ni->aside[ni->naside++] = (aside){ p, NULL };
        if (!has_candidate(r, i)) {
            ni->naside--;
            continue;
        }
        ni->aside[ni->naside - 1].why = md_xstrdup(err->msg);
        md_strv_push_own(&r->asides, md_xasprintf("%s %s in %s: %s", p->name, p->version,
                                                  md_repo_name(p->repo), err->msg));
        r->aside_names = md_xrealloc(r->aside_names, r->asides.n * sizeof *r->aside_names);
        r->aside_names[r->asides.n - 1] = p->name;
        r->restart = true;
        return -1;
    }
    /* what was set aside on this chain (not for other requests) */
    size_t *on = md_xcalloc(r->asides.n + 1, sizeof *on), non = 0;
    for (size_t k = 0; k < r->asides.n; k++)
        for (int i = asker; i >= 0; i = r->sel[i].parent)
            if (!strcmp(r->aside_names[k], r->sel[i].pkg->name)) {
                on[non++] = k;
                break;
            }
    if (!non) {
        free(on);
        return -1;
    }
    char *s = NULL;
    size_t len = 0;
    FILE *m = md_xmemstream(&s, &len);
    const char *first = strstr(r->asides.v[on[0]], ": ") + 2;
    fprintf(m, "%s; and nothing else fits (", first);
    for (size_t i = 1; i < non; i++)
        fprintf(m, "then %s; ", r->asides.v[on[i]]);
    free(on);
    if (asker >= 0)
        fprintf(m, "then %s %s in %s: ", r->sel[asker].pkg->name, r->sel[asker].pkg->version,
                md_repo_name(r->sel[asker].pkg->repo));
    fprintf(m, "%s)", err->msg);
    md_xmemstream_close(m, &s);
    md_err_clear(err);
    md_err_set(err, "%s", s);
    free(s);
    return -1;
}

/* Alpine: rel is unsatisfied only because the package that provides it
 * has a name already selected in another version (xen 4.18 needs
 * so:libxenctrl.so.4.18, which only xen-libs 4.18 provides, but an
 * earlier so:libxencall.so.1 took xen-libs 4.20): learn that name's
 * version from the best such provider and restart, as apk-tools' solver
 * would backtrack.  True when it will restart. */
static bool provider_clash(md_resolve *r, const md_repo_rel *rel)
{
    name_info *ni = lookup(r, rel->name);
    const provider *best = NULL;
    for (size_t i = 0; ni && i < ni->nprov; i++) {
        const provider *pv = &ni->prov[i];
        name_info *pn = lookup(r, pv->pkg->name);
        if (!rel_matches_prov(rel, pv) || pn->selected < 0 || r->sel[pn->selected].pkg == pv->pkg ||
            !allowed(pn, pv->pkg) || !auto_selectable(pv))
            continue;
        if (!best || better_apk(r, pv->pkg, pv->version, best->pkg, best->version))
            best = pv;
    }
    if (!best)
        return false;
    name_info *pn = lookup(r, best->pkg->name);
    size_t before = pn->nhints;
    add_constraint(&pn->hints, &pn->nhints, MD_REPO_EQUAL, best->pkg->version);
    if (pn->nhints == before)
        return false;
    r->restart = true;
    return true;
}

/* Remember a single relation's constraint for learning on a clash;
 * alternatives constrain nothing on their own. */
static void note_seen(md_resolve *r, const md_repo_group *alt)
{
    if (alt->n == 1) {
        const md_repo_rel *rel = &alt->rels[0];
        name_info *ni = rel->op != MD_REPO_ANY ? lookup(r, rel->name) : NULL;
        if (ni && ni->nreal)
            add_constraint(&ni->seen, &ni->nseen, rel->op, rel->version);
    }
}

/* Alpine: why pk took its package over pk->tie, which only the repository
 * order or the name set apart (consider()): no silent arbitrary choice. */
static char *tie_note(const char *name, const pick *pk)
{
    const md_repo_pkg *a = pk->pkg, *b = pk->tie;
    const char *how = pk->tie_by == BY_REPO
        ? "the repository listed first decides, as apk takes the lowest repository"
        : "the first by name decides (apk would take the one its indexes list first)";
    if (!strcmp(a->name, b->name)) {
        bool va = md_apkver_valid(a->version), vb = md_apkver_valid(b->version);
        char *why = va && vb ? md_xstrdup("")
                  : md_xasprintf(" (%s%s%s %s: apk-tools 3 compares no further than where a "
                                 "version stops being valid; apk-tools 2 may order them)",
                                 va ? "" : a->version, !va && !vb ? " and " : "",
                                 vb ? "" : b->version, !va && !vb
                                     ? "are not valid Alpine versions"
                                     : "is not a valid Alpine version");
        char *s = md_xasprintf("%s: took %s from %s over %s from %s: the two compare equal by "
                               "apk-tools 3's version order%s, so %s", name, a->version,
                               md_repo_name(a->repo), b->version, md_repo_name(b->repo), why,
                               how);
        free(why);
        return s;
    }
    return md_xasprintf("%s: took %s %s from %s over %s %s from %s: both provide it %s%s, with "
                        "provider_priority %u, so %s", name, a->name, a->version,
                        md_repo_name(a->repo), b->name, b->version, md_repo_name(b->repo),
                        pk->version ? "at version " : "without a version",
                        pk->version ? pk->version : "", a->apk->provider_priority, how);
}

/* Satisfy one dependency group of sel[parent] (parent -1: requested). */
static int satisfy(md_resolve *r, int parent, const md_repo_group *alt, const char *why_root,
                   md_err *err)
{
    /* Alpine's "!name" asks for nothing: check_conflicts() holds it
     * against the whole selection once the pass is done. */
    if (alt->n == 1 && alt->rels[0].conflict)
        return 0;
    for (size_t i = 0; i < alt->n; i++)
        if (selected_for(r, &alt->rels[i]) >= 0) {
            note_seen(r, alt);
            return 0;
        }
    char *text = md_repo_group_str(r->fmt, alt);
    int rc = 0;
    const md_repo_rel *clashing = NULL;
    for (size_t i = 0; i < alt->n; i++) {
        const md_repo_rel *rel = &alt->rels[i];
        name_info *ni = lookup(r, rel->name);
        if (ni && ni->excluded) {
            if (parent < 0 && !strcmp(why_root, "requested")) {
                rc = md_err_set(err, "%s is both requested and excluded", rel->name);
                goto out;
            }
            skip(r, rel->name, NULL, parent, why_root);
            goto out;
        }
        if (ni && ni->selected >= 0) {
            if (!clashing)
                clashing = rel;
            continue;
        }
        pick pk;
        choose(r, rel, &pk);
        if (pk.excluded_only) {
            skip(r, rel->name, pk.excluded_by, parent, why_root);
            goto out;
        }
        if (!pk.pkg)
            continue;
        char *why = parent < 0 ? md_xstrdup(why_root)
                  : pk.virtual ? md_xasprintf("dependency of %s (provides %s)", r->sel[parent].pkg->name, rel->name)
                               : md_xasprintf("dependency of %s", r->sel[parent].pkg->name);
        char *via = md_repo_rel_str(r->fmt, rel);
        select_pkg(r, pk.pkg, parent, parent < 0 ? pk.pkg->name : via, why, rel);
        free(via);
        if (pk.tie)
            md_strv_push_own(&r->ties, tie_note(rel->name, &pk));
        note_seen(r, alt);
        goto out;
    }
    if (clashing) {
        rc = clash(r, parent, clashing, text, err);
        if (!r->restart)
            set_aside(r, parent, err);
        goto out;
    }
    if (r->fmt == MD_REPO_APK && alt->n == 1 && provider_clash(r, &alt->rels[0])) {
        rc = -1;
        goto out;
    }
    char *c = chain(r, parent), *av = NULL;
    size_t avlen = 0;
    FILE *m = md_xmemstream(&av, &avlen); /* linear in the group, as group_str */
    for (size_t i = 0; i < alt->n; i++) {
        char *a = available(r, alt->rels[i].name);
        fprintf(m, "%s%s", i ? "; " : "", *a ? a : "none");
        free(a);
    }
    md_xmemstream_close(m, &av);
    name_info *pn = alt->n == 1 ? lookup(r, alt->rels[0].name) : NULL;
    /* a name the index has only for another architecture: said so, as a
     * whole index of another one is (trial 13h case 11) */
    char *oarch = NULL;
    for (size_t i = 0; r->fmt == MD_REPO_APK && alt->n == 1 && !oarch && i < r->nrepos; i++) {
        const char *a = md_repo_apk_other_arch(r->repos[i], alt->rels[0].name);
        if (a)
            oarch = md_xasprintf(" (%s is in repository %s only for %s, not %s)",
                                 alt->rels[0].name, md_repo_name(r->repos[i]), a,
                                 md_repo_arch(r->repos[i]));
    }
    const char *only = oarch ? oarch : "";
    if (parent < 0 && !(pn && (pn->nreal || pn->nprov)))
        rc = md_err_set(err, "%s: no such package in any repository%s", text, only);
    else if (pn && pn->pin)
        rc = md_err_set(err, "%s%s%s: no version satisfies in repository %s, to which %s is pinned%s%s "
                        "(available: %s)", c, *c ? " -> " : "", text, pn->pin, pn->name,
                        pn->pin_at ? " by " : "", pn->pin_at ? pn->pin_at : "", av);
    else
        rc = md_err_set(err, "%s%s%s: no version satisfies (available: %s)%s", c, *c ? " -> " : "",
                        text, av, only);
    free(c), free(av);
    free(oarch);
    set_aside(r, parent, err);
out:
    free(text);
    return rc;
}

static int satisfy_name(md_resolve *r, const char *name, const char *why, md_err *err)
{
    md_repo_rel rel = { name, NULL, MD_REPO_ANY, NULL, false };
    md_repo_group alt = { &rel, 1 };
    return satisfy(r, -1, &alt, why, err);
}

/* Satisfy every dependency group of sel[i] (Debian: Pre-Depends, then
 * Depends; Alpine: D:). */
static int satisfy_deps(md_resolve *r, int i, md_err *err)
{
    md_repo_rels d;
    int rc = md_repo_pkg_rels(r->sel[i].pkg, MD_REPO_DEPENDS, &d, err);
    for (size_t k = 0; k < d.n && rc == 0; k++)
        rc = satisfy(r, i, &d.groups[k], NULL, err);
    md_repo_rels_free(&d);
    return rc;
}

/* Does every install_if atom of p hold for the selection?  *parent: the
 * selected package of its first positive atom (the chain's parent). */
static bool install_if_holds(md_resolve *r, const md_repo_pkg *p, int *parent)
{
    md_repo_rels d;
    if (md_repo_pkg_rels(p, MD_REPO_INSTALL_IF, &d, NULL) < 0 || d.n != 1) {
        md_repo_rels_free(&d);
        return false;
    }
    *parent = -1;
    bool all = true;
    for (size_t i = 0; i < d.groups[0].n && all; i++) {
        const md_repo_rel *rel = &d.groups[0].rels[i];
        int j = selected_for(r, rel);
        all = rel->conflict ? j < 0 : j >= 0;
        if (j >= 0 && *parent < 0 && !rel->conflict)
            *parent = j;
    }
    md_repo_rels_free(&d);
    return all;
}

/* Alpine's install_if (apk-package(5)): a package whose every install_if
 * atom the selection satisfies is installed too, as apk-tools does
 * ("dhcpcd-openrc" comes with "dhcpcd" and "openrc").  Every allowed
 * version of the name is a candidate, and the best of those whose
 * install_if holds is taken, as apk-tools' solver checks each provider:
 * with xen pinned to an older release, the newer xen-openrc's
 * "i:openrc xen=4.20..." fails while the pinned release's holds (trial 13h
 * case 2: only the best version was looked at, and nothing was added).
 * Never at the price of a conflict.  Returns true when it selected one. */
static bool install_if_round(md_resolve *r)
{
    bool added = false;
    for (size_t k = 0; k < r->niif; k++) {
        name_info *ni = &r->names[r->iif[k]];
        if (ni->selected >= 0 || ni->excluded)
            continue;
        const md_repo_pkg *p = NULL;
        int parent = -1;
        for (size_t i = 0; i < ni->nreal; i++) {
            const md_repo_pkg *c = ni->real[i];
            int pa;
            if (c->apk->ninstall_if && allowed(ni, c) && (!p || better(c, p)) &&
                !breaks_conflict(r, c) && install_if_holds(r, c, &pa))
                p = c, parent = pa;
        }
        if (!p)
            continue;
        md_repo_rels d;
        md_repo_pkg_rels(p, MD_REPO_INSTALL_IF, &d, NULL);
        char *text = md_repo_group_str(r->fmt, &d.groups[0]);
        select_pkg(r, p, parent, p->name, md_xasprintf("install_if %s", text), NULL);
        free(text);
        md_repo_rels_free(&d);
        added = true;
    }
    return added;
}

/* Alpine's conflicts: no selected package may match a "!name" of another
 * selected one (the package's own names excepted: apk-tools lets a
 * package conflict with what it replaces under its own name), and no name
 * may have two owners (other_owner).  Refused with both chains. */
static int check_conflicts(md_resolve *r, md_err *err)
{
    int rc = 0;
    for (size_t i = 0; i < r->nsel && rc == 0; i++) {
        if (!r->sel[i].pkg->apk)
            continue;
        md_repo_rels d;
        md_repo_pkg_rels(r->sel[i].pkg, MD_REPO_DEPENDS, &d, NULL);
        for (size_t k = 0; k < d.n && rc == 0; k++) {
            const md_repo_rel *rel = &d.groups[k].rels[0];
            if (!rel->conflict)
                continue;
            int j = selected_for(r, rel);
            if (j < 0 || j == (int)i)
                continue;
            char *c1 = chain(r, (int)i), *c2 = chain(r, j), *t = md_repo_rel_str(r->fmt, rel);
            rc = md_err_set(err, "%s -> %s: %s %s conflicts with %s %s (selected for %s)", c1, t,
                            r->sel[i].pkg->name, r->sel[i].pkg->version, r->sel[j].pkg->name,
                            r->sel[j].pkg->version, c2);
            free(c1), free(c2), free(t);
        }
        md_repo_rels_free(&d);
        int j;
        const char *name = rc ? NULL : owned_twice(r, r->sel[i].pkg, &j);
        if (name) {
            char *c1 = chain(r, (int)i), *c2 = chain(r, j);
            rc = md_err_set(err, "%s: %s %s and %s %s (selected for %s) both provide %s: a "
                            "versioned provides makes its package the name's only owner "
                            "(apk-package(5); apk: \"conflict: same name provided\")", c1,
                            r->sel[i].pkg->name, r->sel[i].pkg->version, r->sel[j].pkg->name,
                            r->sel[j].pkg->version, c2, name);
            free(c1), free(c2);
        }
    }
    return rc;
}

static void reset_pass(md_resolve *r)
{
    for (size_t i = 0; i < r->nsel; i++) {
        free(r->sel[i].why);
        free(r->sel[i].via);
        free(r->sel[i].path);
        free(r->sel[i].rname);
        free(r->sel[i].rversion);
    }
    r->nsel = 0;
    for (size_t i = 0; i < r->nnames; i++) {
        r->names[i].selected = -1;
        free_constraints(&r->names[i].seen, &r->names[i].nseen);
    }
    md_strv_free(&r->skipped);
    md_strv_free(&r->ties);
    r->ncfl = 0;
    r->restart = false;
}

static int pass(md_resolve *r, const md_resolve_opts *o, md_err *err)
{
    for (const char *const *w = o->want; w && *w; w++)
        if (satisfy_name(r, *w, "requested", err) < 0)
            return -1;
    if (o->essential) {
        md_strv ess = { 0 };
        for (size_t i = 0; i < r->nrepos; i++)
            for (size_t j = 0, n = md_repo_pkg_count(r->repos[i]); j < n; j++) {
                const md_repo_pkg *p = md_repo_pkg_at(r->repos[i], j);
                if (p->essential)
                    md_strv_push(&ess, p->name);
            }
        /* Sorted, each name once: a name repeated sits beside itself (a
         * search of the list for each made an index of 100,000 essential
         * packages cost 5 billion compares). */
        md_strv_sort(&ess);
        int rc = 0;
        for (size_t i = 0; i < ess.n && rc == 0; i++)
            if (!i || strcmp(ess.v[i], ess.v[i - 1]))
                rc = satisfy_name(r, ess.v[i], "essential", err);
        md_strv_free(&ess);
        if (rc < 0)
            return -1;
    }
    size_t i = 0;
    do
        for (; i < r->nsel; i++)
            if (satisfy_deps(r, (int)i, err) < 0)
                return -1;
    while (install_if_round(r));
    return r->fmt == MD_REPO_APK ? check_conflicts(r, err) : 0;
}

static int cmp_sel(const void *a, const void *b)
{
    const sel *x = a, *y = b;
    return strcmp(x->pkg->name, y->pkg->name);
}

md_resolve *md_resolve_run(const md_resolve_opts *o, md_err *err)
{
    md_resolve *r = md_xcalloc(1, sizeof *r);
    r->repos = o->repos;
    r->nrepos = o->nrepos;
    r->out = o->out;
    if (index_repos(r, err) < 0)
        goto fail;
    for (const char *const *x = o->exclude; x && *x; x++) {
        char *n = md_xstrdup(*x);
        md_strv_push_own(&r->tmp, n);
        intern(r, n)->excluded = true;
    }
    for (size_t i = 0; i < o->npins; i++) {
        bool found = false;
        for (size_t k = 0; k < r->nrepos; k++)
            found |= !strcmp(md_repo_name(r->repos[k]), o->pins[i].repo);
        if (!found) {
            md_err_set(err, "pin %s=%s: no repository named %s", o->pins[i].package, o->pins[i].repo,
                       o->pins[i].repo);
            goto fail;
        }
        char *n = md_xstrdup(o->pins[i].package), *rp = md_xstrdup(o->pins[i].repo);
        md_strv_push_own(&r->tmp, n);
        md_strv_push_own(&r->tmp, rp);
        name_info *ni = intern(r, n);
        ni->pin = rp;
        if (o->pins[i].origin) {
            char *at = md_xstrdup(o->pins[i].origin);
            md_strv_push_own(&r->tmp, at);
            ni->pin_at = at;
        }
    }
    for (int round = 0;; round++) {
        md_err e = MD_ERR_INIT;
        int rc = pass(r, o, &e);
        if (rc == 0)
            break;
        if (!r->restart || round == MAX_RESTARTS) {
            md_err_set(err, "%s", e.set ? e.msg : "resolution did not converge");
            goto fail;
        }
        reset_pass(r);
    }
    if (r->nsel)
        qsort(r->sel, r->nsel, sizeof *r->sel, cmp_sel);
    for (size_t i = 0; i < r->nsel; i++) /* the names follow the sort */
        lookup(r, r->sel[i].pkg->name)->selected = (int)i;
    /* What was set aside, and what was taken instead: a version other than
     * the best one must not come unexplained. */
    for (size_t i = 0; i < r->nnames; i++) {
        const name_info *ni = &r->names[i];
        const md_repo_pkg *t = ni->selected >= 0 ? r->sel[ni->selected].pkg : NULL;
        for (size_t k = 0; k < ni->naside; k++) {
            char *took = t ? md_xasprintf("took %s from %s instead", t->version, md_repo_name(t->repo))
                           : md_xstrdup("not installed");
            md_out_say(r->out, MD_OUT_NOTE, "%s %s in %s set aside (%s): %s", ni->name,
                       ni->aside[k].pkg->version, md_repo_name(ni->aside[k].pkg->repo), took,
                       ni->aside[k].why);
            free(took);
        }
    }
    for (size_t i = 0; i < r->ties.n; i++)
        md_out_say(r->out, MD_OUT_NOTE, "%s", r->ties.v[i]);
    if (o->own_repos)
        r->owned = (md_repo **)o->repos;
    return r;
fail:
    md_resolve_free(r);
    return NULL;
}

void md_resolve_free(md_resolve *r)
{
    if (!r)
        return;
    reset_pass(r);
    free(r->sel);
    for (size_t i = 0; i < r->nnames; i++) {
        free(r->names[i].real);
        free(r->names[i].prov);
        free_constraints(&r->names[i].hints, &r->names[i].nhints);
        for (size_t k = 0; k < r->names[i].naside; k++)
            free(r->names[i].aside[k].why);
        free(r->names[i].aside);
    }
    free(r->names);
    md_hindex_free(&r->byname);
    for (size_t i = 0; i < r->nprovdeps; i++)
        md_repo_rels_free(&r->provdeps[i]);
    free(r->provdeps);
    free(r->iif);
    free(r->cfl);
    md_strv_free(&r->tmp);
    md_strv_free(&r->asides);
    free(r->aside_names);
    if (r->owned) {
        for (size_t i = 0; i < r->nrepos; i++)
            md_repo_free(r->owned[i]);
        free(r->owned);
    }
    free(r);
}

/* Mark sel[i] and everything its Depends/Pre-Depends reach (the first
 * satisfied alternative of each group, as the resolver took it). */
static int reach(md_resolve *r, size_t i, bool *seen, md_err *err)
{
    if (seen[i])
        return 0;
    seen[i] = true;
    md_repo_rels d;
    int rc = md_repo_pkg_rels(r->sel[i].pkg, MD_REPO_DEPENDS, &d, err);
    for (size_t k = 0; k < d.n && rc == 0; k++)
        for (size_t a = 0; a < d.groups[k].n; a++) {
            if (d.groups[k].rels[a].conflict)
                continue;
            int j = selected_for(r, &d.groups[k].rels[a]);
            if (j >= 0) {
                rc = reach(r, (size_t)j, seen, err);
                break;
            }
        }
    md_repo_rels_free(&d);
    return rc;
}

int md_resolve_only_for(md_resolve *r, const char *name, md_strv *out, md_err *err)
{
    name_info *ni = lookup(r, name);
    if (!ni || ni->selected < 0 || r->sel[ni->selected].parent >= 0)
        return md_err_set(err, "%s is not a requested package of this resolution", name);
    bool *seen = md_xcalloc(r->nsel + 1, sizeof *seen);
    int rc = 0;
    for (size_t i = 0; i < r->nsel && rc == 0; i++)
        if (r->sel[i].parent < 0 && (int)i != ni->selected)
            rc = reach(r, i, seen, err);
    for (size_t i = 0; i < r->nsel && rc == 0; i++)
        if (!seen[i])
            md_strv_push(out, r->sel[i].pkg->name);
    free(seen);
    return rc;
}

size_t md_resolve_count(const md_resolve *r) { return r->nsel; }
const md_repo_pkg *md_resolve_pkg(const md_resolve *r, size_t i) { return r->sel[i].pkg; }
const char *md_resolve_why(const md_resolve *r, size_t i) { return r->sel[i].why; }
const char *md_resolve_path(const md_resolve *r, size_t i) { return r->sel[i].path; }
size_t md_resolve_skipped_count(const md_resolve *r) { return r->skipped.n; }
const char *md_resolve_skipped(const md_resolve *r, size_t i) { return r->skipped.v[i]; }

uint64_t md_resolve_total_size(const md_resolve *r)
{
    uint64_t t = 0;
    for (size_t i = 0; i < r->nsel; i++)
        t += r->sel[i].pkg->size;
    return t;
}

uint64_t md_resolve_total_installed(const md_resolve *r)
{
    uint64_t t = 0;
    for (size_t i = 0; i < r->nsel; i++)
        t += r->sel[i].pkg->installed_size;
    return t;
}

/* ---- download and lock file ---- */

/* apt's naming: NAME_VERSION_ARCH.deb with ':' spelled %3a: the cache
 * name of mkdom0 before 2026-12, which md_fetch_verified adopts. */
static char *deb_apt_name(const md_repo_pkg *p)
{
    const char *colon = strchr(p->version, ':');
    if (!colon)
        return md_xasprintf("%s_%s_%s.deb", p->name, p->version, p->arch);
    return md_xasprintf("%s_%.*s%%3a%s_%s.deb", p->name, (int)(colon - p->version), p->version,
                        colon + 1, p->arch);
}

/* The cache name: apt's, with the SHA-256 the signed index gives before
 * ".deb" (NAME_VERSION_ARCH.SHA256.deb).  One name and version with other
 * bytes is ordinary (a local rebuild, one version in a vendor's repository
 * and in Debian's); under apt's name alone two builds sharing the cache
 * replaced each other's copy, and the one that extracted second refused it
 * as changed after its check (trial 9f case 9).  The readable part is cut
 * to 150 bytes so that the name, and fetch's ".partial.NAME.PID", stay
 * within NAME_MAX (255) whatever the index says: the hash alone keeps
 * names apart. */
static char *deb_name(const md_repo_pkg *p)
{
    char *apt = deb_apt_name(p);
    size_t n = strlen(apt) - 4; /* without ".deb" */
    char *name = md_xasprintf("%.*s.%s.deb", (int)(n > 150 ? 150 : n), apt, p->sha256);
    free(apt);
    return name;
}

/* Alpine's cache names, as apk-tools' own cache has them: NAME-VERSION
 * and a piece of the package's checksum, so two builds of one version
 * (two repositories, a rebuild) never share a file.  The checksum is
 * base64: '/' and '+' would not do in a name, its hex SHA-256 does. */
static char *apk_name(const md_repo_pkg *p)
{
    char h[65];
    md_sha256_hex(p->apk->checksum, strlen(p->apk->checksum), h);
    return md_xasprintf("%s-%s.%.16s.apk", p->name, p->version, h);
}

typedef struct apk_check {
    const md_repo_pkg *pkg;
    const md_apksign_keys *keys;
    const char *label; /* NAME-VERSION.apk, the repository's name of it */
} apk_check;

/* An .apk is the one its index names when apk.h's whole chain holds:
 * signature by a trusted key, control checksum = C:, size = S:, name,
 * version and arch = P:, V:, A:, data = .PKGINFO's datahash, every file's
 * checksum. */
static int check_apk(const char *path, void *ctx, md_err *err)
{
    const apk_check *c = ctx;
    md_apk *a = md_apk_open_as(path, c->label, c->keys, c->pkg->apk, err);
    md_apk_free(a);
    return a ? 0 : -1;
}

int md_resolve_download(md_resolve *r, const char *cache_dir, md_resolve_stats *stats, md_err *err)
{
    bool apk = r->fmt == MD_REPO_APK;
    const char *sub = apk ? "apks" : "debs";
    char *dir = md_cache_path(cache_dir, sub);
    md_resolve_stats st = { 0 };
    /* Alpine: each repository's trusted keys (those its index was verified
     * with), for apk.h's check. */
    const md_apksign_keys **keys = apk ? md_xcalloc(r->nrepos, sizeof *keys) : NULL;
    int rc = 0;
    for (size_t i = 0; apk && rc == 0 && i < r->nrepos; i++)
        if (!(keys[i] = md_repo_apk_keys(r->repos[i], err))) {
            md_err_prefix(err, "repository %s", md_repo_name(r->repos[i]));
            rc = -1;
        }
    /* Checked before the lock or any package in it is opened. */
    int lock = rc < 0 || md_cache_prepare(cache_dir, sub, err) < 0
                   ? -1
                   : md_fetch_lock(dir, r->out, err);
    rc = lock < 0 ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < r->nsel; i++) {
        sel *s = &r->sel[i];
        char *url = md_repo_pkg_url(s->pkg), *name = apk ? apk_name(s->pkg) : deb_name(s->pkg);
        char *old = apk ? NULL : deb_apt_name(s->pkg);
        char *label = apk ? md_apkindex_pkg_filename(s->pkg->apk) : NULL;
        apk_check ac = { s->pkg, NULL, label };
        for (size_t k = 0; apk && k < r->nrepos; k++)
            if (r->repos[k] == s->pkg->repo)
                ac.keys = keys[k];
        md_fetch_item it = { url, name, s->pkg->name, s->pkg->size, s->pkg->sha256,
                             apk ? check_apk : NULL, &ac, old };
        bool cached = false;
        free(s->path);
        s->path = NULL;
        rc = md_fetch_verified(&it, dir, r->out, &s->path, &cached, err);
        if (rc == 0 && cached)
            st.cached++;
        else if (rc == 0)
            st.downloaded++, st.bytes_downloaded += s->pkg->size;
        free(url);
        free(name);
        free(old);
        free(label);
    }
    md_fetch_unlock(lock);
    free(dir);
    free(keys);
    if (rc == 0)
        md_out_say(r->out, MD_OUT_NOTE, "%s: %zu downloaded (%llu bytes), %zu cached",
                   apk ? "apks" : "debs", st.downloaded, (unsigned long long)st.bytes_downloaded,
                   st.cached);
    if (stats)
        *stats = st;
    return rc;
}

int md_resolve_write_lock(const md_resolve *r, const char *path, md_err *err)
{
    return md_resolve_write_lock_with(r, path, NULL, err);
}

int md_resolve_write_lock_with(const md_resolve *r, const char *path, const char *extra,
                               md_err *err)
{
    bool apk = r->fmt == MD_REPO_APK;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = md_xmemstream(&buf, &len);
    /* Alpine's columns: the index a repository was resolved from is named
     * by its DESCRIPTION, a package by its C: checksum. */
    fprintf(f, "# mkdom0 lock: the exact packages of this image (generated; do not edit)\n"
               "# repository NAME URL %s\n", apk ? "ARCH INDEX" : "SUITE");
    for (size_t i = 0; i < r->nrepos; i++) {
        const char *d = md_repo_description(r->repos[i]);
        bool word = d && *d;
        for (const unsigned char *c = (const unsigned char *)d; word && *c; c++)
            word = *c > ' ' && *c != 0x7f;
        if (!word)
            d = "-"; /* the column is one word of text: a blank or a control
                        character (an ESC sequence: trial 13h case 9) is not */
        fprintf(f, "repository %s %s %s%s%s\n", md_repo_name(r->repos[i]), md_repo_url_shown(r->repos[i]),
                apk ? md_repo_arch(r->repos[i]) : md_repo_suite(r->repos[i]), apk ? " " : "",
                apk ? d : "");
    }
    fprintf(f, "# package NAME VERSION ARCH REPOSITORY SIZE %s\n", apk ? "CHECKSUM" : "SHA256");
    for (size_t i = 0; i < r->nsel; i++) {
        const md_repo_pkg *p = r->sel[i].pkg;
        fprintf(f, "package %s %s %s %s %llu %s\n", p->name, p->version, p->arch,
                md_repo_name(p->repo), (unsigned long long)p->size,
                apk ? p->apk->checksum : p->sha256);
    }
    if (extra)
        fputs(extra, f);
    md_xmemstream_close(f, &buf);
    int rc = md_write_atomic(path, buf, len, 0644, err);
    free(buf);
    return rc;
}
