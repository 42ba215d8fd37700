/* A .deb (packages/deb.h md_deb_extract: ar, then data.tar.* through
 * libarchive's decompressors into a tree).  The reader wants a path: one
 * temporary file per process, rewritten for each input. */
#include <stdio.h>
#include <unistd.h>
#include "fuzz.h"
#include "packages/deb.h"

static char path[] = "/tmp/mkdom0-fuzz-deb.XXXXXX";
static int fd = -1;

static void cleanup(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fd < 0) {
        if ((fd = mkstemp(path)) < 0)
            abort();
        atexit(cleanup);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    (void)md_deb_extract(t, path, "fuzz", MD_CLASH_ERROR, NULL, &e);
    md_tree_free(t);
    return 0;
}
