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
    return e->title ? md_xasprintf("%s '%s': ", e->title_kind ? e->title_kind : "menuentry",
                                   e->title)
                    : md_xstrdup("");
}

static char *unknown_hint(const md_strv *unknown)
{
    if (!unknown->n)
        return md_xstrdup("");
    return md_xasprintf(" (the line also uses $%s, which this file never sets; if it "
                        "supplies the parameter, ignore this)", unknown->v[0]);
}

/* A line whose words come partly from variables the config never sets
 * (environment, grubenv, a function's arguments): what lint reports on it is
 * what it could see, so it says so instead of passing silently. */
static void check_unset(gctx *g, const md_bootcfg_file *f, const char *what, const char *tp)
{
    if (!f->unset.n)
        return;
    md_lint_add(g->l, g->file, f->line, MD_LINT_WARNING, 0,
                "%scannot check line %u (%s) fully: it uses $%s, which this file never sets "
                "(environment, grubenv or a function's arguments), so its parameters are "
                "unknown", tp, f->line, what, f->unset.v[0]);
    md_lint_fix(g->l, "write the parameters on line %u itself, or lint the file that sets $%s "
                      "with it", f->line, f->unset.v[0]);
    md_lint_mark_unchecked(g->l);
}

/* `value` with the extra letters after a unit dropped ("4096MB" and
 * "4096MiB" -> "4096M"), the user's amounts kept; NULL when there is none. */
static char *drop_unit_suffix(const char *value)
{
    char *out = md_xstrdup(value), *o = out;
    bool changed = false;
    for (const char *p = value; *p;) {
        *o++ = *p;
        if (strchr("KkMmGgTt", *p) && p > value && isdigit((unsigned char)p[-1])) {
            size_t n = strspn(p + 1, "iIbB");
            const char *e = p + 1 + n;
            if (n && n <= 2 && (!*e || strchr(",+%", *e))) {
                p = e;
                changed = true;
                continue;
            }
        }
        p++;
    }
    *o = '\0';
    if (!changed) {
        free(out);
        return NULL;
    }
    return out;
}

/* A dom0_mem= word Xen refuses from offset `bad` on: say what Xen keeps and
 * what it drops, and a fix that keeps the user's amounts. */
static void dom0_mem_refused(gctx *g, const md_bootcfg_entry *e, const char *val, size_t bad,
                             const char *why, const char *tp)
{
    const md_bootcfg_file *x = &e->xen;
    const char *part = val + bad;
    size_t plen = strcspn(part, ",");
    char *kept, *fix = NULL, *unit = drop_unit_suffix(val);
    if (e->arm)
        kept = bad ? md_xasprintf("Xen on Arm applies '%.*s' and reports the rest as invalid",
                                  (int)bad, val)
                   : md_xasprintf("Xen on Arm reads no size and gives dom0 512M");
    else
        kept = bad ? md_xasprintf("Xen applies '%.*s' and drops '%s'", (int)(bad - 1), val, part)
                   : md_xasprintf("Xen drops the whole value, so dom0 starts with nearly all "
                                  "host RAM and no max:");
    if (e->arm) {
        if (bad)
            fix = md_xasprintf("dom0_mem=%.*s", (int)bad, val);
    } else if (memchr(part, '=', plen) && bad) {
        fix = md_xasprintf("dom0_mem=%.*s %s", (int)(bad - 1), val, part);
    } else if (unit) {
        fix = md_xasprintf("dom0_mem=%s", unit);
    }
    md_lint_add(g->l, g->file, x->line, e->arm && bad ? MD_LINT_WARNING : MD_LINT_ERROR, 4,
                "%s%s; %s; use %s", tp, why, kept,
                fix ? fix : "a size with one unit letter, as in dom0_mem=4096M,max:4096M");
    if (fix)
        md_lint_fix(g->l, "%s", fix);
    free(unit);
    free(fix);
    free(kept);
}

