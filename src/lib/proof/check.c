#include "proof/check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "lint/lint.h"
#include "boot/qemu.h"
#include "proof/check_int.h"
#include "proof/guests.h"
#include "proof/storage.h"
#include "core/run.h"
#include "image/tree.h"
#include "image/unpack.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/file.h"

/* How long a login prompt may lag behind a working sshd and the console's
 * last line: sshd starts early, beside the other services, and on a busy
 * host (TCG sharing its cores) the rest of the boot took 50 s after it,
 * with quiet spells of 27 s (issue 12's traces at load 10). */
#define LOGIN_GRACE 60.0
/* The login wait probes sshd (for the verdict above) only once the console
 * has been quiet this long: while the dom0 is still printing its boot,
 * each probe connection that found no address behind the forwarded port
 * (no DHCP lease yet) stays pending in QEMU's user network and reaches
 * sshd once the lease lands, and sshd starts a child for each: ten of them
 * at once in issue 12's bench trace at load 7, in the way of the boot or of
 * the ssh that measures sshd after the prompt (45 s after it).  The
 * verdict needs the console quiet for LOGIN_GRACE anyway. */
#define LOGIN_PROBE_QUIET 15.0
/* A dom0 kernel that still reports a lockup (md_qemu_console_find_lockup)
 * this long after its first report, without reaching the next stage, is
 * stuck, as is one that printed nothing for stall_limit().  CI's test 57
 * had a dom0 whose CPU 0 waited for ever on a function-call IPI to CPU 1:
 * the kernel printing RCU stall reports but never reaching init.  A stuck
 * CPU is reported again and again (every 20-60 s); one report alone may be
 * a host that starved the vCPUs for a while, so it is not a stall. */
#define LOCKUP_GRACE 30.0

/* The ssh readiness probe (ssh_banner): one connection at a time, held
 * PROBE_HOLD_MIN seconds at first and half as long again after each one
 * that brought no banner, up to PROBE_HOLD_MAX.  Each connection the guest
 * takes is an sshd child (sshd re-executes itself for it: a second of CPU
 * under emulation, and on a loaded host its banner came 4 to 25 s later);
 * a probe that gave up on such connections early and opened others (one
 * every 0.5 s, up to 10 at once, 5 s each) opened 177 of them and swamped
 * the dom0 (issue 12's bench trace at load 20). */
#define PROBE_HOLD_MIN 1.0
#define PROBE_HOLD_MAX 10.0
/* After the guest reset a connection (its address is up, sshd is not). */
#define PROBE_PAUSE 0.5

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
    bool stall_retried;   /* the one reset after a stalled dom0 kernel is spent */
    long lockup_at;       /* console offset of the lockup report that made a stall; -1: silence */
    bool xen_stats_ok;    /* boot medium counters at the Xen banner */
    uint64_t xen_ops, xen_bytes;
    char port[16];
    /* ssh_banner's connection (-1: none), kept from one call to the next */
    int probe_fd;
    double probe_at, probe_hold, probe_next;
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

void md_check_fold_cr(char *s)
{
    for (; *s; s++)
        if (*s == '\r')
            *s = ' ';
}

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
    md_check_fold_cr(out);
    return out;
}

/* Signs of a dead boot; reported at once instead of waiting for a timeout. */
static const char *const fatal_marks[] = {
    "Panic on CPU", "Kernel panic - not syncing", "Unhandled: vec", "Hardware Dom0 crashed",
    "Domain 0 crashed", "Could not set up DOM0", NULL,
};

typedef enum { WAIT_OK, WAIT_TIMEOUT, WAIT_FATAL, WAIT_EXIT, WAIT_STALL } wres;

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
            char *qlog = md_read_file(md_boot_qemu_errlog(c->boot), &d, &len, &e2) == 0 ? (char *)d : NULL;
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

/* Keep reading the console while a command runs: its lines are stamped
 * with the time they are read (a login prompt read only after a 10 s ssh
 * run would count 10 s late). */
static void console_tick(void *arg) { md_qemu_console_poll(((chk *)arg)->con); }

/* Run `cmd` in the dom0, with `stdin_path` (may be NULL) as its input, a
 * tty if `tty`, ending early once the output holds `until` (may be NULL).
 * Returns the run's status (255: ssh itself failed, -1: timed out). */
