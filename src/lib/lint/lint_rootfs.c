/* lint_rootfs — traps 1, 2, 3 and 5 in a root filesystem held as an md_tree. */
#include <ctype.h>
#include <libkmod.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "image/kmodelf.h"
#include "lint/lint_int.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/file.h"

/* Per kind of finding, at most this many lines; then one summary. */
#define CAP 10

typedef struct rctx {
    md_lint *l;
    const char *label;
    const md_tree *t;
} rctx;

static void addf(rctx *r, const char *p, unsigned line, md_lint_sev sev, int trap,
                 const char *msg)
{
    char *w = p ? md_lint_where(r->label, p) : md_xstrdup(r->label);
    md_lint_add(r->l, w, line, sev, trap, "%s", msg);
    free(w);
}

#define ADD(r, p, line, sev, trap, ...) do { \
    char *m_ = md_xasprintf(__VA_ARGS__); \
    addf((r), (p), (line), (sev), (trap), m_); \
    free(m_); \
} while (0)

static const char *base_name(const char *p)
{
    const char *b = strrchr(p, '/');
    return b ? b + 1 : p;
}

static bool has_prefix(const char *s, const char *pre) { return !strncmp(s, pre, strlen(pre)); }

static bool exists(const md_tree *t, const char *p) { return md_tree_resolve(t, p) != NULL; }

/* ---- scripts: the text files that run at boot ---- */

typedef struct script {
    const char *path;
    char *text;
} script;

typedef struct scripts {
    script *v;
    size_t n;
} scripts;

static bool is_script_path(const md_tree *t, const md_node *n)
{
    const char *p = md_node_path(n);
    if (!strcmp(p, "/init") || !strcmp(p, "/sbin/init") || !strcmp(p, "/linuxrc"))
        return true;
    return has_prefix(p, "/etc/init.d/") || has_prefix(p, "/etc/rc") ||
           has_prefix(p, "/etc/local.d/") || !strcmp(p, "/etc/inittab") ||
           !strcmp(p, "/etc/fstab") || has_prefix(p, "/etc/conf.d/") ||
           has_prefix(p, "/etc/mkdom0/") ||
           /* sysvinit's helpers that /etc/init.d scripts source (Debian) */
           has_prefix(p, "/lib/init/") || has_prefix(p, "/usr/lib/init/");
}

static scripts collect_scripts(const md_tree *t)
{
    scripts s = { 0 };
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        if (md_node_type_of(n) != MD_NODE_FILE || !is_script_path(t, n))
            continue;
        size_t sz;
        const unsigned char *d = md_node_data(n, &sz);
        if (sz > (1u << 20) || memchr(d, 0, sz < 4096 ? sz : 4096))
            continue; /* binaries (a compiled /sbin/init) are not scripts */
        s.v = md_xrealloc(s.v, (s.n + 1) * sizeof *s.v);
        char *txt = md_xmalloc(sz + 1);
        memcpy(txt, d, sz);
        txt[sz] = '\0';
        s.v[s.n++] = (script){ md_node_path(n), txt };
    }
    return s;
}

static void scripts_free(scripts *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].text);
    free(s->v);
}

/* `word` as a whole word in a non-comment part of a line; returns the line. */
static unsigned find_word(const char *text, const char *word)
{
    size_t wn = strlen(word);
    unsigned line = 1;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *hash = memchr(p, '#', len);
        size_t code = hash ? (size_t)(hash - p) : len;
        for (const char *q = p; q + wn <= p + code; q++) {
            if (memcmp(q, word, wn))
                continue;
            bool l = q == p || !(isalnum((unsigned char)q[-1]) || q[-1] == '_');
            bool r = q + wn == p + code || !(isalnum((unsigned char)q[wn]) || q[wn] == '_');
            if (l && r)
                return line;
        }
        if (!nl)
            break;
        p = nl + 1;
        line++;
    }
    return 0;
}

/* Is an /etc/init.d/NAME service ever started?  OpenRC: a runlevel link;
 * sysvinit: an rc?.d link; busybox rcS: an S??name script; or another boot
 * script naming it. */
