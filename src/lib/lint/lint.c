/* lint — the findings list and the helpers every lint_*.c check shares. */
#include "lint/lint.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lint/lint_int.h"
#include "lint/xenver.h"
#include "core/hindex.h"
#include "core/mem.h"
#include "core/out.h"
#include "core/strv.h"

typedef struct finding {
    char *file, *msg, *fix;
    unsigned line;
    md_lint_sev sev;
    int trap;
    bool unchecked;
    bool more;      /* the closing "N more findings" of a file past MD_LINT_MAX_FINDINGS */
} finding;

/* Findings kept per file: a hostile config of a million lines, each wrong,
 * would otherwise keep some 300 bytes a line until the report (issue 9).
 * Past it a file's findings are counted, not kept: one closing finding says
 * how many, of the worst severity among them, unchecked if any was. */
#define MD_LINT_MAX_FINDINGS 10000

typedef struct file_count {
    char *file;
    size_t kept, more, closing; /* closing: index in f of its "more" finding */
} file_count;

struct md_lint {
    finding *f;
    size_t n, cap;
    md_strv in_files, in_formats; /* md_lint_input, in order; format "" unknown */
    md_strv in_errors;            /* per input: why it was not linted, "" if it was */
    md_strv in_unchecked;         /* per input: the traps not checked and why, or "" */
    bool *in_missing;             /* per input: a trap was not checked (md_lint_not_checked) */
    size_t in_missing_cap;
    bool dropped;                 /* the last md_lint_add repeated a finding */
    md_hindex seen;               /* f[0..indexed) by file, line and message */
    size_t indexed;
    char *move_file, *move_note;  /* md_lint_move's, while set */
    unsigned move_from, move_to;
    file_count *fc;               /* per file: findings kept and counted past the cap */
    size_t nfc, fc_cap;
    md_hindex fc_idx;             /* fc by file */
    size_t more_sev[3], more_unchecked; /* findings counted, not kept */
    file_count *last_more;        /* the last md_lint_add was counted there; NULL: not */
    bool last_more_unchecked;
};

md_lint *md_lint_new(void) { return md_xcalloc(1, sizeof(md_lint)); }

void md_lint_free(md_lint *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->f[i].file);
        free(l->f[i].msg);
        free(l->f[i].fix);
    }
    free(l->f);
    md_hindex_free(&l->seen);
    for (size_t i = 0; i < l->nfc; i++)
        free(l->fc[i].file);
    free(l->fc);
    md_hindex_free(&l->fc_idx);
    md_strv_free(&l->in_files);
    md_strv_free(&l->in_formats);
    md_strv_free(&l->in_errors);
    md_strv_free(&l->in_unchecked);
    free(l->in_missing);
    free(l->move_file);
    free(l->move_note);
    free(l);
}

static uint64_t finding_hash(const char *file, unsigned line, const char *msg)
{
    return (md_hindex_hash(msg, strlen(msg)) ^ md_hindex_hash(file, strlen(file)) * 31) + line;
}

static file_count *count_of(md_lint *l, const char *file)
{
    uint64_t h = md_hindex_hash(file, strlen(file));
    for (size_t it = 0, i; (i = md_hindex_next(&l->fc_idx, h, &it)) != SIZE_MAX;)
        if (!strcmp(l->fc[i].file, file))
            return &l->fc[i];
    l->fc = md_xgrow(l->fc, &l->fc_cap, l->nfc + 1, sizeof *l->fc);
    md_hindex_add(&l->fc_idx, h, l->nfc);
    l->fc[l->nfc] = (file_count){ md_xstrdup(file), 0, 0, SIZE_MAX };
    return &l->fc[l->nfc++];
}

/* A finding of `file` past MD_LINT_MAX_FINDINGS: counted (md_lint_count_sev
 * and the exit status see it) in the file's closing finding, not kept. */
