#include "proof/check.h"

#include <errno.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lint/lint.h"
#include "boot/qemu.h"
#include "proof/check_int.h"
#include "proof/storage.h"
#include "core/run.h"
#include "image/base.h"
#include "image/image.h"
#include "image/kmodelf.h"
#include "core/decomp.h"
#include "image/tree.h"
#include "image/unpack.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/elf.h"
#include "core/file.h"

/* How long a login prompt may lag behind a working sshd. */
#define LOGIN_GRACE 30.0

/* Where we look for busybox in the image (usrmerge or not). */
static const char *const busybox_paths[] = { "/bin/busybox", "/usr/bin/busybox", "/sbin/busybox",
                                             "/usr/sbin/busybox", NULL };

/* The guest's /init.  The marker is assembled at run time from the kernel
 * command line, so the kernel's echo of its command line never matches.
 * With mkdom0.n= it is the I/O guest (check_guest_io): the frontends from
 * /lib/modules, eth0 at mkdom0.ip= pinging the dom0 at mkdom0.peer= (both
 * only with a vif; a /32 is routed: the dom0 is on the link, not in a
 * subnet), then xvda: print its first line (the dom0's marker), move what
 * is at 4 KiB to 8 KiB (the marker of its previous boot, for
 * proof/storage.c) and write its own at 4 KiB, unique to this boot; then
 * xvdb with mkdom0.phy=1 (which the dom0 attaches later) the same way; then
 * stay up for the dom0's ping.  /sbin/poweroff and /sbin/reboot are what
 * the kernel runs for `xl shutdown` and `xl reboot` (orderly_poweroff). */
static const char guest_init[] =
    "#!/bin/busybox sh\n"
    "B=/bin/busybox\n"
    "$B mount -t proc proc /proc\n"
    "$B mount -t devtmpfs dev /dev 2>/dev/null\n"
    "T=unknown N= IP= PEER= PHY=\n"
    "for w in $($B cat /proc/cmdline); do\n"
    "  case $w in mkdom0.t=*) T=${w#mkdom0.t=};; mkdom0.n=*) N=${w#mkdom0.n=};;\n"
    "    mkdom0.ip=*) IP=${w#mkdom0.ip=};; mkdom0.peer=*) PEER=${w#mkdom0.peer=};;\n"
    "    mkdom0.phy=*) PHY=${w#mkdom0.phy=};; esac\n"
    "done\n"
    "if [ -z \"$N\" ]; then\n"
    "  $B echo \"MKDOM0-GUEST-$T-OK\" > /dev/console\n"
    "  $B sleep 1\n"
    "  [ \"$T\" = STAY ] && while :; do $B sleep 60; done\n"
    "  $B poweroff -f\n"
    "fi\n"
    "exec > /dev/console 2>&1\n"
    "$B mount -t sysfs sys /sys\n"
    "for m in /lib/modules/*.ko; do [ -e \"$m\" ] && $B insmod \"$m\"; done\n"
    "i=0\n"
    "while [ $i -lt 200 ] && { [ ! -b /dev/xvda ] || { [ -n \"$IP\" ] && [ ! -e /sys/class/net/eth0 ]; }; }; do\n"
    "  $B sleep 0.1; i=$((i + 1))\n"
    "done\n"
    "if [ -n \"$IP\" ]; then\n"
    "  $B ip link set eth0 up && $B ip addr add \"$IP\" dev eth0\n"
    "  case $IP in */32) $B ip route add \"$PEER\" dev eth0;; esac\n"
    "  if $B ping -c 2 -w 60 \"$PEER\" >/dev/null; then R=OK; else R=FAIL; fi\n"
    "  $B echo \"MKDOM0-IO-PING-$R\"\n"
    "fi\n"
    "$B echo \"MKDOM0-IO-READ:$($B dd if=/dev/xvda bs=512 count=1 2>/dev/null | $B head -n 1)\"\n"
    "$B dd if=/dev/xvda bs=512 skip=8 count=1 2>/dev/null | $B dd of=/dev/xvda bs=512 seek=16 conv=fsync 2>/dev/null\n"
    "$B echo \"mkdom0-guest-wrote-$N.$($B cat /proc/sys/kernel/random/uuid)\" | $B dd of=/dev/xvda bs=512 seek=8 conv=fsync 2>/dev/null \\\n"
    "  && $B echo \"MKDOM0-IO-WROTE\"\n"
    "if [ -n \"$PHY\" ]; then\n"
    "  i=0; while [ $i -lt 3000 ] && [ ! -b /dev/xvdb ]; do $B sleep 0.1; i=$((i + 1)); done\n"
    "  $B echo \"MKDOM0-IO-PHY-READ:$($B dd if=/dev/xvdb bs=512 count=1 2>/dev/null | $B head -n 1)\"\n"
    "  $B echo \"mkdom0-guest-wrote-phy-$N\" | $B dd of=/dev/xvdb bs=512 seek=8 conv=fsync \\\n"
    "    2>/dev/null && $B echo \"MKDOM0-IO-PHY-WROTE\"\n"
    "fi\n"
    "$B echo \"MKDOM0-IO-READY\"\n"
    "while :; do $B sleep 60; done\n";

/* The guest frontends the I/O guest loads (the dom0's kernel has them as
 * modules; none has dependencies in Debian's 6.1 or 6.12).  Debian 13's are
 * xz-compressed (.ko.xz): the guest gets them decompressed, as plain .ko
 * for busybox's insmod. */
static const char *const guest_module_patterns[] = {
    "*/kernel/drivers/net/xen-netfront.ko*", "*/kernel/drivers/block/xen-blkfront.ko*", NULL,
};

/* --- the guest initrd ---------------------------------------------------- */

static const md_node *find_busybox(const md_tree *t, const char **which)
{
    for (const char *const *p = busybox_paths; *p; p++) {
        const md_node *n = md_tree_resolve(t, *p);
        if (n && (md_node_type_of(n) == MD_NODE_FILE || md_node_type_of(n) == MD_NODE_HARDLINK)) {
            *which = *p;
            return n;
        }
    }
    return NULL;
}

/* The first regular file whose path matches the fnmatch(3) pattern. */
static const md_node *find_file(const md_tree *t, const char *pattern)
{
    for (const md_node *n = md_tree_first(t); n; n = md_tree_next(t, n))
        if (md_node_type_of(n) == MD_NODE_FILE && !fnmatch(pattern, md_node_path(n), 0))
            return n;
    return NULL;
}

/* The image's guest frontends (guest_module_patterns) into the guest's
 * /lib/modules; those the image lacks are left out (the I/O guest then
 * fails, saying what it misses). */
static int add_guest_modules(md_tree *g, const md_tree *image, md_err *err)
{
    const md_attr ro = { 0644, 0, 0, 0 };
    for (const char *const *pat = guest_module_patterns; *pat; pat++) {
        const md_node *m = find_file(image, *pat);
        if (!m)
            continue;
        size_t size, plain_size;
        const unsigned char *data = md_node_data(m, &size);
        unsigned char *plain;
        if (md_decomp_buf(md_node_path(m), data, size, MD_KMODELF_MAX, &plain, &plain_size,
                          err) < 0)
            return -1;
        const char *base = strrchr(md_node_path(m), '/') + 1;
        char *name = md_xasprintf("/lib/modules/%.*s.ko", (int)(strstr(base, ".ko") - base), base);
        int r = md_tree_add_file(g, name, &ro, plain, plain_size, "guest", MD_CLASH_ERROR, err);
        free(name);
        if (r < 0)
            return -1;
    }
    return 0;
}

/* The guest's tree, all root:root with mtime 0 (/bin and /dev are the
 * tree's implicit directories); NULL only if the tree refuses an entry,
 * which a new tree cannot. */
static md_tree *guest_tree(const unsigned char *busybox, size_t size, md_err *err)
{
    md_tree *g = md_tree_new(false);
    const md_attr rwx = { 0755, 0, 0, 0 }, console = { 0600, 0, 0, 0 };
    unsigned char *bb = md_xmalloc(size ? size : 1);
    memcpy(bb, busybox, size);
    if (md_tree_add_file(g, "/bin/busybox", &rwx, bb, size, "guest", MD_CLASH_ERROR, err) < 0 ||
        /* The kernel opens /dev/console for init before anything is mounted. */
        md_tree_add_device(g, "/dev/console", &console, MD_NODE_CHAR, 5, 1, "guest", err) < 0 ||
        md_base_add_text(g, "/init", 0755, 0, guest_init, err) < 0 ||
        md_base_add_text(g, "/sbin/poweroff", 0755, 0,
                         "#!/bin/busybox sh\nexec /bin/busybox poweroff -f\n", err) < 0 ||
        md_base_add_text(g, "/sbin/reboot", 0755, 0,
                         "#!/bin/busybox sh\nexec /bin/busybox reboot -f\n", err) < 0 ||
        md_tree_add_dir(g, "/proc", &rwx, "guest", err) < 0 ||
        md_tree_add_dir(g, "/sys", &rwx, "guest", err) < 0) {
        md_tree_free(g);
        return NULL;
    }
    return g;
}

static int guest_initrd_from_tree(const md_tree *t, const char *rootfs, const char *out, md_err *err)
{
    const char *which = NULL;
    const md_node *bb = find_busybox(t, &which);
    if (!bb)
        return md_err_set(err, "%s: no busybox (looked for /bin/busybox, /usr/bin/busybox): the "
                               "guest test needs the image's static busybox (--no-guests skips it)",
                          rootfs);
    size_t size;
    const unsigned char *data = md_node_data(bb, &size);
    md_elf elf;
    md_err not_elf = MD_ERR_INIT; /* said below, with what the test needs */
    if (!data || md_elf_open(&elf, which, data, size, &not_elf) < 0 || !md_elf_is_static(&elf))
        return md_err_set(err, "%s: %s is not a static x86-64 ELF: the guest initrd has no "
                               "libraries for it (use busybox-static; --no-guests skips the test)",
                          rootfs, which);
    md_tree *g = guest_tree(data, size, err);
    int rc = g && add_guest_modules(g, t, err) == 0
                 ? md_image_write(g, out, MD_CODEC_GZIP, 0, 0, NULL, err) : -1;
    if (rc < 0)
        md_err_prefix(err, "the guest initrd");
    md_tree_free(g);
    return rc;
}

/* --- the check ----------------------------------------------------------- */

enum ev { EV_XEN, EV_LINUX, EV_INIT, EV_OPENRC, EV_LOGIN, EV_SSHD, EV_XL, EV_N };
static const char *const ev_names[EV_N] = {
    "Xen banner", "dom0 kernel", "init", "OpenRC", "login prompt", "sshd ready", "xl list answered",
};
static const char *const ev_keys[EV_N] = {
    "xen", "linux", "init", "openrc", "login", "sshd", "xl_list",
};