static bool service_enabled(const md_tree *t, const scripts *s, const char *path)
{
    if (!has_prefix(path, "/etc/init.d/"))
        return true;
    const char *name = base_name(path);
    if (name[0] == 'S' && isdigit((unsigned char)name[1]) && isdigit((unsigned char)name[2]))
        return true;
    if (!strcmp(name, "rcS") || !strcmp(name, "rc.local"))
        return true;
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        const char *p = md_node_path(n);
        if (!(has_prefix(p, "/etc/runlevels/") || has_prefix(p, "/etc/rc")))
            continue;
        const char *b = base_name(p);
        if (md_node_type_of(n) == MD_NODE_SYMLINK && !strcmp(base_name(md_node_link_target(n)), name))
            return true;
        if (!strcmp(b, name) || (b[0] == 'S' && strlen(b) > 3 && !strcmp(b + 3, name)))
            return true;
    }
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].path, path) && find_word(s->v[i].text, name))
            return true;
    return false;
}

/* ---- trap 1: who runs a login on hvc0 ---- */

static void check_console(rctx *r)
{
    const md_tree *t = r->t;
    size_t len;
    char *st = md_lint_tree_text(t, "/etc/securetty", &len);
    if (st) {
        if (!find_word(st, "hvc0"))
            ADD(r, "/etc/securetty", 0, MD_LINT_WARNING, 1,
                "hvc0 is not listed: login refuses root on the dom0 console; add a line 'hvc0'");
        free(st);
    }
    char *it = md_lint_tree_text(t, "/etc/inittab", &len);
    if (it) {
        char *w = md_lint_where(r->label, "/etc/inittab");
        md_lint_inittab(r->l, w, it, len, t);
        free(w);
        free(it);
        return;
    }
    if (exists(t, "/lib/systemd/systemd") || exists(t, "/usr/lib/systemd/systemd")) {
        ADD(r, NULL, 0, MD_LINT_NOTE, 1,
            "no /etc/inittab: systemd's getty generator starts serial-getty@hvc0 when "
            "/dev/hvc0 exists; keep console=hvc0 on the dom0 kernel line");
        return;
    }
    if (exists(t, "/sbin/openrc-init")) {
        bool found = false;
        for (md_node *n = md_tree_first(t); n && !found; n = md_tree_next(t, n))
            found = has_prefix(md_node_path(n), "/etc/runlevels/") &&
                    strstr(base_name(md_node_path(n)), "getty.hvc0");
        if (!found)
            ADD(r, NULL, 0, MD_LINT_ERROR, 1,
                "no /etc/inittab and no agetty.hvc0 service in an OpenRC runlevel: nothing "
                "prompts on hvc0 and the box looks frozen; ln -s agetty "
                "/etc/init.d/agetty.hvc0 and add it to the default runlevel");
        return;
    }
    char *init = md_lint_tree_text(t, "/init", &len);
    if (init && !strncmp(init, "#!", 2)) {
        if (!find_word(init, "hvc0"))
            ADD(r, "/init", 0, MD_LINT_WARNING, 1,
                "no /etc/inittab and /init never mentions hvc0: make sure a getty or shell "
                "runs on hvc0 (e.g. setsid getty -L 115200 hvc0), or the box looks frozen");
        free(init);
        return;
    }
    free(init);
    if (exists(t, "/sbin/init") || exists(t, "/init"))
        ADD(r, NULL, 0, MD_LINT_WARNING, 1,
            "no /etc/inittab: busybox init then starts shells only on /dev/console and "
            "tty2-tty4; add /etc/inittab with 'hvc0::respawn:/sbin/getty -L 115200 hvc0 vt100'");
    else
        ADD(r, NULL, 0, MD_LINT_ERROR, 0,
            "neither /init nor /sbin/init exists: the kernel has no program to start "
            "(\"No working init found\")");
}

/* ---- trap 3: who creates the /dev/xen nodes ---- */

