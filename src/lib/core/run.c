#include "core/run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "core/file.h"
#include "core/mem.h"

extern char **environ;

struct md_run_proc {
    pid_t pid;
    bool own_group;
    bool ended;
    int status;
    int pipe[3]; /* our read ends for streams 1 and 2; -1 when none */
    bool captured[3]; /* pipe[i] is an MD_RUN_CAPTURE file, not a pipe */
};

double md_run_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- background -------------------------------------------------------- */

#define INHERIT (-2)

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

/* Move a descriptor above 0..2 (close-on-exec), so that the child's dup2
 * onto its standard streams cannot overwrite another one it still needs. */
static int above_stdio(int fd)
{
    if (fd < 0 || fd > 2)
        return fd;
    int h = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    close(fd);
    return h;
}

/* The descriptor the child gets as `stream` (0, 1, 2), INHERIT to keep
 * ours, or -1 with the error.  For a pipe *ours is our end. */
static int child_fd(const char *prog, const md_run_io *io, int stream, int *ours, md_err *err)
{
    static const char *const names[] = { "stdin", "stdout", "stderr" };
    int fd = -1, p[2];
    switch (io->kind) {
    case MD_RUN_INHERIT:
        return INHERIT;
    case MD_RUN_DEVNULL:
        fd = open("/dev/null", (stream ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
        if (fd < 0)
            md_err_errno(err, "%s: cannot open /dev/null", prog);
        break;
    case MD_RUN_FILE:
        fd = stream ? open(io->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)
                    : open(io->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            md_err_errno(err, "%s: cannot open %s", prog, io->path);
        break;
    case MD_RUN_FD:
        fd = fcntl(io->fd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
            md_err_errno(err, "%s: %s descriptor %d", prog, names[stream], io->fd);
        break;
    case MD_RUN_PIPE:
        if (stream == 0)
            return md_err_set(err, "%s: stdin cannot be an MD_RUN_PIPE", prog);
        if (pipe2(p, O_CLOEXEC) < 0)
            return md_err_errno(err, "%s: pipe", prog);
        *ours = above_stdio(p[0]);
        fd = p[1];
        break;
    case MD_RUN_CAPTURE:
        if (stream == 0)
            return md_err_set(err, "%s: stdin cannot be an MD_RUN_CAPTURE", prog);
        if ((fd = memfd_create(names[stream], MFD_CLOEXEC)) < 0)
            return md_err_errno(err, "%s: memfd_create", prog);
        *ours = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        break;
    case MD_RUN_AS_STDOUT:
        if (stream != 2)
            return md_err_set(err, "%s: only stderr can go where stdout goes", prog);
        return INHERIT; /* the child copies its stdout */
    }
    return above_stdio(fd);
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child(const char *const *argv, const md_run_start_opts *o, const int src[3], int ex,
                  char **envp, pid_t parent)
{
    /* A program outlives an mkdom0 killed with SIGKILL (which no handler
     * sees) unless the kernel ends it too: an orphaned xorriso or mcopy
     * went on writing into the dead build's scratch directory while the
     * next build swept it (CI, test 76).  prctl(2) PR_SET_PDEATHSIG; the
     * parent may have died before it took effect, hence getppid. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
        _exit(127);
    if (envp)
        environ = envp;
    if (o->own_group)
        setpgid(0, 0);
    for (int i = 0; i < 3; i++)
        if (src[i] >= 0 && dup2(src[i], i) < 0)
            goto fail;
    if (o->err.kind == MD_RUN_AS_STDOUT && dup2(1, 2) < 0)
        goto fail;
    if (o->cwd && chdir(o->cwd) < 0)
        goto fail;
    /* Ignored signals survive exec: a shell that started mkdom0 in the
     * background ignores SIGINT and SIGQUIT in it (POSIX 2.11), and the
     * programs run here (QEMU, the compressors) must still stop on them. */
    static const int sigs[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        signal(sigs[i], SIG_DFL);
    execvp(argv[0], (char *const *)argv);
fail:;
    int e = errno;
    if (write(ex, &e, sizeof e) < 0) {
    }
    _exit(127);
}

static void close_all(int *fds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

/* Our environment with `set`'s NAME=VALUE entries replacing or added to
 * it; the array is the caller's (free), the strings are borrowed. */
static char **merged_env(const char *const *set)
{
    size_t n = 0, k = 0;
    while (environ && environ[n])
        n++;
    while (set[k])
        k++;
    char **v = md_xcalloc(n + k + 1, sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strcspn(environ[i], "=");
        bool replaced = false;
        for (size_t j = 0; j < k && !replaced; j++)
            replaced = !strncmp(set[j], environ[i], len) && set[j][len] == '=';
        if (!replaced)
            v[m++] = environ[i];
    }
    for (size_t j = 0; j < k; j++)
        v[m++] = (char *)set[j];
    return v;
}

md_run_proc *md_run_start(const char *const *argv, const md_run_start_opts *o, md_err *err)
{
    static const md_run_start_opts none = { 0 };
    if (!o)
        o = &none;
    md_run_proc *p = md_xcalloc(1, sizeof *p);
    p->own_group = o->own_group;
    p->pipe[0] = p->pipe[1] = p->pipe[2] = -1;
    const md_run_io *io[3] = { &o->in, &o->out, &o->err };
    int src[3] = { INHERIT, INHERIT, INHERIT }, ex[2] = { -1, -1 };
    for (int i = 0; i < 3; i++) {
        if ((src[i] = child_fd(argv[0], io[i], i, &p->pipe[i], err)) == -1)
            goto fail;
        p->captured[i] = io[i]->kind == MD_RUN_CAPTURE;
    }
    /* Exec failure comes back through a close-on-exec pipe: EOF means the
     * program runs, a number is the errno of execvp. */
    if (pipe2(ex, O_CLOEXEC) < 0) {
        md_err_errno(err, "%s: pipe", argv[0]);
        goto fail;
    }
    ex[0] = above_stdio(ex[0]);
    ex[1] = above_stdio(ex[1]);
    /* Made before fork: the child may only make async-signal-safe calls. */
    char **envp = o->env ? merged_env(o->env) : NULL;
    pid_t parent = getpid();
    p->pid = fork();
    if (p->pid < 0) {
        free(envp);
        md_err_errno(err, "cannot run %s: fork", argv[0]);
        goto fail;
    }
    if (p->pid == 0)
        child(argv, o, src, ex[1], envp, parent);
    free(envp);
    close_all(src, 3);
    close(ex[1]);
    int e = 0;
    ssize_t r;
    do
        r = read(ex[0], &e, sizeof e);
    while (r < 0 && errno == EINTR);
    close(ex[0]);
    if (r == (ssize_t)sizeof e) {
        md_run_proc_wait(p, 0, NULL);
        errno = e;
        md_err_errno(err, "cannot run %s", argv[0]);
        close_all(p->pipe, 3);
        free(p);
        return NULL;
    }
    return p;
fail:
    close_all(src, 3);
    close_all(ex, 2);
    close_all(p->pipe, 3);
    free(p);
    return NULL;
}

pid_t md_run_proc_pid(const md_run_proc *p) { return p->pid; }

int md_run_proc_fd(const md_run_proc *p, int stream)
{
    return stream == 1 || stream == 2 ? p->pipe[stream] : -1;
}

char *md_run_proc_captured(const md_run_proc *p, int stream)
{
    sbuf b = { 0 };
    b.p = md_xstrdup("");
    if (stream < 1 || stream > 2 || !p->captured[stream])
        return b.p;
    for (off_t off = 0;;) {
        b.p = md_xgrow(b.p, &b.cap, b.len + 4096 + 1, 1);
        ssize_t n = pread(p->pipe[stream], b.p + b.len, b.cap - b.len - 1, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        b.len += (size_t)n;
        off += n;
    }
    b.p[b.len] = '\0';
    return b.p;
}

static void set_ended(md_run_proc *p, int st)
{
    p->ended = true;
    p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

bool md_run_proc_exited(md_run_proc *p, int *status)
{
    int st;
    pid_t r = p->ended ? 0 : waitpid(p->pid, &st, WNOHANG);
    if (r == p->pid)
        set_ended(p, st);
    else if (r < 0 && errno == ECHILD) /* reaped elsewhere: status unknown */
        p->ended = true, p->status = -1;
    if (p->ended && status)
        *status = p->status;
    return p->ended;
}

bool md_run_proc_wait(md_run_proc *p, double timeout_s, int *status)
{
    if (timeout_s > 0) {
        double end = md_run_now() + timeout_s;
        while (!md_run_proc_exited(p, status) && md_run_now() < end)
            usleep(10000);
        return md_run_proc_exited(p, status);
    }
    while (!p->ended) {
        int st;
        pid_t r = waitpid(p->pid, &st, 0);
        if (r == p->pid)
            set_ended(p, st);
        else if (r < 0 && errno != EINTR)
            p->ended = true, p->status = -1;
    }
    if (status)
        *status = p->status;
    return true;
}

void md_run_proc_signal(md_run_proc *p, int sig)
{
    if (p->ended)
        return; /* its pid may belong to another process by now */
    if (p->own_group)
        kill(-p->pid, sig);
    kill(p->pid, sig);
}

int md_run_proc_stop(md_run_proc *p, double grace_s)
{
    if (!md_run_proc_exited(p, NULL)) {
        md_run_proc_signal(p, SIGTERM);
        if (!md_run_proc_wait(p, grace_s, NULL)) {
            md_run_proc_signal(p, SIGKILL);
            md_run_proc_wait(p, 0, NULL);
        }
    }
    return p->status;
}

void md_run_proc_free(md_run_proc *p)
{
    if (!p)
        return;
    md_run_proc_stop(p, 3);
    close_all(p->pipe, 3);
    free(p);
}

/* ---- foreground -------------------------------------------------------- */

/* Append what fd has to b; false at end of file. */
static bool drain(int fd, sbuf *b)
{
    b->p = md_xgrow(b->p, &b->cap, b->len + 4096 + 1, 1);
    ssize_t n = read(fd, b->p + b->len, b->cap - b->len - 1);
    if (n < 0 && errno == EINTR)
        return true;
    if (n <= 0)
        return false;
    b->len += (size_t)n;
    b->p[b->len] = '\0';
    return true;
}

/* Read stdout (and stderr when apart) until both end, the time is up or
 * `until` shows. */
static void capture(md_run_proc *p, const md_run_opts *o, double end, sbuf *out, md_run_result *res)
{
    int fds[2] = { md_run_proc_fd(p, 1), md_run_proc_fd(p, 2) };
    while (fds[0] >= 0 || fds[1] >= 0) {
        int ms = -1;
        if (o->tick)
            o->tick(o->tick_arg);
        if (end) {
            double left = end - md_run_now();
            if (left <= 0) {
                res->timed_out = true;
                return;
            }
            ms = (int)(left * 1000) + 1;
        }
        if (o->tick && (ms < 0 || ms > 100))
            ms = 100;
        struct pollfd pf[2];
        nfds_t n = 0;
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                pf[n++] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
        int pr = poll(pf, n, ms);
        if (pr <= 0)
            continue; /* EINTR, or the time is up */
        for (nfds_t k = 0; k < n; k++) {
            if (!pf[k].revents)
                continue;
            int i = pf[k].fd == fds[0] ? 0 : 1;
            if (!drain(fds[i], &out[i]))
                fds[i] = -1;
            if (i == 0 && o->until && strstr(out[0].p, o->until)) {
                res->matched = true;
                return;
            }
        }
    }
}

int md_run(const char *const *argv, const md_run_opts *o, md_run_result *res, md_err *err)
{
    static const md_run_opts none = { 0 };
    if (!o)
        o = &none;
    memset(res, 0, sizeof *res);
    sbuf out[2];
    for (int i = 0; i < 2; i++)
        out[i] = (sbuf){ md_xcalloc(1, 4096), 0, 4096 };
    res->out = out[0].p;
    res->err = out[1].p;
    md_run_start_opts so = {
        .in = { o->stdin_path ? MD_RUN_FILE : MD_RUN_DEVNULL, o->stdin_path, -1 },
        .out = { MD_RUN_PIPE, NULL, -1 },
        .err = { o->stderr_apart ? MD_RUN_PIPE : MD_RUN_AS_STDOUT, NULL, -1 },
        .own_group = true,
        .env = o->env,
        .cwd = o->cwd,
    };
    md_run_proc *p = md_run_start(argv, &so, err);
    if (!p)
        return -1;
    double end = o->timeout_s > 0 ? md_run_now() + o->timeout_s : 0;
    capture(p, o, end, out, res);
    if (o->tick)
        o->tick(o->tick_arg);
    res->out = out[0].p;
    res->len = out[0].len;
    res->err = out[1].p;
    /* A program may close its output and still run: the time limit holds. */
    if (!res->timed_out && !res->matched && end &&
        !md_run_proc_wait(p, end - md_run_now() > 0 ? end - md_run_now() : 0.001, NULL))
        res->timed_out = true;
    if (res->timed_out || res->matched)
        md_run_proc_stop(p, 2);
    else
        md_run_proc_wait(p, 0, NULL);
    res->status = res->timed_out ? -1 : res->matched ? 0 : p->status;
    md_run_proc_free(p);
    return 0;
}

void md_run_result_free(md_run_result *res)
{
    free(res->out);
    free(res->err);
    res->out = res->err = NULL;
    res->len = 0;
}

int md_run_find_tool(const char *tool, const char *pkg, char **path, md_err *err)
{
    const char *env = getenv("PATH");
    char *all = md_xasprintf("%s:/usr/sbin:/sbin", env && *env ? env : "/usr/bin:/bin");
    char *found = NULL;
    for (char *save = NULL, *d = strtok_r(all, ":", &save); d && !found;
         d = strtok_r(NULL, ":", &save)) {
        char *p = md_xasprintf("%s/%s", d, tool);
        if (access(p, X_OK) == 0)
            found = md_path_abs(p);
        free(p);
    }
    free(all);
    if (!found)
        return md_err_set(err, "%s not found: install %s", tool, pkg);
    if (path)
        *path = found;
    else
        free(found);
    return 0;
}

const char *md_run_tail(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return s;
    const char *p = s + n - max;
    const char *nl = strchr(p, '\n');
    return nl && nl[1] ? nl + 1 : p;
}

int md_run_ok(const char *const *argv, double timeout_s, md_err *err)
{
    md_run_opts o = { .timeout_s = timeout_s };
    return md_run_ok_opts(argv, &o, err);
}

int md_run_ok_opts(const char *const *argv, const md_run_opts *o, md_err *err)
{
    double timeout_s = o->timeout_s;
    md_run_result r;
    if (md_run(argv, o, &r, err) < 0) {
        md_run_result_free(&r);
        return -1;
    }
    int rc = 0;
    if (r.timed_out)
        rc = md_err_set(err, "%s did not finish within %.0f s", argv[0], timeout_s);
    else if (r.status != 0)
        /* the tool's own lines, below the error's (a one-line format
         * would show its newlines escaped: core/err.h) */
        rc = md_err_set(err, "%s failed (exit %d):\n%s", argv[0], r.status,
                        md_run_tail(r.out, 800));
    md_run_result_free(&r);
    return rc;
}
