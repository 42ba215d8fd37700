/* grubcfg — GRUB 2 configs: the reader and the writer (see grubcfg.h). */
#include "boot/grubcfg.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/hindex.h"
#include "core/mem.h"
#include "core/strv.h"

/* ---- lexing: the config as commands of words ---- */

/* Variable references in a word's template: VAR_BARE or VAR_QUOTED, the
 * reference as written ("$x", "${x}"), VAR_END.  Those bytes in the text
 * itself become a literal '?' in the template (they mean nothing to GRUB's
 * scripts).  GLOB_LIT before a '*' or '?' of the text: quoted or escaped, so
 * no wildcard (GRUB escapes a quoted part before it expands wildcards:
 * grub_script_arglist_to_argv(), grub-core/script/execute.c). */
#define VAR_BARE '\x01'
#define VAR_QUOTED '\x02'
#define VAR_END '\x03'
#define GLOB_LIT '\x04'

/* Every word of the config is one record in one buffer (gcmds.s): a flag
 * byte (REC, and REC_BARE for a word with no quoting at all: a real { or
 * }), the word after quote removal ($vars kept as written) NUL-ended, then,
 * only when they differ, the word's template (variables marked) NUL-ended.
 * A command is where its first record starts and its line: its words are
 * the records up to the next command's.  A config of one-letter words so
 * costs some 4 bytes a word, where a string, a template pointer and a vector
 * slot of its own for each word, and vectors for each command, made a 16
 * MiB grub.cfg take 1 to 2 GB (issue 9). */
enum { REC = 0x40, REC_BARE = 1, REC_TPL = 2 };

typedef struct gcmdref {
    uint32_t off;           /* its first record in gcmds.s */
    uint32_t line : 31;
    uint32_t opens : 1;     /* it opens a block (find_blocks): in blocks.v */
} gcmdref;

typedef struct gcmds {
    char *s;                /* the records */
    size_t len, cap;
    gcmdref *v;
    size_t n, vcap;
    bool count;             /* lex's first pass: len and n counted, no record */
} gcmds;

/* One command's words as the runner reads them: where the records of
 * every STEP-th word start (in the store's records, or in `own` for a
 * command made here), and the last word looked up, from which the next is
 * a step: 4 bytes a word made a line of millions of one-letter words take
 * twice its size again while it ran (issue 9). */
enum { STEP = 16 };
typedef struct gcmd {
    const char *s;
    uint32_t *w;            /* the record of word k * STEP */
    size_t n, cap;          /* n: words */
    unsigned line;
    size_t at;              /* the word looked up last, ... */
    const char *atp;        /* ... its record (NULL: none) */
    char *own;              /* records of a command made here (cmd_add) */
    size_t own_len, own_cap;
} gcmd;

static const char *rec_end(const char *p)
{
    const char *w = p + 1;
    w += strlen(w) + 1;
    if (*p & REC_TPL)
        w += strlen(w) + 1;
    return w;
}

/* The record of word k of `c` (k < c->n). */
static const char *rec(const gcmd *c, size_t k)
{
    const char *p;
    size_t i;
    if (c->atp && k >= c->at && k - c->at < STEP)
        p = c->atp, i = c->at;
    else
        p = c->s + c->w[k / STEP], i = k / STEP * STEP;
    for (; i < k; i++)
        p = rec_end(p);
    gcmd *m = (gcmd *)c; /* the cache only: every gcmd is a variable */
    m->at = k, m->atp = p;
    return p;
}

/* Word k of `c`, its template (the word itself when it has no variable),
 * whether it is unquoted.  Valid while `c`'s records are: the store's for
 * the whole read. */
static const char *W(const gcmd *c, size_t k)
{
    return rec(c, k) + 1;
}

static const char *T(const gcmd *c, size_t k)
{
    const char *p = rec(c, k), *w = p + 1;
    return *p & REC_TPL ? w + strlen(w) + 1 : w;
}

static bool B(const gcmd *c, size_t k)
{
    return *rec(c, k) & REC_BARE;
}

static void put_rec(char **s, size_t *len, size_t *cap, const char *w, const char *t, bool bare)
{
    size_t wl = strlen(w) + 1, tl = strcmp(w, t) ? strlen(t) + 1 : 0;
    *s = md_xgrow(*s, cap, *len + 1 + wl + tl, 1);
    char *p = *s + *len;
    *p = (char)(REC | (bare ? REC_BARE : 0) | (tl ? REC_TPL : 0));
    memcpy(p + 1, w, wl);
    memcpy(p + 1 + wl, t, tl);
    *len += 1 + wl + tl;
}

/* Note word c->n, whose record is at offset `off` of c->s. */
static void cmd_note(gcmd *c, size_t off)
{
    if (c->n % STEP == 0) {
        c->w = md_xgrow(c->w, &c->cap, c->n / STEP + 1, sizeof *c->w);
        c->w[c->n / STEP] = (uint32_t)off;
    }
    c->n++;
}

/* The words of command i of `g` into `c` (whose old ones it drops): with
 * `max`, only the first max of them (lead_kw and the blocks look at few). */
static void cmd_open(const gcmds *g, size_t i, size_t max, gcmd *c)
{
    c->s = g->s;
    c->n = 0;
    c->atp = NULL;
    c->line = g->v[i].line;
    const char *p = g->s + g->v[i].off, *end = g->s + (i + 1 < g->n ? g->v[i + 1].off : g->len);
    for (; p < end && c->n < max; p = rec_end(p))
        cmd_note(c, (size_t)(p - g->s));
}

/* Append a word to a command made here (command_name's). */
static void cmd_add(gcmd *c, const char *w, const char *t, bool bare)
{
    size_t off = c->own_len;
    put_rec(&c->own, &c->own_len, &c->own_cap, w, t, bare);
    c->s = c->own;
    c->atp = NULL; /* own may have moved */
    cmd_note(c, off);
}

static void cmd_free(gcmd *c)
{
    free(c->w);
    free(c->own);
    memset(c, 0, sizeof *c);
}

/* Done with the words of the command in `c`: they stay for the next one,
 * unless there were many (no frame keeps the room of a long line). */
static void cmd_done(gcmd *c)
{
    c->n = 0;
    c->own_len = 0;
    c->atp = NULL;
    if (c->cap > 256 || c->own_cap > 4096)
        cmd_free(c);
}

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

static void buf_clear(buf *b)
{
    b->n = 0;
    if (b->s)
        b->s[0] = '\0';
}

typedef struct lexer {
    const char *p, *end;
    unsigned line;
    gcmds *out;
    bool incmd;             /* a word of the current command is in out->s */
    buf word, tword;
    bool inword, wbare;
    unsigned word_line;
} lexer;

static bool is_mark(char c)
{
    return !c || c == VAR_BARE || c == VAR_QUOTED || c == VAR_END || c == GLOB_LIT;
}

/* A character of the current word: quoted or escaped (`lit`), a '*' or '?'
 * is no wildcard. */
static void put_as(lexer *x, char c, bool lit)
{
    buf_put(&x->word, c);
    if (is_mark(c) || (lit && (c == '*' || c == '?'))) {
        buf_put(&x->tword, GLOB_LIT);
        c = is_mark(c) ? '?' : c;
    }
    buf_put(&x->tword, c);
}

/* A character of the current word, unquoted. */
static void put(lexer *x, char c)
{
    put_as(x, c, false);
}

/* A quoted or escaped one. */
static void put_q(lexer *x, char c)
{
    put_as(x, c, true);
}

static void end_cmd(lexer *x)
{
    x->incmd = false;
}

static void push_word(lexer *x, const char *s, const char *t, bool bare, unsigned line)
{
    gcmds *o = x->out;
    if (o->count) {
        o->n += !x->incmd;
        o->len += 1 + strlen(s) + 1 + (strcmp(s, t) ? strlen(t) + 1 : 0);
        x->incmd = true;
        return;
    }
    if (!x->incmd) {
        o->v = md_xgrow(o->v, &o->vcap, o->n + 1, sizeof *o->v);
        o->v[o->n++] = (gcmdref){ .off = (uint32_t)o->len, .line = line & 0x7fffffff };
        x->incmd = true;
    }
    put_rec(&o->s, &o->len, &o->cap, s, t, bare);
}

static void end_word(lexer *x)
{
    if (!x->inword)
        return;
    const char *s = x->word.s ? x->word.s : "";
    const char *t = x->tword.s ? x->tword.s : "";
    if (x->wbare && !strcmp(s, "}")) {
        /* "}" closes a block: a command of its own. */
        end_cmd(x);
        push_word(x, s, t, true, x->word_line);
        end_cmd(x);
    } else {
        push_word(x, s, t, x->wbare, x->word_line);
        if (x->wbare && !strcmp(s, "{"))
            end_cmd(x);
    }
    buf_clear(&x->word);
    buf_clear(&x->tword);
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

/* $name, ${name}, $1, $? — appended to the word as written, and to the
 * template marked as a variable (inside "…" when `quoted`). */
static void lex_var(lexer *x, bool quoted)
{
    const char *p = x->p + 1, *name, *nend;
    if (p < x->end && *p == '{') {
        name = p + 1;
        nend = memchr(name, '}', (size_t)(x->end - name));
        if (!nend) {
            put(x, '$');
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
    if (nend == name) {
        put(x, '$');
        x->p++;
        return;
    }
    buf_put(&x->tword, quoted ? VAR_QUOTED : VAR_BARE);
    for (const char *q = x->p; q < p; q++) {
        buf_put(&x->word, *q);
        buf_put(&x->tword, is_mark(*q) ? '?' : *q);
    }
    buf_put(&x->tword, VAR_END);
    x->p = p;
}

/* One pass of lex(). */
static unsigned lex_pass(const char *text, size_t len, gcmds *out)
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
                put_q(&x, c);
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
                put_q(&x, x.p[1]);
                x.p += 2;
            } else if (c == '$') {
                lex_var(&x, true);
            } else {
                put_q(&x, c);
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
            put_q(&x, more ? x.p[1] : '\\');
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
            put(&x, c);
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
            lex_var(&x, false);
            continue;
        default:
            start_word(&x);
            put(&x, c);
            break;
        }
        x.p++;
    }
    end_word(&x);
    end_cmd(&x);
    free(x.word.s);
    free(x.tword.s);
    return st != NONE ? qline : 0;
}

/* The commands of `text` into `out` (zeroed).  Returns the line of an
 * unterminated quote, 0 if none.  Counted first, then written into room
 * of just that size: grown by doubling, a big config's records and
 * commands were held twice over while they were copied (issue 9). */
static unsigned lex(const char *text, size_t len, gcmds *out)
{
    gcmds count = { .count = true };
    lex_pass(text, len, &count);
    out->s = md_xmalloc(count.len + 1);
    out->cap = count.len + 1;
    out->v = md_xmalloc((count.n + 1) * sizeof *out->v);
    out->vcap = count.n + 1;
    return lex_pass(text, len, out);
}

static void gcmds_free(gcmds *c)
{
    free(c->s);
    free(c->v);
}

/* ---- variables: their values when a line runs ----
 *
 * GRUB runs grub.cfg's top level in order, then a chosen menuentry's body
 * (normal/menu.c): a body sees the variables as the whole top level left
 * them, changed by its own commands before the line.  A value is known when
 * every assignment before the line ran for sure; an assignment inside if,
 * while, until, for or a function may or may not run, so the variable is
 * uncertain from there on: its possible values are kept (a file's `maybe`)
 * and the line that uses it cannot be checked (its `unset`). */

/* Nesting followed, the longest value, the most bytes of values in one
 * command followed, and the most commands run in function calls in all (a
 * function calling itself twice would run 2^MAX_DEPTH times).  65,536
 * commands are hundreds of times what a real grub.cfg runs in calls; the
 * 1,048,576 before took 2 to 3 s under the fuzz build's sanitizers and
 * past its 10 s limit on a loaded machine (trial 9m: `make fuzz` failed
 * on the corpus's own trial10c-function-recursion.cfg).  Nor more than 64
 * MiB of their words (records): a body of one line of millions of words,
 * called 65,536 times, ran for hours (issue 9). */
enum { MAX_DEPTH = 32, MAX_VALUE = MD_GRUBCFG_MAX_VALUE, MAX_LINE = 1024 * 1024,
       MAX_CALLED = 64 * 1024, MAX_CALLED_MIB = 64 };

/* A variable: 24 bytes and its name's, a short value within them, as a
 * config may set a million (issue 9: "set vN=a" 1.2 million times took
 * 17 times the file's size). */
typedef struct gvar {
    uint32_t name;          /* offset of its name in its state's names */
    uint32_t line : 27;     /* where it was last assigned (0: never); the
                               text (MD_BOOTCFG_MAX_TEXT) has fewer lines */
    uint32_t uncertain : 1;
    uint32_t opaque : 1;    /* a value too long to follow: never known */
    uint32_t exported : 2;  /* EXP_NO, EXP_YES, EXP_MAYBE (export inside an if) */
    uint32_t inl : 1;       /* the value is val.in, else val.heap */
    union {
        char *heap;
        char in[8];
    } val;                  /* the value when known (gval; NULL: none) */
    struct gmaybe *maybe;   /* when uncertain: every value it may have (NULL:
                               none) */
} gvar;

/* The values a variable may have, each once (idx finds them by hash: a
 * loop over a million words made them a trillion compares), and their
 * bytes in all (expand_one's budget, asked on every use). */
typedef struct gmaybe {
    md_strv v;
    md_hindex idx;
    size_t bytes;
} gmaybe;

/* GRUB's `export NAME` (grub_env_export(), grub-core/kern/env.c) marks a
 * variable global; a new environment context copies only the global ones
 * (grub_env_new_context(), grub-core/normal/context.c: "if (var->global ||
 * export_all)", export_all 0 for grub_env_context_open()), which
 * grub_menu_execute_entry() (grub-core/normal/menu.c) opens for a submenu:
 * inside it, an unexported variable of the level around it is empty
 * (trial10g 1).  Fedora's and RHEL's GRUB ("Export all variables from the
 * initial context when creating a submenu") and EVE-OS's copy them all;
 * upstream, Debian's and Ubuntu's do not. */
enum { EXP_NO, EXP_YES, EXP_MAYBE };

/* What GRUB itself sets and exports before it reads grub.cfg
 * (kern/main.c, normal/main.c, gettext, net): global wherever the config
 * assigns them. */
static bool grub_exports(const char *name)
{
    static const char *const names[] = { "root", "prefix", "fw_path", "config_file",
                                         "config_directory", "pager", "color_normal",
                                         "color_highlight", "grub_cpu", "grub_platform",
                                         "lang", "locale_dir", "secondary_locale_dir",
                                         "check_signatures", "chosen", "net_default_server",
                                         "net_default_interface", "net_default_ip",
                                         "net_default_mac", "pxe_default_server",
                                         "btrfs_subvol", "btrfs_subvolid", "lockdown",
                                         "shim_lock", NULL };
    for (int i = 0; names[i]; i++)
        if (!strcmp(name, names[i]))
            return true;
    return false;
}

/* Push `s` to `sv` (if not NULL) unless it is there.  `idx` (kept with sv,
 * which only grows) finds it by hash: compared with every name before it,
 * a line of a million variables made a trillion compares. */
static void push_once(md_strv *sv, md_hindex *idx, const char *s)
{
    if (!sv)
        return;
    if (sv->n < 16 && !idx->n) { /* a few: no index (a variable's 128 bytes) */
        if (!md_strv_contains(sv, s))
            md_strv_push(sv, s);
        return;
    }
    for (size_t i = idx->n; i < sv->n; i++) /* pushed since: indexed now */
        md_hindex_add(idx, md_hindex_hash(sv->v[i], strlen(sv->v[i])), i);
    uint64_t h = md_hindex_hash(s, strlen(s));
    for (size_t it = 0, i; (i = md_hindex_next(idx, h, &it)) != SIZE_MAX;)
        if (!strcmp(sv->v[i], s))
            return;
    md_strv_push(sv, s);
}

/* A variable as a new context shows it: not exported, so empty there, or
 * exported only on some paths, so not known.  Only read (var_get without
 * create returns them; with create the new context's own is a copy). */
static gvar hidden_empty = { .inl = 1, .val.in = "" };
static gvar hidden_maybe = { .uncertain = 1, .opaque = 1 };

