/* lint_rootfs — traps 1, 2 and 3 in a root filesystem held as an md_tree
 * (trap 5 is lint_modules.c). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lint/lint_int.h"
#include "lint/xenver.h"
#include "core/elf.h"
#include "core/mem.h"
#include "core/strv.h"
#include "image/unpack.h"

typedef struct rctx {
    md_lint *l;
    const char *label;
    const md_tree *t;
} rctx;

#define ADD(r, ...) md_lint_add_at((r)->l, (r)->label, __VA_ARGS__)

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
        md_node_type ty = md_node_type_of(n);
        if ((ty != MD_NODE_FILE && ty != MD_NODE_HARDLINK) || !is_script_path(t, n))
            continue;
        size_t sz;
        const unsigned char *d = md_node_data(n, &sz);
        if (!d || sz > (1u << 20) || memchr(d, 0, sz < 4096 ? sz : 4096))
            continue; /* binaries (a compiled /sbin/init) are not scripts */
        s.v = md_xrealloc(s.v, (s.n + 1) * sizeof *s.v);
        s.v[s.n++] = (script){ md_node_path(n), md_xstrndup((const char *)d, sz) };
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

/* ---- trap 1: who runs a login on hvc0 ---- */

/* The files init and the kernel read or run: anything but a regular file
 * there (a FIFO blocks init's read, a device is no program) is an error
 * of its own, which "missing" would misname. */
static bool check_regular(rctx *r)
{
    static const struct {
        const char *path, *why;
    } must[] = {
        { "/init", "the kernel runs it as the first program of an initramfs" },
        { "/sbin/init", "the kernel runs it as init" },
        { "/etc/inittab", "init reads it for what to start, and a FIFO would block it" },
        { "/etc/securetty", "login reads it for the terminals root may log in on" },
    };
    bool bad = false;
    for (size_t i = 0; i < sizeof must / sizeof *must; i++) {
        const char *what = md_lint_non_file(r->t, must[i].path);
        const md_node *n = md_tree_lookup(r->t, must[i].path);
        if (!what)
            continue;
        bad = true;
        if (n && md_node_type_of(n) == MD_NODE_SYMLINK)
            ADD(r, must[i].path, 0, MD_LINT_ERROR, 1,
                "a symlink to %s (%s), not to a regular file: %s", md_node_link_target(n), what,
                must[i].why);
        else
            ADD(r, must[i].path, 0, MD_LINT_ERROR, 1, "%s, not a regular file: %s", what,
                must[i].why);
    }
    return !bad;
}

/* /init and /sbin/init, when present, must be programs the kernel can run:
 * a symlink that leads to no file (dangling, or a loop) or a file with no
 * execute bit fails run_init_process (init/main.c), and with nothing else
 * to run the kernel panics "No working init found" (trial 9: lint passed
 * both).  Returns false when one of them cannot run. */
static bool check_init_runs(rctx *r)
{
    static const char *const inits[] = { "/init", "/sbin/init" };
    bool ok = true;
    for (size_t i = 0; i < sizeof inits / sizeof *inits; i++) {
        const md_node *n = md_tree_lookup(r->t, inits[i]);
        if (!n || md_lint_non_file(r->t, inits[i]))
            continue; /* absent, or named by check_regular */
        const md_node *f = md_tree_resolve_file(r->t, inits[i]);
        if (!f && md_node_type_of(n) == MD_NODE_SYMLINK) {
            ok = false;
            ADD(r, inits[i], 0, MD_LINT_ERROR, 0,
                "a symlink to %s, which leads to no file (dangling or a loop): the kernel "
                "cannot run it and panics (\"No working init found\")", md_node_link_target(n));
        } else if (f && !(md_node_attr(f)->mode & 0111)) {
            ok = false;
            ADD(r, inits[i], 0, MD_LINT_ERROR, 0,
                "mode %04o, not executable: the kernel cannot run it and panics (\"No working "
                "init found\"); chmod 0755 it", md_node_attr(f)->mode & 07777);
        }
    }
    return ok;
}