typedef struct chk {
    const md_check_opts *o;
    md_boot *boot;
    md_qemu_console *con;
    md_qemu_qmp *qmp;
    md_tree *rootfs;      /* for the guest initrd and diagnoses; may be NULL */
    char *key;            /* private key copy with mode 0600 */
    char *guest_initrd;
    md_storage *store;    /* the image's guest storage; NULL: it names none */
    double t0;
    double ev[EV_N];      /* < 0: not seen */
    size_t login_off;
    double reset_login;   /* seconds from system_reset to the second login */
    bool ssh_without_login; /* sshd answered, no login prompt followed */
    bool xen_stats_ok;    /* boot medium counters at the Xen banner */
    uint64_t xen_ops, xen_bytes;
    char port[16];
} chk;

void md_check_say(chk *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = md_xvasprintf(fmt, ap);
    va_end(ap);
    md_out_say(c->o->out, MD_OUT_RESULT, "%s", line);
    free(line);
}

static double since(const chk *c) { return md_run_now() - c->t0; }

/* The console line containing offset `off`, and up to `more` lines after. */
static char *console_lines(const chk *c, size_t off, int more)
{
    const char *t = md_qemu_console_text(c->con);
    size_t n = md_qemu_console_size(c->con), s = off, e = off;
    while (s > 0 && t[s - 1] != '\n')
        s--;
    for (int i = 0; i <= more && e < n; i++) {
        while (e < n && t[e] != '\n')
            e++;
        if (e < n && i < more)
            e++;
    }
    char *out = md_xmalloc(e - s + 1);
    memcpy(out, t + s, e - s);
    out[e - s] = '\0';
    for (char *p = out; *p; p++)
        if (*p == '\r')
            *p = ' ';
    return out;
}

/* Signs of a dead boot; reported at once instead of waiting for a timeout. */
static const char *const fatal_marks[] = {
    "Panic on CPU", "Kernel panic - not syncing", "Unhandled: vec", "Hardware Dom0 crashed",
    "Domain 0 crashed", "Could not set up DOM0", NULL,
};

typedef enum { WAIT_OK, WAIT_TIMEOUT, WAIT_FATAL, WAIT_EXIT } wres;

/* Wait until `needle` appears at or after `from`. */
static wres wait_for(chk *c, const char *needle, size_t from, double deadline, long *at, char **why)
{
    for (;;) {
        md_qemu_console_poll(c->con);
        long off = md_qemu_console_find(c->con, needle, from);
        if (off >= 0) {
            *at = off;
            return WAIT_OK;
        }
        for (const char *const *f = fatal_marks; *f; f++) {
            long fo = md_qemu_console_find(c->con, *f, from);
            if (fo >= 0) {
                md_qemu_console_poll(c->con);
                usleep(300000); /* let the rest of the message arrive */
                md_qemu_console_poll(c->con);
                *why = console_lines(c, (size_t)fo, 4);
                return WAIT_FATAL;
            }
        }
        int st;
        if (md_boot_exited(c->boot, &st)) {
            md_qemu_console_poll(c->con);
            unsigned char *d = NULL;
            size_t len = 0;
            md_err e2 = MD_ERR_INIT;
            char *qlog = NULL;
            if (md_read_file(md_boot_qemu_errlog(c->boot), &d, &len, &e2) == 0) {
                qlog = md_xmalloc(len + 1);
                memcpy(qlog, d, len);
                qlog[len] = '\0';
                free(d);
            }
            *why = md_xasprintf("QEMU exited (status %d)%s%s", st,
                                qlog && *qlog ? ": " : "", qlog ? md_run_tail(qlog, 600) : "");
            free(qlog);
            return WAIT_EXIT;
        }
        if (md_run_now() > deadline)
            return WAIT_TIMEOUT;
        usleep(100000);
    }
}

static void ssh_argv(chk *c, md_strv *v, bool tty, const char *cmd)
{
    /* -F /dev/null: the user's ssh config (proxies, other keys) stays out of it. */
    const char *base[] = { "ssh", "-F", "/dev/null", "-i", c->key, "-p", c->port, "-o", "StrictHostKeyChecking=no",
                           "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                           "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR",
                           "-o", "IdentitiesOnly=yes", "-o", "PasswordAuthentication=no",
                           "-o", "ServerAliveInterval=15", NULL };
    for (const char *const *p = base; *p; p++)
        md_strv_push(v, *p);
    if (tty)
        md_strv_push(v, "-tt");
    md_strv_push(v, "root@127.0.0.1");
    md_strv_push(v, cmd);
}

/* Run `cmd` in the dom0.  Returns the run's status (255: ssh itself failed). */
static int ssh(chk *c, const char *cmd, const char *stdin_path, bool tty, double timeout,
               const char *until, md_run_result *r)
{
    md_strv v = { 0 };
    ssh_argv(c, &v, tty, cmd);
    md_run_opts ro = { .stdin_path = stdin_path, .timeout_s = timeout, .until = until };
    md_err e = MD_ERR_INIT;
    int rc = md_run((const char *const *)v.v, &ro, r, &e);
    md_strv_free(&v);
    if (rc < 0) {
        free(r->out);
        r->out = md_xstrdup(e.msg);
        r->len = strlen(r->out);
        r->status = 255;
    }
    return r->timed_out ? -1 : r->status;
}

/* --- diagnoses: what the console log and the image say about a failure --- */

static bool rootfs_has(const md_tree *t, const char *pattern)
{
    for (const md_node *n = md_tree_first(t); n; n = md_tree_next(t, n))
        if (!fnmatch(pattern, md_node_path(n), 0))
            return true;
    return false;
}

static char *rootfs_text(const md_tree *t, const char *path)
{
    const md_node *n = md_tree_resolve(t, path);
    if (!n || (md_node_type_of(n) != MD_NODE_FILE && md_node_type_of(n) != MD_NODE_HARDLINK))
        return NULL;
    size_t sz;
    const unsigned char *d = md_node_data(n, &sz);
    char *s = md_xmalloc(sz + 1);
    memcpy(s, d, sz);
    s[sz] = '\0';
    return s;
}

/* Lint's errors for traps 1, 3 and 5, as a hint. */
static char *lint_hint(const chk *c, int trap)
{
    if (!c->rootfs)
        return NULL;
    md_lint *l = md_lint_new();
    md_lint_rootfs(l, "rootfs", c->rootfs, NULL);
    char *s = NULL;
    for (size_t i = 0; i < md_lint_count(l); i++) {
        if (md_lint_severity(l, i) != MD_LINT_ERROR || (trap && md_lint_trap(l, i) != trap))
            continue;
        char *n = md_xasprintf("%s%s  lint: %s: %s", s ? s : "", s ? "\n" : "", md_lint_file(l, i),
                               md_lint_message(l, i));
        free(s);
        s = n;
    }
    md_lint_free(l);
    return s;
}

int md_check_fail(chk *c, md_err *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *m = md_xvasprintf(fmt, ap);
    va_end(ap);
    md_err_set(err, "%s\n  console log: %s", m, md_boot_console_log(c->boot));
    free(m);
    return -1;
}

/* --- for the steps in other files (check_int.h) --------------------------- */

int md_check_ssh(chk *c, const char *cmd, double timeout, md_run_result *r)
{
    return ssh(c, cmd, NULL, false, timeout, NULL, r);
}

double md_check_since(const chk *c) { return since(c); }

bool md_check_running(chk *c)
{
    return !(c->o->cancel && c->o->cancel->requested) && !md_boot_exited(c->boot, NULL);
}

double md_check_guest_timeout(const chk *c, double dflt)
{
    return c->o->guest_timeout > 0 ? c->o->guest_timeout : dflt;
}

bool md_check_console_wait(chk *c, const char *needle, double timeout, char **line)
{
    long at = -1;
    char *why = NULL;
    wres w = wait_for(c, needle, 0, md_run_now() + timeout, &at, &why);
    free(why);
    if (w != WAIT_OK)
        return false;
    *line = console_lines(c, (size_t)at, 0);
    return true;
}

static int diagnose_no_login(chk *c, md_err *err, wres w, char *why, const char *stage)
{
    double limit = c->o->boot_timeout > 0 ? c->o->boot_timeout : 300;
    char *hint = NULL;
    int rc;
    if (w == WAIT_FATAL) {
        rc = md_check_fail(c, err, "boot failed before the login prompt (%s): %s", stage, why);
    } else if (w == WAIT_EXIT) {
        rc = md_check_fail(c, err, "boot failed before the login prompt (%s): %s", stage, why);
    } else if (c->ev[EV_XEN] < 0) {
        long g = md_qemu_console_find(c->con, "error:", 0);
        char *gl = g >= 0 ? console_lines(c, (size_t)g, 2) : NULL;
        rc = md_check_fail(c, err, "no Xen banner on the serial console within %.0f s: the firmware or "
                          "GRUB did not start Xen%s%s", limit, gl ? "; GRUB said: " : "", gl ? gl : "");
        free(gl);
    } else if (c->ev[EV_LINUX] < 0) {
        rc = md_check_fail(c, err, "Xen started but the dom0 kernel printed nothing within %.0f s (no "
                          "\"Linux version\"): wrong kernel module, or dom0 has no console= on "
                          "its line", limit);
    } else if (c->ev[EV_INIT] < 0) {
        rc = md_check_fail(c, err, "the dom0 kernel started but never ran init within %.0f s (is "
                          "rdinit=/sbin/init present in the image?)", limit);
    } else {
        /* Init ran; no login prompt.  The classic: no getty on hvc0 (trap 1). */
        char when[160];
        if (c->ssh_without_login)
            snprintf(when, sizeof when, "although sshd answers (the dom0 is up; waited %.0f s "
                     "more)", LOGIN_GRACE);
        else
            snprintf(when, sizeof when, "within %.0f s", limit);
        char *kargs = md_bootcfg_cmdline(&md_boot_entry(c->boot)->kernel.args);
        bool hvc0 = strstr(kargs, "console=hvc0");
        free(kargs);
        if (!hvc0) {
            rc = md_check_fail(c, err, "no login prompt on hvc0 within %.0f s: the dom0 kernel line has no "
                              "console=hvc0 (trap 1), so init's output never reaches the console",
                      limit);
        } else if ((hint = lint_hint(c, 1))) {
            rc = md_check_fail(c, err, "no login prompt on hvc0 %s; lint finds trap 1 in the image:\n%s",
                      when, hint);
        } else {
            rc = md_check_fail(c, err, "no login prompt on hvc0 %s although init ran, and lint finds no "
                              "trap 1 in the image (the console log shows what the getty did)",
                      when);
        }
    }
    free(hint);
    free(why);
    return rc;
}