static void check_dom0_mem(gctx *g, const md_bootcfg_entry *e, const char *tp, const char *hint)
{
    const md_bootcfg_file *x = &e->xen;
    md_strv vals = { 0 };
    md_bootcfg_param_all(x, "dom0_mem", &vals);
    char *mem = NULL;
    if (!vals.n) {
        if (e->arm) {
            md_lint_add(g->l, g->file, x->line, x->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR, 4,
                        "%sthe Xen line has no dom0_mem: Xen on Arm requires it and otherwise "
                        "gives dom0 512M ('PLEASE SPECIFY dom0_mem PARAMETER'); add "
                        "dom0_mem=1024M (Arm takes one size, no max:)%s", tp, hint);
            md_lint_fix(g->l, "dom0_mem=1024M");
        } else {
            md_lint_add(g->l, g->file, x->line, x->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR, 4,
                        "%sthe Xen line has no dom0_mem: dom0 starts with nearly all host RAM, "
                        "Linux sizes its memory map for all of it, and the PV domain builder "
                        "may put the initramfs where dom0 cannot reach it; add "
                        "dom0_mem=4096M,max:4096M to the Xen line%s", tp, hint);
            md_lint_fix(g->l, "dom0_mem=4096M,max:4096M");
        }
        goto out;
    }
    for (size_t i = 0; i < vals.n; i++)
        if (strchr(vals.v[i], '$')) {
            md_lint_add(g->l, g->file, x->line, MD_LINT_WARNING, 4,
                        "%scannot check dom0_mem=%s on line %u: its value comes from a variable "
                        "this file does not set", tp, vals.v[i], x->line);
            md_lint_fix(g->l, "write dom0_mem=SIZE,max:SIZE on line %u itself", x->line);
            md_lint_mark_unchecked(g->l);
            goto out;
        }
    /* Every word in order onto the same variables, as Xen does. */
    md_bootcfg_dom0mem m = { 0 };
    for (size_t i = 0; i < vals.n; i++) {
        md_err bad = MD_ERR_INIT;
        size_t at = 0;
        if (md_bootcfg_dom0_mem_apply(&m, vals.v[i], e->arm, &at, &bad) < 0) {
            dom0_mem_refused(g, e, vals.v[i], at, bad.msg, tp);
            if (!e->arm || !m.amount.bytes)
                goto out;
        }
    }
    /* As written, for the messages: "4096M" or "4096M dom0_mem=max:4096M". */
    mem = md_strv_join(&vals, " dom0_mem=");
    /* A fixed size under 128 MiB is a unit forgotten: Xen reads "4096" as
     * KiB, and no dom0 kernel with its initramfs fits in 4 MiB. */
    const md_bootcfg_amount *fixed[] = { &m.amount, &m.max };
    for (int i = 0; i < 2; i++) {
        const md_bootcfg_amount *a = fixed[i];
        if (a->set && !a->minus && !a->percent && a->bytes < (128u << 20)) {
            md_lint_add(g->l, g->file, x->line, MD_LINT_ERROR, 4,
                        "%sdom0_mem=%s gives dom0 %llu KiB%s: far too little for a dom0 kernel "
                        "and its initramfs (a number without a unit is KiB to Xen); use "
                        "dom0_mem=%sM%s%s%s", tp, mem, (unsigned long long)(a->bytes >> 10),
                        i ? " at most" : "", a->text, e->arm ? "" : ",max:",
                        e->arm ? "" : a->text, e->arm ? "" : "M");
            if (e->arm)
                md_lint_fix(g->l, "dom0_mem=%sM", a->text);
            else
                md_lint_fix(g->l, "dom0_mem=%sM,max:%sM", a->text, a->text);
            goto out;
        }
    }
    if (e->arm)
        goto out; /* one size: nothing more to it on Arm */
    const char *base = m.amount.set ? m.amount.text : NULL;
    const char *max = m.max.set ? m.max.text : NULL;
    if (!max && base) {
        md_lint_add(g->l, g->file, x->line, MD_LINT_ERROR, 4,
                    "%sdom0_mem=%s has no max:, so dom0 Linux sizes its struct-page array "
                    "for all host RAM (128 GB host: ~33.5 M pages x 64 B = ~2 GB) and dies "
                    "in early boot; use dom0_mem=%s,max:%s", tp, mem, base, base);
        md_lint_fix(g->l, "dom0_mem=%s,max:%s", base, base);
    } else if (!max) {
        const char *min = m.min.set ? m.min.text : NULL;
        md_lint_add(g->l, g->file, x->line, MD_LINT_ERROR, 4,
                    "%sdom0_mem=%s sets neither an amount nor max:, so dom0 starts with "
                    "nearly all host RAM; use dom0_mem=%s,max:%s", tp, mem,
                    min ? min : "SIZE", min ? min : "SIZE");
        md_lint_fix(g->l, "dom0_mem=%s,max:%s", min ? min : "SIZE", min ? min : "SIZE");
    } else if (!base) {
        md_lint_add(g->l, g->file, x->line, MD_LINT_WARNING, 4,
                    "%sdom0_mem=%s has max: but no amount, so Xen picks the initial size; "
                    "use dom0_mem=%s,max:%s so dom0 starts at the size Linux sized its "
                    "memory map for", tp, mem, max, max);
        md_lint_fix(g->l, "dom0_mem=%s,max:%s", max, max);
    } else if (!md_bootcfg_amount_same(&m.amount, &m.max)) {
        md_lint_add(g->l, g->file, x->line, MD_LINT_WARNING, 4,
                    "%sdom0_mem=%s: the amount (%s) and max: (%s) differ; Linux sizes "
                    "its memory map for max: and the design keeps them equal: use "
                    "dom0_mem=%s,max:%s", tp, mem, base, max, base, base);
        md_lint_fix(g->l, "dom0_mem=%s,max:%s", base, base);
    }
out:
    free(mem);
    md_strv_free(&vals);
}

