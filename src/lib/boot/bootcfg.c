#include "boot/bootcfg.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/mem.h"
#include "core/size.h"
#include "core/strv.h"
#include "image/imgdir.h"


void md_bootcfg_file_free(md_bootcfg_file *f)
{
    free(f->path);
    md_strv_free(&f->args);
    md_strv_free(&f->maybe);
    md_strv_free(&f->unset);
    free(f->file);
    for (size_t i = 0; i < f->nfrom; i++)
        free(f->from[i].word);
    free(f->from);
    memset(f, 0, sizeof *f);
}

void md_bootcfg_add_from(md_bootcfg_file *f, const char *word, unsigned line)
{
    if (!line || line == f->line || f->nfrom >= MD_BOOTCFG_MAX_FROM)
        return;
    f->from = md_xrealloc(f->from, (f->nfrom + 1) * sizeof *f->from);
    f->from[f->nfrom++] = (md_bootcfg_from){ md_xstrdup(word), line };
}

unsigned md_bootcfg_from_line(const md_bootcfg_file *f, const char *word)
{
    for (size_t i = f->nfrom; i-- > 0;)
        if (!strcmp(f->from[i].word, word))
            return f->from[i].line != f->line ? f->from[i].line : 0;
    return 0;
}

md_bootcfg_problem *md_bootcfg_add_problem(md_bootcfg_list *l, unsigned line, char *msg)
{
    l->problems = md_xgrow(l->problems, &l->problems_cap, l->nproblems + 1, sizeof *l->problems);
    md_bootcfg_problem *p = &l->problems[l->nproblems++];
    *p = (md_bootcfg_problem){ .line = line, .msg = msg };
    return p;
}

char *md_bootcfg_module_line(const md_bootcfg_file *m, bool mb2)
{
    char *args = md_strv_join(&m->args, " ");
    char *l = md_xasprintf("%s%s %s%s%s", mb2 ? "module2" : "module",
                           m->nounzip ? " --nounzip" : "", m->path ? m->path : "",
                           *args ? " " : "", args);
    free(args);
    return l;
}

md_bootcfg_file *md_bootcfg_add_mod(md_bootcfg_entry *e)
{
    /* grown by doubling: one realloc per module would copy them all each
     * time where realloc cannot grow in place (trial 9c: thousands) */
    e->mods = md_xgrow(e->mods, &e->mods_cap, e->nmods + 1, sizeof *e->mods);
    md_bootcfg_file *m = &e->mods[e->nmods++];
    memset(m, 0, sizeof *m);
    return m;
}

void md_bootcfg_entry_free(md_bootcfg_entry *e)
{
    if (!e)
        return;
    free(e->title);
    free(e->xen_var);
    md_bootcfg_file_free(&e->xen);
    md_bootcfg_file_free(&e->kernel);
    md_strv_free(&e->dom0_extra);
    for (size_t i = 0; i < e->nmods; i++)
        md_bootcfg_file_free(&e->mods[i]);
    free(e->mods);
    free(e);
}

static void strv_copy(md_strv *d, const md_strv *s)
{
    *d = (md_strv){ 0 };
    if (s->pool)
        md_strv_pooled(d);
    for (size_t i = 0; i < s->n; i++)
        md_strv_push(d, s->v[i]);
}

void md_bootcfg_file_copy(md_bootcfg_file *d, const md_bootcfg_file *s)
{
    *d = *s;
    d->path = md_xstrdup_or_null(s->path);
    d->file = md_xstrdup_or_null(s->file);
    strv_copy(&d->args, &s->args);
    strv_copy(&d->maybe, &s->maybe);
    strv_copy(&d->unset, &s->unset);
    d->from = s->nfrom ? md_xcalloc(s->nfrom, sizeof *d->from) : NULL;
    for (size_t i = 0; i < s->nfrom; i++)
        d->from[i] = (md_bootcfg_from){ md_xstrdup(s->from[i].word), s->from[i].line };
}

md_bootcfg_entry *md_bootcfg_entry_copy(const md_bootcfg_entry *e)
{
    md_bootcfg_entry *c = md_xcalloc(1, sizeof *c);
    *c = *e;
    c->title = md_xstrdup_or_null(e->title);
    c->xen_var = md_xstrdup_or_null(e->xen_var);
    md_bootcfg_file_copy(&c->xen, &e->xen);
    md_bootcfg_file_copy(&c->kernel, &e->kernel);
    strv_copy(&c->dom0_extra, &e->dom0_extra);
    c->mods = md_xcalloc(e->nmods ? e->nmods : 1, sizeof *c->mods);
    c->mods_cap = e->nmods ? e->nmods : 1;
    for (size_t i = 0; i < e->nmods; i++)
        md_bootcfg_file_copy(&c->mods[i], &e->mods[i]);
    return c;
}

void md_bootcfg_list_free(md_bootcfg_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        md_bootcfg_entry_free(l->v[i]);
    free(l->v);
    for (size_t i = 0; i < l->nproblems; i++) {
        free(l->problems[i].msg);
        free(l->problems[i].fix);
        free(l->problems[i].file);
    }
    free(l->problems);
    free(l->include);
    free(l->include_section);
    free(l->unread);
    for (size_t i = 0; i < l->nchains; i++) {
        free(l->chains[i].title);
        md_bootcfg_file_free(&l->chains[i].file);
    }
    free(l->chains);
    memset(l, 0, sizeof *l);
}

