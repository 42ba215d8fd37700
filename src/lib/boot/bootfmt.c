/* bootfmt — boot-config formats by content, and their readers (bootfmt.h).
 * GRUB 2 is boot/grubcfg's; the line-based formats are read here. */
#include "boot/bootfmt.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include "boot/grubcfg.h"
#include "core/hindex.h"
#include "core/mem.h"
#include "core/strv.h"

/* ---- lines and words ---- */

/* A NUL-terminated copy of text, NUL bytes as spaces, split into lines in
 * place (line i+1 of the file is v[i]; '\r' before '\n' dropped).
 * nl_end: the text ends with '\n', so v[n-1] is the empty rest after it,
 * which is no line of the file. */
typedef struct lines {
    char *buf;
    char **v;
    size_t n;
    bool nl_end;
} lines;

/* A NUL-terminated copy of `len` bytes of `text`, each NUL in it a space
 * (so that it cannot end the text early).  Caller frees. */
static char *text_copy(const char *text, size_t len)
{
    char *buf = md_xmalloc(len + 1);
    for (size_t i = 0; i < len; i++)
        buf[i] = text[i] ? text[i] : ' ';
    buf[len] = '\0';
    return buf;
}

static void lines_init(lines *ls, const char *text, size_t len)
{
    ls->buf = text_copy(text, len);
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += ls->buf[i] == '\n';
    ls->v = md_xcalloc(n, sizeof *ls->v);
    ls->n = 0;
    ls->nl_end = len && text[len - 1] == '\n';
    for (char *p = ls->buf;;) {
        char *nl = strchr(p, '\n');
        ls->v[ls->n++] = p;
        if (nl)
            *nl = '\0';
        size_t l = strlen(p);
        if (l && p[l - 1] == '\r')
            p[l - 1] = '\0';
        if (!nl)
            break;
        p = nl + 1;
    }
}

static void lines_free(lines *ls)
{
    free(ls->buf);
    free(ls->v);
}

static char *skip_ws(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static bool word_is(const char *s, const char *w)
{
    size_t n = strlen(w);
    return !strncasecmp(s, w, n) && (!s[n] || isspace((unsigned char)s[n]));
}

/* The length of "export" or "readonly" and the blanks after it when `s`
 * (up to `end`) starts with one, else 0: dash's two builtins that assign
 * their NAME=VALUE words in the shell itself (dash(1), "export name[=value]",
 * "readonly name[=value]"), as update-grub's /bin/sh sources
 * /etc/default/grub.  Not "local", which dash refuses outside a function
 * ("local: not in a function", the shell exits), nor "declare" or
 * "typeset", which dash does not have ("not found"): they set nothing. */
static size_t sh_declarer(const char *s, const char *end)
{
    static const char *const names[] = { "export", "readonly" };
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(names[i]), k = n;
        if ((size_t)(end - s) <= n || strncmp(s, names[i], n) || (s[n] != ' ' && s[n] != '\t'))
            continue;
        while (s + k < end && (s[k] == ' ' || s[k] == '\t'))
            k++;
        return k;
    }
    return 0;
}

/* FILE ARGS... from words[from..] */
/* md_strv_split at white space into `sv`, pooled when it is empty (strv.h):
 * a line may hold millions of words, each a string of a few bytes, which
 * one allocation each made 40 to 60 times the config (issue 9). */
static void split_words(md_strv *sv, const char *s)
{
    if (!sv->n && !sv->pool)
        md_strv_pooled(sv);
    md_strv_split(sv, s, false);
}

static void file_from(md_bootcfg_file *f, const md_strv *w, size_t from, unsigned line)
{
    f->line = line;
    free(f->path);
    f->path = md_xstrdup(from < w->n ? w->v[from] : "");
    if (!f->args.n && !f->args.pool && from + 1 < w->n)
        md_strv_pooled(&f->args);
    for (size_t i = from + 1; i < w->n; i++)
        md_strv_push(&f->args, w->v[i]);
}

static void flush(md_bootcfg_list *out, md_bootcfg_entry **raw)
{
    if (*raw)
        md_bootcfg_add_multiboot(out, *raw);
    *raw = NULL;
}

static md_bootcfg_entry *new_entry(const char *title, const char *kind)
{
    md_bootcfg_entry *e = md_xcalloc(1, sizeof *e);
    e->title_kind = kind;
    e->title = title && *title ? md_xstrdup(title) : NULL;
    e->serial_port = 1, e->serial_baud = 115200, e->timeout = 3;
    return e;
}

/* ---- variables (iPXE settings, shell assignments) ---- */

/* Assignments in order; `unknown` holds, space-separated, the unset
 * variables each value took in. */
typedef struct vars {
    md_strv names, values, unknown;
    md_hindex latest; /* names by name: each one's latest assignment */
    size_t as_cap;    /* of the GRUB defaults reader's array beside names */
    bool unset_empty; /* a variable never set is empty (a shell whose start is known) */
    struct ipxe_alts *alts; /* iPXE: settings with one of a few known values, or NULL */
    size_t expanded;  /* bytes of values put in so far (MD_GRUBCFG_MAX_EXPANDED) */
    const char *name; /* the file being read (NULL: the one config) ... */
    unsigned line;    /* ... and its line ... */
    const char *over_name; /* ... and where `expanded` first passed the cap */
    unsigned over_line;    /* (0: it never did) */
    unsigned *set_line;    /* beside names: the line each assignment is on */
    size_t set_cap;
} vars;

static ssize_t var_find(const vars *v, const char *name, uint64_t h, size_t *it)
{
    for (size_t i; (i = md_hindex_next(&v->latest, h, it)) != SIZE_MAX;)
        if (!strcmp(v->names.v[i], name))
            return (ssize_t)i;
    return -1;
}

static ssize_t var_at(const vars *v, const char *name)
{
    size_t it = 0;
    return var_find(v, name, md_hindex_hash(name, strlen(name)), &it);
}

static void var_set(vars *v, const char *name, const char *value, const md_strv *unknown)
{
    uint64_t h = md_hindex_hash(name, strlen(name));
    size_t it = 0;
    if (var_find(v, name, h, &it) >= 0)
        md_hindex_set(&v->latest, h, it, v->names.n);
    else
        md_hindex_add(&v->latest, h, v->names.n);
    v->set_line = md_xgrow(v->set_line, &v->set_cap, v->names.n + 1, sizeof *v->set_line);
    v->set_line[v->names.n] = v->line;
    md_strv_push(&v->names, name);
    md_strv_push(&v->values, value);
    md_strv_push_own(&v->unknown, unknown ? md_strv_join(unknown, " ") : md_xstrdup(""));
}

static void vars_free(vars *v)
{
    free(v->set_line);
    md_hindex_free(&v->latest);
    md_strv_free(&v->names);
    md_strv_free(&v->values);
    md_strv_free(&v->unknown);
}

/* The first MAX_UNSET of them: a finding names the first, and a line of
 * thousands of unknown variables must not cost their number squared. */
enum { MAX_UNSET = 64 };

static void add_unknown(md_strv *unset, const char *name)
{
    if (unset && unset->n < MAX_UNSET && !md_strv_contains(unset, name))
        md_strv_push(unset, name);
}

static void vars_over(const vars *v, md_bootcfg_list *out)
{
    if (v->over_line)
        md_grubcfg_too_much(out, v->over_name, v->over_line);
}

/* `s` with ${name} (and, for the shell, $name) replaced by the values set
 * so far; unknown ones stay as written and go to `unset`.  Caller frees. */
static char *expand(vars *v, const char *s, bool shell, md_strv *unset)
{
    md_strv parts = { 0 };
    const char *p = s;
    while (*p) {
        const char *d = strchr(p, '$');
        if (!d) {
            md_strv_push(&parts, p);
            break;
        }
        md_strv_pushf(&parts, "%.*s", (int)(d - p), p);
        const char *name = d + 1, *end;
        size_t nlen;
        if (*name == '{') {
            name++;
            end = strchr(name, '}');
            if (!end) {
                md_strv_push(&parts, d);
                break;
            }
            nlen = strcspn(name, ":}"); /* iPXE ${name:type} */
            if (nlen > (size_t)(end - name))
                nlen = (size_t)(end - name);
            end++;
        } else if (shell && (isalpha((unsigned char)*name) || *name == '_')) {
            end = name;
            while (isalnum((unsigned char)*end) || *end == '_')
                end++;
            nlen = (size_t)(end - name);
        } else {
            md_strv_push(&parts, "$");
            p = d + 1;
            continue;
        }
        char *n = md_xasprintf("%.*s", (int)nlen, name);
        ssize_t at = var_at(v, n);
        size_t vl = at >= 0 ? strlen(v->values.v[at]) : 0;
        if (at >= 0 && vl > MD_GRUBCFG_MAX_EXPANDED - v->expanded) {
            /* past the cap: not followed, so unknown */
            md_strv_pushf(&parts, "%.*s", (int)(end - d), d);
            add_unknown(unset, n);
            if (!v->over_line)
                v->over_line = v->line, v->over_name = v->name;
        } else if (at >= 0) {
            v->expanded += vl;
            md_strv_push(&parts, v->values.v[at]);
            md_strv u = { 0 };
            split_words(&u, v->unknown.v[at]);
            for (size_t k = 0; k < u.n; k++)
                add_unknown(unset, u.v[k]);
            md_strv_free(&u);
        } else if (!v->unset_empty) {
            md_strv_pushf(&parts, "%.*s", (int)(end - d), d);
            add_unknown(unset, n);
        }
        free(n);
        p = end;
    }
    char *r = md_strv_join(&parts, "");
    md_strv_free(&parts);
    return r;
}

/* ---- detection ---- */

static bool starts_word(const char *line, const char *w)
{
    return word_is(skip_ws((char *)line), w);
}

static bool ini_key(const char *line, const char *key)
{
    size_t n = strlen(key);
    return !strncmp(line, key, n) && line[n] == '=';
}

/* GRUB legacy's command `w` on line l: GRUB 0.97 ends a command's name at
 * a space, a tab or '=' (stage2/cmdline.c find_command()), so
 * "title=Xen" and "module=/vmlinuz" are its title and module commands. */
static bool legacy_cmd(const char *line, const char *w)
{
    const char *l = skip_ws((char *)line);
    size_t n = strlen(w);
    return starts_word(l, w) || (!strncmp(l, w, n) && l[n] == '=');
}

/* A UTF-8 byte order mark, as some Windows editors start a file with. */
static bool has_bom(const char *text, size_t len)
{
    return len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3);
}

md_bootfmt md_bootfmt_detect(const char *text, size_t len)
{
    if (has_bom(text, len))
        text += 3, len -= 3;
    lines ls;
    lines_init(&ls, text, len);
    bool ipxe = false, gdef = false, section = false, key = false, sys = false, mboot = false;
    bool efi_kernel = false, extlinux_settings = false;
    bool gdef_off = false, legacy_title = false, kernel = false, module = false, grub2 = false, first = true;
    for (size_t i = 0; i < ls.n; i++) {
        char *l = skip_ws(ls.v[i]);
        if (!*l)
            continue;
        if (first && !strncasecmp(l, "#!ipxe", 6))
            ipxe = true;
        first = false;
        if (*l == '#') {
            /* Debian's grub.d/xen.cfg as shipped: its variables commented out */
            char *c = skip_ws(l + strspn(l, "#"));
            gdef_off |= !strncmp(c, "GRUB_CMDLINE_", 13) && strchr(c, '=');
            continue;
        }
        char *g = l + sh_declarer(l, l + strlen(l));
        if (!strncmp(g, "GRUB_", 5) && g[5 + strspn(g + 5, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] == '=')
            gdef = true;
        /* "GRUB_CMDLINE_XEN = ..." (trial10h case 9): a command to sh, but
         * the file is still GRUB's defaults */
        if (!strncmp(g, "GRUB_CMDLINE_", 13) && strchr(g, '='))
            gdef = true;
        extlinux_settings |= !strncmp(g, "xen_opts=", 9) || !strncmp(g, "default_kernel_opts=", 20);
        size_t ln = strlen(l);
        if (*l == '[' && ln > 2 && l[ln - 1] == ']' && !strchr(l, ' '))
            section = true;
        static const char *const keys[] = { "options", "kernel", "ramdisk", "default", "dtb",
                                            "xsm", "ucode", "chain", NULL };
        for (int k = 0; keys[k]; k++)
            key |= ini_key(l, keys[k]);
        efi_kernel |= ini_key(l, "kernel");
        sys |= starts_word(l, "label") || starts_word(l, "append") || starts_word(l, "com32") ||
               starts_word(l, "include"); /* a pxelinux.cfg that only INCLUDEs the menus */
        mboot |= strcasestr(l, "mboot.c32") != NULL;
        /* "title X" and "root (hd0,0)": GRUB legacy's own, never xen.cfg's */
        legacy_title |= legacy_cmd(l, "title") || (starts_word(l, "root") && strchr(l, '('));
        kernel |= starts_word(l, "kernel");
        module |= starts_word(l, "module") || starts_word(l, "modulenounzip");
        /* xen.cfg has no module= key: "module=" is GRUB legacy's */
        legacy_title |= !strncmp(l, "module=", 7) || !strncmp(l, "modulenounzip=", 14);
        static const char *const g2[] = { "menuentry", "submenu", "multiboot2", "module2",
                                          "multiboot", "xen_hypervisor", "xen_module",
                                          "insmod", "search", "terminal_output",
                                          /* GRUB's own; "source" is sh's too */
                                          "configfile", NULL };
        for (int k = 0; g2[k]; k++)
            grub2 |= starts_word(l, g2[k]);
        grub2 |= !strncmp(l, "set timeout", 11) || !strncmp(l, "set default", 11);
    }
    lines_free(&ls);
    if (ipxe)
        return MD_BOOTFMT_IPXE;
    if (extlinux_settings && !gdef && !grub2 && !sys && !section)
        return MD_BOOTFMT_EXTLINUX_SETTINGS;
    if (gdef && !grub2)
        return MD_BOOTFMT_GRUB_DEFAULT;
    /* xen.cfg needs no section at all: without default= Xen ignores the
     * headers (docs/misc/efi.pandoc), so kernel= alone makes one */
    if (((section && key) || efi_kernel) && !grub2 && !legacy_title)
        return MD_BOOTFMT_XEN_EFI;
    if ((sys || mboot) && !grub2 && !legacy_title)
        return MD_BOOTFMT_SYSLINUX;
    if (grub2 && !legacy_title)
        return MD_BOOTFMT_GRUB2;
    if (legacy_title || (kernel && module))
        return MD_BOOTFMT_GRUB_LEGACY;
    if (grub2)
        return MD_BOOTFMT_GRUB2;
    return gdef_off ? MD_BOOTFMT_GRUB_DEFAULT : MD_BOOTFMT_UNKNOWN;
}

const char *md_bootfmt_name(md_bootfmt f)
{
    switch (f) {
    case MD_BOOTFMT_GRUB2: return "GRUB 2 config";
    case MD_BOOTFMT_GRUB_LEGACY: return "GRUB legacy menu.lst";
    case MD_BOOTFMT_GRUB_DEFAULT: return "GRUB defaults (/etc/default/grub)";
    case MD_BOOTFMT_XEN_EFI: return "Xen EFI xen.cfg";
    case MD_BOOTFMT_SYSLINUX: return "syslinux/pxelinux config";
    case MD_BOOTFMT_IPXE: return "iPXE script";
    case MD_BOOTFMT_EXTLINUX_SETTINGS: return "update-extlinux settings (/etc/update-extlinux.conf)";
    case MD_BOOTFMT_UNKNOWN: break;
    }
    return "unknown format";
}

/* ---- GRUB legacy ---- */

/* A `kernel` line that boots Linux itself, not a multiboot image. */
static bool is_linux_name(const char *path)
{
    const char *b = basename(path);
    return !strncmp(b, "vmlinu", 6) || !strncmp(b, "bzImage", 7);
}

/* A tab on GRUB legacy's kernel (Xen) or module line `l` (from its command
 * word; line `line`): GRUB passes the line after the command verbatim
 * (kernel_func(), module_func() in stage2/builtins.c), Xen drops a
 * command line's first word, the file name, up to the first space
 * (cmdline_cook(), xen/arch/x86/setup.c) and splits its own options only
 * at spaces (parse_params(), xen/common/kernel.c).  Linux splits the dom0
 * kernel's at any white space.  So a tab right after the file loses the
 * word after it, and one between Xen's options glues two into one.  Said as
 * an error (trap 4 when what is lost has dom0_mem=, trap 1 for console=),
 * the fix the line with spaces; the caller reads the line as meant. */
static void legacy_tab(const char *l, unsigned line, bool xen, md_bootcfg_list *out)
{
    const char *p = l + strcspn(l, " \t");
    for (p += strspn(p, " \t"); !strncmp(p, "--", 2); p += strspn(p, " \t"))
        p += strcspn(p, " \t"); /* --type=netbsd and the like */
    const char *file = p, *tab = file + strcspn(file, " \t");
    bool after_file = *tab == '\t';
    if (!after_file)
        tab = xen ? strchr(tab, '\t') : NULL;
    const char *next = tab ? tab + strspn(tab, " \t") : NULL;
    if (!tab || !*next)
        return;
    const char *before = tab;
    while (before > l && !isspace((unsigned char)before[-1]))
        before--;
    int wl = (int)strcspn(next, " \t"), bl = (int)(tab - before);
    char *msg = after_file
        ? md_xasprintf("line %u: the tab after '%.*s' makes '%.*s' part of the file's name for "
                       "Xen, which drops a command line's first word up to the first space "
                       "(cmdline_cook(), xen/arch/x86/setup.c; GRUB legacy passes the line as it "
                       "is), so %s never gets '%.*s'; use spaces between the words", line,
                       bl, before, wl, next, xen ? "Xen" : "dom0", wl, next)
        : md_xasprintf("line %u: the tab between '%.*s' and '%.*s' is no separator for Xen: "
                       "GRUB legacy passes the line as it is (kernel_func(), "
                       "stage2/builtins.c) and Xen splits its options only at spaces "
                       "(parse_params(), xen/common/kernel.c), so it reads one option "
                       "'%.*s<TAB>%.*s' and never gets '%.*s'; use spaces between the words",
                       line, bl, before, wl, next, bl, before, wl, next, wl, next);
    md_bootcfg_problem *pr = md_bootcfg_add_problem(out, line, msg);
    bool mem = !strncmp(next, "dom0_mem=", 9) || !strncmp(before, "dom0_mem=", 9);
    pr->trap = xen ? (mem ? 4 : 0) : !strncmp(next, "console=", 8) ? 1 : 0;
    char *fix = md_xstrdup(l);
    for (char *q = fix; *q; q++)
        if (*q == '\t')
            *q = ' ';
    pr->fix = fix;
}

static void read_legacy(lines *ls, md_bootcfg_list *out)
{
    md_bootcfg_entry *raw = NULL;
    char *title = NULL;
    for (size_t i = 0; i < ls->n; i++) {
        char *l = skip_ws(ls->v[i]);
        if (!*l || *l == '#')
            continue;
        /* GRUB 0.97 also takes "command=args" */
        size_t cl = strspn(l, "abcdefghijklmnopqrstuvwxyz");
        if (cl && l[cl] == '=')
            l[cl] = ' ';
        unsigned line = (unsigned)i + 1;
        if (word_is(l, "title")) {
            flush(out, &raw);
            free(title);
            title = md_xstrdup(skip_ws(l + 5));
            continue;
        }
        bool kern = word_is(l, "kernel"), mod = word_is(l, "module"),
             nz = word_is(l, "modulenounzip");
        if (!kern && !((mod || nz) && raw))
            continue;
        legacy_tab(l, line, kern, out);
        md_strv w = { 0 };
        split_words(&w, l);
        size_t fi = 1;
        while (fi < w.n && !strncmp(w.v[fi], "--", 2))
            fi++;
        if (kern) {
            if (raw && !raw->nmods && is_linux_name(raw->xen.path))
                md_bootcfg_entry_free(raw), raw = NULL;
            flush(out, &raw);
            raw = new_entry(title, "title");
            file_from(&raw->xen, &w, fi, line);
        } else {
            md_bootcfg_file *m = md_bootcfg_add_mod(raw);
            file_from(m, &w, fi, line);
            m->nounzip = nz;
        }
        md_strv_free(&w);
    }
    if (raw && !raw->nmods && is_linux_name(raw->xen.path))
        md_bootcfg_entry_free(raw), raw = NULL;
    flush(out, &raw);
    free(title);
}

/* ---- GRUB defaults: shell assignments ---- */

/* The end of the command substitution at p, "$(...)" (nested, quotes
 * inside stepped over) or "`...`", as the shell finds it; `end` when it
 * is not closed. */
static const char *sh_subst_end(const char *p, const char *end)
{
    if (*p == '`') {
        for (p++; p < end && *p != '`'; p++)
            if (*p == '\\' && p + 1 < end)
                p++;
        return p < end ? p + 1 : end;
    }
    int depth = 0;
    for (p++; p < end; p++) {
        if (*p == '\\' && p + 1 < end) {
            p++;
        } else if (*p == '\'' || *p == '"') {
            const char *q = p + 1;
            while (q < end && *q != *p)
                q += *p == '"' && *q == '\\' && q + 1 < end ? 2 : 1;
            p = q < end ? q : end - 1;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')' && --depth == 0) {
            return p + 1;
        }
    }
    return end;
}

/* `s` with each command substitution that holds white space written
 * "$(...)": its output is unknown, and its words must not split the word
 * it stands in when a line uses it ("dom0_mem=${MEM}G" with MEM set from
 * "$(free -g | awk ...)" is one parameter).  Caller frees. */
static char *sh_subst_brief(const char *s)
{
    md_strv parts = { 0 };
    const char *end = s + strlen(s), *from = s;
    for (const char *p = s; p < end;) {
        if ((*p == '$' && p[1] == '(') || *p == '`') {
            const char *q = sh_subst_end(p, end);
            if (memchr(p, ' ', (size_t)(q - p)) || memchr(p, '\t', (size_t)(q - p)) ||
                memchr(p, '\n', (size_t)(q - p))) {
                md_strv_pushf(&parts, "%.*s$(...)", (int)(p - from), from);
                from = q;
            }
            p = q;
        } else {
            p++;
        }
    }
    md_strv_push(&parts, from);
    char *r = md_strv_join(&parts, "");
    md_strv_free(&parts);
    return r;
}

/* One shell word from *pp (quotes, escapes, $ expansion, backslash-newline);
 * stops at unquoted white space, ';', '#' or a newline. */
static char *shell_word(const char **pp, const char *end, unsigned *line, vars *v,
                        md_strv *unset)
{
    md_strv parts = { 0 };
    const char *p = *pp;
    char *raw = NULL;
    size_t rn = 0, rcap = 0;
#define PUT(c) (raw = md_xgrow(raw, &rcap, rn + 2, 1), raw[rn++] = (c), raw[rn] = '\0')
/* A backslash-escaped character: an escaped newline joins lines; an
 * escaped '$' stays marked as no variable. */
#define PUT_ESCAPED(c)                                                                           \
    do {                                                                                         \
        if ((c) == '\n') {                                                                       \
            ++*line;                                                                             \
        } else {                                                                                 \
            if ((c) == '$')                                                                      \
                PUT('\\');                                                                      \
            PUT(c);                                                                              \
        }                                                                                        \
    } while (0)
    while (p < end && !strchr(" \t\n;", *p)) {
        if (*p == '\'') {
            const char *q = memchr(p + 1, '\'', (size_t)(end - p - 1));
            q = q ? q : end;
            for (const char *c = p + 1; c < q; c++) {
                *line += *c == '\n';
                /* literal: protect '$' from expansion */
                if (*c == '$')
                    PUT('\\');
                PUT(*c);
            }
            p = q < end ? q + 1 : end;
        } else if (*p == '"') {
            for (p++; p < end && *p != '"'; p++) {
                if (*p == '\\' && p + 1 < end && strchr("$\"\\\n`", p[1])) {
                    PUT_ESCAPED(p[1]);
                    p++;
                    continue;
                }
                *line += *p == '\n';
                PUT(*p);
            }
            if (p < end)
                p++;
        } else if (*p == '\\' && p + 1 < end) {
            PUT_ESCAPED(p[1]);
            p += 2;
        } else if ((*p == '$' && p + 1 < end && p[1] == '(') || *p == '`') {
            /* a command substitution is one word with its spaces
             * ("MEM=$(free -g | awk ...)" sets MEM: #10 M3, where the
             * space ended the word and the rest read as a command that
             * MEM was only exported to); its output is unknown (below) */
            const char *q = sh_subst_end(p, end);
            for (; p < q; p++) {
                if (*p == '\\' && p + 1 < q && p[1] == '$')
                    continue; /* the command's own "\$", not this word's literal '$' mark */
                *line += *p == '\n';
                PUT(*p);
            }
        } else {
            PUT(*p);
            p++;
        }
    }
#undef PUT_ESCAPED
#undef PUT
    *pp = p;
    /* expand unescaped $ ; "\$" is a literal dollar */
    const char *s = raw ? raw : "";
    md_strv seg = { 0 };
    const char *start = s;
    for (const char *c = s;; c++) {
        if (!*c || (*c == '\\' && c[1] == '$')) {
            char *lit = md_xasprintf("%.*s", (int)(c - start), start);
            char *e = strstr(lit, "$(") || strchr(lit, '`') ? NULL : expand(v, lit, true, unset);
            if (!e) { /* a command's output: unknown */
                add_unknown(unset, "(command-output)");
                e = sh_subst_brief(lit);
            }
            md_strv_push_own(&seg, e);
            free(lit);
            if (!*c)
                break;
            md_strv_push(&seg, "$");
            c++;
            start = c + 1;
        }
    }
    char *r = md_strv_join(&seg, "");
    md_strv_free(&seg);
    md_strv_free(&parts);
    free(raw);
    return r;
}

/* The end of the shell word at p, as written (quotes and escapes stepped
 * over, nothing expanded). */
static const char *sh_skip_word(const char *p, const char *end)
{
    while (p < end && !strchr(" \t\n;", *p)) {
        if (*p == '\'') {
            const char *q = memchr(p + 1, '\'', (size_t)(end - p - 1));
            p = q ? q + 1 : end;
        } else if (*p == '"') {
            for (p++; p < end && *p != '"'; p++)
                if (*p == '\\' && p + 1 < end)
                    p++;
            if (p < end)
                p++;
        } else if (*p == '\\' && p + 1 < end) {
            p += 2;
        } else {
            p++;
        }
    }
    return p;
}

/* Does a NAME= word start at p? */
static bool sh_is_assignment(const char *p, const char *end)
{
    const char *n = p;
    while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
        p++;
    return p > n && !isdigit((unsigned char)*n) && p < end && *p == '=';
}

/* An assignment that ends at p, the rest of its command read as written:
 * does it last in update-grub's shell?  POSIX XCU 2.9.1: before a command
 * name it is exported to that command only ("shall not affect the current
 * execution environment"), except before a special built-in (2.14); XCU
 * 2.9.2 and dash(1): each command of a pipeline (a|b) and an asynchronous
 * command (a &) runs in a subshell, so nothing it sets is kept. */
static bool sh_assignment_lasts(const char *p, const char *end, bool in_pipe)
{
    static const char *const special[] = { ":", ".", "break", "continue", "eval", "exec",
                                           "exit", "export", "readonly", "return", "set",
                                           "shift", "times", "trap", "unset", NULL };
    bool named = false, lasts = !in_pipe;
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t' || (*p == '\\' && p + 1 < end && p[1] == '\n')))
            p += *p == '\\' ? 2 : 1;
        if (p >= end || *p == '\n' || *p == ';' || *p == '#')
            return lasts;
        if (*p == '&' || *p == '|') {
            if (p + 1 < end && p[1] == *p)
                return lasts;     /* && and || run it in this shell */
            return false;         /* a|b, a & */
        }
        const char *w = p;
        p = sh_skip_word(p, end);
        if (p == w) {
            p++;
            continue;
        }
        if (named)
            continue;
        if (*w == '<' || *w == '>' || (isdigit((unsigned char)*w) && p - w > 1 &&
                                       (w[1] == '<' || w[1] == '>'))) {
            /* a redirection: "X=1 >f" has no command; "> f" names the file next */
            const char *r = w;
            while (r < p && strchr("0123456789<>&|-", *r))
                r++;
            if (r == p) {
                while (p < end && (*p == ' ' || *p == '\t'))
                    p++;
                p = sh_skip_word(p, end);
            }
            continue;
        }
        if (sh_is_assignment(w, p))
            continue;
        named = true;
        bool sp = false;
        for (int i = 0; special[i]; i++)
            if ((size_t)(p - w) == strlen(special[i]) && !strncmp(w, special[i], (size_t)(p - w)))
                sp = true;
        if (!sp)
            lasts = false;
    }
}

