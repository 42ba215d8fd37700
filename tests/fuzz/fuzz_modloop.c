/* An Alpine modloop (image/modloop.h md_modloop_read): a squashfs read
 * with libsquashfs into a tree, every modules/KVER and then only the one a
 * kernel wants, as a build reads it.  The reader wants a path (fz_file). */
#include "fuzz.h"
#include "core/strv.h"
#include "image/modloop.h"

static char tmpl[] = "/tmp/mkdom0-fuzz-modloop.XXXXXX";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_file(tmpl, data, size);
    md_strv kvers = { 0 };
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    int r = md_modloop_read(t, path, "modloop", NULL, &kvers, &e);
    md_tree_free(t);
    if (r == 0 && kvers.n) {
        /* the release a kernel would want: the seeds' own, so a mutation
         * that keeps the tree reaches the chosen-release path */
        md_tree *w = md_tree_new(true);
        md_err we = MD_ERR_INIT;
        (void)md_modloop_read(w, path, "modloop", kvers.v[kvers.n - 1], NULL, &we);
        md_tree_free(w);
    }
    md_tree *o = md_tree_new(true);
    md_err oe = MD_ERR_INIT;
    (void)md_modloop_read(o, path, "modloop", "6.6.0-0-virt", NULL, &oe);
    md_tree_free(o);
    md_strv_free(&kvers);
    return 0;
}
