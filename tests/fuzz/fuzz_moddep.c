/* modules.dep and modules.builtin as the dom0's module loader reads them
 * (src/dom0/moddep.h).  Input: modules.dep, optionally NUL and
 * modules.builtin.  Then the load order of the Xen modules and of the first
 * module the index names, as xen-dom0-setup asks for them. */
#include "fuzz.h"
#include "moddep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *dep, *builtin;
    fz_split(data, size, &dep, &builtin);
    d0_err e = { 0 };
    d0_moddep *d = d0_moddep_parse(dep, builtin, "modules.dep", &e);
    if (d) {
        char first[256];
        size_t n = strcspn(dep, ":\n");
        snprintf(first, sizeof first, "%.*s", (int)n, dep);
        char name[256];
        const char *names[] = { "xen-evtchn", "xen_gntdev", d0_moddep_name(first, name, sizeof name) };
        const char **paths = NULL;
        size_t np = 0;
        for (size_t i = 0; i < 3; i++) {
            d0_err oe = { 0 };
            (void)d0_moddep_has(d, names[i]);
            (void)d0_moddep_builtin(d, names[i]);
            (void)d0_moddep_order(d, names[i], &paths, &np, &oe);
        }
        for (size_t i = 0; i < np; i++)
            (void)d0_moddep_compressed(paths[i]);
        free(paths);
        d0_moddep_free(d);
    }
    free(dep);
    return 0;
}
