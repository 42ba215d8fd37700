/* xenver — hypervisor and toolstack releases, read from the binaries, and
 * trap 2's one checker (md_xenver_lint).
 *
 * DT_SONAME comes from core/elf's bounded reads.
 */
#include "lint/xenver.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/xenefi.h"
#include "core/decomp.h"
#include "core/elf.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/strv.h"
#include "image/imgdir.h"
#include "image/refs.h"
#include "lint/lint_int.h"


/* Copy, cut at the field's size (messages are longer than the fields). */
static void set_str(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0;
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

/* The value of string option `key` ("CONFIG_DOM0_MEM") in Kconfig text
 * `txt`: the line KEY="VALUE", whose '\\' and '"' Kconfig writes escaped
 * with a backslash (scripts/kconfig/confdata.c), into out (cut at `cap`);
 * "" when the line is absent ("# KEY is not set") or not a string. */
static void kconfig_string(const char *txt, size_t n, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);
    out[0] = '\0';
    for (const char *l = txt, *end = txt + n; l < end;) {
        const char *nl = memchr(l, '\n', (size_t)(end - l));
        const char *le = nl ? nl : end;
        if ((size_t)(le - l) > kl + 1 && !strncmp(l, key, kl) && l[kl] == '=' && l[kl + 1] == '"') {
            size_t o = 0;
            for (const char *p = l + kl + 2; p < le && *p != '"' && o + 1 < cap; p++)
                out[o++] = *p == '\\' && p + 1 < le ? *++p : *p;
            out[o] = '\0';
            return;
        }
        l = le + 1;
    }
}

/* The embedded gzip'd Kconfig, read whole once its head is Xen's: its
 * header line "# Xen/x86 4.17.7 Configuration" gives the release (`ver`)
 * and the architecture word ("x86", "arm": `arch`), its CONFIG_DOM0_MEM
 * line `dom0_mem`.  The Kconfig is a few KiB (Debian's 4.17: 2.6 KiB); 1 MiB
 * of it is read at most. */
#define KCONFIG_MAX ((size_t)1 << 20)
static bool kconfig_read(const unsigned char *img, size_t len, char *ver, size_t cap,
                         char *arch, size_t acap, char *dom0_mem, size_t dcap)
{
    static const char head[] = "# Automatically generated file; DO NOT EDIT.\n# Xen/";
    for (size_t i = 0; i + 10 < len; i++) {
        const unsigned char *p = memchr(img + i, 0x1f, len - i);
        if (!p)
            break;
        i = (size_t)(p - img);
        if (p + 3 > img + len || p[1] != 0x8b || p[2] != 8)
            continue;
        size_t n;
        unsigned char *txt;
        md_err ignored = MD_ERR_INIT; /* not a gzip stream after all: look further */
        if (md_decomp_head("embedded Kconfig", p, len - i, 512, &txt, &n, &ignored) < 0)
            continue;
        const char *h = strstr((const char *)txt, head);
        bool ok = false;
        if (h) {
            const char *aw = h + sizeof head - 1;
            const char *sp = strchr(aw, ' '); /* after "x86" */
            if (sp && (size_t)(sp - aw) < acap && memchr(aw, '\n', (size_t)(sp - aw)) == NULL)
                snprintf(arch, acap, "%.*s", (int)(sp - aw), aw);
            if (sp) {
                size_t vl = strcspn(sp + 1, " \n");
                if (vl && vl < cap && strncmp(sp + 1 + vl, " Configuration", 14) == 0) {
                    memcpy(ver, sp + 1, vl);
                    ver[vl] = '\0';
                    ok = true;
                }
            }
        }
        free(txt);
        if (ok && md_decomp_head("embedded Kconfig", p, len - i, KCONFIG_MAX, &txt, &n,
                                 &ignored) == 0) {
            kconfig_string((const char *)txt, n, "CONFIG_DOM0_MEM", dom0_mem, dcap);
            free(txt);
        }
        if (ok)
            return true;
    }
    return false;
}

static bool parse_mm(const char *s, unsigned *major, unsigned *minor)
{
    char tail;
    return sscanf(s, "%u.%u%c", major, minor, &tail) >= 2;
}

/* Whether the plain image `img`, Xen's ELF, is whole; `plain` is its
 * file's name when it was not compressed, NULL when it is what file `name`
 * decompressed to.  xen.efi's sections are lint's to check
 * (lint_input.c efi_sections: a [boot] error on the image, which the
 * firmware does not load). */
static bool image_whole(const unsigned char *img, size_t len, const char *plain,
                        const char *name, md_err *err)
{
    char *what = plain ? md_xstrdup(plain) : md_xasprintf("%s (the ELF it decompresses to)", name);
    int rc = md_elf_check_whole(img, len, len, what, err);
    free(what);
    return rc == 0;
}

