/* flock — the subset of util-linux flock(1) that Xen's hotplug scripts
 * (/etc/xen/scripts/locking.sh: `flock -x FD`) need, so the image does not
 * carry util-linux and its libraries for one system call.
 *
 *   flock [-s|-x|-u] [-n] FD
 *   flock [-s|-x] [-n] FILE COMMAND [ARG...]
 *
 * Exit status: 0 on success, 1 when -n finds the lock taken, 64 on usage
 * errors, 66 when FILE cannot be opened, otherwise the command's status. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "spawn.h"

static int usage(void)
{
    fputs("usage: flock [-s|-x|-u] [-n] FD\n"
          "       flock [-s|-x] [-n] FILE COMMAND [ARG...]\n", stderr);
    return 64;
}

static int parse_fd(const char *s, int *fd)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 0 || v > 1 << 20)
        return -1;
    *fd = (int)v;
    return 0;
}

static int lock(int fd, int op, const char *what)
{
    while (flock(fd, op) < 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK)
            return 1;
        fprintf(stderr, "flock: %s: %s\n", what, strerror(errno));
        return 1;
    }
    return 0;
}

static int run_locked(const char *file, int op, char **cmd)
{
    int fd = open(file, O_RDONLY | O_CREAT | O_NOCTTY | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EISDIR)
        fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "flock: cannot open %s: %s\n", file, strerror(errno));
        return 66;
    }
    int r = lock(fd, op, file);
    if (r)
        return r;
    pid_t pid = d0_spawn_start(cmd, false, "flock");
    int st;
    if (pid < 0 || d0_spawn_wait(pid, &st) < 0)
        return 1;
    return d0_spawn_status(st);
}

int main(int argc, char **argv)
{
    int op = LOCK_EX, nb = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *o = argv[i] + 1; *o; o++) {
            switch (*o) {
            case 's': op = LOCK_SH; break;
            case 'x': case 'e': op = LOCK_EX; break;
            case 'u': op = LOCK_UN; break;
            case 'n': nb = LOCK_NB; break;
            default: return usage();
            }
        }
    }
    if (i == argc - 1) {
        int fd;
        if (parse_fd(argv[i], &fd) < 0)
            return usage();
        return lock(fd, op | nb, argv[i]);
    }
    if (i < argc - 1 && op != LOCK_UN)
        return run_locked(argv[i], op | nb, argv + i + 1);
    return usage();
}