/* One assignment of GRUB's defaults: where it is and how it is written. */
typedef struct assign {
    size_t file; /* index into the files read */
    unsigned line;
    char *raw;   /* the statement as written, NULL when it spans lines */
} assign;

/* Shell words that open and close compound commands: an assignment inside
 * one (if, case, a loop, a function body, { }) may or may not run. */
static int compound_step(const char *w)
{
    static const char *const open[] = { "if", "case", "for", "while", "until", "{", NULL };
    static const char *const close[] = { "fi", "esac", "done", "}", NULL };
    for (int i = 0; open[i]; i++)
        if (!strcmp(w, open[i]))
            return 1;
    for (int i = 0; close[i]; i++)
        if (!strcmp(w, close[i]))
            return -1;
    return 0;
}

/* Set `name` to `val` as an assignment at `at` (statement stmt..p), or, when
 * it may not run (`maybe`) or its value passed MD_GRUBCFG_MAX_VALUE, as
 * unknown: the variable itself goes to its unknown names, so a line built
 * from it is "cannot check" (as the GRUB 2 reader does), never a silent
 * pass. */
static void assign_var(vars *v, assign **as, size_t file, unsigned at, const char *stmt,
                       const char *p, const char *name, const char *val, md_strv *unset,
                       bool maybe)
{
    bool big = strlen(val) > MD_GRUBCFG_MAX_VALUE;
    if (maybe || big)
        add_unknown(unset, name);
    var_set(v, name, big ? "" : val, unset);
    *as = md_xgrow(*as, &v->as_cap, v->names.n, sizeof **as);
    (*as)[v->names.n - 1] = (assign){
        file, at, memchr(stmt, '\n', (size_t)(p - stmt)) ? NULL
                                                         : md_xasprintf("%.*s", (int)(p - stmt), stmt) };
}

/* Lines of a defaults file whose effect lint cannot follow: the first of
 * each kind, as written, and its line. */
typedef struct sh_notes {
    char *append, *source;
    unsigned append_line, source_line;
} sh_notes;

static void note_line(char **what, unsigned *at, const char *from, const char *to, unsigned line)
{
    if (*what)
        return;
    size_t n = strcspn(from, "\n");
    if (n > (size_t)(to - from))
        n = (size_t)(to - from);
    *what = md_xasprintf("%.*s", (int)(n > 80 ? 80 : n), from);
    *at = line;
}

/* ${NAME:=word} / ${NAME=word} in the word w..wend (as written): sh assigns
 * word when NAME is unset (or, with ':', empty) (POSIX XCU 2.6.2), as
 * `: ${NAME:=word}` is written to give a default. */
static void sh_default_assign(const char *w, const char *wend, size_t file, unsigned line,
                              const char *stmt, vars *v, assign **as, bool maybe)
{
    for (const char *d = w; d + 2 < wend; d++) {
        if (d[0] != '$' || d[1] != '{' || (d > w && d[-1] == '\\'))
            continue;
        const char *n = d + 2, *q = n;
        while (q < wend && (isalnum((unsigned char)*q) || *q == '_'))
            q++;
        bool colon = q < wend && *q == ':';
        const char *eq = q + colon;
        if (q == n || isdigit((unsigned char)*n) || eq >= wend || *eq != '=')
            continue;
        /* the word ends at the first '}' outside quotes */
        const char *c = eq + 1;
        char quote = 0;
        for (; c < wend && (quote || *c != '}'); c++) {
            if (quote == '"' && *c == '\\' && c + 1 < wend)
                c++;
            else if (quote && *c == quote)
                quote = 0;
            else if (!quote && (*c == '\'' || *c == '"'))
                quote = *c;
        }
        char *name = md_xasprintf("%.*s", (int)(q - n), n);
        const char *vp = eq + 1;
        unsigned l = line;
        md_strv unset = { 0 };
        char *val = shell_word(&vp, c, &l, v, &unset);
        bool whole = vp == c && c < wend; /* a word sh would split lint does not follow */
        ssize_t at = var_at(v, name);
        bool known = at >= 0 ? !*v->unknown.v[at] : v->unset_empty;
        if (at < 0 || (colon && !*v->values.v[at]) || !known)
            assign_var(v, as, file, line, stmt, c, name, whole ? val : "", &unset,
                       maybe || !known || !whole);
        md_strv_free(&unset);
        free(val);
        free(name);
        d = c < wend ? c : wend - 1;
    }
}

/* The shell assignments of one defaults file onto `v` (and `as`, one per
 * assignment in v), as update-grub's /bin/sh runs them (grub-mkconfig:
 * `. "${sysconfdir}/default/grub"`): commands end at a newline, ';', '&'
 * or '|'; `A=1 B=2` sets both; `unset NAME...` empties; an assignment after
 * && or ||, or inside if/case/for/while/until/{ } or a function, may not run:
 * its variable is unknown from there on.  Which assignments last is
 * sh_assignment_lasts(); a here-document's body is data (XCU 2.7.4);
 * `return` or `exit` ends the file (a dot script, XCU `return`), and after
 * one that may run, every assignment may not; `read NAME` makes NAME
 * unknown; `for NAME in W...` leaves NAME the last word (XCU 2.9.4.2). */
static void read_assignments(const char *text, size_t len, size_t file, vars *v, assign **as,
                             sh_notes *notes)
{
    if (has_bom(text, len)) /* as md_bootfmt_read reads every format but xen.cfg */
        text += 3, len -= 3;
    char *buf = text_copy(text, len);
    const char *p = buf, *end = buf + len;
    unsigned line = 1;
    int depth = 0;         /* compound commands open */
    bool cmd_start = true; /* the next word starts a command */
    bool cond = false;     /* this command runs only if another succeeded/failed */
    bool in_unset = false; /* the words are names for `unset` */
    bool in_read = false;  /* the words are names for `read` */
    bool in_pipe = false;  /* this command is a pipeline's second or later */
    bool stopped = false;  /* a return/exit that may have run came before */
    int lasts = -1;        /* this command's assignments last (-1: not yet looked) */
    int for_state = 0;     /* 1: the next word is for's NAME; 2: its words */
    char *for_name = NULL, *for_last = NULL;
    md_strv for_unset = { 0 };
    bool for_maybe = false;
    unsigned for_line = 0;
    char *loop_var = NULL; /* the last for loop's NAME while its body runs ... */
    int loop_depth = 0;    /* ... and its depth: a break there may leave any word */
    enum { MAX_HEREDOC = 8 };
    char *heredoc[MAX_HEREDOC]; /* delimiters of the bodies after this line */
    bool hd_tabs[MAX_HEREDOC];
    size_t nhd = 0;
    bool hd_next = false, hd_next_tabs = false; /* "<<" alone: the next word is the delimiter */
    /* case WORD in PATTERN) ... ;; esac (XCU 2.9.4.3): the depth of each
     * case open, and whether a pattern comes next (where '|' separates
     * patterns, not commands, and the word ending in ')' starts a command);
     * its commands are read as an if's branches are: they may not run
     * (trial10g 4: they were read as a pattern's words and dropped) */
    enum { MAX_CASE = 8 };
    int case_at[MAX_CASE];
    size_t ncase = 0;
    bool case_word = false, case_pat = false;
    const char *stmt = p;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p >= end)
            break;
        v->line = line;
        if (*p == '#') {
            while (p < end && *p != '\n')
                p++;
            continue;
        }
        if (*p == '\\' && p + 1 < end && p[1] == '\n') {
            p += 2, line++;
            continue;
        }
        if (*p == '|' && case_pat) { /* a|b): another pattern */
            p++;
            continue;
        }
        if (strchr("\n;&|", *p)) {
            bool two = p + 1 < end && p[1] == *p && *p != '\n';
            if (two && *p == ';' && ncase && case_at[ncase - 1] == depth)
                case_pat = true; /* ";;" ends a case item: a pattern follows */
            cond = two && (*p == '&' || *p == '|');
            in_pipe = !two && *p == '|';
            line += *p == '\n';
            bool nl = *p == '\n';
            p += two ? 2 : 1;
            cmd_start = true, in_unset = false, in_read = false, lasts = -1;
            if (for_state == 2) { /* the list ends: NAME keeps the last word */
                md_strv none = { 0 };
                assign_var(v, as, file, for_line, stmt, p, for_name, for_last ? for_last : "",
                           for_last ? &for_unset : &none, for_maybe || !for_last);
                md_strv_free(&none);
                for_state = 0;
                free(loop_var);
                loop_var = md_xstrdup(for_name), loop_depth = depth;
            }
            if (nl) /* here-document bodies: data up to their delimiter lines */
                for (size_t h = 0; h < nhd; h++) {
                    while (p < end) {
                        const char *e = memchr(p, '\n', (size_t)(end - p));
                        e = e ? e : end;
                        const char *l = p;
                        if (hd_tabs[h])
                            while (l < e && *l == '\t')
                                l++;
                        bool last = (size_t)(e - l) == strlen(heredoc[h]) &&
                                    !strncmp(l, heredoc[h], (size_t)(e - l));
                        line += e < end;
                        p = e < end ? e + 1 : end;
                        if (last)
                            break;
                    }
                    free(heredoc[h]);
                }
            if (nl)
                nhd = 0;
            continue;
        }
        if (cmd_start) {
            stmt = p;
            p += sh_declarer(p, end);
            const char *name = p;
            while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
                p++;
            if (p > name && !isdigit((unsigned char)*name) && p + 1 < end && p[0] == '+' &&
                p[1] == '=')
                note_line(&notes->append, &notes->append_line, stmt, end, line);
            if (p > name && !isdigit((unsigned char)*name) && p < end && *p == '=') {
                char *n = md_xasprintf("%.*s", (int)(p - name), name);
                p++;
                unsigned at = line;
                md_strv unset = { 0 };
                char *val = shell_word(&p, end, &line, v, &unset);
                /* once a command: "A1=1 A2=2 ..." must not cost its length squared */
                if (lasts < 0)
                    lasts = sh_assignment_lasts(p, end, in_pipe);
                if (lasts)
                    assign_var(v, as, file, at, stmt, p, n, val, &unset,
                               depth > 0 || cond || stopped);
                md_strv_free(&unset);
                free(n);
                free(val);
                continue; /* A=1 B=2: the next word may be an assignment too */
            }
            p = name;
        }
        const char *wstart = p;
        md_strv unset = { 0 };
        char *w = shell_word(&p, end, &line, v, &unset);
        if (p == wstart) { /* a character no word takes: step over it */
            md_strv_free(&unset);
            free(w);
            p++;
            continue;
        }
        if (!in_pipe)
            sh_default_assign(wstart, p, file, line, stmt, v, as, depth > 0 || cond || stopped);
        if (case_word && !cmd_start && !strcmp(w, "in")) {
            case_word = false;
            case_pat = true;
            if (ncase < MAX_CASE)
                case_at[ncase++] = depth;
            md_strv_free(&unset);
            free(w);
            continue;
        }
        if (case_pat && strcmp(w, "esac")) {
            /* a pattern: the word ending in ')' ends it, a command follows */
            if (*w && w[strlen(w) - 1] == ')')
                case_pat = false, cmd_start = true, in_pipe = false, cond = false;
            md_strv_free(&unset);
            free(w);
            continue;
        }
        case_pat = false;
        if (hd_next) {
            if (nhd < MAX_HEREDOC)
                hd_tabs[nhd] = hd_next_tabs, heredoc[nhd++] = md_xstrdup(w);
            hd_next = false;
        } else if (!strncmp(w, "<<", 2) && !in_unset && !in_read) {
            const char *d = w + 2;
            bool tabs = *d == '-';
            d += tabs;
            if (!*d)
                hd_next = true, hd_next_tabs = tabs;
            else if (nhd < MAX_HEREDOC)
                hd_tabs[nhd] = tabs, heredoc[nhd++] = md_xstrdup(d);
        } else if (for_state == 1) {
            free(for_name);
            for_name = md_xstrdup(w);
            for_line = line;
            for_state = 2;
            free(for_last), for_last = NULL;
            md_strv_free(&for_unset);
            for_maybe = depth > 1 || cond || stopped || in_pipe;
            bool in = false;
            const char *q = p;
            while (q < end && (*q == ' ' || *q == '\t'))
                q++;
            in = end - q > 2 && !strncmp(q, "in", 2) && strchr(" \t\n;", q[2]);
            if (in)
                p = q + 2;
            else /* for NAME; do: over "$@", grub-mkconfig's own arguments */
                for_maybe = true, for_last = md_xstrdup("");
            md_strv_free(&unset);
            free(w);
            continue;
        } else if (for_state == 2) {
            free(for_last);
            for_last = md_xstrdup(w);
            md_strv_free(&for_unset);
            for_unset = unset, unset = (md_strv){ 0 };
            /* a field split or a pattern lint does not follow */
            if (memchr(wstart, '$', (size_t)(p - wstart)) || strpbrk(w, "*?["))
                for_maybe = true;
            md_strv_free(&unset);
            free(w);
            continue;
        } else if (in_unset && (isalpha((unsigned char)*w) || *w == '_')) {
            md_strv none = { 0 };
            assign_var(v, as, file, line, stmt, p, w, "", &none, depth > 0 || cond || stopped);
            md_strv_free(&none);
        } else if (in_read && (*w == '<' || *w == '>')) {
            in_read = false; /* "read X < FILE": the names end */
        } else if (in_read && (isalpha((unsigned char)*w) || *w == '_')) {
            /* read gives NAME what it reads: unknown, unless in a subshell */
            md_strv none = { 0 };
            if (!in_pipe)
                assign_var(v, as, file, line, stmt, p, w, "", &none, true);
            md_strv_free(&none);
        } else if (cmd_start) {
            int step = compound_step(w);
            depth += step;
            if (depth < 0)
                depth = 0;
            if (!strcmp(w, "case"))
                case_word = true; /* its word, then "in" */
            while (ncase && case_at[ncase - 1] > depth)
                ncase--;
            if (loop_var && depth < loop_depth)
                free(loop_var), loop_var = NULL;
            if (loop_var && !strcmp(w, "break")) {
                /* the loop may end at an earlier word: NAME unknown */
                md_strv none = { 0 };
                assign_var(v, as, file, line, stmt, p, loop_var, "", &none, true);
                md_strv_free(&none);
            }
            in_unset = !strcmp(w, "unset");
            in_read = !strcmp(w, "read");
            if (!strcmp(w, "for"))
                for_state = 1;
            if (!strcmp(w, "return") || !strcmp(w, "exit")) {
                /* a dot script ends here; "f() { return; }" only a function */
                if (depth == 0 && !cond && !in_pipe && !stopped) {
                    md_strv_free(&unset);
                    free(w);
                    break;
                }
                /* in if/&&/a function: what follows may not run (a function's
                 * own return too: lint does not tell it from an if's) */
                if (!in_pipe)
                    stopped = true;
            }
            if (!strcmp(w, ".") || !strcmp(w, "source"))
                note_line(&notes->source, &notes->source_line, stmt, end, line);
            /* after these a command starts: "then X=1", "do X=1", "{ X=1; }" */
            cmd_start = step > 0 || !strcmp(w, "then") || !strcmp(w, "do") ||
                        !strcmp(w, "else") || !strcmp(w, "elif") || !strcmp(w, "!");
            if (!strcmp(w, "for"))
                cmd_start = false;
        } else if (depth > 0 && *w && w[strlen(w) - 1] == ')') {
            cmd_start = true; /* a case pattern "a)": its command follows */
        }
        md_strv_free(&unset);
        size_t wl = strlen(w);
        if (!cmd_start && !in_unset && wl > 2 && !strcmp(w + wl - 2, "()"))
            cmd_start = true; /* "f()" then "{": a function body */
        free(w);
    }
    if (for_state == 2) {
        md_strv none = { 0 };
        assign_var(v, as, file, for_line, stmt, p, for_name, for_last ? for_last : "",
                   for_last ? &for_unset : &none, true);
        md_strv_free(&none);
    }
    for (size_t h = 0; h < nhd; h++)
        free(heredoc[h]);
    free(for_name);
    free(for_last);
    free(loop_var);
    md_strv_free(&for_unset);
    free(buf);
}

