/* An Alpine APKINDEX text (packages/apkindex.h md_apkindex_parse, the
 * part of md_apkindex_load after the signature), then the version and atom
 * functions (packages/apkver.h) on every record, as a resolver uses them;
 * and the input's first line as a strict atom, as a user writes one. */
#include "fuzz.h"
#include "packages/apkindex.h"
#include "packages/apkver.h"

static void atoms(const md_apkver_dep *d, size_t n, const md_apkindex_pkg *p)
{
    for (size_t i = 0; i < n; i++) {
        (void)md_apkver_dep_match(&d[i], p->version, p->checksum);
        free(md_apkver_dep_str(&d[i]));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    memcpy(text, data, size);
    md_err e = MD_ERR_INIT;
    md_apkindex *x = md_apkindex_parse("APKINDEX", text, size, &e);
    for (size_t i = 0; x && i < md_apkindex_count(x); i++) {
        const md_apkindex_pkg *p = md_apkindex_pkg_at(x, i);
        (void)md_apkver_valid(p->version);
        (void)md_apkver_cmp(p->version, "1.2.3_rc1-r0");
        if (i)
            (void)md_apkver_cmp(p->version, md_apkindex_pkg_at(x, i - 1)->version);
        atoms(p->depends, p->ndepends, p);
        atoms(p->provides, p->nprovides, p);
        atoms(p->install_if, p->ninstall_if, p);
        atoms(p->replaces, p->nreplaces, p);
        free(md_apkindex_pkg_filename(p));
    }
    md_apkindex_free(x);

    char *line = fz_str(data, size);
    line[strcspn(line, "\n")] = '\0';
    md_apkver_dep d;
    md_err de = MD_ERR_INIT;
    if (md_apkver_dep_parse(line, MD_APKVER_STRICT, &d, &de) == 0)
        free(md_apkver_dep_str(&d));
    free(line);
    return 0;
}