int md_xenver_hypervisor_image(const unsigned char *data, size_t len, const char *name,
                               md_xen_version *out, md_err *err)
{
    memset(out, 0, sizeof *out);
    set_str(out->path, sizeof out->path, name);
    unsigned char *raw = NULL;
    size_t rawlen = len;
    const unsigned char *img = data;
    if (md_decomp_detect(data, len) != MD_DECOMP_NONE) {
        if (md_decomp_buf(name, data, len, MD_IMGDIR_XEN_MAX, &raw, &rawlen, err) < 0)
            return -1;
        img = raw;
    }
    static const char banner[] = "Xen version %d.%d%s";
    bool is_xen = md_elf_is(img, rawlen) &&
                  memmem(img, rawlen, banner, sizeof banner - 1) != NULL;
    /* xen.efi is PE, not ELF, but carries the same banner and config. */
    if (!is_xen && rawlen >= 2 && img[0] == 'M' && img[1] == 'Z')
        is_xen = memmem(img, rawlen, banner, sizeof banner - 1) != NULL;
    /* the architecture, by the headers the loaders read (trial 10n,
     * finding H: an arm64 Xen in a multiboot entry passed) */
    unsigned em = md_elf_machine(img, rawlen), pm = em ? 0 : md_xenefi_machine(img, rawlen);
    const char *arch = em == MD_ELF_EM_386 || em == MD_ELF_EM_X86_64 ? "x86"
                     : em == MD_ELF_EM_AARCH64 ? "arm64" : em == MD_ELF_EM_ARM ? "arm32"
                     : pm == MD_XENEFI_MACHINE_AMD64 ? "x86" : pm == MD_XENEFI_MACHINE_ARM64 ? "arm64"
                     : pm == MD_XENEFI_MACHINE_ARMNT ? "arm32" : NULL;
    if (is_xen && arch) {
        set_str(out->arch, sizeof out->arch, arch);
        set_str(out->arch_from, sizeof out->arch_from, em ? "ELF e_machine" : "PE Machine");
    }
    out->pe = is_xen && !md_elf_is(img, rawlen);
    char karch[8] = "";
    int rc = 0;
    md_err whole = MD_ERR_INIT;
    if (!is_xen) {
        rc = md_err_set(err, "%s: not a Xen hypervisor image (no ELF with the Xen banner)", name);
    } else if (!out->pe && !image_whole(img, rawlen, raw ? NULL : name, name, &whole)) {
        /* a cut file whose banner survived (trial9x F4): GRUB loads it
         * and Xen's loader copies the missing bytes from past its end */
        out->damaged = true;
        rc = md_err_set(err, "%s; a damaged Xen image (cut short or overwritten): copy it again",
                        whole.msg);
    } else if (kconfig_read(img, rawlen, out->version, sizeof out->version, karch,
                            sizeof karch, out->dom0_mem, sizeof out->dom0_mem) &&
               parse_mm(out->version, &out->major, &out->minor)) {
        set_str(out->source, sizeof out->source, "embedded Kconfig (\"# Xen/x86 ... Configuration\")");
        out->found = true;
    } else {
        /* A file name is whatever someone called the file: no release. */
        rc = md_err_set(err, "%s: a Xen image without an embedded Kconfig (built without "
                             "CONFIG_HYPFS_CONFIG): its release cannot be read from the binary", name);
    }
    if (is_xen && !out->arch[0] && (!strcmp(karch, "x86") || !strcmp(karch, "arm"))) {
        set_str(out->arch, sizeof out->arch, karch);
        set_str(out->arch_from, sizeof out->arch_from, "embedded Kconfig");
    }
    free(raw);
    return rc;
}

int md_xenver_hypervisor_file(const char *path, md_xen_version *out, md_err *err)
{
    unsigned char *d;
    size_t len;
    if (md_read_file(path, &d, &len, err) < 0)
        return -1;
    int rc = md_xenver_hypervisor_image(d, len, path, out, err);
    free(d);
    return rc;
}

/* ---- libxenctrl ---- */

/* "libxenctrl.so.4.17" (Debian's and upstream's DT_SONAME) or
 * "libxenctrl-4.17.so" -> 4.17 */
static bool ctrl_soname_version(const char *soname, unsigned *ma, unsigned *mi)
{
    if (strncmp(soname, "libxenctrl.so.", 14) == 0)
        return parse_mm(soname + 14, ma, mi);
    if (strncmp(soname, "libxenctrl-", 11) == 0)
        return parse_mm(soname + 11, ma, mi);
    return false;
}

int md_xenver_libxenctrl(const unsigned char *data, size_t len, const char *name,
                         md_xen_version *out, md_err *err)
{
    memset(out, 0, sizeof *out);
    set_str(out->path, sizeof out->path, name);
    if (!md_elf_is(data, len))
        return md_err_set(err, "%s: not an ELF shared object", name);
    char soname[128];
    md_elf e;
    if (md_elf_open(&e, name, data, len, err) < 0)
        return -1;
    if (!md_elf_soname(&e, soname, sizeof soname))
        return md_err_set(err, "%s: no DT_SONAME readable (a shared object without a dynamic "
                               "section, or a damaged one)", name);
    if (!ctrl_soname_version(soname, &out->major, &out->minor))
        return md_err_set(err, "%s: DT_SONAME \"%s\" is not libxenctrl's", name, soname);
    snprintf(out->version, sizeof out->version, "%u.%u", out->major, out->minor);
    snprintf(out->source, sizeof out->source, "DT_SONAME %s", soname);
    out->found = true;
    return 0;
}

/* ---- trees ---- */

static bool is_hypervisor_name(const char *path)
{
    if (strncmp(path, "/boot/", 6) != 0 || strchr(path + 6, '/'))
        return false;
    const char *b = path + 6;
    if (strncmp(b, "xen", 3) != 0 || (b[3] != '-' && b[3] != '.' && b[3] != '\0'))
        return false;
    if (!fnmatch("*.gz", b, 0))
        return true;
    static const char *const other[] = { "*.config", "*.efi", "*.map", "*.cfg", "*.sig", "*.old",
                                         NULL };
    for (int i = 0; other[i]; i++)
        if (!fnmatch(other[i], b, 0))
            return false;
    return strncmp(b, "xen-syms", 8) != 0;
}

