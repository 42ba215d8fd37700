#include "core/run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "core/mem.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void md_run_result_free(md_run_result *res)
{
    free(res->out);
    res->out = NULL;
    res->len = 0;
}

int md_run(const char *const *argv, const md_run_opts *o, md_run_result *res, md_err *err)
{
    static const md_run_opts none = { 0 };
    if (!o)
        o = &none;
    memset(res, 0, sizeof *res);
    res->out = md_xstrdup("");
    int in = open(o->stdin_path ? o->stdin_path : "/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return md_err_errno(err, "%s: cannot open %s", argv[0], o->stdin_path ? o->stdin_path : "/dev/null");
    int out[2], ex[2];
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(ex, O_CLOEXEC) < 0) {
        close(in);
        return md_err_errno(err, "pipe");
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(in);
        close(out[0]);
        close(out[1]);
        close(ex[0]);
        close(ex[1]);
        return md_err_errno(err, "fork");
    }
    if (pid == 0) {
        setpgid(0, 0); /* so a timeout can end the program and its children */
        dup2(in, 0);
        dup2(out[1], 1);
        if (o->quiet_stderr) {
            int dn = open("/dev/null", O_WRONLY);
            dup2(dn, 2);
        } else {
            dup2(out[1], 2);
        }
        execvp(argv[0], (char *const *)argv);
        int e = errno;
        if (write(ex[1], &e, sizeof e) < 0) {
        }
        _exit(127);
    }
    close(in);
    close(out[1]);
    close(ex[1]);
    int e = 0;
    ssize_t r;
    do
        r = read(ex[0], &e, sizeof e);
    while (r < 0 && errno == EINTR);
    close(ex[0]);
    if (r == (ssize_t)sizeof e) {
        close(out[0]);
        waitpid(pid, NULL, 0);
        errno = e;
        return md_err_errno(err, "cannot run %s", argv[0]);
    }

    size_t cap = 4096;
    res->out = md_xrealloc(res->out, cap);
    double end = o->timeout_s > 0 ? now() + o->timeout_s : 0;
    bool killed = false;
    for (;;) {
        int ms = -1;
        if (end) {
            double left = end - now();
            if (left <= 0) {
                res->timed_out = true;
                break;
            }
            ms = (int)(left * 1000) + 1;
        }
        struct pollfd p = { .fd = out[0], .events = POLLIN };
        int pr = poll(&p, 1, ms);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0)
            continue;
        if (res->len + 4096 + 1 > cap)
            res->out = md_xrealloc(res->out, cap *= 2);
        ssize_t n = read(out[0], res->out + res->len, cap - res->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        res->len += (size_t)n;
        res->out[res->len] = '\0';
        if (o->until && strstr(res->out, o->until)) {
            res->matched = true;
            break;
        }
    }
    res->out[res->len] = '\0';
    close(out[0]);
    if (res->timed_out || res->matched) {
        kill(-pid, SIGTERM);
        kill(pid, SIGTERM);
        killed = true;
    }
    int st = 0;
    for (int i = 0; killed && i < 40; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid)
            goto reaped;
        usleep(50000);
    }
    if (killed) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
    }
    waitpid(pid, &st, 0);
reaped:
    if (res->timed_out)
        res->status = -1;
    else if (WIFEXITED(st))
        res->status = WEXITSTATUS(st);
    else
        res->status = 128 + WTERMSIG(st);
    if (res->matched)
        res->status = 0;
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
    md_run_result r;
    if (md_run(argv, &o, &r, err) < 0) {
        md_run_result_free(&r);
        return -1;
    }
    int rc = 0;
    if (r.timed_out)
        rc = md_err_set(err, "%s did not finish within %.0f s", argv[0], timeout_s);
    else if (r.status != 0)
        rc = md_err_set(err, "%s failed (exit %d): %s", argv[0], r.status, md_run_tail(r.out, 800));
    md_run_result_free(&r);
    return rc;
}