/* The value of `g`, or NULL; a short one lies in g itself, so it is valid
 * until its state gets another variable. */
static const char *gval(const gvar *g)
{
    return g->inl ? g->val.in : g->val.heap;
}

/* Set g's value to a copy of `v` (NULL: none). */
static void gval_set(gvar *g, const char *v)
{
    if (!g->inl)
        free(g->val.heap);
    size_t n = v ? strlen(v) : 0;
    g->inl = v && n < sizeof g->val.in;
    if (g->inl)
        memcpy(g->val.in, v, n + 1);
    else
        g->val.heap = v ? md_xstrdup(v) : NULL;
}

static size_t gmaybe_n(const gvar *g)
{
    return g->maybe ? g->maybe->v.n : 0;
}

static const char *gmaybe_at(const gvar *g, size_t k)
{
    return g->maybe->v.v[k];
}

/* Add `v` to g's possible values (with `once`, unless it is one). */
static void gmaybe_push(gvar *g, const char *v, bool once)
{
    if (!g->maybe) {
        g->maybe = md_xcalloc(1, sizeof *g->maybe);
        md_strv_pooled(&g->maybe->v);
    }
    gmaybe *m = g->maybe;
    size_t n = m->v.n;
    push_once(&m->v, &m->idx, v);
    if (!once && m->v.n == n)
        md_strv_push(&m->v, v); /* a repeat, as asked (var_get's copy) */
    if (m->v.n > n)
        m->bytes += strlen(v);
}

static void gmaybe_free(gvar *g)
{
    if (g->maybe) {
        md_strv_free(&g->maybe->v);
        md_hindex_free(&g->maybe->idx);
    }
    free(g->maybe);
    g->maybe = NULL;
}

/* Bytes of values expanded in all (MD_GRUBCFG_MAX_EXPANDED), shared by
 * every state of one config. */
typedef struct gbudget {
    size_t used;
    unsigned line;      /* the line being run */
    unsigned over_line; /* the first line a value was not followed at for it */
    md_strv hidden;     /* variables the line being read took as hidden_empty */
    md_hindex hidx;     /* hidden's (push_once) */
    /* A word of a variable's value whose text is written on another line
     * than the assignment ("set m=dom0_mem=2G" on line 4, then "set
     * opts=\"$m q\"" on line 6: opts's dom0_mem=2G is written on line 4,
     * where its fix goes): by assignment line and word (word_origin) */
    struct worigin {
        unsigned at, line;
        char *word;
    } *wo;
    size_t nwo, wocap;
    md_hindex woidx;
    /* what expands wildcards (glob_words): the finder (NULL: none) and
     * where what it cannot expand is said */
    const md_grubcfg_files *files;
    md_bootcfg_list *out;
    size_t globs; /* the finder's glob calls (MD_GRUBCFG_MAX_GLOBS) */
} gbudget;

/* The most word_origin records of a read: a config of a million such
 * assignments must not cost a record each (issue 9); past it a word is
 * placed on its variable's assignment line. */
enum { MAX_WORIGIN = 64 * 1024 };

static uint64_t worigin_hash(unsigned at, const char *word)
{
    return md_hindex_hash(word, strlen(word)) ^ ((uint64_t)at * 0x9e3779b97f4a7c15u);
}

static struct worigin *worigin_find(const gbudget *b, unsigned at, const char *word)
{
    for (size_t it = 0, i; (i = md_hindex_next(&b->woidx, worigin_hash(at, word), &it)) != SIZE_MAX;)
        if (b->wo[i].at == at && !strcmp(b->wo[i].word, word))
            return &b->wo[i];
    return NULL;
}

/* The line word `word` of a value assigned on line `at` is written on. */
static unsigned word_origin(const gbudget *b, unsigned at, const char *word)
{
    const struct worigin *o = b->nwo ? worigin_find(b, at, word) : NULL;
    return o ? o->line : at;
}

static void worigin_put(gbudget *b, unsigned at, const char *word, unsigned line)
{
    struct worigin *o = worigin_find(b, at, word);
    if (o) {
        o->line = line;
    } else if (b->nwo < MAX_WORIGIN) {
        b->wo = md_xgrow(b->wo, &b->wocap, b->nwo + 1, sizeof *b->wo);
        b->wo[b->nwo] = (struct worigin){ at, line, md_xstrdup(word) };
        md_hindex_add(&b->woidx, worigin_hash(at, word), b->nwo++);
    }
}

static void budget_free(gbudget *b)
{
    md_strv_free(&b->hidden);
    md_hindex_free(&b->hidx);
    for (size_t i = 0; i < b->nwo; i++)
        free(b->wo[i].word);
    free(b->wo);
    md_hindex_free(&b->woidx);
}

/* The variables as a body sees them: its own assignments over those of the
 * state it started from (`up`, left unchanged while it runs), so a body
 * costs what it assigns, not a copy of every variable (trial 9c: thousands
 * of menu entries each copied the whole state). */
typedef struct gstate {
    gvar *v;
    size_t n, cap;
    char *names;   /* the names of v, NUL-ended */
    size_t nlen, ncap;
    md_hindex idx; /* v by name */
    const struct gstate *up;
    bool context;  /* a new GRUB environment context (a submenu's): of `up`
                      it sees the exported variables only */
    gbudget *budget;
} gstate;

static const char *var_name(const gstate *s, const gvar *g)
{
    return s->names + g->name;
}

static gvar *var_here(const gstate *s, const char *name, uint64_t h)
{
    for (size_t it = 0, i; (i = md_hindex_next(&s->idx, h, &it)) != SIZE_MAX;)
        if (!strcmp(var_name(s, &s->v[i]), name))
            return &s->v[i];
    return NULL;
}

/* The variable `name` as `s` sees it; with `create`, s's own (a copy of
 * the one it started from, or new).  Without, it is only read. */
static gvar *var_get(gstate *s, const char *name, bool create)
{
    uint64_t h = md_hindex_hash(name, strlen(name));
    gvar *g = var_here(s, name, h);
    const gvar *old = NULL;
    bool crossed = false; /* a context boundary between s and where it is */
    for (const gstate *from = s, *u = s->up; !g && !old && u; from = u, u = u->up) {
        crossed |= from->context;
        old = var_here(u, name, h);
    }
    if (old && crossed && old->exported != EXP_YES)
        old = old->exported == EXP_MAYBE ? &hidden_maybe : &hidden_empty;
    if (g || !create)
        return g ? g : (gvar *)old;
    s->v = md_xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
    g = &s->v[s->n];
    memset(g, 0, sizeof *g);
    size_t nl = strlen(name) + 1;
    s->names = md_xgrow(s->names, &s->ncap, s->nlen + nl, 1);
    memcpy(s->names + s->nlen, name, nl);
    g->name = (uint32_t)s->nlen; /* the text's names: below MD_BOOTCFG_MAX_TEXT */
    s->nlen += nl;
    g->uncertain = true; /* until a sure assignment: possibly never set */
    g->exported = grub_exports(name) ? EXP_YES : EXP_NO;
    if (old) {
        gval_set(g, gval(old));
        g->uncertain = old->uncertain;
        g->opaque = old->opaque;
        g->line = old->line;
        /* hidden by a context: the new context's own, unexported */
        if (old != &hidden_empty && old != &hidden_maybe)
            g->exported = old->exported;
        for (size_t k = 0; k < gmaybe_n(old); k++)
            gmaybe_push(g, gmaybe_at(old, k), false);
    }
    md_hindex_add(&s->idx, h, s->n++);
    return g;
}

/* Assign `val` to `name`: for sure (`sure`) or maybe. */
static void var_assign(gstate *s, const char *name, const char *val, bool sure)
{
    gvar *g = var_get(s, name, true);
    g->line = s->budget->line & ((1u << 27) - 1);
    if (sure) {
        gval_set(g, val);
        gmaybe_free(g);
        g->uncertain = false;
        return;
    }
    if (!g->uncertain && gval(g))
        gmaybe_push(g, gval(g), false);
    else if (!gval(g) && !gmaybe_n(g))
        gmaybe_push(g, "", false); /* it may stay unset */
    g->uncertain = true;
    gmaybe_push(g, val, true);
}

/* Make `name` unknown from here on: no value of it is known, so a line
 * that uses it is "cannot check", as for a variable never set. */
static void var_opaque(gstate *s, const char *name)
{
    var_assign(s, name, "", false);
    gvar *g = var_get(s, name, false);
    gmaybe_free(g);
    g->opaque = true;
}

/* The parameters `mkdom0 lint` and `mkdom0 boot` read from an entry. */
static const char *const checked_params[] = { "dom0_mem", "console", "gnttab_max_frames",
                                              "gnttab_max_maptrack_frames", "rdinit", NULL };

/* The last value of parameter `key` among the words of `val`, or NULL. */
static char *param_in(const char *val, const char *key)
{
    md_strv w = { 0 };
    md_strv_split(&w, val, false);
    char *r = NULL;
    size_t kl = strlen(key);
    for (size_t i = 0; i < w.n; i++)
        if (!strncmp(w.v[i], key, kl) && w.v[i][kl] == '=') {
            free(r);
            r = md_xstrdup(w.v[i] + kl + 1);
        }
    md_strv_free(&w);
    return r;
}

/* Does it matter which of its possible values an uncertain variable has:
 * do they give a checked parameter different values (or only some give
 * it)?  Debian's 20_linux_xen sets xen_rm_opts in both branches of an if,
 * to "" or "no-real-mode edd=off": that changes nothing checked. */
static bool values_differ(const gvar *g)
{
    if (g->opaque)
        return true;
    for (int k = 0; checked_params[k]; k++) {
        char *first = NULL;
        bool differ = false;
        for (size_t i = 0; i < gmaybe_n(g) && !differ; i++) {
            char *v = param_in(gmaybe_at(g, i), checked_params[k]);
            if (!i)
                first = v, v = NULL;
            else
                differ = (!first) != (!v) || (first && strcmp(first, v));
            free(v);
        }
        free(first);
        if (differ)
            return true;
    }
    return false;
}

/* A state that starts as `s` (which must outlive it, unchanged). */
static void state_over(gstate *d, const gstate *s)
{
    memset(d, 0, sizeof *d);
    d->up = s;
    d->budget = s->budget;
}

static void state_free(gstate *s)
{
    for (size_t i = 0; i < s->n; i++) {
        gval_set(&s->v[i], NULL);
        gmaybe_free(&s->v[i]);
    }
    free(s->v);
    free(s->names);
    md_hindex_free(&s->idx);
}

/* One line's expansion: its words into `out`, the variables it cannot
 * follow into `unset` (once each: uidx), their possible values' words into
 * `maybe`; `total`: the bytes of values it has put in (past MAX_LINE,
 * unknown).  With `pat`, beside each word of `out` the pattern GRUB's
 * wildcard expansion would take it as (GRUB's escaped form), or "" when it
 * expands nothing: no '*' or '?' unquoted, not starting with '/', '(' or
 * '*' (wildcard_expand(), grub-core/commands/wildcard.c), or holding a
 * variable not followed.  gexp_done frees uidx. */
typedef struct gexp {
    md_strv *out, *unset, *maybe;
    md_hindex uidx;
    size_t total;
    md_bootcfg_file *from; /* when not NULL: the words of `out` made of a
                              variable's value alone, with the line it was
                              set on (md_bootcfg_add_from) */
    md_strv *pat;
} gexp;

static void gexp_done(gexp *x)
{
    md_hindex_free(&x->uidx);
}

/* The word being made: its text, and GRUB's escaped form of it, where a
 * '*' or '?' that is no wildcard (quoted, escaped) and every '\' have a
 * '\' before them (wildcard_escape() in grub-core/script/execute.c). */
typedef struct gword {
    buf cur, pat;
    bool wild;  /* pat holds a wildcard */
    bool unk;   /* a variable in it is as written: no pattern */
} gword;

static void gword_put(gword *w, const gexp *x, char c, bool wild)
{
    buf_put(&w->cur, c);
    if (!x->pat)
        return;
    bool wc = c == '*' || c == '?';
    if (c == '\\' || (wc && !wild))
        buf_put(&w->pat, '\\');
    buf_put(&w->pat, c);
    w->wild |= wc && wild;
}

static void gword_clear(gword *w)
{
    buf_clear(&w->cur);
    buf_clear(&w->pat);
    w->wild = w->unk = false;
}

/* Word `w` onto x->out; made of variables' values alone (not `lit`), the
 * last set on line `src`, it is recorded as written there, or where that
 * value took it from (word_origin), in x->from. */
static void push_from(gexp *x, const gbudget *b, const gword *w, bool lit, unsigned src)
{
    const char *t = w->cur.s ? w->cur.s : "";
    md_strv_push(x->out, t);
    if (x->pat) {
        const char *p = w->pat.s ? w->pat.s : "";
        md_strv_push(x->pat, w->wild && !w->unk && strchr("/(*", *p) && *p ? p : "");
    }
    if (x->from && !lit && src)
        md_bootcfg_add_from(x->from, t, word_origin(b, src, t));
}

/* The words of template `t` as GRUB passes them (script/execute.c): a
 * known variable's value in place, split into words at white space unless
 * quoted; an unknown one stays as written, its name in x->unset and its
 * possible values' words in x->maybe. */
static void expand_one(const gstate *s, const char *t, gexp *x)
{
    md_strv *maybe = x->maybe;
    gword cw = { 0 };
    buf *cur = &cw.cur;
    bool keep = !*t; /* "" is a word */
    /* the current word's text: some written here (`lit`), or all from
     * the values of variables, the last set on line `src` */
    bool lit = false;
    unsigned src = 0;
    for (const char *p = t; *p;) {
        if (*p != VAR_BARE && *p != VAR_QUOTED) {
            bool q = *p == GLOB_LIT && p[1];
            p += q;
            gword_put(&cw, x, *p++, !q);
            keep = true;
            lit = true;
            continue;
        }
        bool quoted = *p == VAR_QUOTED;
        const char *ref = p + 1, *e = strchr(ref, VAR_END);
        if (!e || e - ref < 2) { /* not made by lex_var: cannot happen */
            p++;
            continue;
        }
        size_t rl = (size_t)(e - ref);
        p = e + 1;
        const char *n = ref + 1;
        size_t nl = rl - 1;
        if (*n == '{')
            n++, nl -= 2;
        char *name = md_xasprintf("%.*s", (int)nl, n);
        gvar *g = var_get((gstate *)s, name, false);
        if (g == &hidden_empty)
            push_once(&s->budget->hidden, &s->budget->hidx, name);
        size_t vl = 0;
        if (g)
            vl = !g->uncertain ? strlen(gval(g)) : g->maybe ? g->maybe->bytes : 0;
        bool over = vl > MD_GRUBCFG_MAX_EXPANDED - s->budget->used;
        if (over && !s->budget->over_line)
            s->budget->over_line = s->budget->line;
        s->budget->used += over ? 0 : vl;
        bool toolong = g && (over || (!g->uncertain && (x->total += vl) > MAX_LINE));
        if (!g || g->uncertain || toolong) {
            size_t pre = cur->n; /* the word's text before the variable */
            for (size_t k = 0; k < rl; k++)
                gword_put(&cw, x, ref[k], false);
            cw.unk = true;
            keep = true;
            lit = true; /* "$x" as written: this line's */
            if (!g || toolong || values_differ(g))
                push_once(x->unset, &x->uidx, name);
            /* each possible value's words as they stand on the line: the
             * first glued to the word's text before the variable, the last
             * to its plain text after it, a quoted value one word ("x=$o"
             * with o="dom0_mem=1G" passes x=dom0_mem=1G, no dom0_mem: #10
             * M1) */
            size_t post = strcspn(p, (const char[]){ VAR_BARE, VAR_QUOTED, GLOB_LIT, '\0' });
            for (size_t k = 0; g && !over && maybe && k < gmaybe_n(g); k++) {
                md_strv parts = { 0 };
                if (quoted)
                    md_strv_push(&parts, gmaybe_at(g, k));
                else
                    md_strv_split(&parts, gmaybe_at(g, k), false);
                if (!parts.n && (pre || post))
                    md_strv_push(&parts, "");
                for (size_t j = 0; j < parts.n; j++)
                    md_strv_pushf(maybe, "%.*s%s%.*s", j ? 0 : (int)pre, cur->s ? cur->s : "",
                                  parts.v[j], j + 1 < parts.n ? 0 : (int)post, p);
                md_strv_free(&parts);
            }
        } else if (quoted) {
            for (const char *v = gval(g); *v; v++)
                gword_put(&cw, x, *v, false);
            keep = true;
            src = g->line;
        } else {
            /* field splitting: white space ends the word; the value's '*'
             * and '?' are wildcards, but after a '\' (execute.c: "\? ->
             * \\\?") */
            for (const char *v = gval(g); *v; v++) {
                if (strchr(" \t\n", *v)) {
                    if (cur->n)
                        push_from(x, s->budget, &cw, lit, src);
                    gword_clear(&cw);
                    keep = false;
                    lit = false;
                    src = 0;
                } else {
                    gword_put(&cw, x, *v, v == gval(g) || v[-1] != '\\');
                    keep = true;
                    src = g->line;
                }
            }
        }
        free(name);
    }
    if (keep || cur->n)
        push_from(x, s->budget, &cw, lit, src);
    free(cw.cur.s);
    free(cw.pat.s);
}