/* `xl list` failed: ask the dom0 why, and the image. */
static int diagnose_xl(chk *c, md_err *err, const char *xl_out)
{
    md_run_result r;
    ssh(c, "echo \"/dev/xen: $(ls /dev/xen 2>&1 | tr '\\n' ' ')\"; "
           "echo \"xen modules: $(grep -E '^xen' /proc/modules | cut -d' ' -f1 | tr '\\n' ' ')\"; "
           "echo \"xenstored: $( (pidof xenstored || pidof oxenstored) 2>/dev/null || echo not running)\"; "
           "echo \"/proc/xen: $(ls /proc/xen 2>&1 | tr '\\n' ' ')\"",
        NULL, false, 60, NULL, &r);
    const char *o = r.out;
    const char *dx = strstr(o, "/dev/xen:");
    bool no_privcmd = !dx || !strstr(dx, "privcmd");
    bool img_has_mod = c->rootfs && rootfs_has(c->rootfs, "*/drivers/xen/xen-privcmd.ko*");
    char *what;
    if (strstr(xl_out, "gnttab") || strstr(xl_out, "Invalid argument") ||
        md_qemu_console_find(c->con, "Failed to open connection to gnttab", 0) >= 0 ||
        strstr(xl_out, "version mismatch") || strstr(xl_out, "hypercall"))
        what = md_xasprintf("the toolstack does not talk to this hypervisor (trap 2: xen-utils "
                            "built for another Xen release than xen.gz?)");
    else if (no_privcmd && !img_has_mod)
        what = md_xasprintf("/dev/xen/privcmd is missing and the image has no xen-privcmd module: "
                            "the Xen kernel modules are missing from the image (trap 5)");
    else if (no_privcmd)
        what = md_xasprintf("/dev/xen/privcmd is missing although the image has the module: "
                            "nothing loaded the Xen modules or created /dev/xen (trap 3)");
    else if (strstr(o, "xenstored: not running"))
        what = md_xasprintf("xenstored is not running (it failed to start; see the console log)");
    else
        what = md_xasprintf("see the dom0's state below");
    char *hint = lint_hint(c, 0);
    int rc = md_check_fail(c, err, "xl list failed: %s\n  xl said: %s\n  dom0 state (/dev/xen, modules, "
                          "xenstored, /proc/xen):\n%s%s%s",
                  what, md_run_tail(xl_out, 500), md_run_tail(o, 800), hint ? "\n" : "",
                  hint ? hint : "");
    free(hint);
    free(what);
    md_run_result_free(&r);
    return rc;
}

/* --- steps ------------------------------------------------------------- */

/* The login prompt, or an early verdict: when sshd answers but no prompt
 * follows within LOGIN_GRACE seconds, the dom0 is up and the console is what
 * is wrong (trap 1); waiting out the whole time limit would tell nothing more. */
static wres wait_for_login(chk *c, size_t from, double deadline, long *at, char **why)
{
    double ssh_ok = -1;
    for (;;) {
        double slice = md_run_now() + 5;
        wres w = wait_for(c, "login:", from, slice < deadline ? slice : deadline, at, why);
        if (w != WAIT_TIMEOUT || md_run_now() >= deadline)
            return w;
        if (ssh_ok < 0) {
            md_run_result r;
            if (ssh(c, "true", NULL, false, 10, NULL, &r) == 0)
                ssh_ok = md_run_now();
            md_run_result_free(&r);
        } else if (md_run_now() - ssh_ok > LOGIN_GRACE) {
            c->ssh_without_login = true;
            return WAIT_TIMEOUT;
        }
    }
}

static int boot_to_login(chk *c, size_t from, double deadline, bool record, md_err *err)
{
    static const char *const needles[] = { "Xen version", "Linux version", " as init process",
                                           "login:" };
    static const enum ev evs[] = { EV_XEN, EV_LINUX, EV_INIT, EV_LOGIN };
    static const char *const stage[] = { "waiting for Xen", "waiting for the dom0 kernel",
                                         "waiting for init", "waiting for the login prompt" };
    size_t pos = from;
    for (int i = 0; i < 4; i++) {
        long at = -1;
        char *why = NULL;
        wres w;
        if (record && evs[i] == EV_LOGIN)
            w = wait_for_login(c, pos, deadline, &at, &why);
        else
            w = wait_for(c, needles[i], pos, deadline, &at, &why);
        if (w != WAIT_OK)
            return record ? diagnose_no_login(c, err, w, why, stage[i])
                          : (free(why), md_check_fail(c, err, "after system_reset: no %s within the "
                                                     "time limit (%s)", needles[i], stage[i]));
        if (record) {
            c->ev[evs[i]] = md_qemu_console_time(c->con, (size_t)at);
            if (evs[i] == EV_XEN) {
                md_check_say(c, "ok   Xen banner             %6.1f s", c->ev[EV_XEN]);
                /* GRUB is done once Xen runs: what it read, for comparison. */
                md_err e = MD_ERR_INIT;
                if (md_boot_disk_id(c->boot) && c->qmp)
                    c->xen_stats_ok = md_qemu_qmp_blockstats(c->qmp, md_boot_disk_id(c->boot),
                                                             &c->xen_ops, &c->xen_bytes, &e) == 0;
            }
            else if (evs[i] == EV_LINUX)
                md_check_say(c, "ok   dom0 kernel            %6.1f s", c->ev[EV_LINUX]);
            else if (evs[i] == EV_INIT)
                md_check_say(c, "ok   init started           %6.1f s", c->ev[EV_INIT]);
        }
        pos = (size_t)at + 1;
    }
    if (record) {
        /* OpenRC's banner: "OpenRC 0.46 is starting up Linux ...". */
        const char *text = md_qemu_console_text(c->con);
        for (long orc = md_qemu_console_find(c->con, "OpenRC ", from); orc >= 0 && (size_t)orc < pos;
             orc = md_qemu_console_find(c->con, "OpenRC ", (size_t)orc + 1))
            if (text[orc + 7] >= '0' && text[orc + 7] <= '9') {
                c->ev[EV_OPENRC] = md_qemu_console_time(c->con, (size_t)orc);
                break;
            }
        c->login_off = pos;
        c->ev[EV_LOGIN] = md_qemu_console_time(c->con, pos - 1);
        md_check_say(c, "ok   login prompt on hvc0   %6.1f s", c->ev[EV_LOGIN]);
    }
    return 0;
}

static int wait_ssh(chk *c, double limit, double *when, md_err *err)
{
    double deadline = md_run_now() + limit;
    md_run_result r = { 0 };
    for (;;) {
        md_run_result_free(&r);
        int st = ssh(c, "echo mkdom0-ssh-ok", NULL, false, 20, NULL, &r);
        if (st == 0 && strstr(r.out, "mkdom0-ssh-ok")) {
            *when = since(c);
            md_run_result_free(&r);
            return 0;
        }
        if (strstr(r.out, "Permission denied")) {
            int rc = md_check_fail(c, err, "sshd answers but refuses the key %s (Permission denied): the "
                                  "image's /root/.ssh/authorized_keys does not hold its public key",
                          c->o->ssh_key);
            md_run_result_free(&r);
            return rc;
        }
        if (md_run_now() > deadline || md_boot_exited(c->boot, NULL))
            break;
        sleep(2);
    }
    char *hint = NULL;
    if (c->rootfs && !rootfs_has(c->rootfs, "*/sshd") && !rootfs_has(c->rootfs, "*/dropbear"))
        hint = md_xstrdup("the image has no sshd or dropbear");
    else if (md_qemu_console_find(c->con, "eth0", 0) < 0)
        hint = md_xasprintf("the dom0 kernel never mentioned eth0: no driver for the emulated "
                            "NIC (%s) in the image?", c->o->boot.nic ? c->o->boot.nic : "e1000e");
    else
        hint = md_xstrdup("no network configuration (DHCP on eth0) or sshd not started?");
    int rc = md_check_fail(c, err, "sshd did not answer on 127.0.0.1:%s within %.0f s after the login "
                          "prompt: %s\n  last ssh output: %s",
                  c->port, limit, hint, md_run_tail(r.out, 300));
    free(hint);
    md_run_result_free(&r);
    return rc;
}

static int check_xl(chk *c, md_err *err)
{
    md_run_result r;
    int st = ssh(c, "xl list 2>&1", NULL, false, 120, NULL, &r);
    if (st != 0 || !strstr(r.out, "Domain-0")) {
        int rc = diagnose_xl(c, err, r.out);
        md_run_result_free(&r);
        return rc;
    }
    c->ev[EV_XL] = since(c);
    md_check_say(c, "ok   xl list: Domain-0      %6.1f s", c->ev[EV_XL]);
    md_run_result_free(&r);

    st = ssh(c, "xl info 2>&1", NULL, false, 120, NULL, &r);
    const char *caps = st == 0 ? strstr(r.out, "virt_caps") : NULL;
    if (!caps) {
        int rc = md_check_fail(c, err, "xl info failed or shows no virt_caps: %s", md_run_tail(r.out, 500));
        md_run_result_free(&r);
        return rc;
    }
    const char *colon = strchr(caps, ':');
    size_t n = colon ? strcspn(colon + 1, "\r\n") : 0;
    char *line = md_xmalloc(n + 1);
    memcpy(line, colon ? colon + 1 : "", n);
    line[n] = '\0';
    md_run_result_free(&r);
    md_strv have = { 0 }, want = { 0 };
    md_strv_split(&have, line, false);
    md_strv_split(&want, c->o->expect_caps ? c->o->expect_caps : "hvm hap hvm_directio", false);
    char *missing = NULL;
    for (size_t i = 0; i < want.n; i++)
        if (!md_strv_contains(&have, want.v[i])) {
            char *m = md_xasprintf("%s%s%s", missing ? missing : "", missing ? " " : "", want.v[i]);
            free(missing);
            missing = m;
        }
    int rc = 0;
    if (missing)
        rc = md_check_fail(c, err, "xl info virt_caps lacks %s (has:%s): the emulated CPU/IOMMU does not "
                          "give Xen what the design's host has (-cpu ...,+svm,+npt and "
                          "-device amd-iommu)", missing, line);
    else
        md_check_say(c, "ok   xl info virt_caps:%s", line);
    free(missing);
    free(line);
    md_strv_free(&have);
    md_strv_free(&want);
    return rc;
}

static int copy_in(chk *c, const char *src, const char *dst, md_err *err)
{
    char *cmd = md_xasprintf("cat > %s", dst);
    md_run_result r;
    int st = ssh(c, cmd, src, false, 300, NULL, &r);
    free(cmd);
    int rc = 0;
    if (st != 0)
        rc = md_check_fail(c, err, "copying %s into the dom0's %s failed (is /tmp writable and large "
                          "enough?): %s", src, dst, md_run_tail(r.out, 300));
    md_run_result_free(&r);
    return rc;
}

