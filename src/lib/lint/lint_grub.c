/* lint_grub — traps 1 and 4 (and --nounzip, rdinit=) on boot entries, and
 * GRUB configs read into entries by boot/grubcfg (the one GRUB reader, which
 * `mkdom0 boot` uses too).  The checks see only entries: files, parameters,
 * the lines that load them, and which parameters variables may supply.  A
 * variable the config never sets (environment, grubenv) turns a
 * missing-parameter error into a warning. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "lint/lint_int.h"
#include "boot/grubcfg.h"
#include "core/mem.h"
#include "core/strv.h"

typedef struct gctx {
    md_lint *l;
    const char *file;
    const md_tree *rootfs;
} gctx;

static char *title_prefix(const md_bootcfg_entry *e)
{
    return e->title ? md_xasprintf("menuentry '%s': ", e->title) : md_xstrdup("");
}

static char *unknown_hint(const md_strv *unknown)
{
    if (!unknown->n)
        return md_xstrdup("");
    return md_xasprintf(" (the line also uses $%s, which this file never sets; if it "
                        "supplies the parameter, ignore this)", unknown->v[0]);
}

/* The last part of dom0_mem's comma list with `prefix` ("max:"), or with
 * none of min:/max: when `prefix` is NULL, as written: Xen's winner. */
static char *amount_text(const char *mem, const char *prefix)
{
    const char *found = NULL;
    size_t len = 0;
    for (const char *p = mem;; p++) {
        size_t n = strcspn(p, ",");
        bool tagged = !strncmp(p, "min:", 4) || !strncmp(p, "max:", 4);
        if (prefix ? !strncmp(p, prefix, strlen(prefix)) : !tagged) {
            size_t skip = prefix ? strlen(prefix) : 0;
            found = p + skip, len = n - skip;
        }
        p += n;
        if (!*p)
            break;
    }
    return found ? md_xasprintf("%.*s", (int)len, found) : NULL;
}

static void check_dom0_mem(gctx *g, const md_bootcfg_file *x, const char *tp, const char *hint)
{
    const char *mem = md_bootcfg_param(x, "dom0_mem");
    if (!mem) {
        md_lint_add(g->l, g->file, x->line, x->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR, 4,
                    "%sthe Xen line has no dom0_mem: dom0 starts with nearly all host RAM, "
                    "Linux sizes its memory map for all of it, and the PV domain builder "
                    "may put the initramfs where dom0 cannot reach it; add "
                    "dom0_mem=4096M,max:4096M to the Xen line%s", tp, hint);
        return;
    }
    if (strchr(mem, '$'))
        return; /* set through a variable we could not see: nothing to judge */
    md_bootcfg_dom0mem m;
    md_err bad = MD_ERR_INIT;
    if (md_bootcfg_parse_dom0_mem(mem, &m, &bad) < 0) {
        md_lint_add(g->l, g->file, x->line, MD_LINT_ERROR, 4,
                    "%s%s; use dom0_mem=4096M,max:4096M", tp, bad.msg);
        return;
    }
    /* A fixed size under 128 MiB is a unit forgotten: Xen reads "4096" as
     * KiB, and no dom0 kernel with its initramfs fits in 4 MiB. */
    const md_bootcfg_amount *fixed[] = { &m.amount, &m.max };
    for (int i = 0; i < 2; i++) {
        const md_bootcfg_amount *a = fixed[i];
        if (a->set && !a->minus && !a->percent && a->bytes < (128u << 20)) {
            md_lint_add(g->l, g->file, x->line, MD_LINT_ERROR, 4,
                        "%sdom0_mem=%s gives dom0 %llu KiB%s: far too little for a dom0 kernel "
                        "and its initramfs (a number without a unit is KiB to Xen); use "
                        "dom0_mem=4096M,max:4096M", tp, mem, (unsigned long long)(a->bytes >> 10),
                        i ? " at most" : "");
            return;
        }
    }
    /* The words as written, for the advice. */
    char *base = m.amount.set ? amount_text(mem, NULL) : NULL;
    char *max = m.max.set ? amount_text(mem, "max:") : NULL;
    if (!max && base) {
        md_lint_add(g->l, g->file, x->line, MD_LINT_ERROR, 4,
                    "%sdom0_mem=%s has no max:, so dom0 Linux sizes its struct-page array "
                    "for all host RAM (128 GB host: ~33.5 M pages x 64 B = ~2 GB) and dies "
                    "in early boot; use dom0_mem=%s,max:%s", tp, mem, base, base);
    } else if (!max) {
        md_lint_add(g->l, g->file, x->line, MD_LINT_ERROR, 4,
                    "%sdom0_mem=%s sets neither an amount nor max:; use "
                    "dom0_mem=4096M,max:4096M", tp, mem);
    } else if (!base) {
        md_lint_add(g->l, g->file, x->line, MD_LINT_WARNING, 4,
                    "%sdom0_mem=%s has max: but no amount, so Xen picks the initial size; "
                    "use dom0_mem=%s,max:%s so dom0 starts at the size Linux sized its "
                    "memory map for", tp, mem, max, max);
    } else if (!md_bootcfg_amount_same(&m.amount, &m.max)) {
        md_lint_add(g->l, g->file, x->line, MD_LINT_WARNING, 4,
                    "%sdom0_mem=%s: the amount (%s) and max: (%s) differ; Linux sizes "
                    "its memory map for max: and the design keeps them equal: use "
                    "dom0_mem=%s,max:%s", tp, mem, base, max, base, base);
    }
    free(base);
    free(max);
}