enum { XEN, XEN_DEF, LIN_REPL, LIN_REPL_DEF, LIN, LIN_DEF, NOREC, NVARS };

/* The value of variable k, NULL when unset; *a its assignment. */
static const char *var_of(const vars *v, const assign *as, const ssize_t *at, int k,
                          const assign **a)
{
    if (at[k] < 0)
        return NULL;
    if (a)
        *a = &as[at[k]];
    return v->values.v[at[k]];
}

/* Variables ks[0..n) in order onto file f, which gets the file and line of
 * the last one set, or of the last one whose value has the parameter lint
 * checks there: dom0_mem= on Xen's line (`xen`), where a dom0_mem fix
 * goes, console= on the dom0 kernel's, so that the console finding names
 * GRUB_CMDLINE_LINUX_XEN_REPLACE's line, not GRUB_CMDLINE_LINUX_DEFAULT's
 * (grub10 5). */
static void put_vars(md_bootcfg_file *f, const vars *v, const assign *as, const ssize_t *at,
                     const int *ks, int n, const char *const *names, bool xen)
{
    const assign *where = NULL;
    bool where_key = false, where_repl = false;
    const char *key = xen ? "dom0_mem=" : "console=";
    for (int j = 0; j < n; j++) {
        const assign *a;
        const char *val = var_of(v, as, at, ks[j], &a);
        if (!val)
            continue;
        /* update-grub writes the value into grub.cfg as it is
         * (20_linux_xen: "${xen_args}"), where GRUB's lexer reads it:
         * quotes inside the value are GRUB's, not the loader's (trial10d
         * case 20: dom0_mem='1024M,max:1024M' is Xen's dom0_mem=1024M,...) */
        md_grubcfg_args(val, xen, &f->args);
        md_strv u = { 0 };
        split_words(&u, v->unknown.v[at[ks[j]]]);
        for (size_t q = 0; q < u.n; q++)
            add_unknown(&f->unset, u.v[q]);
        md_strv_free(&u);
        /* a GRUB_CMDLINE_LINUX_XEN_REPLACE without the key is where the
         * key went missing: it keeps the place from the variables after it
         * that lack the key as well (trial10y M5) */
        bool has = strstr(val, key) != NULL, repl = ks[j] == LIN_REPL || ks[j] == LIN_REPL_DEF;
        if (has || (!where_key && !where_repl))
            where = a, where_key = has, where_repl = repl && !has;
    }
    if (where) {
        f->line = where->line;
        free(f->file);
        f->file = names ? md_xstrdup(names[where->file]) : NULL;
    }
}

/* Where `f` is set from when its own variables are not: `like`'s place. */
static void place_like(md_bootcfg_file *f, const md_bootcfg_file *like)
{
    if (f->line || !like || !like->line)
        return;
    f->line = like->line;
    f->file = md_xstrdup_or_null(like->file);
}

/* A non-empty `repl` (GRUB_CMDLINE_LINUX_XEN_REPLACE[_DEFAULT]) takes the
 * place of `lin` (GRUB_CMDLINE_LINUX[_DEFAULT]) on the Xen entries' dom0
 * line (20_linux_xen), `who` of them: console= words of `lin` are lost
 * there when `repl` has none, said on `repl`'s line with the words. */
static void repl_drops(const vars *v, const assign *as, const ssize_t *at, int repl, int lin,
                       const char *who, const char *const *names, md_bootcfg_list *out)
{
    const assign *ra, *la;
    const char *r = var_of(v, as, at, repl, &ra), *o = var_of(v, as, at, lin, &la);
    if (!r || !*r || !o || strstr(r, "console=") || !strstr(o, "console="))
        return;
    md_strv w = { 0 }, lost = { 0 };
    split_words(&w, o);
    for (size_t i = 0; i < w.n; i++)
        if (!strncmp(w.v[i], "console=", 8))
            md_strv_push(&lost, w.v[i]);
    char *words = md_strv_join(&lost, " ");
    static const char *const vn[] = { [LIN_REPL] = "GRUB_CMDLINE_LINUX_XEN_REPLACE",
                                       [LIN_REPL_DEF] = "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT",
                                       [LIN] = "GRUB_CMDLINE_LINUX",
                                       [LIN_DEF] = "GRUB_CMDLINE_LINUX_DEFAULT" };
    char *lat = names && la->file != ra->file
                    ? md_xasprintf("%s:%u", names[la->file], la->line)
                    : md_xasprintf("line %u", la->line);
    md_bootcfg_problem *p = md_bootcfg_add_problem(
        out, ra->line,
        md_xasprintf("%s replaces %s (%s) on the dom0 kernel line of %s (/etc/grub.d/"
                     "20_linux_xen), and has no console=, so %s never reaches dom0 there: hvc0 "
                     "is not dom0's console; add %s to this line", vn[repl], vn[lin], lat, who,
                     words, words));
    p->trap = 1;
    p->warning = true;
    if (names)
        p->file = md_xstrdup(names[ra->file]);
    free(lat);
    free(words);
    md_strv_free(&lost);
    md_strv_free(&w);
}

/* The entry 20_linux_xen writes: Xen's line from the variables `xk`, the
 * dom0 kernel's from `lk` after `first` ("single" for recovery); lines
 * none of whose variables is set are placed at `like`'s (NULL: none). */
static md_bootcfg_entry *default_entry(const vars *v, const assign *as, const ssize_t *at,
                                       const int *xk, int nx, const int *lk, int nl,
                                       const char *first, const md_bootcfg_entry *like,
                                       const char *const *names)
{
    md_bootcfg_entry *e = new_entry(NULL, NULL);
    e->xen.path = md_xstrdup("/boot/xen.gz");
    e->xen.mb2 = true;
    put_vars(&e->xen, v, as, at, xk, nx, names, true);
    place_like(&e->xen, like ? &like->xen : NULL);
    md_bootcfg_file *k = md_bootcfg_add_mod(e);
    if (first)
        md_strv_push(&k->args, first);
    put_vars(k, v, as, at, lk, nl, names, false);
    place_like(k, like && like->nmods ? &like->mods[0] : NULL);
    if (k->line) {
        k->path = md_xstrdup("/boot/vmlinuz");
        k->mb2 = true;
        unsigned kline = k->line;
        char *kfile = md_xstrdup_or_null(k->file);
        md_bootcfg_file *r = md_bootcfg_add_mod(e); /* moves the modules: k is stale now */
        r->path = md_xstrdup("/boot/initrd.img");
        r->line = kline;
        r->file = kfile;
        r->mb2 = r->nounzip = true; /* update-grub writes module2 --nounzip */
    } else {
        k->path = md_xstrdup("");
        k->mb2 = true;
        md_strv_free(&k->args);
    }
    return e;
}

/* GRUB's defaults files as grub-mkconfig sources them into one shell, and
 * the entries /etc/grub.d/20_linux_xen (Debian's grub-common 2.06) writes
 * from them:
 *   normal:   Xen "GRUB_CMDLINE_XEN GRUB_CMDLINE_XEN_DEFAULT", Linux
 *             "GRUB_CMDLINE_LINUX GRUB_CMDLINE_LINUX_DEFAULT"
 *   recovery: Xen "GRUB_CMDLINE_XEN", Linux "single GRUB_CMDLINE_LINUX",
 *             unless GRUB_DISABLE_RECOVERY is "true"
 * where a non-empty GRUB_CMDLINE_LINUX_XEN_REPLACE(_DEFAULT) replaces
 * GRUB_CMDLINE_LINUX(_DEFAULT).  A variable no file sets counts as empty
 * once another of its line is set. */
/* The line of a quote that `text`, read as sh reads it (a # at a word's
 * start comments, backslash escapes outside '...'), never closes; 0 if
 * none.  *span: the line of the first quote that runs past its line's
 * end, where a missing quote often is (then the quotes pair up wrongly
 * after it), or 0. */
static unsigned sh_open_quote(const char *t, size_t len, unsigned *span)
{
    unsigned line = 1, qline = 0;
    *span = 0;
    char q = 0;
    bool word = false;
    for (size_t i = 0; i < len; i++) {
        char c = t[i];
        if (q == '\'') {
            q = c == '\'' ? 0 : q;
        } else if (c == '\\' && i + 1 < len) {
            line += t[++i] == '\n';
            word = true;
            continue;
        } else if (q == '"') {
            q = c == '"' ? 0 : q;
        } else if (c == '#' && !word) {
            while (i + 1 < len && t[i + 1] != '\n')
                i++;
            continue;
        } else if (c == '\'' || c == '"') {
            q = c;
            qline = line;
        }
        if (c == '\n' && q && !*span)
            *span = qline;
        line += c == '\n';
        word = q || !strchr(" \t\n;&|()", c);
    }
    return q ? qline : 0;
}

/* The first line of `text` that writes NAME with blanks around its '='
 * ("GRUB_CMDLINE_XEN = \"...\"", "xen_opts= dom0_mem=1G") for a NAME that
 * starts with `prefix` (or is one of `names`): to sh that is no assignment
 * ("NAME = v" runs a command NAME, "NAME= v" sets NAME empty for the
 * command v), so the value never reaches the variable (trial10h case 9).
 * Adds the problem (an error, naming the line and `who`, the program that
 * sources the file) and returns the line, 0 when there is none. */
