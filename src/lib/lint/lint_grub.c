/* lint_grub — traps 1 and 4 (and --nounzip, rdinit=) on boot entries, and
 * GRUB configs read into entries by boot/grubcfg (the one GRUB reader, which
 * `mkdom0 boot` uses too).  The checks see only entries: files, parameters,
 * the lines that load them, and which parameters variables may supply.  A
 * variable the config never sets (environment, grubenv) turns a
 * missing-parameter error into a warning. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lint/lint_int.h"
#include "boot/bootfmt.h"
#include "boot/grubcfg.h"
#include "core/mem.h"
#include "core/strv.h"

typedef struct gctx {
    md_lint *l;
    const char *file;
    const md_tree *rootfs;
    const md_bootcfg_entry *uncut; /* the entry before iPXE's buffer cut its lines */
    const md_bootcfg_entry *prev; /* the entry before, for a recovery entry */
    const md_bootcfg_entry *cur;  /* the entry being checked */
    const md_xen_version *hv;     /* the hypervisor it boots, as read; NULL: not known */
    bool no_rootfs_said;          /* "not checked" said of an entry with no rootfs */
} gctx;

/* The file a finding on `f`'s line names: its own when the entry was read
 * from several files (GRUB's defaults), else the config's. */
static const char *at(const gctx *g, const md_bootcfg_file *f)
{
    return f->file ? f->file : g->file;
}

#define RECOVERY_PREFIX "recovery entries: "

static char *title_prefix(const md_bootcfg_entry *e)
{
    if (e->recovery)
        return md_xstrdup(RECOVERY_PREFIX);
    return e->title ? md_xasprintf("%s '%s': ", e->title_kind ? e->title_kind : "menuentry",
                                   e->title)
                    : md_xstrdup("");
}

/* Is console=VALUE hvc0 to Linux?  console_setup() (kernel/printk/printk.c)
 * cuts the options at ',', takes the name up to the first digit and the
 * index from simple_strtoul() of the rest: "hvc" and "hvc00" are hvc0 too. */
static bool is_hvc0(const char *v)
{
    if (strncmp(v, "hvc", 3))
        return false;
    const char *s = v + 3;
    if (*s && *s != ',' && !isdigit((unsigned char)*s))
        return false; /* another name: "hvcs0" */
    return strtoul(s, NULL, 10) == 0;
}

/* The name the readers give a command's output ($(...), `...`), directly
 * or through a variable set from one: no value to follow, only to run. */
#define CMD_OUTPUT "(command-output)"

static char *unknown_hint(const md_strv *unknown)
{
    if (!unknown->n)
        return md_xstrdup("");
    if (!strcmp(unknown->v[0], CMD_OUTPUT))
        return md_xstrdup(" (the line also uses a command's output, $(...) or `...`, which lint "
                          "cannot evaluate; if it supplies the parameter, ignore this)");
    if (!strcmp(unknown->v[0], MD_BOOTCFG_WILDCARD))
        return md_xstrdup(" (the line also has a GRUB wildcard lint could not expand, whose "
                          "files become its first words; if they supply the parameter, ignore "
                          "this)");
    return md_xasprintf(" (the line also uses $%s, whose value when the line runs this file "
                        "does not fix; if it supplies the parameter, ignore this)", unknown->v[0]);
}

/* A line whose words come partly from variables the config never sets
 * (environment, grubenv, a function's arguments): what lint reports on it is
 * what it could see, so it says so instead of passing silently. */
static void check_unset(gctx *g, const md_bootcfg_file *f, const char *what, const char *tp)
{
    if (!f->unset.n)
        return;
    if (!strcmp(f->unset.v[0], MD_BOOTCFG_WILDCARD)) {
        /* the reader said why on the line ("cannot check line N fully:
         * GRUB expands the wildcard ...") */
        md_lint_mark_unchecked(g->l);
        return;
    }
    /* why a value may be unknown, in the terms of the config's own format
     * (an iPXE script has no if/for/function and no grubenv: trial10b case
     * 11) */
    md_bootfmt fmt = g->cur ? (md_bootfmt)g->cur->format : MD_BOOTFMT_UNKNOWN;
    const char *why =
        fmt == MD_BOOTFMT_IPXE
            ? "never set before it with 'set NAME VALUE', or set by DHCP, the iPXE build or "
              "a script it chains from"
        : fmt == MD_BOOTFMT_GRUB_DEFAULT
            ? "never set, set only inside if/case/loops/functions or after && or ||, too long "
              "to follow, or from the environment"
            : "never set, set only inside if/for/while/function, too long to follow, or from "
              "the environment or grubenv";
    if (!strcmp(f->unset.v[0], CMD_OUTPUT))
        md_lint_add(g->l, at(g, f), f->line, MD_LINT_WARNING, 0,
                    "%scannot check line %u (%s) fully: it uses a command's output, $(...) or "
                    "`...` (on this line or in a variable set from one), which lint cannot "
                    "evaluate: the shell runs the command when the line runs, so its "
                    "parameters are unknown", tp, f->line, what);
    else
        md_lint_add(g->l, at(g, f), f->line, MD_LINT_WARNING, 0,
                    "%scannot check line %u (%s) fully: it uses $%s, whose value when the "
                    "line runs this file does not fix (%s), so its parameters are unknown", tp,
                    f->line, what, f->unset.v[0], why);
    if (!strcmp(f->unset.v[0], CMD_OUTPUT))
        md_lint_fix(g->l, "write the parameters on line %u as text, not as a command's output",
                    f->line);
    else
        md_lint_fix(g->l, "write the parameters on line %u itself, or check the file that sets "
                          "$%s %s", f->line, f->unset.v[0],
                    g->cur && g->cur->format == MD_BOOTFMT_GRUB_DEFAULT
                        ? "(lint /etc/default/grub and /etc/default/grub.d/*.cfg together, on "
                          "one command line or as their directory)"
                        : "(lint reads each file on its own)");
    md_lint_mark_unchecked(g->l);
}

/* The reference size, for a fix when the user's own amount cannot be kept;
 * on Arm the size the "no dom0_mem" finding gives. */
#define REF_AMOUNT "4096M"
#define ARM_REF_AMOUNT "1024M"

/* One amount as the user meant it, written so Xen reads exactly that: a
 * decimal number (leading zeros dropped: "010G" meant as ten; a hex number
 * as Xen reads it, simple_strtoull base 0 in parse_size_and_unit,
 * xen/lib/parse-size.c, formerly xen/common/lib.c: "0x800M" is
 * 2048M, trial10f case 18), fractions
 * turned into a smaller unit ("4.5G" -> "4608M"), one unit letter ("4096MB"
 * -> "4096M"; none: KiB as Xen reads it, or MiB when `forgot_unit`), one '-', the size before
 * the percentage ("10%+1G" -> "1G+10%"), a '%' glued to a unit dropped.
 * NULL when nothing usable is there (empty, a hex fraction or percentage, a
 * percentage of 100 or more,
 * a fixed size under 128M or over 64T). */
static char *repair_amount(const char *a, bool forgot_unit)
{
    if (*a == '+')
        a++; /* "+4G": meant as 4G */
    while (*a == '-' && a[1] == '-')
        a++;
    bool minus = *a == '-';
    if (minus)
        a++;
    char size[40] = "", pct[8] = "";
    unsigned long long mib_total = 0;
    while (*a) {
        bool hex = a[0] == '0' && (a[1] == 'x' || a[1] == 'X') && isxdigit((unsigned char)a[2]);
        if (hex)
            a += 2;
        while (*a == '0' && (hex ? isxdigit((unsigned char)a[1]) : isdigit((unsigned char)a[1])))
            a++;
        const char *ip = a;
        size_t il = strspn(a, hex ? "0123456789abcdefABCDEF" : "0123456789");
        if (!il)
            return NULL;
        a += il;
        /* a hex 'b' or 'B' is a digit to Xen: "0x800B" is 0x800B KiB, as
         * simple_strtoull reads it before parse_size_and_unit sees a unit */
        const char *fp = "";
        size_t fl = 0;
        if (hex && (*a == '.' || *a == '%'))
            return NULL;
        if (*a == '.') {
            fp = ++a;
            fl = strspn(a, "0123456789");
            a += fl;
        }
        char unit = 0;
        if (*a && strchr("KkMmGgTtBb", *a))
            unit = (char)toupper((unsigned char)*a++);
        if (unit && unit != 'B')
            a += strspn(a, "iIbB") <= 2 ? strspn(a, "iIbB") : 0;
        bool is_pct = *a == '%';
        if (is_pct)
            a++;
        if (unit)
            is_pct = false; /* "4G%": a size with a stray '%' */
        if (*a == '+')
            a++;
        else if (*a)
            return NULL;
        if (il > (hex ? 12u : 15u))
            return NULL;
        unsigned long long ival = strtoull(ip, NULL, hex ? 16 : 10);
        if (is_pct) {
            if (fl || ival >= 100 || *pct)
                return NULL;
            snprintf(pct, sizeof pct, "%llu%%", ival);
            continue;
        }
        if (*size)
            return NULL;
        int shift = unit == 'T' ? 40 : unit == 'G' ? 30 : unit == 'M' ? 20 : unit == 'B' ? 0
                  : unit == 'K' || !forgot_unit ? 10 : 20;
        bool kib = !unit && !forgot_unit;
        if (!unit)
            unit = 'M';
        /* bytes = (ival + 0.f) << shift, in whole MiB */
        double bytes = (double)ival;
        if (fl) {
            double f = 0, scale = 1;
            for (size_t i = 0; i < fl && i < 9; i++) {
                scale /= 10;
                f += (fp[i] - '0') * scale;
            }
            bytes += f;
        }
        for (int i = 0; i < shift; i++)
            bytes *= 2;
        double mib = bytes / (1024.0 * 1024.0);
        if (mib > 64.0 * 1024 * 1024)
            return NULL;
        if (kib && !fl) {
            snprintf(size, sizeof size, "%llu", ival); /* KiB, as Xen reads it */
        } else if (fl || unit == 'B' || unit == 'K' || kib) {
            if (mib != (double)(unsigned long long)mib)
                return NULL;
            snprintf(size, sizeof size, "%lluM", (unsigned long long)mib);
        } else {
            snprintf(size, sizeof size, "%llu%c", ival, unit);
        }
        mib_total = (unsigned long long)mib;
    }
    if (!*size && !*pct)
        return NULL;
    if (*size && !*pct && !minus && mib_total < 128)
        return NULL;
    return md_xasprintf("%s%s%s%s", minus ? "-" : "", size, *size && *pct ? "+" : "", pct);
}
/* `v` with its limits spelled as Xen reads them: "max=" and "min=" become
 * "max:" and "min:", and one glued to an amount by ':' or '=' gets its own
 * item ("7680M:max=7680M" -> "7680M,max:7680M", trial10h case 4).
 * Caller frees. */