static int run_guest(chk *c, const char *type, md_err *err)
{
    char upper[8];
    size_t i = 0;
    for (; type[i] && i < sizeof upper - 1; i++)
        upper[i] = (char)(type[i] >= 'a' && type[i] <= 'z' ? type[i] - 32 : type[i]);
    upper[i] = '\0';
    char *marker = md_xasprintf("MKDOM0-GUEST-%s-OK", upper);
    /* The config is written by the dom0's shell; no quotes inside values. */
    char *cmd = md_xasprintf(
        "xl destroy mkdom0-%s >/dev/null 2>&1; "
        "[ -d /var/lock ] || { mkdir -p /var/lock && echo 'mkdom0-note: no /var/lock in the dom0 "
        "(xl console needs it); made it'; }; "
        "printf '%%s\\n' 'name=\"mkdom0-%s\"' 'type=\"%s\"' 'kernel=\"/tmp/mkdom0-vmlinuz\"' "
        "'ramdisk=\"/tmp/mkdom0-guest.cpio.gz\"' 'memory=256' 'vcpus=1' "
        "'extra=\"console=hvc0 rdinit=/init mkdom0.t=%s quiet\"' "
        "'on_poweroff=\"destroy\"' 'on_reboot=\"destroy\"' 'on_crash=\"destroy\"' "
        "> /tmp/mkdom0-%s.cfg && xl create -c /tmp/mkdom0-%s.cfg",
        type, type, type, upper, type, type);
    double limit = c->o->guest_timeout > 0 ? c->o->guest_timeout : 240;
    double t = md_run_now();
    md_run_result r;
    ssh(c, cmd, NULL, true, limit, marker, &r);
    free(cmd);
    double took = md_run_now() - t;
    char *cleanup = md_xasprintf("xl destroy mkdom0-%s >/dev/null 2>&1; true", type);
    md_run_result r2;
    ssh(c, cleanup, NULL, false, 60, NULL, &r2);
    md_run_result_free(&r2);
    free(cleanup);
    if (strstr(r.out, "mkdom0-note:"))
        md_check_say(c, "note the dom0 has no /var/lock, which `xl console` needs; the check made it");
    int rc = 0;
    if (!r.matched) {
        for (char *p = r.out; *p; p++)
            if (*p == '\r')
                *p = ' ';
        rc = md_check_fail(c, err, "%s guest: no %s on its console within %.0f s%s\n  xl create -c "
                          "said: %s",
                  upper, marker, limit, r.timed_out ? " (timed out)" : "", md_run_tail(r.out, 1200));
    } else {
        md_check_say(c, "ok   %-4s guest: %s (%.1f s)", upper, marker, took);
    }
    md_run_result_free(&r);
    free(marker);
    return rc;
}

/* `xl reboot`: a PVH guest with no vif and no disk (so no hotplug script
 * competes for the 2 CPUs) that stays up, restarted by its `xl create`
 * daemon with on_reboot="restart" as a new domain.  xl reboot is retried
 * until the guest's kernel has its xenstore control node (before that xl
 * says the PV control interface is not available). */
static int check_reboot(chk *c, md_err *err)
{
    static const char cmd[] =
        "xl destroy mkdom0-rb >/dev/null 2>&1; "
        "printf '%s\\n' 'name=\"mkdom0-rb\"' 'type=\"pvh\"' 'kernel=\"/tmp/mkdom0-vmlinuz\"' "
        "'ramdisk=\"/tmp/mkdom0-guest.cpio.gz\"' 'memory=256' 'vcpus=1' "
        "'extra=\"console=hvc0 rdinit=/init mkdom0.t=STAY quiet\"' "
        "'on_poweroff=\"destroy\"' 'on_reboot=\"restart\"' 'on_crash=\"destroy\"' "
        "> /tmp/mkdom0-rb.cfg && xl create /tmp/mkdom0-rb.cfg >/dev/null || exit 1; "
        "d1=$(xl domid mkdom0-rb); i=0; "
        "until xl reboot mkdom0-rb 2>/dev/null; do i=$((i+1)); [ $i -gt 120 ] && "
        "{ echo \"mkdom0-rb: xl reboot refused for 240 s\"; xl reboot mkdom0-rb; exit 1; }; sleep 2; done; "
        "i=0; while :; do d2=$(xl domid mkdom0-rb 2>/dev/null); "
        "[ -n \"$d2\" ] && [ \"$d2\" != \"$d1\" ] && break; i=$((i+1)); [ $i -gt 120 ] && "
        "{ echo \"mkdom0-rb: no new domain 240 s after xl reboot of domain $d1\"; exit 1; }; sleep 2; done; "
        "i=0; until xl shutdown -w mkdom0-rb >/dev/null 2>&1; do i=$((i+1)); [ $i -gt 120 ] && "
        "{ echo \"mkdom0-rb: the restarted domain $d2 never took xl shutdown\"; exit 1; }; sleep 2; done; "
        "xl list mkdom0-rb >/dev/null 2>&1 && { echo 'mkdom0-rb: still listed after xl shutdown -w'; exit 1; }; "
        "echo \"MKDOM0-RB-OK $d1 $d2\"";
    double t = md_run_now();
    md_run_result r;
    ssh(c, cmd, NULL, false, 600, NULL, &r);
    double took = md_run_now() - t;
    md_run_result cleanup;
    ssh(c, "xl destroy mkdom0-rb >/dev/null 2>&1; true", NULL, false, 60, NULL, &cleanup);
    md_run_result_free(&cleanup);
    unsigned d1 = 0, d2 = 0;
    const char *ok = strstr(r.out, "MKDOM0-RB-OK ");
    int rc = 0;
    if (!ok || sscanf(ok, "MKDOM0-RB-OK %u %u", &d1, &d2) != 2)
        rc = md_check_fail(c, err, "xl reboot: the guest was not restarted and shut down cleanly: %s",
                  md_run_tail(r.out, 800));
    else
        md_check_say(c, "ok   xl reboot: domain %u restarted as %u, then xl shutdown ended it (%.1f s)", d1, d2,
            took);
    md_run_result_free(&r);
    return rc;
}

/* --- guests with a vif on the bridge and a file-backed disk --------------- */

/* A value of the image's network settings (/etc/conf.d/network, written by
 * `mkdom0 build` from [System]): `key="value"` at a line start; NULL: none
 * or empty. */
static char *image_net_setting(const chk *c, const char *key)
{
    char *text = c->rootfs ? rootfs_text(c->rootfs, "/etc/conf.d/network") : NULL;
    size_t klen = strlen(key);
    char *val = NULL;
    for (char *line = text; line && *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
        if (strncmp(line, key, klen) || line[klen] != '=')
            continue;
        char *v = line + klen + 1;
        if (*v == '"')
            v++;
        size_t n = strcspn(v, "\"\n \t#");
        if (n)
            val = strndup(v, n);
        break;
    }
    free(text);
    return val;
}

/* The guest bridge the image's network service makes ([System] Bridge=);
 * NULL: none. */
static char *image_bridge(const chk *c) { return image_net_setting(c, "bridge"); }

/* [System] GuestNetwork=route: guests' vifs go through Xen's vif-route. */
static bool image_routed(const chk *c)
{
    char *v = image_net_setting(c, "guest_network");
    bool routed = v && !strcmp(v, "route");
    free(v);
    return routed;
}

/* Why Xen's hotplug scripts cannot run in this image, from the image itself:
 * the scripts, their interpreter, the tools they call. */
static char *hotplug_cause(const chk *c)
{
    if (!c->rootfs)
        return NULL;
    bool routed = image_routed(c);
    const char *const scripts[] = { routed ? "/etc/xen/scripts/vif-route" : "/etc/xen/scripts/vif-bridge",
                                    "/etc/xen/scripts/block", NULL };
    for (const char *const *sp = scripts; *sp; sp++) {
        char *text = rootfs_text(c->rootfs, *sp);
        if (!text)
            return md_xasprintf("the image has no %s (xen-utils-common's hotplug script)", *sp);
        char *interp = NULL;
        if (!strncmp(text, "#!", 2)) {
            size_t b = strspn(text + 2, " \t");
            interp = strndup(text + 2 + b, strcspn(text + 2 + b, " \t\n"));
        }
        free(text);
        if (interp && !md_tree_resolve(c->rootfs, interp)) {
            char *m = md_xasprintf("the image has no %s, the interpreter of Xen's hotplug "
                                   "scripts (%s, ...): `xl create` cannot run them (add bash "
                                   "to [Packages] Include=)", interp, *sp);
            free(interp);
            return m;
        }
        free(interp);
    }
    static const char *const tools[] = { "/usr/bin/xenstore-read", "/usr/bin/xenstore-write", NULL };
    for (const char *const *tp = tools; *tp; tp++)
        if (!md_tree_resolve(c->rootfs, *tp))
            return md_xasprintf("the image has no %s, which Xen's hotplug scripts call (add "
                                "xenstore-utils to [Packages] Include= and take it out of "
                                "Exclude=)", *tp);
    /* vif-route's `ip -4 -o addr show primary` is beyond busybox's ip. */
    const md_node *ip = routed ? md_tree_resolve(c->rootfs, "/usr/bin/ip") : NULL;
    if (routed && (!ip || md_node_type_of(ip) != MD_NODE_FILE))
        return md_xstrdup("the image has no iproute2 ip (/usr/bin/ip), which vif-route needs to "
                          "read the dom0's address ([System] GuestNetwork=route adds iproute2)");
    return NULL;
}

static int guest_io_fail(chk *c, md_err *err, const char *what, const char *out)
{
    char *cause = hotplug_cause(c);
    int rc = md_check_fail(c, err, "guest network and disk: %s%s%s\n  dom0 said: %s", what,
                  cause ? ": " : "", cause ? cause : "", md_run_tail(out ? out : "", 1200));
    free(cause);
    return rc;
}

/* How the I/O guest is wired: its vif on `dev` (the image's bridge), or
 * routed by vif-route through `dev` (the NIC the network service gave xl.conf
 * as vif.default.gatewaydev); dom0's address there, the guest's with prefix
 * (routed: a /32 of the dom0's subnet, as a hosting provider hands out). */
typedef struct guest_net {
    bool on, routed;
    char dev[64], dom0[16], guest[20];
} guest_net;

/* The dom0's IPv4 address and prefix on its guest-facing interface, and an
 * address for the guest in the same subnet (QEMU's user network: nothing
 * leaves the VM). */
