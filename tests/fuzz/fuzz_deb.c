/* A .deb (packages/deb.h md_deb_extract: ar, then data.tar.* through
 * libarchive's decompressors into a tree).  The reader wants a path (fz_file). */
#include <stdio.h>
#include "fuzz.h"
#include "packages/deb.h"

static char tmpl[] = "/tmp/mkdom0-fuzz-deb.XXXXXX";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_file(tmpl, data, size);
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    (void)md_deb_extract(t, path, "fuzz", MD_CLASH_ERROR, NULL, &e);
    md_tree_free(t);
    return 0;
}
