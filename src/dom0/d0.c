#include "d0.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int verr(d0_err *e, int with_errno, const char *fmt, va_list ap)
{
    int saved = errno;
    if (!e || e->set)
        return -1;
    int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    if (with_errno && n >= 0 && (size_t)n < sizeof e->msg)
        snprintf(e->msg + n, sizeof e->msg - (size_t)n, ": %s", strerror(saved));
    e->set = 1;
    return -1;
}

int d0_err_set(d0_err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(e, 0, fmt, ap);
    va_end(ap);
    return -1;
}

int d0_err_errno(d0_err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(e, 1, fmt, ap);
    va_end(ap);
    return -1;
}

int d0_read_file(const char *path, char **data, size_t *len, d0_err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return d0_err_errno(e, "cannot open %s", path);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return d0_err_set(e, "%s: out of memory", path);
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *nb = cap < ((size_t)1 << 30) ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                free(buf);
                close(fd);
                return d0_err_set(e, "%s: too large or out of memory", path);
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            d0_err_errno(e, "cannot read %s", path);
            free(buf);
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *data = buf;
    if (len)
        *len = n;
    return 0;
}

char *d0_path(d0_ctx *c, const char *path, char *buf, size_t size)
{
    const char *root = c->root && *c->root ? c->root : "/";
    size_t rl = strlen(root);
    while (rl > 1 && root[rl - 1] == '/')
        rl--;
    if (rl == 1 && root[0] == '/')
        rl = 0; /* "/" + "/dev" is "/dev", not "//dev" */
    int n = snprintf(buf, size, "%.*s%s", (int)rl, root, path);
    if (n < 0 || (size_t)n >= size) {
        d0_fail(c, "path too long: %s%s", root, path);
        return NULL;
    }
    return buf;
}

static void vmsg(d0_ctx *c, const char *kind, const char *fmt, va_list ap)
{
    FILE *f = c->log ? c->log : stderr;
    fprintf(f, "%s: %s", c->prog ? c->prog : "d0", kind);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    fflush(f);
}

void d0_info(d0_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(c, "", fmt, ap);
    va_end(ap);
}

void d0_warn(d0_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(c, "warning: ", fmt, ap);
    va_end(ap);
}

void d0_fail(d0_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(c, "error: ", fmt, ap);
    va_end(ap);
    c->failures++;
}

