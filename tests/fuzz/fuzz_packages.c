/* A Debian Packages index (packages/repo.h md_repo_add_index), then the
 * version and relationship parsers (packages/debver.h) on every package's
 * fields, as the resolver reads them. */
#include "fuzz.h"
#include "packages/debver.h"
#include "packages/repo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    md_repo_config cfg = { .name = "fuzz", .url = "file:///nonexistent", .suite = "bookworm",
                           .keyring = "/nonexistent.gpg" };
    md_err e = MD_ERR_INIT;
    md_repo *r = md_repo_new(&cfg, &e);
    if (!r)
        abort(); /* the configuration is valid: refusing it is a bug */
    char *text = malloc(size ? size : 1);
    memcpy(text, data, size);
    if (md_repo_add_index(r, "Packages", text, size, &e) == 0) {
        for (size_t i = 0; i < md_repo_pkg_count(r); i++) {
            const md_repo_pkg *p = md_repo_pkg_at(r, i);
            if (p->version && md_debver_valid(p->version))
                (void)md_debver_cmp(p->version, "1:2.3-4~b1");
            const char *fields[] = { p->depends, p->pre_depends, p->provides };
            for (size_t f = 0; f < 3; f++) {
                if (!fields[f])
                    continue;
                md_debver_deps d;
                md_err de = MD_ERR_INIT;
                if (md_debver_deps_parse(fields[f], &d, &de) == 0)
                    md_debver_deps_free(&d);
            }
            free(md_repo_pkg_url(p));
        }
    }
    md_repo_free(r);
    return 0;
}
