/* A dom0 kernel image of any content (image/kimage.h), as lint reads it
 * where an entry loads the dom0 kernel: its kind, the compression Xen
 * would undo and its release (bzImage header, banner in the decompressed
 * image), then lint's check of it against an empty rootfs, for x86 and
 * Arm. */
#include "fuzz.h"
#include "image/kimage.h"
#include "image/tree.h"
#include "lint/lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    md_kimage k;
    md_kimage_read("vmlinuz", data, size, &k);
    (void)md_kimage_kind_name(k.kind);
    md_kimage_free(&k);
    md_tree *t = md_tree_new(false);
    for (int arm = 0; arm < 2; arm++) {
        md_lint *l = md_lint_new();
        md_lint_kernel_modules(l, "grub.cfg", 3, "vmlinuz", data, size, arm, "rootfs", t);
        md_lint_kernel_modules(l, "grub.cfg", 3, "vmlinuz", data, size, arm, NULL, NULL);
        free(md_lint_json(l));
        md_lint_free(l);
    }
    md_tree_free(t);
    return 0;
}