/* Which files to read, not what they say: libxenctrl.so.X.Y[.Z] (Debian,
 * upstream) and libxenctrl-X.Y.so (older upstream installs). */
bool md_xenver_is_libxenctrl(const char *path)
{
    const char *b = basename(path);
    return strncmp(b, "libxenctrl.so.", 14) == 0 ||
           (strncmp(b, "libxenctrl-", 11) == 0 && strstr(b, ".so"));
}

/* Programs of the Xen userland: what shows that the tree has a toolstack
 * whose release matters, even when no libxenctrl can be read.  Their
 * rank, the one a user knows best first (xl); NUSERLAND: none of them. */
static const char *const userland_progs[] = { "xl", "xenstored", "oxenstored", "xenconsoled",
                                              "xen-init-dom0" };
#define NUSERLAND (sizeof userland_progs / sizeof *userland_progs)

static size_t userland_rank(const char *path)
{
    const char *b = basename(path);
    /* a program, not its config (/etc/conf.d/xenconsoled) or docs */
    if (!strstr(path, "bin/") && !strstr(path, "/libexec/"))
        return NUSERLAND;
    for (size_t i = 0; i < NUSERLAND; i++)
        if (!strcmp(b, userland_progs[i]))
            return i;
    return NUSERLAND;
}

static bool is_userland_name(const char *path)
{
    return userland_rank(path) < NUSERLAND;
}

/* `v` for the file at `path` (of package `origin`) whose release cannot be
 * read: not found, `source` the reason alone (`msg` less "PATH: "). */
static void unread(md_xen_version *v, const char *path, const char *origin, const char *msg)
{
    size_t pl = strlen(path);
    memset(v, 0, sizeof *v);
    set_str(v->path, sizeof v->path, path);
    set_str(v->origin, sizeof v->origin, origin);
    set_str(v->source, sizeof v->source,
            !strncmp(msg, path, pl) && !strncmp(msg + pl, ": ", 2) ? msg + pl + 2 : msg);
}

static void push(md_xen_version **v, size_t *n, const md_xen_version *x)
{
    *v = md_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = *x;
}

static bool push_str(void *ctx, const char *s)
{
    md_strv_push(ctx, s);
    return true;
}

static bool is_xen_lib(const char *name)
{
    return !strncmp(name, "libxen", 6);
}

/* Where the survey looks for programs: not the hypervisors and kernel in
 * /boot, not the thousands of kernel modules (ELF, but never run). */
static bool program_place(const char *p)
{
    return strncmp(p, "/boot/", 6) && strncmp(p, "/lib/modules/", 13) &&
           strncmp(p, "/usr/lib/modules/", 17) && !strstr(basename(p), ".so");
}

/* The DT_NEEDED names of the ELF file `n`, a dynamically linked program
 * (`program`) or a shared object (no PT_INTERP either); false: not one, or
 * its bytes were not kept. */
static bool needed_of(const md_node *n, const char *path, bool program, md_elf *e, md_strv *out)
{
    size_t len;
    const unsigned char *d = n ? md_node_data(n, &len) : NULL;
    md_err ignored = MD_ERR_INIT; /* not a readable ELF file: not a program */
    if (!d || !md_elf_is(d, len) || md_elf_open(e, path, d, len, &ignored) < 0 ||
        (program && md_elf_is_static(e)))
        return false;
    md_elf_dynamic_strings(e, MD_ELF_DT_NEEDED, push_str, out);
    return true;
}

/* Follow program `pr`'s DT_NEEDED through the Xen libraries (the only ones
 * that link libxenctrl) to the libxenctrl it loads, as the loader would.
 * The walk is breadth first, so the first missing library named is the one
 * nearest the program; it stops at 64 files (Xen's deepest chain is 3). */
static void walk_program(const md_tree *t, md_xenver_prog *pr)
{
    md_strv todo = { 0 }, seen = { 0 };
    md_strv_push(&todo, pr->path);
    for (size_t i = 0; i < todo.n && i < 64; i++) {
        const char *cur = todo.v[i];
        md_elf e;
        md_strv need = { 0 };
        if (!needed_of(md_tree_resolve_file(t, cur), cur, i == 0, &e, &need)) {
            md_strv_free(&need);
            continue;
        }
        for (size_t k = 0; k < need.n; k++) {
            const char *lib = need.v[k];
            if (!is_xen_lib(lib) || md_strv_contains(&seen, lib))
                continue;
            md_strv_push(&seen, lib);
            char *at = md_refs_find_library(t, cur, &e, lib);
            if (!at) {
                if (!pr->missing[0]) {
                    set_str(pr->missing, sizeof pr->missing, lib);
                    set_str(pr->missing_by, sizeof pr->missing_by, cur);
                }
                continue;
            }
            char slashed[160];
            snprintf(slashed, sizeof slashed, "/%s", lib);
            if (md_xenver_is_libxenctrl(slashed)) {
                if (!pr->ctrl.path[0]) {
                    const md_node *f = md_tree_resolve_file(t, at);
                    size_t len = 0;
                    const unsigned char *d = f ? md_node_data(f, &len) : NULL;
                    md_err err = MD_ERR_INIT;
                    if (!d)
                        md_err_set(&err, "content not read (%zu bytes)", len);
                    else if (md_xenver_libxenctrl(d, len, at, &pr->ctrl, &err) == 0)
                        set_str(pr->ctrl.origin, sizeof pr->ctrl.origin, md_node_origin(f));
                    if (err.set)
                        unread(&pr->ctrl, at, f ? md_node_origin(f) : "", err.msg);
                    set_str(pr->ctrl_needed, sizeof pr->ctrl_needed, lib);
                }
            } else {
                md_strv_push(&todo, at);
            }
            free(at);
        }
        md_strv_free(&need);
    }
    md_strv_free(&todo);
    md_strv_free(&seen);
}