static unsigned sh_spaced_assignment(const char *text, size_t len, const char *prefix,
                                     const char *const *names, const char *fn, const char *who,
                                     md_bootcfg_list *out)
{
    char *buf = text_copy(text, len);
    unsigned line = 0, found = 0;
    for (char *p = buf, *nl; p && !found; p = nl) {
        line++;
        nl = strchr(p, '\n');
        if (nl)
            *nl++ = '\0';
        char *l = skip_ws(p);
        l += sh_declarer(l, l + strlen(l));
        size_t nlen = strspn(l, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
        bool known = prefix && !strncmp(l, prefix, strlen(prefix));
        for (int i = 0; names && names[i] && !known; i++)
            known = strlen(names[i]) == nlen && !strncmp(l, names[i], nlen);
        if (!nlen || !known)
            continue;
        char *r = l + nlen, *b = skip_ws(r);
        bool before = b > r && *b == '=';
        bool after = (*r == '=' || before) && (b[1] == ' ' || b[1] == '\t') && b[1 + strspn(b + 1, " \t")];
        if (!before && !after)
            continue;
        found = line;
        char *what = before ? md_xasprintf("is a command to sh, not an assignment: sh runs a "
                                           "program named %.*s, which fails ('not found')",
                                           (int)nlen, l)
                            : md_xasprintf("sets %.*s empty for the command that follows the "
                                           "blank, which sh runs and which fails", (int)nlen, l);
        md_bootcfg_add_problem(
            out, line,
            md_xasprintf("%s%sline %u ('%s'): %s, so %.*s is never set: %s sources this file "
                         "with /bin/sh, where an assignment has no blank around its '='; write "
                         "%.*s=\"...\" with no spaces", fn, *fn ? ": " : "", line, l, what,
                         (int)nlen, l, who, (int)nlen, l));
        free(what);
    }
    free(buf);
    return found;
}

/* Alpine's /etc/update-extlinux.conf as update-extlinux reads it (". $myconf"
 * in sh) and the Xen entry it writes when /boot/xen.gz exists (aports
 * main/syslinux/update-extlinux):
 *   COM32 mboot.c32
 *   APPEND xen.gz $xen_opts --- vmlinuz-TAG root=$root modules=$modules
 *          $default_kernel_opts --- initramfs-TAG
 * unquoted, so each value is split at blanks.  A file that sets no
 * xen_opts is not for Xen: no entry (trial10h case 3). */
static void read_extlinux_settings(const char *text, size_t len, md_bootcfg_list *out)
{
    static const char *const names[] = { "xen_opts", "default_kernel_opts", "root", "modules",
                                          NULL };
    unsigned spaced = sh_spaced_assignment(text, len, NULL, names, "", "update-extlinux", out);
    vars v = { .unset_empty = true }; /* update-extlinux starts them unset */
    assign *as = NULL;
    sh_notes notes = { 0 };
    read_assignments(text, len, 0, &v, &as, &notes);
    free(notes.append);
    free(notes.source);
    vars_over(&v, out);
    ssize_t xi = var_at(&v, "xen_opts"), ki = var_at(&v, "default_kernel_opts");
    ssize_t ri = var_at(&v, "root"), mi = var_at(&v, "modules");
    if (xi >= 0 || spaced) {
        md_bootcfg_entry *e = new_entry("Xen + Linux (update-extlinux)", "label");
        e->xen.path = md_xstrdup("xen.gz");
        e->xen.line = xi >= 0 ? as[xi].line : spaced;
        if (xi >= 0)
            split_words(&e->xen.args, v.values.v[xi]);
        md_bootcfg_file *k = md_bootcfg_add_mod(e);
        k->path = md_xstrdup("vmlinuz-lts");
        k->line = ki >= 0 ? as[ki].line : e->xen.line;
        k->nounzip = true; /* mboot.c32 passes modules as they are */
        if (ri >= 0 && *v.values.v[ri])
            md_strv_pushf(&k->args, "root=%s", v.values.v[ri]);
        md_strv_pushf(&k->args, "modules=%s", mi >= 0 ? v.values.v[mi] : "");
        if (ki >= 0)
            split_words(&k->args, v.values.v[ki]);
        unsigned kline = k->line;
        md_bootcfg_file *r = md_bootcfg_add_mod(e); /* moves the modules: k is stale now */
        r->path = md_xstrdup("initramfs-lts");
        r->line = kline;
        r->nounzip = true;
        md_bootcfg_add_multiboot(out, e);
    }
    for (size_t i = 0; i < v.names.n; i++)
        free(as[i].raw);
    free(as);
    vars_free(&v);
}

static void read_defaults(const char *const *names, const char *const *texts,
                          const size_t *lens, size_t n, bool complete, md_bootcfg_list *out)
{
    unsigned spaced = 0;
    for (size_t i = 0; i < n && !spaced; i++)
        spaced = sh_spaced_assignment(texts[i], lens[i], "GRUB_CMDLINE_", NULL,
                                      names && names[i] ? names[i] : "",
                                      "update-grub (grub-mkconfig)", out);
    vars v = { .unset_empty = complete };
    assign *as = NULL;
    for (size_t i = 0; i < n; i++) {
        /* update-grub's shell stops at it: a syntax error, not a value */
        unsigned span, ql = sh_open_quote(texts[i], lens[i], &span);
        if (ql) {
            char *from = span && span < ql
                             ? md_xasprintf(" (the quotes pair up wrongly from line %u, whose "
                                            "quote runs on to the next line)", span)
                             : md_xstrdup("");
            md_bootcfg_problem *p = md_bootcfg_add_problem(
                out, ql,
                md_xasprintf("%s%sline %u opens a quote that is never closed: /bin/sh, which "
                             "update-grub reads this file with (grub-mkconfig: . "
                             "\"${sysconfdir}/default/grub\"), stops with a syntax error "
                             "(unterminated quoted string), so update-grub fails and writes no "
                             "grub.cfg; what the file sets cannot be checked; close the "
                             "quote%s", names && names[i] ? names[i] : "",
                             names && names[i] ? ": " : "", ql, from));
            p->unchecked = true;
            free(from);
        }
        v.name = names ? names[i] : NULL;
        sh_notes notes = { 0 };
        read_assignments(texts[i], lens[i], i, &v, &as, &notes);
        const char *fn = names && names[i] ? names[i] : "", *sep = *fn ? ": " : "";
        if (notes.append) {
            md_bootcfg_add_problem(
                out, notes.append_line,
                md_xasprintf("%s%sline %u ('%s'): '+=' appends only in bash; update-grub reads "
                             "this file with /bin/sh (grub-mkconfig), which on Debian is dash, "
                             "where the line is a command that fails ('not found') and changes "
                             "nothing, as lint reads it (where /bin/sh is bash, as for Fedora's "
                             "grub2-mkconfig, it appends); write NAME=\"$NAME ...\" instead",
                             fn, sep, notes.append_line, notes.append))->warning = true;
        }
        if (notes.source) {
            md_bootcfg_problem *p = md_bootcfg_add_problem(
                out, notes.source_line,
                md_xasprintf("%s%scannot check fully: line %u ('%s') runs another file in "
                             "update-grub's shell, which may set any GRUB_CMDLINE_ variable, "
                             "and lint has not read it; lint that file together with this "
                             "one", fn, sep, notes.source_line, notes.source));
            p->warning = p->unchecked = true;
        }
        free(notes.append);
        free(notes.source);
    }
    vars_over(&v, out);
    static const char *const vn[NVARS] = { "GRUB_CMDLINE_XEN", "GRUB_CMDLINE_XEN_DEFAULT",
                                           "GRUB_CMDLINE_LINUX_XEN_REPLACE",
                                           "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT",
                                           "GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT",
                                           "GRUB_DISABLE_RECOVERY" };
    ssize_t at[NVARS];
    for (int k = 0; k < NVARS; k++)
        at[k] = var_at(&v, vn[k]);
    /* 20_linux_xen writes an entry for every /boot/xen* whatever these
     * variables are (Debian 12's grub-common 2.06-13: "for i in /boot/xen*",
     * then linux_entry with "${GRUB_CMDLINE_XEN} ${GRUB_CMDLINE_XEN_DEFAULT}"
     * as the Xen arguments): a file that sets one is for Xen, and so is
     * the grub.d/xen.cfg that Debian's xen-hypervisor-common installs with
     * the hypervisor, which sets XEN_OVERRIDE_GRUB_DEFAULT and leaves the
     * others commented out: its Xen entry has no dom0_mem (trial10g 8) */
    /* a file that means to set a Xen variable but writes it with blanks
     * around '=' is for Xen too: its entries get what sh made of it */
    if (at[XEN] >= 0 || at[XEN_DEF] >= 0 || at[LIN_REPL] >= 0 || at[LIN_REPL_DEF] >= 0 ||
        var_at(&v, "XEN_OVERRIDE_GRUB_DEFAULT") >= 0) {
        /* 20_linux_xen: [ "$GRUB_CMDLINE_LINUX_XEN_REPLACE" ] && replace */
        const char *r = var_of(&v, as, at, LIN_REPL, NULL);
        const char *rd = var_of(&v, as, at, LIN_REPL_DEF, NULL);
        int lin = r && *r ? LIN_REPL : LIN, lind = rd && *rd ? LIN_REPL_DEF : LIN_DEF;
        const char *norec0 = var_of(&v, as, at, NOREC, NULL);
        bool recs = !norec0 || strcmp(norec0, "true");
        repl_drops(&v, as, at, LIN_REPL, LIN,
                   recs ? "the normal and the recovery entries" : "the normal entries", names,
                   out);
        repl_drops(&v, as, at, LIN_REPL_DEF, LIN_DEF, "the normal entries", names, out);
        const int xk[] = { XEN, XEN_DEF }, lk[] = { lin, lind };
        md_bootcfg_entry *e = default_entry(&v, as, at, xk, 2, lk, 2, NULL, NULL, names);
        const char *norec = var_of(&v, as, at, NOREC, NULL);
        md_bootcfg_entry *rec = NULL;
        if (!norec || strcmp(norec, "true")) {
            rec = default_entry(&v, as, at, xk, 1, lk, 1, "single", e, names);
            rec->recovery = true;
            const assign *xa;
            rec->xen_var_set = var_of(&v, as, at, XEN, &xa) != NULL;
            if (rec->xen_var_set && xa->raw)
                rec->xen_var = md_xstrdup(xa->raw);
            /* a file alone that sets no dom0 kernel variable either is a
             * fragment (the stock grub.d/xen.cfg), as trap 1 reads it:
             * /etc/default/grub, not given, may set GRUB_CMDLINE_XEN */
            rec->xen_var_unseen = !complete && !rec->xen_var_set && at[LIN] < 0 &&
                                  at[LIN_DEF] < 0 && at[LIN_REPL] < 0 && at[LIN_REPL_DEF] < 0;
        }
        if (!e->xen.line)
            e->xen.line = spaced;
        if (rec && !rec->xen.line)
            rec->xen.line = spaced;
        /* alone, a file that sets neither leaves them to another one (the
         * stock grub.d/xen.cfg: trial10 case 8); with /etc/default/grub
         * read, one no file sets is empty */
        e->xen_vars_unseen = !complete && at[XEN] < 0 && at[XEN_DEF] < 0;
        if (rec)
            rec->xen_vars_unseen = e->xen_vars_unseen;
        md_bootcfg_add_multiboot(out, e);
        if (rec)
            md_bootcfg_add_multiboot(out, rec);
    }
    for (size_t i = 0; i < v.names.n; i++)
        free(as[i].raw);
    free(as);
    vars_free(&v);
}

void md_bootfmt_read_defaults(const char *const *names, const char *const *texts,
                              const size_t *lens, size_t n, bool complete, md_bootcfg_list *out)
{
    size_t all = 0;
    for (size_t i = 0; i < n; i++)
        all += lens[i];
    if (md_bootcfg_too_big(all, out))
        return;
    read_defaults(names, texts, lens, n, complete, out);
}

/* ---- Xen EFI xen.cfg ---- */

/* One line of xen.cfg as Xen's EFI loader sees it: its text and the line
 * of the file it starts on. */
typedef struct efiline {
    const char *s;
    unsigned line;
    const char *orig; /* the same line in the file's text ... */
    const char *end;  /* ... which ends here (it has no NUL) */
} efiline;

/* The lines of xen.cfg, with the first header of each section name. */
typedef struct efifile {
    const efiline *v;
    size_t n;
    md_hindex sect; /* by name (the header up to its first ']'): index in v */
} efifile;

/* The name of header line `l` ("[name]..." up to the first ']'), its length. */
static size_t efi_head(const char *l)
{
    return strcspn(l + 1, "]");
}

static void efi_index(efifile *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const char *l = f->v[i].s;
        size_t hl = efi_head(l);
        if (*l != '[' || !l[1 + hl])
            continue;
        uint64_t h = md_hindex_hash(l + 1, hl);
        size_t it = 0, k;
        while ((k = md_hindex_next(&f->sect, h, &it)) != SIZE_MAX &&
               (efi_head(f->v[k].s) != hl || strncmp(f->v[k].s + 1, l + 1, hl)))
            ;
        if (k == SIZE_MAX)
            md_hindex_add(&f->sect, h, i);
    }
}

/* The first line whose header Xen takes for section `name`: the name, then
 * ']' (strncmp in get_value()); SIZE_MAX when none. */
static size_t efi_section(const efifile *f, const char *name)
{
    size_t nl = strlen(name);
    if (strchr(name, ']')) { /* "[a]b]" for a]b: no header name holds a ']' */
        for (size_t i = 0; i < f->n; i++)
            if (f->v[i].s[0] == '[' && !strncmp(f->v[i].s + 1, name, nl) && f->v[i].s[1 + nl] == ']')
                return i;
        return SIZE_MAX;
    }
    uint64_t h = md_hindex_hash(name, nl);
    for (size_t it = 0, k; (k = md_hindex_next(&f->sect, h, &it)) != SIZE_MAX;)
        if (efi_head(f->v[k].s) == nl && !strncmp(f->v[k].s + 1, name, nl))
            return k;
    return SIZE_MAX;
}

/* Xen's value of `key` in section `[name]`, as get_value()
 * (xen/common/efi/boot.c, 4.17 and 4.20) finds it: the first section whose
 * header is exactly "[name]" (strncmp and ']' right after: case and spaces
 * count), the FIRST key= in it, leading white space dropped; with `name`
 * NULL (no default=) section headers are ignored and the first key= of the
 * whole file is taken (`match = !slen`; docs/misc/efi.pandoc, default=: "if
 * absent, section headers will be ignored and for each value looked for the
 * first instance within the file will be used").  NULL when none.
 * With `spaced`, the line that reads "key =..." or "key  =..." instead:
 * meant as key=, but get_value() wants the '=' right after the key
 * (`ptr[ilen] == '='`), so Xen never finds it. */
static const efiline *efi_find(const efifile *f, const char *name, const char *key,
                               bool spaced, const char **val)
{
    size_t kl = strlen(key), nl = name ? strlen(name) : 0, i = 0;
    if (nl) { /* from the section's header on (efi_section) */
        i = efi_section(f, name);
        if (i == SIZE_MAX)
            return NULL;
        i++;
    }
    for (; i < f->n; i++) {
        const char *l = f->v[i].s;
        if (*l == '[') {
            if (nl)
                return NULL;
            continue;
        }
        if (strncmp(l, key, kl) || l[kl] != (spaced ? ' ' : '='))
            continue;
        const char *p = l + kl;
        while (spaced && *p == ' ')
            p++;
        if (*p != '=')
            continue;
        for (p++; spaced ? *p == ' ' : isspace((unsigned char)*p) != 0;)
            p++;
        *val = p;
        return &f->v[i];
    }
    return NULL;
}

static const efiline *efi_value(const efifile *f, const char *name, const char *key,
                                const char **val)
{
    return efi_find(f, name, key, false, val);
}

/* A line of section `name` (as efi_value() walks it) meant as key= but
 * written with a space before the '=' (see efi_find).  Its value, white
 * space dropped, in *val; NULL when none. */
static const efiline *efi_spaced(const efifile *f, const char *name, const char *key,
                                 const char **val)
{
    return efi_find(f, name, key, true, val);
}

/* The error of `out` that line `l` of section `name`, "key =val" (efi_spaced),
 * is no key= line to Xen, which `costs`; its fix is the line as key=val. */
static md_bootcfg_problem *efi_spaced_problem(const char *name, const char *key,
                                              const efiline *l, const char *val,
                                              const char *costs, md_bootcfg_list *out)
{
    char *fix = md_xasprintf("%s=%s", key, val);
    md_bootcfg_problem *p = md_bootcfg_add_problem(
        out, l->line,
        md_xasprintf("%s%s%sline %u ('%.60s') is ignored by Xen: the space before '=' makes it "
                     "no %s= line (get_value() in xen/common/efi/boot.c finds a key only as "
                     "'%s=', with nothing between), so %s; write it as %s", name ? "section '" : "",
                     name ? name : "", name ? "': " : "", l->line, l->s, key, key, costs, fix));
    p->fix = fix;
    return p;
}

/* efi_value(), or the line efi_spaced() finds, said as an error of `out`
 * that names it (with the line as Xen would read it as the fix) and read
 * as the user meant, so the rest of the entry is still checked. */
static const efiline *efi_value_or_spaced(const efifile *f, const char *name,
                                          const char *key, const char **val, const char *costs,
                                          int trap, md_bootcfg_list *out)
{
    const efiline *l = efi_value(f, name, key, val);
    if (l || !(l = efi_spaced(f, name, key, val)))
        return l;
    efi_spaced_problem(name, key, l, *val, costs, out)->trap = trap;
    return l;
}

/* A tab inside line `l`'s value: pre_parse() ends the line at every
 * control character (xen/common/efi/boot.c), so Xen loses the words after
 * it (and reads them as a line of their own).  Said as an error of `out`
 * naming the line, of trap `trap` when what is lost has `key` ("dom0_mem=",
 * "console="); the fix is the line with spaces.  Returns the value as
 * meant (tabs as spaces, the caller's to free), so the rest is checked on
 * what the user wrote; NULL when no tab cuts the line. */
static char *efi_cut_at_tab(const efiline *l, const char *what, const char *key, int trap,
                            md_bootcfg_list *out)
{
    const char *o = l->orig + strlen(l->s), *e = o;
    if (o >= l->end || *o != '\t')
        return NULL;
    while (e < l->end && *e && *e != '\n' && *e != '\r')
        e++;
    const char *rest = o;
    while (rest < e && isspace((unsigned char)*rest))
        rest++;
    if (rest == e)
        return NULL;
    char *fix = md_xasprintf("%.*s", (int)(e - l->orig), l->orig);
    for (char *q = fix; *q; q++)
        if (*q == '\t')
            *q = ' ';
    char *lost = md_xasprintf("%.*s", (int)(e - rest), rest);
    md_bootcfg_problem *p = md_bootcfg_add_problem(
        out, l->line,
        md_xasprintf("line %u: the tab after '%.40s' ends %s there: Xen's reader ends a line "
                     "at every control character (pre_parse() in xen/common/efi/boot.c), so "
                     "Xen does not get '%.60s'; use spaces between the words", l->line, l->s,
                     what, lost));
    p->trap = strstr(lost, key) ? trap : 0;
    p->fix = fix;
    free(lost);
    const char *eq = strchr(fix, '=');
    return md_xstrdup(eq ? eq + 1 + strspn(eq + 1, " ") : "");
}

/* Is a dom0_mem= word among `w`? */
static bool has_dom0_mem(const md_strv *w)
{
    for (size_t i = 0; w && i < w->n; i++)
        if (!strncmp(w->v[i], "dom0_mem=", 9))
            return true;
    return false;
}

/* The entry Xen boots from section `name` (NULL: no default=, the first
 * value of each key in the file), when it has kernel=, or, when `boots`
 * (it is the section Xen's loader boots) and the image has its own .kernel
 * (st->has_kernel), without: efi_start() reads the .kernel section before
 * the file kernel= names, with kernel='s parameters or none.  st (NULL: a
 * plain start): st->xen_opts come after options= on Xen's line
 * (efi_arch_handle_cmdline(): place_string() prepends the config's), and
 * the Xen line is said to be st's line when they hold dom0_mem=; a
 * .ramdisk section is the rootfs whether or not ramdisk= names one.  `line`
 * (in st->file when `in_st`) stands for a value the file does not give. */
static void efi_entry(const efifile *f, const char *name, unsigned line, bool in_st, bool arm,
                      const md_bootfmt_efi_start *st, bool boots, md_bootcfg_list *out)
{
    const char *val;
    bool own_kernel = st && st->has_kernel;
    const efiline *k = efi_value_or_spaced(
        f, name, "kernel", &val,
        own_kernel ? "Xen boots the image's own .kernel section with no dom0 command line"
                   : "Xen has no dom0 kernel: it stops with 'No initial domain kernel "
                     "specified.' and nothing boots", 0, out);
    if (!k && !(own_kernel && boots))
        return;
    md_bootcfg_entry *en = new_entry(name, "section"); /* untitled without default= */
    /* Arm's efi_arch_cfg_file_early(): the section's dtb=, else [global]'s */
    const efiline *dt = efi_value(f, name, "dtb", &(const char *){ NULL });
    if (!dt)
        dt = efi_value(f, "global", "dtb", &(const char *){ NULL });
    en->dtb_line = dt ? dt->line : 0;
    en->arm = !(st && st->x86) && (arm || dt);
    md_bootcfg_file *kf = md_bootcfg_add_mod(en);
    if (k) {
        char *whole = efi_cut_at_tab(k, "the dom0 kernel line", "console=", 1, out);
        md_strv w = { 0 };
        split_words(&w, whole ? whole : val);
        file_from(kf, &w, 0, k->line);
        md_strv_free(&w);
        free(whole);
    } else {
        /* read_section("kernel") with option_str NULL: dom0's command line
         * is empty, which the kernel line's checks then find (said here
         * unless the section is missing, which its problem says) */
        kf->path = md_xstrdup(".kernel");
        kf->line = line;
        kf->file = in_st ? md_xstrdup(st->file) : NULL;
    }
    if (!k && !in_st) {
        md_bootcfg_problem *p = md_bootcfg_add_problem(
            out, line,
            md_xasprintf("%s%s%shas no kernel=, so Xen boots the image's own .kernel section "
                         "with an empty dom0 command line (efi_start() in "
                         "xen/common/efi/boot.c: read_section(\"kernel\") with no options): "
                         "dom0 gets no console=hvc0, rdinit= or any other parameter; add "
                         "kernel=vmlinuz followed by them (the name is not read, the section "
                         "is)", name ? "section '" : "the config ", name ? name : "",
                         name ? "' " : ""));
        p->note = true;
    }
    const efiline *o = efi_value_or_spaced(f, name, "options", &val,
                                           "Xen gets none of these options: no dom0_mem, so "
                                           "dom0 starts with nearly all host RAM", 4, out);
    char *whole = o ? efi_cut_at_tab(o, "the Xen options", "dom0_mem=", 4, out) : NULL;
    en->xen.path = md_xstrdup("xen.efi");
    en->xen.line = o ? o->line : line;
    en->xen.file = !o && in_st ? md_xstrdup(st->file) : NULL;
    if (o)
        split_words(&en->xen.args, whole ? whole : val);
    free(whole);
    if (st && st->xen_opts) {
        /* Xen's line is options= then these, before x86 Xen cuts it at
         * " -- " (md_bootcfg_add_multiboot): their dom0_mem= is judged
         * where it is written */
        for (size_t i = 0; i < st->xen_opts->n; i++)
            md_strv_push(&en->xen.args, st->xen_opts->v[i]);
        if (st->file && has_dom0_mem(st->xen_opts)) {
            free(en->xen.file);
            en->xen.file = md_xstrdup(st->file);
            en->xen.line = st->line;
        }
    }
    const efiline *r = efi_value_or_spaced(f, name, "ramdisk", &val,
                                           st && st->has_ramdisk
                                               ? "Xen reads the image's .ramdisk section anyway"
                                               : "dom0 gets no ramdisk: no initramfs and no "
                                                 "rootfs, so it has nothing to run", 0, out);
    if (r || (st && st->has_ramdisk)) {
        md_bootcfg_file *rf = md_bootcfg_add_mod(en);
        rf->path = r ? md_xasprintf("%.*s", (int)strcspn(val, " \t"), val) : md_xstrdup(".ramdisk");
        rf->line = r ? r->line : line;
        rf->file = !r && in_st ? md_xstrdup(st->file) : NULL;
        rf->nounzip = true; /* Xen's EFI loader passes the file as it is */
    }
    md_bootcfg_add_multiboot(out, en);
}

/* The last line `last` (an entry of v) has no newline after it: Xen says
 * it ignores it.  What that costs, as a problem of `out`: an error that
 * cannot be checked when the line sets a value Xen uses (the first key= of
 * the first section of its name), else a warning. */
static void efi_no_newline(const efifile *f, const char *last, md_bootcfg_list *out)
{
    const efiline *v = f->v;
    size_t n = f->n;
    const efiline *at = NULL, *sect = NULL;
    for (size_t i = 0; i < n; i++) {
        if (v[i].s == last)
            at = &v[i];
        if (v[i].s[0] == '[' && v[i].s < last)
            sect = &v[i];
    }
    if (!at)
        return;
    char *name = NULL, *key = md_xasprintf("%.*s", (int)strcspn(last, "="), last);
    const char *val = NULL;
    if (sect && strchr(sect->s, ']'))
        name = md_xasprintf("%.*s", (int)(strchr(sect->s, ']') - sect->s - 1), sect->s + 1);
    bool used = name && last[strlen(key)] == '=' && efi_value(f, name, key, &val) == at;
    const char *what = !used ? NULL
                     : !strcmp(key, "options") ? "its Xen options"
                     : !strcmp(key, "kernel") ? "its dom0 kernel, so Xen has no dom0 to start"
                     : !strcmp(key, "ramdisk") ? "its ramdisk, so dom0 has no initramfs/rootfs"
                     : "this setting";
    bool mem = used && !strcmp(key, "options") && strstr(val, "dom0_mem=");
    char *msg;
    if (!used)
        msg = md_xasprintf("line %u ('%.60s') has no newline after it, the last of the file: "
                           "Xen warns 'No newline at end of config file, last line will be "
                           "ignored'; end the file with a newline", at->line, last);
    else
        msg = md_xasprintf(
            "line %u ('%.60s') has no newline after it, the last of the file: Xen warns 'No "
            "newline at end of config file, last line will be ignored', and if it does, "
            "section '%s' loses %s%s; its reader does not stop at the end of the file either, "
            "so it may read the line with whatever bytes follow the file in memory: what Xen "
            "gets is not fixed by the file; end the file with a newline", at->line, last, name,
            what, mem ? ": no dom0_mem, so dom0 starts with nearly all host RAM and no max: "
                        "(trap 4)" : "");
    md_bootcfg_problem *p = md_bootcfg_add_problem(out, at->line, msg);
    p->trap = mem ? 4 : 0;
    p->unchecked = used;
    p->warning = !used;
    free(name);
    free(key);
}

