/* A boot config of any format (boot/bootfmt.h): detection, then every
 * format's reader on the same bytes, lint's checks on the entries and the
 * JSON report of them. */
#include "boot/bootfmt.h"
#include "fuzz.h"
#include "lint/lint.h"

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
    /* the same bytes as /etc/default/grub and a grub.d file (split in two)
     * read as one shell, with their file names on the entries */
    const char *names[] = { "grub", "grub.d/x.cfg" };
    const char *texts[] = { text, text + size / 2 };
    size_t lens[] = { size / 2, size - size / 2 };
    md_bootcfg_list cfg = { 0 };
    md_bootfmt_read_defaults(names, texts, lens, 2, size & 1, &cfg);
    md_lint *l = md_lint_new();
    md_lint_entries(l, "grub", &cfg, NULL);
    free(md_lint_json(l));
    free(md_lint_text(l));
    md_lint_free(l);
    md_bootcfg_list_free(&cfg);
    return 0;
}
