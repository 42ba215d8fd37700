/* lint_rootfs — traps 1 and 3 in a root filesystem held as an md_tree, and
 * the others' checkers on it (trap 2: xenver.c md_xenver_lint; trap 5:
 * lint_modules.c). */
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
     * not a path that names mounts (/proc/mounts); mount named by its path
     * too, as busybox inittabs run it ("::sysinit:/bin/mount -t devtmpfs
     * devtmpfs /dev", the action's prefix on the word) */
    md_strv w = { 0 };
    md_strv_split(&w, line, false);
    bool mounts = false;
    for (size_t i = 0; i < w.n && !mounts && w.v[i][0] != '#'; i++) {
        const char *slash = strrchr(w.v[i], '/');
        mounts = slash ? !strcmp(slash + 1, "mount") : strstr(w.v[i], "mount") != NULL;
    }
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
                    size_t nhv, bool image)
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
    md_xenver_survey sv;
    md_xenver_survey_tree(t, &sv);
    md_xenver_lint(l, label, t, &sv, found, nf, image);
    md_xenver_survey_free(&sv);
    check_interpreters(&r);
    free(found);
    scripts_free(&s);
}