/* "default = NAME" in [global]: Xen has no default= then (get_value() wants
 * the '=' right after the key), so it ignores section headers and takes the
 * first kernel= and options= of the whole file (efi_start(); docs/misc/
 * efi.pandoc, default=: "if absent, section headers will be ignored"), as
 * read_xen_efi() reads it.  Said on the line: an error when that is not
 * section [NAME]'s kernel= and options=, else a warning (grub10 4). */
static void efi_spaced_default(const efifile *f, md_bootcfg_list *out)
{
    const char *name, *v;
    const efiline *dl = efi_spaced(f, "global", "default", &name);
    if (!dl)
        return;
    const efiline *kx = efi_value(f, NULL, "kernel", &v), *ox = efi_value(f, NULL, "options", &v);
    bool same = kx && kx == efi_value(f, name, "kernel", &v) &&
                ox == efi_value(f, name, "options", &v);
    char *o = ox ? md_xasprintf("options= of line %u", ox->line) : md_xstrdup("no options=");
    char *costs =
        kx ? md_xasprintf("Xen has no default= and boots the first kernel= of the whole file "
                          "(line %u) with its first options= (%s), section headers ignored "
                          "(efi_start(); docs/misc/efi.pandoc, default=)%s section [%s]%s",
                          kx->line, o, same ? ", which are those of" : ", not",
                          name, same ? " only because it comes first" : "")
           : md_xasprintf("Xen has no default= and looks for the first kernel= of the whole "
                          "file, section headers ignored (efi_start()), not section [%s]", name);
    md_bootcfg_problem *p = efi_spaced_problem("global", "default", dl, name, costs, out);
    p->warning = same;
    free(costs);
    free(o);
}

/* The error of a chain= that leads back into its own chain (`loop`: the
 * files, from the one it goes back to; "": the file itself) while no file of it has the
 * section's kernel=: efi_start()'s loop (xen/common/efi/boot.c, 4.17 to
 * 4.20) leaves only at a kernel= or a file without chain=, so it reads
 * the files again and again and never boots nor stops. */
static char *chain_loop_msg(const char *why, const char *chain, unsigned line, const char *loop)
{
    bool self = !loop || !*loop;
    return md_xasprintf("%s, and chain=%s on line %u %s%s: Xen's EFI loader reads %s again and "
                        "again (efi_start() in xen/common/efi/boot.c leaves its loop only at a "
                        "kernel=): it never boots; give the section a kernel= or drop the chain=",
                        why, chain, line, self ? "names this file itself" : "leads back into "
                        "its own chain, ", self ? "" : loop, self ? "this file" : "these files");
}

/* A UTF-8 byte order mark before a section header on line 1: Xen's EFI
 * loader skips none (pre_parse() and get_value() in xen/common/efi/boot.c
 * compare the line's first byte with '['), so the header is no header and
 * its keys belong to no section Xen looks up by name (trial10y L2: with
 * [global] hidden, default= is not read and Xen boots the first kernel= of
 * the file).  The reader reads the file so already; this says why. */
static void efi_bom_header(const efifile *f, md_bootcfg_list *out)
{
    const char *s = f->n && f->v[0].line == 1 ? f->v[0].s : NULL;
    if (!s || strncmp(s, "\xEF\xBB\xBF[", 4) || !strchr(s + 4, ']'))
        return;
    int nl = (int)(strchr(s + 4, ']') - (s + 4));
    bool global = nl == 6 && !strncmp(s + 4, "global", 6);
    md_bootcfg_add_problem(
        out, 1,
        md_xasprintf("the file starts with a UTF-8 byte order mark: Xen's EFI loader skips none "
                     "(pre_parse() and get_value() in xen/common/efi/boot.c), so line 1 is "
                     "'\\xEF\\xBB\\xBF[%.*s]', not a section header, and Xen sees no section "
                     "[%.*s]%s; save the file without the byte order mark (as plain ASCII)",
                     nl, s + 4, nl, s + 4,
                     global ? ": what [global] sets (default=, chain=) is not read, and with no "
                              "default= Xen boots the first kernel= of the file"
                            : ": its keys are no section's, and default= naming it finds none"))
        ->warning = true;
}

/* xen.cfg read as Xen reads it (xen/common/efi/boot.c): pre_parse() ends a
 * line at every control character (tab and CR too), drops white space at a
 * line's start, makes '#' anywhere and ';' at a line's start begin a
 * comment, and warns of a last line without a newline (efi_no_newline);
 * efi_cfg_get_value() then takes the first key= of the first section of a
 * name.  Every section with kernel= is an entry. */
static void read_xen_efi(const char *text, size_t len, const md_bootfmt_efi_start *st,
                         md_bootcfg_list *out)
{
    char *buf = md_xmalloc(len + 1);
    memcpy(buf, text, len);
    buf[len] = '\0';
    bool start = true, comment = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (iscntrl(c)) {
            comment = false;
            start = true;
            buf[i] = '\0';
        } else if (comment || (start && isspace(c))) {
            buf[i] = '\0';
        } else if (c == '#' || (start && c == ';')) {
            comment = true;
            buf[i] = '\0';
        } else {
            start = false;
        }
    }
    /* pre_parse() then warns "No newline at end of config file, last line
     * will be ignored", but get_value() does not stop at the end of the
     * file: it reads the line with whatever bytes follow the file in memory
     * (the rest of its page is not cleared).  The line is read here as
     * written, and the problem says what is lost if Xen ignores it. */
    size_t nonl = len && buf[len - 1] ? len : 0;
    while (nonl && buf[nonl - 1])
        nonl--;
    /* counted first: room for len / 2 lines was 20 times the file in
     * address space (issue 9) */
    size_t nl = 0;
    for (size_t i = 0; i < len; i++)
        nl += buf[i] && (!i || !buf[i - 1]);
    efiline *v = md_xcalloc(nl + 1, sizeof *v);
    size_t n = 0;
    unsigned line = 1;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] && (!i || !buf[i - 1]))
            v[n++] = (efiline){ buf + i, line, text + i, text + len };
        line += text[i] == '\n';
    }
    efifile F = { v, n, { 0 } }, *f = &F;
    efi_index(f);
    efi_bom_header(f, out);
    bool arm = false;
    const char *val;
    if (efi_value(f, "global", "dtb", &val) && !(st && st->x86))
        arm = true;
    /* efi_start(): the section is the one named on xen.efi's command line,
     * else [global]'s default=; Xen looks up kernel= there, and when there
     * is none follows [global]'s chain= to another file (same section
     * name) or, without the image's own .kernel, stops with "No initial
     * domain kernel specified." */
    const char *def = NULL, *cmd = st ? st->section : NULL;
    const efiline *dl = efi_value(f, "global", "default", &def);
    if (!dl && !cmd)
        efi_spaced_default(f, out);
    const char *chain = NULL;
    const efiline *cl = efi_value(f, "global", "chain", &chain);
    if (cmd)
        def = cmd;
    /* get_argv() makes the command line's first word argv[0], the loader's
     * own name, which efi_start() never reads: a word there that names a
     * section of this file was meant as the section (trial 10n, finding D:
     * 'chainloader /xen.efi fast' boots default=, said nowhere) */
    const char *nm = st ? st->name : NULL;
    size_t nsect = nm && (!def || strcmp(nm, def)) ? efi_section(f, nm) : SIZE_MAX;
    if (nsect != SIZE_MAX && strcmp(nm, "global")) {
        char *boots = !def ? md_xstrdup("the first kernel= of the file (it has no default=)")
                      : cmd ? md_xasprintf("section [%s], the plain word after it", def)
                            : md_xasprintf("section [%s] (default=)", def);
        md_bootcfg_problem *p = md_bootcfg_add_problem(
            out, st->file ? st->line : v[nsect].line,
            md_xasprintf("'%s', the first word of Xen's EFI loader's command line, is taken for "
                         "the loader's own name (get_argv() in xen/common/efi/boot.c: argv[0]), "
                         "not for a section, so Xen boots %s, not section [%s]; to boot [%s], "
                         "give the loader a name first: 'xen.efi %s' after its path", nm, boots,
                         nm, nm, nm));
        p->warning = true;
        if (st->file)
            p->file = md_xstrdup(st->file);
        free(boots);
    }
    if (!def) {
        /* no default=: the first kernel= of the file, or, with none, the
         * chained file's (efi_start(): get_value(&cfg, "global", "chain")
         * when the section has no kernel=), which this reader does not see
         * (trial10g 11) */
        bool chained = cl && !efi_value(f, NULL, "kernel", &val) &&
                       !efi_spaced(f, NULL, "kernel", &val);
        if (chained && !out->include) {
            out->include = md_xasprintf("chain=%s", chain);
            out->include_line = cl->line;
        }
        if (chained && st && st->chain == MD_BOOTFMT_CHAIN_LOOP)
            md_bootcfg_add_problem(out, cl->line, chain_loop_msg("no kernel= in this file",
                                                                 chain, cl->line, st->loop));
        else if (chained && st && st->chain == MD_BOOTFMT_CHAIN_MISSING)
            md_bootcfg_add_problem(
                out, cl->line,
                md_xasprintf("no kernel= in this file, and chain=%s on line %u names no file "
                             "there, so Xen's EFI loader stops with 'Chained configuration "
                             "file '%s' not found.' (efi_start() in xen/common/efi/boot.c) and "
                             "nothing boots; put that file beside the loader", chain, cl->line,
                             chain));
        efi_entry(f, NULL, n ? v[0].line : 1, false, arm, st, !chained, out);
        goto done;
    }
    /* where the section's name comes from, for what it costs */
    bool in_st = cmd && st->file;
    unsigned at = in_st ? st->line : dl ? dl->line : n ? v[0].line : 1;
    char *named;
    if (cmd && st->file)
        named = md_xasprintf("section '%s', which Xen's EFI loader is told to boot on its "
                             "command line (%s:%u)", def, st->file, st->line);
    else if (cmd)
        named = md_xasprintf("section '%s', which Xen's EFI loader is told to boot on its "
                             "command line", def);
    else
        named = md_xasprintf("default=%s on line %u", def, dl->line);
    bool own_kernel = st && st->has_kernel, chained = false;
    size_t sect = efi_section(f, def);
    if (!efi_value(f, def, "kernel", &val) && !efi_spaced(f, def, "kernel", &val)) {
        bool exists = sect != SIZE_MAX;
        char *why = exists ? md_xasprintf("section [%s] has no kernel=", def)
                           : md_xasprintf("no section is headed exactly [%s] (Xen compares the "
                                          "name as written: case and spaces count)", def);
        md_bootcfg_problem *p = NULL;
        chained = cl != NULL;
        if (cl && !out->include) {
            out->include = md_xasprintf("chain=%s", chain);
            out->include_line = cl->line;
            out->include_section = md_xstrdup(def);
        }
        if (cl && st && st->chain == MD_BOOTFMT_CHAIN_LOOP) {
            char *w = md_xasprintf("%s: %s", named, why);
            p = md_bootcfg_add_problem(out, cl->line, chain_loop_msg(w, chain, cl->line, st->loop));
            free(w);
        } else if (cl && st && st->chain == MD_BOOTFMT_CHAIN_MISSING) {
            p = md_bootcfg_add_problem(
                out, cl->line,
                md_xasprintf("%s: %s, and chain=%s on line %u names no file there, so Xen's "
                             "EFI loader stops with 'Chained configuration file '%s' not "
                             "found.' (efi_start() in xen/common/efi/boot.c) and nothing "
                             "boots; put that file beside the loader or give the section a "
                             "kernel=", named, why, chain, cl->line, chain));
        } else if (cl && st && st->chain == MD_BOOTFMT_CHAIN_READ) {
            p = md_bootcfg_add_problem(
                out, cl->line,
                md_xasprintf("%s: %s, so Xen reads the chained file chain=%s instead "
                             "(efi_start() in xen/common/efi/boot.c) and boots section [%s] "
                             "from it; nothing of this file's [%s] is booted", named, why,
                             chain, def, def));
            p->note = true;
        } else if (cl)
            p = md_bootcfg_add_problem(
                out, cl->line,
                md_xasprintf("%s: %s, so Xen reads the chained file chain=%s instead "
                             "(efi_start() in xen/common/efi/boot.c) and boots section [%s] "
                             "from it; lint has not read that file: lint it as well",
                             named, why, chain, def));
        else if (own_kernel && !exists)
            /* the image boots anyway: its .kernel, with no dom0 parameters,
             * and Xen with no options= (get_value() finds nothing) */
            p = md_bootcfg_add_problem(
                out, at,
                md_xasprintf("%s: %s, so Xen's EFI loader finds none of its values: it boots "
                             "the image's own .kernel with an empty dom0 command line, and Xen "
                             "gets no options= (efi_start() in xen/common/efi/boot.c)%s; name a "
                             "section the config has", named, why,
                             st->xen_opts && st->xen_opts->n
                                 ? ", only the options after '--' on its command line"
                                 : ""));
        else if (!own_kernel)
            p = md_bootcfg_add_problem(
                out, at,
                md_xasprintf("%s: %s, so Xen's EFI loader stops with 'No initial domain kernel "
                             "specified.' (efi_start() in xen/common/efi/boot.c) and nothing "
                             "boots; name an existing section with kernel=", named, why));
        if (p && !cl && in_st) /* said on the command line's line */
            p->file = md_xstrdup(st->file);
        free(why);
    }
    if (cmd) {
        /* the one section the loader boots: no other is reachable from
         * this command line */
        bool there = sect != SIZE_MAX;
        efi_entry(f, def, there ? v[sect].line : at, !there && in_st, arm, st, !chained, out);
        free(named);
        goto done;
    }
    free(named);
    /* Every other section can still be booted by naming it on xen.efi's
     * command line (efi_start() takes a plain argument as the section):
     * each with kernel= is an entry, the first of a name only. */
    for (size_t i = 0; i < n; i++) {
        if (v[i].s[0] != '[' || !strchr(v[i].s, ']'))
            continue;
        char *name = md_xasprintf("%.*s", (int)efi_head(v[i].s), v[i].s + 1);
        if (strcmp(name, "global") && efi_section(f, name) == i)
            efi_entry(f, name, v[i].line, false, arm, st, !chained && !strcmp(name, def), out);
        free(name);
    }
    if (own_kernel && !chained && sect == SIZE_MAX)
        efi_entry(f, def, at, false, arm, st, true, out); /* default= of no section */
done:
    if (len && buf[len - 1])
        efi_no_newline(f, buf + nonl, out);
    md_hindex_free(&F.sect);
    free(v);
    free(buf);
}

/* ---- syslinux with mboot.c32 ---- */

typedef struct label {
    char *title, *kernel, *append, *initrd;
    unsigned append_line, kernel_line, initrd_line;
    bool as_linux; /* named by LINUX, which forces a Linux kernel load */
} label;

static void label_flush(md_bootcfg_list *out, label *lb, const char *gappend, unsigned gline)
{
    const char *app = lb->append ? lb->append : gappend;
    unsigned line = lb->append ? lb->append_line : gline;
    if (lb->kernel && !strcasecmp(basename(lb->kernel), "mboot.c32") && lb->as_linux) {
        /* syslinux's KERNEL picks the type by the file's extension (.c32:
         * COM32); LINUX overrides it and loads the file as a Linux kernel
         * (doc/syslinux.txt, "LINUX image"), so mboot.c32 never runs */
        md_bootcfg_add_problem(
            out, lb->kernel_line,
            md_xasprintf("%s%s%sLINUX %s: syslinux's LINUX keyword loads the file as a Linux "
                         "kernel whatever its name (doc/syslinux.txt; KERNEL picks the type by "
                         "the extension, .c32: COM32), so mboot.c32 is not run as COM32 and Xen "
                         "never starts; use KERNEL %s (or COM32 %s)",
                         lb->title ? "label '" : "", lb->title ? lb->title : "",
                         lb->title ? "': " : "", lb->kernel, lb->kernel, lb->kernel));
    }
    if (lb->kernel && !strcasecmp(basename(lb->kernel), "mboot.c32") && app) {
        md_strv w = { 0 };
        split_words(&w, app);
        /* mboot.c32 splits at "---" standing alone only (com32/mboot/mboot.c
         * compares whole arguments): "---vmlinuz" stays in the command line
         * before it, and the files after it move up one place. */
        bool glued = false;
        for (size_t i = 0; !glued && i < w.n; i++) {
            size_t wl = strlen(w.v[i]);
            if (wl > 3 && (!strncmp(w.v[i], "---", 3) || !strcmp(w.v[i] + wl - 3, "---"))) {
                glued = true;
                md_bootcfg_add_problem(
                    out, line,
                    md_xasprintf("%s%s%s'%s': mboot.c32 splits the files only at a '---' "
                                 "standing alone, so this word stays on the command line "
                                 "before it and every file after it moves up one place "
                                 "(the dom0 kernel is not what you meant); put spaces "
                                 "around the '---'", lb->title ? "label '" : "",
                                 lb->title ? lb->title : "", lb->title ? "': " : "", w.v[i]));
            }
        }
        /* mboot.c32's modules are the files after each '---' of its own
         * command line (com32/mboot/mboot.c), nothing else: a label's
         * INITRD is not among them (trial10y H3) */
        if (lb->initrd) {
            md_bootcfg_add_problem(
                out, lb->initrd_line,
                md_xasprintf("%s%s%sINITRD %s: mboot.c32 does not load it: the multiboot "
                             "modules Xen gets are only the files after '---' on the APPEND "
                             "line (com32/mboot/mboot.c), so Xen and dom0 never see this file; "
                             "put '--- %s' after the dom0 kernel's arguments on the APPEND line "
                             "and drop the INITRD line",
                             lb->title ? "label '" : "", lb->title ? lb->title : "",
                             lb->title ? "': " : "", lb->initrd, lb->initrd))->warning = true;
        }
        /* the entry is then read as mboot.c32 reads it, so what boots is
         * checked (trial10c case 9: "no Xen entry" contradicted this) */
        md_bootcfg_entry *e = new_entry(lb->title, "label");
        md_bootcfg_file *f = &e->xen;
        bool first = true;
        for (size_t i = 0; i < w.n; i++) {
            if (!strcmp(w.v[i], "---")) {
                f = md_bootcfg_add_mod(e);
                f->line = line;
                /* mboot.c32 passes a module as it is unless it starts
                 * with gzip's magic (zloadfile gunzips those, first member
                 * only); mkdom0's rootfs for it starts with a plain cpio
                 * (boot/bootmedia.h, MD_BOOTMEDIA_MBOOT_DIR) */
                f->nounzip = true;
                first = true;
                continue;
            }
            if (first) {
                free(f->path);
                f->path = md_xstrdup(w.v[i]);
                f->line = line;
                first = false;
            } else {
                if (!f->args.n && !f->args.pool)
                    md_strv_pooled(&f->args); /* split_words' reason */
                md_strv_push(&f->args, w.v[i]);
            }
        }
        if (!e->xen.path)
            e->xen.path = md_xstrdup(""), e->xen.line = line;
        for (size_t i = 0; i < e->nmods; i++)
            if (!e->mods[i].path)
                e->mods[i].path = md_xstrdup("");
        md_strv_free(&w);
        md_bootcfg_add_multiboot(out, e);
    }
    free(lb->title);
    free(lb->kernel);
    free(lb->append);
    free(lb->initrd);
    memset(lb, 0, sizeof *lb);
}