/* expand_one of the templates of words [from, to) of `c`, one line. */
static void expand_cmd(const gstate *s, const gcmd *c, size_t from, size_t to, gexp *x)
{
    x->total = 0;
    for (size_t i = from; i < to && i < c->n; i++)
        expand_one(s, T(c, i), x);
}

/* ---- wildcards ----
 *
 * GRUB expands a word of any command that holds an unquoted '*' or '?'
 * (written so, or in an unquoted variable's value) and starts with '/', '('
 * or '*' into the files it matches, each a word, in the order the file
 * system lists them; a word that matches none stays as written
 * (grub_script_arglist_to_argv(), grub-core/script/execute.c;
 * wildcard_expand(), grub-core/commands/wildcard.c).  Only while the
 * regexp module is loaded, which registers the expander
 * (grub_wildcard_translator, grub-core/commands/regexp.c): a config needs
 * "insmod regexp" (or a `regexp` command, which loads it) before the line,
 * unless the GRUB image has the module built in, which the config cannot
 * tell.  Without one, the reader expands the word all the same (the files
 * are then what such images load) and says on the line that others keep
 * it as written.  The matches are taken sorted: the file system's order
 * (a directory's own, on FAT or ext4 alike) is not known here, and lint's
 * findings must not depend on it; a for loop over them makes its menu
 * entries in that order. */

/* The variable that records the regexp module loaded: a name GRUB's own
 * cannot have, so no config sets it. */
#define MOD_REGEXP "regexp module"

static bool regexp_loaded(const gstate *s)
{
    return var_get((gstate *)s, MOD_REGEXP, false) != NULL;
}

/* `insmod regexp` (or "insmod /boot/grub/x86_64-efi/regexp.mod") or the
 * regexp command run by line c: loaded from here on, in submenus and
 * configfile's new contexts too (a module is GRUB's, not a context's). */
static void note_regexp(gstate *s, const gcmd *c, size_t k)
{
    bool load = !strcmp(W(c, k), "regexp");
    for (size_t j = k + 1; !load && !strcmp(W(c, k), "insmod") && j < c->n; j++) {
        const char *m = strrchr(W(c, j), '/') ? strrchr(W(c, j), '/') + 1 : W(c, j);
        load = !strcmp(m, "regexp") || !strcmp(m, "regexp.mod");
    }
    if (load) {
        var_assign(s, MOD_REGEXP, "1", true);
        var_get(s, MOD_REGEXP, false)->exported = EXP_YES;
    }
}

/* The words of `w` from `from` on whose pattern in `pat` (expand_one's,
 * beside them) is a wildcard replaced by the GRUB paths they match, as
 * GRUB does on line `line` (above), through the finder's glob.  A word
 * lint cannot expand (no finder, one that cannot list them, more than
 * MD_GRUBCFG_MAX_GLOB matches) stays as written, a warning on the line
 * that leaves it not checked; returns the index in `w` of the first such
 * word, SIZE_MAX when there is none.  `many`, when not NULL, gets the
 * number of words the word at index `at` gives (1 for a word it keeps). */
static size_t glob_words(const gstate *s, md_strv *w, const md_strv *pat, size_t from,
                         unsigned line, size_t at, size_t *many)
{
    if (many)
        *many = 1;
    bool any = false;
    for (size_t i = from; i < pat->n && !any; i++)
        any = pat->v[i][0] != '\0';
    if (!any || pat->n != w->n)
        return SIZE_MAX;
    const md_grubcfg_files *fs = s->budget->files;
    md_strv nw = { 0 };
    if (w->pool)
        md_strv_pooled(&nw);
    size_t first = SIZE_MAX;
    for (size_t i = 0; i < w->n; i++) {
        const char *pt = i >= from ? pat->v[i] : "";
        if (!*pt) {
            md_strv_push(&nw, w->v[i]);
            continue;
        }
        if (!regexp_loaded(s))
            md_bootcfg_add_problem(s->budget->out, line, md_xasprintf(
                "line %u: %s is a GRUB wildcard, and no 'insmod regexp' runs before the line: "
                "GRUB expands wildcards only while its regexp module is loaded, so a GRUB "
                "image without it built in (one that loads its modules from disk, as "
                "grub-install's) keeps the word as written, a file of that name, which is not "
                "there; lint takes it as an image with regexp does; add 'insmod regexp' "
                "before line %u", line, w->v[i], line))->warning = true;
        md_strv got = { 0 };
        char *why = NULL;
        long n = -1;
        if (s->budget->globs >= MD_GRUBCFG_MAX_GLOBS)
            why = md_xasprintf("the config has more than %d wildcard words to expand, the most "
                               "lint expands", MD_GRUBCFG_MAX_GLOBS);
        else if (fs && fs->glob)
            n = fs->glob(fs->ctx, pt, &got, &why), s->budget->globs++;
        size_t bytes = 0;
        for (size_t j = 0; n > 0 && j < got.n; j++)
            bytes += strlen(got.v[j]) + 1;
        if (n > MD_GRUBCFG_MAX_GLOB) {
            free(why);
            why = md_xasprintf("it matches more than %d files, the most lint expands a word to",
                               MD_GRUBCFG_MAX_GLOB);
            n = -1;
        } else if (bytes > MD_GRUBCFG_MAX_EXPANDED - s->budget->used) {
            /* a line of a million wildcards, each of many files */
            why = md_xasprintf("the files of the config's wildcards and values pass %d bytes, "
                               "the most lint expands", MD_GRUBCFG_MAX_EXPANDED);
            n = -1;
        } else {
            s->budget->used += bytes;
        }
        if (n < 0) {
            md_bootcfg_problem *p = md_bootcfg_add_problem(s->budget->out, line, md_xasprintf(
                "cannot check line %u fully: GRUB expands the wildcard %s into the files it "
                "matches on its device, one word each, and lint could not list them (%s), so "
                "what the line loads and passes is not checked",
                line, w->v[i], why ? why : "the config was read without the files around it"));
            p->warning = p->unchecked = true;
            if (first == SIZE_MAX)
                first = nw.n;
            md_strv_push(&nw, w->v[i]);
        } else if (n == 0) {
            md_bootcfg_add_problem(s->budget->out, line, md_xasprintf(
                "line %u: no file matches the GRUB wildcard %s where lint finds the files "
                "entries load, so GRUB keeps the word as written (wildcard_expand() finds "
                "none), a file of that name", line, w->v[i]))->note = true;
            md_strv_push(&nw, w->v[i]);
        } else {
            for (size_t j = 0; j < got.n; j++)
                md_strv_push(&nw, got.v[j]);
        }
        if (many && i == at)
            *many = n > 0 ? (size_t)n : 1;
        free(why);
        md_strv_free(&got);
    }
    md_strv_free(w);
    *w = nw;
    return first;
}

/* The name of the next variable template *p refers to ("x" of "${x}"),
 * *p moved past it; NULL at the end. */
static char *next_var(const char **p)
{
    const char *v = strpbrk(*p, (const char[]){ VAR_BARE, VAR_QUOTED, '\0' });
    const char *e = v ? strchr(v + 1, VAR_END) : NULL;
    if (!e)
        return NULL;
    const char *n = v + 2; /* past the mark and the '$' */
    size_t nl = (size_t)(e - n);
    if (*n == '{' && nl >= 2)
        n++, nl -= 2;
    *p = e + 1;
    return md_xasprintf("%.*s", (int)nl, n);
}

/* The next word of *p (split at white space, as GRUB splits an unquoted
 * value), its length in *n, *p moved past it; NULL at the end. */
static const char *next_word(const char **p, size_t *n)
{
    const char *w = *p + strspn(*p, " \t\n");
    *n = strcspn(w, " \t\n");
    *p = w + *n;
    return *n ? w : NULL;
}

/* Words longer than this are not placed by word_origin: the parameters a
 * finding names are short, and a value built by doubling must not be
 * hashed again at each step (test 60's chain-grub.cfg). */
enum { WORIGIN_MAX_WORD = 256 };

/* Is the `n`-byte word `w` a word of `v`, whose words `vidx` holds by
 * their offset in `v`?  Each distinct word is held once: a value of 32K
 * equal words ("set w=\"$v\"", v doubled 15 times) kept them all under
 * one hash, and each lookup walked them (trial 9x F1: 471 bytes, 8 s). */
static bool vword_find(const md_hindex *vidx, const char *v, const char *w, size_t n)
{
    uint64_t h = md_hindex_hash(w, n);
    for (size_t it = 0, o; (o = md_hindex_next(vidx, h, &it)) != SIZE_MAX;)
        if (!strncmp(v + o, w, n) && (!v[o + n] || strchr(" \t\n", v[o + n])))
            return true;
    return false;
}

/* Value `v` is assigned from template `tval` on the line being run: each
 * word of it that is a whole word of a variable `tval` uses is written
 * where that variable's word is (word_origin), so "set opts=\"$m q\""
 * keeps m's dom0_mem=2G on m's line, where a finding on it and its fix go
 * (issue 10).  Linear in the values' bytes. */
static void worigin_assign(gstate *s, const char *tval, const char *v)
{
    gbudget *b = s->budget;
    unsigned at = b->line & ((1u << 27) - 1);
    md_hindex vidx = { 0 }; /* v's words, by hash: made at the first use */
    bool indexed = false;
    char *name;
    for (const char *p = tval; (name = next_var(&p)); free(name)) {
        const gvar *g = var_get(s, name, false);
        const char *gv = g && g->line && g->line != at ? gval(g) : NULL, *w;
        for (size_t n; gv && (w = next_word(&gv, &n));) {
            if (n > WORIGIN_MAX_WORD)
                continue;
            if (!indexed) {
                const char *q = v, *vw;
                for (size_t vn; (vw = next_word(&q, &vn));)
                    if (vn <= WORIGIN_MAX_WORD && !vword_find(&vidx, v, vw, vn))
                        md_hindex_add(&vidx, md_hindex_hash(vw, vn), (size_t)(vw - v));
                indexed = true;
            }
            if (vword_find(&vidx, v, w, n)) {
                char word[WORIGIN_MAX_WORD + 1];
                memcpy(word, w, n);
                word[n] = '\0';
                worigin_put(b, at, word, word_origin(b, g->line, word));
            }
        }
    }
    md_hindex_free(&vidx);
}

/* The variables of template `t` whose value where it runs the state `s`
 * does not fix (never set, uncertain, opaque) into `names` (once each:
 * idx).  expand_one keeps an uncertain variable whose values give the
 * checked parameters alike as written, not unknown: a word that becomes
 * a command's name or a parameter ($1..) is not known unless fixed. */
static void unfixed_vars(const gstate *s, const char *t, md_strv *names, md_hindex *idx)
{
    char *name;
    for (const char *p = t; (name = next_var(&p));) {
        const gvar *g = var_get((gstate *)s, name, false);
        if (!g || g->uncertain || g->opaque)
            push_once(names, idx, name);
        free(name);
    }
}

/* Does template `t` use variable `name`? */
static bool uses_var(const char *t, const char *name)
{
    char *n;
    bool used = false;
    for (const char *p = t; !used && (n = next_var(&p));) {
        used = !strcmp(n, name);
        free(n);
    }
    return used;
}

/* "set NAME=VALUE" or "NAME=VALUE" (words from `k`): the name and the
 * template of the value, or false. */
static bool assignment(const gcmd *c, size_t k, char **name, const char **tval)
{
    const char *a = NULL;
    if (!strcmp(W(c, k), "set") && c->n > k + 1)
        a = T(c, k + 1);
    else if (isalpha((unsigned char)W(c, k)[0]) || W(c, k)[0] == '_')
        a = T(c, k);
    if (!a)
        return false;
    const char *eq = strchr(a, '=');
    if (!eq || eq == a)
        return false;
    for (const char *q = a; q < eq; q++)
        if (!isalnum((unsigned char)*q) && *q != '_')
            return false;
    *name = md_xasprintf("%.*s", (int)(eq - a), a);
    *tval = eq + 1;
    return true;
}

/* ---- entries ---- */

/* Does template `t` hold a character of its own, outside its variables? */
static bool has_text(const char *t)
{
    for (const char *p = t; *p; p++) {
        if (*p == VAR_BARE || *p == VAR_QUOTED) {
            const char *e = strchr(p, VAR_END);
            if (!e)
                return true;
            p = e;
            continue;
        }
        return true;
    }
    return false;
}

/* Word `w` (quotes removed) onto `out` as GRUB hands it to the loader: an
 * argument with a space in double quotes (grub-core/lib/cmdline.c
 * grub_create_loader_cmdline()).  Linux strips them again; Xen's
 * parse_params() (xen/common/kernel.c) has no quotes: it splits at the
 * spaces, and the first word's name starts with '"' ("dom0_mem=4G max:4G"
 * quoted: no dom0_mem), so for Xen (`xen`) such an argument becomes its
 * space-separated words, the quotes on the first and the last. */
static void loader_arg(const char *w, bool xen, md_strv *out)
{
    if (xen && strchr(w, ' ')) {
        md_strv parts = { 0 };
        md_strv_split(&parts, w, false);
        for (size_t j = 0; j < parts.n; j++)
            md_strv_pushf(out, "%s%s%s", j ? "" : "\"", parts.v[j], j + 1 < parts.n ? "" : "\"");
        md_strv_free(&parts);
    } else {
        md_strv_push(out, w);
    }
}

void md_grubcfg_args(const char *text, bool xen, md_strv *out)
{
    gcmds cmds = { 0 };
    gcmd c = { 0 };
    lex(text, strlen(text), &cmds);
    for (size_t i = 0; i < cmds.n; i++) {
        cmd_open(&cmds, i, SIZE_MAX, &c);
        for (size_t k = 0; k < c.n; k++)
            loader_arg(W(&c, k), xen, out);
    }
    cmd_free(&c);
    gcmds_free(&cmds);
}

/* A file command's file and parameters (words after `k`, the command):
 * "module2 [--nounzip] [--type=X] FILE ARGS...", variables expanded as the
 * state `s` has them.  `chain`: chainloader's, whose words GRUB joins with
 * single spaces as they are, quotes removed and none added
 * (grub_cmd_chainloader(), grub-core/loader/efi/chainloader.c), where a
 * multiboot loader quotes one with a space (loader_arg): "xen.efi fast"
 * quoted reaches Xen's EFI loader as two words, its name and a section
 * (issue 10, H6: its quotes were kept). */