/* Is the file at `p` a Xen program (md_xenver_survey's progs)? */
static bool xen_program(const md_node *n, const char *p)
{
    if (!program_place(p))
        return false;
    md_elf e;
    md_strv need = { 0 };
    bool xen = false;
    if (needed_of(n, p, true, &e, &need)) {
        xen = is_userland_name(p);
        for (size_t i = 0; i < need.n && !xen; i++)
            xen = is_xen_lib(need.v[i]);
    }
    md_strv_free(&need);
    return xen;
}

void md_xenver_survey_tree(const md_tree *t, md_xenver_survey *s)
{
    memset(s, 0, sizeof *s);
    const md_node *userland = NULL;
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        md_node_type ty = md_node_type_of(n);
        if (ty != MD_NODE_FILE && ty != MD_NODE_HARDLINK)
            continue; /* a symlink's or a directory's name is no release */
        const char *p = md_node_path(n);
        bool hv = is_hypervisor_name(p), ts = !hv && md_xenver_is_libxenctrl(p);
        if (!hv && !ts) {
            if (!userland && is_userland_name(p))
                userland = n;
            if (xen_program(n, p)) {
                md_xenver_prog pr;
                memset(&pr, 0, sizeof pr);
                set_str(pr.path, sizeof pr.path, p);
                set_str(pr.origin, sizeof pr.origin, md_node_origin(n));
                walk_program(t, &pr);
                s->progs = md_xrealloc(s->progs, (s->nprogs + 1) * sizeof *s->progs);
                s->progs[s->nprogs++] = pr;
            }
            continue;
        }
        size_t len;
        const unsigned char *d = md_node_data(n, &len);
        md_xen_version v;
        md_err e = MD_ERR_INIT;
        int rc = !d ? md_err_set(&e, "%s: content not read (a link to a file of %zu bytes "
                                     "elsewhere)", p, len)
                 : hv ? md_xenver_hypervisor_image(d, len, p, &v, &e)
                      : md_xenver_libxenctrl(d, len, p, &v, &e);
        set_str(v.origin, sizeof v.origin, md_node_origin(n));
        if (rc < 0) {
            unread(&v, p, md_node_origin(n), e.msg);
            push(hv ? &s->bad_hv : &s->bad_ts, hv ? &s->nbad_hv : &s->nbad_ts, &v);
            continue;
        }
        if (hv) {
            push(&s->hv, &s->nhv, &v);
            continue;
        }
        bool known = false;
        for (size_t i = 0; i < s->nts && !known; i++)
            known = s->ts[i].major == v.major && s->ts[i].minor == v.minor;
        if (!known)
            push(&s->ts, &s->nts, &v);
    }
    if (userland && !s->nts) {
        set_str(s->userland, sizeof s->userland, md_node_path(userland));
        set_str(s->userland_origin, sizeof s->userland_origin, md_node_origin(userland));
    }
}

void md_xenver_survey_free(md_xenver_survey *s)
{
    free(s->hv);
    free(s->ts);
    free(s->bad_hv);
    free(s->bad_ts);
    free(s->progs);
    memset(s, 0, sizeof *s);
}

const md_xen_version *md_xenver_stray(const md_xenver_survey *s, const md_xen_version *used)
{
    if (!used || !used->found)
        used = s->nts ? &s->ts[0] : NULL;
    for (size_t i = 0; used && i < s->nts; i++)
        if (s->ts[i].major != used->major || s->ts[i].minor != used->minor)
            return &s->ts[i];
    return NULL;
}

/* ---- trap 2: the one checker ---- */

/* Debian's xen-utils-wrapper (xen-utils-common 4.17 and 4.20 alike,
 * /usr/lib/xen-common/bin/xen-utils-wrapper; /usr/sbin/xl and the other
 * toolstack commands link to it) runs, for COMMAND:
 *   read major < /sys/hypervisor/version/major; read minor < .../minor
 *   DIR="/usr/lib/xen-$major.$minor/bin"; [ -x "$DIR/$COMMAND" ] && exec ...
 * and otherwise bails out "Can't find version $VERSION of xen utils"
 * (xen-dir, which the init scripts use, reads the same sysfs files;
 * xen-toolstack only echoes "xl" now).  So on a Debian system
 * xen-utils-X.Y of several releases may lie side by side (a 12 -> 13
 * upgrade before autoremove, with either hypervisor in the boot menu), and
 * the one that runs is the running hypervisor's (trial10f case 12): lint
 * accepts that layout.  An image mkdom0 builds boots one hypervisor, its
 * own: there another release never runs, and it is refused as the
 * mismatch it is (md_xenver_lint's `image`). */
#define DEBIAN_WRAPPER "/usr/lib/xen-common/bin/xen-utils-wrapper"

/* Why a toolstack of another release than the hypervisor's fails, and the
 * fix (into the char array `buf`). */
