#include "proof/guests.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/decomp.h"
#include "core/elf.h"
#include "core/file.h"
#include "core/mem.h"
#include "image/base.h"
#include "image/image.h"
#include "image/kmodelf.h"

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

/* xl.cfg lines of the check's guests, which the dom0's printf writes one
 * quoted argument a line (so no quotes inside values): the dom0's own
 * kernel with the guest initrd (copy_in puts both in /tmp), and a guest
 * that is gone once it ends. */
#define GUEST_BOOT "'kernel=\"/tmp/mkdom0-vmlinuz\"' 'ramdisk=\"/tmp/mkdom0-guest.cpio.gz\"' " \
                   "'memory=256' 'vcpus=1' "
#define GUEST_ONCE "'on_poweroff=\"destroy\"' 'on_reboot=\"destroy\"' 'on_crash=\"destroy\"' "

/* --- the guest initrd ---------------------------------------------------- */

static const md_node *find_busybox(const md_tree *t, const char **which)
{
    for (const char *const *p = busybox_paths; *p; p++) {
        const md_node *n = md_tree_resolve_file(t, *p);
        if (n) {
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

int md_guests_initrd(const md_tree *t, const char *rootfs, const char *out, md_err *err)
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

/* --- guests that boot and end ------------------------------------------- */

/* End the check's guest `name` (mkdom0-...), whatever state it is in. */
static void destroy_guest(chk *c, const char *name)
{
    md_run_result r;
    md_check_sshf(c, 60, &r, "xl destroy %s >/dev/null 2>&1; true", name);
    md_run_result_free(&r);
}

/* A guest of the check from xl.cfg lines (GUEST_ONCE added) that prints
 * `marker` on its console: `xl create -c` through ssh after the shell
 * `pre` (may be ""), reading the console until the marker shows or
 * `limit` s pass (md_check_guest_timeout's default). */
typedef struct console_run {
    md_run_result r;
    double limit, took;
} console_run;

static void console_guest(chk *c, const char *name, const char *pre, const char *cfg,
                          const char *marker, double limit, console_run *g)
{
    /* The config is written by the dom0's shell; no quotes inside values. */
    char *cmd = md_xasprintf("xl destroy %s >/dev/null 2>&1; %sprintf '%%s\\n' 'name=\"%s\"' %s"
                             GUEST_ONCE "> /tmp/%s.cfg && xl create -c /tmp/%s.cfg",
                             name, pre, name, cfg, name, name);
    g->limit = md_check_guest_timeout(c, limit);
    double t = md_run_now();
    md_check_ssh_console(c, cmd, g->limit, marker, &g->r);
    free(cmd);
    g->took = md_run_now() - t;
}

/* The first line of a Linux kernel crash report in `out` (the headers
 * Linux's lib/bug.c, mm/fault and kernel/panic.c print: BUG, Oops, general
 * protection fault, WARNING, Kernel panic), up to its end of line; NULL:
 * none.  A crash's call trace and register dump fill the console's tail,
 * and without the first line the failure does not say what went wrong. */
static const char *kernel_crash_start(const char *out, int *len)
{
    static const char *const heads[] = { "BUG: ", "Oops: ", "general protection fault",
                                         "WARNING: CPU", "Kernel panic", NULL };
    const char *first = NULL;
    for (const char *const *h = heads; *h; h++) {
        const char *p = strstr(out, *h);
        if (p && (!first || p < first))
            first = p;
    }
    if (first)
        *len = (int)(strcspn(first, "\n") < 300 ? strcspn(first, "\n") : 300);
    return first;
}

/* The failure when `marker` did not show on the guest's `console`;
 * `more` (may be "") follows what `xl create -c` said. */
static int console_fail(chk *c, md_err *err, console_run *g, const char *what,
                        const char *marker, const char *console, const char *more)
{
    md_check_fold_cr(g->r.out);
    const char *tail = md_run_tail(g->r.out, 1200);
    int crash_len = 0;
    const char *crash = kernel_crash_start(g->r.out, &crash_len);
    /* on_crash="destroy" ends `xl create -c` early when the guest dies */
    char when[96];
    if (g->r.timed_out)
        snprintf(when, sizeof when, "within %.0f s (timed out)", g->limit);
    else
        snprintf(when, sizeof when, "before its console ended, %.1f s after xl create", g->took);
    return md_check_fail(c, err, "%s guest: no %s on its %s %s%s%.*s\n  xl create -c "
                         "said: %s%s", what, marker, console, when,
                         crash && crash < tail ? "\n  its kernel crashed: " : "",
                         crash && crash < tail ? crash_len : 0, crash ? crash : "", tail, more);
}

static int run_guest(chk *c, const char *type, md_err *err)
{
    char upper[8];
    size_t i = 0;
    for (; type[i] && i < sizeof upper - 1; i++)
        upper[i] = (char)(type[i] >= 'a' && type[i] <= 'z' ? type[i] - 32 : type[i]);
    upper[i] = '\0';
    char *marker = md_xasprintf("MKDOM0-GUEST-%s-OK", upper);
    char *name = md_xasprintf("mkdom0-%s", type);
    char *cfg = md_xasprintf("'type=\"%s\"' " GUEST_BOOT
                             "'extra=\"console=hvc0 rdinit=/init mkdom0.t=%s quiet\"' ",
                             type, upper);
    console_run g;
    console_guest(c, name,
                  "[ -d /var/lock ] || { mkdir -p /var/lock && echo 'mkdom0-note: no /var/lock in "
                  "the dom0 (xl console needs it); made it'; }; ", cfg, marker, 240, &g);
    free(cfg);
    destroy_guest(c, name);
    free(name);
    if (strstr(g.r.out, "mkdom0-note:"))
        md_check_say(c, "note the dom0 has no /var/lock, which `xl console` needs; the check made it");
    int rc = 0;
    if (!g.r.matched)
        rc = console_fail(c, err, &g, upper, marker, "console", "");
    else
        md_check_say(c, "ok   %-4s guest: %s (%.1f s)", upper, marker, g.took);
    md_run_result_free(&g.r);
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
        "printf '%s\\n' 'name=\"mkdom0-rb\"' 'type=\"pvh\"' " GUEST_BOOT
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
        /* -w returns at the DOMAIN_SHUTDOWN event (xl_vmcontrol.c
         * wait_for_domain_deaths); the xl daemon destroys the domain
         * (on_poweroff) after that, seconds later on a loaded host */
        "i=0; while xl list mkdom0-rb >/dev/null 2>&1; do i=$((i+1)); [ $i -gt 30 ] && "
        "{ echo 'mkdom0-rb: still listed 60 s after xl shutdown -w'; exit 1; }; sleep 2; done; "
        "echo \"MKDOM0-RB-OK $d1 $d2\"";
    double t = md_run_now();
    md_run_result r;
    md_check_ssh(c, cmd, 600, &r);
    double took = md_run_now() - t;
    destroy_guest(c, "mkdom0-rb");
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
 * `mkdom0 build` from [System]). */
static char *image_net_setting(const chk *c, const char *key)
{
    return md_check_conf_value(md_check_rootfs(c), "/etc/conf.d/network", key);
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
    const md_tree *t = md_check_rootfs(c);
    if (!t)
        return NULL;
    bool routed = image_routed(c);
    const char *const scripts[] = { routed ? "/etc/xen/scripts/vif-route" : "/etc/xen/scripts/vif-bridge",
                                    "/etc/xen/scripts/block", NULL };
    for (const char *const *sp = scripts; *sp; sp++) {
        char *text = md_tree_text(t, *sp, NULL);
        if (!text)
            return md_xasprintf("the image has no %s (xen-utils-common's hotplug script)", *sp);
        char *interp = NULL;
        if (!strncmp(text, "#!", 2)) {
            size_t b = strspn(text + 2, " \t");
            interp = md_xstrndup(text + 2 + b, strcspn(text + 2 + b, " \t\n"));
        }
        free(text);
        if (interp && !md_tree_resolve(t, interp)) {
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
        if (!md_tree_resolve(t, *tp))
            return md_xasprintf("the image has no %s, which Xen's hotplug scripts call (add "
                                "xenstore-utils to [Packages] Include= and take it out of "
                                "Exclude=)", *tp);
    /* vif-route's `ip -4 -o addr show primary` is beyond busybox's ip. */
    const md_node *ip = routed ? md_tree_resolve(t, "/usr/bin/ip") : NULL;
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
    int st = md_check_ssh(c, cmd, 60, &r);
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
    md_run_result r;
    md_check_sshf(c, 60, &r, "echo route: $(ip -4 route show %s); echo forward=$(cat "
                    "/proc/sys/net/ipv4/ip_forward); echo proxy_arp=$(cat "
                    "/proc/sys/net/ipv4/conf/%s/proxy_arp); echo bridges: "
                    "$(ls -d /sys/class/net/*/bridge 2>/dev/null); echo mkdom0-end",
                    ip, n->dev);
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
               "ARP on %s)", ip, (int)strcspn(via + 5, " \r\n"), via + 5, md_check_since(c), n->dev);
    md_run_result_free(&r);
    return rc;
}

/* The phy: disk is the dom0's own loop device over a file; after the guest
 * ends, the dom0 reads the guest's marker through it, blkback has let go of
 * it (no vbd of the guest's domid left) and the dom0 frees it. */
static int check_phy_after(chk *c, const char *loop, const char *domid, unsigned long nonce,
                           md_err *err)
{
    md_run_result r;
    md_check_sshf(c, 60, &r, "dd if=%s bs=512 skip=8 count=1 2>/dev/null | head -n 1; "
                    "echo vbds: $(ls /sys/bus/xen-backend/devices | grep '^vbd-%s-'); "
                    "losetup -d %s && echo mkdom0-freed",
                    loop, domid, loop);
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
               "vbd detached, loop freed)", md_check_since(c), loop);
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
    char *ip = md_xstrndup(n.guest, strcspn(n.guest, "/"));
    /* Routed: no script=, so xl.conf's vif.default.script must name vif-route. */
    if (n.routed)
        snprintf(net, sizeof net, "'vif=[\"ip=%s\"]' ", ip);
    else if (n.on)
        snprintf(net, sizeof net, "'vif=[\"bridge=%s\"]' ", n.dev);
    else
        md_check_say(c, "n/a  guest network: the image has no guest bridge ([System] Bridge=no)");
    unsigned long nonce = md_check_nonce();
    char *cmd = md_xasprintf(
        "xl destroy mkdom0-io >/dev/null 2>&1; "
        "dd if=/dev/zero of=/tmp/mkdom0-disk.img bs=1024 count=4096 2>/dev/null && "
        "echo mkdom0-dom0-wrote-%lu | dd of=/tmp/mkdom0-disk.img conv=notrunc 2>/dev/null && "
        "dd if=/dev/zero of=/tmp/mkdom0-phy.img bs=1024 count=1024 2>/dev/null && "
        "echo mkdom0-dom0-wrote-phy-%lu | dd of=/tmp/mkdom0-phy.img conv=notrunc 2>/dev/null && "
        "{ [ -e /dev/loop-control ] || modprobe loop; } && L=$(losetup -f) && "
        "losetup \"$L\" /tmp/mkdom0-phy.img && echo \"mkdom0-phy=$L\" && "
        "printf '%%s\\n' 'name=\"mkdom0-io\"' 'type=\"pv\"' " GUEST_BOOT "%s"
        "'disk=[\"format=raw,vdev=xvda,access=rw,target=/tmp/mkdom0-disk.img\"]' "
        "'extra=\"console=hvc0 rdinit=/init mkdom0.n=%lu mkdom0.phy=1%s%s%s%s quiet\"' "
        GUEST_ONCE
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
    double limit = md_check_guest_timeout(c, 420);
    double t = md_run_now();
    md_run_result r;
    md_check_ssh_console(c, cmd, limit, "MKDOM0-IO-READY", &r);
    free(cmd);
    md_check_fold_cr(r.out);
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
            md_check_say(c, "ok   guest -> dom0 ping     %6.1f s  (%s -> %s)", md_check_since(c), n.guest, n.dom0);
        md_check_say(c, "ok   guest read dom0's disk marker %6.1f s", md_check_since(c));
    }
    if (rc == 0 && n.on) {
        char *ping = n.routed
            ? md_xasprintf("ping -c 2 -w 30 %s && echo mkdom0-pinged", ip)
            : md_xasprintf("ls /sys/class/net/%s/brif; ping -c 2 -w 30 %s && echo "
                           "mkdom0-pinged", n.dev, ip);
        md_check_ssh(c, ping, 60, &r);
        free(ping);
        if (!strstr(r.out, "mkdom0-pinged"))
            rc = guest_io_fail(c, err, "the dom0 cannot ping the guest", r.out);
        else if (!n.routed && !strstr(r.out, "vif"))
            rc = guest_io_fail(c, err, "the guest's vif is not on the bridge", r.out);
        else
            md_check_say(c, "ok   dom0 -> guest ping     %6.1f s  (%s -> %s)", md_check_since(c), n.dom0, ip);
        md_run_result_free(&r);
    }
    if (rc == 0 && n.routed)
        rc = check_routed(c, &n, ip, err);
    /* The guest's marker, from the file, once the guest is gone. */
    md_check_ssh(c, "echo domid=$(xl domid mkdom0-io); xl destroy mkdom0-io 2>&1; "
                    "dd if=/tmp/mkdom0-disk.img bs=512 skip=8 count=1 2>/dev/null | head -n 1",
                 180, &r);
    char domid[16] = "";
    const char *dp = strstr(r.out, "domid=");
    if (dp)
        snprintf(domid, sizeof domid, "%.*s", (int)strspn(dp + 6, "0123456789"), dp + 6);
    char *wrote = md_xasprintf("mkdom0-guest-wrote-%lu", nonce);
    if (rc == 0 && !strstr(r.out, wrote))
        rc = guest_io_fail(c, err, "after the guest ended, its marker is not in the disk file",
                           r.out);
    else if (rc == 0)
        md_check_say(c, "ok   dom0 read guest's disk marker %6.1f s  (after xl destroy)", md_check_since(c));
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
        md_check_sshf(c, 60, &r, "ls /sys/class/net | grep '^vif'; losetup -a | grep mkdom0-; "
                        "%s%s%s%secho mkdom0-listed", n.routed ? "ip -4 route show " : "",
                        n.routed ? ip : "", n.routed ? "; " : "",
                        last ? "grep -h 'killing execution\\|hotplug' "
                               "/var/log/xen/xl-mkdom0-io.log 2>/dev/null | tail -n 4; "
                             : "");
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
        md_check_say(c, "ok   vifs, loop devices gone %6.1f s  (after the guests ended)", md_check_since(c));
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
    if (!md_check_rootfs(c) || !md_tree_resolve(md_check_rootfs(c), DEVICE_MODEL)) {
        md_check_say(c, "n/a  HVM  guest: the image has no device model ([Xen] HVM=no)");
        return 0;
    }
    unsigned long nonce = md_check_nonce();
    char *marker = md_xasprintf("MKDOM0-GUEST-HVM-%lu", nonce);
    char *disk = md_xasprintf("%s/hvm-disk.img", md_check_workdir(c));
    if (hvm_disk(disk, marker, err) < 0 || md_check_copy_in(c, disk, "/tmp/mkdom0-hvm.img", err) < 0) {
        free(marker), free(disk);
        return -1;
    }
    free(disk);
    /* qdisk: QEMU serves the disk itself, no hotplug script. */
    console_run g;
    console_guest(c, "mkdom0-hvm", "",
                  "'type=\"hvm\"' 'memory=64' 'vcpus=1' 'vnc=0' 'serial=\"pty\"' 'boot=\"c\"' "
                  "'disk=[\"format=raw,vdev=hda,access=rw,backendtype=qdisk,"
                  "target=/tmp/mkdom0-hvm.img\"]' ", marker, 600, &g);
    md_run_result r2;
    md_check_ssh(c, "xl destroy mkdom0-hvm 2>&1; tail -n 5 /var/log/xen/qemu-dm-mkdom0-hvm.log 2>&1", 60, &r2);
    int rc = 0;
    if (!g.r.matched) {
        char *log = md_xasprintf("\n  device model log: %s", md_run_tail(r2.out, 600));
        rc = console_fail(c, err, &g, "HVM", marker, "serial console", log);
        free(log);
    } else {
        md_check_say(c, "ok   HVM  guest: its boot sector's marker over the emulated COM1 (%.1f s)", g.took);
    }
    md_run_result_free(&g.r);
    md_run_result_free(&r2);
    free(marker);
    return rc;
}

static int pv_guest(chk *c, md_err *err)
{
    return run_guest(c, "pv", err);
}

static int pvh_guest(chk *c, md_err *err)
{
    return run_guest(c, "pvh", err);
}

/* The guest steps, in the order they run: --guests names them, the
 * "guests: only" line lists them and md_guests_check runs them from here. */
static const struct {
    const char *name;
    unsigned bit;
    int (*step)(chk *c, md_err *err);
} guest_steps[] = {
    { "pv", MD_CHECK_GUEST_PV, pv_guest },
    { "pvh", MD_CHECK_GUEST_PVH, pvh_guest },
    { "reboot", MD_CHECK_GUEST_REBOOT, check_reboot },
    { "io", MD_CHECK_GUEST_IO, check_guest_io },
    { "hvm", MD_CHECK_GUEST_HVM, check_hvm_guest },
};
#define N_GUEST_STEPS (sizeof guest_steps / sizeof guest_steps[0])

int md_check_guests_parse(const char *list, unsigned *guests, md_err *err)
{
    *guests = 0;
    for (const char *p = list;; p++) {
        size_t len = strcspn(p, ","), i = 0;
        while (i < N_GUEST_STEPS &&
               (strlen(guest_steps[i].name) != len || strncmp(guest_steps[i].name, p, len)))
            i++;
        if (i == N_GUEST_STEPS)
            return md_err_set(err, "'%.*s' in '%s' is no guest step (choose from pv, pvh, reboot, "
                              "io, hvm, separated by commas)", (int)len, p, list);
        *guests |= guest_steps[i].bit;
        p += len;
        if (!*p)
            return 0;
    }
}

int md_guests_check(chk *c, const char *kernel, const char *initrd, unsigned guests, md_err *err)
{
    if (md_check_copy_in(c, kernel, "/tmp/mkdom0-vmlinuz", err) < 0 ||
        md_check_copy_in(c, initrd, "/tmp/mkdom0-guest.cpio.gz", err) < 0)
        return -1;
    unsigned want = guests ? guests : ~0u;
    if (guests) {
        char only[64] = "";
        for (size_t i = 0; i < N_GUEST_STEPS; i++)
            if (want & guest_steps[i].bit)
                snprintf(only + strlen(only), sizeof only - strlen(only), "%s ", guest_steps[i].name);
        md_check_say(c, "--   guests: only %s(--guests)", only);
    }
    for (size_t i = 0; i < N_GUEST_STEPS; i++)
        if (want & guest_steps[i].bit && guest_steps[i].step(c, err) < 0)
            return -1;
    return 0;
}