static void read_file(const gstate *s, const gcmd *c, size_t k, md_bootcfg_file *f,
                      bool *nounzip, bool chain)
{
    md_strv w = { 0 };
    /* pooled: a line may have millions of words (issue 9) */
    md_strv_pooled(&w);
    md_strv_pooled(&f->unset);
    md_strv_pooled(&f->maybe);
    /* A variable inside the file's own word ("($root)/boot/xen.gz",
     * "${prefix}/../vmlinuz": GRUB's device and path variables) makes only
     * the path unknown, not the parameters after it: a word with text of
     * its own besides the variable cannot vanish or shift the words after
     * it (trial10b case 10).  A word that is a variable alone may expand to
     * nothing or to several words, so then the whole line is unknown. */
    f->line = c->line; /* before the words: md_bootcfg_add_from compares */
    size_t pw = k + 1;
    while (pw < c->n && !strncmp(T(c, pw), "--", 2))
        pw++;
    md_strv pat = { 0 }; /* each word's wildcard pattern (glob_words) */
    md_strv_pooled(&pat);
    if (pw < c->n && has_text(T(c, pw))) {
        md_strv path_unset = { 0 };
        gexp x = { &w, &path_unset, NULL, { 0 }, 0, NULL, &pat };
        expand_cmd(s, c, k + 1, pw + 1, &x);
        gexp_done(&x);
        md_strv_free(&path_unset);
        x = (gexp){ &w, &f->unset, &f->maybe, { 0 }, 0, f, &pat };
        expand_cmd(s, c, pw + 1, c->n, &x);
        gexp_done(&x);
    } else {
        gexp x = { &w, &f->unset, &f->maybe, { 0 }, 0, f, &pat };
        expand_cmd(s, c, k + 1, c->n, &x);
        gexp_done(&x);
    }
    size_t i = 0;
    for (; i < w.n && !strncmp(w.v[i], "--", 2); i++)
        if (nounzip && !strcmp(w.v[i], "--nounzip"))
            *nounzip = true;
    /* GRUB's loaders take their first word as the file and the rest as
     * its parameters (grub_cmd_multiboot(), grub_cmd_module() in
     * grub-core/loader/multiboot.c: argv[0], argv + 1): a wildcard that
     * matches several files loads the first and hands the others on */
    char *wild = i < w.n && i < pat.n && pat.v[i][0] ? md_xstrdup(w.v[i]) : NULL;
    size_t many = 1;
    if (glob_words(s, &w, &pat, 0, c->line, i, &many) != SIZE_MAX &&
        !md_strv_contains(&f->unset, MD_BOOTCFG_WILDCARD))
        md_strv_push(&f->unset, MD_BOOTCFG_WILDCARD);
    md_strv_free(&pat);
    if (many > 1) {
        md_bootcfg_problem *p = md_bootcfg_add_problem(s->budget->out, c->line, md_xasprintf(
            "line %u: the GRUB wildcard %s matches %zu files, and GRUB passes them all to %s "
            "as its words: it loads the first, %s, and hands the others (%s%s) to it as the "
            "first words of its command line; name one file per line",
            c->line, wild, many, W(c, k), w.v[i], w.v[i + 1], many > 2 ? ", ..." : ""));
        p->warning = true;
    }
    free(wild);
    f->path = md_xstrdup(i < w.n ? w.v[i] : "");
    bool split = false;
    for (size_t j = i + 1; !nounzip && !chain && j < w.n && !split; j++)
        split = strchr(w.v[j], ' ') != NULL;
    if (split) {
        md_strv_pooled(&f->args);
        for (size_t j = i + 1; j < w.n; j++)
            loader_arg(w.v[j], true, &f->args);
        md_strv_free(&w);
    } else {
        /* the words themselves, not copies: a line of a million
         * parameters is held once */
        md_strv_drop(&w, 0, i < w.n ? i + 1 : w.n);
        if (!w.n) /* no room kept for none: the list keeps every entry */
            md_strv_free(&w);
        f->args = w;
    }
}

/* The index of a menuentry's or submenu's next word at or after `i` that
 * is no option (--class X, --users X, --hotkey X, --id X take a value;
 * other --options none), or c->n at its body's "{" or the end. */
static size_t entry_word(const gcmd *c, size_t i)
{
    static const char *const with_arg[] = { "--class", "--users", "--hotkey", "--id", NULL };
    for (; i < c->n; i++) {
        const char *w = W(c, i);
        if (!strncmp(w, "--", 2)) {
            for (int j = 0; with_arg[j]; j++)
                if (!strcmp(w, with_arg[j]))
                    i++;
            continue;
        }
        return B(c, i) && !strcmp(w, "{") ? c->n : i;
    }
    return c->n;
}

/* menuentry/submenu title: the first word that is not an option. */
static const char *entry_title(const gcmd *c)
{
    size_t i = entry_word(c, 1);
    return i < c->n ? W(c, i) : "";
}

/* The positional parameters as GRUB keeps them (a list, struct
 * grub_script_argv; script/execute.c): $1..$9, and $#, $* and $@ of the
 * whole list; "$@" is read as $* (its words join into one Xen line). */
enum { NPOS = 12, POS_ALL = (1u << NPOS) - 1 };
static const char *const pos_names[NPOS] = { "1", "2", "3", "4", "5", "6", "7", "8", "9",
                                             "#", "*", "@" };

static void params_set(gstate *s, const md_strv *args)
{
    for (size_t k = 0; k < 9; k++)
        var_assign(s, pos_names[k], k < args->n ? args->v[k] : "", true);
    char *n = md_xasprintf("%zu", args->n), *all = md_strv_join(args, " ");
    var_assign(s, "#", n, true);
    var_assign(s, "*", all, true);
    var_assign(s, "@", all, true);
    free(n);
    free(all);
}

/* Every positional parameter unknown from here on ("cannot check"). */
static void params_opaque(gstate *s)
{
    for (size_t k = 0; k < NPOS; k++)
        var_opaque(s, pos_names[k]);
}

/* The words of `c` from `from` on (with `entry`, a menuentry's that are
 * no option: entry_word) as GRUB passes them to a command, variables
 * expanded on `s` and split (grub_script_arglist_to_argv(),
 * grub-core/script/execute.c), into `out`.  Returns the index in `out` of
 * the first word from one with a variable `s` does not fix (unfixed_vars),
 * SIZE_MAX when there is none. */
static size_t expand_args(const gstate *s, const gcmd *c, size_t from, bool entry, md_strv *out,
                          md_bootcfg_file *src)
{
    md_strv unknown = { 0 }, pat = { 0 };
    md_strv_pooled(&pat); /* a word each: a loop may have millions */
    size_t at0 = out->n;
    for (size_t i = 0; i < at0; i++)
        md_strv_push(&pat, "");
    gexp x = { .out = out, .unset = &unknown, .from = src, .pat = &pat };
    size_t first = SIZE_MAX;
    for (size_t i = entry ? entry_word(c, from) : from; i < c->n;
         i = entry ? entry_word(c, i + 1) : i + 1) {
        size_t at = out->n;
        expand_one(s, T(c, i), &x);
        unfixed_vars(s, T(c, i), &unknown, &x.uidx);
        if (unknown.n && first == SIZE_MAX)
            first = at;
    }
    gexp_done(&x);
    md_strv_free(&unknown);
    /* the words before the first unknown one expanded as GRUB does (past
     * it they may shift), which moves that one by what they add */
    if (first != SIZE_MAX) {
        md_strv_truncate(&pat, first);
        while (pat.n < out->n)
            md_strv_push(&pat, "");
    }
    size_t n0 = out->n;
    size_t g = glob_words(s, out, &pat, at0, c->line, 0, NULL);
    md_strv_free(&pat);
    if (first != SIZE_MAX)
        first += out->n - n0;
    return g < first ? g : first;
}

/* $1.. from `args`, from index `first` on unknown: a word with a variable
 * that is not followed may split into more words or none, so the words
 * after it and the whole list ($#, $*, $@) are not known either. */
static void params_from(gstate *s, const md_strv *args, size_t first)
{
    params_set(s, args);
    for (size_t k = first < 9 ? first : 9; first != SIZE_MAX && k < NPOS; k++)
        var_opaque(s, pos_names[k]);
}

/* The whole list into `out` when every word of it is known (at most 9). */
static bool params_get(gstate *s, md_strv *out)
{
    const gvar *n = var_get(s, "#", false);
    const char *nv = n ? gval(n) : NULL;
    if (!n || n->uncertain || !nv || strlen(nv) != 1 || !isdigit((unsigned char)*nv))
        return false;
    for (int k = 0; k < *nv - '0'; k++) {
        const gvar *g = var_get(s, pos_names[k], false);
        if (!g || g->uncertain || !gval(g))
            return false;
        md_strv_push(out, gval(g));
    }
    return true;
}

/* A menuentry or submenu defined in a frame, whose body runs after it:
 * its command, and its words that are no option as GRUB took them when
 * it was defined (defer_block), or NULL when none has a variable. */
typedef struct deferred {
    size_t cmd;
    md_strv *args;
    size_t first; /* expand_args's: args from there on unknown */
} deferred;

/* The positional parameters a menuentry or submenu body runs with: its
 * words that are no option, the title first ($1) and its extra arguments
 * after it ($2, ...): grub_cmd_menuentry() (grub-core/commands/menuentry.c)
 * prefixes the body with "setparams" of them (setparams_prefix()), so
 * "menuentry 'Xen' 'dom0_mem=8G' { multiboot2 /xen.gz $2 }" gives Xen
 * dom0_mem=8G (trial10d case 17).  The ones past them are empty, as
 * setparams replaces the whole list. */
static void entry_params(gstate *s, const gcmd *c, const deferred *d)
{
    if (d->args) {
        params_from(s, d->args, d->first);
        return;
    }
    md_strv args = { 0 };
    for (size_t i = entry_word(c, 1); i < c->n; i = entry_word(c, i + 1))
        md_strv_push(&args, W(c, i));
    params_set(s, &args);
    md_strv_free(&args);
}

/* GRUB's own settings at the top level: serial --unit=N --speed=N and
 * timeout (mkdom0's values until the config says otherwise). */
typedef struct settings {
    unsigned serial_port, serial_baud, timeout;
} settings;

static void note_setting(settings *s, const gcmd *c)
{
    const char *w0 = W(c, 0);
    if (!strcmp(w0, "serial")) {
        for (size_t i = 1; i < c->n; i++) {
            if (!strncmp(W(c, i), "--unit=", 7))
                s->serial_port = (unsigned)atoi(W(c, i) + 7) + 1;
            if (!strncmp(W(c, i), "--speed=", 8))
                s->serial_baud = (unsigned)atoi(W(c, i) + 8);
        }
    } else if (!strncmp(w0, "timeout=", 8)) {
        s->timeout = (unsigned)atoi(w0 + 8);
    } else if (!strcmp(w0, "set") && c->n > 1 && !strncmp(W(c, 1), "timeout=", 8)) {
        s->timeout = (unsigned)atoi(W(c, 1) + 8);
    }
}

static void add_entry(md_bootcfg_list *out, md_bootcfg_entry **cur)
{
    if (*cur)
        md_bootcfg_add_multiboot(out, *cur);
    *cur = NULL;
}

static void add_problem(md_bootcfg_list *out, unsigned line, char *msg)
{
    md_bootcfg_add_problem(out, line, msg);
}

/* Linux's loader line `c` (linux or, `initrd`, initrd: word k) in a Xen
 * entry as the module lines of its multiboot (`mb2`: multiboot2) family
 * that do its job (md_bootcfg_module_line): the kernel with its
 * parameters; each initrd file --nounzip (Xen hands it on as loaded), one
 * line each, joined by GRUB's ';'.  Caller frees. */
static char *linux_as_module(const gstate *s, const gcmd *c, size_t k, bool mb2, bool initrd)
{
    md_bootcfg_file m = { 0 };
    read_file(s, c, k, &m, NULL, false);
    m.nounzip = initrd;
    md_strv files = { 0 };
    if (initrd) { /* "initrd A B": two files, no parameters */
        md_strv_push(&files, m.path);
        for (size_t j = 0; j < m.args.n; j++)
            md_strv_push(&files, m.args.v[j]);
        md_strv_free(&m.args);
    }
    md_strv lines = { 0 };
    for (size_t j = 0; j < (initrd ? files.n : 1); j++) {
        if (initrd) {
            free(m.path);
            m.path = md_xstrdup(files.v[j]);
        }
        md_strv_push_own(&lines, md_bootcfg_module_line(&m, mb2));
    }
    char *fix = md_strv_join(&lines, "; ");
    md_strv_free(&lines);
    md_strv_free(&files);
    md_bootcfg_file_free(&m);
    return fix;
}

static void add_module(md_bootcfg_entry *e, const gstate *s, const gcmd *c, size_t k)
{
    md_bootcfg_file *m = md_bootcfg_add_mod(e);
    m->mb2 = !strcmp(W(c, k), "module2");
    read_file(s, c, k, m, &m->nounzip, false);
}

/* The blocks: for each command opening one (menuentry, submenu, function),
 * in command order, the index of its body's first command and of its "}"
 * (cmds.n when the file ends first); the command has `opens` set. */
typedef struct gblock {
    uint32_t cmd, body, close;
} gblock;

typedef struct blocks {
    gblock *v;
    size_t n, cap;
} blocks;

static bool is_block_cmd(const char *w0)
{
    return !strcmp(w0, "menuentry") || !strcmp(w0, "submenu") || !strcmp(w0, "function");
}

static bool is_brace(const gcmd *c, const char *b)
{
    return B(c, 0) && !strcmp(W(c, 0), b);
}

/* The block command i opens, or NULL. */
static const gblock *block_at(const gcmds *cmds, const blocks *b, size_t i)
{
    if (!cmds->v[i].opens)
        return NULL;
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (b->v[m].cmd < i)
            lo = m + 1;
        else
            hi = m;
    }
    return &b->v[lo];
}

static void find_blocks(gcmds *cmds, blocks *b, md_bootcfg_list *out)
{
    size_t *stack = NULL, scap = 0, depth = 0; /* indices in b->v */
    gcmd c = { 0 }, next = { 0 };
    for (size_t i = 0; i < cmds->n; i++) {
        cmd_open(cmds, i, SIZE_MAX, &c);
        if (is_brace(&c, "}")) {
            if (depth)
                b->v[stack[--depth]].close = (uint32_t)i;
            continue;
        }
        if (!is_block_cmd(W(&c, 0)))
            continue;
        bool opens = B(&c, c.n - 1) && !strcmp(W(&c, c.n - 1), "{");
        size_t body;
        if (opens)
            body = i + 1;
        else if (i + 1 < cmds->n && (cmd_open(cmds, i + 1, 2, &next), next.n == 1) &&
                 is_brace(&next, "{"))
            body = i + 2;
        else
            continue;
        b->v = md_xgrow(b->v, &b->cap, b->n + 1, sizeof *b->v);
        b->v[b->n] = (gblock){ (uint32_t)i, (uint32_t)body, 0 };
        cmds->v[i].opens = 1;
        stack = md_xgrow(stack, &scap, depth + 1, sizeof *stack);
        stack[depth++] = b->n++;
    }
    /* GRUB reads to the end of the file for a block never closed, and
     * rejects it with everything after it (a syntax error). */
    for (size_t d = 0; d < depth; d++) {
        gblock *k = &b->v[stack[d]];
        k->close = (uint32_t)cmds->n;
        cmd_open(cmds, k->cmd, SIZE_MAX, &c);
        const char *w0 = W(&c, 0);
        bool fn = !strcmp(w0, "function");
        add_problem(out, c.line,
                    md_xasprintf("%s%s%s%s on line %u has no closing '}': GRUB reads to the end "
                                 "of the file for it and rejects it (syntax error), so it and "
                                 "everything after it never boot; add the '}'",
                                 w0, fn ? " " : " '",
                                 !fn ? entry_title(&c) : c.n > 1 ? W(&c, 1) : "",
                                 fn ? "" : "'", c.line));
    }
    free(stack);
    cmd_free(&c);
    cmd_free(&next);
}

/* The commands one way of a body does not run (choose_path): v[i - from]
 * for command i of [from, to); the others run.  Saved and restored whole
 * around a nested read: a body read by ways of its own inside one way of
 * another set from/to for its own, and the outer way went on marking its
 * commands at i - (the inner from), below the array (fuzz_grub, m15). */
typedef struct skipwin {
    const bool *v; /* NULL: every command runs */
    size_t from, to;
} skipwin;