static int guest_addresses(chk *c, guest_net *n, md_err *err)
{
    char *cmd = n->routed
        ? md_xstrdup("d=$(sed -n 's/^vif\\.default\\.gatewaydev=\"\\(.*\\)\"/\\1/p' "
                     "/etc/xen/xl.conf | tail -n 1); echo \"gatewaydev=$d\"; ip -4 addr show dev \"$d\"")
        : md_xasprintf("echo gatewaydev=%s; ip -4 addr show dev %s", n->dev, n->dev);
    md_run_result r;
    int st = ssh(c, cmd, NULL, false, 60, NULL, &r);
    free(cmd);
    unsigned a, b, cc, d, pfx;
    const char *gw = strstr(r.out, "gatewaydev=");
    if (gw)
        snprintf(n->dev, sizeof n->dev, "%.*s", (int)strcspn(gw + 11, "\r\n"), gw + 11);
    const char *inet = st == 0 ? strstr(r.out, "inet ") : NULL;
    if (!n->dev[0] || !inet || sscanf(inet, "inet %u.%u.%u.%u/%u", &a, &b, &cc, &d, &pfx) != 5 ||
        pfx > 30 || pfx < 8) {
        int rc = guest_io_fail(c, err, n->routed
            ? "the dom0 has no IPv4 address on the NIC that xl.conf's vif.default.gatewaydev "
              "names (network service or DHCP failed?)"
            : "the dom0 has no IPv4 address on its guest bridge (network service or DHCP "
              "failed?)", r.out);
        md_run_result_free(&r);
        return rc;
    }
    md_run_result_free(&r);
    snprintf(n->dom0, sizeof n->dom0, "%u.%u.%u.%u", a, b, cc, d);
    snprintf(n->guest, sizeof n->guest, "%u.%u.%u.%u/%u", a, b, cc, d == 222 ? 223 : 222,
             n->routed ? 32 : pfx);
    return 0;
}

/* Routed: the dom0 reaches the guest's /32 through its vif (vif-route's host
 * route), with no bridge and with forwarding on (the network service). */
static int check_routed(chk *c, const guest_net *n, const char *ip, md_err *err)
{
    char *cmd = md_xasprintf("echo route: $(ip -4 route show %s); echo forward=$(cat "
                             "/proc/sys/net/ipv4/ip_forward); echo proxy_arp=$(cat "
                             "/proc/sys/net/ipv4/conf/%s/proxy_arp); echo bridges: "
                             "$(ls -d /sys/class/net/*/bridge 2>/dev/null); echo mkdom0-end",
                             ip, n->dev);
    md_run_result r;
    ssh(c, cmd, NULL, false, 60, NULL, &r);
    free(cmd);
    const char *route = strstr(r.out, "route: ");
    const char *via = route ? strstr(route, " dev vif") : NULL;
    int rc = 0;
    if (!strstr(r.out, "mkdom0-end"))
        rc = guest_io_fail(c, err, "cannot read the dom0's routes", r.out);
    else if (!via || via > strchr(route, '\n'))
        rc = guest_io_fail(c, err, "routed: the dom0 has no host route to the guest through its "
                                   "vif (vif-route did not run?)", r.out);
    else if (!strstr(r.out, "forward=1") || !strstr(r.out, "proxy_arp=1"))
        rc = guest_io_fail(c, err, "routed: IP forwarding or proxy ARP on the NIC is off (the "
                                   "network service sets them with guest_network=route)", r.out);
    else if (!strstr(r.out, "bridges: \n") && !strstr(r.out, "bridges:\n") &&
             !strstr(r.out, "bridges: \r"))
        rc = guest_io_fail(c, err, "routed: the dom0 has a bridge, which a routed host should "
                                   "not need", r.out);
    else
        md_check_say(c, "ok   routed: %s via %.*s %6.1f s  (vif-route, no bridge, forwarding and proxy "
               "ARP on %s)", ip, (int)strcspn(via + 5, " \r\n"), via + 5, since(c), n->dev);
    md_run_result_free(&r);
    return rc;
}

/* The phy: disk is the dom0's own loop device over a file; after the guest
 * ends, the dom0 reads the guest's marker through it, blkback has let go of
 * it (no vbd of the guest's domid left) and the dom0 frees it. */
static int check_phy_after(chk *c, const char *loop, const char *domid, unsigned long nonce,
                           md_err *err)
{
    char *cmd = md_xasprintf("dd if=%s bs=512 skip=8 count=1 2>/dev/null | head -n 1; "
                             "echo vbds: $(ls /sys/bus/xen-backend/devices | grep '^vbd-%s-'); "
                             "losetup -d %s && echo mkdom0-freed",
                             loop, domid, loop);
    md_run_result r;
    ssh(c, cmd, NULL, false, 60, NULL, &r);
    free(cmd);
    char *wrote = md_xasprintf("mkdom0-guest-wrote-phy-%lu", nonce);
    int rc = 0;
    if (!strstr(r.out, wrote))
        rc = guest_io_fail(c, err, "after the guest ended, its marker is not on the phy: disk",
                           r.out);
    else if (!strstr(r.out, "vbds: \n") && !strstr(r.out, "vbds:\n") && !strstr(r.out, "vbds: \r"))
        rc = guest_io_fail(c, err, "after `xl destroy` blkback still holds the guest's disks",
                           r.out);
    else if (!strstr(r.out, "mkdom0-freed"))
        rc = guest_io_fail(c, err, "the phy: disk's loop device cannot be freed", r.out);
    else
        md_check_say(c, "ok   phy: disk read back     %6.1f s  (xvdb = %s: guest's marker in the dom0, "
               "vbd detached, loop freed)", since(c), loop);
    free(wrote);
    md_run_result_free(&r);
    return rc;
}

/* One PV guest proves guests' network and disks: its vif (on the bridge, or
 * routed) pings the dom0 and is pinged back; its xvda, a raw file in the dom0
 * attached through a loop device by Xen's block script, and its xvdb, a
 * phy: block device (a loop device the dom0 made), show the dom0's markers
 * and take the guest's, which the dom0 reads after the guest is gone; and
 * then no vif and no loop device is left.
 * xvdb is attached (`xl block-attach`, the same disk spec as in disk=) once
 * xvda is connected (polled with the xenstore tools: xl itself, run every
 * second, slows the block script under TCG): libxl runs the block scripts of a guest's disks at once,
 * they take turns on one lock, and libxl kills any that is not done in its
 * fixed 40 s (LIBXL_HOTPLUG_TIMEOUT); under loaded TCG two bash block
 * scripts in a row outlast it (measured: both killed at load 12 on 2 cores).
 * The guest is PV, not PVH: a PVH guest runs on QEMU TCG's emulation of
 * nested SVM, and there the PVH I/O guest died in a Xen "Triple fault"
 * about a second after xvdb was hot-attached in 2 of 7 boots; the
 * backends, hotplug scripts and loop devices under test are the same for
 * both types, and the storage guest (proof/storage.c) keeps a PVH guest
 * with a disk in the check. */