static void check_static_nodes(rctx *r)
{
    const md_tree *t = r->t;
    bool any = false;
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        const char *p = md_node_path(n);
        if (!has_prefix(p, "/dev/xen/"))
            continue;
        unsigned maj = 0, min = 0;
        md_node_type ty = md_node_type_of(n);
        if (ty != MD_NODE_CHAR) {
            ADD(r, p, 0, MD_LINT_ERROR, 3,
                "not a character device: Xen devices are misc character devices (major 10); "
                "remove it and let devtmpfs or xen-dom0-setup create the node");
            continue;
        }
        any = true;
        md_node_rdev(n, &maj, &min);
        unsigned mode = md_node_attr(n)->mode & 07777;
        if (maj != 10)
            ADD(r, p, 0, MD_LINT_ERROR, 3,
                "device %u:%u: every Xen device is a misc device (major 10, minor from "
                "/proc/misc 'xen/%s'); a wrong node makes xenstored fail to open it",
                maj, min, base_name(p));
        if (mode & 0066)
            ADD(r, p, 0, MD_LINT_ERROR, 3,
                "mode %04o: users other than root can open it, and whoever can open a "
                "Xen device controls the host; use mode 0600", mode);
        else if (mode != 0600)
            ADD(r, p, 0, MD_LINT_WARNING, 3, "mode %04o; Xen device nodes should be 0600", mode);
    }
    if (any)
        ADD(r, "/dev/xen", 0, MD_LINT_WARNING, 3,
            "device nodes shipped in the image: misc minors are dynamic, so the right ones "
            "are only known at boot from /proc/misc; create them at boot (devtmpfs or "
            "xen-dom0-setup) instead of shipping them");
    const md_node *h = md_tree_lookup(t, "/dev/hvc0");
    if (h) {
        unsigned maj = 0, min = 0;
        md_node_rdev(h, &maj, &min);
        if (md_node_type_of(h) != MD_NODE_CHAR || maj != 229 || min != 0)
            ADD(r, "/dev/hvc0", 0, MD_LINT_ERROR, 1,
                "hvc0 must be the character device 229:0 (the Xen console)");
    }
}

static void check_devices(rctx *r, const scripts *s)
{
    const md_tree *t = r->t;
    check_static_nodes(r);
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n))
        if (!strcmp(base_name(md_node_path(n)), "xen-dom0-setup"))
            return; /* mkdom0's helper makes the nodes from /proc/misc */
    if (exists(t, "/lib/systemd/systemd") || exists(t, "/usr/lib/systemd/systemd"))
        return; /* systemd mounts devtmpfs itself */
    static const char *const udevd[] = { "/lib/systemd/systemd-udevd", "/usr/lib/systemd/systemd-udevd",
                                         "/sbin/udevd", "/usr/sbin/udevd", "/bin/udevadm",
                                         "/usr/bin/udevadm", NULL };
    for (int i = 0; udevd[i]; i++)
        if (exists(t, udevd[i]))
            return;
    const char *disabled = NULL;
    for (size_t i = 0; i < s->n; i++) {
        const script *sc = &s->v[i];
        bool hit = find_word(sc->text, "devtmpfs") ||
                   (find_word(sc->text, "mdev") &&
                    (strstr(sc->text, "busybox mdev") || exists(t, "/sbin/mdev") ||
                     exists(t, "/bin/mdev") || exists(t, "/usr/sbin/mdev")));
        if (!hit)
            continue;
        if (service_enabled(t, s, sc->path))
            return;
        disabled = sc->path;
    }
    if (disabled)
        ADD(r, disabled, 0, MD_LINT_ERROR, 3,
            "would mount devtmpfs (or run mdev), but no runlevel or boot script starts "
            "this service, so nothing creates /dev/xen/* and xenstored fails to open "
            "/dev/xen/evtchn; enable it in the sysinit runlevel");
    else
        ADD(r, NULL, 0, MD_LINT_ERROR, 3,
            "nothing creates /dev/xen/*: no devtmpfs mount in an init script or /etc/fstab, "
            "no mdev or udev, no xen-dom0-setup; xenstored then fails to open "
            "/dev/xen/evtchn and privcmd; mount -t devtmpfs devtmpfs /dev early in boot");
}

