/* check — prove an image by booting it: `mkdom0 boot --check`.  Prefix
 * md_check_.
 *
 * QEMU runs in the background with its serial console in a log file that is
 * read as it grows (every event is timed by when its line appeared).  The
 * sequence, each step failing with a message that names the likely cause:
 *   1. the login prompt on hvc0 (Xen banner, dom0 kernel and init on the way);
 *      a dom0 kernel that prints nothing for stall_timeout before it runs
 *      init is reported (its last line, the CPUs' state) and the VM reset
 *      once for another boot: under TCG a boot now and then stalls there
 *      for good (CI: 300 s after "clocksource: Switched to clocksource
 *      xen"), before anything of the rootfs has run; so is one that
 *      reports a lockup (soft lockup, RCU stall) and again 30 s or more
 *      later, short of the login prompt (CI: a vCPU that never answered
 *      an IPI, the kernel printing RCU stall reports, never reaching init);
 *   2. ssh as root with the client key (retried until sshd answers);
 *   3. `xl list` shows Domain-0; `xl info` virt_caps has the expected words
 *      (default "hvm hap hvm_directio", the design's host);
 *   4. a PV and a PVH guest: the dom0's own kernel and a tiny initrd (the
 *      image's static busybox and an /init that prints MKDOM0-GUEST-<T>-OK on
 *      hvc0 and powers off), run with `xl create -c` under `ssh -tt`;
 *      a PVH guest that stays up, restarted by `xl reboot` as a new domain
 *      (on_reboot="restart") and then ended by `xl shutdown -w`;
 *      then a PVH guest with a vif on the image's guest bridge, or routed
 *      by vif-route with a /32 when the image says guest_network=route (its
 *      /etc/conf.d/network), a raw file as xvda (a loop device) and a phy:
 *      block device as xvdb (a loop device the dom0 makes, attached with
 *      `xl block-attach` once xvda is connected): it pings
 *      the dom0 and is pinged back (addresses in the dom0's own subnet, QEMU's
 *      user network: nothing leaves the VM; routed: the dom0's host route
 *      goes through the vif, no bridge, forwarding and proxy ARP on), reads
 *      the dom0's markers from both disks and writes its own, which the dom0
 *      reads after `xl destroy`; then blkback holds no vbd of the guest and
 *      no vif, guest route or loop device may be left.  A failure names what
 *      the hotplug scripts lack (their interpreter, xenstore-utils, iproute2);
 *      on an image with the device model ([Xen] HVM=yes), an HVM guest:
 *      hvmloader and SeaBIOS boot a one-sector disk (served by QEMU in the
 *      dom0) whose code prints a marker on the emulated COM1, read with
 *      `xl create -c`;
 *   4b. with the image's guest storage ([Guests] Storage=): a second disk
 *      for it, the autostart guest on it and its clean shutdown
 *      (proof/storage.h); without the disk (no_storage, no_guests) the
 *      dom0's console line saying that it is missing;
 *   5. services stay up: xenconsoled and the listening sshd, killed with
 *      SIGKILL, are restarted (a new pid; sshd answers new connections);
 *      xenstored, killed, is not (a new store would know no domain), and the
 *      console shows "xenstored died: the toolstack cannot work until
 *      reboot" (its watcher's alarm), syslog too, OpenRC says crashed;
 *   6. the boot medium was not read between the login prompt and the reset
 *      (QMP query-blockstats; n/a for multiboot, which has no disk);
 *   7. statelessness: a file written to /root is gone after QMP system_reset
 *      and a second boot to login and ssh.  With the storage disk the guest,
 *      autostarted again, finds what it wrote before the reset.
 * Then a timing table (seconds since QEMU start).  On failure the console
 * log is kept and its path printed.
 *
 * The console's "Run ... as init process", "OpenRC" and "login:" lines are
 * what the dom0 writes to hvc0; Xen forwards dom0's console to its serial
 * line, so they appear on QEMU's serial port with Xen's own messages.
 *
 * The library installs no signal handler.  To stop a check (Ctrl-C), the
 * caller's handler calls md_check_cancel_request() on the md_check_cancel it
 * gave in the options: QEMU is sent SIGTERM at once (it runs in its own
 * process group, out of reach of a terminal's Ctrl-C), which ends whatever
 * wait or ssh session the check is in; the check then cleans up as after a
 * failure (QEMU reaped, key copy and boot medium removed, console log kept),
 * says nothing more, and fails with "interrupted".
 *
 * Ownership: options are borrowed.
 */