static int ssh_run(chk *c, const char *cmd, const char *stdin_path, bool tty, double timeout,
               const char *until, md_run_result *r)
{
    md_strv v = { 0 };
    ssh_argv(c, &v, tty, cmd);
    md_run_opts ro = { .stdin_path = stdin_path, .timeout_s = timeout, .until = until,
                       .tick = c->con ? console_tick : NULL, .tick_arg = c };
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

/* Lint's errors for traps 1, 3 and 5, as a hint. */
static char *lint_hint(const chk *c, int trap)
{
    if (!c->rootfs)
        return NULL;
    md_lint *l = md_lint_new();
    md_lint_rootfs(l, "rootfs", c->rootfs, NULL, 0, false);
    md_strv lines = { 0 };
    for (size_t i = 0; i < md_lint_count(l); i++)
        if (md_lint_severity(l, i) == MD_LINT_ERROR && (!trap || md_lint_trap(l, i) == trap))
            md_strv_pushf(&lines, "  lint: %s: %s", md_lint_file(l, i),
                          md_lint_message(l, i));
    md_lint_free(l);
    char *s = lines.n ? md_strv_join(&lines, "\n") : NULL;
    md_strv_free(&lines);
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
    return ssh_run(c, cmd, NULL, false, timeout, NULL, r);
}

int md_check_sshf(chk *c, double timeout, md_run_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = md_xvasprintf(fmt, ap);
    va_end(ap);
    int st = md_check_ssh(c, cmd, timeout, r);
    free(cmd);
    return st;
}

int md_check_ssh_console(chk *c, const char *cmd, double timeout, const char *until,
                         md_run_result *r)
{
    return ssh_run(c, cmd, NULL, true, timeout, until, r);
}

int md_check_copy_in(chk *c, const char *src, const char *dst, md_err *err)
{
    char *cmd = md_xasprintf("cat > %s", dst);
    md_run_result r;
    int st = ssh_run(c, cmd, src, false, 300, NULL, &r);
    free(cmd);
    int rc = 0;
    if (st != 0)
        rc = md_check_fail(c, err, "copying %s into the dom0's %s failed (is /tmp writable and large "
                          "enough?): %s", src, dst, md_run_tail(r.out, 300));
    md_run_result_free(&r);
    return rc;
}

/* A number unique to this check, for the markers guests and disks carry. */
unsigned long md_check_nonce(void)
{
    return (unsigned long)getpid() ^ (unsigned long)(md_run_now() * 1000);
}

const md_tree *md_check_rootfs(const chk *c) { return c->rootfs; }

const char *md_check_workdir(const chk *c) { return md_boot_workdir(c->boot); }

double md_check_since(const chk *c) { return since(c); }

bool md_check_running(chk *c)
{
    return !(c->o->cancel && c->o->cancel->requested) && !md_boot_exited(c->boot, NULL);
}

double md_check_guest_timeout(const chk *c, double dflt)
{
    return c->o->guest_timeout > 0 ? c->o->guest_timeout : dflt;
}

static double boot_limit(const chk *c) { return c->o->boot_timeout > 0 ? c->o->boot_timeout : 300; }

static double ssh_limit(const chk *c) { return c->o->ssh_timeout > 0 ? c->o->ssh_timeout : 90; }

static double stall_limit(const chk *c) { return c->o->stall_timeout > 0 ? c->o->stall_timeout : 120; }

/* How long the console has printed nothing, as seen by successive calls. */
typedef struct quiet_clock {
    size_t seen;
    double since;
} quiet_clock;

static quiet_clock quiet_start(chk *c) { return (quiet_clock){ md_qemu_console_size(c->con), md_run_now() }; }

static double quiet_for(chk *c, quiet_clock *q)
{
    size_t n = md_qemu_console_size(c->con);
    if (n != q->seen) {
        q->seen = n;
        q->since = md_run_now();
    }
    return md_run_now() - q->since;
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
    double limit = boot_limit(c);
    char *hint = NULL;
    int rc;
    if (w == WAIT_FATAL || w == WAIT_EXIT) {
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
                     "more, the console quiet)", LOGIN_GRACE);
        else
            snprintf(when, sizeof when, "within %.0f s", limit);
        char *kargs = md_strv_join(&md_boot_entry(c->boot)->kernel.args, " ");
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
    md_check_ssh(c, "echo \"/dev/xen: $(ls /dev/xen 2>&1 | tr '\\n' ' ')\"; "
           "echo \"xen modules: $(grep -E '^xen' /proc/modules | cut -d' ' -f1 | tr '\\n' ' ')\"; "
           "echo \"xenstored: $( (pidof xenstored || pidof oxenstored) 2>/dev/null || echo not running)\"; "
           "echo \"/proc/xen: $(ls /proc/xen 2>&1 | tr '\\n' ' ')\"", 60, &r);
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

/* Whether an SSH server answers on the forwarded port within `limit`
 * seconds: its identification string, "SSH-" (RFC 4253 4.2), on a TCP
 * connection to 127.0.0.1:port.  QEMU's user network (slirp) accepts the
 * host's connection at once and only then sends its SYN to the guest; a
 * SYN the guest cannot take yet (no address: its DHCP lease has not
 * landed) is sent again only after slirp's BSD retransmission timer, 6 s
 * and more (12 s in the bench's trace), so one ssh started a moment too
 * early answered seconds after sshd could.  Hence a fresh connection once
 * the held one's time is up (see PROBE_HOLD_MIN), kept across calls (the
 * login wait looks now and then); a banner closes it and ends the wait.
 * The console is read meanwhile. */
static void probe_close(chk *c)
{
    if (c->probe_fd >= 0)
        close(c->probe_fd);
    c->probe_fd = -1;
}

static bool ssh_banner(chk *c, double limit)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(c->port)),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    double end = md_run_now() + limit;
    bool ok = false;
    if (c->probe_hold < PROBE_HOLD_MIN)
        c->probe_hold = PROBE_HOLD_MIN;
    for (;;) {
        double now = md_run_now();
        if (c->probe_fd < 0 && now >= c->probe_next) {
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) {
                close(fd);
                fd = -1;
            }
            c->probe_fd = fd;
            c->probe_at = now;
            c->probe_next = now + PROBE_PAUSE; /* the earliest next one if this fails */
        }
        double wake = end;
        if (c->probe_fd >= 0 && c->probe_at + c->probe_hold < wake)
            wake = c->probe_at + c->probe_hold;
        else if (c->probe_fd < 0 && c->probe_next < wake)
            wake = c->probe_next;
        struct pollfd pf = { .fd = c->probe_fd, .events = POLLIN };
        int ms = wake > now ? (int)((wake - now) * 1000) + 1 : 0;
        if (c->probe_fd >= 0 ? poll(&pf, 1, ms) > 0 : (usleep((useconds_t)ms * 1000), false)) {
            char b[4];
            ssize_t got = recv(c->probe_fd, b, sizeof b, MSG_PEEK);
            if (got == (ssize_t)sizeof b && !memcmp(b, "SSH-", 4))
                ok = true;
            if (ok || got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR) ||
                (got > 0 && memcmp(b, "SSH-", (size_t)got)))
                probe_close(c); /* the banner, or closed, reset, not an SSH server */
            else if (got > 0)
                usleep(10000); /* the rest of "SSH-" is on its way */
        } else if (c->probe_fd >= 0 && md_run_now() >= c->probe_at + c->probe_hold) {
            probe_close(c); /* no banner in its time: a fresh one, held longer */
            c->probe_next = 0;
            c->probe_hold = c->probe_hold * 1.5 < PROBE_HOLD_MAX ? c->probe_hold * 1.5 : PROBE_HOLD_MAX;
        }
        md_qemu_console_poll(c->con);
        if (ok || md_run_now() >= end || !md_check_running(c))
            break;
    }
    if (ok || !md_check_running(c)) {
        probe_close(c);
        c->probe_hold = 0; /* the next wait (after a reset) starts afresh */
    }
    return ok;
}

