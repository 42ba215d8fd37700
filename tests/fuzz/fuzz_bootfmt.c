/* A boot config of any format (boot/bootfmt.h): detection, then every
 * format's reader on the same bytes, lint's checks on the entries and the
 * JSON report of them. */
#include "boot/bootfmt.h"
#include "fuzz.h"
#include "lint/lint.h"

/* lints the entries read (both reports made), then frees them */
static void lint_and_free(const char *label, md_bootcfg_list *cfg)
{
    md_lint *l = md_lint_new();
    md_lint_entries(l, label, cfg, NULL);
    free(md_lint_json(l));
    free(md_lint_text(l));
    md_lint_free(l);
    md_bootcfg_list_free(cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    md_bootfmt d = md_bootfmt_detect(text, size);
    (void)md_bootfmt_name(d);
    for (int f = MD_BOOTFMT_UNKNOWN; f <= MD_BOOTFMT_IPXE; f++) {
        md_bootcfg_list cfg = { 0 };
        md_bootfmt_read((md_bootfmt)f, text, size, &cfg);
        md_lint *l = md_lint_new();
        md_lint_input(l, "cfg", md_bootfmt_name((md_bootfmt)f));
        md_lint_entries(l, "cfg", &cfg, NULL);
        free(md_lint_json(l));
        free(md_lint_text(l));
        md_lint_free(l);
        md_bootcfg_list_free(&cfg);
    }
    /* as xen.cfg read by a Xen EFI loader started with a command line: the
     * section its first line's first word names (Xen options written
     * without "--" become one), options after "--", a unified image's own
     * .kernel and .ramdisk (md_bootfmt_read_xen_efi) */
    char sect[32];
    size_t sl = 0; /* the input has no NUL at its end */
    while (sl < size && sl < sizeof sect - 1 && text[sl] && !strchr(" \t\n", text[sl]))
        sl++;
    memcpy(sect, text, sl);
    sect[sl] = '\0';
    md_strv opts = { 0 };
    md_strv_push(&opts, "dom0_mem=max:1G");
    md_strv_push(&opts, "--");
    md_strv_push(&opts, "console=hvc0");
    for (int v = 0; v < 4; v++) {
        md_bootfmt_efi_start st = { v & 1 ? sect : NULL, v & 2 ? &opts : NULL, "grub.cfg", 3,
                                    (size & 1) != 0, (size & 2) != 0 };
        md_bootcfg_list xc = { 0 };
        md_bootfmt_read_xen_efi(text, size, &st, &xc);
        lint_and_free("xen.cfg", &xc);
    }
    md_strv_free(&opts);
    /* the same bytes as /etc/default/grub and a grub.d file (split in two)
     * read as one shell, with their file names on the entries */
    const char *names[] = { "grub", "grub.d/x.cfg" };
    const char *texts[] = { text, text + size / 2 };
    size_t lens[] = { size / 2, size - size / 2 };
    md_bootcfg_list cfg = { 0 };
    md_bootfmt_read_defaults(names, texts, lens, 2, size & 1, &cfg);
    lint_and_free("grub", &cfg);
    return 0;
}