static int check_guest_io(chk *c, md_err *err)
{
    guest_net n = { 0 };
    char *bridge = image_bridge(c);
    n.routed = image_routed(c);
    n.on = bridge || n.routed;
    if (bridge)
        snprintf(n.dev, sizeof n.dev, "%s", bridge);
    free(bridge);
    if (n.on && guest_addresses(c, &n, err) < 0)
        return -1;
    char net[160] = "";
    char *ip = strndup(n.guest, strcspn(n.guest, "/"));
    /* Routed: no script=, so xl.conf's vif.default.script must name vif-route. */
    if (n.routed)
        snprintf(net, sizeof net, "'vif=[\"ip=%s\"]' ", ip);
    else if (n.on)
        snprintf(net, sizeof net, "'vif=[\"bridge=%s\"]' ", n.dev);
    else
        md_check_say(c, "n/a  guest network: the image has no guest bridge ([System] Bridge=no)");
    unsigned long nonce = (unsigned long)getpid() ^ (unsigned long)(md_run_now() * 1000);
    char *cmd = md_xasprintf(
        "xl destroy mkdom0-io >/dev/null 2>&1; "
        "dd if=/dev/zero of=/tmp/mkdom0-disk.img bs=1024 count=4096 2>/dev/null && "
        "echo mkdom0-dom0-wrote-%lu | dd of=/tmp/mkdom0-disk.img conv=notrunc 2>/dev/null && "
        "dd if=/dev/zero of=/tmp/mkdom0-phy.img bs=1024 count=1024 2>/dev/null && "
        "echo mkdom0-dom0-wrote-phy-%lu | dd of=/tmp/mkdom0-phy.img conv=notrunc 2>/dev/null && "
        "{ [ -e /dev/loop-control ] || modprobe loop; } && L=$(losetup -f) && "
        "losetup \"$L\" /tmp/mkdom0-phy.img && echo \"mkdom0-phy=$L\" && "
        "printf '%%s\\n' 'name=\"mkdom0-io\"' 'type=\"pv\"' 'kernel=\"/tmp/mkdom0-vmlinuz\"' "
        "'ramdisk=\"/tmp/mkdom0-guest.cpio.gz\"' 'memory=256' 'vcpus=1' %s"
        "'disk=[\"format=raw,vdev=xvda,access=rw,target=/tmp/mkdom0-disk.img\"]' "
        "'extra=\"console=hvc0 rdinit=/init mkdom0.n=%lu mkdom0.phy=1%s%s%s%s quiet\"' "
        "'on_poweroff=\"destroy\"' 'on_reboot=\"destroy\"' 'on_crash=\"destroy\"' "
        "> /tmp/mkdom0-io.cfg || exit 1; "
        "{ i=0; while [ $i -lt 200 ]; do sleep 2; i=$((i + 1)); "
        "for D in $(xenstore-list /local/domain/0/backend/vbd 2>/dev/null); do [ \"$(xenstore-read "
        "/local/domain/0/backend/vbd/$D/51712/state 2>/dev/null)\" = 4 ] && break 2; done; "
        "done; xl block-attach mkdom0-io \"phy:$L,xvdb,w\" "
        ">/tmp/mkdom0-phy.log 2>&1 && echo mkdom0-phy-attached || echo \"mkdom0-phy-attach-failed: "
        "$(cat /tmp/mkdom0-phy.log)\"; } & xl create -c /tmp/mkdom0-io.cfg",
        nonce, nonce, net, nonce, n.on ? " mkdom0.ip=" : "", n.on ? n.guest : "",
        n.on ? " mkdom0.peer=" : "", n.on ? n.dom0 : "");
    /* Xen's hotplug scripts (bash, dozens of processes each) add a minute
     * or more under TCG before the guest even starts. */
    double limit = c->o->guest_timeout > 0 ? c->o->guest_timeout : 420;
    double t = md_run_now();
    md_run_result r;
    ssh(c, cmd, NULL, true, limit, "MKDOM0-IO-READY", &r);
    free(cmd);
    for (char *p = r.out; *p; p++)
        if (*p == '\r')
            *p = ' ';
    char loop[32] = "";
    const char *lp = strstr(r.out, "mkdom0-phy=/dev/");
    if (lp)
        snprintf(loop, sizeof loop, "%.*s", (int)strcspn(lp + 11, " \n"), lp + 11);
    char *want = md_xasprintf("MKDOM0-IO-READ:mkdom0-dom0-wrote-%lu", nonce);
    char *want_phy = md_xasprintf("MKDOM0-IO-PHY-READ:mkdom0-dom0-wrote-phy-%lu", nonce);
    int rc = 0;
    if (!r.matched) {
        char *what = r.timed_out ? md_xasprintf("the guest did not come up within %.0f s", limit)
                                 : md_xstrdup("xl create failed");
        rc = guest_io_fail(c, err, what, r.out);
        free(what);
    } else if (n.on && !strstr(r.out, "MKDOM0-IO-PING-OK")) {
        rc = guest_io_fail(c, err, "the guest's vif is up but the guest cannot ping the dom0",
                           r.out);
    } else if (!strstr(r.out, want) || !strstr(r.out, "MKDOM0-IO-WROTE")) {
        rc = guest_io_fail(c, err, "the guest did not read the dom0's marker from xvda or "
                                   "could not write its own", r.out);
    } else if (!loop[0] || strstr(r.out, "mkdom0-phy-attach-failed")) {
        rc = guest_io_fail(c, err, "`xl block-attach mkdom0-io phy:/dev/loopN,xvdb,w` failed",
                           r.out);
    } else if (!strstr(r.out, want_phy) || !strstr(r.out, "MKDOM0-IO-PHY-WROTE")) {
        rc = guest_io_fail(c, err, "the guest did not read the dom0's marker from its phy: "
                                   "disk xvdb or could not write its own", r.out);
    }
    free(want);
    free(want_phy);
    md_run_result_free(&r);
    if (rc == 0) {
        md_check_say(c, "ok   I/O  guest: PV, %s%s%sxvda a file on a loop device, xvdb phy:%s (%.1f s)",
            n.routed ? "vif routed " : n.on ? "vif on " : "", n.routed ? n.guest : n.on ? n.dev : "",
            n.on ? ", " : "", loop, md_run_now() - t);
        if (n.on)
            md_check_say(c, "ok   guest -> dom0 ping     %6.1f s  (%s -> %s)", since(c), n.guest, n.dom0);
        md_check_say(c, "ok   guest read dom0's disk marker %6.1f s", since(c));
    }
    if (rc == 0 && n.on) {
        char *ping = n.routed
            ? md_xasprintf("ping -c 2 -w 30 %s && echo mkdom0-pinged", ip)
            : md_xasprintf("ls /sys/class/net/%s/brif; ping -c 2 -w 30 %s && echo "
                           "mkdom0-pinged", n.dev, ip);
        ssh(c, ping, NULL, false, 60, NULL, &r);
        free(ping);
        if (!strstr(r.out, "mkdom0-pinged"))
            rc = guest_io_fail(c, err, "the dom0 cannot ping the guest", r.out);
        else if (!n.routed && !strstr(r.out, "vif"))
            rc = guest_io_fail(c, err, "the guest's vif is not on the bridge", r.out);
        else
            md_check_say(c, "ok   dom0 -> guest ping     %6.1f s  (%s -> %s)", since(c), n.dom0, ip);
        md_run_result_free(&r);
    }
    if (rc == 0 && n.routed)
        rc = check_routed(c, &n, ip, err);
    /* The guest's marker, from the file, once the guest is gone. */
    char *read = md_xasprintf("echo domid=$(xl domid mkdom0-io); xl destroy mkdom0-io 2>&1; "
                              "dd if=/tmp/mkdom0-disk.img bs=512 skip=8 count=1 2>/dev/null | "
                              "head -n 1");
    ssh(c, read, NULL, false, 180, NULL, &r);
    free(read);
    char domid[16] = "";
    const char *dp = strstr(r.out, "domid=");
    if (dp)
        snprintf(domid, sizeof domid, "%.*s", (int)strspn(dp + 6, "0123456789"), dp + 6);
    char *wrote = md_xasprintf("mkdom0-guest-wrote-%lu", nonce);
    if (rc == 0 && !strstr(r.out, wrote))
        rc = guest_io_fail(c, err, "after the guest ended, its marker is not in the disk file",
                           r.out);
    else if (rc == 0)
        md_check_say(c, "ok   dom0 read guest's disk marker %6.1f s  (after xl destroy)", since(c));
    free(wrote);
    md_run_result_free(&r);
    if (rc == 0 && !domid[0])
        rc = guest_io_fail(c, err, "`xl domid mkdom0-io` did not name the guest", NULL);
    if (rc == 0)
        rc = check_phy_after(c, loop, domid, nonce, err);
    /* Its vif and loop devices go with it (the hotplug scripts' remove).
     * Under TCG on a loaded host Xen's bash scripts take a minute each and
     * run one after another; libxl kills one after 40 s, which its log
     * (/var/log/xen/xl-mkdom0-io.log) then says. */
    double until = md_run_now() + 240;
    bool gone = false;
    while (rc == 0 && !gone) {
        bool last = md_run_now() > until;
        char *ls = md_xasprintf("ls /sys/class/net | grep '^vif'; losetup -a | grep mkdom0-; "
                                "%s%s%s%secho mkdom0-listed", n.routed ? "ip -4 route show " : "",
                                n.routed ? ip : "", n.routed ? "; " : "",
                                last ? "grep -h 'killing execution\\|hotplug' "
                                       "/var/log/xen/xl-mkdom0-io.log 2>/dev/null | tail -n 4; "
                                     : "");
        ssh(c, ls, NULL, false, 60, NULL, &r);
        free(ls);
        gone = strstr(r.out, "mkdom0-listed") && !strstr(r.out, "vif") && !strstr(r.out, "/dev/loop");
        if (!gone && last)
            rc = guest_io_fail(c, err, "240 s after `xl destroy` the guest's vif, its route or a "
                                       "loop device is still there (a hotplug script's remove "
                                       "that libxl killed shows below)", r.out);
        md_run_result_free(&r);
        if (!gone && rc == 0)
            sleep(3);
    }
    if (rc == 0)
        md_check_say(c, "ok   vifs, loop devices gone %6.1f s  (after the guests ended)", since(c));
    free(ip);
    return rc;
}

/* --- an HVM guest (images with [Xen] HVM=yes) ----------------------------- */

/* Where libxl (Debian's build) starts the device model. */
#define DEVICE_MODEL "/usr/libexec/xen-qemu-system-i386"

/* The HVM guest's disk: one boot sector that SeaBIOS loads from the device
 * model's IDE disk and that writes its marker to COM1 (the device model's
 * 16550, which serial="pty" puts on the guest's console), waiting for THRE
 * before each byte, then halts.  A Linux booted with kernel= got no
 * further under TCG than SeaBIOS starting QEMU's linuxboot.bin (the loader
 * that reads the kernel through fw_cfg port I/O): no byte on its console
 * in 15 min, the dom0 too busy to answer ssh. */
static const unsigned char hvm_boot_code[] = {
    0xfc,             /* 7c00 cld (lodsb counts up) */
    0x31, 0xc0,       /* 7c01 xor ax,ax */
    0x8e, 0xd8,       /* 7c03 mov ds,ax */
    0xbe, 0x21, 0x7c, /* 7c05 mov si,msg (7c21) */
    0xac,             /* 7c08 next: lodsb */
    0x84, 0xc0,       /* 7c09 test al,al */
    0x74, 0x11,       /* 7c0b jz 7c1e */
    0x88, 0xc4,       /* 7c0d mov ah,al */
    0xba, 0xfd, 0x03, /* 7c0f mov dx,0x3fd (LSR) */
    0xec,             /* 7c12 wait: in al,dx */
    0xa8, 0x20,       /* 7c13 test al,0x20 (THRE) */
    0x74, 0xfb,       /* 7c15 jz 7c12 */
    0xb2, 0xf8,       /* 7c17 mov dl,0xf8 (THR) */
    0x88, 0xe0,       /* 7c19 mov al,ah */
    0xee,             /* 7c1b out dx,al */
    0xeb, 0xea,       /* 7c1c jmp 7c08 */
    0xf4,             /* 7c1e hlt */
    0xeb, 0xfd,       /* 7c1f jmp 7c1e */
};                    /* 7c21 msg: NUL-terminated */

/* A 64 KiB raw disk: the boot sector with `marker`, then zeros. */
static int hvm_disk(const char *path, const char *marker, md_err *err)
{
    size_t size = 64 * 1024, n = sizeof hvm_boot_code, m = strlen(marker);
    unsigned char *d = md_xcalloc(1, size);
    memcpy(d, hvm_boot_code, n);
    memcpy(d + n, marker, m); /* then "\r\n" and the NUL from calloc */
    memcpy(d + n + m, "\r\n", 2);
    d[510] = 0x55, d[511] = 0xaa;
    int rc = md_write_atomic(path, d, size, 0644, err);
    free(d);
    return rc;
}

/* An HVM guest: hvmloader, SeaBIOS and the device model (QEMU in the dom0)
 * boot it from its emulated IDE disk; its marker comes over the emulated
 * serial port.  Only for images that carry the device model. */
static int check_hvm_guest(chk *c, md_err *err)
{
    if (!c->rootfs || !md_tree_resolve(c->rootfs, DEVICE_MODEL)) {
        md_check_say(c, "n/a  HVM  guest: the image has no device model ([Xen] HVM=no)");
        return 0;
    }
    unsigned long nonce = (unsigned long)getpid() ^ (unsigned long)(md_run_now() * 1000);
    char *marker = md_xasprintf("MKDOM0-GUEST-HVM-%lu", nonce);
    char *disk = md_xasprintf("%s/hvm-disk.img", md_boot_workdir(c->boot));
    if (hvm_disk(disk, marker, err) < 0 || copy_in(c, disk, "/tmp/mkdom0-hvm.img", err) < 0) {
        free(marker), free(disk);
        return -1;
    }
    free(disk);
    /* qdisk: QEMU serves the disk itself, no hotplug script. */
    char *cmd = md_xasprintf(
        "xl destroy mkdom0-hvm >/dev/null 2>&1; "
        "printf '%%s\\n' 'name=\"mkdom0-hvm\"' 'type=\"hvm\"' 'memory=64' 'vcpus=1' "
        "'vnc=0' 'serial=\"pty\"' 'boot=\"c\"' "
        "'disk=[\"format=raw,vdev=hda,access=rw,backendtype=qdisk,target=/tmp/mkdom0-hvm.img\"]' "
        "'on_poweroff=\"destroy\"' 'on_reboot=\"destroy\"' 'on_crash=\"destroy\"' "
        "> /tmp/mkdom0-hvm.cfg && xl create -c /tmp/mkdom0-hvm.cfg");
    double limit = c->o->guest_timeout > 0 ? c->o->guest_timeout : 600;
    double t = md_run_now();
    md_run_result r;
    ssh(c, cmd, NULL, true, limit, marker, &r);
    free(cmd);
    double took = md_run_now() - t;
    md_run_result r2;
    ssh(c, "xl destroy mkdom0-hvm 2>&1; tail -n 5 /var/log/xen/qemu-dm-mkdom0-hvm.log 2>&1", NULL,
        false, 60, NULL, &r2);
    int rc = 0;
    if (!r.matched) {
        for (char *p = r.out; *p; p++)
            if (*p == '\r')
                *p = ' ';
        rc = md_check_fail(c, err, "HVM guest: no %s on its serial console within %.0f s%s\n  xl create "
                          "-c said: %s\n  device model log: %s",
                  marker, limit, r.timed_out ? " (timed out)" : "", md_run_tail(r.out, 1200),
                  md_run_tail(r2.out, 600));
    } else {
        md_check_say(c, "ok   HVM  guest: its boot sector's marker over the emulated COM1 (%.1f s)", took);
    }
    md_run_result_free(&r);
    md_run_result_free(&r2);
    free(marker);
    return rc;
}

