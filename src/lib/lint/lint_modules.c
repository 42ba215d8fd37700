/* lint_modules — trap 5 in a root filesystem: the module files of each
 * /lib/modules/VERSION, its index (modules.dep, modules.dep.bin) and each
 * module's own depends= and vermagic agree, and the Xen modules are there.
 * The one trap-5 checker: `mkdom0 lint`, the build's self-lint and the
 * module tests all run it. */
#include <libkmod.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "image/kimage.h"
#include "image/kmodelf.h"
#include "image/modules.h"
#include "lint/lint_int.h"
#include "boot/xenefi.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/file.h"
#include "lint/xenver.h"

/* Per kind of finding, at most this many lines; then one summary. */
#define CAP 10

typedef struct kmod {
    char *rel;  /* "kernel/drivers/xen/xenfs.ko" */
    char *name; /* kmod's name: "xenfs" */
    const md_node *node;
    bool listed;  /* in modules.dep */
    md_strv deps; /* modules.dep's dependencies, as module names */
} kmod;

typedef struct kdir {
    md_lint *l;
    const char *label;
    const md_tree *t;
    const char *dir; /* "/usr/lib/modules/6.1.0-18-amd64" */
    const char *kver;
    kmod *m;
    size_t n;
    md_strv builtin;
    bool have_builtin;
    unsigned caps[9];
} kdir;

#define ADD(k, ...) md_lint_add_at((k)->l, (k)->label, __VA_ARGS__)

static kmod *find_rel(kdir *k, const char *rel)
{
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->m[i].rel, rel))
            return &k->m[i];
    return NULL;
}

static kmod *find_name(kdir *k, const char *name)
{
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->m[i].name, name))
            return &k->m[i];
    return NULL;
}

static bool builtin(const kdir *k, const char *name)
{
    return md_strv_contains(&k->builtin, name);
}

/* A capped finding of kind `kind`: true while under the cap. */
static bool cap(kdir *k, int kind) { return k->caps[kind]++ < CAP; }

static void cap_summary(kdir *k, int kind, const char *what)
{
    if (k->caps[kind] > CAP)
        ADD(k, k->dir, 0, MD_LINT_ERROR, 5, "... and %u more %s", k->caps[kind] - CAP, what);
}

/* "/lib/modules/6.1.0/kernel/a.ko" or "kernel/a.ko" -> relative to k->dir. */
static const char *rel_of(const kdir *k, const char *p)
{
    if (*p != '/')
        return p;
    const char *lm = strstr(p, k->kver);
    if (lm && lm[strlen(k->kver)] == '/')
        return lm + strlen(k->kver) + 1;
    return p;
}

static void read_modules_dep(kdir *k)
{
    char *dp = md_xasprintf("%s/modules.dep", k->dir);
    size_t len;
    char *text = md_tree_text(k->t, dp, &len);
    if (!text) {
        if (k->n)
            ADD(k, k->dir, 0, MD_LINT_ERROR, 5,
                "%zu module files but no modules.dep: modprobe cannot load any of them; "
                "generate the index for the files present (depmod -b ROOT %s)", k->n, k->kver);
        free(dp);
        return;
    }
    unsigned line = 0;
    for (char *p = text, *nl; p && *p; p = nl) {
        line++;
        nl = strchr(p, '\n');
        if (nl)
            *nl++ = '\0';
        char *colon = strchr(p, ':');
        if (!*p || *p == '#')
            continue;
        if (!colon) {
            if (cap(k, 0))
                ADD(k, dp, line, MD_LINT_ERROR, 5, "not a modules.dep line (MODULE: DEPS)");
            continue;
        }
        *colon = '\0';
        const char *rel = rel_of(k, p);
        kmod *m = find_rel(k, rel);
        if (!m) {
            char *nm = md_modules_name_of(rel, false);
            if (cap(k, 1))
                ADD(k, dp, line, MD_LINT_ERROR, 5,
                    "names %s, which is missing from the rootfs: 'modprobe %s' fails; the index "
                    "must match the files present: re-run depmod on the trimmed tree "
                    "(depmod -b ROOT %s)", rel, nm, k->kver);
            free(nm);
            continue;
        }
        m->listed = true;
        md_strv words = { 0 };
        md_strv_split(&words, colon + 1, false);
        for (size_t i = 0; i < words.n; i++) {
            const char *drel = rel_of(k, words.v[i]);
            char *nm = md_modules_name_of(drel, false);
            if (!find_rel(k, drel) && cap(k, 2))
                ADD(k, dp, line, MD_LINT_ERROR, 5,
                    "%s depends on %s, which is missing from the rootfs: 'modprobe %s' fails; add "
                    "%s (and what it needs) to the image", m->rel, drel, m->name, nm);
            md_strv_push_own(&m->deps, nm);
        }
        md_strv_free(&words);
    }
    free(text);
    for (size_t i = 0; i < k->n; i++)
        if (!k->m[i].listed && cap(k, 3))
            ADD(k, dp, 0, MD_LINT_ERROR, 5,
                "does not list %s, which is in the rootfs: modprobe cannot find '%s'; the "
                "index must match the files present: re-run depmod (depmod -b ROOT %s)",
                k->m[i].rel, k->m[i].name, k->kver);
    cap_summary(k, 1, "modules.dep entries without a module file");
    cap_summary(k, 2, "missing dependencies in modules.dep");
    cap_summary(k, 3, "module files missing from modules.dep");
    free(dp);
}