#define WHY_MISMATCH                                                                        \
    "libxenctrl's domctl/sysctl interfaces change with every release, and xenstored fails " \
    "at start (\"Failed to open connection to gnttab\")"
#define TAKE_RELEASE(buf, hv)                                                                \
    (snprintf(buf, sizeof buf, "take the toolstack of the hypervisor's release (xen-utils-%u.%u)", \
              (hv)->major, (hv)->minor), buf)

/* " (from PKG)" after a file's name when its package is known (the build's
 * tree; lint's hypervisors have none): three %s arguments. */
#define FROM(o) (o) && (o)[0] ? " (from " : "", (o) ? (o) : "", (o) && (o)[0] ? ")" : ""

typedef struct chk {
    md_lint *l;
    const char *label;
    const md_tree *t;
    const md_xenver_survey *sv;
    const md_xen_version *hv; /* the hypervisors that may boot the tree, all found */
    size_t nhv;
    bool image;   /* md_xenver_lint's */
    bool wrapper; /* Debian's xen-utils-wrapper is in the tree */
    bool several; /* toolstacks of several releases may lie side by side (the wrapper's) */
} chk;

/* A trap 2 finding on `path` (NULL: the tree): the message, then "; FIX"
 * when there is a fix, which --json also gives on its own. */
static void add(const chk *c, const char *path, md_lint_sev sev, const char *fix, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));
static void add(const chk *c, const char *path, md_lint_sev sev, const char *fix, const char *fmt,
                ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = md_xvasprintf(fmt, ap);
    va_end(ap);
    md_lint_add_at(c->l, c->label, path, 0, sev, 2, "%s%s%s", msg, fix ? "; " : "", fix ? fix : "");
    if (fix)
        md_lint_fix(c->l, "%s", fix);
    free(msg);
}

/* What cannot be read: a warning in a tree someone has (lint says it could
 * not check); the build proves its image, so there it is refused. */
#define UNREADABLE(c) ((c)->image ? MD_LINT_ERROR : MD_LINT_WARNING)

static bool same(const md_xen_version *v, unsigned ma, unsigned mi)
{
    return v->major == ma && v->minor == mi;
}

static bool booted(const chk *c, unsigned ma, unsigned mi)
{
    for (size_t h = 0; h < c->nhv; h++)
        if (same(&c->hv[h], ma, mi))
            return true;
    return false;
}

/* The release whose hypervisor Debian's wrapper runs the program at `p`
 * under: false when `p` is not in /usr/lib/xen-A.B/bin. */
static bool wrapper_release(const char *p, unsigned *ma, unsigned *mi)
{
    int end = 0;
    return sscanf(p, "/usr/lib/xen-%u.%u/bin/%n", ma, mi, &end) == 2 && end > 0 &&
           !strchr(p + end, '/');
}

/* Whether the tree has the directory Debian's wrapper runs the toolstack
 * from under `hv` ("/usr/lib/xen-4.20/bin"); when it has not, the error
 * that xl and xenstored cannot start, on the wrapper. */
static bool wrapper_dir_present(const chk *c, const md_xen_version *hv)
{
    char dir[64], fix[64];
    snprintf(dir, sizeof dir, "/usr/lib/xen-%u.%u/bin", hv->major, hv->minor);
    const md_node *d = md_tree_resolve(c->t, dir);
    if (d && md_node_type_of(d) == MD_NODE_DIR)
        return true;
    snprintf(fix, sizeof fix, "install xen-utils-%u.%u", hv->major, hv->minor);
    add(c, DEBIAN_WRAPPER, MD_LINT_ERROR, fix,
        "the hypervisor %s%s%s%s is Xen %u.%u, and Debian's xen-utils-wrapper runs the toolstack "
        "from %s, which is not here: xl and xenstored bail out (\"Can't find version %u.%u of "
        "xen utils\")", hv->path, FROM(hv->origin), hv->major, hv->minor, dir, hv->major,
        hv->minor);
    return false;
}

/* The toolstack of release ma.mi that Debian's wrapper leaves unused under
 * every hypervisor given: a note, on `file` (NULL: the tree). */
static void note_unused(const chk *c, const char *file, unsigned ma, unsigned mi)
{
    add(c, file, MD_LINT_NOTE, NULL,
        "the toolstack in /usr/lib/xen-%u.%u/bin is not used under the hypervisor%s given "
        "(Debian's xen-utils-wrapper runs the running hypervisor's release): xen-utils-%u.%u "
        "can go once Xen %u.%u is no longer booted", ma, mi, c->nhv > 1 ? "s" : "", ma, mi, ma,
        mi);
}

/* " (/usr/lib/.../libxenctrl.so.4.17 is a link to libxenctrl.so.4.17.0,
 * which is not in the rootfs)" for the first libxenctrl name that leads to
 * no file, else "".  Caller frees. */
static char *dangling_libxenctrl(const md_tree *t)
{
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        const char *p = md_node_path(n);
        if (md_node_type_of(n) == MD_NODE_SYMLINK && md_xenver_is_libxenctrl(p) &&
            !md_tree_resolve_file(t, p))
            return md_xasprintf(" (%s is a link to %s, which is not in the rootfs)", p,
                                md_node_link_target(n));
    }
    return md_xstrdup("");
}