char *md_bootcfg_size_msg(uint64_t len)
{
    return md_xasprintf("%llu bytes, more than the %zu MiB read of a boot config (real ones are "
                        "kilobytes)", (unsigned long long)len, MD_BOOTCFG_MAX_TEXT >> 20);
}

bool md_bootcfg_too_big(size_t len, md_bootcfg_list *out)
{
    if (len <= MD_BOOTCFG_MAX_TEXT)
        return false;
    if (!out->unread) {
        out->unread_line = 0;
        out->unread = md_bootcfg_size_msg(len);
    }
    return true;
}

static bool ci_contains(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (!strncasecmp(s, needle, n))
            return true;
    return false;
}

/* x86 Xen cuts its own command line at the first " -- ": __start_xen()
 * (xen/arch/x86/setup.c; 4.17 line 920, 4.20 line 1138) does
 * `if ( (kextra = strstr(cmdline, " -- ")) != NULL ) { ... *kextra = '\0'`
 * ("Options after ' -- ' separator belong to dom0") before cmdline_parse(),
 * and create_dom0() appends that rest to the dom0 kernel's command line.
 * The line it searches is cooked (cmdline_cook): leading spaces and, for
 * loaders other than GRUB 2 and EFI, the image name are gone, so a "--"
 * that is the first argument has no space before it and is no separator;
 * nor is a last "--" (no space after it: the loaders join arguments with
 * single spaces and add none at the end).  Xen's EFI loader builds that same
 * line from xen.cfg's options= (efi_arch_handle_cmdline), so this holds for
 * every format.  Xen on Arm has no such separator (its setup.c parses the
 * whole xen,xen-bootargs).  Variables' possible words (`maybe`) stay on the
 * Xen line: where they fall is not known. */
static void split_dom0_extra(md_bootcfg_entry *e)
{
    md_strv *a = &e->xen.args;
    if (e->arm)
        return;
    for (size_t i = 1; i + 1 < a->n; i++) {
        if (strcmp(a->v[i], "--"))
            continue;
        md_strv_pooled(&e->dom0_extra); /* it may be millions of words */
        for (size_t j = i + 1; j < a->n; j++)
            md_strv_push(&e->dom0_extra, a->v[j]);
        md_strv_truncate(a, i);
        return;
    }
}

bool md_bootcfg_add_multiboot(md_bootcfg_list *l, md_bootcfg_entry *raw)
{
    const char *f = raw->xen.path ? raw->xen.path : "";
    const char *base = basename(f);
    bool tboot = ci_contains(base, "tboot");
    bool has_mods = raw->nmods > 0;
    bool xen = ci_contains(base, "xen") || md_bootcfg_param(&raw->xen, "dom0_mem", false) ||
               (tboot && has_mods && ci_contains(raw->mods[0].path, "xen")) ||
               (has_mods && !ci_contains(base, "memtest") && !tboot);
    if (!xen) {
        md_bootcfg_entry_free(raw);
        return false;
    }
    if (l->n >= MD_BOOTCFG_MAX_ENTRIES) {
        if (!l->over_entries) {
            l->over_entries = true;
            unsigned line = raw->xen.line ? raw->xen.line : raw->kernel.line;
            md_bootcfg_problem *p = md_bootcfg_add_problem(
                l, line,
                md_xasprintf("cannot check: more than %d boot entries (mkdom0's limit); the "
                             "entries from this line on are not checked",
                             MD_BOOTCFG_MAX_ENTRIES));
            p->unchecked = true;
        }
        md_bootcfg_entry_free(raw);
        return false;
    }
    /* tboot measures Xen: Xen is its first module, Xen's args are that
     * module's.  Then Xen's first module is the dom0 kernel. */
    size_t skip = 0;
    if (tboot && has_mods) {
        md_bootcfg_file_free(&raw->xen);
        raw->xen = raw->mods[skip++];
    }
    if (skip < raw->nmods)
        raw->kernel = raw->mods[skip++];
    raw->nmods -= skip;
    if (skip)
        memmove(raw->mods, raw->mods + skip, raw->nmods * sizeof *raw->mods);
    /* the list keeps every entry: no room for modules that never come
     * (md_xgrow's 4 were 360 bytes an entry, of a config of 100,000) */
    if (raw->mods_cap > raw->nmods) {
        raw->mods_cap = raw->nmods;
        if (raw->nmods) {
            raw->mods = md_xrealloc(raw->mods, raw->nmods * sizeof *raw->mods);
        } else {
            free(raw->mods);
            raw->mods = NULL;
        }
    }
    split_dom0_extra(raw);
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = md_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = raw;
    return true;
}

/* The value of `arg` when it is KEY=VALUE, else NULL.  Xen matches an
 * option name exactly: parse_params() (xen/common/kernel.c, 4.17 to 4.20)
 * compares with strcmp(param->name, optkey), so "dom0-mem=" is an unknown
 * option to Xen and never reaches parse_dom0_mem (cmdline_strcmp(), the looser
 * matcher for sub-options, does not equate '-' and '_' either).  Linux does
 * equate them (parameq() in kernel/params.c): `dash_alike` for its lines. */
static const char *param_value(const char *arg, const char *key, bool dash_alike)
{
    size_t kn = strlen(key);
    if (strlen(arg) <= kn || arg[kn] != '=')
        return NULL;
    for (size_t j = 0; j < kn; j++)
        if (arg[j] != key[j] &&
            !(dash_alike && strchr("-_", arg[j]) && strchr("-_", key[j])))
            return NULL;
    return arg + kn + 1;
}