static void check_modinfo(kdir *k, bool have_dep)
{
    for (size_t i = 0; i < k->n; i++) {
        kmod *m = &k->m[i];
        size_t sz;
        const unsigned char *d = md_node_data(m->node, &sz);
        md_kmodinfo mi = { 0 };
        md_err e = MD_ERR_INIT;
        char *where = md_xasprintf("%s/%s", k->dir, m->rel);
        if (!d) /* a hardlink to a file outside the module tree (md_lint_keep) */
            md_err_set(&e, "%s: content not read (a link to a file of %zu bytes outside %s)",
                       m->rel, sz, k->dir);
        if (!d || md_kmodelf_read(m->rel, d, sz, &mi, &e) < 0) {
            if (cap(k, 4))
                ADD(k, where, 0, MD_LINT_ERROR, 5, "unreadable module: %s", e.msg);
            free(where);
            continue;
        }
        const char *vm = md_kmodinfo_get(&mi, "vermagic");
        if (vm && (strncmp(vm, k->kver, strlen(k->kver)) || (vm[strlen(k->kver)] != ' ' &&
                                                             vm[strlen(k->kver)] != '\0')) &&
            cap(k, 5))
            ADD(k, where, 0, MD_LINT_ERROR, 5,
                "built for kernel '%.*s', but lies under %s: the kernel refuses it (Invalid "
                "module format); take modules from the same kernel package",
                (int)strcspn(vm, " "), vm, k->kver);
        const char *deps = md_kmodinfo_get(&mi, "depends");
        md_strv dv = { 0 };
        if (deps)
            md_strv_split(&dv, deps, true);
        for (size_t j = 0; j < dv.n; j++) {
            char *nm = md_modules_name_of(dv.v[j], false);
            if (find_name(k, nm)) {
                if (have_dep && m->listed && !md_strv_contains(&m->deps, nm) && cap(k, 6))
                    ADD(k, where, 0, MD_LINT_ERROR, 5,
                        "needs %s (depends=), but modules.dep does not say so: modprobe "
                        "loads %s without it and it fails with 'Unknown symbol'; the index "
                        "is stale: re-run depmod", dv.v[j], m->name);
            } else if (!builtin(k, nm) && cap(k, 7)) {
                ADD(k, where, 0, MD_LINT_ERROR, 5,
                    "needs %s (depends=), which is missing: neither a module in the rootfs "
                    "nor built in%s: 'modprobe %s' fails; an allowlist must bring every dependency: "
                    "add %s", dv.v[j], k->have_builtin ? "" : " (no modules.builtin to tell)",
                    m->name, dv.v[j]);
            }
            free(nm);
        }
        md_strv_free(&dv);
        md_kmodinfo_free(&mi);
        free(where);
    }
    cap_summary(k, 4, "unreadable modules");
    cap_summary(k, 5, "modules for another kernel");
    cap_summary(k, 6, "dependencies missing from modules.dep");
    cap_summary(k, 7, "modules whose dependencies are missing");
}

