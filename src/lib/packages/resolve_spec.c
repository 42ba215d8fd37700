/* md_resolve_spec: the glue from an image spec to a resolved package set,
 * kept apart so the resolver itself works on plain parameters. */
#include "packages/resolve.h"

#include <stdlib.h>
#include <string.h>
#include "spec/spec.h"
#include "packages/apkindex.h"
#include "core/out.h"
#include "core/mem.h"
#include "core/strv.h"

/* The versions of package `name` in repository r, "4.20.2-r0, 4.20.1-r0"
 * (NULL: none). */
static char *versions_in(const md_repo *r, const char *name)
{
    char *s = NULL;
    for (size_t j = 0, n = md_repo_pkg_count(r); j < n; j++) {
        const md_repo_pkg *p = md_repo_pkg_at(r, j);
        if (strcmp(p->name, name))
            continue;
        char *t = md_xasprintf("%s%s%s", s ? s : "", s ? ", " : "", p->version);
        free(s);
        s = t;
    }
    return s;
}

/* The packages that provide `name` ("xen-libs in v320, v322"; at most a
 * few), NULL if none. */
static char *providers_of(md_repo *const *repos, size_t n, const char *name)
{
    md_strv who = { 0 };
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0, m = md_repo_pkg_count(repos[i]); j < m && who.n < 4; j++) {
            const md_repo_pkg *p = md_repo_pkg_at(repos[i], j);
            if (!p->provides && !(p->apk && p->apk->nprovides))
                continue;
            md_repo_rels d;
            if (md_repo_pkg_rels(p, MD_REPO_PROVIDES, &d, NULL) == 0)
                for (size_t k = 0; k < d.n; k++)
                    if (d.groups[k].n && !strcmp(d.groups[k].rels[0].name, name)) {
                        char *w = md_xasprintf("%s (in %s)", p->name, md_repo_name(repos[i]));
                        if (md_strv_contains(&who, w))
                            free(w);
                        else
                            md_strv_push_own(&who, w);
                        break;
                    }
            md_repo_rels_free(&d);
        }
    char *s = who.n ? md_strv_join(&who, ", ") : NULL;
    md_strv_free(&who);
    return s;
}

/* A pin that cannot be honoured is refused at its line before anything
 * is resolved (trial 13j): its repository without the package (a pin to
 * the release that lacks it would forbid every version, and a pin of a
 * package nothing asks for would pass unseen), a name no repository has
 * as a package's own (a typo, or a provided name: pins apply to packages).
 * *bad: the pin refused. */
static int check_pins(const md_spec *s, md_repo *const *repos, size_t n, size_t *bad, md_err *err)
{
    for (size_t i = 0; i < md_spec_pin_count(s); i++) {
        const md_spec_pin *pin = md_spec_pin_at(s, i);
        *bad = i;
        const md_repo *to = NULL;
        for (size_t k = 0; k < n; k++)
            if (!strcmp(md_repo_name(repos[k]), pin->repo))
                to = repos[k];
        if (!to)
            return md_err_set(err, "Pin=%s=%s names no [Repository %s]", pin->package, pin->repo,
                              pin->repo);
        char *here = versions_in(to, pin->package);
        if (here) {
            free(here);
            continue;
        }
        md_strv elsewhere = { 0 };
        for (size_t k = 0; k < n; k++) {
            char *v = versions_in(repos[k], pin->package);
            if (v)
                md_strv_push_own(&elsewhere, md_xasprintf("%s in %s", v, md_repo_name(repos[k])));
            free(v);
        }
        if (elsewhere.n) {
            char *list = md_strv_join(&elsewhere, "; ");
            md_err_set(err, "Pin=%s=%s: repository %s has no package %s (%s: %s), so the pin "
                            "cannot be honoured; pin it to a repository that has it, or drop the pin",
                       pin->package, pin->repo, pin->repo, pin->package, pin->package, list);
            free(list);
            md_strv_free(&elsewhere);
            return -1;
        }
        char *prov = providers_of(repos, n, pin->package);
        if (prov) {
            md_err_set(err, "Pin=%s=%s: no repository has a package named %s; it is a name "
                            "provided by %s, and a pin applies to a package's own name: pin the "
                            "provider (Pin=%.*s=%s)", pin->package, pin->repo, pin->package,
                       prov, (int)strcspn(prov, " "), prov, pin->repo);
            free(prov);
            return -1;
        }
        const char *oa = md_repo_format_of(to) == MD_REPO_APK
            ? md_repo_apk_other_arch(to, pin->package) : NULL;
        return md_err_set(err, "Pin=%s=%s: no repository has a package named %s%s%s%s%s; check the "
                          "name", pin->package, pin->repo, pin->package,
                          oa ? " for " : "", oa ? md_repo_arch(to) : "", oa ? " (only for " : "",
                          oa ? oa : "");
    }
    return 0;
}

