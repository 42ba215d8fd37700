/* A hypervisor image as lint reads xen.gz (lint/xenver.h
 * md_xenver_hypervisor_image: gzip/xz/zstd or plain ELF, its embedded
 * Kconfig and version) and a libxenctrl shared object's DT_SONAME. */
#include "fuzz.h"
#include "lint/xenver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    md_xen_version v;
    md_err e = MD_ERR_INIT;
    (void)md_xenver_hypervisor_image(data, size, "xen-4.17-amd64.gz", &v, &e);
    md_err e2 = MD_ERR_INIT;
    (void)md_xenver_libxenctrl(data, size, "libxenctrl.so.4.17.0", &v, &e2);
    return 0;
}