static char *respell_limits(const char *v)
{
    size_t n = strlen(v);
    char *out = md_xmalloc(2 * n + 1), *o = out;
    for (const char *p = v; *p;) {
        bool lim = (!strncasecmp(p, "max", 3) || !strncasecmp(p, "min", 3)) &&
                   (p[3] == '=' || p[3] == ':');
        if (lim && o > out && (o[-1] == ':' || o[-1] == '='))
            o[-1] = ',';
        else if (lim && o > out && o[-1] != ',')
            *o++ = ',';
        if (lim) {
            for (int i = 0; i < 3; i++)
                *o++ = (char)tolower((unsigned char)p[i]);
            *o++ = ':';
            p += 4;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

/* `text` (a repaired amount) as Xen reads it, when a fixed size of at
 * least one page. */
static bool fixed_amount(const char *text, bool arm, md_bootcfg_amount *out)
{
    md_bootcfg_dom0mem t = { 0 };
    if (!text || md_bootcfg_dom0_mem_apply(&t, text, arm, NULL, &(md_err)MD_ERR_INIT) < 0 ||
        md_bootcfg_amount_relative(&t.amount) || !(t.amount.bytes >> 12))
        return false;
    *out = t.amount;
    return true;
}

/* The fix for an entry's dom0_mem= words: each part repaired
 * (repair_amount, limits respelled), the last of each kind, and of those
 * the size dom0 starts with as Xen computes it (md_bootcfg_dom0_mem_start:
 * the amount raised to min:, lowered to max:; max: when the amount is
 * relative or missing, else min:) as both amount and max:,
 * "dom0_mem=A,max:A" (Arm: "dom0_mem=A").  The user's own amount is kept
 * whenever one is fixed (trial10h case 4); REF_AMOUNT only when none is.
 * It replaces all the dom0_mem= words.  Caller frees. */
static char *dom0_mem_fix(const md_strv *vals, bool arm, bool forgot_unit)
{
    char *got[3] = { NULL, NULL, NULL }; /* amount, max, min */
    for (size_t i = 0; i < vals->n; i++) {
        md_strv parts = { 0 };
        char *v = arm ? md_xstrdup(vals->v[i]) : respell_limits(vals->v[i]);
        md_strv_split(&parts, v, true);
        free(v);
        for (size_t j = 0; j < parts.n; j++) {
            const char *p = parts.v[j];
            int k = !strncmp(p, "max:", 4) ? 1 : !strncmp(p, "min:", 4) ? 2 : 0;
            char *r = repair_amount(p + (k ? 4 : 0), forgot_unit);
            if (r) {
                free(got[k]);
                got[k] = r;
            }
        }
        md_strv_free(&parts);
    }
    md_bootcfg_amount am[3];
    bool ok[3];
    for (int k = 0; k < 3; k++)
        ok[k] = fixed_amount(got[k], arm, &am[k]);
    const char *a = arm ? ARM_REF_AMOUNT : REF_AMOUNT;
    if (ok[0]) {
        uint64_t cur = am[0].bytes;
        a = got[0];
        if (ok[2] && am[2].bytes > cur)
            a = got[2], cur = am[2].bytes;
        if (ok[1] && am[1].bytes < cur)
            a = got[1];
    } else if (ok[1]) {
        a = got[1];
    } else if (ok[2]) {
        a = got[2];
    }
    /* Arm reads one plain size: no percentage, nothing relative */
    if (arm && strpbrk(a, "%-"))
        a = ARM_REF_AMOUNT;
    char *fix = arm ? md_xasprintf("dom0_mem=%s", a) : md_xasprintf("dom0_mem=%s,max:%s", a, a);
    for (int k = 0; k < 3; k++)
        free(got[k]);
    return fix;
}

/* What trap 4 misses in `m` (x86, after every dom0_mem= word): ", so Xen
 * has no max: ...", and loose_note(): " ('max:4G' is a word ...)" naming a "max:"/"min:" word of the Xen line that stands
 * alone (a space after the comma: Xen splits its line at spaces,
 * parse_params() in xen/common/kernel.c, and takes it for an option of that
 * name, which it does not know).  Caller frees. */
/* parse_params() (xen/common/kernel.c, 4.17 and 4.20) copies each
 * space-separated option into char opt[MAX_PARAM_SIZE] (128,
 * xen/include/xen/param.h) and drops the bytes past 127 ("avoid
 * overflow"). */
#define XEN_OPT_MAX 127
static char *loose_note(const md_bootcfg_file *x)
{
    for (size_t i = 0; i < x->args.n; i++)
        if (!strncmp(x->args.v[i], "dom0_mem=", 9) && strlen(x->args.v[i]) > XEN_OPT_MAX)
            return md_xasprintf(" (the word dom0_mem=... is %zu bytes long, and Xen copies "
                                "each option into a %d-byte buffer and drops the rest "
                                "(MAX_PARAM_SIZE, parse_params(), xen/common/kernel.c): '%s' "
                                "never reaches dom0_mem)", strlen(x->args.v[i]),
                                XEN_OPT_MAX + 1, x->args.v[i] + XEN_OPT_MAX);
    for (size_t i = 0; i < x->args.n; i++)
        if (!strncmp(x->args.v[i], "max:", 4) || !strncmp(x->args.v[i], "min:", 4))
            return md_xasprintf(" ('%s' is a word of its own, after a space: Xen reads it as "
                                "an option named '%s', which it does not know, and ignores "
                                "it; parse_params(), xen/common/kernel.c)", x->args.v[i],
                                x->args.v[i]);
    return md_xstrdup("");
}

static char *lost_items(const md_bootcfg_file *x, const md_bootcfg_dom0mem *m)
{
    char *note = loose_note(x);
    char *out = md_xasprintf(", so Xen has %s%s%s%s", !m->amount.set ? "no amount" : "",
                             !m->amount.set && !m->max.set ? " and " : "",
                             !m->max.set ? "no max: (dom0 Linux sizes its struct-page array "
                                           "for all host RAM)" : "", note);
    free(note);
    return out;
}

/* A dom0_mem= word x86 Xen refuses from offset `bad` on: say what Xen keeps
 * and what it drops (`had`: earlier words set something, which Xen keeps). */
static void dom0_mem_refused(gctx *g, const md_bootcfg_entry *e, const char *val, size_t bad,
                             const char *why, const char *tp, bool had, const char *fix,
                             const char *lost)
{
    const md_bootcfg_file *x = &e->xen;
    const char *part = val + bad;
    size_t plen = strcspn(part, ",");
    char *kept, *own = NULL;
    if (bad)
        kept = md_xasprintf("Xen applies '%.*s' and drops '%s'", (int)(bad - 1), val, part);
    else if (had)
        kept = md_xstrdup("Xen refuses this dom0_mem= word and keeps what the dom0_mem= words "
                          "before it set");
    else
        kept = md_xstrdup("Xen refuses the whole value, so dom0 starts with nearly all host "
                          "RAM and no max:");
    /* "max=4G" is a limit misspelled (its fix respells it), not another
     * option glued on */
    bool respelled = false;
    for (size_t i = 0; i < plen && !respelled; i++)
        respelled = md_bootcfg_dom0_mem_limit_typo(part, part + i);
    if (memchr(part, '=', plen) && bad && !respelled)
        fix = own = md_xasprintf("dom0_mem=%.*s %s", (int)(bad - 1), val, part);
    /* x86: `lost` says what trap 4 misses in what Xen applied from all the
     * dom0_mem= words (an error); NULL when it has both an amount and max:.
     * Then the verdict is what Xen ends with, judged by the checks after
     * this one, and the refused part costs only the boot log's "invalid":
     * a warning, whatever it is ("4G,max:4G,", "max:4GB", "foo", a whole
     * word "dom0_mem=4096MB" after "4096M,max:4096M": trial10 case 5; an
     * option glued on, "max_loops=255"), since Xen ends with the same
     * memory in each.  What the part asked for is lost, so it is named. */
    md_lint_add(g->l, at(g, x), x->line, lost ? MD_LINT_ERROR : MD_LINT_WARNING, 4,
                "%s%s; %s%s%s%s%s%s%s; use %s", tp, why, kept,
                lost ? "" : ", which still leaves an amount and max:",
                !lost && *part ? " ('" : "", !lost ? part : "",
                !lost && *part ? "' changes nothing)" : "",
                lost ? "" : ", and Xen warns of the refused item at boot",
                lost && (bad || had) ? lost : "", fix);
    md_lint_fix(g->l, "%s", fix);
    free(own);
    free(kept);
}

/* "8G", "4608M", "65547K", "4097B": the largest unit that divides. */
static char *size_text(uint64_t b)
{
    static const char units[] = "TGMK";
    for (int i = 0; i < 4; i++) {
        int sh = 40 - 10 * i;
        if (b && !(b & ((1ULL << sh) - 1)))
            return md_xasprintf("%llu%c", (unsigned long long)(b >> sh), units[i]);
    }
    return md_xasprintf("%lluB", (unsigned long long)b);
}

/* What a relative amount `a` is to Xen, get_memsize() in
 * xen/arch/x86/dom0_build.c (4.17): pages = size + percent of the available
 * memory, subtracted from it when negative.  Caller frees. */
static char *relative_text(const md_bootcfg_amount *a)
{
    char *sz = size_text(a->bytes), *t;
    if (a->minus && a->bytes && a->percent)
        t = md_xasprintf("all host RAM but %s and %u%% of it", sz, a->percent);
    else if (a->minus && a->percent)
        t = md_xasprintf("all host RAM but %u%% of it", a->percent);
    else if (a->minus)
        t = md_xasprintf("all host RAM but %s", sz);
    else if (a->bytes)
        t = md_xasprintf("%s plus %u%% of host RAM", sz, a->percent);
    else
        t = md_xasprintf("%u%% of host RAM", a->percent);
    free(sz);
    return t;
}

/* Xen 4.17 counts dom0_mem in pages (bytes >> 12), and an amount of 0 pages
 * is "not given" (dom0_compute_nr_pages: get_memsize(&dom0_size) ?: the
 * default); a max: of 0 pages stays a limit of 0. */
static bool zero_pages(const md_bootcfg_amount *a)
{
    return a->set && !a->minus && !a->percent && !(a->bytes >> 12);
}

/* Does `val` hold a variable whose value lint does not know?  The readers
 * expand every variable they know; one left as written is in the line's
 * `unset`, or has its possible words in `maybe`.  Any other '$' is text: GRUB
 * passes "$" inside single quotes or after a backslash as it is (GRUB manual,
 * "Shell-like scripting", Quoting: single quotes preserve "the literal value
 * of each character", a backslash "the literal value of the next
 * character"), and Xen then reads "${mem}" as a (bad) value. */
static bool from_variable(const md_bootcfg_file *x, const char *val)
{
    for (const char *p = strchr(val, '$'); p; p = strchr(p + 1, '$')) {
        const char *n = p + 1 + (p[1] == '{');
        size_t nl = strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
        for (size_t i = 0; i < x->unset.n; i++)
            if (strlen(x->unset.v[i]) == nl && !strncmp(x->unset.v[i], n, nl))
                return true;
    }
    /* a command's output: "$(nproc)G", "`nproc`G" */
    if ((strstr(val, "$(") || strchr(val, '`')) && md_strv_contains(&x->unset, CMD_OUTPUT))
        return true;
    return strchr(val, '$') && x->maybe.n;
}

/* The assignment `raw` ("[export ]NAME=VALUE", one line) with `word`
 * appended to its value, written so the shell reads the old value and then
 * the word; NULL when VALUE is quoted in a way this does not follow. */
static char *extend_assign(const char *raw, const char *word)
{
    const char *eq = strchr(raw, '=');
    if (!eq)
        return NULL;
    const char *v = eq + 1;
    size_t vl = strlen(v);
    int pre = (int)(v - raw);
    if (vl >= 2 && (*v == '"' || *v == '\'') && v[vl - 1] == *v &&
        memchr(v + 1, *v, vl - 1) == v + vl - 1)
        return md_xasprintf("%.*s%.*s%s%s%c", pre + 1, raw, (int)(vl - 2), v + 1,
                            vl > 2 ? " " : "", word, *v);
    if (!strpbrk(v, "\"'\\$` \t;&|<>()"))
        return md_xasprintf("%.*s\"%s%s%s\"", pre, raw, v, *v ? " " : "", word);
    return NULL;
}

/* update-grub's recovery entries get GRUB_CMDLINE_XEN alone (20_linux_xen:
 * linux_entry ... recovery "single ${GRUB_CMDLINE_LINUX}"
 * "${GRUB_CMDLINE_XEN}"), so dom0_mem in GRUB_CMDLINE_XEN_DEFAULT only
 * (`pv`: the normal entry's dom0_mem= values) leaves them without it.  The
 * fix puts the user's amount into GRUB_CMDLINE_XEN: its assignment
 * extended, or, when it is not set, a line of its own after the one with
 * dom0_mem. */
static void check_recovery_mem(gctx *g, const md_bootcfg_entry *e, const md_strv *pv,
                               const char *tp, const char *hint)
{
    const md_bootcfg_file *x = &e->xen, *px = &g->prev->xen;
    char *mem = dom0_mem_fix(pv, false, false);
    char *fix = NULL, *how;
    const md_bootcfg_file *where = x;
    if (e->xen_var_unseen) {
        /* as trap 1's "cannot check the dom0 kernel line" of the same file:
         * /etc/default/grub may set GRUB_CMDLINE_XEN or turn recovery off */
        md_lint_add(g->l, at(g, px), px->line, MD_LINT_WARNING, 4,
                    "%scannot check dom0_mem: update-grub (/etc/grub.d/20_linux_xen) builds the "
                    "recovery (single-user) entries from GRUB_CMDLINE_XEN only, not "
                    "GRUB_CMDLINE_XEN_DEFAULT, and this file does not set it; /etc/default/grub "
                    "or another file of /etc/default/grub.d may set it (or "
                    "GRUB_DISABLE_RECOVERY=true): lint them together, on one command line (or "
                    "their directory), as update-grub reads them; if none sets it, add the line "
                    "GRUB_CMDLINE_XEN=\"%s\"%s", tp, mem, hint);
        md_lint_mark_unchecked(g->l);
        free(mem);
        return;
    }
    if (!e->xen_var_set) {
        where = px;
        fix = md_xasprintf("GRUB_CMDLINE_XEN=\"%s\"", mem);
        how = md_xasprintf("GRUB_CMDLINE_XEN is not set; add the line %s after line %u", fix,
                           px->line);
    } else if (e->xen_var && (fix = extend_assign(e->xen_var, mem))) {
        how = md_xasprintf("GRUB_CMDLINE_XEN (line %u) has no dom0_mem; make line %u read %s",
                           x->line, x->line, fix);
    } else {
        fix = md_xasprintf("GRUB_CMDLINE_XEN=\"$GRUB_CMDLINE_XEN %s\"", mem);
        how = md_xasprintf("GRUB_CMDLINE_XEN (line %u) has no dom0_mem; add the line %s after "
                           "its assignment", x->line, fix);
    }
    char *src = px->file ? md_xasprintf("%s:%u", px->file, px->line)
                         : md_xasprintf("line %u", px->line);
    md_lint_add(g->l, at(g, where), where->line, x->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR,
                4, "%sno dom0_mem: update-grub (/etc/grub.d/20_linux_xen) builds the recovery "
                "(single-user) entries from GRUB_CMDLINE_XEN only, not GRUB_CMDLINE_XEN_DEFAULT, "
                "so dom0_mem=%s (%s) reaches the normal entries alone and in recovery mode dom0 "
                "starts with nearly all host RAM and no max:; %s (or set "
                "GRUB_DISABLE_RECOVERY=true)%s", tp, pv->v[pv->n - 1], src, how, hint);
    md_lint_fix(g->l, "%s", fix);
    free(src);
    free(how);
    free(fix);
    free(mem);
}

/* A dom0_mem= that Xen does not read as one (trial ipxe10 case 3).
 * parse_params() (xen/common/kernel.c, 4.17 to 4.20) splits its line at
 * spaces, cuts each word at its first '=' and finds the parameter by
 * strcmp() of the name: a name in other case ("Dom0_mem", "DOM0_MEM") or
 * with '-' for '_' ("dom0-mem", which Linux would take) is unknown to Xen
 * (its log: parameter "Dom0_mem" unknown!) and ignored; a space beside the
 * '=' ("dom0_mem =2G", "dom0_mem= 2G", "dom0_mem = 2G") leaves a word
 * "dom0_mem" or "dom0_mem=" with no value, which parse_dom0_mem() refuses
 * (parse_amt(): no digit), and the amount a word of its own, unknown too. */
typedef enum { TYPO_NONE, TYPO_CASE, TYPO_DASH, TYPO_CASE_DASH, TYPO_SPLIT } typo_kind;

typedef struct dom0_typo {
    typo_kind kind;
    char *as_written; /* the word or words: "Dom0_mem=2G,max:2G", "dom0_mem = 2G" */
    char *name;       /* the option Xen looks up: "Dom0_mem"; split: the word
                         with no value, "dom0_mem" or "dom0_mem=" */
    char *value;      /* what the user meant as dom0_mem's value: "2G,max:2G" */
    char *rest;       /* split: the words after it, quoted: "'=' and '2G'" */
} dom0_typo;

/* Does `w` start like a dom0_mem value: an amount or a limit? */
static bool mem_value_word(const char *w)
{
    return isdigit((unsigned char)*w) || (*w == '-' && isdigit((unsigned char)w[1])) ||
           !strncmp(w, "max:", 4) || !strncmp(w, "min:", 4);
}

/* The first such dom0_mem on `x` (its words, then the words its variables
 * may give), or kind TYPO_NONE.  Free with typo_free. */
static dom0_typo find_dom0_typo(const md_bootcfg_file *x)
{
    static const char key[] = "dom0_mem";
    const size_t kl = sizeof key - 1;
    const md_strv *lists[] = { &x->args, &x->maybe };
    for (int li = 0; li < 2; li++) {
        const md_strv *a = lists[li];
        for (size_t i = 0; i < a->n; i++) {
            const char *w = a->v[i];
            size_t nl = strcspn(w, "=");
            if (nl != kl)
                continue;
            bool cased = false, dashed = false, other = false;
            for (size_t j = 0; j < kl && !other; j++) {
                if (w[j] == key[j])
                    continue;
                if (w[j] == '-' && key[j] == '_')
                    dashed = true;
                else if (tolower((unsigned char)w[j]) == key[j])
                    cased = true;
                else
                    other = true;
            }
            if (!other && (cased || dashed) && w[nl] == '=' && w[nl + 1])
                return (dom0_typo){ cased && dashed ? TYPO_CASE_DASH
                                    : cased         ? TYPO_CASE
                                                    : TYPO_DASH,
                                    md_xstrdup(w), md_xasprintf("%.*s", (int)nl, w),
                                    md_xstrdup(w + nl + 1), NULL };
            if (li || strncmp(w, key, kl) || (w[nl] && w[nl + 1]) || i + 1 >= a->n)
                continue;
            /* "dom0_mem" or "dom0_mem=", no value: the next word(s) meant as it */
            const char *n1 = a->v[i + 1], *n2 = i + 2 < a->n ? a->v[i + 2] : NULL;
            if (!w[nl] && !strcmp(n1, "=") && n2 && *n2)
                return (dom0_typo){ TYPO_SPLIT, md_xasprintf("%s = %s", w, n2), md_xstrdup(w),
                                    md_xstrdup(n2), md_xasprintf("'=' and '%s'", n2) };
            if ((!w[nl] && n1[0] == '=' && n1[1]) || mem_value_word(n1))
                return (dom0_typo){ TYPO_SPLIT, md_xasprintf("%s %s", w, n1), md_xstrdup(w),
                                    md_xstrdup(n1 + (n1[0] == '=')),
                                    md_xasprintf("'%s'", n1) };
        }
    }
    return (dom0_typo){ 0 };
}

static void typo_free(dom0_typo *t)
{
    free(t->as_written);
    free(t->name);
    free(t->value);
    free(t->rest);
}

/* Why Xen refuses dom0_mem= word `val` from offset `at` on (`msg`, from
 * md_bootcfg_dom0_mem_apply), with where a '$' in the refused part comes
 * from; `builtin`: the value is the hypervisor's, not the line's.  Caller
 * frees. */
static char *refusal_text(const md_bootcfg_entry *e, const char *val, size_t at, const char *msg,
                          bool builtin)
{
    if (builtin || !strchr(val + at, '$'))
        return md_xstrdup(msg);
    /* GRUB's defaults: the shell's quotes are gone when update-grub writes
     * the value unquoted into grub.cfg (20_linux_xen: ${xen_args}), where
     * GRUB expands the '$' itself (trial10b case 3) */
    if (e->format == MD_BOOTFMT_GRUB_DEFAULT)
        return md_xasprintf("%s (update-grub writes the value into grub.cfg as it is, unquoted "
                            "(20_linux_xen: ${xen_args}), and there GRUB expands '%s' as a "
                            "variable of its own, normally unset, so Xen gets what is left of "
                            "it, usually an empty value)", msg, strchr(val, '$'));
    return md_xasprintf("%s (the '$' is text, not a variable: GRUB does not expand inside "
                        "single quotes or after a backslash, so Xen gets '%s' as written)", msg,
                        val);
}

/* What Xen does when no dom0_mem= word reaches parse_dom0_mem(): it
 * parses the hypervisor's built-in CONFIG_DOM0_MEM when that is set
 * ("if ( CONFIG_DOM0_MEM[0] && !dom0_mem_set )": dom0_compute_nr_pages() in
 * xen/arch/x86/dom0_build.c, construct_dom0() in
 * xen/arch/arm/domain_build.c, 4.12 to 4.20), else sizes dom0 itself.
 * `log`: quote Arm's boot log.  Caller frees. */
static char *no_mem_result(const gctx *g, const md_bootcfg_entry *e, bool log)
{
    if (g->hv && g->hv->dom0_mem[0])
        return md_xasprintf("Xen uses the dom0_mem=%s built into the hypervisor %s (its "
                            "CONFIG_DOM0_MEM) instead", g->hv->dom0_mem, g->hv->path);
    if (e->arm)
        return md_xstrdup(log ? "Xen on Arm gives dom0 512M ('PLEASE SPECIFY dom0_mem PARAMETER')"
                              : "Xen on Arm gives dom0 512M");
    return md_xstrdup("dom0 starts with nearly all host RAM");
}

/* Arm: parse_dom0_mem() (xen/arch/arm/domain_build.c, 4.17 and 4.20) is
 * "dom0_mem = parse_size_and_unit(s, &s); return *s ? -EINVAL : 0": one
 * size, assigned before the rest is looked at, so every dom0_mem= word sets
 * it, a refused one too, and the last word decides.  construct_dom0() takes
 * 0 as not given (512M, "PLEASE SPECIFY dom0_mem PARAMETER - USING 512M FOR
 * NOW") and makes the size dom0's maximum too (d->max_pages = dom0_mem >>
 * PAGE_SHIFT): Arm has no max: to set.  One finding per word: an earlier
 * word Xen refuses (a warning: the last word replaces it, only the boot log
 * complains), and the last word when Xen refuses it or what it reads is not
 * a usable size, what Xen read and what dom0 then gets said together. */
static void check_arm_mem(gctx *g, const md_bootcfg_entry *e, const md_strv *vals,
                          const char *tp, const char *fix, bool builtin)
{
    const md_bootcfg_file *x = &e->xen;
    const char *lastv = vals->v[vals->n - 1];
    for (size_t i = 0; i < vals->n; i++) {
        md_bootcfg_dom0mem m = { 0 };
        md_err why = MD_ERR_INIT;
        size_t bad = 0;
        bool refused = md_bootcfg_dom0_mem_apply(&m, vals->v[i], true, &bad, &why) < 0;
        char *rt = refused ? refusal_text(e, vals->v[i], bad, why.msg, builtin) : NULL;
        if (i + 1 < vals->n) {
            if (refused) {
                md_lint_add(g->l, at(g, x), x->line, MD_LINT_WARNING, 4,
                            "%s%s; the later dom0_mem=%s sets the size anew, so only the boot "
                            "log complains; use %s", tp, rt, lastv, fix);
                md_lint_fix(g->l, "%s", fix);
            }
            free(rt);
            continue;
        }
        const md_bootcfg_amount *a = &m.amount;
        size_t tl = strlen(a->text);
        bool hex = strstr(a->text, "0x") || strstr(a->text, "0X");
        bool unitless = !hex && tl && isdigit((unsigned char)a->text[tl - 1]);
        char *got = size_text(a->bytes), *what, *own = NULL;
        md_lint_sev sev = MD_LINT_ERROR;
        if (!a->bytes)
            what = md_xstrdup("Xen takes a dom0_mem of 0 as none, so dom0 gets 512M ('PLEASE "
                              "SPECIFY dom0_mem PARAMETER - USING 512M FOR NOW')");
        else if (a->wrapped)
            what = md_xasprintf("%s does not fit in 64 bits; Xen's number reader "
                                "(simple_strtoull, parse_size_and_unit) does not check for "
                                "overflow and keeps the value modulo 2^64, so dom0 gets %s%s",
                                a->text, got, a->bytes >> 12 ? "" : ", 0 pages");
        else if (!(a->bytes >> 12))
            what = md_xasprintf("dom0 gets %llu bytes, 0 pages: Xen cannot build a dom0 with "
                                "no memory", (unsigned long long)a->bytes);
        else if (a->bytes < (128u << 20))
            what = md_xasprintf("dom0 gets %llu KiB, far too little for a dom0 kernel and its "
                                "initramfs%s%s", (unsigned long long)(a->bytes >> 10),
                                unitless ? " (a number without a unit is KiB to Xen)" : "",
                                hex ? " (a 0x number is hex to Xen, so letters A-F in it are "
                                      "digits, not units)" : "");
        else if (a->octal)
            sev = MD_LINT_WARNING,
            what = md_xasprintf("a leading 0 makes Xen read the number as octal "
                                "(simple_strtoull with base 0), so %s is %s to Xen; write "
                                "sizes without leading zeros", a->text, got);
        else if (refused)
            sev = MD_LINT_WARNING,
            what = md_xasprintf("dom0 gets %s all the same, which on Arm is also its maximum "
                                "(d->max_pages = dom0_mem), so only the boot log complains",
                                got);
        else
            what = NULL;
        if (what) {
            if (unitless && a->bytes && a->bytes < (128u << 20))
                fix = own = dom0_mem_fix(vals, true, true);
            const char *lost = sev == MD_LINT_ERROR && vals->n > 1
                                   ? " (the earlier dom0_mem= words count for nothing: each "
                                     "sets the one size anew)" : "";
            if (refused)
                md_lint_add(g->l, at(g, x), x->line, sev, 4, "%s%s; %s%s; use %s%s%s%s", tp,
                            rt, what, lost, fix, a->octal ? " (or dom0_mem=" : "",
                            a->octal ? got : "", a->octal ? ", if you meant what Xen reads)" : "");
            else
                md_lint_add(g->l, at(g, x), x->line, sev, 4, "%sdom0_mem=%s: %s%s; use %s%s%s%s",
                            tp, lastv, what, lost, fix, a->octal ? " (or dom0_mem=" : "",
                            a->octal ? got : "", a->octal ? ", if you meant what Xen reads)" : "");
            md_lint_fix(g->l, "%s", fix);
        }
        free(what);
        free(own);
        free(got);
        free(rt);
    }
}

static void check_dom0_mem(gctx *g, const md_bootcfg_entry *e, const char *tp, const char *hint)
{
    const md_bootcfg_file *x = &e->xen;
    md_strv vals = { 0 }, kv = { 0 }, extra = { 0 };
    md_bootcfg_param_all(x, "dom0_mem", false, &vals);
    /* Xen reads at most XEN_OPT_MAX bytes of each option word, the rest is
     * dropped (loose_note() says so) */
    for (size_t i = 0; i < vals.n; i++)
        if (strlen(vals.v[i]) > XEN_OPT_MAX - 9)
            vals.v[i][XEN_OPT_MAX - 9] = '\0';
    char *mem = NULL, *fix = NULL, *own_tp = NULL;
    char *result = no_mem_result(g, e, false); /* when Xen gets no dom0_mem= word */
    const char *builtin = g->hv && g->hv->dom0_mem[0] ? g->hv->dom0_mem : NULL;
    if (!vals.n && e->kernel.path)
        md_bootcfg_param_all(&e->kernel, "dom0_mem", true, &kv);
    if (!vals.n && kv.n) {
        /* On the dom0 kernel line: Linux ignores it and Xen never sees it. */
        fix = dom0_mem_fix(&kv, e->arm, false);
        md_lint_add(g->l, at(g, &e->kernel), e->kernel.line, MD_LINT_ERROR, 4,
                    "%sdom0_mem=%s is on the dom0 kernel line (line %u), the wrong line: Xen "
                    "reads dom0_mem only from its own line (line %u) and Linux ignores it, so "
                    "%s; move it to the Xen line as %s",
                    tp, kv.v[kv.n - 1], e->kernel.line, x->line, result, fix);
        md_lint_fix(g->l, "%s", fix);
        goto out;
    }
    /* with a built-in dom0_mem, the recovery entries boot with it: judged
     * below as any line without dom0_mem */
    if (!vals.n && e->recovery && g->prev && !builtin) {
        md_bootcfg_param_all(&g->prev->xen, "dom0_mem", false, &kv);
        bool known = kv.n > 0;
        for (size_t i = 0; i < kv.n; i++)
            known &= !strchr(kv.v[i], '$');
        if (known) {
            check_recovery_mem(g, e, &kv, tp, hint);
            goto out;
        }
    }
    if (!vals.n) {
        md_bootcfg_file ex = { .args = e->dom0_extra };
        md_bootcfg_param_all(&ex, "dom0_mem", true, &extra);
    }
    if (!vals.n && extra.n) {
        /* x86 __start_xen() cuts its line at " -- " and hands the rest to
         * dom0 (md_bootcfg_add_multiboot): Xen never reads this dom0_mem. */
        fix = dom0_mem_fix(&extra, e->arm, false);
        md_lint_add(g->l, at(g, x), x->line, MD_LINT_ERROR, 4,
                    "%sdom0_mem=%s comes after ' -- ' on the Xen line: Xen keeps only the words "
                    "before ' -- ' for itself and appends the rest to dom0's command line "
                    "(__start_xen() in xen/arch/x86/setup.c), so Xen has no dom0_mem and %s; "
                    "put %s before ' -- '", tp, extra.v[extra.n - 1], result, fix);
        md_lint_fix(g->l, "%s", fix);
        goto out;
    }
    md_strv cutoff = { 0 };
    if (!vals.n && g->uncut)
        md_bootcfg_param_all(&g->uncut->xen, "dom0_mem", false, &cutoff);
    if (!vals.n && cutoff.n) {
        fix = dom0_mem_fix(&cutoff, e->arm, false);
        md_lint_add(g->l, at(g, x), x->line, MD_LINT_ERROR, 4,
                    "%sdom0_mem=%s is past what iPXE passes of the Xen line (its 512-byte "
                    "command-line buffer is full before it), so Xen has no dom0_mem and %s; "
                    "put %s first on the Xen line", tp, cutoff.v[cutoff.n - 1], result, fix);
        md_lint_fix(g->l, "%s", fix);
        md_strv_free(&cutoff);
        goto out;
    }
    md_strv_free(&cutoff);
    for (size_t i = 0; !vals.n && i < x->args.n; i++) {
        /* GRUB quoted an argument with a space ("dom0_mem=4G,max:4G x=1"
         * as written in double quotes): Xen has no quotes and reads an
         * option named '"dom0_mem' (grubcfg.c read_file) */
        if (strncmp(x->args.v[i], "\"dom0_mem=", 10))
            continue;
        md_strv words = { 0 };
        for (size_t j = i; j < x->args.n; j++) {
            const char *a = x->args.v[j] + (j == i);
            size_t al = strlen(a);
            bool last = al && a[al - 1] == '"';
            md_strv_pushf(&words, "%.*s", (int)(al - last), a);
            if (last)
                break;
        }
        char *plain = md_strv_join(&words, " ");
        /* "dom0_mem=4G max:4G" (a backslash-escaped space, trial10c case
         * 8), "dom0_mem=1024M, max:1024M", "dom0_mem=1024M ,max:1024M"
         * (trial10d 01, 02): a word that starts with min:/max: or a comma,
         * or follows one ending in a comma, is a part of dom0_mem, which Xen
         * separates by single commas (an empty part ends parse_dom0_mem()'s
         * list); the fix is that value as dom0_mem_fix() writes it, so it
         * lints clean, and the other words stay words of their own */
        md_strv val = { 0 }, rest = { 0 };
        char *mv = md_xstrdup(words.v[0] + strlen("dom0_mem="));
        for (size_t j = 1; j < words.n; j++) {
            const char *w = words.v[j];
            size_t ml = strlen(mv);
            bool part = !strncmp(w, "max:", 4) || !strncmp(w, "min:", 4) || *w == ',' ||
                        (ml && mv[ml - 1] == ',');
            if (!part || rest.n) {
                md_strv_push(&rest, w);
                continue;
            }
            char *t = md_xasprintf("%s,%s", mv, w);
            free(mv);
            mv = t;
        }
        md_strv_push_own(&val, mv);
        char *fixed = dom0_mem_fix(&val, e->arm, false);
        md_strv_free(&val);
        char *others = md_strv_join(&rest, " ");
        char *meant = md_xasprintf("%s%s%s", fixed, rest.n ? " " : "", others);
        free(others);
        free(fixed);
        md_strv_free(&rest);
        md_strv_free(&words);
        /* GRUB 2 (and update-grub's values, which GRUB's lexer reads)
         * adds the quotes; the other loaders pass the ones written as they
         * are: iPXE and mboot.c32 split their lines at white space alone,
         * GRUB legacy hands the line over as written, Xen's EFI loader
         * takes options= to the end of the line (trial10g 10) */
        md_bootfmt f = (md_bootfmt)e->format;
        const char *loader = f == MD_BOOTFMT_IPXE          ? "iPXE"
                             : f == MD_BOOTFMT_SYSLINUX    ? "mboot.c32"
                             : f == MD_BOOTFMT_GRUB_LEGACY ? "GRUB legacy"
                             : f == MD_BOOTFMT_XEN_EFI     ? "Xen's EFI loader"
                                                           : NULL;
        char *how = loader ? md_xasprintf("is written in double quotes, and %s has no quoting: "
                                          "it passes the '\"' characters to Xen as they are, "
                                          "so Xen, which has no quoting either, reads",
                                          loader)
                           : md_xstrdup("has a space, so GRUB passes it in double quotes "
                                        "(grub_create_loader_cmdline()), and Xen, which has no "
                                        "quoting, splits it at the spaces and reads");
        md_lint_add(g->l, at(g, x), x->line, x->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR, 4,
                    "%sthe Xen line has no dom0_mem: its argument \"%s\" %s an option named "
                    "'\"dom0_mem' (parse_params(), xen/common/kernel.c), so %s; write it as "
                    "separate words, without quotes or escaped spaces: %s%s", tp, plain, how,
                    result, meant, hint);
        free(how);
        md_lint_fix(g->l, "%s", meant);
        free(meant);
        free(plain);
        goto out;
    }
    /* Xen gets no dom0_mem when every dom0_mem= word is empty ("dom0_mem=
     * 2G": parse_dom0_mem() refuses it and sets nothing) */
    bool none = true;
    for (size_t i = 0; i < vals.n && none; i++)
        none = !*vals.v[i];
    dom0_typo typo = none ? find_dom0_typo(x) : (dom0_typo){ 0 };
    if (typo.kind) {
        md_strv meant = { 0 };
        md_strv_push(&meant, typo.value);
        fix = dom0_mem_fix(&meant, e->arm, false);
        md_strv_free(&meant);
        /* a split word still calls parse_dom0_mem() ("dom0_mem" alone:
         * with the value ""), which marks dom0_mem as given, so the built-in
         * one is not used; an unknown name leaves dom0_mem not given */
        char *named = no_mem_result(g, e, true);
        const char *split = e->arm ? "Xen on Arm gives dom0 512M ('PLEASE SPECIFY dom0_mem "
                                     "PARAMETER')"
                                   : "dom0 starts with nearly all host RAM";
        if (typo.kind == TYPO_SPLIT) {
            md_lint_add(g->l, at(g, x), x->line, x->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR, 4,
                        "%sthe Xen line has no dom0_mem: Xen does not read '%s' as dom0_mem: it "
                        "splits its line at spaces (parse_params(), xen/common/kernel.c), so "
                        "the space %s leaves '%s' with no value, which it refuses "
                        "(parse_dom0_mem(): no amount), and %s %s, so %s; write it as one "
                        "word, with no space: %s%s", tp, typo.as_written,
                        strchr(typo.as_written, '=') ? "beside the '='" : "in place of the '='",
                        typo.name, typo.rest,
                        strstr(typo.rest, " and ") ? "words of their own, unknown options"
                                                   : "a word of its own, an unknown option",
                        split, fix, hint);
        } else {
            const char *why = typo.kind == TYPO_CASE
                                  ? "parameter names are case-sensitive"
                              : typo.kind == TYPO_DASH
                                  ? "parameter names are matched exactly, and to Xen, unlike "
                                    "Linux, '-' is not '_'"
                                  : "parameter names are matched exactly: they are "
                                    "case-sensitive, and to Xen, unlike Linux, '-' is not '_'";
            md_lint_add(g->l, at(g, x), x->line, x->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR, 4,
                        "%sthe Xen line has no dom0_mem: Xen ignores '%s': %s (strcmp() in "
                        "parse_params(), xen/common/kernel.c; its boot log says: parameter "
                        "\"%s\" unknown!), so %s; use %s%s", tp, typo.as_written, why, typo.name,
                        named, fix, hint);
        }
        free(named);
        md_lint_fix(g->l, "%s", fix);
        typo_free(&typo);
        goto out;
    }
    if (!vals.n && builtin && !x->unset.n) {
        /* judged as Xen reads it, said as where it comes from; the fix, a
         * dom0_mem= on the Xen line, overrides it */
        md_strv_push(&vals, builtin);
        tp = own_tp = md_xasprintf("%sthe Xen line has no dom0_mem, so Xen uses the value built "
                                   "into the hypervisor %s (its CONFIG_DOM0_MEM), which a "
                                   "dom0_mem= on the Xen line overrides: ", tp, g->hv->path);
    } else if (!vals.n && builtin) {
        md_strv_push(&kv, builtin);
        fix = dom0_mem_fix(&kv, e->arm, false);
        md_lint_add(g->l, at(g, x), x->line, MD_LINT_WARNING, 4,
                    "%sthe Xen line has no dom0_mem: %s; write %s on the Xen line%s", tp, result,
                    fix, hint);
        md_lint_fix(g->l, "%s", fix);
        goto out;
    }
    if (!vals.n) {
        if (e->arm) {
            md_lint_add(g->l, at(g, x), x->line, x->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR, 4,
                        "%sthe Xen line has no dom0_mem: Xen on Arm requires it and otherwise "
                        "gives dom0 512M ('PLEASE SPECIFY dom0_mem PARAMETER'); add "
                        "dom0_mem=" ARM_REF_AMOUNT " (Arm takes one size, no max:)%s", tp, hint);
            md_lint_fix(g->l, "dom0_mem=" ARM_REF_AMOUNT);
        } else {
            md_lint_add(g->l, at(g, x), x->line, x->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR, 4,
                        "%sthe Xen line has no dom0_mem: dom0 starts with nearly all host RAM, "
                        "Linux sizes its memory map for all of it, and the PV domain builder "
                        "may put the initramfs where dom0 cannot reach it; add "
                        "dom0_mem=" REF_AMOUNT ",max:" REF_AMOUNT " to the Xen line%s", tp, hint);
            md_lint_fix(g->l, "dom0_mem=" REF_AMOUNT ",max:" REF_AMOUNT);
        }
        goto out;
    }
    for (size_t i = 0; i < vals.n && !own_tp; i++)
        if (from_variable(x, vals.v[i])) {
            md_lint_add(g->l, at(g, x), x->line, MD_LINT_WARNING, 4,
                        "%scannot check dom0_mem=%s on line %u: its value comes from %s", tp,
                        vals.v[i], x->line,
                        (strstr(vals.v[i], "$(") || strchr(vals.v[i], '`')) &&
                                md_strv_contains(&x->unset, CMD_OUTPUT)
                            ? "a command's output, which lint cannot evaluate"
                            : "a variable this file does not set");
            md_lint_fix(g->l, "write dom0_mem=SIZE,max:SIZE on line %u itself", x->line);
            md_lint_mark_unchecked(g->l);
            goto out;
        }
    fix = dom0_mem_fix(&vals, e->arm, false);
    if (e->arm) {
        check_arm_mem(g, e, &vals, tp, fix, own_tp != NULL);
        goto out;
    }
    /* Every word in order onto the same variables, as Xen does: a word Xen
     * refuses keeps the items before the refused one (parse_dom0_mem()
     * stores each item as parse_amt() accepts it and stops at the first it
     * refuses), and the later dom0_mem= words are parsed again (each word is
     * one call), so what a refusal costs is known only after the last word. */
    md_bootcfg_dom0mem m = { 0 };
    size_t refused_word = 0, refused_at = 0;
    char *refused_why = NULL;
    bool refused_had = false;
    for (size_t i = 0; i < vals.n; i++) {
        md_err bad = MD_ERR_INIT;
        size_t at = 0;
        bool had = m.amount.set || m.min.set || m.max.set;
        if (md_bootcfg_dom0_mem_apply(&m, vals.v[i], false, &at, &bad) < 0) {
            char *why = refusal_text(e, vals.v[i], at, bad.msg, own_tp != NULL);
            if (!refused_why) {
                refused_why = why, refused_word = i, refused_at = at, refused_had = had;
            } else {
                free(why);
            }
        }
    }
    if (refused_why) {
        /* What Xen ends up with decides how bad the refusal is: an error when
         * it leaves no amount or no max: (trap 4), else a warning, and what
         * Xen applied is judged below as any other value */
        char *lost = !m.max.set || !m.amount.set ? lost_items(x, &m) : NULL;
        dom0_mem_refused(g, e, vals.v[refused_word], refused_at, refused_why, tp, refused_had,
                         fix, lost);
        free(refused_why);
        if (lost) {
            free(lost);
            goto out;
        }
    }
    /* As written, for the messages: "4096M" or "4096M dom0_mem=max:4096M". */
    mem = md_strv_join(&vals, " dom0_mem=");
    const md_bootcfg_amount *all[] = { &m.amount, &m.max, &m.min };
    /* An amount that wraps (any of the three) before one read as octal. */
    for (int i = 0; i < 6; i++) {
        const md_bootcfg_amount *a = all[i % 3];
        if (!a->set || !(i < 3 ? a->wrapped : a->octal))
            continue;
        char *got = size_text(a->bytes);
        if (i < 3)
            md_lint_add(g->l, at(g, x), x->line, MD_LINT_ERROR, 4,
                        "%sdom0_mem=%s: %s does not fit in 64 bits; Xen's number reader "
                        "(simple_strtoull, parse_size_and_unit) does not check for overflow "
                        "and keeps the value modulo 2^64, so Xen reads %s%s; use %s", tp, mem,
                        a->text, got, a->bytes >> 12 ? "" : ", 0 pages", fix);
        else
            md_lint_add(g->l, at(g, x), x->line, MD_LINT_WARNING, 4,
                        "%sdom0_mem=%s: a leading 0 makes Xen read the number as octal "
                        "(simple_strtoull with base 0), so %s is %s to Xen; write sizes "
                        "without leading zeros: use %s (or %s, if you meant what Xen reads)", tp,
                        mem, a->text, got, fix, got);
        md_lint_fix(g->l, "%s", fix);
        free(got);
        goto out;
    }
    /* An amount of 0 pages is no amount to Xen: it picks its default. */
    bool zero_amount = zero_pages(&m.amount);
    if (zero_amount)
        m.amount.set = false;
    if (zero_pages(&m.min))
        m.min.set = false;
    const char *zero_note = zero_amount ? " (Xen takes an amount of 0 pages as not given: "
                                          "dom0_mem=0 sets nothing)" : "";
    /* A fixed size under 128 MiB is a unit forgotten (Xen reads "4096" as
     * KiB), a hex number's letters read as digits, or simply too small: no
     * dom0 kernel with its initramfs fits. */
    const md_bootcfg_amount *fixed[] = { &m.amount, &m.max };
    for (int i = 0; i < 2; i++) {
        const md_bootcfg_amount *a = fixed[i];
        if (a->set && !a->minus && !a->percent && a->bytes < (128u << 20)) {
            size_t tl = strlen(a->text);
            bool hex = strstr(a->text, "0x") || strstr(a->text, "0X");
            bool unitless = !hex && a->bytes && tl && isdigit((unsigned char)a->text[tl - 1]);
            char *f = unitless ? dom0_mem_fix(&vals, false, true) : md_xstrdup(fix);
            if (!(a->bytes >> 12))
                md_lint_add(g->l, at(g, x), x->line, MD_LINT_ERROR, 4,
                            "%sdom0_mem=%s: %s%s is 0 pages%s: Xen limits dom0 to 0 pages "
                            "and cannot build it; use %s", tp, mem, i ? "max:" : "", a->text,
                            zero_note, f);
            else
                md_lint_add(g->l, at(g, x), x->line, MD_LINT_ERROR, 4,
                            "%sdom0_mem=%s gives dom0 %s%llu KiB%s%s: far too little for a dom0 "
                            "kernel and its initramfs%s%s; use %s", tp, mem, i ? "at most " : "",
                            (unsigned long long)(a->bytes >> 10), i ? " (max:)" : "", zero_note,
                            unitless ? " (a number without a unit is KiB to Xen)" : "",
                            hex ? " (a 0x number is hex to Xen, so letters A-F in it are digits, "
                                  "not units)" : "", f);
            md_lint_fix(g->l, "%s", f);
            free(f);
            goto out;
        }
    }
    const char *base = m.amount.set ? m.amount.text : NULL;
    const char *max = m.max.set ? m.max.text : NULL;
    /* A relative amount under a fixed max: is capped by it (Xen lowers the
     * amount to max:, dom0_compute_nr_pages()), so it is no "no dom0_mem"
     * (trial10h case 5): below, with the other amounts under a max:. */
    const md_bootcfg_amount *rel = md_bootcfg_amount_relative(&m.max) ? &m.max
                                 : md_bootcfg_amount_relative(&m.amount) && !max ? &m.amount
                                 : NULL;
    uint64_t start = 0;
    bool pinned = md_bootcfg_dom0_mem_start(&m, &start);
    if (rel) {
        /* The fix is the user's fixed amount as both, REF_AMOUNT only when
         * the line has none (dom0_mem_fix): "2G,max:-1G" is 2G,max:2G. */
        char *what = relative_text(rel);
        if (rel == &m.max && base && !m.amount.minus) {
            char *start_t = m.amount.percent ? relative_text(&m.amount) : md_xstrdup(base);
            /* dom0 starts with the amount (Xen lowers it to max: only on a
             * host too small for it), but its maximum reservation, which
             * dom0 Linux sizes its memory map and struct pages for, grows
             * with host RAM */
            /* an error whatever the kind: a maximum that grows with the
             * host is the trap, -1G or 50% alike (fresh-user trial of #10,
             * 2026-12-03, case 1) */
            md_lint_add(g->l, at(g, x), x->line, MD_LINT_ERROR, 4,
                        "%sdom0_mem=%s: max:%s is %s (get_memsize() in "
                        "xen/arch/x86/dom0_build.c), so max: is not a fixed size: dom0 starts "
                        "with %s, %s its maximum grows with host RAM%s and dom0 Linux sizes its "
                        "struct-page array for that maximum%s; use %s", tp, mem, rel->text, what,
                        start_t, m.amount.percent ? "and" : "but", m.amount.percent ? " too" : "",
                        rel->minus ? " (128 GB host: ~2 GB of struct pages), so it dies in early "
                                     "boot"
                                   : ", not the fixed size that keeps dom0's memory map the same "
                                     "on every host",
                        fix);
            free(start_t);
        } else if (rel->minus) {
            md_lint_add(g->l, at(g, x), x->line, MD_LINT_ERROR, 4,
                        "%sdom0_mem=%s: %s%s is %s (get_memsize() in "
                        "xen/arch/x86/dom0_build.c), about what Xen gives dom0 without dom0_mem "
                        "(all RAM but min(1/16, 128M)), so it is the same as no dom0_mem: dom0 "
                        "starts with nearly all host RAM and Linux sizes its memory map for all "
                        "of it; use a fixed size: %s", tp, mem, rel == &m.max ? "max:" : "",
                        rel->text, what, fix);
        } else if (rel == &m.amount) {
            /* no max: at all: "If this is omitted then the maximum
             * reservation is unlimited" (docs/misc/xen-command-line.pandoc,
             * dom0_mem), the trap of "2G" with no max: (fresh-user trial of
             * #10, 2026-12-03, case 1: a warning, so exit 0) */
            md_lint_add(g->l, at(g, x), x->line, MD_LINT_ERROR, 4,
                        "%sdom0_mem=%s has no max:, and %s grows with host RAM (%s): dom0's "
                        "maximum reservation is unlimited, so dom0 Linux sizes its struct-page "
                        "array for all host RAM (128 GB host: ~33.5 M pages x 64 B = ~2 GB) and "
                        "dies in early boot; use %s", tp, mem, rel->text, what, fix);
        } else {
            md_lint_add(g->l, at(g, x), x->line, MD_LINT_ERROR, 4,
                        "%sdom0_mem=%s: max:%s grows with host RAM (%s), not the fixed size that "
                        "keeps dom0's memory map the same on every host; use %s", tp, mem,
                        rel->text, what, fix);
        }
        free(what);
        md_lint_fix(g->l, "%s", fix);
    } else if (!max && base) {
        char *note = loose_note(x);
        md_lint_add(g->l, at(g, x), x->line, MD_LINT_ERROR, 4,
                    "%sdom0_mem=%s has no max:%s, so dom0 Linux sizes its struct-page array "
                    "for all host RAM (128 GB host: ~33.5 M pages x 64 B = ~2 GB) and dies "
                    "in early boot; use %s", tp, mem, note, fix);
        free(note);
        md_lint_fix(g->l, "%s", fix);
    } else if (!max) {
        md_lint_add(g->l, at(g, x), x->line, MD_LINT_ERROR, 4,
                    "%sdom0_mem=%s sets neither an amount nor max:%s, so dom0 starts with "
                    "nearly all host RAM; use %s", tp, mem, zero_note, fix);
        md_lint_fix(g->l, "%s", fix);
    } else if (pinned && start >> 12 == m.max.bytes >> 12) {
        /* dom0 starts at max: on every host (min: included: "min:4G,1G,max:4G"
         * and "min:4G,max:4G" are 4G,max:4G to Xen, trial10h case 6); an
         * amount above max: is lowered to it, which the line does not say */
        /* "1G+99%,max:1G": the amount's size part alone reaches max: */
        bool grows = md_bootcfg_amount_relative(&m.amount) && !m.amount.minus &&
                     m.amount.bytes >> 12 >= start >> 12;
        if (base && (m.amount.bytes >> 12 > start >> 12 || grows)) {
            char *what = grows ? relative_text(&m.amount) : NULL;
            md_lint_add(g->l, at(g, x), x->line, MD_LINT_NOTE, 4,
                        "%sdom0_mem=%s: Xen lowers the amount (%s%s%s) to max: (%s), so dom0 "
                        "starts with %s%s; %s says so", tp, mem, base, grows ? ", " : "",
                        grows ? what : "", max, max, grows ? " on every host" : "", fix);
            md_lint_fix(g->l, "%s", fix);
            free(what);
        }
    } else if (pinned) {
        char *st = size_text(start);
        bool raised = m.min.set && base && start > m.amount.bytes;
        md_lint_add(g->l, at(g, x), x->line, MD_LINT_WARNING, 4,
                    "%sdom0_mem=%s: dom0 starts with %s%s%s%s and max: is %s: the two differ; "
                    "Linux sizes its memory map for max: and the design keeps them equal: use %s",
                    tp, mem, st,
                    raised ? " (the amount " : "", raised ? base : "",
                    raised ? " raised to min:, as Xen does)" : "", max, fix);
        md_lint_fix(g->l, "%s", fix);
        free(st);
    } else if (m.min.set && md_bootcfg_amount_relative(&m.min)) {
        /* below max: (else pinned above), so Xen's max(amount, min:) and
         * the start move with the host */
        char *what = relative_text(&m.min);
        md_lint_add(g->l, at(g, x), x->line, MD_LINT_WARNING, 4,
                    "%sdom0_mem=%s: min:%s is %s (get_memsize() in "
                    "xen/arch/x86/dom0_build.c), and Xen raises %s%s%s to it, so the size dom0 "
                    "starts with depends on host RAM, up to max: (%s); Linux sizes its memory "
                    "map for max: and the design keeps them equal: use %s", tp, mem,
                    m.min.text, what, base ? "the amount (" : "its own pick of the initial "
                    "size", base ? base : "", base ? ")" : "", max, fix);
        free(what);
        md_lint_fix(g->l, "%s", fix);
    } else if (md_bootcfg_amount_relative(&m.amount)) {
        /* Xen: nr_pages = min(get_memsize(amount, avail), max), counted in
         * pages; the size part is below max: (else pinned above) */
        const md_bootcfg_amount *a = &m.amount;
        uint64_t mx = m.max.bytes >> 12, sz = a->bytes >> 12, host;
        if (a->minus)
            host = ((mx + sz) * 100 + 99 - a->percent) / (100 - a->percent);
        else
            host = ((mx - sz) * 100 + a->percent - 1) / a->percent;
        /* "about": in whole MiB, as people size hosts */
        char *hs = size_text((host + 255) / 256 << 20), *what = relative_text(a);
        md_lint_add(g->l, at(g, x), x->line, MD_LINT_WARNING, 4,
                    "%sdom0_mem=%s: the amount %s is %s (get_memsize() in "
                    "xen/arch/x86/dom0_build.c), which Xen lowers to max: (%s), so dom0 starts "
                    "at max: on hosts with about %s or more and below it on smaller ones; Linux "
                    "sizes its memory map for max: and the design keeps them equal: use %s", tp,
                    mem, a->text, what, max, hs, fix);
        free(what);
        md_lint_fix(g->l, "%s", fix);
        free(hs);
    } else {
        md_lint_add(g->l, at(g, x), x->line, MD_LINT_WARNING, 4,
                    "%sdom0_mem=%s has max: but no amount%s%s%s%s, so Xen picks the initial "
                    "size; use %s so dom0 starts at the size Linux sized its memory map for",
                    tp, mem, zero_note, m.min.set ? " (min: " : "", m.min.set ? m.min.text : "",
                    m.min.set ? " is below max:, so it does not fix the start)" : "", fix);
        md_lint_fix(g->l, "%s", fix);
    }
out:
    free(fix);
    free(mem);
    free(result);
    free(own_tp);
    md_strv_free(&vals);
    md_strv_free(&kv);
    md_strv_free(&extra);
}

/* Is `w` a word Xen's line has for dom0_mem, or one meant as it: the name
 * in any case, with '-' for '_', quoted by GRUB ('"dom0_mem=...')? */
static bool dom0_mem_word(const char *w)
{
    static const char key[] = "dom0_mem";
    w += *w == '"';
    for (size_t j = 0; j < sizeof key - 1; j++)
        if (tolower((unsigned char)w[j]) != key[j] && !(key[j] == '_' && w[j] == '-'))
            return false;
    return !w[8] || w[8] == '=';
}

/* The line the dom0_mem text of Xen line `x` is written on when a
 * variable or a function's or menuentry's arguments brought it there
 * (every dom0_mem word of it from that one line), with the note that
 * names the line that uses it; 0 when it is written on x's own line. */
static unsigned dom0_mem_from(const md_bootcfg_entry *e, char **note)
{
    const md_bootcfg_file *x = &e->xen;
    unsigned from = 0;
    for (size_t i = 0; i < x->args.n; i++) {
        if (!dom0_mem_word(x->args.v[i]))
            continue;
        unsigned l = md_bootcfg_from_line(x, x->args.v[i]);
        if (!l || (from && l != from))
            return 0;
        from = l;
    }
    if (!from)
        return 0;
    bool grub = e->format == MD_BOOTFMT_UNKNOWN || e->format == MD_BOOTFMT_GRUB2;
    const char *loader = !grub ? "Xen" : x->mb2 ? "multiboot2" : "multiboot";
    if (x->call_line == from)
        *note = md_xasprintf(" (the value is written here, in the call of a function, and used "
                             "by the %s line %u of that function)", loader, x->line);
    else if (x->call_line)
        *note = md_xasprintf(" (the value is written here and used by the %s line %u of the "
                             "function called on line %u)", loader, x->line, x->call_line);
    else
        *note = md_xasprintf(" (the value is written here and used by the %s line %u)", loader,
                             x->line);
    return from;
}

static void check_xen_line(gctx *g, const md_bootcfg_entry *e, const char *tp)
{
    const md_bootcfg_file *x = &e->xen;
    if (e->xen_vars_unseen) {
        /* as the dom0 kernel line's trap 1 when GRUB_CMDLINE_LINUX is not
         * set here: the words are in a file lint has not read */
        md_lint_add(g->l, at(g, x), x->line, MD_LINT_WARNING, 4,
                    "%scannot check the Xen line: this file does not set its parameters "
                    "(GRUB_CMDLINE_XEN, GRUB_CMDLINE_XEN_DEFAULT); update-grub takes them from "
                    "/etc/default/grub or another file of /etc/default/grub.d: lint them "
                    "together, on one command line (or their directory), as update-grub "
                    "reads them", tp);
        md_lint_mark_unchecked(g->l);
        return;
    }
    char *hint = unknown_hint(&x->unset);
    check_unset(g, x, "the Xen line", tp);
    /* a finding on dom0_mem's text goes where that text is written, which
     * its fix replaces (issue 10) */
    char *note = NULL;
    unsigned from = dom0_mem_from(e, &note);
    if (from)
        md_lint_move(g->l, at(g, x), x->line, from, note);
    check_dom0_mem(g, e, tp, hint);
    md_lint_move(g->l, NULL, 0, 0, NULL);
    free(note);
    /* update-grub's recovery entry boots single-user, which runs no guests:
     * their grant tables do not matter there */
    if (!e->recovery && !md_bootcfg_param(x, "gnttab_max_frames", false)) {
        md_bootcfg_file ex = { .args = e->dom0_extra };
        md_lint_add(g->l, at(g, x), x->line, MD_LINT_WARNING, 4,
                    "%sno gnttab_max_frames on the Xen line%s: Xen's default (64 frames) runs "
                    "out with many guests and backends; the reference dom0 uses "
                    "gnttab_max_frames=256 gnttab_max_maptrack_frames=1024%s", tp,
                    md_bootcfg_param(&ex, "gnttab_max_frames", false)
                        ? " (the one after ' -- ' goes to dom0, not to Xen)" : "", hint);
        md_lint_fix(g->l, "gnttab_max_frames=256 gnttab_max_maptrack_frames=1024");
    }
    free(hint);
}

static bool is_printk_console(const char *v)
{
    /* ttyS0,115200  tty0  tty1  ttyAMA0  ttyUSB0 — anything but hvc/xvc */
    return !strncmp(v, "tty", 3) || !strncmp(v, "uart", 4) || !strncmp(v, "efi", 3);
}

/* Does word `w` start an early console that reaches dom0's printk through
 * Xen before hvc0 registers?  earlycon=xenboot[,...] on Arm and x86
 * (EARLYCON_DECLARE(xenboot) in drivers/tty/hvc/hvc_xen.c writes with
 * HYPERVISOR_console_io; setup_earlycon() in drivers/tty/serial/earlycon.c
 * takes the name then ',' or the end), and on x86 earlyprintk=xen[,keep]
 * (setup_early_printk(), arch/x86/kernel/early_printk.c, registers
 * xenboot_console; kernel-parameters.txt: "only ... Xen PV guests").
 * Arm Linux has no earlyprintk=xen: Arm reads earlycon= only. */
static bool is_xen_early_console(const char *w, bool arm)
{
    if (!strncmp(w, "earlycon=xenboot", 16) && (!w[16] || w[16] == ','))
        return true;
    return !arm && !strncmp(w, "earlyprintk=xen", 15) && (!w[15] || w[15] == ',');
}

static bool has_xen_early_console(const md_strv *args, bool arm)
{
    for (size_t i = 0; i < args->n; i++)
        if (is_xen_early_console(args->v[i], arm))
            return true;
    return false;
}

static void add_consoles(md_strv *cons, const md_strv *args)
{
    for (size_t i = 0; i < args->n; i++)
        if (!strncmp(args->v[i], "console=", 8))
            md_strv_push(cons, args->v[i] + 8);
}

/* Xen copies dom0's command line into dom0_cmdline[MAX_GUEST_CMDLINE]
 * (1024 with its NUL: xen/include/public/xen.h) with safe_strcpy/strcat,
 * which cut it at 1023 characters (create_dom0() in xen/arch/x86/setup.c,
 * 4.17 and 4.20): the words of md_bootcfg_dom0_args(e) past that are
 * dropped, the word across it cut.  The words Xen keeps go to `out` (all
 * of them when `all` is NULL: Arm, no cut), copied up to the cut only, so
 * a line of millions of words is not copied (issue 9); *all gets the whole
 * line joined (the caller frees).  Returns the offset of the first
 * dropped character, 0 if none. */
#define XEN_DOM0_CMDLINE_MAX 1023
static size_t dom0_cmdline(const md_bootcfg_entry *e, md_strv *out, char **all)
{
    const md_strv *src[2] = { &e->kernel.args, &e->dom0_extra };
    size_t off = 0, cut = 0, n = 0;
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < src[k]->n; i++) {
            const char *w = src[k]->v[i];
            size_t start = off + (n++ ? 1 : 0), len = strlen(w);
            if (all && !cut && start + len > XEN_DOM0_CMDLINE_MAX) {
                size_t keep = start < XEN_DOM0_CMDLINE_MAX ? XEN_DOM0_CMDLINE_MAX - start : 0;
                if (keep)
                    md_strv_pushf(out, "%.*s", (int)keep, w);
                cut = start + keep;
            } else if (!cut) {
                md_strv_push(out, w);
            }
            off = start + len;
        }
    if (all) {
        char *o = *all = md_xmalloc(off + 1);
        n = 0;
        for (int k = 0; k < 2; k++)
            for (size_t i = 0; i < src[k]->n; i++) {
                if (n++)
                    *o++ = ' ';
                size_t len = strlen(src[k]->v[i]);
                memcpy(o, src[k]->v[i], len);
                o += len;
            }
        *o = '\0';
    }
    return cut;
}

static void check_kernel_line(gctx *g, const md_bootcfg_entry *e, const char *tp)
{
    const md_bootcfg_file *k = &e->kernel;
    md_strv cons = { 0 }, args = { 0 };
    char *all = NULL;
    md_strv_pooled(&args); /* Arm: every word of the line */
    size_t cut = dom0_cmdline(e, &args, e->arm ? NULL : &all);
    if (!e->arm) {
        if (cut) {
            /* the cut word as written, from its start */
            size_t ws = cut;
            while (ws && all[ws - 1] != ' ')
                ws--;
            bool lost = strstr(all + ws, "console=") != NULL;
            md_lint_add(g->l, at(g, k), k->line, lost ? MD_LINT_ERROR : MD_LINT_WARNING, 1,
                        "%sthe dom0 command line is %zu characters long; Xen keeps only the "
                        "first %d (dom0_cmdline[MAX_GUEST_CMDLINE], 1024 with its NUL, in "
                        "create_dom0(), xen/arch/x86/setup.c) and drops everything from "
                        "'%.40s%s'%s; shorten it", tp, strlen(all), XEN_DOM0_CMDLINE_MAX,
                        all + ws, strlen(all + ws) > 40 ? "..." : "",
                        lost ? ", console= words included, so Linux never gets them" : "");
            md_lint_fix(g->l, "shorten the dom0 command line to at most %d characters",
                        XEN_DOM0_CMDLINE_MAX);
        }
        free(all);
    }
    /* Linux's own parameters: its quote rules (trial10c case 2), then
     * every word after "--" goes to init, not to the kernel (parse_args()
     * stops at "--": kernel/params.c, init/main.c;
     * Documentation/admin-guide/kernel-parameters.rst). */
    md_strv params = { 0 };
    md_bootfmt fmt = (md_bootfmt)e->format;
    ssize_t open = md_bootcfg_linux_params(&args, fmt == MD_BOOTFMT_GRUB2 ||
                                                      fmt == MD_BOOTFMT_UNKNOWN, &params);
    for (size_t i = 0; i < params.n; i++)
        if (!strcmp(params.v[i], "--")) {
            md_strv_truncate(&params, i);
            open = open >= (ssize_t)i ? -1 : open;
            break;
        }
    if (open >= 0) {
        const char *w = params.v[open];
        bool cons_lost = strstr(w, " console=") != NULL;
        md_lint_add(g->l, at(g, k), k->line, MD_LINT_WARNING, cons_lost ? 1 : 0,
                    "%sthe dom0 kernel line opens a quote it never closes, in '%.40s%s': Linux "
                    "reads everything from there to the end of its command line as one "
                    "parameter (next_arg() in lib/cmdline.c; %s)%s; close the quote", tp, w,
                    strlen(w) > 40 ? "..." : "",
                    fmt == MD_BOOTFMT_GRUB2 || fmt == MD_BOOTFMT_UNKNOWN
                        ? "GRUB 2 passes a '\"' of a word as '\\\"', and Linux knows no "
                          "backslash escapes"
                        : "this format passes a '\"' to Linux as it is", cons_lost ? ", so the console= words after it are "
                                                      "no console= of their own" : "");
        md_lint_fix(g->l, "close the quote");
    }
    add_consoles(&cons, &params);
    add_consoles(&cons, &k->maybe);
    bool early = has_xen_early_console(&params, e->arm) || has_xen_early_console(&k->maybe, e->arm);
    /* on Arm, x86 Linux's earlyprintk=xen, which Arm Linux ignores */
    bool x86_early = e->arm && !early && (has_xen_early_console(&params, false) ||
                                          has_xen_early_console(&k->maybe, false));
    md_strv_free(&params);
    md_strv_free(&args);
    char *hint = unknown_hint(&k->unset);
    check_unset(g, k, "the dom0 kernel line", tp);
    bool hvc = false, printk = false;
    for (size_t i = 0; i < cons.n; i++) {
        hvc |= is_hvc0(cons.v[i]);
        printk |= is_printk_console(cons.v[i]);
    }
    if (!cons.n && e->arm) {
        md_lint_add(g->l, at(g, k), k->line, MD_LINT_WARNING, 1,
                    "%sthe dom0 kernel line has no console=, so hvc0 is missing entirely and "
                    "the console depends on kernel defaults; add console=hvc0 for userspace%s "
                    "(on Arm the UART belongs to Xen: dom0 has no ttyS0)%s", tp,
                    early ? "" : " and earlycon=xenboot for printk", hint);
        md_lint_fix(g->l, early ? "console=hvc0" : "earlycon=xenboot console=hvc0");
    } else if (!cons.n) {
        md_lint_add(g->l, at(g, k), k->line, MD_LINT_WARNING, 1,
                    "%sthe dom0 kernel line has no console=, so hvc0 is missing entirely and "
                    "the console depends on kernel defaults; add console=ttyS0,115200 (or "
                    "console=tty0) for printk and console=hvc0 last for userspace%s", tp, hint);
        md_lint_fix(g->l, "console=ttyS0,115200 console=hvc0");
    } else if (!hvc && strchr(cons.v[cons.n - 1], ' ')) {
        /* "console=ttyS0,115200 console=hvc0" in quotes: one word, which
         * GRUB passes quoted and Linux's next_arg() (lib/cmdline.c) reads as
         * one parameter, its quotes stripped (trial10b case 1) */
        const char *v = cons.v[cons.n - 1];
        md_lint_add(g->l, at(g, k), k->line, k->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR, 1,
                    "%sthe dom0 kernel line has no console=hvc0: its argument \"console=%s\" is "
                    "quoted, so it is one word and Linux reads one console= whose value is "
                    "'%s' (next_arg() in lib/cmdline.c strips the quotes), not a console=hvc0; "
                    "under Xen PV the UART carries only kernel printk, so init's output and the "
                    "login go nowhere; write its words without the quotes: console=%s%s", tp, v,
                    v, v, hint);
        md_lint_fix(g->l, "console=%s", v);
    } else if (!hvc) {
        md_lint_add(g->l, at(g, k), k->line, k->unset.n ? MD_LINT_WARNING : MD_LINT_ERROR, 1,
                    "%sthe dom0 kernel line has console=%s but no console=hvc0: under Xen PV "
                    "the UART belongs to Xen and carries only kernel printk, so init's output "
                    "and the login go nowhere and the box looks frozen while it is up; add "
                    "console=hvc0 (last) to the dom0 kernel line%s",
                    tp, cons.v[cons.n - 1], hint);
        md_lint_fix(g->l, "console=hvc0 (last on the dom0 kernel line)");
    } else {
        /* on Arm the UART is Xen's and dom0 has no ttyS0: its early
         * printk goes through Xen (earlycon=xenboot) */
        if (!printk && !early && e->arm) {
            md_lint_add(g->l, at(g, k), k->line, MD_LINT_WARNING, 1,
                        "%sthe dom0 kernel line has console=hvc0 but no console for kernel "
                        "printk before hvc0 is up; on Arm the UART belongs to Xen, so add "
                        "earlycon=xenboot (Linux's early console through Xen's console, "
                        "drivers/tty/hvc/hvc_xen.c)%s", tp,
                        x86_early ? "; earlyprintk=xen is x86 Linux's "
                                    "(arch/x86/kernel/early_printk.c), Arm reads earlycon="
                                  : "");
            md_lint_fix(g->l, "earlycon=xenboot");
        } else if (!printk && !early) {
            md_lint_add(g->l, at(g, k), k->line, MD_LINT_WARNING, 1,
                        "%sthe dom0 kernel line has console=hvc0 but no console for kernel "
                        "printk before hvc0 is up; add console=ttyS0,115200 (or console=tty0) "
                        "before console=hvc0, or earlyprintk=xen", tp);
            md_lint_fix(g->l, "console=ttyS0,115200 before console=hvc0");
        }
        /* console= and console=null are ttynull since Linux 5.11
         * (console_setup(), kernel/printk/printk.c) */
        const char *last = !*cons.v[cons.n - 1] || !strcmp(cons.v[cons.n - 1], "null")
                               ? "ttynull" : cons.v[cons.n - 1];
        /* a console= in the Xen line's " -- " part comes after every word
         * of the kernel line: the word to move is there (trial10b case 11) */
        md_strv extra = { 0 };
        add_consoles(&extra, &e->dom0_extra);
        bool from_xen = extra.n && !strcmp(extra.v[extra.n - 1], cons.v[cons.n - 1]) &&
                        !k->maybe.n;
        md_strv_free(&extra);
        if (!is_hvc0(last) && from_xen) {
            md_lint_add(g->l, at(g, &e->xen), e->xen.line, MD_LINT_WARNING, 1,
                        "%sconsole=%s comes after console=hvc0: it is on the Xen line (line %u) "
                        "after ' -- ', and Xen appends those words to dom0's command line, after "
                        "the dom0 kernel line's own (create_dom0(), xen/arch/x86/setup.c), so "
                        "/dev/console is %s and init's messages do not reach hvc0; drop "
                        "console=%s from the Xen line's ' -- ' part (or end that part with "
                        "console=hvc0)", tp, cons.v[cons.n - 1], e->xen.line, last,
                        cons.v[cons.n - 1]);
            md_lint_fix(g->l, "console=hvc0 last after ' -- ' on the Xen line");
        } else if (!is_hvc0(last)) {
            md_lint_add(g->l, at(g, k), k->line, MD_LINT_WARNING, 1,
                        "%sconsole=%s comes after console=hvc0, so /dev/console is %s and "
                        "init's messages do not reach hvc0; put console=hvc0 last", tp,
                        cons.v[cons.n - 1], last);
            md_lint_fix(g->l, "console=hvc0 last");
        }
    }
    free(hint);
    md_strv_free(&cons);
}

/* How the entry's format loads `path` as a module Xen passes on compressed
 * (the rootfs), in that format's own syntax, in its Xen loader's family
 * (module2 after multiboot2, whatever the line had: a fix in the other
 * family would keep check_family's error).  Caller frees. */
static char *rootfs_line(const md_bootcfg_entry *e, const char *path)
{
    switch ((md_bootfmt)e->format) {
    case MD_BOOTFMT_GRUB_LEGACY:
        return md_xasprintf("modulenounzip %s", path); /* legacy has no --nounzip */
    case MD_BOOTFMT_IPXE:
        return md_xasprintf("module %s", path); /* iPXE hands files over as fetched */
    case MD_BOOTFMT_SYSLINUX:
        return md_xasprintf("--- %s (after the dom0 kernel on the APPEND line of mboot.c32)",
                            path);
    case MD_BOOTFMT_XEN_EFI:
        return md_xasprintf("ramdisk=%s", path);
    default:
        return md_xasprintf("%s --nounzip %s", e->arm      ? "xen_module"
                            : e->xen.mb2 ? "module2"
                                         : "module",
                            path);
    }
}

/* Is `t` an early-microcode archive, as the kernel's and Xen's loaders
 * find one (kernel/x86/microcode/<vendor>.bin: microcode_scan_module() in
 * xen/arch/x86/cpu/microcode/core.c), rather than a rootfs? */
static bool is_microcode_cpio(const md_tree *t)
{
    return !md_tree_resolve_file(t, "/init") && !md_tree_resolve_file(t, "/sbin/init") &&
           (md_tree_resolve_file(t, "/kernel/x86/microcode/GenuineIntel.bin") ||
            md_tree_resolve_file(t, "/kernel/x86/microcode/AuthenticAMD.bin"));
}

/* The module Xen hands dom0 is a microcode archive: the module order is
 * the fault (update-grub's 20_linux_xen writes early microcode first), and
 * the fix is the order, or ucode=<its index> so that Xen takes it
 * (md_bootcfg_initrd). */
static void microcode_first(gctx *g, const md_bootcfg_entry *e, long ri, const char *tp)
{
    const md_bootcfg_file *r = &e->mods[ri];
    bool next = (size_t)ri + 1 < e->nmods;
    char idx[32] = "";
    if (next)
        snprintf(idx, sizeof idx, "%ld", ri + 1);
    md_lint_add(g->l, at(g, &e->xen), e->xen.line, MD_LINT_ERROR, 0,
                "%sthe module Xen hands dom0 as its initramfs is %s (line %u), an early-"
                "microcode archive (kernel/x86/microcode/, no /init): Xen gives dom0 the first "
                "module after the kernel that ucode=<index> does not take (ucode=scan only reads "
                "it: microcode_grab_module() in xen/arch/x86/cpu/microcode/core.c), so dom0 "
                "starts without its rootfs and the kernel panics; the module order is the "
                "fault: load the rootfs module right after the dom0 kernel%s%s%s", tp, r->path,
                r->line, next ? ", or add ucode=" : "", idx,
                next ? " to the Xen line, so Xen takes that module as its microcode and hands "
                       "dom0 the next" : "");
    if (next)
        md_lint_fix(g->l, "ucode=%ld", ri + 1);
}

static void check_rootfs_module(gctx *g, const md_bootcfg_entry *e, long ri, const char *tp)
{
    const md_bootcfg_file *k = &e->kernel, *r = ri >= 0 ? &e->mods[ri] : NULL;
    if (!r) {
        if (!md_bootcfg_param(k, "root", true)) {
            /* an error: with neither an initramfs nor root=, Linux's
             * prepare_namespace() finds no root device and panics "VFS:
             * Unable to mount root fs on unknown-block(0,0)" (init/do_mounts.c);
             * and the rootfs traps (2, 3, 5) read beside the config were
             * checked on a file no entry loads (trial10y H3) */
            char *add = rootfs_line(e, "/rootfs.cpio.gz");
            md_lint_add(g->l, at(g, k), k->line, MD_LINT_ERROR, 0,
                        "%sno rootfs module after the dom0 kernel and no root= either: dom0 "
                        "has nothing to run (Linux panics 'VFS: Unable to mount root fs'), and "
                        "traps 2, 3 and 5 are not checked for this entry, which loads no "
                        "rootfs; add %s", tp, add);
            if (!g->no_rootfs_said) /* once a config: one note, not one per entry */
                md_lint_not_checked(g->l, g->file, "traps 2, 3 and 5 for the entry of line %u "
                                    "(and any other that loads no rootfs): no rootfs read "
                                    "holds its dom0", k->line);
            g->no_rootfs_said = true;
            free(add);
        }
        return;
    }
    if (!r->nounzip) {
        /* Linux unpacks a plain cpio as well: what costs is the room.  The
         * dom0 holds the archive Xen hands over in its own memory until it
         * has unpacked the root beside it (md_dom0mem_minimum_mib counts the
         * file as loaded, compressed: boot/dom0mem.h) */
        char *use = rootfs_line(e, r->path);
        md_lint_add(g->l, at(g, r), r->line, MD_LINT_WARNING, 0,
                    "%sthe rootfs module %s is loaded without %s: GRUB unpacks it in memory "
                    "and Xen passes the uncompressed archive, several times larger, to dom0; "
                    "the dom0 kernel unpacks that too, but for mkdom0's RAM-resident root "
                    "dom0 holds it in its memory until the root is unpacked beside it, so it "
                    "needs that much more dom0_mem than for the compressed file (what "
                    "Dom0Mem=auto counts) or cannot unpack its root: use '%s'", tp, r->path,
                    e->format == MD_BOOTFMT_GRUB_LEGACY ? "modulenounzip (GRUB legacy knows "
                                                          "no --nounzip)" : "--nounzip",
                    use);
        md_lint_fix(g->l, "%s", use);
        free(use);
    }
    if (!g->rootfs)
        return;
    if (is_microcode_cpio(g->rootfs)) {
        microcode_first(g, e, ri, tp);
        return;
    }
    const char *rd = md_bootcfg_param(k, "rdinit", true);
    if (rd) {
        const md_node *f = strchr(rd, '$') ? NULL : md_tree_resolve_file(g->rootfs, rd);
        if (!strchr(rd, '$') && !f)
            md_lint_add(g->l, at(g, k), k->line, MD_LINT_ERROR, 0,
                        "%srdinit=%s, but the rootfs has no such file: the kernel panics "
                        "(no working init found); point rdinit= at the init in the rootfs, "
                        "e.g. rdinit=/sbin/init", tp, rd);
        else if (f && !(md_node_attr(f)->mode & 0111))
            md_lint_add(g->l, at(g, k), k->line, MD_LINT_ERROR, 0,
                        "%srdinit=%s, but that file is mode %04o, not executable: the kernel "
                        "panics (no working init found); chmod 0755 it in the rootfs", tp, rd,
                        md_node_attr(f)->mode & 07777);
    } else if (!md_tree_resolve_file(g->rootfs, "/init")) {
        md_lint_add(g->l, at(g, k), k->line, MD_LINT_ERROR, 0,
                    "%sthe rootfs %s has no /init and the dom0 kernel line has no rdinit=: "
                    "Linux runs /init from an initramfs and otherwise tries to mount a root "
                    "disk; add rdinit=/sbin/init to the dom0 kernel line", tp, r->path);
    }
}

/* GRUB 2's module belongs to multiboot (v1), module2 to multiboot2 and, on
 * Arm, xen_module to xen_hypervisor (grub-core/loader/arm64/xen_boot.c):
 * after another family's loader, GRUB stops the entry ("you need to load
 * the kernel first") and dom0 never starts.  The reader marks module2
 * alone (mb2), so on Arm a module2 is the mismatch it sees. */
static void check_family(gctx *g, const md_bootcfg_entry *e, const char *tp)
{
    for (size_t i = 0; i < e->nmods + 1; i++) {
        const md_bootcfg_file *m = i == 0 ? &e->kernel : &e->mods[i - 1];
        if (!m->path || m->mb2 == e->xen.mb2)
            continue;
        const char *loader = e->arm ? "xen_hypervisor" : e->xen.mb2 ? "multiboot2" : "multiboot";
        const char *want = e->arm ? "xen_module" : e->xen.mb2 ? "module2" : "module";
        /* GRUB's words for it are multiboot's; Arm's GRUB may lack the
         * command altogether: said without a quote there */
        md_lint_add(g->l, at(g, m), m->line, MD_LINT_ERROR, 0,
                    "%s%s after %s (line %u): GRUB loads modules only with its own loader's "
                    "family and stops the entry%s, so dom0 never starts; use %s", tp,
                    m->mb2 ? "module2" : "module", loader, e->xen.line,
                    e->arm ? "" : " with 'you need to load the kernel first'", want);
        /* the whole line again, its --nounzip and parameters kept: the
         * fix replaces the line (trial 10: "module /boot/vmlinuz" lost
         * console=hvc0); Arm's is "module ..." with its loader's prefix */
        char *fix = md_bootcfg_module_line(m, e->xen.mb2);
        md_lint_fix(g->l, "%s%s", e->arm ? "xen_" : "", fix);
        free(fix);
        return;
    }
}

/* iPXE's multiboot loader (src/arch/x86/image/multiboot.c, ipxe/ipxe
 * 2026-08) copies every command line into one buffer,
 * mb_cmdlines[MB_MAX_CMDLINE] with MB_MAX_CMDLINE 512: multiboot_add_cmdline()
 * writes the image's URI, " ", its arguments and a NUL, cut to what remains;
 * Xen's line first, then each module's in order.  Cut `f`'s words to what it
 * gets when `*room` bytes remain; the URI is at least the path as written.
 * Returns the offset in "PATH ARGS" of the first lost character, 0 if none. */
#define IPXE_MB_MAX_CMDLINE 512
static size_t ipxe_cut(md_bootcfg_file *f, size_t *room, char **line)
{
    /* joined in place: a vector of copies of the words cost 40 bytes a
     * word (a line of a million words, issue 9) */
    const char *p = f->path ? f->path : "";
    size_t need = strlen(p) + 1;
    for (size_t i = 0; i < f->args.n; i++)
        need += strlen(f->args.v[i]) + 1;
    char *at = *line = md_xmalloc(need);
    at = stpcpy(at, p);
    for (size_t i = 0; i < f->args.n; i++)
        *at++ = ' ', at = stpcpy(at, f->args.v[i]);
    if (need <= *room) {
        *room -= need;
        return 0;
    }
    size_t keep = *room ? *room - 1 : 0; /* room for the NUL */
    *room = 0;
    size_t plen = strlen(f->path ? f->path : "") + 1, off = plen;
    size_t n = 0;
    for (; n < f->args.n; n++) {
        size_t len = strlen(f->args.v[n]);
        if (off + len > keep) {
            if (off < keep) {
                f->args.v[n][keep - off] = '\0';
                n++;
            }
            break;
        }
        off += len + 1;
    }
    md_strv_truncate(&f->args, n);
    return keep ? keep : 1;
}

static void check_entry_as_loaded(gctx *g, const md_bootcfg_entry *e);

/* An iPXE entry with its command lines as iPXE's 512-byte buffer leaves
 * them: a warning for each cut, then the checks on what Xen and dom0 get
 * (a dom0_mem or console= past the cut is missing to them). */
static void check_entry(gctx *g, const md_bootcfg_entry *e)
{
    if (e->format != MD_BOOTFMT_IPXE) {
        check_entry_as_loaded(g, e);
        return;
    }
    md_bootcfg_entry *c = md_bootcfg_entry_copy(e);
    md_bootcfg_file **files = md_xcalloc(e->nmods + 2, sizeof *files);
    const md_bootcfg_file **src = md_xcalloc(e->nmods + 2, sizeof *src);
    size_t nf = 0;
    src[nf] = &e->xen, files[nf++] = &c->xen;
    if (e->kernel.path)
        src[nf] = &e->kernel, files[nf++] = &c->kernel;
    for (size_t i = 0; i < c->nmods; i++)
        src[nf] = &e->mods[i], files[nf++] = &c->mods[i];
    size_t room = IPXE_MB_MAX_CMDLINE;
    char *tp = title_prefix(e);
    for (size_t i = 0; i < nf; i++) {
        char *line;
        size_t cut = ipxe_cut(files[i], &room, &line);
        /* a module's name alone means nothing to Xen or Linux: only lost
         * arguments count */
        size_t plen = strlen(files[i]->path ? files[i]->path : "") + 1;
        if (cut && src[i]->args.n && cut < plen)
            cut = plen;
        if (cut && src[i]->args.n) {
            size_t ws = cut;
            while (ws && line[ws - 1] != ' ')
                ws--;
            bool lost = strstr(line + ws, "console=") != NULL;
            md_lint_add(g->l, at(g, files[i]), files[i]->line, lost ? MD_LINT_ERROR : MD_LINT_WARNING,
                        lost ? 1 : 0,
                        "%siPXE passes every multiboot command line in one %d-byte buffer "
                        "(MB_MAX_CMDLINE in src/arch/x86/image/multiboot.c): the file names "
                        "(as URIs, cut least as long as written) and arguments of this entry "
                        "need more, so %s gets its line cut and loses everything from "
                        "'%.40s%s'%s; shorten the arguments or the file names", tp,
                        IPXE_MB_MAX_CMDLINE, files[i]->path ? files[i]->path : "the image",
                        line + ws, strlen(line + ws) > 40 ? "..." : "",
                        lost ? ", console= words included, so Linux never gets them" : "");
        }
        free(line);
    }
    free(tp);
    free(files);
    free(src);
    g->uncut = e;
    check_entry_as_loaded(g, c);
    g->uncut = NULL;
    md_bootcfg_entry_free(c);
}

/* GRUB's module2/module (iPXE's module alike) load ONE file: the first
 * word after the options; every word after it is that module's command
 * line (grub_cmd_module() in grub-core/loader/multiboot.c hands argv + 1
 * to grub_multiboot_add_module() as text).  "module2 --nounzip
 * /microcode.cpio /rootfs.cpio.gz", as 20_linux_xen wrote it until its 2022
 * fix (one module2 per initrd) with early microcode installed, loads the
 * microcode alone. */
static void check_module_words(gctx *g, const md_bootcfg_entry *e, const char *tp)
{
    long ri = md_bootcfg_initrd(e, NULL);
    for (size_t i = 0; i < e->nmods; i++) {
        const md_bootcfg_file *m = &e->mods[i];
        for (size_t j = 0; j < m->args.n; j++) {
            const char *w = m->args.v[j];
            if (w[0] != '/' && w[0] != '(')
                continue;
            bool plain = e->format == MD_BOOTFMT_IPXE || e->format == MD_BOOTFMT_GRUB_LEGACY;
            const char *cmd = plain ? "module" : e->arm ? "xen_module"
                            : m->mb2 ? "module2" : "module";
            md_lint_add(g->l, at(g, m), m->line, MD_LINT_ERROR, 0,
                        "%s%s loads one file: it loads %s and hands the words after it, '%s' "
                        "included, to Xen as that module's command line text, so %s is never "
                        "loaded%s%s%s; load each file with a %s line of its own, the rootfs "
                        "right after the dom0 kernel", tp, cmd, m->path, w, w,
                        (long)i == ri ? " and dom0's initramfs is " : "",
                        (long)i == ri ? m->path : "", (long)i == ri ? " alone" : "", cmd);
            break;
        }
    }
}

/* A GRUB 2 line that ends in '\' is joined with the next one (GRUB's
 * lexer reads backslash-newline as nothing, grub-core/script/yylex.l), so
 * "multiboot2 /xen.gz ... \" swallows the "module2 /vmlinuz ..." line
 * under it: that module2 never runs, its words are Xen's options, and the
 * next module becomes the dom0 kernel Xen cannot boot (trial10d case 21).
 * A loader command's name as a word of a file's line is that mistake. */
static void check_swallowed(gctx *g, const md_bootcfg_entry *e, const char *tp)
{
    static const char *const cmds[] = { "multiboot2", "module2", "multiboot", "module",
                                        "xen_hypervisor", "xen_module", NULL };
    if (e->format != MD_BOOTFMT_UNKNOWN && e->format != MD_BOOTFMT_GRUB2)
        return;
    for (size_t i = 0; i < e->nmods + 2; i++) {
        const md_bootcfg_file *f = i == 0 ? &e->xen : i == 1 ? &e->kernel : &e->mods[i - 2];
        if (!f->path)
            continue;
        for (size_t j = 0; j < f->args.n; j++) {
            int k = 0;
            while (cmds[k] && strcmp(cmds[k], f->args.v[j]))
                k++;
            if (!cmds[k])
                continue;
            md_lint_add(g->l, at(g, f), f->line, MD_LINT_ERROR, 0,
                        "%sthe %s line holds the word '%s'%s%s: a line that ends in '\\' is "
                        "joined with the next one (GRUB reads backslash-newline as nothing), so "
                        "that %s command never runs and its words are %s; %s", tp,
                        i == 0 ? "Xen" : i == 1 ? "dom0 kernel" : "module", cmds[k],
                        j + 1 < f->args.n ? " before " : "",
                        j + 1 < f->args.n ? f->args.v[j + 1] : "", cmds[k],
                        i == 0 ? "options to Xen, and the module after it becomes the dom0 "
                                 "kernel, which Xen cannot boot"
                               : "arguments of this file, which dom0 never loads",
                        "end the line before it without '\\'");
            return;
        }
    }
}

static void check_entry_as_loaded(gctx *g, const md_bootcfg_entry *e)
{
    char *tp = title_prefix(e);
    check_swallowed(g, e, tp);
    check_family(g, e, tp);
    check_xen_line(g, e, tp);
    if (!e->kernel.path) {
        md_bootfmt f = (md_bootfmt)e->format;
        const char *how = f == MD_BOOTFMT_GRUB_LEGACY || f == MD_BOOTFMT_IPXE
                              ? "module /vmlinuz ..."
                        : f == MD_BOOTFMT_SYSLINUX ? "--- /vmlinuz ... on the APPEND line"
                        : f == MD_BOOTFMT_XEN_EFI ? "kernel=/vmlinuz ..."
                        : e->arm ? "xen_module /vmlinuz ..."
                        : e->xen.mb2 ? "module2 /vmlinuz ..." : "module /vmlinuz ...";
        md_lint_add(g->l, at(g, &e->xen), e->xen.line, MD_LINT_ERROR, 0,
                    "%sthe Xen line is followed by no module: Xen needs the dom0 kernel as "
                    "its first module (%s)", tp, how);
    } else if (!*e->kernel.path && !e->kernel.line) {
        /* a format that names no dom0 kernel line (GRUB's defaults file
         * without GRUB_CMDLINE_LINUX): nothing of trap 1 to see here */
        md_lint_add(g->l, at(g, &e->xen), e->xen.line, MD_LINT_WARNING, 1,
                    "%scannot check the dom0 kernel line: this file does not set its "
                    "parameters (GRUB_CMDLINE_LINUX); update-grub takes them from "
                    "/etc/default/grub or another file of /etc/default/grub.d: lint them "
                    "together, on one command line (or their directory), as update-grub "
                    "reads them", tp);
        md_lint_mark_unchecked(g->l);
    } else {
        check_kernel_line(g, e, tp);
        check_rootfs_module(g, e, md_bootcfg_initrd(e, NULL), tp);
        check_module_words(g, e, tp);
    }
    free(tp);
}

void md_lint_entries(md_lint *l, const char *file, const md_bootcfg_list *cfg,
                     const md_tree *rootfs)
{
    md_lint_entries_hv(l, file, cfg, rootfs, NULL);
}

void md_lint_entries_hv(md_lint *l, const char *file, const md_bootcfg_list *cfg,
                        const md_tree *rootfs, const md_xen_version *const *hv)
{
    for (size_t i = 0; i < cfg->nproblems; i++) {
        const md_bootcfg_problem *p = &cfg->problems[i];
        md_lint_add(l, p->file ? p->file : file, p->line,
                    p->note ? MD_LINT_NOTE : p->warning ? MD_LINT_WARNING : MD_LINT_ERROR, p->trap,
                    "%s", p->msg);
        if (p->fix)
            md_lint_fix(l, "%s", p->fix);
        if (p->unchecked)
            md_lint_mark_unchecked(l);
    }
    /* With no entry at all, the block not followed is the reason there is
     * none: the caller says both in one error (md_lint_no_entry). */
    if (cfg->unread && cfg->n) {
        md_lint_add(l, file, cfg->unread_line, MD_LINT_WARNING, 0, "%s", cfg->unread);
        md_lint_mark_unchecked(l);
    }
    gctx g = { l, file, rootfs, NULL, NULL, NULL, NULL, false };
    size_t from = 0;
    for (size_t i = 0; i < cfg->n; i++) {
        size_t before = md_lint_count(l);
        g.prev = i ? cfg->v[i - 1] : NULL;
        g.cur = cfg->v[i];
        g.hv = hv ? hv[i] : NULL;
        check_entry(&g, cfg->v[i]);
        /* a recovery entry says only what its own lines change */
        if (cfg->v[i]->recovery)
            md_lint_drop_repeats(l, from, before, RECOVERY_PREFIX);
        from = before;
    }
}

void md_lint_grub(md_lint *l, const char *file, const char *text, size_t len,
                  const md_tree *rootfs)
{
    md_bootcfg_list cfg = { 0 };
    md_grubcfg_read(text, len, &cfg);
    md_lint_entries(l, file, &cfg, rootfs);
    if (!cfg.n) {
        char *why = md_lint_no_entry(&cfg, NULL);
        md_lint_add(l, file, cfg.unread ? cfg.unread_line : 0, MD_LINT_ERROR, 0, "%s", why);
        md_lint_mark_unchecked(l);
        free(why);
    }
    md_bootcfg_list_free(&cfg);
}

void md_lint_entry_files(const md_bootcfg_list *cfg, md_strv *xen, md_strv *rootfs)
{
    for (size_t i = 0; i < cfg->n; i++) {
        const md_bootcfg_entry *e = cfg->v[i];
        if (*e->xen.path && !md_strv_contains(xen, e->xen.path))
            md_strv_push(xen, e->xen.path);
        long ri = md_bootcfg_initrd(e, NULL);
        if (ri >= 0 && *e->mods[ri].path && !md_strv_contains(rootfs, e->mods[ri].path))
            md_strv_push(rootfs, e->mods[ri].path);
    }
}

char *md_lint_no_entry(const md_bootcfg_list *cfg, const char *read_as)
{
    char *as = read_as ? md_xasprintf("read as %s", read_as) : NULL;
    const char *sep = as ? "; " : "";
    char *m;
    if (cfg->unread && !cfg->unread_line) /* the whole file: MD_BOOTCFG_MAX_TEXT */
        m = md_xasprintf("%s%s%s: nothing was checked", as ? as : "", sep, cfg->unread);
    else if (cfg->unread)
        /* not "no entry" and "cannot check" side by side: the one reason */
        m = md_xasprintf("no Xen boot entry found in what lint could read (%s%sline %u: %s): "
                         "nothing was checked", as ? as : "", sep, cfg->unread_line, cfg->unread);
    else if (cfg->include)
        m = md_xasprintf("no Xen boot entry found%s%s%s: nothing was checked; line %u ('%.80s') "
                         "reads another file, where the entries may be: lint that file too",
                         as ? " (" : "", as ? as : "", as ? ")" : "", cfg->include_line,
                         cfg->include);
    else {
        /* what makes a Xen entry, in the terms of the format read (trial10h
         * case 9: GRUB's wording for every format sent users the wrong way) */
        static const struct {
            md_bootfmt f;
            const char *what;
        } none[] = {
            { MD_BOOTFMT_GRUB_DEFAULT, "no GRUB_CMDLINE_XEN, GRUB_CMDLINE_XEN_DEFAULT or "
                                       "GRUB_CMDLINE_LINUX_XEN_REPLACE assignment, so this file "
                                       "is not for Xen's entries" },
            { MD_BOOTFMT_EXTLINUX_SETTINGS, "no xen_opts= assignment, so this file says nothing "
                                            "of the Xen entry update-extlinux writes" },
            { MD_BOOTFMT_XEN_EFI, "no section with kernel= for the dom0 kernel" },
            { MD_BOOTFMT_SYSLINUX, "no label that runs mboot.c32 with an APPEND of Xen, '---' and "
                                   "the dom0 kernel" },
            { MD_BOOTFMT_IPXE, "no kernel line of a Xen image followed by a module line for the "
                               "dom0 kernel" },
            { MD_BOOTFMT_GRUB_LEGACY, "no kernel line of Xen followed by a module line for the "
                                      "dom0 kernel" },
        };
        const char *what = "no multiboot2/multiboot, xen_hypervisor or Xen loader line followed "
                           "by the dom0 kernel";
        for (size_t i = 0; read_as && i < sizeof none / sizeof *none; i++)
            if (!strcmp(read_as, md_bootfmt_name(none[i].f)))
                what = none[i].what;
        m = md_xasprintf("no Xen boot entry found (%s%s%s): nothing was checked", as ? as : "",
                         sep, what);
    }
    free(as);
    return m;
}
