/* spawn — the one way the dom0 programs start another program and wait for
 * it (flock's COMMAND, watch's xenstored).  They are static and apart from
 * src/lib, so this is their own small runner, not core/run.  Prefix
 * d0_spawn_.
 *
 * Ownership: argv and the strings are borrowed; nothing is allocated.
 */
#ifndef D0_SPAWN_H
#define D0_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

/* Start argv (argv[0] found through PATH) as a child.  `default_signals`:
 * the child takes SIGTERM, SIGINT and SIGHUP back to their defaults (exec
 * resets only caught signals; an ignored one would stay ignored), for a
 * parent that handles them itself.  `who` prefixes the messages on stderr:
 * "WHO: cannot fork for PROG: REASON" (returns -1) and, in the child,
 * "WHO: cannot run PROG: REASON" (it exits 127).  Returns the child's pid. */
pid_t d0_spawn_start(char *const argv[], bool default_signals, const char *who);

/* Wait for `pid` (through EINTR): 0 with waitpid's *wstatus, or -1 with
 * errno. */
int d0_spawn_wait(pid_t pid, int *wstatus);

/* A wait status as the shell gives it: the exit status, or 128 + the
 * signal number. */
int d0_spawn_status(int wstatus);

#endif
