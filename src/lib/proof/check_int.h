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
/* md_check_ssh with the command made printf-style. */
int md_check_sshf(chk *c, double timeout, md_run_result *r, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* md_check_ssh with a tty (a guest's console through `xl create -c`),
 * ending early once the output holds `until`: r->matched. */
int md_check_ssh_console(chk *c, const char *cmd, double timeout, const char *until,
                         md_run_result *r);
/* Copy the host file `src` to `dst` in the dom0; fails the check when it
 * cannot. */
int md_check_copy_in(chk *c, const char *src, const char *dst, md_err *err);
/* One row of the result table ("ok   ...", "n/a  ..."), printf-style. */
void md_check_say(chk *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fail the check with the message and the console log's path; returns -1. */
int md_check_fail(chk *c, md_err *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The image's tree (for diagnoses); NULL when it could not be read. */
const md_tree *md_check_rootfs(const chk *c);
/* The check's scratch directory on the host. */
const char *md_check_workdir(const chk *c);
/* A number unique to this check, for the markers guests and disks carry. */
unsigned long md_check_nonce(void);
/* Console output as one line of text: every '\r' (QEMU's and xl's "\r\n"
 * ends) becomes a space, in place. */
void md_check_fold_cr(char *s);
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
