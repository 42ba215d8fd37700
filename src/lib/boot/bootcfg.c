#include "boot/bootcfg.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/mem.h"
#include "core/strv.h"

#define MIB_MIN 128ULL
#define MIB_MAX (64ULL << 20) /* 64 TiB */

void md_bootcfg_entry_free(md_bootcfg_entry *e)
{
    if (!e)
        return;
    free(e->title);
    free(e->xen);
    free(e->xen_args);
    free(e->kernel);
    free(e->kernel_args);
    free(e->rootfs);
    free(e);
}

int md_bootcfg_parse_mem(const char *s, uint64_t *mib, md_err *err)
{
    if (!s || !*s)
        return md_err_set(err, "dom0 memory: empty size (write e.g. 4096M or 4G)");
    if (strchr(s, ',') || strstr(s, "max:"))
        return md_err_set(err, "dom0 memory '%s': give one size such as 4096M; mkdom0 always "
                               "writes dom0_mem=X,max:X itself (trap 4)", s);
    const char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    if (!isdigit((unsigned char)*p))
        return md_err_set(err, "dom0 memory '%s': not a size (write e.g. 4096M or 4G)", s);
    errno = 0;
    char *end;
    unsigned long long v = strtoull(p, &end, 10);
    if (errno == ERANGE)
        return md_err_set(err, "dom0 memory '%s': number too large", s);
    int shift; /* log2 of the unit in KiB */
    switch (toupper((unsigned char)*end)) {
    case 'K': shift = 0; break;
    case 'M': shift = 10; break;
    case 'G': shift = 20; break;
    case 'T': shift = 30; break;
    case '\0':
        return md_err_set(err, "dom0 memory '%s': no unit; write %lluM (MiB) or %lluG (GiB)",
                          s, v, v);
    default:
        return md_err_set(err, "dom0 memory '%s': unknown unit '%c' (use K, M, G or T)", s, *end);
    }
    end++;
    if (!strcasecmp(end, "iB") || !strcasecmp(end, "B"))
        end += strlen(end);
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return md_err_set(err, "dom0 memory '%s': unexpected '%s' after the size", s, end);
    if (v > (MIB_MAX << 10) >> shift)
        return md_err_set(err, "dom0 memory '%s': more than 64 TiB", s);
    uint64_t kib = (uint64_t)v << shift;
    if (kib % 1024)
        return md_err_set(err, "dom0 memory '%s': not a whole number of MiB", s);
    uint64_t m = kib / 1024;
    if (m == 0)
        return md_err_set(err, "dom0 memory '%s': zero", s);
    if (m < MIB_MIN)
        return md_err_set(err, "dom0 memory '%s': below %lluM, too small for a dom0 kernel "
                               "and its initramfs", s, MIB_MIN);
    *mib = m;
    return 0;
}

/* Characters GRUB's script lexer would expand, quote or split on.  Refusing
 * them is simpler and safer than quoting, and no Xen or Linux option needs
 * them. */