static void kmod_quiet(void *data, int prio, const char *file, int line, const char *fn,
                       const char *fmt, va_list args)
{
}

/* kmod's own modprobe: a Debian or Alpine image carries it as kmod. */
static const char *kmod_tool(const md_tree *t)
{
    static const char *const tools[] = { "/bin/kmod", "/usr/bin/kmod", "/sbin/kmod",
                                         "/usr/sbin/kmod", NULL };
    for (int i = 0; tools[i]; i++)
        if (md_tree_resolve(t, tools[i]))
            return tools[i];
    return NULL;
}

/* kmod's modprobe reads modules.dep.bin only (libkmod's kmod_search_moddep
 * never falls back to the text; busybox's modprobe reads the text): without
 * it, or with one left over from before the modules were trimmed, modprobe
 * finds nothing or looks for files that are gone while modules.dep looks
 * right.  libkmod reads the index from a directory, so it gets a temporary one. */
static void check_dep_bin(kdir *k, bool have_dep)
{
    char *bp = md_xasprintf("%s/modules.dep.bin", k->dir);
    const md_node *bn = md_tree_resolve_file(k->t, bp);
    const char *kmod_bin = kmod_tool(k->t);
    if (!bn && have_dep && kmod_bin)
        ADD(k, bp, 0, MD_LINT_ERROR, 5,
            "missing: kmod's modprobe (%s) reads only this binary index, not modules.dep, "
            "so it finds no module; generate both for the files present (depmod -b ROOT %s)",
            kmod_bin, k->kver);
    if (!bn) {
        free(bp);
        return;
    }
    md_err err = MD_ERR_INIT;
    size_t sz;
    const unsigned char *d = md_node_data(bn, &sz);
    char *dir = d ? md_scratch_dir("lint", &err) : NULL, *f = NULL;
    if (!dir) {
        free(bp);
        return; /* no room to check; not the image's fault */
    }
    f = md_xasprintf("%s/modules.dep.bin", dir);
    static const char *const no_config[] = { NULL };
    struct kmod_ctx *ctx = NULL;
    if (md_write_atomic(f, d, sz, 0644, &err) == 0)
        ctx = kmod_new(dir, no_config);
    if (ctx) {
        kmod_set_log_fn(ctx, kmod_quiet, NULL);
        size_t dl = strlen(dir);
        for (size_t i = 0; i < k->n; i++) {
            kmod *m = &k->m[i];
            struct kmod_module *mod = NULL;
            const char *path = NULL;
            if (kmod_module_new_from_name(ctx, m->name, &mod) == 0)
                path = kmod_module_get_path(mod);
            bool same = path && !strncmp(path, dir, dl) && path[dl] == '/' &&
                        !strcmp(path + dl + 1, m->rel);
            if (!same && cap(k, 8))
                ADD(k, bp, 0, MD_LINT_ERROR, 5,
                    "the binary index (which modprobe reads before modules.dep) %s %s: it "
                    "is stale; regenerate both for the files present (depmod -b ROOT %s)",
                    path ? "names another file for" : "does not know", m->rel, k->kver);
            kmod_module_unref(mod);
        }
        kmod_unref(ctx);
    }
    md_remove_tree(dir, NULL);
    free(f);
    free(dir);
    cap_summary(k, 8, "modules the binary index does not know");
    free(bp);
}

static void check_xen_modules(kdir *k)
{
    static const char *const xen[] = { "xen-evtchn", "xen-gntdev", "xen-gntalloc",
                                       "xen-privcmd", "xenfs", NULL };
    for (int i = 0; xen[i]; i++) {
        char *nm = md_modules_name_of(xen[i], false);
        if (!find_name(k, nm) && !builtin(k, nm))
            ADD(k, k->dir, 0, MD_LINT_ERROR, 5,
                "%s is neither a module here nor built in%s: without it xenstored and xl "
                "cannot reach Xen; add %s.ko", xen[i],
                k->have_builtin ? " (modules.builtin)" : " (and there is no modules.builtin)",
                xen[i]);
        free(nm);
    }
}

