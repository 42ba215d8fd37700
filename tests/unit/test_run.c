/* core/run: the foreground runner and the background mode, with sh, cat
 * and sleep as the programs. */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "core/file.h"
#include "core/mem.h"
#include "core/run.h"
#include "t.h"

static char tmpdir[] = "/tmp/test_run.XXXXXX";

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *tpath(const char *name) { return md_xasprintf("%s/%s", tmpdir, name); }

/* The file's text ("" when absent). */
static char *slurp(const char *path)
{
    unsigned char *d;
    size_t n;
    md_err e = MD_ERR_INIT;
    if (md_read_file(path, &d, &n, &e) < 0)
        return md_xstrdup("");
    d[n] = '\0';
    return (char *)d;
}

static void count_tick(void *arg) { ++*(int *)arg; }

static void test_foreground(void)
{
    md_err err = MD_ERR_INIT;
    md_run_result r;
    const char *both[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
    CHECK(md_run(both, NULL, &r, &err) == 0);
    CHECK_STR(r.out, "out\nerr\n");
    CHECK(r.len == 8 && r.status == 3 && !r.timed_out && !r.matched);
    CHECK_STR(r.err, "");
    md_run_result_free(&r);
    md_run_opts apart = { .stderr_apart = true };
    CHECK(md_run(both, &apart, &r, &err) == 0);
    CHECK_STR(r.out, "out\n");
    CHECK_STR(r.err, "err\n");
    md_run_result_free(&r);

    /* stdin from a file; output larger than any one read */
    char *in = tpath("in");
    char *big = md_xmalloc(100001);
    memset(big, 'x', 100000);
    big[100000] = '\0';
    CHECK(md_write_atomic(in, big, 100000, 0644, &err) == 0);
    const char *cat[] = { "cat", NULL };
    md_run_opts fi = { .stdin_path = in };
    CHECK(md_run(cat, &fi, &r, &err) == 0);
    CHECK(r.len == 100000 && r.status == 0 && !strcmp(r.out, big));
    md_run_result_free(&r);
    free(big);

    /* the time limit, also for a program that closed its output */
    const char *quiet[] = { "sh", "-c", "exec >/dev/null 2>&1; exec sleep 30", NULL };
    const char *sleepy[] = { "sleep", "30", NULL };
    const char *const *slow[] = { sleepy, quiet };
    for (int i = 0; i < 2; i++) {
        md_run_opts to = { .timeout_s = 0.3 };
        double t = now();
        CHECK(md_run(slow[i], &to, &r, &err) == 0);
        CHECK(r.timed_out && r.status == -1);
        CHECK(now() - t < 2.5);
        md_run_result_free(&r);
    }

    /* until: stop once the output shows it, a success */
    const char *ready[] = { "sh", "-c", "echo starting; echo ready; exec sleep 30", NULL };
    md_run_opts un = { .until = "ready", .timeout_s = 20 };
    double t = now();
    CHECK(md_run(ready, &un, &r, &err) == 0);
    CHECK(r.matched && !r.timed_out && r.status == 0);
    CHECK(strstr(r.out, "starting\nready") != NULL);
    CHECK(now() - t < 5);
    md_run_result_free(&r);
    CHECK(!err.set);

    /* tick: called every 100 ms or sooner while a quiet program runs (a
     * boot's console is read meanwhile), and once at its end */
    const char *pause[] = { "sleep", "1", NULL };
    int ticks = 0;
    md_run_opts tk = { .timeout_s = 20, .tick = count_tick, .tick_arg = &ticks };
    CHECK(md_run(pause, &tk, &r, &err) == 0);
    CHECK(r.status == 0 && !r.timed_out);
    CHECK(ticks >= 8 && ticks <= 40);
    md_run_result_free(&r);

    /* cannot start: an error, not a status */
    const char *none[] = { "/nonexistent/prog", NULL };
    CHECK(md_run(none, NULL, &r, &err) < 0);
    CHECK_ERR(&err, "cannot run /nonexistent/prog: No such file or directory");
    md_run_result_free(&r);
    md_err e2 = MD_ERR_INIT;
    md_run_opts nofile = { .stdin_path = "/nonexistent/input" };
    CHECK(md_run(cat, &nofile, &r, &e2) < 0);
    CHECK_ERR(&e2, "/nonexistent/input");
    md_run_result_free(&r);

    md_err e3 = MD_ERR_INIT;
    CHECK(md_run_ok(both, 10, &e3) < 0);
    CHECK_ERR(&e3, "sh failed (exit 3):\nout\nerr\n");
    md_err e4 = MD_ERR_INIT;
    CHECK(md_run_ok(sleepy, 0.2, &e4) < 0);
    CHECK_ERR(&e4, "sleep did not finish within");
    CHECK_STR(md_run_tail("one\ntwo\nthree\n", 8), "three\n");
    unlink(in);
    free(in);
}

static void test_start_failures(void)
{
    md_err err = MD_ERR_INIT;
    const char *none[] = { "/nonexistent/prog", NULL };
    CHECK(md_run_start(none, NULL, &err) == NULL);
    CHECK_ERR(&err, "cannot run /nonexistent/prog: No such file or directory");

    /* found but not executable */
    char *plain = tpath("not-a-program");
    md_err e1 = MD_ERR_INIT;
    CHECK(md_write_atomic(plain, "#!/bin/sh\n", 10, 0644, &e1) == 0);
    const char *np[] = { plain, NULL };
    CHECK(md_run_start(np, NULL, &e1) == NULL);
    CHECK_ERR(&e1, "Permission denied");

    /* a file that cannot be opened is named */
    md_err e2 = MD_ERR_INIT;
    const char *tru[] = { "true", NULL };
    md_run_start_opts o = { .out = { MD_RUN_FILE, "/nonexistent/dir/out", -1 } };
    CHECK(md_run_start(tru, &o, &e2) == NULL);
    CHECK_ERR(&e2, "/nonexistent/dir/out");
    unlink(plain);
    free(plain);
}

static void test_files_and_fds(void)
{
    md_err err = MD_ERR_INIT;
    char *in = tpath("in2"), *out = tpath("out"), *log = tpath("log"), *both = tpath("both");
    CHECK(md_write_atomic(in, "hello\n", 6, 0644, &err) == 0);
    const char *sh[] = { "sh", "-c", "cat; echo to-err >&2; exit 5", NULL };

    md_run_start_opts o = { .in = { MD_RUN_FILE, in, -1 }, .out = { MD_RUN_FILE, out, -1 },
                            .err = { MD_RUN_FILE, log, -1 } };
    md_run_proc *p = md_run_start(sh, &o, &err);
    CHECK(p != NULL);
    int st = 0;
    CHECK(md_run_proc_wait(p, 0, &st) && st == 5);
    CHECK(md_run_proc_exited(p, &st) && st == 5); /* stays ended, same status */
    md_run_proc_free(p);
    char *t = slurp(out);
    CHECK_STR(t, "hello\n");
    free(t);
    t = slurp(log);
    CHECK_STR(t, "to-err\n");
    free(t);

    /* stderr where stdout goes; a descriptor of ours as stdout */
    int fd = open(both, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    CHECK(fd >= 0);
    o = (md_run_start_opts){ .in = { MD_RUN_FILE, in, -1 }, .out = { MD_RUN_FD, NULL, fd },
                             .err = { MD_RUN_AS_STDOUT } };
    p = md_run_start(sh, &o, &err);
    CHECK(p != NULL);
    CHECK(md_run_proc_wait(p, 10, &st) && st == 5);
    md_run_proc_free(p);
    CHECK(write(fd, "ours\n", 5) == 5); /* still the caller's */
    close(fd);
    t = slurp(both);
    CHECK_STR(t, "hello\nto-err\nours\n");
    free(t);

    /* a pipe the caller reads */
    o = (md_run_start_opts){ .out = { MD_RUN_PIPE } };
    const char *echo[] = { "echo", "piped", NULL };
    p = md_run_start(echo, &o, &err);
    CHECK(p != NULL);
    CHECK(md_run_proc_fd(p, 2) == -1);
    char buf[32] = "";
    ssize_t n = read(md_run_proc_fd(p, 1), buf, sizeof buf - 1);
    CHECK(n == 6 && !memcmp(buf, "piped\n", 6));
    CHECK(md_run_proc_wait(p, 0, &st) && st == 0);
    md_run_proc_free(p);

    /* stderr kept for the caller (the library never prints a child's
     * words): more than a pipe holds, so the program never waits for us */
    o = (md_run_start_opts){ .err = { MD_RUN_CAPTURE } };
    const char *loud[] = { "sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x >&2; echo end >&2; exit 4", NULL };
    p = md_run_start(loud, &o, &err);
    CHECK(p != NULL);
    CHECK(md_run_proc_wait(p, 10, &st) && st == 4);
    t = md_run_proc_captured(p, 2);
    CHECK(strlen(t) == 100004 && !strcmp(t + 100000, "end\n"));
    free(t);
    t = md_run_proc_captured(p, 1); /* stdout was not captured */
    CHECK_STR(t, "");
    free(t);
    md_run_proc_free(p);
    CHECK(!err.set);
    unlink(in), unlink(out), unlink(log), unlink(both);
    free(in), free(out), free(log), free(both);
}

/* Running (a zombie nobody reaps, as under a container's init, is not). */
static bool alive(pid_t pid)
{
    /* stdio: md_read_file refuses procfs files (they are made as read) */
    char *path = md_xasprintf("/proc/%ld/stat", (long)pid);
    char st[1024] = "";
    FILE *f = fopen(path, "r");
    if (f) {
        size_t n = fread(st, 1, sizeof st - 1, f);
        st[n] = '\0';
        fclose(f);
    }
    const char *close_paren = strrchr(st, ')');
    bool r = close_paren && close_paren[1] == ' ' && close_paren[2] != 'Z';
    free(path);
    return r;
}

static void test_timeout_kill(void)
{
    md_err err = MD_ERR_INIT;
    const char *sleepy[] = { "sleep", "30", NULL };
    md_run_proc *p = md_run_start(sleepy, NULL, &err);
    CHECK(p != NULL);
    int st = 12345;
    double t = now();
    CHECK(!md_run_proc_wait(p, 0.2, &st));
    CHECK(now() - t >= 0.2 && st == 12345); /* no status while it runs */
    CHECK(!md_run_proc_exited(p, NULL));
    CHECK(md_run_proc_stop(p, 3) == 128 + SIGTERM);
    CHECK(now() - t < 2);
    md_run_proc_free(p);

    /* SIGTERM ignored: SIGKILL after the grace time */
    char *ready = tpath("ready");
    char *script = md_xasprintf("trap '' TERM; touch %s; sleep 30 & wait", ready);
    const char *stubborn[] = { "sh", "-c", script, NULL };
    md_run_start_opts grp = { .own_group = true };
    p = md_run_start(stubborn, &grp, &err);
    CHECK(p != NULL);
    for (int i = 0; i < 500 && access(ready, F_OK) < 0; i++)
        usleep(10000);
    t = now();
    CHECK(md_run_proc_stop(p, 0.3) == 128 + SIGKILL);
    CHECK(now() - t < 2);
    md_run_proc_free(p);
    free(script);

    /* own group: the program's children end with it */
    char *pidfile = tpath("child.pid");
    script = md_xasprintf("sleep 30 & echo $! > %s; wait", pidfile);
    const char *parent[] = { "sh", "-c", script, NULL };
    p = md_run_start(parent, &grp, &err);
    CHECK(p != NULL);
    CHECK(getpgid(md_run_proc_pid(p)) == md_run_proc_pid(p));
    char *txt = md_xstrdup("");
    for (int i = 0; i < 500 && !strchr(txt, '\n'); i++) {
        usleep(10000);
        free(txt);
        txt = slurp(pidfile);
    }
    pid_t child = (pid_t)atol(txt);
    CHECK(child > 0 && alive(child));
    md_run_proc_stop(p, 3);
    for (int i = 0; i < 200 && child > 0 && alive(child); i++)
        usleep(10000); /* sh's child, reaped by init */
    CHECK(child > 0 && !alive(child));
    md_run_proc_free(p);
    p = md_run_start(sleepy, NULL, &err);
    md_run_proc_signal(p, SIGINT);
    CHECK(md_run_proc_wait(p, 5, &st) && st == 128 + SIGINT);
    md_run_proc_free(p);
    CHECK(!err.set);
    unlink(ready), unlink(pidfile);
    free(ready), free(pidfile), free(script), free(txt);
}

/* A runner killed with SIGKILL (no handler runs) takes its programs with
 * it: CI's test 76 saw an orphaned grub-mkimage of a killed build writing
 * into the scratch directory the next build was sweeping. */
static void test_runner_killed(void)
{
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t runner = fork();
    if (runner == 0) {
        md_err err = MD_ERR_INIT;
        const char *sleepy[] = { "sleep", "30", NULL };
        md_run_proc *p = md_run_start(sleepy, NULL, &err);
        pid_t pid = p ? md_run_proc_pid(p) : -1;
        if (write(fds[1], &pid, sizeof pid) != (ssize_t)sizeof pid)
            _exit(1);
        raise(SIGKILL);
    }
    close(fds[1]);
    pid_t sleeper = -1;
    CHECK(read(fds[0], &sleeper, sizeof sleeper) == (ssize_t)sizeof sleeper && sleeper > 0);
    close(fds[0]);
    int st;
    CHECK(waitpid(runner, &st, 0) == runner && WIFSIGNALED(st));
    for (int i = 0; i < 200 && sleeper > 0 && alive(sleeper); i++)
        usleep(10000);
    CHECK(sleeper > 0 && !alive(sleeper));
    if (sleeper > 0 && alive(sleeper))
        kill(sleeper, SIGKILL);
}

/* A tool is found in PATH (a relative entry too, as an absolute path for a
 * run with .cwd), then in /usr/sbin and /sbin; a file that is not
 * executable is no tool; a missing one names the package. */
static void test_find_tool(void)
{
    char *bin = tpath("bin"), *tool = tpath("bin/md-tool"), *plain = tpath("bin/md-plain");
    char *old = md_xstrdup(getenv("PATH") ? getenv("PATH") : "");
    md_err e = MD_ERR_INIT;
    CHECK(mkdir(bin, 0755) == 0);
    CHECK(md_write_atomic(tool, "#!/bin/sh\n", 10, 0755, &e) == 0);
    CHECK(md_write_atomic(plain, "#!/bin/sh\n", 10, 0644, &e) == 0);
    setenv("PATH", bin, 1);
    char *p = NULL;
    CHECK(md_run_find_tool("md-tool", "pkg", &p, &e) == 0);
    CHECK_STR(p, tool);
    free(p);
    CHECK(md_run_find_tool("md-tool", "pkg", NULL, &e) == 0);
    p = NULL;
    CHECK(md_run_find_tool("md-plain", "plainpkg", &p, &e) < 0 && !p);
    CHECK_ERR(&e, "md-plain not found: install plainpkg");
    md_err_clear(&e);
    /* Debian's /usr/sbin/nologin (package login), outside this PATH */
    bool nologin = access("/usr/sbin/nologin", X_OK) == 0;
    CHECK((md_run_find_tool("nologin", "login", &p, &e) == 0) == nologin);
    if (nologin)
        CHECK_STR(p, "/usr/sbin/nologin");
    free(p);
    md_err_clear(&e);
    char *cwd = getcwd(NULL, 0);
    CHECK(chdir(tmpdir) == 0);
    setenv("PATH", "bin", 1);
    p = NULL;
    CHECK(md_run_find_tool("md-tool", "pkg", &p, &e) == 0);
    CHECK_STR(p, tool);
    free(p);
    CHECK(chdir(cwd) == 0);
    setenv("PATH", old, 1);
    unlink(tool), unlink(plain), rmdir(bin);
    free(cwd), free(old), free(bin), free(tool), free(plain);
}

int main(void)
{
    /* As in a background job of a non-interactive shell: the programs run
     * must still die of SIGINT (the SIGINT case of test_timeout_kill). */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_foreground();
    test_start_failures();
    test_files_and_fds();
    test_timeout_kill();
    test_runner_killed();
    test_find_tool();
    rmdir(tmpdir);
    return t_done("test_run");
}