static const char *last_param(const md_strv *args, const char *key, bool linux,
                              const char *val)
{
    for (size_t i = 0; i < args->n; i++) {
        const char *v = param_value(args->v[i], key, linux);
        if (v)
            val = v;
    }
    return val;
}

const char *md_bootcfg_param(const md_bootcfg_file *f, const char *key, bool linux)
{
    return last_param(&f->maybe, key, linux, last_param(&f->args, key, linux, NULL));
}

long md_bootcfg_initrd(const md_bootcfg_entry *e, long *ucode_mod)
{
    long idx = 0, count = (long)e->nmods + 1; /* Xen's mods_count: the kernel too */
    if (ucode_mod)
        *ucode_mod = -1;
    if (!e->nmods)
        return -1;
    md_strv vals = { 0 };
    if (!e->arm)
        md_bootcfg_param_all(&e->xen, "ucode", false, &vals);
    for (size_t i = 0; i < vals.n; i++) {
        for (const char *s = vals.v[i];;) {
            size_t n = strcspn(s, ",");
            char *item = md_xasprintf("%.*s", (int)n, s);
            const char *b = !strncmp(item, "no-", 3) ? item + 3 : item;
            size_t bl = strcspn(b, "=");
            /* parse_boolean(): NAME, no-NAME, NAME=BOOL */
            bool boolean = (bl == 4 && !strncmp(b, "scan", 4)) ||
                           (bl == 3 && !strncmp(b, "nmi", 3)) ||
                           (bl == 10 && !strncmp(b, "allow-same", 10));
            if (!boolean)
                idx = strtol(item, NULL, 0); /* Xen sets it even when text follows */
            free(item);
            if (!s[n])
                break;
            s += n + 1;
        }
    }
    md_strv_free(&vals);
    if (idx < 0)
        idx += count;
    if (idx <= 0 || idx >= count)
        return 0;
    if (ucode_mod)
        *ucode_mod = idx - 1;
    return idx == 1 ? (e->nmods > 1 ? 1 : -1) : 0;
}

void md_bootcfg_dom0_args(const md_bootcfg_entry *e, md_strv *out)
{
    for (size_t i = 0; i < e->kernel.args.n; i++)
        md_strv_push(out, e->kernel.args.v[i]);
    for (size_t i = 0; i < e->dom0_extra.n; i++)
        md_strv_push(out, e->dom0_extra.v[i]);
}

/* The word as GRUB 2 hands it to a loader (grub_create_loader_cmdline(),
 * grub-core/lib/cmdline.c): '\\', '\'' and '"' after a backslash, the word in
 * double quotes when it has a space. */
static void grub2_word(FILE *f, const char *w)
{
    bool space = strchr(w, ' ') != NULL;
    fputs(space ? "\"" : "", f);
    for (; *w; w++)
        fprintf(f, "%s%c", strchr("\\'\"", *w) ? "\\" : "", *w);
    fputs(space ? "\"" : "", f);
}

ssize_t md_bootcfg_linux_params(const md_strv *args, bool grub2, md_strv *out)
{
    char *line = NULL;
    size_t len = 0;
    FILE *f = md_xmemstream(&line, &len);
    for (size_t i = 0; i < args->n; i++) {
        fputs(i ? " " : "", f);
        if (grub2)
            grub2_word(f, args->v[i]);
        else
            fputs(args->v[i], f);
    }
    md_xmemstream_close(f, &line);
    ssize_t open = -1;
    char *p = line;
    while (isspace((unsigned char)*p))
        p++;
    while (*p) {
        /* next_arg(): a '"' toggles "in quotes", where white space does not
         * end the word; a leading '"' of the word and of the value, and a
         * '"' ending the word, are dropped */
        bool quoted = *p == '"', inq = quoted;
        p += quoted;
        char *start = p, *eq = NULL;
        for (; *p && (inq || !isspace((unsigned char)*p)); p++) {
            if (!eq && *p == '=' && p > start)
                eq = p;
            if (*p == '"')
                inq = !inq;
        }
        char *end = p;
        if (inq)
            open = (ssize_t)out->n;
        const char *val = eq ? eq + 1 : NULL;
        bool cut = false;
        if (val && *val == '"') {
            val++;
            cut = end[-1] == '"';
        }
        cut |= quoted && end > start && end[-1] == '"';
        size_t keep = (size_t)(end - start) - cut;
        if (val && val > start + keep) /* the value is the one '"' dropped */
            keep = (size_t)(val - start);
        if (eq)
            md_strv_pushf(out, "%.*s=%.*s", (int)(eq - start), start,
                          (int)(start + keep - val), val);
        else
            md_strv_pushf(out, "%.*s", (int)keep, start);
        while (isspace((unsigned char)*p))
            p++;
    }
    free(line);
    return open;
}

static bool need_file(const md_bootcfg_file *f, const char *origin, const char *cmd, md_err *err)
{
    if (*f->path)
        return true;
    md_err_set(err, "%s:%u: %s without a file", origin, f->line, cmd);
    return false;
}