static void lint_kdir(kdir *k)
{
    size_t dl = strlen(k->dir);
    for (md_node *n = md_tree_first(k->t); n; n = md_tree_next(k->t, n)) {
        const char *p = md_node_path(n);
        if (strncmp(p, k->dir, dl) || p[dl] != '/')
            continue;
        md_node_type ty = md_node_type_of(n);
        char *nm = ty == MD_NODE_FILE || ty == MD_NODE_HARDLINK ? md_modules_name_of(p, true) : NULL;
        if (!nm)
            continue;
        k->m = md_xrealloc(k->m, (k->n + 1) * sizeof *k->m);
        k->m[k->n++] = (kmod){ .rel = md_xstrdup(p + dl + 1), .name = nm, .node = n };
    }
    k->have_builtin = md_modules_read_builtin(k->t, k->dir, &k->builtin);
    char *dp = md_xasprintf("%s/modules.dep", k->dir);
    bool have_dep = md_tree_resolve_file(k->t, dp) != NULL;
    free(dp);
    read_modules_dep(k);
    check_dep_bin(k, have_dep);
    check_modinfo(k, have_dep);
    check_xen_modules(k);
    for (size_t i = 0; i < k->n; i++) {
        free(k->m[i].rel);
        free(k->m[i].name);
        md_strv_free(&k->m[i].deps);
    }
    free(k->m);
    md_strv_free(&k->builtin);
}

void md_lint_modules(md_lint *l, const char *label, const md_tree *t)
{
    md_strv dirs = { 0 };
    md_modules_kernel_dirs(t, &dirs);
    if (!dirs.n)
        md_lint_add_at(l, label, NULL, 0, MD_LINT_WARNING, 5,
                       "no /lib/modules/VERSION: the Xen drivers (xen-evtchn, xen-gntdev, "
                       "xen-gntalloc, xen-privcmd, xenfs) must then be built into the kernel");
    for (size_t i = 0; i < dirs.n; i++) {
        const char *b = strrchr(dirs.v[i], '/');
        kdir k = { .l = l, .label = label, .t = t, .dir = dirs.v[i], .kver = b + 1 };
        lint_kdir(&k);
    }
    md_strv_free(&dirs);
}

/* What the first bytes of `d` say to a person, when they are text: " (it is
 * text: 'stand-in kernel')"; "" otherwise.  Caller frees. */
static char *text_of(const unsigned char *d, size_t len)
{
    size_t n = 0;
    while (n < len && n < 40 && d[n] >= ' ' && d[n] < 0x7f)
        n++;
    bool text = n && (n == len || n == 40 || d[n] == '\n' || d[n] == '\r' || d[n] == '\t');
    return text ? md_xasprintf(" (it is text: '%.*s%s')", (int)n, (const char *)d,
                               n == 40 ? "..." : "")
                : md_xstrdup("");
}

/* Does Xen's loader on x86 (decompress() in xen/common/decompress.c, with
 * perform_gunzip() before it) or on Arm (kernel_decompress(): gzip only)
 * undo `codec` (libarchive's name)? */
static bool xen_decompresses(const char *codec, bool arm)
{
    static const char *const x86[] = { "gzip", "bzip2", "xz", "lzma", "lzop", "lz4", "zstd",
                                       NULL };
    if (!codec)
        return true;
    if (arm)
        return !strcmp(codec, "gzip");
    for (int i = 0; x86[i]; i++)
        if (!strcmp(codec, x86[i]))
            return true;
    return false;
}

/* Whether a bzImage (`k`) that is also an EFI program (Linux's EFI stub)
 * runs past its end as a PE image, its appended signature included: sets
 * k->damaged and returns true when it does. */