static void check_xen_line(gctx *g, const md_bootcfg_file *x, const char *tp)
{
    char *hint = unknown_hint(&x->unset);
    check_dom0_mem(g, x, tp, hint);
    if (!md_bootcfg_param(x, "gnttab_max_frames"))
        md_lint_add(g->l, g->file, x->line, MD_LINT_WARNING, 4,
                    "%sno gnttab_max_frames on the Xen line: Xen's default (64 frames) runs "
                    "out with many guests and backends; the reference dom0 uses "
                    "gnttab_max_frames=256 gnttab_max_maptrack_frames=1024%s", tp, hint);
    free(hint);
}

static bool is_printk_console(const char *v)
{
    /* ttyS0,115200  tty0  tty1  ttyAMA0  ttyUSB0 — anything but hvc/xvc */
    return !strncmp(v, "tty", 3) || !strncmp(v, "uart", 4) || !strncmp(v, "efi", 3);
}

static void add_consoles(md_strv *cons, const md_strv *args)
{
    for (size_t i = 0; i < args->n; i++)
        if (!strncmp(args->v[i], "console=", 8))
            md_strv_push(cons, args->v[i] + 8);
}

static void check_kernel_line(gctx *g, const md_bootcfg_file *k, const char *tp)
{
    md_strv cons = { 0 };
    add_consoles(&cons, &k->args);
    add_consoles(&cons, &k->maybe);
    char *hint = unknown_hint(&k->unset);
    bool hvc = false, printk = false;
    for (size_t i = 0; i < cons.n; i++) {
        hvc |= !strncmp(cons.v[i], "hvc0", 4) && (!cons.v[i][4] || cons.v[i][4] == ',');
        printk |= is_printk_console(cons.v[i]);
    }
    if (!cons.n) {
        md_lint_add(g->l, g->file, k->line, MD_LINT_WARNING, 1,
                    "%sthe dom0 kernel line has no console=, so hvc0 is missing entirely and "
                    "the console depends on kernel defaults; add console=ttyS0,115200 (or "
                    "console=tty0) for printk and console=hvc0 last for userspace%s", tp, hint);
    } else if (!hvc) {
        md_lint_add(g->l, g->file, k->line, k->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR, 1,
                    "%sthe dom0 kernel line has console=%s but no console=hvc0: under Xen PV "
                    "the UART belongs to Xen and carries only kernel printk, so init's output "
                    "and the login go nowhere and the box looks frozen while it is up; add "
                    "console=hvc0 (last) to the dom0 kernel line%s",
                    tp, cons.v[cons.n - 1], hint);
    } else {
        if (!printk)
            md_lint_add(g->l, g->file, k->line, MD_LINT_WARNING, 1,
                        "%sthe dom0 kernel line has console=hvc0 but no console for kernel "
                        "printk before hvc0 is up; add console=ttyS0,115200 (or console=tty0) "
                        "before console=hvc0", tp);
        const char *last = cons.v[cons.n - 1];
        if (strncmp(last, "hvc0", 4))
            md_lint_add(g->l, g->file, k->line, MD_LINT_WARNING, 1,
                        "%sconsole=%s comes after console=hvc0, so /dev/console is %s and "
                        "init's messages do not reach hvc0; put console=hvc0 last", tp, last,
                        last);
    }
    free(hint);
    md_strv_free(&cons);
}