typedef struct runner {
    const gcmds *cmds;
    blocks b;
    md_bootcfg_list *out;
    settings set;
    skipwin skip;        /* the way being read, if any */
    bool too_many_paths; /* the MAX_PATHS problem is added (once) */
    bool capped;         /* reading a body of more ways than MAX_PATHS: what
                            one way would not run may run beside it */
    struct fdef {
        size_t cmd;         /* its "function" command */
        bool positional;    /* its body uses $1.. (uses_positional) */
    } *fdef;                /* the functions defined */
    size_t nf, fcap;
    size_t called;          /* commands run in calls (MAX_CALLED) */
    size_t called_bytes;    /* their records' bytes (MAX_CALLED_MIB) */
    md_hindex fidx;         /* fdef by name */
    /* if-blocks learnt once (if_memo): per command, 0 or 1 + its index in
     * ifm */
    uint32_t *ifm_at;
    struct ifmemo *ifm;
    size_t nifm, ifmcap;
    /* the variables a loader line's words use, directly or through the
     * values assigned to them (find_used_vars): an if that sets one is
     * read per way, as one that loads */
    md_strv used;
    md_hindex uidx;
    /* the other files source and configfile run (md_grubcfg_read_files):
     * the finder (NULL: none), the file these commands are of (NULL: the
     * config) and its key, the runner of the line that runs it, how many
     * files deep, the config's own line that led here (`via`, its words;
     * NULL in the config), and what the whole config's reading shares */
    const md_grubcfg_files *files;
    const char *fname, *fkey;
    const struct runner *parent;
    unsigned nest;
    const char *via;
    unsigned via_line;
    struct gfollow *follow;
} runner;

/* What following a config's other files shares (md_grubcfg_read_files):
 * the reads so far, and each line whose file was not read: its problem
 * (an index of out->problems) and what that problem says instead when the
 * config ends with no Xen entry (other_unread). */
typedef struct gfollow {
    size_t reads;
    struct gunread {
        size_t problem;
        char *note;
    } *unread;
    size_t nunread, cap;
} gfollow;

/* Where the block command i opens ends (its "}", or cmds.n when the file
 * ends first), or 0 when it opens none; where its body starts. */
static size_t rclose(const runner *r, size_t i)
{
    const gblock *b = block_at(r->cmds, &r->b, i);
    return b ? b->close : 0;
}

static size_t rbody(const runner *r, size_t i)
{
    const gblock *b = block_at(r->cmds, &r->b, i);
    return b ? b->body : 0;
}

static bool skipped(const runner *r, size_t i)
{
    return r->skip.v && i >= r->skip.from && i < r->skip.to && r->skip.v[i - r->skip.from];
}

/* Word k of command i ("" past its last), read from its records. */
static const char *cmd_word(const runner *r, size_t i, size_t k)
{
    const gcmds *g = r->cmds;
    const char *p = g->s + g->v[i].off, *end = g->s + (i + 1 < g->n ? g->v[i + 1].off : g->len);
    for (; p < end && k; k--)
        p = rec_end(p);
    return p < end ? p + 1 : "";
}

static ssize_t func_find(const runner *r, const char *name)
{
    uint64_t h = md_hindex_hash(name, strlen(name));
    for (size_t it = 0, k; (k = md_hindex_next(&r->fidx, h, &it)) != SIZE_MAX;)
        if (!strcmp(cmd_word(r, r->fdef[k].cmd, 1), name))
            return (ssize_t)k;
    return -1;
}

/* "function NAME {" at command `i`: a later one of a name replaces it. */
static bool uses_positional(const runner *r, size_t from, size_t to);

static void func_define(runner *r, const char *name, size_t i)
{
    /* asked once here, not on every call (a body read again each time) */
    struct fdef d = { i, uses_positional(r, rbody(r, i), rclose(r, i)) };
    ssize_t k = func_find(r, name);
    if (k >= 0) {
        r->fdef[k] = d;
        return;
    }
    r->fdef = md_xgrow(r->fdef, &r->fcap, r->nf + 1, sizeof *r->fdef);
    r->fdef[r->nf] = d;
    md_hindex_add(&r->fidx, md_hindex_hash(name, strlen(name)), r->nf++);
}

static bool is_kw(const char *w, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (!strcmp(w, list[i]))
            return true;
    return false;
}

/* The leading keyword of command i after then/else/do, and whether one
 * of those came first: read from its records, no further than that. */
static const char *lead_kw(const runner *r, size_t i, bool *is_else)
{
    const gcmds *g = r->cmds;
    const char *end = g->s + (i + 1 < g->n ? g->v[i + 1].off : g->len);
    *is_else = false;
    for (const char *p = g->s + g->v[i].off; p < end; p = rec_end(p)) {
        if (!is_kw(p + 1, (const char *const[]){ "then", "else", "do", NULL }))
            return p + 1;
        *is_else |= !strcmp(p + 1, "else");
    }
    return "";
}

static bool is_loader_cmd(const char *w)
{
    return is_kw(w, (const char *const[]){ "multiboot2", "multiboot", "module2", "module",
                                           "xen_hypervisor", "xen_module", "xen_linux",
                                           "xen_initrd", NULL });
}

/* Is `name` among r->used? */
static bool var_used(const runner *r, const char *name)
{
    uint64_t h = md_hindex_hash(name, strlen(name));
    for (size_t it = 0, i; (i = md_hindex_next(&r->uidx, h, &it)) != SIZE_MAX;)
        if (!strcmp(r->used.v[i], name))
            return true;
    return false;
}

static bool use_var(runner *r, const char *name)
{
    if (var_used(r, name))
        return false;
    md_hindex_add(&r->uidx, md_hindex_hash(name, strlen(name)), r->used.n);
    md_strv_push(&r->used, name);
    return true;
}

/* The variables the words of `c` from word `from` on refer to, into
 * r->used; true when one is new there. */
static bool use_vars_of(runner *r, const gcmd *c, size_t from)
{
    bool grew = false;
    char *name;
    for (size_t k = from; k < c->n; k++)
        for (const char *p = T(c, k); (name = next_var(&p));) {
            grew |= use_var(r, name);
            free(name);
        }
    return grew;
}

/* Rounds of "a used variable's value uses these": a value built from a
 * value built from ... is followed this far (each round one pass over
 * the config, so a 16 MiB one stays fast). */
enum { USED_ROUNDS = 4 };

/* r->used: the variables of every loader line's words (multiboot2 ...
 * $xenmem), then those the values assigned to them use, USED_ROUNDS
 * deep.  GRUB runs one branch of an if: "if efi; then set m=A; else set
 * m=B; fi" then "multiboot2 /xen.gz $m" boots with A or with B, never
 * with "maybe either" (fresh-user trial of #10, case 1). */
static void find_used_vars(runner *r)
{
    gcmd c = { 0 };
    for (size_t i = 0; i < r->cmds->n; i++) {
        bool is_else;
        if (!is_loader_cmd(lead_kw(r, i, &is_else)))
            continue;
        cmd_open(r->cmds, i, SIZE_MAX, &c);
        size_t k = 0;
        while (k < c.n && is_kw(W(&c, k), (const char *const[]){ "then", "else", "do", NULL }))
            k++;
        use_vars_of(r, &c, k + 1);
        cmd_done(&c);
    }
    bool grew = r->used.n > 0;
    for (int round = 0; round < USED_ROUNDS && grew; round++) {
        grew = false;
        for (size_t i = 0; i < r->cmds->n; i++) {
            char *name;
            const char *tval;
            cmd_open(r->cmds, i, 6, &c); /* then/else/do, set, NAME=VALUE */
            size_t k = 0;
            while (k < c.n && is_kw(W(&c, k), (const char *const[]){ "then", "else", "do", NULL }))
                k++;
            if (k < c.n && assignment(&c, k, &name, &tval)) {
                bool used = var_used(r, name);
                free(name);
                for (const char *p = tval; used && (name = next_var(&p)); free(name))
                    grew |= use_var(r, name);
            }
            cmd_done(&c);
        }
    }
    cmd_free(&c);
}

/* Does command i (after then/else/do) assign a variable in r->used? */
static bool sets_used_var(const runner *r, size_t i)
{
    if (!r->used.n)
        return false;
    gcmd c = { 0 };
    cmd_open(r->cmds, i, 4, &c);
    size_t k = 0;
    while (k < c.n && is_kw(W(&c, k), (const char *const[]){ "then", "else", "do", NULL }))
        k++;
    char *name;
    const char *tval;
    bool yes = k < c.n && assignment(&c, k, &name, &tval);
    if (yes) {
        yes = var_used(r, name);
        free(name);
    }
    cmd_free(&c);
    return yes;
}

/* An if ... fi of a body's own level: its branches start at cmds
 * start[0] (the if) .. start[n-1] (each elif, else), fi at `fi`. */
enum { MAX_BRANCH = 8, MAX_IFS = 8, MAX_PATHS = 32, MAX_IF_DEPTH = 8 };
/* The most commands the top level runs in all its ways: a config of
 * ways read 32 times takes 32 times the time and keeps 32 times its
 * entries, and lint checks each (a 700 KB config of 32 ways took 11 s at
 * a million).  A generated grub.cfg runs some hundreds of commands. */
enum { MAX_TOP_WORK = 64 * 1024 };
_Static_assert(MAX_PATHS == 32, "run()'s warning says \"the first 32 ways\"");
typedef struct ifblock {
    size_t start[MAX_BRANCH], n, fi;
    bool has_else;
} ifblock;

/* An if ... fi as a scan from its "if" to its "fi" finds it: kept by
 * its "if" command, so that ifs nested N deep are scanned once in all, not
 * once per level and way (trial 10: 4,000 nested ifs took minutes). */
typedef struct ifmemo {
    ifblock b;
    bool loads;    /* a branch loads Xen or a module, or sets a variable a
                      loader line uses (r->used), at any depth */
    bool overflow; /* more than MAX_BRANCH branches */
} ifmemo;

static size_t ifm_new(runner *r, size_t cmd)
{
    r->ifm = md_xgrow(r->ifm, &r->ifmcap, r->nifm + 1, sizeof *r->ifm);
    r->ifm[r->nifm] = (ifmemo){ .b = { .start = { cmd }, .n = 1 } };
    return r->nifm++;
}

/* The if-block whose "if" is command i, closed before `to` (with the ifs
 * inside it, each learnt on the way); NULL when it is not. */
static const ifmemo *if_memo(runner *r, size_t i, size_t to)
{
    if (!r->ifm_at)
        r->ifm_at = md_xcalloc(r->cmds->n ? r->cmds->n : 1, sizeof *r->ifm_at);
    if (r->ifm_at[i])
        return r->ifm[r->ifm_at[i] - 1].b.fi < to ? &r->ifm[r->ifm_at[i] - 1] : NULL;
    size_t *open = NULL, nopen = 0, opencap = 0; /* the ifs not closed yet */
    open = md_xgrow(open, &opencap, 1, sizeof *open);
    open[nopen++] = ifm_new(r, i);
    const ifmemo *done = NULL;
    for (size_t k = i + 1; k < to && !done; k++) {
        size_t cl = rclose(r, k);
        if (cl) {
            k = cl;
            continue;
        }
        ifmemo *top = &r->ifm[open[nopen - 1]];
        bool is_else;
        const char *w0 = lead_kw(r, k, &is_else);
        if (is_else || !strcmp(w0, "elif")) {
            if (top->b.n == MAX_BRANCH)
                top->overflow = true;
            else
                top->b.start[top->b.n++] = k;
            top->b.has_else |= is_else;
        }
        if (!strcmp(w0, "if") && r->ifm_at[k]) {
            const ifmemo *m = &r->ifm[r->ifm_at[k] - 1];
            if (m->b.fi >= to)
                break;
            top->loads |= m->loads;
            k = m->b.fi;
        } else if (!strcmp(w0, "if")) {
            size_t x = ifm_new(r, k);
            open = md_xgrow(open, &opencap, nopen + 1, sizeof *open);
            open[nopen++] = x;
        } else if (!strcmp(w0, "fi")) {
            size_t x = open[--nopen];
            r->ifm[x].b.fi = k;
            r->ifm_at[r->ifm[x].b.start[0]] = (uint32_t)(x + 1);
            if (nopen)
                r->ifm[open[nopen - 1]].loads |= r->ifm[x].loads;
            else
                done = &r->ifm[x];
        } else if (is_loader_cmd(w0) || sets_used_var(r, k)) {
            top->loads = true;
        }
    }
    free(open);
    return done;
}

/* The if-blocks of [from, to), at its own level, whose branches (at any
 * depth) load Xen or a module; 0 when none; SIZE_MAX when there are more
 * than this reader follows (MAX_IFS, MAX_BRANCH) or one is not closed. */
static size_t find_ifs(runner *r, size_t from, size_t to, ifblock *ifs)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        size_t cl = rclose(r, i);
        if (cl) {
            i = cl;
            continue;
        }
        bool is_else;
        if (strcmp(lead_kw(r, i, &is_else), "if"))
            continue;
        const ifmemo *m = if_memo(r, i, to);
        if (!m || m->overflow || (m->loads && n == MAX_IFS))
            return SIZE_MAX;
        if (m->loads)
            ifs[n++] = m->b;
        i = m->b.fi;
    }
    return n;
}

/* Commands [*from, *to) of branch `j` of `b`: after its if/elif
 * condition; an else's own command too ("else multiboot2 ..."). */
static void branch_range(runner *r, const ifblock *b, size_t j, size_t *from, size_t *to)
{
    bool is_else;
    lead_kw(r, b->start[j], &is_else);
    *from = b->start[j] + !is_else;
    *to = j + 1 < b->n ? b->start[j + 1] : b->fi;
}

/* How many ways GRUB can run [from, to): one branch of each loading if
 * (or none, without else), nested ifs inside a branch multiplied in.
 * MAX_PATHS + 1 when there are more than this reader follows (or nesting
 * past MAX_IF_DEPTH, or too many ifs or branches to list). */
static size_t count_paths(runner *r, size_t from, size_t to, unsigned depth)
{
    ifblock ifs[MAX_IFS];
    size_t n = find_ifs(r, from, to, ifs);
    if (n == SIZE_MAX || (n && depth >= MAX_IF_DEPTH))
        return MAX_PATHS + 1;
    size_t total = 1;
    for (size_t j = 0; j < n; j++) {
        size_t ways = !ifs[j].has_else;
        for (size_t b = 0; b < ifs[j].n && ways <= MAX_PATHS; b++) {
            size_t bf, bt;
            branch_range(r, &ifs[j], b, &bf, &bt);
            ways += count_paths(r, bf, bt, depth + 1);
        }
        if (ways > MAX_PATHS || (total *= ways) > MAX_PATHS)
            return MAX_PATHS + 1;
    }
    return total;
}

/* Mark in `skip` (skip[i - base] for command i) the commands of [from, to)
 * that path number `p` (0 .. count_paths() - 1) does not run: every loading
 * if with its condition lines, but the commands of the branch the path
 * takes, recursively. */
static void choose_path(runner *r, size_t from, size_t to, size_t p, bool *skip,
                        size_t base, unsigned depth)
{
    ifblock ifs[MAX_IFS];
    /* past MAX_IF_DEPTH count_paths no longer tells the ways apart, and
     * going on would scan the rest of the body once per level (trial 10:
     * 4,000 nested ifs took minutes): deeper branches run as they are */
    size_t n = depth < MAX_IF_DEPTH ? find_ifs(r, from, to, ifs) : SIZE_MAX;
    if (n == SIZE_MAX)
        return;
    for (size_t j = 0; j < n; j++) {
        const ifblock *b = &ifs[j];
        size_t ways = !b->has_else, w[MAX_BRANCH];
        for (size_t k = 0; k < b->n; k++) {
            size_t bf, bt;
            branch_range(r, b, k, &bf, &bt);
            ways += w[k] = count_paths(r, bf, bt, depth + 1);
        }
        size_t q = p % ways;
        p /= ways;
        for (size_t i = b->start[0]; i <= b->fi; i++)
            skip[i - base] = true;
        for (size_t k = 0; k < b->n; k++) {
            if (q >= w[k]) {
                q -= w[k];
                continue;
            }
            size_t bf, bt;
            branch_range(r, b, k, &bf, &bt);
            for (size_t i = bf; i < bt; i++)
                skip[i - base] = false;
            choose_path(r, bf, bt, q, skip, base, depth + 1);
            break;
        } /* q left past every branch: the path with none (no else) */
    }
}

/* Can choose_path tell the ways of [from, to) apart: its loading ifs are
 * few enough (find_ifs), whatever their count of ways? */
