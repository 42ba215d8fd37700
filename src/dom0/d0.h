/* d0 — what every program inside the dom0 shares: an error value, whole-file
 * reads, and the "system" layer through which every change to the running
 * system goes (mkdir, mknod, mount, module load...).
 *
 * These programs are static, plain libc, and do not link libmkdom0; prefix d0_.
 *
 * The system layer works below a root directory (normally "/") and can run
 * dry: then it changes nothing and prints each action it would take, one per
 * line, to ctx->plan.  Observation (lstat, statfs, reading files) always
 * looks at the real files below the root, so a dry run against a prepared
 * temporary directory shows exactly what a real run would do there.  That is
 * how the tests exercise the whole program without privileges.
 */
#ifndef D0_H
#define D0_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

typedef struct d0_err {
    int set;
    char msg[512];
} d0_err;

/* First error wins, as in libmkdom0.  Both return -1. */
int d0_err_set(d0_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int d0_err_errno(d0_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Read a whole file (also /proc files, whose size stat() reports as 0).
 * *data is NUL-terminated and the caller frees it. */
int d0_read_file(const char *path, char **data, size_t *len, d0_err *e);

typedef struct d0_ctx {
    const char *prog;   /* message prefix */
    const char *root;   /* "/" or a directory standing in for it */
    int dry_run;        /* print actions to `plan` instead of doing them */
    FILE *plan;         /* dry-run output (stdout by default) */
    FILE *log;          /* messages (stderr by default) */
    int failures;       /* actions or checks that failed so far */
} d0_ctx;

/* Host path for an image path: root + path, into buf.  Returns buf, or NULL
 * (and reports) when it does not fit. */
char *d0_path(d0_ctx *c, const char *path, char *buf, size_t size);

/* Messages.  d0_fail also counts a failure. */
void d0_info(d0_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void d0_warn(d0_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void d0_fail(d0_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Actions: image paths, 0 on success (or in a dry run), -1 after reporting
 * the failure with its reason. */
int d0_mkdir(d0_ctx *c, const char *path, mode_t mode);
int d0_mknod_chr(d0_ctx *c, const char *path, unsigned maj, unsigned min, mode_t mode);
int d0_unlink(d0_ctx *c, const char *path, const char *why);
int d0_symlink(d0_ctx *c, const char *target, const char *path);
/* Owner and group of `path` (not following a symlink). */
int d0_chown(d0_ctx *c, const char *path, uid_t uid, gid_t gid);
/* `path` created or replaced with `len` bytes of `data`, mode `mode`, and
 * modification time `mtime` (seconds since the epoch) when it is >= 0. */
int d0_write_file(d0_ctx *c, const char *path, const char *data, size_t len, mode_t mode,
                  long long mtime);
/* `source` and `data` as for mount(2); `tried` may name a fallback in the
 * dry-run line. */
int d0_mount(d0_ctx *c, const char *source, const char *path, const char *fstype,
             unsigned long flags, const char *data);
/* Like d0_mount but returns -2 without reporting when the kernel does not
 * know the file system (ENODEV), so the caller can fall back. */
int d0_mount_try(d0_ctx *c, const char *source, const char *path, const char *fstype,
                 unsigned long flags, const char *data);

/* Observation below the root.  -1 with errno set when absent. */
int d0_lstat(d0_ctx *c, const char *path, struct stat *st);
/* File system magic of a path (statfs f_type), 0 if it cannot be read. */
unsigned long d0_fs_magic(d0_ctx *c, const char *path);
/* Whether a path is a mount point: its device differs from its parent's,
 * or it is the root of the file system. */
int d0_is_mountpoint(d0_ctx *c, const char *path);

#endif
