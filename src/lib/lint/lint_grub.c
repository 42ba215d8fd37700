/* lint_grub — traps 1 and 4 (and --nounzip, rdinit=) in GRUB configs.
 *
 * GRUB's script language is small enough to lex by hand, and no library
 * parses it: words, '…' and "…" quoting, backslash escapes and line
 * continuation, # comments, ';' and newlines between commands, { } blocks
 * for menuentry/submenu/function.  Variables stay as written in the words;
 * in addition, every value assigned anywhere in the file ("set x=…" or
 * "x=…") counts as a possible value of $x, so parameters that a generated
 * config keeps in variables are seen.  A variable the file never sets
 * (environment, grubenv) turns a missing-parameter error into a warning. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "lint/lint_int.h"
#include "core/mem.h"
#include "core/strv.h"

typedef struct gcmd {
    md_strv w;     /* words after quote removal; $vars kept as written */
    bool *bare;    /* per word: no quoting at all (a real { or }) */
    md_strv vars;  /* names of the variables the command references */
    unsigned line;
} gcmd;

typedef struct gcmds {
    gcmd *v;
    size_t n, cap;
} gcmds;

typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static void buf_put(buf *b, char c)
{
    if (b->n + 2 > b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->s = md_xrealloc(b->s, b->cap);
    }
    b->s[b->n++] = c;
    b->s[b->n] = '\0';
}

typedef struct lexer {
    const char *p, *end;
    unsigned line;
    gcmds *out;
    gcmd cur;
    size_t bare_cap;
    buf word;
    bool inword, wbare;
    unsigned word_line;
} lexer;

static void end_cmd(lexer *x)
{
    if (x->cur.w.n) {
        gcmds *o = x->out;
        if (o->n == o->cap) {
            o->cap = o->cap ? o->cap * 2 : 64;
            o->v = md_xrealloc(o->v, o->cap * sizeof *o->v);
        }
        o->v[o->n++] = x->cur;
    } else {
        md_strv_free(&x->cur.vars);
        free(x->cur.bare);
    }
    memset(&x->cur, 0, sizeof x->cur);
    x->bare_cap = 0;
}

static void push_word(lexer *x, const char *s, bool bare, unsigned line)
{
    if (!x->cur.w.n)
        x->cur.line = line;
    if (x->cur.w.n + 1 > x->bare_cap) {
        x->bare_cap = x->bare_cap ? x->bare_cap * 2 : 8;
        x->cur.bare = md_xrealloc(x->cur.bare, x->bare_cap * sizeof(bool));
    }
    x->cur.bare[x->cur.w.n] = bare;
    md_strv_push(&x->cur.w, s);
}

static void end_word(lexer *x)
{
    if (!x->inword)
        return;
    const char *s = x->word.s ? x->word.s : "";
    if (x->wbare && !strcmp(s, "}")) {
        /* "}" closes a block: a command of its own. */
        end_cmd(x);
        push_word(x, s, true, x->word_line);
        end_cmd(x);
    } else {
        push_word(x, s, x->wbare, x->word_line);
        if (x->wbare && !strcmp(s, "{"))
            end_cmd(x);
    }
    x->word.n = 0;
    if (x->word.s)
        x->word.s[0] = '\0';
    x->inword = false;
}

static void start_word(lexer *x)
{
    if (!x->inword) {
        x->inword = true;
        x->wbare = true;
        x->word_line = x->line;
    }
}

/* $name, ${name}, $1, $? — appended to the word as written. */
static void lex_var(lexer *x)
{
    const char *p = x->p + 1, *name, *nend;
    if (p < x->end && *p == '{') {
        name = p + 1;
        nend = memchr(name, '}', (size_t)(x->end - name));
        if (!nend) {
            buf_put(&x->word, '$');
            x->p++;
            return;
        }
        p = nend + 1;
    } else {
        name = p;
        while (p < x->end && (isalnum((unsigned char)*p) || *p == '_'))
            p++;
        if (p == name && p < x->end && strchr("?#@*", *p))
            p++;
        nend = p;
    }
    for (const char *q = x->p; q < p; q++)
        buf_put(&x->word, *q);
    if (nend > name) {
        char *n = md_xasprintf("%.*s", (int)(nend - name), name);
        if (!md_strv_contains(&x->cur.vars, n))
            md_strv_push(&x->cur.vars, n);
        free(n);
    }
    x->p = p;
}

