/* watch — run xenstored and say so loudly when it dies.
 *
 * xenstored cannot be restarted: the store holds every running domain's
 * state (its /local/domain/N tree, watches, connections) in the daemon's
 * memory only, and a fresh daemon knows none of it, so a silently respawned
 * store gives a toolstack that seems up and cannot manage the domains that
 * run.  Xen: "xenstored cannot be restarted.  If it dies, Xen's screwed
 * until reboot." (xen.git commit e02df4427901, "xenstored: Recover from
 * corrupt tdb on reboot"); since Xen 4.15 the only supported restart is a
 * live update that hands the state over (xenstore-control live-update,
 * docs/designs/xenstore-migration.md).  So the dom0 does not respawn it
 * (supervise-daemon would, and has no hook to report a death): the watcher
 * is its parent, waits for it, and on an uninvited death writes a
 * multi-line alarm to the console and to syslog.
 *
 * A stop on request (SIGTERM, SIGINT or SIGHUP to the watcher, as the
 * service's stop sends) is passed on to the child and is no alarm.
 * Prefix d0_watch_.
 */
#ifndef D0_WATCH_H
#define D0_WATCH_H

#include <stddef.h>

/* How a child ended, from waitpid's status: "was killed by signal 9
 * (SIGKILL)", "exited with status 1".  Into buf (always NUL-terminated). */
void d0_watch_describe(int wstatus, char *buf, size_t size);

/* The console alarm for `name` (e.g. "xenstored") that ended with
 * `wstatus`: several lines, each starting "*** ", the first
 * "*** xenstored died: the toolstack cannot work until reboot".  Into buf
 * (truncated to fit, always NUL-terminated). */
void d0_watch_alarm(const char *name, int wstatus, char *buf, size_t size);

/* Run argv (argv[0] found through PATH) as a child, wait for it.  When it
 * ends without having been asked to: the alarm to `console` (a file opened
 * for appending, normally /dev/console), to stderr, and one line to syslog
 * (daemon.crit, a datagram to /dev/log); returns 1.  Asked to stop: passes
 * the signal on, waits, and returns 0.  Cannot start it: says why on stderr
 * and returns 1 after the alarm (without a store nothing works).
 * `pidfile` non-NULL: first go into the background (own session, stdio on
 * /dev/null) and return 0 in the caller once the background process's pid
 * is in `pidfile` (1 if it cannot be written).  `ready` non-NULL (with a
 * pidfile): the caller returns only once path `ready` exists (xenstored's
 * socket: the store answers), 1 with the reason on stderr when the watcher
 * ended first or after D0_WATCH_READY_S seconds; it looks every 50 ms
 * itself, where a shell loop would start a process per look (each costs
 * most of a second in a PV dom0 under emulation).  The returned value is the
 * exit status. */
#define D0_WATCH_READY_S 60
int d0_watch_run(const char *console, const char *pidfile, const char *ready, char *const argv[]);

#endif