static void read_syslinux(lines *ls, md_bootcfg_list *out)
{
    label lb = { 0 };
    bool in_label = false;
    char *gappend = NULL, *def = NULL;
    unsigned gline = 0, dline = 0;
    md_strv titles = { 0 };
    for (size_t i = 0; i < ls->n; i++) {
        char *l = skip_ws(ls->v[i]);
        unsigned line = (unsigned)i + 1;
        if (!*l || *l == '#')
            continue;
        size_t cl = strcspn(l, " \t");
        char *rest = skip_ws(l + cl);
        if (word_is(l, "text")) {
            /* TEXT HELP ... ENDTEXT: help text, not commands, up to a line
             * starting with ENDTEXT (parse_config_file() in
             * com32/menu/readconfig.c and com32/elflink/ldlinux) */
            while (i + 1 < ls->n && !word_is(skip_ws(ls->v[i + 1]), "endtext"))
                i++;
            i++;
            continue;
        }
        if (word_is(l, "menu") && (word_is(rest, "begin") || word_is(rest, "end"))) {
            /* a submenu starts or ends: so does the label before it (record()) */
            if (in_label)
                label_flush(out, &lb, gappend, gline);
            in_label = false;
            continue;
        }
        if (word_is(l, "label")) {
            if (in_label)
                label_flush(out, &lb, gappend, gline);
            in_label = true;
            lb.title = md_xstrdup(rest);
            md_strv_push(&titles, rest);
        } else if (word_is(l, "default")) {
            free(def);
            def = md_xstrdup(rest);
            dline = line;
        } else if (word_is(l, "kernel") || word_is(l, "linux") || word_is(l, "com32")) {
            if (in_label) {
                free(lb.kernel);
                lb.kernel = md_xasprintf("%.*s", (int)strcspn(rest, " \t"), rest);
                lb.kernel_line = line;
                lb.as_linux = word_is(l, "linux");
            }
        } else if (word_is(l, "initrd")) {
            if (in_label) {
                free(lb.initrd);
                lb.initrd = md_xasprintf("%.*s", (int)strcspn(rest, " \t"), rest);
                lb.initrd_line = line;
            }
        } else if (word_is(l, "append")) {
            if (in_label) {
                free(lb.append);
                lb.append = md_xstrdup(rest);
                lb.append_line = line;
            } else {
                free(gappend);
                gappend = md_xstrdup(rest);
                gline = line;
            }
        }
    }
    if (in_label)
        label_flush(out, &lb, gappend, gline);
    /* "DEFAULT mboot.c32 xen.gz ... --- vmlinuz ..." naming no label is a
     * command line, as if typed at the boot: prompt (doc/syslinux.txt,
     * "DEFAULT kernel options..."): the kernel and its APPEND options */
    size_t dl = def ? strcspn(def, " \t") : 0;
    if (def && dl && !md_strv_contains(&titles, def)) {
        label d = { 0 };
        d.kernel = md_xasprintf("%.*s", (int)dl, def);
        d.kernel_line = dline;
        const char *opts = skip_ws(def + dl);
        if (*opts) {
            d.append = md_xstrdup(opts);
            d.append_line = dline;
        }
        d.title = md_xstrdup("DEFAULT");
        label_flush(out, &d, gappend, gline);
    }
    free(def);
    md_strv_free(&titles);
    free(gappend);
}

/* The file of a syslinux INCLUDE line ("INCLUDE FILE", "MENU INCLUDE
 * FILE [TAG]"), or NULL; caller frees. */
static char *syslinux_include(const char *l, bool *config)
{
    l = skip_ws((char *)l);
    *config = word_is(l, "config");
    if (word_is(l, "menu"))
        l = skip_ws((char *)l + 4);
    if (!word_is(l, "include") && !*config)
        return NULL;
    const char *f = skip_ws((char *)l + (*config ? 6 : 7));
    size_t n = strcspn(f, " \t");
    return n ? md_xasprintf("%.*s", (int)n, f) : NULL;
}

size_t md_bootfmt_includes(const char *text, size_t len, md_strv *files, unsigned **lines_out,
                           md_strv *what)
{
    lines ls;
    lines_init(&ls, text, len);
    size_t n = 0, cap = 0;
    *lines_out = NULL;
    for (size_t i = 0; i < ls.n; i++) {
        bool config;
        char *f = syslinux_include(ls.v[i], &config);
        if (!f)
            continue;
        md_strv_push_own(files, f);
        if (what)
            md_strv_push(what, config ? "CONFIG" : "INCLUDE");
        *lines_out = md_xgrow(*lines_out, &cap, n + 1, sizeof **lines_out);
        (*lines_out)[n++] = (unsigned)i + 1;
    }
    lines_free(&ls);
    return n;
}

/* ---- iPXE ----
 *
 * iPXE keeps a list of registered images: imgfetch (module, initrd) adds
 * one, kernel (imgselect, imgload) adds and selects one, chain (imgexec
 * URI) adds and runs one, boot and imgexec NAME run one; an image of the
 * same name replaces the earlier one, imgfree drops them.  Running a
 * multiboot image hands every OTHER registered image over as a module, in
 * the order they were registered (multiboot_add_modules() in
 * src/arch/x86/image/multiboot.c).  A :label starts a new path through the
 * script (it is reached by goto), so the list starts empty there. */

typedef struct ipxe_img {
    char *name; /* NULL: dropped (kept in place, so positions stay) */
    md_bootcfg_file f;
    /* f with a setting's other known values (ipxe_alts), and titles
     * ("$mem=dom0_mem=8G") for the entries they make */
    md_bootcfg_file *alt;
    char **alt_title;
    size_t nalt;
    char *base_title; /* when nalt: the values f was read with */
} ipxe_img;

typedef struct ipxe_reg {
    ipxe_img *v;
    size_t n, cap;
    md_hindex byname; /* the live image of each name */
    ssize_t selected;
    bool ran; /* the selected image was run */
} ipxe_reg;

static void img_alts_free(ipxe_img *m)
{
    for (size_t k = 0; k < m->nalt; k++) {
        md_bootcfg_file_free(&m->alt[k]);
        free(m->alt_title[k]);
    }
    free(m->alt);
    free(m->alt_title);
    free(m->base_title);
    m->alt = NULL, m->alt_title = NULL, m->nalt = 0, m->base_title = NULL;
}

static void reg_drop(ipxe_reg *r, size_t i)
{
    free(r->v[i].name);
    r->v[i].name = NULL;
    md_bootcfg_file_free(&r->v[i].f);
    img_alts_free(&r->v[i]);
    if (r->selected == (ssize_t)i)
        r->selected = -1;
}

/* The live image named `name`, or -1; *h its hash and *it where the index
 * holds it (for md_hindex_set). */
static ssize_t reg_lookup(const ipxe_reg *r, const char *name, uint64_t *h, size_t *it)
{
    *h = md_hindex_hash(name, strlen(name));
    *it = 0;
    for (size_t i; (i = md_hindex_next(&r->byname, *h, it)) != SIZE_MAX;)
        if (r->v[i].name && !strcmp(r->v[i].name, name))
            return (ssize_t)i;
    return -1;
}

static ssize_t reg_find(const ipxe_reg *r, const char *name)
{
    uint64_t h;
    size_t it;
    return reg_lookup(r, name, &h, &it);
}

static void reg_clear(ipxe_reg *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].name)
            reg_drop(r, i);
    free(r->v);
    md_hindex_free(&r->byname);
    *r = (ipxe_reg){ .selected = -1 };
}

/* The options of an image command from w[1]: --name/-n NAME, --timeout/-t
 * N, flags; the index of the first other word. */
static size_t ipxe_opts(const md_strv *w, const char **name)
{
    size_t i = 1;
    for (; i < w->n && w->v[i][0] == '-'; i++) {
        bool n = !strcmp(w->v[i], "-n") || !strcmp(w->v[i], "--name");
        if (!strncmp(w->v[i], "--name=", 7))
            *name = w->v[i] + 7;
        if ((n || !strcmp(w->v[i], "-t") || !strcmp(w->v[i], "--timeout")) && i + 1 < w->n) {
            if (n)
                *name = w->v[i + 1];
            i++;
        }
    }
    return i;
}

/* An option iPXE's image commands do not have, or NULL.  Their option
 * tables (src/hci/commands/image_cmd.c): --name/-n, --timeout/-t, --quiet/-q,
 * --autofree/-a, and --replace/-r for imgexec's family (chain, boot,
 * imgexec); imgargs has the same table as imgfetch.  getopt (src/core/
 * getopt.c) prints "Unrecognised option" for any other, and
 * reparse_options() fails the command (src/core/parseopt.c). */
static const char *ipxe_bad_opt(const md_strv *w, size_t at)
{
    static const char *const imgcmds[] = { "imgfetch", "module", "initrd", "kernel", "imgselect",
                                           "imgload", "chain", "imgexec", "boot", "imgargs",
                                           NULL };
    bool img = false;
    for (int i = 0; imgcmds[i]; i++)
        img |= !strcmp(w->v[0], imgcmds[i]);
    if (!img)
        return NULL;
    bool exec = !strcmp(w->v[0], "chain") || !strcmp(w->v[0], "imgexec") ||
                !strcmp(w->v[0], "boot");
    for (size_t i = 1; i < at && i < w->n; i++) {
        const char *o = w->v[i];
        if (!strcmp(o, "-n") || !strcmp(o, "-t") || !strcmp(o, "--name") ||
            !strcmp(o, "--timeout")) {
            i++; /* its value */
            continue;
        }
        if (!strncmp(o, "--name=", 7) || !strncmp(o, "--timeout=", 10) || !strcmp(o, "-q") ||
            !strcmp(o, "--quiet") || !strcmp(o, "-a") || !strcmp(o, "--autofree") ||
            (exec && (!strcmp(o, "-r") || !strcmp(o, "--replace"))))
            continue;
        return o;
    }
    return NULL;
}

/* Settings whose value is one of a few the script names (trial10d 04, 10,
 * 11): "iseq ... && set mem A || set mem B", "prompt ... && set x A ||"
 * (A or the value before), "choose x" from a menu whose items are listed.
 * The setting holds the first value; a line that uses it is read once per
 * other value too (ipxe_variants), so each value's traps are checked. */
enum { IPXE_MAX_ALT_NAMES = 16, IPXE_MAX_ALTS = 8 };
typedef struct ipxe_alts {
    md_strv names;
    md_strv vals[IPXE_MAX_ALT_NAMES];
} ipxe_alts;

static ssize_t alts_find(const ipxe_alts *a, const char *name)
{
    for (size_t i = 0; a && i < a->names.n; i++)
        if (!strcmp(a->names.v[i], name))
            return (ssize_t)i;
    return -1;
}

/* `name` has one value again (set, clear, unknown). */
static void alts_drop(ipxe_alts *a, const char *name)
{
    ssize_t i = alts_find(a, name);
    if (i < 0)
        return;
    size_t last = a->names.n - 1;
    md_strv_free(&a->vals[i]);
    free(a->names.v[i]);
    a->names.v[i] = a->names.v[last];
    a->vals[i] = a->vals[last];
    a->vals[last] = (md_strv){ 0 };
    a->names.v[last] = NULL;
    a->names.n--;
}

static void alts_free(ipxe_alts *a)
{
    for (size_t i = 0; i < a->names.n; i++)
        md_strv_free(&a->vals[i]);
    md_strv_free(&a->names);
}

/* Does one of w[from..] use setting `name` (${name} or ${name:type})? */
static bool uses_setting(const md_strv *w, size_t from, const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = from; i < w->n; i++)
        for (const char *p = strstr(w->v[i], "${"); p; p = strstr(p + 2, "${"))
            if (!strncmp(p + 2, name, nl) && (p[2 + nl] == '}' || p[2 + nl] == ':'))
                return true;
    return false;
}

static void ipxe_args(vars *v, const md_strv *w, size_t from, md_bootcfg_file *f);

/* The image's file read again for each other value of each setting with
 * several (ipxe_alts) that its words w[from..] use; f is the one read with
 * the first values. */
static void ipxe_variants(vars *v, const md_strv *w, size_t from, ipxe_img *m)
{
    img_alts_free(m);
    ipxe_alts *a = v->alts;
    for (size_t i = 0; a && i < a->names.n; i++) {
        const char *n = a->names.v[i];
        if (!uses_setting(w, from, n))
            continue;
        for (size_t k = 1; k < a->vals[i].n; k++) {
            m->alt = md_xrealloc(m->alt, (m->nalt + 1) * sizeof *m->alt);
            m->alt_title = md_xrealloc(m->alt_title, (m->nalt + 1) * sizeof *m->alt_title);
            md_bootcfg_file *f = &m->alt[m->nalt];
            memset(f, 0, sizeof *f);
            f->path = md_xstrdup(m->f.path ? m->f.path : "");
            f->line = m->f.line;
            f->nounzip = m->f.nounzip;
            var_set(v, n, a->vals[i].v[k], NULL);
            ipxe_args(v, w, from, f);
            var_set(v, n, a->vals[i].v[0], NULL);
            m->alt_title[m->nalt++] = md_xasprintf("${%s} = %s", n, a->vals[i].v[k]);
        }
        char *t = md_xasprintf("%s%s${%s} = %s", m->base_title ? m->base_title : "",
                               m->base_title ? ", " : "", n, a->vals[i].v[0]);
        free(m->base_title);
        m->base_title = t;
    }
}

/* The arguments w[from..], ${settings} expanded: unknown ones go to
 * `unset`, after those of the image's own path (issue 10, H4: "kernel
 * ${xen} ..." with ${xen} never set was checked as if its loader were
 * known), which keeps a setting expand() could not resolve as "${name}". */
static void ipxe_args(vars *v, const md_strv *w, size_t from, md_bootcfg_file *f)
{
    md_strv_free(&f->args);
    md_strv_free(&f->unset);
    for (const char *p = f->path ? strstr(f->path, "${") : NULL; p; p = strstr(p + 2, "${")) {
        size_t nl = strcspn(p + 2, ":}");
        if (p[2 + nl] && nl) {
            char *n = md_xasprintf("%.*s", (int)nl, p + 2);
            add_unknown(&f->unset, n);
            free(n);
        }
    }
    for (size_t i = from; i < w->n; i++) {
        char *x = expand(v, w->v[i], false, &f->unset);
        size_t n0 = f->args.n;
        split_words(&f->args, x);
        free(x);
        /* a word that is one setting alone ("${xenargs}"): its words are
         * written on the line that set it (issue 10) */
        const char *t = w->v[i];
        if (strncmp(t, "${", 2)) /* t + 2 is past the end of a shorter word */
            continue;
        size_t nl = strcspn(t + 2, ":}"), close = 2 + nl + strcspn(t + 2 + nl, "}");
        if (!t[2 + nl] || t[close] != '}' || t[close + 1])
            continue;
        char *n = md_xasprintf("%.*s", (int)nl, t + 2);
        ssize_t at = var_at(v, n);
        free(n);
        for (size_t j = n0; at >= 0 && v->set_line && j < f->args.n; j++)
            md_bootcfg_add_from(f, f->args.v[j], v->set_line[at]);
    }
}

/* Register the image of URI w[at] with the arguments after it; `name`
 * (--name, its settings expanded as iPXE's do) or the URI's last part
 * names it. */
static size_t ipxe_register(ipxe_reg *r, vars *v, const md_strv *w, size_t at,
                            const char *name, unsigned line)
{
    md_bootcfg_file f = { 0 };
    f.path = at < w->n ? expand(v, w->v[at], false, NULL) : md_xstrdup("");
    f.line = line;
    f.nounzip = true; /* iPXE hands images over as fetched */
    ipxe_args(v, w, at + 1, &f);
    char *base = name ? expand(v, name, false, NULL)
                      : md_xasprintf("%.*s", (int)strcspn(basename(f.path), "?#"),
                                     basename(f.path));
    uint64_t h;
    size_t it;
    ssize_t old = reg_lookup(r, base, &h, &it);
    if (old >= 0) {
        reg_drop(r, (size_t)old);
        md_hindex_set(&r->byname, h, it, r->n);
    } else {
        md_hindex_add(&r->byname, h, r->n);
    }
    r->v = md_xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
    r->v[r->n] = (ipxe_img){ base, f, NULL, NULL, 0, NULL };
    ipxe_variants(v, w, at + 1, &r->v[r->n]);
    return r->n++;
}

/* The registered image that iPXE's imgacquire() (src/usr/imgmgmt.c) takes
 * for w[at], or -1: the one whose name it is ("kernel --name xen URI",
 * then "imgselect xen", "imgargs xen ...", "chain xen"), else iPXE fetches
 * w[at] as a URI.  Words after the name replace its command line, as they
 * are set on the image (imgsingle_exec(), src/hci/commands/image_cmd.c);
 * imgargs (`clear`) clears it first, so "imgargs xen" alone leaves none.
 * Its line is then this one: the traps of the new words are found here. */
static ssize_t ipxe_acquire(ipxe_reg *r, vars *v, const md_strv *w, size_t at, unsigned line,
                            bool clear)
{
    if (at >= w->n)
        return -1;
    char *n = expand(v, w->v[at], false, NULL);
    ssize_t k = reg_find(r, n);
    free(n);
    if (k >= 0 && (clear || at + 1 < w->n)) {
        ipxe_args(v, w, at + 1, &r->v[k].f);
        r->v[k].f.line = line;
        ipxe_variants(v, w, at + 1, &r->v[k]);
    }
    return k;
}

/* The entry of running image i, image vk read with its va-th other value
 * (vk -1: each as read). */
static void ipxe_entry(const ipxe_reg *r, size_t i, ssize_t vk, size_t va,
                       md_bootcfg_list *out)
{
    const ipxe_img *vm = vk >= 0 ? &r->v[vk] : NULL;
    /* the entry of the first values says them too, when there are others */
    const char *title = vm ? vm->alt_title[va] : NULL;
    for (size_t k = 0; !vm && !title && k < r->n; k++)
        if (r->v[k].name && r->v[k].nalt)
            title = r->v[k].base_title;
    md_bootcfg_entry *e = new_entry(title, title ? "path with" : NULL);
    md_bootcfg_file_copy(&e->xen, vm && (size_t)vk == i ? &vm->alt[va] : &r->v[i].f);
    e->xen.nounzip = false;
    for (size_t k = 0; k < r->n; k++)
        if (k != i && r->v[k].name)
            md_bootcfg_file_copy(md_bootcfg_add_mod(e),
                                 vm && (size_t)vk == k ? &vm->alt[va] : &r->v[k].f);
    md_bootcfg_add_multiboot(out, e);
}

/* Run image i: a multiboot image gets every other one as a module.  One
 * entry with each image as read, then one for each other value of a
 * setting an image uses (ipxe_variants), titled by it. */
static void ipxe_run(ipxe_reg *r, size_t i, md_bootcfg_list *out)
{
    ipxe_entry(r, i, -1, 0, out);
    for (size_t k = 0; k < r->n; k++)
        for (size_t a = 0; r->v[k].name && a < r->v[k].nalt; a++)
            ipxe_entry(r, i, (ssize_t)k, a, out);
    if (r->selected == (ssize_t)i)
        r->ran = true;
}

/* iPXE commands that store a setting lint cannot know: read (typed at the
 * console), choose (the menu item picked), nslookup, inc (nvo_cmd.c,
 * menu_cmd.c, nslookup_cmd.c).  The setting is the first word that is not
 * an option (choose: its only one). */
static bool ipxe_writes_unknown(const char *c)
{
    return !strcmp(c, "read") || !strcmp(c, "choose") || !strcmp(c, "nslookup") ||
           !strcmp(c, "inc");
}

/* Might line l start such a command (a cheap test before splitting it)? */
static bool ipxe_writes_unknown_line(const char *l)
{
    static const char *const cmd[] = { "read", "choose", "nslookup", "inc", NULL };
    for (int i = 0; cmd[i]; i++)
        if (!strncmp(l, cmd[i], strlen(cmd[i])))
            return true;
    return false;
}