md_resolve *md_resolve_spec(const md_spec *s, const char *cache_dir, const md_out *out, md_err *err)
{
    size_t n = md_spec_repo_count(s);
    if (!n)
        return md_err_set(err, "%s: no [Repository] section", md_spec_origin(s)), NULL;
    md_repo **repos = md_xcalloc(n, sizeof *repos);
    size_t made = 0;
    md_resolve *res = NULL;
    const char *at = NULL; /* the spec line an error is about, when known */
    for (; made < n; made++) {
        const md_spec_repo *sr = md_spec_repo_at(s, made);
        bool apk = sr->type == MD_SPEC_REPO_APK;
        md_repo_config c = { .format = apk ? MD_REPO_APK : MD_REPO_DEB,
                             .name = sr->name, .url = sr->url, .suite = sr->suite,
                             .components = sr->components && sr->components->n
                                 ? (const char *const *)sr->components->v : NULL,
                             .arch = sr->arch, .keyring = sr->keyring, .keys = sr->keys,
                             .priority = sr->priority };
        repos[made] = md_repo_new(&c, err);
        /* Alpine's trusted keys first, so that a bad key file is named at
         * the Keys= line (trial 9e case 8: "SPEC: repository v323: ...") */
        if (repos[made] && apk && !md_repo_apk_keys(repos[made], err)) {
            char *sec = md_xasprintf("Repository %s", sr->name);
            at = md_spec_key_at(s, sec, "Keys");
            free(sec);
            made++;
            goto out;
        }
        if (!repos[made] || md_repo_load(repos[made], cache_dir, out, err) < 0) {
            if (repos[made])
                made++;
            goto out;
        }
    }
    size_t bad;
    if (check_pins(s, repos, n, &bad, err) < 0) {
        at = md_spec_pin_origin(s, bad);
        goto out;
    }
    md_resolve_pin *pins = md_xcalloc(md_spec_pin_count(s) + 1, sizeof *pins);
    for (size_t i = 0; i < md_spec_pin_count(s); i++)
        pins[i] = (md_resolve_pin){ md_spec_pin_at(s, i)->package, md_spec_pin_at(s, i)->repo,
                                    md_spec_pin_origin(s, i) };
    const md_strv *want = md_spec_packages(s), *ex = md_spec_excludes(s);
    md_resolve_opts o = {
        .repos = repos, .nrepos = n,
        .want = want ? (const char *const *)want->v : NULL,
        .exclude = ex ? (const char *const *)ex->v : NULL,
        .pins = pins, .npins = md_spec_pin_count(s),
        .essential = md_spec_essential(s), .own_repos = true,
        .out = out,
    };
    res = md_resolve_run(&o, err);
    free(pins);
    /* A pin of a package the image does not take pins nothing: said in a
     * note at its line (trial 13 F3: silent; a typo, or a name only
     * provided, is refused by check_pins before). */
    for (size_t i = 0; res && i < md_spec_pin_count(s); i++) {
        const md_spec_pin *pin = md_spec_pin_at(s, i);
        size_t k = 0;
        while (k < md_resolve_count(res) && strcmp(md_resolve_pkg(res, k)->name, pin->package))
            k++;
        bool excluded = ex && md_strv_contains(ex, pin->package);
        if (k == md_resolve_count(res))
            md_out_say(out, MD_OUT_NOTE, "%s: Pin=%s=%s takes nothing: %s", md_spec_pin_origin(s, i),
                       pin->package, pin->repo,
                       excluded ? "the package is in Exclude=" : "nothing in the image needs the "
                       "package (name it in Include= to take it from there)");
    }
out:
    if (!res) {
        for (size_t i = 0; i < made; i++)
            md_repo_free(repos[i]);
        free(repos);
        md_err_prefix(err, "%s", at ? at : md_spec_origin(s));
    }
    return res;
}