/* --- steps ------------------------------------------------------------- */

/* Whether the dom0 kernel, at or after `from`, reported a lockup and
 * reported one again LOCKUP_GRACE seconds or more later; records the first
 * report for stall_report. */
static bool stuck_after_lockup(chk *c, size_t from)
{
    long first = md_qemu_console_find_lockup(c->con, from, LOCKUP_GRACE);
    if (first >= 0)
        c->lockup_at = first;
    return first >= 0;
}

/* The login prompt, or an early verdict: when sshd answers but no prompt
 * follows within LOGIN_GRACE seconds, nor any console output, the dom0 is
 * up and the console is what is wrong (trap 1); waiting out the whole time
 * limit would tell nothing more. */
static wres wait_for_login(chk *c, size_t from, double deadline, long *at, char **why)
{
    double ssh_ok = -1;
    quiet_clock q = quiet_start(c);
    for (;;) {
        double slice = md_run_now() + 5;
        wres w = wait_for(c, "login:", from, slice < deadline ? slice : deadline, at, why);
        if (w != WAIT_TIMEOUT || md_run_now() >= deadline)
            return w;
        if (stuck_after_lockup(c, from))
            return WAIT_STALL;
        double quiet = quiet_for(c, &q);
        if (ssh_ok < 0) {
            if (quiet >= LOGIN_PROBE_QUIET && ssh_banner(c, 2)) {
                md_run_result r;
                if (md_check_ssh(c, "true", 10, &r) == 0)
                    ssh_ok = md_run_now();
                md_run_result_free(&r);
            }
        } else if (md_run_now() - ssh_ok > LOGIN_GRACE && quiet > LOGIN_GRACE) {
            c->ssh_without_login = true;
            return WAIT_TIMEOUT;
        }
    }
}