md_bootcfg_entry *md_bootcfg_take_bootable(md_bootcfg_list *l, const char *origin, md_err *err)
{
    size_t i = 0;
    while (i < l->n && !l->v[i]->xen.mb2)
        i++;
    if (i == l->n) {
        md_err_set(err, "%s: no menuentry with multiboot2 (Xen) found", origin);
        return NULL;
    }
    const md_bootcfg_entry *e = l->v[i];
    if (!need_file(&e->xen, origin, "multiboot2", err))
        return NULL;
    if (!e->kernel.path) {
        md_err_set(err, "%s:%u: the Xen entry has no module2 line for the dom0 kernel", origin,
                   e->xen.line);
        return NULL;
    }
    if (!need_file(&e->kernel, origin, "module2", err))
        return NULL;
    if (!e->nmods) {
        md_err_set(err, "%s:%u: the Xen entry has no 'module2 --nounzip' line for the rootfs",
                   origin, e->xen.line);
        return NULL;
    }
    if (!need_file(&e->mods[0], origin, "module2", err))
        return NULL;
    if (!e->mods[0].nounzip) {
        md_err_set(err, "%s:%u: the rootfs module '%s' lacks --nounzip: GRUB would hand Linux "
                        "an uncompressed copy", origin, e->mods[0].line, e->mods[0].path);
        return NULL;
    }
    md_bootcfg_entry *t = l->v[i];
    memmove(l->v + i, l->v + i + 1, (l->n - i - 1) * sizeof *l->v);
    l->n--;
    if (!t->title)
        t->title = md_xstrdup("mkdom0 Xen dom0");
    if (t->serial_port < 1 || t->serial_port > 4)
        t->serial_port = 1;
    return t;
}


/* Characters GRUB's script lexer would expand, quote or split on.  Refusing
 * them is simpler and safer than quoting, and no Xen or Linux option needs
 * them. */
static int check_grub_safe(const char *what, const char *s, md_err *err)
{
    for (const char *p = s; p && *p; p++) {
        unsigned char c = (unsigned char)*p;
        /* DEL too: it is as invisible in grub.cfg as 0x01 (trial 9h case 7) */
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return md_err_set(err, "%s: control character (0x%02x) not allowed", what, c);
        if (strchr("\"'$;\\{}|&<>#`", c))
            return md_err_set(err, "%s '%s': character '%c' would be interpreted by GRUB's "
                                   "config parser", what, s, c);
    }
    return 0;
}

/* Is `w` the option `name` (e.g. "dom0_mem") with or without "=value"? */
static bool is_opt(const char *w, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(w, name, n) && (w[n] == '=' || w[n] == '\0');
}

int md_bootcfg_check_args(const char *args, bool linux, md_err *err)
{
    const char *what = linux ? "extra kernel arguments" : "extra Xen arguments";
    if (check_grub_safe(what, args, err) < 0)
        return -1;
    md_strv w = { 0 };
    md_strv_split(&w, args ? args : "", false);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < w.n; i++)
        if (!strcmp(w.v[i], "--"))
            /* Xen (x86 __start_xen, xen/arch/x86/setup.c) cuts its command
             * line at the first " -- " and gives the rest to dom0's kernel,
             * past the kernel argument rules here (trial 9c case 6); Linux
             * passes everything after "--" to init (kernel-parameters.rst),
             * so mkdom0's own console=hvc0 would never reach the kernel
             * (case 9).  Both words go where they belong instead. */
            rc = md_err_set(err, "%s: '--' ends %s's own options and hands the rest to %s; "
                                 "put those arguments in %s", what, linux ? "the kernel" : "Xen",
                            linux ? "init" : "the dom0 kernel",
                            linux ? "the image's init configuration" : "[Kernel] Args=");
        else if (!linux && is_opt(w.v[i], "dom0_mem"))
            rc = md_err_set(err, "%s: '%s': dom0 memory is set by its own setting (Dom0Mem), "
                                 "which always adds max: (trap 4)", what, w.v[i]);
        else if (linux && is_opt(w.v[i], "rdinit"))
            rc = md_err_set(err, "%s: '%s': mkdom0 sets rdinit=/sbin/init itself", what, w.v[i]);
    md_strv_free(&w);
    return rc;
}

