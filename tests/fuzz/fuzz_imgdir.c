/* image.ini as boot, lint and inspect read it (image/imgdir.h
 * md_imgdir_ini).  The reader wants a directory: one temporary directory
 * per process, its image.ini rewritten for each input. */
#include <stdio.h>
#include <unistd.h>
#include "fuzz.h"
#include "image/imgdir.h"

static char dir[] = "/tmp/mkdom0-fuzz-imgdir.XXXXXX";
static char ini[sizeof dir + 16];

static void cleanup(void)
{
    unlink(ini);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!*ini) {
        if (!mkdtemp(dir))
            abort();
        snprintf(ini, sizeof ini, "%s/image.ini", dir);
        atexit(cleanup);
    }
    FILE *f = fopen(ini, "w");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    md_err e = MD_ERR_INIT;
    md_imgdir *d = md_imgdir_open(dir, &e);
    if (!d)
        abort();
    (void)md_imgdir_ini(d, &e);
    md_imgdir_free(d);
    return 0;
}