static bool whole_pe(const char *kname, const unsigned char *d, size_t len, md_kimage *k)
{
    md_err e = MD_ERR_INIT;
    if (k->kind != MD_KIMAGE_BZIMAGE || k->codec ||
        md_xenefi_check_whole(d, len, kname, true, &e) == 0)
        return false;
    size_t n = strlen(kname);
    k->damaged = md_xstrdup(!strncmp(e.msg, kname, n) && e.msg[n] == ':' ? e.msg + n + 2 : e.msg);
    return true;
}

void md_lint_kernel_modules(md_lint *l, const char *file, unsigned line, const char *kname,
                            const unsigned char *kernel, size_t len, bool arm, const char *label,
                            const md_tree *t)
{
    md_xen_version v;
    md_err e = MD_ERR_INIT;
    if (md_xenver_hypervisor_image(kernel, len, kname, &v, &e) == 0) {
        md_lint_add(l, file, line, MD_LINT_ERROR, 0,
                    "the dom0 kernel %s is a Xen hypervisor image (Xen %s, by its content), "
                    "not a Linux kernel: Xen cannot start it as dom0, and nothing boots; "
                    "load the dom0 kernel (vmlinuz) here", kname, v.version);
        return;
    }
    md_kimage k;
    md_kimage_read(kname, kernel, len, &k);
    const char *what = md_kimage_kind_name(k.kind);
    char *in = k.codec ? md_xasprintf(" inside %s data", k.codec) : md_xstrdup("");
    bool native = arm ? k.kind == MD_KIMAGE_ARM64 || k.kind == MD_KIMAGE_ARM32 ||
                            k.kind == MD_KIMAGE_UIMAGE
                      : (k.kind == MD_KIMAGE_BZIMAGE && !k.codec) || k.kind == MD_KIMAGE_ELF;
    if (k.kind == MD_KIMAGE_CPIO) {
        md_lint_add(l, file, line, MD_LINT_ERROR, 0,
                    "the dom0 kernel %s is a cpio archive%s (an initramfs or rootfs), not a "
                    "Linux kernel: Xen hands the first module to dom0 as its kernel and cannot "
                    "start this one; load vmlinuz first, then the initramfs or rootfs",
                    kname, in);
    } else if (k.kind == MD_KIMAGE_NONE) {
        char *txt = text_of(kernel, len);
        char *body = k.codec ? md_xasprintf("%s data, not a Linux kernel (%s)", k.codec, k.why)
                             : md_xasprintf("no Linux kernel%s", txt);
        md_lint_add(l, file, line, MD_LINT_ERROR, 0,
                    "the dom0 kernel %s is %s: Xen %s, so dom0 does not start and nothing "
                    "boots; load the dom0 kernel (vmlinuz) here", kname, body,
                    arm ? "on Arm starts an arm64 Image, an arm zImage or a uImage, plain or "
                          "gzip'd, and nothing else (kernel_probe() in xen/arch/arm/kernel.c)"
                        : "on x86 starts a bzImage or an ELF kernel (vmlinux), plain or "
                          "compressed, and nothing else ('Not a valid ELF image': "
                          "bzimage_parse() and elf_init() in its dom0 builder)");
        free(body);
        free(txt);
    } else if (!native) {
        md_lint_add(l, file, line, MD_LINT_ERROR, 0,
                    "the dom0 kernel %s is %s%s, which Xen %s cannot start as dom0 (%s): dom0 "
                    "does not start and nothing boots; load a dom0 kernel %s",
                    kname, what, in, arm ? "on Arm" : "on x86",
                    arm ? "kernel_probe() in xen/arch/arm/kernel.c takes an arm64 Image, an arm "
                          "zImage or a uImage, plain or gzip'd"
                        : "bzimage_parse() in xen/arch/x86/bzimage.c takes a bzImage as it is, "
                          "or an ELF kernel plain or compressed",
                    arm ? "built for Arm" : "built for x86 (vmlinuz)");
    } else if (!xen_decompresses(k.codec, arm)) {
        md_lint_add(l, file, line, MD_LINT_ERROR, 0,
                    "the dom0 kernel %s is %s%s, a compression Xen %s does not undo (%s), so "
                    "dom0 does not start and nothing boots; compress it with %s, or not at all",
                    kname, what, in, arm ? "on Arm" : "on x86",
                    arm ? "kernel_decompress() in xen/arch/arm/kernel.c: gzip only"
                        : "decompress() in xen/common/decompress.c",
                    arm ? "gzip" : "gzip, xz or zstd");
    } else if (k.kind == MD_KIMAGE_BZIMAGE && k.proto < 0x208) {
        md_lint_add(l, file, line, MD_LINT_ERROR, 0,
                    "the dom0 kernel %s is a bzImage of boot protocol %u.%02u: Xen needs 2.08 or "
                    "later and refuses it ('Cannot load bzImage v%u.%02u at least v2.08 is "
                    "required', bzimage_check() in xen/arch/x86/bzimage.c), so dom0 does not "
                    "start; boot a kernel of Linux 2.6.26 or later", kname, k.proto >> 8,
                    k.proto & 0xff, k.proto >> 8, k.proto & 0xff);
    } else if (k.damaged || whole_pe(kname, kernel, len, &k)) {
        /* a kernel cut short or overwritten (trial9x F3): GRUB loads it,
         * and Xen's dom0 builder fails on it ("Not a valid ELF image") or
         * starts what lies past its end; a cut signature alone fails only
         * where it is verified */
        bool sig = !strncmp(k.damaged, "its signature", 13);
        md_lint_add(l, file, line, MD_LINT_ERROR, 0,
                    "the dom0 kernel %s is %s%s, but damaged: %s; %s; copy the kernel again "
                    "(from its package)", kname, what, in, k.damaged,
                    sig ? "it is not the file its package shipped, and under Secure Boot (xen.efi "
                          "started by shim, which verifies the dom0 kernel) it is refused"
                        : "Xen cannot start it as dom0 and nothing boots");
    } else if (t && !k.release) {
        /* a kernel Xen starts, but which modules it wants is not known:
         * trap 5 across the two is not proven (issue 10: never a pass) */
        md_lint_add(l, file, line, MD_LINT_WARNING, 5,
                    "cannot check trap 5 for the dom0 kernel %s: it is %s%s with no kernel "
                    "release in it (%s), so whether the rootfs %s holds its modules "
                    "(/lib/modules/RELEASE, where modprobe looks) is not known; boot a kernel "
                    "that carries its release (every distribution's vmlinuz does)",
                    kname, what, in,
                    k.kind == MD_KIMAGE_BZIMAGE ? "no version string in its boot header, no "
                                                  "'Linux version' banner in its payload"
                    : k.kind == MD_KIMAGE_ARM32 || k.kind == MD_KIMAGE_UIMAGE
                        ? "it decompresses itself, so lint cannot read its 'Linux version' "
                          "banner"
                        : "no 'Linux version' banner",
                    label);
    } else if (t) {
        md_strv dirs = { 0 }, rels = { 0 };
        md_modules_kernel_dirs(t, &dirs);
        bool found = false;
        for (size_t i = 0; i < dirs.n; i++) {
            const char *b = strrchr(dirs.v[i], '/') + 1;
            found |= !strcmp(b, k.release);
            md_strv_push(&rels, b);
        }
        if (!found) {
            char *has = rels.n ? md_strv_join(&rels, ", ") : NULL;
            md_lint_add(l, file, line, MD_LINT_ERROR, 5,
                        "the dom0 kernel %s is release %s (%s), but the rootfs %s has no "
                        "/lib/modules/%s (%s%s): modprobe looks only there, so no module "
                        "loads (xen-evtchn, xen-gntdev, xen-privcmd, xenfs and every driver that "
                        "is a module), and xenstored and xl cannot reach Xen; put this kernel's "
                        "modules into the rootfs, or boot the kernel they were built for",
                        kname, k.release,
                        k.by_banner ? "its 'Linux version' banner" : "its bzImage header", label,
                        k.release, has ? "it holds modules for " : "it holds no modules at all",
                        has ? has : "");
            free(has);
        }
        md_strv_free(&rels);
        md_strv_free(&dirs);
    }
    free(in);
    md_kimage_free(&k);
}
