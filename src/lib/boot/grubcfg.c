/* grubcfg — GRUB 2 configs: the reader and the writer (see grubcfg.h). */
#include "boot/grubcfg.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/mem.h"
#include "core/strv.h"

/* ---- lexing: the config as commands of words ---- */

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
    b->s = md_xgrow(b->s, &b->cap, b->n + 2, 1);
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
        o->v = md_xgrow(o->v, &o->cap, o->n + 1, sizeof *o->v);
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
    x->cur.bare = md_xgrow(x->cur.bare, &x->bare_cap, x->cur.w.n + 1, sizeof(bool));
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

typedef struct assignment {
    char *name;
    const char *val; /* borrowed from the command's word */
    size_t order;    /* assignments to one name keep the config's order */
} assignment;

/* Sorted by name, then order: each variable's values are one run. */
typedef struct vars {
    assignment *v;
    size_t n, cap;
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
    v->v = md_xgrow(v->v, &v->cap, v->n + 1, sizeof *v->v);
    v->v[v->n] = (assignment){ md_xasprintf("%.*s", (int)(eq - a), a), eq + 1, v->n };
    v->n++;
}

static int cmp_assignment(const void *pa, const void *pb)
{
    const assignment *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->order > b->order) - (a->order < b->order);
}

/* Index of the first assignment to `name`, or v->n. */
static size_t first_assignment(const vars *v, const char *name)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v->v[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->n && !strcmp(v->v[lo].name, name) ? lo : v->n;
}

static void vars_free(vars *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->v[i].name);
    free(v->v);
}

/* A file command's file and parameters: its own words after index `fi`, the
 * words of every value its variables were given, and the variables never
 * assigned in this config (environment, grubenv). */
static void read_file(const vars *v, const gcmd *c, size_t fi, md_bootcfg_file *f)
{
    f->line = c->line;
    f->path = md_xstrdup(fi < c->w.n ? c->w.v[fi] : "");
    for (size_t i = fi + 1; i < c->w.n; i++)
        md_strv_push(&f->args, c->w.v[i]);
    for (size_t k = 0; k < c->vars.n; k++) {
        size_t j = first_assignment(v, c->vars.v[k]); /* c->vars has each name once */
        if (j == v->n)
            md_strv_push(&f->unset, c->vars.v[k]);
        for (; j < v->n && !strcmp(v->v[j].name, c->vars.v[k]); j++)
            md_strv_split(&f->maybe, v->v[j].val, false);
    }
}

/* ---- entries ---- */

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

/* GRUB's own settings at the top level: serial --unit=N --speed=N and
 * timeout (mkdom0's values until the config says otherwise). */
typedef struct settings {
    unsigned serial_port, serial_baud, timeout;
} settings;

static void note_setting(settings *s, const gcmd *c)
{
    const char *w0 = c->w.v[0];
    if (!strcmp(w0, "serial")) {
        for (size_t i = 1; i < c->w.n; i++) {
            if (!strncmp(c->w.v[i], "--unit=", 7))
                s->serial_port = (unsigned)atoi(c->w.v[i] + 7) + 1;
            if (!strncmp(c->w.v[i], "--speed=", 8))
                s->serial_baud = (unsigned)atoi(c->w.v[i] + 8);
        }
    } else if (!strncmp(w0, "timeout=", 8)) {
        s->timeout = (unsigned)atoi(w0 + 8);
    } else if (!strcmp(w0, "set") && c->w.n > 1 && !strncmp(c->w.v[1], "timeout=", 8)) {
        s->timeout = (unsigned)atoi(c->w.v[1] + 8);
    }
}

static void add_entry(md_bootcfg_list *out, md_bootcfg_entry **cur)
{
    if (*cur)
        md_bootcfg_add_multiboot(out, *cur);
    *cur = NULL;
}

static void add_module(md_bootcfg_entry *e, const vars *v, const gcmd *c)
{
    size_t n = e->nmods;
    if (!(n & (n - 1))) /* 0 or a power of two: full, as the array doubles */
        e->mods = md_xrealloc(e->mods, (n ? 2 * n : 1) * sizeof *e->mods);
    md_bootcfg_file *m = &e->mods[e->nmods++];
    memset(m, 0, sizeof *m);
    size_t fi = file_index(c, &m->nounzip);
    m->mb2 = !strcmp(c->w.v[0], "module2");
    read_file(v, c, fi, m);
}