static void check_console(rctx *r)
{
    const md_tree *t = r->t;
    size_t len;
    if (!check_regular(r))
        return; /* what follows would read the same paths as missing */
    if (!check_init_runs(r))
        return;
    char *st = md_tree_text(t, "/etc/securetty", &len);
    if (st) {
        if (!find_word(st, "hvc0"))
            ADD(r, "/etc/securetty", 0, MD_LINT_WARNING, 1,
                "hvc0 is not listed: login refuses root on the dom0 console; add a line 'hvc0'");
        free(st);
    }
    char *it = md_tree_text(t, "/etc/inittab", &len);
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
                    strstr(basename(md_node_path(n)), "getty.hvc0");
        if (!found)
            ADD(r, NULL, 0, MD_LINT_ERROR, 1,
                "no /etc/inittab and no agetty.hvc0 service in an OpenRC runlevel: nothing "
                "prompts on hvc0 and the box looks frozen; ln -s agetty "
                "/etc/init.d/agetty.hvc0 and add it to the default runlevel");
        return;
    }
    char *init = md_tree_text(t, "/init", &len);
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
                maj, min, basename(p));
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
    /* Linux's console_on_rootfs (init/main.c) opens /dev/console in the
     * initramfs before init runs, for init's stdin, stdout and stderr:
     * anything but the character device 5:1 there (trial 9f case 7: a
     * Copy= made it a regular file) gives init no console at all, and
     * nothing says so but "Warning: unable to open an initial console".
     * Its absence is not reported: initramfs-tools' images have none and
     * their /init mounts devtmpfs and redirects to it first thing. */
    const md_node *c = md_tree_lookup(t, "/dev/console");
    unsigned cmaj = 0, cmin = 0;
    if (c)
        md_node_rdev(c, &cmaj, &cmin);
    if (c && (md_node_type_of(c) != MD_NODE_CHAR || cmaj != 5 || cmin != 1))
        ADD(r, "/dev/console", 0, MD_LINT_ERROR, 1,
            "%s, not the character device 5:1: the kernel cannot open it for init's stdin, "
            "stdout and stderr (\"unable to open an initial console\"), so init runs with no "
            "console; make it the character device 5:1, mode 0600",
            md_node_type_of(c) == MD_NODE_CHAR ? "a character device of another number"
            : md_node_type_of(c) == MD_NODE_FILE ? "a regular file"
            : md_node_type_of(c) == MD_NODE_HARDLINK ? "a regular file (a hard link)"
            : md_node_type_of(c) == MD_NODE_DIR ? "a directory"
            : md_node_type_of(c) == MD_NODE_SYMLINK ? "a symlink" : "another kind of node");
    const md_node *h = md_tree_lookup(t, "/dev/hvc0");
    if (h) {
        unsigned maj = 0, min = 0;
        md_node_rdev(h, &maj, &min);
        if (md_node_type_of(h) != MD_NODE_CHAR || maj != 229 || min != 0)
            ADD(r, "/dev/hvc0", 0, MD_LINT_ERROR, 1,
                "hvc0 must be the character device 229:0 (the Xen console)");
    }
}

/* Does a mount on this line mount devtmpfs ("mount -t devtmpfs devtmpfs
 * /dev", Alpine's devfs "mount -n -t devtmpfs ... /dev")?  The word alone
 * is no mount: "grep -q devtmpfs /proc/filesystems" makes nothing
 * (trial10h case 2). */
static bool line_mounts_devtmpfs(const char *line)
{
    if (!find_word(line, "devtmpfs"))
        return false;
    /* a mount command or a shell function that mounts (Debian's
     * mount-functions.sh: "domount mount_noupdate devtmpfs udev /dev"),
     * not a path that names mounts (/proc/mounts) */
    md_strv w = { 0 };
    md_strv_split(&w, line, false);
    bool mounts = false;
    for (size_t i = 0; i < w.n && !mounts && w.v[i][0] != '#'; i++)
        mounts = strstr(w.v[i], "mount") && !strchr(w.v[i], '/');
    md_strv_free(&w);
    return mounts;
}

static bool text_mounts_devtmpfs(const char *text)
{
    bool found = false;
    for (const char *p = text; *p && !found;) {
        size_t n = strcspn(p, "\n");
        char *line = md_xstrndup(p, n);
        found = line_mounts_devtmpfs(line);
        free(line);
        p += n + (p[n] == '\n');
    }
    return found;
}

/* Does the xen-dom0-setup run on this line make device nodes?  Only its
 * steps "mounts" (devtmpfs) and "devices" (from /proc/misc) do, and "early"
 * and "all" (no step given) that run them (src/dom0/xen-dom0-setup-main.c
 * run_step); "watch" (xenstored's service), "load", "coldplug", "modules",
 * "xenfs", "dirs", "openrc" and --dry-run make none (trial10h case 2).  A
 * test of its path ([ -x /sbin/xen-dom0-setup ]) runs nothing. */
