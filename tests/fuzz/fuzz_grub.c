/* A GRUB config: lint's reader and checks (lint/lint.h md_lint_grub, which
 * reads it with boot/grubcfg.h md_grubcfg_read), then the entry `mkdom0 boot`
 * takes from it, its dom0_mem, and the config the writer makes of it. */
#include "boot/grubcfg.h"
#include "fuzz.h"
#include "lint/lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    md_lint *l = md_lint_new();
    md_lint_grub(l, "grub.cfg", (const char *)data, size, NULL);
    free(md_lint_text(l));
    md_lint_free(l);

    char *text = fz_str(data, size);
    md_err e = MD_ERR_INIT;
    md_bootcfg_entry *be = md_grubcfg_boot_entry(text, "grub.cfg", &e);
    if (be) {
        uint64_t mib;
        md_err me = MD_ERR_INIT;
        (void)md_bootcfg_dom0_mem(be, &mib, &me);
        md_bootcfg_set_dom0_mem(be, 512);
        free(md_grubcfg_write(be));
        free(md_bootcfg_qemu_initrd(be, "/k", "/r,1"));
        md_bootcfg_entry_free(be);
    }
    free(text);
    return 0;
}