#ifndef MD_CHECK_H
#define MD_CHECK_H

#include <signal.h>
#include <stdbool.h>
#include "boot/boot.h"
#include "core/err.h"
#include "core/out.h"

/* Owned by the caller (static, as its signal handler needs it); zeroed
 * before the check.  The check sets qemu_pid while QEMU runs. */
typedef struct md_check_cancel {
    volatile sig_atomic_t requested;
    volatile sig_atomic_t qemu_pid;
} md_check_cancel;

/* Async-signal-safe: mark the check cancelled and send its QEMU SIGTERM. */
void md_check_cancel_request(md_check_cancel *c);

typedef struct md_check_opts {
    md_boot_opts boot;        /* interactive/ssh/qmp/out are set by the check */
    const char *ssh_key;      /* private key for root@dom0 (required) */
    double boot_timeout;      /* QEMU start -> login prompt; 0: 300 s */
    double ssh_timeout;       /* login prompt -> sshd answers; 0: 90 s */
    /* How long the dom0 kernel may print nothing before it runs init;
     * 0: 120 s.  One such stall per check is reported and the VM reset
     * (QMP system_reset) for another try; a second one fails the check.
     * Lockup reports 30 s or more apart count the same. */
    double stall_timeout;
    double guest_timeout;     /* per guest; 0: 240 s (420 s for the one with a vif and
                                 a disk, 600 s for HVM) */
    bool no_guests;           /* skip step 4 */
    unsigned guests;          /* step 4's guests, MD_CHECK_GUEST_* bits; 0: every one */
    bool no_reset;            /* skip step 7 */
    bool no_services;         /* skip step 5 (for images without OpenRC's services) */
    /* Attach no guest storage disk (made only with the guests): the dom0
     * must then say on its console that the image's storage is missing. */
    bool no_storage;
    /* Words `xl info` virt_caps must contain; NULL: "hvm hap hvm_directio"
     * (what the default TCG machine emulates), "" for none. */
    const char *expect_caps;
    const char *timings_path; /* also write "event<TAB>seconds" lines here */
    /* Progress, notes, and each step's verdict and the timing table as
     * results; borrowed; NULL: none. */
    const md_out *out;
    md_check_cancel *cancel;  /* NULL: the check cannot be cancelled */
} md_check_opts;

/* The guests of step 4 (proof/guests.h says what each proves), as bits
 * of md_check_opts.guests. */
enum {
    MD_CHECK_GUEST_PV = 1 << 0,     /* "pv": a PV guest's marker */
    MD_CHECK_GUEST_PVH = 1 << 1,    /* "pvh": a PVH guest's marker */
    MD_CHECK_GUEST_REBOOT = 1 << 2, /* "reboot": xl reboot, then xl shutdown */
    MD_CHECK_GUEST_IO = 1 << 3,     /* "io": the guest with a vif and two disks */
    MD_CHECK_GUEST_HVM = 1 << 4,    /* "hvm": the HVM guest (images with HVM=yes) */
};

/* A comma-separated list of the names above ("io,hvm") -> their bits in
 * *guests; -1 with err naming a word that is none of them, or an empty
 * list. */
int md_check_guests_parse(const char *list, unsigned *guests, md_err *err);

/* 0 when every step passed; -1 with err naming the failed step and cause
 * (the console log path is in the message). */
int md_check_run(const md_check_opts *o, md_err *err);

#endif