static void count_more(md_lint *l, file_count *c, const char *file, md_lint_sev sev, int trap,
                       bool unchecked)
{
    l->more_sev[sev]++;
    l->more_unchecked += unchecked;
    l->dropped = true; /* md_lint_fix: not this one */
    l->last_more = c;
    l->last_more_unchecked = unchecked;
    if (c->closing == SIZE_MAX) {
        l->f = md_xgrow(l->f, &l->cap, l->n + 1, sizeof *l->f);
        c->closing = l->n;
        l->f[l->n++] = (finding){ md_xstrdup(file), NULL, NULL, 0, sev, trap, false, true };
    }
    finding *x = &l->f[c->closing];
    c->more++;
    if (sev > x->sev)
        x->sev = sev;
    if (x->trap != trap)
        x->trap = 0;
    x->unchecked |= unchecked;
    free(x->msg);
    x->msg = md_xasprintf("%zu more findings not listed (mkdom0 lists at most %d a file)%s",
                          c->more, MD_LINT_MAX_FINDINGS,
                          x->unchecked ? "; among them lines it could not check" : "");
}

/* Takes `file`. */
static void add_v(md_lint *l, char *file, unsigned line, md_lint_sev sev, int trap,
                  const char *fmt, va_list ap)
{
    char *msg = md_xvasprintf(fmt, ap);
    if (l->move_file && line == l->move_from && !strcmp(file, l->move_file)) {
        char *m = md_xasprintf("%s%s", msg, l->move_note);
        free(msg);
        msg = m;
        line = l->move_to;
    }
    /* The same finding twice (an entry read once per path through GRUB's
     * if/else, grubcfg.c) is one fault: kept once, and md_lint_fix and
     * md_lint_mark_unchecked leave the first alone.  Found by hash: a
     * config with thousands of entries must not cost findings squared. */
    l->dropped = false;
    l->last_more = NULL;
    for (; l->indexed < l->n; l->indexed++) {
        const finding *x = &l->f[l->indexed];
        md_hindex_add(&l->seen, finding_hash(x->file, x->line, x->msg), l->indexed);
    }
    uint64_t h = finding_hash(file, line, msg);
    for (size_t it = 0, i; (i = md_hindex_next(&l->seen, h, &it)) != SIZE_MAX;)
        if (l->f[i].line == line && l->f[i].sev == sev && l->f[i].trap == trap &&
            !strcmp(l->f[i].file, file) && !strcmp(l->f[i].msg, msg)) {
            l->dropped = true;
            free(file);
            free(msg);
            return;
        }
    file_count *c = count_of(l, file);
    if (c->kept >= MD_LINT_MAX_FINDINGS) {
        count_more(l, c, file, sev, trap, strstr(msg, "cannot check") != NULL);
        free(file);
        free(msg);
        return;
    }
    c->kept++;
    l->f = md_xgrow(l->f, &l->cap, l->n + 1, sizeof *l->f);
    /* A finding that says it cannot check something is unchecked, whoever
     * wrote it: the exit status (man page: 1 "with a line it could not
     * check") and --json's "checked" follow its words, never exit 0. */
    l->f[l->n++] =
        (finding){ file, msg, NULL, line, sev, trap, strstr(msg, "cannot check") != NULL, false };
}

void md_lint_move(md_lint *l, const char *file, unsigned from, unsigned to, const char *note)
{
    free(l->move_file);
    free(l->move_note);
    l->move_file = file ? md_xstrdup(file) : NULL;
    l->move_note = file ? md_xstrdup(note ? note : "") : NULL;
    l->move_from = from, l->move_to = to;
}

void md_lint_add(md_lint *l, const char *file, unsigned line, md_lint_sev sev,
                 int trap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_v(l, md_xstrdup(file ? file : "-"), line, sev, trap, fmt, ap);
    va_end(ap);
}

void md_lint_add_at(md_lint *l, const char *label, const char *p, unsigned line,
                    md_lint_sev sev, int trap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_v(l, p ? md_lint_where(label, p) : md_xstrdup(label), line, sev, trap, fmt, ap);
    va_end(ap);
}