static int check_grub_safe(const char *what, const char *s, md_err *err)
{
    for (const char *p = s; p && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 && c != '\t')
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

static void cat_word(char **line, const char *w)
{
    char *s = *line && **line ? md_xasprintf("%s %s", *line, w) : md_xstrdup(w);
    free(*line);
    *line = s;
}

md_bootcfg_entry *md_bootcfg_make(const md_bootcfg *c, md_err *err)
{
    if (!c->dom0_mem_mib) {
        md_err_set(err, "boot config: no dom0 memory given (Dom0Mem, e.g. 4096M)");
        return NULL;
    }
    if (c->dom0_mem_mib < MIB_MIN || c->dom0_mem_mib > MIB_MAX) {
        md_err_set(err, "boot config: dom0 memory %lluM out of range (%lluM .. 64T)",
                   (unsigned long long)c->dom0_mem_mib, MIB_MIN);
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
    if (check_grub_safe("extra Xen arguments", c->xen_extra, err) < 0 ||
        check_grub_safe("extra kernel arguments", c->linux_extra, err) < 0 ||
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
    md_bootcfg_entry *e = NULL;
    for (size_t i = 0; i < xw.n; i++)
        if (is_opt(xw.v[i], "dom0_mem")) {
            md_err_set(err, "extra Xen arguments: '%s': dom0 memory is set by its own setting "
                            "(Dom0Mem), which always adds max: (trap 4)", xw.v[i]);
            goto out;
        }
    for (size_t i = 0; i < lw.n; i++)
        if (is_opt(lw.v[i], "rdinit")) {
            md_err_set(err, "extra kernel arguments: '%s': mkdom0 sets rdinit=/sbin/init itself",
                       lw.v[i]);
            goto out;
        }

    e = md_xcalloc(1, sizeof *e);
    e->title = md_xstrdup(c->title && *c->title ? c->title : "mkdom0 Xen dom0");
    const char *pre = c->file_prefix ? c->file_prefix : "/";
    const char *sep = *pre && pre[strlen(pre) - 1] == '/' ? "" : "/";
    e->xen = md_xasprintf("%s%sxen.gz", pre, sep);
    e->kernel = md_xasprintf("%s%svmlinuz", pre, sep);
    e->rootfs = md_xasprintf("%s%s%s", pre, sep, c->rootfs_name ? c->rootfs_name : "rootfs.cpio.gz");
    e->serial_port = port;
    e->serial_baud = baud;
    e->timeout = c->timeout;

    unsigned long long m = (unsigned long long)c->dom0_mem_mib;
    e->xen_args = md_xasprintf("dom0_mem=%lluM,max:%lluM", m, m);
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
        cat_word(&e->xen_args, w);
    }
    char *serial = md_xasprintf("com%u=%u,8n1 console=com%u", port, baud, port);
    cat_word(&e->xen_args, serial);
    free(serial);
    for (size_t i = 0; i < xw.n; i++)
        if (!is_opt(xw.v[i], gnttab[0][0]) && !is_opt(xw.v[i], gnttab[1][0]))
            cat_word(&e->xen_args, xw.v[i]);

    e->kernel_args = md_xasprintf("rdinit=/sbin/init console=ttyS%u,%u", port - 1, baud);
    /* console=hvc0 goes last, once, whatever the extra arguments say (trap 1). */
    for (size_t i = 0; i < lw.n; i++)
        if (strcmp(lw.v[i], "console=hvc0"))
            cat_word(&e->kernel_args, lw.v[i]);
    cat_word(&e->kernel_args, "console=hvc0");
out:
    md_strv_free(&xw);
    md_strv_free(&lw);
    return e;
}

char *md_bootcfg_grub_cfg(const md_bootcfg_entry *e)
{
    return md_xasprintf(
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
        "\techo 'Loading Xen and the dom0 ...'\n"
        "\tmultiboot2 %s %s\n"
        "\tmodule2 %s %s\n"
        "\t# --nounzip: Xen hands the compressed archive to Linux, which unpacks it.\n"
        "\tmodule2 --nounzip %s\n"
        "}\n",
        e->serial_port - 1, e->serial_baud, e->timeout, e->title, e->xen, e->xen_args,
        e->kernel, e->kernel_args, e->rootfs);
}

/* --- parsing ----------------------------------------------------------- */

/* Split a grub.cfg line into words: whitespace-separated, with '...' and
 * "..." quoting and backslash escapes, which is all a generated or hand-written
 * boot entry uses. */
static void grub_words(const char *line, md_strv *out)
{
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            return;
        size_t cap = strlen(p) + 1, n = 0;
        char *w = md_xmalloc(cap);
        char q = 0;
        for (; *p; p++) {
            if (q) {
                if (*p == q)
                    q = 0;
                else if (*p == '\\' && q == '"' && p[1])
                    w[n++] = *++p;
                else
                    w[n++] = *p;
            } else if (*p == '\'' || *p == '"') {
                q = *p;
            } else if (*p == '\\' && p[1]) {
                w[n++] = *++p;
            } else if (*p == ' ' || *p == '\t' || *p == ';') {
                break;
            } else {
                w[n++] = *p;
            }
        }
        w[n] = '\0';
        md_strv_push_own(out, w);
        if (*p == ';')
            p++;
    }
}

static char *join_from(const md_strv *w, size_t from)
{
    char *s = md_xstrdup("");
    for (size_t i = from; i < w->n; i++)
        cat_word(&s, w->v[i]);
    return s;
}

md_bootcfg_entry *md_bootcfg_parse_grub(const char *text, const char *origin, md_err *err)
{
    md_bootcfg_entry *e = md_xcalloc(1, sizeof *e);
    e->serial_port = 1;
    e->serial_baud = 115200;
    e->timeout = 3;
    int depth = 0;
    bool complete = false;
    char *cur_title = NULL;
    unsigned lineno = 0, mb_line = 0;
    const char *p = text;
    while (*p && !complete) {
        lineno++;
        size_t n = strcspn(p, "\n");
        char *line = md_xmalloc(n + 1);
        memcpy(line, p, n);
        line[n] = '\0';
        p += n + (p[n] == '\n');
        md_strv w = { 0 };
        grub_words(line, &w);
        free(line);
        if (!w.n) {
            md_strv_free(&w);
            continue;
        }
        const char *cmd = w.v[0];
        if (!strcmp(cmd, "menuentry") || !strcmp(cmd, "submenu")) {
            if (depth == 0 && !strcmp(cmd, "menuentry")) {
                free(cur_title);
                cur_title = w.n > 1 ? md_xstrdup(w.v[1]) : NULL;
            }
            depth++;
        } else if (!strcmp(cmd, "}")) {
            if (depth > 0)
                depth--;
            if (depth == 0 && e->xen)
                complete = true; /* the first Xen entry is all we need */
        } else if (depth == 0 && !strcmp(cmd, "serial")) {
            for (size_t i = 1; i < w.n; i++) {
                if (!strncmp(w.v[i], "--unit=", 7))
                    e->serial_port = (unsigned)atoi(w.v[i] + 7) + 1;
                if (!strncmp(w.v[i], "--speed=", 8))
                    e->serial_baud = (unsigned)atoi(w.v[i] + 8);
            }
        } else if (depth == 0 && !strncmp(cmd, "timeout=", 8)) {
            e->timeout = (unsigned)atoi(cmd + 8);
        } else if (depth == 0 && !strcmp(cmd, "set") && w.n > 1 && !strncmp(w.v[1], "timeout=", 8)) {
            e->timeout = (unsigned)atoi(w.v[1] + 8);
        } else if (depth > 0 && !strcmp(cmd, "multiboot2") && !e->xen) {
            if (w.n < 2) {
                md_err_set(err, "%s:%u: multiboot2 without a file", origin, lineno);
                md_strv_free(&w);
                goto fail;
            }
            e->xen = md_xstrdup(w.v[1]);
            e->xen_args = join_from(&w, 2);
            mb_line = lineno;
            if (cur_title && !e->title)
                e->title = md_xstrdup(cur_title);
        } else if (depth > 0 && !strcmp(cmd, "module2") && e->xen) {
            bool nounzip = w.n > 1 && !strcmp(w.v[1], "--nounzip");
            size_t f = nounzip ? 2 : 1;
            if (w.n <= f) {
                md_err_set(err, "%s:%u: module2 without a file", origin, lineno);
                md_strv_free(&w);
                goto fail;
            }
            if (!e->kernel && !nounzip) {
                e->kernel = md_xstrdup(w.v[f]);
                e->kernel_args = join_from(&w, f + 1);
            } else if (!e->rootfs && e->kernel) {
                if (!nounzip) {
                    md_err_set(err, "%s:%u: the rootfs module '%s' lacks --nounzip: GRUB would "
                                    "hand Linux an uncompressed copy", origin, lineno, w.v[f]);
                    md_strv_free(&w);
                    goto fail;
                }
                e->rootfs = md_xstrdup(w.v[f]);
            }
        }
        md_strv_free(&w);
    }
    if (!e->xen) {
        md_err_set(err, "%s: no menuentry with multiboot2 (Xen) found", origin);
        goto fail;
    }
    if (!e->kernel) {
        md_err_set(err, "%s:%u: the Xen entry has no module2 line for the dom0 kernel", origin, mb_line);
        goto fail;
    }
    if (!e->rootfs) {
        md_err_set(err, "%s:%u: the Xen entry has no 'module2 --nounzip' line for the rootfs",
                   origin, mb_line);
        goto fail;
    }
    if (!e->title)
        e->title = md_xstrdup("mkdom0 Xen dom0");
    if (e->serial_port < 1 || e->serial_port > 4)
        e->serial_port = 1;
    free(cur_title);
    return e;
fail:
    free(cur_title);
    md_bootcfg_entry_free(e);
    return NULL;
}

int md_bootcfg_dom0_mem(const md_bootcfg_entry *e, uint64_t *mib, md_err *err)
{
    md_strv w = { 0 };
    md_strv_split(&w, e->xen_args ? e->xen_args : "", false);
    const char *val = NULL;
    for (size_t i = 0; i < w.n; i++)
        if (!strncmp(w.v[i], "dom0_mem=", 9))
            val = w.v[i] + 9; /* Xen takes the last one */
    int rc = -1;
    if (!val) {
        md_err_set(err, "Xen line has no dom0_mem= (trap 4: without it the initramfs may end up "
                        "where the PV builder cannot reach it)");
        goto out;
    }
    char *v = md_xstrdup(val), *comma = strchr(v, ',');
    if (!comma || strncmp(comma + 1, "max:", 4)) {
        md_err_set(err, "Xen line has dom0_mem=%s without max: (trap 4: Linux sizes its page "
                        "array for all host RAM)", val);
        free(v);
        goto out;
    }
    *comma = '\0';
    uint64_t a, b;
    md_err sub = MD_ERR_INIT;
    if (md_bootcfg_parse_mem(v, &a, &sub) < 0 || md_bootcfg_parse_mem(comma + 5, &b, &sub) < 0) {
        md_err_set(err, "Xen line: dom0_mem=%s: %s", val, sub.msg);
    } else if (a != b) {
        md_err_set(err, "Xen line: dom0_mem=%s: initial and max: differ", val);
    } else {
        *mib = a;
        rc = 0;
    }
    free(v);
out:
    md_strv_free(&w);
    return rc;
}

void md_bootcfg_set_dom0_mem(md_bootcfg_entry *e, uint64_t mib)
{
    md_strv w = { 0 };
    md_strv_split(&w, e->xen_args ? e->xen_args : "", false);
    char *mem = md_xasprintf("dom0_mem=%lluM,max:%lluM", (unsigned long long)mib,
                             (unsigned long long)mib);
    char *line = md_xstrdup("");
    bool done = false;
    for (size_t i = 0; i < w.n; i++) {
        if (!strncmp(w.v[i], "dom0_mem=", 9)) {
            if (!done)
                cat_word(&line, mem);
            done = true;
        } else {
            cat_word(&line, w.v[i]);
        }
    }
    if (!done) {
        char *s = *line ? md_xasprintf("%s %s", mem, line) : md_xstrdup(mem);
        free(line);
        line = s;
    }
    free(mem);
    md_strv_free(&w);
    free(e->xen_args);
    e->xen_args = line;
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
    char *a = md_bootcfg_qemu_escape(e->kernel_args ? e->kernel_args : "");
    char *r = md_bootcfg_qemu_escape(rootfs_path);
    char *s = *a ? md_xasprintf("%s %s,%s", k, a, r) : md_xasprintf("%s,%s", k, r);
    free(k);
    free(a);
    free(r);
    return s;
}