static bool line_setup_creates(const char *line)
{
    static const char *const with_value[] = { "--root", "--proc-misc", "--kver", "--module",
                                              "--console", "--pidfile", "--ready", NULL };
    const char *at = line;
    for (;;) {
        at = strstr(at, "xen-dom0-setup");
        if (!at)
            return false;
        const char *end = at + 14;
        bool word = (at == line || at[-1] == '/' || isspace((unsigned char)at[-1]) ||
                     at[-1] == '"' || at[-1] == '\'') &&
                    (!*end || isspace((unsigned char)*end) || *end == '"' || *end == '\'' ||
                     *end == ';');
        at = end;
        if (!word)
            continue;
        md_strv w = { 0 };
        md_strv_split(&w, end, false);
        bool steps = false, creates = false, dry = false, test = false, mode = false;
        for (size_t i = 0; i < w.n; i++) {
            const char *x = w.v[i];
            if (x[0] == '#' || !strcmp(x, ";") || !strcmp(x, "&&") || !strcmp(x, "||") ||
                !strcmp(x, "|") || !strcmp(x, "\\") || !strcmp(x, "&"))
                break;
            if (!strcmp(x, "]") || !strcmp(x, "]]")) {
                test = true;
                break;
            }
            if (!strcmp(x, "--dry-run") || !strcmp(x, "-n"))
                dry = true;
            bool valued = false;
            for (int k = 0; with_value[k]; k++)
                valued |= !strcmp(x, with_value[k]);
            if (valued) {
                i++;
                continue;
            }
            if (x[0] == '-' || x[0] == '$' || x[0] == '"' || strchr(x, '>') || strchr(x, '<'))
                continue; /* an option, "$@", a redirection */
            if (!strcmp(x, "watch") || !strcmp(x, "load")) {
                mode = true;
                break; /* the rest is the command or the modules */
            }
            steps = true;
            creates |= !strcmp(x, "mounts") || !strcmp(x, "devices") || !strcmp(x, "early") ||
                       !strcmp(x, "all");
        }
        md_strv_free(&w);
        if (!test && !dry && (creates || (!steps && !mode)))
            return true;
    }
}

/* Does this step make the /dev/xen nodes?  A mount of devtmpfs, mdev (when
 * the rootfs has it), udevd, mkdom0's xen-dom0-setup with a step that makes
 * them (line_setup_creates), or `mount -a` with a devtmpfs line in
 * /etc/fstab (busybox init does not read fstab itself).  xen-dom0-setup's
 * words are on its text step (the line that runs it), not its run step. */
static bool step_creates(const md_tree *t, const md_lint_step *st)
{
    if (st->kind == MD_LINT_STEP_RUN) {
        const char *b = basename(st->text);
        return !strcmp(b, "udevd") || !strcmp(b, "systemd-udevd") ||
               (!strcmp(b, "mdev") && md_tree_resolve(t, st->text));
    }
    const char *x = st->text;
    if (line_mounts_devtmpfs(x) || line_setup_creates(x) || find_word(x, "udevd"))
        return true;
    if (find_word(x, "mdev") && (strstr(x, "busybox mdev") || exists(t, "/sbin/mdev") ||
                                 exists(t, "/bin/mdev") || exists(t, "/usr/sbin/mdev")))
        return true;
    if (find_word(x, "mount") && strstr(x, " -a")) {
        char *fs = md_tree_text(t, "/etc/fstab", NULL);
        bool dev = fs && find_word(fs, "devtmpfs");
        free(fs);
        return dev;
    }
    return false;
}

static bool step_xenstored(const md_lint_step *st)
{
    const char *b = st->kind == MD_LINT_STEP_RUN ? basename(st->text) : "";
    return !strcmp(b, "xenstored") || !strcmp(b, "oxenstored");
}

static char *step_where(const md_lint_step *st)
{
    return st->line ? md_xasprintf("%s:%u", st->file, st->line) : md_xstrdup(st->file);
}

/* Trap 3 by what init runs, in its order (md_lint_boot_steps, the one
 * reader of it): something must make the nodes, and before xenstored
 * starts (design.md trap 3: "The nodes must exist before xenstored
 * starts").  A helper that is only present (udevd, systemd beside busybox
 * init, xen-dom0-setup, an fstab line) makes nothing. */