/* --- services stay up: killed daemons come back, xenstored's death is loud --- */

/* A "mkdom0-back OLD NEW T0 T1" line: pids, and the dom0's /proc/uptime at
 * the kill and when the new daemon was seen. */
static bool parse_back(const char *out, int *old, int *new_pid, double *took)
{
    const char *b = strstr(out, "mkdom0-back ");
    double t0, t1;
    if (!b || sscanf(b, "mkdom0-back %d %d %lf %lf", old, new_pid, &t0, &t1) != 4)
        return false;
    *took = t1 - t0;
    return true;
}

/* xenconsoled is killed as by a crash (SIGKILL); supervise-daemon must start
 * a new one, which shows it set itself up by holding /dev/xen/gntdev, and
 * which is still the same process 2 s later (no restart loop).  Timed in
 * the dom0, from the kill. */
static int check_xenconsoled_respawn(chk *c, md_err *err)
{
    static const char cmd[] =
        "old=$(pidof xenconsoled) || { echo mkdom0-none; exit 1; }; "
        "t0=$(cut -d' ' -f1 /proc/uptime); kill -9 $old; i=0; "
        "while [ $i -lt 120 ]; do i=$((i + 1)); n=$(pidof xenconsoled); "
        "if [ -n \"$n\" ] && [ \"$n\" != \"$old\" ] && ls -l /proc/$n/fd 2>/dev/null | grep -q "
        "gntdev; then t1=$(cut -d' ' -f1 /proc/uptime); sleep 2; "
        "[ \"$(pidof xenconsoled)\" = \"$n\" ] && "
        "{ echo \"mkdom0-back $old $n $t0 $t1\"; exit 0; }; "
        "echo \"xenconsoled $n did not stay up\"; break; fi; sleep 0.25; done; "
        "echo \"now: $(pidof xenconsoled || echo no xenconsoled)\"; logread | grep -E "
        "'xenconsoled|supervise' | tail -n 5";
    md_run_result r;
    ssh(c, cmd, NULL, false, 90, NULL, &r);
    int old, now, rc = 0;
    double took;
    if (strstr(r.out, "mkdom0-none"))
        rc = md_check_fail(c, err, "services: xenconsoled is not running (before it was killed)");
    else if (!parse_back(r.out, &old, &now, &took))
        rc = md_check_fail(c, err, "services: after `kill -9` xenconsoled did not come back (polled "
                          "120 times; the xenconsoled service runs it under supervise-daemon, "
                          "which should restart it)\n  dom0 said: %s", md_run_tail(r.out, 600));
    else
        md_check_say(c, "ok   xenconsoled restarted  %6.1f s  (%.1f s after kill -9; pid %d -> %d, "
               "holds /dev/xen/gntdev)", since(c), took, old, now);
    md_run_result_free(&r);
    return rc;
}

/* The listening sshd (its pid file; our own session is another process) is
 * killed with SIGKILL; new ssh connections must be answered again, by a new
 * listener.  Timed here, from the kill to the first answer. */
static int check_sshd_respawn(chk *c, md_err *err)
{
    md_run_result r;
    ssh(c, "p=$(cat /run/sshd.pid) && kill -9 $p && echo mkdom0-killed $p", NULL, false, 60,
        NULL, &r);
    int old = 0;
    const char *k = strstr(r.out, "mkdom0-killed ");
    if (!k || sscanf(k, "mkdom0-killed %d", &old) != 1) {
        int rc = md_check_fail(c, err, "services: cannot kill the listening sshd (/run/sshd.pid): %s",
                      md_run_tail(r.out, 300));
        md_run_result_free(&r);
        return rc;
    }
    md_run_result_free(&r);
    double t = md_run_now(), limit = 60;
    for (;;) {
        int st = ssh(c, "echo mkdom0-ssh-ok $(cat /run/sshd.pid)", NULL, false, 20, NULL, &r);
        const char *ok = st == 0 ? strstr(r.out, "mkdom0-ssh-ok ") : NULL;
        int now = 0;
        if (ok && sscanf(ok, "mkdom0-ssh-ok %d", &now) == 1 && now != old) {
            md_check_say(c, "ok   sshd restarted         %6.1f s  (answers %.1f s after kill -9 of the "
                   "listener; pid %d -> %d)", since(c), md_run_now() - t, old, now);
            md_run_result_free(&r);
            return 0;
        }
        md_run_result_free(&r);
        if (md_run_now() - t > limit)
            return md_check_fail(c, err, "services: sshd does not answer again within %.0f s after its "
                                "listener (pid %d) was killed: the ssh service runs it under "
                                "supervise-daemon, which should restart it", limit, old);
        sleep(1);
    }
}

/* xenstored is killed; it must not come back (a new store would know no
 * domain), and the dom0 must say so: the watcher's alarm on the console and
 * in syslog, and OpenRC's status "crashed".  The toolstack is dead after
 * this: the last step before the reset. */
static int check_xenstored_death(chk *c, md_err *err)
{
    static const char alarm[] = "xenstored died: the toolstack cannot work until reboot";
    md_qemu_console_poll(c->con);
    size_t from = md_qemu_console_size(c->con);
    md_run_result r;
    ssh(c, "p=$(pidof xenstored) && kill -9 $p && echo mkdom0-killed", NULL, false, 60, NULL, &r);
    bool killed = strstr(r.out, "mkdom0-killed");
    char *said = md_xstrdup(md_run_tail(r.out, 300));
    md_run_result_free(&r);
    if (!killed) {
        int rc = md_check_fail(c, err, "services: cannot kill xenstored (not running?): %s", said);
        free(said);
        return rc;
    }
    free(said);
    double t = since(c);
    long at = -1;
    char *why = NULL;
    wres w = wait_for(c, alarm, from, md_run_now() + 30, &at, &why);
    free(why);
    if (w != WAIT_OK)
        return md_check_fail(c, err, "services: xenstored was killed and the console shows no \"%s\" "
                            "within 30 s (xen-dom0-setup watch should say so)", alarm);
    double shown = md_qemu_console_time(c->con, (size_t)at);
    ssh(c, "sleep 3; echo \"xenstored pids:$(pidof xenstored)\"; rc-service xenstored status "
           "2>&1; logread | grep xenstored-watch",
        NULL, false, 60, NULL, &r);
    int rc = 0;
    if (!strstr(r.out, "xenstored pids:\n") && !strstr(r.out, "xenstored pids:\r\n"))
        rc = md_check_fail(c, err, "services: a new xenstored runs after the old one was killed (it "
                          "must not be respawned: it would know no domain): %s",
                  md_run_tail(r.out, 400));
    else if (!strstr(r.out, "crashed"))
        rc = md_check_fail(c, err, "services: `rc-service xenstored status` does not say crashed after "
                          "xenstored died: %s", md_run_tail(r.out, 400));
    else if (!strstr(r.out, "not restarted; the toolstack cannot work until reboot"))
        rc = md_check_fail(c, err, "services: syslog (logread) has no line of xenstored's death: %s",
                  md_run_tail(r.out, 400));
    else
        md_check_say(c, "ok   xenstored death alarm  %6.1f s  (on hvc0 %.1f s after kill -9; not "
               "respawned; status crashed; in syslog)", shown, shown - t);
    md_run_result_free(&r);
    return rc;
}

static int check_services(chk *c, md_err *err)
{
    if (check_xenconsoled_respawn(c, err) < 0 || check_sshd_respawn(c, err) < 0)
        return -1;
    return check_xenstored_death(c, err);
}

static int blockstats(chk *c, uint64_t *ops, uint64_t *bytes, md_err *err)
{
    md_err e = MD_ERR_INIT;
    if (md_qemu_qmp_blockstats(c->qmp, md_boot_disk_id(c->boot), ops, bytes, &e) < 0)
        return md_check_fail(c, err, "%s", e.msg);
    return 0;
}

static int check_reset(chk *c, md_err *err)
{
    md_run_result r;
    int st = ssh(c, "echo mkdom0 > /root/stateless-probe && sync && test -e /root/stateless-probe "
                    "&& echo probe-written",
                 NULL, false, 60, NULL, &r);
    bool ok = st == 0 && strstr(r.out, "probe-written");
    char *msg = ok ? NULL : md_xstrdup(md_run_tail(r.out, 300));
    md_run_result_free(&r);
    if (!ok) {
        int rc = md_check_fail(c, err, "cannot write /root/stateless-probe in the dom0: %s", msg);
        free(msg);
        return rc;
    }
    md_qemu_console_poll(c->con);
    size_t from = md_qemu_console_size(c->con);
    md_err e = MD_ERR_INIT;
    char *ret = md_qemu_qmp_cmd(c->qmp, "system_reset", NULL, &e);
    if (!ret)
        return md_check_fail(c, err, "%s", e.msg);
    free(ret);
    double t = md_run_now();
    double limit = c->o->boot_timeout > 0 ? c->o->boot_timeout : 300;
    if (boot_to_login(c, from, t + limit, false, err) < 0)
        return -1;
    double when;
    if (wait_ssh(c, c->o->ssh_timeout > 0 ? c->o->ssh_timeout : 90, &when, err) < 0)
        return -1;
    c->reset_login = md_run_now() - t;
    st = ssh(c, "if test -e /root/stateless-probe; then echo probe-still-there; else echo "
                "probe-gone; fi",
             NULL, false, 60, NULL, &r);
    int rc = 0;
    if (strstr(r.out, "probe-still-there"))
        rc = md_check_fail(c, err, "stateless: /root/stateless-probe survived system_reset: the dom0 "
                          "keeps state on a disk");
    else if (!strstr(r.out, "probe-gone"))
        rc = md_check_fail(c, err, "stateless: cannot ask the dom0 after the reset: %s", md_run_tail(r.out, 300));
    else
        md_check_say(c, "ok   stateless: /root/stateless-probe gone after system_reset (login + ssh "
               "again after %.1f s)", c->reset_login);
    md_run_result_free(&r);
    return rc;
}