static bool enumerable(runner *r, size_t from, size_t to)
{
    ifblock ifs[MAX_IFS];
    return find_ifs(r, from, to, ifs) != SIZE_MAX;
}

/* One run of commands: the body being read and where its entry stands. */
typedef struct frame {
    gstate *s;
    const char *title;
    bool top;          /* GRUB's top level, not a body */
    unsigned calls;    /* function calls running in it ... */
    int fcond;         /* ... the innermost one's cond when it started ... */
    bool ret;          /* ... and whether it ran 'return' */
    int cond, cond0;   /* if/while/for open (cond0: the body itself may not run) */
    unsigned depth;    /* bodies and calls around it */
    unsigned call_line; /* the innermost function call running; 0: none */
    md_bootcfg_entry *cur; /* the entry its last multiboot line started */
    deferred *defer;       /* blocks whose bodies run after it */
    size_t ndefer, dcap;
    struct floop {
        char *name;        /* a for's variable; NULL: a while or until */
        md_strv vals;      /* its words ... */
        bool known;        /* ... when each is fixed, at most MAX_PATHS */
    } *loops;              /* the loops open, innermost last */
    size_t nloops, lcap;
} frame;

/* Close the loops of `f` opened after the first `n`. */
static void loops_close(frame *f, size_t n)
{
    for (; f->nloops > n; f->nloops--) {
        free(f->loops[f->nloops - 1].name);
        md_strv_free(&f->loops[f->nloops - 1].vals);
    }
}

static void defer_push(frame *f, size_t i, md_strv *args, size_t first)
{
    f->defer = md_xgrow(f->defer, &f->dcap, f->ndefer + 1, sizeof *f->defer);
    f->defer[f->ndefer++] = (deferred){ i, args, first };
}

/* Block command `c` (command i) defined in frame `f`: its body runs after
 * the frame, with $1.. its words as they are now.  GRUB expands a
 * menuentry's words when the menuentry command runs, and grub_cmd_menuentry()
 * (grub-core/commands/menuentry.c) keeps them for its body's setparams,
 * so "for m in 1G 2G; do menuentry \"Xen $m\" \"$m\" {...}" defines
 * "Xen 1G" whose $2 is 1G, then "Xen 2G" (issue 10).  So one definition
 * per value of each open for loop whose variable its words use, up to
 * MAX_PATHS in all; past that, or when a loop's words are not known, the
 * loop's variable has no fixed value and the words that use it are
 * unknown (expand_args): a line that uses them is "cannot check". */
static void defer_block(frame *f, const gcmd *c, size_t i)
{
    bool vars = false;
    for (size_t k = entry_word(c, 1); k < c->n && !vars; k = entry_word(c, k + 1))
        vars = strchr(T(c, k), VAR_BARE) || strchr(T(c, k), VAR_QUOTED);
    if (!vars) {
        defer_push(f, i, NULL, SIZE_MAX);
        return;
    }
    size_t *use = md_xcalloc(f->nloops + 1, sizeof *use), nuse = 0, ways = 1;
    for (size_t l = 0; l < f->nloops; l++) {
        bool used = false;
        for (size_t k = entry_word(c, 1); f->loops[l].name && k < c->n && !used;
             k = entry_word(c, k + 1))
            used = uses_var(T(c, k), f->loops[l].name);
        if (!used)
            continue;
        if (!f->loops[l].known || (ways *= f->loops[l].vals.n) > MAX_PATHS) {
            nuse = 0, ways = 1;
            break;
        }
        use[nuse++] = l;
    }
    size_t *at = md_xcalloc(nuse + 1, sizeof *at); /* each loop's value, an odometer */
    for (size_t w = 0; w < ways; w++) {
        gstate one;
        state_over(&one, f->s);
        for (size_t j = 0; j < nuse; j++) {
            const struct floop *l = &f->loops[use[j]];
            var_assign(&one, l->name, l->vals.v[at[j]], true);
        }
        md_strv *args = md_xcalloc(1, sizeof *args);
        size_t first = expand_args(&one, c, 1, true, args, NULL);
        defer_push(f, i, args, first);
        state_free(&one);
        for (size_t j = 0; j < nuse && ++at[j] == f->loops[use[j]].vals.n; j++)
            at[j] = 0;
    }
    free(at);
    free(use);
}

static void func_call(runner *r, size_t def, const gcmd *call, frame *f, gcmd *held,
                      gcmd *held2);

/* The variables loader line `c` used that a submenu's context hides
 * (gbudget.hidden): each a warning naming where it was set and the
 * export that makes GRUB copy it; what the line then lacks is the traps'. */
static void note_hidden(runner *r, const frame *f, const gcmd *c)
{
    md_strv *h = &f->s->budget->hidden;
    for (size_t i = 0; i < h->n; i++) {
        unsigned at = 0;
        uint64_t hh = md_hindex_hash(h->v[i], strlen(h->v[i]));
        for (const gstate *u = f->s; u && !at; u = u->up) {
            const gvar *g = var_here(u, h->v[i], hh);
            at = g ? g->line : 0;
        }
        char *set = at ? md_xasprintf(" (set on line %u)", at) : md_xstrdup("");
        char *after = at ? md_xasprintf("after line %u", at) : md_xstrdup("before the submenu");
        md_bootcfg_problem *p = md_bootcfg_add_problem(
            r->out, c->line,
            md_xasprintf("%s%s%sline %u uses $%s%s, which is not exported: GRUB runs a submenu "
                         "in a new environment that gets only the exported variables "
                         "(grub_env_new_context(), grub-core/normal/context.c), so $%s is empty "
                         "here and the line gets none of its words (Fedora's, RHEL's and "
                         "EVE-OS's patched GRUB copy every variable; upstream's, Debian's and "
                         "Ubuntu's do not); add 'export %s' %s",
                         f->title ? "menuentry '" : "", f->title ? f->title : "",
                         f->title ? "': " : "", c->line, h->v[i], set, h->v[i], h->v[i],
                         after));
        p->warning = true;
        free(set);
        free(after);
    }
    md_strv_free(h);
    md_hindex_free(&f->s->budget->hidx);
}

/* The command name of `c` (its word k) when it holds a variable, as GRUB
 * expands it before it looks the command up (grub_script_execute_cmdline(),
 * grub-core/script/execute.c: the name is argv[0] of the expanded words),
 * so "$load_hv_cmd /boot/xen.gz ..." after "set load_hv_cmd=multiboot2" is
 * a multiboot2 line (trial10g 6).  Known: `named` gets the command with
 * its name expanded, true.  A value this file does not fix (set inside an
 * if or a function's `set $1=...`, never set): a line with arguments (or one
 * whose possible values include a loader) may load Xen or a module and is
 * "cannot check", naming the line; false when the command is not run.
 * No variable in the name: `named` stays empty, true. */
static bool command_name(runner *r, const frame *f, const gcmd *c, size_t k, gcmd *named)
{
    const char *t = T(c, k);
    if (!strchr(t, VAR_BARE) && !strchr(t, VAR_QUOTED))
        return true;
    md_strv w = { 0 }, unknown = { 0 }, maybe = { 0 };
    gexp x = { &w, &unknown, &maybe, { 0 }, 0, NULL, NULL };
    expand_cmd(f->s, c, k, k + 1, &x);
    unfixed_vars(f->s, t, &unknown, &x.uidx);
    gexp_done(&x);
    if (!unknown.n) {
        /* no word of it is bare (a real { or }): it is a command */
        for (size_t j = 0; j < w.n; j++)
            cmd_add(named, w.v[j], w.v[j], false);
        for (size_t j = k + 1; j < c->n; j++)
            cmd_add(named, W(c, j), T(c, j), false);
        named->line = c->line;
        md_strv_free(&w);
        md_strv_free(&maybe);
        return named->n > 0; /* a name that expands to nothing: no command */
    }
    bool loader = c->n > k + 1;
    for (size_t j = 0; j < maybe.n && !loader; j++)
        loader = is_loader_cmd(maybe.v[j]);
    if (loader) {
        char *m = md_xasprintf("%s%s%scannot check line %u: its command is named by $%s, whose "
                               "value when the line runs this file does not fix (never set, "
                               "set only inside if/loops, by a function through its arguments "
                               "('set $1=...'), or from grubenv or the environment), so what "
                               "it loads (Xen, a module) and with which parameters is not "
                               "checked",
                               f->title ? "menuentry '" : "", f->title ? f->title : "",
                               f->title ? "': " : "", c->line, unknown.v[0]);
        if (!r->out->unread) {
            /* the reason there is no entry, when there is none */
            r->out->unread = m;
            r->out->unread_line = c->line;
        } else {
            md_bootcfg_problem *p = md_bootcfg_add_problem(r->out, c->line, m);
            p->warning = p->unchecked = true;
        }
    }
    md_strv_free(&w);
    md_strv_free(&unknown);
    md_strv_free(&maybe);
    return false;
}

/* Words [k, c->n) of line c joined by single spaces ("source
 * /boot/grub/custom.cfg"), as findings quote a line.  Caller frees. */
static char *line_words(const gcmd *c, size_t k)
{
    md_strv rest = { 0 };
    for (size_t j = k; j < c->n; j++)
        md_strv_push(&rest, W(c, j));
    char *t = md_strv_join(&rest, " ");
    md_strv_free(&rest);
    return t;
}

static bool run_other(runner *r, frame *f, const gcmd *c, size_t k);