void md_lint_fix(md_lint *l, const char *fmt, ...)
{
    if (!l->n || l->dropped)
        return;
    va_list ap;
    va_start(ap, fmt);
    free(l->f[l->n - 1].fix);
    l->f[l->n - 1].fix = md_xvasprintf(fmt, ap);
    va_end(ap);
}

void md_lint_mark_unchecked(md_lint *l)
{
    if (l->last_more && !l->last_more_unchecked) {
        l->last_more_unchecked = true;
        l->more_unchecked++;
        if (!l->f[l->last_more->closing].unchecked) {
            l->f[l->last_more->closing].unchecked = true;
            char *m = md_xasprintf("%s; among them lines it could not check",
                                   l->f[l->last_more->closing].msg);
            free(l->f[l->last_more->closing].msg);
            l->f[l->last_more->closing].msg = m;
        }
    }
    if (l->n && !l->dropped)
        l->f[l->n - 1].unchecked = true;
}

void md_lint_input(md_lint *l, const char *file, const char *format)
{
    md_strv_push(&l->in_files, file);
    md_strv_push(&l->in_formats, format);
    md_strv_push(&l->in_errors, "");
    md_strv_push(&l->in_unchecked, "");
    l->in_missing = md_xgrow(l->in_missing, &l->in_missing_cap, l->in_files.n,
                             sizeof *l->in_missing);
    l->in_missing[l->in_files.n - 1] = false;
}

/* Appends `what` to the "not checked" note of input `file` (added when it
 * is none yet); `missing`: it leaves a trap unchecked. */
static void note_not_checked(md_lint *l, const char *file, bool missing, const char *fmt,
                             va_list ap)
{
    size_t i = l->in_files.n;
    while (i-- > 0 && strcmp(l->in_files.v[i], file))
        ;
    if (i == (size_t)-1) {
        md_lint_input(l, file, "");
        i = l->in_files.n - 1;
    }
    char *what = md_xvasprintf(fmt, ap);
    char *old = l->in_unchecked.v[i];
    l->in_unchecked.v[i] = *old ? md_xasprintf("%s; %s", old, what) : md_xstrdup(what);
    l->in_missing[i] |= missing;
    free(old);
    free(what);
}

void md_lint_not_checked(md_lint *l, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    note_not_checked(l, file, true, fmt, ap);
    va_end(ap);
}

void md_lint_not_checked_aside(md_lint *l, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    note_not_checked(l, file, false, fmt, ap);
    va_end(ap);
}

size_t md_lint_count_not_checked(const md_lint *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->in_files.n; i++)
        n += l->in_missing[i];
    return n;
}

void md_lint_input_error(md_lint *l, const char *file, const char *msg)
{
    for (size_t i = l->in_files.n; i-- > 0;)
        if (!strcmp(l->in_files.v[i], file)) {
            if (!*l->in_errors.v[i]) {
                free(l->in_errors.v[i]);
                l->in_errors.v[i] = md_xstrdup(msg);
            }
            return;
        }
    md_lint_input(l, file, "");
    free(l->in_errors.v[l->in_errors.n - 1]);
    l->in_errors.v[l->in_errors.n - 1] = md_xstrdup(msg);
}

size_t md_lint_count_files(const md_lint *l)
{
    md_strv seen = { 0 };
    md_hindex idx = { 0 };
    for (size_t i = 0; i < l->in_files.n; i++)
        md_strv_intern(&seen, &idx, l->in_files.v[i], NULL);
    size_t n = seen.n;
    md_strv_free(&seen);
    md_hindex_free(&idx);
    return n;
}

/* Number of inputs with an error. */
static size_t count_input_errors(const md_lint *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->in_errors.n; i++)
        n += *l->in_errors.v[i] != '\0';
    return n;
}

size_t md_lint_count(const md_lint *l) { return l->n; }

/* Is there a finding in `idx` (positions in l->f) of `x`'s trap and
 * severity whose message is `m`? */