md_bootcfg_entry *md_bootcfg_make(const md_bootcfg *c, md_err *err)
{
    if (!c->dom0_mem_mib) {
        md_err_set(err, "boot config: no dom0 memory given (Dom0Mem, e.g. 4096M)");
        return NULL;
    }
    if (c->dom0_mem_mib < MD_SIZE_MIB_MIN || c->dom0_mem_mib > MD_SIZE_MIB_MAX) {
        md_err_set(err, "boot config: dom0 memory %lluM out of range (%lluM .. 64T)",
                   (unsigned long long)c->dom0_mem_mib, MD_SIZE_MIB_MIN);
        return NULL;
    }
    unsigned port = c->serial_port ? c->serial_port : 1;
    unsigned baud = c->serial_baud ? c->serial_baud : 115200;
    if (port > 4) {
        md_err_set(err, "boot config: serial port com%u: Xen knows com1 and com2 (up to com4 "
                        "with explicit addresses); use 1..4", port);
        return NULL;
    }
    static const unsigned bauds[] = { 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600 };
    bool ok = false;
    for (size_t i = 0; i < sizeof bauds / sizeof *bauds; i++)
        ok |= bauds[i] == baud;
    if (!ok) {
        md_err_set(err, "boot config: serial speed %u is not a standard UART rate", baud);
        return NULL;
    }
    if (md_bootcfg_check_args(c->xen_extra, false, err) < 0 ||
        md_bootcfg_check_args(c->linux_extra, true, err) < 0 ||
        check_grub_safe("title", c->title, err) < 0 ||
        check_grub_safe("file prefix", c->file_prefix, err) < 0 ||
        check_grub_safe("rootfs name", c->rootfs_name, err) < 0)
        return NULL;
    if (c->file_prefix && strpbrk(c->file_prefix, " \t")) {
        md_err_set(err, "boot config: file prefix '%s' contains white space", c->file_prefix);
        return NULL;
    }
    if (c->rootfs_name && (!*c->rootfs_name || strpbrk(c->rootfs_name, " \t/"))) {
        md_err_set(err, "boot config: rootfs name '%s' must be a plain file name", c->rootfs_name);
        return NULL;
    }

    md_strv xw = { 0 }, lw = { 0 };
    md_strv_split(&xw, c->xen_extra ? c->xen_extra : "", false);
    md_strv_split(&lw, c->linux_extra ? c->linux_extra : "", false);
    md_bootcfg_entry *e = md_xcalloc(1, sizeof *e);
    e->title = md_xstrdup(c->title && *c->title ? c->title : "mkdom0 Xen dom0");
    const char *pre = c->file_prefix ? c->file_prefix : "/";
    const char *sep = *pre && pre[strlen(pre) - 1] == '/' ? "" : "/";
    e->xen = (md_bootcfg_file){
        .path = md_xasprintf("%s%s%s", pre, sep, md_imgdir_name(MD_IMGDIR_XEN)), .mb2 = true };
    e->kernel = (md_bootcfg_file){
        .path = md_xasprintf("%s%s%s", pre, sep, md_imgdir_name(MD_IMGDIR_KERNEL)), .mb2 = true };
    e->mods = md_xcalloc(1, sizeof *e->mods);
    e->nmods = 1;
    e->mods[0] = (md_bootcfg_file){
        .path = md_xasprintf("%s%s%s", pre, sep, c->rootfs_name ? c->rootfs_name : md_imgdir_name(MD_IMGDIR_ROOTFS)),
        .mb2 = true, .nounzip = true };
    e->serial_port = port;
    e->serial_baud = baud;
    e->timeout = c->timeout;

    unsigned long long m = (unsigned long long)c->dom0_mem_mib;
    md_strv *xa = &e->xen.args, *ka = &e->kernel.args;
    md_strv_pushf(xa, "dom0_mem=%lluM,max:%lluM", m, m);
    /* The reference grant-table sizes, unless the extra arguments set their
     * own (then theirs, in this place, once). */
    static const char *const gnttab[][2] = {
        { "gnttab_max_frames", "gnttab_max_frames=256" },
        { "gnttab_max_maptrack_frames", "gnttab_max_maptrack_frames=1024" },
    };
    for (size_t g = 0; g < 2; g++) {
        const char *w = gnttab[g][1];
        for (size_t i = 0; i < xw.n; i++)
            if (is_opt(xw.v[i], gnttab[g][0]))
                w = xw.v[i]; /* Xen takes the last */
        md_strv_push(xa, w);
    }
    md_strv_pushf(xa, "com%u=%u,8n1", port, baud);
    md_strv_pushf(xa, "console=com%u", port);
    for (size_t i = 0; i < xw.n; i++)
        if (!is_opt(xw.v[i], gnttab[0][0]) && !is_opt(xw.v[i], gnttab[1][0]))
            md_strv_push(xa, xw.v[i]);

    md_strv_push(ka, "rdinit=" MD_BOOTCFG_RDINIT);
    md_strv_pushf(ka, "console=ttyS%u,%u", port - 1, baud);
    /* console=hvc0 goes last, once, whatever the extra arguments say (trap 1). */
    for (size_t i = 0; i < lw.n; i++)
        if (strcmp(lw.v[i], "console=hvc0"))
            md_strv_push(ka, lw.v[i]);
    md_strv_push(ka, "console=hvc0");
    md_strv_free(&xw);
    md_strv_free(&lw);
    return e;
}

/* Xen's simple_strtoull(s, &end, 0) (xen/common/vsprintf.c): "0x" before a
 * hex digit is hex, another leading 0 octal, else decimal; it stops at the
 * first character that is no digit of the base, and does not check for
 * overflow: the value wraps modulo 2^64 (*wrapped says so).  *octal: a
 * leading 0 made the base 8. */
static uint64_t xen_strtoull(const char *s, const char **end, bool *wrapped, bool *octal)
{
    unsigned base = 10;
    if (*s == '0') {
        base = 8;
        if ((s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2])) {
            s += 2;
            base = 16;
        }
    }
    uint64_t r = 0;
    for (;; s++) {
        unsigned d;
        if (isdigit((unsigned char)*s))
            d = (unsigned)(*s - '0');
        else if (isxdigit((unsigned char)*s))
            d = (unsigned)(toupper((unsigned char)*s) - 'A' + 10);
        else
            break;
        if (d >= base)
            break;
        if (r > (UINT64_MAX - d) / base)
            *wrapped = true;
        r = r * base + d;
        if (base == 8 && d)
            *octal = true;
    }
    *end = s;
    return r;
}

/* Xen's parse_size_and_unit() (xen/common/lib.c): a number, then one unit
 * letter (T, G, M, K; B for bytes), none meaning KiB; a '%' is left for the
 * caller with the number as it is.  The shift wraps like the number. */
static void parse_xen_size(const char **ps, uint64_t *v, md_bootcfg_amount *a)
{
    const char *end;
    bool wrapped = false, octal = false;
    uint64_t n = xen_strtoull(*ps, &end, &wrapped, &octal);
    int shift = 10;
    switch (*end) {
    case 'T': case 't': shift = 40; end++; break;
    case 'G': case 'g': shift = 30; end++; break;
    case 'M': case 'm': shift = 20; end++; break;
    case 'K': case 'k': shift = 10; end++; break;
    case 'B': case 'b': shift = 0; end++; break;
    case '%': shift = 0; break;
    default: break;
    }
    if (shift && n >> (64 - shift))
        wrapped = true;
    *v = n << shift;
    *ps = end;
    if (a) {
        a->wrapped |= wrapped;
        a->octal |= octal;
    }
}

