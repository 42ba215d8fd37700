/* dom0_mem's value as Xen reads it (boot/bootcfg.h md_bootcfg_parse_dom0_mem)
 * and a memory size as the spec gives it (core/size.h md_size_parse_mib). */
#include "boot/bootcfg.h"
#include "core/size.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fz_str(data, size);
    md_bootcfg_dom0mem m;
    md_err e = MD_ERR_INIT;
    if (md_bootcfg_parse_dom0_mem(s, &m, &e) == 0)
        (void)md_bootcfg_amount_same(&m.min, &m.max);
    size_t bad;
    md_err ea = MD_ERR_INIT;
    (void)md_bootcfg_dom0_mem_apply(&m, s, true, &bad, &ea); /* Arm's one size */
    uint64_t mib;
    md_err e2 = MD_ERR_INIT;
    (void)md_size_parse_mib(s, &mib, &e2);
    free(s);
    return 0;
}