static void print_timings(chk *c)
{
    md_check_say(c, "%s", "");
    md_check_say(c, "timing (seconds since QEMU start, %s)", md_boot_summary(c->boot));
    md_check_say(c, "  %-18s %7.1f", "QEMU start", 0.0);
    for (int i = 0; i < EV_N; i++) {
        if (c->ev[i] >= 0)
            md_check_say(c, "  %-18s %7.1f", ev_names[i], c->ev[i]);
        else
            md_check_say(c, "  %-18s %7s", ev_names[i], "-");
    }
    if (c->reset_login > 0)
        md_check_say(c, "  %-18s %7.1f  (from system_reset to ssh)", "reboot to ssh", c->reset_login);
    if (!c->o->timings_path)
        return;
    char *text = NULL;
    size_t len = 0;
    FILE *f = md_xmemstream(&text, &len);
    fprintf(f, "qemu\t0.0\n");
    for (int i = 0; i < EV_N; i++) {
        if (c->ev[i] >= 0)
            fprintf(f, "%s\t%.1f\n", ev_keys[i], c->ev[i]);
        else
            fprintf(f, "%s\t-\n", ev_keys[i]);
    }
    if (c->reset_login > 0)
        fprintf(f, "reboot_to_ssh\t%.1f\n", c->reset_login);
    text = md_xmemstream_close(f, &text);
    md_err e = MD_ERR_INIT;
    if (md_write_atomic(c->o->timings_path, text, strlen(text), 0644, &e) < 0)
        md_out_say(c->o->out, MD_OUT_NOTE, "%s", e.msg);
    free(text);
}

/* Guest storage and autostart (proof/storage.c) when the image names a
 * storage: on its disk, or without one its absence said on the console. */
static int check_storage(chk *c, bool after_reset, md_err *err)
{
    if (!c->store) {
        if (!after_reset)
            md_check_say(c, "n/a  guest storage: the image names none ([Guests] Storage=)");
        return 0;
    }
    if (!md_storage_disk(c->store))
        return after_reset ? 0 : md_storage_check_absent(c->store, c, err);
    return after_reset ? md_storage_check_after_reset(c->store, c, err)
                       : md_storage_check_boot(c->store, c, err);
}

static int steps(chk *c, md_err *err)
{
    double limit = c->o->boot_timeout > 0 ? c->o->boot_timeout : 300;
    if (boot_to_login(c, 0, c->t0 + limit, true, err) < 0)
        return -1;
    uint64_t ops0 = 0, bytes0 = 0;
    if (md_boot_disk_id(c->boot) && blockstats(c, &ops0, &bytes0, err) < 0)
        return -1;
    if (wait_ssh(c, c->o->ssh_timeout > 0 ? c->o->ssh_timeout : 90, &c->ev[EV_SSHD], err) < 0)
        return -1;
    md_check_say(c, "ok   sshd answers           %6.1f s", c->ev[EV_SSHD]);
    if (check_xl(c, err) < 0)
        return -1;
    /* Before the check's own guests: the autostart guest's hotplug
     * scripts then do not compete with theirs. */
    if (check_storage(c, false, err) < 0)
        return -1;
    if (!c->o->no_guests) {
        if (copy_in(c, md_boot_kernel_path(c->boot), "/tmp/mkdom0-vmlinuz", err) < 0 ||
            copy_in(c, c->guest_initrd, "/tmp/mkdom0-guest.cpio.gz", err) < 0)
            return -1;
        if (run_guest(c, "pv", err) < 0 || run_guest(c, "pvh", err) < 0 || check_reboot(c, err) < 0 ||
            check_guest_io(c, err) < 0 || check_hvm_guest(c, err) < 0)
            return -1;
    }
    if (!c->o->no_services && check_services(c, err) < 0)
        return -1;
    if (md_boot_disk_id(c->boot)) {
        uint64_t ops1 = 0, bytes1 = 0;
        if (blockstats(c, &ops1, &bytes1, err) < 0)
            return -1;
        if (ops1 != ops0 || bytes1 != bytes0)
            return md_check_fail(c, err, "the boot medium was read after the login prompt: %llu reads, "
                                "%llu bytes (rd_operations %llu -> %llu): something in the dom0 "
                                "uses the disk",
                        (unsigned long long)(ops1 - ops0), (unsigned long long)(bytes1 - bytes0),
                        (unsigned long long)ops0, (unsigned long long)ops1);
        md_check_say(c, "ok   boot medium not read after the login prompt (rd_operations %llu, rd_bytes "
               "%llu: unchanged to the end)",
            (unsigned long long)ops1, (unsigned long long)bytes1);
        if (c->xen_stats_ok)
            md_check_say(c, "     boot medium reads: %llu ops, %.1f MiB by the firmware and GRUB until Xen "
                   "started; %llu ops, %.1f KiB by the dom0 while booting%s",
                (unsigned long long)c->xen_ops, c->xen_bytes / 1048576.0,
                (unsigned long long)(ops0 - c->xen_ops), (bytes0 - c->xen_bytes) / 1024.0,
                ops0 != c->xen_ops ? " (its disk driver scanning the partition table)" : "");
    } else {
        md_check_say(c, "n/a  boot medium reads: multiboot has no disk (QEMU loads the files itself)");
    }
    if (!c->o->no_reset && (check_reset(c, err) < 0 || check_storage(c, true, err) < 0))
        return -1;
    return 0;
}

void md_check_cancel_request(md_check_cancel *c)
{
    c->requested = 1;
    pid_t pid = (pid_t)c->qemu_pid;
    if (pid > 0)
        kill(pid, SIGTERM);
}

static bool cancelled(const chk *c)
{
    return c->o->cancel && c->o->cancel->requested;
}

/* QEMU's pid for md_check_cancel_request(); 0 before QEMU is reaped. */
static void cancel_pid(const chk *c, pid_t pid)
{
    if (c->o->cancel)
        c->o->cancel->qemu_pid = (sig_atomic_t)pid;
}

int md_check_run(const md_check_opts *o, md_err *err)
{
    chk c = { .o = o };
    for (int i = 0; i < EV_N; i++)
        c.ev[i] = -1;
    if (!o->ssh_key)
        return md_err_set(err, "--check needs the dom0's root ssh key (--ssh-key FILE)");
    unsigned char *kd;
    size_t kl;
    if (md_read_file(o->ssh_key, &kd, &kl, err) < 0) {
        md_err_prefix(err, "ssh key");
        return -1;
    }
    md_boot_opts bo = o->boot;
    bo.interactive = false;
    bo.ssh = true;
    bo.qmp = true;
    bo.out = o->out;
    int rc = -1;
    bool keep = false; /* the console log, once there is one */
    c.boot = md_boot_prepare(&bo, err);
    if (!c.boot) {
        free(kd);
        return -1;
    }
    /* ssh refuses a key others can read; our copy is 0600. */
    c.key = md_xasprintf("%s/id_key", md_boot_workdir(c.boot));
    if (md_write_atomic(c.key, kd, kl, 0600, err) < 0) {
        free(kd);
        goto out;
    }
    free(kd);
    snprintf(c.port, sizeof c.port, "%u", md_boot_ssh_port(c.boot));

    md_out_say(o->out, MD_OUT_PROGRESS, "reading %s", md_boot_rootfs_path(c.boot));
    md_err le = MD_ERR_INIT;
    c.rootfs = md_unpack_rootfs(md_boot_rootfs_path(c.boot), NULL, NULL, NULL, &le);
    if (!c.rootfs)
        md_out_say(o->out, MD_OUT_NOTE, "cannot read the rootfs for diagnoses: %s", le.msg);
    if (!o->no_guests) {
        if (!c.rootfs) {
            md_err_set(err, "the guest test needs the image's busybox: %s", le.msg);
            goto out;
        }
        c.guest_initrd = md_xasprintf("%s/guest.cpio.gz", md_boot_workdir(c.boot));
        if (guest_initrd_from_tree(c.rootfs, md_boot_rootfs_path(c.boot), c.guest_initrd, err) < 0)
            goto out;
    }
    c.store = md_storage_new(c.rootfs);
    if (c.store && !o->no_guests && !o->no_storage &&
        (md_storage_make_disk(c.store, md_boot_workdir(c.boot), md_boot_kernel_path(c.boot),
                              c.guest_initrd, err) < 0 ||
         md_boot_add_disk(c.boot, "guests", md_storage_disk(c.store), err) < 0))
        goto out;

    md_check_say(&c, "mkdom0 boot --check %s (%s)", o->boot.dir, md_boot_summary(c.boot));
    if (md_boot_note(c.boot))
        md_check_say(&c, "note %s", md_boot_note(c.boot));
    md_check_say(&c, "console log: %s%s", md_boot_console_log(c.boot),
        o->boot.console_log ? "" : " (kept if the check fails; --log FILE keeps it always)");
    c.con = md_qemu_console_open(md_boot_console_log(c.boot), 0);
    c.t0 = md_run_now();
    if (cancelled(&c) || md_boot_start(c.boot, err) < 0)
        goto out;
    keep = true;
    cancel_pid(&c, md_boot_pid(c.boot));
    if (cancelled(&c)) /* asked before the pid was there to signal */
        goto out;
    md_qemu_console_close(c.con);
    c.con = md_qemu_console_open(md_boot_console_log(c.boot), c.t0);
    md_err qe = MD_ERR_INIT;
    c.qmp = md_qemu_qmp_open(md_boot_qmp_socket(c.boot), 30, &qe);
    if (!c.qmp)
        rc = md_check_fail(&c, err, "%s", qe.msg);
    else
        rc = steps(&c, err);
    if (cancelled(&c))
        goto out;
    md_qemu_console_poll(c.con);
    print_timings(&c);
    if (rc == 0) {
        md_check_say(&c, "%s", "");
        md_check_say(&c, "PASS: %s boots via %s and passed every check", o->boot.dir,
            md_qemu_path_name(o->boot.path));
        keep = o->boot.console_log != NULL;
    }
out:
    if (cancelled(&c)) {
        md_err_clear(err);
        if (keep && c.boot)
            rc = md_err_set(err, "interrupted; the console and QEMU logs are kept in %s",
                            md_boot_workdir(c.boot));
        else
            rc = md_err_set(err, "interrupted");
    }
    cancel_pid(&c, 0);
    if (c.key)
        unlink(c.key); /* the kept scratch dir holds no private key */
    md_qemu_qmp_close(c.qmp);
    md_qemu_console_close(c.con);
    if (c.rootfs)
        md_tree_free(c.rootfs);
    md_boot_free(c.boot, keep);
    free(c.key);
    free(c.guest_initrd);
    md_storage_free(c.store);
    return rc;
}