/* Xen's parse_amt(): a size first, a percentage last, at most one of each,
 * up to a ',' or the end.  *ps ends where Xen stopped reading. */
static bool parse_amount(const char **ps, md_bootcfg_amount *a)
{
    const char *s = *ps, *start = s;
    md_bootcfg_amount t = { .set = true, .minus = *s == '-' };
    if (t.minus)
        s++;
    for (unsigned items = 0;; items++) {
        uint64_t v;
        if (items == 2 || !isdigit((unsigned char)*s))
            goto refused;
        parse_xen_size(&s, &v, &t);
        if (*s == '%') {
            if (v >= 100)
                goto refused;
            t.percent = (unsigned)v;
            s++;
            break; /* nothing may follow a percentage */
        }
        if (items)
            goto refused;
        t.bytes = v;
        if (*s != '+')
            break;
        s++;
    }
    if (*s && *s != ',')
        goto refused;
    snprintf(t.text, sizeof t.text, "%.*s", (int)(s - start), start);
    *a = t;
    *ps = s;
    return true;
refused:
    *ps = s;
    return false;
}

bool md_bootcfg_dom0_mem_limit_typo(const char *part, const char *stop)
{
    const char *w = *stop == ':' || *stop == '=' ? stop + 1 : stop;
    if (w != stop && w - 1 == part)
        return false;
    return (!strncasecmp(w, "max", 3) || !strncasecmp(w, "min", 3)) &&
           (w[3] == '=' || w[3] == ':');
}

/* Why Xen refuses `part` (up to its ','), having stopped at `stop`: the
 * rules of parse_amt() and simple_strtoull() (Xen 4.17). */
static char *refusal(const char *part, const char *stop)
{
    size_t n = strcspn(part, ",");
    const char *a = part;
    if (!strncmp(a, "min:", 4) || !strncmp(a, "max:", 4))
        a += 4;
    if (md_bootcfg_dom0_mem_limit_typo(part, stop) && stop == part)
        return md_xasprintf("'%.4s' is no limit to Xen: min: and max: are written with a colon "
                            "(dom0_mem=1G,max:1G; xen-command-line.pandoc, dom0_mem (x86))", part);
    if (md_bootcfg_dom0_mem_limit_typo(part, stop))
        return md_xasprintf("Xen reads '%.*s' and stops at '%c': min: and max: are items of "
                            "their own, after a comma, written with a colon (dom0_mem=1G,max:1G; "
                            "xen-command-line.pandoc, dom0_mem (x86))", (int)(stop - part),
                            part, *stop);
    /* U+00A0 (UTF-8 C2 A0), which editors and web pages put for a space:
     * parse_params() (xen/common/kernel.c) splits its line at ' ' only,
     * so it is text of the word, not a separator */
    const char *nb = strstr(part, "\xc2\xa0");
    if (nb && nb < part + n)
        return md_xstrdup("it holds a no-break space (U+00A0, bytes C2 A0), which Xen does not "
                          "treat as a separator: it splits its line at plain spaces only, so "
                          "the no-break space and what follows it are part of this item");
    if (memchr(part, '=', n))
        return md_xstrdup("another parameter glued on with a comma (Xen separates parameters "
                          "by spaces)");
    if (a == part + n)
        return md_xstrdup("an empty amount (a stray comma, or nothing after '=' or ':')");
    if (a[0] == '-' && a[1] == '-')
        return md_xstrdup("one '-' at most before an amount");
    if (*stop == '.')
        return md_xstrdup("Xen reads whole numbers only and stops at the '.'; write the amount "
                          "in a smaller unit (4.5G = 4608M)");
    const char *num = a[0] == '-' ? a + 1 : a;
    if (num[0] == '0' && (num[1] == '8' || num[1] == '9'))
        return md_xasprintf("a leading 0 makes Xen read the number as octal (simple_strtoull "
                            "with base 0), and '%c' is no octal digit, so Xen reads 0 and "
                            "stops there", num[1]);
    if (num[0] == '0' && (num[1] == 'x' || num[1] == 'X') && !isxdigit((unsigned char)num[2]))
        return md_xstrdup("'0x' with no hex digit after it: Xen reads 0 and stops at the 'x'");
    if (*stop == '%' && stop > part && strchr("KkMmGgTtBb", stop[-1]))
        return md_xstrdup("a percentage takes no unit letter");
    if (*stop == '%')
        return md_xstrdup("a percentage must be below 100 (0..99)");
    if (*a == '+')
        return md_xstrdup("a '+' before the amount (Xen knows a leading '-', meaning all host "
                          "RAM but the amount, and no '+')");
    if (*stop == '+' && stop > part && stop[-1] == '%' && memchr(a, '+', (size_t)(stop - a)))
        return md_xstrdup("one size and one percentage at most: nothing may follow the "
                          "percentage");
    /* parse_amt() counts a percentage as the last item and stops at a '+'
     * after it: "10%+10%" is refused for that, not for its order */
    if (*stop == '+' && stop > part && stop[-1] == '%' &&
        stop[1 + strspn(stop + 1, "0123456789")] == '%')
        return md_xstrdup("one percentage at most, and nothing may follow it (Xen's parse_amt() "
                          "stops at the '+' after the first; size+percentage, as in 1G+10%)");
    if (*stop == '+' && stop > part && stop[-1] == '%')
        return md_xstrdup("the size must come before the percentage (size+percentage, as in "
                          "1G+10%)");
    if (stop > part && strchr("BbIi", *stop) && strchr("KkMmGgTt", stop[-1]))
        return md_xasprintf("Xen reads '%.*s' and stops at '%c': a size takes one unit letter "
                            "(K, M, G, T, or B alone for bytes)", (int)(stop - part), part, *stop);
    return md_xstrdup("a size like 4096M, a percentage, or size+percentage");
}

