/* check_int — what the --check steps in other files of proof/ use of
 * check.c's running check: commands in the dom0 over ssh, the console log,
 * result rows and failures.  Private to proof/.  Prefix md_check_.
 *
 * Ownership: the chk is check.c's; md_run_result as in core/run.h.
 */
#ifndef MD_CHECK_INT_H
#define MD_CHECK_INT_H

#include <stdbool.h>
#include "core/err.h"
#include "core/run.h"
#include "image/tree.h"

typedef struct chk chk;

/* Run `cmd` as root in the dom0 (no tty) for up to `timeout` seconds; the
 * run's status, 255 when ssh itself failed, -1 at the timeout.  `r` is
 * always filled. */
int md_check_ssh(chk *c, const char *cmd, double timeout, md_run_result *r);
/* One row of the result table ("ok   ...", "n/a  ..."), printf-style. */
void md_check_say(chk *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fail the check with the message and the console log's path; returns -1. */
int md_check_fail(chk *c, md_err *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Seconds since QEMU started. */
double md_check_since(const chk *c);
/* Wait up to `timeout` seconds for `needle` on the serial console (from its
 * start); true when it is there, with the whole line in *line (caller frees). */
bool md_check_console_wait(chk *c, const char *needle, double timeout, char **line);
/* Is QEMU still running and the check not interrupted?  Waits end when not. */
bool md_check_running(chk *c);
/* A setting of a conf.d file in the image (`mkdom0 build` writes them):
 * `key="value"` (or unquoted) at a line start, the first one; NULL when
 * rootfs is NULL, the file or key is absent, or the value is empty.
 * Caller frees. */
char *md_check_conf_value(const md_tree *rootfs, const char *file, const char *key);
/* The per-guest time limit of the options (0: `dflt` seconds). */
double md_check_guest_timeout(const chk *c, double dflt);

#endif