static void check_xen_line(gctx *g, const md_bootcfg_entry *e, const char *tp)
{
    const md_bootcfg_file *x = &e->xen;
    char *hint = unknown_hint(&x->unset);
    check_unset(g, x, "the Xen line", tp);
    check_dom0_mem(g, e, tp, hint);
    if (!md_bootcfg_param(x, "gnttab_max_frames")) {
        md_lint_add(g->l, g->file, x->line, MD_LINT_WARNING, 4,
                    "%sno gnttab_max_frames on the Xen line: Xen's default (64 frames) runs "
                    "out with many guests and backends; the reference dom0 uses "
                    "gnttab_max_frames=256 gnttab_max_maptrack_frames=1024%s", tp, hint);
        md_lint_fix(g->l, "gnttab_max_frames=256 gnttab_max_maptrack_frames=1024");
    }
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
    check_unset(g, k, "the dom0 kernel line", tp);
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
        md_lint_fix(g->l, "console=ttyS0,115200 console=hvc0");
    } else if (!hvc) {
        md_lint_add(g->l, g->file, k->line, k->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR, 1,
                    "%sthe dom0 kernel line has console=%s but no console=hvc0: under Xen PV "
                    "the UART belongs to Xen and carries only kernel printk, so init's output "
                    "and the login go nowhere and the box looks frozen while it is up; add "
                    "console=hvc0 (last) to the dom0 kernel line%s",
                    tp, cons.v[cons.n - 1], hint);
        md_lint_fix(g->l, "console=hvc0 (last on the dom0 kernel line)");
    } else {
        if (!printk)
            md_lint_add(g->l, g->file, k->line, MD_LINT_WARNING, 1,
                        "%sthe dom0 kernel line has console=hvc0 but no console for kernel "
                        "printk before hvc0 is up; add console=ttyS0,115200 (or console=tty0) "
                        "before console=hvc0", tp);
        if (!printk)
            md_lint_fix(g->l, "console=ttyS0,115200 before console=hvc0");
        const char *last = cons.v[cons.n - 1];
        if (strncmp(last, "hvc0", 4))
            md_lint_add(g->l, g->file, k->line, MD_LINT_WARNING, 1,
                        "%sconsole=%s comes after console=hvc0, so /dev/console is %s and "
                        "init's messages do not reach hvc0; put console=hvc0 last", tp, last,
                        last);
        if (strncmp(last, "hvc0", 4))
            md_lint_fix(g->l, "console=hvc0 last");
    }
    free(hint);
    md_strv_free(&cons);
}