/* What Xen on Arm reads of `value`, where parse_size_and_unit() stopped at
 * `end` with the size `v`, and what it rejects, for a message: "Xen reads
 * '1G' and rejects the rest, ',max:1G'".  Caller frees. */
static char *arm_refusal(const char *value, const char *end, uint64_t v)
{
    int n = (int)(end - value);
    if (!*value)
        return md_xstrdup("the value is empty: Xen reads no number, so 0");
    if (end == value)
        return md_xasprintf("Xen finds no number at the '%c'%s, so it reads 0 and rejects all "
                            "of '%s'", *value,
                            *value == '-' ? " (Arm has no amount relative to host RAM)" : "",
                            value);
    if (n == 1 && strchr("TtGgMmKkBb", *value))
        return md_xasprintf("Xen finds no digit, reads the '%c' as the unit of the number 0, "
                            "and rejects the rest, '%s'", *value, end);
    if (n == 1 && *value == '0' && (*end == '8' || *end == '9'))
        return md_xasprintf("a leading 0 makes Xen read the number as octal (simple_strtoull "
                            "with base 0), and '%c' is no octal digit, so Xen reads 0 and "
                            "rejects the rest, '%s'", *end, end);
    if (n == 1 && *value == '0' && (*end == 'x' || *end == 'X'))
        return md_xasprintf("'0x' with no hex digit after it: Xen reads 0 and rejects the rest, "
                            "'%s'", end);
    if (*end == '.')
        return md_xasprintf("Xen reads whole numbers only: it reads '%.*s' and rejects the "
                            "rest, '%s'", n, value, end);
    if (*end == '%' && isdigit((unsigned char)end[-1]))
        return md_xasprintf("Xen reads '%.*s' as %llu bytes (no unit applies before a '%%') and "
                            "rejects the rest, '%s'", n, value, (unsigned long long)v, end);
    if (strchr("BbIi", *end) && strchr("KkMmGgTt", end[-1]))
        return md_xasprintf("a size takes one unit letter: Xen reads '%.*s' and rejects the "
                            "rest, '%s'", n, value, end);
    return md_xasprintf("Xen reads '%.*s' and rejects the rest, '%s'", n, value, end);
}

int md_bootcfg_dom0_mem_apply(md_bootcfg_dom0mem *m, const char *value, bool arm, size_t *bad,
                              md_err *err)
{
    const char *s = value;
    if (arm) {
        /* Arm: dom0_mem = parse_size_and_unit(s, &s); return *s ? -EINVAL : 0 */
        uint64_t v = 0;
        const char *end = s;
        m->amount = (md_bootcfg_amount){ .set = true };
        parse_xen_size(&end, &v, &m->amount);
        m->amount.bytes = v;
        snprintf(m->amount.text, sizeof m->amount.text, "%.*s", (int)(end - s), s);
        if (!*end && end > s)
            return 0;
        if (bad)
            *bad = (size_t)(end - value);
        char *why = arm_refusal(value, end, v);
        md_err_set(err, "dom0_mem=%s: on Arm dom0_mem is one size, like 1024M (no max:, min:, "
                        "list or percentage: parse_dom0_mem() in xen/arch/arm/domain_build.c): "
                        "%s (Xen's boot log: parameter \"dom0_mem\" has invalid value \"%s\")",
                        value, why, value);
        free(why);
        return -1;
    }
    for (;;) {
        const char *part = s, *stop;
        md_bootcfg_amount *a = &m->amount;
        if (!strncmp(s, "min:", 4))
            a = &m->min, s += 4;
        else if (!strncmp(s, "max:", 4))
            a = &m->max, s += 4;
        stop = s;
        if (!parse_amount(&stop, a)) {
            if (bad)
                *bad = (size_t)(part - value);
            char *why = refusal(part, stop);
            md_err_set(err, "dom0_mem=%s: '%.*s' is not an amount Xen understands: %s", value,
                       (int)strcspn(part, ","), part, why);
            free(why);
            return -1;
        }
        s = stop;
        if (!*s++)
            return 0;
    }
}

int md_bootcfg_parse_dom0_mem(const char *value, md_bootcfg_dom0mem *m, md_err *err)
{
    *m = (md_bootcfg_dom0mem){ 0 };
    return md_bootcfg_dom0_mem_apply(m, value, false, NULL, err);
}

void md_bootcfg_param_all(const md_bootcfg_file *f, const char *key, bool linux, md_strv *out)
{
    const md_strv *lists[] = { &f->args, &f->maybe };
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < lists[k]->n; i++) {
            const char *v = param_value(lists[k]->v[i], key, linux);
            if (v)
                md_strv_push(out, v);
        }
}

bool md_bootcfg_amount_relative(const md_bootcfg_amount *a)
{
    return a->set && (a->minus || a->percent);
}