/* wait_for, or WAIT_STALL when the dom0 kernel is stuck: it printed
 * nothing for `quiet_limit` seconds (0: not judged by silence), or it
 * reported a lockup and got no further (stuck_after_lockup). */
static wres wait_alive(chk *c, const char *needle, size_t from, double deadline, double quiet_limit,
                       long *at, char **why)
{
    quiet_clock q = quiet_start(c);
    for (;;) {
        double slice = md_run_now() + 5;
        wres w = wait_for(c, needle, from, slice < deadline ? slice : deadline, at, why);
        if (w != WAIT_TIMEOUT || md_run_now() >= deadline)
            return w;
        c->lockup_at = -1;
        if ((quiet_limit > 0 && quiet_for(c, &q) >= quiet_limit) || stuck_after_lockup(c, from))
            return WAIT_STALL;
    }
}

/* What a stall looked like: the lockup report or else the console's last
 * line, when it came, and the CPUs' state (new string). */
static char *stall_report(chk *c)
{
    md_qemu_console_poll(c->con);
    md_err e = MD_ERR_INIT;
    char *cpus = md_qemu_qmp_cpu_state(c->qmp, &e);
    if (c->lockup_at >= 0) {
        char *line = console_lines(c, (size_t)c->lockup_at, 0);
        char *r = md_xasprintf("the dom0 kernel reported a lockup and still did %.0f s later, "
                               "getting no further (first at %.1f s: \"%s\"; the CPUs then: %s)",
                               LOCKUP_GRACE,
                               md_qemu_console_time(c->con, (size_t)c->lockup_at), line,
                               cpus ? cpus : e.msg);
        free(line);
        free(cpus);
        return r;
    }
    size_t n = md_qemu_console_size(c->con);
    const char *t = md_qemu_console_text(c->con);
    while (n > 0 && (t[n - 1] == '\n' || t[n - 1] == '\r'))
        n--;
    char *last = n ? console_lines(c, n - 1, 0) : md_xstrdup("");
    for (size_t l = strlen(last); l > 0 && last[l - 1] == ' '; l--)
        last[l - 1] = '\0'; /* a folded \r */
    double at = n ? md_qemu_console_time(c->con, n - 1) : 0;
    char *r = md_xasprintf("the dom0 kernel printed nothing for %.0f s before running init (its last "
                           "line, at %.1f s: \"%s\"; the CPUs then: %s)", stall_limit(c), at, last,
                           cpus ? cpus : e.msg);
    free(cpus);
    free(last);
    return r;
}

#define BOOT_STALLED 1