/* ---- trap 5: module files, modules.dep and depends= agree ---- */

typedef struct kmod {
    char *rel;   /* "kernel/drivers/xen/xenfs.ko" */
    char name[128];
    const md_node *node;
    bool listed;  /* in modules.dep */
    md_strv deps; /* modules.dep's dependencies, as module names */
} kmod;

typedef struct kdir {
    const char *dir; /* "/usr/lib/modules/6.1.0-18-amd64" */
    const char *kver;
    kmod *m;
    size_t n;
    md_strv builtin;
    bool have_builtin;
    unsigned caps[9];
} kdir;

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

/* A capped finding of kind `kind`: true while under the cap. */
static bool cap(kdir *k, int kind) { return k->caps[kind]++ < CAP; }

static void cap_summary(rctx *r, kdir *k, int kind, const char *what)
{
    if (k->caps[kind] > CAP)
        ADD(r, k->dir, 0, MD_LINT_ERROR, 5, "... and %u more %s", k->caps[kind] - CAP, what);
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

static void read_modules_dep(rctx *r, kdir *k)
{
    char *dp = md_xasprintf("%s/modules.dep", k->dir);
    size_t len;
    char *text = md_lint_tree_text(r->t, dp, &len);
    if (!text) {
        if (k->n)
            ADD(r, k->dir, 0, MD_LINT_ERROR, 5,
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
                ADD(r, dp, line, MD_LINT_ERROR, 5, "not a modules.dep line (MODULE: DEPS)");
            continue;
        }
        *colon = '\0';
        const char *rel = rel_of(k, p);
        kmod *m = find_rel(k, rel);
        if (!m) {
            char nm[128];
            md_lint_modname(rel, nm, sizeof nm, false);
            if (cap(k, 1))
                ADD(r, dp, line, MD_LINT_ERROR, 5,
                    "names %s, which is missing from the rootfs: 'modprobe %s' fails; the index "
                    "must match the files present: re-run depmod on the trimmed tree "
                    "(depmod -b ROOT %s)", rel, nm, k->kver);
            continue;
        }
        m->listed = true;
        md_strv words = { 0 };
        md_strv_split(&words, colon + 1, false);
        for (size_t i = 0; i < words.n; i++) {
            const char *drel = rel_of(k, words.v[i]);
            char nm[128];
            md_lint_modname(drel, nm, sizeof nm, false);
            md_strv_push(&m->deps, nm);
            if (!find_rel(k, drel) && cap(k, 2))
                ADD(r, dp, line, MD_LINT_ERROR, 5,
                    "%s depends on %s, which is missing from the rootfs: 'modprobe %s' fails; add "
                    "%s (and what it needs) to the image", m->rel, drel, m->name, nm);
        }
        md_strv_free(&words);
    }
    free(text);
    for (size_t i = 0; i < k->n; i++)
        if (!k->m[i].listed && cap(k, 3))
            ADD(r, dp, 0, MD_LINT_ERROR, 5,
                "does not list %s, which is in the rootfs: modprobe cannot find '%s'; the "
                "index must match the files present: re-run depmod (depmod -b ROOT %s)",
                k->m[i].rel, k->m[i].name, k->kver);
    cap_summary(r, k, 1, "modules.dep entries without a module file");
    cap_summary(r, k, 2, "missing dependencies in modules.dep");
    cap_summary(r, k, 3, "module files missing from modules.dep");
    free(dp);
}

static bool builtin(const kdir *k, const char *name)
{
    return md_strv_contains(&k->builtin, name);
}

static void check_modinfo(rctx *r, kdir *k, bool have_dep)
{
    for (size_t i = 0; i < k->n; i++) {
        kmod *m = &k->m[i];
        size_t sz;
        const unsigned char *d = md_node_data(m->node, &sz);
        md_kmodinfo mi = { 0 };
        md_err e = MD_ERR_INIT;
        char *where = md_xasprintf("%s/%s", k->dir, m->rel);
        if (md_kmodelf_read(m->rel, d, sz, &mi, &e) < 0) {
            if (cap(k, 4))
                ADD(r, where, 0, MD_LINT_ERROR, 5, "unreadable module: %s", e.msg);
            free(where);
            continue;
        }
        const char *vm = md_kmodinfo_get(&mi, "vermagic");
        if (vm && (strncmp(vm, k->kver, strlen(k->kver)) || (vm[strlen(k->kver)] != ' ' &&
                                                             vm[strlen(k->kver)] != '\0')) &&
            cap(k, 5))
            ADD(r, where, 0, MD_LINT_ERROR, 5,
                "built for kernel '%.*s', but lies under %s: the kernel refuses it (Invalid "
                "module format); take modules from the same kernel package",
                (int)strcspn(vm, " "), vm, k->kver);
        const char *deps = md_kmodinfo_get(&mi, "depends");
        md_strv dv = { 0 };
        if (deps)
            md_strv_split(&dv, deps, true);
        for (size_t j = 0; j < dv.n; j++) {
            char nm[128];
            md_lint_modname(dv.v[j], nm, sizeof nm, false);
            if (find_name(k, nm)) {
                if (have_dep && m->listed && !md_strv_contains(&m->deps, nm) && cap(k, 6))
                    ADD(r, where, 0, MD_LINT_ERROR, 5,
                        "needs %s (depends=), but modules.dep does not say so: modprobe "
                        "loads %s without it and it fails with 'Unknown symbol'; the index "
                        "is stale: re-run depmod", dv.v[j], m->name);
            } else if (!builtin(k, nm) && cap(k, 7)) {
                ADD(r, where, 0, MD_LINT_ERROR, 5,
                    "needs %s (depends=), which is missing: neither a module in the rootfs "
                    "nor built in%s: 'modprobe %s' fails; an allowlist must bring every dependency: "
                    "add %s", dv.v[j], k->have_builtin ? "" : " (no modules.builtin to tell)",
                    m->name, dv.v[j]);
            }
        }
        md_strv_free(&dv);
        md_kmodinfo_free(&mi);
        free(where);
    }
    cap_summary(r, k, 4, "unreadable modules");
    cap_summary(r, k, 5, "modules for another kernel");
    cap_summary(r, k, 6, "dependencies missing from modules.dep");
    cap_summary(r, k, 7, "modules whose dependencies are missing");
}

static void kmod_quiet(void *data, int prio, const char *file, int line, const char *fn,
                       const char *fmt, va_list args)
{
}

/* kmod's modprobe reads modules.dep.bin first and the text only without it:
 * a binary index left over from before the modules were trimmed makes
 * modprobe look for files that are gone, while modules.dep looks right.
 * libkmod reads the index from a directory, so it gets a temporary one. */
static void check_dep_bin(rctx *r, kdir *k)
{
    char *bp = md_xasprintf("%s/modules.dep.bin", k->dir);
    const md_node *bn = md_lint_resolve_file(r->t, bp);
    if (!bn) {
        free(bp);
        return;
    }
    const char *td = getenv("TMPDIR");
    char *dir = md_xasprintf("%s/mkdom0-lint.XXXXXX", td && *td ? td : "/tmp");
    char *f = NULL;
    md_err err = MD_ERR_INIT;
    size_t sz;
    const unsigned char *d = md_node_data(bn, &sz);
    if (!mkdtemp(dir)) {
        free(bp);
        free(dir);
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
                ADD(r, bp, 0, MD_LINT_ERROR, 5,
                    "the binary index (which modprobe reads before modules.dep) %s %s: it "
                    "is stale; regenerate both for the files present (depmod -b ROOT %s)",
                    path ? "names another file for" : "does not know", m->rel, k->kver);
            kmod_module_unref(mod);
        }
        kmod_unref(ctx);
    }
    unlink(f);
    rmdir(dir);
    free(f);
    free(dir);
    cap_summary(r, k, 8, "modules the binary index does not know");
    free(bp);
}