static void check_devices(rctx *r, const scripts *s)
{
    const md_tree *t = r->t;
    check_static_nodes(r);
    md_lint_steps bs;
    md_lint_boot_steps(t, &bs);
    const md_lint_step *mk = NULL, *xs = NULL;
    for (size_t i = 0; i < bs.n; i++) {
        const md_lint_step *st = &bs.v[i];
        if (!mk && step_creates(t, st))
            mk = st;
        if (!xs && step_xenstored(st))
            xs = st;
    }
    if (bs.systemd || (!bs.known && !exists(t, "/init") && !exists(t, "/sbin/init"))) {
        /* systemd mounts devtmpfs itself; no init at all is named by trap 1 */
    } else if (!bs.known) {
        ADD(r, NULL, 0, MD_LINT_WARNING, 3,
            "cannot check what creates /dev/xen/*: init is '%s', neither busybox init, "
            "sysvinit, OpenRC, systemd nor a script, so what it runs is not known",
            bs.init);
    } else if (mk && xs && xs->order < mk->order) {
        char *a = step_where(xs), *b = step_where(mk);
        ADD(r, NULL, 0, MD_LINT_ERROR, 3,
            "xenstored starts (%s) before anything creates /dev/xen/* (%s): init runs these "
            "one after the other, so xenstored finds no /dev/xen/evtchn and exits; create "
            "the nodes first (mount -t devtmpfs devtmpfs /dev early in the first sysinit "
            "entry)", a, b);
        free(a);
        free(b);
    } else if (!mk) {
        const char *disabled = NULL;
        for (size_t i = 0; i < s->n && !disabled; i++)
            if (has_prefix(s->v[i].path, "/etc/init.d/") && text_mounts_devtmpfs(s->v[i].text))
                disabled = s->v[i].path;
        static const char *const helpers[] = {
            "/usr/sbin/xen-dom0-setup", "/sbin/xen-dom0-setup", "/lib/systemd/systemd-udevd",
            "/usr/lib/systemd/systemd-udevd", "/sbin/udevd", "/usr/sbin/udevd",
            "/lib/systemd/systemd", "/usr/lib/systemd/systemd", NULL };
        md_strv idle = { 0 };
        for (int i = 0; helpers[i]; i++)
            if (exists(t, helpers[i]))
                md_strv_push(&idle, helpers[i]);
        char *il = md_strv_join(&idle, ", ");
        char *note = idle.n ? md_xasprintf(" (%s %s in the rootfs, but nothing init runs "
                                           "starts %s so that %s nodes; init here is %s)", il,
                                           idle.n == 1 ? "is" : "are",
                                           idle.n == 1 ? "it" : "them",
                                           idle.n == 1 ? "it makes" : "they make", bs.init)
                            : md_xstrdup("");
        if (disabled)
            ADD(r, disabled, 0, MD_LINT_ERROR, 3,
                "would mount devtmpfs, but nothing init runs starts this script (no inittab "
                "entry, runlevel or script run at boot names it), so nothing creates "
                "/dev/xen/* and xenstored fails to open /dev/xen/evtchn%s; enable it in the "
                "sysinit runlevel", note);
        else
            ADD(r, NULL, 0, MD_LINT_ERROR, 3,
                "nothing creates /dev/xen/*: nothing init runs mounts devtmpfs, runs mdev or "
                "udevd, or runs xen-dom0-setup with a step that makes nodes (mounts, devices, "
                "early or all; its watch, load and coldplug make none; an /etc/fstab line "
                "needs a 'mount -a' that runs)%s; "
                "xenstored then fails to open /dev/xen/evtchn and privcmd; mount -t devtmpfs "
                "devtmpfs /dev early in boot", note);
        free(note);
        free(il);
        md_strv_free(&idle);
    }
    md_lint_steps_free(&bs);
}

/* ---- trap 2: the toolstack's release ---- */

/* Debian's xen-utils-wrapper (xen-utils-common 4.17 and 4.20 alike,
 * /usr/lib/xen-common/bin/xen-utils-wrapper; /usr/sbin/xl and the other
 * toolstack commands link to it) runs, for COMMAND:
 *   read major < /sys/hypervisor/version/major; read minor < .../minor
 *   DIR="/usr/lib/xen-$major.$minor/bin"; [ -x "$DIR/$COMMAND" ] && exec ...
 * and otherwise bails out "Can't find version $VERSION of xen utils".  So
 * with it, xen-utils-X.Y of several releases may lie side by side (a 12 ->
 * 13 upgrade before autoremove), and the one that runs is the running
 * hypervisor's (trial10f case 12). */