/* Run commands [from, to) in frame `f`. */
static void run_cmds(runner *r, size_t from, size_t to, frame *f)
{
    const gcmds *cmds = r->cmds;
    gstate *s = f->s;
    gcmd cmd = { 0 };    /* the words of the command being run */
    gcmd byname = { 0 }; /* a command whose name was a variable, expanded */
    for (size_t i = from; i < to && !f->ret; i++) {
        cmd_done(&cmd);
        cmd_done(&byname);
        s->budget->line = cmds->v[i].line;
        size_t cl = rclose(r, i);
        if (skipped(r, i)) {
            if (cl)
                i = cl;
            continue;
        }
        cmd_open(cmds, i, SIZE_MAX, &cmd);
        const gcmd *c = &cmd;
        if (cl && !strcmp(W(c, 0), "function")) {
            /* defined now; its body runs where it is called (func_call) */
            if (c->n > 1 && cl < cmds->n)
                func_define(r, W(c, 1), i);
            i = cl;
            continue;
        }
        if (cl) {
            add_entry(r->out, &f->cur);
            /* nesting deeper than any menu: not followed (the stack), and
             * said, or an entry there would pass unread (trial 9) */
            if (cl < cmds->n && f->depth < MAX_DEPTH) {
                defer_block(f, c, i);
            } else if (cl < cmds->n && !r->out->unread) {
                /* said by the caller: a warning beside the entries read, or
                 * the reason there are none */
                r->out->unread_line = c->line;
                r->out->unread = md_xasprintf("cannot check this '%s' block or anything in "
                                              "it: it is nested more than %d deep (menuentry, "
                                              "submenu, function), the most mkdom0 follows",
                                              W(c, 0), (int)MAX_DEPTH);
            }
            i = cl;
            continue;
        }
        if (is_brace(c, "}") || is_brace(c, "{"))
            continue;
        size_t k = 0;
        while (k < c->n && is_kw(W(c, k), (const char *const[]){ "then", "else", "do", NULL }))
            k++;
        if (k == c->n)
            continue;
        if (!command_name(r, f, c, k, &byname))
            continue;
        if (byname.n)
            c = &byname, k = 0;
        const char *w0 = W(c, k);
        ssize_t fn = func_find(r, w0);
        if (fn >= 0) {
            func_call(r, (size_t)fn, c, f, &cmd, &byname);
            continue;
        }
        bool loop = !strcmp(w0, "for") || !strcmp(w0, "while") || !strcmp(w0, "until");
        if (loop) {
            f->loops = md_xgrow(f->loops, &f->lcap, f->nloops + 1, sizeof *f->loops);
            memset(&f->loops[f->nloops++], 0, sizeof *f->loops);
        }
        if (!strcmp(w0, "if") || (loop && strcmp(w0, "for"))) {
            f->cond++;
            continue;
        }
        if (!strcmp(w0, "for")) {
            f->cond++;
            /* for NAME in WORDS: NAME takes each, or none; kept for the
             * menuentries defined inside (defer_block) */
            struct floop *l = &f->loops[f->nloops - 1];
            md_strv_pooled(&l->vals);
            size_t unknown = expand_args(s, c, k + 3, false, &l->vals, NULL);
            for (size_t j = 0; k + 1 < c->n && j < l->vals.n; j++)
                var_assign(s, W(c, k + 1), l->vals.v[j], false);
            l->known = k + 1 < c->n && unknown == SIZE_MAX && l->vals.n <= MAX_PATHS;
            if (l->known)
                l->name = md_xstrdup(W(c, k + 1));
            else
                md_strv_free(&l->vals);
            continue;
        }
        if (is_kw(w0, (const char *const[]){ "fi", "done", NULL })) {
            if (f->cond > f->cond0)
                f->cond--;
            if (!strcmp(w0, "done") && f->nloops)
                loops_close(f, f->nloops - 1);
            continue;
        }
        if (f->top && !k)
            note_setting(&r->set, c);
        char *name;
        const char *tval;
        if (assignment(c, k, &name, &tval)) {
            md_strv w = { 0 }, unknown = { 0 };
            gexp x = { &w, &unknown, NULL, { 0 }, 0, NULL, NULL };
            expand_one(s, tval, &x);
            gexp_done(&x);
            char *v = md_strv_join(&w, " ");
            worigin_assign(s, tval, v);
            /* a value built from one too long to follow is too long itself
             * (trial10b: 22 doublings gave a definite "no dom0_mem") */
            bool from_opaque = false;
            for (size_t j = 0; j < unknown.n && !from_opaque; j++) {
                const gvar *u = var_get(s, unknown.v[j], false);
                from_opaque = u && u->opaque;
            }
            /* "set v2=\"$v1 $v1\"" doubling: no loader holds it */
            if (from_opaque || strlen(v) > MAX_VALUE) {
                var_assign(s, name, "", false);
                gvar *g = var_get(s, name, false);
                gmaybe_free(g);
                g->opaque = true;
            } else {
                /* a value built from an unknown one is unknown itself */
                var_assign(s, name, v, !f->cond && !unknown.n);
                var_get(s, name, false)->opaque = false;
            }
            free(v);
            md_strv_free(&w);
            md_strv_free(&unknown);
            free(name);
            continue;
        }
        if (!strcmp(w0, "return") && f->calls) {
            /* GRUB's return ends the function (script/main.c: "the same
             * semantics as bash"); inside an if or loop it may: what
             * follows may not run */
            if (f->cond > f->fcond)
                f->cond++, f->cond0++;
            else
                f->ret = true;
            continue;
        }
        if (!strcmp(w0, "shift")) {
            /* shift [N] (script/execute.c grub_script_shift): $1.. move
             * down N; more than there are: an error, nothing moves */
            md_strv cur = { 0 };
            const char *nw = k + 1 < c->n ? W(c, k + 1) : "1";
            char *e;
            unsigned long n = strtoul(nw, &e, 10);
            if (f->cond || *e || strchr(nw, '$') || !params_get(s, &cur)) {
                params_opaque(s);
            } else if (n <= cur.n) {
                md_strv rest = { 0 };
                unsigned at[9] = { 0 }; /* where each one's text is written */
                for (size_t j = n; j < cur.n; j++) {
                    md_strv_push(&rest, cur.v[j]);
                    const gvar *g = j < 9 ? var_get(s, pos_names[j], false) : NULL;
                    if (g)
                        at[j - n] = g->line;
                }
                params_set(s, &rest);
                for (size_t j = 0; j < 9 && j < rest.n; j++)
                    var_get(s, pos_names[j], true)->line = at[j];
                md_strv_free(&rest);
            }
            md_strv_free(&cur);
            continue;
        }
        if (!strcmp(w0, "setparams")) {
            /* setparams WORDS: the whole list (script/execute.c
             * grub_script_setparams) */
            md_strv w = { 0 }, unknown = { 0 };
            gexp x = { &w, &unknown, NULL, { 0 }, 0, NULL, NULL };
            expand_cmd(s, c, k + 1, c->n, &x);
            gexp_done(&x);
            if (f->cond || unknown.n)
                params_opaque(s);
            else
                params_set(s, &w);
            md_strv_free(&w);
            md_strv_free(&unknown);
            continue;
        }
        if (!strcmp(w0, "unset")) {
            for (size_t j = k + 1; j < c->n; j++)
                var_assign(s, W(c, j), "", !f->cond);
            continue;
        }
        if (!strcmp(w0, "export")) {
            /* grub_env_export(): global from now on, created empty when
             * unset (one never set here stays unknown: it may come from
             * GRUB or grubenv) */
            for (size_t j = k + 1; j < c->n; j++) {
                if (strchr(W(c, j), '$'))
                    continue;
                gvar *g = var_get(s, W(c, j), true);
                if (!gval(g) && !gmaybe_n(g) && g->uncertain)
                    g->opaque = true;
                g->exported = !f->cond || g->exported == EXP_YES ? EXP_YES : EXP_MAYBE;
            }
            continue;
        }
        note_regexp(s, c, k);
        bool other = !strcmp(w0, "source") || !strcmp(w0, ".") || !strcmp(w0, "configfile");
        if (other && r->files && run_other(r, f, c, k))
            continue;
        if (!r->out->include && other && !r->fname) { /* the config's own line */
            /* its menu entries are in a file this reader does not see */
            r->out->include = line_words(c, k);
            r->out->include_line = c->line;
        }
        bool all = !strcmp(w0, "load_env") || !strcmp(w0, "source") || !strcmp(w0, ".") ||
                   !strcmp(w0, "eval");
        if (all || !strcmp(w0, "read")) {
            /* Another file (or text) may set any variable: load_env [-f
             * FILE] [-s] [NAME...] the ones it names, or all stored in
             * grubenv (GRUB manual, "load_env"); read NAME... what is
             * typed.  Each becomes unknown, not its old value "maybe"
             * (trial10d 14-16: the value before load_env passed). */
            bool named = false;
            for (size_t j = k + 1; (!strcmp(w0, "load_env") || !strcmp(w0, "read")) && j < c->n;
                 j++) {
                if (W(c, j)[0] == '-') {
                    j += !strcmp(W(c, j), "-f") || !strcmp(W(c, j), "--file");
                    continue;
                }
                named = true;
                var_opaque(s, W(c, j));
            }
            if (!strcmp(w0, "read"))
                continue;
            md_strv known = { 0 };
            for (const gstate *u = s; !named && u; u = u->up)
                for (size_t j = 0; j < u->n; j++)
                    if (var_get(s, var_name(u, &u->v[j]), false) == &u->v[j] &&
                        !u->v[j].opaque)
                        md_strv_push(&known, var_name(u, &u->v[j]));
            for (size_t j = 0; j < known.n; j++)
                var_opaque(s, known.v[j]);
            md_strv_free(&known);
            continue;
        }
        for (size_t j = k + 1; j < c->n; j++) {
            /* smbios --set NAME, regexp --set=N:NAME (-s), probe/search
             * --set[=NAME]: the value comes from the machine or the text
             * matched, which the file does not fix (trial10d 16, 16b) */
            const char *o = W(c, j), *n = NULL;
            if (!strncmp(o, "--set=", 6))
                n = o + 6;
            else if ((!strcmp(o, "--set") || (!strcmp(o, "-s") && !strcmp(w0, "regexp"))) &&
                     j + 1 < c->n && W(c, j + 1)[0] != '-')
                n = W(c, ++j);
            else if (!strcmp(o, "--set"))
                n = "root"; /* search --set: root */
            if (n && strrchr(n, ':'))
                n = strrchr(n, ':') + 1;
            if (n && *n)
                var_opaque(s, n);
        }
        /* search.fs_uuid, search.fs_label and search.file NAME VARIABLE
         * [HINTS...] set VARIABLE to the device found (grub_cmd_do_search()
         * in grub-core/commands/search.c), as Debian's ESP stub sets root */
        if ((!strcmp(w0, "search.fs_uuid") || !strcmp(w0, "search.fs_label") ||
             !strcmp(w0, "search.file")) && c->n > k + 2)
            var_opaque(s, W(c, k + 2));
        /* Arm: xen_hypervisor and xen_module (GRUB 2.02: xen_linux,
         * xen_initrd), a family of their own (mb2 false throughout). */
        bool arm = !strcmp(w0, "xen_hypervisor");
        bool mb = !strcmp(w0, "multiboot2") || !strcmp(w0, "multiboot") || arm;
        bool mod = !strcmp(w0, "module2") || !strcmp(w0, "module") ||
                   !strcmp(w0, "xen_module") || !strcmp(w0, "xen_linux") ||
                   !strcmp(w0, "xen_initrd");
        if (mb && f->cur && !f->top && !arm && !f->cur->arm && r->capped) {
            /* branches read beside each other (run(): past MAX_PATHS):
             * the later one is the entry, with no claim that it replaces */
            md_bootcfg_entry_free(f->cur);
            f->cur = NULL;
        } else if (mb && f->cur && !f->top && !arm && !f->cur->arm) {
            /* A second multiboot2 (multiboot) in one entry replaces the
             * first and the modules loaded after it: grub_multiboot2_init_mbi()
             * (grub-core/loader/multiboot_mbi2.c; multiboot_mbi.c alike)
             * starts with grub_multiboot2_free_mbi(), which frees the
             * command line and every module.  Only the last one boots
             * (trial10b case 11). */
            const char *tq = f->title ? "menuentry '" : "", *tt = f->title ? f->title : "",
                       *te = f->title ? "': " : "";
            /* the same line run again (a loop, a recursive function): no
             * line to remove (fresh-user trial of #10, 2026-12-03, case 8) */
            char *why = f->cur->xen.line == c->line
                ? md_xasprintf("%s%s%sthe %s on line %u runs more than once in this entry (a "
                               "loop or a recursive call): each run replaces the one before "
                               "and the modules loaded after it (GRUB frees them: "
                               "grub_multiboot2_init_mbi()); only the last run's Xen and "
                               "modules were checked", tq, tt, te, w0, c->line)
                : md_xasprintf("%s%s%sthe %s on line %u never boots: the %s on line %u "
                               "replaces it and the modules loaded after it (GRUB frees them: "
                               "grub_multiboot2_init_mbi()); only line %u's Xen and the "
                               "modules after it were checked; remove line %u",
                               tq, tt, te, f->cur->xen.mb2 ? "multiboot2" : "multiboot",
                               f->cur->xen.line, w0, c->line, c->line, f->cur->xen.line);
            md_bootcfg_problem *p = md_bootcfg_add_problem(r->out, f->cur->xen.line, why);
            p->note = true;
            md_bootcfg_entry_free(f->cur);
            f->cur = NULL;
        }
        md_strv_free(&s->budget->hidden);
        md_hindex_free(&s->budget->hidx);
        if (!strcmp(w0, "chainloader")) {
            /* EFI: another program boots, maybe Xen's EFI loader, which
             * reads its own xen.cfg: recorded for the caller to follow */
            r->out->chains = md_xgrow(r->out->chains, &r->out->chains_cap, r->out->nchains + 1,
                                      sizeof *r->out->chains);
            md_bootcfg_chain *ch = &r->out->chains[r->out->nchains++];
            memset(ch, 0, sizeof *ch);
            ch->title = f->title ? md_xstrdup(f->title) : NULL;
            read_file(s, c, k, &ch->file, NULL, true);
            continue;
        }
        if (mb) {
            add_entry(r->out, &f->cur);
            f->cur = md_xcalloc(1, sizeof *f->cur);
            f->cur->title = md_xstrdup_or_null(f->title);
            f->cur->arm = arm;
            f->cur->xen.mb2 = !strcmp(w0, "multiboot2");
            read_file(s, c, k, &f->cur->xen, NULL, false);
            f->cur->xen.call_line = f->call_line;
            note_hidden(r, f, c);
        } else if (mod && f->cur) {
            add_module(f->cur, s, c, k);
            f->cur->mods[f->cur->nmods - 1].call_line = f->call_line;
            note_hidden(r, f, c);
        } else if (f->cur && !f->cur->arm &&
                   is_kw(w0, (const char *const[]){ "linux", "linux16", "linuxefi", "initrd",
                                                    "initrd16", "initrdefi", NULL })) {
            /* GRUB's linux and initrd are the Linux loader's, not Xen's */
            const char *loader = f->cur->xen.mb2 ? "multiboot2" : "multiboot";
            bool initrd = !strncmp(w0, "initrd", 6);
            char *fix = linux_as_module(s, c, k, f->cur->xen.mb2, initrd);
            md_bootcfg_problem *p = md_bootcfg_add_problem(
                r->out, c->line,
                md_xasprintf("%s%s%s%s after %s (line %u): %s; use %s", f->title ? "menuentry '" : "",
                             f->title ? f->title : "", f->title ? "': " : "", w0, loader,
                             f->cur->xen.line,
                             initrd ? "GRUB's initrd belongs to its linux loader and "
                                      "stops the entry with 'you need to load the kernel "
                                      "first', so dom0 never starts"
                                    : "GRUB's linux loader replaces the Xen one, so the "
                                      "entry boots Linux without Xen",
                             fix));
            p->fix = fix;
        }
    }
    cmd_free(&cmd);
    cmd_free(&byname);
}

/* Does any command of [from, to) use a positional parameter ($1..$9,
 * $#, $*, $@, ${1}..) or change them (shift, setparams)? */
static bool uses_positional(const runner *r, size_t from, size_t to)
{
    const gcmds *g = r->cmds;
    const char *end = g->s + (to < g->n ? g->v[to].off : g->len);
    for (const char *p = from < g->n ? g->s + g->v[from].off : end; p < end; p = rec_end(p)) {
        const char *w = p + 1;
        if (!strcmp(w, "shift") || !strcmp(w, "setparams"))
            return true;
        for (const char *d = strchr(w, '$'); d; d = strchr(d + 1, '$')) {
            const char *q = d[1] == '{' ? d + 2 : d + 1;
            if ((*q >= '1' && *q <= '9') || (*q && strchr("#*@", *q)))
                return true;
        }
    }
    return false;
}

/* A function called in frame `f`: its body runs there, on the caller's
 * state and entry, as GRUB runs it (grub_script_function_call()), so
 * "load_xen" with a multiboot2 inside, then module2 lines, is one entry
 * (trial10c case 7), with $1.. its arguments.  Calls nested past MAX_DEPTH
 * are not followed, and said. */
static void func_call(runner *r, size_t def, const gcmd *call, frame *f, gcmd *held,
                      gcmd *held2)
{
    size_t i = r->fdef[def].cmd, body = rbody(r, i), close = rclose(r, i);
    const gcmds *cs = r->cmds;
    r->called += close - body;
    r->called_bytes += (close < cs->n ? cs->v[close].off : cs->len) -
                       (body < cs->n ? cs->v[body].off : cs->len);
    if (f->depth >= MAX_DEPTH || r->called > MAX_CALLED ||
        r->called_bytes > (size_t)MAX_CALLED_MIB << 20) {
        if (!r->out->unread) {
            r->out->unread_line = call->line;
            r->out->unread = md_xasprintf("cannot check this call of function '%s' or "
                                          "anything it loads: calls and blocks nest more than "
                                          "%d deep, or calls run more than %d commands in all "
                                          "(or %d MiB of them), the most mkdom0 follows",
                                          cmd_word(r, i, 1), (int)MAX_DEPTH, (int)MAX_CALLED,
                                          (int)MAX_CALLED_MIB);
        }
        return;
    }
    /* GRUB runs the body with the call's words as $1.. and gives the
     * caller its own back after (grub_script_function_call(),
     * grub-core/script/execute.c): a menuentry's $1 (its title) is not
     * the function's.  A word with a variable in it is not followed. */
    int cond = f->cond, cond0 = f->cond0, fcond = f->fcond;
    size_t nloops = f->nloops;
    unsigned call_line = f->call_line;
    f->call_line = call->line;
    f->fcond = f->cond;
    f->calls++;
    if (!r->fdef[def].positional) {
        /* nothing to give it: no copies (a recursive call runs this a
         * million times, MAX_CALLED) */
        cmd_free(held); /* the caller's words: no call deep holds its line's */
        cmd_free(held2);
        f->depth++;
        run_cmds(r, body, close, f);
        f->depth--;
    } else {
        /* the call's words as GRUB passes them: its variables expanded
         * and split on the caller's state (grub_script_arglist_to_argv()),
         * so "xen_entry $mem" gives $1 the value of $mem, which a finding
         * then names, not "$1" (issue 10, L2) */
        md_strv args = { 0 };
        /* where each word's text is written: "xen_entry $mem" passes
         * the text of mem's assignment line, not of the call's */
        md_bootcfg_file src = { .line = call->line };
        size_t first = expand_args(f->s, call, 1, false, &args, &src);
        gvar saved[NPOS];
        for (int k = 0; k < NPOS; k++) {
            /* the caller's, moved aside (not copied); never set: unknown
             * after, as it was */
            gvar *g = var_get(f->s, pos_names[k], true);
            saved[k] = (gvar){ .val = g->val, .inl = g->inl, .maybe = g->maybe,
                               .uncertain = g->uncertain, .opaque = g->opaque };
            g->val.heap = NULL;
            g->inl = 0;
            g->maybe = NULL;
        }
        params_from(f->s, &args, first);
        for (size_t k = 0; k < 9 && k < args.n; k++) {
            unsigned at = md_bootcfg_from_line(&src, args.v[k]);
            if (at)
                var_get(f->s, pos_names[k], true)->line = at & ((1u << 27) - 1);
        }
        md_bootcfg_file_free(&src);
        md_strv_free(&args);
        cmd_free(held);
        cmd_free(held2);
        f->depth++;
        run_cmds(r, body, close, f);
        f->depth--;
        for (int k = 0; k < NPOS; k++) {
            gvar *g = var_get(f->s, pos_names[k], true);
            gval_set(g, NULL);
            gmaybe_free(g);
            g->val = saved[k].val;
            g->inl = saved[k].inl;
            g->maybe = saved[k].maybe;
            g->uncertain = saved[k].uncertain;
            g->opaque = saved[k].opaque;
        }
    }
    f->ret = false;
    f->calls--;
    f->call_line = call_line;
    f->cond = cond, f->cond0 = cond0, f->fcond = fcond;
    loops_close(f, nloops); /* a loop its body left open (no done) */
}

/* Run commands [from, to) on state `s` as GRUB does: the top level
 * (`top`), or a body run later; `cond0` > 0 when the body itself may or may
 * not run (a function's). */
