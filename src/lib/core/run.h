/* run — the one place mkdom0 starts other programs.  Prefix md_run_.
 *
 * Foreground (md_run, md_run_ok): run a helper (grub-mkrescue, sfdisk,
 * mtools, ssh, ssh-keygen) to its end with a time limit, optional stdin from
 * a file, and its output captured.
 *
 * Background (md_run_start): start a program (QEMU, gpgv, xz) with its
 * stdin, stdout and stderr where the caller says, then look at it, wait for
 * it with a time limit, signal or stop it.  A program that cannot be started
 * (not found, not executable, a file that cannot be opened) is an error of
 * md_run_start itself, not an exit status found later.
 *
 * Statuses are the shell's: the exit status, or 128 + the signal number.
 *
 * Ownership: md_run_result.out/.err are the caller's (md_run_result_free).
 * An md_run_proc is the caller's, freed by md_run_proc_free (which stops
 * the program if it still runs); the descriptors it hands out stay its own.
 * Descriptors and paths given in md_run_io are borrowed.
 */
#ifndef MD_RUN_H
#define MD_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "core/err.h"

/* ---- foreground -------------------------------------------------------- */

typedef struct md_run_opts {
    const char *stdin_path;  /* NULL: /dev/null */
    double timeout_s;        /* 0: none */
    /* Stop early (killing the program) once its output contains this; the
     * run then counts as successful.  NULL: run to the end. */
    const char *until;
    bool stderr_apart;       /* stderr into res->err (default: it joins stdout in out) */
    /* NAME=VALUE settings added to (or replacing in) the program's
     * environment, NULL-terminated, e.g. SOURCE_DATE_EPOCH for a tool that
     * stamps its output; NULL: ours as it is. */
    const char *const *env;
    /* The program's working directory; NULL: ours.  With it a caller can
     * name its files by fixed relative names ("./disk.img") when the tool
     * reads meaning into path bytes (mtools' "@@offset" and "x:" drives,
     * xorriso's "=" graft points, a leading '-'). */
    const char *cwd;
    /* Called with tick_arg at least every 100 ms while the program runs
     * (and once more at its end), for a caller that must keep reading
     * something else meanwhile (a boot's console, whose lines are stamped
     * with the time they were read); NULL: none. */
    void (*tick)(void *tick_arg);
    void *tick_arg;
} md_run_opts;

typedef struct md_run_result {
    char *out;       /* stdout (and stderr unless stderr_apart), NUL-terminated */
    size_t len;
    char *err;       /* stderr when stderr_apart, else ""; NUL-terminated */
    int status;      /* exit status, 128+signal, or -1 when killed at the timeout */
    bool timed_out;
    bool matched;    /* `until` was seen */
} md_run_result;

/* CLOCK_MONOTONIC in seconds: the clock of every timeout and timing. */
double md_run_now(void);

/* Run argv (argv[0] looked up in PATH) in its own process group, so that a
 * timeout ends its children too.  Returns 0 when the program ran (whatever
 * its exit status; see res->status) and -1 when it could not be started.
 * `res` is always filled. */
int md_run(const char *const *argv, const md_run_opts *o, md_run_result *res, md_err *err);
void md_run_result_free(md_run_result *res);

/* Run and require exit status 0; the error names the program and carries
 * the last lines of its output. */
int md_run_ok(const char *const *argv, double timeout_s, md_err *err);
/* md_run_ok with all of md_run_opts (its timeout_s, env, cwd, stdin_path). */
int md_run_ok_opts(const char *const *argv, const md_run_opts *o, md_err *err);

/* Find the program `tool` before running it: the first executable
 * DIR/tool of $PATH (unset or empty: /usr/bin:/bin), then of /usr/sbin and
 * /sbin, where Debian keeps sfdisk and mkfs.ext4, outside a normal user's
 * PATH.  0 with *path (the caller frees it; an absolute path, as a tool run
 * with md_run_opts.cwd needs) or -1 with "TOOL not found: install PKG".
 * path may be NULL: only the check. */
int md_run_find_tool(const char *tool, const char *pkg, char **path, md_err *err);

/* The last `max` bytes of s, starting at a line boundary (for messages). */
const char *md_run_tail(const char *s, size_t max);

/* ---- background -------------------------------------------------------- */

/* Where one of the program's standard streams goes. */
typedef enum md_run_io_kind {
    MD_RUN_DEVNULL,   /* /dev/null (the zero value) */
    MD_RUN_INHERIT,   /* ours: the terminal, for an interactive boot */
    MD_RUN_FILE,      /* `path`: read (stdin), or created/truncated mode 0644 */
    MD_RUN_FD,        /* `fd`, open in the caller, which keeps (and closes) it */
    MD_RUN_PIPE,      /* stdout/stderr: a pipe read through md_run_proc_fd() */
    MD_RUN_AS_STDOUT, /* stderr: the same place as stdout */
    /* stdout/stderr: kept in memory (an unlinked file, so the program never
     * waits for us to read it) for md_run_proc_captured */
    MD_RUN_CAPTURE,
} md_run_io_kind;

typedef struct md_run_io {
    md_run_io_kind kind;
    const char *path; /* MD_RUN_FILE */
    int fd;           /* MD_RUN_FD */
} md_run_io;

typedef struct md_run_start_opts {
    md_run_io in, out, err;
    /* Its own process group: a terminal's Ctrl-C then reaches only us (who
     * stop it and clean up), and signals reach the program's children too.
     * Not for a program that reads the terminal (interactive QEMU). */
    bool own_group;
    const char *const *env;  /* as md_run_opts.env */
    const char *cwd;         /* as md_run_opts.cwd */
} md_run_start_opts;

typedef struct md_run_proc md_run_proc;

/* Start argv (argv[0] looked up in PATH).  NULL with the error when it
 * cannot be started: "cannot run PROG: REASON", or the file it could not
 * open. */
md_run_proc *md_run_start(const char *const *argv, const md_run_start_opts *o, md_err *err);
pid_t md_run_proc_pid(const md_run_proc *p);
/* Our end of the MD_RUN_PIPE of stream 1 (stdout) or 2 (stderr), else -1. */
int md_run_proc_fd(const md_run_proc *p, int stream);
/* What the program wrote so far to its MD_RUN_CAPTURE stream 1 or 2,
 * NUL-terminated; the caller frees it.  "" for another kind. */
char *md_run_proc_captured(const md_run_proc *p, int stream);
/* Has it ended?  Does not block; reaps it, *status (may be NULL) as above. */
bool md_run_proc_exited(md_run_proc *p, int *status);
/* Wait up to timeout_s seconds (0: for ever) for it to end.  True when it
 * has ended (*status as above), false when it still runs. */
bool md_run_proc_wait(md_run_proc *p, double timeout_s, int *status);
/* Send sig (to its process group with own_group).  No-op once it ended. */
void md_run_proc_signal(md_run_proc *p, int sig);
/* SIGTERM, up to grace_s seconds to end, then SIGKILL; reaps it.  Returns
 * its status. */
int md_run_proc_stop(md_run_proc *p, double grace_s);
/* Stop it (3 s grace) if it still runs, close our pipe ends, free.  NULL
 * is fine. */
void md_run_proc_free(md_run_proc *p);

#endif