static void plan(d0_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void plan(d0_ctx *c, const char *fmt, ...)
{
    FILE *f = c->plan ? c->plan : stdout;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    fflush(f);
}

int d0_mkdir(d0_ctx *c, const char *path, mode_t mode)
{
    char p[4096];
    struct stat st;
    if (!d0_path(c, path, p, sizeof p))
        return -1;
    if (lstat(p, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        d0_fail(c, "cannot create directory %s: something else is there (mode %o)",
                path, (unsigned)st.st_mode);
        return -1;
    }
    if (c->dry_run) {
        plan(c, "mkdir %s %04o", path, (unsigned)mode);
        return 0;
    }
    if (mkdir(p, mode) < 0 && errno != EEXIST) {
        d0_fail(c, "cannot create directory %s: %s", path, strerror(errno));
        return -1;
    }
    /* mkdir obeys the umask; the mode asked for is the mode meant. */
    if (chmod(p, mode) < 0) {
        d0_fail(c, "cannot chmod %s to %04o: %s", path, (unsigned)mode, strerror(errno));
        return -1;
    }
    return 0;
}

int d0_mknod_chr(d0_ctx *c, const char *path, unsigned maj, unsigned min, mode_t mode)
{
    char p[4096];
    if (!d0_path(c, path, p, sizeof p))
        return -1;
    if (c->dry_run) {
        plan(c, "mknod %s c %u %u %04o", path, maj, min, (unsigned)mode);
        return 0;
    }
    if (mknod(p, S_IFCHR | mode, makedev(maj, min)) < 0) {
        d0_fail(c, "cannot create %s (char %u:%u): %s", path, maj, min, strerror(errno));
        return -1;
    }
    if (chmod(p, mode) < 0) {
        d0_fail(c, "cannot chmod %s to %04o: %s", path, (unsigned)mode, strerror(errno));
        return -1;
    }
    return 0;
}

int d0_unlink(d0_ctx *c, const char *path, const char *why)
{
    char p[4096];
    if (!d0_path(c, path, p, sizeof p))
        return -1;
    if (c->dry_run) {
        plan(c, "unlink %s (%s)", path, why);
        return 0;
    }
    d0_info(c, "replacing %s: %s", path, why);
    if (unlink(p) < 0 && errno != ENOENT) {
        d0_fail(c, "cannot remove %s (%s): %s", path, why, strerror(errno));
        return -1;
    }
    return 0;
}

int d0_symlink(d0_ctx *c, const char *target, const char *path)
{
    char p[4096];
    if (!d0_path(c, path, p, sizeof p))
        return -1;
    if (c->dry_run) {
        plan(c, "symlink %s -> %s", path, target);
        return 0;
    }
    if (symlink(target, p) < 0 && errno != EEXIST) {
        d0_fail(c, "cannot create symlink %s -> %s: %s", path, target, strerror(errno));
        return -1;
    }
    return 0;
}

int d0_chown(d0_ctx *c, const char *path, uid_t uid, gid_t gid)
{
    char p[4096];
    if (!d0_path(c, path, p, sizeof p))
        return -1;
    if (c->dry_run) {
        plan(c, "chown %s %u:%u", path, (unsigned)uid, (unsigned)gid);
        return 0;
    }
    if (lchown(p, uid, gid) < 0) {
        d0_fail(c, "cannot chown %s to %u:%u: %s", path, (unsigned)uid, (unsigned)gid,
                strerror(errno));
        return -1;
    }
    return 0;
}

int d0_write_file(d0_ctx *c, const char *path, const char *data, size_t len, mode_t mode,
                  long long mtime)
{
    char p[4096];
    if (!d0_path(c, path, p, sizeof p))
        return -1;
    if (c->dry_run) {
        if (mtime >= 0)
            plan(c, "write %s %04o %zu bytes mtime %lld", path, (unsigned)mode, len, mtime);
        else
            plan(c, "write %s %04o %zu bytes", path, (unsigned)mode, len);
        return 0;
    }
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) {
        d0_fail(c, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            d0_fail(c, "cannot write %s: %s", path, w < 0 ? strerror(errno) : "short write");
            close(fd);
            return -1;
        }
        done += (size_t)w;
    }
    struct timespec ts[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_sec = (time_t)mtime } };
    if (fchmod(fd, mode) < 0 || (mtime >= 0 && futimens(fd, ts) < 0)) {
        d0_fail(c, "cannot set the mode or time of %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (close(fd) < 0) {
        d0_fail(c, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int do_mount(d0_ctx *c, const char *source, const char *path, const char *fstype,
                    unsigned long flags, const char *data, int soft)
{
    char p[4096];
    if (!d0_path(c, path, p, sizeof p))
        return -1;
    if (c->dry_run) {
        plan(c, "mount %s %s %s %s", fstype, source, path, data && *data ? data : "-");
        return 0;
    }
    if (mount(source, p, fstype, flags, data) == 0)
        return 0;
    if (soft && errno == ENODEV)
        return -2;
    const char *hint = "";
    if (errno == ENODEV)
        hint = " (the kernel does not support this file system; module not loaded?)";
    else if (errno == EPERM)
        hint = " (not permitted: not running as root?)";
    d0_fail(c, "cannot mount %s on %s: %s%s", fstype, path, strerror(errno), hint);
    return -1;
}

int d0_mount(d0_ctx *c, const char *source, const char *path, const char *fstype,
             unsigned long flags, const char *data)
{
    return do_mount(c, source, path, fstype, flags, data, 0);
}

int d0_mount_try(d0_ctx *c, const char *source, const char *path, const char *fstype,
                 unsigned long flags, const char *data)
{
    return do_mount(c, source, path, fstype, flags, data, 1);
}

int d0_lstat(d0_ctx *c, const char *path, struct stat *st)
{
    char p[4096];
    if (!d0_path(c, path, p, sizeof p)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return lstat(p, st);
}

unsigned long d0_fs_magic(d0_ctx *c, const char *path)
{
    char p[4096];
    struct statfs sf;
    if (!d0_path(c, path, p, sizeof p) || statfs(p, &sf) < 0)
        return 0;
    return (unsigned long)sf.f_type;
}

int d0_is_mountpoint(d0_ctx *c, const char *path)
{
    char p[4096], parent[4096 + 3];
    struct stat st, pst;
    if (!d0_path(c, path, p, sizeof p) || stat(p, &st) < 0)
        return 0;
    snprintf(parent, sizeof parent, "%s/..", p);
    if (stat(parent, &pst) < 0)
        return 0;
    return st.st_dev != pst.st_dev || st.st_ino == pst.st_ino;
}