/* Programs with the same trap 2 error: one finding for them all, naming
 * how many and a few (xen-utils-4.20 has some 48 programs that load
 * libxenctrl: one line each buried the other findings, issue 10 grub10 3).
 * A group is the kind of error and what it is between: the missing
 * library; the libxenctrl release and the hypervisor (`h`) or Debian's
 * wrapper directory's release.  The finding is on its first program of
 * the Xen userland (xl, xenstored: is_userland_name), else its first,
 * and names the others of the userland first. */
enum { SHOWN = 3 };
typedef struct pgroup {
    enum { G_MISSING, G_WRAPPER, G_HV } kind;
    size_t h;                    /* G_HV: the hypervisor, in c->hv */
    unsigned ma, mi;             /* G_WRAPPER: the directory's release */
    const md_xenver_prog **v;    /* its programs, in path order */
    size_t n, cap;
} pgroup;

typedef struct pgroups {
    pgroup *v;
    size_t n, cap;
} pgroups;

/* Program `p` into the group of (kind, h, ma, mi) and p's libxenctrl (or
 * missing library), made when there is none. */
static void group_add(pgroups *g, int kind, size_t h, unsigned ma, unsigned mi,
                      const md_xenver_prog *p)
{
    pgroup *x = NULL;
    for (size_t i = 0; i < g->n && !x; i++) {
        pgroup *y = &g->v[i];
        bool lib = kind == G_MISSING ? !strcmp(y->v[0]->missing, p->missing)
                                     : same(&y->v[0]->ctrl, p->ctrl.major, p->ctrl.minor);
        if ((int)y->kind == kind && y->h == h && y->ma == ma && y->mi == mi && lib)
            x = y;
    }
    if (!x) {
        g->v = md_xgrow(g->v, &g->cap, g->n + 1, sizeof *g->v);
        x = &g->v[g->n++];
        *x = (pgroup){ .kind = kind, .h = h, .ma = ma, .mi = mi };
    }
    x->v = md_xgrow(x->v, &x->cap, x->n + 1, sizeof *x->v);
    x->v[x->n++] = p;
}

/* The group's program the finding is on, and the ones it names after it
 * (up to SHOWN, into `shown`): the Xen userland's first, by userland_rank. */
static const md_xenver_prog *group_pick(const pgroup *g, const char **shown, size_t *nshown)
{
    const md_xenver_prog *first = NULL;
    *nshown = 0;
    for (size_t rank = 0; rank <= NUSERLAND; rank++)
        for (size_t i = 0; i < g->n; i++) {
            const md_xenver_prog *p = g->v[i];
            if (userland_rank(p->path) != rank)
                continue;
            if (!first)
                first = p;
            else if (*nshown < SHOWN)
                shown[(*nshown)++] = p->path;
        }
    return first;
}

/* ", as do 47 other programs (A, B, C and 44 more)," for a group of 48;
 * "" for one.  Caller frees. */
static char *group_others(const pgroup *g, const char *const *more, size_t shown)
{
    if (g->n == 1)
        return md_xstrdup("");
    size_t others = g->n - 1;
    char *s = others == 1 ? md_xstrdup(", as does one other program (")
                          : md_xasprintf(", as do %zu other programs (", others);
    for (size_t i = 0; i < shown; i++) {
        /* "A, B and C", or "A, B, C and 44 more" */
        const char *sep = !i ? "" : i + 1 == shown && shown == others ? " and " : ", ";
        char *t = md_xasprintf("%s%s%s", s, sep, more[i]);
        free(s);
        s = t;
    }
    char *t = others > shown ? md_xasprintf("%s and %zu more),", s, others - shown)
                             : md_xasprintf("%s),", s);
    free(s);
    return t;
}

static void group_report(const chk *c, const pgroup *g)
{
    const char *more[SHOWN];
    size_t nmore;
    const md_xenver_prog *p = group_pick(g, more, &nmore);
    const md_xen_version *v = &p->ctrl;
    char *others = group_others(g, more, nmore), fix[96];
    if (g->kind == G_MISSING) {
        bool direct = !strcmp(p->missing_by, p->path);
        add(c, p->path, MD_LINT_ERROR, "install the library of the program's release, or take "
            "the program of the hypervisor's release",
            "needs %s%s%s%s%s which is not in the rootfs: the dynamic loader does not start %s "
            "(\"error while loading shared libraries: %s: cannot open shared object file\")",
            p->missing, direct ? "" : " (named by ", direct ? "" : p->missing_by,
            direct ? "" : ")", g->n > 1 ? others : ",", g->n > 1 ? "them" : "it", p->missing);
    } else if (g->kind == G_WRAPPER) {
        snprintf(fix, sizeof fix, "take it and its libraries from xen-utils-%u.%u", g->ma, g->mi);
        add(c, p->path, MD_LINT_ERROR, fix,
            "loads %s (libxenctrl of Xen %s, by its %s)%s but Debian's xen-utils-wrapper runs "
            "/usr/lib/xen-%u.%u/bin only under a Xen %u.%u hypervisor: " WHY_MISMATCH,
            v->path, v->version, v->source, g->n > 1 ? others : ",", g->ma, g->mi, g->ma, g->mi);
    } else {
        const md_xen_version *hv = &c->hv[g->h];
        add(c, p->path, MD_LINT_ERROR, TAKE_RELEASE(fix, hv),
            "loads %s (libxenctrl of Xen %s, by its %s)%s but the hypervisor %s%s%s%s "
            "is Xen %u.%u: " WHY_MISMATCH, v->path, v->version, v->source, others, hv->path,
            FROM(hv->origin), hv->major, hv->minor);
    }
    free(others);
}