/* The setting that command w writes (set, clear, read, choose, ...), or
 * NULL: a name without its ":type" (parse_setting_name(): set NAME:TYPE). */
static char *ipxe_written(const md_strv *w)
{
    const char *c = w->v[0];
    bool set = !strcmp(c, "set") || !strcmp(c, "clear");
    if (!set && !ipxe_writes_unknown(c))
        return NULL;
    size_t i = 1;
    for (; i < w->n && w->v[i][0] == '-'; i++) /* choose --default X --timeout N */
        i += !strcmp(c, "choose") && (!strcmp(w->v[i], "--default") || !strcmp(w->v[i], "-d") ||
                                      !strcmp(w->v[i], "--timeout") || !strcmp(w->v[i], "-t") ||
                                      !strcmp(w->v[i], "--menu") || !strcmp(w->v[i], "-m"));
    if (i >= w->n)
        return NULL;
    return md_xasprintf("%.*s", (int)strcspn(w->v[i], ":"), w->v[i]);
}

/* Make setting `name` unknown from here on: its uses stay as written and
 * are "cannot check", as for a setting never set. */
static void ipxe_unknown(vars *v, const char *name)
{
    alts_drop(v->alts, name);
    md_strv u = { 0 };
    md_strv_push(&u, name);
    char *as = md_xasprintf("${%s}", name);
    var_set(v, name, as, &u);
    free(as);
    md_strv_free(&u);
}

/* Setting `name` holds one of vals (taken over; none: unknown). */
static void ipxe_set_alts(vars *v, const char *name, md_strv *vals)
{
    ipxe_alts *a = v->alts;
    alts_drop(a, name);
    if (!vals->n || vals->n > IPXE_MAX_ALTS || (vals->n > 1 && a->names.n >= IPXE_MAX_ALT_NAMES)) {
        ipxe_unknown(v, name);
        md_strv_free(vals);
        return;
    }
    var_set(v, name, vals->v[0], NULL);
    if (vals->n == 1) {
        md_strv_free(vals);
        return;
    }
    a->vals[a->names.n] = *vals;
    md_strv_push(&a->names, name);
    *vals = (md_strv){ 0 };
}

/* Push the values setting `name` may hold now (its alternatives, or its
 * one known value) to `vals`; false when it is unknown. */
static bool ipxe_values_now(const vars *v, const vars *moving, const char *name, md_strv *vals)
{
    if (moving->unset_empty && var_at(moving, name) >= 0)
        return false;
    ssize_t ai = alts_find(v->alts, name);
    for (size_t k = 0; ai >= 0 && k < v->alts->vals[ai].n; k++)
        if (!md_strv_contains(vals, v->alts->vals[ai].v[k]))
            md_strv_push(vals, v->alts->vals[ai].v[k]);
    if (ai >= 0)
        return true;
    ssize_t at = var_at(v, name);
    if (at < 0 || *v->unknown.v[at])
        return false;
    if (!md_strv_contains(vals, v->values.v[at]))
        md_strv_push(vals, v->values.v[at]);
    return true;
}

/* The settings a line's "&&"/"||" tail `t` writes (trial10d 04-06, 11):
 * iPXE runs a command after "&&" when the one before succeeded and after
 * "||" when it failed (src/core/exec.c), so "COND && set x A || set x B"
 * leaves A or B, and "COND && set x A" A or the value before.  Each value a
 * plain "set" there writes is one x may hold (ipxe_alts); one from another
 * command (read, choose, ...) or built from unknown settings makes x
 * unknown. */
static void ipxe_tail_values(vars *v, const vars *moving, const char *t)
{
    md_strv cw = { 0 };
    split_words(&cw, t + 2);
    enum { MAX_SEG = 32 };
    size_t from[MAX_SEG], to[MAX_SEG], nseg = 0;
    char op[MAX_SEG]; /* the operator before each segment */
    op[0] = t[0];
    from[0] = 0;
    nseg = 1;
    for (size_t k = 0; k < cw.n; k++) {
        if (strcmp(cw.v[k], "&&") && strcmp(cw.v[k], "||"))
            continue;
        to[nseg - 1] = k;
        if (nseg == MAX_SEG) { /* past what is followed: all it writes unknown */
            for (size_t i = 0; i < cw.n; i++) {
                if (i && strcmp(cw.v[i - 1], "&&") && strcmp(cw.v[i - 1], "||"))
                    continue;
                md_strv cmd = { cw.v + i, cw.n - i, cw.n - i, NULL };
                char *n = ipxe_written(&cmd);
                if (n)
                    ipxe_unknown(v, n);
                free(n);
            }
            md_strv_free(&cw);
            return;
        }
        op[nseg] = cw.v[k][0];
        from[nseg++] = k + 1;
    }
    to[nseg - 1] = cw.n;
    char *names[MAX_SEG];
    for (size_t j = 0; j < nseg; j++) {
        /* an empty segment: no words, and cw.v may be NULL (no offset on it) */
        md_strv cmd = { to[j] > from[j] ? cw.v + from[j] : NULL, to[j] - from[j], to[j] - from[j], NULL };
        names[j] = cmd.n ? ipxe_written(&cmd) : NULL;
    }
    for (size_t j = 0; j < nseg; j++) {
        bool done = !names[j];
        for (size_t i = 0; !done && i < j; i++)
            done = names[i] && !strcmp(names[i], names[j]);
        if (done)
            continue;
        const char *n = names[j];
        md_strv vals = { 0 };
        /* in a script that jumps, other paths may write it too */
        bool known = !(moving->unset_empty && var_at(moving, n) >= 0), all_set = true;
        for (size_t jj = j; known && jj < nseg; jj++) {
            if (!names[jj] || strcmp(names[jj], n))
                continue;
            const char *c = cw.v[from[jj]];
            if (strcmp(c, "set") && strcmp(c, "clear")) {
                known = false;
                break;
            }
            md_strv val = { cw.v + from[jj] + 2, 0, 0, NULL };
            val.n = !strcmp(c, "set") && to[jj] > from[jj] + 2 ? to[jj] - from[jj] - 2 : 0;
            char *raw = md_strv_join(&val, " ");
            md_strv unknown = { 0 };
            char *x = expand(v, raw, false, &unknown);
            known = !unknown.n;
            if (known && !md_strv_contains(&vals, x))
                md_strv_push(&vals, x);
            free(x);
            free(raw);
            md_strv_free(&unknown);
            all_set &= !strcmp(c, "set");
        }
        /* only "COND && set x A || set x B" writes x on every path */
        bool every = nseg == 2 && op[0] == '&' && op[1] == '|' && names[1] && all_set &&
                     !strcmp(names[0] ? names[0] : "", n) && !strcmp(names[1], n);
        if (known && !every)
            known = ipxe_values_now(v, moving, n, &vals);
        if (!known)
            md_strv_free(&vals);
        ipxe_set_alts(v, n, &vals);
    }
    for (size_t j = 0; j < nseg; j++)
        free(names[j]);
    md_strv_free(&cw);
}

/* In a script that jumps (goto), a line may be reached from more than one
 * place, so a setting's value at a use is known only when the script
 * writes it once, before its first label or goto: then every path has run
 * it.  The others go to `moving` (trial10d cases 18, 19: a goto over a
 * set, or a set per menu label). */
static void ipxe_goto_vars(lines *ls, vars *moving)
{
    vars seen = { 0 }; /* names only: hashed, for scripts of many settings */
    bool jumped = false;
    for (size_t i = 0; i < ls->n; i++) {
        char *l = skip_ws(ls->v[i]);
        if (*l == ':')
            jumped = true;
        if (!strstr(l, "goto") && !strchr(l, '&') && !strchr(l, '|') && !strchr(l, ';') &&
            strncmp(l, "set", 3) && strncmp(l, "clear", 5) && !ipxe_writes_unknown_line(l))
            continue;
        md_strv w = { 0 };
        split_words(&w, l);
        for (size_t k = 0; k < w.n; k++) {
            if (k && strcmp(w.v[k - 1], "&&") && strcmp(w.v[k - 1], "||") &&
                strcmp(w.v[k - 1], ";"))
                continue;
            if (*w.v[k] == '#')
                break;
            if (!strcmp(w.v[k], "goto"))
                jumped = moving->unset_empty = true;
            md_strv cmd = { w.v + k, w.n - k, w.n - k, NULL };
            char *n = ipxe_written(&cmd);
            if (n && (jumped || var_at(&seen, n) >= 0) && var_at(moving, n) < 0)
                var_set(moving, n, "", NULL);
            if (n && var_at(&seen, n) < 0)
                var_set(&seen, n, "", NULL);
            free(n);
        }
        md_strv_free(&w);
    }
    vars_free(&seen);
}

/* The image commands of iPXE (every command but settings and jumps) on
 * registry `r`: imgfetch/module/initrd register, kernel/imgselect/imgload
 * select, chain/imgexec/boot run, imgargs, imgfree.  True when an image
 * ran (boot): the path goes no further.  `path`: reading one path that
 * jumps (ipxe_follow), where a kernel selected over one not run leaves
 * that one registered, as iPXE does; the straight reading makes that one
 * an entry of its own (scripts that load several in turn). */
static bool ipxe_image_cmd(ipxe_reg *r, vars *v, const md_strv *w, size_t at, const char *name,
                           unsigned line, bool path, md_bootcfg_list *out)
{
    const char *c = w->v[0];
    if (!strcmp(c, "imgfetch") || !strcmp(c, "module") || !strcmp(c, "initrd")) {
        ipxe_register(r, v, w, at, name, line);
    } else if (!strcmp(c, "kernel") || !strcmp(c, "imgselect") || !strcmp(c, "imgload")) {
        /* "imgselect xen" after "kernel --name xen ...": the same image,
         * selected again, is no entry of its own */
        ssize_t k = ipxe_acquire(r, v, w, at, line, false);
        if (r->selected >= 0 && r->selected != k && !r->ran && !path)
            ipxe_run(r, (size_t)r->selected, out); /* an entry of its own before */
        r->selected = k >= 0 ? k : (ssize_t)ipxe_register(r, v, w, at, name, line);
        r->ran = false;
    } else if (!strcmp(c, "chain") || !strcmp(c, "imgexec") || !strcmp(c, "boot")) {
        ssize_t k = at < w->n ? ipxe_acquire(r, v, w, at, line, false) : r->selected;
        if (k < 0 && at < w->n && strcmp(c, "boot"))
            k = (ssize_t)ipxe_register(r, v, w, at, name, line);
        if (k >= 0) {
            size_t before = out->n, live = 0;
            ipxe_run(r, (size_t)k, out);
            for (size_t i = 0; i < r->n; i++)
                live += r->v[i].name != NULL;
            if (out->n == before && live == 1 && !out->include) {
                /* an image alone that boots no Xen: another script (chain
                 * next.ipxe, which iPXE runs in place of this one,
                 * script_exec()), whose entries this reader does not see
                 * (trial10 item 10) */
                md_strv cmd = { 0 };
                for (size_t i = 0; i < w->n; i++)
                    md_strv_push(&cmd, w->v[i]);
                out->include = md_strv_join(&cmd, " ");
                out->include_line = line;
                md_strv_free(&cmd);
            }
            return true;
        }
    } else if (!strcmp(c, "imgargs")) {
        ipxe_acquire(r, v, w, at, line, true);
    } else if (!strcmp(c, "imgfree")) {
        if (at < w->n) {
            for (size_t i = at; i < w->n; i++) { /* imgfree NAME...: each */
                char *n = expand(v, w->v[i], false, NULL);
                uint64_t h;
                size_t it;
                ssize_t k = reg_lookup(r, n, &h, &it);
                free(n);
                /* Out of the index too: "imgfetch --name x" and "imgfree x"
                 * repeated left every dead x under one hash, each lookup
                 * walking them all (100,000 pairs: minutes). */
                if (k >= 0) {
                    reg_drop(r, (size_t)k);
                    md_hindex_del(&r->byname, h, it);
                }
            }
        } else {
            reg_clear(r);
        }
    }
    return false;
}

/* A copy of registry `s`, live images only, in order. */
static void reg_copy(ipxe_reg *d, const ipxe_reg *s)
{
    *d = (ipxe_reg){ .selected = -1, .ran = s->ran };
    for (size_t i = 0; i < s->n; i++) {
        if (!s->v[i].name)
            continue;
        d->v = md_xgrow(d->v, &d->cap, d->n + 1, sizeof *d->v);
        d->v[d->n] = (ipxe_img){ md_xstrdup(s->v[i].name), { 0 }, NULL, NULL, 0,
                                 md_xstrdup_or_null(s->v[i].base_title) };
        md_bootcfg_file_copy(&d->v[d->n].f, &s->v[i].f);
        for (size_t k = 0; k < s->v[i].nalt; k++) {
            ipxe_img *m = &d->v[d->n];
            m->alt = md_xrealloc(m->alt, (m->nalt + 1) * sizeof *m->alt);
            m->alt_title = md_xrealloc(m->alt_title, (m->nalt + 1) * sizeof *m->alt_title);
            md_bootcfg_file_copy(&m->alt[m->nalt], &s->v[i].alt[k]);
            m->alt_title[m->nalt++] = md_xstrdup(s->v[i].alt_title[k]);
        }
        const char *n = s->v[i].name;
        md_hindex_add(&d->byname, md_hindex_hash(n, strlen(n)), d->n);
        if (s->selected == (ssize_t)i)
            d->selected = (ssize_t)d->n;
        d->n++;
    }
}

/* A script's commands, each line cut at ";" tokens: iPXE ends a command at
 * a ";" and runs the next one unconditionally, and a token starting with
 * '#' ends the line (src/core/exec.c command_terminator()).  `first`: the
 * command starts its line, where a ":label" may be. */
typedef struct ipxe_cmd {
    char *s;
    unsigned line;
    bool first;
} ipxe_cmd;

typedef struct ipxe_prog {
    ipxe_cmd *v;
    size_t n, cap;
} ipxe_prog;

static void ipxe_split(lines *ls, ipxe_prog *p)
{
    for (size_t i = 0; i < ls->n; i++) {
        char *start = ls->v[i];
        p->v = md_xgrow(p->v, &p->cap, p->n + 1, sizeof *p->v);
        p->v[p->n++] = (ipxe_cmd){ start, (unsigned)i + 1, true };
        for (char *t = skip_ws(start); *t; t = skip_ws(t)) {
            size_t tl = strcspn(t, " \t");
            if (*t == '#' && t != skip_ws(start)) {
                *t = '\0';
                break;
            }
            if (tl == 1 && *t == ';') {
                *t = '\0';
                start = t + 1;
                p->v = md_xgrow(p->v, &p->cap, p->n + 1, sizeof *p->v);
                p->v[p->n++] = (ipxe_cmd){ start, (unsigned)i + 1, false };
                t++;
                continue;
            }
            t += tl;
        }
    }
}

/* Where a command's "||" or "&&" tail starts, or NULL: "cmd || reboot",
 * "iseq ... && set x y || echo"; lint follows the first command. */
static const char *ipxe_tail(const char *l)
{
    const char *t = strstr(l, "||"), *a = strstr(l, "&&");
    if (a && (!t || a < t))
        t = a;
    return t;
}

/* Does a "||"/"&&" tail jump or write a setting? */
static bool ipxe_tail_moves(const char *tail)
{
    md_strv cw = { 0 };
    split_words(&cw, tail + 2);
    bool moves = false;
    for (size_t k = 0; k < cw.n && !moves; k++) {
        if (k && strcmp(cw.v[k - 1], "&&") && strcmp(cw.v[k - 1], "||"))
            continue;
        md_strv cmd = { cw.v + k, cw.n - k, cw.n - k, NULL };
        char *n = ipxe_written(&cmd);
        moves = n || !strcmp(cw.v[k], "goto");
        free(n);
    }
    md_strv_free(&cw);
    return moves;
}

/* The first command of the line ":label ..." whose label is `name`, as
 * iPXE's goto finds it (goto_find_label() in src/image/script.c: from the
 * start of the script, the first word after ':' compared whole), or
 * SIZE_MAX. */
static size_t ipxe_label(const ipxe_prog *p, const char *name, size_t *budget)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i < p->n && *budget; i++, --*budget) {
        const char *l = skip_ws(p->v[i].s);
        if (p->v[i].first && *l == ':' && strcspn(l + 1, " \t") == nl &&
            !strncmp(l + 1, name, nl))
            return i;
    }
    return SIZE_MAX;
}

/* How many jumps one path follows, and commands all paths read together
 * (beyond the straight reading): a goto loop or maze stays linear. */
enum { IPXE_MAX_JUMPS = 16, IPXE_FOLLOW_PER_CMD = 4, IPXE_FOLLOW_MIN = 4096 };

static void ipxe_unfollowed(md_bootcfg_list *out, const ipxe_reg *r, const char *target,
                            unsigned gline, const char *why)
{
    unsigned xl = r->v[r->selected].f.line;
    md_bootcfg_problem *p = md_bootcfg_add_problem(
        out, xl,
        md_xasprintf("cannot check the Xen line on line %u: the script jumps (goto %s, line %u) "
                     "before it boots, and %s, so its modules and arguments are not checked",
                     xl, target, gline, why));
    p->warning = p->unchecked = true;
}

/* Follow "goto target" (at line gline) on a path whose registry is `r`
 * (the follower's own: it registers and runs there) with a kernel selected
 * and not yet run: iPXE goes on at the label's line, and the images
 * registered so far stay registered (trial10d case 07: a kernel per
 * platform, then "goto common" to the shared modules and boot).  The path
 * is followed through image commands, labels (it falls through them) and
 * fixed gotos until it boots, exits or ends; a conditional jump or a
 * setting written on the way makes it "cannot check". */
static void ipxe_follow(const ipxe_prog *p, vars *v, ipxe_reg *r, const char *target,
                        unsigned gline, unsigned jumps, size_t *budget, md_bootcfg_list *out)
{
    size_t li = strchr(target, '$') ? SIZE_MAX : ipxe_label(p, target, budget);
    if (strchr(target, '$') || jumps > IPXE_MAX_JUMPS || !*budget) {
        ipxe_unfollowed(out, r, target, gline,
                        strchr(target, '$') ? "its label comes from a setting"
                                            : "the jumps are too many to follow");
        return;
    }
    if (li == SIZE_MAX) {
        /* goto_exec() fails: the script stops (its command failed) */
        ipxe_unfollowed(out, r, target, gline, "the script has no such label: iPXE stops it");
        return;
    }
    for (size_t i = li + 1; i < p->n; i++) {
        if (!*budget) {
            ipxe_unfollowed(out, r, target, gline, "the jumps are too many to follow");
            return;
        }
        --*budget;
        const char *l = skip_ws(p->v[i].s);
        if (!*l || *l == '#' || *l == ':')
            continue; /* a label is passed through */
        const char *t = ipxe_tail(l);
        char *head = md_xasprintf("%.*s", (int)(t ? (size_t)(t - l) : strlen(l)), l);
        md_strv w = { 0 };
        split_words(&w, head);
        free(head);
        if (!w.n) {
            md_strv_free(&w);
            continue;
        }
        const char *c = w.v[0], *name = NULL;
        char *wn = ipxe_written(&w);
        bool stop = false;
        if (wn || (t && ipxe_tail_moves(t)) || (!strcmp(c, "goto") && t)) {
            char *why = md_xasprintf("on that path line %u %s", p->v[i].line,
                                     wn ? "writes a setting" : "may jump or write a setting");
            ipxe_unfollowed(out, r, target, gline, why);
            free(why);
            stop = true;
        } else if (!strcmp(c, "goto")) {
            if (w.n > 1)
                ipxe_follow(p, v, r, w.v[1], p->v[i].line, jumps + 1, budget, out);
            stop = true;
        } else if (!strcmp(c, "exit")) {
            stop = true; /* the script ends without booting */
        } else {
            size_t at = ipxe_opts(&w, &name);
            stop = ipxe_image_cmd(r, v, &w, at, name, p->v[i].line, true, out);
        }
        free(wn);
        md_strv_free(&w);
        if (stop)
            return;
    }
    if (r->selected >= 0 && !r->ran)
        ipxe_run(r, (size_t)r->selected, out);
}