static void check_rootfs_module(gctx *g, const md_bootcfg_file *k, const md_bootcfg_file *r,
                                const char *tp)
{
    if (!r) {
        if (!md_bootcfg_param(k, "root"))
            md_lint_add(g->l, g->file, k->line, MD_LINT_WARNING, 0,
                        "%sno rootfs module after the dom0 kernel and no root= either: dom0 "
                        "has nothing to run; add module2 --nounzip /rootfs.cpio.gz", tp);
        return;
    }
    if (!r->nounzip)
        md_lint_add(g->l, g->file, r->line, MD_LINT_WARNING, 0,
                    "%sthe rootfs module %s has no --nounzip: GRUB unpacks it in memory and "
                    "Xen passes the uncompressed archive, several times larger, to dom0; Xen "
                    "must pass the compressed archive: use '%s --nounzip %s'",
                    tp, r->path, r->mb2 ? "module2" : "module", r->path);
    if (!g->rootfs)
        return;
    const char *rd = md_bootcfg_param(k, "rdinit");
    if (rd) {
        if (!strchr(rd, '$') && !md_lint_resolve_file(g->rootfs, rd))
            md_lint_add(g->l, g->file, k->line, MD_LINT_ERROR, 0,
                        "%srdinit=%s, but the rootfs has no such file: the kernel panics "
                        "(no working init found); point rdinit= at the init in the rootfs, "
                        "e.g. rdinit=/sbin/init", tp, rd);
    } else if (!md_lint_resolve_file(g->rootfs, "/init")) {
        md_lint_add(g->l, g->file, k->line, MD_LINT_ERROR, 0,
                    "%sthe rootfs %s has no /init and the dom0 kernel line has no rdinit=: "
                    "Linux runs /init from an initramfs and otherwise tries to mount a root "
                    "disk; add rdinit=/sbin/init to the dom0 kernel line", tp, r->path);
    }
}

static void check_entry(gctx *g, const md_bootcfg_entry *e)
{
    char *tp = title_prefix(e);
    check_xen_line(g, &e->xen, tp);
    if (!e->kernel.path) {
        md_lint_add(g->l, g->file, e->xen.line, MD_LINT_ERROR, 0,
                    "%sthe Xen line is followed by no module: Xen needs the dom0 kernel as "
                    "its first module (module2 /vmlinuz ...)", tp);
    } else {
        check_kernel_line(g, &e->kernel, tp);
        check_rootfs_module(g, &e->kernel, e->nmods ? &e->mods[0] : NULL, tp);
    }
    free(tp);
}

void md_lint_entries(md_lint *l, const char *file, const md_bootcfg_list *cfg,
                     const md_tree *rootfs)
{
    for (size_t i = 0; i < cfg->nproblems; i++)
        md_lint_add(l, file, cfg->problems[i].line, MD_LINT_ERROR, 0, "%s",
                    cfg->problems[i].msg);
    gctx g = { l, file, rootfs };
    for (size_t i = 0; i < cfg->n; i++)
        check_entry(&g, cfg->v[i]);
    if (!cfg->n)
        md_lint_add(l, file, 0, MD_LINT_WARNING, 0,
                    "no entry boots Xen (no multiboot2/multiboot command followed by the dom0 "
                    "kernel module): nothing to check");
}

void md_lint_grub(md_lint *l, const char *file, const char *text, size_t len,
                  const md_tree *rootfs)
{
    md_bootcfg_list cfg = { 0 };
    md_grubcfg_read(text, len, &cfg);
    md_lint_entries(l, file, &cfg, rootfs);
    md_bootcfg_list_free(&cfg);
}

bool md_lint_looks_grub(const char *text, size_t len)
{
    static const char *const words[] = { "menuentry", "multiboot2", "multiboot", "module2",
                                         "submenu", "insmod", "set timeout", "set default",
                                         NULL };
    for (int i = 0; words[i]; i++) {
        size_t n = strlen(words[i]);
        for (const char *p = text; p && p + n <= text + len;) {
            p = memmem(p, (size_t)(text + len - p), words[i], n);
            if (!p)
                break;
            bool start = p == text || strchr(" \t\n;{", p[-1]);
            bool end = p + n == text + len || strchr(" \t\n", p[n]);
            if (start && end)
                return true;
            p += n;
        }
    }
    return false;
}

void md_lint_entry_files(const md_bootcfg_list *cfg, md_strv *xen, md_strv *rootfs)
{
    for (size_t i = 0; i < cfg->n; i++) {
        const md_bootcfg_entry *e = cfg->v[i];
        if (*e->xen.path && !md_strv_contains(xen, e->xen.path))
            md_strv_push(xen, e->xen.path);
        if (e->nmods && *e->mods[0].path && !md_strv_contains(rootfs, e->mods[0].path))
            md_strv_push(rootfs, e->mods[0].path);
    }
}
