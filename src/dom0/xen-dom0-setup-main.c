/* xen-dom0-setup — prepare a RAM-resident dom0 for the Xen daemons.
 *
 * Runs first from inittab ("early": the mounts and nodes OpenRC itself
 * needs) and then from the OpenRC service xen-dom0 ("all").  See usage(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "d0.h"
#include "setup.h"
#include "watch.h"

#define MAX_MODULES 64

static void usage(FILE *f)
{
    fputs("usage: xen-dom0-setup [OPTIONS] [STEP...]\n"
          "       xen-dom0-setup [OPTIONS] load MODULE...\n"
          "       xen-dom0-setup [--console FILE] [--pidfile FILE [--ready PATH]] watch [--] COMMAND [ARG...]\n"
          "Steps (default: all), each safe to repeat:\n"
          "  mounts   proc on /proc, sysfs on /sys, devtmpfs (else tmpfs) on /dev,\n"
          "           devpts on /dev/pts, tmpfs on /dev/shm\n"
          "  modules  load xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs (and\n"
          "           xen-netback xen-blkback loop when the image has them) with their\n"
          "           dependencies, from /lib/modules/$(uname -r)/modules.dep\n"
          "  devices  console, null, hvc0 (229:0)... and /dev/xen/* from /proc/misc\n"
          "  xenfs    xenfs on /proc/xen, and check that this is the dom0\n"
          "  dirs     /run/xenstored /var/lib/xen (0755), /run/xen /var/lib/xen/dump (0700),\n"
          "           /var/log/xen (0750): the Xen daemons' directories; not part of all\n"
          "  coldplug load the drivers of the devices present (their modalias in /sys/bus\n"
          "           matched against modules.alias, as udev would), then of the devices\n"
          "           those drivers add; not part of all\n"
          "  early    mounts, and devices without /dev/xen (for inittab, before the\n"
          "           modules are loaded)\n"
          "  openrc   what OpenRC's init.sh does at sysinit: tmpfs on /run, /run/openrc\n"
          "           with the files of /lib/rc/cache, /run/lock; not part of all\n"
          "  all      mounts modules devices xenfs\n"
          "  xen-dom0 what the OpenRC service xen-dom0 starts (all dirs coldplug, with\n"
          "           modules= of /etc/conf.d/xen-dom0), then mark it started in\n"
          "           /run/openrc (after openrc); on a failure it is left to OpenRC\n"
          "  load M.. load the named modules (and their dependencies) only\n"
          "  watch    run COMMAND (xenstored) as a child; if it dies unasked, write a\n"
          "           loud alarm to the console and syslog (a new store would not know\n"
          "           the running domains, so it is not restarted); exit 1.  SIGTERM,\n"
          "           SIGINT, SIGHUP are passed on to it (a stop: no alarm, exit 0)\n"
          "Options:\n"
          "  --root DIR          act below DIR instead of /\n"
          "  --proc-misc FILE    read FILE instead of /proc/misc\n"
          "  --kver VERSION      kernel release instead of uname -r\n"
          "  --module NAME       also load NAME in the modules step (repeatable)\n"
          "  --dry-run, -n       change nothing; print each action instead\n"
          "  --console FILE      watch: where the alarm goes (default /dev/console)\n"
          "  --pidfile FILE      watch: go into the background, the watcher's pid in FILE\n"
          "  --ready PATH        watch with --pidfile: return once PATH exists (exit 1 if\n"
          "                      COMMAND ended first, or after 60 s)\n"
          "Exit status: 0 when everything is in place, 1 when a step failed\n"
          "(each failure is printed with its reason), 2 for a usage error.\n",
          f);
}

static int run_step(d0_ctx *c, const char *step, const char *proc_misc, const char *kver,
                    const char *const *extra, size_t nextra)
{
    if (!strcmp(step, "mounts"))
        return d0_setup_mounts(c), 0;
    if (!strcmp(step, "devices"))
        return d0_setup_devices(c, proc_misc), 0;
    if (!strcmp(step, "xenfs"))
        return d0_setup_xenfs(c), 0;
    if (!strcmp(step, "modules")) {
        const char *req[MAX_MODULES + 8];
        size_t n = 0;
        for (size_t i = 0; i < d0_setup_xen_modules_n; i++)
            req[n++] = d0_setup_xen_modules[i];
        for (size_t i = 0; i < nextra; i++)
            req[n++] = extra[i];
        d0_setup_modules(c, kver, req, n, d0_setup_xen_optional, d0_setup_xen_optional_n);
        return 0;
    }
    if (!strcmp(step, "dirs"))
        return d0_setup_dirs(c), 0;
    if (!strcmp(step, "coldplug"))
        return d0_setup_coldplug(c, kver), 0;
    if (!strcmp(step, "openrc"))
        return d0_setup_openrc(c), 0;
    if (!strcmp(step, "early")) /* before OpenRC: no Xen modules yet, so no /dev/xen */
        return d0_setup_mounts(c), d0_setup_base_devices(c), 0;
    if (!strcmp(step, "xen-dom0"))
        return d0_setup_rc_xen_dom0(c, proc_misc, kver), 0;
    if (!strcmp(step, "all"))
        return run_step(c, "mounts", proc_misc, kver, extra, nextra) ||
               run_step(c, "modules", proc_misc, kver, extra, nextra) ||
               run_step(c, "devices", proc_misc, kver, extra, nextra) ||
               run_step(c, "xenfs", proc_misc, kver, extra, nextra);
    fprintf(stderr, "xen-dom0-setup: unknown step '%s'\n", step);
    usage(stderr);
    return 2;
}