void md_grubcfg_read(const char *text, size_t len, md_bootcfg_list *out)
{
    gcmds cmds = { 0 };
    unsigned open_quote = lex(text, len, &cmds);
    if (open_quote) {
        out->problems = md_xrealloc(out->problems, (out->nproblems + 1) * sizeof *out->problems);
        out->problems[out->nproblems++] = (md_bootcfg_problem){
            open_quote, md_xstrdup("unterminated quote: GRUB rejects the rest of the file") };
    }
    vars v = { 0 };
    for (size_t i = 0; i < cmds.n; i++)
        note_assignment(&v, &cmds.v[i]);
    if (v.n)
        qsort(v.v, v.n, sizeof *v.v, cmp_assignment);

    size_t first = out->n;
    settings set = { 1, 115200, 3 };
    enum { MAXD = 32 };
    block st[MAXD];
    size_t depth = 0;
    bool pending_block = false;
    char *pending_title = NULL;
    md_bootcfg_entry *cur = NULL;
    for (size_t i = 0; i < cmds.n; i++) {
        const gcmd *c = &cmds.v[i];
        const char *w0 = c->w.v[0];
        bool opens = c->bare[c->w.n - 1] && !strcmp(c->w.v[c->w.n - 1], "{");
        if (c->bare[0] && !strcmp(w0, "}")) {
            add_entry(out, &cur);
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
            add_entry(out, &cur);
            if (depth < MAXD)
                st[depth++] = (block){ pending_title };
            else
                free(pending_title);
            pending_title = NULL;
            pending_block = false;
            continue;
        }
        pending_block = false;
        if (!depth)
            note_setting(&set, c);
        /* Arm: xen_hypervisor and xen_module (GRUB 2.02: xen_linux,
         * xen_initrd), a family of their own (mb2 false throughout). */
        bool arm = !strcmp(w0, "xen_hypervisor");
        bool mb = !strcmp(w0, "multiboot2") || !strcmp(w0, "multiboot") || arm;
        bool mod = !strcmp(w0, "module2") || !strcmp(w0, "module") ||
                   !strcmp(w0, "xen_module") || !strcmp(w0, "xen_linux") ||
                   !strcmp(w0, "xen_initrd");
        if (mb) {
            add_entry(out, &cur);
            cur = md_xcalloc(1, sizeof *cur);
            cur->title = path_title(st, depth);
            cur->arm = arm;
            cur->xen.mb2 = !strcmp(w0, "multiboot2");
            read_file(&v, c, file_index(c, NULL), &cur->xen);
        } else if (mod && cur) {
            add_module(cur, &v, c);
        }
    }
    add_entry(out, &cur);
    while (depth)
        free(st[--depth].title);
    free(pending_title);
    for (size_t i = first; i < out->n; i++) {
        out->v[i]->serial_port = set.serial_port;
        out->v[i]->serial_baud = set.serial_baud;
        out->v[i]->timeout = set.timeout;
    }
    vars_free(&v);
    gcmds_free(&cmds);
}

md_bootcfg_entry *md_grubcfg_boot_entry(const char *text, const char *origin, md_err *err)
{
    md_bootcfg_list l = { 0 };
    md_grubcfg_read(text, strlen(text), &l);
    md_bootcfg_entry *e = md_bootcfg_take_bootable(&l, origin, err);
    md_bootcfg_list_free(&l);
    return e;
}

/* ---- writing ---- */

/* "\tCMD PATH ARGS\n" appended to *text. */
static void write_file(char **text, const char *comment, const char *cmd,
                       const md_bootcfg_file *f)
{
    char *args = md_bootcfg_cmdline(&f->args);
    char *t = md_xasprintf("%s%s\t%s %s%s%s\n", *text, comment, cmd, f->path, *args ? " " : "",
                           args);
    free(args);
    free(*text);
    *text = t;
}

char *md_grubcfg_write(const md_bootcfg_entry *e)
{
    char *text = md_xasprintf(
        "# Generated by mkdom0.  GRUB loads these three files once; after the\n"
        "# hand-off nothing reads a disk again: the dom0 lives in RAM.\n"
        "serial --unit=%u --speed=%u\n"
        "terminal_input serial console\n"
        "terminal_output serial console\n"
        "set timeout=%u\n"
        "set default=0\n"
        "\n"
        "menuentry '%s' {\n"
        "\tinsmod multiboot2\n"
        "\tinsmod gzio\n"
        "\techo 'Loading Xen and the dom0 ...'\n",
        e->serial_port - 1, e->serial_baud, e->timeout, e->title);
    write_file(&text, "", "multiboot2", &e->xen);
    if (e->kernel.path)
        write_file(&text, "", "module2", &e->kernel);
    for (size_t i = 0; i < e->nmods; i++) {
        const md_bootcfg_file *m = &e->mods[i];
        if (m->nounzip)
            write_file(&text, "\t# --nounzip: Xen hands the compressed archive to Linux, which "
                              "unpacks it.\n", "module2 --nounzip", m);
        else
            write_file(&text, "", "module2", m);
    }
    char *t = md_xasprintf("%s}\n", text);
    free(text);
    return t;
}
