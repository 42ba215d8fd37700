/* md_resolve_spec: the glue from an image spec to a resolved package set,
 * kept apart so the resolver itself works on plain parameters. */
#include "packages/resolve.h"

#include <stdlib.h>
#include <string.h>
#include "spec/spec.h"
#include "core/mem.h"
#include "core/strv.h"

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
    md_resolve_pin *pins = md_xcalloc(md_spec_pin_count(s) + 1, sizeof *pins);
    for (size_t i = 0; i < md_spec_pin_count(s); i++)
        pins[i] = (md_resolve_pin){ md_spec_pin_at(s, i)->package, md_spec_pin_at(s, i)->repo };
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
    /* A pin of a package the image does not take pins nothing: a typo in
     * the name of the pin that keeps trap 2 away would go unseen (trial 13
     * F3).  Pins apply to packages by their own names. */
    for (size_t i = 0; res && i < md_spec_pin_count(s); i++) {
        const char *name = md_spec_pin_at(s, i)->package;
        size_t k = 0;
        while (k < md_resolve_count(res) && strcmp(md_resolve_pkg(res, k)->name, name))
            k++;
        if (k == md_resolve_count(res)) {
            char *shown = md_err_shown(name);
            md_err_set(err, "Pin=%s=%s: no package %s is in the image (%zu packages): nothing "
                            "selects it, so the pin does nothing; name it in Include= or fix "
                            "the name (a pin applies to a package's own name, not to what it "
                            "provides)", shown, md_spec_pin_at(s, i)->repo, shown,
                       md_resolve_count(res));
            free(shown);
            at = md_spec_pin_origin(s, i);
            md_resolve_free(res);
            res = NULL;
            repos = NULL; /* the result owned and freed them */
            made = 0;
        }
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