/* iPXE joins a line that ends in '\' with the line after it before it
 * runs it (process_script() in src/image/script.c, "Handle backslash
 * continuations"): the '\' is dropped (a '\r' after it first) and the next
 * line appended as it is, no space put in; a joined line that still ends in
 * '\' takes the next one too.  In `ls` the command stays on the line where
 * it starts, so findings name that line, and the lines it took in become
 * empty.  A '\' on the script's last line has no line to take:
 * process_script() leaves its loop with -EINVAL, so iPXE never runs that
 * command and the script fails ("Invalid argument"): an error on that line,
 * and the command is dropped, as iPXE drops it. */
static void ipxe_join(lines *ls, md_bootcfg_list *out)
{
    size_t nreal = ls->n - ls->nl_end; /* the empty rest after a final '\n' is no line */
    for (size_t i = 0; i < nreal; i++) {
        char *l = ls->v[i];
        size_t len = strlen(l), k = i + 1, last = 0; /* last: where line k-1 starts in l */
        while (len && l[len - 1] == '\\' && k < nreal) {
            size_t fl = strlen(ls->v[k]);
            last = len - 1;
            memmove(l + last, ls->v[k], fl + 1); /* later lines lie further on in buf */
            len = last + fl;
            k++;
        }
        for (size_t j = i + 1; j < k; j++)
            ls->v[j] = l + len; /* its NUL: later joins write only past it */
        if (len && l[len - 1] == '\\') {
            l[--len] = '\0';
            const char *c = skip_ws(l);
            int cl = (int)strcspn(c, " \t");
            char *what = !cl || *c == '#'
                             ? md_xstrdup(" (no command is lost: the line is empty or a comment)")
                         : k - 1 == i
                             ? md_xasprintf(" without running the command on it ('%.*s')", cl, c)
                             : md_xasprintf(" without running the command that starts on line "
                                            "%zu ('%.*s')", i + 1, cl, c);
            md_bootcfg_problem *p = md_bootcfg_add_problem(
                out, (unsigned)k,
                md_xasprintf("line %zu ends with '\\' but is the script's last line: iPXE joins "
                             "a line that ends in '\\' with the next one (process_script() in "
                             "src/image/script.c), finds none, and stops the script with "
                             "\"Invalid argument\"%s; drop the '\\' at the end of line %zu", k,
                             what, k));
            free(what);
            if (l[last])
                p->fix = md_xstrdup(l + last);
            ls->v[i] = l + len; /* iPXE never runs it */
        }
        i = k - 1;
    }
}

static void read_ipxe(lines *ls, md_bootcfg_list *out)
{
    ipxe_join(ls, out);
    vars moving = { 0 }; /* unset_empty: the script has a goto */
    bool dead = false;
    ipxe_goto_vars(ls, &moving);
    ipxe_prog p = { 0 };
    ipxe_split(ls, &p);
    size_t budget = p.n * IPXE_FOLLOW_PER_CMD + IPXE_FOLLOW_MIN;
    ipxe_alts alts = { 0 };
    md_strv items = { 0 }; /* the labels of the menu's items so far */
    md_hindex items_idx = { 0 }; /* items by hash: searched for each new
                                  * one, 40,000 item lines took 8 s */
    bool items_known = true;
    vars v = { .alts = &alts };
    ipxe_reg r = { .selected = -1 };
    for (size_t ci = 0; ci < p.n; ci++) {
        char *l = skip_ws(p.v[ci].s);
        unsigned line = p.v[ci].line;
        v.line = line;
        if (!p.v[ci].first && (*l == ':' || *l == '#'))
            continue; /* no label after ';'; '#' starts no command there */
        if (*l == ':') {
            /* Reached from the line before, iPXE goes on through a label
             * with its images (trial10d case 07: a kernel, then ":common"
             * and the modules); after a goto (dead) or a boot that path
             * has ended, and the label starts one that comes by goto,
             * whose images the jumps that were followed have seen. */
            if (dead || r.ran)
                reg_clear(&r);
            dead = false;
            continue;
        }
        if (!*l || *l == '#' || dead)
            continue; /* dead: after a goto, up to a label, nothing runs (trial10d 08) */
        /* "cmd || reboot", "cmd && boot": the first command is the one
         * lint follows; one after && or || may or may not run, so a
         * setting it writes is unknown from there on (trial10d 04-06, 11:
         * "iseq ${platform} efi && set mem dom0_mem=2048M || echo BIOS") */
        const char *t = ipxe_tail(l);
        if (t)
            ipxe_tail_values(&v, &moving, t);
        char *head = md_xasprintf("%.*s", (int)(t ? (size_t)(t - l) : strlen(l)), l);
        md_strv w = { 0 };
        split_words(&w, head);
        if (!w.n) {
            free(head);
            md_strv_free(&w);
            continue;
        }
        const char *c = w.v[0], *name = NULL;
        size_t at = ipxe_opts(&w, &name);
        const char *bad = ipxe_bad_opt(&w, at);
        if (bad) {
            /* the command fails; without || after it the script ends
             * there (a failed command aborts an iPXE script): an error */
            md_bootcfg_add_problem(
                out, line,
                md_xasprintf("iPXE's '%s' has no option '%s': iPXE prints \"Unrecognised "
                             "option\" and the command fails%s (its options: --name, "
                             "--timeout, --quiet, --autofree%s; src/hci/commands/image_cmd.c)"
                             "%s", c, bad, t ? "" : ", so the script stops here and nothing "
                             "after it runs or boots",
                             strcmp(c, "chain") && strcmp(c, "imgexec") && strcmp(c, "boot")
                                 ? "" : ", --replace",
                             !strcmp(bad, "--nounzip") ? "; iPXE hands images over as they "
                             "are, so drop --nounzip" : ""));
            /* the lines are read on as if it worked: the entry's own
             * traps are checked too */
        }
        char *wn = ipxe_written(&w);
        if (!strcmp(c, "goto") && !t && r.selected >= 0 && !r.ran) {
            /* the loaded Xen boots on the path at the label: follow it
             * with a copy of the images (trial10d 07) */
            ipxe_reg f;
            reg_copy(&f, &r);
            ipxe_follow(&p, &v, &f, w.n > 1 ? w.v[1] : "", line, 0, &budget, out);
            reg_clear(&f);
            r.ran = true;
        }
        dead = !strcmp(c, "goto") && !t;
        if (!strcmp(c, "menu")) {
            md_strv_free(&items);
            md_hindex_free(&items_idx);
            items_known = true;
        } else if (!strcmp(c, "item")) {
            /* item [--key K] [--default] [--gap] [--menu M] [LABEL [TEXT]]
             * (src/hci/commands/menu_cmd.c): the label is what choose stores */
            size_t k = 1;
            bool gap = false;
            for (; k < w.n && w.v[k][0] == '-'; k++) {
                gap |= !strcmp(w.v[k], "--gap") || !strcmp(w.v[k], "-g");
                k += !strcmp(w.v[k], "--key") || !strcmp(w.v[k], "-k") ||
                     !strcmp(w.v[k], "--menu") || !strcmp(w.v[k], "-m");
            }
            if (!gap && k < w.n) {
                md_strv unknown = { 0 };
                char *x = expand(&v, w.v[k], false, &unknown);
                items_known &= !unknown.n;
                md_strv_intern(&items, &items_idx, x, NULL);
                free(x);
                md_strv_free(&unknown);
            }
        }
        if (wn && !strcmp(c, "choose") && items_known && items.n &&
            !(moving.unset_empty && var_at(&moving, wn) >= 0)) {
            /* choose stores the label of the item picked (trial10d 10) */
            md_strv vals = { 0 };
            for (size_t k = 0; k < items.n; k++)
                md_strv_push(&vals, items.v[k]);
            ipxe_set_alts(&v, wn, &vals);
        } else if (wn && (ipxe_writes_unknown(c) || (moving.unset_empty && var_at(&moving, wn) >= 0))) {
            ipxe_unknown(&v, wn);
        } else if (wn && !strcmp(c, "clear")) {
            alts_drop(&alts, wn);
            var_set(&v, wn, "", NULL); /* clear deletes it: ${name} is empty */
        } else if (wn && !strcmp(c, "set")) {
            /* set NAME[:TYPE] VALUE (parse_setting_name()) */
            const char *val = skip_ws(strstr(head, w.v[1]) + strlen(w.v[1]));
            md_strv unknown = { 0 };
            char *x = expand(&v, val, false, &unknown);
            alts_drop(&alts, wn);
            var_set(&v, wn, x, &unknown);
            md_strv_free(&unknown);
            free(x);
        } else if (!wn) {
            ipxe_image_cmd(&r, &v, &w, at, name, line, false, out);
        }
        free(wn);
        free(head);
        md_strv_free(&w);
    }
    if (r.selected >= 0 && !r.ran)
        ipxe_run(&r, (size_t)r.selected, out);
    reg_clear(&r);
    free(p.v);
    alts_free(&alts);
    md_strv_free(&items);
    md_hindex_free(&items_idx);
    vars_free(&moving);
    vars_over(&v, out);
    vars_free(&v);
}

void md_bootfmt_read_xen_efi(const char *text, size_t len, const md_bootfmt_efi_start *st,
                             md_bootcfg_list *out)
{
    if (!md_bootcfg_too_big(len, out))
        read_xen_efi(text, len, st, out);
}

/* GRUB 2 skips no UTF-8 byte order mark (grub-core/normal/main.c
 * read_config_file() hands the lines as read to the lexer, and
 * script/yylex.l takes its bytes as word characters), so the first word is
 * "\xEF\xBB\xBFmenuentry", a command GRUB does not know: script/execute.c
 * prints "can't find command" and goes on, and an assignment glued to it
 * ("\xEF\xBB\xBFx=1") sets a variable of another name.  Where that hides
 * what matters (an entry, a submenu, a function, a variable used or one the
 * menu reads) it is an error on line 1; then a set's line is read as the
 * comment it is to GRUB, while an entry is read as written so that its
 * traps are still seen.  Anything else it hides is harmless (trial10y H5:
 * "set timeout=5" after a mark, n51).  Returns the text to read from
 * (`*copy`, to free, when line 1 is blanked). */
static const char *grub_bom(const char *text, size_t *len, char **copy, md_bootcfg_list *out)
{
    *copy = NULL;
    const char *t = text + 3, *end = text + *len;
    size_t wl = 0;
    while (t + wl < end && !strchr(" \t\r\n;{}|&$<>'\"\\", t[wl]))
        wl++;
    char *w = md_xasprintf("%.*s", (int)wl, t);
    static const char *const blocks[] = { "menuentry", "submenu", "function" };
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++) {
        if (strcmp(w, blocks[i]))
            continue;
        md_bootcfg_add_problem(
            out, 1,
            md_xasprintf("the file starts with a UTF-8 byte order mark glued to '%s': GRUB "
                         "skips no byte order mark (grub-core/script/yylex.l reads its bytes as "
                         "part of the word), so the command is '\\xEF\\xBB\\xBF%s', which "
                         "GRUB does not know ('can't find command'): the %s of line 1 does not "
                         "exist in GRUB%s; save the file without the byte order mark (as plain "
                         "ASCII/UTF-8)", w, w, w, strcmp(w, "function") ? " and does not boot"
                                                                        : ""));
        free(w);
        *len -= 3;
        return text + 3;
    }
    /* the variable an assignment sets: "set NAME=..." or "NAME=..." */
    const char *a = t;
    size_t al = 0;
    if (!strcmp(w, "set")) {
        a = t + wl;
        while (a < end && (*a == ' ' || *a == '\t'))
            a++;
    }
    while (a + al < end && (isalnum((unsigned char)a[al]) || a[al] == '_'))
        al++;
    bool is_assign = al && a + al < end && a[al] == '=';
    char *name = md_xasprintf("%.*s", (int)al, a);
    /* the menu reads these itself (grub-core/normal/menu.c) */
    bool used = is_assign && (!strcmp(name, "default") || !strcmp(name, "fallback"));
    if (is_assign && !used) {
        char *d = md_xasprintf("$%s", name), *b = md_xasprintf("${%s}", name);
        for (const char *p = text; !used && (p = memmem(p, (size_t)(end - p), d, strlen(d)));
             p++)
            used = p + strlen(d) >= end ||
                   !(isalnum((unsigned char)p[strlen(d)]) || p[strlen(d)] == '_');
        used = used || memmem(text, *len, b, strlen(b));
        free(d);
        free(b);
    }
    if (used) {
        md_bootcfg_add_problem(
            out, 1,
            md_xasprintf("the file starts with a UTF-8 byte order mark glued to '%s': GRUB "
                         "skips no byte order mark (grub-core/script/yylex.l reads its bytes as "
                         "part of the word), so line 1 %s, and $%s stays unset where it is used; "
                         "save the file without the byte order mark (as plain ASCII/UTF-8)", w,
                         strcmp(w, "set") ? "assigns a variable of another name"
                                          : "runs '\\xEF\\xBB\\xBFset', a command GRUB does not "
                                            "know ('can't find command')",
                         name));
        *copy = text_copy(text + 3, *len - 3);
        (*copy)[0] = '#'; /* GRUB runs nothing of line 1: read it as a comment */
    }
    free(name);
    free(w);
    *len -= 3;
    return *copy ? *copy : text + 3;
}

void md_bootfmt_read(md_bootfmt f, const char *text, size_t len, md_bootcfg_list *out)
{
    md_bootfmt_read_files(f, text, len, NULL, out);
}

void md_bootfmt_read_files(md_bootfmt f, const char *text, size_t len,
                           const md_grubcfg_files *files, md_bootcfg_list *out)
{
    if (md_bootcfg_too_big(len, out))
        return;
    /* A byte order mark: iPXE wants "#!ipxe" as the first bytes
     * (script_probe() in src/image/script.c: "Invalid magic signature"),
     * Xen's EFI loader reads it as part of the first line, GRUB 2 as part
     * of the first word (grub_bom); the others are read after it, so
     * entries keep their names. */
    char *copy = NULL;
    if (has_bom(text, len) && (f == MD_BOOTFMT_GRUB2 || f == MD_BOOTFMT_UNKNOWN)) {
        text = grub_bom(text, &len, &copy, out);
    } else if (has_bom(text, len) && f != MD_BOOTFMT_XEN_EFI) {
        if (f == MD_BOOTFMT_IPXE) {
            md_bootcfg_add_problem(
                out, 1, md_xstrdup("the file starts with a UTF-8 byte order mark before #!ipxe: "
                                   "iPXE wants #!ipxe as the very first bytes and refuses the "
                                   "script ('Invalid magic signature'), so nothing of it runs; "
                                   "save it without the byte order mark (as plain ASCII/UTF-8)"));
        }
        text += 3, len -= 3;
    }
    if (f == MD_BOOTFMT_GRUB2 || f == MD_BOOTFMT_UNKNOWN) {
        md_grubcfg_read_files(text, len, files, out);
        free(copy);
        return;
    }
    if (f == MD_BOOTFMT_GRUB_DEFAULT) {
        read_defaults(NULL, &text, &len, 1, false, out);
        return;
    }
    if (f == MD_BOOTFMT_XEN_EFI) {
        read_xen_efi(text, len, NULL, out);
        return;
    }
    if (f == MD_BOOTFMT_EXTLINUX_SETTINGS) {
        read_extlinux_settings(text, len, out);
        return;
    }
    lines ls;
    lines_init(&ls, text, len);
    switch (f) {
    case MD_BOOTFMT_GRUB_LEGACY: read_legacy(&ls, out); break;
    case MD_BOOTFMT_SYSLINUX: read_syslinux(&ls, out); break;
    case MD_BOOTFMT_IPXE: read_ipxe(&ls, out); break;
    default: break;
    }
    lines_free(&ls);
}

/* ---- writers ---- */

/* " ARGS" of a file, or "" when it has none.  Caller frees. */
static char *args_tail(const md_bootcfg_file *f)
{
    char *a = md_strv_join(&f->args, " ");
    char *t = md_xasprintf("%s%s", *a ? " " : "", a);
    free(a);
    return t;
}

/* `text` (freed) and, for each module of `e`, `pre`, its path and
 * arguments, then `post`.  Caller frees. */
static char *with_mods(char *text, const md_bootcfg_entry *e, const char *pre, const char *post)
{
    for (size_t i = 0; i < e->nmods; i++) {
        char *ma = args_tail(&e->mods[i]);
        char *t = md_xasprintf("%s%s%s%s%s", text, pre, e->mods[i].path, ma, post);
        free(ma);
        free(text);
        text = t;
    }
    return text;
}

static char *write_ipxe(const md_bootcfg_entry *e)
{
    char *xa = args_tail(&e->xen), *ka = args_tail(&e->kernel);
    char *text = md_xasprintf(
        "#!ipxe\n"
        "# Generated by mkdom0, from the same boot entry as its grub.cfg.  iPXE loads\n"
        "# Xen (an ELF) by multiboot and passes the modules as they are: the rootfs\n"
        "# stays compressed for Linux to unpack.  Paths are relative to this script.\n"
        "echo Loading Xen and the dom0 ...\n"
        "kernel %s%s || goto failed\n"
        "module %s%s || goto failed\n",
        e->xen.path, xa, e->kernel.path, ka);
    free(xa);
    free(ka);
    text = with_mods(text, e, "module ", " || goto failed\n");
    char *t = md_xasprintf("%sboot || goto failed\n:failed\necho mkdom0: netboot failed\nshell\n",
                           text);
    free(text);
    return t;
}

static char *write_syslinux(const md_bootcfg_entry *e)
{
    char *xa = args_tail(&e->xen), *ka = args_tail(&e->kernel);
    char *text = md_xasprintf(
        "# Generated by mkdom0, from the same boot entry as its grub.cfg.  mboot.c32\n"
        "# loads Xen (an ELF) by multiboot and passes the modules as they are.\n"
        "serial %u %u\n"
        "default mkdom0\n"
        "prompt 0\n"
        "timeout %u\n"
        "label mkdom0\n"
        "  kernel mboot.c32\n"
        "  append %s%s --- %s%s",
        e->serial_port ? e->serial_port - 1 : 0, e->serial_baud ? e->serial_baud : 115200,
        e->timeout * 10, e->xen.path, xa, e->kernel.path, ka);
    free(xa);
    free(ka);
    text = with_mods(text, e, " --- ", "");
    char *t = md_xasprintf("%s\n", text);
    free(text);
    return t;
}

/* xen.cfg as docs/misc/efi.pandoc describes it: [global] default= names
 * the one section, whose options= are Xen's, kernel= the dom0 kernel and
 * its arguments, ramdisk= the rootfs; file names relative to xen.efi's
 * directory (a leading '/' of the entry's paths dropped).  Xen's EFI
 * loader passes the ramdisk on as it is (the rootfs stays compressed). */
static char *write_xen_efi(const md_bootcfg_entry *e)
{
    char *xa = md_strv_join(&e->xen.args, " "), *ka = args_tail(&e->kernel);
    const char *k = e->kernel.path, *r = e->nmods ? e->mods[0].path : "";
    char *text = md_xasprintf(
        "# Generated by mkdom0, from the same boot entry as its grub.cfg.  Xen's EFI\n"
        "# loader reads this beside xen.efi (or from inside xen-unified.efi) and\n"
        "# loads the files named here from xen.efi's directory.\n"
        "[global]\n"
        "default=mkdom0\n"
        "\n"
        "[mkdom0]\n"
        "options=%s\n"
        "kernel=%s%s\n"
        "ramdisk=%s\n",
        xa, k[0] == '/' ? k + 1 : k, ka, r[0] == '/' ? r + 1 : r);
    free(xa);
    free(ka);
    return text;
}

char *md_bootfmt_write(md_bootfmt f, const md_bootcfg_entry *e)
{
    switch (f) {
    case MD_BOOTFMT_XEN_EFI: return write_xen_efi(e);
    case MD_BOOTFMT_GRUB2: return md_grubcfg_write(e);
    case MD_BOOTFMT_IPXE: return write_ipxe(e);
    case MD_BOOTFMT_SYSLINUX: return write_syslinux(e);
    default: return NULL;
    }
}