static bool repeat_of(const md_lint *l, const md_hindex *idx, const finding *x, const char *m)
{
    uint64_t h = md_hindex_hash(m, strlen(m)) + (unsigned)x->trap * 8u + (unsigned)x->sev;
    for (size_t it = 0, j; (j = md_hindex_next(idx, h, &it)) != SIZE_MAX;)
        if (l->f[j].trap == x->trap && l->f[j].sev == x->sev && !strcmp(l->f[j].msg, m))
            return true;
    return false;
}

void md_lint_drop_repeats(md_lint *l, size_t from, size_t to, const char *prefix)
{
    /* By hash, each message once: an entry's findings against its
     * recovery twin's were compared pairwise (up to 10,000 of each). */
    md_hindex idx = { 0 };
    for (size_t j = from; j < to; j++)
        if (!repeat_of(l, &idx, &l->f[j], l->f[j].msg))
            md_hindex_add(&idx, md_hindex_hash(l->f[j].msg, strlen(l->f[j].msg)) +
                                    (unsigned)l->f[j].trap * 8u + (unsigned)l->f[j].sev, j);
    size_t pl = strlen(prefix), k = to;
    for (size_t i = to; i < l->n; i++) {
        const char *m = l->f[i].msg;
        if (!strncmp(m, prefix, pl))
            m += pl;
        bool seen = repeat_of(l, &idx, &l->f[i], m);
        if (seen && !l->f[i].more) {
            count_of(l, l->f[i].file)->kept--;
            free(l->f[i].file);
            free(l->f[i].msg);
            free(l->f[i].fix);
        } else {
            l->f[k++] = l->f[i];
        }
    }
    l->n = k;
    for (size_t i = to; i < k; i++)
        if (l->f[i].more)
            count_of(l, l->f[i].file)->closing = i;
    l->last_more = NULL;
    md_hindex_free(&idx);
    md_hindex_free(&l->seen); /* positions moved: indexed again on the next add */
    l->indexed = 0;
}

size_t md_lint_count_unchecked(const md_lint *l)
{
    size_t c = l->more_unchecked;
    for (size_t i = 0; i < l->n; i++)
        c += l->f[i].unchecked && !l->f[i].more;
    return c;
}

const char *md_lint_fix_of(const md_lint *l, size_t i) { return l->f[i].fix; }

size_t md_lint_count_sev(const md_lint *l, md_lint_sev sev)
{
    size_t c = l->more_sev[sev];
    for (size_t i = 0; i < l->n; i++)
        c += l->f[i].sev == sev && !l->f[i].more;
    return c;
}

const char *md_lint_file(const md_lint *l, size_t i) { return l->f[i].file; }
unsigned md_lint_line(const md_lint *l, size_t i) { return l->f[i].line; }
md_lint_sev md_lint_severity(const md_lint *l, size_t i) { return l->f[i].sev; }
int md_lint_trap(const md_lint *l, size_t i) { return l->f[i].trap; }
const char *md_lint_message(const md_lint *l, size_t i) { return l->f[i].msg; }

static const char *sev_name(md_lint_sev s)
{
    return s == MD_LINT_ERROR ? "error" : s == MD_LINT_WARNING ? "warning" : "note";
}

/* Finding i as md_lint_text's line, onto f. */
static void text_line(FILE *f, const md_lint *l, size_t i)
{
    const finding *x = &l->f[i];
    char tag[16];
    if (x->trap)
        snprintf(tag, sizeof tag, "trap%d", x->trap);
    else
        snprintf(tag, sizeof tag, "boot");
    /* one line each, whatever names from the input it quotes (a
     * modloop's kernel directory "6.1.0\nToolstack=9.9", trial 9e) */
    char *file = md_err_shown(x->file), *msg = md_err_shown(x->msg);
    if (x->line)
        fprintf(f, "%s:%u: %s: [%s] %s\n", file, x->line, sev_name(x->sev), tag, msg);
    else
        fprintf(f, "%s: %s: [%s] %s\n", file, sev_name(x->sev), tag, msg);
    free(file);
    free(msg);
}