bool md_bootcfg_amount_same(const md_bootcfg_amount *a, const md_bootcfg_amount *b)
{
    return a->minus == b->minus && a->bytes == b->bytes && a->percent == b->percent;
}

/* A fixed size of at least one page: Xen counts pages (bytes >> 12), and
 * an amount of 0 pages is "not given" (get_memsize() ?: the default). */
static bool fixed_pages(const md_bootcfg_amount *a)
{
    return a->set && !md_bootcfg_amount_relative(a) && (a->bytes >> 12);
}

/* The fewest pages `a` gives on any host: its size part when it adds to
 * host RAM ("4G", "1G+99%": at least 1G); 0 when unset or subtracted from
 * host RAM ("-1G"). */
static uint64_t least_pages(const md_bootcfg_amount *a)
{
    return a->set && !a->minus ? a->bytes >> 12 : 0;
}

bool md_bootcfg_dom0_mem_start(const md_bootcfg_dom0mem *m, uint64_t *bytes)
{
    bool minf = fixed_pages(&m->min), maxf = fixed_pages(&m->max);
    uint64_t maxp = m->max.bytes >> 12;
    /* max(amount, min) is at least the larger of their least; at or above
     * a fixed max: it ends at max: on every host, whatever the rest is
     * ("4G,max:4G,min:-1G", "1G+99%,max:1G") */
    if (maxf && (least_pages(&m->amount) >= maxp || least_pages(&m->min) >= maxp)) {
        *bytes = m->max.bytes;
        return true;
    }
    if (m->min.set && md_bootcfg_amount_relative(&m->min))
        return false;
    if (!fixed_pages(&m->amount))
        return false;
    uint64_t s = m->amount.bytes;
    if (minf && m->min.bytes > s)
        s = m->min.bytes;
    if (maxf && m->max.bytes < s)
        s = m->max.bytes;
    *bytes = s;
    return true;
}

int md_bootcfg_dom0_mem(const md_bootcfg_entry *e, uint64_t *mib, md_err *err)
{
    md_strv vals = { 0 };
    md_bootcfg_param_all(&e->xen, "dom0_mem", false, &vals);
    md_bootcfg_dom0mem m = { 0 };
    uint64_t start = 0;
    int r = 0;
    for (size_t i = 0; i < vals.n && !r; i++)
        if ((r = md_bootcfg_dom0_mem_apply(&m, vals.v[i], false, NULL, err)) < 0)
            md_err_prefix(err, "Xen line");
    const char *val = vals.n ? vals.v[vals.n - 1] : NULL;
    if (r < 0)
        ;
    else if (!val)
        r = md_err_set(err, "Xen line has no dom0_mem= (trap 4: without it the initramfs may "
                            "end up where the PV builder cannot reach it)");
    else if (!m.max.set)
        r = md_err_set(err, "Xen line has dom0_mem=%s without max: (trap 4: Linux sizes its "
                            "page array for all host RAM)", val);
    else if (md_bootcfg_amount_relative(&m.max) || m.max.bytes % (1 << 20) ||
             m.max.bytes < (MD_SIZE_MIB_MIN << 20))
        r = md_err_set(err, "Xen line: dom0_mem=%s: not a fixed size of at least %lluM",
                       val, MD_SIZE_MIB_MIN);
    else if (!md_bootcfg_dom0_mem_start(&m, &start) || start >> 12 != m.max.bytes >> 12)
        r = md_err_set(err, "Xen line: dom0_mem=%s: initial and max: differ", val);
    else
        *mib = m.max.bytes >> 20;
    md_strv_free(&vals);
    return r;
}

void md_bootcfg_set_dom0_mem(md_bootcfg_entry *e, uint64_t mib)
{
    md_strv *w = &e->xen.args, out = { 0 };
    char *mem = md_xasprintf("dom0_mem=%lluM,max:%lluM", (unsigned long long)mib,
                             (unsigned long long)mib);
    bool replace = false;
    for (size_t i = 0; i < w->n && !replace; i++)
        replace = !strncmp(w->v[i], "dom0_mem=", 9);
    if (!replace)
        md_strv_push(&out, mem); /* none yet: first on the line */
    for (size_t i = 0; i < w->n; i++) {
        if (strncmp(w->v[i], "dom0_mem=", 9)) {
            md_strv_push(&out, w->v[i]);
        } else if (replace) {
            md_strv_push(&out, mem); /* in place of the first; later ones dropped */
            replace = false;
        }
    }
    free(mem);
    md_strv_free(w);
    *w = out;
}

char *md_bootcfg_qemu_escape(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += *p == ',' ? 2 : 1;
    char *out = md_xmalloc(n + 1), *o = out;
    for (const char *p = s; *p; p++) {
        *o++ = *p;
        if (*p == ',')
            *o++ = ',';
    }
    *o = '\0';
    return out;
}

char *md_bootcfg_qemu_initrd(const md_bootcfg_entry *e, const char *kernel_path,
                             const char *rootfs_path)
{
    char *k = md_bootcfg_qemu_escape(kernel_path);
    md_strv w = { 0 };
    md_bootcfg_dom0_args(e, &w);
    char *cmdline = md_strv_join(&w, " ");
    md_strv_free(&w);
    char *a = md_bootcfg_qemu_escape(cmdline);
    free(cmdline);
    char *r = md_bootcfg_qemu_escape(rootfs_path);
    char *s = *a ? md_xasprintf("%s %s,%s", k, a, r) : md_xasprintf("%s,%s", k, r);
    free(k);
    free(a);
    free(r);
    return s;
}