/* Trap 2 by the programs (md_xenver_prog): the release that matters is the
 * libxenctrl each one loads (trial10h case 1).  *any: some program loads
 * or misses a libxenctrl.  Returns the release they use: the first
 * hypervisor's where one loads it, else the first program's; NULL none. */
static const md_xen_version *check_programs(const chk *c, bool *any)
{
    const md_xenver_survey *sv = c->sv;
    const md_xenver_prog *first = NULL, *other = NULL, *booting = NULL;
    unsigned unused[8][2];
    size_t nunused = 0, dir_missing = 0;
    pgroups groups = { 0 };
    *any = false;
    for (size_t i = 0; i < sv->nprogs; i++) {
        const md_xenver_prog *p = &sv->progs[i];
        /* only a missing libxenctrl is trap 2's to name: any other library
         * a program lacks is the build's "would not start" check's
         * (image/refs.h), made once Drop= and Copy= are applied */
        char slashed[160];
        snprintf(slashed, sizeof slashed, "/%s", p->missing);
        bool miss = p->missing[0] && md_xenver_is_libxenctrl(slashed);
        if (!miss && !p->ctrl.path[0])
            continue; /* links no libxenctrl (xen-9pfsd, xenstore-*) */
        *any = true;
        if (miss) {
            group_add(&groups, G_MISSING, 0, 0, 0, p);
            if (!p->ctrl.found)
                continue; /* else its release is wrong too, or it would be once it starts */
        }
        const md_xen_version *v = &p->ctrl;
        if (!v->found) {
            add(c, p->path, UNREADABLE(c), NULL,
                "cannot check: the release of the libxenctrl it loads (%s, from %s) cannot be "
                "read (%s)", v->path, v->origin, v->source);
            continue;
        }
        unsigned wa, wi;
        bool in_dir = c->wrapper && wrapper_release(p->path, &wa, &wi);
        if (in_dir && !same(v, wa, wi)) {
            group_add(&groups, G_WRAPPER, 0, wa, wi, p);
            continue;
        }
        if (in_dir && c->several) {
            bool listed = false;
            for (size_t k = 0; k < nunused; k++)
                listed |= unused[k][0] == wa && unused[k][1] == wi;
            if (c->nhv && !booted(c, wa, wi) && !listed && nunused < 8) {
                unused[nunused][0] = wa;
                unused[nunused++][1] = wi;
            }
        } else {
            for (size_t h = 0; h < c->nhv; h++)
                if (!same(v, c->hv[h].major, c->hv[h].minor))
                    group_add(&groups, G_HV, h, 0, 0, p);
        }
        if (!first)
            first = p;
        else if (!other && !same(v, first->ctrl.major, first->ctrl.minor))
            other = p;
        if (!booting && c->nhv && same(v, c->hv[0].major, c->hv[0].minor))
            booting = p;
    }
    for (size_t i = 0; i < groups.n; i++) {
        group_report(c, &groups.v[i]);
        free(groups.v[i].v);
    }
    free(groups.v);
    if (!*any)
        return NULL;
    for (size_t h = 0; h < c->nhv && c->wrapper; h++)
        if (!wrapper_dir_present(c, &c->hv[h]))
            dir_missing++;
    if (other && !c->nhv && !c->several)
        add(c, other->path, MD_LINT_ERROR, NULL,
            "loads libxenctrl of Xen %s (%s) but %s loads Xen %s's (%s): one image must carry "
            "the toolstack of one release, the hypervisor's", other->ctrl.version,
            other->ctrl.path, first->path, first->ctrl.version, first->ctrl.path);
    bool beside = other && c->several;
    if (first && !c->nhv)
        add(c, first->path, MD_LINT_NOTE, NULL,
            "the toolstack is Xen %s (this program loads %s)%s%s%s; give the hypervisor "
            "(--xen xen.gz) to check that it matches", first->ctrl.version, first->ctrl.path,
            beside ? ", and of Xen " : "", beside ? other->ctrl.version : "",
            beside ? " beside it, of which Debian's xen-utils-wrapper runs the running "
                     "hypervisor's" : "");
    for (size_t k = 0; k < nunused && !dir_missing; k++)
        note_unused(c, NULL, unused[k][0], unused[k][1]);
    return booting ? &booting->ctrl : first ? &first->ctrl : NULL;
}

/* Trap 2 by the libxenctrl files: where no program decides, each against
 * the hypervisors; in an image also beside `used`, the release the
 * programs load (NULL: none). */