/* Returns the line of an unterminated quote, 0 if none. */
static unsigned lex(const char *text, size_t len, gcmds *out)
{
    lexer x = { .p = text, .end = text + len, .line = 1, .out = out };
    enum { NONE, SQ, DQ } st = NONE;
    unsigned qline = 0;
    while (x.p < x.end) {
        char c = *x.p;
        bool more = x.p + 1 < x.end;
        if (st == SQ) {
            if (c == '\'')
                st = NONE;
            else
                buf_put(&x.word, c);
            x.line += c == '\n';
            x.p++;
            continue;
        }
        if (st == DQ) {
            if (c == '"') {
                st = NONE;
                x.p++;
            } else if (c == '\\' && more && x.p[1] == '\n') {
                x.line++;
                x.p += 2;
            } else if (c == '\\' && more && strchr("$\"\\", x.p[1])) {
                buf_put(&x.word, x.p[1]);
                x.p += 2;
            } else if (c == '$') {
                lex_var(&x);
            } else {
                buf_put(&x.word, c);
                x.line += c == '\n';
                x.p++;
            }
            continue;
        }
        switch (c) {
        case '\\':
            if (more && x.p[1] == '\n') {
                x.line++;
                x.p += 2;
                continue;
            }
            start_word(&x);
            x.wbare = false;
            buf_put(&x.word, more ? x.p[1] : '\\');
            x.p += more ? 2 : 1;
            continue;
        case ' ': case '\t': case '\r': case '\f': case '\v':
            end_word(&x);
            break;
        case '\n':
            end_word(&x);
            end_cmd(&x);
            x.line++;
            break;
        case ';':
            end_word(&x);
            end_cmd(&x);
            break;
        case '#':
            if (!x.inword) {
                while (x.p < x.end && *x.p != '\n')
                    x.p++;
                continue;
            }
            buf_put(&x.word, c);
            break;
        case '\'':
        case '"':
            start_word(&x);
            x.wbare = false;
            st = c == '\'' ? SQ : DQ;
            qline = x.line;
            break;
        case '$':
            start_word(&x);
            lex_var(&x);
            continue;
        default:
            start_word(&x);
            buf_put(&x.word, c);
            break;
        }
        x.p++;
    }
    end_word(&x);
    end_cmd(&x);
    free(x.word.s);
    return st != NONE ? qline : 0;
}

static void gcmds_free(gcmds *c)
{
    for (size_t i = 0; i < c->n; i++) {
        md_strv_free(&c->v[i].w);
        md_strv_free(&c->v[i].vars);
        free(c->v[i].bare);
    }
    free(c->v);
}

/* ---- variables: every value assigned anywhere counts as possible ---- */

typedef struct vars {
    md_strv names, vals;
} vars;

static void note_assignment(vars *v, const gcmd *c)
{
    const char *a = NULL;
    if (!strcmp(c->w.v[0], "set") && c->w.n >= 2)
        a = c->w.v[1];
    else if (isalpha((unsigned char)c->w.v[0][0]) || c->w.v[0][0] == '_')
        a = c->w.v[0];
    if (!a)
        return;
    const char *eq = strchr(a, '=');
    if (!eq || eq == a)
        return;
    for (const char *q = a; q < eq; q++)
        if (!isalnum((unsigned char)*q) && *q != '_')
            return;
    char *n = md_xasprintf("%.*s", (int)(eq - a), a);
    md_strv_push_own(&v->names, n);
    md_strv_push(&v->vals, eq + 1);
}

/* The words a command passes after index `from`: its own words plus the
 * words of every value its variables were given.  Variables never assigned
 * in this file (environment, grubenv) go to `unknown`. */
