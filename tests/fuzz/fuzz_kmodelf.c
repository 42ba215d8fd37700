/* A kernel module file, compressed or not (image/kmodelf.h md_kmodelf_read):
 * how the build and lint read .modinfo, exported and needed symbols. */
#include "fuzz.h"
#include "image/kmodelf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    md_kmodinfo mi;
    md_err e = MD_ERR_INIT;
    if (md_kmodelf_read("fuzz.ko", data, size, &mi, &e) == 0)
        (void)md_kmodinfo_get(&mi, "vermagic");
    md_kmodinfo_free(&mi);
    return 0;
}