static void check_xen_modules(rctx *r, kdir *k)
{
    static const char *const xen[] = { "xen-evtchn", "xen-gntdev", "xen-gntalloc",
                                       "xen-privcmd", "xenfs", NULL };
    for (int i = 0; xen[i]; i++) {
        char nm[64];
        md_lint_modname(xen[i], nm, sizeof nm, false);
        if (find_name(k, nm) || builtin(k, nm))
            continue;
        ADD(r, k->dir, 0, MD_LINT_ERROR, 5,
            "%s is neither a module here nor built in%s: without it xenstored and xl "
            "cannot reach Xen; add %s.ko", xen[i],
            k->have_builtin ? " (modules.builtin)" : " (and there is no modules.builtin)",
            xen[i]);
    }
}

static void lint_kdir(rctx *r, const char *dir)
{
    kdir k = { .dir = dir, .kver = base_name(dir) };
    size_t dl = strlen(dir);
    for (md_node *n = md_tree_first(r->t); n; n = md_tree_next(r->t, n)) {
        const char *p = md_node_path(n);
        if (strncmp(p, dir, dl) || p[dl] != '/')
            continue;
        md_node_type ty = md_node_type_of(n);
        char nm[128];
        if ((ty != MD_NODE_FILE && ty != MD_NODE_HARDLINK) ||
            !md_lint_modname(p, nm, sizeof nm, true))
            continue;
        k.m = md_xrealloc(k.m, (k.n + 1) * sizeof *k.m);
        kmod *m = &k.m[k.n++];
        memset(m, 0, sizeof *m);
        m->rel = md_xstrdup(p + dl + 1);
        memcpy(m->name, nm, sizeof m->name);
        m->node = n;
    }
    char *bp = md_xasprintf("%s/modules.builtin", dir);
    char *bt = md_lint_tree_text(r->t, bp, NULL);
    if (bt) {
        k.have_builtin = true;
        md_strv lines = { 0 };
        md_strv_split(&lines, bt, false);
        for (size_t i = 0; i < lines.n; i++) {
            char nm[128];
            md_lint_modname(lines.v[i], nm, sizeof nm, false);
            md_strv_push(&k.builtin, nm);
        }
        md_strv_free(&lines);
        free(bt);
    }
    free(bp);
    char *dp = md_xasprintf("%s/modules.dep", dir);
    bool have_dep = md_lint_resolve_file(r->t, dp) != NULL;
    free(dp);
    read_modules_dep(r, &k);
    check_dep_bin(r, &k);
    check_modinfo(r, &k, have_dep);
    check_xen_modules(r, &k);
    for (size_t i = 0; i < k.n; i++) {
        free(k.m[i].rel);
        md_strv_free(&k.m[i].deps);
    }
    free(k.m);
    md_strv_free(&k.builtin);
}