static void effective_args(const vars *v, const gcmd *c, size_t from, md_strv *out,
                           md_strv *unknown)
{
    for (size_t i = from; i < c->w.n; i++)
        md_strv_push(out, c->w.v[i]);
    for (size_t k = 0; k < c->vars.n; k++) {
        bool found = false;
        for (size_t j = 0; j < v->names.n; j++)
            if (!strcmp(v->names.v[j], c->vars.v[k])) {
                md_strv_split(out, v->vals.v[j], false);
                found = true;
            }
        if (!found && unknown && !md_strv_contains(unknown, c->vars.v[k]))
            md_strv_push(unknown, c->vars.v[k]);
    }
}

/* ---- one boot: the Xen line and the modules after it ---- */

typedef struct gmod {
    unsigned line;
    char *file;
    bool nounzip, mb2; /* module2 (multiboot2) or legacy module */
    md_strv args, unknown;
} gmod;

typedef struct gboot {
    bool active;
    char *title;      /* "Debian>Xen 4.17", or NULL outside menuentries */
    unsigned line;
    char *file;
    md_strv args, unknown;
    gmod mods[8];
    size_t nmod;
} gboot;

typedef struct gctx {
    md_lint *l;
    const char *file;
    const md_tree *rootfs;
    size_t nboots;
} gctx;

static void boot_clear(gboot *b)
{
    free(b->title);
    free(b->file);
    md_strv_free(&b->args);
    md_strv_free(&b->unknown);
    for (size_t i = 0; i < b->nmod; i++) {
        free(b->mods[i].file);
        md_strv_free(&b->mods[i].args);
        md_strv_free(&b->mods[i].unknown);
    }
    memset(b, 0, sizeof *b);
}

/* Last value of parameter `key` ('-' and '_' alike, as Xen and Linux treat
 * them), or NULL. */
static const char *param(const md_strv *args, const char *key)
{
    const char *val = NULL;
    size_t kn = strlen(key);
    for (size_t i = 0; i < args->n; i++) {
        const char *a = args->v[i];
        if (strlen(a) <= kn || a[kn] != '=')
            continue;
        bool same = true;
        for (size_t j = 0; j < kn && same; j++)
            same = a[j] == key[j] || (strchr("-_", a[j]) && strchr("-_", key[j]));
        if (same)
            val = a + kn + 1;
    }
    return val;
}

static char *title_prefix(const gboot *b)
{
    return b->title ? md_xasprintf("menuentry '%s': ", b->title) : md_xstrdup("");
}

static char *unknown_hint(const md_strv *unknown)
{
    if (!unknown->n)
        return md_xstrdup("");
    return md_xasprintf(" (the line also uses $%s, which this file never sets; if it "
                        "supplies the parameter, ignore this)", unknown->v[0]);
}

/* A size as Xen parses it (default unit KiB); -1 if not a plain size. */
static long long xen_size(const char *s)
{
    if (!isdigit((unsigned char)*s))
        return -1;
    char *e;
    long long v = strtoll(s, &e, 10);
    int shift = 10;
    switch (toupper((unsigned char)*e)) {
    case 'T': shift = 40; e++; break;
    case 'G': shift = 30; e++; break;
    case 'M': shift = 20; e++; break;
    case 'K': shift = 10; e++; break;
    case 'B': shift = 0; e++; break;
    default: break;
    }
    if (*e || v < 0 || v > (1LL << 22))
        return -1;
    return v << shift;
}

/* 4096M, 4G, 1048576 (KiB), -1G, 10%, 1G+10%: what Xen's dom0_mem takes. */
static bool valid_amount(const char *a)
{
    if (!*a || !(isdigit((unsigned char)*a) || *a == '-'))
        return false;
    for (; *a; a++)
        if (!isalnum((unsigned char)*a) && !strchr("%+-", *a))
            return false;
    return true;
}

