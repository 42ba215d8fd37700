/* A PE32+ image as lint reads a unified xen.efi (boot/xenefi.h
 * md_xenefi_section, md_xenefi_machine): its .config, .kernel and
 * .ramdisk sections found as Xen's EFI loader finds them, then the whole
 * of lint on it as a hypervisor input (lint/lint.h md_lint_inputs with
 * MD_LINT_XEN): the sections' bounds (a truncated image is an error), the
 * .config read as Xen's xen.cfg, the .ramdisk unpacked as the rootfs, the
 * .kernel checked against it.  lint wants a path (fz_file). */
#include "fuzz.h"
#include "boot/xenefi.h"
#include "lint/lint.h"

static char tmpl[] = "/tmp/mkdom0-fuzz-xenefi.XXXXXX";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { ".config", ".kernel", ".ramdisk", ".text", "" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t off = 0, n = 0;
        if (md_xenefi_section(data, size, names[i], &off, &n) == 0 &&
            (off > size || n > size - off))
            abort(); /* a section found lies within the image */
    }
    (void)md_xenefi_machine(data, size);

    const char *path = fz_file(tmpl, data, size);
    const char *paths[1] = { path };
    const md_lint_kind kinds[1] = { MD_LINT_XEN };
    md_lint *l = md_lint_new();
    md_err e = MD_ERR_INIT;
    (void)md_lint_inputs(l, paths, kinds, 1, &e);
    free(md_lint_json(l));
    free(md_lint_text(l));
    md_lint_free(l);
    return 0;
}