#define DEBIAN_WRAPPER "/usr/lib/xen-common/bin/xen-utils-wrapper"

static bool debian_wrapper(const md_tree *t)
{
    return md_tree_resolve_file(t, DEBIAN_WRAPPER) != NULL;
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

/* The release whose hypervisor Debian's wrapper runs the program at `p`
 * under: false when `p` is not in /usr/lib/xen-A.B/bin. */
static bool wrapper_release(const char *p, unsigned *ma, unsigned *mi)
{
    int end = 0;
    return sscanf(p, "/usr/lib/xen-%u.%u/bin/%n", ma, mi, &end) == 2 && end > 0 &&
           !strchr(p + end, '/');
}

static bool same_release(const md_xen_version *v, unsigned ma, unsigned mi)
{
    return v->major == ma && v->minor == mi;
}

/* The toolstack of release ma.mi that Debian's wrapper leaves unused
 * under every one of the `nhv` hypervisors given: a note (no error), on
 * `file` (NULL: the rootfs), from the programs or, where none decides,
 * from the libxenctrl files. */
static void note_unused(rctx *r, const char *file, unsigned ma, unsigned mi, size_t nhv)
{
    ADD(r, file, 0, MD_LINT_NOTE, 2,
        "the toolstack in /usr/lib/xen-%u.%u/bin is not used under the hypervisor%s given "
        "(Debian's xen-utils-wrapper runs the running hypervisor's release): "
        "xen-utils-%u.%u can go once Xen %u.%u is no longer booted", ma, mi,
        nhv > 1 ? "s" : "", ma, mi, ma, mi);
}

static bool booted(const md_xen_version *hvs, size_t nhv, unsigned ma, unsigned mi)
{
    for (size_t h = 0; h < nhv; h++)
        if (same_release(&hvs[h], ma, mi))
            return true;
    return false;
}

/* Whether the tree has the directory Debian's wrapper runs the toolstack
 * from under `hv` ("/usr/lib/xen-4.20/bin"); when it has not, the error
 * that xl and xenstored cannot start, on the wrapper.  One place for both
 * trap 2 paths (by the programs, by the libxenctrl files). */
static bool wrapper_dir_present(rctx *r, const md_xen_version *hv)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/usr/lib/xen-%u.%u/bin", hv->major, hv->minor);
    const md_node *d = md_tree_resolve(r->t, dir);
    if (d && md_node_type_of(d) == MD_NODE_DIR)
        return true;
    ADD(r, DEBIAN_WRAPPER, 0, MD_LINT_ERROR, 2,
        "the hypervisor %s is Xen %u.%u, and Debian's xen-utils-wrapper runs the "
        "toolstack from %s, which is not here: xl and xenstored bail out (\"Can't "
        "find version %u.%u of xen utils\"); install xen-utils-%u.%u",
        hv->path, hv->major, hv->minor, dir, hv->major, hv->minor, hv->major, hv->minor);
    return false;
}

/* Trap 2 by the programs (md_xenver_prog): the release that matters is the
 * libxenctrl each one loads, whichever others lie in the tree (trial10h
 * case 1).  Returns false when no program loads or misses a libxenctrl:
 * then the libxenctrl files are all there is to read. */