static void check_dom0_mem(gctx *g, const gboot *b, const char *tp, const char *hint)
{
    const char *mem = param(&b->args, "dom0_mem");
    if (!mem) {
        md_lint_add(g->l, g->file, b->line, b->unknown.n ? MD_LINT_WARNING : MD_LINT_ERROR, 4,
                    "%sthe Xen line has no dom0_mem: dom0 starts with nearly all host RAM, "
                    "Linux sizes its memory map for all of it, and the PV domain builder "
                    "may put the initramfs where dom0 cannot reach it; add "
                    "dom0_mem=4096M,max:4096M to the Xen line%s", tp, hint);
        return;
    }
    if (strchr(mem, '$'))
        return; /* set through a variable we could not see: nothing to judge */
    char *base = NULL, *max = NULL, *bad = NULL;
    md_strv parts = { 0 };
    for (const char *p = mem;;) {
        size_t n = strcspn(p, ",");
        md_strv_push_own(&parts, md_xasprintf("%.*s", (int)n, p));
        if (!p[n])
            break;
        p += n + 1;
    }
    for (size_t i = 0; i < parts.n; i++) {
        char *a = parts.v[i];
        if (!strncmp(a, "max:", 4))
            a = max = a + 4;
        else if (!strncmp(a, "min:", 4))
            a += 4;
        else
            base = a;
        if (!valid_amount(a) && !bad)
            bad = a;
    }
    if (bad) {
        md_lint_add(g->l, g->file, b->line, MD_LINT_ERROR, 4,
                    "%sdom0_mem=%s: '%s' is not an amount Xen understands (a size like "
                    "4096M, or a percentage); use dom0_mem=4096M,max:4096M", tp, mem, bad);
        md_strv_free(&parts);
        return;
    }
    if (!max && base) {
        md_lint_add(g->l, g->file, b->line, MD_LINT_ERROR, 4,
                    "%sdom0_mem=%s has no max:, so dom0 Linux sizes its struct-page array "
                    "for all host RAM (128 GB host: ~33.5 M pages x 64 B = ~2 GB) and dies "
                    "in early boot; use dom0_mem=%s,max:%s", tp, mem, base, base);
    } else if (!max) {
        md_lint_add(g->l, g->file, b->line, MD_LINT_ERROR, 4,
                    "%sdom0_mem=%s sets neither an amount nor max:; use "
                    "dom0_mem=4096M,max:4096M", tp, mem);
    } else if (!base) {
        md_lint_add(g->l, g->file, b->line, MD_LINT_WARNING, 4,
                    "%sdom0_mem=%s has max: but no amount, so Xen picks the initial size; "
                    "use dom0_mem=%s,max:%s so dom0 starts at the size Linux sized its "
                    "memory map for", tp, mem, max, max);
    } else {
        long long bs = xen_size(base), ms = xen_size(max);
        bool same = (bs >= 0 && ms >= 0) ? bs == ms : !strcasecmp(base, max);
        if (!same)
            md_lint_add(g->l, g->file, b->line, MD_LINT_WARNING, 4,
                        "%sdom0_mem=%s: the amount (%s) and max: (%s) differ; Linux sizes "
                        "its memory map for max: and the design keeps them equal: use "
                        "dom0_mem=%s,max:%s", tp, mem, base, max, base, base);
    }
    md_strv_free(&parts);
}