static void check_rootfs_module(gctx *g, const md_bootcfg_entry *e, const md_bootcfg_file *r,
                                const char *tp)
{
    const md_bootcfg_file *k = &e->kernel;
    const char *modcmd = e->arm ? "xen_module" : r && r->mb2 ? "module2" : "module";
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
                    tp, r->path, modcmd, r->path);
    if (!r->nounzip)
        md_lint_fix(g->l, "%s --nounzip %s", modcmd, r->path);
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

/* GRUB 2's module belongs to multiboot (v1) and module2 to multiboot2: after
 * the other family's loader, GRUB stops the entry ("you need to load the
 * kernel first") and dom0 never starts. */
static void check_family(gctx *g, const md_bootcfg_entry *e, const char *tp)
{
    for (size_t i = 0; i < e->nmods + 1; i++) {
        const md_bootcfg_file *m = i == 0 ? &e->kernel : &e->mods[i - 1];
        if (!m->path || m->mb2 == e->xen.mb2)
            continue;
        const char *loader = e->xen.mb2 ? "multiboot2" : "multiboot";
        const char *want = e->xen.mb2 ? "module2" : "module";
        md_lint_add(g->l, g->file, m->line, MD_LINT_ERROR, 0,
                    "%s%s after %s (line %u): GRUB loads modules only with its own loader's "
                    "family and stops the entry with 'you need to load the kernel first', so "
                    "dom0 never starts; use %s", tp, e->xen.mb2 ? "module" : "module2", loader,
                    e->xen.line, want);
        md_lint_fix(g->l, "%s %s", want, m->path);
        return;
    }
}

static void check_entry(gctx *g, const md_bootcfg_entry *e)
{
    char *tp = title_prefix(e);
    check_family(g, e, tp);
    check_xen_line(g, e, tp);
    if (!e->kernel.path) {
        md_lint_add(g->l, g->file, e->xen.line, MD_LINT_ERROR, 0,
                    "%sthe Xen line is followed by no module: Xen needs the dom0 kernel as "
                    "its first module (module2 /vmlinuz ...)", tp);
    } else if (!*e->kernel.path && !e->kernel.line) {
        /* a format that names no dom0 kernel line (GRUB's defaults file
         * without GRUB_CMDLINE_LINUX): nothing of trap 1 to see here */
        md_lint_add(g->l, g->file, e->xen.line, MD_LINT_WARNING, 1,
                    "%scannot check the dom0 kernel line: this file does not set its "
                    "parameters (GRUB_CMDLINE_LINUX); lint it together with the file that "
                    "does", tp);
        md_lint_mark_unchecked(g->l);
    } else {
        check_kernel_line(g, &e->kernel, tp);
        check_rootfs_module(g, e, e->nmods ? &e->mods[0] : NULL, tp);
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
    if (!cfg->n) {
        md_lint_add(l, file, 0, MD_LINT_ERROR, 0,
                    "no Xen boot entry found (no multiboot2/multiboot, xen_hypervisor or "
                    "Xen loader line followed by the dom0 kernel): nothing was checked");
        md_lint_mark_unchecked(l);
    }
}

void md_lint_grub(md_lint *l, const char *file, const char *text, size_t len,
                  const md_tree *rootfs)
{
    md_bootcfg_list cfg = { 0 };
    md_grubcfg_read(text, len, &cfg);
    md_lint_entries(l, file, &cfg, rootfs);
    md_bootcfg_list_free(&cfg);
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