static void check_modules(rctx *r)
{
    md_strv dirs = { 0 };
    static const char *const roots[] = { "/lib/modules", "/usr/lib/modules", NULL };
    for (int i = 0; roots[i]; i++) {
        const md_node *root = md_tree_resolve(r->t, roots[i]);
        if (!root || md_node_type_of(root) != MD_NODE_DIR)
            continue;
        const char *rp = md_node_path(root);
        size_t rl = strlen(rp);
        for (md_node *n = md_tree_first(r->t); n; n = md_tree_next(r->t, n)) {
            const char *p = md_node_path(n);
            if (md_node_type_of(n) == MD_NODE_DIR && !strncmp(p, rp, rl) && p[rl] == '/' &&
                !strchr(p + rl + 1, '/') && !md_strv_contains(&dirs, p))
                md_strv_push(&dirs, p);
        }
    }
    if (!dirs.n)
        ADD(r, NULL, 0, MD_LINT_WARNING, 5,
            "no /lib/modules/VERSION: the Xen drivers (xen-evtchn, xen-gntdev, xen-gntalloc, "
            "xen-privcmd, xenfs) must then be built into the kernel");
    for (size_t i = 0; i < dirs.n; i++)
        lint_kdir(r, dirs.v[i]);
    md_strv_free(&dirs);
}