int main(int argc, char **argv)
{
    d0_ctx c = { .prog = "xen-dom0-setup", .root = "/", .plan = stdout, .log = stderr };
    const char *proc_misc = NULL, *kver = NULL, *console = "/dev/console", *pidfile = NULL,
               *ready = NULL;
    const char *extra[MAX_MODULES];
    size_t nextra = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        int has_arg = !strcmp(a, "--root") || !strcmp(a, "--proc-misc") ||
                      !strcmp(a, "--kver") || !strcmp(a, "--module") ||
                      !strcmp(a, "--console") || !strcmp(a, "--pidfile") || !strcmp(a, "--ready");
        if (has_arg && i + 1 >= argc) {
            fprintf(stderr, "xen-dom0-setup: %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--root"))
            c.root = argv[++i];
        else if (!strcmp(a, "--proc-misc"))
            proc_misc = argv[++i];
        else if (!strcmp(a, "--console"))
            console = argv[++i];
        else if (!strcmp(a, "--pidfile"))
            pidfile = argv[++i];
        else if (!strcmp(a, "--ready"))
            ready = argv[++i];
        else if (!strcmp(a, "--kver"))
            kver = argv[++i];
        else if (!strcmp(a, "--module")) {
            if (nextra == MAX_MODULES) {
                fprintf(stderr, "xen-dom0-setup: more than %d --module options\n", MAX_MODULES);
                return 2;
            }
            extra[nextra++] = argv[++i];
        } else if (!strcmp(a, "--dry-run") || !strcmp(a, "-n"))
            c.dry_run = 1;
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--")) {
            i++;
            break;
        } else {
            fprintf(stderr, "xen-dom0-setup: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (i < argc && !strcmp(argv[i], "watch")) {
        i += i + 1 < argc && !strcmp(argv[i + 1], "--") ? 2 : 1;
        if (i >= argc) {
            fprintf(stderr, "xen-dom0-setup: watch needs a command\n");
            return 2;
        }
        if (ready && !pidfile) {
            fprintf(stderr, "xen-dom0-setup: --ready needs --pidfile (it waits in the caller)\n");
            return 2;
        }
        return d0_watch_run(console, pidfile, ready, argv + i);
    }
    if (i < argc && !strcmp(argv[i], "load")) {
        if (i + 1 >= argc) {
            fprintf(stderr, "xen-dom0-setup: load needs module names\n");
            return 2;
        }
        d0_setup_modules(&c, kver, (const char *const *)argv + i + 1, (size_t)(argc - i - 1),
                         NULL, 0);
    } else if (i == argc) {
        if (run_step(&c, "all", proc_misc, kver, extra, nextra) == 2)
            return 2;
    } else {
        /* Check every step name first: a typo must not run half the list. */
        for (int k = i; k < argc; k++) {
            static const char *const known[] = { "mounts", "modules", "devices", "xenfs",
                                                 "dirs", "coldplug", "early", "openrc", "all",
                                                 "xen-dom0" };
            int ok = 0;
            for (size_t j = 0; j < sizeof known / sizeof *known; j++)
                ok |= !strcmp(argv[k], known[j]);
            if (!ok) {
                fprintf(stderr, "xen-dom0-setup: unknown step '%s'\n", argv[k]);
                usage(stderr);
                return 2;
            }
        }
        for (; i < argc; i++)
            run_step(&c, argv[i], proc_misc, kver, extra, nextra);
    }
    if (c.failures) {
        fprintf(stderr, "xen-dom0-setup: %d problem%s (see above)\n", c.failures,
                c.failures == 1 ? "" : "s");
        return 1;
    }
    return 0;
}