static bool check_programs(rctx *r, const md_xenver_survey *sv, const md_xen_version *hvs,
                           size_t nhv, bool wrapper)
{
    bool any = false;
    const md_xenver_prog *first = NULL, *other = NULL;
    unsigned unused[8][2];
    size_t nunused = 0, dir_missing = 0;
    for (size_t i = 0; i < sv->nprogs; i++) {
        const md_xenver_prog *p = &sv->progs[i];
        /* only a missing libxenctrl is trap 2's, as in the build (xenver.c
         * scan); another library a program lacks is no release question */
        char slashed[160];
        snprintf(slashed, sizeof slashed, "/%s", p->missing);
        bool miss = p->missing[0] && md_xenver_is_libxenctrl(slashed);
        if (!miss && !p->ctrl.path[0])
            continue; /* links no libxenctrl (xen-9pfsd, xenstore-*) */
        any = true;
        if (miss) {
            bool direct = !strcmp(p->missing_by, p->path);
            ADD(r, p->path, 0, MD_LINT_ERROR, 2,
                "needs %s%s%s%s, which is not in the rootfs: the dynamic loader does not start "
                "it (\"error while loading shared libraries: %s: cannot open shared object "
                "file\"); install the library of the program's release, or take the program "
                "of the hypervisor's release", p->missing, direct ? "" : " (named by ",
                direct ? "" : p->missing_by, direct ? "" : ")", p->missing);
            if (!p->ctrl.found)
                continue; /* else its release is wrong too, or it would be once it starts */
        }
        const md_xen_version *c = &p->ctrl;
        if (!c->found) {
            ADD(r, p->path, 0, MD_LINT_WARNING, 2,
                "cannot check: the release of the libxenctrl it loads (%s, from %s) cannot be "
                "read (%s)", c->path, c->origin, c->source);
            continue;
        }
        unsigned wa, wi;
        if (wrapper && wrapper_release(p->path, &wa, &wi)) {
            if (!same_release(c, wa, wi)) {
                ADD(r, p->path, 0, MD_LINT_ERROR, 2,
                    "loads %s (libxenctrl of Xen %s, by its %s), but Debian's "
                    "xen-utils-wrapper runs /usr/lib/xen-%u.%u/bin only under a Xen %u.%u "
                    "hypervisor: libxenctrl's domctl/sysctl interfaces change with every "
                    "release, so it fails there (xenstored: \"Failed to open connection to "
                    "gnttab\"); take it and its libraries from xen-utils-%u.%u",
                    c->path, c->version, c->source, wa, wi, wa, wi, wa, wi);
                continue;
            }
            bool listed = false;
            for (size_t k = 0; k < nunused; k++)
                listed |= unused[k][0] == wa && unused[k][1] == wi;
            if (nhv && !booted(hvs, nhv, wa, wi) && !listed && nunused < 8) {
                unused[nunused][0] = wa;
                unused[nunused++][1] = wi;
            }
        } else {
            for (size_t h = 0; h < nhv; h++)
                if (!same_release(c, hvs[h].major, hvs[h].minor))
                    ADD(r, p->path, 0, MD_LINT_ERROR, 2,
                        "loads %s (libxenctrl of Xen %s, by its %s) but the hypervisor %s is "
                        "Xen %u.%u: libxenctrl's domctl/sysctl interfaces change with every "
                        "release, and xenstored fails at start (\"Failed to open connection to "
                        "gnttab\"); take the toolstack of the hypervisor's release "
                        "(xen-utils-%u.%u)", c->path, c->version, c->source,
                        hvs[h].path, hvs[h].major, hvs[h].minor, hvs[h].major, hvs[h].minor);
        }
        if (!first)
            first = p;
        else if (!other && !same_release(c, first->ctrl.major, first->ctrl.minor))
            other = p;
    }
    if (!any)
        return false;
    for (size_t h = 0; h < nhv && wrapper; h++)
        if (!wrapper_dir_present(r, &hvs[h]))
            dir_missing++;
    if (other && !nhv && !wrapper)
        ADD(r, other->path, 0, MD_LINT_ERROR, 2,
            "loads libxenctrl of Xen %s (%s) but %s loads Xen %s's (%s): one image must carry "
            "the toolstack of one release, the hypervisor's", other->ctrl.version,
            other->ctrl.path, first->path, first->ctrl.version, first->ctrl.path);
    if (first && !nhv)
        ADD(r, first->path, 0, MD_LINT_NOTE, 2,
            "the toolstack is Xen %s (this program loads %s)%s%s%s; give the hypervisor "
            "(--xen xen.gz) to check that it matches", first->ctrl.version, first->ctrl.path,
            other && wrapper ? ", and of Xen " : "", other && wrapper ? other->ctrl.version : "",
            other && wrapper ? " beside it, of which Debian's xen-utils-wrapper runs the "
                               "running hypervisor's" : "");
    for (size_t k = 0; k < nunused && !dir_missing; k++)
        note_unused(r, NULL, unused[k][0], unused[k][1], nhv);
    return true;
}

/* The reader is xenver's, the one the build refuses a mixed image by (every
 * release from a binary); lint words it for a file and names the package
 * to take.  Each of the `nhv` hypervisors is one that may boot the tree. */