static void check_xen_line(gctx *g, const gboot *b, const char *tp)
{
    char *hint = unknown_hint(&b->unknown);
    check_dom0_mem(g, b, tp, hint);
    if (!param(&b->args, "gnttab_max_frames"))
        md_lint_add(g->l, g->file, b->line, MD_LINT_WARNING, 4,
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

static void check_kernel_line(gctx *g, const gboot *b, const gmod *k, const char *tp)
{
    md_strv cons = { 0 };
    for (size_t i = 0; i < k->args.n; i++)
        if (!strncmp(k->args.v[i], "console=", 8))
            md_strv_push(&cons, k->args.v[i] + 8);
    char *hint = unknown_hint(&k->unknown);
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
        md_lint_add(g->l, g->file, k->line, k->unknown.n ? MD_LINT_WARNING : MD_LINT_ERROR, 1,
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

static void check_rootfs_module(gctx *g, const gboot *b, const gmod *k, const gmod *r,
                                const char *tp)
{
    if (!r) {
        if (!param(&k->args, "root"))
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
                    tp, r->file, r->mb2 ? "module2" : "module", r->file);
    if (!g->rootfs)
        return;
    const char *rd = param(&k->args, "rdinit");
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
                    "disk; add rdinit=/sbin/init to the dom0 kernel line", tp, r->file);
    }
}

static bool ci_contains(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (!strncasecmp(s, needle, n))
            return true;
    return false;
}

static void check_boot(gctx *g, gboot *b)
{
    if (!b->active)
        return;
    const char *f = b->file ? b->file : "";
    const char *base = strrchr(f, '/') ? strrchr(f, '/') + 1 : f;
    bool tboot = ci_contains(base, "tboot");
    size_t k0 = tboot ? 1 : 0;
    bool xen = ci_contains(base, "xen") || param(&b->args, "dom0_mem") ||
               (tboot && b->nmod > 0 && ci_contains(b->mods[0].file, "xen")) ||
               (b->nmod > 0 && !ci_contains(base, "memtest") && !tboot);
    if (!xen) {
        boot_clear(b);
        return;
    }
    g->nboots++;
    char *tp = title_prefix(b);
    if (tboot) {
        /* tboot measures Xen: Xen is the first module, its args are Xen's. */
        if (b->nmod) {
            md_strv_free(&b->args);
            md_strv_free(&b->unknown);
            b->args = b->mods[0].args;
            b->unknown = b->mods[0].unknown;
            b->line = b->mods[0].line;
            memset(&b->mods[0].args, 0, sizeof b->mods[0].args);
            memset(&b->mods[0].unknown, 0, sizeof b->mods[0].unknown);
        }
    }
    check_xen_line(g, b, tp);
    if (b->nmod <= k0) {
        md_lint_add(g->l, g->file, b->line, MD_LINT_ERROR, 0,
                    "%sthe Xen line is followed by no module: Xen needs the dom0 kernel as "
                    "its first module (module2 /vmlinuz ...)", tp);
    } else {
        check_kernel_line(g, b, &b->mods[k0], tp);
        check_rootfs_module(g, b, &b->mods[k0], b->nmod > k0 + 1 ? &b->mods[k0 + 1] : NULL, tp);
    }
    free(tp);
    boot_clear(b);
}

/* "module2 [--nounzip] [--type=X] FILE ARGS..." -> index of FILE (or n). */
static size_t file_index(const gcmd *c, bool *nounzip)
{
    size_t i = 1;
    for (; i < c->w.n && !strncmp(c->w.v[i], "--", 2); i++)
        if (nounzip && !strcmp(c->w.v[i], "--nounzip"))
            *nounzip = true;
    return i;
}

typedef struct block {
    char *title; /* NULL for function and unknown blocks */
    bool entry;
} block;

/* menuentry/submenu title: the first word that is not an option. */
static const char *entry_title(const gcmd *c)
{
    static const char *const with_arg[] = { "--class", "--users", "--hotkey", "--id", NULL };
    for (size_t i = 1; i < c->w.n; i++) {
        const char *w = c->w.v[i];
        if (!strncmp(w, "--", 2)) {
            for (int j = 0; with_arg[j]; j++)
                if (!strcmp(w, with_arg[j]))
                    i++;
            continue;
        }
        if (c->bare[i] && !strcmp(w, "{"))
            break;
        return w;
    }
    return "";
}

static char *path_title(const block *st, size_t depth)
{
    char *t = NULL;
    for (size_t i = 0; i < depth; i++) {
        if (!st[i].title)
            continue;
        char *n = t ? md_xasprintf("%s>%s", t, st[i].title) : md_xstrdup(st[i].title);
        free(t);
        t = n;
    }
    return t;
}

void md_lint_grub(md_lint *l, const char *file, const char *text, size_t len,
                  const md_tree *rootfs)
{
    gcmds cmds = { 0 };
    unsigned open_quote = lex(text, len, &cmds);
    if (open_quote)
        md_lint_add(l, file, open_quote, MD_LINT_ERROR, 0,
                    "unterminated quote: GRUB rejects the rest of the file");
    gctx g = { l, file, rootfs, 0 };
    vars v = { { 0 }, { 0 } };
    for (size_t i = 0; i < cmds.n; i++)
        note_assignment(&v, &cmds.v[i]);

    enum { MAXD = 32 };
    block st[MAXD];
    size_t depth = 0;
    bool pending_block = false;
    char *pending_title = NULL;
    gboot b = { 0 };
    for (size_t i = 0; i < cmds.n; i++) {
        const gcmd *c = &cmds.v[i];
        const char *w0 = c->w.v[0];
        bool opens = c->bare[c->w.n - 1] && !strcmp(c->w.v[c->w.n - 1], "{");
        if (c->bare[0] && !strcmp(w0, "}")) {
            check_boot(&g, &b);
            if (depth)
                free(st[--depth].title);
            continue;
        }
        bool entry = !strcmp(w0, "menuentry") || !strcmp(w0, "submenu");
        if (entry || !strcmp(w0, "function") || (pending_block && c->bare[0] && !strcmp(w0, "{"))) {
            if (entry || !strcmp(w0, "function")) {
                free(pending_title);
                pending_title = entry ? md_xstrdup(entry_title(c)) : NULL;
            }
            if (!opens) {
                pending_block = true;
                continue;
            }
            check_boot(&g, &b);
            if (depth < MAXD)
                st[depth++] = (block){ pending_title, pending_title != NULL };
            else
                free(pending_title);
            pending_title = NULL;
            pending_block = false;
            continue;
        }
        pending_block = false;
        bool mb = !strcmp(w0, "multiboot2") || !strcmp(w0, "multiboot");
        bool mod = !strcmp(w0, "module2") || !strcmp(w0, "module");
        if (mb) {
            check_boot(&g, &b);
            size_t fi = file_index(c, NULL);
            b.active = true;
            b.title = path_title(st, depth);
            b.line = c->line;
            b.file = md_xstrdup(fi < c->w.n ? c->w.v[fi] : "");
            effective_args(&v, c, fi + 1, &b.args, &b.unknown);
        } else if (mod && b.active && b.nmod < sizeof b.mods / sizeof *b.mods) {
            gmod *m = &b.mods[b.nmod++];
            size_t fi = file_index(c, &m->nounzip);
            m->line = c->line;
            m->mb2 = !strcmp(w0, "module2");
            m->file = md_xstrdup(fi < c->w.n ? c->w.v[fi] : "");
            effective_args(&v, c, fi + 1, &m->args, &m->unknown);
        }
    }
    check_boot(&g, &b);
    while (depth)
        free(st[--depth].title);
    free(pending_title);
    if (!g.nboots)
        md_lint_add(l, file, 0, MD_LINT_WARNING, 0,
                    "no entry boots Xen (no multiboot2/multiboot command followed by the dom0 "
                    "kernel module): nothing to check");
    md_strv_free(&v.names);
    md_strv_free(&v.vals);
    gcmds_free(&cmds);
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

void md_lint_grub_files(const char *text, size_t len, md_strv *xen, md_strv *rootfs)
{
    gcmds cmds = { 0 };
    lex(text, len, &cmds);
    size_t nmod = 0;
    bool in_boot = false;
    for (size_t i = 0; i < cmds.n; i++) {
        const gcmd *c = &cmds.v[i];
        const char *w0 = c->w.v[0];
        size_t fi = file_index(c, NULL);
        if (!strcmp(w0, "multiboot2") || !strcmp(w0, "multiboot")) {
            in_boot = true;
            nmod = 0;
            if (fi < c->w.n && !md_strv_contains(xen, c->w.v[fi]))
                md_strv_push(xen, c->w.v[fi]);
        } else if (in_boot && (!strcmp(w0, "module2") || !strcmp(w0, "module"))) {
            if (++nmod == 2 && fi < c->w.n && !md_strv_contains(rootfs, c->w.v[fi]))
                md_strv_push(rootfs, c->w.v[fi]);
        } else if (c->bare[0] && !strcmp(w0, "}")) {
            in_boot = false;
        }
    }
    gcmds_free(&cmds);
}