static void check_files(const chk *c, const md_xen_version *used)
{
    const md_xenver_survey *sv = c->sv;
    const md_xen_version *ts = sv->ts;
    size_t n = sv->nts;
    char fix[96];
    for (size_t i = 0; i < sv->nbad_ts; i++)
        add(c, sv->bad_ts[i].path, UNREADABLE(c), NULL,
            "cannot check: the release of this libxenctrl cannot be read (%s)",
            sv->bad_ts[i].source);
    /* a file of another release (than the programs', else the first file's),
     * unless Debian's wrapper picks one */
    const md_xen_version *stray = md_xenver_stray(sv, used), *u = used ? used : ts;
    bool several = stray && c->several;
    if (stray && !several)
        add(c, stray->path, MD_LINT_ERROR, NULL,
            "toolstack of Xen %s here and of Xen %s in %s: one image must carry the toolstack "
            "of one release, the hypervisor's", stray->version, u->version, u->path);
    if (used)
        return;
    /* the files Debian's wrapper leaves unused (with the hypervisor's
     * release among them), noted as check_programs notes them */
    bool *unused = md_xcalloc(n ? n : 1, sizeof *unused), dir_missing = false;
    for (size_t h = 0; h < c->nhv; h++) {
        const md_xen_version *hv = &c->hv[h];
        if (several && !wrapper_dir_present(c, hv)) {
            dir_missing = true;
            continue;
        }
        bool match = false;
        for (size_t i = 0; several && i < n; i++)
            match |= same(&ts[i], hv->major, hv->minor);
        for (size_t i = 0; i < n; i++) {
            md_err e = MD_ERR_INIT;
            if (md_xenver_compare(hv, &ts[i], &e) == 0)
                continue;
            if (several && match)
                unused[i] = !booted(c, ts[i].major, ts[i].minor);
            else
                add(c, ts[i].path, MD_LINT_ERROR, TAKE_RELEASE(fix, hv), "%s", e.msg);
        }
    }
    for (size_t i = 0; i < n && !dir_missing; i++)
        if (unused[i])
            note_unused(c, ts[i].path, ts[i].major, ts[i].minor);
    free(unused);
    if (n && !c->nhv && several)
        add(c, ts[0].path, MD_LINT_NOTE, NULL,
            "the toolstacks of Xen %s and %s%s lie side by side, and Debian's xen-utils-wrapper "
            "runs the running hypervisor's; give the hypervisor (--xen xen.gz) to check that "
            "one of them matches", ts[0].version, ts[1].version, n > 2 ? " (and more)" : "");
    else if (n && !c->nhv)
        add(c, ts[0].path, MD_LINT_NOTE, NULL,
            "the toolstack is Xen %s; give the hypervisor (--xen xen.gz) to check that it "
            "matches", ts[0].version);
    else if (!n && sv->userland[0] && !sv->nbad_ts) {
        /* xl, xenstored and the rest are linked against libxenctrl
         * (DT_NEEDED libxenctrl.so.X.Y): without it ld.so refuses to start
         * them, so this is the toolstack failing, not only trap 2 unread */
        char *why = dangling_libxenctrl(c->t);
        add(c, sv->userland, MD_LINT_ERROR, NULL,
            "Xen userland, but no libxenctrl%s: xl and xenstored are linked against it and the "
            "dynamic loader does not start them (\"error while loading shared libraries: "
            "libxenctrl.so...: cannot open shared object file\"); cannot check the toolstack's "
            "release either (it is not guessed from path names)", why);
        free(why);
    } else if (!n && !sv->nbad_ts)
        add(c, NULL, MD_LINT_NOTE, NULL,
            "no libxenctrl in the rootfs: there is no Xen toolstack (xl) to check");
}

const md_xen_version *md_xenver_lint(md_lint *l, const char *label, const md_tree *t,
                                     const md_xenver_survey *sv, const md_xen_version *hv,
                                     size_t nhv, bool image)
{
    chk c = { l, label, t, sv, hv, nhv, image, md_tree_resolve_file(t, DEBIAN_WRAPPER) != NULL,
              false };
    c.several = c.wrapper && !image;
    bool any;
    const md_xen_version *used = check_programs(&c, &any);
    /* where programs decide, a libxenctrl none of them loads never runs:
     * lint leaves it be, an image carries no such file */
    if (!any || image)
        check_files(&c, used);
    return used ? used : sv->nts ? &sv->ts[0] : NULL;
}

int md_xenver_compare(const md_xen_version *hv, const md_xen_version *ts, md_err *err)
{
    if (!hv->found || !ts->found || same(ts, hv->major, hv->minor))
        return 0;
    return md_err_set(err, "the toolstack is Xen %u.%u but the hypervisor %s%s%s%s is Xen %u.%u: "
                           WHY_MISMATCH, ts->major, ts->minor, hv->path, FROM(hv->origin),
                      hv->major, hv->minor);
}

int md_xenver_check(const md_tree *t, md_xen_version *hv, md_xen_version *ts, md_err *err)
{
    memset(hv, 0, sizeof *hv);
    memset(ts, 0, sizeof *ts);
    md_xenver_survey s;
    md_xenver_survey_tree(t, &s);
    int rc = 0;
    if (s.nbad_hv)
        rc = md_err_set(err, "%s%s%s%s: %s", s.bad_hv[0].path, FROM(s.bad_hv[0].origin),
                        s.bad_hv[0].source);
    /* the first error of the one checker, its file named with its package
     * (label "/": findings name the paths themselves) */
    md_lint *l = md_lint_new();
    const md_xen_version *used = md_xenver_lint(l, "/", t, &s, s.hv, s.nhv, true);
    for (size_t i = 0; rc == 0 && i < md_lint_count(l); i++) {
        if (md_lint_severity(l, i) != MD_LINT_ERROR)
            continue;
        const md_node *n = md_tree_lookup(t, md_lint_file(l, i));
        const char *o = n ? md_node_origin(n) : NULL;
        rc = md_err_set(err, "%s%s%s%s: [trap2] %s", md_lint_file(l, i), FROM(o),
                        md_lint_message(l, i));
    }
    md_lint_free(l);
    if (s.nhv)
        *hv = s.hv[0];
    if (used)
        *ts = *used;
    md_xenver_survey_free(&s);
    return rc;
}