/* ---- trap 2: the toolstack's release ---- */

/* "libxenctrl.so.4.17.0" -> "4.17"; "xen-4.17" (Debian's /usr/lib/xen-4.17). */
static bool xen_release(const char *name, const char *prefix, char *out, size_t outsz)
{
    if (!has_prefix(name, prefix))
        return false;
    const char *v = name + strlen(prefix);
    size_t a = strspn(v, "0123456789");
    if (!a || v[a] != '.')
        return false;
    size_t b = strspn(v + a + 1, "0123456789");
    if (!b || a + 1 + b + 1 > outsz)
        return false;
    memcpy(out, v, a + 1 + b);
    out[a + 1 + b] = '\0';
    return true;
}

static void check_toolstack(rctx *r, const char *xen_version, const char *xen_label)
{
    md_strv vers = { 0 }, where = { 0 };
    for (md_node *n = md_tree_first(r->t); n; n = md_tree_next(r->t, n)) {
        char v[32];
        const char *p = md_node_path(n), *b = base_name(p);
        md_node_type ty = md_node_type_of(n);
        char *sov = NULL;
        if (ty == MD_NODE_FILE && has_prefix(b, "libxenctrl.so.")) {
            size_t sz;
            const unsigned char *d = md_node_data(n, &sz);
            sov = md_lint_xenctrl_version(d, sz, p); /* DT_SONAME, the loader's view */
        }
        bool hit = false;
        if (sov) {
            snprintf(v, sizeof v, "%s", sov);
            hit = true;
        } else if (ty != MD_NODE_DIR) {
            hit = xen_release(b, "libxenctrl.so.", v, sizeof v);
        } else {
            hit = xen_release(b, "xen-", v, sizeof v) && has_prefix(p, "/usr/lib/xen-");
        }
        free(sov);
        if (hit && !md_strv_contains(&vers, v)) {
            md_strv_push(&vers, v);
            md_strv_push(&where, p);
        }
    }
    if (vers.n > 1)
        ADD(r, where.v[1], 0, MD_LINT_ERROR, 2,
            "toolstack of Xen %s here and of Xen %s in %s: one image must carry the "
            "toolstack of one release, the hypervisor's", vers.v[1], vers.v[0], where.v[0]);
    if (vers.n && xen_version) {
        for (size_t i = 0; i < vers.n; i++)
            if (strcmp(vers.v[i], xen_version))
                ADD(r, where.v[i], 0, MD_LINT_ERROR, 2,
                    "the toolstack is Xen %s but the hypervisor %s is Xen %s: libxenctrl's "
                    "domctl/sysctl interfaces change with every release, and xenstored fails "
                    "at start (\"Failed to open connection to gnttab\"); take the toolstack "
                    "of the hypervisor's release (xen-utils-%s)",
                    vers.v[i], xen_label ? xen_label : "", xen_version, xen_version);
    } else if (vers.n) {
        ADD(r, where.v[0], 0, MD_LINT_NOTE, 2,
            "the toolstack is Xen %s; give the hypervisor (--xen xen.gz) to check that it "
            "matches", vers.v[0]);
    } else {
        ADD(r, NULL, 0, MD_LINT_NOTE, 2,
            "no libxenctrl in the rootfs: there is no Xen toolstack (xl) to check");
    }
    md_strv_free(&vers);
    md_strv_free(&where);
}

void md_lint_rootfs(md_lint *l, const char *label, const md_tree *t,
                    const char *xen_version, const char *xen_label)
{
    rctx r = { l, label, t };
    scripts s = collect_scripts(t);
    check_console(&r);
    check_devices(&r, &s);
    check_modules(&r);
    check_toolstack(&r, xen_version, xen_label);
    scripts_free(&s);
}