typedef struct order_key {
    size_t file; /* the rank of its file: the order files were first found in */
    unsigned line;
    size_t i;
} order_key;

static int order_cmp(const void *a, const void *b)
{
    const order_key *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The findings in report order: each file's together, files in the order
 * they were first found in, a file's in line order (whole-file ones
 * first, its closing "N more findings" last; found order among equal
 * lines).  Checks find a line's faults
 * in the order of the traps, not the file (issue 10: "line 7, then
 * line 2").  Caller frees; NULL when there is none. */
static size_t *report_order(const md_lint *l)
{
    if (!l->n)
        return NULL;
    order_key *k = md_xcalloc(l->n, sizeof *k);
    md_hindex byname = { 0 };
    md_strv names = { 0 };
    for (size_t i = 0; i < l->n; i++) {
        size_t r = md_strv_intern(&names, &byname, l->f[i].file, NULL);
        /* a file's closing "N more findings" (cap) after all its lines */
        k[i] = (order_key){ r, l->f[i].more ? UINT_MAX : l->f[i].line, i };
    }
    qsort(k, l->n, sizeof *k, order_cmp);
    size_t *o = md_xcalloc(l->n, sizeof *o);
    for (size_t i = 0; i < l->n; i++)
        o[i] = k[i].i;
    free(k);
    md_hindex_free(&byname);
    md_strv_free(&names);
    return o;
}

char *md_lint_text(const md_lint *l)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = md_xmemstream(&text, &len);
    size_t *o = report_order(l);
    for (size_t i = 0; i < l->n; i++)
        text_line(f, l, o[i]);
    free(o);
    return md_xmemstream_close(f, &text);
}

/* Length of the valid UTF-8 sequence at p (1..4), 0 if it is none
 * (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    size_t n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
             : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
        (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
        return 0;
    return n;
}

/* JSON string: quotes, backslashes and control characters escaped; a byte
 * that is no part of valid UTF-8 (a Latin-1 file name, binary content)
 * becomes U+FFFD, so the output is always valid JSON (RFC 8259 requires
 * UTF-8).  Text mode prints the bytes as they are. */
static void json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = *p >= 0x80 ? utf8_len(p) : 1;
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\u%04x", *p);
        else if (!n)
            fputs("\\ufffd", f);
        else
            fwrite(p, 1, n, f);
        p += n ? n : 1;
    }
    fputc('"', f);
}

char *md_lint_json(const md_lint *l)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = md_xmemstream(&text, &len);
    fputs("{\n  \"inputs\": [", f);
    for (size_t i = 0; i < l->in_files.n; i++) {
        fputs(i ? ",\n    {\"file\": " : "\n    {\"file\": ", f);
        json_str(f, l->in_files.v[i]);
        fputs(", \"format\": ", f);
        json_str(f, *l->in_formats.v[i] ? l->in_formats.v[i] : NULL);
        fputs(", \"error\": ", f);
        json_str(f, *l->in_errors.v[i] ? l->in_errors.v[i] : NULL);
        fputs(", \"not_checked\": ", f);
        json_str(f, *l->in_unchecked.v[i] ? l->in_unchecked.v[i] : NULL);
        fputs("}", f);
    }
    fputs(l->in_files.n ? "\n  ],\n  \"findings\": [" : "],\n  \"findings\": [", f);
    size_t *o = report_order(l);
    for (size_t i = 0; i < l->n; i++) {
        const finding *x = &l->f[o[i]];
        fputs(i ? ",\n    {\"file\": " : "\n    {\"file\": ", f);
        json_str(f, x->file);
        fprintf(f, ", \"line\": %u, \"trap\": ", x->line);
        /* null, not 0, for a finding that is none of the five traps: a
         * consumer testing "trap" == N or truthiness gets it right */
        if (x->trap)
            fprintf(f, "%d", x->trap);
        else
            fputs("null", f);
        fprintf(f, ", \"severity\": \"%s\", \"checked\": %s, \"message\": ",
                sev_name(x->sev), x->unchecked ? "false" : "true");
        json_str(f, x->msg);
        fputs(", \"fix\": ", f);
        json_str(f, x->fix);
        fputs("}", f);
    }
    free(o);
    fprintf(f, "%s,\n  \"errors\": %zu,\n  \"warnings\": %zu,\n  \"notes\": %zu,\n"
               "  \"unchecked\": %zu,\n  \"not_checked\": %zu\n}\n", l->n ? "\n  ]" : "]",
            md_lint_count_sev(l, MD_LINT_ERROR) + count_input_errors(l),
            md_lint_count_sev(l, MD_LINT_WARNING),
            md_lint_count_sev(l, MD_LINT_NOTE), md_lint_count_unchecked(l),
            md_lint_count_not_checked(l));
    return md_xmemstream_close(f, &text);
}

