/* run — run a helper program (grub-mkrescue, sfdisk, mtools, ssh) with a
 * time limit, optional stdin from a file, and its output captured.
 * Prefix md_run_.
 *
 * Ownership: md_run_result.out is the caller's to free() (md_run_result_free).
 */
#ifndef MD_RUN_H
#define MD_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

typedef struct md_run_opts {
    const char *stdin_path;  /* NULL: /dev/null */
    double timeout_s;        /* 0: none */
    /* Stop early (killing the program) once its output contains this; the
     * run then counts as successful.  NULL: run to the end. */
    const char *until;
    bool quiet_stderr;       /* drop stderr (default: stderr joins stdout in out) */
} md_run_opts;

typedef struct md_run_result {
    char *out;       /* stdout (and stderr unless quiet_stderr), NUL-terminated */
    size_t len;
    int status;      /* exit status, 128+signal, or -1 when killed at the timeout */
    bool timed_out;
    bool matched;    /* `until` was seen */
} md_run_result;

/* Run argv (argv[0] looked up in PATH).  Returns 0 when the program ran
 * (whatever its exit status; see res->status) and -1 when it could not be
 * started.  `res` is always filled. */
int md_run(const char *const *argv, const md_run_opts *o, md_run_result *res, md_err *err);
void md_run_result_free(md_run_result *res);

/* Run and require exit status 0; the error names the program and carries
 * the last lines of its output. */
int md_run_ok(const char *const *argv, double timeout_s, md_err *err);

/* The last `max` bytes of s, starting at a line boundary (for messages). */
const char *md_run_tail(const char *s, size_t max);

#endif
