/* A GRUB config: lint's reader and checks (lint/lint.h md_lint_grub, which
 * reads it with boot/grubcfg.h md_grubcfg_read), then the entry `mkdom0 boot`
 * takes from it, its dom0_mem, and the config the writer makes of it. */
#include <stdlib.h>
#include <string.h>
#include "boot/grubcfg.h"
#include "fuzz.h"
#include "lint/lint.h"

typedef struct fz_other {
    const uint8_t *data;
    size_t size;
} fz_other;

/* Every file a source or configfile line names is the input itself, its
 * key the path named (so "source a; source b" nests, and a path named
 * again is a loop), but one named "gone": not found. */
static void fz_find(void *ctx, const char *gpath, const char *from, md_grubcfg_text *t)
{
    const fz_other *o = ctx;
    (void)from;
    if (strstr(gpath, "gone")) {
        t->why = strdup("it is not there");
        return;
    }
    t->text = malloc(o->size ? o->size : 1);
    memcpy(t->text, o->data, o->size);
    t->len = o->size;
    t->name = strdup(gpath);
    t->key = strdup(gpath);
}

/* A wildcard's files: none for a pattern with "none", too many with
 * "many", not listed with "dev"; else two, each wildcard made "a", then
 * "b", which the pattern must match (md_grubcfg_wild_match). */
static long fz_glob(void *ctx, const char *pat, md_strv *out, char **why)
{
    (void)ctx;
    if (strstr(pat, "none"))
        return 0;
    if (strstr(pat, "many"))
        return MD_GRUBCFG_MAX_GLOB + 1;
    if (strstr(pat, "dev")) {
        *why = strdup("not listed");
        return -1;
    }
    size_t n = strlen(pat);
    for (int k = 0; k < 2; k++) {
        char *name = malloc(n + 1), *o = name;
        for (size_t i = 0; i < n; i++) {
            if (pat[i] == '\\' && i + 1 < n)
                *o++ = pat[++i];
            else
                *o++ = pat[i] == '*' || pat[i] == '?' ? (char)('a' + k) : pat[i];
        }
        *o = '\0';
        if (!md_grubcfg_wild_match(pat, n, name))
            abort();
        md_strv_push(out, name);
        free(name);
    }
    return 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    md_lint *l = md_lint_new();
    md_lint_grub(l, "grub.cfg", (const char *)data, size, NULL);
    free(md_lint_text(l));
    md_lint_free(l);

    /* its source and configfile lines followed, its wildcards expanded
     * (md_grubcfg_read_files) */
    fz_other o = { data, size };
    md_grubcfg_files files = { fz_find, &o, "grub.cfg", "/grub.cfg", fz_glob };
    md_bootcfg_list cfg = { 0 };
    md_grubcfg_read_files((const char *)data, size, &files, &cfg);
    l = md_lint_new();
    md_lint_entries(l, "grub.cfg", &cfg, NULL);
    free(md_lint_text(l));
    md_lint_free(l);
    md_bootcfg_list_free(&cfg);

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