static int boot_to_login(chk *c, size_t from, double deadline, bool record, md_err *err)
{
    /* What each boot stage prints, and its row (the login's is below). */
    static const struct {
        const char *needle, *stage, *ok;
        enum ev ev;
    } st[] = {
        { "Xen version", "waiting for Xen", "Xen banner", EV_XEN },
        { "Linux version", "waiting for the dom0 kernel", "dom0 kernel", EV_LINUX },
        { " as init process", "waiting for init", "init started", EV_INIT },
        { "login:", "waiting for the login prompt", NULL, EV_LOGIN },
    };
    size_t pos = from;
    for (size_t i = 0; i < sizeof st / sizeof *st; i++) {
        long at = -1;
        char *why = NULL;
        wres w;
        if (record && st[i].ev == EV_LOGIN)
            w = wait_for_login(c, pos, deadline, &at, &why);
        else if (st[i].ev == EV_INIT || st[i].ev == EV_LOGIN)
            w = wait_alive(c, st[i].needle, pos, deadline, st[i].ev == EV_INIT ? stall_limit(c) : 0,
                           &at, &why);
        else
            w = wait_for(c, st[i].needle, pos, deadline, &at, &why);
        if (w == WAIT_STALL) {
            char *what = stall_report(c);
            int rc = BOOT_STALLED;
            if (c->stall_retried)
                rc = md_check_fail(c, err, "%s%s (a second time, after a reset)",
                                   record ? "" : "after system_reset: ", what);
            else
                md_check_say(c, "stall: %s; resetting the VM (QMP system_reset) for one more try",
                             what);
            free(what);
            return rc;
        }
        if (w != WAIT_OK)
            return record ? diagnose_no_login(c, err, w, why, st[i].stage)
                          : (free(why), md_check_fail(c, err, "after system_reset: no %s within the "
                                                     "time limit (%s)", st[i].needle, st[i].stage));
        if (record) {
            c->ev[st[i].ev] = md_qemu_console_time(c->con, (size_t)at);
            if (st[i].ok)
                md_check_say(c, "ok   %-22s %6.1f s", st[i].ok, c->ev[st[i].ev]);
            /* GRUB is done once Xen runs: what it read, for comparison. */
            md_err e = MD_ERR_INIT;
            if (st[i].ev == EV_XEN && md_boot_disk_id(c->boot) && c->qmp)
                c->xen_stats_ok = md_qemu_qmp_blockstats(c->qmp, md_boot_disk_id(c->boot),
                                                         &c->xen_ops, &c->xen_bytes, &e) == 0;
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
        md_check_say(c, "ok   %-22s %6.1f s", "login prompt on hvc0", c->ev[EV_LOGIN]);
    }
    return 0;
}

static int reset_vm(chk *c, md_err *err)
{
    md_err e = MD_ERR_INIT;
    char *ret = md_qemu_qmp_cmd(c->qmp, "system_reset", NULL, &e);
    if (!ret)
        return md_check_fail(c, err, "%s", e.msg);
    free(ret);
    return 0;
}

/* boot_to_login from console offset `from`, within boot_limit(); after a
 * stalled dom0 kernel (once per check) the VM is reset and the whole boot
 * waited for again. */
static int boot_until_login(chk *c, size_t from, double start, bool record, md_err *err)
{
    int rc = boot_to_login(c, from, start + boot_limit(c), record, err);
    if (rc != BOOT_STALLED)
        return rc;
    c->stall_retried = true;
    md_qemu_console_poll(c->con);
    size_t again = md_qemu_console_size(c->con);
    if (reset_vm(c, err) < 0)
        return -1;
    return boot_to_login(c, again, md_run_now() + boot_limit(c), record, err);
}

static int wait_ssh(chk *c, double limit, double *when, md_err *err)
{
    double deadline = md_run_now() + limit;
    md_run_result r = { 0 };
    for (;;) {
        md_run_result_free(&r);
        /* ssh itself once sshd is there: see ssh_banner. */
        double left = deadline - md_run_now();
        if (!ssh_banner(c, left > 0 ? left : 0)) {
            r.out = md_xstrdup("no SSH banner on the forwarded port");
            break;
        }
        int st = md_check_ssh(c, "echo mkdom0-ssh-ok", 20, &r);
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
        usleep(500000);
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
    int st = md_check_ssh(c, "xl list 2>&1", 120, &r);
    if (st != 0 || !strstr(r.out, "Domain-0")) {
        int rc = diagnose_xl(c, err, r.out);
        md_run_result_free(&r);
        return rc;
    }
    c->ev[EV_XL] = since(c);
    md_check_say(c, "ok   xl list: Domain-0      %6.1f s", c->ev[EV_XL]);
    md_run_result_free(&r);

    st = md_check_ssh(c, "xl info 2>&1", 120, &r);
    const char *caps = st == 0 ? strstr(r.out, "virt_caps") : NULL;
    if (!caps) {
        int rc = md_check_fail(c, err, "xl info failed or shows no virt_caps: %s", md_run_tail(r.out, 500));
        md_run_result_free(&r);
        return rc;
    }
    const char *colon = strchr(caps, ':');
    size_t n = colon ? strcspn(colon + 1, "\r\n") : 0;
    char *line = md_xstrndup(colon ? colon + 1 : "", n);
    md_run_result_free(&r);
    md_strv have = { 0 }, want = { 0 }, missing = { 0 };
    md_strv_split(&have, line, false);
    md_strv_split(&want, c->o->expect_caps ? c->o->expect_caps : "hvm hap hvm_directio", false);
    for (size_t i = 0; i < want.n; i++)
        if (!md_strv_contains(&have, want.v[i]))
            md_strv_push(&missing, want.v[i]);
    char *lacks = md_strv_join(&missing, " ");
    int rc = 0;
    if (missing.n)
        rc = md_check_fail(c, err, "xl info virt_caps lacks %s (has:%s): the emulated CPU/IOMMU does not "
                          "give Xen what the design's host has (-cpu ...,+svm,+npt and "
                          "-device amd-iommu)", lacks, line);
    else
        md_check_say(c, "ok   xl info virt_caps:%s", line);
    free(lacks);
    free(line);
    md_strv_free(&have);
    md_strv_free(&want);
    md_strv_free(&missing);
    return rc;
}

char *md_check_conf_value(const md_tree *rootfs, const char *file, const char *key)
{
    char *text = rootfs ? md_tree_text(rootfs, file, NULL) : NULL;
    size_t klen = strlen(key);
    char *val = NULL;
    for (const char *p = text; p && *p; p += strcspn(p, "\n"), p += *p == '\n') {
        if (strncmp(p, key, klen) || p[klen] != '=')
            continue;
        const char *v = p + klen + 1;
        if (*v == '"')
            v++;
        size_t n = strcspn(v, "\"\n \t#");
        if (n)
            val = md_xstrndup(v, n);
        break;
    }
    free(text);
    return val;
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
    md_check_ssh(c, cmd, 90, &r);
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
    md_check_ssh(c, "p=$(cat /run/sshd.pid) && kill -9 $p && echo mkdom0-killed $p", 60, &r);
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
        int st = md_check_ssh(c, "echo mkdom0-ssh-ok $(cat /run/sshd.pid)", 20, &r);
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
    /* The console is read while the ssh run goes on (ssh_run's tick), so the
     * alarm may be stamped before that run returns: the kill happened after
     * `t`, so shown - t bounds the delay from above. */
    double t = since(c);
    md_run_result r;
    md_check_ssh(c, "p=$(pidof xenstored) && kill -9 $p && echo mkdom0-killed", 60, &r);
    bool killed = strstr(r.out, "mkdom0-killed");
    char *said = md_xstrdup(md_run_tail(r.out, 300));
    md_run_result_free(&r);
    if (!killed) {
        int rc = md_check_fail(c, err, "services: cannot kill xenstored (not running?): %s", said);
        free(said);
        return rc;
    }
    free(said);
    long at = -1;
    char *why = NULL;
    wres w = wait_for(c, alarm, from, md_run_now() + 30, &at, &why);
    free(why);
    if (w != WAIT_OK)
        return md_check_fail(c, err, "services: xenstored was killed and the console shows no \"%s\" "
                            "within 30 s (xen-dom0-setup watch should say so)", alarm);
    double shown = md_qemu_console_time(c->con, (size_t)at);
    md_check_ssh(c, "sleep 3; echo \"xenstored pids:$(pidof xenstored)\"; rc-service xenstored status "
           "2>&1; logread | grep xenstored-watch", 60, &r);
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
        md_check_say(c, "ok   xenstored death alarm  %6.1f s  (on hvc0 at most %.1f s after kill -9; not "
               "respawned; status crashed; in syslog)", shown, shown - t);
    md_run_result_free(&r);
    return rc;
}

/* kB of `key` ("MemTotal:") in /proc/meminfo's text, -1 if absent. */
static long long meminfo_kb(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

/* What the running dom0 uses and has free: once right after boot (the
 * login prompt, sshd and xl answer), and again after the guests have come
 * and gone, the measurement behind Dom0Mem=auto's working-set allowance
 * (boot/dom0mem.h).  Used is MemTotal - MemAvailable, free is
 * MemAvailable (what programs can still get, page cache included); Shmem
 * is tmpfs, mostly the rootfs.  MemTotal is dom0_mem less what the kernel
 * keeps for itself. */
static int report_memory(chk *c, const char *when, md_err *err)
{
    md_run_result r = { 0 };
    int st = md_check_ssh(c, "cat /proc/meminfo", 60, &r);
    long long total = -1, avail = -1, shmem = -1;
    if (st == 0 && r.out) {
        total = meminfo_kb(r.out, "MemTotal:");
        avail = meminfo_kb(r.out, "MemAvailable:");
        shmem = meminfo_kb(r.out, "Shmem:");
    }
    int rc = 0;
    if (total < 0 || avail < 0 || shmem < 0)
        rc = md_check_fail(c, err, "cannot read the dom0's /proc/meminfo: %s",
                           r.out ? md_run_tail(r.out, 300) : "no output");
    else
        md_check_say(c, "ok   dom0 memory            %6.1f s  (%s: %lld MiB used, %lld MiB free of %lld; "
                        "of the used %lld MiB tmpfs (the rootfs), %lld MiB the kernel and processes)",
                     since(c), when, (total - avail) / 1024, avail / 1024, total / 1024, shmem / 1024,
                     (total - avail - shmem) / 1024);
    free(r.out);
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
    int st = md_check_ssh(c, "echo mkdom0 > /root/stateless-probe && sync && test -e /root/stateless-probe "
                    "&& echo probe-written", 60, &r);
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
    if (reset_vm(c, err) < 0)
        return -1;
    double t = md_run_now();
    if (boot_until_login(c, from, t, false, err) < 0)
        return -1;
    double when;
    if (wait_ssh(c, ssh_limit(c), &when, err) < 0)
        return -1;
    c->reset_login = md_run_now() - t;
    st = md_check_ssh(c, "if test -e /root/stateless-probe; then echo probe-still-there; else echo "
                "probe-gone; fi", 60, &r);
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

/* Booted as a host of the image (--host): the dom0 is that host: its host
 * name, its static address (when it has one), and the ssh host key that
 * sshd shows over the network (ssh-keyscan) is the one the build made for
 * it (image.ini's HostKey), not the image's own. */
static int check_host(chk *c, md_err *err)
{
    const md_imgdir_host *h = md_boot_host(c->boot);
    if (!h)
        return 0;
    md_run_result r;
    int st = md_check_ssh(c, "hostname; ip -4 -o addr show", 60, &r);
    size_t n = strcspn(r.out, "\r\n");
    if (st != 0 || strlen(h->hostname) != n || strncmp(r.out, h->hostname, n)) {
        int rc = md_check_fail(c, err, "host %s: the dom0's host name is '%.*s', not %s: its identity "
                               "archive was not unpacked (the boot loader loaded the image's rootfs, "
                               "not hosts/%s/: no config for MAC %s?)", h->name, (int)n, r.out,
                               h->hostname, h->name, h->mac);
        md_run_result_free(&r);
        return rc;
    }
    char *inet = *h->address ? md_xasprintf("inet %s ", h->address) : NULL;
    bool addr_ok = !inet || strstr(r.out, inet);
    char *addrs = md_xstrdup(r.out + n);
    md_run_result_free(&r);
    free(inet);
    if (!addr_ok) {
        int rc = md_check_fail(c, err, "host %s: no address %s on the dom0:%s", h->name, h->address,
                               addrs);
        free(addrs);
        return rc;
    }
    free(addrs);
    /* the key's blob: the second word of "ssh-ed25519 AAAA... [comment]" */
    const char *blob = strchr(h->host_key, ' ');
    char *want = blob ? md_xstrndup(blob + 1, strcspn(blob + 1, " ")) : md_xstrdup("?");
    const char *scan[] = { "ssh-keyscan", "-T", "20", "-p", c->port, "-t", "ed25519", "127.0.0.1", NULL };
    md_run_opts ro = { .timeout_s = 60, .stderr_apart = true };
    md_err e = MD_ERR_INIT;
    int rc = 0, ran = md_run(scan, &ro, &r, &e);
    if (ran < 0)
        rc = md_check_fail(c, err, "host %s: ssh-keyscan: %s", h->name, e.msg);
    else if (!strstr(r.out, want))
        rc = md_check_fail(c, err, "host %s: sshd shows another ed25519 host key than the host's "
                           "(image.ini HostKey):\n  shown:  %s\n  wanted: %s", h->name,
                           md_run_tail(r.out, 300), h->host_key);
    if (ran == 0)
        md_run_result_free(&r);
    free(want);
    if (rc < 0)
        return rc;
    /* its fingerprint, as `ssh` prints it on first contact */
    char *kf = md_xasprintf("%s/host_key.pub", md_boot_workdir(c->boot));
    char *fp = NULL;
    if (md_write_atomic(kf, h->host_key, strlen(h->host_key), 0644, &e) == 0) {
        const char *kg[] = { "ssh-keygen", "-l", "-f", kf, NULL };
        md_run_opts ko = { .timeout_s = 30 };
        if (md_run(kg, &ko, &r, &e) == 0) {
            if (r.status == 0)
                fp = md_xstrndup(r.out, strcspn(r.out, "\r\n"));
            md_run_result_free(&r);
        }
    }
    free(kf);
    md_check_say(c, "ok   host %s: host name %s, %s%s, ssh host key %s", h->name, h->hostname,
                 *h->address ? "address " : "DHCP", h->address, fp ? fp : h->host_key);
    free(fp);
    return 0;
}

static int steps(chk *c, md_err *err)
{
    if (boot_until_login(c, 0, c->t0, true, err) < 0)
        return -1;
    uint64_t ops0 = 0, bytes0 = 0;
    if (md_boot_disk_id(c->boot) && blockstats(c, &ops0, &bytes0, err) < 0)
        return -1;
    if (wait_ssh(c, ssh_limit(c), &c->ev[EV_SSHD], err) < 0)
        return -1;
    md_check_say(c, "ok   %-22s %6.1f s", "sshd answers", c->ev[EV_SSHD]);
    if (check_host(c, err) < 0 || check_xl(c, err) < 0 || report_memory(c, "after boot", err) < 0)
        return -1;
    /* Before the check's own guests: the autostart guest's hotplug
     * scripts then do not compete with theirs. */
    if (check_storage(c, false, err) < 0)
        return -1;
    if (!c->o->no_guests && md_guests_check(c, md_boot_kernel_path(c->boot), c->guest_initrd, c->o->guests, err) < 0)
        return -1;
    if (!c->o->no_guests && report_memory(c, "after the guests", err) < 0)
        return -1;
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
            md_check_say(c, "     boot medium reads: %llu ops, %.1f MiB by the firmware%s until Xen "
                   "started; %llu ops, %.1f KiB by the dom0 while booting%s",
                (unsigned long long)c->xen_ops, c->xen_bytes / 1048576.0,
                c->o->boot.path == MD_QEMU_XEN_EFI || c->o->boot.path == MD_QEMU_EFI
                    ? " (xen.efi loads its own files)" : " and GRUB",
                (unsigned long long)(ops0 - c->xen_ops), (bytes0 - c->xen_bytes) / 1024.0,
                ops0 != c->xen_ops ? " (its disk driver scanning the partition table)" : "");
    } else {
        md_check_say(c, "n/a  boot medium reads: %s has no disk (%s)",
                     md_qemu_path_name(c->o->boot.path),
                     c->o->boot.path == MD_QEMU_PXE ? "the files came over TFTP"
                                                    : "QEMU loads the files itself");
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
    chk c = { .o = o, .probe_fd = -1, .lockup_at = -1 };
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
    c.rootfs = md_unpack_rootfs(md_boot_rootfs_path(c.boot), NULL, NULL, NULL, NULL, &le);
    if (!c.rootfs)
        md_out_say(o->out, MD_OUT_NOTE, "cannot read the rootfs for diagnoses: %s", le.msg);
    if (!o->no_guests) {
        if (!c.rootfs) {
            md_err_set(err, "the guest test needs the image's busybox: %s", le.msg);
            goto out;
        }
        c.guest_initrd = md_xasprintf("%s/guest.cpio.gz", md_boot_workdir(c.boot));
        if (md_guests_initrd(c.rootfs, md_boot_rootfs_path(c.boot), c.guest_initrd, err) < 0)
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
    probe_close(&c);
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