static void run(runner *r, size_t from, size_t to, gstate *s, const char *title, bool top,
                int cond0, unsigned depth)
{
    const gcmds *cmds = r->cmds;
    /* GRUB runs one branch of an if/else: a menu entry whose branches load
     * Xen or its modules is read once per path (each branch, or none without
     * else), so "multiboot2 A; else multiboot2 B; fi; module2 K" is A,K and
     * B,K, never A then B; an if inside a branch multiplies that
     * branch's ways (trial10b case 7: if efi { if marker { A } else { B } }
     * else { C }: A, B, C).  Same findings of several paths count once
     * (md_lint_add). */
    size_t paths = !r->skip.v ? count_paths(r, from, to, 0) : 1;
    /* the top level too, when its ifs set a variable a loader line uses,
     * so each entry is read once per way (fresh-user trial of #10, case
     * 1); past MAX_PATHS, or MAX_TOP_WORK commands in all, it runs once
     * and such a line is "cannot check", as before */
    if (top && (paths > MAX_PATHS || paths * (to - from) > MAX_TOP_WORK))
        paths = 1;
    if (paths > MAX_PATHS && !r->too_many_paths) {
        /* read as one sequence then: said, as it is not what GRUB runs */
        r->too_many_paths = true;
        md_bootcfg_problem *p = md_bootcfg_add_problem(
            r->out, cmds->v[from < cmds->n ? from : 0].line,
            md_xasprintf("cannot check %s%s%s fully: its if/elif/else blocks that load Xen or "
                         "modules give more than %d ways through it (or nest more than %d "
                         "deep), the most mkdom0 follows one by one; %s",
                         title ? "menuentry '" : "this block", title ? title : "",
                         title ? "'" : "", (int)MAX_PATHS, (int)MAX_IF_DEPTH,
                         enumerable(r, from, to) ? "it was checked on the first 32 ways only"
                                                 : "it was checked as one sequence of its "
                                                   "lines"));
        p->warning = true;
        p->unchecked = true;
    }
    /* Past MAX_PATHS the first MAX_PATHS ways are read (choose_path takes
     * any number below that), never all branches as one sequence, whose
     * second multiboot2 would "replace" the first (a false note); where
     * the ifs cannot be told apart at all, the sequence is read, and no
     * replacement is claimed in either case (r->capped). */
    bool was_capped = r->capped;
    if (paths > MAX_PATHS)
        r->capped = true;
    if (paths > MAX_PATHS && !enumerable(r, from, to))
        paths = 1;
    if (paths > MAX_PATHS)
        paths = MAX_PATHS;
    if (paths > 1) {
        /* the body's commands alone: one per command of the file, cleared
         * per path, made a config of many such entries quadratic */
        size_t nskip = to - from + 1;
        bool *skip = md_xcalloc(nskip, sizeof *skip);
        const skipwin outer = r->skip;
        for (size_t p = 0; p < paths; p++) {
            memset(skip, 0, nskip * sizeof *skip);
            choose_path(r, from, to, p, skip, from, 0);
            gstate path;
            state_over(&path, s);
            r->skip = (skipwin){ skip, from, from + nskip };
            run(r, from, to, &path, title, top, cond0, depth);
            r->skip = outer;
            state_free(&path);
        }
        free(skip);
        r->capped = was_capped;
        return;
    }
    frame f = { .s = s, .title = title, .top = top, .cond = cond0, .cond0 = cond0,
                .depth = depth };
    run_cmds(r, from, to, &f);
    add_entry(r->out, &f.cur);
    loops_close(&f, 0);
    free(f.loops);
    deferred *defer = f.defer;
    size_t ndefer = f.ndefer;
    gcmd c = { 0 };
    for (size_t d = 0; d < ndefer; d++) {
        size_t i = defer[d].cmd;
        const md_strv *a = defer[d].args;
        cmd_open(cmds, i, SIZE_MAX, &c);
        /* the title as GRUB shows it: expanded when it was defined */
        const char *et = a && a->n && defer[d].first ? a->v[0] : entry_title(&c);
        char *t = title ? md_xasprintf("%s>%s", title, et) : md_xstrdup(et);
        gstate body;
        state_over(&body, s);
        body.context = !strcmp(W(&c, 0), "submenu");
        /* $1.. are written on the menuentry's line (their gvar.line) */
        s->budget->line = c.line;
        entry_params(&body, &c, &defer[d]);
        cmd_free(&c);
        if (a) {
            md_strv_free(defer[d].args);
            free(defer[d].args);
        }
        /* past MD_BOOTCFG_MAX_ENTRIES no body can add an entry, and the
         * error says the rest is not checked: running each of them in its
         * ways kept lint at 2.3 s per MiB of 32-way entries (issue 9) */
        if (r->out->over_entries) {
            state_free(&body);
            free(t);
            continue;
        }
        /* a body defined on one way of the top level has ways of its own */
        const skipwin outer = r->skip;
        r->skip = (skipwin){ 0 };
        run(r, rbody(r, i), rclose(r, i), &body, t, false, 0, depth + 1);
        r->skip = outer;
        state_free(&body);
        free(t);
    }
    free(defer);
    r->capped = was_capped;
}

static void runner_free(runner *r)
{
    free(r->b.v);
    free(r->fdef);
    free(r->ifm);
    free(r->ifm_at);
    md_hindex_free(&r->fidx);
    md_strv_free(&r->used);
    md_hindex_free(&r->uidx);
}

/* Name `file` on what the reader added to `out` past entries e0 and
 * problems p0 that names no file yet: they are that file's lines. */
static void name_added(md_bootcfg_list *out, size_t e0, size_t p0, size_t c0, const char *file)
{
    for (size_t i = e0; i < out->n; i++) {
        md_bootcfg_entry *e = out->v[i];
        md_bootcfg_file *fs[] = { &e->xen, &e->kernel };
        for (size_t j = 0; j < 2 + e->nmods; j++) {
            md_bootcfg_file *x = j < 2 ? fs[j] : &e->mods[j - 2];
            if (x->line && !x->file)
                x->file = md_xstrdup(file);
        }
    }
    for (size_t i = p0; i < out->nproblems; i++)
        if (!out->problems[i].file)
            out->problems[i].file = md_xstrdup(file);
    for (size_t i = c0; i < out->nchains; i++)
        if (!out->chains[i].file.file)
            out->chains[i].file.file = md_xstrdup(file);
}

/* "cannot check" line c (command word k) of the file r reads: the file
 * `path` it runs is not read (`why`), so neither are the entries it may
 * hold.  The config's line that led here becomes its include (the reason
 * it has no entry, when it has none), and md_grubcfg_read_files makes the
 * finding a note when the config has no Xen entry at all (gfollow). */
static void other_unread(runner *r, const gcmd *c, size_t k, const char *path, const char *why)
{
    if (!r->out->include) {
        r->out->include = r->fname ? md_xstrdup(r->via) : line_words(c, k);
        r->out->include_line = r->fname ? r->via_line : c->line;
    }
    md_bootcfg_problem *p = md_bootcfg_add_problem(
        r->out, c->line,
        md_xasprintf("cannot check %s %s on line %u: %s, so the menu entries it may hold are "
                     "not read; lint it too", W(c, k), path, c->line, why));
    p->warning = p->unchecked = true;
    if (r->fname)
        p->file = md_xstrdup(r->fname);
    gfollow *fl = r->follow;
    fl->unread = md_xgrow(fl->unread, &fl->cap, fl->nunread + 1, sizeof *fl->unread);
    fl->unread[fl->nunread++] = (struct gunread){
        r->out->nproblems - 1,
        md_xasprintf("not read: %s %s on line %u: %s; this config's Xen entries may be there: "
                     "lint that file too", W(c, k), path, c->line, why)
    };
}

/* A config that ends with no Xen entry (no menu entry, no chainloader
 * line): a file it runs and lint did not read is why, which the "no Xen
 * boot entry" its caller says names (its include: "not checked", or exit
 * 2 for a config given alone), not a line that "cannot check" Xen
 * entries it does not have; each such line stays named, in a note.  With
 * entries, the file may change what they boot (source shares their
 * variables) or add more: "cannot check" (trial10 item 2). */
static void unread_done(gfollow *fl, md_bootcfg_list *out, bool no_entry)
{
    for (size_t i = 0; i < fl->nunread; i++) {
        md_bootcfg_problem *p = &out->problems[fl->unread[i].problem];
        if (no_entry) {
            free(p->msg);
            p->msg = fl->unread[i].note, fl->unread[i].note = NULL;
            p->warning = p->unchecked = false;
            p->note = true;
        }
        free(fl->unread[i].note);
    }
    free(fl->unread);
}

/* The first variable of template `t` that the config sets to a value the
 * reader does not know (a device search finds, a value set under a
 * condition or read from grubenv), or NULL: the finder must not take it
 * for GRUB's own ($prefix: the config's directory).  Caller frees. */
static char *unknown_set_var(const gstate *s, const char *t)
{
    char *name;
    for (const char *p = t; (name = next_var(&p)); free(name)) {
        const gvar *g = var_get((gstate *)s, name, false);
        if (g && (g->uncertain || g->opaque))
            return name;
    }
    return NULL;
}

/* Line c (its command word k: source, '.', configfile) of the file r reads,
 * run as GRUB runs it (md_grubcfg_read_files): the file r->files finds,
 * lexed and run in f's state (source) or a new context of it
 * (configfile), under f's menu title and conditions.  False when the line
 * names no file, or it could not be read (said on the line): then its
 * effect is unknown, as without a finder. */
static bool run_other(runner *r, frame *f, const gcmd *c, size_t k)
{
    md_strv w = { 0 }, unknown = { 0 };
    gexp x = { &w, &unknown, NULL, { 0 }, 0, NULL, NULL };
    expand_cmd(f->s, c, k + 1, c->n, &x);
    gexp_done(&x);
    md_strv_free(&unknown);
    if (!w.n) { /* GRUB: "file name required" */
        md_strv_free(&w);
        return false;
    }
    const char *path = w.v[0];
    bool same = strcmp(W(c, k), "configfile") != 0;
    md_grubcfg_text t = { 0 };
    bool done = false;
    /* Debian's ESP stub: "search.fs_uuid ID root; set prefix=($root)/boot/grub;
     * configfile $prefix/grub.cfg" reads the file of another partition,
     * never the stub's own directory (trial10 merge: the stub found itself) */
    char *var = unknown_set_var(f->s, T(c, k + 1));
    if (var) {
        char *why = md_xasprintf("its path uses $%s, which the config sets to a value lint does "
                                 "not know, such as a device that search finds at boot", var);
        other_unread(r, c, k, path, why);
        free(why);
        free(var);
        md_strv_free(&w);
        return false;
    }
    if (r->nest >= MD_GRUBCFG_MAX_NEST || r->follow->reads >= MD_GRUBCFG_MAX_READS) {
        char *why = md_xasprintf("files that source and configfile run are nested more than %d "
                                 "deep or read more than %d times, the most lint follows",
                                 MD_GRUBCFG_MAX_NEST, MD_GRUBCFG_MAX_READS);
        other_unread(r, c, k, path, why);
        free(why);
        md_strv_free(&w);
        return false;
    }
    r->files->find(r->files->ctx, path, r->fname, &t);
    if (!t.text) {
        other_unread(r, c, k, path, t.why ? t.why : "it is not found");
    } else {
        const runner *loop = NULL;
        for (const runner *u = r; u && !loop; u = u->parent)
            if (u->fkey && t.key && !strcmp(u->fkey, t.key))
                loop = u;
        if (loop && same) {
            /* read once: its entries are the ones read already */
            md_bootcfg_problem *p = md_bootcfg_add_problem(
                r->out, c->line,
                md_xasprintf("%s %s on line %u runs %s, which is being read already (a loop): "
                             "GRUB reads it again each time, without end unless a condition "
                             "stops it; lint read it once", W(c, k), path, c->line,
                             loop->fname ? loop->fname : r->files->name));
            p->warning = true;
            if (r->fname)
                p->file = md_xstrdup(r->fname);
        }
        if (!loop) {
            r->follow->reads++;
            gcmds cmds = { 0 };
            size_t e0 = r->out->n, p0 = r->out->nproblems, c0 = r->out->nchains;
            if (t.len > MD_BOOTCFG_MAX_TEXT) {
                other_unread(r, c, k, path, "it is larger than lint reads");
            } else {
                unsigned open_quote = lex(t.text, t.len, &cmds);
                if (open_quote)
                    add_problem(r->out, open_quote, md_xstrdup("unterminated quote: GRUB "
                                                               "rejects the rest of the file"));
                char *words = r->fname ? NULL : line_words(c, k);
                runner in = { .cmds = &cmds, .out = r->out, .set = r->set, .files = r->files,
                              .fname = t.name, .fkey = t.key, .parent = r, .nest = r->nest + 1,
                              .via = r->fname ? r->via : words,
                              .via_line = r->fname ? r->via_line : c->line,
                              .follow = r->follow };
                find_blocks(&cmds, &in.b, r->out);
                find_used_vars(&in);
                gstate ctx;
                state_over(&ctx, f->s);
                ctx.context = true;
                run(&in, 0, cmds.n, same ? f->s : &ctx, f->title, same ? f->top : true, f->cond,
                    f->depth + 1);
                state_free(&ctx);
                if (same)
                    r->set = in.set;
                runner_free(&in);
                gcmds_free(&cmds);
                free(words);
                name_added(r->out, e0, p0, c0, t.name);
            }
        }
        done = true;
    }
    free(t.text);
    free(t.name);
    free(t.key);
    free(t.why);
    md_strv_free(&w);
    return done;
}

void md_grubcfg_read_files(const char *text, size_t len, const md_grubcfg_files *files,
                           md_bootcfg_list *out)
{
    if (md_bootcfg_too_big(len, out)) /* and the records' offsets fit 32 bits */
        return;
    gcmds cmds = { 0 };
    unsigned open_quote = lex(text, len, &cmds);
    if (open_quote)
        add_problem(out, open_quote,
                    md_xstrdup("unterminated quote: GRUB rejects the rest of the file"));
    size_t first = out->n, chains = out->nchains;
    gfollow follow = { 0 };
    runner r = { .cmds = &cmds, .out = out, .set = { 1, 115200, 3 }, .files = files,
                 .fkey = files ? files->key : NULL, .follow = &follow };
    find_blocks(&cmds, &r.b, out);
    find_used_vars(&r);
    gbudget budget = { .files = files, .out = out };
    gstate s = { .budget = &budget };
    run(&r, 0, cmds.n, &s, NULL, true, 0, 0);
    if (budget.over_line)
        md_grubcfg_too_much(out, NULL, budget.over_line);
    for (size_t i = first; i < out->n; i++) {
        out->v[i]->serial_port = r.set.serial_port;
        out->v[i]->serial_baud = r.set.serial_baud;
        out->v[i]->timeout = r.set.timeout;
    }
    unread_done(&follow, out, out->n == first && out->nchains == chains);
    state_free(&s);
    budget_free(&budget);
    runner_free(&r);
    gcmds_free(&cmds);
}

bool md_grubcfg_wild_match(const char *pat, size_t n, const char *name)
{
    /* GRUB's regex "^...$" of the pattern (make_regex()): '*' is ".*",
     * matched here by going back to the last '*' on a mismatch */
    size_t p = 0, star_p = SIZE_MAX;
    const char *sn = name, *star_s = NULL;
    while (*sn) {
        if (p < n && pat[p] == '*') {
            star_p = ++p;
            star_s = sn;
            continue;
        }
        if (p < n) {
            bool esc = pat[p] == '\\' && p + 1 < n;
            char pc = pat[p + esc];
            if ((!esc && pc == '?') || pc == *sn) {
                p += 1 + esc;
                sn++;
                continue;
            }
        }
        if (star_p == SIZE_MAX)
            return false;
        p = star_p;
        sn = ++star_s;
    }
    while (p < n && pat[p] == '*')
        p++;
    return p == n;
}

bool md_grubcfg_wild_has(const char *pat, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (pat[i] == '\\')
            i++;
        else if (pat[i] == '*' || pat[i] == '?')
            return true;
    }
    return false;
}

char *md_grubcfg_wild_unescape(const char *pat, size_t n)
{
    char *r = md_xmalloc(n + 1), *o = r;
    for (size_t i = 0; i < n; i++) {
        if (pat[i] == '\\' && i + 1 < n)
            i++;
        *o++ = pat[i];
    }
    *o = '\0';
    return r;
}

void md_grubcfg_read(const char *text, size_t len, md_bootcfg_list *out)
{
    md_grubcfg_read_files(text, len, NULL, out);
}

void md_grubcfg_too_much(md_bootcfg_list *out, const char *file, unsigned line)
{
    md_bootcfg_problem *p = md_bootcfg_add_problem(
        out, line,
        md_xasprintf("%s%scannot check: variable expansion exceeds %d bytes at line %u (values "
                     "built from values, line by line); the variables used from there on are "
                     "not followed, so the lines that use them are not checked",
                     file ? file : "", file ? ": " : "", MD_GRUBCFG_MAX_EXPANDED, line));
    p->warning = p->unchecked = true;
}

md_bootcfg_entry *md_grubcfg_boot_entry(const char *text, const char *origin, md_err *err)
{
    md_bootcfg_list l = { 0 };
    md_grubcfg_read(text, strlen(text), &l);
    md_bootcfg_entry *e = NULL;
    if (l.unread && !l.unread_line) /* the whole text: MD_BOOTCFG_MAX_TEXT */
        md_err_set(err, "%s: %s", origin, l.unread);
    else
        e = md_bootcfg_take_bootable(&l, origin, err);
    md_bootcfg_list_free(&l);
    return e;
}

/* ---- writing ---- */

/* "\tCMD PATH ARGS\n" appended to *text. */
static void write_file(char **text, const char *comment, const char *cmd,
                       const md_bootcfg_file *f)
{
    char *args = md_strv_join(&f->args, " ");
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
