/* setup — the steps that make a freshly unpacked rootfs a working Xen dom0
 * before xenstored starts: mounts, kernel modules, device nodes, xenfs.
 *
 * Every step looks first and acts only where the system differs from what
 * is wanted, so each can run any number of times (from inittab, then from
 * the OpenRC service, then by hand).  Each failure is reported with its
 * reason through the d0_ctx and counted in ctx->failures; a step goes on
 * with what does not depend on the failed part.  Prefix d0_setup_.
 */
#ifndef D0_SETUP_H
#define D0_SETUP_H

#include <stddef.h>
#include <sys/stat.h>
#include "d0.h"

/* What to do with a device node path, given lstat's result (NULL: absent). */
typedef enum d0_node_act {
    D0_NODE_OK,       /* the right char device is there (its mode is left alone) */
    D0_NODE_CREATE,   /* nothing there */
    D0_NODE_REPLACE,  /* a file, symlink or wrong device: remove, then create */
    D0_NODE_CONFLICT, /* a directory: refuse, a person must look */
} d0_node_act;

d0_node_act d0_setup_node_decide(const struct stat *st, unsigned maj, unsigned min,
                                 char *why, size_t whylen);

/* Make sure char device `path` is maj:min (mode used only when creating). */
int d0_setup_node(d0_ctx *c, const char *path, unsigned maj, unsigned min, mode_t mode);

/* proc on /proc, sysfs on /sys, devtmpfs (else tmpfs) on /dev, devpts on
 * /dev/pts (gid 5 = tty, ptys 0620, ptmx 0666), tmpfs on /dev/shm. */
int d0_setup_mounts(d0_ctx *c);

/* The basic nodes a devtmpfs would provide (console, null, zero, full,
 * random, urandom, tty, ptmx, kmsg, hvc0), /dev/fd and /dev/std* links, and
 * /dev/xen/NAME for every "MINOR xen/NAME" line of /proc/misc (char 10:MINOR,
 * 0600).  `proc_misc`: host path to read instead of <root>/proc/misc. */
int d0_setup_devices(d0_ctx *c, const char *proc_misc);
/* The two halves of d0_setup_devices: the nodes any boot needs (fine before
 * the Xen modules load), and /dev/xen (after them). */
int d0_setup_base_devices(d0_ctx *c);
int d0_setup_xen_devices(d0_ctx *c, const char *proc_misc);

/* Load modules through <root>/lib/modules/KVER/modules.dep, dependencies
 * first, with finit_module(2).  A module already loaded (in /sys/module, or
 * EEXIST) or built in is fine.  `required` missing or failing is a failure;
 * `optional` missing from the index is skipped quietly and failing to load is
 * a warning.  kver NULL: the running kernel's release. */
int d0_setup_modules(d0_ctx *c, const char *kver, const char *const *required, size_t nreq,
                     const char *const *optional, size_t nopt);

/* The directories of the Xen daemons that no package script made in the
 * RAM root: /run/xenstored and /var/lib/xen (0755), /run/xen and
 * /var/lib/xen/dump (0700), /var/log/xen (0750), parents first.  One that
 * exists is left as it is. */
int d0_setup_dirs(d0_ctx *c);

/* Load the drivers of the devices present, as udev's coldplug would (the
 * image has no udev): the modalias of each <root>/sys/bus/BUS/devices/DEV
 * matched (fnmatch(3)) against the patterns of the index's modules.alias
 * ("alias PATTERN MODULE", depmod's format), each match loaded with its
 * dependencies as an optional module (failing to load is a warning); again
 * for the devices those drivers add (virtio_pci's), three passes at most.
 * No index or no modules.alias: nothing to load.  kver NULL: uname -r. */
int d0_setup_coldplug(d0_ctx *c, const char *kver);

/* The modules a dom0 needs and the backends it uses when present. */
extern const char *const d0_setup_xen_modules[];
extern const size_t d0_setup_xen_modules_n;
extern const char *const d0_setup_xen_optional[];
extern const size_t d0_setup_xen_optional_n;

/* What OpenRC's init.sh does at sysinit (Debian's openrc 0.45,
 * /lib/rc/sh/init.sh), without a process per step: a tmpfs on /run (its
 * options), /run/openrc with the state directories librc makes there
 * (starting, started, ..., exclusive), /run/lock (0775 root:uucp), the files of
 * /lib/rc/cache copied into /run/openrc with their modes and mtimes (OpenRC
 * compares those) when /lib/rc/cache/softlevel is there, and "sysinit" in
 * /run/openrc/softlevel.  Not `openrc sysinit`, which would then rescan
 * every service for a new dependency cache (rc.c do_sysinit). */
int d0_setup_openrc(d0_ctx *c);

/* The words of `var` in the OpenRC conf.d file `file` (below the root):
 * the last line `var=VALUE`, VALUE bare or in "" or '' (no escapes),
 * split at blanks into `words` (at most `max`; they point into *text,
 * which the caller frees).  0 with *n == 0 when the file or the line is
 * missing; -1 (a failure, with the reason) when the file cannot be read or
 * the value needs a shell to evaluate ($, `, \, ;): the caller then leaves
 * the job to the OpenRC service, which sources the file. */
int d0_setup_conf_words(d0_ctx *c, const char *file, const char *var, char **text,
                        const char **words, size_t max, size_t *n);

/* What the OpenRC service /etc/init.d/xen-dom0 starts ("all dirs coldplug"
 * with the modules= of /etc/conf.d/xen-dom0) in this process, then marks
 * the service started in OpenRC's state (/run/openrc/started/xen-dom0, as
 * librc's rc_service_mark), so that `openrc boot` does not start it again:
 * the service's own start is openrc-run, its shell and a dozen processes,
 * seconds in a PV dom0 under emulation on the way to the login prompt
 * (issue 12).  On any failure the service is left stopped, and `openrc
 * boot` starts it as before, with the same messages and with the Xen
 * daemons held back when it fails again.  Needs the openrc step first. */
int d0_setup_rc_xen_dom0(d0_ctx *c, const char *proc_misc, const char *kver);

/* xenfs on /proc/xen, then check that /proc/xen/capabilities says
 * control_d (we are the dom0). */
int d0_setup_xenfs(d0_ctx *c);

#endif