static void check_toolstack(rctx *r, const md_xen_version *hvs, size_t nhv)
{
    md_xenver_survey sv;
    md_xenver_survey_tree(r->t, &sv);
    if (check_programs(r, &sv, hvs, nhv, debian_wrapper(r->t))) {
        md_xenver_survey_free(&sv);
        return;
    }
    const md_xen_version *ts = sv.ts;
    size_t n = sv.nts;
    /* no program decides: the first file's release against any other (the
     * build's rule for a mixed image), unless Debian's wrapper picks one */
    const md_xen_version *stray = md_xenver_stray(&sv, NULL);
    bool wrapper = stray && debian_wrapper(r->t);
    for (size_t i = 0; i < sv.nbad_ts; i++)
        ADD(r, sv.bad_ts[i].path, 0, MD_LINT_WARNING, 2,
            "cannot check: the release of this libxenctrl (from %s) cannot be read (%s)",
            sv.bad_ts[i].origin, sv.bad_ts[i].source);
    if (stray && !wrapper)
        ADD(r, stray->path, 0, MD_LINT_ERROR, 2,
            "toolstack of Xen %s here and of Xen %s in %s: one image must carry the "
            "toolstack of one release, the hypervisor's", stray->version, ts[0].version,
            ts[0].path);
    /* the stray files Debian's wrapper leaves unused (with the hypervisor's
     * release among them), noted as check_programs notes them */
    bool *unused = md_xcalloc(n ? n : 1, sizeof *unused), dir_missing = false;
    for (size_t h = 0; h < nhv; h++) {
        const md_xen_version *hv = &hvs[h];
        if (wrapper && !wrapper_dir_present(r, hv)) {
            dir_missing = true;
            continue;
        }
        bool match = false;
        for (size_t i = 0; wrapper && i < n; i++)
            match |= ts[i].major == hv->major && ts[i].minor == hv->minor;
        for (size_t i = 0; i < n; i++) {
            md_err e = MD_ERR_INIT;
            if (md_xenver_compare(hv, &ts[i], &e) == 0)
                continue;
            if (wrapper && match)
                unused[i] = !booted(hvs, nhv, ts[i].major, ts[i].minor);
            else
                ADD(r, ts[i].path, 0, MD_LINT_ERROR, 2,
                    "the toolstack is Xen %s but the hypervisor %s is Xen %u.%u: libxenctrl's "
                    "domctl/sysctl interfaces change with every release, and xenstored fails "
                    "at start (\"Failed to open connection to gnttab\"); take the toolstack "
                    "of the hypervisor's release (xen-utils-%u.%u)",
                    ts[i].version, hv->path, hv->major, hv->minor, hv->major, hv->minor);
        }
    }
    for (size_t i = 0; i < n && !dir_missing; i++)
        if (unused[i])
            note_unused(r, ts[i].path, ts[i].major, ts[i].minor, nhv);
    free(unused);
    if (n && !nhv && wrapper)
        ADD(r, ts[0].path, 0, MD_LINT_NOTE, 2,
            "the toolstacks of Xen %s and %s%s lie side by side, and Debian's xen-utils-wrapper "
            "runs the running hypervisor's; give the hypervisor (--xen xen.gz) to check that "
            "one of them matches", ts[0].version, ts[1].version, n > 2 ? " (and more)" : "");
    else if (n && !nhv)
        ADD(r, ts[0].path, 0, MD_LINT_NOTE, 2,
            "the toolstack is Xen %s; give the hypervisor (--xen xen.gz) to check that it "
            "matches", ts[0].version);
    else if (!n && sv.userland[0] && !sv.nbad_ts) {
        /* xl, xenstored and the rest are linked against libxenctrl
         * (DT_NEEDED libxenctrl.so.X.Y): without it ld.so refuses to start
         * them, so this is the toolstack failing, not only trap 2 unread */
        char *why = dangling_libxenctrl(r->t);
        ADD(r, sv.userland, 0, MD_LINT_ERROR, 2,
            "Xen userland (from %s) but no libxenctrl%s: xl and xenstored are linked against "
            "it and the dynamic loader does not start them (\"error while loading shared "
            "libraries: libxenctrl.so...: cannot open shared object file\"); cannot check "
            "the toolstack's release either (it is not guessed from path names)",
            sv.userland_origin[0] ? sv.userland_origin : "the image", why);
        free(why);
    }
    else if (!n && !sv.nbad_ts)
        ADD(r, NULL, 0, MD_LINT_NOTE, 2,
            "no libxenctrl in the rootfs: there is no Xen toolstack (xl) to check");
    md_xenver_survey_free(&sv);
}