void md_lint_report(const md_lint *l, bool json, const md_out *out)
{
    char *text;
    if (json) {
        text = md_lint_json(l);
    } else {
        for (size_t i = 0; i < l->in_files.n; i++)
            if (*l->in_formats.v[i])
                md_out_say(out, MD_OUT_NOTE, "%s: read as %s", l->in_files.v[i],
                           l->in_formats.v[i]);
        for (size_t i = 0; i < l->in_files.n; i++)
            if (*l->in_unchecked.v[i])
                md_out_say(out, MD_OUT_NOTE, "%s: not checked: %s", l->in_files.v[i],
                           l->in_unchecked.v[i]);
        /* a line at a time: the whole report again in memory was as
         * large as the findings (issue 9: a config of a million) */
        size_t *o = report_order(l);
        for (size_t i = 0; i < l->n; i++) {
            char *line = NULL;
            size_t len = 0;
            FILE *f = md_xmemstream(&line, &len);
            text_line(f, l, o[i]);
            md_out_lines(out, MD_OUT_RESULT, md_xmemstream_close(f, &line));
            free(line);
        }
        free(o);
        return;
    }
    md_out_lines(out, MD_OUT_RESULT, text);
    free(text);
}

char *md_lint_where(const char *label, const char *p)
{
    size_t n = strlen(label);
    if (n && label[n - 1] == '/')
        return md_xasprintf("%.*s%s", (int)(n - 1), label, p);
    return md_xasprintf("%s(%s)", label, p);
}

const char *md_lint_non_file(const md_tree *t, const char *path)
{
    const md_node *n = md_tree_resolve(t, path);
    switch (n ? md_node_type_of(n) : MD_NODE_FILE) {
    case MD_NODE_DIR: return "a directory";
    case MD_NODE_CHAR: return "a character device";
    case MD_NODE_BLOCK: return "a block device";
    case MD_NODE_FIFO: return "a FIFO";
    default: return NULL; /* a file, a hardlink to one, or nothing */
    }
}

bool md_lint_keep(const char *path, uint64_t size)
{
    static const char *const dirs[] = { "/etc/", "/lib/init/", "/usr/lib/init/", "/lib/modules/",
                                        "/usr/lib/modules/", "/boot/", NULL };
    if (size <= MD_LINT_KEEP_SMALL)
        return true;
    for (int i = 0; dirs[i]; i++)
        if (!strncmp(path, dirs[i], strlen(dirs[i])))
            return true;
    /* Trap 2 follows the toolstack programs' DT_NEEDED through the Xen
     * libraries (libxenlight is near 1 MB) to libxenctrl: keep those. */
    const char *b = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    return !strcmp(path, "/init") || !strcmp(path, "/sbin/init") || !strcmp(path, "/linuxrc") ||
           md_xenver_is_libxenctrl(path) || !strncmp(b, "libxen", 6) ||
           !strncmp(b, "libxl", 5) || !strncmp(b, "xen", 3) || !strcmp(b, "xl") ||
           !strcmp(b, "oxenstored");
}