/* Every dynamic program names its loader (PT_INTERP); the kernel opens it
 * at exec, and without it every such program fails with "No such file or
 * directory" (trial 9h case 2: a file over /lib64 took the loader of sshd,
 * xenstored and openrc, and lint said "no findings").  One finding per
 * missing loader, naming a program and how many more. */
static void check_interpreters(rctx *r)
{
    md_strv missing = { 0 }, first = { 0 };
    size_t *count = NULL;
    for (const md_node *n = md_tree_first(r->t); n; n = md_tree_next(r->t, n)) {
        if (md_node_type_of(n) != MD_NODE_FILE || !(md_node_attr(n)->mode & 0111))
            continue;
        size_t len;
        const unsigned char *d = md_node_data(n, &len);
        md_elf e;
        md_err err = MD_ERR_INIT;
        char interp[256];
        if (!d || !md_elf_is(d, len) || md_elf_open(&e, md_node_path(n), d, len, &err) < 0 ||
            !md_elf_interp(&e, interp, sizeof interp) || md_tree_resolve_file(r->t, interp))
            continue;
        size_t i = 0;
        while (i < missing.n && strcmp(missing.v[i], interp))
            i++;
        if (i == missing.n) {
            md_strv_push(&missing, interp);
            md_strv_push(&first, md_node_path(n));
            count = md_xrealloc(count, missing.n * sizeof *count);
            count[i] = 0;
        }
        count[i]++;
    }
    for (size_t i = 0; i < missing.n; i++) {
        const char *what = md_lint_non_file(r->t, missing.v[i]);
        char more[64] = "";
        if (count[i] > 1)
            snprintf(more, sizeof more, " nor %zu other programs that name it", count[i] - 1);
        ADD(r, first.v[i], 0, MD_LINT_ERROR, 0,
            "its ELF interpreter %s %s%s: the kernel cannot start it%s (\"No such file or "
            "directory\" at exec); the loader comes with the C library (libc6, musl): is a "
            "layout link such as /lib64 missing or replaced?",
            missing.v[i], what ? "is " : "is not in the rootfs", what ? what : "",
            more);
    }
    free(count);
    md_strv_free(&missing);
    md_strv_free(&first);
}

void md_lint_unpack_notes(md_lint *l, const char *label, const md_unpack_notes *n)
{
    if (n->stop)
        md_lint_add_at(l, label, NULL, 0, MD_LINT_ERROR, 0,
                       "the kernel's unpacking of this initramfs fails at %s; dom0 gets only "
                       "what came before (Linux init/initramfs.c)", n->stop);
    if (n->ndropped) {
        char *list = md_strv_join(&n->dropped, "; ");
        char *more = n->ndropped > n->dropped.n
                         ? md_xasprintf(" (and %zu more)", n->ndropped - n->dropped.n)
                         : md_xstrdup("");
        md_lint_add_at(l, label, NULL, 0, MD_LINT_ERROR, 0,
                       "the kernel does not create %zu entr%s of this initramfs (init/initramfs.c "
                       "makes no missing directory and does not replace a non-empty one): "
                       "%s%s; list every directory before what it holds (find without -depth)",
                       n->ndropped, n->ndropped == 1 ? "y" : "ies", list, more);
        free(more);
        free(list);
    }
    for (size_t i = 0; i < n->replaced.n; i++)
        md_lint_add_at(l, label, NULL, 0, MD_LINT_WARNING, 0,
                       "%s (init/initramfs.c clean_path removes an entry of another type): "
                       "what was reached through the symlink is gone", n->replaced.v[i]);
}

void md_lint_rootfs(md_lint *l, const char *label, const md_tree *t, const md_xen_version *hv,
                    size_t nhv)
{
    rctx r = { l, label, t };
    scripts s = collect_scripts(t);
    check_console(&r);
    md_lint_services(l, label, t);
    check_devices(&r, &s);
    md_lint_modules(l, label, t);
    md_xen_version *found = md_xcalloc(nhv + 1, sizeof *found);
    size_t nf = 0;
    for (size_t i = 0; hv && i < nhv; i++)
        if (hv[i].found)
            found[nf++] = hv[i];
    check_toolstack(&r, found, nf);
    check_interpreters(&r);
    free(found);
    scripts_free(&s);
}
